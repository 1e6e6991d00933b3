"""``lodpub export quickstatements``: aligned facts of linked entities, with their references."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from publisher.cli import main
from publisher.config import Settings
from publisher.quickstatements import statements, write_lines
from publisher.store import EmbeddedStore
from tests.conftest import ROOT, Project
from tests.web.conftest import make_release

BASE = "https://w3id.org/lgdg/"
TRIG = f"""
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX src: <{BASE}id/source/>
PREFIX o: <{BASE}id/organization/>

<{BASE}graph/ontology> {{
  org:memberOf rdfs:subPropertyOf wdt:P463 .
  schema:foundingDate owl:equivalentProperty wdt:P571 .
  schema:name owl:equivalentProperty wdt:P1448 .
}}
<{BASE}graph/dataset> {{
  <{BASE}dataset/source/news> sd:name <{BASE}graph/source/news> ; dcterms:source src:news .
  <{BASE}dataset/source/agenda> sd:name <{BASE}graph/source/agenda> ;
      dcterms:source src:agenda .
}}
<{BASE}graph/source/news> {{
  src:news schema:url <https://example.org/news> ; dcterms:issued "2025-02-25"^^xsd:date .
  o:city-a org:memberOf o:network .
  o:city-b org:memberOf o:network .
  o:network schema:foundingDate "2010"^^xsd:gYear ;
      schema:name "Network" .
}}
<{BASE}graph/source/agenda> {{
  src:agenda schema:name "An agenda without a public address" .
  o:city-a org:memberOf o:network .
}}
<{BASE}graph/wikidata> {{
  o:city-a owl:sameAs wd:Q100 .
  o:network owl:sameAs wd:Q200 .
}}
"""


@pytest.fixture(scope="module")
def lines(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    release = make_release(tmp_path_factory.mktemp("qs") / "release", TRIG)
    store = EmbeddedStore(release, workers=1)
    try:
        return write_lines(statements(store, Settings.load(ROOT, {}))).splitlines()
    finally:
        store.close()


def test_linked_facts_become_referenced_statements(lines):
    assert lines == [
        'Q100\tP463\tQ200\tS854\t"https://example.org/news"\tS577\t+2025-02-25T00:00:00Z/11',
        'Q200\tP571\t+2010-00-00T00:00:00Z/9\tS854\t"https://example.org/news"'
        "\tS577\t+2025-02-25T00:00:00Z/11",
    ]


def test_unlinked_ends_unaligned_values_and_unreachable_sources_are_left_out(lines):
    text = "\n".join(lines)
    assert "city-b" not in text  # no item: nothing an editor could attach the fact to
    assert "P1448" not in text  # a plain string is not a date or an item
    assert text.count("P463") == 1  # the agenda has no URL to check the statement against


LINE = re.compile(
    r"^Q[1-9]\d*\tP[1-9]\d*\t(Q[1-9]\d*|\+\d{4}-\d\d-\d\dT00:00:00Z/(9|10|11))"
    r'\tS854\t"https?://[^"\s]+"(\tS577\t\+\d{4}-\d\d-\d\dT00:00:00Z/(9|10|11))?$'
)


def _source(key: str) -> dict[str, str]:
    with (ROOT / "data" / "sources.csv").open(encoding="utf-8", newline="") as handle:
        return next(row for row in csv.DictReader(handle) if row["id"] == key)


def test_the_command_writes_a_batch_of_the_current_release(built: Project, tmp_path: Path):
    output = tmp_path / "batch.tsv"
    code = main(["--project", str(built.root), "export", "quickstatements", "-o", str(output)])
    assert code == 0
    batch = output.read_text("utf-8").splitlines()
    assert batch, "the ontology's Wikidata alignment leaves no fact of the release to export"
    assert batch == sorted(set(batch))
    for line in batch:
        assert LINE.match(line), line
    # Facts the WeGO news release states in so many words ("au siège des Nations Unies à
    # New York", "le Secrétariat des Nations Unies"): lgdg:basedIn is aligned with P159
    # (headquarters location) and org:subOrganizationOf with P749 (parent organization).
    wego = _source("wego-un-partnership-2025")
    reference = f'S854\t"{wego["url"]}"\tS577\t+{wego["issued"]}T00:00:00Z/11'
    assert f"Q1065\tP159\tQ60\t{reference}" in batch  # United Nations, New York City
    assert f"Q220563\tP749\tQ1065\t{reference}" in batch  # UN Secretariat, United Nations
    # Close matches only (skos:closeMatch), never exported: lgdg:country, lgdg:party.
    assert not [line for line in batch if line.split("\t")[1] in {"P17", "P1891"}]
