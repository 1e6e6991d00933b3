"""Replay whole responses of the release's documents without running the app again.

A document of a release never changes, and what the server sends for one depends only on the
request target and the headers that negotiate it; so the first ``200`` of a document (one with
an ``ETag``, which the document routes set) is kept, keyed by the release version, the target
and those headers, and later identical requests get the same bytes straight away. Conditional
and ranged requests go to the routes, which answer them from the same validators.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from publisher.web.cache import LruCache

NEGOTIATING = (b"accept", b"accept-language", b"accept-encoding", b"cookie")
CONDITIONAL = (b"if-none-match", b"if-modified-since", b"if-match", b"range")


@dataclass(frozen=True)
class Recorded:
    """A response as sent: status line headers and body, and the route that made it."""

    status: int
    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    route: object


class ReplayDocuments:
    """ASGI middleware: the documents under ``prefixes`` answered again from memory."""

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...], cache: LruCache[Recorded]):
        self.app = app
        self.prefixes = prefixes
        self.cache = cache

    def _key(self, scope: Scope) -> Hashable | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        path: str = scope["path"]
        if not path.startswith(self.prefixes):
            return None
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if any(name in CONDITIONAL for name, _ in headers):
            return None
        version = scope["app"].state.stores.store.release().version
        # Every value of a repeated header, in order: routes read the first, another may not.
        negotiated = tuple(tuple(v for k, v in headers if k == name) for name in NEGOTIATING)
        return (version, scope.get("root_path", ""), path, scope["query_string"], negotiated)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        recorded = self.cache.get(key)
        if recorded is not None:
            scope["route"] = recorded.route
            scope["app"].state.metrics.replayed_responses += 1
            await send(
                {"type": "http.response.start", "status": 200, "headers": list(recorded.headers)}
            )
            await send({"type": "http.response.body", "body": recorded.body})
            return
        start: Message = {}
        parts: list[bytes] = []

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, recording_send)
        headers = tuple((bytes(k), bytes(v)) for k, v in start.get("headers", ()))
        if start.get("status") == 200 and any(k.lower() == b"etag" for k, _ in headers):
            body = b"".join(parts)
            self.cache.put(key, Recorded(200, headers, body, scope.get("route")))
