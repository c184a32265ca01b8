"""The JS-light checker on programs of the kinds models write, broken in the ways they break.

Each case: the program, the code of its first diagnostic, that diagnostic's
primary span (line, start column, end column), and, when the checker offers
applicable fixes, what the program prints once all of them are applied. A
case without an expected output must offer no applicable fix: a fix marked
safe has to make the program work.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from conftest import apply_fixes

from worlds import World
from worlds.diagnostics import codes, render_all
from worlds.languages.js import engine
from worlds.languages.js.checker import check
from worlds.limits import Limits

FILES = {
    "sales.csv": "region,amount\nnorth,3\nsouth,4\n",
    "data.json": '{"items": [1, 2], "ok": true}\n',
    "helpers.js": "exports.double = (x) => x * 2;\n",
    "lib.mjs": "export const triple = (x) => x * 3;\n",
}


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    diag: str
    span: tuple[int, int, int]  # line, start column, end column of the first diagnostic
    fixed_stdout: str | None = None


CASES = [
    # -- syntax: brackets and literals ----------------------------------------------------------
    Case("unclosed call", "const total = [1, 2].reduce((a, b) => a + b, 0;\nconsole.log(total);",
         "JS2002", (1, 47, 48), "3\n"),
    Case("extra parenthesis", "console.log('hi'));", "JS2002", (1, 18, 19), "hi\n"),
    Case("missing brace at the end", "for (const x of [1, 2]) {\n  console.log(x);\n",
         "JS2002", (2, 18, 18), "1\n2\n"),
    Case("if header not closed", "const n = 3;\nif (n > 2 {\n  console.log('big');\n}",
         "JS2002", (2, 11, 12), "big\n"),
    Case("for header not closed", "for (let i = 0; i < 2; i++ {\n  console.log(i);\n}",
         "JS2002", (1, 28, 29), "0\n1\n"),
    Case("object without comma", "const cfg = {\n  name: 'a'\n  size: 2\n};\nconsole.log(cfg.size);",
         "JS2001", (3, 3, 7), "2\n"),
    Case("array without "
         "comma", "const xs = [1, 2 3];\nconsole.log(xs.length);", "JS2001", (1, 18, 19), "3\n"),
    Case("arguments without comma", "console.log('a' 'b');", "JS2001", (1, 17, 20), "a b\n"),
    Case("unterminated string", 'const s = "hello;\nconsole.log(s);', "JS2003", (1, 11, 18), "hello\n"),
    Case("apostrophe in quotes", "const msg = 'it's done';\nconsole.log(msg);", "JS2003", (1, 13, 24),
         "it's done\n"),
    Case("unterminated template", "const t = `total: ${1 + 1};\nconsole.log(t);", "JS2003", (1, 11, 12)),
    Case("unterminated comment", "/* notes\nconsole.log(1);", "JS2003", (1, 1, 3)),
    Case("wrong closing "
         "bracket", "const xs = [1, 2);\nconsole.log(xs.length);", "JS2002", (1, 17, 18), "2\n"),
    Case("extra closing brace", "function f() {\n  return 1;\n}}\nconsole.log(f());", "JS2002", (3, 2, 3)),
    Case("block lost its "
         "brace", "function f(x) {\n  if (x) {\n    return 1;\n\n  return 2;\n}\nconsole.log(f(0));",
         "JS2002", (2, 10, 11)),
    Case("two values in a row", "let x = 5 y = 6;", "JS2001", (1, 11, 12)),
    Case("operator without operand", "const t = 1 +;\nconsole.log(t);", "JS2001", (1, 14, 15)),
    # -- syntax of other languages ------------------------------------------------------------------
    Case("typescript parameters", "function add(a: number, b: number): number {\n  return a + b;\n}\n"
         "console.log(add(1, 2));", "JS2007", (1, 15, 23), "3\n"),
    Case("typescript "
         "variable", "const rate: number = 2;\nconsole.log(rate * 2);", "JS2007", (1, 11, 19), "4\n"),
    Case("typescript cast", "const data = JSON.parse('{\"a\": 1}') as any;\nconsole.log(data.a);",
         "JS2007", (1, 37, 43), "1\n"),
    Case("typescript interface", "interface Row { region: string }\nconsole.log(1);", "JS2007", (1, 1, 14)),
    Case("python and not", "const a = true, b = false;\nif (a and not b) console.log('yes');",
         "JS2007", (2, 7, 10), "yes\n"),
    Case("python elif", "const n = 5;\nif (n < 3) {\n  console.log('small');\n} elif (n < 10) {\n"
         "  console.log('medium');\n}", "JS2007", (4, 3, 7), "medium\n"),
    Case("python def", "def total(xs):\n  return sum(xs)", "JS2007", (1, 1, 4)),
    Case("python conditional", "const x = 2;\nconst y = 'big' if x > 1 else 'small';", "JS2007", (2, 17, 19)),
    Case("function keyword in a "
         "class", "class A {\n  function hi() { return 'hi'; }\n}\nconsole.log(new A().hi());",
         "JS2007", (2, 3, 11), "hi\n"),
    Case("reserved word as a name", "const class = 'a';", "JS2001", (1, 7, 12)),
    # -- refused by the engine before running -----------------------------------------------------
    Case("let declared twice", "let total = 0;\nfor (const x of [1, 2]) total += x;\nlet total = total * 2;\n"
         "console.log(total);", "JS2004", (3, 5, 10), "6\n"),
    Case("const without value", "const result;\nresult = 5;", "JS2005", (1, 7, 13)),
    Case("await outside "
         "async", "function load() {\n  const t = await fs.promises.readFile('data.json', 'utf8');\n"
         "  return t;\n}", "JS2005", (2, 13, 18)),
    Case("return at top "
         "level", "const rows = readCSV('sales.csv');\nif (!rows.length) return;\nconsole.log(rows.length);",
         "JS2005", (2, 19, 25)),
    Case("break in a callback", "[1, 2, 3].forEach((x) => {\n  if (x > 1) break;\n  console.log(x);\n});",
         "JS2005", (2, 14, 19)),
    Case("regex flags", "const re = /a/gg;\nconsole.log(re.test('a'));", "JS2006", (1, 15, 17)),
    Case("regex group", "const re = /(\\d+/;\nconsole.log(re.test('1'));", "JS2006", (1, 13, 17)),
    Case("invalid "
         "assignment", "let a = 1, b = 2;\nif (a + b = 3) console.log('three');", "JS2001", (2, 5, 14)),
    # -- names -----------------------------------------------------------------------------------------
    Case("misspelt variable", "const total = 10;\nconsole.log(totl);", "JS2020", (2, 13, 17), "10\n"),
    Case("misspelt function", "function average(xs) { return xs.reduce((a, b) => a + b, 0) / xs.length; }\n"
         "console.log(avarage([2, 4]));", "JS2020", (2, 13, 20), "3\n"),
    Case("misspelt "
         "twice", "const items = [1, 2];\nconsole.log(itmes.length, itmes[0]);", "JS2020", (2, 13, 18),
         "2 1\n"),
    Case("lower-case Math", "console.log(math.max(1, 2));", "JS2020", (1, 13, 17), "2\n"),
    Case("capitalised console", "Console.log('x');", "JS2020", (1, 1, 8), "x\n"),
    Case("misspelt "
         "JSON", "const d = JSOn.parse('{\"a\": 1}');\nconsole.log(d.a);", "JS2020", (1, 11, 15), "1\n"),
    Case("never declared", "console.log(rows.length);", "JS2020", (1, 13, 17)),
    Case("dirname", "const p = path.join(__dirname, 'sales.csv');", "JS2020", (1, 21, 30)),
    Case("used before declaration", "console.log(rate);\nconst rate = 2;", "JS2022", (1, 13, 17)),
    Case("const reassigned", "const count = 0;\nfor (const x of [1, 2]) count += x;\nconsole.log(count);",
         "JS2023", (2, 25, 30), "3\n"),
    # -- other languages' functions and methods -----------------------------------------------------
    Case("print", "const n = 2;\nprint('n =', n);", "JS2021", (2, 1, 6), "n = 2\n"),
    Case("len", "const xs = [1, 2, 3];\nconsole.log(len(xs));", "JS2021", (2, 13, 16), "3\n"),
    Case("python "
         "constants", "const flags = { done: True, next: None };\nconsole.log(flags.done, flags.next);",
         "JS2021", (1, 23, 27), "true null\n"),
    Case("append", "const out = [];\nfor (const x of [1, 2]) out.append(x * 2);\nconsole.log(out.join(','));",
         "JS2021", (2, 29, 35), "2,4\n"),
    Case("length called", "const s = 'abc';\nconsole.log(s.length());", "JS2021", (2, 15, 23), "3\n"),
    Case("contains", "const s = 'hello';\nconsole.log(s.contains('ell'));", "JS2021", (2, 15, 23), "true\n"),
    Case("lower and upper", "const s = 'Mixed';\nconsole.log(s.lower(), s.upper());", "JS2021", (2, 15, 20),
         "mixed MIXED\n"),
    Case("size called on a "
         "map", "const m = new Map([['a', 1]]);\nconsole.log(m.size());", "JS2021", (2, 15, 21),
         "1\n"),
    Case("size of an array", "const xs = [1, 2];\nconsole.log(xs.size);", "JS2021", (2, 16, 20), "2\n"),
    Case("python "
         "conversions", "const n = int('42');\nconsole.log(str(n + 1));", "JS2021", (1, 11, 14), "43\n"),
    Case("python max", "const xs = [3, 7];\nconsole.log(max(xs));", "JS2021", (2, 13, 16), "7\n"),
    # -- what JS-light leaves out ----------------------------------------------------------------------
    Case("eval", "const x = eval('1 + 1');", "JS2010", (1, 11, 15)),
    Case("new Function", "const f = new Function('a', 'return a * 2');", "JS2010", (1, 11, 44)),
    Case("fetch", "const res = await fetch('https://example.com/data.json');", "JS2011", (1, 19, 24)),
    Case("https module", "const https = require('https');", "JS2011", (1, 23, 30)),
    Case("process.on", "const rows = readCSV('sales.csv');\nprocess.on('uncaughtException', console.error);",
         "JS2012", (2, 1, 11)),
    Case("child process", "import { execSync } from 'child_process';", "JS2012", (1, 26, 41)),
    Case("weak ref", "const cache = new WeakRef({});", "JS2013", (1, 19, 26)),
    Case("shared memory", "const buf = new SharedArrayBuffer(16);", "JS2014", (1, 17, 34)),
    Case("engine internals", "import * as std from 'qjs:std';\nstd.printf('%d', 1);", "JS2016", (1, 22, 31)),
    Case("cpuUsage", "const start = process.cpuUsage();", "JS2015", (1, 15, 31)),
    # -- files and modules -----------------------------------------------------------------------------
    Case("misspelt "
         "file", "const text = fs.readFileSync('sale.csv', 'utf8');\nconsole.log(text.split('\\n').length);",
         "JS2030", (1, 30, 40), "4\n"),
    Case("file name case", "const d = JSON.parse(fs.readFileSync('Data.json', 'utf8'));\nconsole.log(d.ok);",
         "JS2030", (1, 38, 49), "true\n"),
    Case("readCSV of a typo", "const rows = readCSV('sales.cvs');\nconsole.log(rows.length);", "JS2030",
         (1, 22, 33), "2\n"),
    Case("destructured readFileSync", "const { readFileSync } = require('fs');\n"
         "console.log(readFileSync('data.jsn', 'utf8').length > 0);", "JS2030", (2, 26, 36), "true\n"),
    Case("import without extension", "import { triple } from './lib';\nconsole.log(triple(2));", "JS2030",
         (1, 24, 31), "6\n"),
    Case("require of a near name", "const h = require('./helper');\nconsole.log(h.double(2));", "JS2030",
         (1, 19, 29), "4\n"),
    Case("write into a missing folder", "const totals = { north: 3 };\n"
         "fs.writeFileSync('out/totals.json', JSON.stringify(totals));\nconsole.log('saved');",
         "JS2030", (2, 18, 35), "saved\n"),
    Case("npm package", "const _ = require('lodash');", "JS2031", (1, 19, 27)),
    Case("fs/promises", "const fsp = require('fs/promises');", "JS2031", (1, 21, 34)),
    Case("misspelt fs", "const files = require('fss');\nconsole.log(typeof files.readFileSync);", "JS2031",
         (1, 23, 28), "function\n"),
    # -- warnings: the program still runs -------------------------------------------------------------
    Case("placeholder in quotes", "const total = 5;\nconsole.log('total: ${total}');", "JS2027", (2, 13, 30),
         "total: 5\n"),
    Case("object joined into text", "const user = { name: 'ada' };\nconsole.log('user: ' + user);", "JS2025",
         (2, 24, 28)),
    Case("assignment in a "
         "condition", "let count = 1;\nif (count = 0) console.log('none');", "JS2026", (2, 11, 12)),
    Case("undeclared assignment", "let total = 0;\ntotl = 5;\nconsole.log(total);", "JS2024", (2, 1, 5)),
    Case("performance.now", "const t0 = performance.now();\nconsole.log(typeof t0);", "JS2015", (1, 12, 27)),
    # -- misspelt built-in members: `lenght`, `spilt`, `JSON.prase` ------------------------------------
    Case("misspelt split", "const lines = fs.readFileSync('sales.csv', 'utf8').trim().spilt('\\n');\n"
         "console.log(lines.length);", "JS2032", (1, 59, 64), "3\n"),
    Case("misspelt push", "const rows = [];\nrows.psuh(1);\nconsole.log(rows.length);", "JS2032", (2, 6, 10),
         "1\n"),
    Case("misspelt JSON.parse", "const d = JSON.prase(fs.readFileSync('data.json', 'utf8'));\n"
         "console.log(d.ok);", "JS2032", (1, 16, 21), "true\n"),
    Case("misspelt Object.keys", "console.log(Object.kyes({a: 1}).length);", "JS2032", (1, 20, 24), "1\n"),
    Case("misspelt length of an array", "const xs = [1, 2];\n"
         "for (let i = 0; i < xs.lenght; i++) console.log(xs[i]);", "JS2032", (2, 24, 30), "1\n2\n"),
    Case("misspelt method of a field", "const r = {v: 1.5};\nconsole.log(r.v.toFixd(1));", "JS2032",
         (2, 17, 23), "1.5\n"),
    Case("misspelt filter in a chain", "const n = readCSV('sales.csv').fitler((r) => r.amount > 3).length;\n"
         "console.log(n);", "JS2032", (1, 32, 38), "1\n"),
    # a record's `lenght` may be a column of the data: a warning, and its fix waits for review
    Case("misspelt length of a record", "for (const r of readCSV('sales.csv')) console.log(r.lenght);",
         "JS2032", (1, 53, 59)),
    # -- a name used in its own declaration -----------------------------------------------------------
    Case("own declaration misspelt", "const lines = ['a', 'b'];\n"
         "for (const line of line.slice(1)) console.log(line);", "JS2022", (2, 20, 24), "b\n"),
    Case("own declaration with no near name", "const count = count + 1;\nconsole.log(count);", "JS2022",
         (1, 15, 20)),
    # -- a missing `)` or `]`: tried at every place, safe only where exactly one place works --------
    Case("arrow parameters not closed", "const xs = [{s: 2}, {s: 1}];\nxs.sort((a, b => a.s - b.s);\n"
         "console.log(xs.map((x) => x.s).join(' '));", "JS2002", (2, 28, 29), "1 2\n"),
    Case("if header closed before a statement", "const xs = ['a', '', 'b'];\nfor (const x of xs) {\n"
         "  if (!x.trim() continue;\n  console.log(x);\n}", "JS2002", (5, 1, 2), "a\nb\n"),
    Case("empty call not closed", "const ks = ['b', 'a'];\nconsole.log(ks.sort(.join(','));", "JS2002",
         (2, 32, 33), "a,b\n"),
    Case("index not closed before a method", "const lines = ['a,b'];\nconst header = lines[0.split(',');\n"
         "console.log(header.length);", "JS2002", (2, 34, 35), "2\n"),
    Case("arrow parameter not closed across lines", "const r = ['a'].map((l => {\n  return l + 1;\n});\n"
         "console.log(r);", "JS2002", (3, 3, 4), "[ 'a1' ]\n"),
    Case("index that could close in several places", "const net = {};\nconst m = {sku: 'a', delta: 2};\n"
         "net[m.sku = (net[m.sku] ?? 0) + m.delta;\nconsole.log(net);", "JS2002", (3, 40, 41)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_checker_case(case: Case) -> None:
    world = World(FILES)
    result = world.run(case.code)
    assert result.diagnostics, f"nothing found in:\n{case.code}"
    first = result.diagnostics[0]
    assert first.code == case.diag, str(result)
    assert first.span is not None and first.file == "<code>"
    got = (first.span.start.line, first.span.start.column, first.span.end.column)
    assert got == case.span, str(result)
    assert [d.code for d in world.check(case.code)] == [d.code for d in result.diagnostics
                                                       if d.code.startswith("JS2")]
    if first.severity == "error":
        assert not result.ok and result.stats.fuel == 0, "a program the checker refuses never runs"
    text = str(result)
    assert f"[{case.diag}]" in text and "Traceback" not in text
    assert render_all(result.diagnostics, result.sources).count("-->") == len(result.diagnostics)
    applicable = [f for d in result.diagnostics for f in d.fixes if f.applicable]
    if case.fixed_stdout is None:
        assert not applicable, f"an applicable fix was offered; give its output:\n{result}"
        return
    assert applicable, f"expected an applicable fix:\n{result}"
    fixed = world.run(apply_fixes(case.code, result.diagnostics))
    assert fixed.ok and not fixed.diagnostics, str(fixed)
    assert fixed.stdout == case.fixed_stdout


def test_corpus_counts() -> None:
    """The corpus is large, and most of it is repaired by applicable fixes alone."""
    fixable = [c for c in CASES if c.fixed_stdout is not None]
    assert len(CASES) >= 45
    assert len(fixable) * 2 >= len(CASES)


def test_a_syntax_error_in_a_required_file_is_reported_by_the_engine() -> None:
    """The checker reads the program it is given; files it requires are judged when they load."""
    session = World().session()
    session.write("lib.js", "exports.f = () => { return (1 + 2; };\n")
    session.write("main.js", "const { f } = require('./lib.js');\nconsole.log(f());\n")
    result = session.run("main.js")
    assert [d.code for d in result.diagnostics] == ["JS1001"]


def test_session_entry_file_is_checked_under_its_name() -> None:
    session = World(FILES).session()
    session.write("src/main.js", "const h = require('./helpers.js');\nconsole.log(h.double(totl));\n")
    result = session.run("src/main.js")
    assert [d.code for d in result.diagnostics] == ["JS2030", "JS2020"]
    assert all(d.file == "src/main.js" for d in result.diagnostics)
    assert "src/main.js:1:" in str(result) and "| const h = require" in str(result)


def test_warnings_come_before_runtime_errors() -> None:
    result = World().run("const t = performance.now();\nnull.x;")
    assert [d.code for d in result.diagnostics] == ["JS2015", "JS1003"]


def test_syntax_verdicts_agree_with_the_engine() -> None:
    """For every corpus program, the checker finds a syntax-level error exactly when QuickJS
    (run directly, without the checker in front) refuses to parse the program."""
    inputs = {path: text.encode() for path, text in FILES.items()}
    disagree = []
    for case in CASES:
        out = engine.run(inputs=inputs, workspace={}, entry=None, code=case.code, now_ns=0, seed=0,
                         limits=Limits())
        engine_says = any(d.code == "JS1001" for d in out.diagnostics)
        found = check(case.code, file="<code>", files=FILES)
        checker_says = any(d.code in codes.JS_SYNTAX_CODES for d in found)
        if engine_says != checker_says:
            disagree.append(f"{case.name}: engine {engine_says}, checker {checker_says}")
    assert not disagree, "\n".join(disagree)


def test_a_member_the_program_defines_is_not_a_misspelling() -> None:
    """`spilt` is the program's own method here, and `lenght` a column of the world's data."""
    world = World({"items.csv": "name,lenght\nrope,12\n"})
    own = world.run("const o = {spilt: (s) => s + '!'};\nconsole.log(o.spilt('a'));")
    assert own.ok and own.stdout == "a!\n" and not own.diagnostics, str(own)
    column = world.run("for (const r of readCSV('items.csv')) console.log(r.lenght);")
    assert column.ok and column.stdout == "12\n", str(column)
    assert not [f for d in column.diagnostics for f in d.fixes if f.applicable], str(column)
    keyed = world.run("const t = {};\nt['kyes'] = () => 1;\nconsole.log(t.kyes());")
    assert keyed.ok and keyed.stdout == "1\n" and not keyed.diagnostics, str(keyed)


def test_a_misspelt_member_with_two_near_names_gets_no_safe_fix() -> None:
    """`gat` is one step from both `get` and `at`: which was meant is for the author to say."""
    result = World().run("function first(x) { return x.gat(0); }\nconsole.log(first([5]));")
    found = [d for d in result.diagnostics if d.code == "JS2032"]
    assert found and not [f for d in found for f in d.fixes if f.applicable], str(result)
