"""The web application: ``create_app(settings, store)`` wires routes, middleware and errors."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.gzip import GZipMiddleware

from publisher.config import Settings
from publisher.errors import PublisherError
from publisher.release import current_release
from publisher.remote.store import RemoteStore
from publisher.store import EmbeddedStore, StoreBackend
from publisher.web import i18n
from publisher.web.cache import LruCache
from publisher.web.catalog import read_in_background
from publisher.web.coding import CodedEntityTags
from publisher.web.errors import install_error_handlers
from publisher.web.guard import RequestGuard
from publisher.web.head import HeadAsGet
from publisher.web.metrics import Metrics, MetricsMiddleware
from publisher.web.reload import ReleaseWatcher
from publisher.web.replay import Recorded, ReplayDocuments
from publisher.web.routes import documents, pages, reconcile, resources, service, sparql
from publisher.workers import QueryAnswer

HERE = Path(__file__).parent
CACHE_BYTES = 64 * 1024 * 1024  # rendered documents, whole responses, SPARQL answers
DOCUMENT_PATHS = ("/doc/", "/def", "/shapes", "/dataset", "/.well-known/void")


class FixedStore:
    """A store given by the caller, served as it is."""

    def __init__(self, store: StoreBackend) -> None:
        self.store = store

    def close(self) -> None:
        self.store.close()


def _recorded_size(recorded: Recorded) -> int:
    return len(recorded.body) + sum(len(k) + len(v) for k, v in recorded.headers)


def open_stores(settings: Settings) -> FixedStore | ReleaseWatcher:
    """The configured store: the remote one (which follows its pointer graph), or the
    embedded store of the current release, followed across new releases."""
    if settings.remote_store:
        return FixedStore(RemoteStore(settings))
    if current_release(settings.release_dir) is None:
        raise PublisherError(f"no release in {settings.release_dir}: run `lodpub build` first")
    return ReleaseWatcher(
        settings.release_dir, lambda path: EmbeddedStore(path, workers=settings.query_workers)
    )


PROJECT_VARIABLE = "LODPUB_SERVE_PROJECT"


def app_for_project() -> FastAPI:
    """The app for the project folder in ``LODPUB_SERVE_PROJECT``, settings read as the
    command line reads them: what each process of ``lodpub serve --workers N`` runs."""
    return create_app(Settings.load(Path(os.environ[PROJECT_VARIABLE]), os.environ))


def create_app(settings: Settings, store: StoreBackend | None = None) -> FastAPI:
    """The app serving ``store``, by default the configured one (see ``open_stores``)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.stores = FixedStore(store) if store else open_stores(settings)
        read_in_background(app.state)
        try:
            yield
        finally:
            app.state.stores.close()

    app = FastAPI(
        title=settings.dataset_title,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.metrics = Metrics()
    app.state.documents = LruCache[bytes](CACHE_BYTES, len)
    app.state.answers = LruCache[QueryAnswer](CACHE_BYTES, lambda answer: len(answer.body))
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["settings"] = settings
    i18n.install(templates.env)
    app.state.templates = templates
    install_error_handlers(app)
    for module in (resources, documents, sparql, pages, service, reconcile):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(CodedEntityTags)
    app.add_middleware(
        ReplayDocuments, prefixes=DOCUMENT_PATHS, cache=LruCache(CACHE_BYTES, _recorded_size)
    )
    app.add_middleware(HeadAsGet)
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(RequestGuard, max_body=settings.max_query_bytes)
    return app
