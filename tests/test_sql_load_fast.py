"""The fast table loaders (plain files read by SQLite in the guest; str-method CSV split
and whole-column type checks on the host) give exactly what the cell-by-cell rules
give, on any file; and a 1M-row world answers correctly under its default limits."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worlds import World
from worlds.languages.sql import schema

CELLS = st.one_of(
    st.sampled_from(["", "0", "007", "-0", "+5", "+-5", "12", "-3", "1.5", "-.5", "5.", "1e5", "1E+3",
                     "2024-01-02", " 7", "7 ", "1_000", "nan", "inf", "abc", "e", ".", "١٢", "9" * 19,
                     "x,y", "\t5", "1.5 ", " 2024-01-02", "\x1c7", "2024-13-45x", "1e999", "-0.0"]),
    st.from_regex(r"[0-9eE.+\- a-z]{0,6}", fullmatch=True),
)


def _tables(files: dict[str, bytes]) -> dict[str, Any]:
    loaded = schema.load(files)
    con = sqlite3.connect(":memory:")
    if loaded.database:
        con.deserialize(loaded.database)
    return {name: (t.columns, t.rows, t.sample,
                   con.execute(f"SELECT * FROM {schema.quote(t.name)}").fetchall())
            for name, t in loaded.tables.items()} | {"problems": loaded.problems}


def _slow(monkeypatch: pytest.MonkeyPatch, files: dict[str, bytes]) -> dict[str, Any]:
    with monkeypatch.context() as m:
        m.setattr(schema.csvload, "plain", lambda path, data, delimiter: None)
        m.setattr(schema, "split_plain", lambda text, delimiter: None)
        m.setattr(schema, "_infer_plain", lambda cells: None)
        return _tables(files)


# The fixture is only used inside monkeypatch.context(), which undoes itself per example.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, min_size=3, max_size=3), max_size=8),
       newline=st.sampled_from(["\n", "\r\n"]), blank=st.booleans())
def test_fast_loader_matches_the_rules(monkeypatch: pytest.MonkeyPatch, rows: list[list[str]],
                                       newline: str, blank: bool) -> None:
    lines = ["a,b,c"] + [",".join(r) for r in rows] + ([""] if blank else [])
    files = {"t.csv": newline.join(lines).encode(), "u.tsv": "\n".join(lines).replace(",", "\t").encode()}
    assert _tables(files) == _slow(monkeypatch, files)


@pytest.mark.parametrize("text", [
    "a,b\n1,2\n3\n",             # a short row: padded by the csv path
    "a,b\n1,2,3\n",              # a long row: cut
    'a,b\n"1,5",2\n',            # quoted
    "a,b\r\n1,2\r3,4\n",         # a lone carriage return
    "a\n\n\n1\n",                # blank lines
    "a,b\n",                     # a header alone
])
def test_files_the_fast_path_declines_load_as_before(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    files = {"t.csv": text.encode()}
    assert _tables(files) == _slow(monkeypatch, files)


def test_a_million_rows_answer_correctly_under_default_limits() -> None:
    n = 1_000_000
    body = "".join(f"{i},{'nesw'[i % 4]},{i % 7},{(i % 100) / 4}\n" for i in range(n))
    world = World(files={"big.csv": "id,region,qty,price\n" + body})
    assert world.limits.steps > 100_000_000 and world.limits.fuel > 10**10  # scaled with the input
    result = world.run("SELECT region, COUNT(*) AS n, SUM(qty) AS q, SUM(price) AS p FROM big "
                       "GROUP BY region ORDER BY region", lang="sql")
    assert result.ok, result
    expected = {r: [0, 0, 0.0] for r in "nesw"}
    for i in range(n):
        row = expected["nesw"[i % 4]]
        row[0] += 1
        row[1] += i % 7
        row[2] += (i % 100) / 4
    assert [[v["region"], v["n"], v["q"], v["p"]] for v in result.value] == \
        [[r, *expected[r]] for r in sorted(expected)]
    ranked = world.run("SELECT id FROM big ORDER BY price DESC, id LIMIT 2", lang="sql")
    assert ranked.ok and ranked.value == [{"id": 99}, {"id": 199}]


def test_big_worlds_tables_come_back_from_the_disk_cache_byte_for_byte(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from worlds.languages.sql import cache

    monkeypatch.setenv("WORLDS_CACHE_DIR", str(tmp_path))
    rows = "".join(f"{i},{'nesw'[i % 4]},{i / 8},2024-01-{1 + i % 28:02d}\n" for i in range(40_000))
    files = {"big.csv": ("id,region,price,day\n" + rows).encode(), "notes.json": b"[1, 2]"}
    fresh = cache.load(files)
    cache.flush()
    assert list((tmp_path / "tables").glob("*.db"))  # stored
    again = cache.load(files)
    assert again.database == fresh.database and again.tables == fresh.tables
    assert again.problems == fresh.problems and again.problems
    # A damaged entry is not trusted: the tables load afresh.
    for entry in (tmp_path / "tables").glob("*.db"):
        entry.write_bytes(b"garbage")
    assert cache.load(files).database == fresh.database
    cache.flush()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS.filter(lambda c: "," not in c), min_size=3, max_size=3), max_size=6),
       header=st.sampled_from(["a,b,c", "a, a ,", " x,y,z"]))
def test_the_cards_fast_csv_summary_matches_the_csv_module(monkeypatch: pytest.MonkeyPatch,
                                                           rows: list[list[str]], header: str) -> None:
    from worlds import card

    text = "\n".join([header] + [",".join(r) for r in rows]) + "\n"
    fast = card._csv_detail(text, ",")
    with monkeypatch.context() as m:
        m.setattr(card, "split_plain", lambda text, sep: None)
        assert fast == card._csv_detail(text, ",")


def test_json_tables_keep_their_cells_as_before() -> None:
    lines = ['{"a": 1, "b": true, "c": {"x": [1, "é"]}}', '', '{"d": null, "a": 2.5, "b": false}',
             '{"c": [], "e": "text"}']
    loaded = schema.load({"t.jsonl": "\n".join(lines).encode(), "u.json": b'{"rows": [{"k": 1}, {"k": 2}]}'})
    con = sqlite3.connect(":memory:")
    con.deserialize(loaded.database)
    assert [c.name for c in loaded.tables["t"].columns] == ["a", "b", "c", "d", "e"]
    assert con.execute("SELECT * FROM t").fetchall() == [
        (1.0, 1, '{"x":[1,"é"]}', None, None), (2.5, 0, None, None, None), (None, None, "[]", None, "text")]
    assert con.execute("SELECT k FROM u").fetchall() == [(1,), (2,)]
    assert schema.load({"bad.jsonl": b'{"a": 1}\n{"a": \n'}).problems == {
        "bad.jsonl": "invalid JSON on line 2: Expecting value"}


@pytest.mark.parametrize("text", [
    "id\n1\n2\n3\n",                 # rising: unique without hashing
    "id\n1\n+2\n3\n10\n",
    "id\n3\n2\n2\n",                 # a repeat after a fall
    "id\n1\n1\n",                    # a repeat is not rising
    "x\n1.5\n2\n2.0\n",              # 2 and 2.0 are one REAL value
    "x\n-0.0\n0\n",                  # so are -0.0 and 0
    "x\n-1e3\n-999.5\n1e-3\n0.1e1\n",
    "x,y\na,1\nA,1\n a,2\n",         # text compares as written
    "id,v\n1,\n2,5\n",               # a NULL: not unique
])
def test_unique_columns_as_the_rules_find_them(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    files = {"t.csv": text.encode()}
    assert _tables(files) == _slow(monkeypatch, files)


def test_a_guest_that_fails_part_way_leaves_every_file_to_the_host(monkeypatch: pytest.MonkeyPatch) -> None:
    from worlds.errors import EngineError

    files = {"a.csv": b"x,y\n1,a\n2,b\n", "b.csv": b"k\n7\n"}
    calls = []

    def failing(self: object, *args: object) -> None:
        calls.append(args)
        if len(calls) == 2:
            raise EngineError("out of memory")

    with monkeypatch.context() as m:
        m.setattr(schema.csvload.Loader, "load", failing)
        assert _tables(files) == _slow(monkeypatch, files)
    assert len(calls) == 2
