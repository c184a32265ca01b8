"""The data helpers of JS-light and the world card that documents them."""

from __future__ import annotations

import pytest

from worlds import World, catalog
from worlds.card import column_type
from worlds.diagnostics import REGISTRY

CSV = 'id,name,score,when\n1,"Smith, Ann",9.5,2024-01-02\n2,"say ""hi""",,2024-01-03\r\n3,plain,7,\n'


def test_read_csv_types_numbers_and_keeps_quoted_text() -> None:
    r = World({"people.csv": CSV}).run("readCSV('people.csv')")
    assert r.ok, str(r)
    assert r.value == [
        {"id": 1, "name": "Smith, Ann", "score": 9.5, "when": "2024-01-02"},
        {"id": 2, "name": 'say "hi"', "score": None, "when": "2024-01-03"},
        {"id": 3, "name": "plain", "score": 7, "when": None},
    ]


def test_csv_round_trips_through_write_csv() -> None:
    code = "writeCSV('copy.csv', readCSV('people.csv')); readCSV('copy.csv')"
    r = World({"people.csv": CSV}).run(code)
    assert r.ok, str(r)
    assert r.value == World({"people.csv": CSV}).run("readCSV('people.csv')").value
    assert r.files["copy.csv"].startswith(b'id,name,score,when\n1,"Smith, Ann",9.5,2024-01-02\n')


@pytest.mark.parametrize(("code", "value"), [
    ("parseCSV('a\\tb\\n1\\t2\\n', { separator: '\\t' })", [{"a": 1, "b": 2}]),
    ("readCSV('t.tsv')", [{"a": "x", "b": 2}]),
    ("parseCSV('a,b\\n1,2\\n', { header: false })", [["a", "b"], [1, 2]]),
    ("parseCSV('a\\n007\\n', { typed: false })", [{"a": "007"}]),
    ("toCSV([{ a: 1, b: 'x,y' }, { a: null }])", 'a,b\n1,"x,y"\n,\n'),
    ("readJSON('d.json').n", 3),
    ("readJSONL('e.jsonl').map((e) => e.id)", [1, 2]),
    ("writeJSONL('out.jsonl', [{ a: 1 }]); readJSONL('out.jsonl')", [{"a": 1}]),
])
def test_data_helpers(code: str, value: object) -> None:
    world = World({"t.tsv": "a\tb\nx\t2\n", "d.json": '{"n": 3}', "e.jsonl": '{"id": 1}\n\n{"id": 2}\n'})
    r = world.run(code)
    assert r.ok, str(r)
    assert r.value == value


@pytest.mark.parametrize(("values", "kind"), [
    (["1", "-2", ""], "integer"),
    (["1.5", "2", "3e4"], "number"),
    (["2024-01-02", "2024-01-03T10:00:00Z"], "date (text)"),
    (["true", "FALSE"], "boolean (text)"),
    (["a", "1"], "string"),
    (["", ""], "empty"),
])
def test_column_types(values: list[str], kind: str) -> None:
    assert column_type(values) == kind


def test_card_shows_columns_samples_and_api() -> None:
    card = catalog.load("sales").describe()
    assert "CSV, 40 rows; columns: order_id integer, date date (text), region string" in card
    assert card.count("sample: ") == 7  # three rows of the 40-row file, every row of the 4-row one
    assert "declare function readCSV(path: string" in card
    assert "declare const fs:" in card and "declare const path:" in card
    inventory = catalog.load("inventory").describe()
    assert "JSON, 15 records; keys: sku string, name string" in inventory
    assert "JSON Lines, 30 records; keys: day string, sku string, delta number" in inventory


def test_a_small_lookup_is_shown_whole_in_every_card() -> None:
    codes = "code,label\n" + "".join(f"{n},label {n}\n" for n in range(10, 20))
    world = World({"codes.csv": codes, "big.csv": "n\n" + "".join(f"{n + 100}\n" for n in range(11))})
    js, sql = world.describe("js"), world.describe("sql")
    assert "sample: 19,label 19" in js and "--     19 | label 19" in sql  # 10 rows: all of them
    assert "sample: 102" in js and "sample: 103" not in js  # 11 rows: the first three
    big = sql[sql.index("from big.csv"):]
    assert "102" in big and "103" not in big


def test_card_survives_bad_data_files() -> None:
    card = World({"bad.json": "{nope", "bin.csv": b"\xff\xfe\x00", "notes.txt": "a\nb\n"}).describe()
    assert "bad.json" in card and "could not be read as data" in card
    assert "binary (not UTF-8)" in card
    assert "text, 2 lines" in card


def test_every_code_explains_itself_with_examples() -> None:
    for code in REGISTRY.values():
        assert code.title and code.explanation.strip(), code.code
        assert code.wrong and code.right, f"{code.code} needs a wrong and a right example"
        text = code.explain()
        assert text.startswith(f"{code.code}: {code.title}") and "Wrong:" in text and "Right:" in text


def test_card_samples_keep_the_quotes_a_cell_needs():
    world = World(files={"c.csv": 'id,balance,note\n1,"1,917.39","say ""hi"""\n2,5,x\n'})
    card = world.describe("js")
    assert 'sample: 1,"1,917.39","say ""hi"""' in card and "sample: 2,5,x" in card
