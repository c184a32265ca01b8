"""Tools for agents: one pydantic model per tool, specs for each API, one dispatcher.

Each tool's arguments are one pydantic model; every spec format is generated
from it::

    specs(session, "openai")            Chat Completions  {"type": "function", "function": {...}}
    specs(session, "openai-responses")  Responses         {"type": "function", "name": ..., "strict": true}
    specs(session, "anthropic")         Messages          {"name", "description", "input_schema"}
    specs(session, "mcp")               MCP tools/list    {"name", "description", "inputSchema", ...}

The OpenAI formats use strict mode (the model's arguments always parse and fit
the schema): every property is listed as required, optional ones are nullable
(``"type": ["integer", "null"]``) and null means "not given". Anthropic and MCP
get the plain form: optional properties are simply not required. Every schema
is self-contained (no ``$ref``) and closed (``additionalProperties: false``).

``dispatch`` (``Session.call``/``Session.call_result``) accepts the arguments
as a dict or a JSON string and never raises for anything an agent can send:
a bad call is an answer whose text begins ``error:`` and says what to send.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from . import languages
from ._text import counted, size, utf8
from .diagnostics import Diagnostic, render_all
from .errors import SessionError, WorldsError
from .result import ROWS_SHOWN, RunResult

if TYPE_CHECKING:
    from .session import Session
    from .world import World

FORMATS = ("openai", "openai-responses", "anthropic", "mcp")
READ_LINES = 200  # lines of a file in one read_file answer
READ_CHARS = 30_000  # characters of a file in one read_file answer
LINE_CHARS = 2_000  # characters of one line in a read_file answer
SUMMARY_CHARS = 900  # characters of the world summary in a tool description


def _lang(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().lower()
        alias = next((c.name for c in languages.all_languages() if value in c.aliases), value)
        return alias or None
    return value


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


#: A language's name, as the registry knows them (a Literal, so every tool spec lists them).
if TYPE_CHECKING:
    Lang = str | None
else:
    Lang = Annotated[Literal[languages.names()] | None, BeforeValidator(_lang)]
OptionalPath = Annotated[str | None, BeforeValidator(_blank_is_none)]
NAMES = languages.or_list(list(languages.names()))
LANG_HELP = (f"{NAMES}; default: from the file's extension "
             f"({' '.join(e for c in languages.all_languages() for e in c.extensions)}), else js")


class ToolAnswer(BaseModel):
    """What a tool call did: the text for the model, and facts for a server.

    ``ok`` is false when the call was refused (``text`` begins ``error:``), the
    program failed, or ``check`` found errors. ``receipt`` is the run's receipt
    (runs only); ``changed`` the workspace files this call created, changed or deleted;
    ``diagnostics`` those of a run or check, as data (the text shows them rendered).
    """

    text: str
    ok: bool = True
    receipt: str | None = None
    changed: list[str] = Field(default_factory=list)
    diagnostics: list[Diagnostic] = Field(default_factory=list)


class Arguments(BaseModel):
    """Tool arguments: unknown ones are refused, so a misspelt name is never silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Describe(Arguments):
    lang: Lang = Field(None, description=f"only what this language needs: {NAMES}; omit for all")
    profile: bool | None = Field(None, description="add the full data profile: per column NULLs, "
                                                   "distinct values, ranges, commonest values and shapes; "
                                                   "repeated rows; keys that do not join")
    functions: str | None = Field(None, description="words to search the world's host functions for: "
                                                    "only their matching TypeScript declarations")


class ListFiles(Arguments):
    pass


class ReadFile(Arguments):
    path: str = Field(description="the file, relative to the world's root, e.g. main.js")
    start_line: int | None = Field(None, description="first line to show (1-based); default 1")
    end_line: int | None = Field(
        None, description=f"last line to show (inclusive); default: {READ_LINES} lines on from start_line")


class WriteFile(Arguments):
    path: str = Field(description="the workspace file to create or replace, e.g. main.js or out/report.csv")
    content: str = Field(description="the file's complete new text")


class EditFile(Arguments):
    path: str = Field(description="the workspace file to edit")
    old: str = Field(description="the exact text to replace; it must occur exactly once in the file")
    new: str = Field(description="the text to put in its place (empty to delete it)")


#: How far the run tool lets an agent raise its run's budget over the world's.
MAX_RAISE = 10


#: Rows of a query's result one run answer shows at most.
MAX_SHOWN_ROWS = 500


class Run(Arguments):
    path: OptionalPath = Field(None, description="a file to run, e.g. main.js; or give code instead")
    code: str | None = Field(None, description="program text to run; or give path instead")
    content: str | None = Field(None, description="with path: write this text to the file first, "
                                                    "then run it (one call instead of two)")
    lang: Lang = Field(None, description=LANG_HELP)
    max_rows: int | None = Field(None, description=f"rows of a query's result (or items of an array "
                                                   f"value) to show (default {ROWS_SHOWN}, at most "
                                                   f"{MAX_SHOWN_ROWS})")
    offset: int | None = Field(None, description="the first row (item, or line of a program's output) to "
                                                 "show, counted from 0 (default 0)")
    budget: int | None = Field(None, description=f"more budget for this run, when a budget diagnostic "
                                                 f"suggests it: fuel (js) or SQLite steps (sql, prql), "
                                                 f"up to {MAX_RAISE}x the world's; omit for the world's")


class Check(Arguments):
    path: OptionalPath = Field(None, description="a file to check, e.g. main.js; or give code instead")
    code: str | None = Field(None, description="program text to check; or give path instead")
    lang: Lang = Field(None, description=LANG_HELP)


@dataclass(frozen=True)
class Tool:
    """One tool: its name, argument model, description, an example call and its handler."""

    name: str
    model: type[Arguments]
    description: str
    example: dict[str, Any]
    handler: Callable[[Session, Any], ToolAnswer]
    read_only: bool
    title: str


# -- the tools ------------------------------------------------------------------------------------


def _describe(session: Session, args: Describe) -> ToolAnswer:
    if args.functions is not None:
        found = session.world.functions.declarations(args.functions)
        return ToolAnswer(text=found or f"no host function matches {args.functions!r}; the world has: "
                          + (", ".join(f.name for f in session.world.functions) or "none"))
    return ToolAnswer(text=session.world.describe(args.lang, profile=bool(args.profile)))


def _list_files(session: Session, args: ListFiles) -> ToolAnswer:
    inputs = list(session.world.files)  # an input the host replaced is listed with its new size
    work = sorted(p for p in session.files if p not in session.world.files)
    out = [f"inputs (read-only, {counted(len(inputs), 'file')}):"]
    out += _sized(inputs, {**session.world.files, **session.files}) or ["  (none)"]
    out.append(f"workspace ({counted(len(work), 'file')}):")
    out += _sized(work, session.files) or ["  (empty: write_file creates files here)"]
    return ToolAnswer(text="\n".join(out))


def _read_file(session: Session, args: ReadFile) -> ToolAnswer:
    data = session.read_bytes(args.path)
    path = session._clean(args.path)
    kind = "read-only input" if session.is_input(path) else "workspace file"
    try:
        text = data.decode()
    except UnicodeDecodeError:
        text = None
    if text is None or "\0" in text:
        return ToolAnswer(text=f"{path} ({kind}) is binary, {len(data):,} bytes, not text; "
                               "a program can read it with fs.readFileSync(path)")
    if not text:
        return ToolAnswer(text=f"{path} ({kind}) is empty")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    total = len(lines)
    first = 1 if args.start_line is None else args.start_line
    if first < 1:
        return _error("read_file", f"start_line {first} is not a line: lines are numbered from 1")
    if first > total:
        return _error("read_file", f"start_line {first} is past the end of {path}, "
                                   f"which has {counted(total, 'line')}")
    if args.end_line is not None and args.end_line < first:
        return _error("read_file", f"end_line {args.end_line} is before start_line {first}; "
                                   "send end_line >= start_line, or leave it out")
    last = min(total, args.end_line if args.end_line is not None else first + READ_LINES - 1,
               first + READ_LINES - 1)
    width = len(str(last))
    shown: list[str] = []
    used, stop = 0, last
    for n in range(first, last + 1):
        line = lines[n - 1].rstrip("\r")
        if len(line) > LINE_CHARS:
            line = line[:LINE_CHARS] + f" ... ({len(line) - LINE_CHARS:,} more characters on this line)"
        if used + len(line) > READ_CHARS and shown:
            stop = n - 1
            break
        used += len(line)
        shown.append(f"{n:>{width}} | {line}")
    whole = first == 1 and stop == total
    head = (f"{path} ({kind}, {counted(total, 'line')}, {counted(len(data), 'byte')})"
            + ("" if whole else f", lines {first}-{stop}") + ":")
    out = [head, *shown]
    asked = total if args.end_line is None else min(total, args.end_line)
    if stop < asked:
        example = json.dumps({"path": path, "start_line": stop + 1})
        out.append(f"... lines {stop + 1}-{asked} not shown; call read_file with {example} for more")
    return ToolAnswer(text="\n".join(out))


def _write_file(session: Session, args: WriteFile) -> ToolAnswer:
    path = session._clean(args.path)
    before = session.files.get(path)
    session.write(path, args.content)
    data = session.files[path]
    if before == data:
        return ToolAnswer(text=f"wrote {path} ({counted(len(data), 'byte')}, "
                               "unchanged: it already held this text)")
    how = "created" if before is None else "replaced"
    return ToolAnswer(text=f"wrote {path} ({counted(len(data), 'byte')}, {how})", changed=[path])


def _edit_file(session: Session, args: EditFile) -> ToolAnswer:
    path = session._clean(args.path)
    if args.old == args.new and args.old:
        return _error("edit_file", f"old and new are the same text, so {path} would not change; "
                                   "send in new the text that should replace old")
    line = session.edit(path, args.old, args.new)
    text = session.read(path)
    lines = text.split("\n") if text else []
    if text.endswith("\n"):
        lines.pop()
    old_last = line + args.old[:-1].count("\n")
    new_last = line + args.new[:-1].count("\n") if args.new else line - 1
    if not args.new:
        did = f"deleted text from {_lines(line, old_last)}"
    elif old_last == line == new_last:
        did = f"changed line {line}"
    else:
        did = (f"replaced {_lines(line, old_last)} ({counted(old_last - line + 1, 'line')}) with "
               f"{_lines(line, new_last)} ({counted(new_last - line + 1, 'line')})")
    low, high = max(1, line - 2), min(len(lines), max(new_last, line) + 2)
    high = min(high, low + 40)  # a long replacement: its start is enough
    width = len(str(high))
    around = [f"{n:>{width}} | {lines[n - 1]}" for n in range(low, high + 1)]
    head = (f"edited {path}: {did}; the file now has {counted(len(lines), 'line')}, "
            f"{counted(len(utf8(text)), 'byte')}" + (". Around the edit:" if around else ""))
    return ToolAnswer(text="\n".join([head, *around]), changed=[path])


def _run(session: Session, args: Run) -> ToolAnswer:
    problem = _one_program("run", args.path, args.code) or _rows_asked(args)
    if problem is not None:
        return problem
    lang, note = _language(args.code, args.lang, "run")
    limits = None
    if args.budget is not None:
        limits, problem = _raised(session, args, lang)
        if problem is not None:
            return problem
    wrote: ToolAnswer | None = None
    if args.content is not None:
        if args.path is None:
            return _error("run", "`content` is written to `path` before the run: send both, for example "
                                 + json.dumps({"path": "main.sql", "content": "SELECT 1;"}))
        wrote = _write_file(session, WriteFile(path=args.path, content=args.content))
    result = session.run(args.path, code=args.code, lang=lang, limits=limits)
    shown = result.model_copy(update={"changes": []}) if result.changes else result
    rows, offset = args.max_rows or ROWS_SHOWN, args.offset or 0
    # No wall time in what the model reads: the same run gives the same answer, byte for byte.
    out = [text for text in (wrote.text if wrote else "", note) if text]
    out.append(shown.render(timing=False, rows=rows, offset=offset))
    more = _more_rows(result, rows, offset)
    if more:
        out.append(more)
    if not result.ok:
        out.append("no files changed: the run failed, so anything it wrote was discarded")
    elif result.changes:
        out.append("files changed by this run (now in the workspace):\n" + "\n".join(
            f"  {c.kind:<8} {c.path}" + (f" ({counted(c.size, 'byte')})" if c.kind != "deleted" else "")
            for c in result.changes))
    else:
        out.append("no files changed" + (" by the run" if wrote else ""))
    entry = session.history[-1]
    out.append(f"run #{len(session.history)} in this session's history: {entry.target} ({entry.lang})")
    changed = list(dict.fromkeys((wrote.changed if wrote else []) + list(entry.changed)))
    return ToolAnswer(text="\n\n".join(out), ok=result.ok, receipt=result.receipt,
                      changed=changed, diagnostics=list(result.diagnostics))


def _rows_asked(args: Run) -> ToolAnswer | None:
    if args.max_rows is not None and not 1 <= args.max_rows <= MAX_SHOWN_ROWS:
        return _error("run", f"max_rows must be between 1 and {MAX_SHOWN_ROWS}, not {args.max_rows}; "
                             "for more, page with offset or aggregate in the query")
    if args.offset is not None and args.offset < 0:
        return _error("run", f"offset counts rows from 0, so it cannot be {args.offset}")
    return None


def _more_rows(result: RunResult, rows: int, offset: int) -> str:
    """How to see the rest of a query's rows, when some were not shown."""
    table = result.table
    if table is None:
        items = result.value if isinstance(result.value, list) else None
        if items is not None and offset + rows < len(items) and \
                len(json.dumps(items, ensure_ascii=False)) > 400:
            return (f"to see more items, run again with offset={offset + rows}"
                    + (f" (and max_rows up to {MAX_SHOWN_ROWS})" if rows < MAX_SHOWN_ROWS else ""))
        return ""
    kept = len(table.rows)
    after = offset + rows
    if after >= kept:
        if kept < table.row_count and after < table.row_count + rows:
            return (f"rows after the first {kept:,} are counted, not kept: add ORDER BY ... "
                    f"LIMIT/OFFSET to the query to see others")
        return ""
    return (f"to see more rows, run again with offset={after}"
            + (f" (and max_rows up to {MAX_SHOWN_ROWS})" if rows < MAX_SHOWN_ROWS else ""))


def _raised(session: Session, args: Run, lang: str | None) -> tuple[dict[str, int], ToolAnswer | None]:
    """The run's limits for ``args.budget``: the budget of its language, and the wall-clock
    limit raised in proportion; or why the budget is refused."""
    found = languages.by_extension(args.path) if lang is None and args.path is not None else None
    name = (found or languages.get(lang or "js")).budget
    base = getattr(session.world.limits, name)
    budget = args.budget or 0
    if not 0 < budget <= MAX_RAISE * base:
        return {}, ToolAnswer(text=f"error: run: budget must be between 1 and {MAX_RAISE * base:_} "
                                   f"({MAX_RAISE}x this world's {name} of {base:_})", ok=False)
    wall = session.world.limits.wall_ms
    return {name: budget, "wall_ms": min(MAX_RAISE * wall, max(wall, wall * budget // base))}, None


def _check(session: Session, args: Check) -> ToolAnswer:
    problem = _one_program("check", args.path, args.code)
    if problem is not None:
        return problem
    lang, note = _language(args.code, args.lang, "checked")
    diagnostics = session.check(args.path, code=args.code, lang=lang)
    if session.diagnostics == "raw":
        return ToolAnswer(text="not checked: this session reports errors only when a program runs, "
                               "in the engine's own words; use run")
    if args.code is not None:
        name, source = "<code>", args.code
    else:
        name = session._clean(args.path or "")
        source = session.read(name)
    note = f"\n\n{note}" if note else ""
    if not diagnostics:
        return ToolAnswer(text=f"no problems found in {name} (checked without running it: syntax, names, "
                               f"tables, columns, files and excluded features; only run shows its output)"
                               f"{note}")
    errors = sum(d.severity == "error" for d in diagnostics)
    tally = [counted(errors, "error") if errors else "no errors"] + [
        counted(n, kind) for kind in ("warning", "note")
        if (n := sum(d.severity == kind for d in diagnostics))]
    text = (render_all(diagnostics, {name: source})
            + f"\n\n{', '.join(tally)} in {name} (checked without running it){note}")
    return ToolAnswer(text=text, ok=errors == 0, diagnostics=list(diagnostics))


def _language(code: str | None, lang: str | None, verb: str) -> tuple[str | None, str]:
    """The language for ``code`` given without one: SQL when it can only be SQL, said in a note."""
    claimed = next((c for c in languages.all_languages() if c.claims(code)), None) \
        if lang is None and code is not None else None
    if claimed is not None:
        return claimed.name, (f"note: no lang was given and this code reads as {claimed.title}, "
                              f"so it was {verb} as {claimed.name}")
    return lang, ""


def _one_program(tool: str, path: str | None, code: str | None) -> ToolAnswer | None:
    if path is not None and code is not None:
        return _error(tool, f"send either `path` (a file to {tool}) or `code` (program text), not both; "
                            f"for example {json.dumps({'path': 'main.js'})}")
    if path is None and code is None:
        return _error(tool, f"send `path` (a file to {tool}) or `code` (program text to {tool}); "
                            f"for example {json.dumps({'path': 'main.js'})} or "
                            f"{json.dumps({'code': 'console.log(1 + 2)'})}")
    return None


TOOLS: dict[str, Tool] = {tool.name: tool for tool in [
    Tool("describe", Describe,
         "Show the world card: every input file with its columns and sample rows, the tables SQL "
         "sees (as CREATE TABLE with sample rows and, beside each column, its NULLs, distinct values "
         "and range), keys that do not join, the functions SQL has, the clock (now), the seed, the "
         "limits and the JS API as TypeScript declarations. Call it first.",
         {"lang": "sql"}, _describe, True, "World card"),
    Tool("list_files", ListFiles,
         "List the files: the world's inputs (read-only) and your workspace files (written by "
         "you or by your programs), with sizes.",
         {}, _list_files, True, "List files"),
    Tool("read_file", ReadFile,
         f"Read a file (an input or a workspace file) as numbered lines `N | text`. Long files "
         f"come {READ_LINES} lines at a time: give start_line and end_line (1-based, inclusive) "
         "for other lines. The line numbers are not part of the file.",
         {"path": "main.js", "start_line": 1, "end_line": 40}, _read_file, True, "Read a file"),
    Tool("write_file", WriteFile,
         "Create or replace a workspace file with the complete text given. Inputs are read-only: "
         "write a new file instead. Folders are created as needed. The answer says the size and "
         "whether the file was created or replaced.",
         {"path": "main.js", "content": "console.log('hello');\n"}, _write_file, False, "Write a file"),
    Tool("edit_file", EditFile,
         "Replace one exact piece of text in a workspace file. `old` must occur exactly once: copy "
         "it from read_file without the line numbers, with enough surrounding lines to be unique. "
         "The answer shows the edited lines; if `old` is missing or not unique, nothing changes "
         "and the answer shows the nearest match or every place it occurs.",
         {"path": "main.js", "old": "totl", "new": "total"}, _edit_file, False, "Edit a file"),
    Tool("run", Run,
         "Run a program and get its output, its value (or the rows of a query), the files it "
         "created, changed or deleted (they join the workspace), diagnostics with exact locations "
         "and fixes, and a receipt. Give `path` (a file; the language comes from its extension) "
         "or `code` (program text; lang defaults to js, or sql for code that can only be SQL). "
         "JS: modern JavaScript with Node's fs, path and console, and readCSV/writeCSV/readJSON/"
         "writeJSON helpers; input files are read-only. SQL: each CSV/TSV/JSON/JSONL file is a "
         "table named after it; SQLite, Postgres, DuckDB, MySQL, SQL Server or Oracle spelling; "
         "runs roll back. Runs are deterministic; a failed run changes no files. With `path` and "
         "`content`, the file is written first, then run. A query shows 20 rows: page with "
         "`offset` and `max_rows`.",
         {"path": "main.js"}, _run, False, "Run a program"),
    Tool("check", Check,
         "Check a program for errors without running it (fast, static): syntax, unknown names, "
         "unknown tables or columns, features the sandbox excludes, missing files. Give `path` or "
         "`code` as for run. The answer is the diagnostics, or `no problems found`.",
         {"code": "SELECT region, SUM(units) FROM sales GROUP BY 1", "lang": "sql"},
         _check, True, "Check a program"),
]}

#: The tool whose description carries the world summary (once: every description is in the prompt).
_WITH_SUMMARY = ("describe",)


# -- specs ------------------------------------------------------------------------------------------


def specs(session: Session, format: str = "openai") -> list[dict[str, Any]]:
    """The tool specs of ``session`` for ``format`` (one of :data:`FORMATS`)."""
    if format not in FORMATS:
        raise SessionError(f"unknown tool format {format!r}; formats: {', '.join(FORMATS)}")
    summary = world_summary(session.world)
    strict = format.startswith("openai")
    out: list[dict[str, Any]] = []
    for tool in TOOLS.values():
        description = tool.description + (f"\n\n{summary}" if tool.name in _WITH_SUMMARY else "")
        schema = parameters(tool.model, strict=strict)
        if format == "openai":
            out.append({"type": "function", "function": {
                "name": tool.name, "description": description, "parameters": schema, "strict": True}})
        elif format == "openai-responses":
            out.append({"type": "function", "name": tool.name, "description": description,
                        "parameters": schema, "strict": True})
        elif format == "anthropic":
            out.append({"name": tool.name, "description": description, "input_schema": schema})
        else:
            out.append({"name": tool.name, "description": description, "inputSchema": schema,
                        "annotations": {"title": tool.title, "readOnlyHint": tool.read_only,
                                        "destructiveHint": not tool.read_only,
                                        "idempotentHint": tool.name != "run",
                                        "openWorldHint": False}})
    return out


def parameters(model: type[BaseModel], *, strict: bool) -> dict[str, Any]:
    """The JSON schema of ``model``'s arguments: closed, self-contained, strict or plain."""
    raw = model.model_json_schema()
    if "$defs" in raw:
        raise TypeError(f"{model.__name__}: tool arguments must not need $defs")
    properties: dict[str, Any] = {}
    for name, prop in raw.get("properties", {}).items():
        base, nullable = _without_null(prop)
        properties[name] = _nullable(base) if strict and nullable else base
    required = list(properties) if strict else list(raw.get("required", []))
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _without_null(prop: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    options = prop.get("anyOf")
    nullable = False
    if options is not None:
        kept = [o for o in options if o.get("type") != "null"]
        nullable = len(kept) < len(options)
        base = dict(kept[0]) if len(kept) == 1 else {"anyOf": kept}
    else:
        base = {k: v for k, v in prop.items() if k not in ("title", "default", "description")}
    base.pop("title", None)
    if "description" in prop:
        base["description"] = prop["description"]
    return base, nullable


def _nullable(base: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    if isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        return out
    description = out.pop("description", None)
    return {"anyOf": [out, {"type": "null"}], **({"description": description} if description else {})}


def world_summary(world: World) -> str:
    """A few lines naming the world, its input files and its tables, for tool descriptions."""
    lines = [f"World `{world.name}` (now {world.now_text}, seed {world.seed})"
             + (f": {_first_sentence(world.description)}" if world.description else ".")]
    files = list(world.files)
    lines.append(f"Input files (read-only): {_names(files, 15)}." if files else "No input files.")
    try:
        tables = list(world.schema().tables.values())
    except Exception:  # noqa: BLE001 - a description must not fail; describe reports the problem
        tables = []
    if tables:
        shown = [f"{t.name}({_names([c.name for c in t.columns], 12)})" for t in tables[:10]]
        more = f", ... and {len(tables) - 10} more" if len(tables) > 10 else ""
        lines.append(f"SQL tables: {', '.join(shown)}{more}.")
    lines.append("Call describe for columns, types and sample rows.")
    text = "\n".join(lines)
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS - 40].rstrip() + " ... (call describe)"


def _first_sentence(text: str) -> str:
    first = text.strip().split("\n")[0]
    return first if len(first) <= 160 else first[:159] + "…"


def _names(names: list[str], limit: int) -> str:
    more = f", ... {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


# -- dispatch ---------------------------------------------------------------------------------------


def dispatch(session: Session, name: Any, arguments: Any) -> ToolAnswer:
    """Carry out tool ``name`` with ``arguments`` (a dict, a JSON string or None). Never raises."""
    tool = TOOLS.get(name) if isinstance(name, str) else None
    if tool is None:
        return _unknown_tool(name)
    try:
        args = _arguments(tool, arguments)
        if isinstance(args, ToolAnswer):
            return args
        return tool.handler(session, args)
    except WorldsError as err:
        return _error(tool.name, str(err))
    except RecursionError:
        return _error(tool.name, "the arguments are nested too deeply; send a flat JSON object "
                                 f"such as {json.dumps(tool.example)}")
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as err:  # noqa: BLE001 - never into the agent's loop; Rust panics are BaseException
        return _error(tool.name, f"the tool failed inside worlds ({type(err).__name__}: {err}); this is a "
                                 "bug in worlds, not in what you sent; try another way")


def _arguments(tool: Tool, arguments: Any) -> Arguments | ToolAnswer:
    data = arguments
    if isinstance(arguments, str | bytes | bytearray):
        text = arguments.decode(errors="replace") if isinstance(arguments, bytes | bytearray) else arguments
        if not text.strip():
            data = None
        else:
            try:
                data = json.loads(text, strict=False)  # strict=False: raw newlines inside strings
            except ValueError as err:
                return _error(tool.name, f"the arguments are not valid JSON ({err}); send one JSON object "
                                         f"such as {json.dumps(tool.example)}")
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        return _error(tool.name, f"the arguments must be a JSON object such as {json.dumps(tool.example)}, "
                                 f"not {_json_kind(data)}")
    data = {str(k): v for k, v in data.items()}
    try:
        return tool.model.model_validate(data)
    except ValidationError as err:
        return _error(tool.name, _problems(tool, err))


def _problems(tool: Tool, err: ValidationError) -> str:
    schema = parameters(tool.model, strict=False)
    fields = list(schema["properties"])
    required = set(schema["required"])
    parts: list[str] = []
    seen: set[str] = set()
    for e in err.errors(include_url=False):
        field = str(e["loc"][0]) if e["loc"] else "arguments"
        if field in seen:
            continue
        seen.add(field)
        prop = schema["properties"].get(field, {})
        if e["type"] == "missing" or (e.get("input") is None and field in required):
            parts.append(f"missing argument `{field}` ({prop.get('description', 'required')})")
        elif e["type"] == "extra_forbidden":
            close = [f for f in fields if f.replace("_", "") in field.lower().replace("_", "")
                     or field.lower().replace("_", "") in f.replace("_", "")]
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            parts.append(f"unknown argument `{field}`{hint}")
        else:
            parts.append(f"argument `{field}` must be {_expected(prop)}, not {_shown(e.get('input'))}")
    takes = ("takes no arguments" if not fields else "takes " + ", ".join(
        f"`{f}`" + ("" if f in required else " (optional)") for f in fields))
    return f"{'; '.join(parts)}. {tool.name} {takes}; for example {json.dumps(tool.example)}"


def _expected(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return "one of " + ", ".join(json.dumps(v) for v in prop["enum"])
    kind = prop.get("type")
    return {"string": "a string", "integer": "an integer", "number": "a number",
            "boolean": "true or false"}.get(kind if isinstance(kind, str) else "", "a valid value")


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array" if isinstance(value, list | tuple) else f"a {type(value).__name__}"


def _unknown_tool(name: Any) -> ToolAnswer:
    import difflib
    listed = ", ".join(TOOLS)
    shown = _shown(name) if not isinstance(name, str) else f"`{name[:60]}`"
    close = difflib.get_close_matches(name.lower(), list(TOOLS), n=1) if isinstance(name, str) else []
    hint = f" (did you mean `{close[0]}`?)" if close else ""
    return ToolAnswer(text=f"error: no tool {shown}{hint}; the tools are {listed}", ok=False)


def _error(tool: str, message: str) -> ToolAnswer:
    return ToolAnswer(text=f"error: {tool}: {message}", ok=False)


# -- text helpers -----------------------------------------------------------------------------------


def _lines(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def _sized(paths: list[str], files: Mapping[str, bytes]) -> list[str]:
    width = max((len(p) for p in paths), default=0)
    return [f"  {p.ljust(width)}  {counted(len(files[p]), 'byte')}"
            + (f" ({size(len(files[p]))})" if len(files[p]) >= 1024 else "") for p in paths]
