"""What changed since the previous release, and the tombstones of removed entities."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
LGDG = "https://w3id.org/lgdg/def#"
TOMBSTONE = ox.NamedNode(LGDG + "Tombstone")
REMOVED_IN = ox.NamedNode(LGDG + "removedIn")
INVALIDATED_AT = ox.NamedNode("http://www.w3.org/ns/prov#invalidatedAtTime")
XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
IS_REPLACED_BY = ox.NamedNode("http://purl.org/dc/terms/isReplacedBy")


@dataclass(frozen=True)
class Changes:
    """Entities added, removed and changed, and triple counts, against the previous release."""

    previous_version: str | None
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    triples_added: int
    triples_removed: int


def _under(subject: object, entity_prefix: str) -> bool:
    """Whether ``subject`` is an IRI under ``entity_prefix`` (an entity, once typed)."""
    return isinstance(subject, ox.NamedNode) and subject.value.startswith(entity_prefix)


def entity_digests(quads: Sequence[ox.Quad], entity_prefix: str) -> dict[str, str]:
    """A digest of every entity's statements (as subject), keyed by its IRI.

    An entity is a typed resource under ``entity_prefix``; a merged entity's IRI that only
    says ``dcterms:isReplacedBy`` is not one any more.
    """
    typed = set()
    lines: dict[str, list[str]] = defaultdict(list)
    for quad in quads:
        subject = quad.subject
        if _under(subject, entity_prefix):
            lines[subject.value].append(str(quad))
            if quad.predicate == RDF_TYPE:
                typed.add(subject.value)
    return {
        iri: hashlib.sha256("\n".join(sorted(statements)).encode()).hexdigest()
        for iri, statements in lines.items()
        if iri in typed
    }


def compare(
    previous: Sequence[ox.Quad] | None,
    previous_version: str | None,
    current: Sequence[ox.Quad],
    current_triples: Collection[ox.Triple],
    entity_prefix: str,
) -> Changes:
    """Compare two releases' quads entity by entity (``current_triples``: the union of the
    current quads' graphs, each triple once). A first release adds everything."""
    if previous is None:
        entities = {
            q.subject.value
            for q in current
            if q.predicate == RDF_TYPE and _under(q.subject, entity_prefix)
        }
        return Changes(None, tuple(sorted(entities)), (), (), len(current_triples), 0)
    before = entity_digests(previous, entity_prefix)
    after = entity_digests(current, entity_prefix)
    old_triples = {q.triple for q in previous}
    new_triples = set(current_triples)
    return Changes(
        previous_version=previous_version,
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        changed=tuple(sorted(k for k in after.keys() & before.keys() if after[k] != before[k])),
        triples_added=len(new_triples - old_triples),
        triples_removed=len(old_triples - new_triples),
    )


def tombstones(
    previous_tombstones: list[ox.Triple],
    previous: list[ox.Quad] | None,
    current: Sequence[ox.Quad],
    changes: Changes,
    version: str,
    timestamp: str,
) -> list[ox.Triple]:
    """Earlier tombstones of entities still absent, plus one for each entity removed now.

    A tombstone keeps the entity's last label and, when it was merged into another entity
    (``data/replacements.csv``), its successor.
    """
    if not previous_tombstones and not changes.removed:
        return []
    present = {q.subject for q in current if q.predicate == RDF_TYPE}
    successors = {q.subject: q.object for q in current if q.predicate == IS_REPLACED_BY}
    kept = [t for t in previous_tombstones if t.subject not in present]
    labels = [q for q in previous or [] if q.predicate == RDFS_LABEL]
    for iri in changes.removed:
        node = ox.NamedNode(iri)
        kept += [
            ox.Triple(node, RDF_TYPE, TOMBSTONE),
            ox.Triple(node, REMOVED_IN, ox.Literal(version)),
            ox.Triple(node, INVALIDATED_AT, ox.Literal(timestamp, datatype=XSD_DATETIME)),
        ]
        kept += [ox.Triple(node, RDFS_LABEL, q.object) for q in labels if q.subject == node]
        if node in successors:
            kept.append(ox.Triple(node, IS_REPLACED_BY, successors[node]))
    return sorted(set(kept), key=str)


def read_ntriples(path: Path) -> list[ox.Triple]:
    """Triples of an N-Triples file, or none when it does not exist."""
    if not path.is_file():
        return []
    return [q.triple for q in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)]
