"""The one registry of diagnostic codes: a title and an explanation each.

Codes are stable: once published a code keeps its meaning. ``RUN`` codes come
from the sandbox and apply to every language; ``JS`` codes from JS-light.
``worlds explain CODE`` prints the entry.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    title: str
    explanation: str
    wrong: str = ""
    right: str = ""

    def explain(self) -> str:
        parts = [f"{self.code}: {self.title}", "", self.explanation.strip()]
        if self.wrong:
            parts += ["", "Wrong:", "", _indent(self.wrong)]
        if self.right:
            parts += ["", "Right:", "", _indent(self.right)]
        return "\n".join(parts)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines())


REGISTRY: dict[str, Code] = {}


def register(code: str, title: str, explanation: str, wrong: str = "", right: str = "") -> str:
    if code in REGISTRY:
        raise ValueError(f"diagnostic code {code} registered twice")
    REGISTRY[code] = Code(code, title, explanation, wrong, right)
    return code


def lookup(code: str) -> Code | None:
    return REGISTRY.get(code.strip().upper())


# -- the sandbox: limits, for every language -------------------------------------------

FUEL = register(
    "RUN1001", "instruction budget exhausted",
    """The program used its whole deterministic instruction budget (fuel). The
budget is counted in WebAssembly instructions, so the same program always stops
at the same point. Usually a loop that never ends, or work that grows too fast.""",
    "while (true) {}",
    "for (let i = 0; i < 10; i++) { /* bounded */ }",
)
DEADLINE = register(
    "RUN1002", "wall-clock deadline passed",
    """The program ran longer than the world's wall-clock limit. This is a safety
net behind the instruction budget; the fix is the same: bound the work.""",
    "for (const a of rows) for (const b of rows) for (const c of rows) pairs.push([a, b, c]);",
    "const byId = new Map(rows.map((r) => [r.id, r]));  // one pass instead of nested loops",
)
MEMORY = register(
    "RUN1003", "memory limit reached",
    """The program tried to use more memory than the world allows. Build smaller
structures, stream over data instead of copying it, or drop references you no
longer need.""",
    "const a = []; while (true) a.push(new Array(1e6).fill(0));",
    "let total = 0; for (const row of rows) total += row.amount;",
)
OUTPUT = register(
    "RUN1004", "output limit reached",
    """The program printed more than the world's output limit; the rest was cut.
Print a summary (counts, the first rows) instead of everything.""",
    "for (const row of rows) console.log(row);",
    "console.log(rows.length, rows.slice(0, 5));",
)
WRITES = register(
    "RUN1005", "file write limit reached",
    """The program wrote more bytes into files than the world allows. Nothing it
wrote is kept: a failed run changes no file.""",
    "for (let i = 0; i < 1e7; i++) fs.appendFileSync('log.txt', 'line\\n');",
    "fs.writeFileSync('summary.json', JSON.stringify(totals));",
)
STACK = register(
    "RUN1006", "call stack exhausted",
    """Calls nested too deeply, usually recursion without a base case. Add the
base case, or turn the recursion into a loop with an explicit stack.""",
    "function f(n) { return f(n + 1); }",
    "function f(n) { return n > 100 ? n : f(n + 1); }",
)
TRAP = register(
    "RUN1007", "the engine stopped unexpectedly",
    """The WebAssembly engine trapped for a reason that is not one of the limits.
This is a bug in worlds or in the engine, not in your program; the message says
what the engine reported.""",
    "(any program: the engine failed, not the code)",
    "(run it again; if it repeats, report the program and the message)",
)

# -- JS-light: errors reported by the engine ---------------------------------------------

JS_SYNTAX = register(
    "JS1001", "syntax error",
    """The engine could not parse the program. The span points where parsing
stopped; the mistake is often just before it (a missing bracket or comma).""",
    "console.log((1 + 2)",
    "console.log((1 + 2))",
)
JS_REFERENCE = register(
    "JS1002", "name is not defined",
    """The program used a name that is not declared in any enclosing scope and
is no global of JS-light. Check the spelling, or declare it first.""",
    "const total = 1;\nconsole.log(totl);",
    "const total = 1;\nconsole.log(total);",
)
JS_TYPE = register(
    "JS1003", "type error",
    """A value was used in a way its type does not allow: reading a property of
undefined or null, or calling something that is not a function.""",
    "const user = {};\nconsole.log(user.address.city);",
    "const user = {};\nconsole.log(user.address?.city);",
)
JS_RANGE = register(
    "JS1004", "range error",
    """A value was outside the range an operation accepts, such as an invalid
array length or a number format with too many digits.""",
    "new Array(-1)",
    "new Array(3)",
)
JS_FS = register(
    "JS1005", "file system error",
    """A file operation failed: the file does not exist, is an input (inputs are
read-only), is a directory, or the path leaves the world. Paths are relative to
the world's root; `worlds describe` lists the files.""",
    "fs.writeFileSync('sales.csv', out)   // sales.csv is an input",
    "fs.writeFileSync('report.csv', out)",
)
JS_JSON = register(
    "JS1007", "text is not valid JSON",
    """`JSON.parse` was given text that is not JSON: often a CSV or text file, an
empty string, or JSON with a trailing comma or single quotes. Check which file
the text came from; parse CSV by splitting lines and fields.""",
    "const rows = JSON.parse(fs.readFileSync('sales.csv', 'utf8'));",
    "const rows = fs.readFileSync('sales.csv', 'utf8').trim().split('\\n').map((l) => l.split(','));",
)
JS_IMPORT = register(
    "JS1008", "imported name is not exported",
    """An `import { name } from './file.js'` names something the file does not
export. The note lists what it does export.""",
    "import { totl } from './util.js';",
    "import { total } from './util.js';",
)
JS_THROW = register(
    "JS1006", "uncaught exception",
    """The program threw a value (or an Error of a kind without its own code)
that nothing caught. The message is the value thrown.""",
    "throw 'bad input';",
    "throw new Error('bad input: expected a number');",
)

# -- JS-light: found by the static checker, before the program runs ----------------------

JS_PARSE = register(
    "JS2001", "syntax error",
    """The program does not parse as JavaScript. The span points at the first
token that does not fit; the message says what was expected there. Nothing
ran: fix the syntax and run again.""",
    "const o = {a: 1 b: 2};",
    "const o = {a: 1, b: 2};",
)
JS_BRACKET = register(
    "JS2002", "unclosed or mismatched bracket",
    """A `(`, `[` or `{` is never closed, or is closed by the wrong kind of
bracket, or a closing bracket has nothing to close. The message names the
opening bracket and where it is; indentation is used to guess which block
lost its `}`.""",
    "if (total > 10 {\n  console.log(total);\n}",
    "if (total > 10) {\n  console.log(total);\n}",
)
JS_UNTERMINATED = register(
    "JS2003", "unterminated string, template, comment or regular expression",
    """A literal starts but never ends. Strings in quotes end on the same line:
a quote inside the text must be escaped (`\\'`), or use the other kind of
quote, or a template literal (backticks) for text over several lines.""",
    "const s = 'it's done';",
    "const s = \"it's done\";",
)
JS_REDECLARED = register(
    "JS2004", "name declared twice",
    """A `let`, `const`, `class` or `import` declares a name that the same scope
already declares. JavaScript refuses the whole program. To change the value,
assign to the existing name; to keep both, give one another name.""",
    "let total = 0;\nlet total = 5;",
    "let total = 0;\ntotal = 5;",
)
JS_MISPLACED = register(
    "JS2005", "construct not allowed here",
    """The construct is valid JavaScript somewhere, but not here: `return`
outside a function, `break` outside a loop or `switch`, `await` outside an
`async` function, `yield` outside a generator, `const` without a value, or
what strict code (modules, classes) forbids, such as `with` and `010`.""",
    "function load() {\n  const text = await fs.promises.readFile('a.txt', 'utf8');\n}",
    "async function load() {\n  const text = await fs.promises.readFile('a.txt', 'utf8');\n}",
)
JS_REGEX = register(
    "JS2006", "invalid regular expression",
    """A regular expression literal has unknown or repeated flags, an unbalanced
group, or a quantifier with nothing to repeat. The engine compiles regular
expressions before running anything, so this stops the whole program.""",
    "const re = /(\\d+/gg;",
    "const re = /(\\d+)/g;",
)
JS_FOREIGN_SYNTAX = register(
    "JS2007", "syntax from another language",
    """The program uses syntax of another language: TypeScript type annotations,
`interface` or `as` casts; Python's `and`, `or`, `not`, `elif` or `def`; or
`function` in front of a class method. JS-light runs plain JavaScript.""",
    "function total(xs: number[]): number {\n  return xs.length;\n}",
    "function total(xs) {\n  return xs.length;\n}",
)
JS_DYNAMIC_CODE = register(
    "JS2010", "code built from text is not available",
    """`eval`, `new Function(...)` and `Function(...)` turn text into code while the
program runs. JS-light leaves them out: the program must be readable, and
checked, before it runs. To read data from text, use `JSON.parse`.""",
    "const f = new Function('x', 'return x * 2');",
    "const f = (x) => x * 2;",
)
JS_NETWORK = register(
    "JS2011", "no network in a world",
    """A world has no network: `fetch`, `XMLHttpRequest`, `WebSocket` and the
`http`, `https` and `net` modules are not available. A program's inputs are
the world's files.""",
    "const res = await fetch('https://example.com/sales.json');",
    "const sales = readJSON('sales.json');",
)
JS_PROCESS = register(
    "JS2012", "no processes in a world",
    """A program runs alone in its sandbox: `process`, `child_process` and
worker threads are not available. End a program by letting it finish; report
failure by throwing an error; print with `console.log`.""",
    "if (!rows.length) process.exit(1);",
    "if (!rows.length) throw new Error('no rows');",
)
JS_GC = register(
    "JS2013", "garbage collection cannot be observed",
    """`WeakRef` and `FinalizationRegistry` report when the engine collects
garbage, which differs from run to run. JS-light leaves them out so the same
program always gives the same result.""",
    "const ref = new WeakRef(cache);",
    "const cache = new Map();",
)
JS_SHARED_MEMORY = register(
    "JS2014", "no shared memory",
    """`SharedArrayBuffer` and `Atomics` share memory between threads; a program
runs on one thread. Use `ArrayBuffer` and typed arrays.""",
    "const buf = new SharedArrayBuffer(1024);",
    "const buf = new ArrayBuffer(1024);",
)
JS_REAL_TIME = register(
    "JS2015", "no real time in a world",
    """A world's clock is virtual: `Date.now()` is the world's `now`, timers run
on virtual time, and `performance.now()` does not measure real time (it is a
warning: the program runs, but timings it prints mean nothing). The run's
fuel, in the result, measures the work a program did.""",
    "const start = performance.now();\nwork();\nconsole.log(performance.now() - start);",
    "work();  // the result reports the fuel used",
)
JS_INTERNALS = register(
    "JS2016", "engine internals are not available",
    """`qjs:std`, `qjs:os`, `qjs:bjson` and globals such as `std`, `os`, `gc` and
`scriptArgs` belong to the QuickJS engine that runs JS-light, not to the
world. Use `console`, `fs` and `path` as in Node.""",
    "import * as std from 'qjs:std';\nstd.printf('%d\\n', 1);",
    "console.log(1);",
)
JS_UNDECLARED = register(
    "JS2020", "name is not declared",
    """The program reads or calls a name that no enclosing scope declares and
that is no global of JS-light. It would stop with a ReferenceError when it
got there. Check the spelling (the nearest names are suggested), or declare
the name first.""",
    "const total = 1;\nconsole.log(totl);",
    "const total = 1;\nconsole.log(total);",
)
JS_FOREIGN_API = register(
    "JS2021", "a function or method of another language",
    """The program calls something other languages have but JavaScript spells
differently: `print` (use `console.log`), `len(x)` (use `x.length`),
`xs.append(x)` (use `xs.push(x)`), `s.lower()` (use `s.toLowerCase()`),
`x.length()` (`length` is a property), `True` (use `true`).""",
    "const xs = [];\nxs.append(1);\nprint(len(xs));",
    "const xs = [];\nxs.push(1);\nconsole.log(xs.length);",
)
JS_TDZ = register(
    "JS2022", "used before its declaration",
    """A `let` or `const` name is used before the line that declares it has run
(its "temporal dead zone"); this always throws a ReferenceError. Move the
declaration up, or the use down.""",
    "console.log(total);\nconst total = 5;",
    "const total = 5;\nconsole.log(total);",
)
JS_CONST_ASSIGN = register(
    "JS2023", "assignment to a constant",
    """A name declared with `const` (or imported) is assigned again, which
always throws a TypeError. Declare it with `let` if it must change.""",
    "const count = 0;\ncount += 1;",
    "let count = 0;\ncount += 1;",
)
JS_IMPLICIT_GLOBAL = register(
    "JS2024", "assignment to an undeclared name",
    """Assigning to a name that is never declared creates a global variable in a
script (and fails in a module). It is often a misspelling of a declared name;
declare new names with `let` or `const`. This is a warning: the program runs.""",
    "let total = 0;\ntotl = 5;",
    "let total = 0;\ntotal = 5;",
)
JS_OBJECT_TEXT = register(
    "JS2025", "an object joined into text",
    """Adding an object to a string gives `[object Object]`, not its contents.
Use `JSON.stringify(value)`, or pick the fields you want to show. A warning:
the program runs.""",
    "const user = {name: 'ada'};\nconsole.log('user: ' + user);",
    "const user = {name: 'ada'};\nconsole.log('user: ' + JSON.stringify(user));",
)
JS_ASSIGN_IN_CONDITION = register(
    "JS2026", "assignment in a condition",
    """A condition holds `=`, which assigns, where `===` (compare) was probably
meant. Wrap the assignment in a second pair of parentheses if it is
intended. A warning: the program runs.""",
    "if (count = 0) console.log('none');",
    "if (count === 0) console.log('none');",
)
JS_PLAIN_PLACEHOLDER = register(
    "JS2027", "placeholder in a plain string",
    """A string in quotes holds `${...}`, which only template literals (in
backticks) fill in: the text prints as written. A warning: the program runs.""",
    "console.log('total: ${total}');",
    "console.log(`total: ${total}`);",
)
JS_NO_FILE = register(
    "JS2030", "no such file in the world",
    """A file operation, `import` or `require` names a file the world does not
have. Paths are relative to the world's root (imports: to the importing file);
the nearest names are suggested, and `worlds describe` lists every file.""",
    "const text = fs.readFileSync('sale.csv', 'utf8');",
    "const text = fs.readFileSync('sales.csv', 'utf8');",
)
JS_UNKNOWN_MODULE = register(
    "JS2031", "unknown module",
    """JS-light can import or require `fs` and `path` (also as `node:fs` and
`node:path`) and the world's own files (`./util.js`). There are no npm
packages and no other Node modules; the help says what to use instead.""",
    "const _ = require('lodash');",
    "const total = xs.reduce((a, b) => a + b, 0);",
)

#: The checker's codes for programs that do not parse (the engine would refuse them whole).
JS_SYNTAX_CODES = frozenset({JS_PARSE, JS_BRACKET, JS_UNTERMINATED, JS_REDECLARED, JS_MISPLACED,
                             JS_REGEX, JS_FOREIGN_SYNTAX})
