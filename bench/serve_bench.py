"""Serving benchmark: lodpub next to nginx (documents) and to Virtuoso and rdflib-endpoint
(SPARQL), over the same data, in one run.

    python3 bench/serve_bench.py --triples 1000000 --seconds 10
    python3 bench/serve_bench.py --project DIR          # a project already built: no rebuild

Makes a project (``--triples 0``: this repository's data/; N > 0: bench/generate.py's N
triples) and builds it in a temporary folder, unless ``--project`` names one already built.
Then starts, on 127.0.0.1 (bench/servers.py): ``lodpub serve`` (embedded store), a throwaway
Virtuoso with the release pushed into it, ``lodpub serve`` on that Virtuoso, rdflib-endpoint
over the same quads, and nginx serving, as static files, the very bytes lodpub sent for the
benchmarked documents. Every server is stopped at the end.

Cases, each driven by wrk at ``--connections`` connections (bench/targets.lua):

* dereference, Turtle (``/doc/…/x.ttl``) and HTML (``/doc/…/x.html``): ``--documents``
  distinct entities; lodpub and lodpub on Virtuoso next to nginx.
* SPARQL, eight consumer queries, each with a parameter drawn anew for each of up to
  ``--variants`` requests (entity, words, network, date range, …), so that no answer cache
  decides the result; lodpub, lodpub on Virtuoso, Virtuoso and rdflib-endpoint. Before timing,
  every server answers the same check variants (not among the timed ones) and the numbers of
  rows are compared.

Each case runs twice per server. ``cold``: every target once, C connections at a time
(wrk with one connection per thread; rate and percentiles are computed from each request's
start and end, which bench/targets.lua logs), for at most ``--cold-seconds``: what first
visitors get. Then the lodpubs are asked every target (so that none is left uncached) and
nginx is given the bytes. ``warm``: wrk (2 threads) going round the same targets for
``--seconds``: lodpub answers from its per-release caches (documents, SPARQL answers), the
others compute every answer again. nginx has no cold run: it has nothing to warm.

Needs wrk and nginx (Debian), virtuoso-opensource (Debian; its rows are skipped, saying so,
without it) and rdflib-endpoint (PyPI); none is a dependency of lodpub.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pyoxigraph as ox
import servers
from generate import generate
from servers import Server

from publisher.config import Settings

ROOT = Path(__file__).resolve().parents[1]
LUA = Path(__file__).with_name("targets.lua")
INPUTS = ("data", "mappings", "ontology", "shapes", "pyproject.toml")
RESULTS_JSON = "application/sparql-results+json"
CHECKS = 3  # check variants per SPARQL case, apart from the timed ones
WRK_TIMEOUT_S = 60
WARM_THREADS = 2
SETTLE_TIMEOUT_S = 900.0
PREFIXES = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX lgdg: <https://w3id.org/lgdg/def#>
PREFIX schema: <https://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
# The consumer workload: a query per kind, with the parameter each request varies.
WORKLOAD = {
    "entity lookup": "SELECT ?p ?o WHERE {{ <{0}> ?p ?o }}",
    "label search": """SELECT ?s ?label WHERE {{ ?s rdfs:label ?label
  FILTER(CONTAINS(LCASE(STR(?label)), "{0}")) }} LIMIT 100""",
    "network members with labels": """SELECT ?member ?label WHERE {{
  ?m org:organization <{0}> ; org:member ?member .
  ?member rdfs:label ?label FILTER(LANG(?label) = "{1}") }}""",
    "agreements in a date range": """SELECT ?a ?label ?date WHERE {{
  ?a a lgdg:Agreement ; lgdg:dateSigned ?date ; rdfs:label ?label
  FILTER(DATATYPE(?date) = xsd:date && ?date >= "{0}"^^xsd:date && ?date < "{1}"^^xsd:date)
}} ORDER BY ?date""",
    "counts by type": """SELECT ?type (COUNT(?s) AS ?n) WHERE {{ ?s a ?type }}
GROUP BY ?type ORDER BY DESC(?n) ?type LIMIT {0}""",
    "two-hop join": """SELECT DISTINCT ?colleague ?name WHERE {{
  <{0}> org:holds ?post . ?post org:postIn ?org .
  ?other org:postIn ?org . ?colleague org:holds ?other ; foaf:name ?name }}""",
    "OPTIONAL-heavy": """SELECT * WHERE {{
  ?event schema:location <{0}> .
  OPTIONAL {{ ?event rdfs:label ?label FILTER(LANG(?label) = "en") }}
  OPTIONAL {{ ?event schema:startDate ?start }}
  OPTIONAL {{ ?event schema:endDate ?end }}
  OPTIONAL {{ ?event schema:organizer ?organizer
             OPTIONAL {{ ?organizer rdfs:label ?organizerLabel
                        FILTER(LANG(?organizerLabel) = "en") }} }}
  OPTIONAL {{ ?event schema:superEvent ?parent }}
  OPTIONAL {{ ?event lgdg:reportedAttendance ?attendance }}
  OPTIONAL {{ ?event schema:eventAttendanceMode ?mode }} }}""",
    "GROUP BY": """SELECT ?role (COUNT(?post) AS ?posts) WHERE {{
  ?m org:organization <{0}> ; org:member ?member .
  ?post org:postIn ?member ; org:role ?role }} GROUP BY ?role ORDER BY DESC(?posts) ?role""",
}
DESCRIBED = {
    "entity lookup": "all statements of an entity (a different entity each request)",
    "label search": "labels containing a word, case-insensitive, first 100 (different words)",
    "network members with labels": "members of a network, labels in one language",
    "agreements in a date range": "agreements signed in a window of 1 to 12 months",
    "counts by type": "the k most frequent types (k varied: every type is counted each time)",
    "two-hop join": "people holding a post where a given person holds one",
    "OPTIONAL-heavy": "events at a city with 7 OPTIONAL details (one nested)",
    "GROUP BY": "posts per role in the member organizations of a network",
}


@dataclass
class Case:
    """One benchmark case: the targets each server is sent (timed, and checked first)."""

    name: str
    accept: str | None
    servers: list[Server]
    targets: dict[str, list[str]]
    checks: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Measure:
    """What one run of one case against one server gave."""

    case: str
    phase: str
    server: str
    rps: float
    p50: float
    p99: float
    requests: int
    errors: str = ""
    unfinished: str = ""  # a cold run that ran out of time: how many targets it reached
    busy: str = ""


# --- the project and the workload -------------------------------------------------------------


def prepare(args: argparse.Namespace, tmp: Path) -> Path:
    """The project to serve: ``--project`` as it is (built if it has no release), else a new
    one in ``tmp`` (the repository's inputs, or a generated world), built."""
    project = args.project or tmp / "project"
    if args.project is None:
        started = time.perf_counter()
        if args.triples:
            generate(project, args.triples, args.seed)
        else:
            project.mkdir()
            for name in INPUTS:
                source = ROOT / name
                (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
        print(f"project: {project} ({time.perf_counter() - started:.0f} s)", flush=True)
    if args.project is None or not (project / "build" / "current").exists():
        started = time.perf_counter()
        subprocess.run(["lodpub", "--project", str(project), "build", "-q"], check=True)
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    return project


def _split(space: Sequence[object], count: int, rng: random.Random) -> tuple[list, list]:
    """``count`` values of ``space`` to time, and CHECKS others to check rows with (taken
    from the timed ones only when the space is too small to spare them)."""
    chosen = rng.sample(list(space), min(len(space), count + CHECKS))
    return chosen[:count], chosen[count:] or chosen[:CHECKS]


def workload(
    store_path: Path, base_iri: str, documents: int, variants: int, seed: int
) -> tuple[list[str], dict[str, tuple[list[str], list[str]]], int]:
    """Document paths (without extension), the SPARQL queries per kind (timed, check), and
    the number of triples in the default graph, all drawn from the release's store."""
    store = ox.Store.read_only(str(store_path))
    rng = random.Random(seed)

    def column(query: str) -> list[str]:
        return sorted({row[0].value for row in store.query(PREFIXES + query)})  # type: ignore[union-attr]

    prefix = base_iri + "id/"
    entities = column(
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?type FILTER(STRSTARTS(STR(?s), "{prefix}")) }}'
    )
    sample = rng.sample(entities, min(documents, len(entities)))
    paths = ["/doc/" + iri.removeprefix(prefix) for iri in sample]
    labels = column("SELECT ?label WHERE { ?city a schema:City ; rdfs:label ?label }")
    words = sorted({w for label in labels for w in re.findall(r"[a-z]{5,}", label.lower())})
    networks = column("SELECT DISTINCT ?network WHERE { ?m org:organization ?network }")
    types = len(column("SELECT DISTINCT ?type WHERE { ?s a ?type }"))
    day = datetime.date(2008, 1, 1)
    windows = []
    for _ in range(variants + CHECKS):
        start = day + datetime.timedelta(days=rng.randrange(18 * 365))
        end = start + datetime.timedelta(days=rng.randint(30, 365))
        windows.append((start.isoformat(), end.isoformat()))
    spaces: dict[str, tuple[list, list]] = {
        "entity lookup": _split([(e,) for e in entities], variants, rng),
        "label search": _split([(w,) for w in words], variants, rng),
        "network members with labels": _split(
            [(n, lang) for n in networks for lang in ("en", "fr")], variants, rng
        ),
        "agreements in a date range": (windows[:variants], windows[variants:]),
        "counts by type": (
            rng.sample([(k,) for k in range(1, types + 1)], min(types, variants)),
            [(types + k,) for k in range(1, CHECKS + 1)],
        ),
        "two-hop join": _split(
            [(p,) for p in column("SELECT DISTINCT ?p WHERE { ?p org:holds ?post }")],
            variants,
            rng,
        ),
        "OPTIONAL-heavy": _split(
            [(c,) for c in column("SELECT DISTINCT ?c WHERE { ?e schema:location ?c }")],
            variants,
            rng,
        ),
        "GROUP BY": _split([(n,) for n in networks], variants, rng),
    }
    triples = next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0].value  # type: ignore[index]
    queries = {
        kind: tuple([PREFIXES + WORKLOAD[kind].format(*v) for v in part] for part in split)
        for kind, split in spaces.items()
    }
    return paths, queries, int(triples)  # type: ignore[return-value]


# --- measuring ---------------------------------------------------------------------------------


def _processes() -> dict[int, tuple[int, float]]:
    """Every process: its parent and the CPU seconds it has used."""
    found = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(stat.parent.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    return found


def _tree_cpu(root: int, processes: dict[int, tuple[int, float]]) -> float:
    """CPU seconds of ``root`` and of every process under it (workers)."""
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += processes.get(pid, (0, 0.0))[1]
        todo.extend(children.get(pid, ()))
    return total


class CpuMeter:
    """Cores used by each server (its process and those under it) and by wrk during a run.

    A process that ends during the run takes its CPU time with it; servers' do not."""

    def __init__(self, roots: dict[str, int]) -> None:
        self.roots = roots
        self.text = ""

    def __enter__(self) -> CpuMeter:
        self.started = time.perf_counter()
        processes = _processes()
        self.before = {name: _tree_cpu(pid, processes) for name, pid in self.roots.items()}
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.client = usage.ru_utime + usage.ru_stime
        return self

    def __exit__(self, *_: object) -> None:
        elapsed = time.perf_counter() - self.started
        processes = _processes()
        used = {
            name: (_tree_cpu(pid, processes) - self.before[name]) / elapsed
            for name, pid in self.roots.items()
        }
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        used["wrk"] = (usage.ru_utime + usage.ru_stime - self.client) / elapsed
        self.text = ", ".join(f"{n} {c:.2f}" for n, c in used.items() if c >= 0.05)


def listening_process(server: Server) -> int:
    """The topmost process holding the server's listening socket (nginx's master, uvicorn's
    supervisor, lodpub's server process), for the CPU column."""
    port = int(server.base.rsplit(":", 1)[1])
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":
                inodes.add(fields[9])
    holders = set()
    for fd in Path("/proc").glob("[0-9]*/fd/*"):
        with suppress(OSError):
            link = str(fd.readlink())
            if link.startswith("socket:[") and link[8:-1] in inodes:
                holders.add(int(fd.parts[2]))
    processes = _processes()
    return min(holders, key=lambda pid: (processes.get(pid, (0, 0))[0] in holders, pid))


def _targets_file(folder: Path, targets: Sequence[str]) -> Path:
    path = folder / f"targets-{time.monotonic_ns()}.txt"
    path.write_text("".join(t + "\n" for t in targets))
    return path


def _wrk_command(
    server: Server, threads: int, connections: int, seconds: int, accept: str | None
) -> list[str]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--timeout", f"{WRK_TIMEOUT_S}s", "--latency", "-s", str(LUA)]
    return command + (["-H", f"Accept: {accept}"] if accept else []) + [server.base]


def _percentile(values: Sequence[float], share: float) -> float:
    return values[min(len(values) - 1, max(0, round(share * len(values)) - 1))]


def cold(case: Case, server: Server, connections: int, seconds: int, folder: Path) -> Measure:
    """Every target once, ``connections`` at a time (at most ``seconds``)."""
    targets = case.targets[server.name]
    threads = min(connections, len(targets))
    log = folder / f"sweep-{time.monotonic_ns()}"
    command = _wrk_command(server, threads, threads, seconds, case.accept)
    command += ["--", str(_targets_file(folder, targets)), "once", str(threads), str(log)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + seconds + 30
    while process.poll() is None and time.monotonic() < deadline:
        done = sum(len(p.read_bytes().splitlines()) for p in folder.glob(log.name + ".*"))
        if done >= len(targets):
            process.send_signal(signal.SIGINT)  # wrk would otherwise sleep the whole -d
            break
        time.sleep(0.1)
    process.communicate(timeout=seconds + 60)
    rows = [
        line.split() for p in folder.glob(log.name + ".*") for line in p.read_text().splitlines()
    ]
    if not rows:
        unfinished = f"0 of {len(targets)} in {seconds} s"
        return Measure(case.name, "cold", server.name, 0, 0, 0, 0, "", unfinished)
    starts, ends = [float(r[0]) for r in rows], [float(r[1]) for r in rows]
    latencies = sorted((e - s) * 1000 for s, e in zip(starts, ends, strict=True))
    failed = sum(int(r[2]) >= 400 for r in rows)
    errors = f"{failed} HTTP ≥ 400" if failed else ""
    unfinished = f"{len(rows)} of {len(targets)} in {seconds} s" if len(rows) < len(targets) else ""
    rate = len(rows) / (max(ends) - min(starts))
    return Measure(
        case.name,
        "cold",
        server.name,
        rate,
        _percentile(latencies, 0.5),
        _percentile(latencies, 0.99),
        len(rows),
        errors,
        unfinished,
    )


def warm(case: Case, server: Server, connections: int, seconds: int, folder: Path) -> Measure:
    """wrk going round the targets for ``seconds``."""
    targets = case.targets[server.name]
    command = _wrk_command(server, WARM_THREADS, connections, seconds, case.accept)
    command += ["--", str(_targets_file(folder, targets)), "cycle", str(WARM_THREADS)]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 120
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    problems = []
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        problems.append(f"{found.group(1)} HTTP ≥ 400")
    if found := re.search(r"Socket errors: (.*)", output):
        problems.append("socket errors: " + found.group(1))

    def percentile(label: str) -> float:
        found = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)\b", output)
        value, unit = found.groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    return Measure(
        case.name,
        "warm",
        server.name,
        rate,
        percentile("50"),
        percentile("99"),
        requests,
        "; ".join(problems),
    )


def settle(server: Server) -> None:
    """Wait until ``server`` is idle again: requests wrk gave up on may still be running
    (rdflib-endpoint answers one query at a time and never drops one)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while time.monotonic() < deadline:
        probe = f"ASK {{ FILTER({time.monotonic_ns()} > 0) }}"  # new each time: not cached
        url = server.base + (server.query_target(probe) if server.sparql else "/")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=SETTLE_TIMEOUT_S):
                pass
        except urllib.error.HTTPError:
            pass  # an answer all the same (nginx has no page at /)
        except (urllib.error.URLError, OSError):
            time.sleep(1)
            continue
        if time.perf_counter() - started < 1.0:
            return
    raise RuntimeError(f"{server.name} stayed busy for {SETTLE_TIMEOUT_S:.0f} s")


def fetch(
    server: Server, target: str, accept: str | None, timeout: float = 600
) -> tuple[int, bytes]:
    """GET ``target`` with the headers wrk sends (Host, and Accept when given): same bytes."""
    host, port = server.base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        connection.putrequest("GET", target, skip_accept_encoding=True)
        if accept:
            connection.putheader("Accept", accept)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def prime(case: Case, servers: list[Server], args: argparse.Namespace) -> None:
    """Ask ``servers`` every target of ``case`` the cold run did not reach in time (all of
    them: the others are answered from cache), so that the warm run finds them all cached."""
    started = time.perf_counter()
    with ThreadPoolExecutor(args.query_workers + 1) as pool:  # within lodpub's queue limit
        for server in servers:
            targets = case.targets[server.name]
            failed = [
                t
                for t, (status, _) in zip(
                    targets,
                    pool.map(lambda t, s=server: fetch(s, t, case.accept), targets),
                    strict=True,
                )
                if status != 200
            ]
            if failed:
                print(f"  {server.name}: {len(failed)} failed, e.g. {failed[0]}", flush=True)
    print(f"  (answers cached in {time.perf_counter() - started:.0f} s)", flush=True)


def check_rows(case: Case) -> str:
    """Rows each server answers for the case's check variants; a warning when they differ."""
    answers: dict[str, list[str]] = {}
    for server in case.servers:
        counts = []
        for target in case.checks[server.name]:
            try:
                status, body = fetch(server, target, case.accept)
            except (OSError, http.client.HTTPException) as exc:
                counts.append(f"error {exc}")
                continue
            if status != 200:
                counts.append(f"HTTP {status}: {body[:120].decode(errors='replace')!r}")
                continue
            counts.append(str(len(json.loads(body)["results"]["bindings"])))
        answers[server.name] = counts
    line = "; ".join(f"{name} {'/'.join(c)}" for name, c in answers.items())
    same = len({tuple(c) for c in answers.values()}) == 1
    return f"  rows of the {CHECKS} check variants: {line}" + (
        "" if same else "\n  WARNING: the servers do not return the same numbers of rows"
    )


# --- the run -----------------------------------------------------------------------------------


def machine() -> str:
    """Cores, memory and processor of this machine."""
    memory = Path("/proc/meminfo").read_text().split()[1]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores ({cpu}), {int(memory) / 1024**2:.0f} GB RAM"


def ratio_text(measure: Measure, results: list[Measure]) -> str:
    """lodpub's rate against nginx (warm) for documents, against Virtuoso and rdflib-endpoint
    (same phase) for SPARQL."""
    if not measure.server.startswith("lodpub") or not measure.rps:
        return ""

    def rate(server: str, phase: str) -> float:
        found = [
            m.rps for m in results if (m.case, m.server, m.phase) == (measure.case, server, phase)
        ]
        return found[0] if found else 0.0

    if measure.case.startswith("dereference"):
        nginx = rate("nginx", "warm")
        return f"{100 * measure.rps / nginx:.2g} % of nginx" if nginx else ""
    parts = []
    for other in ("Virtuoso", "rdflib-endpoint"):
        if theirs := rate(other, measure.phase):
            times = measure.rps / theirs
            parts.append(f"{times:.0f}× {other}" if times >= 10 else f"{times:.2g}× {other}")
    return ", ".join(parts)


def _rate(rps: float) -> str:
    return f"{rps:,.0f}" if rps >= 10 else f"{rps:.2g}"


def print_table(results: list[Measure]) -> None:
    """Every measure, then the SPARQL workload as a whole: the rate of an equal mix of the
    query kinds (N kinds / the sum of 1/rate), against Virtuoso and rdflib-endpoint."""
    columns = (
        "case pass server req/s p50_ms p99_ms requests errors_(or_reached) lodpub_ratio cores_busy"
    )
    print("\n| " + " | ".join(c.replace("_", " ") for c in columns.split()) + " |")
    print("|---|---|---|---:|---:|---:|---:|---|---|---|")
    for m in results:
        print(
            f"| {m.case} | {m.phase} | {m.server} | {_rate(m.rps)} | {m.p50:.1f} | {m.p99:.1f} | "
            f"{m.requests:,} | {m.errors or m.unfinished} | {ratio_text(m, results)} | {m.busy} |"
        )
    sparql = [m for m in results if m.case.startswith("SPARQL")]
    kinds = {m.case for m in sparql}
    mixes = []
    for phase in ("cold", "warm"):
        for server in dict.fromkeys(m.server for m in sparql):
            rates = [m.rps for m in sparql if (m.phase, m.server) == (phase, server)]
            if len(rates) == len(kinds) and all(rates):
                rate = len(rates) / sum(1 / r for r in rates)
                mixes.append(Measure("SPARQL workload (equal mix)", phase, server, rate, 0, 0, 0))
    if mixes:
        print(f"\nSPARQL workload, an equal mix of the {len(kinds)} queries:")
        for m in mixes:
            print(f"  {m.phase} {m.server:18} {_rate(m.rps):>7} queries/s  {ratio_text(m, mixes)}")


def run_case(
    case: Case,
    args: argparse.Namespace,
    folder: Path,
    roots: dict[str, int],
    results: list[Measure],
    between: Callable[[], None] | None = None,
) -> None:
    """Both passes of a case against each of its servers (``between``: after the cold ones)."""
    print(f"\n{case.name}:", flush=True)
    passes = [("cold", cold), ("warm", warm)]
    for phase, run in passes:
        for server in case.servers:
            if phase == "cold" and server.name == "nginx":
                continue  # no cache to warm; the cold client would be its limit, not nginx
            with CpuMeter(roots) as meter:
                seconds = args.cold_seconds if phase == "cold" else args.seconds
                measure = run(case, server, args.connections, seconds, folder)
            measure.busy = meter.text
            settle(server)
            results.append(measure)
            print(
                f"  {phase:4} {server.name:18} {measure.rps:9.1f} req/s  p50 {measure.p50:8.1f} ms"
                f"  p99 {measure.p99:8.1f} ms  {measure.requests:7d} requests  "
                f"{measure.errors} {measure.unfinished}  [{measure.busy}]",
                flush=True,
            )
            if measure.errors and server.log:
                tail = server.log.read_text(errors="replace").splitlines()[-5:]
                print("    server log: " + "\n    ".join(tail), flush=True)
        if phase == "cold" and between:
            between()


@dataclass
class Lineup:
    """The servers started, by role (None: skipped), and the process of each (CPU column)."""

    lodpub: Server
    lodpub_remote: Server | None = None
    virtuoso: Server | None = None
    rdflib: Server | None = None
    nginx: Server | None = None
    roots: dict[str, int] = field(default_factory=dict)

    def started(self) -> list[Server]:
        found = (self.lodpub, self.lodpub_remote, self.virtuoso, self.rdflib, self.nginx)
        return [s for s in found if s]


def start_servers(
    stack: ExitStack, args: argparse.Namespace, project: Path, release: Path, tmp: Path
) -> Lineup:
    """Every server of the comparison, each stopped when ``stack`` closes."""
    skip = set(args.skip)
    logs = tmp / "logs"
    logs.mkdir()
    env = {"LODPUB_QUERY_WORKERS": str(args.query_workers)}
    nquads = tmp / "all.nq.gz"
    if "rdflib-endpoint" not in skip:  # exported before anything runs: the store is read
        count = servers.export_nquads(release / "store", nquads)
        print(f"rdflib-endpoint will load {count:,} quads", flush=True)
    lineup = Lineup(servers.start_lodpub(stack, "lodpub", project, logs, env, args.web_workers))
    if "Virtuoso" not in skip:
        found = servers.start_virtuoso(stack, tmp / "virtuoso", args.buffers)
        if isinstance(found, str):
            print(f"Virtuoso: skipped, {found}", flush=True)
        else:
            lineup.virtuoso, remote_env = servers.push(project, tmp / "virtuoso", found)
            if "lodpub (Virtuoso)" not in skip:
                lineup.lodpub_remote = servers.start_lodpub(
                    stack,
                    "lodpub (Virtuoso)",
                    project,
                    logs,
                    {**env, **remote_env},
                    args.web_workers,
                )
    if "rdflib-endpoint" not in skip:
        lineup.rdflib = servers.start_rdflib_endpoint(stack, nquads, logs)
    if "nginx" not in skip:
        lineup.nginx = servers.start_nginx(stack, tmp / "nginx", args.web_workers)
    lineup.roots = {s.name: listening_process(s) for s in lineup.started()}
    return lineup


def dereference_cases(
    lineup: Lineup, paths: list[str], args: argparse.Namespace, tmp: Path
) -> list[Measure]:
    """Turtle and HTML documents: lodpub (both stores) cold, then nginx given the very bytes
    lodpub sent, then everyone warm."""
    results: list[Measure] = []
    for label, extension, count in (
        ("Turtle", "ttl", args.documents),
        ("HTML", "html", args.html_documents),
    ):
        name = f"dereference {label}"
        if args.only and not any(o in name for o in args.only):
            continue
        targets = [f"{p}.{extension}" for p in paths[:count]]
        case = Case(
            name,
            None,
            [s for s in (lineup.lodpub, lineup.lodpub_remote, lineup.nginx) if s],
            {s.name: targets for s in lineup.started()},
        )

        def copy_documents(targets: list[str] = targets) -> None:
            """Fetch every document from both lodpubs (rendering those the cold run did not
            reach, so that the warm run finds all in cache), give nginx lodpub's bytes."""
            started = time.perf_counter()
            with ThreadPoolExecutor(args.connections) as pool:
                ours = list(pool.map(lambda t: fetch(lineup.lodpub, t, None), targets))
                remote = lineup.lodpub_remote
                theirs = list(pool.map(lambda t: fetch(remote, t, None), targets)) if remote else []
            for target, (status, body) in zip(targets, ours, strict=True):
                if status != 200:
                    raise RuntimeError(f"lodpub answered {status} for {target}")
                if lineup.nginx:
                    servers.write_public(tmp / "nginx" / "www", target, body)
            differ = sum(a != b for a, b in zip(ours, theirs, strict=False))
            print(
                f"  all documents fetched from the lodpubs in {time.perf_counter() - started:.0f} s"
                + (
                    f"; lodpub (Virtuoso) sends other bytes than lodpub for {differ} of "
                    f"{len(targets)}"
                    if remote
                    else ""
                ),
                flush=True,
            )

        run_case(case, args, tmp, lineup.roots, results, copy_documents)
    return results


def sparql_cases(
    lineup: Lineup,
    queries: dict[str, tuple[list[str], list[str]]],
    args: argparse.Namespace,
    tmp: Path,
) -> list[Measure]:
    """The eight workload queries against every SPARQL server, rows checked first."""
    results: list[Measure] = []
    sparql = [s for s in (lineup.lodpub, lineup.lodpub_remote, lineup.virtuoso, lineup.rdflib) if s]
    for kind, (timed, checked) in queries.items():
        name = f"SPARQL {kind}"
        if args.only and not any(o in name for o in args.only):
            continue
        case = Case(
            name,
            RESULTS_JSON,
            sparql,
            {s.name: [s.query_target(q) for q in timed] for s in sparql},
            {s.name: [s.query_target(q) for q in checked] for s in sparql},
        )
        print(f"\n{name} ({DESCRIBED[kind]}; {len(timed)} variants):", flush=True)
        print(check_rows(case), flush=True)
        lodpubs = [s for s in (lineup.lodpub, lineup.lodpub_remote) if s]
        run_case(case, args, tmp, lineup.roots, results, partial(prime, case, lodpubs, args))
    return results


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=0, help="0: this repository's data/")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--project", type=Path, help="a project folder (built if need be)")
    parser.add_argument("--seconds", type=int, default=10, help="length of a warm run")
    parser.add_argument("--cold-seconds", type=int, default=30, help="bound of a cold run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--documents", type=int, default=1000, help="distinct Turtle documents")
    parser.add_argument(
        "--html-documents",
        type=int,
        default=200,
        help="distinct HTML pages (the first of the Turtle ones: a page can take seconds)",
    )
    parser.add_argument("--variants", type=int, default=200, help="distinct queries per kind")
    parser.add_argument("--query-workers", type=int, default=2, help="LODPUB_QUERY_WORKERS")
    parser.add_argument(
        "--web-workers",
        type=int,
        default=1,
        help="`lodpub serve --workers N` (and nginx with N workers)",
    )
    parser.add_argument("--buffers", type=int, default=200_000, help="Virtuoso's 8 kB buffers")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["nginx", "Virtuoso", "lodpub (Virtuoso)", "rdflib-endpoint"],
    )
    parser.add_argument("--only", action="append", default=[], help="cases whose name has this")
    return parser.parse_args()


def main() -> int:
    args = arguments()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers on SIGTERM too
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as name, ExitStack() as stack:
        tmp = Path(name)
        project = prepare(args, tmp)
        release = (project / "build" / "current").resolve()
        paths, queries, triples = workload(
            release / "store",
            Settings.load(project).base_iri,
            args.documents,
            args.variants,
            args.seed,
        )
        print(f"\n{datetime.date.today()}, {machine()}", flush=True)
        lineup = start_servers(stack, args, project, release, tmp)
        print(
            f"data: {triples:,} triples in the default graph; {args.connections} connections; "
            f"warm runs {args.seconds} s; lodpub: {args.web_workers} uvicorn worker(s), "
            f"{args.query_workers} query workers",
            flush=True,
        )
        results = dereference_cases(lineup, paths, args, tmp)
        results += sparql_cases(lineup, queries, args, tmp)
        print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
