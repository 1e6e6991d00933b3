"""Response helpers shared by routes: caching validators, conditional requests, alternates."""

from __future__ import annotations

import datetime
import email.utils
import hashlib
from collections.abc import Callable, Sequence

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from publisher.formats import Format
from publisher.store import StoreBackend
from publisher.web.cache import LruCache
from publisher.web.coding import gzip_tag, listed_tags, takes_gzip

CACHE_CONTROL = "public, max-age=3600"


def store_of(request: Request) -> StoreBackend:
    """The store the app serves (the current release's, when it follows releases)."""
    return request.app.state.stores.store  # type: ignore[no-any-return]


def canonical_iri(request: Request, path: str) -> str:
    """The canonical IRI of a request path, whatever host the server is reached at."""
    return request.app.state.settings.base_iri + path.lstrip("/")


def last_modified(request: Request) -> str:
    """HTTP date of the release being served: documents change only with a release."""
    created = store_of(request).release().created
    stamp = datetime.datetime.fromisoformat(created.replace("Z", "+00:00"))
    return email.utils.format_datetime(stamp.astimezone(datetime.UTC), usegmt=True)


def entity_tag(request: Request, *parts: str) -> str:
    """A strong ETag from the release version and what identifies the representation."""
    seed = "\x1f".join((store_of(request).release().version, *parts))
    return '"' + hashlib.sha256(seed.encode()).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str, modified: str) -> bool:
    """Whether the client's conditional headers say its copy is current (RFC 9110 §13).

    A client that accepts gzip may hold the gzip-coded form, tagged ``gzip_tag(etag)``.
    """
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = listed_tags(if_none_match)
        forms = {etag}
        if takes_gzip(request.headers.get("accept-encoding", "")):
            forms.add(gzip_tag(etag))
        return "*" in tags or not tags.isdisjoint(forms)
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return email.utils.parsedate_to_datetime(since) >= email.utils.parsedate_to_datetime(
                modified
            )
        except (TypeError, ValueError):
            return False
    return False


def alternate_links(path: str, formats: Sequence[Format], current: Format) -> str:
    """``Link`` header value naming every other representation of the document at ``path``."""
    return ", ".join(
        f'<{path}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
        for f in formats
        if f is not current
    )


async def document_response(
    request: Request,
    render: Callable[[], bytes],
    fmt: Format,
    *,
    etag: str,
    headers: dict[str, str] | None = None,
) -> Response:
    """A cacheable document: validators, ``Cache-Control``, and 304 when the copy is current.

    ``render`` runs off the event loop, and only when neither the client nor the server's
    document cache already holds this representation of this release.
    """
    modified = last_modified(request)
    common = {
        "ETag": etag,
        "Last-Modified": modified,
        "Cache-Control": CACHE_CONTROL,
        **(headers or {}),
    }
    if not_modified(request, etag, modified):
        return Response(status_code=304, headers=common)
    cache: LruCache[bytes] = request.app.state.documents
    body = cache.get(etag)
    if body is None:
        body = await run_in_threadpool(render)
        cache.put(etag, body)
    return Response(body, 200, headers=common, media_type=fmt.content_type)
