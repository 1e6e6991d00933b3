"""What /sparql hands to the store (dataset, base, limits), and how store failures are answered."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from publisher.config import Settings
from publisher.store import ReleaseInfo
from publisher.web.app import create_app
from publisher.workers import (
    QueryAnswer,
    QueryFailedError,
    QueryJob,
    QueryTimeoutError,
    WorkersBusyError,
)
from tests.conftest import ROOT
from tests.web.conftest import running

ASK_TRUE = b'{"head": {}, "boolean": true}'
G1, G2 = "http://example.org/g1", "http://example.org/g2"


class StubStore:
    """A store that records the jobs it is given and answers with ``outcome``."""

    def __init__(self, outcome: QueryAnswer | Exception) -> None:
        self.outcome = outcome
        self.jobs: list[tuple[QueryJob, float]] = []

    def select(self, sparql: str, bindings: object = None) -> list[dict[str, object]]:
        return []

    def query(self, job: QueryJob, timeout_s: float) -> QueryAnswer:
        self.jobs.append((job, timeout_s))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome

    def release(self) -> ReleaseInfo:
        return ReleaseInfo("stub", "2026-01-01T00:00:00Z", None)

    def close(self) -> None:
        pass


@contextmanager
def serving(
    outcome: QueryAnswer | Exception, **settings: object
) -> Iterator[tuple[str, StubStore]]:
    store = StubStore(outcome)
    app = create_app(Settings.load(ROOT, {}).replace(**settings), store=store)  # type: ignore[arg-type]
    with running(app) as base:
        yield base + "/sparql", store


@pytest.mark.parametrize(
    ("query", "params", "default", "named"),
    [
        ("ASK { ?s ?p ?o }", {}, (), ()),
        (f"ASK FROM <{G1}> {{ ?s ?p ?o }}", {}, (), ()),
        (f"ASK FROM NAMED <{G1}> {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}, (), ()),
        ("ASK { ?s ?p ?o }", {"default-graph-uri": [G1, G2]}, (G1, G2), ()),
        ("ASK { ?s ?p ?o }", {"named-graph-uri": [G2]}, (), (G2,)),
        (f"ASK FROM <{G1}> {{ ?s ?p ?o }}", {"named-graph-uri": [G2]}, (), (G2,)),
        (
            "ASK { ?s ?p ?o }",
            {"default-graph-uri": [G1], "named-graph-uri": [G2]},
            (G1,),
            (G2,),
        ),
    ],
)
def test_dataset_handed_to_the_store(query, params, default, named):
    answer = QueryAnswer(ASK_TRUE, "json", False, "boolean")
    with serving(answer, sparql_timeout_s=7.5, sparql_row_limit=123) as (endpoint, store):
        response = httpx.get(endpoint, params={"query": query, **params})
    assert response.status_code == 200
    [(job, timeout)] = store.jobs
    assert (job.default_graphs, job.named_graphs) == (default, named)
    assert (timeout, job.row_limit, job.format_name) == (7.5, 123, "json")
    assert job.query == f"BASE <https://w3id.org/lgdg/sparql>\n{query}"


def test_refused_queries_never_reach_the_store():
    with serving(QueryAnswer(ASK_TRUE, "json", False, "boolean")) as (endpoint, store):
        for query in ("LOAD <http://x/>", "SELECT * { SERVICE <http://x/> {} }", "FOO {}"):
            assert httpx.get(endpoint, params={"query": query}).status_code in (400, 403)
        assert httpx.post(endpoint, data={"update": "CLEAR ALL"}).status_code == 403
    assert store.jobs == []


def test_busy_workers_answer_503_with_retry_after():
    with serving(WorkersBusyError("all query workers are busy; try again shortly")) as (e, _):
        response = httpx.get(e, params={"query": "ASK {}"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "busy" in response.text


def test_timeout_answers_503_naming_the_limit_and_the_dumps():
    with serving(QueryTimeoutError("too long"), sparql_timeout_s=2.5) as (endpoint, _):
        response = httpx.get(endpoint, params={"query": "ASK {}"})
        metrics = httpx.get(endpoint.removesuffix("sparql") + "metrics").text
    assert response.status_code == 503
    assert "time limit of 2.5 s" in response.text and "/dumps/" in response.text
    assert "lodpub_sparql_timeouts_total 1" in metrics


def test_store_errors_are_400_with_the_store_message():
    with serving(QueryFailedError("error at 2:14: expected OPTIONAL")) as (endpoint, _):
        syntax = httpx.get(endpoint, params={"query": "SELECT * { ?s ?p ?o . ?x }"})
    assert syntax.status_code == 400
    assert syntax.text.startswith("syntax error at line 1, column")
    with serving(QueryFailedError("Unsupported function ex:f")) as (endpoint, _):
        failed = httpx.get(endpoint, params={"query": "ASK {}"})
    assert failed.status_code == 400 and "Unsupported function ex:f" in failed.text
