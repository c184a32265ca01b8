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
