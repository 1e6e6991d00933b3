"""Score a candidate item for an entity, with the reasons a maintainer reads to decide.

Points: the name (up to 40: the entity's label as the item's label; less for aliases, former
names, or a match only after ignoring case and accents), the type (30 when the item is an
instance of a class expected for the entity's type, 20 for a subclass of one), the country
(+30 when it is the entity's, -30 when it is another). Scores run from 0 to 100.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from publisher.linking.entities import Entity
from publisher.linking.queries import Hit, Item
from publisher.text import fold

# Classes (P31, or one P279 step up) an item of each type is expected to be an instance of.
EXPECTED_CLASSES: dict[str, dict[str, str]] = {
    "person": {"Q5": "human"},
    "city": {
        "Q515": "city",
        "Q1549591": "big city",
        "Q5119": "capital city",
        "Q3957": "town",
        "Q15284": "municipality",
        "Q486972": "human settlement",
        "Q56061": "administrative territorial entity",
    },
    "country": {"Q6256": "country", "Q3624078": "sovereign state"},
    "organization": {
        "Q43229": "organization",
        "Q484652": "international organization",
        "Q245065": "intergovernmental organization",
        "Q163740": "nonprofit organization",
        "Q327333": "government agency",
        "Q4830453": "business",
    },
    "event": {"Q1656682": "event", "Q2761147": "meeting", "Q1190554": "occurrence"},
    "agreement": {"Q93288": "contract", "Q131569": "treaty", "Q49848": "document"},
    "initiative": {"Q170584": "project", "Q618779": "award", "Q43229": "organization"},
}
# (what the name is to the entity, what it is on the item) -> points.
NAME_POINTS: dict[tuple[str, str], int] = {
    ("label", "label"): 40,
    ("label", "alias"): 30,
    ("alias", "label"): 30,
    ("alias", "alias"): 25,
    ("former name", "label"): 25,
    ("former name", "alias"): 20,
}
INEXACT_PENALTY = 5
CLASS_POINTS = 30
SUPERCLASS_POINTS = 20
COUNTRY_POINTS = 30
MAX_SCORE = 100


@dataclass(frozen=True)
class Candidate:
    """An item proposed for an entity."""

    entity: str
    qid: str
    label: str
    description: str
    score: int
    reasons: tuple[str, ...]


def score(entity: Entity, item: Item, hits: Sequence[Hit]) -> Candidate:
    """Score ``item`` as the entity's Wikidata item, given the names it was found under."""
    points, reasons = _name(hits)
    for check in (_type, _country):
        more, reason = check(entity, item)
        points += more
        if reason:
            reasons.append(reason)
    return Candidate(
        entity=entity.key,
        qid=item.qid,
        label=item.label,
        description=item.description,
        score=max(0, min(MAX_SCORE, points)),
        reasons=tuple(reasons),
    )


def _name(hits: Sequence[Hit]) -> tuple[int, list[str]]:
    def value(hit: Hit) -> int:
        return NAME_POINTS[hit.name.kind, hit.via] - (0 if hit.exact else INEXACT_PENALTY)

    best = max(hits, key=value)
    how = "" if best.exact else " (ignoring case and accents)"
    reason = f'its {best.via} is the entity\'s {best.name.kind} "{best.name.text}"{how}'
    return value(best), [reason]


def _type(entity: Entity, item: Item) -> tuple[int, str]:
    expected = EXPECTED_CLASSES.get(entity.type, {})
    direct = sorted(item.classes & expected.keys())
    if direct:
        return CLASS_POINTS, f"instance of {expected[direct[0]]} ({direct[0]})"
    inherited = sorted(item.superclasses & expected.keys())
    if inherited:
        qid = inherited[0]
        return SUPERCLASS_POINTS, f"instance of a subclass of {expected[qid]} ({qid})"
    if not item.classes:
        return 0, "no instance of (P31) to compare"
    return 0, f"instance of no class expected for type {entity.type}"


def _country(entity: Entity, item: Item) -> tuple[int, str]:
    ours = entity.country
    if ours is None:
        return 0, ""
    if not item.countries:
        return 0, f"no country (P17) to compare with the entity's ({ours.label})"
    for qid, labels in sorted(item.countries.items()):
        same_label = bool({fold(text) for text in labels.values()} & ours.names)
        if qid == ours.qid or (ours.qid is None and same_label):
            return COUNTRY_POINTS, f"country {_named(qid, labels)} is the entity's ({ours.label})"
    qid, labels = sorted(item.countries.items())[0]
    reason = f"country {_named(qid, labels)} is not the entity's ({ours.label})"
    return -COUNTRY_POINTS, reason


def _named(qid: str, labels: dict[str, str]) -> str:
    label = labels.get("en") or labels.get("fr")
    return f"{label} ({qid})" if label else qid
