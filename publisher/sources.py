"""Read ``data/``: CSV tables checked against their CSVW metadata (W3C CSV on the Web)."""

from __future__ import annotations

import csv
import datetime
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from publisher.errors import Location, Problem, SourceError

XSD = "http://www.w3.org/2001/XMLSchema#"
METADATA_SUFFIX = ".csv-metadata.json"
MAX_PROBLEMS = 200


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is not None


def _is_datetime(text: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?", text):
        return False
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _matches(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern)
    return lambda text: compiled.fullmatch(text) is not None


# CSVW built-in datatype name -> check of the lexical form.
DATATYPES: dict[str, Callable[[str], bool]] = {
    "string": lambda text: True,
    "integer": _matches(r"[+-]?\d+"),
    "decimal": _matches(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "double": _matches(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN"),
    "boolean": _matches(r"true|false|1|0"),
    "date": _is_date,
    "dateTime": _is_datetime,
    "gYear": _matches(r"-?\d{4,}"),
    "gYearMonth": _matches(r"-?\d{4,}-(0[1-9]|1[0-2])"),
    "anyURI": _matches(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*"),
}
DATATYPE_KEYS = {"base", "format", "dc:description", "rdfs:comment"}
COLUMN_KEYS = {"name", "titles", "datatype", "required", "separator", "lang", "dc:description"}


@dataclass(frozen=True)
class Column:
    """One column of a table, as its CSVW metadata describes it."""

    name: str
    datatype: str
    pattern: re.Pattern[str] | None
    required: bool
    separator: str | None
    lang: str | None

    @property
    def datatype_iri(self) -> str:
        return XSD + self.datatype

    def problem(self, text: str) -> str | None:
        """Why ``text`` is not a valid value of this column, or None."""
        if not DATATYPES[self.datatype](text):
            return f"{text!r} is not a valid xsd:{self.datatype}"
        if self.pattern and not self.pattern.fullmatch(text):
            return f"{text!r} does not match the format {self.pattern.pattern!r}"
        return None


@dataclass(frozen=True)
class ForeignKey:
    """Values of ``columns`` must appear in ``table``'s ``referenced`` columns."""

    columns: tuple[str, ...]
    table: str
    referenced: tuple[str, ...]


@dataclass(frozen=True)
class Schema:
    """The CSVW description of one table."""

    name: str
    csv_path: Path
    metadata_path: Path
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]


@dataclass(frozen=True)
class Row:
    """One record: its line in the file and its cells, split into values."""

    line: int
    cells: dict[str, tuple[str, ...]]

    def key(self, columns: Iterable[str]) -> tuple[str, ...]:
        return tuple(" ".join(self.cells[c]) for c in columns)


@dataclass(frozen=True)
class Table:
    """A checked table: its schema and rows."""

    schema: Schema
    rows: tuple[Row, ...]

    @property
    def name(self) -> str:
        return self.schema.name


def _as_tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise TypeError(value)


def _read_column(spec: object, where: Location) -> Column:
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        raise SourceError([Problem(where, "every column needs a string 'name'")])
    name = spec["name"]
    here = Location(where.path, None, name)
    unknown = set(spec) - COLUMN_KEYS
    if unknown:
        raise SourceError([Problem(here, f"unsupported column properties {sorted(unknown)}")])
    datatype = spec.get("datatype", "string")
    pattern = None
    if isinstance(datatype, dict):
        unknown = set(datatype) - DATATYPE_KEYS
        if unknown:
            raise SourceError([Problem(here, f"unsupported datatype properties {sorted(unknown)}")])
        if "format" in datatype:
            try:
                pattern = re.compile(datatype["format"])
            except re.error as exc:
                raise SourceError([Problem(here, f"format is not a valid regex: {exc}")]) from exc
        datatype = datatype.get("base", "string")
    if datatype not in DATATYPES:
        raise SourceError(
            [Problem(here, f"unsupported datatype {datatype!r}; use one of {sorted(DATATYPES)}")]
        )
    return Column(
        name=name,
        datatype=datatype,
        pattern=pattern,
        required=bool(spec.get("required", False)),
        separator=spec.get("separator"),
        lang=spec.get("lang"),
    )


def read_schema(metadata_path: Path) -> Schema:
    """Parse one ``<table>.csv-metadata.json`` file."""
    where = Location(str(metadata_path))
    try:
        metadata = json.loads(metadata_path.read_text("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError([Problem(where, f"not valid JSON: {exc}")]) from exc
    schema = metadata.get("tableSchema") if isinstance(metadata, dict) else None
    if not isinstance(schema, dict) or not isinstance(schema.get("columns"), list):
        raise SourceError([Problem(where, "needs a tableSchema with a list of columns")])
    columns = tuple(_read_column(c, where) for c in schema["columns"])
    names = {c.name for c in columns}
    try:
        primary_key = _as_tuple(schema.get("primaryKey", []))
        foreign_keys = tuple(
            ForeignKey(
                columns=_as_tuple(fk["columnReference"]),
                table=fk["reference"]["resource"].removesuffix(".csv"),
                referenced=_as_tuple(fk["reference"]["columnReference"]),
            )
            for fk in schema.get("foreignKeys", [])
        )
    except (KeyError, TypeError) as exc:
        raise SourceError(
            [Problem(where, f"malformed primaryKey or foreignKeys: {exc!r}")]
        ) from exc
    for used in (*primary_key, *(c for fk in foreign_keys for c in fk.columns)):
        if used not in names:
            raise SourceError([Problem(where, f"key refers to unknown column {used!r}")])
    csv_name = metadata.get("url", metadata_path.name.removesuffix("-metadata.json"))
    return Schema(
        name=metadata_path.name.removesuffix(METADATA_SUFFIX),
        csv_path=metadata_path.parent / csv_name,
        metadata_path=metadata_path,
        columns=columns,
        primary_key=primary_key,
        foreign_keys=foreign_keys,
    )


def _records(path: Path) -> Iterable[tuple[int, list[str]]]:
    """Yield (first line number, cells) for every CSV record."""
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError([Problem(Location(str(path)), f"not UTF-8: {exc}")]) from exc
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    start = 1
    try:
        for record in reader:
            yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError([Problem(Location(str(path), start), f"malformed CSV: {exc}")]) from exc


def read_rows(schema: Schema, problems: list[Problem]) -> tuple[Row, ...] | None:
    """Read a table's rows, appending every problem to ``problems``; None if unreadable."""
    path = str(schema.csv_path)
    if not schema.csv_path.is_file():
        problems.append(Problem(Location(str(schema.metadata_path)), f"{path} does not exist"))
        return None
    records = iter(_records(schema.csv_path))
    expected = [c.name for c in schema.columns]
    header = next(records, (1, []))[1]
    if [h.strip() for h in header] != expected:
        problems.append(
            Problem(Location(path, 1), f"header is {header}, the metadata expects {expected}")
        )
        return None
    rows = []
    for line, record in records:
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(expected):
            problems.append(
                Problem(Location(path, line), f"{len(record)} cells, expected {len(expected)}")
            )
            continue
        cells: dict[str, tuple[str, ...]] = {}
        for column, raw in zip(schema.columns, record, strict=True):
            text = raw.strip()
            if column.separator is not None:
                values = tuple(v.strip() for v in text.split(column.separator) if v.strip())
            else:
                values = (text,) if text else ()
            if column.required and not values:
                problems.append(
                    Problem(Location(path, line, column.name), "required cell is empty")
                )
            for value in values:
                reason = column.problem(value)
                if reason:
                    problems.append(Problem(Location(path, line, column.name), reason))
            cells[column.name] = values
        rows.append(Row(line, cells))
    return tuple(rows)


def _check_primary_key(table: Table, problems: list[Problem]) -> None:
    key_columns = table.schema.primary_key
    if not key_columns:
        return
    seen: dict[tuple[str, ...], int] = {}
    for row in table.rows:
        key = row.key(key_columns)
        if key in seen:
            problems.append(
                Problem(
                    Location(str(table.schema.csv_path), row.line, ",".join(key_columns)),
                    f"duplicate key {'/'.join(key)!r} (first at line {seen[key]})",
                )
            )
        else:
            seen[key] = row.line


def _check_foreign_keys(
    table: Table, tables: dict[str, Table], unreadable: set[str], problems: list[Problem]
) -> None:
    """Check references, except into tables that could not be read (already reported)."""
    for fk in table.schema.foreign_keys:
        if fk.table in unreadable:
            continue
        target = tables.get(fk.table)
        where = Location(str(table.schema.metadata_path), None, ",".join(fk.columns))
        if target is None:
            problems.append(Problem(where, f"foreign key refers to unknown table {fk.table!r}"))
            continue
        if len(fk.columns) != 1 or len(fk.referenced) != 1:
            problems.append(Problem(where, "only single-column foreign keys are supported"))
            continue
        known = {v for row in target.rows for v in row.cells.get(fk.referenced[0], ())}
        column = fk.columns[0]
        for row in table.rows:
            for value in row.cells[column]:
                if value not in known:
                    problems.append(
                        Problem(
                            Location(str(table.schema.csv_path), row.line, column),
                            f"{value!r} is not in column {fk.referenced[0]!r} of {fk.table}.csv",
                        )
                    )


def read_tables(data_dir: Path) -> dict[str, Table]:
    """Read and check every table of ``data_dir``; raise SourceError listing all problems."""
    problems: list[Problem] = []
    metadata_files = sorted(data_dir.glob(f"*{METADATA_SUFFIX}"))
    described = {m.name.removesuffix("-metadata.json") for m in metadata_files}
    for csv_path in sorted(data_dir.glob("*.csv")):
        if csv_path.name not in described:
            problems.append(Problem(Location(str(csv_path)), f"no {csv_path.name}-metadata.json"))
    tables, unreadable = {}, set()
    for metadata_path in metadata_files:
        schema = read_schema(metadata_path)
        rows = read_rows(schema, problems)
        if rows is None:
            unreadable.add(schema.name)
        tables[schema.name] = Table(schema, rows or ())
    for table in tables.values():
        _check_primary_key(table, problems)
        _check_foreign_keys(table, tables, unreadable, problems)
    if problems:
        raise SourceError(problems[:MAX_PROBLEMS])
    return tables


def index_rows(tables: dict[str, Table]) -> dict[str, Location]:
    """Map each row's key (compound keys joined by ``--``) to where the row is.

    A minted IRI ends with its row's key, so a report about an IRI can name the row.
    """
    index: dict[str, Location] = {}
    for table in tables.values():
        for row in table.rows:
            key = "--".join(v for v in row.key(table.schema.primary_key) if v)
            if key:
                index.setdefault(key, Location(str(table.schema.csv_path), row.line))
    return index
