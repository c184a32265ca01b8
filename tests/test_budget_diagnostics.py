"""A program stopped by its budget is told where it was, how far it got, and what would finish it.

The budget is enforced softly at QuickJS's interrupt polls (the hard fuel
limit stays as the backstop), so the engine unwinds the program with a stack;
the host counts what it read; a loop nothing can end is a runaway; anything
else is measured on parts of its input.
"""

from __future__ import annotations

import re

import pytest
from conftest import codes

from worlds import World
from worlds.diagnostics import codes as registry
from worlds.diagnostics.render import render

ROWS = 4000
CSV = "id,amount\n" + "".join(f"{i},{i % 97}\n" for i in range(ROWS))


@pytest.fixture(scope="module")
def world() -> World:
    return World({"sales.csv": CSV, "note.txt": "hello\n"}, now="2024-06-30T12:00:00Z", seed=1)


def _suggested(diag) -> int:
    found = re.search(r'`limits=\{"fuel": ([\d_]+)\}`', "\n".join(diag.help))
    assert found, diag.help
    return int(found.group(1).replace("_", ""))


def test_while_true_is_a_runaway_with_its_line(world):
    """`while (true) {}` after other statements: RUN1001, called a runaway, the span on its line."""
    r = world.run("let i = 0;\nconst s = 'x';\nwhile (true) { i++ }\n", limits={"fuel": 10**8})
    assert codes(r) == ["RUN1001"]
    d = r.diagnostics[0]
    assert "runaway" in d.message and "loop that never ends" in d.message
    assert d.file == "<code>" and d.span is not None and d.span.start.line == 3
    assert any("`while (true)` at 3:1" in n for n in d.notes), d.notes
    assert r.stats.fuel == 10**8


def test_a_condition_nothing_changes_is_a_runaway(world):
    """A loop over the rows that forgot `i++` has read all its input and spins: a runaway."""
    code = ("const rows = readCSV('sales.csv');\nlet i = 0, total = 0;\n"
            "while (i < rows.length) {\n  total += rows[i].amount;\n}\n")
    d = world.run(code, limits={"fuel": 3 * 10**8}).diagnostics[0]
    assert "runaway" in d.message
    assert d.span is not None and d.span.start.line == 3
    assert any("nothing in the loop changes `i` or `rows`" in n for n in d.notes), d.notes
    assert any("all of `sales.csv`" in n and f"{ROWS:,} rows" in n for n in d.notes), d.notes


def test_spinning_after_its_input_is_a_runaway_when_measured(world):
    """A loop the source cannot judge (it calls a function) that never moves on is found by
    running it on a small part of the input: it still does not finish."""
    code = ("const rows = readCSV('sales.csv');\nconst next = (k) => k;\nlet k = 0;\n"
            "while (k < rows.length) {\n  k = next(k);\n}\n")
    d = world.run(code, limits={"fuel": 3 * 10**8}).diagnostics[0]
    assert "runaway" in d.message, str(d)
    assert "was still making progress" not in d.message
    assert any("it did not finish either" in n for n in d.notes), d.notes


def test_a_big_job_gets_progress_and_a_budget_that_finishes_it(world):
    """A loop over the rows that needs more than the budget: still making progress, where it was,
    what it had read, and a `limits={"fuel": N}` with which it does finish."""
    code = ("const rows = readCSV('sales.csv');\nlet total = 0;\nfor (const r of rows) {\n"
            "  for (const s of rows) {\n    if (r.amount === s.amount) total += 1;\n  }\n}\ntotal\n")
    fuel = 2 * 10**8
    r = world.run(code, limits={"fuel": fuel})
    assert codes(r) == ["RUN1001"]
    d = r.diagnostics[0]
    assert "was still making progress" in d.message
    assert "loop that never ends" not in d.message + "".join(d.notes + d.help)
    assert d.file == "<code>" and d.span is not None and d.span.start.line in (3, 4, 5)
    assert any("all of `sales.csv`" in n and f"{ROWS:,} rows" in n for n in d.notes), d.notes
    assert any("about as the square of the rows" in n for n in d.notes), d.notes
    needed = _suggested(d)
    assert needed > fuel
    finished = world.run(code, limits={"fuel": needed})
    assert finished.ok, str(finished)
    assert finished.value == sum(1 for i in range(ROWS) for j in range(ROWS) if i % 97 == j % 97)


def test_a_linear_job_stopped_inside_a_helper_names_it():
    """Stopped while `readCSV` parses: the span is the call in the program, the label names the
    helper, and the suggested budget finishes the run."""
    world = World({"sales.csv": "id,amount\n" + "".join(f"{i},{i % 97}\n" for i in range(10 * ROWS))})
    reading = world.run("readCSV('sales.csv').length")
    assert reading.ok
    code = "const rows = readCSV('sales.csv');\nlet t = 0;\nfor (const r of rows) t += r.amount;\nt\n"
    d = world.run(code, limits={"fuel": reading.stats.fuel * 2 // 3}).diagnostics[0]
    assert d.span is not None and d.span.start.line == 1
    assert "`readCSV`" in d.label, d.label
    assert "was still making progress" in d.message
    assert any("in proportion to the rows" in n for n in d.notes), d.notes
    finished = world.run(code, limits={"fuel": _suggested(d)})
    assert finished.ok and finished.value == sum(i % 97 for i in range(10 * ROWS))


def test_budget_stops_are_deterministic(world):
    """The same program in the same world stops at the same place with the same text, every time."""
    for code, fuel in [("let i = 0;\nwhile (true) { i++ }\n", 10**8),
                       ("const rows = readCSV('sales.csv');\nlet n = 0;\nfor (const r of rows)\n"
                        "  for (const s of rows) n += r.id < s.id;\nn\n", 10**8)]:
        first, second = (world.run(code, limits={"fuel": fuel}) for _ in range(2))
        assert first.diagnostics == second.diagnostics
        sources = {"<code>": code}
        assert render(first.diagnostics[0], sources) == render(second.diagnostics[0], sources)
        assert first.receipt == second.receipt


def test_async_code_stopped_in_a_promise_job_still_has_its_location(world):
    """A module whose loop runs after an `await` (a promise job, where QuickJS prints the error
    itself) still gets the line, in a file of the workspace."""
    session = world.session()
    session.write("main.mjs", "await null;\nlet x = 0;\nfor (;;) { x++ }\nexport {};\n")
    d = session.run("main.mjs", limits={"fuel": 10**8}).diagnostics[0]
    assert d.code == "RUN1001" and d.file == "main.mjs"
    assert d.span is not None and d.span.start.line == 3
    assert "runaway" in d.message


def test_a_function_call_inside_a_loop_is_followed_to_the_function(world):
    """The innermost frame in the program's files is the function, with the caller in the stack."""
    code = "function spin(n) {\n  while (n > 0) { n = n + 1; }\n  return n;\n}\nspin(1);\n"
    d = world.run(code, limits={"fuel": 10**8}).diagnostics[0]
    assert d.span is not None and d.span.start.line == 2
    assert any("stack, innermost first" in n and "<code>:5:1" in n for n in d.notes), d.notes


def test_no_input_and_no_certain_runaway_says_neither(world):
    """A bounded but huge loop that reads nothing: no claim of a runaway, no guessed budget."""
    d = world.run("let s = 0;\nfor (let i = 0; i < 1e12; i++) { s += i % 3; }\n",
                  limits={"fuel": 10**8}).diagnostics[0]
    assert d.message == "the program used its whole budget of 100,000,000 fuel"
    assert d.span is not None and d.span.start.line == 2
    assert any("read no input files" in n for n in d.notes)
    assert not any("limits={" in h for h in d.help)


def test_the_deadline_gets_a_location_too(world):
    """With fuel to spare, the wall-clock deadline stops the program at a poll: RUN1002 with its line."""
    r = world.run("let i = 0;\nwhile (true) { i++ }\n", limits={"wall_ms": 50, "fuel": 10**12})
    assert codes(r) == ["RUN1002"]
    d = r.diagnostics[0]
    assert "50 ms" in d.message and "runaway" in d.message
    assert d.span is not None and d.span.start.line == 2
    assert r.stats.wall_ms < 2000


def test_output_before_the_stop_is_kept_and_the_report_is_not_output(world):
    """What the program printed stays; QuickJS's report of the stop is not mixed into stderr,
    even when the program had filled the output cap."""
    r = world.run("console.log('before');\nwhile (true) {}\n", limits={"fuel": 10**8})
    assert r.stdout == "before\n" and r.stderr == ""
    r = world.run("console.error('x'.repeat(990));\nwhile (true) {}\n",
                  limits={"fuel": 10**8, "output_bytes": 1000})
    assert codes(r) == ["RUN1001"] and r.diagnostics[0].span is not None


def test_explain_covers_the_budget_diagnostic():
    """`worlds explain RUN1001` describes the runaway/big-job distinction and the suggested setting."""
    text = registry.lookup("RUN1001").explain()
    assert "runaway" in text and "big job" in text and 'limits={"fuel": N}' in text
    assert "where it was" in registry.lookup("RUN1002").explain()
