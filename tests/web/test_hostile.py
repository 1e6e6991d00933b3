"""Hostile and broken requests get a 4xx with a message, and the server keeps answering."""

from __future__ import annotations

import socket

import httpx
import pytest


def raw_request(base: str, target: bytes, headers: bytes = b"") -> tuple[int, bytes]:
    """Send a request line as given (clients would normalise it); return status and body."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + headers + b"\r\n"
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def still_answers(base: str) -> None:
    assert httpx.get(base + "/healthz").status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        b"/dumps/../release.json",
        b"/dumps/%2e%2e/release.json",
        b"/dumps/%2E%2E%2Frelease.json",
        b"/doc/organization/..%2f..%2fetc%2fpasswd",
        b"/static/..%5c..%5cpyproject.toml",
        b"/static/../../pyproject.toml",
        b"/dumps/lgdg.nt.gz%00.txt",
    ],
)
def test_path_traversal_is_refused(server, target):
    status, body = raw_request(server, target)
    assert status in (400, 404)
    assert b"[tool.lodpub]" not in body and b'"base_iri"' not in body
    still_answers(server)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (b"/doc/organization/%zz", b"malformed percent-encoding"),
        (b"/doc/organization/wego?x=%", b"malformed percent-encoding"),
        (b"/doc/organization/%ff%fe", b"not valid UTF-8"),
        (b"/search?q=%c3%28", b"not valid UTF-8"),
    ],
)
def test_bad_encoding_is_400_with_a_message(server, target, message):
    status, body = raw_request(server, target)
    assert status == 400
    assert message in body
    still_answers(server)


@pytest.mark.parametrize(
    "accept",
    [b"text/turtle;q=2", b"text", b"*/turtle", b"text/turtle;q=abc", b"x" * 5000 + b"/y"],
)
def test_malformed_accept_is_400(server, accept):
    status, body = raw_request(server, b"/doc/organization/wego", b"Accept: " + accept + b"\r\n")
    assert status == 400
    assert b"Accept" in body
    still_answers(server)


def test_oversized_body_is_413(server):
    response = httpx.post(
        server + "/sparql",
        content=b"x" * 200_000,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]
    assert response.headers["access-control-allow-origin"] == "*"  # a browser client reads why
    still_answers(server)


def test_oversized_chunked_body_is_413(server):
    def chunks():
        for _ in range(40):
            yield b"x" * 4096

    response = httpx.post(
        server + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 413
    still_answers(server)


def test_unknown_format_parameter_is_400(server):
    response = httpx.get(server + "/doc/organization/wego?format=exe")
    assert response.status_code == 400
    assert "unknown format" in response.json()["error"]
    still_answers(server)


def test_error_shape_is_the_same_everywhere(server):
    for path in ("/doc/organization/nothing", "/dumps/nothing.gz", "/no/such/route"):
        response = httpx.get(server + path)
        assert response.status_code == 404
        body = response.json()
        assert set(body) == {"status", "error"} and body["status"] == 404
