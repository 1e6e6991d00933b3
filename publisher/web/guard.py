"""Refuse hostile or broken requests before any route sees them.

Checks the raw path and query string (percent-encoding, UTF-8, traversal, NUL bytes) and
reads request bodies up to a bound (413 past it, whether announced or chunked), then hands
the buffered body on. Refusals are JSON ``{"status", "error"}``, readable from any origin (a
browser client of /sparql sees why its query was refused); everything else passes.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
TRAVERSAL = re.compile(rb"(^|/)\.\.?(/|$)")


def _refusal(status: int, message: str) -> tuple[int, bytes]:
    return status, json.dumps({"status": status, "error": message}).encode()


def check_target(raw_path: bytes, query: bytes) -> tuple[int, bytes] | None:
    """Why this request target is refused, or None when it is acceptable."""
    for name, part in (("path", raw_path), ("query string", query)):
        if BAD_PERCENT.search(part):
            return _refusal(400, f"malformed percent-encoding in the {name}")
        decoded = unquote_to_bytes(part.replace(b"+", b" ") if part is query else part)
        try:
            decoded.decode("utf-8")
        except UnicodeDecodeError:
            return _refusal(400, f"the {name} is not valid UTF-8 once percent-decoded")
        if b"\x00" in decoded:
            return _refusal(400, f"NUL byte in the {name}")
    decoded_path = unquote_to_bytes(raw_path)
    if b"\\" in decoded_path or TRAVERSAL.search(decoded_path):
        return _refusal(400, "path traversal is not allowed")
    if re.search(rb"%2f", raw_path, re.IGNORECASE):
        return _refusal(400, "encoded slashes are not allowed in the path")
    return None


class RequestGuard:
    """ASGI middleware: bad targets get 400, bodies over ``max_body`` bytes get 413."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = check_target(
            scope.get("raw_path") or scope["path"].encode(), scope["query_string"]
        )
        if refusal is None:
            length = dict(scope["headers"]).get(b"content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_body):
                refusal = _refusal(413, f"request body larger than {self.max_body} bytes")
        if refusal is not None:
            await self._refuse(send, *refusal)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        body, too_large = await self._read_body(receive)
        if too_large:
            await self._refuse(
                send, *_refusal(413, f"request body larger than {self.max_body} bytes")
            )
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _read_body(self, receive: Receive) -> tuple[bytes, bool]:
        """Read the whole body (bounded); report whether it went past the limit."""
        parts, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"", False
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return b"", True
            parts.append(chunk)
            if not message.get("more_body", False):
                return b"".join(parts), False

    @staticmethod
    async def _refuse(send: Send, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"access-control-allow-origin", b"*"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
