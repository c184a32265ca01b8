"""Facts about the world's data that the checks need.

Which columns hold a different value on every row (grouping by one of them
determines the rest of its row, as a primary key does in Postgres), and how
many values of a TEXT column are numbers (arithmetic on a column where none
is cannot be meant). Computed when the tables are loaded (:mod:`.schema`).
"""

from __future__ import annotations

from .schema import Column, Schema


def _column(schema: Schema, table: str, column: str) -> Column | None:
    found = schema.table(table)
    return found.column(column) if found is not None else None


def is_unique(schema: Schema, table: str, column: str) -> bool:
    """Whether every row of ``table`` has its own non-NULL value in ``column``."""
    col = _column(schema, table, column)
    return col is not None and col.unique


def numeric_share(schema: Schema, table: str, column: str) -> tuple[float | None, bool]:
    """The share of a TEXT column's values that are numbers, and whether all are ISO dates."""
    col = _column(schema, table, column)
    return (None, False) if col is None else (col.numbers, col.dates)


def t_form(schema: Schema, table: str, column: str) -> str | None:
    """An example value, when ``column`` holds ISO times written with a ``T`` ('2024-02-01T08:30:00Z'):
    text that does not compare with what SQLite's ``datetime()`` writes ('2024-02-01 08:30:00')."""
    found = schema.table(table)
    col = found.column(column) if found is not None else None
    if found is None or col is None or not col.dates or col.type != "TEXT":
        return None
    index = found.columns.index(col)
    values = [row[index] for row in found.sample if index < len(row) and isinstance(row[index], str)]
    return values[0] if values and all(len(v) > 10 and v[10] == "T" for v in values) else None
