"""/sparql over the real release: request forms, formats, refusals, limits, the query page."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import rdflib

from publisher.sparql import inspect_query
from publisher.store import EmbeddedStore
from publisher.web.app import create_app
from tests.conftest import Project
from tests.web.conftest import running

PEOPLE = """PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT DISTINCT ?person ?name WHERE { ?person a foaf:Person ; foaf:name ?name } ORDER BY ?name"""
WEGO = "https://w3id.org/lgdg/id/organization/wego"
DESCRIBE_WEGO = f"CONSTRUCT {{ <{WEGO}> ?p ?o }} WHERE {{ <{WEGO}> ?p ?o }}"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def sparql(client: httpx.Client, query: str, **params: str) -> httpx.Response:
    return client.get("/sparql", params={"query": query, **params})


# -- request forms -----------------------------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_rows(client):
    by_get = sparql(client, PEOPLE).json()
    by_form = client.post("/sparql", data={"query": PEOPLE}).json()
    by_body = client.post(
        "/sparql", content=PEOPLE, headers={"Content-Type": "application/sparql-query"}
    ).json()
    assert by_get == by_form == by_body
    names = [row["name"]["value"] for row in by_get["results"]["bindings"]]
    assert len(names) > 10 and "Jeong Kee Kim" in names


def test_default_graph_is_the_union_and_graph_parameters_restrict_it(client):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def total(**params: str | list[str]) -> int:
        response = client.get("/sparql", params={"query": count, **params})
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    ontology = "https://w3id.org/lgdg/graph/ontology"
    everything, only_ontology = total(), total(**{"default-graph-uri": ontology})
    assert everything > only_ontology > 100
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = client.get("/sparql", params={"query": graphs, "named-graph-uri": ontology}).json()
    assert [b["g"]["value"] for b in named["results"]["bindings"]] == [ontology]


def test_from_in_the_query_is_honoured(client):
    query = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/lgdg/graph/ontology> WHERE { ?s ?p ?o }"
    from_count = int(sparql(client, query).json()["results"]["bindings"][0]["n"]["value"])
    everything = sparql(client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").json()
    assert from_count < int(everything["results"]["bindings"][0]["n"]["value"])


def test_relative_iris_resolve_against_the_canonical_base(client):
    query = "ASK { <id/organization/wego> a ?type }"
    assert sparql(client, query).json()["boolean"] is True


def test_invalid_graph_parameter_is_400(client):
    response = client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400 and "absolute IRI" in response.text


def test_post_without_query_is_400(client):
    response = client.post("/sparql", data={"default-graph-uri": WEGO})
    assert response.status_code == 400 and "no query" in response.text


# -- result formats ----------------------------------------------------------------------------


def read_rows(response: httpx.Response) -> int:
    """How many solutions a SELECT answer holds, whatever its format."""
    kind = response.headers["content-type"].split(";")[0]
    if kind == "application/sparql-results+json":
        return len(response.json()["results"]["bindings"])
    if kind == "application/sparql-results+xml":
        return len(ET.fromstring(response.content).findall(f"{SRX}results/{SRX}result"))
    if kind == "text/csv":
        return len(list(csv.reader(io.StringIO(response.text)))) - 1
    if kind == "text/tab-separated-values":
        return len(response.text.strip().splitlines()) - 1
    if kind == "text/html":
        return response.text.count("<tr>") - 1
    raise AssertionError(kind)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
        ("text/turtle", "application/sparql-results+json"),  # RDF for a SELECT: disregarded
    ],
)
def test_select_results_negotiate_by_accept(client, accept, media_type):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": PEOPLE}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in response.headers["vary"]
    assert read_rows(response) == len(sparql(client, PEOPLE).json()["results"]["bindings"])


@pytest.mark.parametrize(
    ("value", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("text/csv", "text/csv"),
        ("html", "text/html"),
    ],
)
def test_select_results_by_format_parameter(client, value, media_type):
    response = client.get(
        "/sparql", params={"query": PEOPLE, "format": value}, headers={"Accept": "text/turtle"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert read_rows(response) > 10


@pytest.mark.parametrize(
    ("accept", "value", "media_type", "rdflib_format"),
    [
        (None, None, "text/turtle", "turtle"),
        ("*/*", None, "text/turtle", "turtle"),
        ("text/turtle", None, "text/turtle", "turtle"),
        ("application/n-triples", None, "application/n-triples", "nt"),
        ("application/ld+json", None, "application/ld+json", "json-ld"),
        ("application/rdf+xml", None, "application/rdf+xml", "xml"),
        ("application/sparql-results+json", None, "text/turtle", "turtle"),
        (None, "ttl", "text/turtle", "turtle"),
        (None, "turtle", "text/turtle", "turtle"),
        (None, "nt", "application/n-triples", "nt"),
        (None, "json-ld", "application/ld+json", "json-ld"),
        (None, "rdf+xml", "application/rdf+xml", "xml"),
        (None, "xml", "application/rdf+xml", "xml"),
    ],
)
def test_graph_results_by_accept_and_format(client, accept, value, media_type, rdflib_format):
    params = {"query": DESCRIBE_WEGO, **({"format": value} if value else {})}
    response = client.get("/sparql", params=params, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert (
        rdflib.URIRef(WEGO),
        rdflib.RDF.type,
        rdflib.URIRef("http://www.w3.org/ns/org#Organization"),
    ) in graph


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values"])
def test_ask_answers_in_csv_and_tsv_too(client, accept):
    response = client.get(
        "/sparql", params={"query": f"ASK {{ <{WEGO}> ?p ?o }}"}, headers={"Accept": accept}
    )
    assert response.status_code == 200 and response.text.strip() == "true"


def test_unknown_format_is_400_and_unacceptable_accept_is_406(client):
    response = sparql(client, PEOPLE, format="exe")
    assert response.status_code == 400 and "unknown format 'exe'" in response.text
    response = client.get("/sparql", params={"query": PEOPLE}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    response = client.get("/sparql", params={"query": PEOPLE}, headers={"Accept": "text/csv;q=x"})
    assert response.status_code == 400


# -- errors and refusals -----------------------------------------------------------------------


def test_malformed_query_is_400_with_the_parser_message(client):
    response = sparql(client, "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTR(?o)\n}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert "line 3, column 3" in response.text and "FILTR" in response.text
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("query", "line"),
    [
        ("SELECT (COUNT(*) AS ?n) (COUNT(*) AS ?n) {}", 1),
        ("SELECT * { \\u0053ERVICE <http://x/> {} }", 1),
        ("PREFIX ex: <http://x/>\nSELECT (COUNT(*) AS ?n)\n  (COUNT(*) AS ?n) {}", 3),
    ],
)
def test_a_syntax_error_is_pointed_at_in_the_query_as_sent(built: Project, query, line):
    """Errors only the embedded store's parser finds (rdflib's takes these queries)."""
    app = create_app(built.settings, store=EmbeddedStore(built.current, workers=1))
    with running(app) as base:
        response = httpx.get(base + "/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 400
    heading, shown, pointer = response.text.splitlines()[:3]
    found = re.match(r"syntax error at line (\d+), column (\d+): ", heading)
    assert found and int(found.group(1)) == line, heading
    assert shown == query.splitlines()[line - 1]
    assert pointer == " " * (int(found.group(2)) - 1) + "^"


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("GET", {"params": {"update": "CLEAR ALL"}}),
        ("GET", {"params": {"query": "DROP ALL"}}),
        ("POST", {"data": {"update": "INSERT DATA { <a> <b> <c> }"}}),
        ("POST", {"data": {"query": "DELETE WHERE { ?s ?p ?o }"}}),
        ("POST", {"data": {"query": "ASK {}", "update": "CLEAR ALL"}}),
        (
            "POST",
            {"content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}},
        ),
        (
            "POST",
            {
                "content": "PREFIX ex: <http://e/> WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                "headers": {"Content-Type": "application/sparql-query"},
            },
        ),
    ],
)
def test_updates_are_refused_whatever_way_they_arrive(client, method, kwargs):
    response = client.request(method, "/sparql", **kwargs)
    assert response.status_code == 403
    assert "read-only" in response.text
    assert sparql(client, f"ASK {{ <{WEGO}> ?p ?o }}").json()["boolean"] is True


@pytest.mark.parametrize(
    "kwargs",
    [
        {"params": {"query": "LOAD <http://127.0.0.1:9/data.ttl>"}},
        {"data": {"update": "LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <urn:g>"}},
        {
            "content": "LOAD SILENT <http://127.0.0.1:9/data.ttl>",
            "headers": {"Content-Type": "application/sparql-update"},
        },
    ],
)
def test_load_is_refused(client, kwargs):
    response = client.request("POST" if "params" not in kwargs else "GET", "/sparql", **kwargs)
    assert response.status_code == 403
    assert "LOAD is refused" in response.text


POPULATION = {
    "head": {"vars": ["population"]},
    "results": {"bindings": [{"population": {"type": "literal", "value": "42"}}]},
}


class Listener:
    """A loopback HTTP server that answers like a SPARQL endpoint and records every call."""

    def __init__(self, document: dict[str, object] | None = None) -> None:
        import http.server

        calls = self.calls = []
        body = json.dumps(document or POPULATION).encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.answer(urlsplit(self.path).query)

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if self.headers.get("Content-Type", "").startswith("application/sparql-query"):
                    body = urlencode({"query": body})
                self.answer(body)

            def answer(self, form: str) -> None:
                calls.append(parse_qs(form).get("query", [""])[0])
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    spy = Listener()
    yield spy
    spy.close()


SERVICE_FORMS = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service<{url}>{{ ?s ?p ?o }} }}",
    "PREFIX remote: <{base}> SELECT * WHERE {{ SERVICE remote:sparql {{ ?s ?p ?o }} }}",
    "BASE <{base}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    "ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {{ SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * {{ ?s ?p ?o . SERVICE ?endpoint {{ ?s ?p ?o }} VALUES ?endpoint {{ <{url}> }} }}",
]


@pytest.mark.parametrize("form", SERVICE_FORMS)
@pytest.mark.parametrize("method", ["GET", "POST form", "POST direct"])
def test_service_off_the_allow_list_is_refused_without_any_request(client, listener, form, method):
    query = form.format(url=listener.url, base=listener.url.removesuffix("sparql"))
    if method == "GET":
        response = client.get("/sparql", params={"query": query})
    elif method == "POST form":
        response = client.post("/sparql", data={"query": query})
    else:
        headers = {"Content-Type": "application/sparql-query"}
        response = client.post("/sparql", content=query, headers=headers)
    assert response.status_code == 403
    assert "SERVICE" in response.text and "allow" in response.text
    if "?endpoint" not in query:
        assert listener.url in response.text
    time.sleep(0.2)
    assert listener.calls == []
    assert sparql(client, "ASK {}").json()["boolean"] is True


def test_allow_listed_service_is_called(built: Project, listener):
    settings = built.settings.replace(sparql_allowed_services=(listener.url,))
    app = create_app(settings, store=EmbeddedStore(built.current, workers=1))
    query = (
        "SELECT ?name ?population WHERE { <https://w3id.org/lgdg/id/city/seoul> "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?name FILTER(LANG(?name) = 'en') "
        f"SERVICE <{listener.url}> {{ ?item <http://www.wikidata.org/prop/direct/P1082> "
        "?population } }"
    )
    with running(app) as base:
        response = httpx.get(base + "/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 200, response.text
    [row] = response.json()["results"]["bindings"]
    assert row["name"]["value"] == "Seoul" and row["population"]["value"] == "42"
    assert len(listener.calls) == 1


# -- CORS, service description, query page ---------------------------------------------------


def linked_item(project: Project, entity: str) -> str:
    """The Wikidata item data/wikidata.csv links ``entity`` (``city/seoul``) to."""
    with (project.root / "data" / "wikidata.csv").open(encoding="utf-8") as table:
        [qid] = [row["qid"] for row in csv.DictReader(table) if row["entity"] == entity]
    return f"http://www.wikidata.org/entity/{qid}"


def test_federated_example_asks_wikidata_for_the_linked_cities(built: Project, client):
    query = examples(client)["Cities and their population (federated with Wikidata)"]
    seoul = linked_item(built, "city/seoul")
    answer = {
        "head": {"vars": ["item", "population"]},
        "results": {
            "bindings": [
                {
                    "item": {"type": "uri", "value": seoul},
                    "population": {"type": "literal", "value": "9668465"},
                },
                {  # an item no city of the dataset is linked to joins nothing
                    "item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q90"},
                    "population": {"type": "literal", "value": "2102650"},
                },
            ]
        },
    }
    wikidata = Listener(answer)
    try:
        settings = built.settings.replace(sparql_allowed_services=(wikidata.url,))
        app = create_app(settings, store=EmbeddedStore(built.current, workers=1))
        local = query.replace("https://query.wikidata.org/sparql", wikidata.url)
        with running(app) as base:
            response, again = (
                httpx.get(base + "/sparql", params={"query": local}, timeout=30) for _ in range(2)
            )
    finally:
        wikidata.close()
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    assert [(r["name"]["value"], r["population"]["value"]) for r in rows] == [("Seoul", "9668465")]
    assert again.content == response.content
    sent, sent_again = wikidata.calls  # one request each time: answers of others are not cached
    assert sent == sent_again
    assert f"<{seoul}>" in sent and "<http://www.wikidata.org/prop/direct/P1082>" in sent


def test_cors_preflight_and_simple_requests(client):
    preflight = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, accept",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert "content-type" in allowed and "accept" in allowed
    response = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"}
    )
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [(None, "turtle"), ("text/turtle", "turtle"), ("application/ld+json", "json-ld")],
)
def test_get_without_query_is_the_service_description(client, server, accept, rdflib_format):
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = rdflib.URIRef(server + "/sparql")
    assert (endpoint, rdflib.RDF.type, sd.Service) in graph
    assert (endpoint, sd.endpoint, endpoint) in graph
    assert (endpoint, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert len(set(graph.objects(endpoint, sd.resultFormat))) == 8
    dataset = graph.value(endpoint, sd.defaultDataset)
    assert dataset == rdflib.URIRef("https://w3id.org/lgdg/dataset")
    assert (dataset, rdflib.RDF.type, rdflib.namespace.VOID.Dataset) in graph
    names = {graph.value(g, sd.name) for g in graph.objects(dataset, sd.namedGraph)}
    assert rdflib.URIRef("https://w3id.org/lgdg/graph/ontology") in names
    assert any("graph/source/" in str(n) for n in names)


def test_browsers_get_the_query_page_with_prefixes_and_examples(client):
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<textarea id="query" name="query"' in page.text
    assert "PREFIX lgdg: &lt;https://w3id.org/lgdg/def#&gt;" in page.text
    titles = re.findall(r'class="example" href="[^"]+">([^<]+)</a>', page.text)
    assert len(titles) == 4 and any("Wikidata" in t for t in titles)


def examples(client: httpx.Client) -> dict[str, str]:
    page = client.get("/sparql", headers={"Accept": "text/html"}).text
    found = re.findall(r'class="example" href="([^"]+)">([^<]+)</a>', page)
    return {unescape(t): parse_qs(urlsplit(unescape(h)).query)["query"][0] for h, t in found}


def test_example_queries_answer_from_the_data(client):
    for title, query in examples(client).items():
        if "Wikidata" in title:
            info = inspect_query(query, ("https://query.wikidata.org/sparql",), "http://x/sparql")
            assert info.services == ("https://query.wikidata.org/sparql",)
            continue  # the tests run offline; the federated example is checked, not run
        rows = sparql(client, query).json()["results"]["bindings"]
        assert len(rows) >= 2, title


def test_query_page_shows_results_table_and_download_links(client):
    query = examples(client)["Members of WeGO"]
    page = client.get("/sparql", params={"query": query}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert '<table class="results">' in page.text
    assert "City of Rabat" in page.text
    assert 'href="/id/organization/city-of-rabat"' in page.text
    links = dict(re.findall(r'<a href="(/sparql\?[^"]+)">(JSON|CSV|TSV|XML)</a>', page.text))
    assert set(links.values()) == {"JSON", "CSV", "TSV", "XML"}
    for href, label in links.items():
        download = client.get(unescape(href))
        assert download.status_code == 200, label
        assert read_rows(download) >= 2
    graph_page = sparql(client, DESCRIBE_WEGO, format="html")
    assert ">Turtle</a>" in graph_page.text and ">N-Triples</a>" in graph_page.text
    assert "subject" in graph_page.text


def test_query_page_shows_errors_with_their_status(client):
    page = client.get(
        "/sparql", params={"query": "SELECT <b>bold</b>"}, headers={"Accept": "text/html"}
    )
    assert page.status_code == 400
    assert "The query was not run" in page.text
    assert "<b>bold</b>" not in page.text and "&lt;b&gt;bold&lt;/b&gt;" in page.text


def test_real_clients_sparqlwrapper(server):
    from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

    wrapper = SPARQLWrapper(server + "/sparql")
    wrapper.setQuery(PEOPLE)
    wrapper.setReturnFormat(JSON)
    rows = wrapper.query().convert()["results"]["bindings"]
    assert any(row["name"]["value"] == "Jeong Kee Kim" for row in rows)
    wrapper.setMethod(POST)
    assert wrapper.query().convert()["results"]["bindings"] == rows
    wrapper.setQuery(DESCRIBE_WEGO)
    wrapper.setReturnFormat(TURTLE)
    turtle = wrapper.query().convert()
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    assert (rdflib.URIRef(WEGO), None, None) in graph and len(graph) > 5


def test_real_clients_rdflib_sparqlstore(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(SPARQLStore(server + "/sparql"))
    names = {str(row.name) for row in graph.query(PEOPLE)}
    assert "Jeong Kee Kim" in names
    constructed = graph.query(DESCRIBE_WEGO).graph
    assert constructed is not None and (rdflib.URIRef(WEGO), None, None) in constructed
    assert bool(graph.query(f"ASK {{ <{WEGO}> ?p ?o }}").askAnswer) is True


def test_real_clients_curl(server):
    import shutil
    import subprocess

    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    out = subprocess.run(
        [
            curl,
            "-sf",
            "-H",
            "Accept: text/csv",
            "--data-urlencode",
            f"query={PEOPLE}",
            server + "/sparql",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert out.splitlines()[0].strip() == "person,name" and "Jeong Kee Kim" in out
    turtle = subprocess.run(
        [curl, "-sf", "-G", "--data-urlencode", f"query={DESCRIBE_WEGO}", server + "/sparql"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert (rdflib.URIRef(WEGO), None, None) in rdflib.Graph().parse(data=turtle, format="turtle")


def test_blank_nodes_of_the_store_come_through_in_the_answer(client):
    query = (
        "SELECT ?partition ?class WHERE { ?dataset <http://rdfs.org/ns/void#classPartition> "
        "?partition . ?partition <http://rdfs.org/ns/void#class> ?class }"
    )
    answer = client.get("/sparql", params={"query": query, "format": "json"})
    assert answer.status_code == 200, answer.text
    rows = answer.json()["results"]["bindings"]
    assert len(rows) > 10
    assert {row["partition"]["type"] for row in rows} == {"bnode"}
    # one partition per class, each its own blank node
    assert len({row["partition"]["value"] for row in rows}) == len(rows)
