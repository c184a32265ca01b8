"""Tables from a world's data files: names, inferred column types, and the database image.

Every CSV, TSV, JSON (an array of objects) and JSONL input becomes one table.
Naming: the file's path without its extension, with ``/`` and every character
that is not a letter, digit or ``_`` turned into ``_`` (``sales.csv`` ->
``sales``, ``data/2024 q1.csv`` -> ``data_2024_q1``; one that would start with a
digit or with SQLite's reserved ``sqlite_`` gets a ``_`` in front); a name that would clash
with an earlier one gets the extension appended (``sales.json`` ->
``sales_json``). Column types are inferred per column: INTEGER when every
non-empty value is an integer (without a leading zero, so codes like ``007``
stay text), REAL when every one is a number, else TEXT; empty cells and JSON
nulls are NULL; JSON booleans are 1/0; nested JSON values are stored as JSON
text. ISO dates stay TEXT, which is how SQLite's date functions take them.

Plain CSV and TSV files (ASCII, unquoted, rectangular: the common export) are
loaded by SQLite in the guest (:mod:`.csvload`), by these same rules; every
other file is read here, on the host, and added with the stdlib ``sqlite3``.
The guest of every run receives the one serialized database, so inference
runs once per world and every run agrees on every value.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, islice, repeat
from typing import Any, Literal

from ...errors import EngineError
from . import csvload
from .csvload import Plain

ColumnType = Literal["INTEGER", "REAL", "TEXT"]
DATA_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".ndjson")
#: Rows sampled for the world card: a table of at most WHOLE_ROWS rows (a lookup of codes,
#: rates or field names) is shown whole, a bigger one by its first SAMPLE_ROWS.
SAMPLE_ROWS = 3
WHOLE_ROWS = 10


@dataclass(frozen=True)
class Column:
    """A column and the facts about its data that the checks use."""

    name: str
    type: ColumnType
    unique: bool = False  # every row has its own non-NULL value (as a primary key would)
    numbers: float | None = None  # TEXT columns: the share of values that read as numbers
    dates: bool = False  # TEXT columns: every value starts with an ISO date


@dataclass(frozen=True)
class Table:
    """One input table: its SQL name, the file it came from, columns and size."""

    name: str
    source: str
    columns: tuple[Column, ...]
    rows: int
    sample: tuple[tuple[Any, ...], ...] = ()

    def column(self, name: str) -> Column | None:
        """The column called ``name`` (SQL identifiers are case-insensitive)."""
        folded = name.lower()
        return next((c for c in self.columns if c.name.lower() == folded), None)

    def ddl(self) -> str:
        """The table as a ``CREATE TABLE`` statement, one column a line."""
        cols = ",\n".join(f"  {quote(c.name)} {c.type}" for c in self.columns)
        return f"CREATE TABLE {quote(self.name)} (\n{cols}\n);"


@dataclass
class Schema:
    """The world's tables by lower-cased name, plus files that could not be tables."""

    tables: dict[str, Table] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)  # path -> why it is not a table
    database: bytes = b""  # the serialized SQLite database holding every table

    def table(self, name: str) -> Table | None:
        return self.tables.get(name.lower())

    @cached_property
    def digest(self) -> str:
        import hashlib

        return hashlib.sha256(self.database).hexdigest()


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def quote(name: str) -> str:
    """``name`` as an SQL identifier, quoted only when it has to be."""
    if _IDENT.match(name) and name.upper() not in _KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


# Words models would otherwise have to quote; a table or column named so is quoted in DDL.
_KEYWORDS = frozenset({
    "ALL", "AND", "AS", "ASC", "BETWEEN", "BY", "CASE", "CAST", "CHECK", "COLLATE", "COLUMN",
    "CREATE", "CROSS", "DEFAULT", "DELETE", "DESC", "DISTINCT", "DROP", "ELSE", "END", "EXCEPT",
    "EXISTS", "FROM", "FULL", "GROUP", "HAVING", "IN", "INDEX", "INNER", "INSERT", "INTERSECT",
    "INTO", "IS", "JOIN", "KEY", "LEFT", "LIKE", "LIMIT", "NATURAL", "NOT", "NULL", "OFFSET",
    "ON", "OR", "ORDER", "OUTER", "PRIMARY", "REFERENCES", "RIGHT", "SELECT", "SET", "TABLE",
    "THEN", "TO", "UNION", "UNIQUE", "UPDATE", "USING", "VALUES", "WHEN", "WHERE", "WITH"
})


def table_name(path: str) -> str:
    """The table name for a data file's path (see the module docstring)."""
    stem = path.rsplit(".", 1)[0]
    name = re.sub(r"[^A-Za-z0-9_]", "_", stem)
    # A name may not start with a digit, and SQLite keeps names starting sqlite_ for itself.
    return "_" + name if name[:1].isdigit() or name.lower().startswith("sqlite_") else name


def table_names(paths: Iterable[str]) -> dict[str, str | None]:
    """Each data file's table name, in path order. A name an earlier file took gets the
    extension (``orders.csv`` is ``orders``, then ``orders.json`` is ``orders_json``);
    a file whose names are both taken gets None."""
    taken: set[str] = set()
    names: dict[str, str | None] = {}
    for path in sorted(p for p in paths if is_data_file(p)):
        name = table_name(path)
        if name.lower() in taken:
            name = f"{name}_{path.rsplit('.', 1)[1].lower()}"
        names[path] = None if name.lower() in taken else name
        taken.add(name.lower())
    return names


def is_data_file(path: str) -> bool:
    return path.lower().endswith(DATA_SUFFIXES)


def load(files: Mapping[str, bytes]) -> Schema:
    """Every data file of ``files`` as a table, in one serialized SQLite database.

    Plain CSV and TSV files are loaded by SQLite in the guest (:mod:`.csvload`),
    every other file here; the guest's database then takes the other tables."""
    schema = Schema()
    entries: list[tuple[str, str, Plain | tuple[list[str], list[list[Any]]]]] = []
    names = table_names(files)
    for path in sorted(files):
        if not is_data_file(path):
            continue
        lower = path.lower()
        delimiter = "\t" if lower.endswith(".tsv") else ","
        found: Plain | tuple[list[str], list[list[Any]]] | None = None
        if lower.endswith((".csv", ".tsv")):
            found = csvload.plain(path, files[path], delimiter)
        if found is None:
            try:
                found = _records(path, files[path])
            except ValueError as err:
                schema.problems[path] = str(err)
                continue
        name = names[path]
        if name is None:
            schema.problems[path] = f"its table name `{table_name(path)}` is taken by another file"
            continue
        entries.append((path, name, found))
    tables: dict[str, Table] = {}
    image = _load_plain(entries, tables)
    if image and len(tables) == len(entries):  # every table came from the guest: nothing to add
        schema.tables = {name.lower(): tables[name.lower()] for _, name, _ in entries}
        schema.database = image
        return schema
    con = sqlite3.connect(":memory:")
    try:
        if image:
            con.deserialize(image)
        for path, name, found in entries:
            if isinstance(found, Plain):
                if name.lower() in tables:
                    continue
                try:  # the guest gave it back (ragged rows), or there is no guest
                    found = _records(path, found.data)
                except ValueError as err:
                    schema.problems[path] = str(err)
                    continue
            tables[name.lower()] = _create(con, name, path, *found)
        con.commit()
        schema.tables = {key: tables[key] for key in (n.lower() for _, n, _ in entries) if key in tables}
        # SQLite cannot serialize a database with no pages; no tables is no bytes.
        schema.database = con.serialize() if schema.tables else b""
    finally:
        con.close()
    return schema


def _load_plain(entries: list[tuple[str, str, Plain | tuple[list[str], list[list[Any]]]]],
                tables: dict[str, Table]) -> bytes:
    """Load the plain files of ``entries`` in the guest, adding them to ``tables``;
    returns its database image (b"" without plain files, or when the engine is not
    there or fails part-way: then the host reads them all)."""
    plain = [(path, name, found) for path, name, found in entries if isinstance(found, Plain)]
    if not plain:
        return b""
    loaded: dict[str, Table] = {}
    loader = None
    try:
        loader = csvload.Loader()
        for path, name, file in plain:
            assert isinstance(file, Plain)
            table = _load_in_guest(loader, name, path, file)
            if table is not None:
                loaded[name.lower()] = table
        image = loader.image()
    except EngineError:
        return b""  # the engine is missing or failed (a limit): the host reads every file
    finally:
        if loader is not None:
            loader.close()
    tables.update(loaded)
    return image


def _load_in_guest(loader: csvload.Loader, name: str, path: str, file: Plain) -> Table | None:
    names = _column_names(file.header)

    def ddl(types: list[str]) -> str:
        columns = tuple(Column(n, kind) for n, kind in zip(names, types, strict=True))  # type: ignore[arg-type]
        return Table(name, path, columns, 0).ddl()

    marks = ", ".join("?" * len(names))
    loaded = loader.load(file, ddl, f"INSERT INTO {quote(name)} VALUES ({marks})")
    if loaded is None:
        return None
    facts, types = loaded
    columns = tuple(_facts_column(n, kind, f) for n, kind, f in zip(names, types, facts, strict=True))
    rows = facts[0].rows if facts else 0
    return Table(name, path, columns, rows, _sample(file, types))


def _facts_column(name: str, kind: str, facts: csvload.Facts) -> Column:
    """The column :func:`_describe` would give, from what the guest counted."""
    present = facts.rows - facts.nulls
    if kind != "TEXT" or not present:
        return Column(name, kind, facts.unique)  # type: ignore[arg-type]
    return Column(name, "TEXT", facts.unique, facts.numbers / present, facts.dates)


def _sample(file: Plain, types: list[str]) -> tuple[tuple[Any, ...], ...]:
    """The first :data:`WHOLE_ROWS` rows of a plain file, typed as loaded."""
    return tuple(tuple(_typed(cell, kind) for cell, kind in zip(line.decode().split(file.delimiter), types,
                                                                 strict=True))
                 for line, _ in islice(csvload.lines(file.body), WHOLE_ROWS))


def _typed(cell: str, kind: str) -> Any:
    if cell == "":
        return None
    return int(cell) if kind == "INTEGER" else float(cell) if kind == "REAL" else cell


def _create(con: sqlite3.Connection, name: str, path: str, names: list[str],
            columns: list[list[Any]]) -> Table:
    """Table ``name`` from ``columns`` (one list of raw cells per column), typed and inserted."""
    described = []
    for index, (column_name, raw) in enumerate(zip(names, columns, strict=True)):
        kind = _infer(raw)
        values = _convert(raw, kind)
        described.append(_describe(column_name, kind, values))
        columns[index] = values
    rows = len(columns[0]) if columns else 0
    table = Table(name, path, tuple(described), rows)
    con.execute(table.ddl())
    marks = ", ".join("?" * len(names))
    con.executemany(f"INSERT INTO {quote(name)} VALUES ({marks})", zip(*columns, strict=True))
    sample = tuple(zip(*(c[:WHOLE_ROWS] for c in columns), strict=True))
    return Table(name, path, table.columns, rows, sample)


def _describe(name: str, kind: ColumnType, values: list[Any]) -> Column:
    if kind != "TEXT":
        return Column(name, kind, bool(values) and None not in values and len(set(values)) == len(values))
    # Counted by distinct value: real columns repeat a lot, and each check is a Python call.
    counts = Counter(values)
    nulls = counts.pop(None, 0)
    unique = bool(values) and not nulls and len(counts) == len(values)
    if not counts:
        return Column(name, kind, unique)
    numbers = sum(n for v, n in counts.items() if _REAL.match(_strip(v))) / (len(values) - nulls)
    return Column(name, kind, unique, numbers, all(_DATE.match(v) for v in counts))


# -- reading files ------------------------------------------------------------------


def _records(path: str, data: bytes) -> tuple[list[str], list[list[Any]]]:
    """Column names and raw columns (text cells, or JSON values) of one data file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(f"it is not UTF-8 text (byte {err.start})") from None
    lower = path.lower()
    if lower.endswith((".csv", ".tsv")):
        return _delimited(text, "\t" if lower.endswith(".tsv") else ",")
    if lower.endswith(".json"):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as err:
            raise ValueError(f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}") from None
        if isinstance(value, dict) and len(value) == 1 and isinstance(next(iter(value.values())), list):
            value = next(iter(value.values()))  # {"items": [...]} is a table too
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ValueError("a JSON table must be an array of objects")
        return _objects(value)
    objects = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise ValueError(f"invalid JSON on line {number}: {err.msg}") from None
        if not isinstance(item, dict):
            raise ValueError(f"line {number} is not a JSON object")
        objects.append(item)
    return _objects(objects)


def _delimited(text: str, delimiter: str) -> tuple[list[str], list[list[Any]]]:
    """Column names and columns of a CSV or TSV text."""
    plain = split_plain(text, delimiter)
    if plain is not None:
        header, columns = plain
        return _column_names(header), columns
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise ValueError("it has no header row") from None
    names = _column_names(header)
    rows: list[list[Any]] = []
    try:
        for cells in reader:
            if not cells:
                continue
            # Short rows are padded with NULLs; extra cells are dropped (no column holds them).
            rows.append([(c if c != "" else None) for c in cells[: len(names)]]
                        + [None] * (len(names) - len(cells)))
    except csv.Error as err:
        raise ValueError(f"CSV error on line {reader.line_num}: {err}") from None
    return names, [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in names]


def split_plain(text: str, delimiter: str) -> tuple[list[str], list[list[Any]]] | None:
    """The header's cells as written and the columns of the common export: no quotes,
    every row as wide as the header. Split with str methods (C loops) instead of the
    csv module, ~6x faster; None for any other file, which the csv module reads."""
    if '"' in text or "\0" in text or text.count("\r") != text.count("\r\n"):
        return None
    lines = (text.replace("\r\n", "\n") if "\r" in text else text).split("\n")
    if "" in lines:
        lines = [line for line in lines if line]  # blank lines are skipped, as csv.reader does
    if not lines:
        return None
    width = lines[0].count(delimiter)
    body = lines[1:]
    if body and set(map(str.count, body, repeat(delimiter, len(body)))) != {width}:
        return None  # ragged rows: padded or cut by the csv path
    cells = delimiter.join(body).split(delimiter) if body else []
    columns = []
    for index in range(width + 1):
        column: list[Any] = cells[index :: width + 1]
        if "" in column:
            column = [cell if cell != "" else None for cell in column]
        columns.append(column)
    return lines[0].split(delimiter), columns


def _objects(items: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    names = list(dict.fromkeys(chain.from_iterable(items)))  # every key, in first-seen order
    if not names:
        raise ValueError("it has no fields")
    columns = []
    for key in names:
        column = [item.get(key) for item in items]
        if not set(map(type, column)) <= _PLAIN:  # booleans, objects or arrays to convert
            column = [_json_cell(value) for value in column]
        columns.append(column)
    return _column_names(names), columns


_PLAIN = {int, float, str, type(None)}


def _json_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (dict, list)):
        return _compact(value)
    return value


#: json.dumps with these options builds an encoder on every call; one is enough.
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _column_names(header: list[str]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(header, 1):
        name = raw.strip() or f"column_{index}"
        base, n = name, 2
        while name.lower() in seen:
            name, n = f"{base}_{n}", n + 1
        seen.add(name.lower())
        names.append(name)
    return names


# -- types -----------------------------------------------------------------------------

_INT = re.compile(r"^[+-]?(0|[1-9][0-9]*)$")
_REAL = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
#: str.strip() takes these as spaces, int() and float() do not.
_SEPARATORS = re.compile("[\x1c-\x1f]")


def _strip(cell: str) -> str:
    """``cell`` without the spaces around it that int() and float() accept."""
    return cell if _SEPARATORS.search(cell) else cell.strip()


def _infer(values: list[Any]) -> ColumnType:
    present = [v for v in values if v is not None] if None in values else values
    if not present:
        return "TEXT"
    if set(map(type, present)) == {str}:
        fast = _infer_plain(present)
        if fast is not None:
            return fast
        first = _strip(present[0])
        if not (first.lstrip("+-").isdigit() or _REAL.match(first)):
            return "TEXT"  # INTEGER and REAL need every cell to read as a number
        cells = [_strip(v) for v in present]
        # str methods first: they are C loops, and most columns decide on them alone.
        if all(c.isascii() and c.lstrip("+-").isdigit() for c in cells):
            if all(_INT.match(c) and len(c) < 19 for c in cells):
                return "INTEGER"
            return "TEXT"  # leading zeros (codes like 007) or too long for a 64-bit integer
        return "REAL" if all(_REAL.match(c) for c in cells) else "TEXT"
    kind: ColumnType | None = None
    for v in present:
        if isinstance(v, int):  # bools too: JSON true/false are 1/0
            this: ColumnType = "INTEGER"
        elif isinstance(v, float):
            this = "REAL"
        else:
            return "TEXT"
        kind = "REAL" if {kind, this} == {"INTEGER", "REAL"} else this
    return kind or "TEXT"


_INT_LINES = re.compile(r"[+-]?(?:0|[1-9][0-9]*)(?:\n[+-]?(?:0|[1-9][0-9]*))*")
_NOT_REAL = re.compile(r"[^0-9eE.+\n-]")
_LEADING_ZERO = re.compile(r"(?:^|\n)0[0-9]")


def _infer_plain(cells: list[str]) -> ColumnType | None:
    """INTEGER or REAL decided on the whole column at once, for cells without spaces;
    None leaves the decision to the cell-by-cell rules (same answers, slower)."""
    joined = "\n".join(cells)
    if not joined.isascii():
        return None
    digits = joined.replace("\n", "")
    if digits.isdigit() and "" not in cells:
        if _LEADING_ZERO.search(joined) or max(map(len, cells)) >= 19:
            return None
        return "INTEGER"
    signed = "+" in joined or "-" in joined
    if signed and _INT_LINES.fullmatch(joined) and max(map(len, cells)) < 19:
        return "INTEGER"
    if _NOT_REAL.search(joined) or not any(c in joined for c in ".eE"):
        return None  # signed integers with leading zeros and the like: the rules decide
    try:
        for _ in map(float, cells):  # with only these characters, float() accepts what _REAL does
            pass
    except ValueError:
        return None
    return "REAL"


def _convert(values: list[Any], kind: ColumnType) -> list[Any]:
    """A column's cells as ``kind``; None stays None."""
    if kind == "TEXT":
        if set(map(type, values)) <= {str, type(None)}:
            return values
        return [v if isinstance(v, str) or v is None else json.dumps(v) for v in values]
    cast = int if kind == "INTEGER" else float
    if None not in values:
        return list(map(cast, values))  # int() and float() take the surrounding spaces _infer allowed
    return [None if v is None else cast(v) for v in values]
