"""Entity reconciliation over one release: names matched, types filtered, constraints scored.

``Index.read`` takes every statement about the dataset's entities in one SELECT; queries of the
W3C Reconciliation Service API are then answered from memory. Names (labels, alternative and
former names, titles, in every language) are folded as the site search folds them, so case,
accents and punctuation are ignored. Candidates share character trigrams with the query; a
query's types keep only entities of those classes; property constraints raise or lower the
score. The score is 100 only for an exact folded name with every constraint met, and ``match``
is set when exactly one candidate has it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from publisher.namespaces import PREFIXES, PROLOGUE
from publisher.store import StoreBackend, Term
from publisher.text import fold
from publisher.web.terms import RDF_TYPE, WIKIDATA_ENTITY, expand

STATEMENTS = (
    PROLOGUE
    + """
SELECT ?s ?p ?o ?entities WHERE {
  ?s ?p ?o .
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?entities))
  FILTER NOT EXISTS { ?s a lgdg:Tombstone }
}"""
)
NAMES = frozenset(
    expand(p)
    for p in (
        *("rdfs:label", "skos:prefLabel", "foaf:name"),
        *("skos:altLabel", "lgdg:formerName", "dcterms:title"),
    )
)
# The class of each kind of entity people reconcile against (the manifest's defaultTypes);
# a query may name a type by these short names too.
DEFAULT_TYPES = {
    "organization": expand("org:Organization"),
    "city": expand("schema:City"),
    "country": expand("schema:Country"),
    "person": expand("schema:Person"),
    "event": expand("schema:Event"),
    "agreement": expand("lgdg:Agreement"),
    "initiative": expand("lgdg:DigitalGovernanceInitiative"),
}
# Short property names, for constraints and extension, besides full and prefixed IRIs.
SHORT_PROPERTIES = {
    "country": (expand("lgdg:country"), expand("schema:containedInPlace")),
    "city": (expand("lgdg:basedIn"), expand("lgdg:governs"), expand("schema:location")),
    "parent": (expand("org:subOrganizationOf"),),
    "wikidata": (expand("owl:sameAs"),),
}
QID = re.compile(r"^Q[1-9][0-9]*$")

MAX_QUERIES = 100
MAX_LIMIT = 100
DEFAULT_LIMIT = 5
MAX_TEXT = 500
MAX_ITEMS = 20  # types, constraints, values of one constraint, properties of an extension
MIN_SIMILARITY = 0.3
NEAR = 0.95  # the best a name that is not exactly the query can do
PROPERTY_WEIGHT = 0.4  # of each constraint, against 1 for the name
ABSENT = 0.5  # the grade of a constraint on a property the candidate has no value for


class QueryError(ValueError):
    """A reconciliation request that does not follow the protocol; the message says where."""


@dataclass(frozen=True)
class Constraint:
    """Wanted values of one property (or of the properties a short name stands for)."""

    properties: tuple[str, ...]
    iris: frozenset[str]
    texts: frozenset[str]  # folded


@dataclass(frozen=True)
class Query:
    """One reconciliation query."""

    text: str
    types: frozenset[str] = frozenset()
    limit: int = DEFAULT_LIMIT
    constraints: tuple[Constraint, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """An entity proposed for a query."""

    iri: str
    score: int
    match: bool


@dataclass
class Entity:
    """What the index holds of one entity: folded names, classes and every statement."""

    names: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    values: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))


@dataclass(frozen=True)
class Name:
    """One folded name of an entity, with what similarity needs of it."""

    iri: str
    text: str
    grams: int
    words: frozenset[str]


def trigrams(folded: str) -> set[str]:
    """Character trigrams of a folded name, padded so that word starts weigh more."""
    padded = f"  {folded} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Index:
    """Every entity of one release, searchable by name."""

    def __init__(self, base: str, entities: dict[str, Entity]) -> None:
        self.base = base
        self.entities = entities
        self.names: list[Name] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for iri, entity in entities.items():
            if not entity.classes:
                continue
            for text in sorted(entity.names):
                grams = trigrams(text)
                for gram in grams:
                    self._postings[gram].append(len(self.names))
                self.names.append(Name(iri, text, len(grams), frozenset(text.split())))
        named = {name.iri for name in self.names}
        self.class_sizes = Counter(c for iri in named for c in entities[iri].classes)
        self.used = frozenset(p for entity in entities.values() for p in entity.values)

    @classmethod
    def read(cls, store: StoreBackend, base: str) -> Index:
        """The index of the store's entities (the IRIs under ``{base}id/``), in one SELECT."""
        entities: dict[str, Entity] = defaultdict(Entity)
        rows = store.select(STATEMENTS, {"entities": Term("literal", base + "id/")})
        for row in rows:
            entity, prop, value = entities[row["s"].value], row["p"].value, row["o"]
            entity.values[prop].append(value)
            if prop == RDF_TYPE:
                entity.classes.add(value.value)
            elif prop in NAMES and not value.is_iri and (folded := fold(value.value)):
                entity.names.add(folded)
        return cls(base, dict(entities))

    def id_of(self, iri: str) -> str:
        """The id the service gives an entity: its IRI without the id space."""
        return iri.removeprefix(self.base + "id/")

    def iri_of(self, identifier: str) -> str:
        """The IRI an id names: a short id, a full IRI, or a Wikidata QID."""
        identifier = identifier.strip()
        if identifier.startswith(("http://", "https://")):
            return identifier
        if QID.match(identifier):
            return WIKIDATA_ENTITY + identifier
        return self.base + "id/" + identifier.lstrip("/")

    def properties(self, types: Iterable[str] = ()) -> Counter[str]:
        """How many entities (of any of ``types``, when given) use each property."""
        wanted = set(types)
        return Counter(
            prop
            for entity in self.entities.values()
            if entity.names and (not wanted or not wanted.isdisjoint(entity.classes))
            for prop in entity.values
        )

    def reconcile(self, query: Query) -> list[Candidate]:
        """The best candidates for ``query``, best first, at most ``query.limit``."""
        scored = []
        for iri, similarity in self._similar(fold(query.text)).items():
            entity = self.entities[iri]
            if query.types and query.types.isdisjoint(entity.classes):
                continue
            grades = [self._grade(entity, c) for c in query.constraints]
            if similarity == 1 and all(g == 1 for g in grades):
                score = 100
            else:
                total = (similarity + PROPERTY_WEIGHT * sum(grades)) / (
                    1 + PROPERTY_WEIGHT * len(grades)
                )
                score = min(99, round(100 * total))
            scored.append((score, iri))
        scored.sort(key=lambda item: (-item[0], item[1]))
        exact = sum(1 for score, _ in scored if score == 100)
        return [
            Candidate(iri, score, score == 100 and exact == 1)
            for score, iri in scored[: query.limit]
        ]

    def suggest(self, prefix: str, types: frozenset[str]) -> list[str]:
        """Entities one of whose names starts with ``prefix``, or has a word that does."""
        wanted = fold(prefix)
        if not wanted:
            return []
        ranks: dict[str, tuple[int, int]] = {}
        for name in self.names:
            if name.text.startswith(wanted):
                rank = (0, len(name.text))
            elif f" {wanted}" in f" {name.text}":
                rank = (1, len(name.text))
            else:
                continue
            if types and types.isdisjoint(self.entities[name.iri].classes):
                continue
            ranks[name.iri] = min(rank, ranks.get(name.iri, rank))
        return sorted(ranks, key=lambda iri: (ranks[iri], iri))

    def _similar(self, wanted: str) -> dict[str, float]:
        """Entities with a name like ``wanted``: 1 for the same folded name, else below NEAR."""
        if not wanted:
            return {}
        grams = trigrams(wanted)
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(self._postings.get(gram, ()))
        words = frozenset(wanted.split())
        best: dict[str, float] = {}
        for position, count in shared.items():
            name = self.names[position]
            if name.text == wanted:
                similarity = 1.0
            else:
                dice = 2 * count / (len(grams) + name.grams)
                within = 0.5 + 0.4 * len(words) / len(name.words) if words <= name.words else 0
                similarity = NEAR * max(dice, within)
            if similarity >= MIN_SIMILARITY and similarity > best.get(name.iri, 0):
                best[name.iri] = similarity
        return best

    def _grade(self, entity: Entity, constraint: Constraint) -> float:
        """1 when a value meets the constraint, 0 when none does, ABSENT without values."""
        values = [v for p in constraint.properties for v in entity.values.get(p, ())]
        if not values:
            return ABSENT
        return 1.0 if any(self._meets(v, constraint) for v in values) else 0.0

    def _meets(self, value: Term, constraint: Constraint) -> bool:
        if not value.is_iri:
            return fold(value.value) in constraint.texts
        if value.value in constraint.iris:
            return True
        other = self.entities.get(value.value)
        names = other.names if other else set()
        last = fold(value.value.rsplit("/", 1)[-1])
        return last in constraint.texts or not constraint.texts.isdisjoint(names)


def type_iri(name: str) -> str:
    """A type named by its short name (``city``), a prefixed name or its IRI."""
    return DEFAULT_TYPES.get(name) or _expanded(name)


def property_iris(name: str, index: Index) -> tuple[str, ...]:
    """The properties a short name, prefixed name or IRI stands for; unknown ones refused."""
    found = SHORT_PROPERTIES.get(name) or (_expanded(name),)
    if index.used.isdisjoint(found):
        short = ", ".join(SHORT_PROPERTIES)
        raise QueryError(f"no entity has the property {name!r} (short names: {short})")
    return found


def _expanded(name: str) -> str:
    prefix, colon, local = name.partition(":")
    if colon and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return name


def parse_batch(batch: object, index: Index) -> dict[str, Query]:
    """The queries of a batch (``{"q0": {"query": …}, …}``), checked; QueryError when not."""
    if not isinstance(batch, Mapping):
        raise QueryError("`queries` must be a JSON object of queries by key")
    if len(batch) > MAX_QUERIES:
        raise QueryError(f"at most {MAX_QUERIES} queries per batch, not {len(batch)}")
    return {key: _query(f"queries.{key}", value, index) for key, value in batch.items()}


def _query(where: str, query: object, index: Index) -> Query:
    if not isinstance(query, Mapping):
        raise QueryError(f"{where}: a query must be a JSON object")
    text = query.get("query")
    if not isinstance(text, str):
        raise QueryError(f"{where}.query: a query needs the text to match, as a string")
    if len(text) > MAX_TEXT:
        raise QueryError(f"{where}.query: longer than {MAX_TEXT} characters")
    limit = query.get("limit")
    if limit is None:
        limit = DEFAULT_LIMIT
    elif isinstance(limit, str) and limit.isdigit():
        limit = int(limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"{where}.limit: must be an integer from 1 to {MAX_LIMIT}")
    types = set()
    for position, name in enumerate(_items(f"{where}.type", query.get("type"))):
        if not isinstance(name, str):
            raise QueryError(f"{where}.type[{position}]: a type is a string")
        types.add(type_iri(name))
    constraints = [
        _constraint(f"{where}.properties[{n}]", c, index)
        for n, c in enumerate(_items(f"{where}.properties", query.get("properties")))
    ]
    return Query(text, frozenset(types), limit, tuple(c for c in constraints if c.iris or c.texts))


def _items(where: str, value: object) -> list[object]:
    """A value that may be one item or a list of them (or absent), as a bounded list."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_ITEMS:
        raise QueryError(f"{where}: at most {MAX_ITEMS} items, not {len(items)}")
    return items


def _constraint(where: str, constraint: object, index: Index) -> Constraint:
    if not isinstance(constraint, Mapping):
        raise QueryError(f"{where}: a property constraint is an object with `pid` and `v`")
    pid = constraint.get("pid", constraint.get("p"))
    if not isinstance(pid, str) or not pid:
        raise QueryError(f"{where}.pid: the property, as an IRI or a short name")
    try:
        properties = property_iris(pid, index)
    except QueryError as exc:
        raise QueryError(f"{where}.pid: {exc}") from exc
    iris, texts = set(), set()
    for value in _items(f"{where}.v", constraint.get("v")):
        if value == "":
            continue  # a blank cell constrains nothing
        if isinstance(value, Mapping) and isinstance(value.get("id"), str):
            iris.add(index.iri_of(value["id"]))
        elif isinstance(value, bool):
            texts.add(str(value).lower())
        elif isinstance(value, str | int | float):
            iris.add(index.iri_of(str(value)))
            texts.add(fold(str(value)))
        else:
            raise QueryError(f"{where}.v: a value is a string, a number, a boolean or {{id}}")
    return Constraint(properties, frozenset(iris), frozenset(texts))


@dataclass(frozen=True)
class Extension:
    """A data extension request: which properties to read of which entities."""

    ids: tuple[str, ...]
    properties: tuple[tuple[str, tuple[str, ...]], ...]  # (id as asked, the IRIs it stands for)


def parse_extension(request: object, index: Index) -> Extension:
    """``{"ids": [...], "properties": [{"id": …}, …]}``, checked; QueryError when not."""
    if not isinstance(request, Mapping):
        raise QueryError("`extend` must be a JSON object with `ids` and `properties`")
    ids, properties = request.get("ids"), request.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise QueryError("extend.ids: a list of entity ids")
    if len(ids) > MAX_QUERIES:
        raise QueryError(f"extend.ids: at most {MAX_QUERIES} ids, not {len(ids)}")
    if not isinstance(properties, list) or not properties:
        raise QueryError("extend.properties: a list of {id} objects")
    if len(properties) > MAX_ITEMS:
        raise QueryError(f"extend.properties: at most {MAX_ITEMS}, not {len(properties)}")
    wanted = []
    for n, prop in enumerate(properties):
        pid = prop.get("id") if isinstance(prop, Mapping) else None
        if not isinstance(pid, str) or not pid:
            raise QueryError(f"extend.properties[{n}]: an object with the property's `id`")
        try:
            wanted.append((pid, property_iris(pid, index)))
        except QueryError as exc:
            raise QueryError(f"extend.properties[{n}]: {exc}") from exc
    return Extension(tuple(ids), tuple(wanted))
