"""The shapes catch what a data editor gets wrong, and say so in words an editor reads."""

from __future__ import annotations

from pathlib import Path

import rdflib

from publisher.errors import Location
from publisher.ontology import read_ontology
from publisher.rdfio import graph_to_triples
from publisher.shapes import read_shapes, validate_dataset
from tests.conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures"
ID = "https://w3id.org/lgdg/id/"


def validate(path: Path, rows: dict[str, Location] | None = None):
    data = graph_to_triples(rdflib.Graph().parse(path))
    return validate_dataset(
        data, read_shapes(ROOT / "shapes"), read_ontology(ROOT / "ontology"), rows
    )


def test_broken_fixture_fails_with_the_expected_report():
    report = validate(FIXTURES / "broken.ttl")
    assert not report.conforms
    found = {(v.focus_node, v.path) for v in report.violations}
    assert found == {
        (ID + "organization/nameless", "http://www.w3.org/2000/01/rdf-schema#label"),
        (ID + "organization/nameless", "http://www.w3.org/2004/02/skos/core#prefLabel"),
        (ID + "agreement/lonely-mou", None),
        (ID + "event/stringly-dated", "https://schema.org/startDate"),
    }
    messages = {
        v.focus_node: v.message for v in report.violations if v.path != str(rdflib.SKOS.prefLabel)
    }
    assert "no name in English or French" in messages[ID + "organization/nameless"]
    assert "at least two parties" in messages[ID + "agreement/lonely-mou"]
    assert "not a valid date" in messages[ID + "event/stringly-dated"]
    assert all(v.severity == "Violation" for v in report.violations)


def test_report_names_the_row_a_node_was_minted_from():
    row = Location("data/agreements.csv", 7)
    report = validate(FIXTURES / "broken.ttl", {"lonely-mou": row})
    (violation,) = [v for v in report.violations if v.focus_node.endswith("/lonely-mou")]
    assert violation.row == row
    assert "(data/agreements.csv:7)" in str(violation)


def test_the_repaired_fixture_conforms(tmp_path):
    text = (FIXTURES / "broken.ttl").read_text()
    text = text.replace('"17 November 2021"', '"2021-11-17"^^xsd:date')
    text = text.replace(
        "a lgdg:CityNetwork, org:Organization ;\n    prov",
        'a lgdg:CityNetwork, org:Organization ;\n    rdfs:label "Named"@en ; '
        'skos:prefLabel "Named"@en ;\n    prov',
    )
    text = text.replace("a lgdg:MemorandumOfUnderstanding", "a lgdg:Communique")
    text += (
        "<https://w3id.org/lgdg/id/agreement/lonely-mou> lgdg:adoptedAt "
        "<https://w3id.org/lgdg/id/event/stringly-dated> .\n"
    )
    repaired = tmp_path / "repaired.ttl"
    repaired.write_text(text)
    report = validate(repaired)
    assert report.violations == (), [str(v) for v in report.violations]
    assert report.focus_nodes >= 5
