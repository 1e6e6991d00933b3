"""The dataset a /sparql query runs on (protocol graphs, FROM, base) and how it answers graphs."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import rdflib

from publisher.config import Settings
from tests.conftest import ROOT
from tests.web.conftest import serving_fixture

G1, G2 = "http://example.org/g1", "http://example.org/g2"
TRIG = f"""
<http://example.org/s0> <http://example.org/p> "in the default graph" .
<{G1}> {{ <http://example.org/s1> <http://example.org/p> "in g1" . }}
<{G2}> {{ <http://example.org/s2> <http://example.org/p> "in g2" . }}
"""
# Every subject the query can see, marked with the named graph it was seen in ("-" if default).
SEEN = """SELECT ?s ?g WHERE {
  { ?s <http://example.org/p> ?o BIND("-" AS ?g) } UNION { GRAPH ?g { ?s ?p ?o } }
}"""


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings.load(ROOT, {})
    with serving_fixture(tmp_path_factory.mktemp("jobs"), TRIG, settings) as base:
        yield base + "/sparql"


def seen(endpoint: str, query: str = SEEN, **params: object) -> set[tuple[str, str]]:
    response = httpx.get(endpoint, params={"query": query, **params}, timeout=30)
    assert response.status_code == 200, response.text
    return {
        (row["s"]["value"].rsplit("/", 1)[-1], row["g"]["value"].rsplit("/", 1)[-1])
        for row in response.json()["results"]["bindings"]
    }


def test_without_dataset_the_default_graph_is_the_union_and_every_graph_is_named(endpoint):
    # The store's default graph holds every triple once; the named graphs stay reachable.
    assert seen(endpoint) >= {("s1", "-"), ("s2", "-"), ("s1", "g1"), ("s2", "g2")}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"default-graph-uri": [G1, G2]}, {("s1", "-"), ("s2", "-")}),
        ({"default-graph-uri": G1}, {("s1", "-")}),
        ({"named-graph-uri": G2}, {("s2", "g2")}),
        ({"default-graph-uri": G1, "named-graph-uri": G2}, {("s1", "-"), ("s2", "g2")}),
    ],
)
def test_protocol_graphs_are_the_whole_dataset(endpoint, params, expected):
    assert seen(endpoint, **params) == expected


def test_protocol_graphs_override_from_in_the_query(endpoint):
    query = SEEN.replace("WHERE", f"FROM <{G1}> FROM NAMED <{G1}> WHERE")
    assert seen(endpoint, query) == {("s1", "-"), ("s1", "g1")}
    assert seen(endpoint, query, **{"named-graph-uri": G2}) == {("s2", "g2")}


def test_relative_iris_resolve_against_the_endpoint_iri(endpoint):
    response = httpx.get(endpoint, params={"query": "SELECT (<x> AS ?iri) {}"}, timeout=30)
    [row] = response.json()["results"]["bindings"]
    assert row["iri"]["value"] == "https://w3id.org/lgdg/x"


def test_graph_answers_abbreviate_with_the_dataset_prefixes(endpoint):
    query = "CONSTRUCT { ?s <http://www.w3.org/2002/07/owl#sameAs> ?s } WHERE { ?s ?p ?o }"
    response = httpx.get(
        endpoint, params={"query": query}, headers={"Accept": "text/turtle"}, timeout=30
    )
    assert response.status_code == 200
    assert "@prefix owl: <http://www.w3.org/2002/07/owl#> ." in response.text
    assert "owl:sameAs" in response.text
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert len(graph) == 3
