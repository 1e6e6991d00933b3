"""``lodpub export quickstatements``: facts of a release that fit Wikidata, for an editor.

A fact fits when its property is aligned in the ontology with a Wikidata property
(``owl:equivalentProperty`` or ``rdfs:subPropertyOf`` a ``wdt:`` property), its subject is
linked to a Wikidata item and its object is a linked entity or a date. Each fact becomes one
QuickStatements (v1) line per source document that states it, referenced by the document's
URL (S854) and publication date (S577); documents without a public URL are left out, since
an editor could not check the statement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from publisher.config import Settings
from publisher.namespaces import PROLOGUE
from publisher.store import StoreBackend, Term

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
WIKIDATA_DIRECT = "http://www.wikidata.org/prop/direct/"
XSD = "http://www.w3.org/2001/XMLSchema#"
# A literal's datatype → the precision QuickStatements gives a time (9 year, 10 month, 11 day).
PRECISION = {XSD + "gYear": 9, XSD + "gYearMonth": 10, XSD + "date": 11}
DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

FACTS = """
SELECT DISTINCT ?item ?wikidata ?object ?objectItem ?url ?issued WHERE {
  GRAPH <{ontology}> {
    ?property owl:equivalentProperty|rdfs:subPropertyOf ?wikidata .
    FILTER(STRSTARTS(STR(?wikidata), "http://www.wikidata.org/prop/direct/"))
  }
  GRAPH <{description}> { ?subset sd:name ?graph ; dcterms:source ?source }
  ?source schema:url ?url .
  OPTIONAL { ?source dcterms:issued ?issued }
  GRAPH ?graph { ?subject ?property ?object }
  ?subject owl:sameAs ?item .
  OPTIONAL { ?object owl:sameAs ?objectItem }
  FILTER(STRSTARTS(STR(?item), "http://www.wikidata.org/entity/Q"))
  FILTER(isLITERAL(?object) || STRSTARTS(STR(?objectItem), "http://www.wikidata.org/entity/Q"))
}"""
SD = "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>\n"


@dataclass(frozen=True, order=True)
class Statement:
    """One QuickStatements line: item, property, value and its reference."""

    item: str
    prop: str
    value: str
    url: str
    published: str | None

    def line(self) -> str:
        """The tab-separated QuickStatements v1 command."""
        parts = [self.item, self.prop, self.value, "S854", f'"{self.url}"']
        if self.published:
            parts += ["S577", self.published]
        return "\t".join(parts)


def wikidata_time(literal: Term) -> str | None:
    """``2024-12-12``^^xsd:date → ``+2024-12-12T00:00:00Z/11``; None for other literals."""
    precision = PRECISION.get(literal.datatype or "")
    match = DATE.match(literal.value)
    if precision is None or match is None:
        return None
    year, month, day = match.group(1), match.group(2) or "00", match.group(3) or "00"
    return f"+{year}-{month}-{day}T00:00:00Z/{precision}"


def _value(row: dict[str, Term]) -> str | None:
    if "objectItem" in row:
        return row["objectItem"].value.removeprefix(WIKIDATA_ENTITY)
    return wikidata_time(row["object"])


def statements(store: StoreBackend, settings: Settings) -> list[Statement]:
    """Every fact of the release that fits a Wikidata property, sorted, once per source."""
    query = (
        PROLOGUE
        + SD
        + FACTS.replace("{ontology}", settings.ontology_graph).replace(
            "{description}", settings.description_graph
        )
    )
    found = set()
    for row in store.select(query):
        value = _value(row)
        if value is None:
            continue
        issued = row.get("issued")
        found.add(
            Statement(
                item=row["item"].value.removeprefix(WIKIDATA_ENTITY),
                prop=row["wikidata"].value.removeprefix(WIKIDATA_DIRECT),
                value=value,
                url=row["url"].value,
                published=wikidata_time(issued) if issued else None,
            )
        )
    return sorted(found)


def write_lines(found: Iterable[Statement]) -> str:
    """The QuickStatements batch: one command per line."""
    return "".join(statement.line() + "\n" for statement in found)
