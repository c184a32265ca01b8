"""The SQL front end: dialect reading, each rewrite, polyfills, runtime errors, robustness.

Rewrites are table-driven: each case is a query in some dialect, the dialect
it must be read as, and a plain SQLite query (the oracle) that the host's
``sqlite3`` runs directly on the world's database; the compiled query, run
by :func:`run_native` with the polyfills, must return the oracle's rows and
column names.
"""

from __future__ import annotations

import functools
import sqlite3
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worlds import catalog
from worlds.diagnostics import Diagnostic
from worlds.languages.sql import functions, schema
from worlds.languages.sql.front import Compiled, Statement, compile_sql, runtime_error
from worlds.languages.sql.native import connect, run_native


@functools.cache
def world(name: str) -> schema.Schema:
    return schema.load(catalog.load(name).files)


def compiled(query: str, name: str = "sales") -> Compiled:
    out = compile_sql(query, world(name))
    errors = [d for d in out.diagnostics if d.severity == "error"]
    assert not errors, [(d.code, d.message) for d in errors]
    return out


def oracle(sql: str, name: str) -> tuple[list[str], list[list[Any]]]:
    con = sqlite3.connect(":memory:")
    try:
        con.deserialize(world(name).database)
        cursor = con.execute(sql)
        return [d[0] for d in cursor.description], [list(r) for r in cursor.fetchall()]
    finally:
        con.close()


# -- reading: which dialect ------------------------------------------------------------------


@pytest.mark.parametrize("query, dialect", [
    ("SELECT region, SUM(units) FROM sales GROUP BY 1", "sqlite"),
    ("SELECT units / 2 FROM sales", "sqlite"),
    ("SELECT `region`, SUM(`units`) FROM `sales` GROUP BY `region`", "mysql"),
    ("SELECT date::date FROM sales", "postgres"),
    ("SELECT * FROM sales WHERE product ILIKE 'w%'", "postgres"),
    ("SELECT region, sum(units) FROM sales GROUP BY ALL", "duckdb"),
    ("SELECT * FROM sales QUALIFY row_number() OVER (ORDER BY units) = 1", "duckdb"),
    ("SELECT strftime(date::DATE, '%Y-%m') FROM sales", "duckdb"),
    ("SELECT strftime('%Y-%m', date) FROM sales", "sqlite"),
    ("SELECT * FROM sales ORDER BY units FETCH FIRST 3 ROWS ONLY", "postgres"),
    ("SELECT DATE_FORMAT(date, '%Y') FROM sales", "mysql"),
    ("SELECT GROUP_CONCAT(product SEPARATOR '; ') FROM sales", "mysql"),
    ("SELECT '::', 'ILIKE' FROM sales -- QUALIFY", "sqlite"),  # markers inside text do not count
])
def test_reading_order(query: str, dialect: str) -> None:
    assert compiled(query).dialect == dialect


def test_same_text_same_result() -> None:
    query = ("SELECT date_trunc('month', date::date) AS m, string_agg(product, ',' ORDER BY product) "
             "FROM sales GROUP BY 1")
    first = compile_sql(query, world("sales"))
    for _ in range(3):
        again = compile_sql(query, world("sales"))
        assert again.statements == first.statements and again.diagnostics == first.diagnostics


def test_sqlite_text_runs_as_written() -> None:
    query = ("SELECT region ,  sum(units*unit_price) FROM sales  WHERE units > 3 "
             "AND NOT region = 'x' GROUP BY 1")
    out = compiled(query)
    assert [s.sql for s in out.statements] == [query]


# -- rewrites, each checked against a plain SQLite oracle ------------------------------------

REWRITES: list[tuple[str, str, str, str, str]] = [
    # (name, world, query, dialect it is read as, oracle in plain SQLite)
    ("date_trunc_month", "sales", "SELECT date_trunc('month', date::date)::date AS m, COUNT(*) AS n FROM "
                                  "sales "
     "GROUP BY 1 ORDER BY 1", "postgres",
     "SELECT date(date, 'start of month') AS m, COUNT(*) AS n FROM sales GROUP BY 1 ORDER BY 1"),
    ("date_trunc_year_and_day", "sales", "SELECT date_trunc('year', date) AS y, date_trunc('day', date) AS d "
     "FROM sales ORDER BY order_id LIMIT 3", "postgres",
     "SELECT date(date, 'start of year') AS y, date(date) AS d FROM sales ORDER BY order_id LIMIT 3"),
    ("date_trunc_week_polyfill", "sales", "SELECT date_trunc('week', date) AS w, COUNT(*) AS n FROM sales "
     "GROUP BY 1 ORDER BY 1", "postgres",
     "SELECT date(date, '-6 days', 'weekday 1') AS w, COUNT(*) AS n FROM sales GROUP BY 1 ORDER BY 1"),
    ("date_trunc_quarter_polyfill", "sales", "SELECT date_trunc('quarter', date) AS q, SUM(units) AS u "
                                             "FROM sales "
     "GROUP BY 1 ORDER BY 1", "postgres",
     "SELECT date(date, 'start of month', printf('-%d months', (CAST(strftime('%m', date) AS INTEGER) - 1) "
     "% 3)) "
     "AS q, SUM(units) AS u FROM sales GROUP BY 1 ORDER BY 1"),
    ("string_agg_ordered", "sales", "SELECT region, string_agg(product, ', ' ORDER BY product DESC) AS p "
     "FROM sales GROUP BY region ORDER BY region", "postgres",
     "SELECT region, group_concat(product, ', ') AS p FROM (SELECT region, product FROM sales "
     "ORDER BY region, product DESC) GROUP BY region ORDER BY region"),
    ("string_agg_distinct", "sales", "SELECT region, string_agg(DISTINCT product, '; ' ORDER BY product) "
                                     "AS p "
     "FROM sales GROUP BY region ORDER BY region", "postgres",
     "SELECT region, group_concat(product, '; ') AS p FROM (SELECT DISTINCT region, product FROM sales "
     "ORDER BY region, product) GROUP BY region ORDER BY region"),
    ("string_agg_plain", "sales", "SELECT region, string_agg(product, '|') AS p FROM "
     "(SELECT * FROM sales WHERE order_id < 1004) GROUP BY region ORDER BY region", "postgres",
     "SELECT region, group_concat(product, '|') AS p FROM (SELECT * FROM sales WHERE order_id < 1004) "
     "GROUP BY region ORDER BY region"),
    ("group_concat_separator_mysql", "sales", "SELECT region, GROUP_CONCAT(DISTINCT product ORDER BY product "
     "SEPARATOR '/') AS p FROM sales GROUP BY region ORDER BY region", "mysql",
     "SELECT region, group_concat(product, '/') AS p FROM (SELECT DISTINCT region, product FROM sales "
     "ORDER BY region, product) GROUP BY region ORDER BY region"),
    ("array_agg_json", "sales", "SELECT region, array_agg(units ORDER BY units) AS u FROM sales "
     "GROUP BY region ORDER BY region", "postgres",
     "SELECT region, json_group_array(units) AS u FROM (SELECT region, units FROM sales ORDER BY region, "
     "units) "
     "GROUP BY region ORDER BY region"),
    ("ilike", "inventory", "SELECT sku FROM items WHERE name ILIKE 'PRIMER%' ORDER BY sku", "postgres",
     "SELECT sku FROM items WHERE lower(name) LIKE 'primer%' ORDER BY sku"),
    ("not_ilike", "inventory", "SELECT sku FROM items WHERE name NOT ILIKE '%SAW%' ORDER BY sku", "postgres",
     "SELECT sku FROM items WHERE lower(name) NOT LIKE '%saw%' ORDER BY sku"),
    ("like_is_case_sensitive_in_postgres", "inventory", "SELECT sku::text AS sku FROM items "
     "WHERE name LIKE 'Primer%' OR name LIKE 'primer_1' ORDER BY 1", "postgres",
     "SELECT sku FROM items WHERE name GLOB 'Primer*' OR name GLOB 'primer?1' ORDER BY 1"),
    ("casts", "sales", "SELECT order_id::text || '#' AS a, unit_price::int AS b, '2024-03-05'::date AS c, "
     "units::numeric / 4 AS d, CAST(date AS TIMESTAMP) AS e FROM sales ORDER BY order_id LIMIT 2", "postgres",
     "SELECT CAST(order_id AS TEXT) || '#' AS a, CAST(unit_price AS INTEGER) AS b, '2024-03-05' AS c, "
     "CAST(units AS REAL) / 4 AS d, datetime(date) AS e FROM sales ORDER BY order_id LIMIT 2"),
    ("group_by_all", "sales", "SELECT region, product, sum(units) AS u FROM sales GROUP BY ALL ORDER BY 1, 2",
     "duckdb", "SELECT region, product, sum(units) AS u FROM sales GROUP BY 1, 2 ORDER BY 1, 2"),
    ("order_by_all", "sales", "SELECT DISTINCT region, product FROM sales ORDER BY ALL", "duckdb",
     "SELECT DISTINCT region, product FROM sales ORDER BY 1, 2"),
    ("extract_parts", "sales", "SELECT EXTRACT(YEAR FROM date) AS y, EXTRACT(MONTH FROM date) AS m, "
     "EXTRACT(DAY FROM date) AS d, EXTRACT(QUARTER FROM date) AS q, EXTRACT(DOW FROM date) AS w, "
     "EXTRACT(DOY FROM date) AS j, date_part('epoch', date) AS e FROM sales ORDER BY order_id", "postgres",
     "SELECT CAST(strftime('%Y', date) AS INTEGER) AS y, CAST(strftime('%m', date) AS INTEGER) AS m, "
     "CAST(strftime('%d', date) AS INTEGER) AS d, (CAST(strftime('%m', date) AS INTEGER) + 2) / 3 AS q, "
     "CAST(strftime('%w', date) AS INTEGER) AS w, CAST(strftime('%j', date) AS INTEGER) AS j, "
     "unixepoch(date) AS e FROM sales ORDER BY order_id"),
    ("year_month_functions", "sales", "SELECT YEAR(date) AS y, MONTH(date) AS m, COUNT(*) AS n FROM `sales` "
     "GROUP BY YEAR(date), MONTH(date) ORDER BY y, m", "mysql",
     "SELECT CAST(strftime('%Y', date) AS INTEGER) AS y, CAST(strftime('%m', date) AS INTEGER) AS m, "
     "COUNT(*) AS n FROM sales GROUP BY 1, 2 ORDER BY 1, 2"),
    ("nulls_first_last", "shop", "SELECT name, tier FROM customers ORDER BY tier NULLS FIRST, name", "sqlite",
     "SELECT name, tier FROM customers ORDER BY tier IS NOT NULL, tier, name"),
    ("postgres_default_nulls_last", "shop", "SELECT name, tier::text AS tier FROM customers ORDER BY tier, "
                                            "name",
     "postgres", "SELECT name, tier FROM customers ORDER BY tier IS NULL, tier, name"),
    ("postgres_desc_nulls_first", "shop", "SELECT name, country::text AS country FROM customers "
     "ORDER BY country DESC, name", "postgres",
     "SELECT name, country FROM customers ORDER BY country IS NOT NULL, country DESC, name"),
    ("filter_clause", "sales", "SELECT product, COUNT(*) FILTER (WHERE region = 'north') AS n, "
     "SUM(units) FILTER (WHERE units > 10) AS big FROM sales GROUP BY product ORDER BY product", "sqlite",
     "SELECT product, SUM(region = 'north') AS n, SUM(CASE WHEN units > 10 THEN units END) AS big "
     "FROM sales GROUP BY product ORDER BY product"),
    ("qualify", "sales", "SELECT region, product, sum(units) AS units FROM sales GROUP BY region, product "
     "QUALIFY row_number() OVER (PARTITION BY region ORDER BY sum(units) DESC, product) = 1 ORDER BY region",
     "duckdb",
     "SELECT region, product, units FROM (SELECT region, product, sum(units) AS units, row_number() OVER "
     "(PARTITION BY region ORDER BY sum(units) DESC, product) AS rn FROM sales GROUP BY region, product) "
     "WHERE rn = 1 ORDER BY region"),
    ("qualify_alias_and_limit", "sales", "SELECT order_id, units, rank() OVER (ORDER BY units DESC) AS r "
     "FROM sales QUALIFY r <= 5 ORDER BY r, order_id LIMIT 4", "duckdb",
     "SELECT * FROM (SELECT order_id, units, rank() OVER (ORDER BY units DESC) AS r FROM sales) "
     "WHERE r <= 5 ORDER BY r, order_id LIMIT 4"),
    ("distinct_on", "shop", "SELECT DISTINCT ON (customer_id) customer_id, order_date, status FROM orders "
     "ORDER BY customer_id, order_date DESC, order_id DESC", "postgres",
     "SELECT customer_id, order_date, status FROM (SELECT customer_id, order_date, status, row_number() OVER "
     "(PARTITION BY customer_id ORDER BY order_date DESC, order_id DESC) AS rn FROM orders) WHERE rn = 1 "
     "ORDER BY customer_id"),
    ("boolean_literals", "shop", "SELECT COUNT(*) FILTER (WHERE active = true) AS on_, "
     "COUNT(*) FILTER (WHERE active = FALSE) AS off FROM products", "sqlite",
     "SELECT SUM(active = 1) AS on_, SUM(active = 0) AS off FROM products"),
    ("boolean_in_postgres", "shop", "SELECT sku::text AS sku FROM products WHERE active IS NOT TRUE ORDER "
                                    "BY 1",
     "postgres", "SELECT sku FROM products WHERE active = 0 ORDER BY 1"),
    ("limit_offset", "sales", "SELECT order_id FROM sales ORDER BY order_id LIMIT 3 OFFSET 2", "sqlite",
     "SELECT order_id FROM sales ORDER BY order_id LIMIT 2, 3"),
    ("offset_without_limit", "sales", "SELECT order_id::int AS order_id FROM sales ORDER BY order_id "
                                      "OFFSET 37",
     "postgres", "SELECT order_id FROM sales ORDER BY order_id LIMIT -1 OFFSET 37"),
    ("limit_comma_mysql", "sales", "SELECT `order_id` FROM sales ORDER BY order_id LIMIT 5, 2", "mysql",
     "SELECT order_id FROM sales ORDER BY order_id LIMIT 2 OFFSET 5"),
    ("fetch_first", "sales", "SELECT order_id FROM sales ORDER BY units DESC, order_id FETCH FIRST 3 ROWS "
                             "ONLY",
     "postgres", "SELECT order_id FROM sales ORDER BY units DESC, order_id LIMIT 3"),
    ("offset_fetch_next", "sales", "SELECT order_id FROM sales ORDER BY order_id OFFSET 4 ROWS "
     "FETCH NEXT 2 ROWS ONLY", "postgres", "SELECT order_id FROM sales ORDER BY order_id LIMIT 2 OFFSET 4"),
    ("interval_arithmetic", "shop", "SELECT order_id, (order_date::date + INTERVAL '14 days')::date AS a, "
     "order_date::date - INTERVAL '1 month' AS b, order_date::date + 30 AS c, "
     "order_date::date - DATE '2024-01-01' AS d FROM orders ORDER BY order_id LIMIT 5", "postgres",
     "SELECT order_id, date(order_date, '+14 days') AS a, date(order_date, '-1 months') AS b, "
     "date(order_date, '+30 days') AS c, CAST(julianday(order_date) - julianday('2024-01-01') AS INTEGER) "
     "AS d "
     "FROM orders ORDER BY order_id LIMIT 5"),
    ("mysql_date_add_sub", "shop", "SELECT order_id, DATE_ADD(order_date, INTERVAL 2 WEEK) AS a, "
     "DATE_SUB(order_date, INTERVAL 1 YEAR) AS b, DATEDIFF('2024-07-01', order_date) AS c FROM `orders` "
     "ORDER BY order_id LIMIT 4", "mysql",
     "SELECT order_id, date(order_date, '+14 days') AS a, date(order_date, '-1 years') AS b, "
     "CAST(julianday('2024-07-01') - julianday(order_date) AS INTEGER) AS c FROM orders ORDER BY order_id "
     "LIMIT 4"),
    ("division_mysql_is_exact", "sales", "SELECT `region`, SUM(units) / COUNT(*) AS avg_units FROM sales "
     "GROUP BY region ORDER BY region", "mysql",
     "SELECT region, CAST(SUM(units) AS REAL) / COUNT(*) AS avg_units FROM sales GROUP BY region ORDER BY "
     "region"),
    ("text_functions", "inventory", "SELECT sku, LEFT(name, 3) AS a, RIGHT(sku, 3) AS b, "
     "CONCAT(category, ':', NULL, stock) AS c, CONCAT_WS('-', sku, NULL, category) AS d, "
     "split_part(name, ' ', 1) AS e, lpad(CAST(stock AS TEXT), 4, '0') AS f, "
     "regexp_replace(name, '[0-9]+', '#') AS g, initcap(name) AS h FROM items ORDER BY sku LIMIT 3",
     "postgres",
     "SELECT sku, substr(name, 1, 3) AS a, substr(sku, -3) AS b, category || ':' || stock AS c, "
     "sku || '-' || category AS d, substr(name, 1, instr(name || ' ', ' ') - 1) AS e, "
     "substr('0000' || stock, -4) AS f, "
     "CASE WHEN name GLOB '*[0-9]*' THEN substr(name, 1, instr(name, ' ')) || '#' ELSE name END AS g, "
     "upper(substr(name, 1, 1)) || substr(name, 2) AS h FROM items ORDER BY sku LIMIT 3"),
    ("regexp_operator", "inventory", "SELECT sku FROM items WHERE name ~ '^[a-z]+ [0-9]$' ORDER BY sku",
     "postgres",
     "SELECT sku FROM items WHERE name GLOB '[a-z]*' AND name GLOB '* [0-9]' AND name NOT GLOB '* * *' "
     "AND name NOT GLOB '*[^a-z0-9 ]*' ORDER BY sku"),
    ("statistics", "sales", "SELECT region, median(units) AS m, "
     "percentile_cont(0.5) WITHIN GROUP (ORDER BY units) AS p, round(stddev_pop(units), 6) AS s "
     "FROM sales GROUP BY region ORDER BY region", "sqlite",
     "WITH o AS (SELECT region, units, row_number() OVER (PARTITION BY region ORDER BY units) AS i, "
     "count(*) OVER (PARTITION BY region) AS n FROM sales) SELECT region, avg(units) AS m, "
     "avg(units) AS p, "
     "(SELECT round(sqrt(avg(u * u) - avg(u) * avg(u)), 6) FROM (SELECT units AS u FROM sales s "
     "WHERE s.region = o.region)) AS s FROM o WHERE i IN ((n + 1) / 2, (n + 2) / 2) GROUP BY region "
     "ORDER BY region"),
    ("now_and_current_date", "sales", "SELECT now()::date = CURRENT_DATE AS same", "postgres",
     "SELECT date('now') = date('now') AS same"),
]


@pytest.mark.parametrize("name, world_name, query, dialect, oracle_sql", REWRITES,
                         ids=[case[0] for case in REWRITES])
def test_rewrite_matches_oracle(name: str, world_name: str, query: str, dialect: str,
                                oracle_sql: str) -> None:
    out = compiled(query, world_name)
    assert out.dialect == dialect
    columns, rows = run_native(world(world_name), out)
    want_columns, want_rows = oracle(oracle_sql, world_name)
    assert rows == want_rows, [s.sql for s in out.statements]
    assert columns == want_columns


def test_unnamed_expressions_keep_their_text_as_name() -> None:
    out = compiled("SELECT region, sum(units) , date_trunc('month', max(date)) FROM sales GROUP BY region "
                   "ORDER BY region LIMIT 1")
    columns, _ = run_native(world("sales"), out)
    assert columns == ["region", "sum(units)", "date_trunc('month', max(date))"]


def test_several_statements_value_is_the_last() -> None:
    query = """
        BEGIN;
        CREATE TEMP TABLE totals AS SELECT region, SUM(units) AS units FROM sales GROUP BY region;
        INSERT INTO totals VALUES ('nowhere', 0);
        UPDATE totals SET units = units * 2 WHERE region = 'north';
        COMMIT;
        SELECT region, units FROM totals ORDER BY units DESC, region;
    """
    out = compile_sql(query, world("sales"))
    assert [s.kind for s in out.statements] == ["skip", "ddl", "write", "write", "skip", "query"]
    assert [d.code for d in out.diagnostics] == ["SQL2017", "SQL2017"]
    assert all(d.severity == "warning" for d in out.diagnostics)
    columns, rows = run_native(world("sales"), out)
    assert columns == ["region", "units"]
    assert rows[0] == ["north", 284] and rows[-1] == ["nowhere", 0]


def test_created_tables_are_checked_in_later_statements() -> None:
    query = "CREATE TEMP TABLE t AS SELECT region, SUM(units) AS total FROM sales GROUP BY region;\n" \
            "SELECT region, totl FROM t;"
    out = compile_sql(query, world("sales"))
    assert [d.code for d in out.diagnostics] == ["SQL2005"]
    assert out.diagnostics[0].notes == ["`t` has columns: region, total"]


def test_statement_offsets_point_into_the_source() -> None:
    query = "-- first\nSELECT 1 AS a;\n\n  SELECT region FROM regions ORDER BY region ;  -- last"
    out = compiled(query)
    assert [query[s.start:s.end] for s in out.statements] == ["SELECT 1 AS a", "SELECT region FROM regions "
                                                              "ORDER BY region"]


@pytest.mark.parametrize("query", [
    "SELECT s.region, r.manager FROM sales s JOIN regions r USING (region) WHERE region = 'north'",
    "SELECT region, SUM(units) AS units FROM sales GROUP BY region ORDER BY units DESC",
    "SELECT product, COUNT(*) FROM sales GROUP BY 1 HAVING COUNT(*) > 2 ORDER BY 1",
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5) SELECT x FROM n",
    "SELECT o.order_id, (SELECT COUNT(*) FROM sales i WHERE i.region = o.region) AS n FROM sales o "
    "ORDER BY 1 LIMIT 2",
    "SELECT key, value FROM json_each('[1, 2]')",
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
    "PRAGMA table_info(sales)",
    "SELECT order_id, date, units FROM sales WHERE (units, region) = (3, 'north') ORDER BY 1",
    "SELECT region AS r, COUNT(*) AS n FROM sales s GROUP BY r HAVING n > 5 ORDER BY r",
])
def test_valid_queries_have_no_findings(query: str) -> None:
    out = compile_sql(query, world("sales"))
    assert out.diagnostics == []
    run_native(world("sales"), out)


# -- polyfills -------------------------------------------------------------------------------------


def test_front_end_and_guest_agree_on_polyfills() -> None:
    module = functions.polyfills()
    con = connect(world("sales"))
    try:
        registered = {name for (name,) in con.execute("SELECT name FROM pragma_function_list")}
    finally:
        con.close()
    assert functions.polyfill_names() == set(module.SCALARS) | set(module.AGGREGATES)
    assert functions.polyfill_names() <= registered
    assert "worlds_left" not in functions.callable_names()


@pytest.mark.parametrize("unit, value, expected", [
    ("month", "2024-03-05", "2024-03-01"), ("week", "2024-03-07 10:00:00", "2024-03-04"),
    ("quarter", "2024-05-31", "2024-04-01"), ("year", "2024-05-31T23:59:59Z", "2024-01-01"),
    ("hour", "2024-03-05 10:42:17", "2024-03-05 10:00:00"), ("minute", "2024-03-05 10:42:17", "2024-03-05 "
                                                                                              "10:42:00"),
    ("day", "not a date", None), ("month", None, None),
])
def test_date_trunc_returns_iso_text(unit: str, value: str | None, expected: str | None) -> None:
    assert functions.polyfills().date_trunc(unit, value) == expected


# -- runtime errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("source, message, code, spanned", [
    ("SELECT substr(name) FROM items", "wrong number of arguments to function substr()", "SQL1008", "substr"),
    ("SELECT nope FROM t2", "no such column: nope", "SQL1002", "nope"),
    ("SELECT * FROM \"t 2\"", "no such table: t 2", "SQL1002", "\"t 2\""),
    ("SELECT order FROM items", 'near "order": syntax error', "SQL1007", "order"),
    ("DELETE FROM items", "not authorized", "SQL1004", "DELETE FROM items"),
    ("INSERT INTO t VALUES (1)", "UNIQUE constraint failed: t.id", "SQL1003", "INSERT INTO t VALUES (1)"),
    ("SELECT sum(9223372036854775807) FROM items", "integer overflow", "SQL1005",
     "SELECT sum(9223372036854775807) FROM items"),
    ("SELECT date_trunc('x', day) FROM movements", "user-defined function raised exception", "SQL1009",
     "date_trunc"),
    ("SELECT 1", "something new", "SQL1001", "SELECT 1"),
])
def test_runtime_errors_point_at_the_name(source: str, message: str, code: str, spanned: str) -> None:
    text = f"-- note\n{source};"
    start = text.index(source)
    statement = Statement(source, start, start + len(source), "query")
    diag = runtime_error(message, statement, text, world("inventory"))
    assert diag.code == code
    assert diag.span is not None
    begin, end = diag.span.start.offset(text), diag.span.end.offset(text)
    assert text[begin:end] == spanned


# -- robustness and speed ----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("SELECT FROMWHERE,()'\"`;*-/\n:\0x\ud800é1 ")) | st.characters(),
               max_size=120))
def test_any_text_gives_a_result(text: str) -> None:
    out = compile_sql(text, world("sales"))
    assert isinstance(out, Compiled)
    assert all(isinstance(d, Diagnostic) for d in out.diagnostics)
    for statement in out.statements:
        assert 0 <= statement.start <= statement.end <= len(text)


@pytest.mark.parametrize("text", [
    "", "   ;; -- nothing\n", "\0", "SELECT '\ud800'", "(" * 5000, "SELECT " + "1+" * 3000 + "1",
    "SELECT * FROM sales WHERE " + " AND ".join(["units > 1"] * 2000), "x" * 300_000,
    "SELECT " + ", ".join(f"c{i}" for i in range(2000)) + " FROM sales",
])
def test_hostile_text_gives_diagnostics_not_exceptions(text: str) -> None:
    out = compile_sql(text, world("sales"))
    assert isinstance(out, Compiled)
    if not text.strip(" ;-nothig\n"):
        assert [d.code for d in out.diagnostics] == ["SQL2021"]


def test_a_checker_bug_runs_the_program_unchecked(monkeypatch: pytest.MonkeyPatch) -> None:
    from worlds.languages.sql import names

    def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(names.Resolver, "statement", broken)
    out = compile_sql("SELECT 1 AS a; SELECT 2 AS b", world("sales"))
    assert [s.sql for s in out.statements] == ["SELECT 1 AS a", "SELECT 2 AS b"]
    assert [(d.code, d.severity) for d in out.diagnostics] == [("SQL2023", "note")]
    assert "RuntimeError: boom" in out.diagnostics[0].notes[0]


@pytest.mark.parametrize("query, rows", [
    ("SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s) ORDER BY n",
     [{"n": 1, "s": "a"}, {"n": 2, "s": "b"}]),
    ("SELECT v.s FROM (VALUES (1, 'a'), (2, 'b')) v(n, s) WHERE v.n = 2", [{"s": "b"}]),
    ('SELECT "N" FROM (VALUES (7)) AS v("N")', [{"N": 7}]),
    ("SELECT * FROM (VALUES (1, 'a')) AS v", [{"column1": 1, "column2": "a"}]),
])
def test_values_lists_take_column_names(query: str, rows: list[dict[str, Any]]) -> None:
    from worlds import World

    result = World(files={"t.csv": "x\n1\n"}).run(query, lang="sql")
    assert result.ok and result.value == rows, [d.message for d in result.diagnostics]


def test_iso_text_with_a_t_compared_with_datetime_is_a_warning_with_a_fix() -> None:
    from worlds import World
    world = World(files={"pings.csv": "id,ts\n1,2024-02-01T08:30:00Z\n2,2024-02-01T09:10:00Z\n"})
    r = world.run("SELECT id FROM pings WHERE ts > datetime('2024-02-01 09:00:00') ORDER BY id", "sql")
    (d,) = r.diagnostics
    assert d.code == "SQL2011" and d.severity == "warning" and "'T'" in d.message
    assert d.fixes[0].applicable and d.fixes[0].edits[0].replacement == "datetime(ts)"
    assert [row[0] for row in r.table.rows] == [1, 2]  # the mistake the warning is about: both rows
    fixed = world.run("SELECT id FROM pings WHERE datetime(ts) > datetime('2024-02-01 09:00:00') ORDER BY id",
                      "sql")
    assert not fixed.diagnostics and [row[0] for row in fixed.table.rows] == [2]
    between = world.run("SELECT id FROM pings WHERE ts BETWEEN datetime('2024-02-01 09:00:00') AND "
                        "'2024-02-02' ORDER BY id", "sql")
    assert not between.diagnostics[0].fixes[0].applicable


def test_a_row_fixed_by_a_unique_key_fixes_the_rows_joined_to_it() -> None:
    from worlds import World
    world = World(files={"s.csv": "session_id,charger,kwh\n1,10,5\n2,10,6\n3,11,7\n",
                         "c.csv": "charger,brand\n10,Ohmio\n11,Voltra\n"})
    fixed = world.run("SELECT s.session_id, c.brand, sum(s.kwh) AS k FROM s JOIN c ON c.charger = s.charger "
                      "GROUP BY s.session_id ORDER BY 1", "sql")
    assert fixed.ok and not fixed.diagnostics
    loose = world.run("SELECT c.brand, s.kwh, count(*) AS n FROM s JOIN c ON c.charger = s.charger "
                      "GROUP BY c.brand ORDER BY 1", "sql")
    assert [d.code for d in loose.diagnostics] == ["SQL2007"]
