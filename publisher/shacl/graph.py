"""The data graph a validation reads: triples indexed by subject, and by object where asked."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeAlias

import pyoxigraph as ox

Term: TypeAlias = ox.NamedNode | ox.BlankNode | ox.Literal

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


class DataGraph:
    """Triples held as ``subject → predicate → objects``, plus ``predicate → object →
    subjects`` for the predicates that are read backwards (``rdf:type``, ``rdfs:subClassOf``
    and those of ``inverse``). Each triple is expected once (a set of triples)."""

    def __init__(self, triples: Iterable[ox.Triple], inverse: Iterable[ox.NamedNode] = ()) -> None:
        backwards = {RDF_TYPE, SUBCLASS_OF, *inverse}
        self._forward: dict[Term, dict[ox.NamedNode, list[Term]]] = {}
        self._backward: dict[ox.NamedNode, dict[Term, list[Term]]] = {p: {} for p in backwards}
        for subject, predicate, obj in triples:
            self._forward.setdefault(subject, {}).setdefault(predicate, []).append(obj)
            if predicate in backwards:
                self._backward[predicate].setdefault(obj, []).append(subject)
        self._superclasses: dict[Term, frozenset[Term]] = {}

    def objects(self, subject: Term, predicate: ox.NamedNode) -> list[Term]:
        """Objects of ``subject predicate ?o``."""
        return self._forward.get(subject, {}).get(predicate, [])

    def subjects(self, predicate: ox.NamedNode, obj: Term) -> list[Term]:
        """Subjects of ``?s predicate obj``; ``predicate`` must have been indexed backwards."""
        return self._backward[predicate].get(obj, [])

    def predicate_objects(self, subject: Term) -> Iterator[tuple[ox.NamedNode, Term]]:
        """Every ``(predicate, object)`` of ``subject``."""
        for predicate, objects in self._forward.get(subject, {}).items():
            for obj in objects:
                yield predicate, obj

    def subjects_of(self, predicate: ox.NamedNode) -> Iterator[Term]:
        """Every subject that has ``predicate``."""
        return (s for s, properties in self._forward.items() if predicate in properties)

    def objects_of(self, predicate: ox.NamedNode) -> Iterator[Term]:
        """Every object of ``predicate``; ``predicate`` must have been indexed backwards."""
        return iter(self._backward[predicate])

    def instances(self, cls: Term) -> dict[Term, None]:
        """SHACL instances of ``cls``: nodes typed with it or with one of its subclasses."""
        classes = closure([cls], lambda c: self.subjects(SUBCLASS_OF, c))
        return {node: None for c in classes for node in self.subjects(RDF_TYPE, c)}

    def is_instance(self, node: Term, cls: Term) -> bool:
        """Whether ``node`` has a type that is ``cls`` or one of its subclasses."""
        return any(cls in self._supers(t) for t in self.objects(node, RDF_TYPE))

    def _supers(self, cls: Term) -> frozenset[Term]:
        supers = self._superclasses.get(cls)
        if supers is None:
            supers = frozenset(closure([cls], lambda c: self.objects(c, SUBCLASS_OF)))
            self._superclasses[cls] = supers
        return supers


def closure(starts: Iterable[Term], step: Callable[[Term], Iterable[Term]]) -> dict[Term, None]:
    """``starts`` and every node reached from them by repeating ``step`` (a breadth-first
    walk that stops on cycles), in the order reached."""
    seen = dict.fromkeys(starts)
    frontier = list(seen)
    while frontier:
        following = []
        for node in frontier:
            for reached in step(node):
                if reached not in seen:
                    seen[reached] = None
                    following.append(reached)
        frontier = following
    return seen
