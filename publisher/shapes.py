"""Validate mapped data against ``shapes/`` with pySHACL, and make the report readable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
import rdflib
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from publisher.errors import Location, Violation
from publisher.rdfio import read_turtle_dir


@dataclass(frozen=True)
class ValidationReport:
    """What a SHACL run found, and how much it looked at."""

    conforms: bool
    violations: tuple[Violation, ...]
    warnings: tuple[Violation, ...]
    shapes_count: int
    focus_nodes: int


def read_shapes(shapes_dir: Path) -> rdflib.Graph:
    """All SHACL shapes of ``shapes_dir`` as one graph."""
    return read_turtle_dir(shapes_dir)


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
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    ontology: rdflib.Graph,
    rows: dict[str, Location] | None = None,
) -> ValidationReport:
    """Validate ``data`` together with the ontology (no inference) against ``shapes``.

    The ontology's concept schemes are data the facts point at (topics), so the two graphs
    are validated as one rather than inoculating only the class hierarchy. ``data`` is the
    caller's to give away: the ontology is added to it and it is validated in place (a copy
    of a large graph costs as much as a good part of the validation). The shapes use SHACL
    Core only, so SHACL-AF is off.
    """
    for triple in ontology:
        data.add(triple)
    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
        inplace=True,
    )
    results = read_report(report, rows or {})
    violations = tuple(r for r in results if r.severity == "Violation")
    warnings = tuple(r for r in results if r.severity != "Violation")
    return ValidationReport(
        conforms=not violations,
        violations=violations,
        warnings=warnings,
        shapes_count=count_shapes(shapes),
        focus_nodes=count_focus_nodes(data, shapes),
    )
