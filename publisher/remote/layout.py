"""Where a release lives in a remote store, and the pointer graph that says which one is current.

A release keeps its graph names (one per source document, the Wikidata links, the ontology,
the description, the tombstones), so ``GRAPH`` queries see the same names on every backend.
Three kinds of graphs are the publisher's own and never shown to readers: the pointer graph,
the union of a release's graphs (its default graph, named per version), and staged graphs,
loaded under a version-specific name before one update moves them into place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from publisher.remote.client import RemoteClient

RESULTS_JSON = "application/sparql-results+json"
NO_GRAPH = "urn:lodpub:no-graph"  # names no graph: a dataset part that must stay empty
VERSION = "urn:lodpub:version"
CREATED = "urn:lodpub:created"
UNION = "urn:lodpub:union"
GRAPH = "urn:lodpub:graph"
POINTER_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Layout:
    """The publisher's own graph names for one base IRI (several datasets may share a store)."""

    base_iri: str

    @property
    def own(self) -> str:
        """The prefix of every graph name the publisher keeps for itself in the store."""
        return f"urn:lodpub:{self.base_iri}"

    @property
    def pointer(self) -> str:
        return f"{self.own}release"

    def union(self, version: str) -> str:
        return f"{self.own}union/{version}"

    def staged(self, version: str, graph: str) -> str:
        return f"{self.own}staged/{version}/{graph}"

    def is_leftover(self, graph: str, current: Pointer | None) -> bool:
        """A union or staged graph that no reader uses: what a failed push left behind."""
        if current is not None and graph == current.union:
            return False
        return graph.startswith((f"{self.own}union/", f"{self.own}staged/"))


@dataclass(frozen=True)
class Pointer:
    """The release a remote store serves: version, creation time, union and named graphs."""

    version: str
    created: str
    union: str
    graphs: frozenset[str]

    def insert_data(self, layout: Layout) -> str:
        """The SPARQL Update operation that writes this pointer into the pointer graph."""
        subject = f"<{layout.pointer}>"
        lines = [
            f"{subject} <{VERSION}> {json.dumps(self.version)} .",
            f"{subject} <{CREATED}> {json.dumps(self.created)} .",
            f"{subject} <{UNION}> <{self.union}> .",
            *(f"{subject} <{GRAPH}> <{graph}> ." for graph in sorted(self.graphs)),
        ]
        body = "\n    ".join(lines)
        return f"INSERT DATA {{ GRAPH <{layout.pointer}> {{\n    {body}\n}} }}"


def read_pointer(client: RemoteClient, layout: Layout) -> Pointer | None:
    """The pointer the store holds for this base IRI, or None before the first push."""
    query = f"SELECT ?p ?o WHERE {{ GRAPH <{layout.pointer}> {{ <{layout.pointer}> ?p ?o }} }}"
    answer = client.query(query, [NO_GRAPH], [layout.pointer], RESULTS_JSON, POINTER_TIMEOUT_S)
    values: dict[str, list[str]] = {}
    for row in json.loads(answer.body)["results"]["bindings"]:
        values.setdefault(row["p"]["value"], []).append(row["o"]["value"])
    if VERSION not in values:
        return None
    return Pointer(
        version=values[VERSION][0],
        created=values.get(CREATED, [""])[0],
        union=values[UNION][0],
        graphs=frozenset(values.get(GRAPH, ())),
    )
