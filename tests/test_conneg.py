"""Content negotiation is one pure function: defaults, wildcards, q-values, 406 and 400."""

from __future__ import annotations

import pytest

from publisher.conneg import MalformedAcceptError, NotAcceptableError, negotiate
from publisher.formats import HTML, JSONLD, NTRIPLES, RDF_FORMATS, RDFXML, TURTLE

OFFERS = (*RDF_FORMATS, HTML)


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, TURTLE),
        ("", TURTLE),
        ("*/*", TURTLE),
        ("text/*", TURTLE),
        ("application/x-turtle", TURTLE),
        ("application/ld+json", JSONLD),
        ("application/n-triples;q=0.9, application/rdf+xml;q=0.8", NTRIPLES),
        ("text/turtle;q=0.5, application/ld+json", JSONLD),
        ("application/*", JSONLD),
        ("text/html;level=1", HTML),
        ("TEXT/HTML", HTML),
        ("*/*;q=0.1, application/rdf+xml", RDFXML),
        ("text/turtle;q=0, */*", JSONLD),
    ],
)
def test_negotiate_picks_the_preferred_offer(accept, expected):
    assert negotiate(accept, OFFERS, TURTLE) is expected


@pytest.mark.parametrize("accept", ["image/png", "text/turtle;q=0", "image/*"])
def test_nothing_acceptable_names_what_is_on_offer(accept):
    with pytest.raises(NotAcceptableError, match="text/turtle, application/ld\\+json"):
        negotiate(accept, OFFERS, TURTLE)


@pytest.mark.parametrize(
    "accept", ["text", "text/turtle;q=1.5", "*/html", "text/turtle;q=x", "te xt/html", "a" * 5000]
)
def test_malformed_accept_is_an_error(accept):
    with pytest.raises(MalformedAcceptError):
        negotiate(accept, OFFERS, TURTLE)
