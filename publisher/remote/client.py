"""HTTP to a remote store: queries through SPARQLWrapper, updates by the SPARQL 1.1 Protocol and
uploads by the Graph Store HTTP Protocol. Every failure becomes a StoreError that names the
endpoint and says why."""

from __future__ import annotations

import ast
import base64
import http.client
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from http.client import HTTPException, HTTPResponse

from SPARQLWrapper import BASIC, DIGEST, POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from publisher import __version__
from publisher.config import Settings
from publisher.errors import StoreError

USER_AGENT = f"lodpub/{__version__} (remote store client)"
# Virtuoso answers with one X-SPARQL-named-graph header per named graph of the query's
# dataset, and a release may have a thousand graphs: http.client refuses more than 100 headers
# by default, so lodpub's client takes that many.
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 100_000)  # type: ignore[attr-defined]
UPDATE_TIMEOUT_S = 900.0  # a switch or an upload of a large graph can take minutes
DETAIL_CHARS = 500


class StoreRefusedError(StoreError):
    """The store answered 4xx: the request is at fault (a query it cannot parse or run)."""


class StoreTimeoutError(StoreError):
    """The store did not answer within the time given."""


@dataclass(frozen=True)
class Endpoints:
    """Where a remote store answers, and how to authenticate to its write endpoints."""

    query: str
    update: str
    graph_store: str | None
    auth: str  # "basic" or "digest"
    user: str
    password: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Endpoints:
        query = settings.remote_store
        if query is None:
            raise StoreError("the `store` setting names no remote store (it is `embedded`)")
        return cls(
            query=query,
            update=settings.store_update_url or query,
            graph_store=settings.store_graph_store_url or None,
            auth=settings.store_auth,
            user=settings.store_user,
            password=settings.store_password,
        )


@dataclass(frozen=True)
class Answer:
    """A store's answer to a query: its bytes and headers."""

    body: bytes
    headers: Message

    @property
    def media_type(self) -> str:
        return self.headers.get("Content-Type", "").partition(";")[0].strip().lower()


def _detail(exc: Exception) -> str:
    """The store's own message inside a SPARQLWrapper or urllib error, on one line."""
    if isinstance(exc, urllib.error.HTTPError):
        text = exc.read().decode("utf-8", "replace") or str(exc.reason)
    else:
        text = str(exc)
        _, found, response = text.partition("Response:\n")
        if found:
            try:
                text = ast.literal_eval(response).decode("utf-8", "replace")
            except (ValueError, SyntaxError, AttributeError):
                text = response
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_CHARS else text[:DETAIL_CHARS] + "…"


class RemoteClient:
    """Queries, updates and graph uploads to one remote store."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints

    def query(
        self,
        text: str,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        accept: str,
        timeout_s: float,
    ) -> Answer:
        """Run a query over the dataset given (SPARQL 1.1 Protocol, form-encoded POST)."""
        wrapper = self._wrapper(self.endpoints.query, timeout_s)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setQuery(text)
        for graph in default_graphs:
            wrapper.addDefaultGraph(graph)
        for graph in named_graphs:
            wrapper.addNamedGraph(graph)
        wrapper.addCustomHttpHeader("Accept", accept)
        response = self._send(wrapper, self.endpoints.query)
        return Answer(response.read(), response.headers)

    def update(self, text: str) -> None:
        """Run one SPARQL Update request (the store runs it as one transaction, if it can)."""
        self._write("POST", self.endpoints.update, text.encode(), "application/sparql-update")

    def upload(self, graph: str, ntriples: bytes, replace: bool) -> None:
        """PUT (replace) or POST (add to) a graph's N-Triples by the Graph Store Protocol."""
        if self.endpoints.graph_store is None:
            raise StoreError("no Graph Store endpoint is set (store_graph_store_url)")
        url = f"{self.endpoints.graph_store}?{urllib.parse.urlencode({'graph': graph})}"
        self._write("PUT" if replace else "POST", url, ntriples, "application/n-triples")

    def _write(self, method: str, url: str, body: bytes, media_type: str) -> None:
        """Send a body to a write endpoint, authenticated before the body goes out.

        A store asking for Digest authentication closes the connection on its 401 without
        reading a large body, so the challenge is fetched first with an empty body.
        """
        headers = {"Content-Type": f"{media_type}; charset=utf-8", "User-Agent": USER_AGENT}
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        endpoint = url.partition("?")[0]
        try:
            authorization = self._authorization(request)
            if authorization:
                request.add_header("Authorization", authorization)
            with urllib.request.urlopen(request, timeout=UPDATE_TIMEOUT_S):
                pass
        except urllib.error.HTTPError as exc:
            endpoint = url.partition("?")[0]
            raise StoreError(
                f"{endpoint} refused the request ({exc.code}: {_detail(exc)})"
            ) from exc
        except (TimeoutError, urllib.error.URLError, ConnectionError, HTTPException) as exc:
            raise _unreachable(url.partition("?")[0], exc) from exc

    def _authorization(self, request: urllib.request.Request) -> str | None:
        user, password = self.endpoints.user, self.endpoints.password
        if not user:
            return None
        if self.endpoints.auth == "basic":
            return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        probe = urllib.request.Request(
            request.full_url, data=b"", method=request.get_method(), headers=request.headers
        )
        try:
            with urllib.request.urlopen(probe, timeout=UPDATE_TIMEOUT_S):
                return None  # the endpoint asks for no authentication
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "")
            if exc.code != 401 or not challenge.lower().startswith("digest "):
                raise
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, request.full_url, user, password)
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(challenge[7:]))
        signed = urllib.request.HTTPDigestAuthHandler(passwords).get_authorization(request, fields)
        if signed is None:
            raise StoreError(f"cannot answer the Digest challenge of {request.full_url}")
        return f"Digest {signed}"

    def _wrapper(self, endpoint: str, timeout_s: float) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(endpoint, agent=USER_AGENT)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)  # no `format`/`output` parameters: Accept decides
        wrapper.setTimeout(timeout_s)
        if self.endpoints.user:
            wrapper.setHTTPAuth(DIGEST if self.endpoints.auth == "digest" else BASIC)
            wrapper.setCredentials(self.endpoints.user, self.endpoints.password)
        return wrapper

    def _send(self, wrapper: SPARQLWrapper, endpoint: str) -> HTTPResponse:
        try:
            return wrapper.query().response  # type: ignore[no-any-return]
        except QueryBadFormed as exc:
            raise StoreRefusedError(_detail(exc)) from exc
        except urllib.error.HTTPError as exc:
            kind = StoreRefusedError if 400 <= exc.code < 500 else StoreError
            raise kind(f"{endpoint} answered {exc.code}: {_detail(exc)}") from exc
        except SPARQLWrapperException as exc:
            raise StoreError(f"{endpoint} failed: {_detail(exc)}") from exc
        except (TimeoutError, urllib.error.URLError, ConnectionError, HTTPException) as exc:
            raise _unreachable(endpoint, exc) from exc


def _unreachable(endpoint: str, exc: Exception) -> StoreError:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, TimeoutError):
        return StoreTimeoutError(f"{endpoint} did not answer in time")
    return StoreError(f"cannot reach {endpoint} ({reason})")
