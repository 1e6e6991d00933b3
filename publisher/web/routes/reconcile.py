"""``/reconcile``: the W3C Reconciliation Service API 0.2, as OpenRefine speaks it.

``GET /reconcile`` is the service manifest. Queries come as ``queries=<json>`` by GET or by
form POST (OpenRefine up to 3.x) or as a JSON body, and are answered from the release's index
(publisher.reconcile), read once per release. Entity ids are short (``organization/uclg``): the
manifest's ``identifierSpace`` followed by the id is the entity's IRI, and ``view`` leads to
``/id/{id}``. Suggest, preview and data extension (which brings the Wikidata QIDs of matched
entities into a spreadsheet) complete the service. Every answer may be read from any origin,
GET answers come as JSONP with ``callback``, and a malformed request gets 400 with its reason.
"""

from __future__ import annotations

import html
import json
import re
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from publisher.namespaces import PREFIXES
from publisher.reconcile import (
    DEFAULT_TYPES,
    MAX_LIMIT,
    SHORT_PROPERTIES,
    Entity,
    Index,
    QueryError,
    parse_batch,
    parse_extension,
    type_iri,
)
from publisher.store import Term
from publisher.text import fold
from publisher.web import i18n
from publisher.web.catalog import Catalog, catalog_of
from publisher.web.errors import RequestError
from publisher.web.http import store_of
from publisher.web.relations import CLASSES, OUT, RELATIONS
from publisher.web.terms import RDF_TYPE, WIKIDATA_ENTITY, WIKIDATA_PAGE, compact, expand

router = APIRouter()

CORS = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "86400",
    "Allow": "GET, HEAD, POST, OPTIONS",
}
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$.]{0,99}$")
MAX_PREFIX = 200
SUGGESTIONS = 10
MAX_CURSOR = 10_000
DESCRIPTION = expand("schema:description")
SAME_AS = expand("owl:sameAs")
XSD = PREFIXES["xsd"]
NUMBERS = {XSD + t for t in ("integer", "int", "long", "decimal", "double", "float")}
DATES = {XSD + "date", XSD + "dateTime"}
# What the short property names (publisher.reconcile.SHORT_PROPERTIES) are called.
SHORT_NAMES = {
    "country": ("Country", "Pays"),
    "city": ("City", "Ville"),
    "parent": ("Part of", "Fait partie de"),
    "wikidata": ("Wikidata item", "Élément Wikidata"),
}


def _fail(status: int, message: str) -> RequestError:
    return RequestError(status, message, CORS)


_LOCK = threading.Lock()


def index_of(request: Request) -> Index:
    """The reconciliation index of the release being served, read once and kept on the app."""
    store = store_of(request)
    version = store.release().version
    state = request.app.state
    with _LOCK:
        cached = getattr(state, "reconcile_index", None)
        if cached is None or cached[0] is not store or cached[1] != version:
            cached = (store, version, Index.read(store, state.settings.base_iri))
            state.reconcile_index = cached
    index: Index = cached[2]
    return index


class Service:
    """What one request needs to answer: the index, the names of things, the language."""

    def __init__(self, request: Request) -> None:
        self.index = index_of(request)
        self.catalog: Catalog = catalog_of(request)
        self.language = i18n.language_of(request)

    def term_name(self, iri: str) -> str:
        """The name of a class or property: the vocabulary's label, else a known name."""
        if self.catalog.has_label(iri):
            return self.catalog.label(iri, self.language)
        if iri in CLASSES:
            return CLASSES[iri][1 if self.language == "fr" else 0]
        relation = RELATIONS.get((iri, OUT))
        return relation.name(self.language) if relation else compact(iri)

    def term(self, iri: str) -> dict[str, str]:
        return {"id": iri, "name": self.term_name(iri)}

    def types(self, entity: Entity) -> list[dict[str, str]]:
        """An entity's classes: the default type first, then the rarest (most specific)."""
        defaults = list(DEFAULT_TYPES.values())
        sizes = self.index.class_sizes
        ordered = sorted(
            entity.classes,
            key=lambda c: (defaults.index(c) if c in defaults else len(defaults), sizes[c], c),
        )
        return [self.term(c) for c in ordered]

    def description(self, entity: Entity) -> str | None:
        texts: dict[str, list[str]] = {}
        for value in entity.values.get(DESCRIPTION, ()):
            texts.setdefault((value.language or "").lower(), []).append(value.value)
        return i18n.pick(texts, self.language)

    def entity(self, iri: str, described: bool = True) -> dict[str, Any]:
        """An entity as candidates, suggestions and extended cells show it."""
        found = {"id": self.index.id_of(iri), "name": self.catalog.label(iri, self.language)}
        description = self.description(self.index.entities[iri]) if described else None
        return {**found, "description": description} if description else found

    def cell(self, value: Term) -> dict[str, Any]:
        """One value of a data extension, in the protocol's typed form."""
        if value.is_iri:
            if value.value in self.index.entities:
                return self.entity(value.value, described=False)
            return {"str": value.value.removeprefix(WIKIDATA_ENTITY)}
        if value.datatype in NUMBERS:
            try:
                number = float(value.value)
            except ValueError:
                return {"str": value.value}
            return {"int": int(number)} if number.is_integer() else {"float": number}
        if value.datatype == XSD + "boolean":
            return {"bool": value.value in ("true", "1")}
        if value.datatype in DATES:
            return {"date": value.value}
        return {"str": value.value}

    def cells(self, values: Iterable[Term]) -> list[dict[str, Any]]:
        """Values as cells; of literals given in several languages, those in the asked one."""
        values = list(dict.fromkeys(values))
        if any((v.language or "").lower() == self.language for v in values):
            values = [v for v in values if (v.language or self.language).lower() == self.language]
        return [self.cell(v) for v in values]

    def property_name(self, pid: str, iris: tuple[str, ...]) -> str:
        names = SHORT_NAMES.get(pid)
        if names:
            return names[1 if self.language == "fr" else 0]
        return self.term_name(iris[0])


async def _answer(request: Request, work: Callable[[Service], object]) -> Response:
    """Run ``work`` off the event loop and answer JSON, or JSONP when a GET names a
    ``callback``; readable from any origin. Protocol errors become 400."""
    callback = request.query_params.get("callback") if request.method != "POST" else None
    if callback is not None and not CALLBACK.match(callback):
        raise _fail(400, "`callback` must be a JavaScript name (letters, digits, _ $ .)")

    def run() -> object:
        try:
            return work(Service(request))
        except QueryError as exc:
            raise _fail(400, str(exc)) from exc

    body = await run_in_threadpool(run)
    headers = {**CORS, "Vary": "Accept-Language, Cookie"}
    if callback is None:
        try:
            payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:  # a key or id echoed back held "\ud800"
            raise _fail(400, "the request holds a lone surrogate, which is not text") from exc
        return Response(payload, headers=headers, media_type=JSON)
    script = f"/**/{callback}({json.dumps(body)});"  # ASCII: no U+2028 for old engines
    headers["X-Content-Type-Options"] = "nosniff"
    return Response(script, headers=headers, media_type="text/javascript")


def _json(name: str, text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _fail(400, f"`{name}` is not valid JSON: {exc}") from exc


def _one(fields: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in fields if k == name]
    if len(values) > 1:
        raise _fail(400, f"give one `{name}` parameter, not {len(values)}")
    return values[0] if values else None


def manifest(request: Request, service: Service) -> dict[str, Any]:
    """The service manifest: what the service is and where its parts are."""
    site = str(request.base_url)
    settings = request.app.state.settings

    def part(path: str) -> dict[str, str]:
        return {"service_url": site.rstrip("/"), "service_path": path}

    return {
        "versions": ["0.2"],
        "name": settings.dataset_title,
        "identifierSpace": settings.base_iri + "id/",
        "schemaSpace": PREFIXES["lgdg"],
        "defaultTypes": [service.term(iri) for iri in DEFAULT_TYPES.values()],
        "view": {"url": site + "id/{{id}}"},
        "preview": {"url": site + "reconcile/preview?id={{id}}", "width": 420, "height": 160},
        "suggest": {
            "entity": part("/reconcile/suggest/entity"),
            "type": part("/reconcile/suggest/type"),
            "property": part("/reconcile/suggest/property"),
        },
        "extend": {"propose_properties": part("/reconcile/properties"), "property_settings": []},
    }


def candidates(service: Service, batch: object) -> dict[str, Any]:
    """The answer to a batch of queries: candidates by query key."""
    queries = parse_batch(batch, service.index)
    results = {}
    for key, query in queries.items():
        results[key] = {
            "result": [
                {
                    **service.entity(c.iri),
                    "type": service.types(service.index.entities[c.iri]),
                    "score": c.score,
                    "match": c.match,
                }
                for c in service.index.reconcile(query)
            ]
        }
    return results


def extension(service: Service, asked: object) -> dict[str, Any]:
    """The answer to a data extension: each property's values for each entity."""
    wanted = parse_extension(asked, service.index)
    rows = {}
    for identifier in wanted.ids:
        entity = service.index.entities.get(service.index.iri_of(identifier))
        rows[identifier] = {
            pid: service.cells(v for p in iris for v in entity.values.get(p, ())) if entity else []
            for pid, iris in wanted.properties
        }
    meta = [
        {"id": pid, "name": service.property_name(pid, iris)} for pid, iris in wanted.properties
    ]
    return {"meta": meta, "rows": rows}


async def _serve(request: Request, queries: str | None, extend: str | None) -> Response:
    if queries is not None and extend is not None:
        raise _fail(400, "send `queries` or `extend`, not both")
    if queries is not None:
        batch = _json("queries", queries)
        return await _answer(request, lambda service: candidates(service, batch))
    if extend is not None:
        asked = _json("extend", extend)
        return await _answer(request, lambda service: extension(service, asked))
    return await _answer(request, lambda service: manifest(request, service))


@router.options("/reconcile")
@router.options("/reconcile/{part:path}")
async def options_reconcile() -> Response:
    """CORS preflight: browser clients may POST queries from any origin."""
    return Response(status_code=204, headers={**CORS, **PREFLIGHT})


@router.get("/reconcile")
async def get_reconcile(request: Request) -> Response:
    """The manifest, or the answer to ``queries`` or ``extend`` given in the URL."""
    fields = request.query_params.multi_items()
    return await _serve(request, _one(fields, "queries"), _one(fields, "extend"))


@router.post("/reconcile")
async def post_reconcile(request: Request) -> Response:
    """Queries as a form (``queries=<json>``, or ``extend=``) or as a JSON body."""
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(400, "the request body is not valid UTF-8") from exc
    if media == JSON:
        batch = _json("the body", text)
        return await _answer(request, lambda service: candidates(service, batch))
    if media != FORM:
        raise _fail(415, f"POST queries as {FORM} (queries=…) or as {JSON}")
    fields = parse_qsl(text, keep_blank_values=True)
    return await _serve(request, _one(fields, "queries"), _one(fields, "extend"))


def _prefix(request: Request) -> str:
    prefix = request.query_params.get("prefix")
    if prefix is None:
        raise _fail(400, "give the text typed so far as `prefix`")
    if len(prefix) > MAX_PREFIX:
        raise _fail(400, f"`prefix` is longer than {MAX_PREFIX} characters")
    return prefix


def _page(request: Request, items: list[Any]) -> list[Any]:
    cursor = request.query_params.get("cursor", "0")
    if not cursor.isdigit() or int(cursor) > MAX_CURSOR:
        raise _fail(400, f"`cursor` must be an integer from 0 to {MAX_CURSOR}")
    return items[int(cursor) : int(cursor) + SUGGESTIONS]


def _matches(prefix: str, *names: str) -> bool:
    wanted = fold(prefix)
    return any(f" {wanted}" in f" {fold(name)}" for name in names)


@router.get("/reconcile/suggest/entity")
async def suggest_entity(request: Request) -> Response:
    """Entities whose name (or a word of it) starts with ``prefix``, for autocompletion."""
    prefix = _prefix(request)
    types = frozenset(type_iri(t) for t in request.query_params.getlist("type"))

    def work(service: Service) -> object:
        found = _page(request, service.index.suggest(prefix, types))
        return {
            "result": [
                {**service.entity(iri), "notable": service.types(service.index.entities[iri])}
                for iri in found
            ]
        }

    return await _answer(request, work)


@router.get("/reconcile/suggest/type")
async def suggest_type(request: Request) -> Response:
    """Classes of the dataset's entities whose name starts with ``prefix``, commonest first."""
    prefix = _prefix(request)

    def work(service: Service) -> object:
        classes = service.index.class_sizes.most_common()
        found = [c for c, _ in classes if _matches(prefix, service.term_name(c), compact(c))]
        return {"result": [service.term(c) for c in _page(request, found)]}

    return await _answer(request, work)


@router.get("/reconcile/suggest/property")
async def suggest_property(request: Request) -> Response:
    """Properties (and short names) whose name starts with ``prefix``, commonest first."""
    prefix = _prefix(request)

    def work(service: Service) -> object:
        short = [
            {"id": pid, "name": service.property_name(pid, iris)}
            for pid, iris in SHORT_PROPERTIES.items()
            if _matches(prefix, pid, service.property_name(pid, iris))
        ]
        used = service.index.properties().most_common()
        found = [p for p, _ in used if _matches(prefix, service.term_name(p), compact(p))]
        return {"result": _page(request, [*short, *(service.term(p) for p in found)])}

    return await _answer(request, work)


@router.get("/reconcile/properties")
async def propose_properties(request: Request) -> Response:
    """Properties worth adding as columns for entities of ``type``, commonest first."""
    asked = request.query_params.get("type")
    limit = request.query_params.get("limit", str(MAX_LIMIT))
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT:
        raise _fail(400, f"`limit` must be an integer from 1 to {MAX_LIMIT}")

    def work(service: Service) -> object:
        used = service.index.properties([type_iri(asked)] if asked else [])
        found = [service.term(p) for p, _ in used.most_common() if p not in (SAME_AS, RDF_TYPE)]
        if SAME_AS in used:
            found.insert(0, {"id": "wikidata", "name": service.property_name("wikidata", ())})
        return {"type": asked, "properties": found[: int(limit)]}

    return await _answer(request, work)


@router.get("/reconcile/preview")
async def preview(request: Request) -> HTMLResponse:
    """A small card for one entity: name, types, description, Wikidata item, its page."""
    identifier = request.query_params.get("id")
    if not identifier:
        raise _fail(400, "give the entity as `id` (e.g. organization/uclg)")

    def card() -> str:
        service = Service(request)
        iri = service.index.iri_of(identifier)
        entity = service.index.entities.get(iri)
        if entity is None or not entity.classes:
            raise _fail(404, f"no entity {identifier!r} in this dataset")
        label = html.escape(service.catalog.label(iri, service.language))
        types = html.escape(", ".join(t["name"] for t in service.types(entity)[:2]))
        page = html.escape(f"{request.base_url}id/{service.index.id_of(iri)}")
        parts = [f'<a href="{page}" target="_blank"><b>{label}</b></a> <small>{types}</small>']
        description = service.description(entity)
        if description:
            parts.append(html.escape(description))
        for item in entity.values.get(SAME_AS, ()):
            if item.value.startswith(WIKIDATA_ENTITY):
                qid = html.escape(item.value.removeprefix(WIKIDATA_ENTITY))
                link = f'<a href="{WIKIDATA_PAGE}{qid}" target="_blank">{qid}</a>'
                parts.append(f"Wikidata: {link}")
        paragraphs = "".join(f'<p style="margin:0 0 6px">{part}</p>' for part in parts)
        return (
            f'<!DOCTYPE html><html lang="{service.language}"><head><meta charset="utf-8">'
            f'<title>{label}</title></head><body style="margin:0">'
            f'<div style="font:13px/1.4 sans-serif;padding:4px">{paragraphs}</div></body></html>'
        )

    body = await run_in_threadpool(card)
    return HTMLResponse(body, headers={**CORS, "Vary": "Accept-Language, Cookie"})
