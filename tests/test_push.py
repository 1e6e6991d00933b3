"""``lodpub push`` into a real Virtuoso: the store serves the release whole, a new release
replaces it at once, and a push cut half-way leaves readers on the previous one."""

from __future__ import annotations

import http.server
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from publisher.cli import main
from publisher.config import Settings
from publisher.errors import StoreError
from publisher.release import Release, current_release
from publisher.remote.client import Endpoints, RemoteClient
from publisher.remote.layout import Layout, read_pointer
from publisher.remote.push import push_release
from publisher.remote.store import RemoteStore, with_dataset
from publisher.store import EmbeddedStore, Term, read_graphs
from tests.conftest import Project
from tests.csvedit import set_cell
from tests.virtuoso import Virtuoso, running_virtuoso
from tests.web.conftest import make_release

WEGO = "https://w3id.org/lgdg/id/organization/wego"
LABEL = "SELECT ?label WHERE { ?this <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
ALL_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
PARTITIONS = """SELECT ?class ?n WHERE {
  <https://w3id.org/lgdg/dataset> <http://rdfs.org/ns/void#classPartition> ?partition .
  ?partition <http://rdfs.org/ns/void#class> ?class ; <http://rdfs.org/ns/void#entities> ?n .
}"""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Virtuoso]:
    """A Virtuoso of the test's own, free to be broken."""
    with running_virtuoso(tmp_path / "virtuoso") as server:
        yield server


def release_of(project: Project) -> Release:
    found = current_release(project.root / "build")
    assert found is not None
    return found


def english_label(settings: Settings) -> str:
    rows = RemoteStore(settings).select(LABEL, {"this": Term("iri", WEGO)})
    return next(r["label"].value for r in rows if r["label"].language == "en")


def store_graphs(settings: Settings) -> set[str]:
    """Every graph the store holds, the publisher's own included (no dataset given)."""
    client = RemoteClient(Endpoints.from_settings(settings))
    answer = client.query(ALL_GRAPHS, [], [], "application/sparql-results+json", 60)
    return {row["g"]["value"] for row in json.loads(answer.body)["results"]["bindings"]}


def relabel(project: Project, capsys: pytest.CaptureFixture[str], label: str) -> Release:
    set_cell(project.root / "data" / "organizations.csv", "wego", "label_en", label)
    code, _ = project.build(capsys)
    assert code == 0
    return release_of(project)


def test_a_pushed_release_is_served_whole(built: Project, store: Virtuoso) -> None:
    settings = store.settings(built.settings)
    release = release_of(built)
    result = push_release(settings, release)
    assert (result.version, result.previous) == (release.version, None)
    remote = RemoteStore(settings)
    assert remote.release().version == release.version
    assert remote.release().path == release.path  # the dumps are served from the release folder
    graphs = read_graphs(release.path / "store")
    assert remote.graphs() == sorted(name for name in graphs if name)
    counts = remote.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert {r["g"].value: int(r["n"].value) for r in counts} == {
        name: len(triples) for name, triples in graphs.items() if name
    }
    total = remote.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(total[0]["n"].value) == len(graphs[None])  # the union, each triple once
    layout = Layout(settings.base_iri)
    own = {g for g in store_graphs(settings) if g.startswith(layout.own)}
    assert own == {layout.pointer, layout.union(release.version)}  # nothing staged is left


def test_pushing_the_served_release_again_changes_nothing(built: Project, store: Virtuoso):
    settings = store.settings(built.settings)
    push_release(settings, release_of(built))
    again = push_release(settings, release_of(built))
    assert again.unchanged


def test_a_new_release_replaces_the_old_one_at_once(
    project: Project, store: Virtuoso, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = store.settings(project.settings)
    first = release_of(project)
    push_release(settings, first)
    served = RemoteStore(settings)  # as a running server holds it
    second = relabel(project, capsys, "World Smart Sustainable Cities Organization (renamed)")
    result = push_release(settings, second)
    assert (result.version, result.previous) == (second.version, first.version)
    assert RemoteStore(settings).release().version == second.version
    assert english_label(settings).endswith("(renamed)")
    deadline = time.monotonic() + 10  # the server follows the pointer without a restart
    while served.release().version != second.version and time.monotonic() < deadline:
        time.sleep(0.1)
    assert served.release().version == second.version
    layout = Layout(settings.base_iri)
    graphs = store_graphs(settings)
    assert layout.union(first.version) not in graphs
    assert not [g for g in graphs if g.startswith(f"{layout.own}staged/")]


@contextmanager
def cutting_proxy(target: str, uploads_allowed: int) -> Iterator[str]:
    """A loopback HTTP proxy to ``target`` that fails every upload after the first few."""
    seen = {"uploads": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _forward(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if "graph-crud" in self.path and body:
                seen["uploads"] += 1
                if seen["uploads"] > uploads_allowed:
                    self.send_error(502, "cut by the test")
                    return
            headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
            request = urllib.request.Request(
                target + self.path, data=body or None, method=self.command, headers=headers
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as answer:
                    status, reply_headers, reply = answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as exc:
                status, reply_headers, reply = exc.code, exc.headers, exc.read()
            self.send_response(status)
            for name, value in reply_headers.items():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        do_GET = do_POST = do_PUT = _forward  # noqa: N815

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(10)


def test_a_push_cut_half_way_leaves_readers_on_the_previous_release(
    project: Project, store: Virtuoso, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = store.settings(project.settings)
    first = release_of(project)
    push_release(settings, first)
    second = relabel(project, capsys, "Half-pushed name")
    with cutting_proxy(store.base, uploads_allowed=3) as proxy:
        cut = settings.replace(store_graph_store_url=f"{proxy}/sparql-graph-crud-auth")
        with pytest.raises(StoreError, match="refused"):
            push_release(cut, second)
    assert RemoteStore(settings).release().version == first.version
    assert english_label(settings) == "World Smart Sustainable Cities Organization"
    result = push_release(settings, second)  # the next push cleans up and succeeds
    assert result.previous == first.version
    assert english_label(settings) == "Half-pushed name"
    layout = Layout(settings.base_iri)
    assert not [g for g in store_graphs(settings) if g.startswith(f"{layout.own}staged/")]


def test_without_a_graph_store_the_release_is_loaded_by_insert_data(
    built: Project, store: Virtuoso
) -> None:
    settings = store.settings(built.settings, graph_store=False).replace(store_batch_triples=50)
    release = release_of(built)
    push_release(settings, release)
    remote = RemoteStore(settings)
    assert remote.release().version == release.version
    total = remote.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(total[0]["n"].value) == len(read_graphs(release.path / "store")[None])
    # Small batches never cut a blank node in two: each class partition keeps its class.
    embedded = EmbeddedStore(release.path, workers=1)
    try:
        expected = {(r["class"].value, r["n"].value) for r in embedded.select(PARTITIONS)}
    finally:
        embedded.close()
    assert len(expected) > 10
    assert {(r["class"].value, r["n"].value) for r in remote.select(PARTITIONS)} == expected


def test_push_from_the_command_line_reports_what_the_store_serves(
    built: Project, store: Virtuoso, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    settings = store.settings(built.settings)
    for name in ("store", "store_update_url", "store_graph_store_url", "store_auth"):
        monkeypatch.setenv(f"LODPUB_{name.upper()}", getattr(settings, name))
    monkeypatch.setenv("LODPUB_STORE_USER", settings.store_user)
    monkeypatch.setenv("LODPUB_STORE_PASSWORD", "wrong")
    capsys.readouterr()
    assert main(["--project", str(built.root), "push"]) == 2
    error = capsys.readouterr().err
    assert "refused" in error and "401" in error
    assert "readers still see the release the store served before" in error
    monkeypatch.setenv("LODPUB_STORE_PASSWORD", settings.store_password)
    assert main(["--project", str(built.root), "push"]) == 0
    assert f"now serves release {release_of(built).version}" in capsys.readouterr().out
    assert read_pointer(RemoteClient(Endpoints.from_settings(settings)), Layout(settings.base_iri))


def test_push_needs_a_remote_store(built: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(built.root), "push"]) == 2
    assert "set `store` to a remote" in capsys.readouterr().err


def test_an_unreachable_store_is_one_clear_line(
    built: Project, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setenv("LODPUB_STORE", "sparql+http://127.0.0.1:9/sparql")
    assert main(["--project", str(built.root), "push"]) == 2
    error = capsys.readouterr().err
    assert "cannot reach http://127.0.0.1:9/sparql" in error


def test_a_release_of_many_graphs_is_pushed_and_read(
    built: Project, store: Virtuoso, tmp_path: Path
) -> None:
    """More graphs than one update may move, and than a response may have headers by
    default (Virtuoso sends one per named graph of the query)."""
    base = "https://w3id.org/lgdg/"
    trig = "\n".join(
        f"<{base}graph/source/s{n}> {{ <{base}id/city/c{n}> a <https://schema.org/City> ; "
        f'<http://www.w3.org/2000/01/rdf-schema#label> "City {n}"@en . }}'
        for n in range(150)
    )
    release = Release(make_release(tmp_path / "many", trig, version="many"), "many")
    settings = store.settings(built.settings)
    push_release(settings, release)
    remote = RemoteStore(settings)
    assert remote.release().version == "many"
    assert len(remote.graphs()) == 150
    rows = remote.select(
        "SELECT ?g WHERE { GRAPH ?g { ?this a <https://schema.org/City> } }",
        {"this": Term("iri", f"{base}id/city/c7")},
    )
    assert [row["g"].value for row in rows] == [f"{base}graph/source/s7"]
    total = remote.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(total[0]["n"].value) == 300


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?g ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
        "SELECT * { { SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } } } UNION { ?s ?p ?o } }",
        "CONSTRUCT { ?s <urn:from> ?g } WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?g } }",
    ],
    ids=["select", "subquery without WHERE", "construct template"],
)
def test_a_dataset_written_into_a_query_is_all_the_store_reads(query: str) -> None:
    """The server's own queries over named graphs carry their dataset as FROM clauses."""
    store = ox.Store()
    for graph in ("urn:default", "urn:named", "urn:other"):
        store.add(
            ox.Quad(
                ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal(graph), ox.NamedNode(graph)
            )
        )
    result = store.query(with_dataset(query, ["urn:default"], ["urn:named"]))
    if isinstance(result, ox.QuerySolutions):
        seen = {(row["g"].value if row["g"] else None, row["o"].value) for row in result}
        assert seen == {(None, "urn:default"), ("urn:named", "urn:named")}
    else:
        assert {t.object.value for t in result} == {"urn:default", "urn:named"}
