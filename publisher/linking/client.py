"""A polite SPARQL client: descriptive User-Agent, a pause between requests, retries on 429/5xx.

The public Wikidata Query Service asks for these (its User-Agent policy and rate limits); any
SPARQL 1.1 endpoint answering SPARQL JSON results is queried the same way.
"""

from __future__ import annotations

import email.utils
import json
import time
import urllib.error
from http.client import HTTPException
from typing import Any

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

from publisher.errors import EndpointError

REQUEST_TIMEOUT_S = 90  # WDQS cancels a query after 60 s; leave it the time to say so
FIRST_BACKOFF_S = 1.0  # wait before the first retry when the endpoint does not say how long
MAX_WAIT_S = 300.0  # a longer Retry-After ends the run instead of sleeping through it
RETRIED_STATUSES = frozenset((429, 500, 502, 503, 504))
DETAIL_CHARS = 300

Bindings = list[dict[str, dict[str, str]]]


class _RetryError(Exception):
    """The endpoint answered ``status``; try again after ``delay`` s (None: back off)."""

    def __init__(self, status: int, delay: float | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.delay = delay


class SparqlClient:
    """Runs SELECT queries on one endpoint, starting at most one request per ``pause_s``."""

    def __init__(self, endpoint: str, user_agent: str, pause_s: float, retries: int) -> None:
        self.endpoint = endpoint
        self.user_agent = user_agent
        self.pause_s = pause_s
        self.retries = retries
        self.requests = 0
        self._last_request = -float("inf")

    def select(self, query: str) -> Bindings:
        """The bindings of a SELECT query; retries (with back-off) what the endpoint says to."""
        for attempt in range(self.retries + 1):
            try:
                return self._request(query)
            except _RetryError as retry:
                status = retry.status
                delay = FIRST_BACKOFF_S * 2**attempt if retry.delay is None else retry.delay
            if attempt == self.retries:
                break
            if delay > MAX_WAIT_S:
                raise EndpointError(
                    f"{self.endpoint} answered {status} and asks to wait {delay:g} s; "
                    "try again later"
                )
            time.sleep(delay)
        raise EndpointError(
            f"{self.endpoint} answered {status} to {self.retries + 1} request(s) in a row; "
            "try again later"
        )

    def _request(self, query: str) -> Bindings:
        time.sleep(max(0.0, self._last_request + self.pause_s - time.monotonic()))
        wrapper = SPARQLWrapper(self.endpoint, agent=self.user_agent)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(REQUEST_TIMEOUT_S)
        wrapper.setQuery(query)
        self.requests += 1
        try:
            body = wrapper.query().response.read()
        except urllib.error.HTTPError as exc:
            if exc.code in RETRIED_STATUSES:
                raise _RetryError(exc.code, _retry_after(exc.headers.get("Retry-After"))) from exc
            detail = exc.read().decode("utf-8", "replace").strip()
            hint = "; lower linker_batch_size" if exc.code in (413, 414) else ""
            raise EndpointError(
                f"{self.endpoint} refused the query with {exc.code} "
                f"({detail[:DETAIL_CHARS] or exc.reason}){hint}"
            ) from exc
        except EndPointInternalError as exc:
            raise _RetryError(500) from exc
        except SPARQLWrapperException as exc:
            message = str(exc).replace("\n", " ")[:DETAIL_CHARS]
            raise EndpointError(f"{self.endpoint} refused the query: {message}") from exc
        except (TimeoutError, ConnectionError, HTTPException) as exc:
            raise _RetryError(504) from exc
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise _RetryError(504) from exc
            raise EndpointError(
                f"cannot reach {self.endpoint} ({exc.reason}); offline? "
                "check --endpoint or the wikidata_endpoint setting"
            ) from exc
        finally:
            self._last_request = time.monotonic()
        return _bindings(body, self.endpoint)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _bindings(body: bytes, endpoint: str) -> Bindings:
    """The rows of a SPARQL JSON results document."""
    try:
        results: Any = json.loads(body)
        bindings = results["results"]["bindings"]
    except (ValueError, KeyError, TypeError) as exc:
        raise EndpointError(f"{endpoint} did not answer with SPARQL JSON results") from exc
    if not isinstance(bindings, list):
        raise EndpointError(f"{endpoint} did not answer with SPARQL JSON results")
    return bindings
