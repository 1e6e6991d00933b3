"""The linker's SPARQL: plain SPARQL 1.1, no WDQS-only services, so it runs on any endpoint.

``candidates_query`` looks items up by exact labels and aliases (``rdfs:label``,
``skos:altLabel``) given as a VALUES block of language-tagged spellings; ``details_query`` reads
what the scoring needs about given items, as one row per fact (UNION, no cross product).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from publisher.linking.client import Bindings
from publisher.linking.entities import Entity, Name
from publisher.linking.names import spellings

WD = "http://www.wikidata.org/entity/"
LANGUAGES = ("en", "fr", "mul")  # "mul": Wikidata's default label for names in many languages
DESCRIPTION_LANGUAGES = ("en", "fr")
ROW_LIMIT = 2000
PROLOGUE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
"""
VIA = {"http://www.w3.org/2000/01/rdf-schema#label": "label"}  # otherwise skos:altLabel: alias


@dataclass(frozen=True)
class Hit:
    """An item found under one of an entity's names."""

    entity: str
    item: str
    name: Name
    via: str  # ``label`` or ``alias``: what the spelling is on the item
    exact: bool  # the spelling is the name as the project writes it


@dataclass
class Item:
    """What the scoring needs to know about one item."""

    iri: str
    labels: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    classes: set[str] = field(default_factory=set)  # P31
    superclasses: set[str] = field(default_factory=set)  # P31/P279
    countries: dict[str, dict[str, str]] = field(default_factory=dict)  # P17 -> its labels

    @property
    def qid(self) -> str:
        return qid_of(self.iri)

    @property
    def label(self) -> str:
        return _preferred(self.labels, LANGUAGES)

    @property
    def description(self) -> str:
        return _preferred(self.descriptions, DESCRIPTION_LANGUAGES)


def qid_of(iri: str) -> str:
    return iri.removeprefix(WD)


def string(text: str) -> str:
    """A SPARQL string literal."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def candidates_query(entities: Iterable[Entity]) -> str:
    """Items whose label or alias is one of the entities' names, in any spelling we try."""
    pairs = sorted(
        {
            (entity.key, spelling)
            for entity in entities
            for name in entity.names
            for spelling in spellings(name.text)
        }
    )
    values = "\n".join(
        f"    ({string(key)} {string(spelling)}@{lang})"
        for key, spelling in pairs
        for lang in LANGUAGES
    )
    return f"""{PROLOGUE}SELECT DISTINCT ?key ?item ?name ?via WHERE {{
  VALUES ?via {{ rdfs:label skos:altLabel }}
  VALUES (?key ?name) {{
{values}
  }}
  ?item ?via ?name .
  FILTER(STRSTARTS(STR(?item), "{WD}Q"))
}}
LIMIT {ROW_LIMIT}
"""


def read_hits(bindings: Bindings, entities: Sequence[Entity]) -> list[Hit]:
    """The hits of a candidates query: each found spelling traced back to the best name."""
    by_key = {entity.key: entity for entity in entities}
    hits = []
    for row in bindings:
        entity = by_key.get(row["key"]["value"])
        if entity is None:
            continue
        spelling = row["name"]["value"]
        matching = [name for name in entity.names if spelling in spellings(name.text)]
        if not matching:
            continue
        exact = [name for name in matching if name.text == spelling]
        name = (exact or matching)[0]
        via = VIA.get(row["via"]["value"], "alias")
        hits.append(Hit(entity.key, row["item"]["value"], name, via, bool(exact)))
    return hits


def details_query(items: Iterable[str]) -> str:
    """Labels, descriptions, classes (and their superclasses) and countries of ``items``."""
    values = " ".join(f"<{iri}>" for iri in sorted(items))
    labels = ", ".join(f'"{lang}"' for lang in LANGUAGES)
    descriptions = ", ".join(f'"{lang}"' for lang in DESCRIPTION_LANGUAGES)
    return f"""{PROLOGUE}SELECT ?item ?facet ?value ?country WHERE {{
  VALUES ?item {{ {values} }}
  {{
    ?item rdfs:label ?value . BIND("label" AS ?facet)
    FILTER(LANG(?value) IN ({labels}))
  }} UNION {{
    ?item <http://schema.org/description> ?value . BIND("description" AS ?facet)
    FILTER(LANG(?value) IN ({descriptions}))
  }} UNION {{
    ?item wdt:P31 ?value . BIND("class" AS ?facet)
  }} UNION {{
    ?item wdt:P31/wdt:P279 ?value . BIND("superclass" AS ?facet)
  }} UNION {{
    ?item wdt:P17 ?country . BIND("country" AS ?facet)
    OPTIONAL {{ ?country rdfs:label ?value . FILTER(LANG(?value) IN ({descriptions})) }}
  }}
}}
LIMIT {ROW_LIMIT}
"""


def read_items(bindings: Bindings, items: dict[str, Item]) -> None:
    """Add the facts of a details query to ``items`` (by IRI)."""
    for row in bindings:
        item = items.setdefault(row["item"]["value"], Item(row["item"]["value"]))
        facet = row["facet"]["value"]
        value = row.get("value", {})
        text, lang = value.get("value", ""), value.get("xml:lang", "")
        if facet == "label":
            item.labels[lang] = text
        elif facet == "description":
            item.descriptions[lang] = text
        elif facet == "class":
            item.classes.add(qid_of(text))
        elif facet == "superclass":
            item.superclasses.add(qid_of(text))
        elif facet == "country":
            labels = item.countries.setdefault(qid_of(row["country"]["value"]), {})
            if text:
                labels[lang] = text


def _preferred(texts: dict[str, str], languages: Sequence[str]) -> str:
    return next((texts[lang] for lang in languages if lang in texts), "")
