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


def sorted_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The union of the graphs' triples, each once, sorted, from quads sorted by their
    N-Quads text.

    No sort is needed: a quad's N-Quads text is its triple's followed by a space and the
    graph name, and where one triple's text is a prefix of another's the longer goes on with
    ``@``, ``^`` or a label character, all after the space; so the quads' order is their
    triples' order, repeats side by side.
    """
    return list(dict.fromkeys(q.triple for q in quads))


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
