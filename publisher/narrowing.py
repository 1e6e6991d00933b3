"""Narrow a query's substring filters with the release's text index, for the same answer.

Oxigraph evaluates ``?s rdfs:label ?label FILTER(CONTAINS(LCASE(STR(?label)), "word"))`` by
reading every label in the store. When a group binds ``?v`` in one of its own triple patterns
and filters it with ``CONTAINS(x, "word")``, x being ``?v``, ``STR(?v)``, ``LCASE(?v)`` or
``LCASE(STR(?v))`` (the whole filter, or one of its ``&&`` terms), the group is given
``VALUES ?v { … }``: the terms of the store whose string contains the word, from the index.
The solutions are the same: in each of the group's solutions ``?v`` is a term of the store
(its triple pattern binds it), any solution the filter keeps has ``?v`` among those terms, and
the filter still runs. Whatever this reading is not sure of leaves the query as it is: property
paths (a zero-length path can bind a term of the query rather than of the store), a variable
bound only in a nested group (OPTIONAL, UNION, a sub-query), a word that is not printable
ASCII or has escapes (lower-casing would then have to agree with the store's to the letter),
more candidates than the index gives, filters past the first ``MAX_LOOKUPS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from publisher.sparql import QuerySyntaxError, Token, read_prologue, read_tokens
from publisher.text_index import TextIndex

# The filters narrowed, as token shapes ("?" a variable, '"' a string), and whether the
# variable's IRIs can match (STR of an IRI is its string; CONTAINS and LCASE of one fail).
_SHAPES = {
    'CONTAINS ( ? , " )': False,
    'CONTAINS ( STR ( ? ) , " )': True,
    'CONTAINS ( LCASE ( ? ) , " )': False,
    'CONTAINS ( LCASE ( STR ( ? ) ) , " )': True,
}
# Each lookup reads the whole index (~10 ms at 1 M triples) and may add 1,000 terms to the
# query: a query of many filters is narrowed in its first few only.
MAX_LOOKUPS = 8
_OPENING = {"(": ")", "{": "}", "[": "]"}
_PUNCTUATION = frozenset(".,;()[]-@0123456789")  # of triple patterns without paths
_TERMS = frozenset(("var", "iri", "pname", "bnode", "string"))
_SUBJECT, _PREDICATE, _OBJECT = 0, 1, 2  # a term's place in its triple pattern


def narrow_query(text: str, index: TextIndex) -> str:
    """``text`` with the candidates of its narrowable substring filters as VALUES."""
    if "contains" not in text.lower():
        return text
    tokens = read_tokens(text)
    closing = _closing(tokens)
    if closing is None:
        return text  # unbalanced: the store's parser will say where
    groups = _groups(tokens)
    prologue = read_prologue(tokens, "")

    def literal_valued(predicate: Token) -> bool:
        try:
            return predicate.kind in ("iri", "pname") and (
                prologue.resolve(predicate) in index.literal_valued
            )
        except QuerySyntaxError:  # an undeclared prefix: the store's parser will say so
            return False

    narrowed: dict[tuple[int, str], list[str]] = {}
    bound: dict[int, _Bound | None] = {}
    lookups = 0
    for i, token in enumerate(tokens):
        if not token.is_word("FILTER") or i not in groups:
            continue
        group = groups[i]
        if group not in bound:
            bound[group] = _bound_in(tokens, group, closing, literal_valued)
        found = bound[group]
        for variable, word, with_iris in _substring_tests(tokens, i, closing):
            if found is None or variable not in found.variables or lookups == MAX_LOOKUPS:
                continue
            lookups += 1
            candidates = index.containing(word, with_iris and variable not in found.literals)
            if candidates is None:
                continue
            key = (group, variable)
            kept = narrowed.get(key)
            narrowed[key] = candidates if kept is None else sorted(set(kept) & set(candidates))
    for (group, variable), candidates in sorted(narrowed.items(), reverse=True):
        at = tokens[group].start + 1
        text = f"{text[:at]} VALUES ?{variable} {{ {' '.join(candidates)} }} {text[at:]}"
    return text


def _closing(tokens: Sequence[Token]) -> dict[int, int] | None:
    """The index of the bracket closing each opening one; None when they do not balance."""
    closing, stack = {}, []
    for i, token in enumerate(tokens):
        if token.kind != "other":
            continue
        if token.text in _OPENING:
            stack.append(i)
        elif token.text in _OPENING.values():
            if not stack or _OPENING[tokens[stack[-1]].text] != token.text:
                return None
            closing[stack.pop()] = i
    return None if stack else closing


def _groups(tokens: Sequence[Token]) -> dict[int, int]:
    """For each token inside braces, the index of the innermost ``{`` around it."""
    groups, stack = {}, []
    for i, token in enumerate(tokens):
        if stack:
            groups[i] = stack[-1]
        if token.kind == "other" and token.text == "{":
            stack.append(i)
        elif token.kind == "other" and token.text == "}" and stack:
            stack.pop()
    return groups


@dataclass(frozen=True)
class _Bound:
    """What a group's own triple patterns bind: its variables, and those of them that are the
    object of a predicate whose objects are all literals (so never an IRI)."""

    variables: frozenset[str]
    literals: frozenset[str]


def _bound_in(
    tokens: Sequence[Token],
    group: int,
    closing: dict[int, int],
    literal_valued: Callable[[Token], bool],
) -> _Bound | None:
    """What the group's own triple patterns bind; None when the group holds something else
    than plain triple patterns and filters at its level (a path, a sub-query, a token this
    reading does not know). Each term's place in its triple (subject, predicate, object) is
    followed until something this reading does not follow (a bracket, a number, a language
    tag), and from there to the next ``.`` it names no object."""
    variables: set[str] = set()
    literals: set[str] = set()
    place: int | None = _SUBJECT
    predicate = Token("other", "")
    i, end = group + 1, closing[group]
    while i < end:
        token = tokens[i]
        following = tokens[i + 1] if i + 1 < end else Token("other", "")
        if token.text == "{" and token.kind == "other":
            i, place = closing[i] + 1, _SUBJECT
        elif token.is_word("FILTER", "BIND"):
            if following.text == "(":
                i = closing[i + 1] + 1
            elif following.kind in ("word", "pname") and i + 2 in closing:
                i = closing[i + 2] + 1
            else:
                i += 1  # NOT EXISTS { … } or EXISTS { … }: the group is skipped next
            place = _SUBJECT
        elif token.is_word("VALUES"):  # its variables, then its data block, skipped
            i = closing[i + 1] + 1 if i + 1 in closing else i + 2
        elif token.is_word("GRAPH", "SERVICE"):
            i += 3 if following.is_word("SILENT") else 2
        elif token.is_word("SELECT"):
            return None
        elif token.kind in _TERMS or token.text in ("a", "true", "false"):
            if token.kind == "var":
                variables.add(token.text[1:])
                if place == _OBJECT and literal_valued(predicate):
                    literals.add(token.text[1:])
            if place == _PREDICATE:
                predicate = token
            place = None if place is None or place > _OBJECT else place + 1
            i += 1
        elif token.kind == "other" and token.text in ".;,":
            if place is not None or token.text == ".":
                place = {".": _SUBJECT, ";": _PREDICATE, ",": _OBJECT}[token.text]
            i += 1
        elif token.kind == "other" and token.text not in _PUNCTUATION:
            if not (token.text == "^" and following.text == "^" and tokens[i - 1].kind == "string"):
                return None
            i, place = i + 2, None
        else:  # a keyword before a group (OPTIONAL, MINUS, UNION), or what is not followed
            i, place = i + 1, _SUBJECT if token.kind == "word" else None
    return _Bound(frozenset(variables), frozenset(literals))


def _substring_tests(
    tokens: Sequence[Token], at: int, closing: dict[int, int]
) -> list[tuple[str, str, bool]]:
    """The narrowable tests of the FILTER at ``at``: (variable, word in lower case, whether
    IRIs can match) for the filter as a whole or each of its ``&&`` terms."""
    following = tokens[at + 1] if at + 1 < len(tokens) else None
    if following is None:
        return []
    if following.text == "(":
        terms = _conjuncts(tokens, at + 2, closing[at + 1], closing)
    elif at + 2 in closing:
        terms = [(at + 1, closing[at + 2] + 1)]
    else:
        return []
    tests = []
    for start, stop in terms:
        part = tokens[start:stop]
        shape = " ".join(_shape(t) for t in part)
        if shape not in _SHAPES:
            continue
        word = _plain_ascii(next(t for t in part if t.kind == "string").text)
        if word:
            variable = next(t for t in part if t.kind == "var").text[1:]
            tests.append((variable, word.lower(), _SHAPES[shape]))
    return tests


def _conjuncts(
    tokens: Sequence[Token], start: int, stop: int, closing: dict[int, int]
) -> list[tuple[int, int]]:
    """The spans of the ``&&`` terms of the expression ``tokens[start:stop]``; none when
    it has a ``||`` at its top level (its terms are then not each required)."""
    spans, i, term_start = [], start, start
    while i < stop:
        token = tokens[i]
        if token.kind == "other" and token.text in "([{" and i in closing:
            i = closing[i] + 1
            continue
        if token.text == "|":
            return []
        if token.text == "&" and i + 1 < stop and tokens[i + 1].text == "&":
            spans.append((term_start, i))
            i += 2
            term_start = i
            continue
        i += 1
    spans.append((term_start, stop))
    return spans


def _shape(token: Token) -> str:
    if token.kind == "var":
        return "?"
    if token.kind == "string":
        return '"'
    return token.text.upper() if token.kind == "word" else token.text


def _plain_ascii(literal: str) -> str | None:
    """The text of a quoted string without escapes, if it is printable ASCII."""
    quotes = 3 if literal[:3] in ('"""', "'''") else 1
    text = literal[quotes:-quotes]
    if text and "\\" not in text and all(" " <= c <= "~" for c in text):
        return text
    return None
