"""The HTML documentation of the vocabulary served at ``/def``."""

from __future__ import annotations

from typing import Any

import rdflib
from fastapi import Request
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from publisher.web import i18n
from publisher.web.i18n import language_of, last_segment, other_language

__all__ = ["language_of", "render"]

KINDS = (
    ("classes", "vocab.classes", (OWL.Class, RDFS.Class)),
    ("object", "vocab.object", (OWL.ObjectProperty,)),
    ("datatype", "vocab.datatype", (OWL.DatatypeProperty, OWL.AnnotationProperty)),
)


def _text(graph: rdflib.Graph, term: rdflib.term.Node, predicate: Any, language: str) -> str:
    """The value in ``language``, else the other language, else untagged, else any."""
    values = [v for v in graph.objects(term, predicate) if isinstance(v, rdflib.Literal)]
    for wanted in (language, other_language(language), None):
        for value in values:
            if value.language == wanted:
                return str(value)
    return str(values[0]) if values else ""


class _Linker:
    """Links to terms: own terms to their anchor, concepts to their page, others outside."""

    def __init__(self, graph: rdflib.Graph, namespace: str, base: str, language: str) -> None:
        self.graph, self.namespace, self.base, self.language = graph, namespace, base, language

    def __call__(self, term: rdflib.term.Node) -> dict[str, str]:
        iri = str(term)
        if iri.startswith(self.namespace):
            name = iri[len(self.namespace) :]
            return {"text": name, "href": "#" + name, "title": self.label(term)}
        if iri.startswith(self.base + "id/"):
            return {"text": self.label(term), "href": "/doc/" + iri[len(self.base) + 3 :]}
        try:
            prefix, _, local = self.graph.namespace_manager.compute_qname(iri, generate=False)
            text = f"{prefix}:{local}"
        except (KeyError, ValueError):
            text = iri
        return {"text": text, "href": iri if iri.startswith("http") else ""}

    def label(self, term: rdflib.term.Node) -> str:
        return (
            _text(self.graph, term, RDFS.label, self.language)
            or _text(self.graph, term, SKOS.prefLabel, self.language)
            or last_segment(str(term))
        )


def _terms(graph: rdflib.Graph, kinds: tuple[Any, ...], link: _Linker) -> list[dict[str, Any]]:
    language = link.language
    found = {t for kind in kinds for t in graph.subjects(RDF.type, kind)}
    own = sorted((t for t in found if str(t).startswith(link.namespace)), key=str)
    return [
        {
            "name": str(term)[len(link.namespace) :],
            "iri": str(term),
            "label": link.label(term),
            "other": _text(graph, term, RDFS.label, other_language(language)),
            "comment": _text(graph, term, RDFS.comment, language)
            or _text(graph, term, SKOS.definition, language),
            "parents": [
                link(p)
                for p in sorted(
                    {
                        *graph.objects(term, RDFS.subClassOf),
                        *graph.objects(term, RDFS.subPropertyOf),
                    },
                    key=str,
                )
                if isinstance(p, rdflib.URIRef)
            ],
            "domain": [link(d) for d in sorted(graph.objects(term, RDFS.domain), key=str)],
            "range": [link(r) for r in sorted(graph.objects(term, RDFS.range), key=str)],
        }
        for term in own
    ]


def _schemes(graph: rdflib.Graph, link: _Linker) -> list[dict[str, Any]]:
    schemes = []
    for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme), key=str):
        concepts = sorted(graph.subjects(SKOS.inScheme, scheme), key=link.label)
        schemes.append(
            {"scheme": link(scheme), "concepts": [link(c) for c in concepts]} if concepts else None
        )
    return [s for s in schemes if s]


def render(request: Request, graph: rdflib.Graph, language: str) -> bytes:
    """Every class and property of the vocabulary with its label, comment, domain and range."""
    settings = request.app.state.settings
    namespace = settings.vocabulary_iri
    link = _Linker(graph, namespace, settings.base_iri, language)
    ontology = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    sections = [
        {"key": key, "title": i18n.t(title, language), "terms": _terms(graph, kinds, link)}
        for key, title, kinds in KINDS
    ]
    return i18n.render_page(
        request,
        "vocabulary.html",
        language,
        namespace=namespace,
        title=_text(graph, ontology, DCTERMS.title, language) if ontology else namespace,
        description=_text(graph, ontology, DCTERMS.description, language) if ontology else "",
        version=str(graph.value(ontology, OWL.versionInfo) or "") if ontology else "",
        sections=sections,
        schemes=_schemes(graph, link),
    ).encode()
