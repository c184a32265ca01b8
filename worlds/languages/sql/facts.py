"""Facts about the world's data that the checks need, computed once per world.

Which columns hold a different value on every row (grouping by one of them
determines the rest of its row, as a primary key does in Postgres), and how
many values of a TEXT column are numbers (arithmetic on a column where none
is cannot be meant). Read from the serialized database with the host's
``sqlite3``, cached by the world's digest.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from .schema import Schema, quote

_CACHE: OrderedDict[str, _Facts] = OrderedDict()
_LOCK = threading.Lock()
_KEEP = 16
_NUMBER = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class _Facts:
    unique: dict[str, set[str]] = field(default_factory=dict)  # table -> unique, non-NULL columns
    #: (table, column) -> (share of values that are numbers, whether all are ISO dates)
    numeric: dict[tuple[str, str], tuple[float, bool]] = field(default_factory=dict)


def _facts(schema: Schema) -> _Facts:
    key = schema.digest
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    facts = _compute(schema)
    with _LOCK:
        _CACHE[key] = facts
        while len(_CACHE) > _KEEP:
            _CACHE.popitem(last=False)
    return facts


def _compute(schema: Schema) -> _Facts:
    facts = _Facts()
    if not schema.database:
        return facts
    con = sqlite3.connect(":memory:")
    try:
        con.deserialize(schema.database)
        for table in schema.tables.values():
            name = quote(table.name)
            cols = [quote(c.name) for c in table.columns]
            if not cols:
                continue
            parts = ", ".join(f"COUNT(DISTINCT {c}), COUNT({c})" for c in cols)
            row = con.execute(f"SELECT COUNT(*), {parts} FROM {name}").fetchone()
            total = row[0]
            facts.unique[table.name.lower()] = {
                c.name.lower() for i, c in enumerate(table.columns)
                if total > 0 and row[1 + 2 * i] == total and row[2 + 2 * i] == total}
            for c in table.columns:
                if c.type != "TEXT":
                    continue
                values = [v for (v,) in con.execute(f"SELECT {quote(c.name)} FROM {name} "
                                                    f"WHERE {quote(c.name)} IS NOT NULL")]
                if not values:
                    continue
                numbers = sum(1 for v in values if not isinstance(v, str) or _NUMBER.match(v))
                dates = all(isinstance(v, str) and _DATE.match(v) for v in values)
                facts.numeric[(table.name.lower(), c.name.lower())] = (numbers / len(values), dates)
    finally:
        con.close()
    return facts


def is_unique(schema: Schema, table: str, column: str) -> bool:
    """Whether every row of ``table`` has its own non-NULL value in ``column``."""
    return column.lower() in _facts(schema).unique.get(table.lower(), set())


def numeric_share(schema: Schema, table: str, column: str) -> tuple[float | None, bool]:
    """The share of a TEXT column's values that are numbers, and whether all are ISO dates."""
    found = _facts(schema).numeric.get((table.lower(), column.lower()))
    return (None, False) if found is None else found
