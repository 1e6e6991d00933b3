"""A build from data/ gives a complete release whose dumps hold the documents' facts."""

from __future__ import annotations

import csv
import gzip
import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, VOID, Namespace

from tests.conftest import Project
from tests.csvedit import append_row, delete_rows, replace_values

PREFIXES = """
PREFIX lgdg: <https://w3id.org/lgdg/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
DATASET = rdflib.URIRef("https://w3id.org/lgdg/dataset")
LGDG = rdflib.Namespace("https://w3id.org/lgdg/def#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
LINKS_GRAPH = "https://w3id.org/lgdg/graph/wikidata"
SOURCES = {
    "wego-un-partnership-2025",
    "gch-itu-mou-2024",
    "uclg-world-council-hangzhou-2017",
    "uclg-smart-cities-session",
    "uclg-smart-territories-debate-2021",
}


@pytest.fixture(scope="module")
def dump(built: Project) -> rdflib.Graph:
    graph = rdflib.Graph()
    with gzip.open(built.current / "dumps/lgdg.ttl.gz", "rb") as stream:
        graph.parse(stream, format="turtle")
    return graph


def select(graph: rdflib.Graph, query: str) -> set[tuple[str, ...]]:
    return {tuple(str(v) for v in row) for row in graph.query(PREFIXES + query)}


def test_the_three_dumps_hold_the_same_triples(built: Project, dump: rdflib.Graph) -> None:
    triples = rdflib.Graph()
    with gzip.open(built.current / "dumps/lgdg.nt.gz", "rb") as stream:
        triples.parse(stream, format="nt")
    quads = rdflib.Dataset()
    with gzip.open(built.current / "dumps/lgdg.nq.gz", "rb") as stream:
        quads.parse(stream, format="nquads")
    union = {t for g in quads.graphs() for t in g}
    assert set(dump) == set(triples) == union
    assert len(dump) > 1000
    names = {str(g.identifier) for g in quads.graphs() if len(g)}
    assert names == {f"https://w3id.org/lgdg/graph/source/{s}" for s in SOURCES} | {
        "https://w3id.org/lgdg/graph/wikidata"
    }


def test_gch_itu_memorandum_of_12_december_2024_has_its_two_parties(dump):
    rows = select(
        dump,
        """SELECT ?party WHERE {
             ?mou a lgdg:MemorandumOfUnderstanding ;
                  lgdg:dateSigned "2024-12-12"^^xsd:date ;
                  lgdg:hasParty/lgdg:partyAgent/rdfs:label ?party .
             FILTER(LANG(?party) = "en") }""",
    )
    assert rows == {("Global Cities Hub",), ("International Telecommunication Union",)}


def test_uclg_world_council_in_hangzhou_from_6_to_9_december_2017(dump):
    rows = select(
        dump,
        """SELECT ?start ?end ?organizer WHERE {
             ?council a schema:Event ; schema:startDate ?start ; schema:endDate ?end ;
                      schema:location/rdfs:label "Hangzhou"@en ;
                      schema:organizer/skos:altLabel "UCLG"@en ;
                      schema:subEvent ?ceremony .
             ?ceremony schema:startDate "2017-12-07"^^xsd:date .
             BIND("UCLG" AS ?organizer) }""",
    )
    assert ("2017-12-06", "2017-12-09", "UCLG") in rows


def test_emilia_saiz_moderated_the_17_november_2021_debate(dump):
    rows = select(
        dump,
        """SELECT ?name WHERE {
             ?debate lgdg:moderator/foaf:name ?name ; schema:startDate ?start .
             FILTER(STRSTARTS(STR(?start), "2021-11-17")) }""",
    )
    assert rows == {("Emilia Saiz",)}


def test_speakers_of_the_2021_debate(dump):
    rows = select(
        dump,
        """SELECT ?name WHERE {
             ?debate lgdg:speaker/foaf:name ?name ; schema:startDate ?start .
             FILTER(STRSTARTS(STR(?start), "2021-11-17")) }""",
    )
    assert {
        ("Mohamed Boudra",),
        ("Carola Gunnarsson",),
        ("Armand Béouindé",),
        ("Berry Vrbanovic",),
        ("Souad Ben Abderrahim",),
        ("Gissela Chalá",),
    } <= rows


def test_wego_secretary_general_in_2025(dump):
    rows = select(
        dump,
        """SELECT ?name WHERE {
             ?post a org:Post ; org:heldBy/foaf:name ?name ;
                   org:role/skos:prefLabel "Secretary-General"@en ;
                   org:postIn/skos:altLabel "WeGO"@en .
             FILTER EXISTS { ?post lgdg:asOf ?when FILTER(STRSTARTS(STR(?when), "2025")) } }""",
    )
    assert rows == {("Jeong Kee Kim",)}


def test_uclg_had_one_president_in_2017_and_another_in_2021(dump):
    rows = select(
        dump,
        """SELECT ?name (YEAR(?when) AS ?year) WHERE {
             ?post org:heldBy/foaf:name ?name ; org:role/skos:prefLabel "President"@en ;
                   org:postIn/skos:altLabel "UCLG"@en ; lgdg:asOf ?when . }""",
    )
    assert {("Parks Tau", "2017"), ("Mohamed Boudra", "2021")} <= rows


def test_wego_members_that_joined_the_2024_consultation(dump):
    rows = select(
        dump,
        """SELECT ?city WHERE {
             ?m a org:Membership ; org:organization/skos:altLabel "WeGO"@en ;
                org:member/lgdg:governs/rdfs:label ?city .
             FILTER(LANG(?city) = "en") }""",
    )
    assert {("Kampala",), ("Rabat",), ("Penang Island",), ("Baguio",), ("Seoul",)} <= rows


def test_speakers_of_the_smart_cities_session(dump):
    rows = select(
        dump,
        """SELECT ?name WHERE {
             ?session lgdg:speaker/foaf:name ?name ; prov:wasDerivedFrom ?source .
             FILTER(STRENDS(STR(?source), "/uclg-smart-cities-session")) }""",
    )
    assert {
        ("Oihane Agirregoitia",),
        ("Noraini Roslan",),
        ("Kiseok Lee",),
        ("Aik van Eemeren",),
        ("Emilia Saiz",),
    } <= rows


def test_every_entity_is_derived_from_a_source_document(dump):
    entities = {
        s
        for s in dump.subjects(RDF.type, None)
        if str(s).startswith("https://w3id.org/lgdg/id/")
        and "/id/source/" not in str(s)
        and "/id/role/" not in str(s)
    }
    assert entities
    underived = {e for e in entities if (e, PROV.wasDerivedFrom, None) not in dump}
    assert underived == set()


def test_no_contact_details_are_published(built: Project):
    text = gzip.decompress((built.current / "dumps/lgdg.nt.gz").read_bytes()).decode()
    assert "@we-gov.org" not in text
    assert "4202-9169" not in text
    assert "mailto:" not in text


def test_a_release_holds_what_it_publishes_and_nothing_left_from_building(built: Project):
    assert sorted(p.name for p in built.current.iterdir()) == [
        "SHA256SUMS",
        "dumps",
        "index",
        "ontology.ttl",
        "release.json",
        "shapes.ttl",
        "store",
        "tombstones.nt",
        "void.ttl",
    ]
    assert sorted(p.name for p in (built.current / "dumps").iterdir()) == [
        "lgdg.nq.gz",
        "lgdg.nt.gz",
        "lgdg.ttl.gz",
    ]


def test_description_counts_and_checksums_match_the_files(built: Project, dump):
    description = rdflib.Graph().parse(built.current / "void.ttl")
    dataset = rdflib.URIRef("https://w3id.org/lgdg/dataset")
    assert int(description.value(dataset, VOID.triples)) == len(dump)
    assert int(description.value(dataset, LGDG.shaclViolations)) == 0
    assert int(description.value(dataset, LGDG.shaclFocusNodes)) > 100
    assert int(description.value(dataset, LGDG.shapesCount)) > 10
    assert description.value(dataset, rdflib.URIRef("http://purl.org/dc/terms/license"))
    sums = dict(
        reversed(line.split("  ", 1))
        for line in (built.current / "SHA256SUMS").read_text().splitlines()
    )
    for name, digest in sums.items():
        assert hashlib.sha256((built.current / name).read_bytes()).hexdigest() == digest
    stated = {
        str(value)
        for value in description.objects(
            None, rdflib.URIRef("http://spdx.org/rdf/terms#checksumValue")
        )
    }
    assert stated == {sums[f"dumps/lgdg.{ext}.gz"] for ext in ("ttl", "nt", "nq")}
    subsets = set(description.objects(dataset, VOID.subset))
    assert len(subsets) == len(SOURCES) + 1  # one per source document, and the Wikidata links


def test_wikidata_links_are_a_linkset_in_their_own_graph(built: Project):
    with (built.root / "data" / "wikidata.csv").open(encoding="utf-8") as table:
        rows = list(csv.DictReader(table))
    linked = {
        (
            f"https://w3id.org/lgdg/id/{row['entity']}",
            f"http://www.wikidata.org/entity/{row['qid']}",
        )
        for row in rows
        if row["qid"]
    }
    store = ox.Store.read_only(str(built.current / "store"))
    in_graph = {
        (q.subject.value, q.object.value)
        for q in store.quads_for_pattern(
            None, ox.NamedNode(str(OWL.sameAs)), None, ox.NamedNode(LINKS_GRAPH)
        )
    }
    assert linked and in_graph == linked
    description = rdflib.Graph().parse(built.current / "void.ttl")
    linkset = rdflib.URIRef("https://w3id.org/lgdg/dataset/links/wikidata")
    assert (linkset, RDF.type, VOID.Linkset) in description
    assert description.value(linkset, VOID.linkPredicate) == OWL.sameAs
    assert description.value(linkset, VOID.objectsTarget) == rdflib.URIRef(
        "http://www.wikidata.org/"
    )
    assert int(description.value(linkset, VOID.triples)) == len(linked)
    assert str(description.value(linkset, SD.name)) == LINKS_GRAPH


def test_store_holds_facts_ontology_description_and_tombstones(built: Project):
    store = ox.Store.read_only(str(built.current / "store"))
    graphs = {g.value for g in store.named_graphs()}
    assert {f"https://w3id.org/lgdg/graph/source/{s}" for s in SOURCES} <= graphs
    assert "https://w3id.org/lgdg/graph/ontology" in graphs
    assert "https://w3id.org/lgdg/graph/dataset" in graphs
    ask = "ASK { GRAPH ?g { ?mou <https://w3id.org/lgdg/def#dateSigned> ?d } }"
    assert store.query(ask)


def dump_bytes(release: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((release / "dumps").iterdir())}


def test_rebuilding_unchanged_inputs_gives_byte_identical_dumps(project: Project, capsys):
    before = project.current
    code, summary = project.build(capsys)
    assert code == 0
    assert project.current != before
    assert dump_bytes(project.current) == dump_bytes(before)
    assert summary["entities_added"] == summary["entities_removed"] == 0
    assert summary["entities_changed"] == 0
    assert summary["previous_version"] == before.name


def test_a_removed_entity_keeps_a_tombstone(project: Project, capsys):
    person = "https://w3id.org/lgdg/id/person/kakim-danabaiev"
    data = project.root / "data"
    assert delete_rows(data / "people.csv", lambda r: r["id"] == "kakim-danabaiev") == 1
    delete_rows(data / "posts.csv", lambda r: r["person"] == "kakim-danabaiev")
    delete_rows(data / "event_participants.csv", lambda r: r["person"] == "kakim-danabaiev")
    code, summary = project.build(capsys)
    assert code == 0, summary
    assert summary["entities_removed"] >= 1
    for _ in range(2):  # the tombstone survives later releases too
        tombstones = rdflib.Graph().parse(project.current / "tombstones.nt")
        node = rdflib.URIRef(person)
        assert (node, RDF.type, LGDG.Tombstone) in tombstones
        assert tombstones.value(node, rdflib.RDFS.label) is not None
        description = rdflib.Graph().parse(project.current / "void.ttl")
        assert int(description.value(DATASET, LGDG.tombstones)) >= 1
        code, summary = project.build(capsys)
        assert code == 0


def test_a_merged_entity_points_to_its_successor(project: Project, capsys):
    old, new = "gissela-chala", "gissela-chala-reinoso"
    data = project.root / "data"
    assert replace_values(data / "people.csv", "id", old, new) == 1
    assert replace_values(data / "posts.csv", "person", old, new) >= 1
    assert replace_values(data / "event_participants.csv", "person", old, new) >= 1
    append_row(
        data / "replacements.csv",
        ["person", old, new, "Same person", "uclg-smart-territories-debate-2021"],
    )
    code, summary = project.build(capsys)
    assert code == 0, summary
    assert summary["entities_added"] >= 1 and summary["entities_removed"] >= 1
    tombstones = rdflib.Graph().parse(project.current / "tombstones.nt")
    node = rdflib.URIRef(f"https://w3id.org/lgdg/id/person/{old}")
    assert tombstones.value(node, DCTERMS.isReplacedBy) == rdflib.URIRef(
        f"https://w3id.org/lgdg/id/person/{new}"
    )


def test_owl_sameas_links_only_point_to_wikidata_entities(dump):
    for _, _, target in dump.triples((None, OWL.sameAs, None)):
        assert str(target).startswith("http://www.wikidata.org/entity/Q")
