"""Pages for people: the home page, the label search and a list per type of entity."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from publisher.conneg import negotiate
from publisher.formats import HTML, by_name
from publisher.web import i18n
from publisher.web.catalog import Catalog, catalog_of
from publisher.web.errors import RequestError
from publisher.web.examples import examples
from publisher.web.http import store_of
from publisher.web.sections import type_names

router = APIRouter()
KIND = re.compile(r"^[a-z][a-z0-9-]{0,40}$")
MAX_QUERY = 200
MAX_HITS = 100
PAGE_SIZE = 500
COOKIE_AGE = 365 * 24 * 3600
# The home page lists the main kinds of things first, then the n-ary nodes and schemes.
KIND_ORDER = (
    *("organization", "person", "event", "agreement", "initiative", "city", "country"),
    *("site", "topic", "role", "source", "post", "membership", "party", "scheme"),
)


def _render(request: Request, template: str, language: str, **context: Any) -> HTMLResponse:
    """A page in ``language``; ``?lang=`` is remembered in the ``lang`` cookie."""
    body = i18n.render_page(request, template, language, **context)
    response = HTMLResponse(
        body, headers={"Content-Language": language, "Vary": "Accept-Language, Cookie"}
    )
    _remember(request, response)
    return response


def _remember(request: Request, response: Response) -> None:
    chosen = request.query_params.get("lang")
    if chosen in i18n.LANGUAGES:
        response.set_cookie("lang", chosen, max_age=COOKIE_AGE, samesite="lax")


def _kind_name(kind: str, language: str) -> str:
    name = i18n.t(f"type.{kind}", language)
    return kind if name == f"type.{kind}" else name


def _rank(kind: str) -> tuple[int, str]:
    return (KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER), kind)


@router.get("/")
def home(request: Request) -> HTMLResponse:
    """What the dataset is, what it holds, example queries and downloads."""
    language = i18n.language_of(request)
    catalog = catalog_of(request)
    kinds = [
        {"kind": kind, "name": _kind_name(kind, language), "count": count}
        for kind, count in sorted(catalog.counts().items(), key=lambda item: _rank(item[0]))
    ]
    return _render(
        request,
        "home.html",
        language,
        kinds=kinds,
        total=sum(k["count"] for k in kinds),
        examples=examples(catalog, language),
        release=store_of(request).release(),
    )


def _hit(catalog: Catalog, iri: str, kind: str, matched: str, language: str) -> dict[str, str]:
    return {
        "iri": iri,
        "href": catalog.href(iri) or iri,
        "label": catalog.label(iri, language),
        "type": kind,
        "type_name": next(iter(type_names(catalog, iri, language)), kind),
        "matched": matched,
    }


def _wants_json(request: Request) -> bool:
    wanted = request.query_params.get("format")
    if wanted:
        if wanted not in ("json", "html"):
            raise RequestError(400, f"unknown format {wanted!r}; use json or html")
        return wanted == "json"
    offers = (HTML, by_name("json"))
    return negotiate(request.headers.get("accept"), offers, HTML) is not HTML


@router.get("/search", response_model=None)
def search(request: Request, q: str = "") -> Response:
    """Entities whose name, acronym or title holds the words of ``q`` (case and accents
    ignored); HTML, or JSON with ``Accept: application/json`` or ``format=json``."""
    if len(q) > MAX_QUERY:
        raise RequestError(400, f"the search text is longer than {MAX_QUERY} characters")
    language = i18n.language_of(request)
    catalog = catalog_of(request)
    hits = catalog.search(q, language)
    results = [_hit(catalog, h.iri, h.kind, h.matched, language) for h in hits[:MAX_HITS]]
    if _wants_json(request):
        body = {"query": q, "language": language, "count": len(hits), "results": results}
        return JSONResponse(body, headers={"Vary": "Accept, Accept-Language, Cookie"})
    response = _render(
        request, "search.html", language, q=q, results=results, count=len(hits), limit=MAX_HITS
    )
    response.headers["Vary"] = "Accept, Accept-Language, Cookie"
    return response


@router.get("/list/{kind}")
def list_kind(request: Request, kind: str, page: int = 1) -> HTMLResponse:
    """Every entity of one type (``organization``, ``person``, …), by label."""
    catalog = catalog_of(request)
    if not KIND.match(kind) or kind not in catalog.counts():
        raise RequestError(404, f"no entities of type {kind!r}; see the home page for the types")
    language = i18n.language_of(request)
    members = catalog.members(kind, language)
    pages = max(1, -(-len(members) // PAGE_SIZE))
    if not 1 <= page <= pages:
        raise RequestError(404, f"no page {page} of /list/{kind}")
    shown = members[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    items = [
        {
            "href": catalog.href(iri) or iri,
            "label": catalog.label(iri, language),
            "types": type_names(catalog, iri, language)[:1],
        }
        for iri in shown
    ]
    return _render(
        request,
        "list.html",
        language,
        kind=kind,
        name=_kind_name(kind, language),
        items=items,
        count=len(members),
        page=page,
        pages=pages,
    )
