"""Validate a data graph against a shapes graph (SHACL Core, no inference)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib

from publisher.shacl.components import Constraint
from publisher.shacl.graph import DataGraph, Term
from publisher.shacl.model import Shape, ShapeError, ShapesGraph, Targets
from publisher.shacl.paths import Path, follow


@dataclass(frozen=True)
class Result:
    """One validation result, as a ``sh:ValidationResult`` has it."""

    focus: Term
    path: Path | None
    value: Term | None
    shape: Shape
    constraint: Constraint

    @property
    def messages(self) -> tuple[str, ...]:
        """The shape's ``sh:message``, or the constraint's own message when it has none."""
        return self.shape.messages or (self.constraint.message(),)

    @property
    def severity(self) -> rdflib.URIRef:
        """``sh:Violation``, ``sh:Warning`` or ``sh:Info``, as the shape says."""
        return self.shape.severity


@dataclass(frozen=True)
class Report:
    """Every result of a validation, and how many focus nodes the shapes targeted."""

    results: list[Result]
    focus_nodes: int

    @property
    def conforms(self) -> bool:
        return not self.results


class Validator:
    """One validation run: the data graph, the shapes, and what is known so far of which
    node conforms to which shape (nested shapes are asked about the same values often)."""

    def __init__(self, graph: DataGraph) -> None:
        self.graph = graph
        self._conforms: dict[tuple[Shape, Term], bool] = {}
        self._asking: set[tuple[Shape, Term]] = set()

    def focus_nodes(self, targets: Targets) -> dict[Term, None]:
        """The nodes ``targets`` select, each once."""
        g = self.graph
        found: dict[Term, None] = dict.fromkeys(targets.nodes)
        for cls in targets.classes:
            found.update(g.instances(cls))
        for predicate in targets.subjects_of:
            found.update(dict.fromkeys(g.subjects_of(predicate)))
        for predicate in targets.objects_of:
            found.update(dict.fromkeys(g.objects_of(predicate)))
        return found

    def results(self, shape: Shape, focus: Term) -> Iterator[Result]:
        """What fails when ``focus`` is validated against ``shape``, lazily."""
        if shape.deactivated:
            return
        values = [focus] if shape.path is None else list(follow(self.graph, focus, shape.path))
        for constraint in shape.constraints:
            for finding in constraint.check(self, focus, values):
                # A node shape's results name the focus node as their value.
                value = focus if finding.value is None and shape.path is None else finding.value
                yield Result(focus, finding.path or shape.path, value, shape, constraint)
        for prop in shape.properties:
            for value in values:
                yield from self.results(prop, value)

    def conforms(self, shape: Shape, node: Term) -> bool:
        """Whether ``node`` validates against ``shape`` with no result at all."""
        key = (shape, node)
        known = self._conforms.get(key)
        if known is None:
            if key in self._asking:
                raise ShapeError(f"a shape ({shape.node.n3()}) refers to itself for the same node")
            self._asking.add(key)
            try:
                known = next(self.results(shape, node), None) is None
            finally:
                self._asking.discard(key)
            self._conforms[key] = known
        return known


def validate(triples: Iterable[ox.Triple], shapes: rdflib.Graph) -> Report:
    """Validate ``triples`` (each once) against the shapes of ``shapes``.

    Raises ``UnsupportedShapesError`` for SHACL-SPARQL and ``ShapeError`` for a malformed shape.
    """
    model = ShapesGraph(shapes)
    validator = Validator(DataGraph(triples, model.backward_predicates()))
    results: list[Result] = []
    focused: set[Term] = set()
    for shape in model.targeted:
        focus_nodes = validator.focus_nodes(shape.targets)
        focused.update(focus_nodes)
        for focus in focus_nodes:
            results.extend(validator.results(shape, focus))
    return Report(results, len(focused))
