"""Operational routes: liveness, metrics, robots.txt and the sitemap of entity pages."""

from __future__ import annotations

from xml.sax.saxutils import escape

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from publisher.store import Term
from publisher.web.http import store_of

router = APIRouter()

ENTITIES = """
SELECT DISTINCT ?this ?prefix WHERE {
  ?this a ?type .
  FILTER(STRSTARTS(STR(?this), ?prefix))
} ORDER BY ?this
"""


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
    """Crawlers may read pages but not hammer the query endpoint."""
    return PlainTextResponse("User-agent: *\nDisallow: /sparql\nSitemap: /sitemap.xml\n")


@router.get("/sitemap.xml")
async def sitemap(request: Request) -> Response:
    """Every entity page, at the address the server is reached at (sitemaps need one host)."""
    base = request.app.state.settings.base_iri
    rows = store_of(request).select(ENTITIES, {"prefix": Term("literal", base + "id/")})
    site = str(request.base_url)
    pages = (site + "doc/" + row["this"].value.removeprefix(base + "id/") for row in rows)
    urls = "".join(f"<url><loc>{escape(page)}</loc></url>" for page in pages)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + urls + "</urlset>\n"
    )
    return Response(body, media_type="application/xml")
