"""Where the serving benchmark's SPARQL time goes: each workload query on a release's store,
evaluated alone, then as a query worker answers it (evaluation and JSON serialisation) without
and with the release's text index, next to Oxigraph's in-memory store holding the same quads.

    python3 bench/query_bench.py --project DIR [--variants 30] [--memory]

``DIR`` is a built project (``bench/generate.py`` then ``lodpub --project DIR build``). The
queries are bench/serve_bench.py's WORKLOAD with its parameters drawn the same way; each
column is the median over the variants, in milliseconds, on one core.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from serve_bench import workload

from publisher.config import Settings
from publisher.release import current_release
from publisher.text_index import INDEX_DIR, TextIndex
from publisher.workers import QueryJob, run_job

ROW_LIMIT = 100_000


def median_ms(run: Callable[[str], object], queries: list[str]) -> float:
    """The median time of ``run`` over ``queries``, in milliseconds."""
    times = []
    for query in queries:
        started = time.perf_counter()
        run(query)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def in_memory(store: ox.Store) -> ox.Store:
    """A new in-memory store holding every quad of ``store``."""
    started = time.perf_counter()
    memory = ox.Store()
    memory.bulk_load(store.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    print(f"in-memory store loaded in {time.perf_counter() - started:.1f} s", flush=True)
    return memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--variants", type=int, default=30)
    parser.add_argument("--memory", action="store_true", help="add the in-memory store")
    args = parser.parse_args()
    settings = Settings.load(args.project)
    release = current_release(settings.release_dir)
    if release is None:
        raise SystemExit(f"{args.project} has no release: run `lodpub --project DIR build`")
    store_path = release.path / "store"
    _, queries, triples = workload(store_path, settings.base_iri, 1, args.variants, seed=1)
    store = ox.Store.read_only(str(store_path))
    index = TextIndex.open(release.path / INDEX_DIR)
    if index is None:
        raise SystemExit(f"{release.path} has no text index: build it again")
    memory = in_memory(store) if args.memory else None
    print(f"{triples:,} triples in the default graph; {args.variants} variants per query")
    print("| query | evaluation | as a worker answers it | with the text index | in memory |")
    print("|---|---:|---:|---:|---:|")
    for kind, (timed, _) in queries.items():
        alone = median_ms(lambda q: sum(1 for _ in store.query(q)), timed)  # type: ignore[arg-type]
        job = median_ms(lambda q: run_job(store, QueryJob(q, "json", None, None, ROW_LIMIT)), timed)
        indexed = median_ms(
            lambda q: run_job(store, QueryJob(q, "json", None, None, ROW_LIMIT), index), timed
        )
        kept = (
            f"{median_ms(lambda q: sum(1 for _ in memory.query(q)), timed):.2f}"  # type: ignore[arg-type, union-attr]
            if memory
            else "—"
        )
        print(f"| {kind} | {alone:.2f} | {job:.2f} | {indexed:.2f} | {kept} |", flush=True)


if __name__ == "__main__":
    main()
