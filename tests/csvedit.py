"""Edit one cell of a project CSV the way a maintainer would, for the bad-input tests."""

from __future__ import annotations

import csv
from pathlib import Path


def set_cell(path: Path, key: str, column: str, value: str) -> int:
    """Set ``column`` of the row whose first cell is ``key``; return that row's line number."""
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        records, lines = [], []
        start = 1
        for record in reader:
            records.append(record)
            lines.append(start)
            start = reader.line_num + 1
    header = records[0]
    index = next(i for i, record in enumerate(records) if i and record[0] == key)
    records[index][header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(records)
    return lines[index]


def append_copy(path: Path, key: str) -> int:
    """Append a copy of the row whose first cell is ``key``; return the new row's line."""
    with path.open(encoding="utf-8", newline="") as stream:
        records = list(csv.reader(stream))
    row = next(r for r in records[1:] if r[0] == key)
    with path.open("a", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerow(row)
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        for _ in reader:
            last_start = reader.line_num
    return last_start


def delete_rows(path: Path, predicate) -> int:  # type: ignore[no-untyped-def]
    """Delete the rows (as dicts) for which ``predicate`` holds; return how many."""
    with path.open(encoding="utf-8", newline="") as stream:
        records = list(csv.reader(stream))
    header, body = records[0], records[1:]
    kept = [r for r in body if not predicate(dict(zip(header, r, strict=True)))]
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows([header, *kept])
    return len(body) - len(kept)


def replace_values(path: Path, column: str, old: str, new: str) -> int:
    """Replace ``old`` by ``new`` in every cell of ``column``; return how many cells changed."""
    with path.open(encoding="utf-8", newline="") as stream:
        records = list(csv.reader(stream))
    index = records[0].index(column)
    changed = 0
    for record in records[1:]:
        if record[index] == old:
            record[index] = new
            changed += 1
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerows(records)
    return changed


def append_row(path: Path, values: list[str]) -> None:
    """Append one record."""
    with path.open("a", encoding="utf-8", newline="") as stream:
        csv.writer(stream, lineterminator="\n").writerow(values)
