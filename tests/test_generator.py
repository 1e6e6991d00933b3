"""bench/generate.py: a generated project is the same for the same arguments, has every table,
and builds with no violation at the size asked."""

from __future__ import annotations

import json
import runpy
from pathlib import Path

import pytest

from publisher.cli import main

ROOT = Path(__file__).resolve().parents[1]
TRIPLES = 20_000


def _generate(out: Path) -> None:
    runpy.run_path(str(ROOT / "bench" / "generate.py"))["generate"](out, TRIPLES, seed=3)


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_generated_project_is_deterministic_and_builds_at_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _generate(first)
    _generate(second)
    assert _files(first) == _files(second)
    tables = {p.name.removesuffix(".csv-metadata.json") for p in (ROOT / "data").glob("*.json")}
    assert {p.stem for p in (first / "data").glob("*.csv")} == tables

    capsys.readouterr()
    code = main(["--project", str(first), "build", "--json"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0, summary
    assert summary["violations"] == 0
    assert abs(summary["triples"] - TRIPLES) <= TRIPLES / 10
