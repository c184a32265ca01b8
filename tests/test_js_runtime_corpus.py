"""Runtime errors mapped back to source: a corpus of programs that fail while running.

Each case: the program, the diagnostic code, the primary span (file, line, start and
end column), words the message must contain, and, where an applicable fix is
offered, the output the program prints once every applicable fix is applied.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import apply_fixes

from worlds import World

FILES = {
    "sales.csv": "region,amount\nnorth,3\nsouth,4\n",
    "data.json": '{"items": [1, 2,],\n "ok": true}\n',
    "events.jsonl": '{"id": 1}\n{"id": 2}\n',
    "orders.json": '[{"id": 1, "total": 5}, {"id": 2, "total": 7}]\n',
}


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    diag: str
    span: tuple[str, int, int, int]  # file, line, start column, end column
    says: str
    fixed_stdout: str | None = None


CASES = [
    Case("missing key in a chain", "const cfg = {db: {host: 'h'}, cache: {}};\nconsole.log(cfg.dbs.host)",
         "JS1003", ("<code>", 2, 16, 20), "`cfg.dbs` is undefined", "h\n"),
    Case("misspelt record field", "const order = {total: 5, items: []};\nconsole.log(order.totl.toFixed(1))",
         "JS1003", ("<code>", 2, 18, 23), "`order.totl` is undefined", "5.0\n"),
    Case("misspelt method", "const stats = { mean(xs) { return xs[0] } };\nconsole.log(stats.meen([4]))",
         "JS1003", ("<code>", 2, 18, 23), "`stats.meen` is not a function", "4\n"),
    # The checker finds these five before the program runs (JS2xxx): see test_js_checker_corpus.py.
    Case("length called", "const s = 'abc';\nconsole.log(s.length())",
         "JS2021", ("<code>", 2, 15, 23), "`length` is a property, not a method", "3\n"),
    Case("array length called", "const xs = [1, 2];\nconsole.log(xs.length())",
         "JS2021", ("<code>", 2, 16, 24), "`xs` is an array", "2\n"),
    Case("misspelt variable", "var total = 3;\nif (total > 1) console.log(totl)",
         "JS2020", ("<code>", 2, 28, 32), "`totl` is not declared", "3\n"),
    Case("misspelt variable at runtime", "function show() { console.log(total) }\nshow();\nlet total = 3;",
         "JS1002", ("<code>", 1, 31, 36), "total", None),
    Case("python append", "const xs = [];\nxs.append(1);\nconsole.log(xs)",
         "JS2021", ("<code>", 2, 4, 10), "`append` is not a JavaScript method", "[ 1 ]\n"),
    Case("key with the wrong case", "const cfg = {host: 'db', port: 5432};\nconsole.log(cfg.Host.length)",
         "JS1003", ("<code>", 2, 16, 21), "`cfg.Host` is undefined", "2\n"),
    Case("plural slip", "const order = {items: [1, 2, 3]};\nconsole.log(order.item.length)",
         "JS1003", ("<code>", 2, 18, 23), "`order.item` is undefined", "3\n"),
    Case("method on a record", "const calc = {sum(xs) { return xs.reduce((a, b) => a + b, 0) }};\n"
         "console.log(calc.summ([1, 2]))",
         "JS1003", ("<code>", 2, 17, 22), "`calc.summ` is not a function", "3\n"),
    Case("reported at the function's start", "function f() {\n  return null.x;\n}\nf();",
         "JS1003", ("<code>", 2, 10, 14), "cannot read `x` of null", None),
    Case("null base", "const user = null;\nconsole.log(user.name)",
         "JS1003", ("<code>", 2, 13, 17), "`user` is null", None),
    Case("set on undefined", "const acc = {};\nacc.north.total = 1",
         "JS1003", ("<code>", 2, 4, 10), "`acc.north` is undefined", None),
    Case("result of a call", "function find() {}\nconsole.log(find().id)",
         "JS1003", ("<code>", 2, 13, 19), "`find()` returned undefined", None),
    Case("index past the end", "const rows = [[1]];\nconsole.log(rows[1][0])",
         "JS1003", ("<code>", 2, 17, 20), "`rows[1]` is undefined", None),
    Case("not a constructor", "const Point = {};\nnew Point(1, 2)",
         "JS1003", ("<code>", 2, 5, 10), "`Point` is not a constructor", None),
    Case("json with a trailing comma", "const d = JSON.parse(fs.readFileSync('data.json', 'utf8'));",
         "JS1007", ("data.json", 1, 17, 18), "in `data.json`", None),
    Case("json lines parsed whole", "const e = JSON.parse(fs.readFileSync('events.jsonl', 'utf8'));",
         "JS1007", ("events.jsonl", 2, 1, 2), "in `events.jsonl`", None),
    Case("csv parsed as json", "const rows = JSON.parse(fs.readFileSync('sales.csv', 'utf8'));",
         "JS1007", ("sales.csv", 1, 1, 2), "in `sales.csv`", None),
    Case("missing file", "const t = fs.readFileSync('sale.csv', 'utf8');",
         "JS2030", ("<code>", 1, 27, 37), "no file `sale.csv`", ""),
    Case("missing file at runtime", "const name = 'sale' + '.csv';\nconst t = fs.readFileSync(name, 'utf8');",
         "JS1005", ("<code>", 2, 27, 31), "ENOENT", None),
    Case("missing file named through a parameter",
         "function load(name) {\n  return fs.readFileSync(name, 'utf8');\n}\n"
         "console.log(load('sale.csv').length);",
         "JS1005", ("<code>", 2, 26, 30), "ENOENT", "30\n"),
    Case("writing an input", "fs.writeFileSync('sales.csv', 'x');",
         "JS1005", ("<code>", 1, 4, 17), "EACCES", None),
    Case("thrown string", "const x = 1;\nif (x) throw 'bad input';",
         "JS1006", ("<code>", 2, 14, 25), "uncaught 'bad input'", None),
    Case("error in a callback", "const xs = [{v: 1}, {}];\nxs.forEach((x) => console.log(x.v.toFixed(0)))",
         "JS1003", ("<code>", 2, 32, 34), "`x.v` is undefined", None),
    Case("rejected completion value", "async function load() { throw new Error('no data') }\nload();",
         "JS1006", ("<code>", 1, 35, 40), "no data", None),
    Case("unhandled rejection", "async function load() { throw new Error('no data') }\nload();\n1",
         "JS1006", ("<code>", 1, 35, 40), "uncaught (in promise)", None),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_runtime_error_is_mapped(case: Case) -> None:
    world = World(FILES)
    result = world.run(case.code)
    assert not result.ok
    diag = result.diagnostics[0]
    assert diag.code == case.diag, str(result)
    assert case.says in diag.message, str(result)
    file, line, start, end = case.span
    assert diag.file == file, str(result)
    assert diag.span is not None
    got = (diag.span.start.line, diag.span.start.column, diag.span.end.column)
    assert got == (line, start, end), str(result)
    assert "Traceback" not in str(result)
    applicable = [f for d in result.diagnostics for f in d.fixes if f.applicable]
    if case.fixed_stdout is None:
        return
    assert applicable, f"expected an applicable fix:\n{result}"
    fixed = world.run(apply_fixes(case.code, result.diagnostics))
    assert fixed.ok, str(fixed)
    assert fixed.stdout == case.fixed_stdout


def test_keys_of_the_object_are_shown() -> None:
    result = World().run("const row = {region: 'n', amount: 3};\nconsole.log(row.amout.toFixed(2))")
    assert "`row` has keys: region, amount" in str(result)


def test_errors_inside_required_files_point_there() -> None:
    session = World().session()
    session.write("lib.js", "exports.first = (xs) => xs[0].name;\n")
    session.write("main.js", "const { first } = require('./lib.js');\nconsole.log(first([]));\n")
    result = session.run("main.js")
    diag = result.diagnostics[0]
    assert diag.file == "lib.js" and diag.span is not None and diag.span.start.line == 1
    assert "main.js:2" in str(result)  # the stack names the caller


def test_import_of_a_name_the_module_does_not_export() -> None:
    session = World().session()
    session.write("util.mjs", "export function total(rows) { return rows.length; }\nexport const rate = 2;\n")
    session.write("main.js", 'import { totl } from "./util.mjs";\nconsole.log(totl([1, 2]));\n')
    result = session.run("main.js")
    diag = result.diagnostics[0]
    assert diag.code == "JS1008" and diag.file == "main.js"
    assert diag.span is not None and (diag.span.start.column, diag.span.end.column) == (10, 14)
    assert "`util.mjs` exports: rate, total" in diag.notes
    fixed = diag.fixes[0].apply(session.read("main.js")).replace("totl(", "total(")
    session.write("main.js", fixed)
    assert session.run("main.js").stdout == "2\n"


GOLDEN = """\
error[JS1003]: `order.totl` is undefined
 --> <code>:2:18
  |
2 | console.log(order.totl.toFixed(1))
  |                  ^^^^^ this is undefined
  |
  = note: `order` has keys: total, items
  = note: the engine said: TypeError: cannot read property 'toFixed' of undefined
  = help: check `order.totl` before you read `toFixed` from it, or write `order.totl?.toFixed`
  = fix: use `total`"""


def test_rendered_text_is_exactly_what_an_agent_reads() -> None:
    result = World().run("const order = {total: 5, items: []};\nconsole.log(order.totl.toFixed(1))")
    text = str(result)
    assert text.startswith(GOLDEN + "\n\nfailed with 1 error in "), text


def test_the_whole_corpus_is_large_and_mostly_repairable() -> None:
    """Static and runtime corpora together: at least 60 programs, at least half repaired by fixes alone."""
    from test_js_checker_corpus import CASES as STATIC
    total = len(STATIC) + len(CASES)
    repaired = sum(c.fixed_stdout is not None for c in [*STATIC, *CASES])
    assert total >= 60
    assert repaired * 2 >= total, (repaired, total)
