"""SQLite's own errors, from a statement that failed while running, as diagnostics.

The one place where SQLite's messages are read: each known message shape
has a code, a plain cause and help; the span is the name or token the
message mentions, searched in the statement's part of the original program
(outside strings and comments), else the whole statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...diagnostics import Diagnostic, codes
from .functions import callable_names, polyfill_names
from .report import Report
from .schema import Schema
from .split import scan
from .suggest import nearest

_Handler = Callable[[re.Match[str], "_Context"], None]


class _Context:
    def __init__(self, message: str, start: int, end: int, kind: str, source: str, schema: Schema,
                 file: str) -> None:
        self.message = message
        self.start, self.end = start, end
        self.kind = kind
        self.source = source
        self.schema = schema
        self.report = Report(source, file)
        self.masked = scan(source).masked

    def find(self, name: str) -> tuple[int, int] | None:
        """The first use of ``name`` in the statement, as code or as a quoted name."""
        if not name:
            return None
        pattern = re.compile(r"(?<![\w$])" + re.escape(name) + r"(?![\w$])", re.IGNORECASE)
        found = pattern.search(self.masked, self.start, self.end)
        if found:
            return found.span()
        for quote, close in (('"', '"'), ("`", "`"), ("[", "]")):
            at = self.source.lower().find((quote + name + close).lower(), self.start, self.end)
            if at >= 0:
                return at, at + len(name) + 2
        return None

    def where(self, name: str = "") -> tuple[int, int]:
        return self.find(name) or (self.start, self.end)

    def first_word(self) -> str:
        match = re.match(r"\s*(\w+)", self.masked[self.start:self.end])
        return match.group(1).upper() if match else ""

    def columns(self) -> list[str]:
        return [c.name for t in self.schema.tables.values() for c in t.columns]

    def tables(self) -> list[str]:
        return [t.name for t in self.schema.tables.values()]


def _name(text: str) -> str:
    return text.rsplit(".", 1)[-1].strip('"`[]')


def _no_such(kind: str) -> _Handler:
    def handle(m: re.Match[str], ctx: _Context) -> None:
        shown = m.group(1)
        name = _name(shown)
        pools = {"column": ctx.columns, "table": ctx.tables}
        pool = pools[kind]() if kind in pools else sorted(callable_names())
        near = nearest(name, pool)
        help_ = [f"did you mean {' or '.join(f'`{n}`' for n in near)}?"] if near else []
        notes = []
        if kind == "table":
            notes.append("the world's tables: " + ", ".join(f"`{t}`" for t in ctx.tables()))
        if name.startswith(("__w", "worlds_")):
            notes.append("the name comes from how worlds rewrote this statement for SQLite")
        ctx.report.add(codes.SQL_NO_SUCH, ctx.where(name), f"no such {kind}: `{shown}`",
                       label=f"SQLite does not know this {kind}", notes=notes, help=help_)
    return handle


def _misuse(m: re.Match[str], ctx: _Context) -> None:
    kind, name = m.group(1), m.group(2)
    help_ = ["filter groups with HAVING, not WHERE; aggregate in a subquery before aggregating again"] \
        if kind == "aggregate" else ["a window function needs OVER (...), and cannot be used in WHERE, "
                                     "GROUP BY or HAVING: filter in an outer query"]
    ctx.report.add(codes.SQL_MISUSE, ctx.where(name), f"misuse of {kind} function `{name}()`",
                   label=f"the {kind} function is not allowed here", help=help_)


def _arguments(m: re.Match[str], ctx: _Context) -> None:
    name = m.group(1)
    ctx.report.add(codes.SQL_ARGUMENTS, ctx.where(name), f"wrong number of arguments to `{name}()`",
                   label="called with the wrong number of arguments",
                   help=["see https://sqlite.org/lang_corefunc.html for how it is called"])


def _denied(m: re.Match[str], ctx: _Context) -> None:
    word = ctx.first_word()
    if word in ("INSERT", "UPDATE", "DELETE", "DROP", "ALTER", "CREATE", "REPLACE"):
        help_ = ["input tables are read-only: `CREATE TEMP TABLE t AS SELECT * FROM input;` then change `t`"]
        message = "the statement would change an input table"
    elif word in ("ATTACH", "DETACH"):
        help_, message = ["read the world's tables only"], "attaching databases is not allowed"
    elif word == "PRAGMA":
        help_, message = ["read a pragma without `=`"], "setting a PRAGMA is not allowed"
    else:
        help_, message = ["see `worlds explain SQL1004`"], "not allowed in a world"
    ctx.report.add(codes.SQL_DENIED, (ctx.start, ctx.end), message, label="refused: not authorized",
                   help=help_)


def _constraint(m: re.Match[str], ctx: _Context) -> None:
    kind, target = m.group(1), m.group(2) or ""
    name = _name(target.split(",")[0]) if target else ""
    ctx.report.add(codes.SQL_CONSTRAINT, ctx.where(name), f"{kind} constraint failed" +
                   (f" on `{target.strip()}`" if target else ""), label="this write breaks it",
                   help=["use `INSERT OR IGNORE` or `INSERT OR REPLACE`, or write other values"]
                   if kind in ("UNIQUE", "PRIMARY KEY") else ["write a value the constraint accepts"])


def _syntax(m: re.Match[str], ctx: _Context) -> None:
    token = m.group(1)
    help_ = [f"`{token}` is a keyword in SQLite: to use it as a name, quote it: \"{token}\""] \
        if token.isalpha() else ["this construct is not in SQLite 3.42"]
    ctx.report.add(codes.SQL_ENGINE_SYNTAX, ctx.where(token),
                   f"SQLite cannot parse the statement near `{token}`",
                   label="SQLite stopped here", help=help_)


def _too_big(m: re.Match[str], ctx: _Context) -> None:
    ctx.report.add(codes.SQL_TOO_BIG, (ctx.start, ctx.end), ctx.message, label="too large",
                   help=["build less: aggregate before concatenating text, use REAL (`total()`) for big "
                         "sums, split a long UNION into steps"])


def _udf(m: re.Match[str], ctx: _Context) -> None:
    names = sorted(polyfill_names(), key=len, reverse=True)
    found = None
    for name in names:
        if name.startswith("worlds_"):
            continue
        hit = re.compile(r"(?<![\w$])" + re.escape(name) + r"\s*\(", re.I).search(ctx.masked, ctx.start,
                                                                                  ctx.end)
        if hit and (found is None or hit.start() < found[0]):
            found = (hit.start(), hit.start() + len(name))
    shown = f"`{ctx.source[found[0]:found[1]]}`" if found else "a function worlds adds to SQLite"
    ctx.report.add(codes.SQL_FUNCTION_FAILED, found or (ctx.start, ctx.end),
                   f"{shown} failed on its arguments",
                   label="raised an error",
                   help=["check constant arguments: a `date_trunc` unit, a regular expression, a field "
                         "number"])


def _exists(m: re.Match[str], ctx: _Context) -> None:
    name = m.group(1)
    ctx.report.add(codes.SQL_RUNTIME, ctx.where(_name(name)), f"table `{name}` already exists",
                   label="created before", help=["pick another name, or `DROP TABLE IF EXISTS` it first"])


def _ambiguous(m: re.Match[str], ctx: _Context) -> None:
    name = m.group(1)
    ctx.report.add(codes.SQL_RUNTIME, ctx.where(_name(name)), f"ambiguous column name `{name}`",
                   label="in more than one table",
                   help=[f"write the table in front of it: `t.{_name(name)}`"])


_PATTERNS: list[tuple[re.Pattern[str], _Handler]] = [
    (re.compile(r"no such column: (.+?)\s*$"), _no_such("column")),
    (re.compile(r"no such table: (.+?)\s*$"), _no_such("table")),
    (re.compile(r"no such function: (\S+)"), _no_such("function")),
    (re.compile(r"misuse of (aggregate|window) function (\w+)\(\)"), _misuse),
    (re.compile(r"misuse of (aggregate): (\w+)\(\)"), _misuse),
    (re.compile(r"wrong number of arguments to function (\w+)\(\)"), _arguments),
    (re.compile(r"not authorized"), _denied),
    (re.compile(r"(UNIQUE|NOT NULL|CHECK|FOREIGN KEY|PRIMARY KEY) constraint failed:?\s*(.*)"), _constraint),
    (re.compile(r'near "(.+?)": syntax error'), _syntax),
    (re.compile(r'unrecognized token: "(.+?)"'), _syntax),
    (re.compile(r"string or blob too big|integer overflow|too many (terms|columns|SQL variables)|"
                r"Expression tree is too large|parser stack overflow|too big|out of memory"), _too_big),
    (re.compile(r"user-defined (function|aggregate).*raised exception"), _udf),
    (re.compile(r"table (\S+) already exists"), _exists),
    (re.compile(r"ambiguous column name: (\S+)"), _ambiguous),
]


def diagnose(message: str, start: int, end: int, kind: str, source: str, schema: Schema,
             file: str) -> Diagnostic:
    ctx = _Context(message, start, end, kind, source, schema, file)
    for pattern, handle in _PATTERNS:
        match = pattern.search(message)
        if match:
            handle(match, ctx)
            return ctx.report.diagnostics[-1]
    if message.strip() == "incomplete input":
        return ctx.report.add(codes.SQL_ENGINE_SYNTAX, (ctx.end, ctx.end), "the statement ends too early",
                              label="SQLite expected more here", help=["finish the statement"])
    text = message.strip() or "the statement failed"
    return ctx.report.add(codes.SQL_RUNTIME, (ctx.start, ctx.end), text,
                          label="SQLite stopped this statement")
