"""Inspect a public SPARQL request before it runs: its form, updates, LOAD and SERVICE calls.

Nothing here executes a query or fetches anything. A lexer reads the text the way Oxigraph's
parser does (strings, comments, IRIs, prefixed names and variables are single tokens; codepoint
escapes are not expanded outside them) and finds the query form and every ``SERVICE`` target.
Oxigraph matches keywords without a word boundary (``SERVICESILENT<x>``, ``1e1SERVICE<x>`` and
``SERVICE:x`` all call a service), so a bare word containing SERVICE, or a prefixed name whose
prefix contains it and that opens a group, counts as a SERVICE call: refusing a strange query
is acceptable, fetching from an endpoint off the allow-list is not.

Syntax errors are reported by the store's own parser when the query is handed to it (the parser
rejects the text before anything is evaluated); rdflib's parser is not used as a judge, because
it rejects valid queries Oxigraph runs (a ``#`` in an IRI before SERVICE on the same line; more
than about a hundred triple patterns in one group) and expands escapes Oxigraph does not.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin

from pyparsing import ParseBaseException
from rdflib.plugins.sparql.parser import parseQuery

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_WORDS = frozenset(
    ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
)
# Words after which a prefixed name followed by "{" names a graph or a resource, not a service.
NAMING_WORDS = frozenset(("GRAPH", "SERVICE", "SILENT", "DESCRIBE", "FROM", "NAMED"))

_NAME_START = "A-Za-z\u00c0-\U000effff"
_NAME = r"\w\-\u00b7\u00c0-\U000effff"
_TERMINALS = (
    ("space", r"\s+"),
    ("comment", r"#[^\n\r]*"),
    ("string", r"'''(?:[^'\\]|\\.|'(?!''))*'''"),
    ("string", r'"""(?:[^"\\]|\\.|"(?!""))*"""'),
    ("string", r"'(?:[^'\\\n\r]|\\.)*'"),
    ("string", r'"(?:[^"\\\n\r]|\\.)*"'),
    ("iri", r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"),
    ("var", rf"[?$][{_NAME}]+"),
    ("bnode", rf"_:[{_NAME}.]*"),
    (
        "pname",
        rf"(?:[{_NAME_START}](?:[{_NAME}.]*[{_NAME}])?)?:"
        rf"(?:[{_NAME}:%]|\\[_~.\-!$&'()*+,;=/?#@%]|\.(?=[{_NAME}:%\\]))*",
    ),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("other", r"."),
)
_LEXER = re.compile("|".join(f"(?P<{k}{i}>{p})" for i, (k, p) in enumerate(_TERMINALS)), re.DOTALL)
_ERROR_AT = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_RDFLIB_POSITION = re.compile(r"\s+\(at char \d+\), \(line:\d+, col:\d+\)$")
_PARSER_LOCK = threading.Lock()  # pyparsing grammars are shared module state
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class SparqlRequestError(ValueError):
    """A request refused before it runs; ``status`` is the HTTP status to answer with."""

    status = 400


class QuerySyntaxError(SparqlRequestError):
    """The text cannot be a SPARQL 1.1 query; the message says why."""


class UpdateRefusedError(SparqlRequestError):
    """An update (LOAD included) sent to the read-only endpoint."""

    status = 403


class ServiceRefusedError(SparqlRequestError):
    """A SERVICE call to an endpoint that is not on the allow-list."""

    status = 403


@dataclass(frozen=True)
class Token:
    """One lexical unit: ``iri``, ``pname``, ``var``, ``word``, ``string`` or ``other``."""

    kind: str
    text: str
    start: int = 0

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


@dataclass(frozen=True)
class QueryInfo:
    """What the endpoint needs to know about a query before it runs it."""

    form: str  # SELECT, CONSTRUCT, DESCRIBE or ASK
    services: tuple[str, ...]  # the SERVICE endpoints it calls (all allow-listed)

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


def read_tokens(text: str) -> list[Token]:
    """The tokens of a SPARQL text, without spaces and comments."""
    tokens = []
    for match in _LEXER.finditer(text):
        kind = (match.lastgroup or "other").rstrip("0123456789")
        if kind not in ("space", "comment"):
            tokens.append(Token(kind, match.group(), match.start()))
    return tokens


@dataclass
class Prologue:
    """A query's BASE and PREFIX declarations."""

    base: str
    prefixes: dict[str, str]
    end: int  # index of the first token after the prologue

    def resolve(self, token: Token) -> str:
        """The absolute IRI an ``iri`` or ``pname`` token stands for."""
        if token.kind == "iri":
            value = _UCHAR.sub(lambda m: chr(int(m[1] or m[2], 16)), token.text[1:-1])
            return urljoin(self.base, value)
        prefix, _, local = token.text.partition(":")
        if prefix not in self.prefixes:
            raise QuerySyntaxError(f"the prefix {prefix}: is not declared (in {token.text})")
        return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)


def read_prologue(tokens: Sequence[Token], base: str) -> Prologue:
    """The declarations the tokens start with; ``base`` until a BASE says otherwise."""
    prologue = Prologue(base, {}, 0)
    i = 0
    while i < len(tokens):
        token, following = tokens[i], tokens[i + 1 : i + 3]
        if token.is_word("BASE") and following and following[0].kind == "iri":
            prologue.base = prologue.resolve(following[0])
            i += 2
        elif (
            token.is_word("PREFIX")
            and len(following) == 2
            and following[0].kind == "pname"
            and following[1].kind == "iri"
        ):
            prologue.prefixes[following[0].text.partition(":")[0]] = prologue.resolve(following[1])
            i += 3
        else:
            break
    prologue.end = i
    return prologue


def refusal_of_update(text: str) -> UpdateRefusedError:
    """The refusal of an update request, naming LOAD when the text loads something."""
    if any(t.kind == "word" and "LOAD" in t.text.upper() for t in read_tokens(text)):
        return UpdateRefusedError(
            "LOAD is refused: this endpoint is read-only and never fetches data for a request"
        )
    return UpdateRefusedError(
        "SPARQL updates are refused: this endpoint is read-only (SPARQL 1.1 Query only)"
    )


def _service_targets(tokens: Sequence[Token]) -> Iterator[Token | None]:
    """The endpoint token of every SERVICE call (None when no valid endpoint follows)."""
    for i, token in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        before = tokens[i - 1] if i else None
        if token.kind == "word":
            _, found, rest = token.text.upper().partition("SERVICE")
            if not found:
                continue
            if rest == "" and after is not None and after.is_word("SILENT"):
                after = tokens[i + 2] if i + 2 < len(tokens) else None
            yield after if rest in ("", "SILENT") else None
        elif token.kind == "pname" and after is not None and after.text == "{":
            prefix, _, local = token.text.partition(":")
            head, found, rest = prefix.upper().partition("SERVICE")
            if not found or (before is not None and before.is_word(*NAMING_WORDS)):
                continue
            rest = prefix[len(head) + len(found) :]
            rest = rest[6:] if rest.upper().startswith("SILENT") else rest
            yield Token("pname", f"{rest}:{local}")


def _check_services(
    tokens: Sequence[Token], prologue: Prologue, allowed: Sequence[str]
) -> tuple[str, ...]:
    found: list[str] = []
    listed = ", ".join(allowed) or "none"
    for target in _service_targets(tokens):
        if target is None or target.kind not in ("iri", "pname", "var"):
            raise QuerySyntaxError("SERVICE must be followed by the IRI of an endpoint")
        if target.kind == "var":
            raise ServiceRefusedError(
                f"SERVICE {target.text} is refused: a federated query must name its endpoint, "
                f"one of the allowed endpoints ({listed})"
            )
        endpoint = prologue.resolve(target)
        if endpoint not in allowed:
            raise ServiceRefusedError(
                f"SERVICE <{endpoint}> is refused: that endpoint is not on this server's "
                f"allow-list; allowed endpoints: {listed}"
            )
        if endpoint not in found:
            found.append(endpoint)
    return tuple(found)


@dataclass(frozen=True)
class DatasetClauses:
    """A query's FROM and FROM NAMED graphs, and its text without those clauses."""

    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def split_dataset(text: str, base_iri: str) -> DatasetClauses:
    """Take the dataset clauses out of a query, for a store given its dataset by the protocol.

    Relative IRIs resolve against the query's BASE, else ``base_iri``. The clauses are blanked
    out, newlines kept, so line numbers in the store's messages still match the query.
    """
    tokens = read_tokens(text)
    prologue = read_prologue(tokens, base_iri)
    graphs: dict[bool, list[str]] = {False: [], True: []}
    pieces, kept_from = [], 0
    for i, token in enumerate(tokens):
        if i < prologue.end or not token.is_word("FROM"):
            continue
        named = i + 1 < len(tokens) and tokens[i + 1].is_word("NAMED")
        target = tokens[i + 1 + named] if i + 1 + named < len(tokens) else None
        if target is None or target.kind not in ("iri", "pname"):
            continue  # not a dataset clause the store could run; its parser will say so
        graphs[named].append(prologue.resolve(target))
        end = target.start + len(target.text)
        pieces += [text[kept_from : token.start], re.sub(r"[^\n]", " ", text[token.start : end])]
        kept_from = end
    pieces.append(text[kept_from:])
    return DatasetClauses("".join(pieces), tuple(graphs[False]), tuple(graphs[True]))


def position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (both from 1) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _check_prefixes(text: str, tokens: Sequence[Token], prologue: Prologue) -> None:
    for i, token in enumerate(tokens[prologue.end :], prologue.end):
        prefix = token.text.partition(":")[0]
        if token.kind != "pname" or prefix in prologue.prefixes:
            continue
        if "SERVICE" in prefix.upper() and i + 1 < len(tokens) and tokens[i + 1].text == "{":
            continue  # a SERVICE call glued to its endpoint, checked above
        line, column = position(text, token.start)
        raise QuerySyntaxError(
            f"the prefix {prefix}: is not declared (line {line}, column {column}, in "
            f"{token.text}); add PREFIX {prefix}: <…> before the query"
        )


def inspect_query(text: str, allowed_services: Sequence[str], base_iri: str) -> QueryInfo:
    """Check a query text; raise SparqlRequestError (with its status) if it must not run.

    Relative IRIs resolve against ``base_iri`` (the endpoint), as they will when the query runs.
    """
    tokens = read_tokens(text)
    prologue = read_prologue(tokens, base_iri)
    form = _form(text, tokens, prologue)
    services = _check_services(tokens, prologue, allowed_services)
    _check_prefixes(text, tokens, prologue)
    return QueryInfo(form, services)


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the form of a query text."""
    tokens = read_tokens(text)
    return _form(text, tokens, read_prologue(tokens, ""))


def _form(text: str, tokens: Sequence[Token], prologue: Prologue) -> str:
    if not tokens:
        raise QuerySyntaxError("the query is empty")
    lead = tokens[prologue.end] if prologue.end < len(tokens) else Token("other", "")
    if lead.kind == "word" and lead.text.upper() in UPDATE_WORDS:
        raise refusal_of_update(text)
    if not (lead.kind == "word" and lead.text.upper() in QUERY_FORMS):
        shown = lead.text or "the end of the text"
        raise QuerySyntaxError(
            f"a query starts (after BASE and PREFIX declarations) with SELECT, CONSTRUCT, "
            f"DESCRIBE or ASK; found {shown!r}"
        )
    return lead.text.upper()


def _pointed(text: str, line: int, column: int, reason: str) -> str:
    lines = text.splitlines()
    shown = lines[line - 1] if 0 < line <= len(lines) else ""
    pointer = " " * max(column - 1, 0) + "^"
    return f"syntax error at line {line}, column {column}: {reason}\n{shown}\n{pointer}"


def explain_failure(message: str, text: str, first_line: int = 1) -> str:
    """A readable message for the store's refusal of ``text`` (which began at ``first_line``).

    A syntax error is pointed at in the query; when rdflib's parser also rejects the text its
    message is used, as it names what was found where (the store only lists what it expected,
    or, for a remote store, gives no column).
    """
    match = _ERROR_AT.match(message)
    try:
        with _PARSER_LOCK:
            parseQuery(text)
    except ParseBaseException as exc:
        return _pointed(text, exc.lineno, exc.col, _RDFLIB_POSITION.sub("", str(exc)))
    except (RecursionError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        pass
    if match is None:
        return message
    reason = match[3] if len(match[3]) <= 200 else match[3][:200] + "…"
    return _pointed(text, int(match[1]) - first_line + 1, int(match[2]), reason)
