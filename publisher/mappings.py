"""Run ``mappings/``: one SPARQL CONSTRUCT per table over its rows (Tarql-style).

Each row becomes a node with one ``<urn:lodpub:column:NAME>`` triple per value. A mapping runs
once over all its table's rows: pyoxigraph evaluates its WHERE clause, and each solution fills
the CONSTRUCT template as SPARQL's CONSTRUCT does (a triple with an unbound variable or a
literal subject is left out). In a mapping that reads ``?source`` (bound from the row's
``sources``, or ``id`` for the source documents), each solution's triples land in the named
graph of the source document it binds; a mapping without ``?source`` (such as the Wikidata
links) fills a graph of its own. Relative IRIs in the query resolve against the configured base.
One run per table, not one per source document, keeps mapping linear in the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox
from pyparsing import ParseException, ParseResults
from rdflib import BNode, URIRef, Variable
from rdflib import Literal as RdfLiteral
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from publisher.errors import Location, MappingError, Problem
from publisher.sources import Table
from publisher.sparql import read_tokens

COLUMN = "urn:lodpub:column:"
ROW = "urn:lodpub:row:"
CHECK_BASE = "urn:lodpub:check:"  # resolves relative IRIs while a mapping is checked
SOURCE = "source"  # the variable that names a triple's source document
FORBIDDEN_PARTS = {"ServiceGraphPattern": "SERVICE", "Base": "BASE"}


@dataclass(frozen=True)
class Mapping:
    """A checked mapping query, the columns it reads, and its WHERE clause as a SELECT."""

    name: str
    path: Path
    query: str
    columns: frozenset[str]
    per_source: bool
    select: str
    template: tuple[tuple[Node, Node, Node], ...]  # rdflib terms, relative IRIs unresolved


Slot = str | ox.NamedNode | ox.Literal  # a variable's name, or a constant term


def _slot(term: object, base_iri: str) -> Slot:
    """A template term for ``apply_mapping``; relative IRIs resolve against ``base_iri``."""
    if isinstance(term, Variable):
        return str(term)
    if isinstance(term, URIRef):
        return ox.NamedNode(urljoin(base_iri, str(term)))
    if isinstance(term, RdfLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = ox.NamedNode(str(term.datatype)) if term.datatype else None
        return ox.Literal(str(term), datatype=datatype)
    raise TypeError(f"a template term must be a variable, an IRI or a literal, not {term!r}")


def _select_of(text: str) -> str | None:
    """The query with ``CONSTRUCT { template }`` replaced by ``SELECT *``, or None."""
    tokens = read_tokens(text)
    construct = next((i for i, t in enumerate(tokens) if t.is_word("CONSTRUCT")), None)
    if construct is None or construct + 1 >= len(tokens) or tokens[construct + 1].text != "{":
        return None
    depth = 0
    for token in tokens[construct + 1 :]:
        depth += {"{": 1, "}": -1}.get(token.text, 0)
        if depth == 0:
            start, end = tokens[construct].start, token.start + 1
            return text[:start] + "SELECT *" + text[end:]
    return None


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
        ox.Store().query(text, base_iri=CHECK_BASE)
    except SyntaxError as exc:
        line = getattr(exc, "lineno", None)
        raise MappingError(
            [Problem(Location(str(path), line), f"SPARQL syntax error: {exc}")]
        ) from exc
    try:
        parsed = parseQuery(text)
        query = translateQuery(parsed, base=CHECK_BASE)
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
        isinstance(term, Variable) and str(term) == SOURCE for term in _walk(query.algebra)
    )
    template_terms = [term for triple in query.algebra.template for term in triple]
    select = _select_of(text)
    if select is None or any(isinstance(term, BNode) for term in template_terms):
        raise MappingError(
            [
                Problem(
                    where,
                    "write the template out (CONSTRUCT { … } WHERE { … }) with variables, "
                    "IRIs and literals: no blank nodes (mint an IRI from the row's key)",
                )
            ]
        )
    template = tuple(tuple(triple) for triple in query.algebra.template)
    return Mapping(path.stem, path, text, columns, per_source, select, template)


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
    """An in-memory store holding the table's rows as nodes.

    The rows are written as N-Triples and parsed in one call: far faster than building a
    Python object per value. Values repeat (keys, kinds, sources), so each is written once.
    """
    columns = {c.name: c for c in table.schema.columns}
    predicates = {name: str(ox.NamedNode(COLUMN + name)) for name in columns}
    literals: dict[tuple[str, str], str] = {}
    lines = []
    for row in table.rows:
        node = str(ox.NamedNode(f"{ROW}{table.name}:{row.line}"))
        for name, values in row.cells.items():
            predicate = predicates[name]
            for value in values:
                literal = literals.get((name, value))
                if literal is None:
                    column = columns[name]
                    made = _literal(value, column.lang, column.datatype, column.datatype_iri)
                    literal = literals[(name, value)] = str(made)
                lines.append(f"{node} {predicate} {literal} .\n")
    store = ox.Store()
    store.load("".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    return store


def _blank_node_error(mapping: Mapping) -> MappingError:
    return MappingError(
        [
            Problem(
                Location(str(mapping.path)),
                "produces a blank node; mint an IRI from the row's key instead",
            )
        ]
    )


def apply_mapping(
    mapping: Mapping,
    rows: ox.Store,
    base_iri: str,
    table_graph: ox.NamedNode,
    source_graph: Callable[[str], ox.NamedNode],
) -> set[ox.Quad]:
    """The mapping's triples over the table's rows, each in the graph ``source_graph`` names
    for its source document, or in ``table_graph`` for a mapping without ``?source``."""
    result = rows.query(mapping.select, base_iri=base_iri)
    position = {v.value: i for i, v in enumerate(result.variables)}  # type: ignore[union-attr]
    # Each slot as (index into a solution, constant); a variable the WHERE never binds
    # leaves its triples out, as CONSTRUCT does.
    template = [[_slot(term, base_iri) for term in pattern] for pattern in mapping.template]
    patterns = [
        tuple((position[t], None) if isinstance(t, str) else (-1, t) for t in pattern)
        for pattern in template
        if all(not isinstance(t, str) or t in position for t in pattern)
    ]
    source_at = position.get(SOURCE, -1) if mapping.per_source else -1
    output: set[ox.Quad] = set()
    graph = table_graph
    for solution in result:  # type: ignore[union-attr]
        values = tuple(solution)
        if mapping.per_source:
            source = values[source_at] if source_at >= 0 else None
            if not isinstance(source, ox.Literal):
                raise _no_source_error(mapping)
            graph = source_graph(source.value)
        for (si, sc), (pi, pc), (oi, oc) in patterns:
            s = values[si] if si >= 0 else sc
            p = values[pi] if pi >= 0 else pc
            o = values[oi] if oi >= 0 else oc
            if s is None or p is None or o is None:
                continue
            if isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode):
                raise _blank_node_error(mapping)
            if isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode):
                output.add(ox.Quad(s, p, o, graph))
    return output


def _no_source_error(mapping: Mapping) -> MappingError:
    return MappingError(
        [
            Problem(
                Location(str(mapping.path)),
                "a solution binds no ?source: bind it from the row's sources "
                "(?row col:sources ?source) before using it",
            )
        ]
    )
