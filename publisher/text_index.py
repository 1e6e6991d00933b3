"""An index of the text of a release's terms: which IRIs and literals contain a word.

Written by the build next to the store (``index/``), read by the query workers, which use it
to narrow substring filters (``publisher.narrowing``) instead of letting the store read every
label. For each kind of term (literals, IRIs) the folder holds two files of one line per
term, in the same order: ``*.text``, the term's string (an IRI, or a literal's lexical form)
in lower case, and ``*.nt``, the term in N-Triples, which is also SPARQL syntax. Line breaks
and NULs in a string are written as ``\\x01``: the words looked up are printable ASCII, so a
match is never lost or made by that. ``literal-valued.txt`` lists the predicates all of whose
objects are literals: an object of one of them is never an IRI, so IRIs need no search.
"""

from __future__ import annotations

import mmap
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

INDEX_DIR = "index"
KINDS = ("literals", "iris")
LITERAL_VALUED = "literal-valued.txt"  # the predicates all of whose objects are literals
MAX_CANDIDATES = 1000
_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


def _text(term: ox.NamedNode | ox.Literal) -> str:
    return term.value.lower().replace("\n", "\x01").replace("\r", "\x01").replace("\x00", "\x01")


def write_text_index(folder: Path, quads: Sequence[ox.Quad]) -> int:
    """Write the index of every IRI and literal in ``quads`` into ``folder``; return how
    many terms it holds."""
    objects = {quad.object for quad in quads}
    shapes = {(quad.predicate, type(quad.object)) for quad in quads}
    terms = objects | {quad.subject for quad in quads} | {p for p, _ in shapes}
    literals = {term for term in terms if type(term) is ox.Literal}
    iris = {term for term in terms if type(term) is ox.NamedNode}
    with_others = {p for p, kind in shapes if kind is not ox.Literal}
    literal_valued = sorted({p.value for p, _ in shapes if p not in with_others})
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LITERAL_VALUED).write_text("".join(f"{p}\n" for p in literal_valued), "utf-8")
    for kind, kept in (("literals", _as_stored(literals)), ("iris", iris)):
        rows = sorted((str(term), _text(term)) for term in kept)
        (folder / f"{kind}.text").write_text("".join(f"{text}\n" for _, text in rows), "utf-8")
        (folder / f"{kind}.nt").write_text("".join(f"{form}\n" for form, _ in rows), "utf-8")
    return len(literals) + len(iris)


def _as_stored(literals: set[ox.Literal]) -> set[ox.Literal]:
    """The literals as the store gives them back: it keeps the values of numbers, booleans
    and dates, not how they were written (``"01"^^xsd:integer`` comes back as ``"1"``)."""
    strings = {lit for lit in literals if lit.language or lit.datatype == _XSD_STRING}
    store, subject = ox.Store(), ox.NamedNode("urn:lodpub:text-index")
    store.bulk_extend(ox.Quad(subject, subject, lit) for lit in literals - strings)
    return strings | {quad.object for quad in store}  # type: ignore[misc]


@dataclass
class _Lines:
    """A file of lines, mapped into memory, with where each line starts."""

    data: mmap.mmap | bytes
    starts: array[int]

    @classmethod
    def open(cls, path: Path) -> _Lines:
        with path.open("rb") as stream:
            data: mmap.mmap | bytes = (
                mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
                if path.stat().st_size
                else b""
            )
        starts, at = array("q", [0]), data.find(b"\n")
        while at >= 0:
            starts.append(at + 1)
            at = data.find(b"\n", at + 1)
        return cls(data, starts)

    def line(self, number: int) -> bytes:
        return self.data[self.starts[number] : self.starts[number + 1] - 1]

    def holding(self, needle: bytes) -> Iterable[int]:
        """The numbers of the lines that contain ``needle`` (which has no line break)."""
        at = self.data.find(needle)
        while at >= 0:
            number = bisect_right(self.starts, at) - 1
            yield number
            at = self.data.find(needle, self.starts[number + 1])


@dataclass
class TextIndex:
    """The text index of one release, opened read-only."""

    texts: dict[str, _Lines]
    terms: dict[str, _Lines]
    literal_valued: frozenset[str]  # predicates whose objects are all literals

    @classmethod
    def open(cls, folder: Path) -> TextIndex | None:
        """The index in ``folder``, or None when the release has none (built before it)."""
        files = [folder / f"{kind}.{ext}" for kind in KINDS for ext in ("text", "nt")]
        if not all(path.is_file() for path in [*files, folder / LITERAL_VALUED]):
            return None
        return cls(
            {kind: _Lines.open(folder / f"{kind}.text") for kind in KINDS},
            {kind: _Lines.open(folder / f"{kind}.nt") for kind in KINDS},
            frozenset((folder / LITERAL_VALUED).read_text("utf-8").splitlines()),
        )

    def containing(self, word: str, with_iris: bool) -> list[str] | None:
        """Every literal (and IRI, if ``with_iris``) whose string, in lower case, contains
        ``word`` (printable ASCII, in lower case), in N-Triples; None when there are more than
        ``MAX_CANDIDATES``, too many for the list to be of use."""
        needle, found = word.encode("ascii"), []
        for kind in KINDS if with_iris else KINDS[:1]:
            for number in self.texts[kind].holding(needle):
                if len(found) == MAX_CANDIDATES:
                    return None
                found.append(self.terms[kind].line(number).decode("utf-8"))
        return found
