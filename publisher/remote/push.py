"""``lodpub push``: load a release into a remote store, then switch readers to it at once.

1. Every named graph of the release is uploaded under a staged name, and its default graph
   (the union of its graphs, each triple once) under a name of its version; no reader uses
   either yet. Uploads go by the Graph Store Protocol, or by ``INSERT DATA`` without one.
2. The store's triple counts are checked against the release's.
3. One SPARQL Update request moves each staged graph onto its real name, drops the graphs the
   new release no longer has and rewrites the pointer graph. A store that runs an update
   request as one transaction (Virtuoso, Fuseki, GraphDB, Neptune) switches readers from the
   old release to the new one at once. A release of more graphs than one request can move
   (``OPERATIONS_PER_UPDATE`` operations, Virtuoso's limit) is moved in several, the pointer
   last: the default graph, which ordinary queries read, still switches at once with the
   pointer; ``GRAPH`` queries may see some graphs of each release while the moves run.
4. The previous release's union graph is dropped.

A push that fails before the switch drops what it staged (what it cannot drop, the next push
does); readers keep the previous release throughout. One push at a time per dataset.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass

import pyoxigraph as ox

from publisher.config import Settings
from publisher.errors import StoreError
from publisher.progress import Progress
from publisher.release import MANIFEST, Release
from publisher.remote.client import Endpoints, RemoteClient
from publisher.remote.layout import NO_GRAPH, RESULTS_JSON, Layout, Pointer, read_pointer
from publisher.store import read_graphs

CHECK_TIMEOUT_S = 300.0
GRAPHS_PER_CHECK = 50
# Virtuoso refuses an update of a thousand operations ("SQ156 … Query too large").
OPERATIONS_PER_UPDATE = 100


@dataclass(frozen=True)
class PushResult:
    """A finished push: which release the store now serves, and what it took."""

    version: str
    previous: str | None
    graphs: int
    triples: int
    seconds: float
    unchanged: bool = False


def _blank_nodes(triple: ox.Triple) -> list[ox.BlankNode]:
    return [t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]


def _batches(triples: Sequence[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Batches of about ``size`` triples that never split what blank nodes hold together.

    Each request is merged into the graph on its own, so a blank node sent in two requests
    would become two; the triples connected through blank nodes travel in one batch.
    """
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    for triple in triples:
        if len(nodes := _blank_nodes(triple)) == 2:
            parent[root(nodes[0])] = root(nodes[1])
    connected: dict[ox.BlankNode, list[ox.Triple]] = defaultdict(list)
    batch: list[ox.Triple] = []
    for triple in triples:
        if nodes := _blank_nodes(triple):
            connected[root(nodes[0])].append(triple)
            continue
        batch.append(triple)
        if len(batch) >= size:
            yield batch
            batch = []
    for group in connected.values():
        batch.extend(group)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(graph: str, triples: Sequence[ox.Triple]) -> str:
    """An update adding triples to a graph. Virtuoso refuses blank nodes in INSERT DATA, so
    triples holding any are inserted from a template, which makes them fresh all the same."""
    body = (ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").decode()
    if any(map(_blank_nodes, triples)):
        return f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"


def load_graph(client: RemoteClient, graph: str, triples: Sequence[ox.Triple], batch: int) -> None:
    """Replace ``graph`` in the store by ``triples``, about ``batch`` triples per request."""
    for n, chunk in enumerate(_batches(triples, batch)):
        if client.endpoints.graph_store:
            body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES) or b""
            client.upload(graph, body, replace=n == 0)
        else:
            drop = f"DROP SILENT GRAPH <{graph}> ;\n" if n == 0 else ""
            client.update(drop + _insert(graph, chunk))


def drop_graphs(client: RemoteClient, graphs: Iterable[str]) -> None:
    """Drop ``graphs`` (those that exist) in one update request."""
    operations = [f"DROP SILENT GRAPH <{graph}>" for graph in sorted(set(graphs))]
    if operations:
        client.update(" ;\n".join(operations))


def _leftovers(client: RemoteClient, layout: Layout, current: Pointer | None) -> list[str]:
    query = (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
        f"FILTER(STRSTARTS(STR(?g), {json.dumps(layout.own)})) }}"
    )
    answer = client.query(query, [], [], RESULTS_JSON, CHECK_TIMEOUT_S)
    names = [row["g"]["value"] for row in json.loads(answer.body)["results"]["bindings"]]
    return [name for name in names if layout.is_leftover(name, current)]


def _check_counts(client: RemoteClient, expected: dict[str, int]) -> None:
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    found: dict[str, int] = {}
    names = sorted(expected)
    for start in range(0, len(names), GRAPHS_PER_CHECK):
        part = names[start : start + GRAPHS_PER_CHECK]
        answer = client.query(query, [NO_GRAPH], part, RESULTS_JSON, CHECK_TIMEOUT_S)
        for row in json.loads(answer.body)["results"]["bindings"]:
            found[row["g"]["value"]] = int(row["n"]["value"])
    wrong = [
        f"<{graph}> holds {found.get(graph, 0)} triples, the release {count}"
        for graph, count in sorted(expected.items())
        if found.get(graph, 0) != count
    ]
    if wrong:
        raise StoreError(
            "the store does not hold what was sent (it merged, changed or refused terms): "
            + "; ".join(wrong[:5])
        )


def switch_requests(
    layout: Layout, previous: Pointer | None, staged: dict[str, str], pointer: Pointer
) -> list[str]:
    """The updates that put a staged release in place of the previous one: one request when
    the release has few graphs, else requests of ``OPERATIONS_PER_UPDATE`` operations, the
    pointer rewritten by the last."""
    gone = sorted((previous.graphs if previous else frozenset()) - set(staged))
    operations = [f"DROP SILENT GRAPH <{graph}>" for graph in gone]
    operations += [
        f"MOVE SILENT GRAPH <{source}> TO GRAPH <{graph}>"
        for graph, source in sorted(staged.items())
    ]
    operations += [f"DROP SILENT GRAPH <{layout.pointer}>", pointer.insert_data(layout)]
    size = OPERATIONS_PER_UPDATE
    return [" ;\n".join(operations[at : at + size]) for at in range(0, len(operations), size)]


def push_release(
    settings: Settings, release: Release, progress: Progress | None = None
) -> PushResult:
    """Load ``release`` into the configured remote store and switch readers to it."""
    started = time.perf_counter()
    progress = progress or Progress(enabled=False)
    client = RemoteClient(Endpoints.from_settings(settings))
    layout = Layout(settings.base_iri)
    with progress.stage("read release"):
        graphs = read_graphs(release.path / "store")
        union = graphs.pop(None, [])
        named = {name: triples for name, triples in graphs.items() if name}
        created = json.loads((release.path / MANIFEST).read_text("utf-8"))["created"]
        triples = sum(map(len, named.values()))
        progress.note(f"{len(named)} graphs, {triples} triples")
    previous = read_pointer(client, layout)
    if previous is not None and previous.version == release.version:
        elapsed = time.perf_counter() - started
        return PushResult(release.version, previous.version, len(named), triples, elapsed, True)
    with progress.stage("clean up"):
        drop_graphs(client, _leftovers(client, layout, previous))
    staged = {name: layout.staged(release.version, name) for name in named}
    pointer = Pointer(release.version, created, layout.union(release.version), frozenset(named))
    try:
        with progress.stage("load"):
            for name, name_triples in sorted(named.items()):
                load_graph(client, staged[name], name_triples, settings.store_batch_triples)
            load_graph(client, pointer.union, union, settings.store_batch_triples)
        with progress.stage("check"):
            expected = {staged[name]: len(t) for name, t in named.items()}
            _check_counts(client, {**expected, pointer.union: len(union)})
    except BaseException:
        with suppress(StoreError):  # what cannot be dropped now, the next push drops
            drop_graphs(client, [*staged.values(), pointer.union])
        raise
    with progress.stage("switch"):
        for update in switch_requests(layout, previous, staged, pointer):
            client.update(update)
    if previous is not None:
        with suppress(StoreError):  # unused from now on; else the next push drops it
            drop_graphs(client, [previous.union])
    elapsed = time.perf_counter() - started
    before = previous.version if previous else None
    return PushResult(release.version, before, len(named), triples, elapsed)
