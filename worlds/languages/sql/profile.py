"""A data profile of a world's tables: what an agent would otherwise learn by writing queries.

Per column: NULLs, distinct values, the range, text lengths, the values of a
column with few of them, values that differ from another only in case or
surrounding spaces, text that reads as numbers; per table, rows that are exact
copies of another; across tables, key columns whose values do not all join.
Every figure comes from SQL run by the world's own engine (one scan per table
and a few small queries), so it is exact and deterministic. :func:`profile`
gives the facts; the card renders a compact form beside each column and the
full form on request (``describe(profile=True)``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ...limits import Limits
from . import engine
from .schema import Schema, Table, quote

#: A column with at most this many distinct values lists them (with counts).
FEW = 8
#: Groups read for the shapes of a text column. SQLite groups the values with their digits as 9
#: first, so 69,000 distinct amounts are a few dozen groups and a rare form (``($12.00)``)
#: shows; a column of more groups than this (free text) is shaped by its commonest.
SHAPE_VALUES = 10_000
#: SQLite steps a profile may take: the tool's own work, not a run's budget.
PROFILE_STEPS = 2_000_000_000


@dataclass
class ColumnProfile:
    name: str
    type: str
    nulls: int
    distinct: int
    low: Any
    high: Any
    shortest: int | None = None  # text columns: lengths in characters
    longest: int | None = None
    folded: int | None = None  # distinct values once lower(trim(...))
    padded: int = 0  # values with spaces around them
    numbers: float | None = None  # text that reads as numbers (the share, from loading)
    dates: bool = False  # every value starts with an ISO date (from loading)
    days: int | None = None  # dates: distinct days, and the days from the first to the last
    span: int | None = None
    months: int | None = None  # dates: distinct months, and the months from the first to the last
    month_span: int | None = None
    values: list[tuple[Any, int]] = field(default_factory=list)  # (value, rows), commonest first
    shapes: list[tuple[str, int]] = field(default_factory=list)  # full profile: (shape, rows)
    #: With many shapes (amounts of every length), the forms: each run of digits as one 9.
    forms: list[tuple[str, int]] = field(default_factory=list)
    every_shape: bool = True  # the shapes counted every value (not only the commonest groups)
    #: JSON text: what its records hold ("object", or "array" of objects), and per key its JSON
    #: types with counts and, for a key with few values, those values.
    json: str | None = None
    keys: list[JsonKey] = field(default_factory=list)


@dataclass
class JsonKey:
    name: str
    types: list[tuple[str, int]]  # JSON type ("text", "integer", "true", ...) and how many
    values: list[Any] | None = None  # its text values, when there are at most FEW
    distinct: int = 0  # its distinct text values


@dataclass
class TableProfile:
    name: str
    rows: int
    columns: list[ColumnProfile]
    copies: int | None = None  # rows that repeat an earlier row exactly
    copied: list[Any] | None = None  # the first such row (its cells, then how many times it occurs)


@dataclass
class Join:
    """Values of ``left`` (a key column) not found in ``right``, and how many match once folded."""

    left: str
    right: str
    missing: int
    distinct: int
    folded: int
    examples: list[Any]


def profile(schema: Schema, limits: Limits, *, full: bool = False) -> tuple[list[TableProfile], list[Join]]:
    """The profile of every table of ``schema`` (``full`` adds the commonest values of every
    column), and the joins between key columns and the columns they point at."""
    budget = limits.model_copy(update={"steps": max(limits.steps, PROFILE_STEPS),
                                       "wall_ms": max(limits.wall_ms, 120_000)})
    tables = [_table(schema, table, budget, full) for table in schema.tables.values()]
    return tables, _joins(schema, budget)


def _query(schema: Schema, sql: str, limits: Limits) -> list[list[Any]]:
    reply = engine.execute(schema, [sql], limits=limits, now_ns=0, seed=0)
    if reply.stop is not None or reply.error is not None:
        return []
    return reply.rows


def _table(schema: Schema, table: Table, limits: Limits, full: bool) -> TableProfile:
    t = quote(table.name)
    parts = []
    for column in table.columns:
        c = quote(column.name)
        parts += [f"COUNT(*) - COUNT({c})", f"COUNT(DISTINCT {c})", f"MIN({c})", f"MAX({c})"]
        if column.type == "TEXT":
            parts += [f"MIN(length({c}))", f"MAX(length({c}))", f"COUNT(DISTINCT lower(trim({c})))",
                      f"SUM({c} <> trim({c}))"]
    rows = _query(schema, f"SELECT {', '.join(parts)} FROM {t}", limits)
    cells = iter(rows[0]) if rows else iter([None] * len(parts))
    columns = []
    for column in table.columns:
        c = quote(column.name)
        nulls, distinct, low, high = (next(cells) for _ in range(4))
        found = ColumnProfile(column.name, column.type, nulls or 0, distinct or 0, low, high,
                              numbers=column.numbers, dates=column.dates)
        if column.type == "TEXT":
            found.shortest, found.longest, found.folded, padded = (next(cells) for _ in range(4))
            found.padded = padded or 0
        repeats = found.distinct < table.rows - found.nulls
        listed = bool(found.distinct) and (found.distinct <= FEW or (full and repeats))
        if listed:
            found.values = [(v, n) for v, n in _query(schema, (
                f"SELECT {c}, COUNT(*) FROM {t} WHERE {c} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 "
                f"LIMIT {FEW}"), limits)]
        if column.type == "TEXT":
            digits = c
            for d in "012345678":
                digits = f"replace({digits}, '{d}', '9')"
            grouped = _query(schema, f"SELECT {digits}, COUNT(*) FROM {t} WHERE {c} IS NOT NULL GROUP BY 1 "
                                     f"ORDER BY 2 DESC, 1 LIMIT {SHAPE_VALUES}", limits)
            found.shapes, found.forms = _shapes(grouped)
            found.every_shape = len(grouped) < SHAPE_VALUES
            if found.shapes and found.shapes[0][0][:1] in ("{", "["):
                found.json, found.keys = _json_keys(schema, t, c, found.shapes[0][0][:1], limits)
        if column.dates and found.distinct:
            first, last = f"substr(min({c}), 1, 10)", f"substr(max({c}), 1, 10)"
            dated = _query(schema, (
                f"SELECT COUNT(DISTINCT substr({c}, 1, 10)), CAST(julianday({last}) - julianday({first}) "
                f"AS INTEGER) + 1, COUNT(DISTINCT substr({c}, 1, 7)), (CAST(substr({last}, 1, 4) AS INTEGER) "
                f"- CAST(substr({first}, 1, 4) AS INTEGER)) * 12 + CAST(substr({last}, 6, 2) AS INTEGER) "
                f"- CAST(substr({first}, 6, 2) AS INTEGER) + 1 FROM {t}"), limits)
            if dated and None not in dated[0]:
                found.days, found.span, found.months, found.month_span = dated[0]
        columns.append(found)
    copies, copied = None, None
    if table.rows:
        distinct_rows = _query(schema, f"SELECT COUNT(*) FROM (SELECT DISTINCT * FROM {t})", limits)
        copies = table.rows - distinct_rows[0][0] if distinct_rows else None
    if copies:
        every = ", ".join(quote(c.name) for c in table.columns)
        repeated = _query(schema, (f"SELECT {every}, COUNT(*) FROM {t} GROUP BY {every} "
                                   f"HAVING COUNT(*) > 1 ORDER BY {every} LIMIT 1"), limits)
        copied = repeated[0] if repeated else None
    return TableProfile(table.name, table.rows, columns, copies, copied)


def _json_keys(schema: Schema, t: str, c: str, opening: str,
               limits: Limits) -> tuple[str | None, list[JsonKey]]:
    """The keys of a JSON column's objects (or of the objects in its arrays): an agent would
    otherwise query them to learn that ``log[].at`` is text in some rows and a number in others."""
    if opening == "{":
        kind = "object"
        source = f"json_each({t}.{c}) k WHERE json_valid({t}.{c}) AND json_type({t}.{c}) = 'object'"
    else:
        kind = "array"
        source = (f"json_each({t}.{c}) e, json_each(e.value) k WHERE json_valid({t}.{c}) "
                  f"AND json_type({t}.{c}) = 'array' AND e.type = 'object'")
    rows = _query(schema, f"SELECT k.key, k.type, COUNT(*), COUNT(DISTINCT k.atom) FROM {t}, {source} "
                          f"GROUP BY 1, 2 ORDER BY 1, 3 DESC LIMIT 200", limits)
    keys: dict[str, JsonKey] = {}
    few = []
    for name, kind_of, count, distinct in rows:
        key = keys.setdefault(str(name), JsonKey(str(name), []))
        key.types.append((str(kind_of), count))
        if kind_of == "text":
            key.distinct = distinct
            if distinct <= FEW:
                few.append(str(name))
    for name in few[:20]:
        values = _query(schema, f"SELECT DISTINCT k.atom FROM {t}, {source} AND k.key = {_literal(name)} "
                                f"AND k.type = 'text' ORDER BY 1 LIMIT {FEW}", limits)
        keys[name].values = [v for (v,) in values]
    return (kind if keys else None), list(keys.values())


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_DIGITS = re.compile(r"[0-9]")
_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")


_RUNS = re.compile(r"(A)A+|(a)a+")


def shape(text: str) -> str:
    """``text`` with each digit as 9 and each run of capitals or small letters as one A or a:
    ``2024-01-05`` is ``9999-99-99``, ``Ann Lee`` is ``Aa Aa``, ``c003 `` is ``a999 ``."""
    out = _LOWER.sub("a", _UPPER.sub("A", _DIGITS.sub("9", text)))
    return _RUNS.sub(lambda m: m.group(1) or m.group(2), out)


def _shapes(values: list[list[Any]]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The commonest shapes, and (when there are more than eight) the commonest forms."""
    shapes: Counter[str] = Counter()
    for value, n in values:
        shapes[shape(str(value))] += n
    forms: Counter[str] = Counter()
    if len(shapes) > 8:
        for found, n in shapes.items():
            forms[_RUN_OF_NINES.sub("9", found)] += n

    def commonest(counts: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:8]
    return commonest(shapes), commonest(forms)


_RUN_OF_NINES = re.compile(r"9+")


def _joins(schema: Schema, limits: Limits) -> list[Join]:
    """Key columns whose values are not all found in the column they point at: a unique
    column of the same name in another table (``order_items.sku`` and ``products.sku``),
    or the id of the table they name (``orders.customer_id`` and ``customers.id``)."""
    tables = list(schema.tables.values())
    found = []
    for left in tables:
        for column in left.columns:
            for right in tables:
                target = _target(column.name.lower(), right) if right is not left else None
                join = _join(schema, left, column.name, right, target, limits) if target else None
                if join is not None:
                    found.append(join)
    return found


def _target(name: str, table: Table) -> str | None:
    """The column of ``table`` that a column called ``name`` points at, if any."""
    for column in table.columns:
        if column.name.lower() == name and column.unique and name != "id":
            return column.name
    singular = table.name.lower().removesuffix("s")
    for suffix in ("id", "key", "code"):
        stem = name.removesuffix(suffix).rstrip("_")
        if name.endswith(suffix) and stem and stem in (table.name.lower(), singular):
            keys = [c.name for c in table.columns
                    if c.name.lower() in (suffix, f"{singular}_{suffix}") and c.unique]
            return keys[0] if keys else None
    return None


def _join(schema: Schema, left: Table, column: str, right: Table, target: str, limits: Limits) -> Join | None:
    lt, lc, rt, rc = quote(left.name), quote(column), quote(right.name), quote(target)
    rows = _query(schema, (
        f"SELECT COUNT(DISTINCT {lc}), COUNT(DISTINCT CASE WHEN {lc} NOT IN (SELECT {rc} FROM {rt} "
        f"WHERE {rc} IS NOT NULL) THEN {lc} END), COUNT(DISTINCT CASE WHEN {lc} NOT IN (SELECT {rc} "
        f"FROM {rt} WHERE {rc} IS NOT NULL) AND lower(trim({lc})) IN (SELECT lower(trim({rc})) FROM {rt}) "
        f"THEN {lc} END) FROM {lt} WHERE {lc} IS NOT NULL"), limits)
    if not rows:
        return None
    distinct, missing, folded = rows[0]
    if missing == distinct and not folded:
        return None  # nothing in common, even folded: not a key into that table
    examples = [r[0] for r in _query(schema, (
        f"SELECT DISTINCT {lc} FROM {lt} WHERE {lc} IS NOT NULL AND {lc} NOT IN "
        f"(SELECT {rc} FROM {rt} WHERE {rc} IS NOT NULL) ORDER BY 1 LIMIT 3"), limits)]
    return Join(f"{left.name}.{column}", f"{right.name}.{target}", missing, distinct, folded, examples)


# -- text ----------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")


def compact(column: ColumnProfile, rows: int, *, shapes: bool = True) -> str:
    """One line of facts about ``column``, for a comment beside it in the card's DDL
    (``shapes``: with the shapes of a column of codes or dates in several formats)."""
    facts = []
    present = rows - column.nulls
    if column.nulls:
        facts.append(f"{column.nulls:,} NULL" if column.nulls < rows else "all NULL")
    if not present:
        return "; ".join(facts)
    unique = column.distinct == present and present > 1
    listed = bool(column.values) and column.distinct <= FEW and not unique
    if listed:
        facts.append("values " + _counted(column.values))
    else:
        facts.append("unique" if unique else f"{column.distinct:,} distinct")
        if column.low is not None:
            # Text that starts with digits but is no ISO date sorts as text: '01/03' comes before '29/02'.
            order = " in text order" if column.type == "TEXT" and isinstance(column.low, str) \
                and column.low[:1].isdigit() and not _ISO_DATE.match(column.low) else ""
            facts.append(f"{_value(column.low)} .. {_value(column.high)}{order}")
    if column.type != "TEXT":
        return "; ".join(facts)
    if column.days is not None and column.span is not None and column.span > 1:
        facts.append(_coverage(column))
    if not listed and column.shortest is not None:
        facts.append(f"{column.shortest} chars" if column.shortest == column.longest
                     else f"{column.shortest}-{column.longest} chars")
    if column.numbers:
        share = "all" if column.numbers == 1 else f"{column.numbers:.0%}"
        facts.append(f"{share} read as numbers")
    if shapes and not column.json and len(column.shapes) > 1 and any(ch == "9" for ch in column.shapes[0][0]):
        if column.forms:
            facts.append(_sampled(column, "forms") + "(a run of digits as 9) " + _counted(column.forms))
        else:
            facts.append(_sampled(column, "shapes") + _counted(column.shapes))
    if column.json:
        facts.append(json_text(column))
    if column.folded is not None and column.folded < column.distinct:
        how = "case or spaces" if column.padded else "case"  # with no padded value, trim changes nothing
        facts.append(f"{column.distinct - column.folded:,} differ from another only in {how}")
    if column.padded:
        facts.append(f"{column.padded:,} with spaces around")
    return "; ".join(facts)


def json_text(column: ColumnProfile) -> str:
    """``JSON objects in an array: at (text 30,073, integer 11,268), by (text: 'a01', ...)``."""
    def key(k: JsonKey) -> str:
        types = ", ".join(t if len(k.types) == 1 else f"{t} {n:,}" for t, n in k.types)
        values = (f": {', '.join(_value(v) for v in k.values)}" if k.values
                  else f", {k.distinct:,} distinct texts" if k.distinct else "")
        return f"{k.name} ({types}{values})"
    where = "JSON objects" if column.json == "object" else "JSON arrays of objects"
    return f"{where} with keys " + ", ".join(key(k) for k in column.keys)


def _counted(pairs: list[tuple[Any, int]]) -> str:
    """``'a' (12), 'b' (3)``: values or shapes with their rows."""
    return ", ".join(f"{_value(v)} ({n:,})" for v, n in pairs)


def _sampled(column: ColumnProfile, what: str) -> str:
    """How the shapes were counted: over every value, or (many distinct ones) the commonest."""
    return f"{what} " if column.every_shape else f"{what} of the commonest values "


def copies_text(table: TableProfile) -> str:
    """How many rows repeat an earlier row exactly (duplicates that are true copies), if any."""
    if not table.copies:
        return ""
    example = ""
    if table.copied:
        *cells, times = table.copied
        example = f", e.g. {' | '.join('NULL' if v is None else _value(v) for v in cells)} x{times}"
    rows = f"{table.copies:,} row{' repeats' if table.copies == 1 else 's repeat'}"
    return f"{rows} an earlier row exactly{example}"


def _coverage(column: ColumnProfile) -> str:
    """Which days and months between a date column's first and last have rows."""
    if column.days == column.span:
        return "a row on every day"
    days = f"rows on {column.days:,} of the {column.span:,} days"
    if column.months is None or column.month_span is None or column.month_span < 2:
        return days
    if column.months == column.month_span:
        return f"{days}, in every month"
    return f"{days}, in {column.months:,} of the {column.month_span:,} months"


def full_text(tables: list[TableProfile], joins: list[Join]) -> list[str]:
    """The full profile, one block per table."""
    lines = []
    for table in tables:
        # Said when there are none too: an agent could not tell "none" from "not checked".
        copies = f"; {copies_text(table)}" if table.copies else \
            "; no row repeats another exactly" if table.copies == 0 else ""
        lines.append(f"{table.name}: {table.rows:,} rows{copies}")
        for column in table.columns:
            lines.append(f"  {column.name} {column.type}: {compact(column, table.rows, shapes=False)}")
            if column.values and column.distinct > FEW and column.values[0][1] > 1:
                lines.append("    commonest: " + _counted(column.values))
            if column.shapes:
                lines.append(f"    {_sampled(column, 'shapes')}(9 a digit, A/a a run of letters): "
                             + _counted(column.shapes))
            if column.forms:
                lines.append(f"    {_sampled(column, 'forms')}(a run of digits as 9): "
                             + _counted(column.forms))
    if joins:
        lines.append("keys into other tables:")
        lines += ["  " + line for line in join_text(joins)]
    return lines


def join_text(joins: list[Join], *, problems_only: bool = False) -> list[str]:
    """A line per join: the values not found, or that all are; ``problems_only``: the joins
    that lose values, then one line naming those that do not."""
    out = []
    whole = [f"{j.left} -> {j.right}" for j in joins if not j.missing]
    if problems_only and whole:
        out.append("every value found: " + ", ".join(whole))
    for join in joins:
        if not join.missing:
            if not problems_only:
                out.append(f"{join.left} -> {join.right}: all {join.distinct:,} values found")
            continue
        folded = (f"; {join.folded:,} of them match once lower(trim(...))" if join.folded else "")
        out.append(f"{join.left} -> {join.right}: {join.missing:,} of {join.distinct:,} values not found "
                   f"(e.g. {', '.join(_value(v) for v in join.examples)}){folded}")
    return out


def _value(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:39] + "…"
        return "'" + shown.replace("'", "''") + "'"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{value:.1f}"
    return str(value)
