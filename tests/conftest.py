"""Shared fixtures: copies of the real project, built once per session."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from publisher.cli import main
from publisher.config import Settings
from tests.virtuoso import Virtuoso, running_virtuoso

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ("data", "mappings", "ontology", "shapes", "pyproject.toml")


@dataclass
class Project:
    """A copy of the project in a temporary folder."""

    root: Path

    @property
    def settings(self) -> Settings:
        return Settings.load(self.root, {})

    @property
    def current(self) -> Path:
        return (self.root / "build" / "current").resolve()

    def build(self, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
        """Run ``lodpub build --json`` in process; return exit code and parsed output."""
        capsys.readouterr()
        code = main(["--project", str(self.root), "build", "--json"])
        return code, json.loads(capsys.readouterr().out)


def copy_inputs(target: Path) -> Project:
    target.mkdir(parents=True, exist_ok=True)
    for name in INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return Project(target)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The real project, built once; do not modify it."""
    project = copy_inputs(tmp_path_factory.mktemp("built"))
    assert main(["--project", str(project.root), "build", "--quiet"]) == 0
    return project


@pytest.fixture
def project(built: Project, tmp_path: Path) -> Project:
    """A private copy of the built project, with its release, to break and rebuild."""
    target = tmp_path / "project"
    shutil.copytree(built.root, target, symlinks=True)
    return Project(target)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """One Virtuoso for the session (the web suite's remote backend); do not break it."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
