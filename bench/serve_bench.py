"""Serving benchmark: lodpub next to rdflib-endpoint over the same data, in one run.

Builds the project into a temporary folder, starts `lodpub serve` and an rdflib-endpoint
server over the same N-Quads dump (both on 127.0.0.1), drives each with wrk (16 connections)
and prints requests/s, p50 and p99 and the ratio lodpub / rdflib-endpoint.

    python3 bench/serve_bench.py [--seconds 8] [--connections 16]

Needs `wrk` (Debian package) and `rdflib-endpoint` (PyPI); neither is a dependency of lodpub.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ("data", "mappings", "ontology", "shapes", "pyproject.toml")
ENTITY = "https://w3id.org/lgdg/id/organization/wego"
PREFIXES = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX lgdg: <https://w3id.org/lgdg/def#>
"""
QUERIES = {
    "members of WeGO": PREFIXES
    + """SELECT ?member ?label WHERE {
  ?m org:organization <https://w3id.org/lgdg/id/organization/wego> ; org:member ?member .
  ?member rdfs:label ?label }""",
    "agreements by date": PREFIXES
    + """SELECT ?a ?label ?date WHERE {
  ?a a lgdg:Agreement ; rdfs:label ?label .
  OPTIONAL { ?a lgdg:dateSigned|lgdg:dateAdopted ?date } } ORDER BY ?date""",
    "count by type": """SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type }
GROUP BY ?type ORDER BY DESC(?n)""",
}
RDFLIB_ENDPOINT = """
import gzip, sys, uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
dataset = Dataset(default_union=True)
with gzip.open(sys.argv[1], "rb") as stream:
    dataset.parse(stream, format="nquads")
app = SparqlEndpoint(graph=dataset)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def wrk(url: str, seconds: int, connections: int, accept: str) -> dict[str, float]:
    """Run wrk against ``url``; return requests/s and p50/p99 in milliseconds."""
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"Accept: {accept}",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} failed responses\n{output}")

    def percentile(label: str) -> float:
        found = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", output)
        value, unit = found.groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return {"rps": rate, "p50": percentile("50"), "p99": percentile("99")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in INPUTS:
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
        subprocess.run(["lodpub", "--project", str(project), "build", "-q"], check=True)
        dump = project / "build/current/dumps/lgdg.nq.gz"
        with gzip.open(dump, "rb") as stream:
            quads = sum(1 for _ in stream)
        ours, theirs = free_port(), free_port()
        servers = [
            subprocess.Popen(["lodpub", "--project", str(project), "serve", "--port", str(ours)]),
            subprocess.Popen([sys.executable, "-c", RDFLIB_ENDPOINT, str(dump), str(theirs)]),
        ]
        try:
            lodpub, baseline = f"http://127.0.0.1:{ours}", f"http://127.0.0.1:{theirs}"
            wait_until_up(lodpub + "/healthz")
            wait_until_up(baseline + "/?query=" + quote("ASK {}"))  # rdflib-endpoint serves at /
            describe = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(?s = <{ENTITY}>) }}"
            cases = [
                (
                    "dereference Turtle",
                    lodpub + "/doc/organization/wego",
                    "text/turtle",
                    baseline + "/?query=" + quote(describe),
                    "text/turtle",
                ),
                (
                    "dereference HTML",
                    lodpub + "/doc/organization/wego",
                    "text/html",
                    baseline + "/?query=" + quote(describe),
                    "text/turtle",
                ),
            ]
            for name, query in QUERIES.items():
                encoded = "?query=" + quote(query)
                accept = "application/sparql-results+json"
                ours_url, their_url = lodpub + "/sparql" + encoded, baseline + "/" + encoded
                cases.append((f"SPARQL {name}", ours_url, accept, their_url, accept))
            print(f"data: {quads} quads; {args.connections} connections, {args.seconds} s per case")
            print(
                f"{'case':28} {'lodpub rps':>11} {'p50 ms':>8} {'p99 ms':>8} "
                f"{'baseline rps':>13} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7}"
            )
            for name, ours_url, ours_accept, their_url, their_accept in cases:
                a = wrk(ours_url, args.seconds, args.connections, ours_accept)
                b = wrk(their_url, args.seconds, args.connections, their_accept)
                print(
                    f"{name:28} {a['rps']:11.0f} {a['p50']:8.1f} {a['p99']:8.1f} "
                    f"{b['rps']:13.0f} {b['p50']:8.1f} {b['p99']:8.1f} {a['rps'] / b['rps']:6.1f}x"
                )
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
