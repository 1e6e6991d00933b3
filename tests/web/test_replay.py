"""Documents answered again from memory: the same bytes, negotiation and validators kept."""

from __future__ import annotations

import re

import httpx
import pytest

WEGO = "/doc/organization/wego"


def metric(client: httpx.Client, name: str) -> int:
    text = client.get("/metrics").text
    return int(float(re.search(rf"^{name} (\S+)$", text, re.MULTILINE).group(1)))


def route_count(client: httpx.Client, route: str) -> int:
    text = client.get("/metrics").text
    found = re.search(
        rf'^lodpub_requests_total{{route="{re.escape(route)}",method="GET",'
        r'status="200"} (\S+)$',
        text,
        re.MULTILINE,
    )
    return int(float(found.group(1))) if found else 0


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("text/html", "text/html"),
    ],
)
def test_a_repeated_request_gets_the_same_response_from_memory(client, accept, media_type):
    headers = {"Accept": accept, "Accept-Language": "fr"}
    first = client.get(WEGO, headers=headers)
    replayed_before = metric(client, "lodpub_replayed_total")
    again = client.get(WEGO, headers=headers)
    assert metric(client, "lodpub_replayed_total") == replayed_before + 1
    assert again.status_code == first.status_code == 200
    assert again.headers["content-type"].startswith(media_type)
    assert again.content == first.content
    for name in ("etag", "vary", "content-location", "link", "last-modified", "cache-control"):
        assert again.headers.get(name) == first.headers.get(name), name


def test_negotiation_headers_are_part_of_the_key(client):
    turtle = client.get(WEGO, headers={"Accept": "text/turtle"})
    client.get(WEGO, headers={"Accept": "text/turtle"})
    json_ld = client.get(WEGO, headers={"Accept": "application/ld+json"})
    assert json_ld.headers["content-type"].startswith("application/ld+json")
    assert json_ld.content != turtle.content
    english = client.get(WEGO, headers={"Accept": "text/html", "Accept-Language": "en"})
    client.get(WEGO, headers={"Accept": "text/html", "Accept-Language": "fr"})
    french = client.get(WEGO, headers={"Accept": "text/html", "Accept-Language": "fr"})
    assert 'lang="fr"' in french.text and 'lang="en"' in english.text


def test_conditional_requests_still_get_304(client):
    first = client.get(WEGO, headers={"Accept": "text/turtle"})
    replayed = metric(client, "lodpub_replayed_total")
    again = client.get(
        WEGO, headers={"Accept": "text/turtle", "If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert metric(client, "lodpub_replayed_total") == replayed


def test_replayed_requests_are_counted_under_their_route(client):
    client.get(WEGO, headers={"Accept": "text/turtle"})
    before = route_count(client, "/doc/{kind}/{slug}")
    client.get(WEGO, headers={"Accept": "text/turtle"})
    assert route_count(client, "/doc/{kind}/{slug}") == before + 1


def test_a_repeated_accept_header_does_not_poison_the_cache(client):
    seoul = "/doc/city/seoul"
    n_triples = "application/n-triples; q=0.99"  # a key no other test has filled
    poisoning = client.get(seoul, headers=[("Accept", "text/html"), ("Accept", n_triples)])
    assert poisoning.headers["content-type"].startswith("text/html")  # the first one counts
    plain = client.get(seoul, headers={"Accept": n_triples})
    assert plain.status_code == 200
    assert plain.headers["content-type"].startswith("application/n-triples")
    assert "<https://w3id.org/lgdg/id/city/seoul>" in plain.text
