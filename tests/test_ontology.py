"""The vocabulary documents every own term in English and French and links it to reused ones."""

from __future__ import annotations

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from publisher.ontology import read_ontology
from tests.conftest import ROOT

LGDG = "https://w3id.org/lgdg/def#"
ONTOLOGY = rdflib.URIRef("https://w3id.org/lgdg/def")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")


def test_every_own_term_has_labels_and_comments_in_english_and_french():
    graph = read_ontology(ROOT / "ontology")
    terms = {s for s in graph.subjects(RDF.type, None) if str(s).startswith(LGDG)}
    assert len(terms) > 60
    for term in terms:
        for predicate in (RDFS.label, RDFS.comment):
            languages = {o.language for o in graph.objects(term, predicate)}
            assert {"en", "fr"} <= languages, (term, predicate)


def test_own_classes_and_properties_link_to_reused_vocabularies():
    graph = read_ontology(ROOT / "ontology")
    unlinked = []
    for kind, link in ((OWL.Class, RDFS.subClassOf), (OWL.ObjectProperty, RDFS.subPropertyOf)):
        for term in graph.subjects(RDF.type, kind):
            if not str(term).startswith(LGDG):
                continue
            targets = set(graph.objects(term, link)) | set(graph.objects(term, OWL.inverseOf))
            if not targets and (term, RDFS.domain, None) not in graph:
                unlinked.append(term)
    assert unlinked == [], unlinked


def test_ontology_metadata():
    graph = read_ontology(ROOT / "ontology")
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY, OWL.versionInfo) is not None
    assert str(graph.value(ONTOLOGY, OWL.versionIRI)).startswith(str(ONTOLOGY) + "/")
    assert graph.value(ONTOLOGY, DCTERMS.license) is not None
    assert graph.value(ONTOLOGY, DCTERMS.creator) is not None


def test_topic_scheme_has_the_topics_agreements_and_events_are_about():
    graph = read_ontology(ROOT / "ontology")
    scheme = rdflib.URIRef("https://w3id.org/lgdg/id/scheme/topics")
    topics = set(graph.subjects(SKOS.inScheme, scheme))
    slugs = {str(t).rsplit("/", 1)[-1] for t in topics}
    assert {
        "ai-governance",
        "digital-divide",
        "digital-rights",
        "smart-cities",
        "sdg-localisation",
        "e-government",
        "big-data",
        "connectivity",
        "gender-digital-gap",
    } <= slugs
    for topic in topics:
        languages = [label.language for label in graph.objects(topic, SKOS.prefLabel)]
        assert sorted(languages) == ["en", "fr"], topic
