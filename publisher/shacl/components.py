"""The SHACL Core constraint components: each checks the value nodes of one focus node and
yields what fails, with the default message used when the shape has no ``sh:message``."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Protocol

import pyoxigraph as ox

from publisher.shacl.graph import DataGraph, Term
from publisher.shacl.literals import less, well_formed
from publisher.shacl.paths import Predicate

if TYPE_CHECKING:
    from publisher.shacl.model import Shape


class Finding(NamedTuple):
    """A failed check: the offending value (``None`` for a count) and, for ``sh:closed``,
    the predicate that is not allowed."""

    value: Term | None
    path: Predicate | None = None


class Context(Protocol):
    """What a check may ask of the validation it runs in."""

    graph: DataGraph

    def conforms(self, shape: Shape, node: Term) -> bool: ...


Values = Sequence[Term]


@dataclass(frozen=True)
class ClassIs:
    cls: Term
    component = "ClassConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        for v in values:
            if not ctx.graph.is_instance(v, self.cls):
                yield Finding(v)

    def message(self) -> str:
        return f"Value is not an instance of <{self.cls.value}>"


@dataclass(frozen=True)
class DatatypeIs:
    datatype: ox.NamedNode
    component = "DatatypeConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        for v in values:
            if not (isinstance(v, ox.Literal) and v.datatype == self.datatype and well_formed(v)):
                yield Finding(v)

    def message(self) -> str:
        return f"Value is not a well-formed literal of datatype <{self.datatype.value}>"


NODE_KINDS = {
    "IRI": (ox.NamedNode,),
    "BlankNode": (ox.BlankNode,),
    "Literal": (ox.Literal,),
    "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode),
    "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
    "IRIOrLiteral": (ox.NamedNode, ox.Literal),
}


@dataclass(frozen=True)
class NodeKindIs:
    kind: str  # the local name of sh:IRI, sh:BlankNode …
    component = "NodeKindConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        kinds = NODE_KINDS[self.kind]
        for v in values:
            if not isinstance(v, kinds):
                yield Finding(v)

    def message(self) -> str:
        return f"Value is not of node kind sh:{self.kind}"


@dataclass(frozen=True)
class Count:
    """``sh:minCount`` (``at_least``) or ``sh:maxCount``."""

    limit: int
    at_least: bool

    @property
    def component(self) -> str:
        return "MinCountConstraintComponent" if self.at_least else "MaxCountConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        if len(values) < self.limit if self.at_least else len(values) > self.limit:
            yield Finding(None)

    def message(self) -> str:
        return f"{'Fewer' if self.at_least else 'More'} than {self.limit} values"


_RANGES = {
    "minExclusive": (">", False),
    "minInclusive": (">=", True),
    "maxExclusive": ("<", False),
    "maxInclusive": ("<=", True),
}


@dataclass(frozen=True)
class Range:
    parameter: str  # minExclusive, minInclusive, maxExclusive or maxInclusive
    bound: Term

    @property
    def component(self) -> str:
        return self.parameter[0].upper() + self.parameter[1:] + "ConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        _, or_equal = _RANGES[self.parameter]
        for v in values:
            ordered = (
                less(self.bound, v, or_equal)
                if self.parameter.startswith("min")
                else less(v, self.bound, or_equal)
            )
            if not ordered:
                yield Finding(v)

    def message(self) -> str:
        return f"Value is not {_RANGES[self.parameter][0]} {self.bound}"


@dataclass(frozen=True)
class Length:
    limit: int
    at_least: bool

    @property
    def component(self) -> str:
        return "MinLengthConstraintComponent" if self.at_least else "MaxLengthConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        for v in values:
            if isinstance(v, ox.BlankNode) or self._fails(len(v.value)):
                yield Finding(v)

    def _fails(self, size: int) -> bool:
        return size < self.limit if self.at_least else size > self.limit

    def message(self) -> str:
        side = "shorter" if self.at_least else "longer"
        return f"Value is {side} than {self.limit} characters"


_REGEX_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]
    component = "PatternConstraintComponent"

    @classmethod
    def compile(cls, pattern: str, flags: str) -> Pattern:
        """A ``sh:pattern`` with its ``sh:flags`` (XPath flags ``i m s x q``)."""
        if "q" in flags:
            pattern = re.escape(pattern)
        value = 0
        for flag in flags.replace("q", ""):
            value |= _REGEX_FLAGS[flag]
        return cls(re.compile(pattern, value))

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        for v in values:
            if isinstance(v, ox.BlankNode) or not self.regex.search(v.value):
                yield Finding(v)

    def message(self) -> str:
        return f"Value does not match the pattern {self.regex.pattern!r}"


def _lang_matches(tag: str, wanted: str) -> bool:
    tag, wanted = tag.lower(), wanted.lower()
    return wanted == "*" or tag == wanted or tag.startswith(wanted + "-")


@dataclass(frozen=True)
class LanguageIn:
    ranges: tuple[str, ...]
    component = "LanguageInConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        for v in values:
            tag = v.language if isinstance(v, ox.Literal) else None
            if not tag or not any(_lang_matches(tag, r) for r in self.ranges):
                yield Finding(v)

    def message(self) -> str:
        return f"Value is not a literal in one of the languages {', '.join(self.ranges)}"


@dataclass(frozen=True)
class UniqueLang:
    component = "UniqueLangConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        tags = Counter(
            v.language.lower() for v in values if isinstance(v, ox.Literal) and v.language
        )
        for _ in (tag for tag, count in tags.items() if count > 1):
            yield Finding(None)

    def message(self) -> str:
        return "More than one value in the same language"


@dataclass(frozen=True)
class PropertyPair:
    """``sh:equals``, ``sh:disjoint``, ``sh:lessThan`` and ``sh:lessThanOrEquals``."""

    parameter: str
    predicate: ox.NamedNode

    @property
    def component(self) -> str:
        return self.parameter[0].upper() + self.parameter[1:] + "ConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        others = ctx.graph.objects(focus, self.predicate)
        if self.parameter == "equals":
            mine = set(values)
            theirs = set(others)
            yield from (Finding(v) for v in values if v not in theirs)
            yield from (Finding(v) for v in dict.fromkeys(others) if v not in mine)
        elif self.parameter == "disjoint":
            theirs = set(others)
            yield from (Finding(v) for v in values if v in theirs)
        else:
            or_equal = self.parameter == "lessThanOrEquals"
            for v in values:
                if not all(less(v, other, or_equal) for other in others):
                    yield Finding(v)

    def message(self) -> str:
        return f"Value breaks sh:{self.parameter} <{self.predicate.value}>"


@dataclass(frozen=True)
class HasValue:
    value: Term
    component = "HasValueConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        if self.value not in values:
            yield Finding(None)

    def message(self) -> str:
        return f"Missing the value {self.value}"


@dataclass(frozen=True)
class In:
    allowed: frozenset[Term]
    component = "InConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        for v in values:
            if v not in self.allowed:
                yield Finding(v)

    def message(self) -> str:
        return "Value is not one of the allowed values"


@dataclass(frozen=True)
class Closed:
    allowed: frozenset[ox.NamedNode]
    component = "ClosedConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        for v in values:
            for predicate, obj in ctx.graph.predicate_objects(v):
                if predicate not in self.allowed:
                    yield Finding(obj, Predicate(predicate))

    def message(self) -> str:
        return "Property not allowed by a closed shape"


@dataclass(frozen=True, eq=False)
class Logical:
    """``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone`` and ``sh:node`` over other shapes."""

    parameter: str  # not, and, or, xone, node
    shapes: tuple[Shape, ...]

    @property
    def component(self) -> str:
        return self.parameter[0].upper() + self.parameter[1:] + "ConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        for v in values:
            if not self._holds(ctx, v):
                yield Finding(v)

    def _holds(self, ctx: Context, node: Term) -> bool:
        if self.parameter == "not":
            return not ctx.conforms(self.shapes[0], node)
        if self.parameter in ("and", "node"):
            return all(ctx.conforms(s, node) for s in self.shapes)
        if self.parameter == "or":
            return any(ctx.conforms(s, node) for s in self.shapes)
        return sum(ctx.conforms(s, node) for s in self.shapes) == 1

    def message(self) -> str:
        names = {"not": "conforms to a shape it must not", "node": "does not conform to a shape"}
        return "Value " + names.get(self.parameter, f"fails sh:{self.parameter}")


@dataclass(frozen=True, eq=False)
class Qualified:
    """``sh:qualifiedValueShape`` with its counts; ``siblings`` are the other qualified shapes
    a value must not conform to when ``sh:qualifiedValueShapesDisjoint`` is true."""

    shape: Shape
    minimum: int | None
    maximum: int | None
    siblings: tuple[Shape, ...]

    @property
    def component(self) -> str:
        if self.minimum is not None:
            return "QualifiedMinCountConstraintComponent"
        return "QualifiedMaxCountConstraintComponent"

    def check(self, ctx: Context, focus: Term, values: Values) -> Iterator[Finding]:
        count = sum(
            1
            for v in values
            if ctx.conforms(self.shape, v) and not any(ctx.conforms(s, v) for s in self.siblings)
        )
        if (self.minimum is not None and count < self.minimum) or (
            self.maximum is not None and count > self.maximum
        ):
            yield Finding(None)

    def message(self) -> str:
        if self.minimum is not None:
            return f"Fewer than {self.minimum} values conform to the qualified shape"
        return f"More than {self.maximum} values conform to the qualified shape"


Constraint = (
    ClassIs
    | DatatypeIs
    | NodeKindIs
    | Count
    | Range
    | Length
    | Pattern
    | LanguageIn
    | UniqueLang
    | PropertyPair
    | HasValue
    | In
    | Closed
    | Logical
    | Qualified
)
