"""``lodpub build``: tables → mappings → SHACL → a new release, switched in atomically."""

from __future__ import annotations

import datetime
import json
import shutil
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib

from publisher import __version__
from publisher.changes import Changes, compare, read_ntriples, tombstones
from publisher.config import Settings
from publisher.description import ReleaseFacts, describe_release
from publisher.dumps import sorted_quads, sorted_triples, write_dumps
from publisher.errors import ConformanceError, Location, MappingError, Problem
from publisher.mappings import apply_mapping, load_rows, read_mappings
from publisher.namespaces import PREFIXES
from publisher.ontology import ontology_version, read_ontology
from publisher.progress import Progress
from publisher.rdfio import graph_to_triples, read_nquads_gz, triples_to_graph
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
from publisher.store import write_store

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


def map_tables(tables: dict[str, Table], settings: Settings) -> dict[str, list[ox.Triple]]:
    """Run every table's mapping; return triples by named graph (their source document's, or
    the table's own for a mapping that reads no ``?source``)."""
    mappings = read_mappings(settings.mappings_dir, tables)
    if SOURCE_TABLE not in tables:
        where = Location(str(settings.data_dir / f"{SOURCE_TABLE}.csv"))
        raise MappingError([Problem(where, "the table of source documents is missing")])
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for name, table in sorted(tables.items()):
        found = apply_mapping(mappings[name], load_rows(table), settings.base_iri)
        for key, triples in found.items():
            graph = settings.table_graph(name) if key is None else settings.source_graph(key)
            graphs[graph].extend(triples)
    return dict(graphs)


def _graph_quads(graph: rdflib.Graph, name: str) -> list[ox.Quad]:
    node = ox.NamedNode(name)
    return [ox.Quad(t.subject, t.predicate, t.object, node) for t in graph_to_triples(graph)]


def run_build(settings: Settings, progress: Progress | None = None) -> BuildResult:
    """Build a release from the project's inputs, or raise without touching the current one."""
    progress = progress or Progress(enabled=False)
    with progress.stage("read tables"):
        tables = read_tables(settings.data_dir)
        progress.note(f"{len(tables)} tables, {sum(len(t.rows) for t in tables.values())} rows")
    with progress.stage("read ontology and shapes"):
        ontology = read_ontology(settings.ontology_dir)
        shapes = read_shapes(settings.shapes_dir)
        progress.note(f"{len(ontology)} + {len(shapes)} triples")
    with progress.stage("map"):
        graphs = map_tables(tables, settings)
        quads = sorted_quads(graphs)
        progress.note(f"{len(quads)} quads in {len(graphs)} source graphs")
        del graphs  # the quads hold it all; a million triples take a lot of memory
    with progress.stage("validate"):
        data = triples_to_graph(q.triple for q in quads)
        report = validate_dataset(data, shapes, ontology, index_rows(tables))
        progress.note(f"{report.shapes_count} shapes, {report.focus_nodes} focus nodes")
        del data
        if not report.conforms:
            raise ConformanceError(list(report.violations))
    with progress.stage("write release"):
        union = sorted_triples(quads)
        release, changes = _write_release(settings, quads, union, ontology, shapes, report)
        progress.note(f"{release.version} at {release.path}")
    return BuildResult(release, report, changes, len(union), dict(progress.timings))


def _write_release(
    settings: Settings,
    quads: list[ox.Quad],
    union: list[ox.Triple],
    ontology: rdflib.Graph,
    shapes: rdflib.Graph,
    report: ValidationReport,
) -> tuple[Release, Changes]:
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    timestamp = now.isoformat().replace("+00:00", "Z")
    version = new_version(now, settings.release_dir)
    previous = current_release(settings.release_dir)
    incoming = start_release(settings.release_dir, version)
    try:
        dumps = write_dumps(quads, union, incoming / "dumps", settings.dump_name, PREFIXES)
        ontology.serialize(incoming / "ontology.ttl", format="turtle")
        shapes.serialize(incoming / "shapes.ttl", format="turtle")
        previous_quads = None
        previous_tombstones: list[ox.Triple] = []
        if previous is not None:
            previous_dump = previous.path / "dumps" / f"{settings.dump_name}.nq.gz"
            previous_quads = list(read_nquads_gz(previous_dump)) if previous_dump.is_file() else []
            previous_tombstones = read_ntriples(previous.path / TOMBSTONES_FILE)
        entity_prefix = f"{settings.base_iri}id/"
        changes = compare(
            previous_quads, previous.version if previous else None, quads, entity_prefix
        )
        buried = tombstones(previous_tombstones, previous_quads, quads, changes, version, timestamp)
        (incoming / TOMBSTONES_FILE).write_bytes(
            ox.serialize(buried, format=ox.RdfFormat.N_TRIPLES) or b""
        )
        checksums = {f"dumps/{d.path.name}": sha256_file(d.path) for d in dumps}
        facts = ReleaseFacts(
            version=version,
            timestamp=timestamp,
            quads=quads,
            triples=union,
            dumps=dumps,
            checksums=checksums,
            report=report,
            changes=changes,
            tombstones=len({t.subject for t in buried}),
        )
        description = describe_release(settings, facts)
        description.serialize(incoming / "void.ttl", format="turtle")
        tombstone_graph = ox.NamedNode(settings.tombstone_graph)
        others = [
            *_graph_quads(ontology, settings.ontology_graph),
            *_graph_quads(description, settings.description_graph),
            *(ox.Quad(t.subject, t.predicate, t.object, tombstone_graph) for t in buried),
        ]
        # The store keeps each quad once, so the default graph may be given with repeats.
        write_store(incoming / "store", [*quads, *others], [*union, *(q.triple for q in others)])
        manifest = {
            "version": version,
            "created": timestamp,
            "previous_version": changes.previous_version,
            "base_iri": settings.base_iri,
            "ontology_version": ontology_version(ontology),
            "lodpub_version": __version__,
            "dumps": [d.path.name for d in dumps],
        }
        (incoming / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
        write_checksums(incoming)
        return finish_release(
            settings.release_dir, incoming, version, settings.keep_releases
        ), changes
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
