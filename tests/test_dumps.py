"""The dumps: written in the building thread, gzipped in the background."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from publisher import dumps
from publisher.dumps import DumpWriter, sorted_triples

EX = "https://example.org/"


def sample_quads(count: int) -> list[ox.Quad]:
    quads = (
        ox.Quad(
            ox.NamedNode(f"{EX}id/{i:06d}"),
            ox.NamedNode(f"{EX}label"),
            ox.Literal(f"name {i} with words to gzip", language="en"),
            ox.NamedNode(f"{EX}graph/{i % 7}"),
        )
        for i in range(count)
    )
    return sorted(quads, key=str)


def test_the_gzipped_dumps_hold_what_pyoxigraph_writes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(dumps, "CHUNK", 4096)  # many chunks, as a big release has
    quads = sample_quads(2000)
    union = sorted_triples(quads)
    with DumpWriter(quads, union, tmp_path, "data", {"ex": EX}) as writer:
        written = writer.finish()
    assert [(d.path.name, d.triples) for d in written] == [
        ("data.nq.gz", 2000),
        ("data.nt.gz", 2000),
        ("data.ttl.gz", 2000),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(d.path.name for d in written)
    nquads = gzip.decompress((tmp_path / "data.nq.gz").read_bytes())
    assert nquads == ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    turtle = gzip.decompress((tmp_path / "data.ttl.gz").read_bytes())
    assert turtle.startswith(b"@prefix ex: <https://example.org/> .")
    assert list(ox.parse(turtle, format=ox.RdfFormat.TURTLE)) == list(
        ox.parse(
            gzip.decompress((tmp_path / "data.nt.gz").read_bytes()), format=ox.RdfFormat.N_TRIPLES
        )
    )


def test_a_writer_left_without_finishing_stops_gzipping(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(dumps, "CHUNK", 64)
    quads = sample_quads(20000)
    with pytest.raises(RuntimeError), DumpWriter(quads, sorted_triples(quads), tmp_path, "d", {}):
        raise RuntimeError("validation failed")
    assert (tmp_path / "d.ttl").exists(), "written before the context is entered"
    assert not (tmp_path / "d.ttl.gz").exists(), "the thread went on after the build failed"
