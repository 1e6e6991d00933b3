"""HEAD answers every GET route: the same status and headers, no body."""

from __future__ import annotations

import re

import httpx
import pytest


def assert_head_is_get_without_body(client: httpx.Client, path: str, headers: dict) -> None:
    get = client.get(path, headers=headers)
    head = client.head(path, headers=headers)
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    assert "content-length" in head.headers
    differ = {k: (v, head.headers.get(k)) for k, v in get.headers.items() if k != "date"}
    assert {k: v for k, v in differ.items() if v[0] != v[1]} == {}
    assert set(head.headers) == set(get.headers)


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/sparql", "text/turtle"),
        ("/sparql", "text/html"),
        ("/dumps/", "text/html"),
        ("/dumps/", "application/json"),
        ("/healthz", "*/*"),
        ("/robots.txt", "*/*"),
        ("/sitemap.xml", "*/*"),
        ("/doc/organization/wego", "text/turtle"),
        ("/doc/organization/wego", "text/html"),
        ("/def", "text/html"),
        ("/dumps/lgdg.nt.gz", "*/*"),
        ("/list/city", "text/html"),
        ("/reconcile", "*/*"),
        ("/static/site.css", "*/*"),
    ],
)
def test_head_gets_the_headers_of_get_and_no_body(client, path, accept):
    assert_head_is_get_without_body(client, path, {"Accept": accept, "Accept-Encoding": "identity"})


@pytest.mark.parametrize(
    "path", ["/sitemap.xml", "/doc/organization/wego.ttl", "/def.html", "/static/site.css"]
)
def test_head_of_a_gzipped_answer_names_its_coding_and_length(client, path):
    headers = {"Accept-Encoding": "gzip"}
    assert client.head(path, headers=headers).headers["content-encoding"] == "gzip"
    assert_head_is_get_without_body(client, path, headers)


def test_head_of_an_iri_redirects_like_get(client):
    head = client.head("/id/organization/wego")
    assert head.status_code == 303
    assert head.headers["location"] == "/doc/organization/wego"


def test_head_requests_are_counted_under_their_route(client):
    client.head("/healthz")
    metrics = client.get("/metrics").text
    found = re.search(
        r'^lodpub_requests_total\{route="/healthz",method="HEAD",status="200"\} (\S+)$',
        metrics,
        re.MULTILINE,
    )
    assert found and float(found.group(1)) >= 1
