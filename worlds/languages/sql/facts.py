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
