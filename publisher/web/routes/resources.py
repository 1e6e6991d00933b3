"""Cool URIs: ``/id/…`` names a thing and redirects (303) to ``/doc/…``, which negotiates."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from publisher.conneg import negotiate
from publisher.formats import (
    HTML,
    RDF_FORMATS,
    TURTLE,
    Format,
    UnknownFormatError,
    by_extension,
    by_name,
)
from publisher.store import Presence, is_iri
from publisher.web import entity
from publisher.web.errors import RequestError
from publisher.web.http import (
    alternate_links,
    canonical_iri,
    document_response,
    entity_tag,
    store_of,
)

router = APIRouter()
DOCUMENT_FORMATS = (*RDF_FORMATS, HTML)
KIND = re.compile(r"^[a-z][a-z0-9-]*$")


def _path(kind: str, slug: str) -> str:
    return f"{kind}/{quote(slug, safe='-._~')}"


def _iri(request: Request, kind: str, slug: str) -> str:
    """The canonical IRI ``/id/{kind}/{slug}`` names, checked once for every store call.

    A slug that cannot be part of an IRI (a space, a quote, ``<``, ``|``, a control character,
    a ``%`` not followed by two hex digits, once the path is decoded) is answered 404, like any
    other IRI this dataset does not have, rather than 400: the request is well-formed HTTP (the
    guard has checked its encoding), it only asks for a resource that cannot exist. The check
    is the IRI parser the stores build their terms with.
    """
    if not KIND.match(kind) or not slug or slug.startswith("."):
        raise RequestError(404, f"no resource /id/{kind}/{slug}")
    iri = canonical_iri(request, f"/id/{kind}/{slug}")
    if not is_iri(iri):
        message = f"no resource /id/{_path(kind, slug)}: this path cannot name a resource"
        raise RequestError(404, message)
    return iri


def _successor_path(request: Request, successor: str, prefix: str) -> str:
    base = request.app.state.settings.base_iri + "id/"
    return prefix + quote(successor.removeprefix(base), safe="/-._~")


@router.get("/id/{kind}/{slug}")
async def identify(request: Request, kind: str, slug: str) -> Response:
    """A thing's IRI: 303 See Other to its document (or 404 / 410 / 301)."""
    iri = _iri(request, kind, slug)
    lookup = await run_in_threadpool(store_of(request).exists, iri)
    if lookup.presence is Presence.ENTITY:
        return RedirectResponse(f"/doc/{_path(kind, slug)}", status_code=303)
    return await _absent(request, iri, lookup.presence, lookup.successor, "/id/")


async def _absent(
    request: Request, iri: str, presence: Presence, successor: str | None, prefix: str
) -> Response:
    if presence is Presence.REPLACED and successor:
        return RedirectResponse(_successor_path(request, successor, prefix), status_code=301)
    if presence is Presence.REMOVED:
        return await run_in_threadpool(entity.render_gone, request, iri)
    path = iri.removeprefix(request.app.state.settings.base_iri)
    raise RequestError(404, f"no resource /{path} in this dataset")


def _choose_format(request: Request, slug: str) -> tuple[str, Format]:
    """Split an extension off the slug, or negotiate; return (slug, format)."""
    stem, dot, extension = slug.rpartition(".")
    if dot and stem:
        try:
            return stem, by_extension(extension, DOCUMENT_FORMATS)
        except UnknownFormatError:
            pass
    wanted = request.query_params.get("format")
    if wanted:
        try:
            return slug, by_name(wanted, DOCUMENT_FORMATS)
        except UnknownFormatError as exc:
            raise RequestError(400, str(exc).strip("'\"")) from exc
    return slug, negotiate(request.headers.get("accept"), DOCUMENT_FORMATS, TURTLE)


@router.get("/doc/{kind}/{slug}")
async def document(request: Request, kind: str, slug: str) -> Response:
    """A thing's document in the format asked for (Accept, ``?format=`` or an extension)."""
    slug, fmt = _choose_format(request, slug)
    iri = _iri(request, kind, slug)
    lookup = await run_in_threadpool(store_of(request).exists, iri)
    if lookup.presence is not Presence.ENTITY:
        return await _absent(request, iri, lookup.presence, lookup.successor, "/doc/")
    path = f"/doc/{_path(kind, slug)}"
    headers = {
        "Vary": "Accept, Accept-Language",
        "Content-Location": f"{path}.{fmt.extension}",
        "Link": alternate_links(path, DOCUMENT_FORMATS, fmt),
    }
    if fmt is HTML:
        language = entity.language_of(request)
        headers["Content-Language"] = language
        headers["Vary"] += ", Cookie"  # the language may come from the `lang` cookie
        etag = entity_tag(request, path, fmt.name, language)
        return await document_response(
            request,
            lambda: entity.render_entity(request, iri, language),
            fmt,
            etag=etag,
            headers=headers,
        )
    store = store_of(request)
    etag = entity_tag(request, path, fmt.name)
    return await document_response(
        request, lambda: store.describe(iri, fmt), fmt, etag=etag, headers=headers
    )
