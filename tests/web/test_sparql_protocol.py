"""The W3C SPARQL 1.1 Protocol test suite (w3c/rdf-tests, sparql/sparql11/protocol/manifest.ttl).

Each test is named after its manifest entry and sends the request the entry describes, to a real
server over /work/shared/conformance/protocol-dataset.trig (the graphs data1.rdf … data3.rdf).
The manifest's ``/sparql/`` path is the endpoint under test, here ``/sparql``.

The service is read-only, so the seven entries that expect an update to succeed
(update_dataset_default_graph, update_dataset_default_graphs, update_dataset_named_graphs,
update_dataset_full, update_post_form, update_post_direct, update_base_uri) do not apply as
written: each is sent as described and must be refused with 403, leaving the data unchanged.
The part of update_base_uri that does apply to queries (relative IRIs resolve against a
service-defined base, which may be the endpoint) is checked with a query.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib

from publisher.config import Settings
from publisher.store import EmbeddedStore
from publisher.web.app import create_app
from tests.conftest import ROOT
from tests.web.conftest import make_release, running

DATASET = Path("/work/shared/conformance/protocol-dataset.trig")
if not DATASET.is_file():
    DATASET = ROOT.parent / "shared" / "conformance" / "protocol-dataset.trig"
KASEI = "http%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata"
DATA = "http://kasei.us/2009/09/sparql/data/data"
BOOLEAN_TYPES = ("application/sparql-results+xml", "application/sparql-results+json")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
SPARQL_UPDATE = {"Content-Type": "application/sparql-update"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    release = make_release(tmp_path_factory.mktemp("protocol"), DATASET.read_text("utf-8"))
    settings = Settings.load(ROOT, {})
    app = create_app(settings, store=EmbeddedStore(release, workers=2))
    with running(app) as base:
        yield base + "/sparql"


def send(
    endpoint: str,
    method: str,
    query_string: str = "",
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    url = endpoint + ("?" + query_string if query_string else "")
    content = body.encode("utf-8") if isinstance(body, str) else body
    return httpx.request(method, url, content=content, headers=headers or {}, timeout=30)


def media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip()


def boolean_of(response: httpx.Response) -> bool:
    """The boolean of an ASK answer, in whichever format the server chose."""
    assert 200 <= response.status_code < 400, response.text
    kind = media_type(response)
    assert kind in BOOLEAN_TYPES, kind
    if kind.endswith("json"):
        return bool(json.loads(response.content)["boolean"])
    root = ET.fromstring(response.content)
    element = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert element is not None
    return element.text == "true"


def ask(endpoint: str, query: str) -> bool:
    return boolean_of(send(endpoint, "POST", body=query, headers=SPARQL_QUERY))


def data_is_intact(endpoint: str) -> bool:
    """Each of the three graphs still holds its triple."""
    return all(
        ask(endpoint, f"ASK {{ GRAPH <{DATA}{n}.rdf> {{ <{DATA}{n}.rdf> a ?t }} }}")
        for n in (1, 2, 3)
    )


# -- query operation -------------------------------------------------------------------------


def test_query_post_form(endpoint):
    response = send(endpoint, "POST", f"default-graph-uri={KASEI}0.rdf", "query=ASK%20%7B%7D", FORM)
    assert boolean_of(response) is True


def test_query_dataset_default_graphs_get(endpoint):
    query = (
        "query=ASK%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata1.rdf%3E"
        "%20a%20%3Ftype%20.%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf"
        f"%3E%20a%20%3Ftype%20.%20%7D&default-graph-uri={KASEI}1.rdf&default-graph-uri={KASEI}2.rdf"
    )
    assert boolean_of(send(endpoint, "GET", query)) is True


def test_query_dataset_default_graphs_post(endpoint):
    body = f"ASK {{ <{DATA}1.rdf> a ?type . <{DATA}2.rdf> a ?type . }}"
    graphs = f"default-graph-uri={KASEI}1.rdf&default-graph-uri={KASEI}2.rdf"
    assert boolean_of(send(endpoint, "POST", graphs, body, SPARQL_QUERY)) is True


def test_query_dataset_named_graphs_post(endpoint):
    body = f"ASK {{ GRAPH ?g1 {{ <{DATA}1.rdf> a ?type }} GRAPH ?g2 {{ <{DATA}2.rdf> a ?type }} }}"
    graphs = f"named-graph-uri={KASEI}1.rdf&named-graph-uri={KASEI}2.rdf"
    assert boolean_of(send(endpoint, "POST", graphs, body, SPARQL_QUERY)) is True


def test_query_dataset_named_graphs_get(endpoint):
    query = (
        "query=ASK%20%7B%20GRAPH%20%3Fg1%20%7B%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql"
        "%2Fdata%2Fdata1.rdf%3E%20a%20%3Ftype%20%7D%20GRAPH%20%3Fg2%20%7B%20%3Chttp%3A%2F%2F"
        "kasei.us%2F2009%2F09%2Fsparql%2Fdata%2Fdata2.rdf%3E%20a%20%3Ftype%20%7D%20%7D"
        f"&named-graph-uri={KASEI}1.rdf&named-graph-uri={KASEI}2.rdf"
    )
    assert boolean_of(send(endpoint, "GET", query)) is True


def test_query_dataset_full(endpoint):
    body = (
        f"ASK {{\n  <{DATA}3.rdf> a ?type\n  GRAPH ?g1 {{ <{DATA}1.rdf> a ?type }}\n"
        f"  GRAPH ?g2 {{ <{DATA}2.rdf> a ?type }}\n}}"
    )
    graphs = (
        f"default-graph-uri={KASEI}3.rdf&named-graph-uri={KASEI}1.rdf&named-graph-uri={KASEI}2.rdf"
    )
    assert boolean_of(send(endpoint, "POST", graphs, body, SPARQL_QUERY)) is True


def test_query_multiple_dataset(endpoint):
    """The protocol's dataset wins over the query's FROM.

    The manifest's request line encodes the second parameter's ``&`` and ``=`` (``%26``,
    ``%3D``), which makes one named-graph-uri whose IRI no graph has, and then the expected
    ``true`` is impossible for any server; the test is run as intended, with two parameters.
    """
    body = (
        f"ASK FROM <{DATA}3.rdf> {{ GRAPH ?g1 {{ <{DATA}1.rdf> a ?type }} "
        f"GRAPH ?g2 {{ <{DATA}2.rdf> a ?type }} }}"
    )
    graphs = f"named-graph-uri={KASEI}1.rdf&named-graph-uri={KASEI}2.rdf"
    assert boolean_of(send(endpoint, "POST", graphs, body, SPARQL_QUERY)) is True
    only_data3 = f"named-graph-uri={KASEI}3.rdf"
    assert boolean_of(send(endpoint, "POST", only_data3, body, SPARQL_QUERY)) is False


def test_query_get(endpoint):
    response = send(endpoint, "GET", f"query=ASK%20%7B%7D&default-graph-uri={KASEI}0.rdf")
    assert boolean_of(response) is True


def test_query_content_type_select(endpoint):
    response = send(
        endpoint, "POST", f"default-graph-uri={KASEI}0.rdf", "SELECT (1 AS ?value) {}", SPARQL_QUERY
    )
    assert response.status_code == 200
    assert media_type(response) in TABULAR_TYPES
    assert json.loads(response.content)["results"]["bindings"][0]["value"]["value"] == "1"


def test_query_content_type_ask(endpoint):
    response = send(endpoint, "POST", f"default-graph-uri={KASEI}0.rdf", "ASK {}", SPARQL_QUERY)
    assert response.status_code == 200
    assert media_type(response) in BOOLEAN_TYPES


@pytest.mark.parametrize(
    "query", ["DESCRIBE <http://example.org/>", "CONSTRUCT { <s> <p> 1 } WHERE {}"]
)
def test_query_content_type_describe_and_construct(endpoint, query):
    """query_content_type_describe and query_content_type_construct."""
    response = send(endpoint, "POST", f"default-graph-uri={KASEI}0.rdf", query, SPARQL_QUERY)
    assert response.status_code == 200
    kind = media_type(response)
    assert kind in RDF_TYPES
    graph = rdflib.Graph().parse(data=response.content, format=RDF_TYPES[kind])
    assert len(graph) == (1 if query.startswith("CONSTRUCT") else 0)


def test_query_post_direct(endpoint):
    assert boolean_of(send(endpoint, "POST", body="ASK {}", headers=SPARQL_QUERY)) is True


def test_bad_query_method(endpoint):
    response = send(
        endpoint, "PUT", f"query=ASK%20%7B%7D&default-graph-uri={KASEI}0.rdf", b"", FORM
    )
    assert response.status_code == 405


def test_bad_multiple_queries(endpoint):
    response = send(endpoint, "GET", "query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D")
    assert response.status_code == 400
    assert "one `query`" in response.text


def test_bad_query_wrong_media_type(endpoint):
    response = send(endpoint, "POST", body="ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_bad_query_missing_form_type(endpoint):
    assert send(endpoint, "POST", body="query=ASK%20%7B%7D").status_code == 415


def test_bad_query_missing_direct_type(endpoint):
    assert send(endpoint, "POST", body="ASK {}").status_code == 415


def test_bad_query_non_utf8(endpoint):
    body = "ASK {}".encode("utf-16")  # with its byte-order mark
    headers = {"Content-Type": "application/sparql-query; charset=UTF-16"}
    response = send(endpoint, "POST", body=body, headers=headers)
    assert response.status_code == 415
    assert "UTF-8" in response.text


def test_bad_query_syntax(endpoint):
    response = send(endpoint, "GET", "query=ASK%20%7B")
    assert response.status_code == 400
    assert "line 1, column 6" in response.text


# -- update operation: this service is read-only -----------------------------------------------


def test_bad_update_get(endpoint):
    assert send(endpoint, "GET", "update=CLEAR%20ALL").status_code == 403


def test_bad_multiple_updates(endpoint):
    body = "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT"
    assert send(endpoint, "POST", body=body, headers=FORM).status_code == 403
    assert data_is_intact(endpoint)


def test_bad_update_wrong_media_type(endpoint):
    response = send(endpoint, "POST", body="CLEAR NAMED", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_bad_update_missing_form_type(endpoint):
    assert send(endpoint, "POST", body="update=CLEAR%20NAMED").status_code == 415


def test_bad_update_non_utf8(endpoint):
    headers = {"Content-Type": "application/sparql-update; charset=UTF-16"}
    response = send(endpoint, "POST", body="CLEAR NAMED".encode("utf-16"), headers=headers)
    assert response.status_code == 403


def test_bad_update_syntax(endpoint):
    response = send(endpoint, "POST", body="update=CLEAR%20XYZ", headers=FORM)
    assert response.status_code == 403
    assert "read-only" in response.text


def test_bad_update_dataset_conflict(endpoint):
    body = (
        "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
        "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
        "WHERE {\n    ?person foaf:givenName 'Bill'\n}"
    )
    query_string = "using-named-graph-uri=http%3A%2F%2Fexample%2Fpeople"
    assert send(endpoint, "POST", query_string, body, SPARQL_UPDATE).status_code == 403


UPDATES = {
    "update_dataset_default_graph": (
        f"using-graph-uri={KASEI}1.rdf",
        "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
        f"CLEAR ALL ;\nINSERT DATA {{ GRAPH <{DATA}1.rdf> {{ <{DATA}1.rdf> a foaf:Document }} }} ;"
        "\nINSERT { GRAPH <http://example.org/protocol-update-dataset-test/> "
        "{ ?s a dc:BibliographicResource } }\nWHERE { ?s a foaf:Document }",
        "ASK { GRAPH <http://example.org/protocol-update-dataset-test/> { ?s ?p ?o } }",
    ),
    "update_dataset_default_graphs": (
        f"using-graph-uri={KASEI}1.rdf&using-graph-uri={KASEI}2.rdf",
        "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
        "DROP ALL ;\nINSERT { GRAPH <http://example.org/protocol-update-dataset-graphs-test/> "
        "{ ?s a dc:BibliographicResource } }\nWHERE { ?s a foaf:Document }",
        "ASK { GRAPH <http://example.org/protocol-update-dataset-graphs-test/> { ?s ?p ?o } }",
    ),
    "update_dataset_named_graphs": (
        f"using-named-graph-uri={KASEI}1.rdf&using-named-graph-uri={KASEI}2.rdf",
        "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
        "DROP ALL ;\nINSERT { GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/>"
        " { ?s a dc:BibliographicResource } }\nWHERE { GRAPH ?g { ?s a foaf:Document } }",
        "ASK { GRAPH <http://example.org/protocol-update-dataset-named-graphs-test/> "
        "{ ?s ?p ?o } }",
    ),
    "update_dataset_full": (
        f"using-graph-uri={KASEI}1.rdf&using-named-graph-uri={KASEI}2.rdf",
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nDROP ALL ;\n"
        "INSERT { GRAPH <http://example.org/protocol-update-dataset-full-test/> "
        "{ ?s <http://example.org/in> ?in } }\nWHERE { { GRAPH ?g { ?s a foaf:Document } "
        'BIND(?g AS ?in) } UNION { ?s a foaf:Document . BIND("default" AS ?in) } }',
        "ASK { GRAPH <http://example.org/protocol-update-dataset-full-test/> { ?s ?p ?o } }",
    ),
    "update_post_direct": ("", "CLEAR ALL", None),
    "update_base_uri": (
        "",
        "CLEAR GRAPH <http://example.org/protocol-base-test/> ;\nINSERT DATA { GRAPH "
        "<http://example.org/protocol-base-test/> { <http://example.org/s> "
        "<http://example.org/p> <test> } }",
        "ASK { GRAPH <http://example.org/protocol-base-test/> { ?s ?p ?o } }",
    ),
}


@pytest.mark.parametrize("name", sorted(UPDATES))
def test_update_is_refused_and_changes_nothing(endpoint, name):
    """The update entries that expect success, sent by direct POST: 403, data unchanged."""
    query_string, update, check = UPDATES[name]
    response = send(endpoint, "POST", query_string, update, SPARQL_UPDATE)
    assert response.status_code == 403
    assert "read-only" in response.text
    if check:
        assert ask(endpoint, check) is False
    assert data_is_intact(endpoint)


def test_update_post_form_is_refused(endpoint):
    """update_post_form: ``update=CLEAR+ALL`` form-encoded."""
    response = send(endpoint, "POST", body="update=CLEAR+ALL", headers=FORM)
    assert response.status_code == 403
    assert data_is_intact(endpoint)


def test_update_base_uri_applies_to_queries(endpoint):
    """update_base_uri, as a query: a relative IRI resolves against the endpoint, not to itself."""
    response = send(
        endpoint, "POST", body="SELECT ?o WHERE { BIND(<test> AS ?o) }", headers=SPARQL_QUERY
    )
    assert response.status_code == 200
    [row] = json.loads(response.content)["results"]["bindings"]
    assert row["o"]["type"] == "uri"
    assert row["o"]["value"] != "test" and row["o"]["value"].endswith("/test")
