"""Start and stop the servers bench/serve_bench.py compares, all on 127.0.0.1 with free ports.

Every server runs in its own process group, so that stopping it (SIGTERM, then SIGKILL after
a bounded wait) also stops what it started: lodpub's query workers, uvicorn's workers, nginx's
workers. Virtuoso is started and stopped by tests/virtuoso.py. Each ``start_*`` registers the
stop on an ``ExitStack``: whatever happens, leaving the stack leaves no server behind.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
STOP_TIMEOUT_S = 20.0
READY_TIMEOUT_S = 600.0  # reading the index of entities: 26 s at 1 M triples, 59 s on Virtuoso
NGINX_CONFIG = """\
worker_processes {workers};
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    types {{ text/turtle ttl; text/html html; }}
    default_type application/octet-stream;
    charset utf-8;
    charset_types text/turtle text/html;
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {folder}/www;
    }}
}}
"""
RDFLIB_ENDPOINT = """
import gzip, sys, time, uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
started = time.perf_counter()
dataset = Dataset(default_union=True)
with gzip.open(sys.argv[1], "rb") as stream:
    dataset.parse(stream, format="nquads")
print(f"rdflib-endpoint: {len(dataset)} quads loaded in {time.perf_counter() - started:.0f} s",
      file=sys.stderr, flush=True)
app = SparqlEndpoint(graph=dataset)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


@dataclass(frozen=True)
class Server:
    """A running server: its name in the tables, where it answers, and how to ask it SPARQL.

    ``sparql`` is the path of its SPARQL endpoint ("" for none); ``dataset`` the protocol
    parameters every query gets (Virtuoso queried directly: ``default-graph-uri``); ``log``
    the file its output goes to.
    """

    name: str
    base: str
    sparql: str = ""
    dataset: str = ""
    log: Path | None = None

    def query_target(self, query: str) -> str:
        """The request target (path and query string) of a SPARQL query sent by GET."""
        extra = f"&{self.dataset}" if self.dataset else ""
        return f"{self.sparql}?query={quote(query, safe='')}{extra}"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(url: str, timeout: float = 5.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status < 500)
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def wait_until_up(url: str, process: subprocess.Popen[bytes] | None, seconds: float) -> None:
    """Wait (at most ``seconds``) until ``url`` answers; fail early if ``process`` ended."""
    deadline = time.monotonic() + seconds
    while not _answers(url):
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop ``process`` and its process group: SIGTERM, then SIGKILL after a bounded wait."""
    if process.poll() is None:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_TIMEOUT_S)
    # Then whatever the group started and left behind (query workers, uvicorn's workers).
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=STOP_TIMEOUT_S)


def spawn(
    stack: ExitStack, command: list[str], log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start ``command`` in a new process group, output to ``log``; stop it with ``stack``."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
    stack.callback(stop, process)
    return process


def start_lodpub(
    stack: ExitStack,
    name: str,
    project: Path,
    logs: Path,
    env: dict[str, str],
    web_workers: int = 1,
) -> Server:
    """``lodpub serve`` on the project with ``web_workers`` processes."""
    port = free_port()
    log = logs / f"{name.replace(' ', '-').replace('(', '').replace(')', '')}.log"
    command = ["lodpub", "--project", str(project), "serve", "--port", str(port)]
    command += ["--workers", str(web_workers)]
    process = spawn(stack, command, log, env)
    server = Server(name, f"http://127.0.0.1:{port}", "/sparql", log=log)
    wait_until_up(server.base + "/healthz", process, 120)
    wait_until_ready(server.base + "/healthz", web_workers, READY_TIMEOUT_S)
    return server


def wait_until_ready(url: str, web_workers: int, seconds: float) -> None:
    """Wait (at most ``seconds``) until lodpub's health check says ``ready`` (its index of
    entities read) in several answers running, which each of its workers may give."""
    deadline, running = time.monotonic() + seconds, 0
    while running < 4 * web_workers:
        with urllib.request.urlopen(url, timeout=10) as response:
            running = running + 1 if json.load(response).get("ready") else 0
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not say ready within {seconds:.0f} s")
        time.sleep(0.2 if running == 0 else 0.01)


def nginx_binary() -> str | None:
    """Debian's nginx, which lives in /usr/sbin (often not on a user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def start_nginx(stack: ExitStack, folder: Path, workers: int) -> Server:
    """nginx with its own configuration, serving ``folder/www`` as static files."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx)")
    for sub in ("www", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(NGINX_CONFIG.format(workers=workers, folder=folder, port=port))
    # nginx's workers run as an unprivileged user: they must reach the files (a temporary
    # folder is private to its owner) and read them (write_public).
    for path in (folder / "www", folder, *folder.parents):
        if path.stat().st_mode & 0o001 == 0:
            path.chmod(path.stat().st_mode | 0o711)
    command = [binary, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")]
    process = spawn(stack, [*command, "-g", "daemon off;"], folder / "stdout.log")
    server = Server("nginx", f"http://127.0.0.1:{port}", log=folder / "error.log")
    wait_until_up(server.base + "/", process, 30)
    return server


def write_public(root: Path, target: str, body: bytes) -> None:
    """Write ``body`` as the file nginx serves for ``target``, readable by its workers."""
    path = root / target.lstrip("/")
    for folder in reversed(path.relative_to(root).parents):
        (root / folder).mkdir(mode=0o755, exist_ok=True)
    path.write_bytes(body)
    path.chmod(0o644)


def export_nquads(store_path: Path, out: Path) -> int:
    """Write the named graphs of a release's store as gzipped N-Quads; return how many.

    The dumps hold the facts only; the store also holds the ontology and the dataset
    description, which its default graph (the union) includes: rdflib-endpoint loads this
    file so that its default graph is the same as lodpub's.
    """
    store = ox.Store.read_only(str(store_path))
    quads = [q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)]
    with gzip.open(out, "wb", compresslevel=1) as stream:
        ox.serialize(quads, stream, format=ox.RdfFormat.N_QUADS)
    del store
    return len(quads)


def start_rdflib_endpoint(stack: ExitStack, nquads: Path, logs: Path) -> Server:
    """rdflib-endpoint over ``nquads`` (a Dataset with the union as default graph)."""
    port = free_port()
    log = logs / "rdflib-endpoint.log"
    process = spawn(stack, [sys.executable, "-c", RDFLIB_ENDPOINT, str(nquads), str(port)], log)
    server = Server("rdflib-endpoint", f"http://127.0.0.1:{port}", "/", log=log)
    # rdflib parses about 5,000-10,000 quads a second: a million takes minutes.
    wait_until_up(server.base + "/?query=" + quote("ASK {}"), process, 3600)
    return server


def start_virtuoso(stack: ExitStack, folder: Path, buffers: int) -> Server | str:
    """A throwaway Virtuoso (tests/virtuoso.py), or why there is none (not installed, did not
    start). ``buffers`` of 8 kB each: 200,000 (1.6 GB) holds a million triples."""
    import pytest

    sys.path.insert(0, str(ROOT))
    from tests.virtuoso import running_virtuoso

    try:
        virtuoso = stack.enter_context(running_virtuoso(folder, buffers=buffers))
    except pytest.skip.Exception as exc:
        return str(exc)
    return Server("Virtuoso", virtuoso.base, "/sparql", log=folder / "virtuoso.log")


def push(project: Path, virtuoso_folder: Path, server: Server) -> tuple[Server, dict[str, str]]:
    """Push the project's current release into the Virtuoso at ``server`` (``lodpub push``).

    Returns Virtuoso as it is queried directly, with ``default-graph-uri`` set to the union
    graph lodpub pushed (the release's default graph: without it Virtuoso's default graph is
    every graph it holds, its own system graphs included), and the ``LODPUB_STORE*``
    variables that point ``lodpub serve`` at it.
    """
    from publisher.config import Settings
    from publisher.progress import Progress
    from publisher.release import current_release
    from publisher.remote.layout import Layout
    from publisher.remote.push import push_release
    from tests.virtuoso import Virtuoso

    settings = Settings.load(project)
    release = current_release(settings.release_dir)
    if release is None:
        raise RuntimeError(f"{project} has no release")
    port = int(server.base.rsplit(":", 1)[1])
    remote = Virtuoso(port, virtuoso_folder).settings(settings)
    started = time.perf_counter()
    result = push_release(remote, release, Progress(stream=sys.stdout))
    print(
        f"pushed {result.triples} triples in {result.graphs} graphs to Virtuoso in "
        f"{time.perf_counter() - started:.0f} s",
        flush=True,
    )
    union = Layout(settings.base_iri).union(release.version)
    direct = Server(
        server.name,
        server.base,
        "/sparql",
        f"default-graph-uri={quote(union, safe='')}",
        server.log,
    )
    names = ("store", "store_update_url", "store_graph_store_url", "store_auth", "store_user")
    env = {f"LODPUB_{name.upper()}": str(getattr(remote, name)) for name in names}
    env["LODPUB_STORE_PASSWORD"] = remote.store_password
    return direct, env
