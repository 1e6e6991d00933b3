"""Worker processes that run public SPARQL queries and can be killed when they run too long.

pyoxigraph cannot interrupt a query, so each public query runs in a child process that opens
the store read-only; a query that passes its time limit is cancelled by killing its worker,
which is then replaced. The server process never blocks on a runaway query.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox

from publisher.formats import by_name
from publisher.narrowing import narrow_query
from publisher.text_index import INDEX_DIR, TextIndex

T = TypeVar("T")


class QueryTimeoutError(TimeoutError):
    """The query ran past its time limit and was cancelled."""


class WorkersBusyError(RuntimeError):
    """Every worker stayed busy for longer than a request may wait."""


class QueryFailedError(ValueError):
    """The store rejected the query (syntax, or an evaluation error); message says why."""


@dataclass(frozen=True)
class QueryJob:
    """What a worker needs to run one query.

    ``default_graphs`` and ``named_graphs`` are the dataset given by the protocol: ``None``
    leaves it to the query (FROM, FROM NAMED) and the store; a tuple, even an empty one, is
    exactly the graphs to use. ``base_iri`` resolves relative IRIs in the query and
    ``prefixes`` (name, IRI pairs) abbreviate the IRIs of a graph answer. A job is hashable:
    it is the key of its answer in the server's cache.
    """

    query: str
    format_name: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    row_limit: int
    base_iri: str | None = None
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class QueryAnswer:
    """A worker's answer: the serialised body, and whether the row limit cut it."""

    body: bytes
    format_name: str
    truncated: bool
    kind: str  # "solutions", "boolean" or "graph"


def _term_json(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        item = {"type": "literal", "value": term.value}
        if term.language:
            item["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            item["datatype"] = term.datatype.value
        return item
    raise QueryFailedError(f"cannot serialise the term {term!r}")


def _solutions_json(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    bindings = [
        {name: _term_json(row[name]) for name in variables if row[name] is not None} for row in rows
    ]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}).encode()


def _graphs(names: tuple[str, ...] | None) -> list[ox.NamedNode] | None:
    return None if names is None else [ox.NamedNode(name) for name in names]


def run_job(store: ox.Store, job: QueryJob, index: TextIndex | None = None) -> QueryAnswer:
    """Run one query on ``store`` and serialise it, keeping at most ``row_limit`` rows; its
    substring filters narrowed by the release's text ``index``, if given."""
    narrowed = job.query if index is None else narrow_query(job.query, index)
    try:
        return serialize_answer(_evaluate(store, narrowed, job), job)
    except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
        if narrowed is not job.query:
            return run_job(store, job)  # fails again, saying where in the text as it was sent
        raise QueryFailedError(str(exc)) from exc


def _evaluate(
    store: ox.Store, query: str, job: QueryJob
) -> ox.QueryBoolean | ox.QuerySolutions | ox.QueryTriples:
    return store.query(
        query,
        base_iri=job.base_iri,
        default_graph=_graphs(job.default_graphs),
        named_graphs=_graphs(job.named_graphs),
    )


def serialize_answer(
    result: ox.QueryBoolean | ox.QuerySolutions | Iterable[ox.Triple], job: QueryJob
) -> QueryAnswer:
    """A query's result in the job's format, cut at its row limit (whatever store ran it)."""
    fmt = by_name(job.format_name)
    if isinstance(result, ox.QueryBoolean):
        return QueryAnswer(result.serialize(format=fmt.results), fmt.name, False, "boolean")
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows, truncated = _first(result, job.row_limit)
        document = _solutions_json(variables, rows)
        if fmt.results != ox.QueryResultsFormat.JSON:
            parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
            document = parsed.serialize(format=fmt.results)
        return QueryAnswer(document, fmt.name, truncated, "solutions")
    triples, truncated = _first(result, job.row_limit)
    body = ox.serialize(triples, format=fmt.rdf, prefixes=dict(job.prefixes)) or b""
    return QueryAnswer(body, fmt.name, truncated, "graph")


def _first(items: Iterable[T], limit: int) -> tuple[list[T], bool]:
    """At most ``limit`` items, and whether there were more."""
    kept = list(itertools.islice(items, limit + 1))
    return kept[:limit], len(kept) > limit


def _serve(store_path: str, connection: Connection) -> None:
    """Worker loop: open the store and its text index once, then answer jobs until the pipe
    closes."""
    store = ox.Store.read_only(store_path)
    index = TextIndex.open(Path(store_path).parent / INDEX_DIR)
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        try:
            connection.send(("ok", run_job(store, job, index)))
        except QueryFailedError as exc:
            connection.send(("error", str(exc)))


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection


class QueryWorkers:
    """A fixed set of worker processes over one store, each query bounded in time."""

    def __init__(self, store_path: Path, size: int, queue_timeout_s: float = 10.0) -> None:
        self.store_path = store_path
        self.size = size
        self.queue_timeout_s = queue_timeout_s
        self._context = multiprocessing.get_context("spawn")
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)
        self.timeouts = 0

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(str(self.store_path), child), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.process.is_alive():
                    return worker
        return self._start()

    def run(self, job: QueryJob, timeout_s: float) -> QueryAnswer:
        """Run ``job`` in a worker; cancel it (kill the worker) after ``timeout_s`` seconds."""
        if not self._slots.acquire(timeout=self.queue_timeout_s):
            raise WorkersBusyError("all query workers are busy; try again shortly")
        try:
            worker = self._take()
            worker.connection.send(job)
            if not worker.connection.poll(timeout_s):
                worker.process.kill()
                worker.process.join(5)
                self.timeouts += 1
                raise QueryTimeoutError(f"the query ran past the time limit of {timeout_s:g} s")
            try:
                status, payload = worker.connection.recv()
            except EOFError as exc:
                worker.process.join(5)
                raise QueryFailedError("the query worker stopped unexpectedly") from exc
            with self._lock:
                self._idle.append(worker)
            if status == "error":
                raise QueryFailedError(payload)
            return payload  # type: ignore[no-any-return]
        finally:
            self._slots.release()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.connection.close()
            worker.process.join(2)
            if worker.process.is_alive():
                worker.process.kill()
