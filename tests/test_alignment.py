"""The vocabulary's alignment with Wikidata: what it says, and that every id is well formed."""

from __future__ import annotations

import re

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from publisher.ontology import read_ontology
from publisher.rdfio import read_nquads_gz
from tests.conftest import ROOT, Project

LGDG = rdflib.Namespace("https://w3id.org/lgdg/def#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
SCHEMA = rdflib.Namespace("https://schema.org/")
WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
ALIGNMENT = ROOT / "ontology" / "wikidata-alignment.ttl"
EXPORTED = (OWL.equivalentProperty, RDFS.subPropertyOf)  # what `export quickstatements` reads
ITEM = re.compile(r"^http://www\.wikidata\.org/entity/Q[1-9]\d*$")
PROPERTY = re.compile(r"^http://www\.wikidata\.org/prop/direct/P[1-9]\d*$")
# Wikidata properties whose values are times: the only ones our literals may be aligned to.
TIME = {WDT + p for p in ("P571", "P580", "P582")}
DATES = {XSD.gYear, XSD.gYearMonth, XSD.date, XSD.dateTime}


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return read_ontology(ROOT / "ontology")


def _wikidata(term: rdflib.term.Node) -> bool:
    return str(term).startswith("http://www.wikidata.org/")


def _aligned(graph: rdflib.Graph) -> list[tuple[rdflib.term.Node, rdflib.URIRef, rdflib.URIRef]]:
    """Every (property or class, link, Wikidata term) the ontology states, either way round."""
    found = []
    for s, p, o in graph:
        if _wikidata(o) and isinstance(s, rdflib.URIRef) and not _wikidata(s):
            found.append((s, p, o))
        elif _wikidata(s) and isinstance(o, rdflib.URIRef) and not _wikidata(o):
            found.append((o, p, s))
    return found


def test_the_issues_properties_are_aligned_as_intended(ontology: rdflib.Graph):
    def links(term: rdflib.URIRef, target: str) -> set[rdflib.URIRef]:
        return set(ontology.predicates(term, rdflib.URIRef(WDT + target)))

    assert links(ORG.memberOf, "P463") == {RDFS.subPropertyOf}  # member of
    assert links(SCHEMA.startDate, "P580") == {RDFS.subPropertyOf}  # start time
    assert links(LGDG.participant, "P710") == {RDFS.subPropertyOf}  # participant
    # The country a national body belongs to or represents is not always the state it is in
    # (a permanent mission), and a party to an agreement is not always a signatory: close
    # matches, which the export leaves alone.
    assert links(LGDG.country, "P17") == {SKOS.closeMatch}  # country
    assert links(LGDG.party, "P1891") == {SKOS.closeMatch}  # signatory
    for target in ("P17", "P1891"):
        assert not {s for p in EXPORTED for s in ontology.subjects(p, rdflib.URIRef(WDT + target))}
    # Parties are n-ary nodes: the properties through them relate no agreement to a signatory.
    assert not [
        o
        for p in (LGDG.hasParty, LGDG.partyAgent)
        for o in ontology.objects(p, None)
        if _wikidata(o)
    ]


def test_every_wikidata_term_is_a_well_formed_item_or_direct_property(ontology: rdflib.Graph):
    aligned = _aligned(ontology)
    assert len(aligned) >= 30
    for ours, link, target in aligned:
        assert link in {*EXPORTED, OWL.equivalentClass, RDFS.subClassOf, SKOS.closeMatch}, link
        if link in EXPORTED:
            assert PROPERTY.match(str(target)), (ours, target)
        elif link in (OWL.equivalentClass, RDFS.subClassOf):
            assert ITEM.match(str(target)), (ours, target)
        else:
            assert ITEM.match(str(target)) or PROPERTY.match(str(target)), (ours, target)


def test_alignments_are_about_existing_terms_and_declare_none(ontology: rdflib.Graph):
    alone = rdflib.Graph().parse(ALIGNMENT, format="turtle")
    assert not list(alone.triples((None, RDF.type, None)))
    for ours, _, _ in _aligned(alone):
        if str(ours).startswith(str(LGDG)):
            assert (ours, RDF.type, None) in ontology, ours


def test_each_alignment_names_the_wikidata_label_it_was_confirmed_with():
    lines = ALIGNMENT.read_text("utf-8").splitlines()
    statements = 0
    for number, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        ids = re.findall(r"\bwdt?:([PQ][1-9]\d*)\b", line)
        if not ids:
            continue
        statements += 1
        comment = lines[number + 1].strip()
        for found in ids:
            assert re.match(rf'^# {found} "[^"]+" \(', comment), (number + 1, line)
    assert statements >= 30


def test_literal_values_are_aligned_to_time_properties_only(built: Project, ontology):
    """In the release, a property aligned with a Wikidata item property has entities as values."""
    exported = {
        (s, o)
        for p in EXPORTED
        for s, o in ontology.subject_objects(p)
        if PROPERTY.match(str(o)) and not _wikidata(s)
    }
    assert exported
    values: dict[str, set[str]] = {str(s): set() for s, _ in exported}
    dump = built.current / "dumps" / f"{built.settings.dump_name}.nq.gz"
    for quad in read_nquads_gz(dump):
        if quad.predicate.value in values:
            kind = type(quad.object).__name__
            if kind == "Literal":
                kind = quad.object.datatype.value
            values[quad.predicate.value].add(kind)
    used = 0
    for ours, target in exported:
        kinds = values[str(ours)]
        used += bool(kinds)
        if str(target) in TIME:
            assert kinds <= {str(d) for d in DATES}, (ours, target, kinds)
        else:
            assert kinds <= {"NamedNode"}, (ours, target, kinds)
    assert used >= 10  # the alignment covers properties the data actually uses
