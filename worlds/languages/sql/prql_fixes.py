"""Repairs for prqlc's errors: a misspelt name, a bracket left open.

prqlc knows nothing of the world's tables, so its "Unknown name" errors come
without suggestions, and its parse errors point where the parser gave up, not
where a bracket was left open. Here the PRQL text, the world's schema and
prqlc itself (as an oracle: does the repaired query compile?) turn such an
error into a diagnostic with an exact span and, when only one repair fits, an
applicable fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ...diagnostics import Diagnostic, Fix, Label, Span, TextEdit
from .schema import Schema
from .suggest import clear_best, nearest

#: Compiles PRQL: the SQL prqlc makes of it, or None when prqlc refuses it.
Compiles = Callable[[str], str | None]

_UNKNOWN = re.compile(r"Unknown name `([^`]+)`")
_AVAILABLE = re.compile(r"available columns: (.*)$")
_NAME = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
RELATION = re.compile(r"\b(?:from|join)\s+(?:side:\w+\s+)?(?:([A-Za-z_]\w*)\s*=\s*)?([A-Za-z_]\w*)")
_DEFINED = re.compile(r"(?<![\w.=!<>])([A-Za-z_]\w*)\s*=(?![=>])")
_MODULES = ("math", "text", "date")
_OPENERS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_MAX_TRIES = 60  # candidate places for a missing bracket, each checked by compiling


# -- the text: code, strings and comments ---------------------------------------------

def code_only(source: str) -> str:
    """``source`` with strings and comments blanked out (same length, newlines kept)."""
    kinds = _kinds(source)
    return "".join(ch if kind == "c" or ch == "\n" else " " for ch, kind in zip(source, kinds, strict=True))


def _kinds(source: str) -> str:
    """One letter a character of ``source``: ``c`` code, ``s`` string, ``#`` comment."""
    out = ["c"] * len(source)
    i, n = 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "#":
            end = source.find("\n", i)
            end, kind = (n if end < 0 else end), "#"
        elif ch in "\"'":
            quote = ch * 3 if source.startswith(ch * 3, i) else ch
            j = i + len(quote)
            while j < n and not source.startswith(quote, j):
                j += 2 if source[j] == "\\" else 1
            end, kind = min(j + len(quote), n), "s"
        else:
            i += 1
            continue
        out[i:end] = kind * (end - i)
        i = end
    return "".join(out)


@dataclass(frozen=True)
class Query:
    """What a PRQL query names: its relations, the tables they read, the names it defines."""

    source: str
    code: str
    aliases: dict[str, str]  # relation alias (or table name) -> the table or `let` it reads
    tables: list[str]  # schema tables the query reads, in order
    defined: set[str]  # names the query gives: derive/aggregate/select aliases, lets, relation aliases

    @classmethod
    def read(cls, source: str, schema: Schema) -> Query:
        code = code_only(source)
        aliases: dict[str, str] = {}
        tables: list[str] = []
        for found in RELATION.finditer(code):
            alias, target = found.group(1), found.group(2)
            aliases[alias or target] = target
            if target in schema.tables and target not in tables:
                tables.append(target)
        defined = {m.group(1) for m in _DEFINED.finditer(code)} | set(aliases)
        return cls(source, code, aliases, tables, defined)

    def columns(self, schema: Schema, tables: Iterable[str] | None = None) -> list[str]:
        names: list[str] = []
        for table in self.tables if tables is None else tables:
            names += [c.name for c in schema.tables[table].columns if c.name not in names]
        return names

    def occurrences(self, name: str) -> list[tuple[int, int]]:
        """Where ``name`` is used as a name (alone or after ``alias.``), outside strings and comments."""
        return [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", self.code)]


# -- unknown names ------------------------------------------------------------------

def unknown_name(diag: Diagnostic, text: str, source: str, schema: Schema, compiles: Compiles) -> Diagnostic:
    """prqlc's "Unknown name `x`" with a did-you-mean and, when only one name fits, an applicable fix."""
    found = _UNKNOWN.search(diag.message)
    if not found or diag.span is None:
        return diag
    query = Query.read(source, schema)
    full = found.group(1)
    parts = full.split(".")
    if parts[0] in ("this", "that") and len(parts) > 1:
        parts = parts[1:]
    available = [name for line in text.splitlines() if (m := _AVAILABLE.search(line))
                 for name in m.group(1).split(", ")]
    start, end = diag.span.start.offset(source), diag.span.end.offset(source)
    at = source.find(".".join(parts), start, max(end, start + len(full)))
    if at < 0:
        return diag
    note = f"prqlc: {diag.message}"
    if len(parts) > 2 or len(parts) == 2 and parts[0] in _MODULES:
        return diag  # a function of a module, or a name with two dots: nothing to suggest
    if len(parts) == 2 and parts[0] not in query.aliases and parts[0] not in schema.tables:
        return _qualifier(diag, query, parts, at, note, compiles)
    name = parts[-1]
    name_at = at + len(parts[0]) + 1 if len(parts) == 2 else at
    known = query.columns(schema) + sorted(query.defined)
    if name in known:
        shown = {a.rsplit(".", 1)[-1] for a in available}
        if not available or name in shown:  # prqlc lists no columns, or lists this one: not lost
            return diag.model_copy(update={"notes": [*diag.notes, note]})
        return _lost(diag, query, schema, name, available, note, compiles)
    scope = query.columns(schema)
    if len(parts) == 2 and query.aliases.get(parts[0]) in schema.tables:
        scope = query.columns(schema, [query.aliases[parts[0]]])
    pool = list(dict.fromkeys([a.rsplit(".", 1)[-1] for a in available] + scope + sorted(query.defined)))
    label = f"`{parts[0]}` has no column `{name}`" if len(parts) == 2 else f"no column or name `{name}` here"
    return _rename(diag, query, name, (name_at, name_at + len(name)), pool, note, compiles,
                   real=set(query.columns(schema)), label=label)


def _rename(diag: Diagnostic, query: Query, name: str, where: tuple[int, int], pool: list[str],
            note: str, compiles: Compiles, *, real: set[str], label: str) -> Diagnostic:
    """``name`` at ``where`` replaced by the one candidate of ``pool`` clearly nearest to it.

    A candidate only the query itself defines (not a column in ``real``) could
    as well be the misspelling, so the fix is applicable only when the query
    uses that name more often than ``name``: the majority spelling wins.
    """
    source = query.source
    pool = [p for p in pool if p != name]
    best = nearest(name, pool)
    span = Span.from_offsets(source, *where)
    notes = [*diag.notes, note] if note not in diag.notes else list(diag.notes)
    update: dict[str, object] = {"span": span, "label": label, "notes": notes}
    if not best:
        return diag.model_copy(update=update)
    fix = Fix(description=f"use `{best[0]}`", edits=[TextEdit(span=span, replacement=best[0])])
    help_ = [f"did you mean {' or '.join(f'`{b}`' for b in best[:2])}?"]
    majority = best[0] in real or len(query.occurrences(best[0])) > len(query.occurrences(name))
    if not majority:
        help_.append(f"or, if `{best[0]}` is the misspelling, rename it where the query defines it")
    safe = majority and clear_best(name, best) and compiles(fix.apply(source)) is not None
    update |= {"help": [*help_, *diag.help], "fixes": [fix.model_copy(update={"applicable": safe})]}
    return diag.model_copy(update=update)


def _qualifier(diag: Diagnostic, query: Query, parts: list[str], at: int, note: str,
               compiles: Compiles) -> Diagnostic:
    """``txet.lower``: the part before the dot names no relation; the nearest relation or module."""
    pool = [*query.aliases, *_MODULES]
    return _rename(diag, query, parts[0], (at, at + len(parts[0])), pool, note, compiles,
                   real=set(_MODULES), label=f"`{parts[0]}` names no relation nor module")


def _lost(diag: Diagnostic, query: Query, schema: Schema, name: str, available: list[str], note: str,
          compiles: Compiles) -> Diagnostic:
    """``name`` is real but gone from the relation: find the misspelt name an earlier step kept instead."""
    owners = [t for t in query.tables if schema.tables[t].column(name) is not None]
    real = query.columns(schema)
    known = sorted(set(real) | query.defined)
    suspects = [a.rsplit(".", 1)[-1] for a in available]
    suspects = [s for s in dict.fromkeys(suspects) if s not in known]
    culprits = [s for s in suspects if nearest(s, [name, *known])[:1] == [name]]
    where = f"a column of `{owners[0]}`" if owners else "a name this query defines"
    help_ = f"`{name}` is {where}, but an earlier step (select, group or aggregate) does not pass it on"
    base = diag.model_copy(update={"help": [help_, *diag.help], "notes": [*diag.notes, note]})
    if len(culprits) != 1:
        return base
    culprit = culprits[0]
    spots = query.occurrences(culprit)
    if not spots:
        return base
    edits = [TextEdit(span=Span.from_offsets(query.source, a, b), replacement=name) for a, b in spots]
    uses = f" (all {len(edits)} uses)" if len(edits) > 1 else ""
    fix = Fix(description=f"use `{name}`{uses}", edits=edits)
    pool = [name, *(k for k in known if k != culprit)]
    majority = name in real or len(query.occurrences(name)) > len(spots)
    safe = (majority and clear_best(culprit, nearest(culprit, pool))
            and compiles(fix.apply(query.source)) is not None)
    first = edits[0].span
    return Diagnostic(
        code=diag.code, message=f"no column named `{culprit}`", file=diag.file, span=first,
        label=f"not a column of {_listing(query.tables)}; did you mean `{name}`?",
        labels=[Label(span=diag.span, text=f"so `{name}` is unknown here")] if diag.span else [],
        notes=[*diag.notes, note], help=[f"did you mean `{name}`?", help_],
        fixes=[fix.model_copy(update={"applicable": safe})])


def _listing(tables: list[str]) -> str:
    return ", ".join(f"`{t}`" for t in tables) if tables else "the tables read"


# -- brackets -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Open:
    char: str
    at: int


def unclosed_bracket(diag: Diagnostic, source: str, compiles: Compiles) -> Diagnostic:
    """A parse error caused by a bracket left open: where it opens, and where its partner goes."""
    code, kinds = code_only(source), _kinds(source)
    found = _unclosed(code, kinds)
    if found is None:
        return diag
    opener, limit, by_indent = found
    closer = _OPENERS[opener.char]
    candidates = _places(kinds, code, opener.at, limit)
    made = {at: compiles(source[:at] + closer + source[at:]) for at in candidates[-_MAX_TRIES:]}
    tried_all = len(candidates) <= _MAX_TRIES
    working = [at for at, sql in made.items() if sql is not None]
    if not working and by_indent:
        return diag  # only the layout says the bracket is open, and no closer mends it: not sure
    note = f"prqlc: {diag.message}"
    update: dict[str, object] = {
        "message": f"`{opener.char}` is never closed",
        "span": Span.from_offsets(source, opener.at, opener.at + 1),
        "label": f"this `{opener.char}` has no `{closer}`",
        "notes": [*diag.notes, note],
        "labels": [], "fixes": [],
    }
    if not working:
        return diag.model_copy(update=update)
    at = working[-1]  # nearest the end of the bracketed part, where a closer usually goes
    meanings = {made[w] for w in working}  # places that compile to the same SQL mean the same
    fix = Fix(description=f"close it with `{closer}`",
              edits=[TextEdit(span=Span.from_offsets(source, at, at), replacement=closer)],
              applicable=len(meanings) == 1 and tried_all)
    place = Span.from_offsets(source, at, at)
    update |= {"fixes": [fix], "labels": [Label(span=place, text=f"`{closer}` expected here")],
               "help": [f"add `{closer}` where the bracketed part ends", *diag.help]}
    if len(meanings) > 1:
        update["help"] = [f"add `{closer}` where the bracketed part ends; closing it at "
                          f"{len(working)} places compiles, to {len(meanings)} different queries, "
                          "so check which one is meant", *diag.help]
    return diag.model_copy(update=update)


def _unclosed(code: str, kinds: str) -> tuple[_Open, int, bool] | None:
    """The bracket left open, the offset its partner must come before, and whether only the
    layout says so; None when all brackets pair up.

    A bracket is taken as left open when a closer of another kind arrives, when the
    text ends, or when a line starts a new step no further indented than the line
    that opened it (PRQL's brackets that span lines indent what they hold).
    """
    stack: list[_Open] = []
    line_start = 0
    for index, line in enumerate(code.split("\n")):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if index and stripped and stack and stripped[0] not in _CLOSERS:
            top = stack[-1]
            top_line = code.rfind("\n", 0, top.at) + 1
            top_indent = len(code[top_line:top.at]) - len(code[top_line:top.at].lstrip())
            if indent <= top_indent:
                return top, _line_end(code, kinds, line_start - 1), True
        for offset, ch in enumerate(line, line_start):
            if ch in _OPENERS:
                stack.append(_Open(ch, offset))
            elif ch in _CLOSERS:
                if not stack:
                    return None  # a closer too many: not a bracket left open
                if stack[-1].char != _CLOSERS[ch]:
                    return stack[-1], offset, False
                stack.pop()
        line_start += len(line) + 1
    if stack:
        return stack[-1], _line_end(code, kinds, len(code)), False
    return None


def _line_end(code: str, kinds: str, at: int) -> int:
    """The offset after the last code character (or string) before ``at``, past blanks and comments."""
    at = min(at, len(code))
    while at > 0 and (kinds[at - 1] == "#" or kinds[at - 1] == "c" and code[at - 1].isspace()):
        at -= 1
    return at


def _places(kinds: str, code: str, start: int, limit: int) -> list[int]:
    """Where a closer for the bracket at ``start`` may go: after each whole term before ``limit``.

    Brackets nested inside count too: with one closer missing, the closers that
    are there may belong to other openers than the ones they seem to close.
    """
    def blank(at: int) -> bool:  # a space or a comment; a string is a term
        return kinds[at] == "#" or kinds[at] == "c" and code[at].isspace()

    return [at + 1 for at in range(start + 1, limit)
            if not blank(at) and code[at] not in ",([{"
            and (at + 1 >= limit or blank(at + 1) or code[at + 1] in ",)]}")]
