"""The review file: candidates for maintainers to mark ``accepted``, read back for the merge."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from publisher.errors import Location, Problem, ReviewError
from publisher.linking.atomic import write_text_atomically
from publisher.linking.scoring import Candidate

DEFAULT_PATH = Path("review/wikidata-candidates.csv")  # under the project; not a data table
COLUMNS = ("entity", "qid", "label", "description", "score", "reasons", "accepted")
REQUIRED = ("entity", "qid", "score", "accepted")
ACCEPTED = frozenset(("yes", "x", "true"))
NOT_ACCEPTED = frozenset(("", "no", "false"))
REASON_SEPARATOR = "; "


@dataclass(frozen=True)
class ReviewRow:
    """One row of a review file, where it is, and whether a maintainer accepted it."""

    location: Location
    cells: dict[str, str]

    @property
    def accepted(self) -> bool:
        return self.cells["accepted"].casefold() in ACCEPTED

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


def write_review(path: Path, candidates: Iterable[Candidate]) -> None:
    """Write the candidates, ``accepted`` left empty, replacing ``path`` in one step."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in candidates:
        reasons = REASON_SEPARATOR.join(c.reasons)
        writer.writerow((c.entity, c.qid, c.label, c.description, c.score, reasons, ""))
    write_text_atomically(path, buffer.getvalue())


def read_review(path: Path) -> list[ReviewRow]:
    """The rows of a review file; every unreadable row or ``accepted`` cell is reported."""
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError as exc:
        raise ReviewError([Problem(Location(str(path)), "no such review file")]) from exc
    except UnicodeDecodeError as exc:
        raise ReviewError([Problem(Location(str(path)), f"not UTF-8: {exc}")]) from exc
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    header: list[str] = []
    rows: list[ReviewRow] = []
    problems: list[Problem] = []
    start = 1
    try:
        for record in reader:
            location = Location(str(path), start)
            start = reader.line_num + 1
            if not header:
                header = [cell.strip() for cell in record]
                continue
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                problems.append(Problem(location, f"{len(record)} cells, expected {len(header)}"))
                continue
            row = ReviewRow(location, {h: c.strip() for h, c in zip(header, record, strict=True)})
            rows.append(row)
    except csv.Error as exc:
        raise ReviewError([Problem(Location(str(path), start), f"malformed CSV: {exc}")]) from exc
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ReviewError([Problem(Location(str(path), 1), f"no column(s) {missing}")])
    for row in rows:
        mark = row.cells["accepted"].casefold()
        if mark not in ACCEPTED | NOT_ACCEPTED:
            reason = f"accepted is {mark!r}: write yes, x or true, or leave it empty"
            problems.append(Problem(row.location, reason))
    if problems:
        raise ReviewError(problems)
    return rows
