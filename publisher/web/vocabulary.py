"""The HTML documentation of the vocabulary served at ``/def``."""

from __future__ import annotations

import rdflib
from fastapi import Request
from rdflib.namespace import OWL, RDF, RDFS

from publisher.web.i18n import language_of

__all__ = ["language_of", "render"]


def _text(
    graph: rdflib.Graph, term: rdflib.term.Node, predicate: rdflib.URIRef, language: str
) -> str:
    values = list(graph.objects(term, predicate))
    for value in values:
        if getattr(value, "language", None) == language:
            return str(value)
    return str(values[0]) if values else ""


def render(request: Request, graph: rdflib.Graph, language: str) -> bytes:
    """Every class and property of the vocabulary with its label, comment, domain and range."""
    namespace = request.app.state.settings.vocabulary_iri
    sections = []
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        terms = sorted(t for t in graph.subjects(RDF.type, kind) if str(t).startswith(namespace))
        sections.append(
            [
                {
                    "name": str(term)[len(namespace) :],
                    "iri": str(term),
                    "label": _text(graph, term, RDFS.label, language),
                    "comment": _text(graph, term, RDFS.comment, language),
                    "parents": sorted(
                        str(p)
                        for p in graph.objects(term, RDFS.subClassOf)
                        if isinstance(p, rdflib.URIRef)
                    )
                    + sorted(str(p) for p in graph.objects(term, RDFS.subPropertyOf)),
                    "domain": [str(d) for d in graph.objects(term, RDFS.domain)],
                    "range": [str(r) for r in graph.objects(term, RDFS.range)],
                }
                for term in terms
            ]
        )
    template = request.app.state.templates.get_template("vocabulary.html")
    return template.render(request=request, lang=language, sections=sections).encode()
