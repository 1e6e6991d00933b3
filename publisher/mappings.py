"""Run ``mappings/``: one SPARQL CONSTRUCT per table over its rows (Tarql-style).

Each row becomes a node with one ``<urn:lodpub:column:NAME>`` triple per value. A mapping that
reads ``?source`` is run once per source document with it bound to that document's key, so every
triple it makes lands in that document's named graph; a mapping without ``?source`` (such as the
Wikidata links) runs once, into a graph of its own. Relative IRIs in the query resolve against
the configured base.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from pyparsing import ParseException, ParseResults
from rdflib import URIRef, Variable
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from publisher.errors import Location, MappingError, Problem
from publisher.sources import Table

COLUMN = "urn:lodpub:column:"
ROW = "urn:lodpub:row:"
SOURCE_VARIABLE = ox.Variable("source")
FORBIDDEN_PARTS = {"ServiceGraphPattern": "SERVICE", "Base": "BASE"}


@dataclass(frozen=True)
class Mapping:
    """A checked mapping query and the columns it reads."""

    name: str
    path: Path
    query: str
    columns: frozenset[str]
    per_source: bool


def _walk(node: object) -> Iterator[object]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple | ParseResults):
        for value in node:
            yield from _walk(value)


def read_mapping(path: Path) -> Mapping:
    """Parse a mapping and check it is a plain CONSTRUCT that reads only columns."""
    text = path.read_text("utf-8")
    try:
        ox.Store().query(text, base_iri="urn:lodpub:check:")
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise MappingError(
            [Problem(Location(str(path), line), f"SPARQL syntax error: {exc}")]
        ) from exc
    try:
        parsed = parseQuery(text)
        query = translateQuery(parsed, base="urn:lodpub:check:")
    except (ParseException, Exception) as exc:  # rdflib raises many kinds on odd queries
        raise MappingError([Problem(Location(str(path)), f"cannot be analysed: {exc}")]) from exc
    where = Location(str(path))
    if query.algebra.name != "ConstructQuery":
        raise MappingError([Problem(where, "a mapping must be a CONSTRUCT query")])
    problems = []
    for part in _walk(parsed):
        if not isinstance(part, CompValue):
            continue
        if part.name in FORBIDDEN_PARTS:
            problems.append(
                Problem(where, f"{FORBIDDEN_PARTS[part.name]} is not allowed in a mapping")
            )
        if part.name == "ConstructQuery" and "datasetClause" in part:
            problems.append(Problem(where, "FROM / FROM NAMED is not allowed in a mapping"))
    if problems:
        raise MappingError(problems)
    columns = frozenset(
        str(term)[len(COLUMN) :]
        for term in _walk(query.algebra)
        if isinstance(term, URIRef) and str(term).startswith(COLUMN)
    )
    per_source = any(
        isinstance(term, Variable) and str(term) == SOURCE_VARIABLE.value
        for term in _walk(query.algebra)
    )
    return Mapping(path.stem, path, text, columns, per_source)


def read_mappings(mappings_dir: Path, tables: dict[str, Table]) -> dict[str, Mapping]:
    """Read the mapping of every table and check it reads only that table's columns."""
    mappings = {p.stem: read_mapping(p) for p in sorted(mappings_dir.glob("*.rq"))}
    problems = []
    for name in sorted(set(tables) - set(mappings)):
        path = tables[name].schema.csv_path
        problems.append(Problem(Location(str(path)), f"no mapping {mappings_dir / name}.rq"))
    for name, mapping in mappings.items():
        table = tables.get(name)
        if table is None:
            problems.append(Problem(Location(str(mapping.path)), f"no table {name}.csv in data/"))
            continue
        known = {c.name for c in table.schema.columns}
        for column in sorted(mapping.columns - known):
            problems.append(
                Problem(
                    Location(str(mapping.path)), f"reads col:{column}, not a column of {name}.csv"
                )
            )
    if problems:
        raise MappingError(problems)
    return mappings


def _literal(value: str, column_lang: str | None, datatype: str, datatype_iri: str) -> ox.Literal:
    if column_lang:
        return ox.Literal(value, language=column_lang)
    if datatype == "boolean":
        value = "true" if value in ("true", "1") else "false"
    return ox.Literal(value, datatype=ox.NamedNode(datatype_iri))


def load_rows(table: Table) -> ox.Store:
    """An in-memory store holding the table's rows as nodes."""
    store = ox.Store()
    columns = {c.name: c for c in table.schema.columns}
    quads = []
    for row in table.rows:
        node = ox.NamedNode(f"{ROW}{table.name}:{row.line}")
        for name, values in row.cells.items():
            column = columns[name]
            predicate = ox.NamedNode(COLUMN + name)
            for value in values:
                literal = _literal(value, column.lang, column.datatype, column.datatype_iri)
                quads.append(ox.Quad(node, predicate, literal))
    store.extend(quads)
    return store


def run_mapping(
    mapping: Mapping, rows: ox.Store, base_iri: str, source_key: str | None = None
) -> list[ox.Triple]:
    """The triples of one run of the mapping, with ``?source`` bound when a key is given."""
    substitutions = {SOURCE_VARIABLE: ox.Literal(source_key)} if source_key is not None else {}
    result = rows.query(mapping.query, base_iri=base_iri, substitutions=substitutions)
    triples = list(result)  # type: ignore[arg-type]
    for triple in triples:
        if isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode):
            raise MappingError(
                [
                    Problem(
                        Location(str(mapping.path)),
                        "produces a blank node; mint an IRI from the row's key instead",
                    )
                ]
            )
    return triples


def apply_mapping(
    mapping: Mapping, rows: ox.Store, source_keys: list[str], base_iri: str
) -> dict[str, list[ox.Triple]]:
    """Run the mapping once per source document; return its triples by source key."""
    output: dict[str, list[ox.Triple]] = {}
    for key in source_keys:
        triples = run_mapping(mapping, rows, base_iri, key)
        if triples:
            output[key] = triples
    return output
