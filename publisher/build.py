"""``lodpub build``: tables → mappings → SHACL → a new release, switched in atomically."""

from __future__ import annotations

import datetime
import gc
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib

from publisher import __version__
from publisher.changes import Changes, compare, read_ntriples, tombstones
from publisher.config import Settings
from publisher.description import ReleaseFacts, describe_release
from publisher.dumps import DumpWriter, sorted_triples
from publisher.errors import ConformanceError, Location, MappingError, Problem
from publisher.mappings import apply_mapping, load_rows, read_mappings
from publisher.namespaces import PREFIXES
from publisher.ontology import ontology_version, read_ontology
from publisher.progress import Progress
from publisher.rdfio import graph_to_triples, read_nquads_gz
from publisher.release import (
    MANIFEST,
    Release,
    current_release,
    finish_release,
    new_version,
    sha256_file,
    start_release,
    write_checksums,
)
from publisher.shapes import ValidationReport, read_shapes, validate_dataset
from publisher.sources import Table, index_rows, read_tables
from publisher.store import StoreLoader
from publisher.text_index import INDEX_DIR, write_text_index

SOURCE_TABLE = "sources"
TOMBSTONES_FILE = "tombstones.nt"


@dataclass(frozen=True)
class BuildResult:
    """A finished build: the release it made and what it found."""

    release: Release
    report: ValidationReport
    changes: Changes
    triples: int
    timings: dict[str, float]

    def summary(self) -> dict[str, object]:
        """Machine-readable summary (``lodpub build --json``)."""
        return {
            "version": self.release.version,
            "path": str(self.release.path),
            "triples": self.triples,
            "shapes": self.report.shapes_count,
            "focus_nodes": self.report.focus_nodes,
            "violations": len(self.report.violations),
            "previous_version": self.changes.previous_version,
            "entities_added": len(self.changes.added),
            "entities_removed": len(self.changes.removed),
            "entities_changed": len(self.changes.changed),
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
        }


def map_tables(tables: dict[str, Table], settings: Settings) -> tuple[list[ox.Quad], int]:
    """Run every table's mapping; return the quads in N-Quads order (each triple in its
    source document's graph, or the table's own for a mapping that reads no ``?source``),
    and how many graphs they fill."""
    mappings = read_mappings(settings.mappings_dir, tables)
    if SOURCE_TABLE not in tables:
        where = Location(str(settings.data_dir / f"{SOURCE_TABLE}.csv"))
        raise MappingError([Problem(where, "the table of source documents is missing")])
    source_graphs: dict[str, ox.NamedNode] = {}

    def source_graph(key: str) -> ox.NamedNode:
        if key not in source_graphs:
            source_graphs[key] = ox.NamedNode(settings.source_graph(key))
        return source_graphs[key]

    quads: set[ox.Quad] = set()
    table_graphs = 0
    for name, table in sorted(tables.items()):
        mapping, table_graph = mappings[name], ox.NamedNode(settings.table_graph(name))
        found = apply_mapping(
            mapping, load_rows(table), settings.base_iri, table_graph, source_graph
        )
        table_graphs += bool(found) and not mapping.per_source
        quads |= found
    return sorted(quads, key=str), len(source_graphs) + table_graphs


def _graph_quads(graph: rdflib.Graph, name: str) -> list[ox.Quad]:
    node = ox.NamedNode(name)
    return [ox.Quad(t.subject, t.predicate, t.object, node) for t in graph_to_triples(graph)]


@contextmanager
def _no_cycle_collector() -> Iterator[None]:
    """Pause Python's cycle collector: a build makes millions of long-lived objects and few
    cycles, and each full collection walks them all (a third of a 1 M-triple build)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_build(settings: Settings, progress: Progress | None = None) -> BuildResult:
    """Build a release from the project's inputs, or raise without touching the current one."""
    with _no_cycle_collector():
        return _build(settings, progress or Progress(enabled=False))


def _build(settings: Settings, progress: Progress) -> BuildResult:
    with progress.stage("read tables"):
        tables = read_tables(settings.data_dir)
        progress.note(f"{len(tables)} tables, {sum(len(t.rows) for t in tables.values())} rows")
    with progress.stage("read ontology and shapes"):
        ontology = read_ontology(settings.ontology_dir)
        shapes = read_shapes(settings.shapes_dir)
        progress.note(f"{len(ontology)} + {len(shapes)} triples")
    with progress.stage("map"):
        quads, graph_count = map_tables(tables, settings)
        union = sorted_triples(quads)
        progress.note(f"{len(quads)} quads in {graph_count} source graphs")
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    version = new_version(now, settings.release_dir)
    draft = _Draft(start_release(settings.release_dir, version), version, now, quads, union)
    try:
        # The store loads and the dumps are gzipped in threads from here on, while the data
        # is validated and the description is written; a failed build throws them away.
        with (
            StoreLoader(draft.folder / "store", quads, union) as store,
            DumpWriter(quads, union, draft.folder / "dumps", settings.dump_name, PREFIXES) as dumps,
        ):
            with progress.stage("validate"):
                report = validate_dataset(union, shapes, ontology, index_rows(tables))
                progress.note(f"{report.shapes_count} shapes, {report.focus_nodes} focus nodes")
                if not report.conforms:
                    raise ConformanceError(list(report.violations))
            with progress.stage("write release"):
                changes = _write_release(settings, draft, store, dumps, ontology, shapes, report)
                finished = finish_release(
                    settings.release_dir, draft.folder, version, settings.keep_releases
                )
                progress.note(f"{finished.version} at {finished.path}")
    except BaseException:
        shutil.rmtree(draft.folder, ignore_errors=True)
        raise
    return BuildResult(finished, report, changes, len(union), dict(progress.timings))


def _previous_state(
    settings: Settings, previous: Release | None
) -> tuple[list[ox.Quad] | None, list[ox.Triple]]:
    """The quads and the tombstones of the release being replaced (``None`` and none when
    this is the first)."""
    if previous is None:
        return None, []
    dump = previous.path / "dumps" / f"{settings.dump_name}.nq.gz"
    quads = list(read_nquads_gz(dump)) if dump.is_file() else []
    return quads, read_ntriples(previous.path / TOMBSTONES_FILE)


@dataclass(frozen=True)
class _Draft:
    """A release being written: its folder (invisible to readers), version, time and data."""

    folder: Path
    version: str
    created: datetime.datetime
    quads: list[ox.Quad]
    union: list[ox.Triple]


def _write_release(
    settings: Settings,
    draft: _Draft,
    store: StoreLoader,
    dumps: DumpWriter,
    ontology: rdflib.Graph,
    shapes: rdflib.Graph,
    report: ValidationReport,
) -> Changes:
    """Write the description, the tombstones and the manifest into the draft's folder once
    ``dumps`` are written, and finish (and close) its store."""
    incoming, version, quads, union = draft.folder, draft.version, draft.quads, draft.union
    timestamp = draft.created.isoformat().replace("+00:00", "Z")
    previous = current_release(settings.release_dir)
    ontology.serialize(incoming / "ontology.ttl", format="turtle")
    shapes.serialize(incoming / "shapes.ttl", format="turtle")
    previous_quads, buried_before = _previous_state(settings, previous)
    changes = compare(
        previous_quads,
        previous.version if previous else None,
        quads,
        union,
        f"{settings.base_iri}id/",
    )
    buried = tombstones(buried_before, previous_quads, quads, changes, version, timestamp)
    (incoming / TOMBSTONES_FILE).write_bytes(
        ox.serialize(buried, format=ox.RdfFormat.N_TRIPLES) or b""
    )
    written = dumps.finish()
    facts = ReleaseFacts(
        version=version,
        timestamp=timestamp,
        quads=quads,
        triples=union,
        dumps=written,
        checksums={f"dumps/{d.path.name}": sha256_file(d.path) for d in written},
        report=report,
        changes=changes,
        tombstones=len({t.subject for t in buried}),
    )
    description = describe_release(settings, facts)
    description.serialize(incoming / "void.ttl", format="turtle")
    tombstone_graph = ox.NamedNode(settings.tombstone_graph)
    extra = [
        *_graph_quads(ontology, settings.ontology_graph),
        *_graph_quads(description, settings.description_graph),
        *(ox.Quad(t.subject, t.predicate, t.object, tombstone_graph) for t in buried),
    ]
    write_text_index(incoming / INDEX_DIR, [*quads, *extra])
    store.finish(extra)
    manifest = {
        "version": version,
        "created": timestamp,
        "previous_version": changes.previous_version,
        "base_iri": settings.base_iri,
        "ontology_version": ontology_version(ontology),
        "lodpub_version": __version__,
        "dumps": [d.path.name for d in written],
    }
    (incoming / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    write_checksums(incoming)
    return changes
