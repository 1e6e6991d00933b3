"""HTML views of entities: the page of a thing, and the page of a removed one."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from publisher.store import Term
from publisher.web.http import store_of
from publisher.web.i18n import language_of

__all__ = ["language_of", "render_entity", "render_gone"]

STATEMENTS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?this ?lang ?p ?plabel ?o ?olabel WHERE {
  ?this ?p ?o .
  OPTIONAL { ?p rdfs:label ?plabel FILTER(LANG(?plabel) = ?lang) }
  OPTIONAL { ?o rdfs:label|foaf:name ?olabel FILTER(LANG(?olabel) IN (?lang, "")) }
} ORDER BY ?p ?o
"""


def render_entity(request: Request, iri: str, language: str) -> bytes:
    """The HTML page of an entity in ``language``."""
    bindings = {"this": Term("iri", iri), "lang": Term("literal", language)}
    rows = store_of(request).select(STATEMENTS, bindings)
    labels = [r["o"].value for r in rows if r["p"].value.endswith("#label")]
    template = request.app.state.templates.get_template("entity.html")
    page = template.render(
        request=request, iri=iri, label=labels[0] if labels else iri, rows=rows, lang=language
    )
    return page.encode()


def render_gone(request: Request, iri: str) -> Response:
    """410 Gone, with a page that says the entity was removed from the dataset."""
    return request.app.state.templates.TemplateResponse(
        request,
        "gone.html",
        {"iri": iri},
        status_code=410,
        headers={"Cache-Control": "public, max-age=3600"},
    )
