"""Bad input stops the build with a precise message; the current release stays as it was."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Project
from tests.csvedit import append_copy, delete_rows, set_cell


def snapshot(project: Project) -> tuple[Path, str]:
    """Which release is current, and the checksums of everything it publishes."""
    current = project.current
    return current, (current / "SHA256SUMS").read_text()


def build_fails(project: Project, capsys: pytest.CaptureFixture[str], code: int) -> dict:
    before = snapshot(project)
    exit_code, output = project.build(capsys)
    assert exit_code == code, output
    assert snapshot(project) == before
    releases = project.root / "build" / "releases"
    assert not [p for p in releases.iterdir() if p.name.startswith(".incoming")]
    return output


def problems(output: dict) -> list[str]:
    return [f"{p['path']}:{p['row']}:{p['column']}: {p['reason']}" for p in output["problems"]]


def test_wrong_datatype_names_file_row_and_column(project, capsys):
    line = set_cell(
        project.root / "data/organizations.csv", "wego", "founding_member_count", "fifty"
    )
    output = build_fails(project, capsys, 2)
    assert problems(output) == [
        f"data/organizations.csv:{line}:founding_member_count: 'fifty' is not a valid xsd:integer"
    ]


def test_badly_formed_date_is_refused(project, capsys):
    line = set_cell(
        project.root / "data/events.csv", "uclg-world-council-2017", "start", "6/12/2017"
    )
    output = build_fails(project, capsys, 2)
    (problem,) = problems(output)
    assert problem.startswith(
        f"data/events.csv:{line}:start: '6/12/2017' does not match the format"
    )


def test_missing_required_cell(project, capsys):
    line = set_cell(project.root / "data/people.csv", "sami-kanaan", "sources", "")
    output = build_fails(project, capsys, 2)
    assert problems(output) == [f"data/people.csv:{line}:sources: required cell is empty"]


def test_dangling_foreign_key(project, capsys):
    line = set_cell(project.root / "data/organizations.csv", "itu-t", "parent", "no-such-org")
    output = build_fails(project, capsys, 2)
    assert problems(output) == [
        f"data/organizations.csv:{line}:parent: "
        "'no-such-org' is not in column 'id' of organizations.csv"
    ]


def test_duplicate_key(project, capsys):
    line = append_copy(project.root / "data/cities.csv", "hangzhou")
    output = build_fails(project, capsys, 2)
    (problem,) = problems(output)
    assert problem.startswith(
        f"data/cities.csv:{line}:id: duplicate key 'hangzhou' (first at line "
    )


def test_header_that_does_not_match_the_metadata(project, capsys):
    path = project.root / "data/countries.csv"
    text = path.read_text().replace("label_en", "english_label", 1)
    path.write_text(text)
    output = build_fails(project, capsys, 2)
    (problem,) = problems(output)
    assert problem.startswith("data/countries.csv:1:None: header is ")


def test_mapping_with_a_syntax_error(project, capsys):
    path = project.root / "mappings/cities.rq"
    path.write_text(path.read_text().replace("WHERE", "WERE", 1))
    output = build_fails(project, capsys, 2)
    (problem,) = problems(output)
    assert "mappings/cities.rq" in problem and "SPARQL syntax error" in problem


def test_mapping_that_reads_an_unknown_column(project, capsys):
    path = project.root / "mappings/cities.rq"
    path.write_text(path.read_text().replace("col:country", "col:nation"))
    output = build_fails(project, capsys, 2)
    assert problems(output) == [
        "mappings/cities.rq:None:None: reads col:nation, not a column of cities.csv"
    ]


def test_mapping_may_not_call_a_service(project, capsys):
    path = project.root / "mappings/countries.rq"
    text = path.read_text()
    cut = text.rindex("}")
    path.write_text(text[:cut] + "SERVICE <http://127.0.0.1:9/> { ?a ?b ?c }\n}\n")
    output = build_fails(project, capsys, 2)
    assert problems(output) == [
        "mappings/countries.rq:None:None: SERVICE is not allowed in a mapping"
    ]


def test_mapping_that_uses_source_without_binding_it(project, capsys):
    path = project.root / "mappings/cities.rq"
    path.write_text(path.read_text().replace("col:sources  ?source", "col:sources  ?cited"))
    output = build_fails(project, capsys, 2)
    assert problems(output) == [
        "mappings/cities.rq:None:None: a solution binds no ?source: bind it from the row's "
        "sources (?row col:sources ?source) before using it"
    ]


def test_mapping_template_may_not_make_blank_nodes(project, capsys):
    path = project.root / "mappings/cities.rq"
    path.write_text(
        path.read_text().replace(
            "prov:wasDerivedFrom      ?src", "prov:wasDerivedFrom [ a prov:Entity ]"
        )
    )
    output = build_fails(project, capsys, 2)
    (problem,) = problems(output)
    assert problem.startswith("mappings/cities.rq:None:None: write the template out")
    assert "no blank nodes" in problem


def test_broken_ontology_turtle(project, capsys):
    path = project.root / "ontology/lgdg.ttl"
    text = path.read_text() + "lgdg:Broken a owl:Class , .\n"
    path.write_text(text)
    output = build_fails(project, capsys, 2)
    (problem,) = problems(output)
    line = text.count("\n")
    assert problem.startswith(f"ontology/lgdg.ttl:{line}:None: Parser error at line {line}")


def test_agreement_with_one_party_fails_validation(project, capsys):
    removed = delete_rows(
        project.root / "data/agreement_parties.csv",
        lambda row: row["agreement"] == "gch-itu-mou-2024" and row["party"] == "itu",
    )
    assert removed == 1
    output = build_fails(project, capsys, 1)
    focus = {v["focus_node"] for v in output["violations"]}
    assert focus == {"https://w3id.org/lgdg/id/agreement/gch-itu-mou-2024"}
    (violation,) = output["violations"]
    assert "two parties" in violation["message"]
    assert violation["row"].startswith("data/agreements.csv:")


def verify_checksums(release: Path) -> None:
    for line in (release / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest, name


def test_a_killed_build_leaves_the_previous_release_serving(project):
    before = snapshot(project)
    command = [sys.executable, "-m", "publisher", "--project", str(project.root), "build", "-q"]
    for delay in (0.3, 1.0, 2.0):
        process = subprocess.Popen(command, start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        verify_checksums(project.current)
        if project.current == before[0]:
            assert snapshot(project) == before
        else:
            break  # the build finished before the kill: the switch was whole
    assert (project.current / "release.json").is_file()
    # The next build cleans up what the killed one left and succeeds.
    completed = subprocess.run(command, timeout=600)
    assert completed.returncode == 0
    releases = project.root / "build" / "releases"
    assert not [p for p in releases.iterdir() if p.name.startswith(".incoming")]
