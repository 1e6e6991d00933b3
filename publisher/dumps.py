"""Write the dumps: sorted, deterministic Turtle, N-Triples and N-Quads, gzipped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from publisher.rdfio import gzip_writer


@dataclass(frozen=True)
class Dump:
    """One dump file: its path and what it holds."""

    path: Path
    media_type: str
    triples: int


def sorted_quads(graphs: Mapping[str, Iterable[ox.Triple]]) -> list[ox.Quad]:
    """Every (graph, triple) once, in N-Quads order of (subject, predicate, object, graph)."""
    unique = {
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
        for graph, triples in graphs.items()
        for t in triples
    }
    return sorted(unique, key=str)


def sorted_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The union of the graphs' triples, each once, sorted."""
    return sorted({q.triple for q in quads}, key=str)


def write_dumps(
    quads: list[ox.Quad],
    triples: list[ox.Triple],
    folder: Path,
    stem: str,
    prefixes: Mapping[str, str],
) -> list[Dump]:
    """Write ``stem.nq.gz`` (``quads``), ``stem.nt.gz`` and ``stem.ttl.gz`` (their union,
    ``triples``, from ``sorted_triples``) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    outputs = (
        (f"{stem}.nq.gz", "application/n-quads", quads, ox.RdfFormat.N_QUADS, None),
        (f"{stem}.nt.gz", "application/n-triples", triples, ox.RdfFormat.N_TRIPLES, None),
        (f"{stem}.ttl.gz", "text/turtle", triples, ox.RdfFormat.TURTLE, dict(prefixes)),
    )
    dumps = []
    for name, media_type, items, rdf_format, used_prefixes in outputs:
        path = folder / name
        with gzip_writer(path) as stream:
            ox.serialize(items, stream, format=rdf_format, prefixes=used_prefixes)
        dumps.append(Dump(path, media_type, len(items)))
    return dumps
