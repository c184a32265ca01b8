"""The world card: what an agent reads to know a world before writing code.

Files with sizes; for CSV/TSV the columns with inferred types and three
sample rows; for JSON and JSON Lines the shape of the records; the clock,
seed and limits; the JS-light API as TypeScript declarations; and the tables
SQL sees, as ``CREATE TABLE`` statements with row counts, sample rows and a
compact profile beside each column (NULLs, distinct values, range, lengths,
messy keys), then keys that do not all join; ``profile=True`` adds the full
profile (:mod:`.languages.sql.profile`). A card for one language
(``lang="js"`` or ``"sql"``) keeps only what that language needs: the flags
and the section of its :class:`~worlds.languages.Language`.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import languages
from ._text import size
from .languages.sql.builtins import SQLITE_VERSION
from .languages.sql.functions import summary as sql_functions
from .languages.sql.profile import Join, TableProfile, compact, copies_text, full_text, join_text
from .languages.sql.profile import profile as profile_tables
from .languages.sql.schema import SAMPLE_ROWS, WHOLE_ROWS, split_plain
from .languages.sql.schema import Table as SchemaTable
from .limits import MIB, Limits, scaling_rule
from .result import Table, render_table

if TYPE_CHECKING:
    from .world import World

MAX_COLUMNS = 20
_INTEGER = re.compile(r"^-?\d+$")
_NUMBER = re.compile(r"^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$")
_INTEGERS = re.compile(r"-?\d+(?:\n-?\d+)*")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


#: Worlds with at most this many rows in all get the compact profile in every card;
#: bigger ones say how to ask for it (it scans every table).
PROFILE_ROWS = 200_000


def describe(world: World, lang: str | None = None, *, profile: bool = False) -> str:
    chosen = [languages.get(lang)] if lang is not None else list(languages.all_languages())
    tables, files = any(c.card_tables for c in chosen), any(c.card_files for c in chosen)
    lines = [f"world: {world.name}"]
    if world.description:
        lines.append(world.description.strip())
    lines.append(f"now: {world.now_text}    seed: {world.seed}")
    lines.append(f"files (read-only inputs, {len(world.files)}):")
    width = max((len(p) for p in world.files), default=0)
    for path, data in world.files.items():
        lines.append(f"  {path.ljust(width)}  {size(len(data))}")
        if files:  # the tables below are a query language's view of the data files
            lines.extend("      " + detail for detail in _file_detail(path, data))
    if not world.files:
        lines.append("  (none)")
    lim = world.limits
    budget = list(dict.fromkeys(_BUDGET[c.budget](lim) for c in chosen))
    lines.append(f"limits: {', '.join(budget)}, wall {lim.wall_ms:,} ms, memory {size(lim.memory_bytes)}, "
                 f"output {size(lim.output_bytes)}, writes {size(lim.write_bytes)}")
    if world.input_bytes > MIB:
        lines.append(f"  (inputs {size(world.input_bytes)}; {scaling_rule()})")
    lines.append("languages: " + "; ".join(f"{c.name} ({c.summary})" if c.summary else c.name
                                           for c in languages.all_languages()))
    # One profile serves both the facts beside the columns and, when asked for, the full profile
    # (the compact facts read the same fields): it scans every table, so it runs once.
    profiled = _profile(world, full=profile)
    if tables:
        lines.append("")
        lines.extend(sql_tables(world, profiled))
    elif files:
        lines.extend(data_facts(world, profiled))
    if profile:
        found, joins = profiled or ([], [])
        lines += ["", "profile (every row counted; NULLs apart):"]
        lines += ["  " + line for line in full_text(found, joins)] if found else ["  (no tables)"]
    for language in sorted(chosen, key=lambda c: c.card_order):
        lines += language.card_section(world)
    return "\n".join(lines)


#: How a card names each budget (the unit a language's runs spend).
_BUDGET: dict[str, Callable[[Limits], str]] = {"fuel": lambda lim: f"fuel {lim.fuel:,} (JS)",
                                                "steps": lambda lim: f"steps {lim.steps:,} (SQL)"}


def data_facts(world: World, profiled: Profiled) -> list[str]:
    """The facts of each data file's columns, for a card without the SQL tables (JS): the same
    profile, keyed by file (readCSV types cells one by one, so a TEXT column may hold numbers)."""
    schema = world.schema()
    rows = sum(t.rows for t in schema.tables.values())
    if not rows:
        return []
    if rows > PROFILE_ROWS or profiled is None:
        return ["", f"data: {rows:,} rows; describe with profile=true for each column's NULLs, distinct "
                    "values and range, and keys that do not join (it scans every file)"]
    tables, joins = profiled
    lines = ["", "data (per column, every row counted, as the SQL tables hold it: JSON true/false as 1/0):"]
    for table, found in zip(schema.tables.values(), tables, strict=True):
        copies = f" ({copies_text(found)})" if found.copies else ""
        lines.append(f"  {table.source}: {table.rows:,} rows{copies}")
        lines += [f"    {c.name} {c.type}: {compact(c, found.rows)}" for c in found.columns]
    checked = join_text(joins, problems_only=True)
    return lines + (["  keys into other tables:", *("    " + p for p in checked)] if checked else [])


#: A world's profile (its tables, then its joins), or None where none was made.
Profiled = tuple[list[TableProfile], list[Join]] | None


def _profile(world: World, *, full: bool) -> Profiled:
    """The full profile when asked for; else the compact one, for a world small enough to scan
    for every card (:data:`PROFILE_ROWS`); else none."""
    rows = sum(t.rows for t in world.schema().tables.values())
    if not full and not 0 < rows <= PROFILE_ROWS:
        return None
    return profile_tables(world.schema(), world.limits, full=full)


def sql_tables(world: World, profiled: Profiled) -> list[str]:
    """The tables SQL sees: DDL with facts beside each column, where each came from, its size
    and three rows; then keys whose values do not all join."""
    schema = world.schema()
    rows = sum(t.rows for t in schema.tables.values())
    facts: dict[str, list[str]] = {}
    copies: dict[str, str] = {}
    joins: list[Join] = []
    if 0 < rows <= PROFILE_ROWS and profiled is not None:
        tables, joins = profiled
        facts = {t.name: [compact(c, t.rows) for c in t.columns] for t in tables}
        copies = {t.name: f" ({copies_text(t)})" for t in tables if t.copies}
    lines = [f"tables (SQL; SQLite {SQLITE_VERSION} underneath; each run is rolled back):"]
    if rows > PROFILE_ROWS:
        lines.append(f"-- {rows:,} rows: describe with profile=true for NULLs, distinct values, ranges "
                     "and keys that do not join (it scans every table)")
    for table in schema.tables.values():
        lines.append(f"-- from {table.source}: {table.rows:,} row{'s' if table.rows != 1 else ''}"
                     + copies.get(table.name, ""))
        lines.extend(_ddl(table, facts.get(table.name)))
        shown = table.sample if table.rows <= WHOLE_ROWS else table.sample[:SAMPLE_ROWS]
        if shown:
            sample = Table(columns=[c.name for c in table.columns], rows=[list(r) for r in shown],
                           row_count=len(shown))
            lines.extend("--   " + line for line in render_table(sample).splitlines()[:-1])
    checked = join_text(joins, problems_only=True)
    if checked:
        lines.append("-- keys into other tables:")
        lines += ["--   " + line for line in checked]
    for path, why in schema.problems.items():
        lines.append(f"-- {path} is not a table: {why}")
    if not schema.tables and not schema.problems:
        lines.append("-- (none: CSV, TSV, JSON and JSONL files become tables)")
    return lines + [""] + sql_functions()


def _ddl(table: SchemaTable, facts: list[str] | None) -> list[str]:
    """``CREATE TABLE`` with the facts of each column as a comment beside it."""
    lines = table.ddl().splitlines()
    if not facts:
        return lines
    body = lines[1:-1]
    width = max(len(line) for line in body)
    return [lines[0]] + [f"{line.ljust(width)}  -- {fact}" if fact else line
                         for line, fact in zip(body, facts, strict=True)] + [lines[-1]]


def column_type(values: list[str | None]) -> str:
    """The type a column's cells share: integer, number, date, boolean or string (empty cells ignored)."""
    cells: list[str] = [v for v in values if v]  # empty cells (None from the fast split) ignored
    if not cells:
        return "empty"
    # One whole-column match (a C loop), then checks per distinct value: a 1M-row file
    # is typed in a fraction of a second.
    if _INTEGERS.fullmatch("\n".join(cells)):
        return "integer"
    distinct = set(cells)
    if all(_NUMBER.match(v) for v in distinct):
        return "number"
    if all(_DATE.match(v) for v in distinct):
        return "date (text)"
    if all(v.lower() in ("true", "false") for v in distinct):
        return "boolean (text)"
    return "string"


def _file_detail(path: str, data: bytes) -> list[str]:
    lower = path.lower()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ["binary (not UTF-8)"]
    try:
        if lower.endswith((".csv", ".tsv")):
            return _csv_detail(text, "\t" if lower.endswith(".tsv") else ",")
        if lower.endswith(".json"):
            return _records_detail(json.loads(text), "JSON")
        if lower.endswith((".jsonl", ".ndjson")):
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
            return _records_detail(records, "JSON Lines")
    except (ValueError, csv.Error, RecursionError) as err:
        return [f"could not be read as data: {str(err)[:80]}"]
    return [f"text, {text.count(chr(10))} lines"]


def _csv_detail(text: str, sep: str) -> list[str]:
    plain = split_plain(text, sep)
    if plain is not None:  # the common export, split by column without the csv module
        header, columns = plain
        rows: Any = zip(*columns, strict=True)
        if any(None in c for c in columns):
            rows = [row for row in rows if any(row)]  # rows of empty cells only are not rows
        body = [[cell or "" for cell in row] for row in itertools.islice(rows, WHOLE_ROWS)]
        count = len(columns[0]) if columns else 0
        if isinstance(rows, list):
            count = len(rows)
        cols = [f"{name} {column_type(column)}"
                for name, column in zip(header[:MAX_COLUMNS], columns, strict=False)]
        return _csv_summary(sep, header, count, cols, body)
    rows = list(csv.reader(io.StringIO(text), delimiter=sep))
    if not rows:
        return ["CSV, empty"]
    header, body = rows[0], [r for r in rows[1:] if any(r)]
    cols = [f"{name} {column_type([r[i] if i < len(r) else '' for r in body])}"
            for i, name in enumerate(header[:MAX_COLUMNS])]
    return _csv_summary(sep, header, len(body), cols, body)


def _csv_summary(sep: str, header: list[str], count: int, cols: list[str],
                 body: list[list[str]]) -> list[str]:
    more = f", ... {len(header) - MAX_COLUMNS} more" if len(header) > MAX_COLUMNS else ""
    out = [f"{'TSV' if sep == chr(9) else 'CSV'}, {count} rows; columns: {', '.join(cols)}{more}"]
    out += ["sample: " + _csv_line(r, sep) for r in (body if count <= WHOLE_ROWS else body[:SAMPLE_ROWS])]
    return out


def _csv_line(cells: list[str], sep: str) -> str:
    """A row as it would be written: a cell holding the separator or a quote keeps its quotes,
    so ``"1,917.39"`` does not read as two cells."""
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="").writerow(cells)
    return out.getvalue()


def _records_detail(value: Any, kind: str) -> list[str]:
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        keys: dict[str, str] = {}
        for record in value:
            for k, v in record.items():
                keys.setdefault(k, _json_type(v))
        shape = ", ".join(f"{k} {t}" for k, t in list(keys.items())[:MAX_COLUMNS])
        out = [f"{kind}, {len(value)} records; keys: {shape}"]
        whole = len(value) <= WHOLE_ROWS  # a small file of definitions is shown as it is
        out += ["sample: " + json.dumps(v, ensure_ascii=False)[:600 if whole else 160]
                for v in (value if whole else value[:SAMPLE_ROWS])]
        return out
    return [f"{kind}, {_json_type(value)}"]


def _json_type(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int | float):
        return "number"
    if v is None:
        return "null"
    if isinstance(v, list):
        return "array"
    return "object" if isinstance(v, dict) else "string"
