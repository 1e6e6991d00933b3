"""Write the dumps: sorted, deterministic Turtle, N-Triples and N-Quads, gzipped."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from publisher.rdfio import gzip_writer

CHUNK = 4 << 20  # bytes gzipped at a time: the thread waits for the GIL once per chunk


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


class DumpWriter:
    """Writes ``stem.nq.gz`` (``quads``), ``stem.nt.gz`` and ``stem.ttl.gz`` (their union,
    ``triples``, from ``sorted_triples``) into ``folder`` while the build goes on.

    pyoxigraph writes each dump to a plain file in the calling thread (it reads Python
    objects, so it holds the GIL); a background thread gzips the files, in chunks for which
    zlib lets the GIL go. Use as a context manager; ``finish`` waits and returns the dumps.
    Leaving the context without ``finish`` (a failed build) stops the thread at its next
    chunk.
    """

    def __init__(
        self,
        quads: list[ox.Quad],
        triples: list[ox.Triple],
        folder: Path,
        stem: str,
        prefixes: Mapping[str, str],
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        outputs = (
            (f"{stem}.nq.gz", "application/n-quads", quads, ox.RdfFormat.N_QUADS, None),
            (f"{stem}.nt.gz", "application/n-triples", triples, ox.RdfFormat.N_TRIPLES, None),
            (f"{stem}.ttl.gz", "text/turtle", triples, ox.RdfFormat.TURTLE, dict(prefixes)),
        )
        self._dumps: list[Dump] = []
        for name, media_type, items, rdf_format, used_prefixes in outputs:
            path = folder / name
            ox.serialize(items, str(_plain(path)), format=rdf_format, prefixes=used_prefixes)
            self._dumps.append(Dump(path, media_type, len(items)))
        self._stop = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._compress, name="dumps-gzip", daemon=True)
        self._thread.start()

    def _compress(self) -> None:
        try:
            for dump in self._dumps:
                plain = _plain(dump.path)
                with plain.open("rb") as source, gzip_writer(dump.path) as target:
                    while chunk := source.read(CHUNK):
                        if self._stop.is_set():
                            return
                        target.write(chunk)
                plain.unlink()
        except BaseException as exc:  # re-raised in the building thread by finish()
            self._error = exc

    def finish(self) -> list[Dump]:
        """Wait until every dump is gzipped and return them."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._dumps

    def __enter__(self) -> DumpWriter:
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _plain(path: Path) -> Path:
    """Where a dump is written before it is gzipped: its name without ``.gz``."""
    return path.with_suffix("")
