"""The example SPARQL queries of the home page and the query page, in the page's language."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlencode

from publisher.web.catalog import Catalog
from publisher.web.i18n import t
from publisher.web.terms import expand

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"

MEMBERS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX lgdg: <https://w3id.org/lgdg/def#>

# Members of WeGO, with the date the source states it
SELECT DISTINCT ?member ?name ?asOf WHERE {
  ?membership a org:Membership ;
              org:organization <{base}id/organization/wego> ;
              org:member ?member .
  OPTIONAL { ?membership lgdg:asOf ?asOf }
  ?member rdfs:label ?name .
  FILTER(LANG(?name) = "{lang}")
}
ORDER BY ?name"""

AGREEMENTS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX lgdg: <https://w3id.org/lgdg/def#>

# Agreements by date (signed or adopted), with their parties
SELECT ?agreement ?title ?date (GROUP_CONCAT(DISTINCT ?partyName; separator=", ") AS ?parties)
WHERE {
  ?agreement a lgdg:Agreement ; rdfs:label ?title .
  FILTER(LANG(?title) = "{lang}")
  OPTIONAL { ?agreement lgdg:dateSigned ?signed }
  OPTIONAL { ?agreement lgdg:dateAdopted ?adopted }
  BIND(COALESCE(?signed, ?adopted) AS ?date)
  OPTIONAL { ?agreement lgdg:party ?party .
             ?party rdfs:label ?partyName FILTER(LANG(?partyName) = "{lang}") }
}
GROUP BY ?agreement ?title ?date
ORDER BY DESC(STR(?date))"""

POSTS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX lgdg: <https://w3id.org/lgdg/def#>

# People and the posts they hold, as of the date the source states
SELECT DISTINCT ?person ?name ?role ?organization ?asOf WHERE {
  ?person a foaf:Person ; foaf:name ?name ; org:holds ?post .
  ?post org:postIn ?org ; org:role ?r .
  ?r rdfs:label ?role FILTER(LANG(?role) = "{lang}")
  ?org rdfs:label ?organization FILTER(LANG(?organization) = "{lang}")
  OPTIONAL { ?post lgdg:asOf ?asOf }
}
ORDER BY ?name ?organization"""

POPULATION = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX schema: <https://schema.org/>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>

# Federated with Wikidata: the dataset's cities with their population (P1082), read from the
# Wikidata item each city is linked to by owl:sameAs. The SERVICE part is sent to Wikidata as
# written, so it names the linked items itself.
SELECT ?city ?name ?item ?population WHERE {
  ?city a schema:City ; owl:sameAs ?item ; rdfs:label ?name .
  FILTER(LANG(?name) = "{lang}")
  SERVICE <{wikidata}> {
    VALUES ?item { {items} }
    ?item wdt:P1082 ?population .
  }
}
ORDER BY DESC(?population)"""


class Example(NamedTuple):
    title: str
    query: str
    href: str


def _linked_cities(catalog: Catalog) -> str:
    city = expand("schema:City")
    items = sorted(
        {
            "wd:" + item.rsplit("/", 1)[-1]
            for iri, entry in catalog.entries.items()
            if city in entry.classes
            for item in entry.same_as
            if item.startswith("http://www.wikidata.org/entity/")
        },
        key=lambda name: int(name[4:]),
    )
    return " ".join(items)


def examples(catalog: Catalog, language: str) -> list[Example]:
    """The example queries, each with a link that runs it on the query page."""
    items = _linked_cities(catalog)
    found = []
    for key, text in (
        ("example.members", MEMBERS),
        ("example.agreements", AGREEMENTS),
        ("example.posts", POSTS),
        ("example.population", POPULATION),
    ):
        query = (
            text.replace("{base}", catalog.base)
            .replace("{lang}", language)
            .replace("{wikidata}", WIKIDATA_SPARQL)
            .replace("{items}", items)
        )
        href = "/sparql?" + urlencode({"query": query, "format": "html"})
        found.append(Example(t(key, language), query, href))
    return found
