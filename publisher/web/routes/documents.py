"""Release files: the vocabulary, the shapes, the dataset description and the dumps."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

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
from publisher.release import CHECKSUMS
from publisher.web import vocabulary
from publisher.web.errors import RequestError
from publisher.web.http import (
    alternate_links,
    document_response,
    entity_tag,
    last_modified,
    not_modified,
    store_of,
)

router = APIRouter()
RDFLIB_NAMES = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml", "nt": "nt"}
DOWNLOADS = {"SHA256SUMS": "text/plain; charset=utf-8", "release.json": "application/json"}


def _release_dir(request: Request) -> Path:
    path = store_of(request).release().path
    if path is None:
        raise RequestError(404, "this server publishes no release files")
    return path


def _format(request: Request, offers: tuple[Format, ...]) -> Format:
    wanted = request.query_params.get("format")
    if wanted:
        try:
            return by_name(wanted, offers)
        except UnknownFormatError as exc:
            raise RequestError(400, str(exc).strip("'\"")) from exc
    return negotiate(request.headers.get("accept"), offers, offers[0])


def _render(source: Path, fmt: Format) -> bytes:
    if fmt is TURTLE:
        return source.read_bytes()
    graph = rdflib.Graph().parse(source)
    return graph.serialize(format=RDFLIB_NAMES[fmt.name], encoding="utf-8")


async def _rdf_file(request: Request, name: str, path: str, html_view: bool) -> Response:
    offers = (*RDF_FORMATS, HTML) if html_view else RDF_FORMATS
    suffix = request.url.path.removeprefix(path)
    fmt = by_extension(suffix[1:], offers) if suffix else _format(request, offers)
    source = _release_dir(request) / name
    headers = {"Vary": "Accept", "Link": alternate_links(path, offers, fmt)}
    headers["Content-Location"] = f"{path}.{fmt.extension}"
    if fmt is HTML:
        language = vocabulary.language_of(request)
        headers["Content-Language"] = language
        headers["Vary"] = "Accept, Accept-Language, Cookie"
        return await document_response(
            request,
            lambda: vocabulary.render(request, rdflib.Graph().parse(source), language),
            fmt,
            etag=entity_tag(request, path, fmt.name, language),
            headers=headers,
        )
    etag = entity_tag(request, path, fmt.name)
    return await document_response(
        request, lambda: _render(source, fmt), fmt, etag=etag, headers=headers
    )


for _path, _name, _html in (
    ("/def", "ontology.ttl", True),
    ("/shapes", "shapes.ttl", False),
    ("/dataset", "void.ttl", False),
    ("/.well-known/void", "void.ttl", False),
):

    async def _route(
        request: Request, name: str = _name, path: str = _path, html_view: bool = _html
    ) -> Response:
        return await _rdf_file(request, name, path, html_view)

    router.add_api_route(_path, _route, methods=["GET"])
    for _format_ in (*RDF_FORMATS, HTML) if _html else RDF_FORMATS:
        router.add_api_route(f"{_path}.{_format_.extension}", _route, methods=["GET"])


def _downloads(request: Request) -> dict[str, Path]:
    release = _release_dir(request)
    files = {p.name: p for p in sorted((release / "dumps").iterdir()) if p.is_file()}
    files.update({name: release / name for name in DOWNLOADS if (release / name).is_file()})
    return files


def _checksums(release: Path) -> dict[str, str]:
    sums = {}
    for line in (release / CHECKSUMS).read_text("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        sums[name.removeprefix("dumps/")] = digest
    return sums


@router.get("/dumps/")
async def dump_index(request: Request) -> Response:
    """The downloads of the current release, with sizes and SHA-256 checksums."""
    release = store_of(request).release()
    files = _downloads(request)
    sums = _checksums(_release_dir(request))
    rows = [
        {"name": name, "bytes": path.stat().st_size, "sha256": sums.get(name)}
        for name, path in files.items()
    ]
    if negotiate(request.headers.get("accept"), (HTML, by_name("json")), HTML) is not HTML:
        return Response(
            json.dumps({"version": release.version, "created": release.created, "files": rows}),
            media_type="application/json",
        )
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "dumps.html",
        {"release": release, "rows": rows},
    )


@router.get("/dumps/{name}")
async def dump_file(request: Request, name: str) -> Response:
    """One download, with validators, conditional 304 and byte ranges."""
    path = _downloads(request).get(name)
    if path is None:
        raise RequestError(404, f"no download named {name!r}; see /dumps/")
    sums = _checksums(_release_dir(request))
    etag = f'"{sums[name][:32]}"' if name in sums else entity_tag(request, "/dumps/", name)
    modified = last_modified(request)
    headers = {"ETag": etag, "Last-Modified": modified, "Cache-Control": "public, max-age=3600"}
    if not_modified(request, etag, modified):
        return Response(status_code=304, headers=headers)
    media_type = DOWNLOADS.get(name, "application/gzip")
    return FileResponse(path, media_type=media_type, headers=headers, filename=name)
