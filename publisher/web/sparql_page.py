"""The HTML query page of ``/sparql``: editor, examples, results table, download links."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response

from publisher.formats import RDF_FORMATS, RESULT_FORMATS
from publisher.namespaces import PROLOGUE
from publisher.sparql_output import Table, read_solutions, read_triples
from publisher.web import i18n
from publisher.web.catalog import catalog_of
from publisher.web.examples import examples
from publisher.workers import QueryAnswer

if TYPE_CHECKING:
    from publisher.web.routes.sparql import Protocol

STARTER = (
    PROLOGUE
    + "\n# What the dataset holds: each type and how many things have it\n"
    + "SELECT ?type (COUNT(DISTINCT ?thing) AS ?count) WHERE {\n  ?thing a ?type\n}\n"
    + "GROUP BY ?type\nORDER BY DESC(?count)\n"
)
DOWNLOAD_LABELS = {
    "json": "JSON",
    "xml": "XML",
    "csv": "CSV",
    "tsv": "TSV",
    "ttl": "Turtle",
    "nt": "N-Triples",
    "jsonld": "JSON-LD",
    "rdf": "RDF/XML",
}


def query_link(protocol: Protocol, format_name: str) -> str:
    """A relative link that runs the same query on the same dataset in another format."""
    fields = [("query", protocol.query)]
    fields += [("default-graph-uri", g) for g in protocol.default_graphs or ()]
    fields += [("named-graph-uri", g) for g in protocol.named_graphs or ()]
    return "/sparql?" + urlencode([*fields, ("format", format_name)])


def render_page(
    request: Request,
    protocol: Protocol | None,
    *,
    answer: QueryAnswer | None = None,
    error: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """The query page, with the query's results (or its error) when there is one."""
    settings = request.app.state.settings
    table: Table | None = None
    downloads: list[tuple[str, str]] = []
    if answer is not None and protocol is not None:
        if answer.kind == "graph":
            table = read_triples(answer.body, settings.base_iri)
            formats = RDF_FORMATS
        else:
            table = read_solutions(answer.body, settings.base_iri)
            formats = RESULT_FORMATS
        downloads = [(DOWNLOAD_LABELS[f.name], query_link(protocol, f.name)) for f in formats]
    context = {
        "query": protocol.query if protocol else STARTER,
        "table": table,
        "truncated": bool(answer and answer.truncated),
        "downloads": downloads,
        "error": error,
        "status": status,
        "timeout_s": settings.sparql_timeout_s,
        "row_limit": settings.sparql_row_limit,
        "allowed_services": settings.sparql_allowed_services,
        "examples": examples(catalog_of(request), i18n.language_of(request)),
    }
    return request.app.state.templates.TemplateResponse(  # type: ignore[no-any-return]
        request, "sparql.html", context, status_code=status, headers=headers
    )
