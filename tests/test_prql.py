"""PRQL diagnostics: prqlc's errors made repairable, and SQL findings moved onto the PRQL text."""

from __future__ import annotations

import pytest

from worlds import World, catalog
from worlds.diagnostics import Diagnostic, Fix

WORLD = World(files={
    "sales.csv": "id,region,amount,day\n1,north,10,2024-01-05\n2,south,5.5,2024-02-10\n"
                 "3,north,7,2024-02-11\n4,east,,2024-03-01\n",
    "regions.csv": "region,manager\nnorth,Ada\nsouth,Grace\neast,Linus\n",
    "prices.csv": "sku,price_a,price_b\nx,1,2\n",
}, now="2024-06-30T12:00:00Z", seed=7)


def _only(source: str) -> Diagnostic:
    result = WORLD.run(source, lang="prql")
    assert not result.ok
    [diag] = [d for d in result.diagnostics if d.severity == "error"]
    return diag


def _where(diag: Diagnostic) -> tuple[int, int, int, int]:
    assert diag.span is not None
    return diag.span.start.line, diag.span.start.column, diag.span.end.line, diag.span.end.column


def _applied(source: str, fix: Fix) -> list[dict[str, object]] | None:
    result = WORLD.run(fix.apply(source), lang="prql")
    assert result.ok, result
    return result.value


REGION_ROWS = [{"region": "east", "n": 1}, {"region": "north", "n": 2}, {"region": "south", "n": 1}]


def test_an_unknown_name_near_one_column_gets_an_applicable_fix() -> None:
    source = "from sales\ngroup region (aggregate {n = count this})\nsort regoin"
    diag = _only(source)
    assert diag.code == "PRQL2001" and diag.message == "Unknown name `regoin`"
    assert _where(diag) == (3, 6, 3, 12)
    assert "did you mean `region`?" in diag.help
    [fix] = diag.fixes
    assert fix.applicable and fix.description == "use `region`"
    assert [e.replacement for e in fix.edits] == ["region"]
    assert _applied(source, fix) == REGION_ROWS


def test_a_qualified_name_has_only_the_part_after_the_dot_replaced() -> None:
    source = "from s = sales\njoin r = regions (==region)\nselect {s.id, r.manager}\nsort {s.di}"
    diag = _only(source)
    assert _where(diag) == (4, 9, 4, 11)
    assert diag.label == "`s` has no column `di`"
    [fix] = diag.fixes
    assert fix.applicable and fix.apply(source).endswith("sort {s.id}")
    assert _applied(source, fix) == [{"id": 1, "manager": "Ada"}, {"id": 2, "manager": "Grace"},
                                     {"id": 3, "manager": "Ada"}, {"id": 4, "manager": "Linus"}]


def test_a_column_a_misspelt_step_dropped_is_traced_to_the_misspelling() -> None:
    # prqlc accepts `regoin` (it does not know the table) and fails later on `region`
    source = "from sales\ngroup {regoin} (aggregate {n = count this})\nsort region"
    diag = _only(source)
    assert diag.message == "no column named `regoin`"
    assert _where(diag) == (2, 8, 2, 14)
    assert [(lb.span.start.line, lb.text) for lb in diag.labels] == [(3, "so `region` is unknown here")]
    assert "prqlc: Unknown name `region`" in diag.notes
    [fix] = diag.fixes
    assert fix.applicable
    assert _applied(source, fix) == REGION_ROWS


def test_a_misspelt_module_is_mended() -> None:
    source = "from sales\nderive {r = txet.upper region}\nselect {id, r}\ntake 1"
    diag = _only(source)
    assert _where(diag) == (2, 13, 2, 17)
    [fix] = diag.fixes
    assert fix.applicable and fix.edits[0].replacement == "text"
    assert _applied(source, fix) == [{"id": 1, "r": "NORTH"}]


def test_two_equally_near_columns_give_no_applicable_fix() -> None:
    diag = _only("from prices\nselect {price_a, price_b}\nsort price_")
    assert "did you mean `price_a` or `price_b`?" in diag.help
    assert diag.fixes and not any(f.applicable for f in diag.fixes)


def test_a_name_defined_once_and_used_once_may_be_the_misspelling_itself() -> None:
    # `order` is defined, `orders` used: either could be the slip, so nothing is applied
    diag = _only("from sales\ngroup region (aggregate {order = count this})\nselect {region, orders}")
    assert "did you mean `order`?" in diag.help
    assert not any(f.applicable for f in diag.fixes)


def test_a_name_the_query_uses_more_often_wins() -> None:
    source = ("from sales\ngroup region (aggregate {n = count this})\nderive {twice = n * 2}\n"
              "select {region, twice}\nsort {-twcie, region}")
    diag = _only(source)
    [fix] = diag.fixes
    assert fix.applicable and fix.edits[0].replacement == "twice"
    assert _applied(source, fix) == [{"region": "north", "twice": 4}, {"region": "east", "twice": 2},
                                     {"region": "south", "twice": 2}]


def test_a_bracket_left_open_before_the_next_step_is_closed_at_its_line_end() -> None:
    source = "from sales\ngroup region (take 1\nsort region\nselect {region}"
    diag = _only(source)
    assert diag.code == "PRQL2001" and diag.message == "`(` is never closed"
    assert _where(diag) == (2, 14, 2, 15)
    assert any(note.startswith("prqlc: ") for note in diag.notes)
    [fix] = diag.fixes
    assert fix.applicable and fix.description == "close it with `)`"
    assert [(e.span.start.line, e.span.start.column, e.replacement) for e in fix.edits] == [(2, 21, ")")]
    assert _applied(source, fix) == [{"region": "east"}, {"region": "north"}, {"region": "south"}]


@pytest.mark.parametrize(("source", "closer", "column"), [
    ("from sales\nderive {a = (amount + 1}\nselect {id, a}\ntake 1", ")", 24),
    ("from sales\nderive {a = case [amount > 5 => 1, true => 0}\nselect {id, a}\ntake 1", "]", 45),
])
def test_a_bracket_closed_by_the_wrong_kind_is_closed_before_it(source: str, closer: str,
                                                                column: int) -> None:
    diag = _only(source)
    [fix] = diag.fixes
    assert fix.applicable
    edits = [(e.span.start.line, e.span.start.column, e.replacement) for e in fix.edits]
    assert edits == [(2, column, closer)]
    assert _applied(source, fix) is not None


def test_a_let_left_open_is_closed_after_its_last_step() -> None:
    source = ("let r = (\n  from regions\n  select {region, manager}\n\n"
              "from sales\njoin r (==region)\nselect {sales.id, r.manager}\ntake 1")
    diag = _only(source)
    assert _where(diag) == (1, 9, 1, 10)
    [fix] = diag.fixes
    assert fix.applicable and fix.edits[0].span.start.line == 3
    assert _applied(source, fix) == [{"id": 1, "manager": "Ada"}]


def test_a_bracket_that_could_close_at_places_meaning_different_queries_is_not_applied() -> None:
    # `(amount + 2) * 3` and `(amount + 2 * 3)` both compile and differ
    diag = _only("from sales\nderive x = (amount + 2 * 3\nselect {id, x}")
    assert diag.message == "`(` is never closed"
    assert diag.fixes and not any(f.applicable for f in diag.fixes)
    assert any("different queries" in h for h in diag.help)


def test_a_missing_inner_bracket_is_not_mistaken_for_the_outer_one() -> None:
    # the `)` there pairs with the inner `(`, but the missing one may be either: ambiguous
    diag = _only("from sales\nderive {x = (100 * (amount - 1 / 2),\n}\nselect {x}")
    assert not any(f.applicable for f in diag.fixes)


def test_a_moved_sql_fix_lands_after_the_relation_alias() -> None:
    source = "from s = sales\nselect {s.id, s.regoin}\ntake 1"
    diag = _only(source)
    assert diag.code == "SQL2005" and _where(diag) == (2, 17, 2, 23)
    [fix] = diag.fixes
    assert fix.applicable
    assert _applied(source, fix) == [{"id": 1, "region": "north"}]


def test_a_moved_sql_fix_edits_each_prql_use_once() -> None:
    # SQL repeats the name the PRQL writes once; the edits must not pile up on one place
    source = "from s = sales\nderive place = (s.regoin ?? \"?\")\ngroup place (aggregate {n = count this})"
    diag = _only(source)
    [fix] = diag.fixes
    assert fix.applicable and len(fix.edits) == 1
    assert fix.apply(source).count("s.region") == 1
    assert _applied(source, fix) == [{"place": "east", "n": 1}, {"place": "north", "n": 2},
                                     {"place": "south", "n": 1}]


def test_a_misspelt_table_is_mended_where_from_names_it_not_where_a_column_shares_the_name() -> None:
    world = World(files={"events.csv": "event_id,event\n1,view\n2,buy\n"})
    source = "from e = event\nselect {e.event}\nsort event"
    result = world.run(source, lang="prql")
    [diag] = result.diagnostics
    assert diag.code == "SQL2004" and _where(diag) == (1, 10, 1, 15)
    [fix] = diag.fixes
    assert fix.applicable
    fixed = world.run(fix.apply(source), lang="prql")
    assert fixed.ok and fixed.value == [{"event": "buy"}, {"event": "view"}]


def test_a_misspelt_column_after_a_join_prqlc_calls_ambiguous_is_repaired():
    """After a join prqlc says "Ambiguous name" for a name neither side has; it is a misspelt column."""
    from bench.harness.tasks import load_world
    events = load_world("events")
    query = ("from ev = events\njoin u = users (==user_id)\nderive {country = text.upper u.country}\n"
             "group {countr} (aggregate {n = count this})\nsort {-n, country}\ntake 3")
    diag = events.check(query, lang="prql")[0]
    assert diag.code == "PRQL2001" and diag.span is not None and diag.span.start.line == 4
    [fix] = [f for f in diag.fixes if f.applicable]
    assert fix.apply(query).count("group {country}") == 1
    assert not any(h.startswith("could be any of") for h in diag.help)
    assert any("Ambiguous name" in n for n in diag.notes)
    result = events.run(fix.apply(query), lang="prql")
    assert result.ok and result.table is not None and result.table.columns == ["country", "n"]


def test_a_bare_std_function_gets_its_module_with_a_fix_that_compiles() -> None:
    shop = catalog.load("shop")
    source = "from orders\nderive {r = round 2 customer_id}"
    [diagnostic] = shop.run(source, lang="prql").diagnostics
    assert diagnostic.message == "`round` is `math.round` in PRQL"
    [fix] = diagnostic.fixes
    assert fix.applicable
    fixed = fix.apply(source)
    assert fixed == "from orders\nderive {r = math.round 2 customer_id}"
    assert shop.run(fixed, lang="prql").ok


def test_the_std_names_and_the_prql_advice_compile() -> None:
    import prqlc

    from worlds.languages.sql.prql import _IN_PRQL, STD

    options = prqlc.CompileOptions(target="sql.sqlite", signature_comment=False)
    args = {"round": "2 x", "pow": "2 x", "log": "2 x", "extract": "1 2 s", "replace": "'a' 'b' s",
            "starts_with": "'a' s", "contains": "'a' s", "ends_with": "'a' s"}
    for module, names in STD.items():
        for name in names:
            call = f"{module}.{name}" + ("" if name == "pi" else " " + args.get(name, "x"))
            prqlc.compile(f"from t | derive {{y = {call}}}", options)
    for advice in _IN_PRQL.values():
        example = advice.split("`")[-2]
        prqlc.compile(f"from t | {example}" if "group" in example else f"from t | derive {{y = {example}}}",
                      options)


def test_text_arithmetic_in_prql_says_how_prql_joins_text() -> None:
    result = catalog.load("shop").run("from customers\nderive {full = name + country}", lang="prql")
    assert result.diagnostics and all(d.code == "SQL2011" for d in result.diagnostics)
    assert any("f-string" in h for h in result.diagnostics[0].help)
    assert 'prqlc compiled the query to: SELECT *, name + country AS "full" FROM customers' in \
        result.diagnostics[0].notes


def test_the_prql_card_names_its_version_std_and_escape_hatch() -> None:
    import prqlc

    card = catalog.load("sales").describe("prql")
    line = next(line for line in card.splitlines() if line.startswith("PRQL "))
    assert "(prqlc)" in line and "math.{abs" in line and "round}" in line and "text.{lower" in line
    example = line.split("s-string: ")[1]
    assert "ceil(x)" in prqlc.compile(f"from t | derive {{y = {example}}}",
                                      prqlc.CompileOptions(target="sql.sqlite"))
    assert "PRQL " not in catalog.load("sales").describe("js")


@pytest.mark.parametrize("source, fixed", [
    ("from order_items\nderive total = qty * unit_price, n = 1\nselect {total, n}",
     "from order_items\nderive {total = qty * unit_price, n = 1}\nselect {total, n}"),
    ("from order_items\nderive {total = qty * unit_price}\nselect {totl}",
     "from order_items\nderive {total = qty * unit_price}\nselect {total}"),
])
def test_prql_slips_get_fixes_that_run(source: str, fixed: str) -> None:
    shop = catalog.load("shop")
    [diagnostic] = shop.run(source, lang="prql").diagnostics
    [fix] = diagnostic.fixes
    assert fix.applicable and fix.apply(source) == fixed
    assert shop.run(fixed, lang="prql").ok


def test_text_arithmetic_after_a_group_step_is_found_and_placed_on_the_prql() -> None:
    # After `group`, prqlc reads the column from a CTE; the check follows it back to customers.country.
    source = 'from customers\ngroup {country} (aggregate {n = count this})\nderive {label = country  +  "!"}'
    result = catalog.load("shop").run(source, lang="prql")
    assert [d.code for d in result.diagnostics] == ["SQL2011"]
    span = result.diagnostics[0].span
    assert span is not None and (span.start.line, span.start.column) == (3, 17)
    assert source.splitlines()[2][16:].startswith('country  +  "!"')
