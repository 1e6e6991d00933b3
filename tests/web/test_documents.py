"""The vocabulary, shapes, dataset description and dumps are served with their metadata."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from urllib.parse import quote

import httpx
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, VOID

from publisher.config import Settings
from publisher.formats import NTRIPLES
from publisher.store import EmbeddedStore
from publisher.web.routes.service import SITEMAP_URLS
from tests.conftest import ROOT, Project
from tests.web.conftest import serving_fixture

SITEMAP_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
ODD_IRIS = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/lgdg/graph/source/s> {
  <https://w3id.org/lgdg/id/city/zürich> a <https://schema.org/City> ; rdfs:label "Zürich"@de .
  <https://w3id.org/lgdg/id/city/a?b> a <https://schema.org/City> ; rdfs:label "A?B"@en .
  <https://w3id.org/lgdg/id/city/100%25> a <https://schema.org/City> ; rdfs:label "100%"@en .
  <https://w3id.org/lgdg/id/city/a&b'c> a <https://schema.org/City> ; rdfs:label "A&B'C"@en .
}
"""


@pytest.mark.parametrize("path", ["/def", "/shapes", "/dataset", "/.well-known/void"])
@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_release_documents_negotiate_rdf(client, path, accept, rdflib_format):
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert len(graph) > 10


def test_vocabulary_is_served_as_turtle_and_documented_in_html(client):
    graph = rdflib.Graph().parse(data=client.get("/def.ttl").text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/lgdg/def"), RDF.type, OWL.Ontology) in graph
    page = client.get("/def", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'id="CityNetwork"' in page.text
    french = client.get("/def", headers={"Accept": "text/html", "Accept-Language": "fr"})
    assert "Réseau de villes" in french.text or "réseau de villes" in french.text.lower()


def test_dataset_description_is_void_and_dcat(client):
    graph = rdflib.Graph().parse(data=client.get("/.well-known/void").text, format="turtle")
    dataset = rdflib.URIRef("https://w3id.org/lgdg/dataset")
    assert (dataset, RDF.type, VOID.Dataset) in graph
    assert int(graph.value(dataset, VOID.triples)) > 1000


def test_dump_index_lists_sizes_and_checksums(client, built: Project):
    index = client.get("/dumps/", headers={"Accept": "application/json"}).json()
    files = {f["name"]: f for f in index["files"]}
    assert {"lgdg.ttl.gz", "lgdg.nt.gz", "lgdg.nq.gz", "SHA256SUMS"} <= set(files)
    body = client.get("/dumps/lgdg.ttl.gz").content
    assert files["lgdg.ttl.gz"]["bytes"] == len(body)
    assert files["lgdg.ttl.gz"]["sha256"] == hashlib.sha256(body).hexdigest()
    page = client.get("/dumps/", headers={"Accept": "text/html"})
    assert "lgdg.nq.gz" in page.text and files["lgdg.nq.gz"]["sha256"] in page.text


def test_dump_download_supports_ranges_and_304(client):
    whole = client.get("/dumps/lgdg.nq.gz")
    assert whole.headers["content-type"] == "application/gzip"
    part = client.get("/dumps/lgdg.nq.gz", headers={"Range": "bytes=10-29"})
    assert part.status_code == 206
    assert part.content == whole.content[10:30]
    assert part.headers["content-range"] == f"bytes 10-29/{len(whole.content)}"
    again = client.get("/dumps/lgdg.nq.gz", headers={"If-None-Match": whole.headers["etag"]})
    assert again.status_code == 304
    since = client.get(
        "/dumps/lgdg.nq.gz", headers={"If-Modified-Since": whole.headers["last-modified"]}
    )
    assert since.status_code == 304


def test_health_metrics_robots_and_sitemap(server):
    health = httpx.get(server + "/healthz").json()
    assert health["status"] == "ok" and health["release"]
    httpx.get(server + "/doc/organization/wego.ttl")
    metrics = httpx.get(server + "/metrics").text
    assert 'lodpub_requests_total{route="/doc/{kind}/{slug}",method="GET",status="200"}' in metrics
    assert "lodpub_request_duration_seconds_bucket" in metrics
    assert "lodpub_sparql_timeouts_total" in metrics
    assert "Disallow: /sparql" in httpx.get(server + "/robots.txt").text
    sitemap = httpx.get(server + "/sitemap.xml")
    assert sitemap.headers["content-type"].startswith("application/xml")
    assert f"<loc>{server}/doc/organization/wego</loc>" in sitemap.text


def test_robots_names_the_sitemap_at_the_address_the_server_is_reached_at(server):
    robots = httpx.get(server + "/robots.txt").text
    assert f"Sitemap: {server}/sitemap.xml\n" in robots
    mirror = httpx.get(server + "/robots.txt", headers={"Host": "mirror.example.org"}).text
    assert "Sitemap: http://mirror.example.org/sitemap.xml\n" in mirror


def test_sitemap_urls_are_percent_encoded_and_each_leads_to_its_entity(tmp_path):
    with serving_fixture(tmp_path, ODD_IRIS, Settings.load(ROOT, {})) as base:
        sitemap = httpx.get(base + "/sitemap.xml")
        locs = [loc.text for loc in ET.fromstring(sitemap.content).iter(SITEMAP_LOC)]
        assert sorted(locs) == [
            f"{base}/doc/city/100%2525",
            f"{base}/doc/city/a%26b%27c",
            f"{base}/doc/city/a%3Fb",
            f"{base}/doc/city/z%C3%BCrich",
        ]
        for loc, key in zip(sorted(locs), ("100%25", "a&b'c", "a?b", "zürich"), strict=True):
            document = httpx.get(loc, headers={"Accept": "text/turtle"})
            assert document.status_code == 200
            graph = rdflib.Graph().parse(data=document.text, format="turtle")
            assert (rdflib.URIRef(f"https://w3id.org/lgdg/id/city/{key}"), RDF.type, None) in graph


def test_more_pages_than_a_sitemap_may_list_go_into_an_index_of_sitemaps(tmp_path):
    """The sitemaps protocol allows 50,000 URLs a file: one more, and /sitemap.xml is an index."""
    city = "https://w3id.org/lgdg/id/city/c"
    keys = [f"{n:05}" for n in range(SITEMAP_URLS + 1)]
    trig = "".join(f"<{city}{key}> a <https://schema.org/City> .\n" for key in keys)
    with serving_fixture(tmp_path, trig, Settings.load(ROOT, {})) as base:
        # the first request waits for the index of entities, read as the server starts
        index = ET.fromstring(httpx.get(base + "/sitemap.xml", timeout=60).content)
        assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
        parts = [loc.text or "" for loc in index.iter(SITEMAP_LOC)]
        assert parts == [f"{base}/sitemap-1.xml", f"{base}/sitemap-2.xml"]
        listed = [
            [loc.text for loc in ET.fromstring(httpx.get(part).content).iter(SITEMAP_LOC)]
            for part in parts
        ]
        assert [len(urls) for urls in listed] == [SITEMAP_URLS, 1]
        assert listed[0] + listed[1] == [f"{base}/doc/city/c{key}" for key in keys]
        for missing in ("/sitemap-3.xml", "/sitemap-0.xml", "/sitemap-first.xml"):
            assert httpx.get(base + missing).status_code == 404


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [("ttl", "text/turtle"), ("nt", "application/n-triples"), ("html", "text/html")],
)
def test_release_document_suffix_wins_over_accept(client, suffix, media_type):
    response = client.get(f"/def.{suffix}", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["content-location"] == f"/def.{suffix}"


def test_every_document_holds_what_the_embedded_store_describes(server, built: Project):
    """On every backend, each entity's document is the one the release's own store makes."""
    release = EmbeddedStore(built.current, workers=1)
    try:
        rows = release.select("SELECT DISTINCT ?s WHERE { ?s a ?type FILTER(isIRI(?s)) }")
        prefix = built.settings.base_iri + "id/"
        entities = sorted(r["s"].value for r in rows if r["s"].value.startswith(prefix))
        expected = {iri: release.describe(iri, NTRIPLES) for iri in entities}
    finally:
        release.close()
    assert len(entities) > 200
    with httpx.Client(base_url=server, timeout=30) as http:
        for iri in entities:
            path = "/doc/" + quote(iri.removeprefix(prefix), safe="/") + ".nt"
            served = rdflib.Graph().parse(data=http.get(path).text, format="nt")
            wanted = rdflib.Graph().parse(data=expected[iri].decode(), format="nt")
            assert isomorphic(served, wanted), iri
