"""The dataset description: VoID + DCAT counts, distributions, quality and changes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, VOID, XSD

from publisher.changes import RDF_TYPE, Changes
from publisher.config import Settings
from publisher.dumps import Dump
from publisher.shapes import ValidationReport

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # rdflib's closed DCAT lacks DCAT 3 terms
SPDX = Namespace("http://spdx.org/rdf/terms#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
IANA = "http://www.iana.org/assignments/media-types/"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
WIKIDATA = URIRef("http://www.wikidata.org/")
LINKS_TABLE = "wikidata"  # data/wikidata.csv, mapped into its own graph


@dataclass(frozen=True)
class ReleaseFacts:
    """Everything about a release that its description states."""

    version: str
    timestamp: str
    quads: Sequence[ox.Quad]
    triples: Sequence[ox.Triple]  # the union of the graphs, each triple once
    dumps: Sequence[Dump]
    checksums: Mapping[str, str]
    report: ValidationReport
    changes: Changes
    tombstones: int


def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _count_statistics(
    graph: Graph, node: URIRef, triples: Sequence[ox.Triple], prefix: str
) -> None:
    subjects: set[object] = set()
    objects: set[object] = set()
    classes: Counter[str] = Counter()
    properties: Counter[ox.NamedNode] = Counter()
    for subject, predicate, obj in triples:  # one pass: a million triples take seconds
        subjects.add(subject)
        objects.add(obj)
        properties[predicate] += 1
        if predicate == RDF_TYPE:
            classes[obj.value] += 1
    graph.add((node, VOID.triples, _integer(len(triples))))
    graph.add((node, VOID.distinctSubjects, _integer(len(subjects))))
    graph.add((node, VOID.distinctObjects, _integer(len(objects))))
    entities = {
        s.value for s in subjects if isinstance(s, ox.NamedNode) and s.value.startswith(prefix)
    }
    graph.add((node, VOID.entities, _integer(len(entities))))
    graph.add((node, VOID.classes, _integer(len(classes))))
    graph.add((node, VOID.properties, _integer(len(properties))))
    for cls, count in sorted(classes.items()):
        partition = BNode()
        graph.add((node, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, _integer(count)))
    for prop, count in sorted((p.value, n) for p, n in properties.items()):
        partition = BNode()
        graph.add((node, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(prop)))
        graph.add((partition, VOID.triples, _integer(count)))


def _add_distributions(
    graph: Graph, dataset: URIRef, settings: Settings, facts: ReleaseFacts
) -> None:
    for dump in facts.dumps:
        url = URIRef(f"{settings.base_iri}dumps/{dump.path.name}")
        checksum = BNode()
        graph.add((dataset, DCAT.distribution, url))
        graph.add((dataset, VOID.dataDump, url))
        graph.add((url, RDF.type, DCAT.Distribution))
        graph.add((url, DCAT.downloadURL, url))
        graph.add((url, DCAT.mediaType, URIRef(IANA + dump.media_type)))
        graph.add((url, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        graph.add(
            (url, DCAT.byteSize, Literal(dump.path.stat().st_size, datatype=XSD.nonNegativeInteger))
        )
        graph.add((url, DCTERMS.license, URIRef(settings.license)))
        graph.add((url, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        sha = facts.checksums[f"dumps/{dump.path.name}"]
        graph.add((checksum, SPDX.checksumValue, Literal(sha, datatype=XSD.hexBinary)))


def _add_subsets(graph: Graph, dataset: URIRef, settings: Settings, facts: ReleaseFacts) -> None:
    per_graph = Counter(
        q.graph_name.value for q in facts.quads if isinstance(q.graph_name, ox.NamedNode)
    )
    source_graph_prefix = settings.source_graph("")
    for graph_iri, count in sorted(per_graph.items()):
        if not graph_iri.startswith(source_graph_prefix):
            continue
        slug = graph_iri[len(source_graph_prefix) :]
        subset = URIRef(f"{settings.dataset_iri}/source/{slug}")
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, SD.name, URIRef(graph_iri)))
        graph.add((subset, DCTERMS.source, URIRef(f"{settings.base_iri}id/source/{slug}")))
        graph.add((subset, VOID.triples, _integer(count)))
    links_graph = settings.table_graph(LINKS_TABLE)
    if links := per_graph.get(links_graph, 0):
        linkset = URIRef(f"{settings.dataset_iri}/links/wikidata")
        graph.add((dataset, VOID.subset, linkset))
        graph.add((linkset, RDF.type, VOID.Linkset))
        graph.add((linkset, SD.name, URIRef(links_graph)))
        graph.add((linkset, VOID.linkPredicate, OWL.sameAs))
        graph.add((linkset, VOID.subjectsTarget, dataset))
        graph.add((linkset, VOID.objectsTarget, WIKIDATA))
        graph.add((linkset, VOID.triples, _integer(links)))
        graph.add((WIKIDATA, RDF.type, VOID.Dataset))
        graph.add((WIKIDATA, DCTERMS.title, Literal("Wikidata", lang="en")))
        graph.add((WIKIDATA, VOID.sparqlEndpoint, URIRef("https://query.wikidata.org/sparql")))
        graph.add((WIKIDATA, VOID.uriSpace, Literal(WIKIDATA_ENTITY)))


def describe_release(settings: Settings, facts: ReleaseFacts) -> Graph:
    """The VoID + DCAT description of a release, with its quality and change summary."""
    lgdg = Namespace(settings.vocabulary_iri)
    graph = Graph()
    graph.bind("void", VOID)
    graph.bind("dcat", DCAT)
    graph.bind("dcterms", DCTERMS)
    graph.bind("spdx", SPDX)
    graph.bind("lgdg", lgdg)
    graph.bind("sd", SD)
    dataset = URIRef(settings.dataset_iri)
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, DCTERMS.title, Literal(settings.dataset_title, lang="en")))
    graph.add((dataset, DCTERMS.license, URIRef(settings.license)))
    graph.add((dataset, DCTERMS.modified, Literal(facts.timestamp, datatype=XSD.dateTime)))
    graph.add((dataset, DCAT.version, Literal(facts.version)))
    graph.add((dataset, OWL.versionInfo, Literal(facts.version)))
    graph.add((dataset, VOID.uriSpace, Literal(f"{settings.base_iri}id/")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(f"{settings.base_iri}sparql")))
    graph.add((dataset, VOID.vocabulary, URIRef(settings.vocabulary_iri)))
    graph.add((dataset, DCTERMS.conformsTo, URIRef(f"{settings.base_iri}shapes")))
    _count_statistics(graph, dataset, facts.triples, f"{settings.base_iri}id/")
    _add_distributions(graph, dataset, settings, facts)
    _add_subsets(graph, dataset, settings, facts)
    report = facts.report
    graph.add((dataset, lgdg.shapesCount, _integer(report.shapes_count)))
    graph.add((dataset, lgdg.shaclFocusNodes, _integer(report.focus_nodes)))
    graph.add((dataset, lgdg.shaclViolations, _integer(len(report.violations))))
    graph.add((dataset, lgdg.shaclWarnings, _integer(len(report.warnings))))
    changes = facts.changes
    if changes.previous_version:
        previous = URIRef(f"{settings.dataset_iri}/release/{changes.previous_version}")
        graph.add((dataset, DCAT.previousVersion, previous))
        graph.add((dataset, PROV.wasRevisionOf, previous))
    graph.add((dataset, lgdg.entitiesAdded, _integer(len(changes.added))))
    graph.add((dataset, lgdg.entitiesRemoved, _integer(len(changes.removed))))
    graph.add((dataset, lgdg.entitiesChanged, _integer(len(changes.changed))))
    graph.add((dataset, lgdg.triplesAdded, _integer(changes.triples_added)))
    graph.add((dataset, lgdg.triplesRemoved, _integer(changes.triples_removed)))
    graph.add((dataset, lgdg.tombstones, _integer(facts.tombstones)))
    return graph
