"""Valid JavaScript is never rejected by the JS-light checker.

Two sets. The programs below use what JS-light allows (modern syntax, the
Node-style library, workspace modules); each must check without an error and
run. The `pass` cases of the npm package `test262-parser-tests` are valid
ECMAScript: none may get a syntax-level diagnostic (codes.JS_SYNTAX_CODES).
Only syntax-level codes are asserted there: those programs use names they
never declare (globals of a test harness), which the scope analysis rightly
reports.

Left out of the test262 set, each for a stated reason:

* cases using what JS-light excludes (`eval`, `with`-free `arguments` tricks are
  kept; `eval` in a binding position is left out since it is excluded anyway);
* cases that are valid only as a script or only as a module where JS-light
  decides the mode from the content (a `.module.js` case without
  import/export, or a script that uses `await` as a name);
* ``GRAMMAR_GAPS``: valid programs tree-sitter-javascript 0.25 does not parse
  (parenthesised destructuring targets, a legacy octal literal followed by a
  member access, a multi-line comment acting as a line break, `null` as an
  imported name). QuickJS accepts them; the checker reports them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from worlds import World
from worlds.diagnostics import codes
from worlds.languages.js.checker import check, is_module

ROOT = Path(__file__).resolve().parent.parent
PASS = ROOT / ".cache/npm/node_modules/test262-parser-tests/pass"
FILES = {"sales.csv": "region,amount\nnorth,3\nsouth,4\n", "data.json": '{"items": [1, 2], "ok": true}\n',
         "util.js": "exports.double = (x) => x * 2;\n", "lib.mjs": "export const triple = (x) => x * 3;\n"}

PROGRAMS = {
    "classes": "class Point {\n  constructor(x, y) { this.x = x; this.y = y; }\n"
               "  get norm() { return Math.hypot(this.x, this.y); }\n"
               "  set norm(v) { const k = v / this.norm; this.x *= k; this.y *= k; }\n"
               "  static origin() { return new Point(0, 0); }\n  toString() { return `(${this.x}, "
               "${this.y})`; }\n}\n"
               "class Point3 extends Point {\n  constructor(x, y, z) { super(x, y); this.z = z; }\n"
               "  toString() { return super.toString() + this.z; }\n}\n"
               "console.log(String(new Point3(3, 4, 5)), new Point(3, 4).norm, Point.origin().x);",
    "private "
    "fields": "class Counter {\n  #count = 0;\n  static #made = 0;\n  constructor() { Counter.#made++; }\n"
                      "  #bump() { this.#count++; }\n  tick() { this.#bump(); return this.#count; }\n"
                      "  static made() { return Counter.#made; }\n  has(o) { return #count in o; }\n}\n"
                      "const c = new Counter(); c.tick(); console.log(c.tick(), Counter.made(), c.has(c));",
    "static block": "class Config {\n  static defaults;\n  static { this.defaults = { rate: 2 }; }\n}\n"
                    "console.log(Config.defaults.rate);",
    "generators": "function* range(n) { for (let i = 0; i < n; i++) yield i; }\n"
                  "function* pairs() { yield* range(2); yield [1, 2]; }\n"
                  "const obj = { *gen() { yield 'a'; } };\nconsole.log([...range(3)], [...pairs()], "
                  "[...obj.gen()]);",
    "async await": "const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));\n"
                   "async function load(name) {\n  await wait(10);\n  return fs.promises.readFile(name, "
                   "'utf8');\n}\n"
                   "load('sales.csv').then((text) => console.log(text.split('\\n').length));",
    "top-level "
    "await": "const text = await fs.promises.readFile('data.json', "
             "'utf8');\nconsole.log(JSON.parse(text).ok);",
    "async iteration": "async function* ticks() { yield 1; yield 2; }\n"
                       "(async () => { for await (const t of ticks()) console.log(t); })();",
    "destructuring": "const { a, b: { c = 3 } = {}, ...rest } = { a: 1, d: 4, e: 5 };\n"
                     "const [x, , y = 9, ...others] = [1, 2, undefined, 4, 5];\n"
                     "let p, q;\n[p, q] = [q, p];\n({ p, q = 2 } = { p: 1 });\n"
                     "function f({ name, tags: [first] = [] }, [n] = [0]) { return `${name}${first}${n}`; }\n"
                     "console.log(a, c, rest, x, y, others, p, q, f({ name: 'n', tags: ['t'] }, [7]));",
    "spread and rest": "const sum = (...xs) => xs.reduce((s, v) => s + v, 0);\nconst arr = [1, 2, 3];\n"
                       "const merged = { ...{ a: 1 }, ...{ b: 2 } };\nconsole.log(sum(...arr, 4), [...arr, "
                       "...'ab'], merged);",
    "optional chaining": "const user = { profile: null, tags: ['x'], greet() { return 'hi'; } };\n"
                         "console.log(user.profile?.name, user.tags?.[0], user.greet?.(), user.missing?.(), "
                         "user.profile?.name ?? 'anon');\nlet cfg = null;\ncfg ??= { level: 1 };\ncfg.level "
                         "||= 2;\n"
                         "cfg.level &&= 3;\nconsole.log(cfg);",
    "labels": "outer: for (let i = 0; i < 3; i++) {\n  inner: for (let j = 0; j < 3; j++) {\n"
              "    if (j === 1) continue outer;\n    if (i === 2) break outer;\n    console.log(i, j);\n  "
              "}\n}\n"
              "block: { if (true) break block; console.log('skipped'); }",
    "regex literals": "const re = /(?<year>\\d{4})-(?<month>\\d{2})/u;\nconst m = '2024-06'.match(re);\n"
                      "const words = 'a b  c'.split(/\\s+/);\nconst x = 10 / 2 / 5;\n"
                      "console.log(m.groups.year, words, x, /[/]/.test('/'), /a|b/gi.flags, "
                      "'aXbX'.replace(/x/gi, '-'));",
    "regex after keywords": "function check(s) { return /^\\d+$/.test(s); }\n"
                            "const r = typeof /x/;\nconst t = [/a/, /b/g];\nconsole.log(check('12'), r, "
                            "t.length);",
    "template "
    "literals": "const name = 'world';\nconst multi = `line 1\nline ${1 + 1}\n${`nested ${name}`}`;\n"
                         "console.log(`hello ${name.toUpperCase()}!`, multi, `${'}'}`, `\\${not}`);",
    "tagged "
    "templates": "function tag(strings, ...values) { return strings.raw.join('|') + values.join(','); }\n"
                        "console.log(tag`a${1}b${2}c`, String.raw`x\\ny`);",
    "getters setters on objects": "const temp = { c: 0, get f() { return this.c * 9 / 5 + 32; }, "
                                  "set f(v) { this.c = (v - 32) * 5 / 9; } };\ntemp.f = 212;\n"
                                  "console.log(temp.c, Object.getOwnPropertyNames(temp));",
    "bigint and exponent": "const big = 2n ** 64n;\nconst n = 2 ** 10;\nlet e = 3;\ne **= 2;\n"
                           "console.log(big.toString(), n, e, typeof 1n, 1_000_000, 0x1f, 0o17, 0b101, "
                           ".5e1);",
    "for of and for "
    "in": "const m = new Map([['a', 1], ['b', 2]]);\nfor (const [k, v] of m) console.log(k, v);\n"
                         "for (const key in { x: 1, y: 2 }) console.log(key);\nfor (const ch of 'hi') "
                         "console.log(ch);\n"
                         "for (var i = 0, j = 10; i < j; i += 5, j--) console.log(i);",
    "closures": "function counter() { let n = 0; return { inc: () => ++n, get value() { return n; } }; }\n"
                "const c = counter(); c.inc(); c.inc();\nconst adders = [1, 2].map((k) => (x) => x + k);\n"
                "console.log(c.value, adders.map((f) => f(10)));",
    "hoisting": "console.log(square(4), typeof later, hoisted);\nfunction square(x) { return x * x; }\n"
                "var hoisted = 'set later';\nvar later;\nfunction useBefore() { return lateConst; }\n"
                "const lateConst = 5;\nconsole.log(useBefore());",
    "shadowing": "const x = 1;\n{ const x = 2; { let x = 3; console.log(x); } console.log(x); }\n"
                 "function f(x) { { const x = 'inner'; return x; } }\nconst print = (s) => console.log('>', "
                 "s);\n"
                 "print(f(0));\nfor (let x = 0; x < 1; x++) { let y = x; console.log(y); }",
    "own eval and print": "const len = (xs) => xs.length;\nfunction print(...a) { console.log(...a); }\n"
                          "const True = 'not python';\nprint(len([1, 2]), True);",
    "switch": "function kind(x) {\n  switch (typeof x) {\n    case 'number': { const big = x > 10; return "
              "big ? 'big' : 'small'; }\n"
              "    case 'string': return 'text';\n    default: return 'other';\n  }\n}\nconsole.log(kind(1), "
              "kind('a'), kind(null));",
    "try catch finally": "function parse(s) {\n  try { return JSON.parse(s); }\n  catch { return null; }\n"
                         "  finally { console.log('parsed'); }\n}\ntry { throw new TypeError('x'); } catch "
                         "(err) {\n"
                         "  console.log(err instanceof TypeError, "
                         "err.message);\n}\nconsole.log(parse('[1]'), parse('{'));",
    "error "
    "classes": "class NotFound extends Error {\n  constructor(what) { super(`${what} not found`); this.name "
               "= 'NotFound'; }\n}\n"
                     "try { throw new NotFound('row'); } catch (e) { console.log(e.name, e.message, e "
                     "instanceof Error); }\n"
                     "console.log(new AggregateError([new Error('a')], 'many').errors.length);",
    "fs and path": "const fs2 = require('fs');\nconst path2 = require('node:path');\n"
                   "const { readFileSync, writeFileSync } = require('fs');\n"
                   "const rows = readFileSync(path2.join('.', 'sales.csv'), 'utf8').trim().split('\\n');\n"
                   "writeFileSync('report.txt', rows.join(';'));\n"
                   "console.log(fs2.readFileSync('report.txt', 'utf8'), fs.existsSync('missing.txt'), "
                   "fs.readdirSync('.').length > 0, path.extname('a.csv'));",
    "fs read after write": "fs.mkdirSync('tmp', { recursive: true });\nfs.writeFileSync('tmp/a.txt', 'x');\n"
                           "fs.copyFileSync('tmp/a.txt', "
                           "'tmp/b.txt');\nconsole.log(fs.readFileSync('tmp/b.txt', 'utf8'), "
                           "fs.statSync('tmp').isDirectory());",
    "missing file handled": "try { fs.readFileSync('nope.txt'); } catch (e) { console.log(e.code); }\n"
                            "if (fs.existsSync('maybe.json')) console.log(fs.readFileSync('maybe.json', "
                            "'utf8'));",
    "data helpers": "const rows = readCSV('sales.csv');\nconst data = readJSON('data.json');\n"
                    "writeCSV('copy.csv', rows);\nwriteJSON('copy.json', data);\n"
                    "console.log(rows.length, data.items, toCSV(rows).length, parseCSV('a\\n1').length);",
    "imports": "import fs3, { readFileSync as rf } from 'fs';\nimport * as p from 'node:path';\n"
               "import { triple } from './lib.mjs';\nconsole.log(rf('data.json', 'utf8').length > 0, "
               "p.basename('a/b.c'), "
               "triple(2), typeof fs3.writeFileSync);",
    "require workspace file": "const { double } = require('./util');\nconst util = require('./util.js');\n"
                              "console.log(double(4), util.double(1));",
    "dynamic import": "import('./lib.mjs').then(({ triple }) => console.log(triple(3)));",
    "timers": "setTimeout(() => console.log('later'), 100);\nconst id = setInterval(() => { "
              "console.log('tick'); "
              "clearInterval(id); }, 10);\nsetImmediate(() => console.log('soon'));\nqueueMicrotask(() => "
              "console.log('micro'));",
    "buffers and typed arrays": "const b = Buffer.from('hi', 'utf8');\nconst u = new Uint8Array([1, 2, 3]);\n"
                                "const dv = new DataView(new ArrayBuffer(4));\ndv.setInt16(0, 7);\n"
                                "console.log(b.length, u.reduce((a, x) => a + x), dv.getInt16(0), btoa('a'), "
                                "atob('YQ=='));",
    "map set and "
    "weak": "const m = new Map();\nm.set('a', 1);\nconst s = new Set([1, 2, 2]);\nconst wm = new WeakMap();\n"
                        "const key = {};\nwm.set(key, 1);\nconsole.log(m.size, s.size, s.has(2), "
                        "wm.has(key), [...m.keys()]);",
    "arguments object": "function count() { return arguments.length; }\n"
                        "function outer() { const inner = () => arguments[0]; return inner(); "
                        "}\nconsole.log(count(1, 2), outer('a'));",
    "use strict": "'use strict';\nfunction f() { 'use strict'; return this; }\nconsole.log(f(), 0o10);",
    "implicit global": "function setup() { counter = 0; }\nsetup();\ncounter += 1;\nconsole.log(counter);",
    "typeof guards": "if (typeof process !== 'undefined') console.log('node');\n"
                     "const hasFetch = typeof fetch === 'function';\nconsole.log(hasFetch, typeof "
                     "someGlobal);",
    "getters in classes with "
    "length": "class Bag {\n  constructor() { this.items = []; }\n  size() { return this.items.length; }\n"
                                      "  append(x) { this.items.push(x); return this; }\n}\n"
                                      "const bag = new Bag().append(1).append(2);\nconsole.log(bag.size());",
    "objects in text on purpose": "const o = { toString() { return 'custom'; } };\nconst tag = 'n';\n"
                                  "console.log('value: ' + tag, `obj ${JSON.stringify({ a: 1 })}`, "
                                  "String(o));",
    "comma and void": "let i = 0, j = 1;\ni++, j--;\nconst u = void 0;\nconsole.log(i, j, u, (1, 2));",
    "new.target and symbols": "function F() { if (!new.target) return 'call'; this.ok = true; }\n"
                              "const sym = Symbol('s');\nconst o = { [sym]: 1, [Symbol.iterator]: function* "
                              "() { yield 1; } };\n"
                              "console.log(F(), new F().ok, o[sym], [...o]);",
    "date and "
    "math": "const d = new Date();\nconst t = Date.now();\nconsole.log(d.toISOString(), t > 0, "
            "Math.max(...[1, 3]), "
                     "Math.round(Math.random() * 0), Number.isInteger(2), parseFloat('1.5'));",
    "array "
    "methods": "const xs = [3, 1, 2];\nconsole.log(xs.toSorted(), xs.at(-1), xs.findLast((x) => x > 1), "
               "xs.includes(2), "
                     "Object.groupBy(xs, (x) => (x % 2 ? 'odd' : 'even')), structuredCloneLike(xs));\n"
                     "function structuredCloneLike(v) { return JSON.parse(JSON.stringify(v)); }",
    "class expressions": "const Named = class Inner { who() { return Inner.name; } };\n"
                         "const Anon = class extends Named {};\nconsole.log(new Named().who(), new "
                         "Anon().who());",
    "sloppy yield "
    "name": "var yield_ = 1;\nfunction g() { var yield = 2; return yield * 3; }\nconsole.log(g(), yield_);",
    "var "
    "redeclared": "var a = 1;\nvar a = 2;\nfunction h() {}\nfunction h() { return 'second'; "
                  "}\nconsole.log(a, h());",
    "function in block": "if (true) { function inner() { return 'ok'; } }\nconsole.log(inner());",
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_valid_program_checks_clean_and_runs(name: str) -> None:
    code = PROGRAMS[name]
    world = World(FILES)
    errors = [d for d in world.check(code) if d.severity == "error"]
    assert not errors, "\n".join(f"{d.code} {d.message} {d.span}" for d in errors)
    result = world.run(code)
    assert result.ok, str(result)


# -- test262-parser-tests ------------------------------------------------------------------

#: Valid programs tree-sitter-javascript's grammar does not parse (QuickJS does).
GRAMMAR_GAPS = {
    "0b4d61559ccce0f9.js", "5829d742ab805866.js", "598a5cedba92154d.js", "7788d3c1e1247da9.js",
    "ad06370e34811a6a.js", "e71c1d5f0b6b833c.js",  # parenthesised destructuring targets: ({a: (b)} = 1)
    "7c6d13458e08e1f4.js",  # `01.a`: a legacy octal literal, then a member
    "7b0a9215ec756496.js",  # a multi-line comment standing for a line break
    "caaa9f06dd52e5a5.module.js",  # import { null as a }
}


def _test262_cases() -> list[Path]:
    if PASS.is_dir():
        return sorted(PASS.iterdir())
    if not (shutil.which("node") and shutil.which("npm")):
        pytest.skip("node and npm are not installed: the test262 parser cases cannot be fetched")
    pytest.skip("test262-parser-tests is not installed: run `make test`, or "
                "`npm install --no-save --prefix .cache/npm test262-parser-tests@0.0.5`")


def _allowed(path: Path, text: str) -> bool:
    """Whether JS-light runs this case as the standard means it (see the module docstring)."""
    if path.name in GRAMMAR_GAPS or "eval" in text:
        return False
    # JS-light picks script or module mode from the content; the case must agree with its name.
    return is_module(text) == path.name.endswith(".module.js")


def test_test262_pass_cases_have_no_syntax_errors() -> None:
    cases = _test262_cases()
    checked, wrong = 0, []
    for path in cases:
        text = path.read_bytes().decode("utf-8", "replace")
        if not _allowed(path, text):
            continue
        checked += 1
        found = [d for d in check(text, file=path.name, files=[])
                 if d.severity == "error" and d.code in codes.JS_SYNTAX_CODES]
        if found:
            wrong.append(f"{path.name}: {found[0].code} {found[0].message} {text[:60]!r}")
    assert checked > 1500
    assert not wrong, f"{len(wrong)} valid programs rejected:\n" + "\n".join(wrong[:20])
