"""The data profile: exact figures from the world's own engine, the compact form in the card,
the full form on request, and keys that do not join."""

from __future__ import annotations

import json
import random

import pytest

from worlds import World
from worlds.languages.sql import profile as profiling

MESSY = World(files={
    "customers.csv": "id,key,name,balance\n1,C001,Ann,\"1,917.39\"\n2,C002,Bob,$12.50\n3,c003 ,Cid,7\n"
                     "4,C004,Dee,\n",
    "payments.csv": "pid,customer_key,amount,ts\n1,C001,5,2024-01-02T10:00:00Z\n2,c002,7,2024-01-03\n"
                    "3,C009,1,03/04/2024\n3,C009,1,03/04/2024\n4, C003,2,2024-01-05\n",
})


def test_the_card_shows_what_agents_profiled_by_hand() -> None:
    card = MESSY.describe("sql")
    balance = next(line for line in card.splitlines() if line.startswith("  balance TEXT"))
    assert "1 NULL" in balance and "33% read as numbers" in balance
    assert "'$99.99' (1)" in balance and "'9,999.99' (1)" in balance  # amounts in several formats
    key = next(line for line in card.splitlines() if line.startswith('  "key" TEXT'))
    assert "1 with spaces around" in key and "'a999 ' (1)" in key
    ts = next(line for line in card.splitlines() if line.startswith("  ts TEXT"))
    assert "'99/99/9999' (2)" in ts and "'9999-99-99' (2)" in ts
    assert ("payments.customer_key -> customers.key: 3 of 4 values not found "
            "(e.g. ' C003', 'C009', 'c002'); 2 of them match once lower(trim(...))") in card


def test_values_that_differ_only_in_case_are_not_said_to_differ_in_spaces() -> None:
    """Two agents read "only in case or spaces" as a hint of padded codes that were not there."""
    world = World(files={"u.csv": "id,country\n1,US\n2,us\n3,GB\n4,gb\n",
                         "v.csv": "id,code\n1, US\n2,US\n3,x\n"})
    card = world.describe("sql")
    country = next(line for line in card.splitlines() if line.startswith("  country TEXT"))
    code = next(line for line in card.splitlines() if line.startswith("  code TEXT"))
    assert "2 differ from another only in case;" in country + ";" and "spaces" not in country
    assert "1 differ from another only in case or spaces" in code and "1 with spaces around" in code
    full = world.describe("sql", profile=True)
    assert "u: 4 rows; no row repeats another exactly" in full  # "none", not silence


def test_the_full_profile_adds_copies_commonest_values_and_every_join() -> None:
    full = MESSY.describe("sql", profile=True)
    assert "payments: 5 rows; 1 row repeats an earlier row exactly, e.g. 3 | 'C009'" in full
    assert "  keys into other tables:" in full
    assert MESSY.describe("sql", profile=True) == full  # deterministic, and kept
    shop = World(files={"orders.csv": "order_id,customer_id\n1,1\n2,2\n3,2\n",
                        "customers.csv": "id,name\n1,a\n2,b\n"})
    assert "orders.customer_id -> customers.id: all 2 values found" in shop.describe(profile=True)
    assert "every value found: orders.customer_id -> customers.id" in shop.describe("sql")
    assert ("-- from payments.csv: 5 rows (1 row repeats an earlier row exactly, e.g. 3 | 'C009' | 1 | "
            "'03/04/2024' x2)") in MESSY.describe("sql")


def test_figures_match_a_count_by_hand() -> None:
    rnd = random.Random(3)
    rows = [(rnd.choice(["", "x", "Y", " y", "zz"]), rnd.choice(["", "1", "5", "-3", "12"]))
            for _ in range(300)]
    world = World(files={"t.csv": "a,b\n" + "".join(f"{a},{b}\n" for a, b in rows)})
    [table], _ = profiling.profile(world.schema(), world.limits, full=True)
    a, b = table.columns
    texts = [r[0] for r in rows if r[0]]
    numbers = [int(r[1]) for r in rows if r[1]]
    assert (a.nulls, a.distinct, a.low, a.high) == (300 - len(texts), len(set(texts)), min(texts), max(texts))
    assert a.folded == len({t.strip().lower() for t in texts}) and a.padded == texts.count(" y")
    assert (b.nulls, b.distinct, b.low, b.high) == (300 - len(numbers), len(set(numbers)), min(numbers),
                                                     max(numbers))
    assert dict(b.values) == {n: numbers.count(n) for n in set(numbers)}


def test_a_big_world_says_how_to_ask_for_its_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    from worlds import card

    monkeypatch.setattr(card, "PROFILE_ROWS", 3)
    world = World(files={"t.csv": "a\n1\n2\n3\n4\n"})
    text = world.describe("sql")
    assert "describe with profile=true" in text and "-- unique" not in text
    assert "a INTEGER: unique; 1 .. 4" in world.describe("sql", profile=True)


def test_the_describe_tool_takes_profile() -> None:
    session = MESSY.session()
    assert "profile (every row counted" in session.call("describe", {"profile": True})
    assert "profile (every row counted" not in session.call("describe", {})


def test_shapes() -> None:
    assert profiling.shape("2024-01-05") == "9999-99-99"
    assert profiling.shape("Ann Lee-Smith") == "Aa Aa-Aa"
    assert profiling.shape("c003 ") == "a999 " and profiling.shape("EQ-PRS") == "A-A"


def test_date_columns_say_which_days_and_months_have_rows() -> None:
    gaps = World(files={"d.csv": "d\n2024-01-01\n2024-01-02\n2024-03-05T10:00:00Z\n"}).describe("sql")
    assert "rows on 3 of the 65 days, in 2 of the 3 months" in gaps
    full = World(files={"d.csv": "d\n2024-01-01\n2024-01-02\n2024-01-03\n"}).describe("sql")
    assert "a row on every day" in full


def test_json_columns_show_their_keys_types_and_few_values() -> None:
    lines = [json.dumps({"id": i, "log": [{"at": "2024-03-01T00:00:00Z" if i % 3 else 1709251200000,
                                            "type": "status" if i % 2 else "comment"}]}) for i in range(30)]
    card = World({"t.jsonl": "\n".join(lines) + "\n"}).describe("sql")
    assert ("JSON arrays of objects with keys at (text 20, integer 10: '2024-03-01T00:00:00Z'), "
            "type (text: 'comment', 'status')") in card


def test_rare_forms_of_a_text_column_show_beside_the_common_ones() -> None:
    # Nine shapes or more are summed up as forms (each run of digits one 9); a rare one still shows.
    amounts = [f"${n:,}.{n % 100:02d}" for n in (7, 70, 700, 7_000, 70_000, 700_000, 7_000_000)
               for _ in range(30)] + [f"${n}.{n % 100:02d}" for n in range(1000, 1300)] + \
              [f"(${n}.50)" for n in range(10, 15)] + [f"(${n}.50)" for n in range(100, 103)]
    card = World({"a.csv": "amount\n" + "".join(f'"{a}"\n' for a in amounts)}).describe("sql")
    assert "forms (a run of digits as 9) '$9.9' (390), '$9,9.9' (90), '$9,9,9.9' (30), '($9.9)' (8)" in card
