"""PRQL, the benchmark's novelty arm: compiled by prqlc to SQLite SQL, then run like SQL.

prqlc reports errors as text drawn for a terminal (``[ :line:col ]``, the
source line, an underline, the message); they are read back into our
diagnostics with prqlc's own span. Diagnostics our SQL checker finds in the
compiled SQL are moved to the PRQL text that names the same thing.
"""

from __future__ import annotations

import difflib
import re

import prqlc

from ...diagnostics import Diagnostic, Fix, Span, TextEdit, codes, raw
from .front import Compiled, Statement, compile_sql
from .front import runtime_error as sql_runtime_error
from .prql_fixes import RELATION, Query, code_only, unclosed_bracket, unknown_name
from .schema import Schema

_OPTIONS = prqlc.CompileOptions(target="sql.sqlite", signature_comment=False, format=True)
_LOCATION = re.compile(r"╭─\[ *[^\]]*?:(\d+):(\d+) *\]")
_UNDERLINE = re.compile(r"^\s*│( *)([─┬]+)")
_MESSAGE = re.compile(r"╰─+ (.*)$")
_EXTRA = re.compile(r"│\s*(Help|Note): (.*)$")
_PLAIN = re.compile(r"^(?:\[\w+\] )?Error: (.*)$")
_USES = re.compile(r" \(all \d+ uses\)$")


def compile_prql(source: str, schema: Schema, *, file: str = "<code>") -> Compiled:
    """PRQL ``source`` as SQLite statements, with prqlc's errors as diagnostics."""
    try:
        sql = prqlc.compile(source, _OPTIONS)
    except ValueError as err:
        return Compiled("prql", [], [_explained(str(err), source, schema, file)])
    except BaseException as err:  # a panic inside prqlc arrives as pyo3's PanicException
        if isinstance(err, KeyboardInterrupt | SystemExit):
            raise
        return Compiled("prql", [], [Diagnostic(
            code=codes.PRQL_COMPILE, message="the PRQL compiler crashed on this query", file=file,
            notes=[f"prqlc: {str(err).strip()[:200]}"],
            help=["this is a bug in prqlc; rephrase the query (plain ASCII names avoid the known one)"])])
    # prqlc writes SQLite: its `x + 'a'` is arithmetic, never T-SQL's concatenation.
    inner = compile_sql(sql, schema, file=file, vendors=False)
    found = [_compiled_to(_defined_nearby(_for_prql(_moved(d, sql, source)), source, schema), sql)
             for d in inner.diagnostics]
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
    return _compiled_to(_for_prql(_moved(diag, statement.sql, source)), statement.sql)


#: Characters of the compiled SQL a diagnostic shows.
SQL_SHOWN = 600


def _compiled_to(diag: Diagnostic, sql: str) -> Diagnostic:
    """``diag`` (found in the SQL prqlc made) with that SQL in a note: what ran is visible."""
    flat = " ".join(sql.split())
    shown = flat if len(flat) <= SQL_SHOWN else flat[: SQL_SHOWN - 1] + "…"
    return diag.model_copy(update={"notes": [*diag.notes, f"prqlc compiled the query to: {shown}"]})


#: Advice the SQL checker gives in SQL's terms, said in PRQL's (checked against prqlc by the tests).
_IN_PRQL = {
    "QUALIFY": "in PRQL, number the rows in a `group` step and filter after it: "
               "`group g (sort x | derive {r = row_number this}) | filter r == 1`",
    "COUNT(x)": "PRQL's `+` adds numbers; join text with an f-string: `f\"{a} {b}\"`",
}


def _for_prql(diag: Diagnostic) -> Diagnostic:
    """``diag``'s help in PRQL's terms where the SQL checker's names SQL-only syntax."""
    help_ = [next((said for word, said in _IN_PRQL.items() if word in h), h) for h in diag.help]
    return diag if help_ == diag.help else diag.model_copy(update={"help": help_})


def _compiles(source: str) -> str | None:
    """The SQL prqlc makes of ``source``, or None: the oracle that tells a repair works, and
    whether two repairs mean the same query."""
    try:
        return str(prqlc.compile(source, _OPTIONS))
    except BaseException as err:  # a panic arrives as pyo3's PanicException
        if isinstance(err, KeyboardInterrupt | SystemExit):
            raise
        return None


#: PRQL's standard library for SQLite (checked against prqlc by the tests): a bare name
#: that models write from SQL habit (``round``) lives in a module (``math.round``).
STD = {
    "math": ["abs", "floor", "ceil", "pi", "exp", "ln", "log10", "log", "sqrt", "degrees", "radians",
             "cos", "acos", "sin", "asin", "tan", "atan", "pow", "round"],
    "text": ["lower", "upper", "ltrim", "rtrim", "trim", "length", "extract", "replace", "starts_with",
             "contains", "ends_with"],
}
_MODULE_OF = {name: module for module, names in STD.items() for name in names}
_BARE = re.compile(r"Unknown name `(\w+)`|expected a function, but found `this\.(?:\w+\.)?(\w+)`")


def _defined_nearby(diag: Diagnostic, source: str, schema: Schema) -> Diagnostic:
    """An unknown column that is a slip for a name the PRQL query itself defined: prqlc takes
    an unknown name for a column of the table (and drops the unused derive), so only the
    SQL checker sees it, and it knows the table's columns, not the query's names."""
    if diag.code != codes.SQL_UNKNOWN_COLUMN or diag.span is None or diag.fixes:
        return diag
    start, end = diag.span.start.offset(source), diag.span.end.offset(source)
    word = source[start:end]
    query = Query.read(source, schema)
    close = difflib.get_close_matches(word, sorted(query.defined - {word}), n=1, cutoff=0.75)
    if not close:
        return diag
    fixed = source[:start] + close[0] + source[end:]
    fix = Fix(description=f"use `{close[0]}`", applicable=_compiles(fixed) is not None,
              edits=[TextEdit(span=diag.span, replacement=close[0])])
    return diag.model_copy(update={"help": [f"did you mean `{close[0]}`, which the query defines?",
                                            *diag.help], "fixes": [fix]})


#: A list of assignments after a transform that takes one: it needs braces.
_UNBRACED = re.compile(r"^(\s*(?:derive|select|aggregate)\s+)([^{\n][^\n]*,[^\n]*?)\s*$", re.M)


def _unbraced(diag: Diagnostic, source: str) -> Diagnostic:
    """prqlc's "unexpected ," after ``derive a = 1, b = 2``: several assignments need braces."""
    if diag.span is None or "unexpected ," not in diag.message:
        return diag
    line = diag.span.start.line
    for found in _UNBRACED.finditer(source):
        if Span.from_offsets(source, *found.span(2)).start.line != line:
            continue
        fixed = source[:found.start(2)] + "{" + found.group(2) + "}" + source[found.end(2):]
        opening, closing = found.start(2), found.end(2)
        fix = Fix(description="put the assignments in braces", applicable=_compiles(fixed) is not None,
                  edits=[TextEdit(span=Span.from_offsets(source, opening, opening), replacement="{"),
                         TextEdit(span=Span.from_offsets(source, closing, closing), replacement="}")])
        word = found.group(1).split()[0]
        return diag.model_copy(update={
            "help": [f"`{word}` takes one name or a tuple in braces: `{word} {{a = ..., b = ...}}`",
                     *diag.help], "fixes": [fix]})
    return diag


def _explained(text: str, source: str, schema: Schema, file: str) -> Diagnostic:
    """prqlc's error, with the misspelt name or the open bracket behind it found and mended."""
    diag = _unbraced(_from_prqlc(text, source, file), source)
    if diag.fixes:
        return diag
    bare = _BARE.search(diag.message)
    if bare and (name := bare.group(1) or bare.group(2)) in _MODULE_OF and diag.span is not None:
        return _in_module(diag, source, name)
    if "Unknown name `" in diag.message:
        return unknown_name(diag, text, source, schema, _compiles)
    if diag.message.startswith("Ambiguous name") and diag.span is not None:
        return _ambiguous(diag, text, source, schema)
    return unclosed_bracket(diag, source, _compiles)


def _in_module(diag: Diagnostic, source: str, name: str) -> Diagnostic:
    """``round`` where PRQL wants ``math.round``: say so, with the fix when the name is there."""
    assert diag.span is not None
    qualified = f"{_MODULE_OF[name]}.{name}"
    start, end = diag.span.start.offset(source), diag.span.end.offset(source)
    at = source.find(name, start, max(end, start + len(name)))
    fixes = []
    if at >= 0 and source[max(at - 1, 0):at] != ".":
        fixes.append(Fix(description=f"write `{qualified}`", applicable=True, edits=[
            TextEdit(span=Span.from_offsets(source, at, at + len(name)), replacement=qualified)]))
    return diag.model_copy(update={
        "message": f"`{name}` is `{qualified}` in PRQL",
        "label": f"PRQL keeps `{name}` in its `{_MODULE_OF[name]}` module",
        "notes": [*diag.notes, f"prqlc: {diag.message}"],
        "help": [f"write `{qualified}`; PRQL's {_MODULE_OF[name]} functions are "
                 + ", ".join(f"{_MODULE_OF[name]}.{n}" for n in STD[_MODULE_OF[name]])],
        "fixes": fixes})


def _ambiguous(diag: Diagnostic, text: str, source: str, schema: Schema) -> Diagnostic:
    """prqlc's "Ambiguous name" for a name no table has: after a join prqlc cannot tell a misspelt
    column from a column of either side, so it is repaired like an unknown name."""
    assert diag.span is not None
    word = source[diag.span.start.offset(source):diag.span.end.offset(source)]
    if not re.fullmatch(r"[A-Za-z_]\w*", word):
        return diag
    probe = diag.model_copy(update={"message": f"Unknown name `{word}`"})
    repaired = unknown_name(probe, text, source, schema, _compiles)
    if not repaired.fixes:
        return diag
    said = f"prqlc: {diag.message}" + "".join(f"; {n}" for n in diag.help)
    # prqlc's "could be any of: ev.countr, u.countr" names columns neither side has: only the note keeps it.
    return repaired.model_copy(update={
        "notes": [said if n == f"prqlc: {probe.message}" else n for n in repaired.notes],
        "help": [h for h in repaired.help if not h.startswith("could be any of")]})


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


def _loosely(extent: str) -> str | None:
    """A pattern for the PRQL that compiles to the SQL ``extent``: any quotes, any spaces, any qualifier."""
    tokens = re.findall(r"'(?:[^']|'')*'|\w+|\S", extent)
    if len(tokens) < 2:
        return None
    parts = []
    for token in tokens:
        if token.startswith("'"):
            parts.append(f"""["']{re.escape(token[1:-1].replace("''", "'"))}["']""")
        elif re.fullmatch(r"\w+", token):
            parts.append(rf"(?<![\w.])(?:\w+\.)?{re.escape(token)}(?!\w)")
        else:
            parts.append(re.escape(token))
    return r"\s*".join(parts)


def _moved(diag: Diagnostic, sql: str, source: str) -> Diagnostic:
    """``diag`` (about the compiled ``sql``) pointed at the same name in the PRQL ``source``.

    A name is looked for where PRQL code uses it (not in strings or comments),
    alone or after a relation alias (``i.sotck``, which SQL may write ``sotck``).
    A fix keeps its edits' applicability only when they land on distinct places
    that stand for the SQL ones: every PRQL use when the fix mends every SQL use,
    or the one PRQL use there is.
    """
    code = code_only(source)
    table = diag.code == codes.SQL_UNKNOWN_TABLE

    def word_at(span: Span) -> str:
        return sql[span.start.offset(sql) : span.end.offset(sql)].strip('"`')

    def places(word: str, text: str) -> list[tuple[int, int]]:
        if not word.strip():
            return []
        if table and text is not sql:  # a table is named by `from` or `join`, not as a column
            return [m.span(2) for m in RELATION.finditer(text) if m.group(2) == word]
        alone = [m.span() for m in re.finditer(rf"(?<![\w.]){re.escape(word)}(?!\w)", text)]
        return alone or [m.span() for m in re.finditer(rf"(?<=\w\.){re.escape(word)}(?!\w)", text)]

    def move(span: Span | None) -> Span | None:
        if span is None:
            return None
        word = word_at(span)
        found = places(word, code) or places(word, source)
        if not found and (loose := _loosely(word)):  # an expression: `a + '!'` is `a + "!"` in PRQL
            found = [m.span() for m in re.finditer(loose, source) if code[m.start()] == source[m.start()]][:1]
        return Span.from_offsets(source, *found[0]) if found else None

    span = move(diag.span)
    fixes = []
    for fix in diag.fixes:
        edits: list[TextEdit] = []
        applicable = fix.applicable
        for word in dict.fromkeys(word_at(e.span) for e in fix.edits):
            ours = [e for e in fix.edits if word_at(e.span) == word]
            there, in_code = places(word, code), True
            if not there:
                there, in_code = places(word, source), False
            if not there:
                break
            every = len(ours) >= len(places(word, sql))
            if not (every or len(there) == 1):
                there = there[:1]
                applicable = False
            applicable = applicable and in_code
            edits += [TextEdit(span=Span.from_offsets(source, a, b), replacement=ours[0].replacement)
                      for a, b in there]
            if len({e.replacement for e in ours}) > 1:
                applicable = False
        else:
            if edits:
                uses = f" (all {len(edits)} uses)" if len(edits) > 1 else ""
                description = _USES.sub("", fix.description) + uses
                fixes.append(Fix(description=description, edits=edits, applicable=applicable))
    labels, seen = [], {span}
    for label in diag.labels:  # SQL may repeat what PRQL says once: one label a place
        if (moved := move(label.span)) and moved not in seen:
            seen.add(moved)
            labels.append(label.model_copy(update={"span": moved}))
    return diag.model_copy(update={
        "span": span, "label": diag.label if span else "", "fixes": fixes, "labels": labels})
