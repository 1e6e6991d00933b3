"""HTTP errors: raised anywhere in the web layer, turned into responses in one place."""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from publisher.conneg import MalformedAcceptError, NotAcceptableError
from publisher.errors import StoreError

logger = logging.getLogger("lodpub.web")


class RequestError(Exception):
    """A request the server will not answer as asked; ``status`` and a message for the client."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and not request.url.path.startswith("/sparql")


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """The one shape of every error: HTML for browsers, text for SPARQL clients, else JSON."""
    if request.url.path.startswith("/sparql"):
        return PlainTextResponse(message + "\n", status, headers=headers)
    if _wants_html(request):
        templates = request.app.state.templates
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "message": message},
            status_code=status,
            headers=headers,
        )
    body = json.dumps({"status": status, "error": message})
    return Response(body, status, headers=headers, media_type="application/json")


def install_error_handlers(app: FastAPI) -> None:
    """Map every error to a response; internals are logged, never shown."""

    @app.exception_handler(RequestError)
    async def request_error(request: Request, exc: RequestError) -> Response:
        return error_response(request, exc.status, exc.message, exc.headers)

    @app.exception_handler(NotAcceptableError)
    async def not_acceptable(request: Request, exc: NotAcceptableError) -> Response:
        return error_response(request, 406, str(exc))

    @app.exception_handler(MalformedAcceptError)
    async def malformed_accept(request: Request, exc: MalformedAcceptError) -> Response:
        return error_response(request, 400, str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        logger.error("store error on %s %s: %s", request.method, request.url.path, exc)
        return error_response(
            request, 503, "the store behind this server is unavailable; try again shortly"
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        return error_response(request, exc.status_code, message, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return error_response(request, 400, f"invalid request: {problems}")

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        logger.exception("internal error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal server error")
