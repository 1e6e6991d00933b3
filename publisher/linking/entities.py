"""What the linker looks up, read from the project's tables: entities, names, countries, links."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from publisher.sources import Row, Table
from publisher.text import fold

# Table -> the type segment of its entities' IRIs ({base}id/{type}/{id}).
TYPES: dict[str, str] = {
    "organizations": "organization",
    "cities": "city",
    "countries": "country",
    "people": "person",
    "events": "event",
    "agreements": "agreement",
    "initiatives": "initiative",
}
# Columns holding names, with what the name is to the entity.
NAME_COLUMNS: tuple[tuple[str, str], ...] = (
    ("label_en", "label"),
    ("label_fr", "label"),
    ("name", "label"),
    ("alt_labels_en", "alias"),
    ("alt_labels_fr", "alias"),
    ("alt_names", "alias"),
    ("former_names_en", "former name"),
    ("former_names_fr", "former name"),
)
# Columns naming a city whose country the entity shares, in order of preference.
CITY_COLUMNS = ("city", "governs", "based_in")
LINKS_TABLE = "wikidata"


@dataclass(frozen=True)
class Name:
    """One name of an entity and what it is: ``label``, ``alias`` or ``former name``."""

    text: str
    kind: str


@dataclass(frozen=True)
class Country:
    """The country an entity is in, as the candidates' countries are compared with it."""

    key: str
    label: str
    names: frozenset[str]  # folded labels and alternative labels
    qid: str | None  # its confirmed Wikidata item, if any


@dataclass(frozen=True)
class Entity:
    """An entity the linker searches items for."""

    key: str  # type segment and slug, e.g. ``city/seoul``
    type: str
    names: tuple[Name, ...]
    country: Country | None


@dataclass(frozen=True)
class Link:
    """A row of the confirmed links: the entity's item, or ``""`` when it has none."""

    entity: str
    qid: str
    line: int


def confirmed_links(tables: Mapping[str, Table]) -> dict[str, Link]:
    """The confirmed links by entity key (empty when the project has no links table)."""
    table = tables.get(LINKS_TABLE)
    if table is None:
        return {}
    links = {}
    for row in table.rows:
        entity = _cell(row, "entity")
        links[entity] = Link(entity, _cell(row, "qid"), row.line)
    return links


def entity_keys(tables: Mapping[str, Table]) -> set[str]:
    """The key of every entity the linker can link."""
    return {f"{kind}/{_cell(row, 'id')}" for kind, row in _typed_rows(tables)}


def read_entities(tables: Mapping[str, Table], links: Mapping[str, Link]) -> list[Entity]:
    """Every named entity of the linkable tables, in table then row order."""
    countries = _countries(tables, links)
    cities = {_cell(row, "id"): row for row in _rows(tables, "cities")}
    entities = []
    for kind, row in _typed_rows(tables):
        country = None if kind == "country" else countries.get(_country_of(row, cities))
        names = _names(row)
        if names:
            entities.append(Entity(f"{kind}/{_cell(row, 'id')}", kind, names, country))
    return entities


def _names(row: Row) -> tuple[Name, ...]:
    seen: dict[str, Name] = {}
    for column, kind in NAME_COLUMNS:
        for text in row.cells.get(column, ()):
            seen.setdefault(text, Name(text, kind))
    return tuple(seen.values())


def _country_of(row: Row, cities: Mapping[str, Row]) -> str:
    if _cell(row, "country"):
        return _cell(row, "country")
    for column in CITY_COLUMNS:
        city = cities.get(_cell(row, column))
        if city is not None and _cell(city, "country"):
            return _cell(city, "country")
    return ""


def _countries(tables: Mapping[str, Table], links: Mapping[str, Link]) -> dict[str, Country]:
    countries = {}
    for row in _rows(tables, "countries"):
        slug = _cell(row, "id")
        names = _names(row)
        link = links.get(f"country/{slug}")
        countries[slug] = Country(
            key=f"country/{slug}",
            label=names[0].text if names else slug,
            names=frozenset(fold(name.text) for name in names),
            qid=link.qid if link and link.qid else None,
        )
    return countries


def _typed_rows(tables: Mapping[str, Table]) -> list[tuple[str, Row]]:
    return [(kind, row) for name, kind in TYPES.items() for row in _rows(tables, name)]


def _rows(tables: Mapping[str, Table], name: str) -> tuple[Row, ...]:
    table = tables.get(name)
    return table.rows if table else ()


def _cell(row: Row, column: str) -> str:
    return " ".join(row.cells.get(column, ()))
