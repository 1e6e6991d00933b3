"""The registry of formats lodpub speaks, found by name, media type or file extension."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """One serialisation: its short name, media types (first is canonical) and extension."""

    name: str
    media_types: tuple[str, ...]
    extension: str
    rdf: ox.RdfFormat | None = None
    results: ox.QueryResultsFormat | None = None

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        """The Content-Type header value, with a charset for text formats."""
        textual = self.media_type.startswith("text/") or self.media_type.endswith(
            ("+json", "/json", "+xml", "/xml", "/ld+json", "/n-triples", "/n-quads")
        )
        return f"{self.media_type}; charset=utf-8" if textual else self.media_type


TURTLE = Format("ttl", ("text/turtle", "application/x-turtle"), "ttl", rdf=ox.RdfFormat.TURTLE)
NTRIPLES = Format("nt", ("application/n-triples",), "nt", rdf=ox.RdfFormat.N_TRIPLES)
NQUADS = Format("nq", ("application/n-quads",), "nq", rdf=ox.RdfFormat.N_QUADS)
JSONLD = Format("jsonld", ("application/ld+json",), "jsonld", rdf=ox.RdfFormat.JSON_LD)
RDFXML = Format("rdf", ("application/rdf+xml",), "rdf", rdf=ox.RdfFormat.RDF_XML)
HTML = Format("html", ("text/html", "application/xhtml+xml"), "html")
SPARQL_JSON = Format(
    "json",
    ("application/sparql-results+json", "application/json"),
    "srj",
    results=ox.QueryResultsFormat.JSON,
)
SPARQL_XML = Format(
    "xml",
    ("application/sparql-results+xml", "application/xml", "text/xml"),
    "srx",
    results=ox.QueryResultsFormat.XML,
)
SPARQL_CSV = Format("csv", ("text/csv",), "csv", results=ox.QueryResultsFormat.CSV)
SPARQL_TSV = Format("tsv", ("text/tab-separated-values",), "tsv", results=ox.QueryResultsFormat.TSV)

RDF_FORMATS = (TURTLE, JSONLD, RDFXML, NTRIPLES)
RESULT_FORMATS = (SPARQL_JSON, SPARQL_XML, SPARQL_CSV, SPARQL_TSV)
ALL_FORMATS = (*RDF_FORMATS, NQUADS, HTML, *RESULT_FORMATS)


class UnknownFormatError(KeyError):
    """No format has that name, media type or extension."""


def by_name(name: str, among: tuple[Format, ...] = ALL_FORMATS) -> Format:
    """The format with this short name (``ttl``) or media type (``text/turtle``)."""
    key = name.strip().lower()
    for fmt in among:
        if key == fmt.name or key in fmt.media_types:
            return fmt
    valid = ", ".join(f.name for f in among)
    raise UnknownFormatError(f"unknown format {name!r}; use one of {valid}")


def by_extension(extension: str, among: tuple[Format, ...] = ALL_FORMATS) -> Format:
    """The format whose file extension (without the dot) is ``extension``."""
    for fmt in among:
        if extension == fmt.extension:
            return fmt
    raise UnknownFormatError(f"unknown extension {extension!r}")
