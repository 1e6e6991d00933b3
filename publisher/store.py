"""The embedded store (pyoxigraph, RocksDB on disk): the only module that opens one.

``StoreBackend`` is the small interface the web layer reads through; ``EmbeddedStore``
implements it over a release's store opened read-only.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from publisher.formats import Format
from publisher.namespaces import PREFIXES
from publisher.rdfio import serialize_jsonld
from publisher.workers import QueryAnswer, QueryJob, QueryWorkers


class StoreLoader:
    """Creates a release's store at ``path`` in a background thread, while the build goes on.

    The store holds ``quads`` and, as its default graph, their merge ``union`` (repeats
    allowed: a store holds each quad once): the default graph SPARQL users query is an RDF
    graph (a set), so counts are not inflated by a triple that several source documents
    state. The quads are written to an N-Quads file next to ``path`` that pyoxigraph loads
    without holding the GIL. Use as a context manager; ``finish`` adds the last quads.
    """

    def __init__(self, path: Path, quads: Iterable[ox.Quad], union: Iterable[ox.Triple]) -> None:
        self._input = path.with_name(path.name + ".nq")
        with self._input.open("wb") as stream:  # N-Triples lines are default-graph N-Quads
            ox.serialize(quads, stream, format=ox.RdfFormat.N_QUADS)
            ox.serialize(union, stream, format=ox.RdfFormat.N_TRIPLES)
        self._store: ox.Store | None = ox.Store(str(path))
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="store-load", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        assert self._store is not None
        try:
            self._store.bulk_load(path=str(self._input), format=ox.RdfFormat.N_QUADS)
            self._store.optimize()
        except BaseException as exc:  # re-raised in the building thread by finish()
            self._error = exc

    def finish(self, quads: Iterable[ox.Quad]) -> int:
        """Wait for the load, add ``quads`` to their graphs and to the default graph, close
        the store (its folder may be renamed and opened again) and return how many quads it
        holds."""
        self._thread.join()
        self._input.unlink()
        if self._error is not None:
            raise self._error
        assert self._store is not None
        extra = list(quads)
        defaults = (ox.Quad(q.subject, q.predicate, q.object) for q in extra)
        self._store.bulk_extend([*extra, *defaults])
        self._store.flush()
        count = len(self._store)
        self._store = None  # its last reference: RocksDB's lock is released here
        return count

    def __enter__(self) -> StoreLoader:
        return self

    def __exit__(self, *_: object) -> None:
        self._thread.join()
        self._input.unlink(missing_ok=True)
        self._store = None


def write_store(path: Path, quads: Iterable[ox.Quad], union: Iterable[ox.Triple]) -> int:
    """Create a store at ``path`` holding ``quads`` and ``union`` as its default graph;
    return how many quads it holds."""
    with StoreLoader(path, quads, union) as loader:
        return loader.finish(())


@dataclass(frozen=True)
class Term:
    """An RDF term in the shape the web layer needs, free of any store library."""

    kind: str  # "iri", "bnode" or "literal"
    value: str
    language: str | None = None
    datatype: str | None = None

    @property
    def is_iri(self) -> bool:
        return self.kind == "iri"

    @property
    def sort_key(self) -> tuple[str, str, str, str]:
        """The term's place in a total order of terms."""
        return (self.kind, self.value, self.language or "", self.datatype or "")


def in_term_order(rows: Iterable[dict[str, Term]]) -> list[dict[str, Term]]:
    """SELECT rows sorted by their values: stores answer a query without ORDER BY in orders of
    their own, and what is built from the rows must not depend on which store answered."""
    return sorted(rows, key=lambda row: [(name, row[name].sort_key) for name in sorted(row)])


@dataclass(frozen=True)
class ReleaseInfo:
    """Which release a store serves."""

    version: str
    created: str
    path: Path | None


class Presence(Enum):
    """What the store knows about an IRI."""

    ABSENT = "absent"
    ENTITY = "entity"
    REMOVED = "removed"
    REPLACED = "replaced"


@dataclass(frozen=True)
class Lookup:
    """The answer of ``exists``: presence, and the successor of a merged entity."""

    presence: Presence
    successor: str | None = None


class StoreBackend(Protocol):
    """What the web layer may ask of a store; embedded and remote stores implement it."""

    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None
    ) -> list[dict[str, Term]]:
        """Run a trusted SELECT over the union graph, with ``bindings`` bound as values."""

    def describe(self, iri: str, fmt: Format) -> bytes:
        """The document of a resource (see ``DESCRIPTION_QUERY``), serialised."""

    def exists(self, iri: str) -> Lookup:
        """Whether the IRI names an entity, a removed one, a merged one, or nothing."""

    def query(self, job: QueryJob, timeout_s: float) -> QueryAnswer:
        """Run a public query within a time limit."""

    def graphs(self) -> list[str]:
        """The names of the release's named graphs, sorted."""

    def release(self) -> ReleaseInfo:
        """The release being served."""

    def close(self) -> None:
        """Release resources (worker processes, connections)."""


# One document answers "who, what, when, according to which source": the resource's own
# statements, the labels and types of what it links to, the statements that link to it, and
# the n-ary nodes (posts, memberships, agreement parties) it takes part in, with their links.
DESCRIPTION_QUERY = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX lgdg: <https://w3id.org/lgdg/def#>
CONSTRUCT {
  ?this ?p ?o . ?o ?label ?olabel . ?o a ?otype .
  ?in ?q ?this . ?in ?label ?inlabel . ?in a ?intype .
  ?node ?np ?nv . ?nv ?label ?nvlabel .
}
WHERE {
  {
    ?this ?p ?o .
    OPTIONAL { ?o ?label ?olabel FILTER(?label IN (rdfs:label, skos:prefLabel, foaf:name)) }
    OPTIONAL { ?o a ?otype FILTER(isIRI(?o)) }
  } UNION {
    ?in ?q ?this .
    OPTIONAL { ?in ?label ?inlabel FILTER(?label IN (rdfs:label, skos:prefLabel, foaf:name)) }
    OPTIONAL { ?in a ?intype }
  } UNION {
    ?node ?link ?this .
    FILTER EXISTS { ?node a ?nary FILTER(?nary IN (org:Post, org:Membership, lgdg:AgreementParty)) }
    ?node ?np ?nv .
    OPTIONAL { ?nv ?label ?nvlabel FILTER(?label IN (rdfs:label, skos:prefLabel, foaf:name)) }
  }
}
"""  # Filters, not VALUES joins: a VALUES block joined with a group is evaluated after the
# group's OPTIONALs (SPARQL's bottom-up semantics), which drops statements on stores that
# follow it to the letter; and a class test as a join made Oxigraph start the n-ary branch
# from every post and membership (100 ms a document at a million triples; 0.4 ms now).

ENTITY_QUERY = "ASK { ?this a ?type }"
TOMBSTONE_QUERY = """
SELECT ?this ?successor WHERE {
  ?this a <https://w3id.org/lgdg/def#Tombstone> .
  OPTIONAL { ?this <http://purl.org/dc/terms/isReplacedBy> ?successor }
}
"""  # the default graph holds the tombstones graph too; reading it needs no named graphs


def is_iri(value: str) -> bool:
    """Whether ``value`` is an absolute IRI the stores can hold (RFC 3987, as Oxigraph reads it)."""
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def to_term(term: object) -> Term:
    """The web layer's Term for a pyoxigraph term."""
    if isinstance(term, ox.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Term("literal", term.value, term.language, term.datatype.value)
    raise TypeError(f"unsupported term {term!r}")


def from_term(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for a Term."""
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.kind == "bnode":
        return ox.BlankNode(term.value)
    if term.language:
        return ox.Literal(term.value, language=term.language)
    datatype = ox.NamedNode(term.datatype) if term.datatype else None
    return ox.Literal(term.value, datatype=datatype)


def solution_rows(result: ox.QuerySolutions) -> list[dict[str, Term]]:
    """The rows of a SELECT result, unbound variables left out."""
    names = [v.value for v in result.variables]
    return [{name: to_term(row[name]) for name in names if row[name] is not None} for row in result]


def serialize_description(triples: Iterable[ox.Triple], iri: str, fmt: Format) -> bytes:
    """A resource's document: its own statements first, then the rest, each part sorted."""
    subject = ox.NamedNode(iri)
    ordered = sorted(triples, key=lambda t: (t.subject != subject, str(t)))
    if fmt.rdf == ox.RdfFormat.JSON_LD:
        return serialize_jsonld(ordered, dict(PREFIXES))
    return ox.serialize(ordered, format=fmt.rdf, prefixes=dict(PREFIXES)) or b""


def read_graphs(store_path: Path) -> dict[str | None, list[ox.Triple]]:
    """Every graph of a release's store (``None`` is the default graph), by name."""
    store = ox.Store.read_only(str(store_path))
    graphs: dict[str | None, list[ox.Triple]] = defaultdict(list)
    for quad in store:
        name = None if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        graphs[name].append(quad.triple)
    return dict(graphs)


class EmbeddedStore:
    """A release's pyoxigraph store, opened read-only, with workers for public queries."""

    def __init__(self, release_path: Path, workers: int = 2) -> None:
        self.release_path = release_path
        self._store = ox.Store.read_only(str(release_path / "store"))
        manifest = json.loads((release_path / "release.json").read_text("utf-8"))
        self._release = ReleaseInfo(manifest["version"], manifest["created"], release_path)
        self._workers = QueryWorkers(release_path / "store", workers)

    def select(
        self, sparql: str, bindings: Mapping[str, Term] | None = None
    ) -> list[dict[str, Term]]:
        substitutions = {ox.Variable(k): from_term(v) for k, v in (bindings or {}).items()}
        result = self._store.query(sparql, substitutions=substitutions)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() runs SELECT queries only")
        return solution_rows(result)

    def describe(self, iri: str, fmt: Format) -> bytes:
        triples = self._store.query(
            DESCRIPTION_QUERY,
            substitutions={ox.Variable("this"): ox.NamedNode(iri)},
        )
        return serialize_description(triples, iri, fmt)  # type: ignore[arg-type]

    def exists(self, iri: str) -> Lookup:
        node = {ox.Variable("this"): ox.NamedNode(iri)}
        rows = list(self._store.query(TOMBSTONE_QUERY, substitutions=node))  # type: ignore[arg-type]
        if rows:
            successor = rows[0]["successor"]
            if successor is not None:
                return Lookup(Presence.REPLACED, successor.value)
            return Lookup(Presence.REMOVED)
        found = self._store.query(ENTITY_QUERY, substitutions=node)
        return Lookup(Presence.ENTITY if found else Presence.ABSENT)

    def query(self, job: QueryJob, timeout_s: float) -> QueryAnswer:
        return self._workers.run(job, timeout_s)

    def graphs(self) -> list[str]:
        return sorted(graph.value for graph in self._store.named_graphs())  # type: ignore[union-attr]

    def release(self) -> ReleaseInfo:
        return self._release

    def close(self) -> None:
        self._workers.close()
