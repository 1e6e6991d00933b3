"""Operational routes: liveness, metrics, robots.txt and the sitemaps of entity pages."""

from __future__ import annotations

from xml.sax.saxutils import escape

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from publisher.web.catalog import current_catalog, is_read
from publisher.web.errors import RequestError
from publisher.web.http import store_of

router = APIRouter()

XML_QUOTES = {'"': "&quot;", "'": "&apos;"}  # with & < >, what the sitemap protocol escapes
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_URLS = 50_000  # the most URLs one sitemap may list (sitemaps.org protocol)


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    """Liveness, with the release being served and whether the server is ready: ``ready`` is
    false while the index of entities pages need is read (at start, after a new release)."""
    release = store_of(request).release()
    ready = is_read(request.app.state)
    return JSONResponse(
        {"status": "ok", "release": release.version, "created": release.created, "ready": ready},
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
    """Every entity page, at the address the server is reached at (sitemaps need one host);
    past the protocol's 50,000 URLs a file, an index of sitemaps of 50,000 pages each."""
    pages = await _pages(request)
    count = _parts(pages)
    if not count:
        return _xml(_urlset(pages))
    parts = (f"{request.base_url}sitemap-{n}.xml" for n in range(1, count + 1))
    entries = "".join(f"<sitemap><loc>{escape(part, XML_QUOTES)}</loc></sitemap>" for part in parts)
    return _xml(f'<sitemapindex xmlns="{SITEMAP_NS}">{entries}</sitemapindex>')


@router.get("/sitemap-{number}.xml")
async def sitemap_part(request: Request, number: str) -> Response:
    """The pages of one sitemap of the index ``/sitemap.xml`` lists, counted from 1."""
    pages = await _pages(request)
    if not number.isdecimal() or not 1 <= int(number) <= _parts(pages):
        raise RequestError(404, f"no sitemap {number}: /sitemap.xml lists the sitemaps there are")
    start = (int(number) - 1) * SITEMAP_URLS
    return _xml(_urlset(pages[start : start + SITEMAP_URLS]))


def _parts(pages: list[str]) -> int:
    """How many sitemaps the index lists: none when one sitemap holds every page."""
    return 0 if len(pages) <= SITEMAP_URLS else -(-len(pages) // SITEMAP_URLS)


def _xml(document: str) -> Response:
    return Response(
        f'<?xml version="1.0" encoding="UTF-8"?>\n{document}\n', media_type="application/xml"
    )


def _urlset(pages: list[str]) -> str:
    urls = "".join(f"<url><loc>{escape(page, XML_QUOTES)}</loc></url>" for page in pages)
    return f'<urlset xmlns="{SITEMAP_NS}">{urls}</urlset>'


async def _pages(request: Request) -> list[str]:
    """The URL of every entity page, at the address the server is reached at, in the order of
    the entities' IRIs (removed and merged entities, which answer 410 and 301, are not pages
    to crawl)."""
    catalog = await run_in_threadpool(current_catalog, request.app.state)
    site = str(request.base_url).rstrip("/")
    return [site + path for path in catalog.pages]
