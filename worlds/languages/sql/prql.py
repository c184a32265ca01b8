"""PRQL, the benchmark's novelty arm: compiled by prqlc to SQLite SQL, then run like SQL.

prqlc reports errors as text drawn for a terminal (``[ :line:col ]``, the
source line, an underline, the message); they are read back into our
diagnostics with prqlc's own span. Diagnostics our SQL checker finds in the
compiled SQL are moved to the PRQL text that names the same thing.
"""

from __future__ import annotations

import re

import prqlc

from ...diagnostics import Diagnostic, Fix, Span, TextEdit, codes, raw
from .front import Compiled, Statement, compile_sql
from .front import runtime_error as sql_runtime_error
from .schema import Schema

_OPTIONS = prqlc.CompileOptions(target="sql.sqlite", signature_comment=False, format=True)
_LOCATION = re.compile(r"╭─\[ *[^\]]*?:(\d+):(\d+) *\]")
_UNDERLINE = re.compile(r"^\s*│( *)([─┬]+)")
_MESSAGE = re.compile(r"╰─+ (.*)$")
_EXTRA = re.compile(r"│\s*(Help|Note): (.*)$")
_PLAIN = re.compile(r"^(?:\[\w+\] )?Error: (.*)$")


def compile_prql(source: str, schema: Schema, *, file: str = "<code>") -> Compiled:
    """PRQL ``source`` as SQLite statements, with prqlc's errors as diagnostics."""
    try:
        sql = prqlc.compile(source, _OPTIONS)
    except ValueError as err:
        return Compiled("prql", [], [_from_prqlc(str(err), source, file)])
    except BaseException as err:  # a panic inside prqlc arrives as pyo3's PanicException
        if isinstance(err, KeyboardInterrupt | SystemExit):
            raise
        return Compiled("prql", [], [Diagnostic(
            code=codes.PRQL_COMPILE, message="the PRQL compiler crashed on this query", file=file,
            notes=[f"prqlc: {str(err).strip()[:200]}"],
            help=["this is a bug in prqlc; rephrase the query (plain ASCII names avoid the known one)"])])
    inner = compile_sql(sql, schema, file=file)
    found = [_moved(d, sql, source) for d in inner.diagnostics]
    return Compiled("prql", inner.statements, found)


def prqlc_error(source: str) -> Diagnostic:
    """prqlc's own message for ``source`` (which it cannot compile), as it printed it."""
    try:
        prqlc.compile(source, _OPTIONS)
    except BaseException as err:  # a panic arrives as pyo3's PanicException
        if isinstance(err, KeyboardInterrupt | SystemExit):
            raise
        return raw.engine(str(err))
    return raw.engine("prqlc could not compile the query")


def runtime_error(message: str, statement: Statement, source: str, schema: Schema, *,
                  file: str = "<code>") -> Diagnostic:
    """SQLite's error for SQL compiled from PRQL, placed on the PRQL text it concerns."""
    diag = sql_runtime_error(message, statement, statement.sql, schema, file=file)
    return _moved(diag, statement.sql, source)


def _from_prqlc(text: str, source: str, file: str) -> Diagnostic:
    lines = text.splitlines()
    message, span = "", None
    notes: list[str] = []
    help_: list[str] = []
    location = _LOCATION.search(text)
    for index, line in enumerate(lines):
        if (found := _MESSAGE.search(line)) and not message:
            message = found.group(1).strip()
        elif found := _EXTRA.search(line):
            (help_ if found.group(1) == "Help" else notes).append(found.group(2).strip())
        elif (plain := _PLAIN.match(line.strip())) and not message:
            message = plain.group(1).strip()
        elif line.startswith("↳ Hint:"):
            help_.append(line.removeprefix("↳ Hint:").strip())
        if location and span is None and _UNDERLINE.match(line) and index > 0:
            span = _underlined(lines[index - 1], line, int(location.group(1)))
    if location and span is None:
        span = Span.at(int(location.group(1)), int(location.group(2)))
    return Diagnostic(code=codes.PRQL_COMPILE, message=message or text.strip().splitlines()[0],
                      file=file, span=span, label=message if span else "", notes=notes, help=help_)


def _underlined(source_line: str, underline: str, line: int) -> Span | None:
    """The columns an ariadne underline covers, measured against the drawn source line."""
    bar = source_line.find("│")
    under_bar = underline.find("│")
    if bar < 0 or under_bar < 0:
        return None
    marks = [i for i, ch in enumerate(underline) if ch in "─┬"]
    if not marks:
        return None
    start = marks[0] - under_bar - 1  # the drawn line is "N │ text", the underline "  │ marks"
    end = marks[-1] - under_bar
    return Span.at(line, max(start, 1), line, max(end, start + 1))


def _moved(diag: Diagnostic, sql: str, source: str) -> Diagnostic:
    """``diag`` (about the compiled ``sql``) pointed at the same name in the PRQL ``source``."""
    def move(span: Span | None) -> Span | None:
        if span is None:
            return None
        word = sql[span.start.offset(sql) : span.end.offset(sql)].strip('"`')
        found = re.search(rf"(?<![\w.]){re.escape(word)}(?!\w)", source) if word.strip() else None
        return Span.from_offsets(source, found.start(), found.end()) if found else None

    span = move(diag.span)
    fixes = []
    for fix in diag.fixes:
        edits = [TextEdit(span=s, replacement=e.replacement) for e in fix.edits if (s := move(e.span))]
        if len(edits) == len(fix.edits):
            fixes.append(Fix(description=fix.description, edits=edits, applicable=fix.applicable))
    return diag.model_copy(update={
        "span": span, "label": diag.label if span else "", "fixes": fixes,
        "labels": [lb.model_copy(update={"span": s}) for lb in diag.labels if (s := move(lb.span))],
    })
