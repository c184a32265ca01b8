"""The SQL engine: SQLite compiled for WASI on a live guest, results, isolation, limits."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading

import pytest

from worlds import World
from worlds.errors import WorldError
from worlds.languages.sql import engine
from worlds.result import Table

SALES = World(files={
    "sales.csv": "id,region,amount,day\n1,north,10,2024-01-05\n2,south,5.5,2024-02-10\n"
                 "3,north,7,2024-02-11\n4,east,,2024-03-01\n",
    "regions.csv": "region,manager\nnorth,Ada\nsouth,Grace\neast,Linus\n",
}, now="2024-06-30T12:00:00Z", seed=7)


def test_rows_come_back_as_table_and_objects() -> None:
    result = SALES.run("SELECT region, SUM(amount) AS total FROM sales GROUP BY region ORDER BY region",
                       lang="sql")
    assert result.ok, result
    assert result.table == Table(columns=["region", "total"],
                                 rows=[["east", None], ["north", 17.0], ["south", 5.5]], row_count=3)
    assert result.value == [{"region": "east", "total": None}, {"region": "north", "total": 17.0},
                            {"region": "south", "total": 5.5}]
    text = str(result)
    assert "region | total" in text and "east   |  NULL" in text and "(3 rows)" in text


def test_repeated_column_names_stay_apart_in_value() -> None:
    result = SALES.run("SELECT s.region, r.region FROM sales s JOIN regions r USING (region) "
                       "ORDER BY s.id LIMIT 1", lang="sql")
    assert result.ok, result
    assert result.table is not None and result.table.columns == ["region", "region"]
    assert result.value == [{"region": "north", "region_2": "north"}]


def test_blobs_and_big_results_are_shown_readably() -> None:
    result = SALES.run("SELECT x'CAFE' AS b", lang="sql")
    assert result.value == [{"b": "X'CAFE'"}]
    many = SALES.run("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12345) "
                     "SELECT i FROM n", lang="sql")
    assert many.ok and many.table is not None
    assert many.table.row_count == 12345 and len(many.table.rows) == engine.MAX_ROWS
    assert "... 12,325 more rows (12,345 in all)" in str(many)


def test_values_are_always_json() -> None:
    import json

    result = SALES.run("SELECT 1e999 AS big, -1e999 AS small, 9223372036854775807 AS top", lang="sql")
    assert result.value == [{"big": "Infinity", "small": "-Infinity", "top": 9223372036854775807}]
    json.dumps(result.to_json(), allow_nan=False)
    bad_text = SALES.run("SELECT CAST(x'ff' AS TEXT) AS t", lang="sql")
    assert not bad_text.ok and "UTF-8" in bad_text.diagnostics[0].message


def test_last_statement_gives_the_value_and_temp_tables_work() -> None:
    result = SALES.run("CREATE TEMP TABLE big AS SELECT * FROM sales WHERE amount > 6;\n"
                       "INSERT INTO big (id, region, amount) VALUES (9, 'west', 99);\n"
                       "SELECT region, amount FROM big ORDER BY amount", lang="sql")
    assert result.ok, result
    assert result.value == [{"region": "north", "amount": 7.0}, {"region": "north", "amount": 10.0},
                            {"region": "west", "amount": 99.0}]


def test_runs_cannot_see_each_others_changes() -> None:
    assert SALES.run("CREATE TABLE scratch AS SELECT 1 AS x; SELECT x FROM scratch", lang="sql").ok
    again = SALES.run("CREATE TABLE scratch AS SELECT 2 AS x; SELECT x FROM scratch", lang="sql")
    assert again.ok, again
    assert again.value == [{"x": 2}]
    assert SALES.run("SELECT name FROM sqlite_master WHERE name = 'scratch'", lang="sql").value == []


def test_input_tables_are_read_only_and_stay_intact() -> None:
    for write in ("DELETE FROM sales", "UPDATE sales SET amount = 0", "DROP TABLE sales",
                  "INSERT INTO sales (id) VALUES (5)", "ALTER TABLE sales ADD COLUMN x"):
        result = SALES.run(write, lang="sql")
        assert not result.ok, write
    assert SALES.run("SELECT COUNT(*) AS n FROM sales", lang="sql").value == [{"n": 4}]


def test_runtime_errors_become_diagnostics() -> None:
    result = SALES.run("SELECT 1;\nSELECT abs('x', 2)", lang="sql")
    assert not result.ok
    assert result.diagnostics[-1].code.startswith("SQL")
    assert result.value is None and result.table is None


@pytest.mark.parametrize("code", [
    "ATTACH DATABASE 'other.db' AS other",
    "SELECT load_extension('evil')",
    "PRAGMA writable_schema = ON",
    "PRAGMA cache_size = 5",
])
def test_escapes_are_refused_with_a_diagnostic(code: str) -> None:
    result = SALES.run(code, lang="sql")
    assert not result.ok, code
    assert result.diagnostics and all(d.message for d in result.diagnostics)
    assert SALES.run("SELECT COUNT(*) AS n FROM sales", lang="sql").value == [{"n": 4}]


def test_transaction_statements_are_skipped_with_a_warning() -> None:
    result = SALES.run("BEGIN;\nCREATE TEMP TABLE t AS SELECT 1 AS x;\nCOMMIT;\nSELECT x FROM t", lang="sql")
    assert result.ok, result
    assert result.value == [{"x": 1}]
    assert [d.severity for d in result.diagnostics] == ["warning", "warning"]
    assert SALES.run("SELECT name FROM sqlite_temp_master", lang="sql").value == []


def test_endless_recursion_stops_on_steps_and_the_next_run_works() -> None:
    result = SALES.run("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                       "SELECT COUNT(*) FROM r", lang="sql", limits={"steps": 3_000_000})
    assert [d.code for d in result.diagnostics] == ["RUN1008"]
    assert result.stats.fuel == 3_000_000  # stopped at exactly the budget, and says so
    assert "recursive" in result.diagnostics[0].message
    assert SALES.run("SELECT COUNT(*) AS n FROM sales", lang="sql").value == [{"n": 4}]


def test_cross_join_of_large_tables_is_contained() -> None:
    big = World(files={"a.csv": "x\n" + "".join(f"{i}\n" for i in range(3000))})
    result = big.run("SELECT COUNT(*) FROM a AS p, a AS q, a AS r", lang="sql",
                     limits={"steps": 3_000_000})
    assert [d.code for d in result.diagnostics] == ["RUN1008"]
    assert "3,000 rows of `a`" in result.diagnostics[0].notes[0]


@pytest.mark.parametrize("code", [
    "SELECT length(replace(hex(zeroblob(4000000)), '0', '0123456789'))",
    "SELECT length(printf('%.*c', 2000000000, 'x'))",
    "WITH RECURSIVE s(t) AS (SELECT 'x' UNION ALL SELECT t || t FROM s) SELECT length(t) FROM s",
])
def test_huge_strings_are_contained(code: str) -> None:
    result = SALES.run(code, lang="sql", limits={"fuel": 2_000_000_000})
    # Either SQLite refuses the size or a limit stops it; either way a diagnostic, and the world lives on.
    if result.ok:
        assert result.value is not None
    else:
        assert result.diagnostics[0].code.startswith(("SQL", "RUN"))
    assert SALES.run("SELECT COUNT(*) AS n FROM sales", lang="sql").value == [{"n": 4}]


def test_memory_limit_ends_the_run_not_the_process() -> None:
    result = SALES.run("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 300) "
                       "SELECT MAX(length(b)) FROM "
                       "(SELECT randomblob(1000000) AS b FROM r ORDER BY random() LIMIT 1000)",
                       lang="sql",
                       limits={"memory_bytes": 48 << 20})
    assert [d.code for d in result.diagnostics] == ["RUN1003"], result
    assert SALES.run("SELECT 1 AS one", lang="sql").value == [{"one": 1}]


def test_world_clock_and_seed_drive_now_and_random() -> None:
    code = "SELECT date('now') AS d, datetime('now') AS t, random() AS r, hex(randomblob(4)) AS b"
    first = SALES.run(code, lang="sql")
    assert first.value[0]["d"] == "2024-06-30" and first.value[0]["t"] == "2024-06-30 12:00:00"
    assert SALES.run(code, lang="sql").value == first.value
    other = World(files=SALES.files, now="2030-01-01T00:00:00Z", seed=8).run(code, lang="sql")
    assert other.value[0]["d"] == "2030-01-01"
    assert other.value[0]["r"] != first.value[0]["r"]


DETERMINISM_CODE = ("SELECT region, SUM(amount) AS total, random() AS r, datetime('now') AS t "
                    "FROM sales GROUP BY region ORDER BY region")


def test_results_and_receipts_are_the_same_warm_cold_and_in_another_process() -> None:
    warm = [SALES.run(DETERMINISM_CODE, lang="sql") for _ in range(3)]
    engine.POOL.clear()
    cold = SALES.run(DETERMINISM_CODE, lang="sql")
    assert len({r.receipt for r in [*warm, cold]}) == 1
    assert warm[0].to_json() == cold.to_json()
    script = (
        "from worlds import World\n"
        "import sys\n"
        f"w = World(files={SALES.files!r}, now='2024-06-30T12:00:00Z', seed=7)\n"
        f"print(w.run({DETERMINISM_CODE!r}, lang='sql').receipt)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                         env={"PYTHONHASHSEED": "123", "PATH": "/usr/bin:/bin"}, check=True)
    assert out.stdout.strip() == cold.receipt


def test_fuel_counts_sqlite_steps_deterministically() -> None:
    big = World(files={"a.csv": "x\n" + "".join(f"{i}\n" for i in range(5000))})
    runs = [big.run("SELECT x % 7 AS k, COUNT(*) FROM a GROUP BY k", lang="sql") for _ in range(2)]
    engine.POOL.clear()
    runs.append(big.run("SELECT x % 7 AS k, COUNT(*) FROM a GROUP BY k", lang="sql"))
    assert runs[0].stats.fuel > 0
    assert len({r.stats.fuel for r in runs}) == 1


def test_warm_guests_are_bounded_and_idle_ones_released(monkeypatch: pytest.MonkeyPatch) -> None:
    engine.POOL.clear()
    for i in range(engine.MAX_WARM + 2):
        assert World(files={"t.csv": f"x\n{i}\n"}).run("SELECT x FROM t", lang="sql").value == [{"x": i}]
    assert len(engine.POOL) == engine.MAX_WARM
    assert engine.POOL.release_idle(0) >= engine.MAX_WARM  # and the started spare, if any
    assert len(engine.POOL) == 0


def test_warm_world_memory_stays_small() -> None:
    result = SALES.run("SELECT COUNT(*) FROM sales", lang="sql")
    assert 0 < result.stats.memory_bytes < engine.WARM_MEMORY_GROWTH


def test_concurrent_runs_on_one_world_all_answer() -> None:
    answers: dict[int, object] = {}

    def worker(i: int) -> None:
        answers[i] = SALES.run(f"SELECT {i} AS i, COUNT(*) AS n FROM sales", lang="sql").value

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == {i: [{"i": i, "n": 4}] for i in range(12)}


def test_describe_shows_tables_as_ddl_with_counts_and_samples() -> None:
    card = SALES.describe("sql")
    assert "CREATE TABLE sales (" in card and "amount REAL" in card and "-- from sales.csv: 4 rows" in card
    assert "north" in card and "API (TypeScript" not in card
    assert "CREATE TABLE regions" in SALES.describe()


def test_prql_compiles_and_runs_in_the_same_engine() -> None:
    result = SALES.run("from sales\ngroup region (aggregate {n = count this})\nsort region", lang="prql")
    assert result.ok, result
    assert result.value == [{"region": "east", "n": 1}, {"region": "north", "n": 2},
                            {"region": "south", "n": 1}]


def test_prql_errors_keep_prqlcs_span() -> None:
    result = SALES.run("from sales\nfilter amount >> 3", lang="prql")
    [diag] = result.diagnostics
    assert diag.code == "PRQL2001"
    assert diag.span is not None and diag.span.start.line == 2


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(WorldError, match="unknown language 'cobol'"):
        SALES.run("SELECT 1", lang="cobol")


def test_a_prqlc_panic_is_a_diagnostic() -> None:
    result = World().run("ª", lang="prql")
    assert [d.code for d in result.diagnostics] == ["PRQL2001"]
    assert "crashed" in result.diagnostics[0].message


def test_an_interrupted_run_retires_the_guest(monkeypatch: pytest.MonkeyPatch) -> None:
    from worlds.languages.sql import polyfills

    assert SALES.run("SELECT 1 AS x", lang="sql").value == [{"x": 1}]
    guest, _ = engine.POOL.get(SALES.schema(), SALES.limits)

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt  # as if Ctrl-C arrived while the guest was working

    monkeypatch.setitem(polyfills.SCALARS, "reverse", (interrupted, 1, 1))
    monkeypatch.setattr(engine, "registrations", engine.registrations.__wrapped__)
    with pytest.raises(KeyboardInterrupt):
        SALES.run("SELECT reverse('ab') AS x", lang="sql")
    assert not guest.alive
    monkeypatch.undo()
    assert SALES.run("SELECT 3 AS x, reverse('ab') AS y", lang="sql").value == [{"x": 3, "y": "ba"}]


def test_a_world_too_big_for_its_memory_limit_is_refused_by_name() -> None:
    rows = "".join(f"{i},{'x' * 100}\n" for i in range(80_000))
    world = World(files={"wide.csv": "id,pad\n" + rows}, limits={"memory_bytes": 16 << 20})
    result = world.run("SELECT COUNT(*) FROM wide", lang="sql")
    assert [d.code for d in result.diagnostics] == ["RUN1003"]
    message = result.diagnostics[0].message
    assert "wide.csv" in message and "limits.memory_bytes (16 MiB)" in message
    raised = World(files=world.files, limits={"memory_bytes": 64 << 20})
    assert raised.run("SELECT COUNT(*) AS n FROM wide", lang="sql").value == [{"n": 80_000}]


EXPRESSION_JOIN = World(files={
    "customers.csv": "key,name\n" + "".join(f"C{i:04d},n{i}\n" for i in range(2000)),
    "payments.csv": "id,customer_key,amount\n"
                    + "".join(f"{i},c{i % 2100:04d} ,{i % 97}\n" for i in range(20000)),
})
JOIN_ON_EXPRESSIONS = ("SELECT c.name, SUM(p.amount) FROM payments p JOIN customers c "
                       "ON upper(trim(c.key)) = upper(trim(p.customer_key)) GROUP BY 1")


def test_a_query_out_of_steps_names_the_join_that_multiplies_the_work() -> None:
    result = EXPRESSION_JOIN.run(JOIN_ON_EXPRESSIONS, lang="sql", limits={"steps": 2_000_000})
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "RUN1008" and "a big job" in diagnostic.message
    assert result.stats.fuel == 2_000_000 and result.stats.budget == 2_000_000
    assert "20,000 rows of `payments`, SQLite reads all 2,000 rows of `customers`" in diagnostic.notes[0]
    assert "no index can serve" in diagnostic.notes[0]
    assert any('limits={"steps": ' in h for h in diagnostic.help)
    assert "SQLite steps 2,000,000 of 2,000,000" in result.render()


def test_a_query_past_its_deadline_says_how_far_it_got_and_what_its_plan_multiplies() -> None:
    result = EXPRESSION_JOIN.run(JOIN_ON_EXPRESSIONS, lang="sql", limits={"wall_ms": 300})
    [diagnostic] = result.diagnostics
    assert diagnostic.code == "RUN1002"
    assert any("row pairs" in n for n in diagnostic.notes)
    assert any(n.startswith("SQLite had taken") for n in diagnostic.notes)


def test_sorts_and_temp_tables_bigger_than_the_cache_spill_in_memory_and_match_sqlite() -> None:
    # 300k rows: the sorter and the temporary database outgrow SQLite's 2 MB cache and
    # spill to the shim's in-memory temporary files.
    rows = "".join(f"{i},k{(i * 7919) % 5000},{(i * 31) % 1000}.5\n" for i in range(300_000))
    world = World(files={"t.csv": "id,k,v\n" + rows})
    native = sqlite3.connect(":memory:")
    native.deserialize(world.schema().database)
    for query in ["SELECT k, COUNT(*) AS n, SUM(v) AS s FROM t GROUP BY k ORDER BY s DESC, k LIMIT 5",
                  "SELECT COUNT(DISTINCT k || v) AS n FROM t",
                  "SELECT id, k FROM t ORDER BY v DESC, k, id LIMIT 3 OFFSET 100000"]:
        result = world.run(query, lang="sql")
        assert result.ok and result.table is not None
        assert result.table.rows == [list(row) for row in native.execute(query)], query
    copied = world.run("CREATE TEMP TABLE c AS SELECT * FROM t ORDER BY k; "
                       "SELECT COUNT(*) AS n, SUM(id) AS s FROM c", lang="sql")
    assert copied.value == [{"n": 300_000, "s": sum(range(300_000))}]


def test_a_pattern_that_backtracks_forever_stops_at_the_deadline() -> None:
    result = SALES.run("SELECT regexp_like(repeat('a', 40) || '!', '(a|aa)+$') AS m", lang="sql",
                       limits={"wall_ms": 500})
    assert [d.code for d in result.diagnostics] == ["RUN1002"]
    assert SALES.run("SELECT regexp_like('ab', '^a') AS m", lang="sql").value == [{"m": 1}]


def test_several_queries_show_every_result_and_the_last_answers() -> None:
    from worlds import catalog
    world = catalog.load("sales")
    r = world.run("SELECT count(*) AS n FROM sales;\nCREATE TEMP TABLE t AS SELECT 1 AS x;\n"
                  "SELECT region FROM sales GROUP BY region ORDER BY region;", "sql")
    assert r.ok and [t.columns for t in r.results] == [["n"]] and r.results[0].rows == [[40]]
    assert r.table is not None and r.table.rows[0] == ["east"]
    text = str(r)
    assert text.index("result 1 of 2:") < text.index("result 2 of 2 (the answer):")
    assert "results" not in world.run("SELECT 1 AS one", "sql").to_json()
