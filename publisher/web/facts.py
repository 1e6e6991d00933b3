"""What the store says about one entity, each statement with the graphs that hold it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from publisher.namespaces import PROLOGUE
from publisher.store import StoreBackend, Term, in_term_order
from publisher.web.terms import NARY, RDF_TYPE

OUTGOING = "SELECT DISTINCT ?this ?p ?o ?g WHERE { GRAPH ?g { ?this ?p ?o } }"
INCOMING = "SELECT DISTINCT ?this ?s ?p ?g WHERE { GRAPH ?g { ?s ?p ?this } }"
NARY_NODE = (
    "FILTER EXISTS { ?node a ?nary "
    "FILTER(?nary IN (org:Post, org:Membership, lgdg:AgreementParty)) }"
)
NODES = (
    PROLOGUE
    + f"""
SELECT DISTINCT ?this ?node ?p ?o ?g WHERE {{
  {{ ?this ?x ?node {NARY_NODE} GRAPH ?g {{ ?node ?p ?o }} }}
  UNION
  {{ ?node ?y ?this {NARY_NODE} GRAPH ?g {{ ?node ?p ?o }} }}
}}"""
)  # Written so that each branch starts from the entity: with the class test as a join, or
# the statements outside the branches, Oxigraph read every post and membership per page.


@dataclass(frozen=True)
class Fact:
    """``this prop value`` (or ``value prop this`` when ``inverse``), from ``graphs``."""

    prop: str
    value: Term
    inverse: bool
    graphs: frozenset[str]


@dataclass
class Node:
    """An n-ary node the entity takes part in (a post, a membership, a party)."""

    iri: str
    cls: str
    values: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    graphs: set[str] = field(default_factory=set)


@dataclass
class Facts:
    """Every statement about an entity, and the n-ary nodes it takes part in."""

    iri: str
    facts: list[Fact]
    nodes: dict[str, Node]

    def values(self, prop: str, inverse: bool = False) -> list[Term]:
        return [f.value for f in self.facts if f.prop == prop and f.inverse == inverse]

    def graphs(self) -> set[str]:
        found = {g for f in self.facts for g in f.graphs}
        return found.union(*(n.graphs for n in self.nodes.values()))


def _merge(rows: list[tuple[str, Term, bool, str]]) -> list[Fact]:
    graphs: dict[tuple[str, Term, bool], set[str]] = defaultdict(set)
    for prop, value, inverse, graph in rows:
        graphs[(prop, value, inverse)].add(graph)
    return [Fact(p, v, i, frozenset(g)) for (p, v, i), g in graphs.items()]


def read_facts(store: StoreBackend, iri: str) -> Facts:
    """Three SELECTs with the entity bound as ``?this``: out, in, and its n-ary nodes, in
    an order of their values (the order of the sources a page numbers follows it)."""
    this = {"this": Term("iri", iri)}
    outgoing, incoming = (in_term_order(store.select(q, this)) for q in (OUTGOING, INCOMING))
    rows = [(r["p"].value, r["o"], False, r["g"].value) for r in outgoing]
    rows += [(r["p"].value, r["s"], True, r["g"].value) for r in incoming]
    nodes: dict[str, Node] = {}
    for row in in_term_order(store.select(NODES, this)):
        node = nodes.setdefault(row["node"].value, Node(row["node"].value, ""))
        if row["p"].value == RDF_TYPE and row["o"].value in NARY:
            node.cls = row["o"].value
        if row["o"] not in node.values[row["p"].value]:
            node.values[row["p"].value].append(row["o"])
        node.graphs.add(row["g"].value)
    return Facts(iri, _merge(rows), nodes)
