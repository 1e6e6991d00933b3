"""HEAD for every GET route, in one place: the GET runs and its body is dropped.

RFC 9110 §9.3.2: a HEAD answer carries the headers a GET would, Content-Length, Content-Type,
Content-Encoding and validators included. Routes declare GET only; below this middleware a HEAD
request is a GET (so compression, validators and replayed documents are the GET's own), and
the body goes nowhere. What routing records in the request (the route, which metrics read) is
kept in the HEAD request's scope.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware: a HEAD request is answered as the GET, without its body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        get = {**scope, "method": "GET"}

        async def send_headers(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        try:
            await self.app(get, receive, send_headers)
        finally:
            scope.update((key, value) for key, value in get.items() if key != "method")
