"""The corpus of good SQL: queries as models write them, each with the rows it must return.

``sql_corpus/good.toml`` holds the cases, in six dialects (sqlite, postgres, duckdb, mysql, tsql for
SQL Server, oracle) over the catalog worlds ``sales``, ``inventory`` and ``shop``. Each case is
checked twice:

* ``test_oracle_confirms_expected``: an independent engine, the stdlib ``sqlite3`` on the world's
  database image or DuckDB on the same typed tables, runs the query (or its ``oracle_sql``, an
  equivalent spelling the oracle accepts) and must return exactly the expected rows. SQLite
  oracle runs are repeated with ``PRAGMA reverse_unordered_selects`` so a result that depends on
  scan order (a missing or partial ORDER BY) is caught.
* ``test_world_returns_expected``: the world's SQL language must return the same columns and rows.

Conventions of ``good.toml``:

* TOML has no null: ``{}`` in an expected row stands for SQL NULL.
* Oracle values are normalized to what the world returns: ``datetime.date`` -> ``'YYYY-MM-DD'``,
  ``datetime.datetime`` -> ``'YYYY-MM-DD HH:MM:SS'``, ``Decimal`` -> ``int`` when integral else
  ``float``, ``bool`` -> 1/0. Numbers compare by value, as Python compares them (``2024 == 2024.0``),
  so whether an engine returns an integer or a float for a whole number is not checked; text
  never equals a number. Floats compare exactly: the queries round them with ``ROUND(x, 2)``.
* Every query orders its result fully, so row order is part of the expectation.
* ``read_as``: the dialect the front end reads a SQL Server or Oracle case in, when that is not its
  own (``OFFSET ... FETCH`` alone is read as Postgres, which means the same there).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import sqlite3
import tomllib
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from worlds import World, catalog
from worlds.languages.sql import schema
from worlds.languages.sql.front import compile_sql

CORPUS = Path(__file__).parent / "sql_corpus" / "good.toml"
DIALECTS = ("sqlite", "postgres", "duckdb", "mysql", "tsql", "oracle")
#: Dialects no oracle engine runs: their cases need an equivalent SQLite `oracle_sql`.
UNRUNNABLE = ("mysql", "tsql", "oracle")
WORLDS = ("sales", "inventory", "shop")
ORACLES = ("sqlite", "duckdb")
KEYS = {"name", "world", "dialect", "query", "oracle", "oracle_sql", "columns", "rows", "note", "read_as"}
MIN_PER_DIALECT = 12

CASES: list[dict[str, Any]] = tomllib.loads(CORPUS.read_text(encoding="utf-8"))["case"]


def expected_rows(case: dict[str, Any]) -> list[list[Any]]:
    """The case's rows with ``{}`` read as NULL."""
    return [[None if value == {} else value for value in row] for row in case["rows"]]


# -- oracles -------------------------------------------------------------------------------


@functools.cache
def world_schema(name: str) -> schema.Schema:
    return schema.load(catalog.load(name).files)


def statements(sql: str) -> list[str]:
    """``sql`` split at the semicolons that end statements (not those in quotes or comments)."""
    out, start, i, n = [], 0, 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"`":
            end = i + 1
            while end < n and not (sql[end] == ch and sql[end + 1:end + 2] != ch):
                end += 2 if sql[end] == ch else 1  # a doubled quote is part of the text
            i = end + 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            i = n if newline < 0 else newline + 1
        elif sql.startswith("/*", i):
            close = sql.find("*/", i + 2)
            i = n if close < 0 else close + 2
        elif ch == ";":
            out.append(sql[start:i])
            start = i = i + 1
        else:
            i += 1
    out.append(sql[start:])
    return [s.strip() for s in out if s.strip()]


def normalize(value: Any) -> Any:
    """An oracle's value as the world returns it (see the module docstring)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return value


def run_sqlite(world: str, sql: str, *, reverse: bool = False) -> tuple[list[str], list[list[Any]]]:
    """``sql`` run by the stdlib ``sqlite3`` on the world's database image."""
    con = sqlite3.connect(":memory:")
    try:
        con.deserialize(world_schema(world).database)
        if reverse:
            con.execute("PRAGMA reverse_unordered_selects = ON")
        cur = None
        for statement in statements(sql):
            cur = con.execute(statement)
        assert cur is not None and cur.description is not None, "the last statement returns no rows"
        columns = [d[0] for d in cur.description]
        return columns, [[normalize(v) for v in row] for row in cur.fetchall()]
    finally:
        con.close()


DUCK_TYPES = {"INTEGER": "BIGINT", "REAL": "DOUBLE", "TEXT": "VARCHAR"}


def run_duckdb(world: str, sql: str) -> tuple[list[str], list[list[Any]]]:
    """``sql`` run by DuckDB on the world's tables (same types and values as the SQLite image)."""
    duckdb = pytest.importorskip("duckdb")
    found = world_schema(world)
    source = sqlite3.connect(":memory:")
    con = duckdb.connect(":memory:")
    try:
        source.deserialize(found.database)
        for table in found.tables.values():
            name = schema.quote(table.name)
            cols = ", ".join(f"{schema.quote(c.name)} {DUCK_TYPES[c.type]}" for c in table.columns)
            con.execute(f"CREATE TABLE {name} ({cols})")
            rows = source.execute(f"SELECT * FROM {name}").fetchall()
            if rows:
                marks = ", ".join("?" * len(table.columns))
                con.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
        result = None
        for statement in statements(sql):
            result = con.execute(statement)
        assert result is not None and result.description is not None, "the last statement returns no rows"
        columns = [d[0] for d in result.description]
        return columns, [[normalize(v) for v in row] for row in result.fetchall()]
    finally:
        con.close()
        source.close()


def run_oracle(case: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    sql = case.get("oracle_sql") or case["query"]
    if case["oracle"] == "sqlite":
        columns, rows = run_sqlite(case["world"], sql)
        again = run_sqlite(case["world"], sql, reverse=True)
        assert again == (columns, rows), "the result depends on scan order: order it fully"
        return columns, rows
    return run_duckdb(case["world"], sql)


# -- tests ---------------------------------------------------------------------------------


def test_corpus_shape() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), [n for n, k in Counter(names).items() if k > 1]
    per_dialect = Counter(case["dialect"] for case in CASES)
    assert set(per_dialect) == set(DIALECTS), per_dialect
    assert all(per_dialect[d] >= MIN_PER_DIALECT for d in DIALECTS), per_dialect
    assert len(CASES) >= 56
    assert {case["world"] for case in CASES} == set(WORLDS)
    for case in CASES:
        assert set(case) <= KEYS and {"name", "world", "dialect", "query", "oracle", "columns",
                                      "rows"} <= set(case), case["name"]
        assert case["oracle"] in ORACLES, case["name"]
        assert case["name"].startswith(case["dialect"] + "_"), case["name"]
        assert case["rows"], f"{case['name']}: a case must return at least one row"
        assert all(len(row) == len(case["columns"]) for row in case["rows"]), case["name"]
        if case["dialect"] in UNRUNNABLE:
            assert case.get("oracle_sql"), f"{case['name']}: neither oracle runs {case['dialect']} spellings"


def test_shop_data_is_what_its_generator_writes() -> None:
    """``worlds/catalog/shop`` is the committed output of ``sql_corpus/make_shop.py``."""
    spec = importlib.util.spec_from_file_location("make_shop", CORPUS.parent / "make_shop.py")
    assert spec is not None and spec.loader is not None
    make_shop = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_shop)
    root = catalog.path("shop")
    written = make_shop.build()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in root.iterdir() if p.is_file()}
    assert on_disk == written


def test_statement_splitting() -> None:
    sql = "SELECT 'a;b' AS x; -- c;d\nSELECT \"e;\" /* f; */ FROM t;; SELECT 'it''s;'"
    assert statements(sql) == ["SELECT 'a;b' AS x", "-- c;d\nSELECT \"e;\" /* f; */ FROM t",
                               "SELECT 'it''s;'"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_oracle_confirms_expected(case: dict[str, Any]) -> None:
    columns, rows = run_oracle(case)
    assert columns == case["columns"]
    assert rows == expected_rows(case)


@functools.cache
def world(name: str) -> World:
    return catalog.load(name)


VENDOR_CASES = [case for case in CASES if case["dialect"] in ("tsql", "oracle")]


@pytest.mark.parametrize("case", VENDOR_CASES, ids=[case["name"] for case in VENDOR_CASES])
def test_vendor_spellings_are_read_in_their_dialect(case: dict[str, Any]) -> None:
    """SQL Server and Oracle are read only when a spelling of their own marks them; a case written
    only in spellings they share with Postgres says so in ``read_as``."""
    expected = case.get("read_as", case["dialect"])
    assert compile_sql(case["query"], world_schema(case["world"])).dialect == expected


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_world_returns_expected(case: dict[str, Any]) -> None:
    result = world(case["world"]).run(case["query"], lang="sql")
    assert result.ok, str(result)
    assert result.table is not None, str(result)
    assert result.table.columns == case["columns"]
    assert result.table.rows == expected_rows(case)
