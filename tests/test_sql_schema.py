"""Tables from data files: names, inferred types, values, and files that cannot be tables."""

from __future__ import annotations

import sqlite3

from worlds.languages.sql.schema import Schema, load, quote, table_name


def rows(schema: Schema, table: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(":memory:")
    con.deserialize(schema.database)
    return con.execute(f"SELECT * FROM {quote(table)}").fetchall()


def types(schema: Schema, table: str) -> dict[str, str]:
    found = schema.table(table)
    assert found is not None
    return {c.name: c.type for c in found.columns}


def test_csv_types_and_nulls() -> None:
    schema = load({"t.csv": b"id,price,zip,day,note\n1,2.5,007,2024-01-05,a\n2,,010,2024-02-06,\n"
                            b"3,4,123,2024-03-07,c\n"})
    assert types(schema, "t") == {"id": "INTEGER", "price": "REAL", "zip": "TEXT", "day": "TEXT",
                                  "note": "TEXT"}
    assert rows(schema, "t") == [(1, 2.5, "007", "2024-01-05", "a"), (2, None, "010", "2024-02-06", None),
                                 (3, 4.0, "123", "2024-03-07", "c")]
    table = schema.table("T")  # names are case-insensitive, like SQL's
    assert table is not None and table.rows == 3 and len(table.sample) == 3


def test_tsv_json_and_jsonl_become_tables() -> None:
    schema = load({
        "a.tsv": b"x\ty\n1\thello world\n",
        "b.json": b'[{"k": 1, "ok": true, "tags": ["x"]}, {"k": 2.5, "ok": false, "extra": null}]',
        "c.jsonl": b'{"n": 1}\n\n{"n": 2, "m": "z"}\n',
        "wrapped.json": b'{"items": [{"q": 1}]}',
    })
    assert rows(schema, "a") == [(1, "hello world")]
    assert types(schema, "b") == {"k": "REAL", "ok": "INTEGER", "tags": "TEXT", "extra": "TEXT"}
    assert rows(schema, "b") == [(1.0, 1, '["x"]', None), (2.5, 0, None, None)]
    assert rows(schema, "c") == [(1, None), (2, "z")]
    assert rows(schema, "wrapped") == [(1,)]


def test_names_for_nested_paths_clashes_and_odd_headers() -> None:
    assert table_name("data/2024 q1.csv") == "data_2024_q1"
    assert table_name("2024.csv") == "_2024"
    assert table_name("sqlite_stat1.csv") == "_sqlite_stat1"  # SQLite keeps sqlite_ names
    assert load({"SQLite_x.csv": b"a\n1\n"}).tables["_sqlite_x"].rows == 1
    schema = load({"sales.csv": b"a\n1\n", "sales.json": b'[{"a": 2}]',
                   "odd.csv": b"Order Date,,x,x\n2024-01-01,1,2,3\n"})
    assert set(schema.tables) == {"sales", "sales_json", "odd"}
    assert list(types(schema, "odd")) == ["Order Date", "column_2", "x", "x_2"]
    assert 'CREATE TABLE odd (\n  "Order Date" TEXT,' in schema.tables["odd"].ddl()


def test_files_that_cannot_be_tables_are_listed_with_the_reason() -> None:
    schema = load({"bad.json": b"{not json", "list.json": b"[1, 2]", "bin.csv": b"\xff\xfe\x00",
                   "empty.csv": b"", "notes.txt": b"hello"})
    assert set(schema.problems) == {"bad.json", "list.json", "bin.csv", "empty.csv"}
    assert "array of objects" in schema.problems["list.json"]
    assert schema.tables == {} and schema.database == b""


def test_column_facts_for_the_checks() -> None:
    schema = load({"t.csv": b"id,code,amount_text,day\n1,a,3,2024-01-01\n2,a,x,2024-01-02\n"})
    table = schema.table("t")
    assert table is not None
    by_name = {c.name: c for c in table.columns}
    assert by_name["id"].unique and not by_name["code"].unique
    assert by_name["amount_text"].numbers == 0.5 and by_name["day"].dates
