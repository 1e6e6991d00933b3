"""HTML views of entities: the page of a thing, and the page of a removed one."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from publisher.formats import RDF_FORMATS
from publisher.namespaces import PROLOGUE
from publisher.store import Term
from publisher.web import i18n
from publisher.web.catalog import catalog_of
from publisher.web.facts import read_facts
from publisher.web.http import store_of
from publisher.web.i18n import language_of
from publisher.web.jsonld import JsonLdBuilder, serialize_jsonld
from publisher.web.relations import SECTIONS, TABLES_AFTER
from publisher.web.sections import PageBuilder

__all__ = ["language_of", "render_entity", "render_gone"]

ORDER = list(SECTIONS)
FORMAT_NAMES = {"ttl": "Turtle", "jsonld": "JSON-LD", "rdf": "RDF/XML", "nt": "N-Triples"}

TOMBSTONE = (
    PROLOGUE
    + """
SELECT ?this ?label ?release ?when WHERE {
  ?this a lgdg:Tombstone .
  OPTIONAL { ?this rdfs:label ?label }
  OPTIONAL { ?this lgdg:removedIn ?release }
  OPTIONAL { ?this prov:invalidatedAtTime ?when }
}"""
)


def document_path(request: Request, iri: str) -> str:
    """The relative path of an entity's document: ``/doc/organization/wego``."""
    base = request.app.state.settings.base_iri + "id/"
    return "/doc/" + quote(iri.removeprefix(base), safe="/-._~")


def render_entity(request: Request, iri: str, language: str) -> bytes:
    """The HTML page of an entity in ``language``."""
    catalog = catalog_of(request)
    facts = read_facts(store_of(request), iri)
    builder = PageBuilder(facts, catalog, language)
    tables = builder.tables()
    sections = builder.sections(tables)
    path = document_path(request, iri)
    alternates = [
        {"href": f"{path}.{f.extension}", "type": f.media_type, "name": FORMAT_NAMES[f.extension]}
        for f in RDF_FORMATS
    ]
    page = i18n.render_page(
        request,
        "entity.html",
        language,
        iri=iri,
        label=catalog.label(iri, language),
        kind=catalog.kind(iri),
        types=builder.types(),
        wikidata=builder.wikidata(),
        before=[s for s in sections if ORDER.index(s.key) <= ORDER.index(TABLES_AFTER)],
        after=[s for s in sections if ORDER.index(s.key) > ORDER.index(TABLES_AFTER)],
        tables=tables,
        sources=sorted(builder.sources.values(), key=lambda s: s.number),
        alternates=alternates,
        jsonld=serialize_jsonld(JsonLdBuilder(facts, catalog, language).build()),
    )
    return page.encode()


def render_gone(request: Request, iri: str) -> Response:
    """410 Gone, with a page that says the entity was removed from the dataset."""
    language = language_of(request)
    rows = store_of(request).select(TOMBSTONE, {"this": Term("iri", iri)})
    labels = {(r["label"].language or ""): r["label"].value for r in rows if "label" in r}
    release = next((r["release"].value for r in rows if "release" in r), None)
    when = next((r["when"].value for r in rows if "when" in r), None)
    page = i18n.render_page(
        request,
        "gone.html",
        language,
        iri=iri,
        label=i18n.pick({k: [v] for k, v in labels.items()}, language),
        release=release,
        when=i18n.format_date(when[:10], i18n.XSD + "date", language) if when else None,
    )
    headers = {"Cache-Control": "public, max-age=3600", "Content-Language": language}
    return HTMLResponse(page, status_code=410, headers=headers)
