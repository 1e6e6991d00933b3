"""What SHACL asks of literals: is the lexical form valid for its datatype, and how do two
literals compare (``sh:minInclusive`` …, ``sh:lessThan``)."""

from __future__ import annotations

import datetime
import decimal
import functools
import logging
import re

import pyoxigraph as ox
import rdflib

from publisher.shacl.graph import Term

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
_TZ = r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"(?P<year>-?([1-9]\d{4,}|\d{4}))"
_TIME = r"(([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?|24:00:00(\.0+)?)"
_DECIMAL = r"[+-]?(\d+(\.\d*)?|\.\d+)"
_LEXICAL = {  # XSD digits are ASCII: without re.ASCII, \d would take "١٢" for an integer
    name: re.compile(pattern, re.ASCII)
    for name, pattern in {
        "boolean": r"true|false|1|0",
        "decimal": _DECIMAL,
        "float": _DECIMAL + r"([eE][+-]?\d+)?|[+-]?INF|NaN",
        "double": _DECIMAL + r"([eE][+-]?\d+)?|[+-]?INF|NaN",
        "date": _YEAR + r"-(?P<month>\d\d)-(?P<day>\d\d)" + _TZ,
        "dateTime": _YEAR + r"-(?P<month>\d\d)-(?P<day>\d\d)T" + _TIME + _TZ,
        "dateTimeStamp": _YEAR
        + r"-(?P<month>\d\d)-(?P<day>\d\d)T"
        + _TIME
        + r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))",
        "time": _TIME + _TZ,
        "gYear": _YEAR + _TZ,
        "gYearMonth": _YEAR + r"-(?P<month>\d\d)" + _TZ,
    }.items()
}
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_UNBOUNDED = 10**100
_INTEGER_RANGES = {
    "integer": (-_UNBOUNDED, _UNBOUNDED),
    "nonNegativeInteger": (0, _UNBOUNDED),
    "positiveInteger": (1, _UNBOUNDED),
    "nonPositiveInteger": (-_UNBOUNDED, 0),
    "negativeInteger": (-_UNBOUNDED, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_RDFLIB_TERM_LOG = logging.getLogger("rdflib.term")


def well_formed(literal: ox.Literal) -> bool:
    """Whether the lexical form is in the lexical space of the literal's datatype (the XSD
    datatypes below; others are taken as well formed)."""
    return _well_formed(literal.value, literal.datatype.value)


@functools.lru_cache(maxsize=65536)
def _well_formed(lexical: str, datatype: str) -> bool:
    if not datatype.startswith(XSD):
        return True
    name = datatype[len(XSD) :]
    if name in _INTEGER_RANGES:
        low, high = _INTEGER_RANGES[name]
        return bool(_INTEGER.fullmatch(lexical)) and low <= int(lexical) <= high
    pattern = _LEXICAL.get(name)
    if pattern is None:
        return True
    match = pattern.fullmatch(lexical)
    if match is None:
        return False
    if "day" in pattern.groupindex:
        return _real_day(int(match["year"]), int(match["month"]), int(match["day"]))
    if "month" in pattern.groupindex:
        return 1 <= int(match["month"]) <= 12
    return True


def _real_day(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= (29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1])


def comparable(term: Term) -> tuple[str, object] | None:
    """A key that orders ``term`` among values of its kind (numbers, dates, date-times,
    strings), or ``None`` for a term no SPARQL comparison applies to."""
    if not isinstance(term, ox.Literal):
        return None
    if not well_formed(term):
        return None
    value = _python_value(term.value, term.datatype.value, term.language)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | decimal.Decimal):
        return "number", value
    if isinstance(value, datetime.datetime):
        return "dateTime", value
    if isinstance(value, datetime.date):
        return "date", value
    if term.datatype.value == XSD_STRING:
        return "string", term.value
    return None


def less(left: Term, right: Term, or_equal: bool) -> bool | None:
    """``left < right`` (or ``<=``), ``None`` when the two do not compare."""
    a, b = comparable(left), comparable(right)
    if a is None or b is None or a[0] != b[0]:
        return None
    try:
        return a[1] <= b[1] if or_equal else a[1] < b[1]  # type: ignore[operator]
    except TypeError:  # a date-time with a time zone and one without
        return None


@functools.lru_cache(maxsize=65536)
def _python_value(lexical: str, datatype: str, language: str | None) -> object:
    """rdflib's Python value of a well-formed literal (a number, a date …)."""
    if language is not None:
        return lexical
    level = _RDFLIB_TERM_LOG.level
    _RDFLIB_TERM_LOG.setLevel(logging.CRITICAL)  # rdflib logs every value it cannot convert
    try:
        return rdflib.Literal(lexical, datatype=rdflib.URIRef(datatype)).toPython()
    finally:
        _RDFLIB_TERM_LOG.setLevel(level)
