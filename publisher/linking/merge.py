"""Merge the accepted rows of a review file into the confirmed links (``data/wikidata.csv``).

Nothing is written unless every accepted row can be merged: an unknown entity, a malformed
QID, an entity already confirmed otherwise, or a QID confirmed for another entity stops the
merge with ``file:row: reason`` for each.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from publisher.config import Settings
from publisher.errors import Location, Problem, ReviewError
from publisher.linking.atomic import write_text_atomically
from publisher.linking.entities import LINKS_TABLE, Link, confirmed_links, entity_keys
from publisher.linking.queries import WD
from publisher.linking.review import ReviewRow, read_review
from publisher.sources import Schema, read_tables

METHOD = "linker candidate accepted by a maintainer, score {score}"
QID = re.compile(r"Q[1-9][0-9]*")


@dataclass(frozen=True)
class Merged:
    """What a merge did to the links file."""

    links_path: Path
    added: tuple[str, ...]  # the entities linked now
    unchanged: int  # accepted rows that were already confirmed


def merge_review(settings: Settings, review_path: Path, today: datetime.date) -> Merged:
    """Append the accepted rows of ``review_path`` to the links table, all or none."""
    tables = read_tables(settings.data_dir)
    table = tables.get(LINKS_TABLE)
    if table is None:
        where = Location(str(settings.data_dir / f"{LINKS_TABLE}.csv"))
        raise ReviewError([Problem(where, "no such table: create it and its CSVW metadata first")])
    schema = table.schema
    links = confirmed_links(tables)
    known = entity_keys(tables)

    def place(line: int) -> str:
        return str(Location(str(schema.csv_path), line).relative_to(settings.root))

    owners = {link.qid: (link.entity, place(link.line)) for link in links.values() if link.qid}
    problems: list[Problem] = []
    records: dict[str, list[str]] = {}
    accepted_at: dict[str, str] = {}
    unchanged = 0
    for row in read_review(review_path):
        if not row.accepted:
            continue
        entity, qid = row.get("entity"), row.get("qid")
        link = links.get(entity)
        owner = owners.get(qid, (entity, ""))
        if entity not in known:
            reason = f"{entity!r} is not an entity of this project"
        elif not QID.fullmatch(qid):
            reason = f"qid {qid!r} is not a Wikidata item id such as Q42"
        elif link is not None and link.qid == qid:
            unchanged += 1
            continue
        elif link is not None:
            reason = f"{entity} is already {_state(link)} ({place(link.line)})"
        elif owner[0] != entity:
            reason = f"{qid} is already the item of {owner[0]} ({owner[1]})"
        elif entity in accepted_at:
            reason = f"{entity} is accepted more than once (first at {accepted_at[entity]})"
        else:
            record, reason = _record(schema, row, today)
            accepted_at[entity] = str(row.location.relative_to(settings.root))
            if record is not None:
                records[entity] = record
                owners[qid] = (entity, accepted_at[entity])
                continue
        problems.append(Problem(row.location, reason))
    if problems:
        raise ReviewError(problems)
    if records:
        _append(schema.csv_path, records.values())
    return Merged(schema.csv_path, tuple(records), unchanged)


def _state(link: Link) -> str:
    return f"linked to {link.qid}" if link.qid else "recorded as having no Wikidata item"


def _record(schema: Schema, row: ReviewRow, today: datetime.date) -> tuple[list[str] | None, str]:
    """The links-table record of an accepted row, or None and why it cannot be made."""
    score = row.get("score")
    if not score.isdigit():
        return None, f"score {score!r} is not a whole number"
    values = {
        "entity": row.get("entity"),
        "qid": row.get("qid"),
        "status": "linked",
        "wikidata_label": row.get("label"),
        "wikidata_description": row.get("description"),
        "method": METHOD.format(score=int(score)),
        "confirmed": today.isoformat(),
        "evidence": WD + row.get("qid"),
    }
    record = [values.get(column.name, "") for column in schema.columns]
    for column, cell in zip(schema.columns, record, strict=True):
        problem = column.problem(cell) if cell else None
        if problem is None and column.required and not cell:
            problem = "required, and the merge has no value for it"
        if problem is not None:
            return None, f"{schema.csv_path.name} column {column.name}: {problem}"
    return record, ""


def _append(path: Path, records: Iterable[list[str]]) -> None:
    """Add ``records`` at the end of the CSV file ``path``, replacing it in one step."""
    text = path.read_text("utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(records)
    write_text_atomically(path, text + buffer.getvalue())
