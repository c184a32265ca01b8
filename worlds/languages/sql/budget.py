"""Why a SQL run ran out of budget: the steps taken, the plan, what multiplied the work.

A query stopped by its step budget (``limits.steps``) is either a big job or
one whose plan compares every row of one table with every row of another. The
guest sends the stopped statement's ``EXPLAIN QUERY PLAN``; this module reads
it against the tables' row counts, names the construct that multiplies the
work (a join or correlated subquery on an expression no index can serve),
and estimates the budget that would let the query finish.
"""

from __future__ import annotations

import math
from typing import Any

import sqlglot
from sqlglot import exp

from ...diagnostics import Diagnostic, Span, codes
from ...limits import Limits
from .schema import Schema

#: SQLite steps per row pair of a nested scan, and per row of a plain scan (grouping,
#: sorting, a few expressions): what a finishing budget is estimated from.
STEPS_PER_PAIR = 6
STEPS_PER_ROW = 60


def out_of_steps(*, sql: str, start: int, end: int, source: str, file: str, schema: Schema,
                 steps: int, limits: Limits, plan: list[list[Any]]) -> Diagnostic:
    """The diagnostic for a statement that used all of ``limits.steps``."""
    kind, notes, help_ = explain_work(sql, schema, plan, limits, finish=True)
    return Diagnostic(
        code=codes.STEPS, file=file, span=Span.from_offsets(source, start, end),
        message=f"the query used its whole budget of {limits.steps:,} SQLite steps: {kind}",
        label="stopped here", notes=notes, help=help_)


def explain_work(sql: str, schema: Schema, plan: list[list[Any]], limits: Limits, *,
                 finish: bool) -> tuple[str, list[str], list[str]]:
    """What kind of work ``sql`` is by its plan (a big job or a recursion that may not end),
    notes naming what multiplies it, and help; with ``finish``, the steps it would need."""
    tables = _aliases(sql, schema)
    scans = [(row[0], row[1], _scanned(row[2], tables)) for row in plan]
    full = [(node, parent, name, rows) for node, parent, (name, rows) in scans if name]
    notes = ["plan: " + "; ".join(str(row[2]) for row in plan)] if plan else []
    work = sum(rows for *_, rows in full) * STEPS_PER_ROW
    nested = _nested(plan, full)
    if nested:
        (outer, outer_rows), (inner, inner_rows) = nested
        pairs = outer_rows * inner_rows
        work = max(work, pairs * STEPS_PER_PAIR)
        cause = (f"for each of the {outer_rows:,} rows of `{outer}`, SQLite reads all {inner_rows:,} rows "
                 f"of `{inner}`: {pairs:,} row pairs")
        predicate = _unindexable(sql)
        if predicate:
            cause += f", because `{predicate}` compares expressions that no index can serve"
        notes.insert(0, cause)
    recursive = "RECURSIVE" in sql.upper() and any("RECURSIVE STEP" in str(r[2]) for r in plan)
    help_ = []
    if recursive:
        help_.append("a recursive CTE stops only when its recursive part returns no rows: check its WHERE")
    if nested:
        help_.append("compute the expression once (a CTE or `CREATE TEMP TABLE k AS SELECT upper(trim(x)) AS "
                     "key, ... FROM t`) and join on that column, so SQLite can build an index on it; or "
                     "aggregate the big table first and join the few rows that are left")
    if finish:
        needed = max(2 * limits.steps, _round_up(work))
        setting = f"`limits={{\"steps\": {needed:_}}}` (the run tool's `budget`)"
        help_.append(f"if it is meant to go deeper: {setting}" if recursive
                     else f"to let it finish as written (an estimate): {setting}")
    kind = "a recursive query that may never end" if recursive else "a big job, not a loop that never ends"
    return kind, notes, help_


def _round_up(n: int) -> int:
    """``n`` rounded up to two significant digits, so a suggestion reads as an estimate."""
    if n <= 0:
        return 0
    scale = 10 ** max(0, int(math.log10(n)) - 1)
    return int(-(-n // scale) * scale)


def _aliases(sql: str, schema: Schema) -> dict[str, tuple[str, int]]:
    """Names a plan may use for an input table (its name and aliases) -> (table, rows)."""
    found: dict[str, tuple[str, int]] = {}
    for table in schema.tables.values():
        found[table.name.lower()] = (table.name, table.rows)
    try:
        tree = sqlglot.parse_one(sql, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return found
    for node in tree.find_all(exp.Table):
        source = schema.table(node.name)
        if source is not None and node.alias:
            found[node.alias.lower()] = (source.name, source.rows)
    return found


def _scanned(detail: str, tables: dict[str, tuple[str, int]]) -> tuple[str, int]:
    """(table, rows) when a plan row reads a whole input table, else ("", 0)."""
    words = str(detail).split()
    if len(words) >= 2 and words[0] == "SCAN" and words[1].lower() in tables:
        return tables[words[1].lower()]
    return "", 0


def _nested(plan: list[list[Any]], full: list[tuple[int, int, str, int]]
            ) -> tuple[tuple[str, int], tuple[str, int]] | None:
    """The first full scan run once per row of another: a later sibling in a join, or a
    scan inside a correlated subquery under a scan."""
    parents = {row[0]: row[1] for row in plan}
    details = {row[0]: str(row[2]) for row in plan}
    for i, (_, parent, name, rows) in enumerate(full):
        for _, other_parent, other_name, other_rows in full[:i]:
            if other_parent == parent:  # joined: the later one is the inner loop
                return (other_name, other_rows), (name, rows)
            ancestor = parent
            while ancestor in parents:
                if details.get(ancestor, "").startswith("CORRELATED") and other_parent == parents[ancestor]:
                    return (other_name, other_rows), (name, rows)
                ancestor = parents[ancestor]
    return None


def _unindexable(sql: str) -> str:
    """The first equality whose sides are both expressions over columns (not bare columns)."""
    try:
        tree = sqlglot.parse_one(sql, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return ""
    for eq in tree.find_all(exp.EQ):
        sides = (eq.left, eq.right)
        if all(not isinstance(s, exp.Column) and s.find(exp.Column) for s in sides):
            return eq.sql(dialect="sqlite")
    return ""
