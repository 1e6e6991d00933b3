"""Dereferenceable URIs: 303 from /id, content negotiation on /doc, caching, errors."""

from __future__ import annotations

import gzip
import json
import time

import httpx
import pytest
import rdflib

from publisher.config import Settings
from tests.conftest import ROOT
from tests.web.conftest import serving_fixture

WEGO = "https://w3id.org/lgdg/id/organization/wego"
RDFLIB = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}
SUFFIXES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nt": "application/n-triples",
    "html": "text/html",
}


def parse(response: httpx.Response) -> rdflib.Graph:
    media_type = response.headers["content-type"].split(";")[0]
    return rdflib.Graph().parse(data=response.content, format=RDFLIB[media_type])


def holds_wego(graph: rdflib.Graph) -> bool:
    wego = rdflib.URIRef(WEGO)
    label = rdflib.Literal("World Smart Sustainable Cities Organization", lang="en")
    return (wego, rdflib.RDFS.label, label) in graph and (wego, rdflib.RDF.type, None) in graph


def test_id_redirects_303_to_the_document(client):
    response = client.get("/id/organization/wego")
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/organization/wego"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples", "application/n-triples"),
        ("text/html", "text/html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.1", "application/rdf+xml"),
        ("text/*", "text/turtle"),
        ("application/*;q=0.2, text/html;q=0.1", "application/ld+json"),
    ],
)
def test_document_negotiates_the_format(client, accept, media_type):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/doc/organization/wego", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert "charset=utf-8" in response.headers["content-type"]
    assert "Accept" in response.headers["vary"]
    extension = next(k for k, v in SUFFIXES.items() if v == media_type)
    assert response.headers["content-location"] == f"/doc/organization/wego.{extension}"
    if media_type in RDFLIB:
        assert holds_wego(parse(response))
    else:
        assert "World Smart Sustainable Cities Organization" in response.text


@pytest.mark.parametrize(("suffix", "media_type"), SUFFIXES.items())
def test_suffix_picks_the_format_whatever_the_accept_header(client, suffix, media_type):
    response = client.get(
        f"/doc/organization/wego.{suffix}", headers={"Accept": "text/turtle;q=0.1"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    if media_type in RDFLIB:
        assert holds_wego(parse(response))


def test_jsonld_has_a_compact_context(client):
    document = client.get("/doc/organization/wego.jsonld").json()
    assert document["@context"]["org"] == "http://www.w3.org/ns/org#"
    assert "rdfs:label" in json.dumps(document)


def test_document_holds_incoming_links_and_nary_nodes(client):
    graph = parse(client.get("/doc/organization/wego.ttl"))
    wego = rdflib.URIRef(WEGO)
    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    members = set(graph.subjects(org.organization, wego))
    assert len(members) >= 5  # memberships point at WeGO
    for membership in members:
        member = graph.value(membership, org.member)
        assert member is not None and graph.value(member, rdflib.RDFS.label) is not None
    posts = set(graph.subjects(org.postIn, wego))
    holders = {graph.value(p, org.heldBy) for p in posts}
    assert rdflib.URIRef("https://w3id.org/lgdg/id/person/jeong-kee-kim") in holders


def test_alternate_links_name_every_other_format(client):
    response = client.get("/doc/organization/wego.ttl")
    link = response.headers["link"]
    for extension, media_type in SUFFIXES.items():
        if extension != "ttl":
            assert (
                f'</doc/organization/wego.{extension}>; rel="alternate"; type="{media_type}"'
                in link
            )


def test_nothing_acceptable_is_406_naming_the_offers(client):
    response = client.get("/doc/organization/wego", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.json()["error"]


def test_unknown_resource_is_404_not_an_empty_200(client):
    for path in ("/id/organization/no-such-thing", "/doc/organization/no-such-thing"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {
            "status": 404,
            "error": "no resource /id/organization/no-such-thing in this dataset",
        }


@pytest.mark.parametrize(
    "path",
    [
        "/id/city/%20",
        "/doc/city/x%22",
        "/doc/city/%3C",
        "/doc/city/seoul%0a",
        "/doc/city/a%7Cb",
        "/id/organization/wego%20x",
        "/doc/city/100%25.ttl",
    ],
)
def test_a_path_no_iri_can_have_is_404_and_the_server_keeps_answering(client, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"status", "error"} and body["status"] == 404
    assert "cannot name a resource" in body["error"]
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert client.get("/doc/organization/wego.ttl").status_code == 200


def test_head_answers_like_get_without_a_body(client):
    head = client.head("/doc/organization/wego.ttl")
    get = client.get("/doc/organization/wego.ttl")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-type"] == get.headers["content-type"]


def test_conditional_requests_answer_304(client):
    first = client.get("/doc/organization/wego.ttl")
    assert first.headers["cache-control"].startswith("public")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert (
        client.get("/doc/organization/wego.ttl", headers={"If-None-Match": etag}).status_code == 304
    )
    assert (
        client.get(
            "/doc/organization/wego.ttl", headers={"If-Modified-Since": modified}
        ).status_code
        == 304
    )
    other = client.get("/doc/organization/wego.nt")
    assert other.headers["etag"] != etag


def test_large_documents_are_gzipped(client):
    response = client.get("/doc/organization/wego.ttl", headers={"Accept-Encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"
    raw = httpx.get(
        str(client.base_url) + "/doc/organization/wego.ttl", headers={"Accept-Encoding": "gzip"}
    )
    assert raw.status_code == 200


@pytest.mark.parametrize(
    "path", ["/doc/organization/wego.ttl", "/doc/organization/wego.html", "/def"]
)
def test_gzip_and_identity_answers_have_their_own_etags(client, path):
    gzip, identity = {"Accept-Encoding": "gzip"}, {"Accept-Encoding": "identity"}
    coded = client.get(path, headers=gzip)
    again = client.get(path, headers=gzip)  # the replayed response
    plain = client.get(path, headers=identity)
    assert coded.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert coded.headers["etag"] != plain.headers["etag"]
    assert again.headers["etag"] == coded.headers["etag"]
    for tag, headers in ((coded.headers["etag"], gzip), (plain.headers["etag"], identity)):
        revalidated = client.get(path, headers={**headers, "If-None-Match": tag})
        assert revalidated.status_code == 304
        assert revalidated.headers["etag"] == tag
    # A client taking no gzip cannot use a gzip copy: it gets the identity representation.
    fresh = client.get(path, headers={**identity, "If-None-Match": coded.headers["etag"]})
    assert fresh.status_code == 200 and fresh.headers["etag"] == plain.headers["etag"]


def test_a_mirror_host_maps_paths_to_the_canonical_iris(client):
    response = client.get("/doc/organization/wego.ttl", headers={"Host": "mirror.example.org"})
    assert holds_wego(parse(response))


TOMBSTONES = """
@prefix lgdg: <https://w3id.org/lgdg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://w3id.org/lgdg/graph/source/s> {
  <https://w3id.org/lgdg/id/city/zürich> a <https://schema.org/City> ; rdfs:label "Zürich"@de .
  <https://w3id.org/lgdg/id/city/bern> a <https://schema.org/City> ; rdfs:label "Bern"@en .
}
<https://w3id.org/lgdg/graph/tombstones> {
  <https://w3id.org/lgdg/id/city/old-bern> a lgdg:Tombstone ; rdfs:label "Old Bern"@en ;
      dcterms:isReplacedBy <https://w3id.org/lgdg/id/city/bern> .
  <https://w3id.org/lgdg/id/city/atlantis> a lgdg:Tombstone ; rdfs:label "Atlantis"@en .
}
"""


@pytest.fixture(scope="module")
def fixture_server(tmp_path_factory):
    settings = Settings.load(ROOT, {})
    with serving_fixture(tmp_path_factory.mktemp("fixture"), TOMBSTONES, settings) as base:
        yield base


def test_removed_entity_is_410_gone(fixture_server):
    for path in ("/id/city/atlantis", "/doc/city/atlantis"):
        response = httpx.get(fixture_server + path, headers={"Accept": "text/html"})
        assert response.status_code == 410
        assert "removed" in response.text


def test_the_sitemap_lists_entity_pages_not_removed_or_merged_ones(fixture_server):
    sitemap = httpx.get(fixture_server + "/sitemap.xml").text
    assert f"{fixture_server}/doc/city/bern<" in sitemap
    assert "/doc/city/atlantis" not in sitemap and "/doc/city/old-bern" not in sitemap


def test_merged_entity_redirects_permanently_to_its_successor(fixture_server):
    response = httpx.get(fixture_server + "/id/city/old-bern")
    assert response.status_code == 301
    assert response.headers["location"] == "/id/city/bern"
    response = httpx.get(fixture_server + "/doc/city/old-bern")
    assert response.status_code == 301
    assert response.headers["location"] == "/doc/city/bern"


def test_non_ascii_iris_survive_the_303_percent_encoded(fixture_server):
    response = httpx.get(fixture_server + "/id/city/z%C3%BCrich")
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/city/z%C3%BCrich"
    document = httpx.get(fixture_server + response.headers["location"] + ".ttl")
    graph = rdflib.Graph().parse(data=document.text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/lgdg/id/city/zürich"), None, None) in graph


def test_gzip_dump_is_not_double_compressed(client):
    response = client.get("/dumps/lgdg.nt.gz")
    assert response.status_code == 200
    assert b"<https://w3id.org/lgdg/id/" in gzip.decompress(response.content)


def test_a_running_server_follows_a_new_release(project, capsys):
    from publisher.web.app import create_app
    from publisher.web.reload import CHECK_EVERY_S
    from tests.web.conftest import running

    with running(create_app(project.settings)) as base:
        before = httpx.get(base + "/healthz").json()["release"]
        code, summary = project.build(capsys)
        assert code == 0
        deadline = time.monotonic() + 10 * CHECK_EVERY_S + 5
        while httpx.get(base + "/healthz").json()["release"] == before:
            assert time.monotonic() < deadline, "the server kept serving the old release"
            time.sleep(0.2)
        assert httpx.get(base + "/healthz").json()["release"] == summary["version"]
        assert httpx.get(base + "/doc/organization/wego.ttl").status_code == 200


def test_default_graph_is_a_set_even_when_sources_repeat_a_triple(client):
    role = "<https://w3id.org/lgdg/id/role/secretary-general>"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {role} a <http://www.w3.org/ns/org#Role> }}"
    graphs = f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ {role} a ?t }} }}"
    accept = {"Accept": "application/sparql-results+json"}

    def count(text: str) -> int:
        answer = client.get("/sparql", params={"query": text}, headers=accept).json()
        return int(answer["results"]["bindings"][0]["n"]["value"])

    assert count(graphs) == 5  # every source document names the role
    assert count(query) == 1
