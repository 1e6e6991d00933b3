"""`lodpub serve` as a user starts it: one process, or several answering on the same port."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest
import rdflib

from tests.conftest import Project
from tests.virtuoso import free_port

WEGO = "https://w3id.org/lgdg/id/organization/wego"
HTML = {"Accept": "text/html"}


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux)."""
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


@contextmanager
def serving(
    project: Project, *options: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``lodpub serve`` on a free port, stopped (with its workers) at the end."""
    port = free_port()
    command = ["lodpub", "--project", str(project.root), "serve", "--port", str(port)]
    environment = {**os.environ, **(env or {})}
    process = subprocess.Popen([*command, *options], start_new_session=True, env=environment)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # up to 30 s
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "lodpub serve exited"
            time.sleep(0.1)
        else:
            pytest.fail("lodpub serve did not answer in 30 s")
        yield base, process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_two_workers_answer_documents_and_queries(built: Project) -> None:
    with serving(built, "--workers", "2") as (base, process):
        workers = children(process.pid)
        # uvicorn's supervisor starts one process per worker (and a resource tracker)
        assert len([w for w in workers if b"spawn_main" in _cmdline(w)]) >= 2
        for _ in range(20):
            answer = httpx.get(base + "/doc/organization/wego.ttl", timeout=10)
            assert answer.status_code == 200
            graph = rdflib.Graph().parse(data=answer.content, format="turtle")
            assert (rdflib.URIRef(WEGO), rdflib.RDF.type, None) in graph
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        counted = httpx.get(base + "/sparql", params={"query": query}, timeout=10)
        assert counted.status_code == 200
        assert int(counted.json()["results"]["bindings"][0]["n"]["value"]) > 1000


def _cmdline(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def test_a_worker_count_that_is_not_positive_is_refused(built: Project) -> None:
    run = subprocess.run(
        ["lodpub", "--project", str(built.root), "serve", "--workers", "-1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "--workers must be positive" in run.stderr


def test_every_page_is_the_same_bytes_whatever_process_serves_it(built: Project) -> None:
    """Sets of strings iterate in an order of the process (hash randomisation): nothing a
    page shows, such as the numbers of its sources, may follow it."""
    pages = []
    with ExitStack() as stack:
        bases = [
            stack.enter_context(serving(built, env={"PYTHONHASHSEED": seed}))[0]
            for seed in ("1", "2")
        ]
        listed = httpx.get(bases[0] + "/sitemap.xml", timeout=30).text
        paths = [loc.removeprefix(bases[0]) for loc in re.findall(r"<loc>([^<]+)</loc>", listed)]
        assert len(paths) > 100
        for path in paths:
            pages.append([httpx.get(base + path, headers=HTML, timeout=30) for base in bases])
    for path, (first, second) in zip(paths, pages, strict=True):
        assert first.status_code == second.status_code == 200
        assert first.content == second.content, path
