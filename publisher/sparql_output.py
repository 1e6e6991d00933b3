"""What the SPARQL endpoint answers with: the result format, tables for HTML, its description."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID
from rdflib.term import Node

from publisher.conneg import NotAcceptableError, negotiate
from publisher.formats import (
    HTML,
    RDF_FORMATS,
    RESULT_FORMATS,
    SPARQL_JSON,
    TURTLE,
    Format,
    UnknownFormatError,
    by_name,
)
from publisher.namespaces import PREFIXES

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
RESULT_OFFERS = (*RESULT_FORMATS, HTML)
GRAPH_OFFERS = (*RDF_FORMATS, HTML)
SERVED = (*RESULT_FORMATS, *RDF_FORMATS, HTML)
# Names clients send in ``format`` (SPARQLWrapper sends format=turtle, json-ld, rdf+xml, n3…).
ALIASES = {
    "turtle": "ttl",
    "n3": "ttl",
    "text/n3": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "json-ld": "jsonld",
    "rdfxml": "rdf",
    "rdf+xml": "rdf",
    "rdf/xml": "rdf",
}
GRAPH_ALIASES = {"xml": "rdf", "json": "jsonld", "text/xml": "rdf", "application/xml": "rdf"}
W3C_FORMAT = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "ttl": "Turtle",
    "nt": "N-Triples",
    "jsonld": "JSON-LD",
    "rdf": "RDF_XML",
}
RDFLIB_FORMAT = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}


def choose_format(
    offers: Sequence[Format], default: Format, requested: Sequence[str], accept: str | None
) -> Format:
    """The format to answer in: the first known ``format`` value, else the Accept header.

    An Accept header that names only formats of the other family (RDF for a SELECT, results
    for a CONSTRUCT) is disregarded (RFC 9110 §12.5.1) and ``default`` is used; one that names
    nothing the endpoint serves raises NotAcceptableError (406).
    """
    graph = TURTLE in offers
    values = [v.strip().lower() for v in requested if v.strip()]
    for value in values:
        key = GRAPH_ALIASES.get(value, value) if graph else value
        key = ALIASES.get(key, key)
        try:
            return by_name(key, tuple(offers))
        except UnknownFormatError:
            continue
    if values:
        names = ", ".join(f.name for f in offers)
        raise UnknownFormatError(f"unknown format {values[0]!r} for this query; use one of {names}")
    try:
        return negotiate(accept, offers, default)
    except NotAcceptableError:
        negotiate(accept, SERVED, default)
        return default


def offers_for(returns_graph: bool) -> tuple[tuple[Format, ...], Format]:
    """The formats a query form can be answered in, and its default."""
    return (GRAPH_OFFERS, TURTLE) if returns_graph else (RESULT_OFFERS, SPARQL_JSON)


@dataclass(frozen=True)
class Cell:
    """One RDF term, ready for an HTML table: text, optional link and note (language, type)."""

    text: str
    href: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Table:
    """Results made readable: column names and rows, or the answer of an ASK."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell | None, ...], ...]
    boolean: bool | None = None


def compact_iri(iri: str) -> str:
    """``prefix:local`` for IRIs in a known namespace, else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        local = iri.removeprefix(namespace)
        if local != iri and local and all(c.isalnum() or c in "_-." for c in local):
            return f"{prefix}:{local}"
    return iri


def link_of(iri: str, base_iri: str) -> str | None:
    """Where an IRI leads from a page: our own IRIs stay on this server, web IRIs as they are."""
    if iri.startswith(base_iri):
        return "/" + iri.removeprefix(base_iri)
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def _cell(kind: str, value: str, base_iri: str, lang: str | None, datatype: str | None) -> Cell:
    if kind in ("uri", "iri"):
        return Cell(compact_iri(value), link_of(value, base_iri))
    if kind == "bnode":
        return Cell("_:" + value)
    note = f"@{lang}" if lang else (compact_iri(datatype) if datatype else None)
    return Cell(value, None, note)


def read_solutions(body: bytes, base_iri: str) -> Table:
    """A table from SPARQL JSON results (SELECT rows or an ASK boolean)."""
    document = json.loads(body)
    if "boolean" in document:
        return Table((), (), bool(document["boolean"]))
    columns = tuple(document["head"].get("vars", []))
    rows = []
    for binding in document["results"]["bindings"]:
        row = []
        for name in columns:
            term = binding.get(name)
            row.append(
                None
                if term is None
                else _cell(
                    term["type"],
                    term["value"],
                    base_iri,
                    term.get("xml:lang"),
                    term.get("datatype"),
                )
            )
        rows.append(tuple(row))
    return Table(columns, tuple(rows))


def _node_cell(node: Node, base_iri: str) -> Cell:
    if isinstance(node, URIRef):
        return _cell("uri", str(node), base_iri, None, None)
    if isinstance(node, BNode):
        return _cell("bnode", str(node), base_iri, None, None)
    assert isinstance(node, Literal)
    datatype = str(node.datatype) if node.datatype else None
    return _cell("literal", str(node), base_iri, node.language, datatype)


def read_triples(body: bytes, base_iri: str) -> Table:
    """A subject / predicate / object table from N-Triples."""
    graph = Graph().parse(data=body, format="nt")
    rows = sorted(
        (tuple(_node_cell(n, base_iri) for n in triple) for triple in graph),
        key=lambda row: tuple(c.text for c in row),
    )
    return Table(("subject", "predicate", "object"), tuple(rows))


@dataclass(frozen=True)
class ServiceFacts:
    """What the service description states."""

    endpoint: str
    title: str
    dataset_iri: str
    description_url: str
    graphs: tuple[str, ...]
    allowed_services: tuple[str, ...]
    timeout_s: float
    row_limit: int


def describe_service(facts: ServiceFacts) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS_NS)
    graph.bind("void", VOID)
    graph.bind("dcterms", DCTERMS)
    service = URIRef(facts.endpoint)
    dataset = URIRef(facts.dataset_iri)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, DCTERMS.title, Literal(f"SPARQL endpoint of {facts.title}", lang="en")))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for fmt in (*RESULT_FORMATS, *RDF_FORMATS):
        graph.add((service, SD.resultFormat, FORMATS_NS[W3C_FORMAT[fmt.name]]))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if facts.allowed_services:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    limits = (
        f"Read-only. Each query runs for at most {facts.timeout_s:g} s and returns at most "
        f"{facts.row_limit} rows or triples (the X-SPARQL-Truncated header says when an answer "
        "was cut; the dumps hold everything). SERVICE may call only: "
        + (", ".join(facts.allowed_services) or "no endpoint")
        + "."
    )
    graph.add((service, RDFS.comment, Literal(limits, lang="en")))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDFS.seeAlso, URIRef(facts.description_url)))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, RDFS.comment, Literal("The union of all the named graphs.", lang="en")))
    for name in facts.graphs:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
    return graph


def serialize_description(graph: Graph, fmt: Format) -> bytes:
    """The description in one of the RDF formats."""
    return graph.serialize(format=RDFLIB_FORMAT[fmt.name], encoding="utf-8")
