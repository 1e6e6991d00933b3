"""Read ``ontology/``: the vocabulary and concept schemes, kept in their own graph."""

from __future__ import annotations

from pathlib import Path

import rdflib

from publisher.rdfio import read_turtle_dir


def read_ontology(ontology_dir: Path) -> rdflib.Graph:
    """The vocabulary and concept schemes as one graph."""
    return read_turtle_dir(ontology_dir)


def ontology_version(ontology: rdflib.Graph) -> str | None:
    """The ``owl:versionInfo`` of the first ``owl:Ontology`` declared, if any."""
    for node in ontology.subjects(rdflib.RDF.type, rdflib.OWL.Ontology):
        version = ontology.value(node, rdflib.OWL.versionInfo)
        if version is not None:
            return str(version)
    return None
