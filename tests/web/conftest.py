"""Real servers for the web tests: uvicorn on 127.0.0.1 serving a built release."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import uvicorn
from fastapi import FastAPI

from publisher.config import Settings
from publisher.release import Release
from publisher.remote.push import push_release
from publisher.store import EmbeddedStore, write_store
from publisher.web.app import create_app
from tests.conftest import Project

BACKENDS = ("embedded", "virtuoso")


@contextmanager
def running(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with a real uvicorn on a free loopback port; yield its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def make_release(folder: Path, trig: str, version: str = "fixture") -> Path:
    """A minimal release folder (store + manifest) holding the quads of ``trig``."""
    folder.mkdir(parents=True, exist_ok=True)
    quads = list(ox.parse(trig.encode(), format=ox.RdfFormat.TRIG))
    write_store(folder / "store", quads, [q.triple for q in quads])
    manifest = {"version": version, "created": "2026-01-01T00:00:00Z"}
    (folder / "release.json").write_text(json.dumps(manifest))
    return folder


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest, built: Project) -> Settings:
    """Settings serving the built release from each store: embedded, then Virtuoso (pushed)."""
    if request.param == "embedded":
        return built.settings
    settings = request.getfixturevalue("virtuoso").settings(built.settings)
    push_release(settings, Release(built.current, built.current.name))
    return settings  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def server(backend: Settings) -> Iterator[str]:
    """Base URL of a real server over the release built from the project's data."""
    with running(create_app(backend)) as base:
        yield base


@pytest.fixture
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30, follow_redirects=False) as http:
        yield http


@contextmanager
def serving_fixture(tmp_path: Path, trig: str, settings: Settings) -> Iterator[str]:
    """A server over a hand-made store (for cases the real data does not have)."""
    release = make_release(tmp_path / "release", trig)
    with running(create_app(settings, store=EmbeddedStore(release, workers=1))) as base:
        yield base
