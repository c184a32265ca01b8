"""Run compiled SQL with the host's stdlib ``sqlite3``: the tests' oracle and the bench's peer.

The same database image and polyfills as the guest, on the host's SQLite
(whose version may differ from the guest's 3.42). Statements run in one
transaction that is rolled back, like a run in the guest.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from .front import Compiled
from .functions import polyfills
from .schema import Schema


def connect(schema: Schema) -> sqlite3.Connection:
    """A fresh in-memory copy of the world's tables, with the polyfills registered."""
    con = sqlite3.connect(":memory:", isolation_level=None)
    if schema.database:
        con.deserialize(schema.database)
    polyfills().register(con)
    return con


def run_native(schema: Schema, compiled: Compiled) -> tuple[list[str], list[list[Any]]]:
    """The columns and rows of the last statement that returns rows (``[], []`` if none does)."""
    con = connect(schema)
    try:
        columns: list[str] = []
        rows: list[list[Any]] = []
        con.execute("SAVEPOINT run")
        for statement in compiled.statements:
            if statement.kind == "skip":
                continue
            cursor = con.execute(statement.sql)
            if cursor.description is not None:
                columns = [d[0] for d in cursor.description]
                rows = [list(r) for r in cursor.fetchall()]
        con.execute("ROLLBACK TO run")
        return columns, rows
    finally:
        con.close()
