"""/sparql limits: time (cancelled, others still answered), rows (never cut silently), size."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from publisher.config import Settings
from publisher.web.app import create_app
from tests.conftest import Project
from tests.web.conftest import running, serving_fixture

TIMEOUT_S = 3.0
ROW_LIMIT = 5
MAX_QUERY_BYTES = 4096
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "ASK { <https://w3id.org/lgdg/id/organization/wego> ?p ?o }"
MANY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def limited(backend: Settings) -> Iterator[str]:
    """A server over the real release (on each store) with a short time limit, few rows and
    short queries."""
    settings = backend.replace(
        sparql_timeout_s=TIMEOUT_S,
        sparql_row_limit=ROW_LIMIT,
        max_query_bytes=MAX_QUERY_BYTES,
        query_workers=2,
    )
    with running(create_app(settings)) as base:
        yield base


def ask(base: str, query: str = CHEAP) -> tuple[float, httpx.Response]:
    start = time.monotonic()
    response = httpx.get(base + "/sparql", params={"query": query}, timeout=30)
    return time.monotonic() - start, response


def metric(base: str, name: str) -> int:
    for line in httpx.get(base + "/metrics").text.splitlines():
        if line.startswith(name + " "):
            return int(float(line.split()[1]))
    raise AssertionError(f"{name} not in /metrics")


def test_expensive_query_is_cancelled_while_others_are_answered(limited):
    # Start both workers, so that the cheap queries below do not wait for a process to spawn.
    warm = [threading.Thread(target=ask, args=(limited,)) for _ in range(2)]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join()
    timeouts_before = metric(limited, "lodpub_sparql_timeouts_total")
    outcome: dict[str, object] = {}

    def expensive() -> None:
        outcome["elapsed"], outcome["response"] = ask(limited, EXPENSIVE)

    runner = threading.Thread(target=expensive)
    runner.start()
    time.sleep(0.5)
    cheap_times = []
    while runner.is_alive() and len(cheap_times) < 20:
        # A new text each time, so that a worker answers it rather than the answer cache.
        elapsed, response = ask(limited, f"{CHEAP} # {len(cheap_times)}")
        assert response.status_code == 200 and response.json()["boolean"] is True
        cheap_times.append(elapsed)
        time.sleep(0.1)
    runner.join(timeout=30)
    assert cheap_times, "the expensive query ended before any cheap one was sent"
    assert max(cheap_times) < 1.5, cheap_times
    response = outcome["response"]
    assert isinstance(response, httpx.Response)
    assert response.status_code == 503
    assert f"time limit of {TIMEOUT_S:g} s" in response.text and "/dumps/" in response.text
    assert "retry-after" not in response.headers
    assert TIMEOUT_S <= outcome["elapsed"] < TIMEOUT_S + 5  # type: ignore[operator]
    assert metric(limited, "lodpub_sparql_timeouts_total") == timeouts_before + 1
    fresh = ask(limited, f"{CHEAP} # after")[1]
    assert fresh.json()["boolean"] is True  # a fresh worker took the killed one's place


def test_truncated_answer_says_so_in_a_header_and_the_metrics(limited):
    before = metric(limited, "lodpub_sparql_truncated_total")
    _, response = ask(limited, MANY)
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == ROW_LIMIT
    assert response.headers["x-sparql-truncated"] == f"true; limit={ROW_LIMIT}; see=/dumps/"
    assert "X-SPARQL-Truncated" in response.headers["access-control-expose-headers"]
    assert metric(limited, "lodpub_sparql_truncated_total") == before + 1
    construct = "CONSTRUCT WHERE { ?s ?p ?o }"
    _, graph = ask(limited, construct)
    assert graph.headers["x-sparql-truncated"].startswith("true")
    _, small = ask(limited, MANY + " LIMIT 3")
    assert "x-sparql-truncated" not in small.headers


def test_truncated_answer_shows_a_notice_on_the_query_page(limited):
    page = httpx.get(
        limited + "/sparql", params={"query": MANY}, headers={"Accept": "text/html"}, timeout=30
    )
    assert page.status_code == 200
    assert page.headers["x-sparql-truncated"].startswith("true")
    assert 'class="truncated"' in page.text and f"cut at {ROW_LIMIT} rows" in page.text
    assert 'href="/dumps/"' in page.text
    assert page.text.count("<tr>") == ROW_LIMIT + 1


def test_query_longer_than_the_limit_is_413(limited):
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_QUERY_BYTES
    _, response = ask(limited, long_query)
    assert response.status_code == 413
    assert str(MAX_QUERY_BYTES) in response.text
    assert ask(limited)[1].status_code == 200


TRIG = r"""
<urn:g> {
  <http://example.org/thing> <http://www.w3.org/2000/01/rdf-schema#label>
    "<script>alert(\"x\")</script><b>bold</b>" .
  <http://example.org/thing> <http://example.org/link> <javascript:alert(1)> .
}
"""


def test_data_and_query_are_escaped_on_the_query_page(built: Project, tmp_path):
    query = (
        "SELECT ?label ?link WHERE { ?s ?p ?label FILTER(isLiteral(?label)) "
        "OPTIONAL { ?s ?q ?link FILTER(isIRI(?link)) } } # <i>comment</i>"
    )
    with serving_fixture(tmp_path, TRIG, built.settings) as base:
        page = httpx.get(base + "/sparql", params={"query": query, "format": "html"}, timeout=30)
    assert page.status_code == 200
    assert "<script>" not in page.text and "<b>bold</b>" not in page.text
    assert "<i>comment" not in page.text and "&lt;i&gt;comment" in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page.text
    assert 'href="javascript:' not in page.text


def test_a_repeated_query_is_answered_from_the_release_cache(limited):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?type } # cache test"
    before = metric(limited, "lodpub_sparql_cached_total")
    first, second = ask(limited, query)[1], ask(limited, query)[1]
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert metric(limited, "lodpub_sparql_cached_total") == before + 1
    ask(limited, query + " ")  # another text is another answer
    assert metric(limited, "lodpub_sparql_cached_total") == before + 1
    truncated = [ask(limited, MANY)[1] for _ in range(2)]
    assert all(r.headers["x-sparql-truncated"].startswith("true") for r in truncated)
