"""A throwaway OpenLink Virtuoso (Debian's virtuoso-opensource) on 127.0.0.1 for the remote store.

Each instance gets a fresh database folder and two free loopback ports. Outside CI the tests
that need one are skipped, with the reason, when ``virtuoso-t`` is missing or does not start;
in CI (``CI`` set) that is a failure, since `.ci/run` installs it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from publisher.config import Settings

BINARY = "virtuoso-t"
START_TIMEOUT_S = 60.0
CONFIG = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 20
MaxClientConnections = 20
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = {query_seconds}
"""
USER, PASSWORD = "dba", "dba"  # a fresh database's administrator
QUERY_SECONDS = 20  # the store's own limit: it stops the queries lodpub gave up on


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: where its SPARQL endpoints answer."""

    http_port: int
    folder: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def settings(self, settings: Settings, graph_store: bool = True) -> Settings:
        """``settings`` pointed at this store (with or without its Graph Store endpoint)."""
        return settings.replace(
            store=f"sparql+{self.base}/sparql",
            store_update_url=f"{self.base}/sparql-auth",
            store_graph_store_url=f"{self.base}/sparql-graph-crud-auth" if graph_store else "",
            store_auth="digest",
            store_user=USER,
            store_password=PASSWORD,
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"Virtuoso is needed in CI: {reason}")
    pytest.skip(f"no Virtuoso for the remote-store tests: {reason}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextmanager
def running_virtuoso(folder: Path, buffers: int = 10000) -> Iterator[Virtuoso]:
    """Start Virtuoso on a new database in ``folder``; stop it (and keep its log) on exit."""
    binary = shutil.which(BINARY)
    if binary is None:
        _unavailable(f"`{BINARY}` is not installed (Debian package virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    http_port = free_port()
    config = CONFIG.format(
        sql_port=free_port(),
        http_port=http_port,
        buffers=buffers,
        dirty_buffers=buffers * 3 // 4,
        query_seconds=QUERY_SECONDS,
    )
    (folder / "virtuoso.ini").write_text(config)
    with (folder / "stdout.log").open("wb") as log:
        process = subprocess.Popen(
            [str(binary), "+foreground", "+configfile", "virtuoso.ini"],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Virtuoso(http_port, folder)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _answers(f"{server.base}/sparql?query=ASK%7B%7D"):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (folder / "stdout.log").read_text(errors="replace")[-500:]
                _unavailable(f"it did not start (log: {tail.strip()})")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
