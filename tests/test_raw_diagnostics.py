"""Raw diagnostics: a session that passes on only the engine's own words (the bench's ablation)."""

from __future__ import annotations

import pytest

from worlds import Session, SessionError, World, catalog


@pytest.fixture(scope="module")
def sales() -> World:
    return catalog.load("sales")


CASES = [
    # (lang, code, what the engine says, what only our full diagnostics add)
    ("sql", "SELECT regoin FROM sales", "no such column: regoin", "did you mean `region`?"),
    ("sql", "SELEC region FROM sales", 'near "SELEC": syntax error', "fix: write `SELECT`"),
    ("prql", "from sales | select {regoin}", "no such column: regoin", "did you mean `region`?"),
    ("prql", "from sales | grup region (aggregate {n = count this})", "Unknown name `grup`",
     "error[PRQL2001]"),
    ("js", "const rows = [1, 2];\nconsole.log(rows.lenght.foo)",
     "Uncaught TypeError: cannot read property 'foo' of undefined", "did you mean `length`?"),
    ("js", "console.log(undefinedVar + 1)", "Uncaught ReferenceError: undefinedVar is not defined",
     "did you mean `undefined`?"),
    ("js", "const x = [1, 2;\n", "Uncaught SyntaxError", "fix: insert `]`"),
]


@pytest.mark.parametrize("lang, code, engine_says, ours", CASES)
def test_raw_shows_the_engine_text_and_nothing_of_ours(sales, lang, code, engine_says, ours):
    raw = Session(sales, diagnostics="raw").call("run", {"code": code, "lang": lang})
    full = Session(sales).call("run", {"code": code, "lang": lang})
    assert engine_says in raw and ours not in raw, raw
    assert ours in full
    assert "-->" not in raw and "help:" not in raw and "fix:" not in raw


def test_raw_diagnostics_are_data_without_spans_or_fixes(sales):
    answer = Session(sales, diagnostics="raw").call_result("run", {"code": "SELECT regoin FROM sales",
                                                                    "lang": "sql"})
    assert not answer.ok
    [diag] = answer.diagnostics
    assert (diag.code, diag.span, diag.fixes, diag.help) == ("RUN1000", None, [], [])


def test_a_good_program_runs_the_same_in_both(sales):
    code = "SELECT region, count(*) AS n FROM sales GROUP BY region ORDER BY region"
    raw = Session(sales, diagnostics="raw").run(code=code, lang="sql")
    full = Session(sales).run(code=code, lang="sql")
    assert raw.ok and raw.to_json() == full.to_json()


def test_raw_check_says_it_does_not_check(sales):
    text = Session(sales, diagnostics="raw").call("check", {"code": "SELEC 1", "lang": "sql"})
    assert text.startswith("not checked") and "run" in text


def test_limits_are_reported_plainly(sales):
    text = Session(sales, diagnostics="raw").call("run", {"code": "while (true) {}"})
    assert text.startswith("the program used its whole instruction budget")


def test_the_mode_survives_state_and_restore(sales):
    session = Session(sales, diagnostics="raw")
    assert Session.restore(sales, session.state()).diagnostics == "raw"
    assert "diagnostics" not in Session(sales).state()  # full sessions keep their old state form
    with pytest.raises(SessionError, match="full' or 'raw"):
        Session(sales, diagnostics="none")  # type: ignore[arg-type]
