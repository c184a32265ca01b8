"""JSONata as a language: data variables, the world's clock and seed, diagnostics with spans and fixes."""

from __future__ import annotations

import pytest
from conftest import codes

from worlds import Session, World
from worlds.diagnostics.codes import lookup

FILES = {
    "orders.json": b'[{"id": 1, "amount": 5.5, "cust": "a"}, {"id": 2, "amount": 3, "cust": "b"},'
                   b' {"id": 3, "amount": 2, "cust": "a"}]',
    "data/q1.csv": b"region,units,price\nnorth,3,2.5\nsouth,4,\n",
    "log.jsonl": b'{"k": "x", "n": 1}\n{"k": "y", "n": 2}\n',
}


@pytest.fixture(scope="module")
def world() -> World:
    return World(files=FILES, now="2024-05-01T12:00:00Z", seed=7)


@pytest.mark.parametrize(("expression", "value"), [
    ("$orders{cust: $sum(amount)}", {"a": 7.5, "b": 3}),
    ("$data_q1.units", [3, 4]),               # CSV cells typed as readCSV types them
    ("$data_q1[region = 'south'].price", None),  # an empty cell is null
    ("$log[n > 1].k", "y"),                    # JSON Lines: one record a line
    ("orders[id = 2].amount", 3),              # `$$` holds the same tables by the same names
    ("$keys($$)", ["data_q1", "log", "orders"]),
    ("$now()", "2024-05-01T12:00:00.000Z"),    # the world's clock
    ("$millis()", 1714564800000),
])
def test_values(world: World, expression: str, value: object) -> None:
    r = world.run(expression, lang="jsonata")
    assert [d for d in r.diagnostics if d.severity == "error"] == [], str(r)
    assert r.value == value


def test_random_is_the_worlds_seed(world: World) -> None:
    first = world.run("$random()", lang="jsonata")
    assert first.value == world.run("$random()", lang="jsonata").value
    assert first.receipt == world.run("$random()", lang="jsonata").receipt
    other = World(files=FILES, now="2024-05-01T12:00:00Z", seed=8).run("$random()", lang="jsonata")
    assert other.value != first.value


def test_syntax_error_points_at_the_token(world: World) -> None:
    r = world.run("$orders[id = 2", lang="jsonata")
    assert not r.ok and codes(r) == ["JSONATA1001"]
    d = r.diagnostics[0]
    assert "S0203" in d.message and d.span is not None and d.span.start.column == 14


def test_plus_on_text_says_use_ampersand(world: World) -> None:
    r = world.run('$orders.(cust + "-")', lang="jsonata")
    assert codes(r) == ["JSONATA1002"]
    d = r.diagnostics[0]
    assert "T2001" in d.message and d.span is not None and d.span.start.column == 15
    assert any("&" in h for h in d.help)
    assert any('"a"' in n for n in d.notes)  # the value it got


def test_misspelt_function_gets_the_nearest_as_a_fix(world: World) -> None:
    r = world.run("$roud($sum($orders.amount))", lang="jsonata")
    assert codes(r) == ["JSONATA1002"]  # T1006, said once: the name warning on the same span is dropped
    fix = r.diagnostics[0].fixes[0]
    assert fix.applicable and fix.apply("$roud($sum($orders.amount))") == "$round($sum($orders.amount))"


def test_unknown_key_gets_the_nearest_key(world: World) -> None:
    source = "$sum($orders.amout)"
    r = world.run(source, lang="jsonata")  # nothing came out: the slip is why, an error
    assert r.value is None and codes(r) == ["JSONATA1004"] and not r.ok
    assert r.diagnostics[0].fixes[0].apply(source) == "$sum($orders.amount)"
    beside = world.run('$orders.{"id": id, "x": amout}', lang="jsonata")  # a near miss: still an error
    assert not beside.ok and codes(beside) == ["JSONATA1004"]
    optional = world.run('$orders.{"id": id, "x": note}', lang="jsonata")  # near no key: a warning
    assert optional.ok and codes(optional) == ["JSONATA1004"] and optional.value[0] == {"id": 1}


def test_bare_object_key_is_quoted_by_the_fix(world: World) -> None:
    source = "{total: $sum($orders.amount)}"
    r = world.run(source, lang="jsonata")
    assert r.value is None and codes(r) == ["JSONATA1004"]
    fixed = r.diagnostics[0].fixes[0].apply(source)
    assert world.run(fixed, lang="jsonata").value == {"total": 10.5}


def test_names_the_expression_binds_are_known(world: World) -> None:
    source = '($f := function($x) { $x * 2 }; $orders.{"double": $f(amount), "id": id})'
    r = world.run(source, lang="jsonata")
    assert r.ok and r.diagnostics == [], str(r)
    assert r.value[0] == {"double": 11, "id": 1}


def test_nothing_matched_is_said(world: World) -> None:
    r = world.run("$orders[cust = 'z']", lang="jsonata")
    assert r.ok and r.value is None and codes(r) == ["JSONATA1006"]


def test_a_limit_is_reported_on_the_expression(world: World) -> None:
    r = world.run("$sum([1..1000000])", lang="jsonata", limits={"fuel": 300_000_000})
    assert not r.ok and codes(r) == ["RUN1001"]
    assert r.diagnostics[0].file == "<code>"


def test_session_runs_a_jsonata_file_and_checks_it(world: World) -> None:
    session = Session(world)
    session.write("answer.jsonata", "$orders[amount > 2].id")
    assert session.run("answer.jsonata").value == [1, 2]
    session.write("broken.jsonata", "$orders[")
    assert [d.code for d in session.check("broken.jsonata")] == ["JSONATA1001"]


def test_card_lists_the_data_variables(world: World) -> None:
    card = world.describe("jsonata")
    assert "$orders (orders.json)" in card and "$data_q1 (data/q1.csv)" in card
    assert "JSONata 2.2.2" in card


def test_every_code_is_explained() -> None:
    for code in ("JSONATA1001", "JSONATA1002", "JSONATA1003", "JSONATA1004", "JSONATA1005", "JSONATA1006"):
        entry = lookup(code)
        assert entry is not None and entry.wrong and entry.right


@pytest.mark.parametrize("program", [
    "(async () => { let s = 0; for (let i = 0; i < 5000; i++) s += await i; return s; })()",
    "new Promise((resolve) => { let n = 0;"
    " const hop = () => (++n < 5000 ? Promise.resolve().then(hop) : resolve(n)); hop(); })",
])
def test_long_promise_chains_finish(program: str) -> None:
    """The host runs promise jobs until none is left: a long chain of awaits is not 'stuck'
    (JSONata evaluates with one await per step)."""
    r = World().run(program)
    assert r.ok, str(r)


def test_work_left_when_the_script_ends_still_runs() -> None:
    r = World().run("(async () => { for (let i = 0; i < 1000; i++) await i; console.log('done'); })(); 1")
    assert r.ok and r.stdout == "done\n" and r.value == 1
