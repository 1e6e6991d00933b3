"""The model of an entity page: facts grouped into sections, n-ary tables, numbered sources."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from publisher.store import Term
from publisher.text import fold
from publisher.web.catalog import Catalog
from publisher.web.facts import Facts, Node
from publisher.web.i18n import XSD, format_date, other_language, t
from publisher.web.relations import (
    ALL_LANGUAGES,
    CLASSES,
    HIDDEN,
    RELATIONS,
    SECTIONS,
    TABLES,
    Relation,
)
from publisher.web.terms import (
    DERIVED_FROM,
    NARY,
    NARY_LINKS,
    SAME_AS,
    WIKIDATA_ENTITY,
    WIKIDATA_PAGE,
    compact,
)

DATES = {XSD + t for t in ("date", "dateTime", "gYear", "gYearMonth")}


@dataclass
class Value:
    """One value as shown: text, an optional link, its language and the numbers of its sources."""

    text: str
    href: str | None = None
    lang: str | None = None
    sources: list[int] = field(default_factory=list)
    when: str | None = None  # machine-readable date, for <time datetime>
    sort: str = ""
    iri: str | None = None


@dataclass
class Row:
    name: str
    values: list[Value]


@dataclass
class Section:
    key: str
    title: str
    rows: list[Row]


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[tuple[list[list[Value]], Value]]  # cells, and a link to the node with sources


@dataclass
class SourceRef:
    number: int
    iri: str
    href: str | None
    title: str
    url: str | None
    issued: str | None


class PageBuilder:
    """Turns the facts of one entity into what entity.html shows, in one language."""

    def __init__(self, facts: Facts, catalog: Catalog, language: str) -> None:
        self.facts, self.catalog, self.language = facts, catalog, language
        self.sources: dict[str, SourceRef] = {}
        derived = {v.value for v in facts.values(DERIVED_FROM) if v.is_iri}
        for iri in sorted(derived, key=lambda s: (fold(catalog.label(s, language)), s)):
            self._source(iri)

    def _source(self, iri: str) -> int:
        ref = self.sources.get(iri)
        if ref is None:
            known = self.catalog.sources.get(iri)
            is_vocabulary = iri == self.catalog.base + "graph/ontology"
            title = self.catalog.label(iri, self.language)
            if is_vocabulary:
                title = t("entity.vocabulary", self.language)
            ref = SourceRef(
                len(self.sources) + 1,
                iri,
                "/def" if is_vocabulary else self.catalog.href(iri),
                title,
                known.url if known else None,
                format_date(known.issued, XSD + "date", self.language)
                if known and known.issued
                else None,
            )
            self.sources[iri] = ref
        return ref.number

    def _numbers(self, graphs: frozenset[str] | set[str]) -> list[int]:
        base = self.catalog.base
        numbers = set()
        for graph in sorted(graphs):  # numbered in an order no process changes
            if graph.startswith(base + "graph/source/"):
                numbers.add(self._source(base + "id/source/" + graph.rsplit("/", 1)[1]))
            elif graph == base + "graph/ontology":
                numbers.add(self._source(graph))
        return sorted(numbers)

    def value(self, term: Term, graphs: frozenset[str] | set[str] = frozenset()) -> Value:
        """A term as shown: entities by label with a relative link, dates spelled out."""
        sources = self._numbers(graphs)
        if term.kind == "iri":
            if term.value.startswith(WIKIDATA_ENTITY):
                qid = term.value[len(WIKIDATA_ENTITY) :]
                return Value(
                    f"Wikidata {qid}", WIKIDATA_PAGE + qid, None, sources, sort=qid, iri=term.value
                )
            text = self.catalog.label(term.value, self.language)
            href = self.catalog.href(term.value)
            if not self.catalog.has_label(term.value) and href == term.value:
                text = term.value
            return Value(text, href, None, sources, sort=fold(text), iri=term.value)
        if term.kind == "literal" and term.datatype in DATES:
            text = format_date(term.value, term.datatype, self.language)
            return Value(text, None, None, sources, when=term.value, sort=term.value)
        return Value(term.value, None, term.language, sources, sort=fold(term.value))

    def types(self) -> list[str]:
        return type_names(self.catalog, self.facts.iri, self.language)

    def wikidata(self) -> list[Value]:
        return [self.value(v) for v in self.facts.values(SAME_AS) if is_wikidata(v)]

    def tables(self) -> list[Table]:
        groups: dict[tuple[str, str], list[Node]] = defaultdict(list)
        for node in self.facts.nodes.values():
            columns = NARY.get(node.cls, ())
            link = next(
                (c.prop for c in columns if Term("iri", self.facts.iri) in node.values[c.prop]),
                None,
            )
            if link:
                groups[(node.cls, link)].append(node)
        return [self._table(cls, link, nodes) for (cls, link), nodes in sorted(groups.items())]

    def _table(self, cls: str, link: str, nodes: list[Node]) -> Table:
        columns = [c for c in NARY[cls] if c.prop != link]
        columns = [c for c in columns if any(n.values.get(c.prop) for n in nodes)]
        rows = []
        for node in nodes:
            cells = [
                self._pick([self.value(v) for v in node.values.get(c.prop, [])]) for c in columns
            ]
            rows.append((cells, self.value(Term("iri", node.iri), node.graphs)))
        dated = [i for i, c in enumerate(columns) if c.message in ("col.as_of", "col.start")]
        rows.sort(key=lambda r: tuple(_first(cell) for cell in r[0]))
        rows.sort(key=lambda r: tuple(_first(r[0][i]) for i in dated), reverse=True)
        rows.sort(key=lambda r: not any(r[0][i] for i in dated))
        en, fr = TABLES.get((compact(cls), compact(link)), (compact(cls), compact(cls)))
        names = [t(c.message, self.language) for c in columns]
        return Table(fr if self.language == "fr" else en, names, rows)

    def sections(self, tables: list[Table]) -> list[Section]:
        in_tables = set(self.facts.nodes)
        for table in tables:
            in_tables |= {v.iri or "" for cells, _ in table.rows for c in cells for v in c}
        rows: dict[Relation | tuple[str, bool], dict[tuple[str, str | None], Value]] = {}
        for fact in self.facts.facts:
            key = (fact.prop, fact.inverse)
            if key in HIDDEN:
                continue
            if fact.prop in NARY_LINKS and fact.value.is_iri and fact.value.value in in_tables:
                continue
            relation = RELATIONS.get(key, key)
            value = self.value(fact.value, fact.graphs)
            found = rows.setdefault(relation, {})
            slot = (fact.value.value, fact.value.language)
            if slot in found:
                found[slot].sources = sorted(set(found[slot].sources) | set(value.sources))
            else:
                found[slot] = value
        return self._group(rows)

    def _group(
        self, rows: dict[Relation | tuple[str, bool], dict[tuple[str, str | None], Value]]
    ) -> list[Section]:
        by_section: dict[str, list[tuple[tuple[int, str], Row]]] = defaultdict(list)
        for relation, values in rows.items():
            if isinstance(relation, Relation):
                section, order, name = (
                    relation.section,
                    (relation.order, ""),
                    relation.name(self.language),
                )
            else:
                section, name = "other", self._unknown(*relation)
                order = (len(RELATIONS), name)
            shown = list(values.values())
            if section in ALL_LANGUAGES:
                shown = self._by_language(shown)
            else:
                shown = sorted(self._pick(shown), key=lambda v: v.sort)
            by_section[section].append((order, Row(name, shown)))
        return [
            Section(
                key,
                SECTIONS[key][1 if self.language == "fr" else 0],
                [r for _, r in sorted(by_section[key], key=lambda x: x[0])],
            )
            for key in SECTIONS
            if by_section.get(key)
        ]

    def _unknown(self, prop: str, inverse: bool) -> str:
        name = self.catalog.label(prop, self.language)
        if not self.catalog.has_label(prop):
            name = compact(prop)
        return f"← {name}" if inverse else name

    def _by_language(self, values: list[Value]) -> list[Value]:
        """Every language's values, the page's first; one value per text."""
        mine = (None, self.language)
        kept: dict[str, Value] = {}
        for value in sorted(values, key=lambda v: (v.lang not in mine, v.lang or "", v.sort)):
            if value.text in kept:
                merged = set(kept[value.text].sources) | set(value.sources)
                kept[value.text].sources = sorted(merged)
            else:
                kept[value.text] = value
        return list(kept.values())

    def _pick(self, values: list[Value]) -> list[Value]:
        """Of language-tagged text, only the page language's (else the other's)."""
        tagged = [v for v in values if v.lang]
        if not tagged:
            return values
        for language in (self.language, other_language(self.language)):
            chosen = [v for v in tagged if v.lang and v.lang.lower() == language]
            if chosen:
                return [v for v in values if not v.lang] + chosen
        return values


def type_names(catalog: Catalog, iri: str, language: str) -> list[str]:
    """Names of an entity's classes: own before reused, the most specific (rarest) first."""
    named = []
    for cls in catalog.classes(iri):
        own = cls.startswith(catalog.base)
        if own:
            name = catalog.label(cls, language)
        elif cls in CLASSES:
            name = CLASSES[cls][1 if language == "fr" else 0]
        else:
            continue
        named.append((not own, catalog.class_sizes[cls], name))
    return list(dict.fromkeys(name for *_, name in sorted(named)))


def _first(values: list[Value]) -> str:
    return values[0].sort if values else ""


def is_wikidata(term: Term) -> bool:
    return term.is_iri and term.value.startswith(WIKIDATA_ENTITY + "Q")
