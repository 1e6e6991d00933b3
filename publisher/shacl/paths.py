"""SHACL property paths: read from the shapes graph, followed in the data graph."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import SH

from publisher.shacl.graph import DataGraph, Term, closure


class PathError(ValueError):
    """A ``sh:path`` value that is not a well-formed SHACL property path."""


@dataclass(frozen=True)
class Predicate:
    """``p``, or ``^p`` when ``inverse`` (inverses of longer paths are pushed down to here)."""

    iri: ox.NamedNode
    inverse: bool = False

    def __str__(self) -> str:
        return f"^<{self.iri.value}>" if self.inverse else f"<{self.iri.value}>"


@dataclass(frozen=True)
class Sequence:
    steps: tuple[Path, ...]

    def __str__(self) -> str:
        return "(" + "/".join(map(str, self.steps)) + ")"


@dataclass(frozen=True)
class Alternative:
    options: tuple[Path, ...]

    def __str__(self) -> str:
        return "(" + "|".join(map(str, self.options)) + ")"


@dataclass(frozen=True)
class Repeat:
    """``path*`` (0, unbounded), ``path+`` (1, unbounded) or ``path?`` (0, at most 1)."""

    path: Path
    at_least_one: bool
    at_most_one: bool

    def __str__(self) -> str:
        mark = "?" if self.at_most_one else "+" if self.at_least_one else "*"
        return f"({self.path}){mark}"


Path: TypeAlias = Predicate | Sequence | Alternative | Repeat

_REPEATS = {
    SH.zeroOrMorePath: (False, False),
    SH.oneOrMorePath: (True, False),
    SH.zeroOrOnePath: (False, True),
}


def read_path(shapes: rdflib.Graph, node: rdflib.term.Node, inverse: bool = False) -> Path:
    """The path that ``node`` (the object of a ``sh:path``) describes."""
    if isinstance(node, rdflib.URIRef):
        return Predicate(ox.NamedNode(str(node)), inverse)
    if not isinstance(node, rdflib.BNode):
        raise PathError(f"a property path is an IRI or a blank node, not {node.n3()}")
    if (node, rdflib.RDF.first, None) in shapes:
        steps = [read_path(shapes, step, inverse) for step in Collection(shapes, node)]
        if len(steps) < 2:
            raise PathError("a sequence path has at least two members")
        return Sequence(tuple(reversed(steps) if inverse else steps))
    if (inner := shapes.value(node, SH.inversePath)) is not None:
        return read_path(shapes, inner, not inverse)
    if (options := shapes.value(node, SH.alternativePath)) is not None:
        members = [read_path(shapes, o, inverse) for o in Collection(shapes, options)]
        if len(members) < 2:
            raise PathError("an alternative path has at least two members")
        return Alternative(tuple(members))
    for predicate, (at_least_one, at_most_one) in _REPEATS.items():
        if (inner := shapes.value(node, predicate)) is not None:
            return Repeat(read_path(shapes, inner, inverse), at_least_one, at_most_one)
    raise PathError(f"{node.n3()} is not a SHACL property path")


def follow(graph: DataGraph, start: Term, path: Path) -> dict[Term, None]:
    """The nodes ``path`` reaches from ``start``, each once, in the order found."""
    if isinstance(path, Predicate):
        found = graph.subjects(path.iri, start) if path.inverse else graph.objects(start, path.iri)
        return dict.fromkeys(found)
    if isinstance(path, Sequence):
        current = {start: None}
        for step in path.steps:
            current = {n: None for node in current for n in follow(graph, node, step)}
        return current
    if isinstance(path, Alternative):
        return {n: None for option in path.options for n in follow(graph, start, option)}
    once = follow(graph, start, path.path)
    if path.at_most_one:
        return {start: None, **once}
    repeated = path.path

    def step(node: Term) -> dict[Term, None]:
        return follow(graph, node, repeated)

    return closure(once, step) if path.at_least_one else closure([start], step)


def backward_predicates(path: Path) -> Iterator[ox.NamedNode]:
    """The predicates ``path`` reads backwards (they need an index by object)."""
    if isinstance(path, Predicate):
        if path.inverse:
            yield path.iri
    elif isinstance(path, Repeat):
        yield from backward_predicates(path.path)
    else:
        for part in path.steps if isinstance(path, Sequence) else path.options:
            yield from backward_predicates(part)
