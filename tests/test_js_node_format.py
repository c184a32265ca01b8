"""console.log and util.inspect print what Node 20 prints.

A corpus of small programs, each run in JS-light and (when `node` is on PATH)
in Node; stdout must be byte-identical. Where identity is impossible by
design (an error's stack names frames, and Node's name its own internals),
the case gives JS-light's expected output instead, with the reason.
"""
# ruff: noqa: E501  (the corpus is programs, one a line)

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from worlds import World

NODE = shutil.which("node")

# Each program prints with console.log / util; the corpus covers every kind of value.
PROGRAMS = [
    # numbers
    "console.log(-0, 0, NaN, Infinity, -Infinity)",
    "console.log([-0, 0], { z: -0 })",
    "console.log(1e21, 1e-7, 123456789012345680000, 0.1 + 0.2, 2 ** 53)",
    "console.log([1e21, 1.5e-10, -1e300])",
    "console.log(10n, -5n, [10n], { n: 2n ** 70n })",
    "console.log(1, '1', true, null, undefined)",
    "console.log([null, undefined, true, false])",
    # strings
    "console.log('plain')",
    "console.log(['a', \"it's\", 'say \"hi\"', `both ' \"`, 'all \\' \" `'])",
    "console.log({ s: 'line1\\nline2', t: 'tab\\there' })",
    "console.log(['\\u0001\\u001f\\u007f', '\\\\', 'é☃😀'])",
    "console.log('multi\\nline top level')",
    "console.log({ long: 'x'.repeat(100) })",
    "console.log(['a'.repeat(30), 'b'.repeat(30), 'c'.repeat(30)])",
    "console.log({ 'a-b': 1, 'c d': 2, '1x': 3, _ok: 4, $s: 5, 'it\\'s': 6, 123: 7 })",
    "console.log('')",
    "console.log([''], { e: '' })",
    "console.log('a', 'b', 3, 'c')",
    "console.log({ s: 'a\\nb\\nc'.repeat(20) })",
    # symbols
    "console.log(Symbol('s'), Symbol(), Symbol.iterator)",
    "console.log([Symbol('x')], { [Symbol('k')]: 1, a: 2 })",
    "console.log({ [Symbol.iterator]: 1 })",
    "console.log(Symbol.for('reg'))",
    # depth
    "console.log({ a: { b: { c: { d: 1 } } } })",
    "console.log([[[[1]]]], [[[1]]])",
    "console.log({ a: { b: { c: [] } }, x: { y: { z: {} } } })",
    "console.log({ a: { b: { c: new Map([[1, 2]]) } } })",
    "console.log({ a: { b: { c: new Set([1]) } } })",
    "class P { constructor() { this.x = 1 } }\nconsole.log({ a: { b: { c: new P() } } })",
    "console.log({ a: { b: { c: Object.create(null) } } })",
    # arrays
    "console.log([])",
    "console.log([1, 2, 3])",
    "console.log([1, 2, 3, 4, 5, 6])",
    "console.log([1, 2, 3, 4, 5, 6, 7])",
    "console.log([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])",
    "console.log(Array.from({ length: 26 }, (_, i) => i))",
    "console.log(Array.from({ length: 101 }, (_, i) => i))",
    "console.log(Array.from({ length: 250 }, (_, i) => i * 3))",
    "console.log(Array.from({ length: 30 }, (_, i) => i * 1000))",
    "console.log(Array.from({ length: 30 }, (_, i) => -i * 7.5))",
    "console.log(Array.from({ length: 12 }, (_, i) => 'item' + i))",
    "console.log(Array.from({ length: 40 }, (_, i) => String.fromCharCode(97 + i % 26).repeat(i % 7 + 1)))",
    "console.log(['apple', 'banana', 'cherry', 'date', 'elderberry', 'fig', 'grape'])",
    "console.log([true, false, true, false, true, false, true])",
    "console.log([1, 'a', null, undefined, 2n, true, 3.5])",
    "console.log([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10], [11, 12], [13, 14]])",
    "console.log([{ a: 1 }, { b: 2 }, { c: 3 }, { d: 4 }, { e: 5 }, { f: 6 }, { g: 7 }])",
    "console.log([1, , 3])",
    "console.log([, , , 1])",
    "console.log(new Array(5))",
    "const a = [1, 2]; a.extra = 'x'; console.log(a)",
    "const a = []; a[150] = 1; console.log(a)",
    "console.log([undefined, , null])",
    "console.log(Array.from({ length: 8 }, (_, i) => ({ id: i, name: 'n' + i })))",
    "console.log(Array.from({ length: 100 }, (_, i) => i))",
    "console.log([[]], [{}], {a: []}, {a: {}})",
    # objects and line breaking
    "console.log({})",
    "console.log({ a: 1, b: 'two', c: [3] })",
    "console.log({ alpha: 1, beta: 2, gamma: 3, delta: 4, epsilon: 5, zeta: 6, eta: 7, theta: 8 })",
    "console.log({ alpha: 'aaaaaaaaaa', beta: 'bbbbbbbbbb', gamma: 'cccccccccc', delta: 'dddddddddd' })",
    "console.log({ alpha: 'aaaaaaaaaa', beta: 'bbbbbbbbbb', gamma: 'cccccccccc', delta: 'ddddddddddd' })",
    "console.log({ a: { alpha: 'aaaaaaaaaa', beta: 'bbbbbbbbbb', gamma: 'cccccccccc', delta: 'dd' } })",
    "console.log({ user: { name: 'Ann', tags: ['a', 'b'], address: { city: 'Oslo', zip: '0150' } }, ok: true })",
    "console.log({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10, k: 11, l: 12, m: 13, n: 14, o: 15 })",
    "console.log({ items: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], total: 55 })",
    "console.log([{ region: 'north', amount: 3 }, { region: 'south', amount: 4 }])",
    "console.log({ rows: [{ region: 'north', amount: 3, units: 10 }, { region: 'south', amount: 4, units: 12 }] })",
    "console.log({ f() {}, g: () => 1, h: function named() {} })",
    "const o = {}; Object.defineProperty(o, 'hidden', { value: 1 }); o.shown = 2; console.log(o)",
    "console.log(Object.assign(Object.create({ inherited: 1 }), { own: 2 }))",
    "console.log({ 'key with spaces': { 'nested-key': 1 } })",
    "console.log({ a: [{ b: [{ c: 1 }] }] })",
    "console.log({ x: 1 }, { y: 2 }, [3])",
    # Map / Set
    "console.log(new Map())",
    "console.log(new Map([['a', 1], ['b', { c: 2 }]]))",
    "console.log(new Set([1, 'two', [3]]))",
    "console.log(new Set())",
    "console.log(new Map([[{ k: 1 }, new Set([1, 2])]]))",
    "console.log({ m: new Map([['x', new Map([['y', new Map([['z', 1]])]])]]) })",
    "console.log(new Map(Array.from({ length: 10 }, (_, i) => ['key' + i, i])))",
    "console.log(new Set(Array.from({ length: 30 }, (_, i) => i)))",
    "console.log([1, 2].keys(), [1, 2].entries())",
    # class instances and prototypes
    "class P { constructor() { this.x = 1 } }\nconsole.log(new P())",
    "class E {}\nconsole.log(new E())",
    "class A { constructor() { this.a = 1 } }\nclass B extends A { constructor() { super(); this.b = 2 } }\nconsole.log(new B(), [new B()])",
    "console.log(Object.create(null))",
    "const o = Object.create(null); o.a = 1; console.log(o)",
    "function F() { this.v = 1 }\nconsole.log(new F())",
    "class M extends Map {}\nconsole.log(new M([[1, 2]]))",
    "class L extends Array {}\nconsole.log(L.from([1, 2]))",
    "const o = { constructor: 'x', a: 1 }; console.log(o)",
    "class P { #secret = 1; pub = 2 }\nconsole.log(new P())",
    "class P { static s = 1 }\nconsole.log(P)",
    # functions
    "function f() {}\nconsole.log(f)",
    "console.log(function () {}, () => {}, async function af() {}, function* gen() {})",
    "class A {}\nclass B extends A {}\nconsole.log(A, B, [A])",
    "console.log(class {})",
    "const f = () => 1; f.extra = 2; console.log(f)",
    "console.log([Math.max, JSON.parse, Array])",
    "console.log(async () => {}, async function* ag() {})",
    "const o = { method() {} }; console.log(o.method, [o.method])",
    # Date / RegExp / boxed
    "console.log(new Date(0))",
    "console.log([new Date(86400000)], { d: new Date(1e12) })",
    "console.log(new Date(NaN))",
    "console.log(/ab+c/gi, [/x/], { r: /\\d+/ })",
    "console.log(new RegExp('a/b'))",
    "console.log(new Number(3), new String('s'), new Boolean(false))",
    "console.log([new Number(-0), new String('ab')], Object(Symbol('q')), Object(5n))",
    # typed arrays, buffers
    "console.log(new Uint8Array([1, 2, 3]))",
    "console.log(new Float64Array(2), new Int16Array([-1, 300]))",
    "console.log(new Uint8Array(120))",
    "console.log(new ArrayBuffer(4))",
    "console.log(Buffer.from('hi'))",
    "console.log([Buffer.from('hello world')], { b: Buffer.alloc(3) })",
    "console.log(Buffer.from('x'.repeat(60)))",
    "console.log(new BigInt64Array([1n, -2n]))",
    "console.log(new DataView(new ArrayBuffer(2)))",
    # getters, circular
    "console.log({ get a() { return 1 }, set b(v) {}, get c() { return 2 }, set c(v) {} })",
    "class G { get x() { return 1 } }\nconsole.log(new G())",
    "const o = { name: 'o' }; o.self = o; console.log(o)",
    "const a = [1]; a.push(a); console.log(a)",
    "const o = { a: { b: {} } }; o.a.b.back = o.a; console.log(o)",
    "const m = new Map(); m.set('me', m); console.log(m)",
    "const x = {}; const y = { x }; x.y = y; console.log([x, y])",
    # promises, weak collections
    "console.log(Promise.resolve(1))",
    "console.log(new Promise(() => {}))",
    "const p = Promise.reject(new Error('no')); p.catch(() => {}); console.log(Promise.resolve({ a: [1] }))",
    "console.log(new WeakMap(), new WeakSet())",
    "console.log([Promise.resolve('s')], { p: Promise.resolve() })",
    # format specifiers
    "console.log('%s is %d years', 'Ann', 42)",
    "console.log('%i %f %d', 3.9, '2.5', '7')",
    "console.log('%j', { a: [1, 'x'] })",
    "console.log('%o', { a: [1, 2], f() {} })",
    "console.log('%O', { a: { b: { c: { d: 1 } } } })",
    "console.log('%c styled %c', 'color: red', 'x')",
    "console.log('100%% sure', 5)",
    "console.log('%s %s', 'only one')",
    "console.log('%s', { a: { b: { c: 1 } } }, 'extra', 7)",
    "console.log('%d', 10n, '%i', 5n)",
    "console.log('%s', 5n, -0, Symbol('s'), null, undefined)",
    "console.log('%s', [1, [2, [3, [4]]]])",
    "console.log('%s', function f() {}, class K {})",
    "console.log('%x %s', 1)",
    "console.log('%d', {}, '%d', '0x10')",
    "console.log('a%', 1)",
    "console.log('%s', new Date(0), new Error('e').message)",
    "console.log('%j', { toJSON() { return 'tj' } })",
    "console.log('%s:%s', 'a')",
    # console methods
    "console.table([{ a: 1, b: 'x' }, { a: 2, c: true }])",
    "console.table({ r1: { v: 1 }, r2: { v: 22 } })",
    "console.table([1, 'two', { a: 3 }])",
    "console.table([{ a: 1, b: 2 }], ['a'])",
    "console.table('not tabular')",
    "console.table([[1, 2], [3, 4]])",
    "console.dir({ a: { b: { c: { d: { e: 1 } } } } }, { depth: 0 })",
    "console.dir({ a: { b: { c: { d: { e: 1 } } } } }, { depth: null })",
    "console.dir('str')",
    "console.error('to stderr'); console.log('to stdout')",
    "console.info({ i: 1 }); console.debug([2])",
    "console.log()",
    "console.group('G'); console.log('inside'); console.group(); console.log({ a: 1, b: 2 }); "
    "console.groupEnd(); console.groupEnd(); console.log('out')",
    "console.count(); console.count('x'); console.count(); console.countReset(); console.count()",
    "console.assert(true, 'no'); console.assert(1 === 1); console.log('after')",
    # util
    "const util = require('util');\nconsole.log(util.inspect({ a: 1, s: 'x' }))",
    "const util = require('node:util');\nconsole.log(util.inspect('str'), util.inspect([1, 'a']))",
    "const { inspect } = require('util');\nconsole.log(inspect({ a: { b: { c: { d: {} } } } }, { depth: 0 }))",
    "const { inspect } = require('util');\nconsole.log(inspect({ a: { b: { c: { d: {} } } } }, { depth: Infinity }))",
    "const { inspect } = require('util');\nconsole.log(inspect({ b: 1, a: 2, c: { z: 1, y: 2 } }, { sorted: true }))",
    "const { inspect } = require('util');\nconsole.log(inspect({ a: [1, 2, 3], b: 'x' }, { compact: false }))",
    "const { inspect } = require('util');\nconsole.log(inspect({ a: 1, b: 2, c: 3 }, { breakLength: 10 }))",
    "const { inspect } = require('util');\nconsole.log(inspect([1, 2, 3], { colors: false }))",
    "const { inspect } = require('util');\nconsole.log(inspect({ a: 1 }, false, 0))",
    "const { inspect } = require('util');\nconsole.log(inspect({ a: { b: 1 } }, { compact: 1 }))",
    "const util = require('util');\nconsole.log(util.format('%s=%d', 'x', 5), util.format(1, 'a', { b: 2 }))",
    "const util = require('util');\nconsole.log(util.format('%s', 'a', 'b'), util.format())",
    "const util = require('util');\nconsole.log(util.formatWithOptions({ depth: 0 }, '%O', { a: { b: 1 } }))",
    "const util = require('util');\nconsole.log(util.isDeepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), "
    "util.isDeepStrictEqual([1], ['1']), util.isDeepStrictEqual(new Map([[1, 2]]), new Map([[1, 2]])), "
    "util.isDeepStrictEqual(NaN, NaN), util.isDeepStrictEqual({ a: 1 }, { a: 1, b: undefined }))",
    "const { types } = require('util');\nconsole.log(types.isDate(new Date()), types.isRegExp(/x/), types.isMap(new Map()), "
    "types.isSet(new Set()), types.isPromise(Promise.resolve()), types.isDate({}))",
    "const util = require('util');\nconst f = (a, b, cb) => cb(null, a + b);\nutil.promisify(f)(1, 2).then((v) => console.log('sum', v))",
    "const util = require('util');\nconst f = (cb) => cb(new Error('bad'));\nutil.promisify(f)().catch((e) => console.log('caught', e.message))",
    "const util = require('util');\nconst old = util.deprecate(() => 7, 'old is deprecated');\nconsole.log(old())",
    "const util = require('util');\nconsole.log(typeof util.inspect.custom, util.inspect.custom === Symbol.for('nodejs.util.inspect.custom'))",
    "const e = new Error('s'); e.stack = ''; console.log(e, [e])",
    "const e = new Error('s'); e.stack = 'custom stack text'; console.log(e)",
    "const p = Promise.reject(new Error('x')); p.catch(() => {}); console.log(Promise.reject(4).catch(() => {}), Promise.resolve(Promise.resolve(2)))",
    "const p = Promise.resolve(1).then((v) => v + 1); console.log(p)",
    "const util = require('util');\nconsole.log(util.inspect(new Error('e'), { compact: true }).split('\\n')[0])",
    "console.log(Buffer.alloc(0), Buffer.from([1, 255]))",
    "console.dir(Buffer.from('hi'), { customInspect: false })",
    "const util = require('util');\nconsole.log(util.inspect(new Map([['a', [1, 2]]]), { depth: 0 }))",
    "const util = require('util');\nconsole.log(util.inspect('it\\'s'), util.inspect(Symbol('s')), util.inspect(-0))",
    "import util from 'node:util';\nconsole.log(util.inspect({ a: 1 }))",
    "import { inspect, format } from 'util';\nconsole.log(inspect([1, [2]]), format('%s!', 'hi'))",
    "import * as util from 'util';\nconsole.log(util.format('%d%%', 50))",
    "const { inspect } = require('util');\nclass C { [inspect.custom]() { return 'custom!' } }\nconsole.log(new C(), [new C()])",
    "const util = require('util');\nconsole.log(util.inspect('a\\nb'), util.inspect({ s: 'a\\nb' }))",
    "const util = require('util');\nconsole.log(util.inspect(Array.from({ length: 120 }, (_, i) => i), { maxArrayLength: 5 }))",
    "const util = require('util');\nconsole.log(util.inspect('x'.repeat(20), { maxStringLength: 5 }))",
    "const util = require('util');\nconsole.log(util.types.isTypedArray(new Uint8Array(1)), util.isArray([]))",
]

# Where JS-light cannot print Node's bytes, what it prints instead, and why.
KNOWN = {
    # An error prints as in Node: its header (`Name: message`, `MyErr [Error]:`),
    # its stack frames, its own keys in braces. Node's frames below the program
    # are its module loader's (node:internal/...), and V8 counts columns its own
    # way, so JS-light shows only the frames in the program's own files
    # (`at f (/<code>:2:14)`; the top-level code is `<eval>`), never the runtime's.
    "console.log(new Error('boom'))": "Error: boom\n    at <eval> (/<code>:1:17)\n",
    "function f() {\n  return new TypeError('bad type');\n}\nconsole.log(f())":
        "TypeError: bad type\n    at f (/<code>:2:14)\n    at <eval> (/<code>:4:13)\n",
    "console.log({ err: new RangeError('r') })":
        "{\n  err: RangeError: r\n      at <eval> (/<code>:1:24)\n}\n",
    "const e = new Error('with code'); e.code = 'E_X'; console.log(e)":
        "Error: with code\n    at <eval> (/<code>:1:15) {\n  code: 'E_X'\n}\n",
    "class MyErr extends Error {}\nconsole.log(new MyErr('mine'))":
        "MyErr [Error]: mine\n    at MyErr (/<code>:1:1)\n    at <eval> (/<code>:2:17)\n",
    "console.log(new Error('outer', { cause: new Error('inner') }))":
        "Error: outer\n    at <eval> (/<code>:1:45) {\n  [cause]: Error: inner\n      at <eval> (/<code>:1:45)\n}\n",
    "const p = Promise.reject(new Error('x')); p.catch(() => {}); console.log(p)":
        "Promise {\n  <rejected> Error: x\n      at <eval> (/<code>:1:30)\n}\n",
    # The engine's own messages are QuickJS's, not V8's.
    "try { null.x } catch (e) { console.log(e.message) }": "cannot read property 'x' of null\n",
    # The engine gives no way to read a promise's state: JS-light knows it for
    # `Promise.resolve(x)` and `Promise.reject(e)` only (following every promise
    # would cost 2-3x the fuel of code that awaits in a loop). Others print as
    # Node prints them before they settle (Node: `Promise { 1 }`, `Promise { 2 }`,
    # `Promise { [ 1, 2 ] }`).
    "async function f() { return 1 }\nconsole.log(f())": "Promise { <pending> }\n",
    "const p = Promise.resolve(1).then((v) => v + 1); setTimeout(() => console.log(p), 0)": "Promise { <pending> }\n",
    "const p = new Promise((resolve) => resolve([1, 2])); console.log(p)": "Promise { <pending> }\n",
    # Nor a way to look into a Map or Set iterator without using it up
    # (Node: `[Map Entries] { [ 1, 2 ] } [Set Iterator] { 1 }`).
    "console.log(new Map([[1, 2]]).entries(), new Set([1]).values())":
        "Object [Map Iterator] {} Object [Set Iterator] {}\n",
    # QuickJS has no TextEncoder/TextDecoder, so util has none to re-export.
    "const util = require('util');\nconsole.log(typeof util.TextEncoder, typeof util.TextDecoder)": "undefined undefined\n",
}

# console.error, warn and assert write to stderr, formatted the same way.
STDERR = [
    "console.error('to stderr', { a: [1, 2] }); console.log('to stdout')",
    "console.warn('%s!', 'w'); console.assert(false, 'as %s', 1); console.assert(false, { a: 1 }); console.assert(0)",
    "console.group('G'); console.error('inside'); console.groupEnd(); console.error('out')",
]


def run_js(code: str, stream: str = "stdout") -> str:
    result = World().run(code)
    return str(getattr(result, stream))


def run_node(code: str, tmp: Path, stream: str = "stdout") -> str:
    assert NODE is not None
    path = tmp / ("main.mjs" if code.startswith("import ") else "main.js")
    path.write_text(code)
    out = subprocess.run([NODE, path.name], cwd=tmp, capture_output=True, timeout=30, check=False)
    return (out.stdout if stream == "stdout" else out.stderr).decode()


@pytest.mark.skipif(NODE is None, reason="node is not on PATH")
@pytest.mark.parametrize("code", PROGRAMS)
def test_same_as_node(code: str, tmp_path: Path) -> None:
    assert run_js(code) == run_node(code, tmp_path)


@pytest.mark.skipif(NODE is None, reason="node is not on PATH")
@pytest.mark.parametrize("code", STDERR)
def test_stderr_same_as_node(code: str, tmp_path: Path) -> None:
    assert run_js(code, "stderr") == run_node(code, tmp_path, "stderr")


@pytest.mark.parametrize("code", list(KNOWN))
def test_known_differences(code: str) -> None:
    assert run_js(code) == KNOWN[code]


def test_corpus_size() -> None:
    assert len(PROGRAMS) + len(KNOWN) >= 150
