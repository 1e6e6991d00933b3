"""Operational routes: liveness, metrics, robots.txt and the sitemap of entity pages."""

from __future__ import annotations

from urllib.parse import quote
from xml.sax.saxutils import escape

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from publisher.store import StoreBackend, Term
from publisher.web.http import store_of

router = APIRouter()

XML_QUOTES = {'"': "&quot;", "'": "&apos;"}  # with & < >, what the sitemap protocol escapes
ENTITIES = """
SELECT DISTINCT ?this ?prefix WHERE {
  ?this a ?type .
  FILTER(STRSTARTS(STR(?this), ?prefix))
  FILTER NOT EXISTS { ?this a <https://w3id.org/lgdg/def#Tombstone> }
} ORDER BY ?this
"""  # removed and merged entities answer 410 / 301: not pages to crawl


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    """Liveness, with the release being served."""
    release = store_of(request).release()
    return JSONResponse(
        {"status": "ok", "release": release.version, "created": release.created},
        headers={"Cache-Control": "no-store"},
    )


@router.get("/metrics")
async def metrics(request: Request) -> PlainTextResponse:
    """Request counts, latencies and query timeouts in the Prometheus text format."""
    text = request.app.state.metrics.render(store_of(request).release().version)
    return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")


@router.get("/robots.txt")
async def robots(request: Request) -> PlainTextResponse:
    """Crawlers may read pages but not hammer the query endpoint; the sitemap's URL is absolute."""
    sitemap = f"{request.base_url}sitemap.xml"
    return PlainTextResponse(f"User-agent: *\nDisallow: /sparql\nSitemap: {sitemap}\n")


@router.get("/sitemap.xml")
async def sitemap(request: Request) -> Response:
    """Every entity page, at the address the server is reached at (sitemaps need one host)."""
    store, base = store_of(request), request.app.state.settings.base_iri
    body = await run_in_threadpool(sitemap_xml, store, base, str(request.base_url))
    return Response(body, media_type="application/xml")


def sitemap_xml(store: StoreBackend, base_iri: str, site: str) -> str:
    """The sitemap of every entity page under ``site``.

    A page's path is its IRI's, percent-encoded as UTF-8 (RFC 3986) but for ``/`` and the
    unreserved characters, so that the server decodes it back to that IRI (a ``?``, a ``#`` or
    a ``%`` in an IRI stays part of the path).
    """
    rows = store.select(ENTITIES, {"prefix": Term("literal", base_iri + "id/")})
    keys = (row["this"].value.removeprefix(base_iri + "id/") for row in rows)
    pages = (site + "doc/" + quote(key, safe="/-._~") for key in keys)
    urls = "".join(f"<url><loc>{escape(page, XML_QUOTES)}</loc></url>" for page in pages)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + urls + "</urlset>\n"
    )
