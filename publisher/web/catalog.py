"""A cached index of every entity's labels, classes and sources, for pages and the search.

The index is read once per release from the store (five SELECTs, their rows put in an order
of their values, so that every store gives the same index) and kept on the app; the search
folds case and accents in Python over it, so no request input reaches SPARQL text.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote

from fastapi import Request
from starlette.datastructures import State

from publisher.namespaces import PROLOGUE
from publisher.store import StoreBackend, Term, in_term_order
from publisher.text import fold
from publisher.web.i18n import LANGUAGES, last_segment, pick
from publisher.web.terms import LABEL_PROPERTIES, NARY_NAMES

logger = logging.getLogger("lodpub.web")
LABELS = (
    PROLOGUE
    + """
SELECT DISTINCT ?s ?p ?l WHERE {
  VALUES ?p { rdfs:label skos:prefLabel foaf:name skos:altLabel lgdg:formerName dcterms:title }
  ?s ?p ?l .
  FILTER(isIRI(?s) && isLITERAL(?l))
  FILTER NOT EXISTS { ?s a lgdg:Tombstone }
}"""
)
TYPES = (
    PROLOGUE
    + """
SELECT DISTINCT ?s ?type WHERE {
  ?s a ?type . FILTER(isIRI(?s)) FILTER NOT EXISTS { ?s a lgdg:Tombstone }
}"""
)
SOURCES = (
    PROLOGUE
    + """
SELECT DISTINCT ?src ?url ?issued ?publisher WHERE {
  ?x prov:wasDerivedFrom ?src .
  OPTIONAL { ?src schema:url ?url }
  OPTIONAL { ?src dcterms:issued ?issued }
  OPTIONAL { ?src dcterms:publisher ?publisher }
}"""
)
SAME_AS = (
    PROLOGUE
    + """
SELECT DISTINCT ?s ?item WHERE { ?s owl:sameAs ?item . FILTER(isIRI(?s) && isIRI(?item)) }"""
)
NARY_VALUES = (
    PROLOGUE
    + """
SELECT DISTINCT ?node ?p ?o WHERE {
  VALUES ?class { org:Post org:Membership lgdg:AgreementParty }
  ?node a ?class ; ?p ?o . FILTER(isIRI(?o))
}"""
)


def _label_rank(row: dict[str, Term]) -> int:
    """Labels by the preference of their property (the first in a language is shown)."""
    prop = row["p"].value
    return LABEL_PROPERTIES.index(prop) if prop in LABEL_PROPERTIES else len(LABEL_PROPERTIES)


@dataclass
class Entry:
    """What the index knows of one IRI."""

    labels: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    names: list[tuple[str, str]] = field(default_factory=list)  # (name, language), searched
    classes: set[str] = field(default_factory=set)
    same_as: list[str] = field(default_factory=list)  # the Wikidata item, where there is one


@dataclass(frozen=True)
class Source:
    """A source document: its IRI, public URL, date and publisher."""

    iri: str
    url: str | None
    issued: str | None
    publisher: str | None


@dataclass(frozen=True)
class Hit:
    """One search result."""

    iri: str
    kind: str
    matched: str
    score: int


class Catalog:
    """Labels, classes and sources of every IRI of one release."""

    def __init__(self, base: str, entries: dict[str, Entry], sources: dict[str, Source]) -> None:
        self.base = base
        self.entries = entries
        self.sources = sources
        self.class_sizes = Counter(c for entry in entries.values() for c in entry.classes)
        self._folded = {
            iri: [(fold(name), name, lang) for name, lang in dict.fromkeys(entry.names)]
            for iri, entry in entries.items()
            if self.kind(iri) and entry.classes
        }

    @classmethod
    def read(cls, store: StoreBackend, base: str) -> Catalog:
        entries: dict[str, Entry] = defaultdict(Entry)
        for row in sorted(in_term_order(store.select(LABELS)), key=_label_rank):
            entry, literal = entries[row["s"].value], row["l"]
            if row["p"].value in LABEL_PROPERTIES:
                labels = entry.labels[(literal.language or "").lower()]
                if literal.value not in labels:
                    labels.append(literal.value)
            entry.names.append((literal.value, (literal.language or "").lower()))
        for row in in_term_order(store.select(TYPES)):
            entries[row["s"].value].classes.add(row["type"].value)
        for row in in_term_order(store.select(SAME_AS)):
            entries[row["s"].value].same_as.append(row["item"].value)
        sources = {}
        for row in in_term_order(store.select(SOURCES)):
            iri = row["src"].value
            if iri not in sources or row.get("url"):
                sources[iri] = Source(
                    iri,
                    row["url"].value if "url" in row else None,
                    row["issued"].value if "issued" in row else None,
                    row["publisher"].value if "publisher" in row else None,
                )
        catalog = cls(base, dict(entries), sources)
        catalog._name_nary_nodes(store)
        return catalog

    def _name_nary_nodes(self, store: StoreBackend) -> None:
        """Posts, memberships and parties have no label: name them after what they link."""
        links: dict[str, dict[str, str]] = defaultdict(dict)
        for row in in_term_order(store.select(NARY_VALUES)):
            links[row["node"].value][row["p"].value] = row["o"].value
        for node, values in links.items():
            entry = self.entries.get(node)
            if entry is None or entry.labels:
                continue
            names = next((NARY_NAMES[c] for c in sorted(entry.classes) if c in NARY_NAMES), ())
            for language in LANGUAGES:
                parts = [self.label(values[p], language) for p in names if p in values]
                if parts:
                    entry.labels[language] = [", ".join(parts)]

    def label(self, iri: str, language: str) -> str:
        """The label in ``language``, else the other language, else untagged, else the IRI end."""
        entry = self.entries.get(iri)
        found = pick(entry.labels, language) if entry else None
        return found or last_segment(iri)

    def has_label(self, iri: str) -> bool:
        entry = self.entries.get(iri)
        return bool(entry and entry.labels)

    def classes(self, iri: str) -> set[str]:
        entry = self.entries.get(iri)
        return entry.classes if entry else set()

    def same_as(self, iri: str) -> list[str]:
        """The items (Wikidata's) this entity is linked to by owl:sameAs."""
        entry = self.entries.get(iri)
        return entry.same_as if entry else []

    def kind(self, iri: str) -> str | None:
        """The type segment of an entity IRI (``organization``), or None for other IRIs."""
        prefix = self.base + "id/"
        if not iri.startswith(prefix):
            return None
        kind, slash, rest = iri[len(prefix) :].partition("/")
        return kind if slash and rest else None

    def href(self, iri: str) -> str | None:
        """The relative link of a page of this dataset, the IRI itself for the wider web.

        A page's path is its IRI's, percent-encoded as UTF-8 (RFC 3986) but for ``/`` and the
        unreserved characters, so that the server decodes it back to that IRI (a ``?``, a
        ``#`` or a ``%`` in an IRI stays part of the path).
        """
        if iri.startswith(self.base):
            rest = iri[len(self.base) :]
            if rest.startswith("id/"):
                return "/doc/" + quote(rest[3:], safe="/-._~")
            if rest.startswith("def"):
                return "/" + quote(rest, safe="/-._~#")
            return "/dataset" if rest == "dataset" else None
        return iri if iri.startswith(("http://", "https://")) else None

    @cached_property
    def pages(self) -> list[str]:
        """The path of every entity's page, in the order of the entities' IRIs."""
        return [self.href(iri) or "" for iri in sorted(self._folded)]

    def counts(self) -> dict[str, int]:
        """How many entities of each type segment, largest first."""
        counts: dict[str, int] = defaultdict(int)
        for iri in self._folded:
            counts[self.kind(iri) or ""] += 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def members(self, kind: str, language: str) -> list[str]:
        """The entities of one type segment, in the alphabetical order of their labels."""
        found = [iri for iri in self._folded if self.kind(iri) == kind]
        return sorted(found, key=lambda iri: (fold(self.label(iri, language)), iri))

    def search(self, query: str, language: str) -> list[Hit]:
        """Entities one of whose names holds every word of ``query``, best matches first."""
        wanted = fold(query)
        words = wanted.split()
        if not words:
            return []
        hits = []
        for iri, names in self._folded.items():
            best: tuple[int, bool, str] | None = None
            for folded, name, lang in names:
                if not all(word in folded for word in words):
                    continue
                if folded == wanted:
                    score = 0
                elif folded.startswith(wanted) or f" {wanted}" in f" {folded}":
                    score = 1
                else:
                    score = 2
                found = (score, lang not in ("", language), name)
                if best is None or found < best:
                    best = found
            if best is not None:
                hits.append(Hit(iri, self.kind(iri) or "", best[2], best[0]))
        return sorted(hits, key=lambda h: (h.score, fold(self.label(h.iri, language)), h.iri))


_LOCK = threading.Lock()


def catalog_of(request: Request) -> Catalog:
    """The index of the release being served, read once and kept on the app."""
    return current_catalog(request.app.state)


def current_catalog(state: State) -> Catalog:
    """The index of the release ``state.stores`` serves, read once per release and kept on
    ``state`` (requests that need it while it is read wait for that one reading)."""
    store = state.stores.store
    version = store.release().version
    with _LOCK:
        catalog = _kept(state, store, version)
        if catalog is None:
            catalog = Catalog.read(store, state.settings.base_iri)
            state.catalog = (store, version, catalog)
            _out_of_the_collectors_reach()
    return catalog


def is_read(state: State) -> bool:
    """Whether the index of the release being served has been read (pages need it)."""
    store = state.stores.store
    return _kept(state, store, store.release().version) is not None


def _kept(state: State, store: StoreBackend, version: str) -> Catalog | None:
    """The index kept on ``state``, if it is the one of this store and release."""
    cached = getattr(state, "catalog", None)
    if cached is None or cached[0] is not store or cached[1] != version:
        return None
    catalog: Catalog = cached[2]
    return catalog


def _out_of_the_collectors_reach() -> None:
    """Exempt every object alive now, the index's among them (860,000 at 1 M triples), from
    the cycle collector: its full collections walked them all, a pause of about 350 ms every
    few thousand requests (the p99 of cached SPARQL answers: 370 ms, 11 ms with this). They
    are still freed when no longer referenced (the index of an older release)."""
    gc.collect()
    gc.freeze()


def read_in_background(state: State) -> None:
    """Start reading the index for the release being served, so that the first page does not
    wait for it (at a million triples the reading takes half a minute)."""

    def read() -> None:
        try:
            current_catalog(state)
        except Exception:  # the store went away: the first page that needs it will say why
            logger.exception("the index of entities could not be read in advance")

    threading.Thread(target=read, name="lodpub-catalog", daemon=True).start()
