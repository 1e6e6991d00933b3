"""Example SPARQL queries shown on the home page, written for the page's language."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlencode

from publisher.web.i18n import t

PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX lgdg: <https://w3id.org/lgdg/def#>
"""

MEMBERS = """SELECT DISTINCT ?member ?name ?asOf WHERE {
  ?membership org:organization <{base}id/organization/wego> ;
              org:member ?member .
  OPTIONAL { ?membership lgdg:asOf ?asOf }
  ?member rdfs:label ?name . FILTER(LANG(?name) = "{lang}")
} ORDER BY ?name"""

AGREEMENTS = """SELECT ?agreement ?title ?date
       (GROUP_CONCAT(DISTINCT ?partyName; separator=", ") AS ?parties)
WHERE {
  ?agreement a lgdg:Agreement ; rdfs:label ?title . FILTER(LANG(?title) = "{lang}")
  OPTIONAL { ?agreement lgdg:dateSigned|lgdg:dateAdopted ?date }
  OPTIONAL { ?agreement lgdg:party/rdfs:label ?partyName . FILTER(LANG(?partyName) = "{lang}") }
} GROUP BY ?agreement ?title ?date ORDER BY ?date"""

POSTS = """SELECT DISTINCT ?name ?role ?organization ?asOf WHERE {
  ?post a org:Post ; org:heldBy/foaf:name ?name ;
        org:role/rdfs:label ?role ; org:postIn/rdfs:label ?organization .
  FILTER(LANG(?role) = "{lang}" && LANG(?organization) = "{lang}")
  OPTIONAL { ?post lgdg:asOf ?asOf }
} ORDER BY ?name DESC(?asOf)"""


class Example(NamedTuple):
    title: str
    query: str
    href: str


def examples(base: str, language: str) -> list[Example]:
    """The home page's example queries, each with a link that opens it on the query page."""
    found = []
    for key, body in (
        ("example.members", MEMBERS),
        ("example.agreements", AGREEMENTS),
        ("example.posts", POSTS),
    ):
        query = PREFIXES + body.replace("{base}", base).replace("{lang}", language)
        found.append(Example(t(key, language), query, "/sparql?" + urlencode({"query": query})))
    return found
