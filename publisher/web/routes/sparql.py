"""``/sparql``: the SPARQL 1.1 Protocol, read-only, every query bounded in time and rows.

Queries arrive by GET, form-encoded POST or ``application/sparql-query`` POST. Each is inspected
first (publisher.sparql: updates and LOAD are refused with 403, so is SERVICE to an endpoint off
the allow-list, before anything is fetched), then run in a worker process that is killed at the
time limit; a syntax error comes back from the store's parser as 400, pointed at in the query.

A query that runs too long answers ``503 Service Unavailable``, as Fuseki does: the service
declines to finish the work and no upstream gateway is involved (504 would blame one, and
clients and monitors read it that way). Retry-After is sent only when every worker is busy,
since repeating a runaway query cannot help.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from publisher.conneg import MalformedAcceptError, NegotiationError, negotiate
from publisher.formats import HTML, NTRIPLES, SPARQL_JSON, TURTLE, Format, UnknownFormatError
from publisher.namespaces import PREFIXES
from publisher.sparql import (
    QueryInfo,
    SparqlRequestError,
    explain_failure,
    inspect_query,
    refusal_of_update,
)
from publisher.sparql_output import (
    GRAPH_OFFERS,
    SERVED,
    ServiceFacts,
    choose_format,
    describe_service,
    offers_for,
    serialize_description,
)
from publisher.web.errors import RequestError
from publisher.web.http import store_of
from publisher.web.sparql_page import render_page
from publisher.workers import (
    QueryAnswer,
    QueryFailedError,
    QueryJob,
    QueryTimeoutError,
    WorkersBusyError,
)

router = APIRouter()

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "X-SPARQL-Truncated, Content-Type",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "86400",
    "Allow": "GET, HEAD, POST, OPTIONS",
}
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")


@dataclass(frozen=True)
class Protocol:
    """One protocol request: the query, its dataset and the formats asked by parameter."""

    query: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    formats: tuple[str, ...]


def _fail(status: int, message: str, headers: dict[str, str] | None = None) -> RequestError:
    return RequestError(status, message, {**CORS, **(headers or {})})


def _one(values: Sequence[str], name: str) -> str | None:
    if len(values) > 1:
        raise _fail(400, f"give one `{name}` parameter, not {len(values)}")
    return values[0] if values else None


def _graphs(values: Sequence[str], name: str) -> tuple[str, ...]:
    for value in values:
        if not ABSOLUTE_IRI.match(value):
            raise _fail(400, f"`{name}` must be an absolute IRI: {value!r}")
    return tuple(values)


def _protocol(query: str | None, fields: Sequence[tuple[str, str]]) -> Protocol:
    if query is None:
        raise _fail(400, "no query: send it as the `query` parameter")

    def values(name: str) -> list[str]:
        return [v for k, v in fields if k == name]

    default = _graphs(values("default-graph-uri"), "default-graph-uri")
    named = _graphs(values("named-graph-uri"), "named-graph-uri")
    if not default and not named:  # the query's FROM / FROM NAMED, else the whole store
        return Protocol(query, None, None, tuple(values("format")))
    # A dataset given by the protocol replaces the query's, and is all there is (§2.1.4).
    return Protocol(query, default, named, tuple(values("format")))


def endpoint_iri(request: Request) -> str:
    """The canonical IRI of the endpoint: the base IRI of every query."""
    return request.app.state.settings.base_iri + "sparql"  # type: ignore[no-any-return]


def _wants_page(request: Request, formats: Sequence[str]) -> bool:
    if formats:
        return any(f.strip().lower() in HTML.media_types + ("html",) for f in formats)
    try:
        return negotiate(request.headers.get("accept"), SERVED, SPARQL_JSON) is HTML
    except NegotiationError:
        return False


@router.options("/sparql")
async def options_sparql() -> Response:
    """CORS preflight: browsers may POST queries from any origin."""
    return Response(status_code=204, headers={**CORS, **PREFLIGHT})


@router.get("/sparql")
async def get_sparql(request: Request) -> Response:
    """A query in the URL; without one, the service description (or the query page)."""
    params = request.query_params
    if "update" in params:
        raise _fail(403, str(refusal_of_update(params["update"])))
    query = _one(params.getlist("query"), "query")
    if query is None:
        return await _describe(request, params.getlist("format"))
    return await _answer(request, _protocol(query, params.multi_items()))


@router.post("/sparql")
async def post_sparql(request: Request) -> Response:
    """A query in a form-encoded body or as the body itself; updates are refused."""
    media, _, params = request.headers.get("content-type", "").partition(";")
    media = media.strip().lower()
    charset = re.search(r"charset\s*=\s*\"?([\w.:-]+)", params, re.IGNORECASE)
    url_fields = request.query_params.multi_items()
    body = await request.body()
    if "update" in request.query_params:
        raise _fail(403, str(refusal_of_update(request.query_params["update"])))
    if media == UPDATE:
        raise _fail(403, str(refusal_of_update(body.decode("utf-8", "replace"))))
    if media not in (FORM, DIRECT):
        raise _fail(
            415,
            f"POST a query as {FORM} (query=…) or as {DIRECT}; got {media or 'no Content-Type'}",
        )
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        raise _fail(415, f"SPARQL requests must be UTF-8, not {charset.group(1)}")
    try:
        text = body.decode("utf-8")
        fields = parse_qsl(text, keep_blank_values=True, errors="strict") if media == FORM else []
    except UnicodeDecodeError as exc:
        raise _fail(400, "the request body is not valid UTF-8") from exc
    if media == DIRECT:
        if "query" in request.query_params:
            raise _fail(400, "the query is both in the body and in the `query` parameter")
        return await _answer(request, _protocol(text, url_fields))
    updates = [v for k, v in fields if k == "update"]
    if updates:
        raise _fail(403, str(refusal_of_update(updates[0])))
    all_fields = [*fields, *url_fields]
    query = _one([v for k, v in all_fields if k == "query"], "query")
    return await _answer(request, _protocol(query, all_fields))


async def _describe(request: Request, formats: Sequence[str]) -> Response:
    """The SPARQL Service Description, or the query page for browsers."""
    try:
        fmt = choose_format(GRAPH_OFFERS, TURTLE, formats, request.headers.get("accept"))
    except (UnknownFormatError, MalformedAcceptError) as exc:
        raise _fail(400, str(exc).strip("\"'")) from exc
    except NegotiationError as exc:
        raise _fail(406, str(exc)) from exc
    settings = request.app.state.settings
    if fmt is HTML:
        return render_page(request, None, headers={**CORS, "Vary": "Accept"})
    graphs = await run_in_threadpool(store_of(request).graphs)
    facts = ServiceFacts(
        endpoint=str(request.url.replace(query="", fragment="")),
        title=settings.dataset_title,
        dataset_iri=settings.dataset_iri,
        description_url=f"{request.base_url}dataset",
        graphs=tuple(graphs),
        allowed_services=settings.sparql_allowed_services,
        timeout_s=settings.sparql_timeout_s,
        row_limit=settings.sparql_row_limit,
    )
    body = await run_in_threadpool(serialize_description, describe_service(facts), fmt)
    return Response(body, headers={**CORS, "Vary": "Accept"}, media_type=fmt.content_type)


async def _answer(request: Request, protocol: Protocol) -> Response:
    """Inspect, run and serialise one query."""
    settings = request.app.state.settings
    page = _wants_page(request, protocol.formats)
    try:
        if len(protocol.query.encode("utf-8")) > settings.max_query_bytes:
            raise _fail(413, f"the query is longer than {settings.max_query_bytes} bytes")
        info = await _inspect(request, protocol.query)
        offers, default = offers_for(info.returns_graph)
        fmt = choose_format(offers, default, protocol.formats, request.headers.get("accept"))
        answer = await _run(request, protocol, info, fmt)
    except (UnknownFormatError, MalformedAcceptError) as exc:
        raise _fail(400, str(exc).strip("\"'")) from exc
    except NegotiationError as exc:
        raise _fail(406, str(exc)) from exc
    except RequestError as exc:
        if page:
            headers = {**exc.headers, "Vary": "Accept"}
            return render_page(
                request, protocol, error=exc.message, status=exc.status, headers=headers
            )
        raise
    headers = {**CORS, "Vary": "Accept"}
    if answer.truncated:
        request.app.state.metrics.truncated_answers += 1
        limit = settings.sparql_row_limit
        headers["X-SPARQL-Truncated"] = f"true; limit={limit}; see=/dumps/"
    if fmt is HTML:
        return render_page(request, protocol, answer=answer, headers=headers)
    return Response(answer.body, headers=headers, media_type=fmt.content_type)


async def _inspect(request: Request, query: str) -> QueryInfo:
    settings = request.app.state.settings
    try:
        return await run_in_threadpool(
            inspect_query, query, settings.sparql_allowed_services, endpoint_iri(request)
        )
    except SparqlRequestError as exc:
        raise _fail(exc.status, str(exc)) from exc


async def _run(request: Request, protocol: Protocol, info: QueryInfo, fmt: Format) -> QueryAnswer:
    """Run the query in a worker, within the time limit."""
    settings = request.app.state.settings
    if fmt is HTML:
        fmt = NTRIPLES if info.returns_graph else SPARQL_JSON
    job = QueryJob(
        protocol.query,
        fmt.name,
        protocol.default_graphs,
        protocol.named_graphs,
        settings.sparql_row_limit,
        # Relative IRIs resolve against a service-defined base, the endpoint's canonical IRI.
        base_iri=endpoint_iri(request),
        prefixes=tuple(PREFIXES.items()),
    )
    store = store_of(request)
    # Answers of a release never change, except what another service adds: not cached.
    key = None if info.services else (store.release().version, job)
    cached = request.app.state.answers.get(key) if key else None
    if cached is not None:
        request.app.state.metrics.cached_answers += 1
        return cached  # type: ignore[no-any-return]
    timeout = settings.sparql_timeout_s
    try:
        answer = await run_in_threadpool(store.query, job, timeout)
    except QueryTimeoutError as exc:
        request.app.state.metrics.query_timeouts += 1
        raise _fail(
            503,
            f"the query ran past the time limit of {timeout:g} s and was cancelled; "
            "narrow it (more specific patterns, a LIMIT) or download the whole dataset "
            "from /dumps/ and query it locally",
        ) from exc
    except WorkersBusyError as exc:
        raise _fail(503, f"{exc}", {"Retry-After": "5"}) from exc
    except QueryFailedError as exc:
        message = await run_in_threadpool(explain_failure, str(exc), protocol.query)
        raise _fail(400, message) from exc
    if key:
        request.app.state.answers.put(key, answer)
    return answer
