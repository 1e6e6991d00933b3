"""Shapes read from a SHACL shapes graph into the constraints the validator runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from publisher.shacl import components as c
from publisher.shacl.graph import Term
from publisher.shacl.paths import Path, PathError, backward_predicates, read_path

SHACL_SPARQL = (SH.sparql, SH.target, SH.rule, SH.select, SH.ask)
_SHAPE_VALUES = (SH.node, SH.property, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


class UnsupportedShapesError(ValueError):
    """The shapes use SHACL-SPARQL or SHACL Advanced Features, which this engine does not run."""


class ShapeError(ValueError):
    """A shape is not well formed (a bad parameter value, a path that is not a path …)."""


@dataclass
class Targets:
    """What a shape targets: ``sh:targetClass`` (and an implicit class target), ``sh:targetNode``,
    ``sh:targetSubjectsOf`` and ``sh:targetObjectsOf``."""

    classes: list[Term] = field(default_factory=list)
    nodes: list[Term] = field(default_factory=list)
    subjects_of: list[ox.NamedNode] = field(default_factory=list)
    objects_of: list[ox.NamedNode] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.classes or self.nodes or self.subjects_of or self.objects_of)


@dataclass(eq=False)
class Shape:
    """A node or property shape; compared by identity, so that it can key a memo."""

    node: rdflib.term.Node
    path: Path | None = None
    path_node: rdflib.term.Node | None = None
    targets: Targets = field(default_factory=Targets)
    constraints: list[c.Constraint] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    messages: tuple[str, ...] = ()
    severity: rdflib.URIRef = SH.Violation
    deactivated: bool = False


def to_ox(node: rdflib.term.Node) -> Term:
    """The pyoxigraph term for an rdflib one."""
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise ShapeError(f"{node!r} is not an RDF term")


class ShapesGraph:
    """Every shape of a shapes graph, read once; ``targeted`` are those validation starts from."""

    def __init__(self, graph: rdflib.Graph) -> None:
        for predicate in SHACL_SPARQL:
            if (None, predicate, None) in graph:
                used = predicate.n3(graph.namespace_manager)
                raise UnsupportedShapesError(f"the shapes use {used}")
        self._graph = graph
        self._shapes: dict[rdflib.term.Node, Shape] = {}
        for node in sorted(self._shape_nodes(), key=str):
            self.shape(node)
        self.targeted = [s for s in self._shapes.values() if s.targets and not s.deactivated]

    def backward_predicates(self) -> set[ox.NamedNode]:
        """Predicates the shapes read from object to subject."""
        found = {p for s in self._shapes.values() for p in s.targets.objects_of}
        for shape in self._shapes.values():
            if shape.path is not None:
                found.update(backward_predicates(shape.path))
        return found

    def _shape_nodes(self) -> Iterator[rdflib.term.Node]:
        g = self._graph
        yield from g.subjects(RDF.type, SH.NodeShape)
        yield from g.subjects(RDF.type, SH.PropertyShape)
        for predicate in _TARGETS:
            yield from g.subjects(predicate, None)
        for predicate in _SHAPE_VALUES:
            yield from g.objects(None, predicate)
        for predicate in _SHAPE_LISTS:
            for members in g.objects(None, predicate):
                yield from Collection(g, members)

    def shape(self, node: rdflib.term.Node) -> Shape:
        """The shape ``node`` names, read on first use."""
        if node in self._shapes:
            return self._shapes[node]
        shape = self._shapes[node] = Shape(node)  # registered first: shapes may refer back
        g = self._graph
        if (path := g.value(node, SH.path)) is not None:
            try:
                shape.path, shape.path_node = read_path(g, path), path
            except PathError as exc:
                raise ShapeError(f"{self.name(node)}: {exc}") from exc
        shape.targets = self._targets(node)
        shape.messages = tuple(sorted(str(m) for m in g.objects(node, SH.message)))
        shape.severity = g.value(node, SH.severity) or SH.Violation  # type: ignore[assignment]
        shape.deactivated = g.value(node, SH.deactivated) == rdflib.Literal(True)
        shape.constraints = list(self._constraints(node))
        shape.properties = [self.shape(p) for p in sorted(g.objects(node, SH.property), key=str)]
        return shape

    def name(self, node: rdflib.term.Node) -> str:
        """How an error names a shape: its IRI, or the path of a blank-node property shape."""
        if isinstance(node, rdflib.BNode):
            path = self._graph.value(node, SH.path)
            return f"[ sh:path {path.n3()} ]" if isinstance(path, rdflib.URIRef) else "[ … ]"
        return node.n3()

    def _targets(self, node: rdflib.term.Node) -> Targets:
        g = self._graph
        targets = Targets(
            classes=[to_ox(n) for n in g.objects(node, SH.targetClass)],
            nodes=[to_ox(n) for n in g.objects(node, SH.targetNode)],
            subjects_of=[ox.NamedNode(str(n)) for n in g.objects(node, SH.targetSubjectsOf)],
            objects_of=[ox.NamedNode(str(n)) for n in g.objects(node, SH.targetObjectsOf)],
        )
        if (node, RDF.type, RDFS.Class) in g and isinstance(node, rdflib.URIRef):
            targets.classes.append(to_ox(node))  # an implicit class target
        return targets

    def _constraints(self, node: rdflib.term.Node) -> Iterator[c.Constraint]:
        g = self._graph

        def values(parameter: str) -> list[rdflib.term.Node]:
            return list(g.objects(node, SH[parameter]))

        def integer(value: rdflib.term.Node, parameter: str) -> int:
            if not isinstance(value, rdflib.Literal) or not isinstance(value.toPython(), int):
                raise ShapeError(f"{self.name(node)}: sh:{parameter} must be an integer")
            return int(value.toPython())

        def members(value: rdflib.term.Node) -> list[rdflib.term.Node]:
            return list(Collection(g, value))

        for value in values("class"):
            yield c.ClassIs(to_ox(value))
        for value in values("datatype"):
            yield c.DatatypeIs(ox.NamedNode(str(value)))
        for value in values("nodeKind"):
            kind = str(value).removeprefix(str(SH))
            if kind not in c.NODE_KINDS:
                raise ShapeError(f"{self.name(node)}: {value.n3()} is not a SHACL node kind")
            yield c.NodeKindIs(kind)
        for value in values("minCount"):
            yield c.Count(integer(value, "minCount"), at_least=True)
        for value in values("maxCount"):
            yield c.Count(integer(value, "maxCount"), at_least=False)
        for parameter in ("minExclusive", "minInclusive", "maxExclusive", "maxInclusive"):
            for value in values(parameter):
                yield c.Range(parameter, to_ox(value))
        for value in values("minLength"):
            yield c.Length(integer(value, "minLength"), at_least=True)
        for value in values("maxLength"):
            yield c.Length(integer(value, "maxLength"), at_least=False)
        for value in values("pattern"):
            flags = str(g.value(node, SH.flags) or "")
            try:
                yield c.Pattern.compile(str(value), flags)
            except (re.error, KeyError) as exc:
                raise ShapeError(f"{self.name(node)}: bad sh:pattern or sh:flags ({exc})") from exc
        for value in values("languageIn"):
            yield c.LanguageIn(tuple(str(tag) for tag in members(value)))
        if g.value(node, SH.uniqueLang) == rdflib.Literal(True):
            yield c.UniqueLang()
        for parameter in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
            for value in values(parameter):
                yield c.PropertyPair(parameter, ox.NamedNode(str(value)))
        for value in values("hasValue"):
            yield c.HasValue(to_ox(value))
        for value in values("in"):
            yield c.In(frozenset(to_ox(m) for m in members(value)))
        if g.value(node, SH.closed) == rdflib.Literal(True):
            yield c.Closed(frozenset(self._closed_predicates(node)))
        for value in values("not"):
            yield c.Logical("not", (self.shape(value),))
        for parameter in ("and", "or", "xone"):
            for value in values(parameter):
                yield c.Logical(parameter, tuple(self.shape(m) for m in members(value)))
        for value in values("node"):
            yield c.Logical("node", (self.shape(value),))
        for value in values("qualifiedValueShape"):
            siblings = self._qualified_siblings(node, value)
            for parameter in ("qualifiedMinCount", "qualifiedMaxCount"):
                for count in values(parameter):
                    limit = integer(count, parameter)
                    minimum, maximum = (limit, None) if "Min" in parameter else (None, limit)
                    yield c.Qualified(self.shape(value), minimum, maximum, siblings)

    def _closed_predicates(self, node: rdflib.term.Node) -> Iterator[ox.NamedNode]:
        g = self._graph
        for prop in g.objects(node, SH.property):
            if isinstance(path := g.value(prop, SH.path), rdflib.URIRef):
                yield ox.NamedNode(str(path))
        for ignored in g.objects(node, SH.ignoredProperties):
            yield from (ox.NamedNode(str(p)) for p in Collection(g, ignored))

    def _qualified_siblings(
        self, node: rdflib.term.Node, qualified: rdflib.term.Node
    ) -> tuple[Shape, ...]:
        g = self._graph
        if g.value(node, SH.qualifiedValueShapesDisjoint) != rdflib.Literal(True):
            return ()
        siblings = [
            sibling
            for parent in g.subjects(SH.property, node)
            for other in g.objects(parent, SH.property)
            if other != node
            for sibling in g.objects(other, SH.qualifiedValueShape)
            if sibling != qualified
        ]
        return tuple(self.shape(s) for s in sorted(set(siblings), key=str))
