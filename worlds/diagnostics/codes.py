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
at the same point, and the diagnostic says where: the line it was on (and the
helper it was inside, such as `readCSV`) and how much of each input file it had
read. It then tells a runaway from a big job. A loop whose condition can never
become false, or that nothing in it leaves, is a runaway; so is a program that
does not finish even on a small part of its input. Otherwise the program is run
again on the first 1/64, 1/32, ... of the rows of the files it read: if those
runs finish, it was still making progress, and how their fuel grows with the
rows estimates what the whole input needs, given as the `limits={"fuel": N}`
that would let it finish. Work that grows as the square of the rows is usually
a loop over the rows inside another, which an index (a `Map`) makes one pass.""",
    "while (true) {}",
    "for (let i = 0; i < 10; i++) { /* bounded */ }",
)
STEPS = register(
    "RUN1008", "SQL step budget exhausted",
    """A SQL or PRQL run used its whole step budget (`limits.steps`): SQLite
virtual machine steps, counted by SQLite itself, so the same query always stops
at the same step. The diagnostic shows the query plan and names the part that
multiplies the work: usually a join or a correlated subquery on an expression
(`upper(trim(x))`) that no index can serve, so every row is compared with every
other. Compute the expression once in a CTE or a temporary table and join on
that, or give the run more steps with the setting the diagnostic suggests.""",
    "SELECT * FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE upper(b.k) = upper(a.k))",
    "SELECT * FROM a WHERE upper(a.k) NOT IN (SELECT upper(k) FROM b)",
)
DEADLINE = register(
    "RUN1002", "wall-clock deadline passed",
    """The program ran longer than the world's wall-clock limit (`limits.wall_ms`).
This is a safety net behind the instruction budget and depends on the machine,
so the same program may stop at a different point on another run. The
diagnostic says where it was and what it had read, and names a loop that can
never end when it finds one; the fix is the same as for the budget: bound the
work.""",
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

RAW = register(
    "RUN1000", "the engine's own error, unexplained",
    """A session with raw diagnostics (used by the bench to measure what worlds'
own diagnostics are worth) passes on only the text the engine printed: no span,
no cause, no fix. The same program in a session with full diagnostics gets the
explained version.""",
    "Session(world, diagnostics=\"raw\")",
    "Session(world)  # full diagnostics",
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
JS_EXIT = register(
    "JS1009", "the program exited with a failing status",
    """The program called `process.exit(code)` with a code other than 0, or
ended with `process.exitCode` set to one: as in Node, that status says the
program failed, and the run fails with it. What it printed before is kept. To
end early after success, exit with 0; to report a problem, throw an Error
(its message and line are shown) or print it with `console.error`.""",
    "if (rows.length === 0) process.exit(1);",
    "if (rows.length === 0) throw new Error('no rows in sales.csv');",
)

JS_HOST_FAILED = register(
    "JS1010", "a host function failed",
    """A function of the world's API (`World(functions=...)`) failed and nothing
caught the error: the host raised, refused the arguments, took longer than
`limits.host_call_ms`, or returned what JSON cannot hold. The message is the
host's own (never its traceback); the span is the call. Catch it with
`try`/`catch` to go on without the value.""",
    "const c = crm.findCustomer({ id: 999 });",
    "let c; try { c = crm.findCustomer({ id: 999 }); } catch (e) { c = null; }",
)
JS_HOST_STOP = register(
    "JS1011", "the run stopped at a host call",
    """A call to a host function stopped the run: more calls than
`limits.host_calls`, or a replayed tape (`world.run(code, tape=...)`) that
does not hold this call, or holds another one in its place. The span is the
call; the message says which call and what the tape expected.""",
    "for (const id of ids) crm.findCustomer(id);  // 100,000 calls",
    "const customers = crm.findCustomers(ids);",
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
    """JS-light can import or require `fs`, `path` and `util` (also as `node:fs`,
`node:path` and `node:util`) and the world's own files (`./util.js`). There are no npm
packages and no other Node modules; the help says what to use instead.""",
    "const _ = require('lodash');",
    "const total = xs.reduce((a, b) => a + b, 0);",
)
JS_MEMBER_TYPO = register(
    "JS2032", "misspelt built-in method or property",
    """A method or property of a built-in value (a string, an array, `JSON`,
`Math`, `Object`, a number...) is misspelt: `lines.spilt(',')`, `rows.lenght`,
`JSON.prase(text)`. It would be undefined when the program runs. The nearest
real name is suggested; the program defines no property of that name.""",
    "const parts = line.spilt(',');",
    "const parts = line.split(',');",
)
JS_HOST_UNKNOWN = register(
    "JS2033", "no such host function",
    """The program calls a function of the world's API that the world does not
have, or a member of its namespace that does not exist (`crm.findCustomr`).
The world card lists the functions; the nearest name is offered as a fix.""",
    "crm.findCustomr({ id: 3 })",
    "crm.findCustomer({ id: 3 })",
)
JS_HOST_ARGUMENT = register(
    "JS2034", "wrong argument to a host function",
    """A literal argument of a host function call has the wrong type, a required
one is missing, or a named one is not a parameter. The declaration in the
world card says what each parameter takes; the call would fail at run time.""",
    "crm.findCustomer({ id: 'three' })",
    "crm.findCustomer({ id: 3 })",
)

#: The checker's codes for programs that do not parse (the engine would refuse them whole).
JS_SYNTAX_CODES = frozenset({JS_PARSE, JS_BRACKET, JS_UNTERMINATED, JS_REDECLARED, JS_MISPLACED,
                             JS_REGEX, JS_FOREIGN_SYNTAX})

# -- PRQL: the compiler's own errors, for the benchmark's novelty arm ------------------

PRQL_COMPILE = register(
    "PRQL2001", "PRQL does not compile",
    """The PRQL compiler (prqlc) refused the query: a pipeline step it does not
know, a name it cannot resolve, or text it cannot parse. The span and message
are prqlc's own; PRQL compiles to SQLite SQL, which then runs like any query.""",
    "from sales\nfilter units >> 3",
    "from sales\nfilter units > 3",
)

# -- SQL: errors SQLite reported while running a statement --------------------------------

SQL_RUNTIME = register(
    "SQL1001", "SQLite stopped the statement",
    """SQLite refused or stopped a statement while running it, for a reason without
a code of its own. The message is SQLite's; the span is the statement (or the
name the message mentions). Nothing the run did is kept.""",
    "SELECT json_extract(name, '$.a') FROM items;  -- name is not JSON",
    "SELECT json_extract(attributes, '$.a') FROM items WHERE json_valid(attributes);",
)
SQL_NO_SUCH = register(
    "SQL1002", "SQLite does not know a name",
    """While running, SQLite met a table, column or function it does not know. The
static check catches most of these before anything runs; this one slipped
through (for example a name built by a view or a table created in the run).
The nearest names are suggested.""",
    "CREATE TEMP TABLE t AS SELECT region FROM sales;\nSELECT units FROM t;",
    "CREATE TEMP TABLE t AS SELECT region, units FROM sales;\nSELECT units FROM t;",
)
SQL_CONSTRAINT = register(
    "SQL1003", "a constraint failed",
    """A write broke a constraint of a table created in the run: a UNIQUE or
PRIMARY KEY value that already exists, a NULL in a NOT NULL column, or a
failed CHECK. Use `INSERT OR IGNORE` / `INSERT OR REPLACE`, or write
distinct values.""",
    "CREATE TEMP TABLE t (id INTEGER PRIMARY KEY);\nINSERT INTO t VALUES (1), (1);",
    "CREATE TEMP TABLE t (id INTEGER PRIMARY KEY);\nINSERT OR IGNORE INTO t VALUES (1), (1);",
)
SQL_DENIED = register(
    "SQL1004", "not allowed in a world",
    """SQLite refused an action the world does not allow: changing an input table,
attaching another database, setting a PRAGMA, or loading an extension.
Input tables are read-only; copy one into a temporary table to change it.""",
    "DELETE FROM sales WHERE units = 0;",
    "CREATE TEMP TABLE s AS SELECT * FROM sales;\nDELETE FROM s WHERE units = 0;\nSELECT * FROM s;",
)
SQL_TOO_BIG = register(
    "SQL1005", "a value or query too large",
    """A value grew past what SQLite or the world allows: a string or blob over
the length limit, an integer past 64 bits, or a query with too many terms,
columns or nested levels. Aggregate before building text; use REAL for big
numbers.""",
    "SELECT sum(9223372036854775807) FROM sales;",
    "SELECT total(9223372036854775807) FROM sales;  -- total() is a REAL sum",
)
SQL_MISUSE = register(
    "SQL1006", "aggregate or window function misused",
    """An aggregate function (sum, count, avg ...) or a window function was used
where SQLite does not allow it: in WHERE, in GROUP BY, nested in another
aggregate, or a window function without OVER. Filter groups with HAVING;
filter on a window function's value in an outer query.""",
    "SELECT region FROM sales WHERE sum(units) > 100 GROUP BY region;",
    "SELECT region FROM sales GROUP BY region HAVING sum(units) > 100;",
)
SQL_ENGINE_SYNTAX = register(
    "SQL1007", "SQLite could not parse the statement",
    """The front end read the statement, but SQLite (3.42) does not accept the
text it was given. Often a keyword used as a name (quote it: "order"), or a
construct newer than SQLite 3.42.""",
    "SELECT order FROM orders;",
    "SELECT \"order\" FROM orders;",
)
SQL_ARGUMENTS = register(
    "SQL1008", "wrong number of arguments",
    """A function was called with more or fewer arguments than it takes. The
help shows how it is called.""",
    "SELECT substr(name) FROM items;",
    "SELECT substr(name, 1, 3) FROM items;",
)
SQL_FUNCTION_FAILED = register(
    "SQL1009", "a function failed",
    """A function that worlds adds to SQLite (such as `date_trunc`, `regexp_replace`,
`split_part`, `median`) stopped on an argument it cannot use: an unknown
unit, a broken regular expression, a zero field position.""",
    "SELECT date_trunc('fortnight', date) FROM sales;",
    "SELECT date_trunc('week', date) FROM sales;",
)

# -- SQL: found before running, by the front end ------------------------------------------

SQL_PARSE = register(
    "SQL2001", "syntax error",
    """The statement does not parse. The span is the first token that does not
fit and the message says what was expected there; the help names the usual
cause (a misspelt keyword, a missing comma or BY, a comma before FROM).
Nothing ran.""",
    "SELECT region, SUM(units) FORM sales GROUP BY region;",
    "SELECT region, SUM(units) FROM sales GROUP BY region;",
)
SQL_BRACKET = register(
    "SQL2002", "unclosed or unmatched bracket",
    """A `(` is never closed, or a `)` closes nothing. The span is the bracket
without a partner; a label shows where the missing `)` was expected.""",
    "SELECT * FROM sales WHERE region IN ('north', 'east';",
    "SELECT * FROM sales WHERE region IN ('north', 'east');",
)
SQL_UNTERMINATED = register(
    "SQL2003", "unterminated string, quoted name or comment",
    """A quote or `/*` opens and never closes, so the rest of the program is
read as its content. A quote inside SQL text is written twice: 'it''s'.""",
    "SELECT * FROM items WHERE name = 'hammer;",
    "SELECT * FROM items WHERE name = 'hammer';",
)
SQL_UNKNOWN_TABLE = register(
    "SQL2004", "no such table",
    """The query names a table (or a table alias) that the world does not have.
Each data file is a table named after the file (`sales.csv` is `sales`);
the note lists them, and the nearest name is suggested.""",
    "SELECT * FROM sale;",
    "SELECT * FROM sales;",
)
SQL_UNKNOWN_COLUMN = register(
    "SQL2005", "no such column",
    """A column is not in any table the query reads from (nor an alias of the
select list where one may be used). The note lists the columns of the
tables in scope; the nearest name is suggested.""",
    "SELECT region, SUM(unit) FROM sales GROUP BY region;",
    "SELECT region, SUM(units) FROM sales GROUP BY region;",
)
SQL_AMBIGUOUS = register(
    "SQL2006", "ambiguous column",
    """A column name without a table is in more than one of the joined tables,
so SQL cannot tell which is meant. Write the table (or its alias) in front
of it.""",
    "SELECT region, target FROM sales s JOIN regions r ON s.region = r.region;",
    "SELECT s.region, target FROM sales s JOIN regions r ON s.region = r.region;",
)
SQL_UNGROUPED = register(
    "SQL2007", "column neither grouped nor aggregated",
    """In a query that groups rows (GROUP BY, or an aggregate such as SUM), every
selected column must be in the GROUP BY or inside an aggregate. SQLite does
not refuse it: it silently takes the value from an arbitrary row of each
group, so the answer looks right and is not. Postgres, DuckDB and MySQL
refuse it.""",
    "SELECT region, product, SUM(units) FROM sales GROUP BY region;",
    "SELECT region, product, SUM(units) FROM sales GROUP BY region, product;",
)
SQL_AGGREGATE_PLACE = register(
    "SQL2008", "aggregate function where it is not allowed",
    """Aggregates (sum, count, avg, min, max ...) are computed per group, after
WHERE has chosen the rows, so WHERE, GROUP BY and JOIN ... ON cannot use
them, and one aggregate cannot hold another without a window. Filter
groups with HAVING.""",
    "SELECT region FROM sales WHERE SUM(units) > 100 GROUP BY region;",
    "SELECT region FROM sales GROUP BY region HAVING SUM(units) > 100;",
)
SQL_WINDOW_PLACE = register(
    "SQL2009", "window function where it is not allowed",
    """Window functions (row_number, rank, lag, sum(...) OVER ...) are computed
after WHERE, GROUP BY and HAVING, so those clauses cannot use them. Compute
the window in a subquery or CTE and filter outside it, or use QUALIFY
(which worlds rewrites).""",
    "SELECT * FROM sales WHERE row_number() OVER (ORDER BY units DESC) <= 3;",
    "SELECT * FROM sales QUALIFY row_number() OVER (ORDER BY units DESC) <= 3;",
)
SQL_HAVING_NO_GROUP = register(
    "SQL2010", "HAVING without grouping",
    """HAVING filters groups; this query has no GROUP BY and no aggregate, so
there are no groups to filter. A condition on rows belongs in WHERE.""",
    "SELECT * FROM sales HAVING units > 10;",
    "SELECT * FROM sales WHERE units > 10;",
)
SQL_TYPE = register(
    "SQL2011", "mismatched types",
    """A comparison or arithmetic mixes types in a way that cannot mean what was
meant: a number column compared with text that is not a number (never
true), arithmetic on a text column, or a date written without quotes
(`2024-01-31` is the number 1992). SQLite computes something anyway, which
is why it is reported here.""",
    "SELECT * FROM sales WHERE date >= 2024-03-01;",
    "SELECT * FROM sales WHERE date >= '2024-03-01';",
)
SQL_UNKNOWN_FUNCTION = register(
    "SQL2012", "no such function",
    """The function is not one of SQLite's, nor one worlds adds (such as
`date_trunc`, `string_agg`, `median`, `regexp_replace`, `split_part`).
Names other databases use get the SQLite spelling in the help; otherwise
the nearest names are suggested.""",
    "SELECT NVL(tier, 'none') FROM customers;",
    "SELECT coalesce(tier, 'none') FROM customers;",
)
SQL_UNSUPPORTED = register(
    "SQL2013", "not available in SQLite",
    """The query uses a construct or function of another database that SQLite
3.42 has no equivalent for and that worlds cannot rewrite (arrays,
LATERAL, PIVOT ...). The help says how to get the same result.""",
    "SELECT unnest(tags) FROM posts;",
    "SELECT j.value FROM posts, json_each(posts.tags) AS j;",
)
SQL_DOUBLE_QUOTED = register(
    "SQL2014", "text in double quotes",
    """In SQL, double quotes name a column or table ("unit price"); text values
take single quotes ('north'). SQLite falls back to reading an unknown
"name" as text, so the query seems to work until a column of that name
exists. (MySQL reads "x" as text; worlds does too when the query uses
backticks, MySQL's quotes.)""",
    "SELECT * FROM sales WHERE region = \"north\";",
    "SELECT * FROM sales WHERE region = 'north';",
)
SQL_READ_ONLY = register(
    "SQL2015", "input tables are read-only",
    """The tables made from the world's files cannot be changed by a query:
no INSERT, UPDATE, DELETE, DROP, ALTER or CREATE INDEX on them. Copy the
rows into a temporary table and change that; every run is rolled back at
its end anyway, so nothing persists between runs.""",
    "UPDATE sales SET units = 0 WHERE units < 0;",
    "CREATE TEMP TABLE s AS SELECT * FROM sales;\nUPDATE s SET units = 0 WHERE units < 0;\nSELECT * FROM s;",
)
SQL_FORBIDDEN = register(
    "SQL2016", "not allowed in a world",
    """A world's SQL sees only the world's tables: ATTACH and DETACH (other
database files), load_extension (native code), VACUUM INTO and PRAGMA
assignments (changing the engine's settings) are refused. Reading a PRAGMA
(`PRAGMA table_info(sales)`) is fine.""",
    "ATTACH DATABASE 'other.db' AS other;",
    "SELECT name FROM sqlite_master WHERE type = 'table';",
)
SQL_TRANSACTION = register(
    "SQL2017", "transaction statement ignored",
    """Each run is already one transaction that is rolled back at its end, so
BEGIN, COMMIT, ROLLBACK and SAVEPOINT are skipped (a warning). Later
statements of the run see the earlier ones' changes.""",
    "BEGIN;\nCREATE TEMP TABLE t AS SELECT 1 AS x;\nCOMMIT;\nSELECT * FROM t;",
    "CREATE TEMP TABLE t AS SELECT 1 AS x;\nSELECT * FROM t;",
)
SQL_NULL_COMPARE = register(
    "SQL2018", "comparison with NULL",
    """`x = NULL` and `x <> NULL` are never true: comparing anything with NULL
gives NULL. Test for a missing value with `IS NULL` / `IS NOT NULL`. A
warning: the query runs, and returns no rows for that condition.""",
    "SELECT * FROM customers WHERE tier = NULL;",
    "SELECT * FROM customers WHERE tier IS NULL;",
)
SQL_LIMIT_ORDER = register(
    "SQL2019", "LIMIT without ORDER BY",
    """Without ORDER BY, which rows a LIMIT keeps depends on how the engine
happens to scan the table, which can change with any index or query plan.
Say which rows you mean with ORDER BY. A warning: the query runs.""",
    "SELECT * FROM sales LIMIT 5;",
    "SELECT * FROM sales ORDER BY units DESC LIMIT 5;",
)
SQL_INT_DIVISION = register(
    "SQL2020", "integer division",
    """Both sides of `/` are integers, so SQLite (like Postgres) drops the
fraction: 7 / 2 is 3 and 1 / 4 is 0. For a ratio or a percentage, make one
side real: `1.0 * a / b` or `CAST(a AS REAL) / b`. A warning: the query runs.""",
    "SELECT COUNT(*) / (SELECT COUNT(*) FROM sales) AS share FROM sales WHERE units > 10;",
    "SELECT 1.0 * COUNT(*) / (SELECT COUNT(*) FROM sales) AS share FROM sales WHERE units > 10;",
)
SQL_EMPTY = register(
    "SQL2021", "no statement to run",
    """The program holds no SQL statement (only whitespace, comments or `;`), so
there is nothing to run and no result.""",
    "-- total units per region",
    "-- total units per region\nSELECT region, SUM(units) FROM sales GROUP BY region;",
)
SQL_BAD_ARGUMENT = register(
    "SQL2022", "invalid function argument",
    """A function is called with the wrong number of arguments, or with a
constant argument it cannot use, such as an unknown unit in `date_trunc`
or `EXTRACT`. The help shows what it accepts.""",
    "SELECT date_trunc('mnth', date) FROM sales;",
    "SELECT date_trunc('month', date) FROM sales;",
)
SQL_UNCHECKED = register(
    "SQL2023", "program not checked",
    """The SQL checker failed on this program, which is a bug in worlds, not in the
program. The program runs as written, without the static checks; SQLite's own
errors still come back as diagnostics. The note says what failed.""",
    "(any program the checker fails on)",
    "(nothing to change; report the program and the note)",
)
