"""Build benchmark: time and peak memory of each stage of `lodpub build`, by dataset size.

For each size, bench/generate.py writes a project of that many triples into a temporary
folder, `lodpub build` runs on it in a child process whose resident memory is sampled every
20 ms, and each stage's time and peak memory are read off the build's progress lines. The
baseline, in the same run, is what storing the same data costs without lodpub: pyoxigraph
bulk-loading the release's N-Quads dump into a new store.

    python3 bench/build_bench.py [--sizes 100000 1000000] [--keep DIR]

Prints one table: per size and stage, seconds, peak RSS and throughput, then the totals
with the ratio to the baseline and the time per million triples (linear growth shows as a
flat column).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402  (bench/ is not a package)

STAGE_LINE = re.compile(r"^\s*✓ (?P<stage>[^:(]+?)(?::.*)? \((?P<seconds>[\d.]+) s\)$")
SAMPLE_EVERY_S = 0.02
LOAD_BASELINE = """
import gzip, sys, time, pyoxigraph as ox
start = time.perf_counter()
store = ox.Store(sys.argv[2])
with gzip.open(sys.argv[1], "rb") as dump:
    store.bulk_load(dump, format=ox.RdfFormat.N_QUADS)
store.flush()
print(time.perf_counter() - start)
"""
SUMMARY_LINE = re.compile(r"^release \S+: (?P<triples>\d+) triples")


@dataclass
class Stage:
    name: str
    seconds: float
    peak_bytes: int


@dataclass
class Run:
    size: int
    triples: int = 0
    stages: list[Stage] = field(default_factory=list)
    wall_s: float = 0.0
    peak_bytes: int = 0
    baseline_s: float = 0.0


def rss_bytes(pid: int) -> int:
    """Resident memory of a process now (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) * 1024 if found else 0


def build(project: Path) -> tuple[list[Stage], float, int, int]:
    """Run `lodpub build` on ``project``: its stages, wall time, peak memory and triples."""
    start = time.perf_counter()
    lodpub = shutil.which("lodpub") or sys.exit("lodpub is not installed (pip install -e .)")
    child = subprocess.Popen(
        [lodpub, "--project", str(project), "build"],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = {"stage": 0, "all": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            now = rss_bytes(child.pid)
            peak["stage"] = max(peak["stage"], now)
            peak["all"] = max(peak["all"], now)
            time.sleep(SAMPLE_EVERY_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stages = []
    assert child.stderr is not None
    for line in child.stderr:
        found = STAGE_LINE.match(line.strip("\r\n"))
        if found:
            stages.append(Stage(found["stage"], float(found["seconds"]), peak["stage"]))
            peak["stage"] = rss_bytes(child.pid)
    assert child.stdout is not None
    summary = SUMMARY_LINE.match(child.stdout.read())
    if child.wait() != 0 or summary is None:
        raise SystemExit(f"lodpub build failed on {project}")
    done.set()
    sampler.join()
    return stages, time.perf_counter() - start, peak["all"], int(summary["triples"])


def baseline(release: Path, scratch: Path) -> float:
    """Seconds pyoxigraph takes to bulk-load the release's N-Quads dump into a new store."""
    dump = next((release / "dumps").glob("*.nq.gz"))
    out = subprocess.run(
        [sys.executable, "-c", LOAD_BASELINE, str(dump), str(scratch / "store")],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout)


def measure(size: int, folder: Path) -> Run:
    project = folder / f"project-{size}"
    generate(project, size)
    run = Run(size)
    run.stages, run.wall_s, run.peak_bytes, run.triples = build(project)
    release = (project / "build" / "current").resolve()
    scratch = folder / f"baseline-{size}"
    scratch.mkdir()
    run.baseline_s = baseline(release, scratch)
    shutil.rmtree(scratch)
    return run


def report(runs: list[Run]) -> None:
    gib = 1024**3
    print(f"{'size':>9} {'stage':<26} {'s':>8} {'peak GiB':>9} {'triples/s':>11}")
    for run in runs:
        for stage in run.stages:
            rate = run.triples / stage.seconds if stage.seconds else float("inf")
            print(
                f"{run.size:>9} {stage.name:<26} {stage.seconds:>8.1f} "
                f"{stage.peak_bytes / gib:>9.2f} {rate:>11,.0f}"
            )
    print()
    print(
        f"{'size':>9} {'triples':>9} {'build s':>8} {'peak GiB':>9} {'triples/s':>10} "
        f"{'s per M':>8} {'load s':>7} {'build/load':>10}"
    )
    for run in runs:
        print(
            f"{run.size:>9} {run.triples:>9} {run.wall_s:>8.1f} {run.peak_bytes / gib:>9.2f} "
            f"{run.triples / run.wall_s:>10,.0f} {run.wall_s / run.triples * 1e6:>8.1f} "
            f"{run.baseline_s:>7.1f} {run.wall_s / run.baseline_s:>10.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="lodpub-build-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        runs = [measure(size, folder) for size in args.sizes]
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores")
    report(runs)


if __name__ == "__main__":
    main()
