"""Validate mapped data against ``shapes/``, and make the report readable.

SHACL Core shapes run on lodpub's own engine (``publisher.shacl``); shapes that use
SHACL-SPARQL run on pySHACL, which is slower by an order of magnitude.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from publisher import shacl
from publisher.errors import Location, Problem, ShapesError, Violation
from publisher.rdfio import graph_to_triples, read_turtle_dir, triples_to_graph
from publisher.shacl.graph import Term
from publisher.shacl.paths import Predicate


@dataclass(frozen=True)
class ValidationReport:
    """What a SHACL run found, and how much it looked at."""

    conforms: bool
    violations: tuple[Violation, ...]
    warnings: tuple[Violation, ...]
    shapes_count: int
    focus_nodes: int


def read_shapes(shapes_dir: Path) -> rdflib.Graph:
    """All SHACL shapes of ``shapes_dir`` as one graph, checked to be well formed."""
    graph = read_turtle_dir(shapes_dir)
    try:
        shacl.ShapesGraph(graph)
    except shacl.UnsupportedShapesError:
        pass  # SHACL-SPARQL: pySHACL reads (and checks) these shapes
    except shacl.ShapeError as exc:
        raise ShapesError([Problem(Location(str(shapes_dir)), f"malformed shape {exc}")]) from exc
    return graph


def count_shapes(shapes: rdflib.Graph) -> int:
    """Number of node and property shapes."""
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape))
    nodes |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    nodes |= set(shapes.objects(None, SH.property))
    return len(nodes)


def _text(graph: rdflib.Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, rdflib.BNode):
        # A property path or an anonymous shape: show it in SHACL terms where simple.
        inverse = graph.value(node, SH.inversePath)
        return f"^<{inverse}>" if inverse is not None else "(complex path)"
    return str(node)


def _row_of(focus: str, rows: dict[str, Location]) -> Location | None:
    return rows.get(focus.rstrip("/").rsplit("/", 1)[-1])


def read_report(report: rdflib.Graph, rows: dict[str, Location]) -> list[Violation]:
    """Turn a SHACL validation report graph into sorted, readable results."""
    results = []
    for result in report.objects(None, SH.result):  # not the nested sh:detail results
        focus = str(report.value(result, SH.focusNode))
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        severity = report.value(result, SH.resultSeverity)
        results.append(
            Violation(
                focus_node=focus,
                path=_text(report, report.value(result, SH.resultPath)),
                message="; ".join(messages) or "constraint not satisfied",
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                source_shape=_text(report, report.value(result, SH.sourceShape)) or "",
                value=_text(report, report.value(result, SH.value)),
                row=_row_of(focus, rows),
            )
        )
    return sorted(results, key=lambda v: (v.focus_node, v.path or "", v.message))


def count_focus_nodes(data: rdflib.Graph, shapes: rdflib.Graph) -> int:
    """How many nodes the shapes target in ``data`` (classes with their subclasses, explicit
    nodes, subjects and objects of a property, and classes that are shapes themselves)."""

    def instances(cls: Node) -> set[Node]:
        classes = set(data.transitive_subjects(RDFS.subClassOf, cls))
        return {node for c in classes for node in data.subjects(RDF.type, c)}

    focus: set[Node] = set(shapes.objects(None, SH.targetNode))
    for cls in shapes.objects(None, SH.targetClass):
        focus |= instances(cls)
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)):
        if (shape, RDF.type, RDFS.Class) in shapes:
            focus |= instances(shape)
    for prop in shapes.objects(None, SH.targetSubjectsOf):
        focus |= set(data.subjects(prop, None))
    for prop in shapes.objects(None, SH.targetObjectsOf):
        focus |= set(data.objects(None, prop))
    return len(focus)


def validate_dataset(
    triples: Iterable[ox.Triple],
    shapes: rdflib.Graph,
    ontology: rdflib.Graph,
    rows: dict[str, Location] | None = None,
) -> ValidationReport:
    """Validate ``triples`` (each once) together with the ontology, inference off.

    The ontology's concept schemes are data the facts point at (topics), so the two are
    validated as one rather than inoculating only the class hierarchy.
    """
    terms = set(graph_to_triples(ontology))
    data = [*terms, *(t for t in triples if t not in terms)]
    try:
        report = shacl.validate(data, shapes)
    except shacl.UnsupportedShapesError:
        return _validate_with_pyshacl(triples_to_graph(data), shapes, rows or {})
    except shacl.ShapeError as exc:  # a shape that refers to itself for the same node
        raise ShapesError([Problem(Location("shapes"), f"malformed shape: {exc}")]) from exc
    results = sorted(
        (_violation(result, rows or {}) for result in report.results),
        key=lambda v: (v.focus_node, v.path or "", v.message),
    )
    return _report(results, count_shapes(shapes), report.focus_nodes)


def _violation(result: shacl.Result, rows: dict[str, Location]) -> Violation:
    path, shape, focus = result.path, result.shape, _term_text(result.focus)
    if isinstance(path, Predicate) and not path.inverse:
        path_text: str | None = path.iri.value
    else:
        path_text = None if path is None else str(path)
    return Violation(
        focus_node=focus,
        path=path_text,
        message="; ".join(result.messages),
        severity=str(result.severity).rsplit("#", 1)[-1],
        source_shape=str(shape.node) if isinstance(shape.node, rdflib.URIRef) else "",
        value=None if result.value is None else _term_text(result.value),
        row=_row_of(focus, rows),
    )


def _term_text(term: Term) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else f"_:{term.value}"


def _validate_with_pyshacl(
    data: rdflib.Graph, shapes: rdflib.Graph, rows: dict[str, Location]
) -> ValidationReport:
    import pyshacl  # only for SHACL-SPARQL shapes, and slow to import

    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
        inplace=True,
    )
    results = read_report(report, rows)
    return _report(results, count_shapes(shapes), count_focus_nodes(data, shapes))


def _report(results: list[Violation], shapes_count: int, focus_nodes: int) -> ValidationReport:
    violations = tuple(r for r in results if r.severity == "Violation")
    warnings = tuple(r for r in results if r.severity != "Violation")
    return ValidationReport(
        conforms=not violations,
        violations=violations,
        warnings=warnings,
        shapes_count=shapes_count,
        focus_nodes=focus_nodes,
    )
