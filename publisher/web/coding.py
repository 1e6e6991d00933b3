"""A strong ETag per content-coding (RFC 9110 §8.8.3): a gzip-coded answer's tag says so.

Routes tag the representation they make; GZipMiddleware, which runs after them, may compress
it, and the compressed bytes need a strong validator of their own. ``CodedEntityTags`` sits
right outside GZipMiddleware and appends ``-gzip`` to the tag of every compressed answer
(``"abc"`` becomes ``"abc-gzip"``). Routes evaluate conditional requests
(``publisher.web.http.not_modified``) and take either form from a client that accepts gzip;
a 304 then carries the form the client holds.
"""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GZIP_SUFFIX = "-gzip"


def gzip_tag(etag: str) -> str:
    """The tag of the gzip-coded form of the representation tagged ``etag``."""
    return etag[:-1] + GZIP_SUFFIX + '"'


def takes_gzip(accept_encoding: str) -> bool:
    """Whether GZipMiddleware compresses (large enough) answers to this ``Accept-Encoding``."""
    return "gzip" in accept_encoding  # GZipMiddleware's own test


def listed_tags(if_none_match: str) -> set[str]:
    """The entity tags of an ``If-None-Match`` value, for weak comparison (``W/`` dropped)."""
    return {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}


def _gzip_coded(status: int, response: Headers, request: Headers, etag: str) -> bool:
    """Whether the answer is the gzip form: compressed, or a 304 to a client holding it."""
    if response.get("content-encoding") == "gzip":
        return True
    held = listed_tags(request.get("if-none-match", ""))
    return (
        status == 304 and takes_gzip(request.get("accept-encoding", "")) and gzip_tag(etag) in held
    )


class CodedEntityTags:
    """ASGI middleware: gzip-coded answers, and 304s for a gzip copy, get the gzip tag."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Headers(scope=scope)

        async def send_tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=message.setdefault("headers", []))
                etag = headers.get("etag")
                if etag and _gzip_coded(message["status"], headers, request, etag):
                    headers["etag"] = gzip_tag(etag)
            await send(message)

        await self.app(scope, receive, send_tagged)
