"""What a run returns: ``RunResult`` and its parts, and the receipt.

``str(result)`` is what an agent reads; ``result.to_json()`` is the
deterministic machine form (it leaves out wall time, the one thing that
differs between identical runs, unless ``timing=True``).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from . import languages
from .diagnostics import Diagnostic, render_all
from .errors import SessionError

STDOUT_SHOWN = 4_000  # characters of stdout in the agent-facing text
ROWS_SHOWN = 20  # rows of a SQL result in the agent-facing text
CELL_SHOWN = 200  # characters of one cell (agents read ids, names and messages whole)
SLOW_MS = 1000  # a run this slow says where its time went


class Table(BaseModel):
    """A SQL result: column names and rows; ``row_count`` counts rows left out too."""

    columns: list[str]
    rows: list[list[Any]]
    row_count: int = 0


class FileChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: str
    kind: Literal["created", "modified", "deleted"]
    size: int


class Phase(BaseModel):
    """One part of a run's wall time: loading tables, checking the code, running it."""

    ms: float
    rows: int | None = Field(default=None, description="rows loaded (load) or returned (run)")


class RunStats(BaseModel):
    fuel: int = Field(description="instructions used (deterministic)")
    wall_ms: float = Field(description="wall-clock time of the run")
    memory_bytes: int = Field(description="guest linear memory at the end of the run")
    budget: int | None = Field(default=None, description="the run's budget: fuel (JS) or SQLite steps (SQL)")
    phases: dict[str, Phase] = Field(
        default_factory=dict, description="where the wall time went: load (tables, when this run "
                                          "loaded them), start (a new engine), check, run")


class RunResult(BaseModel):
    """The outcome of one run. ``ok`` is true when no diagnostic is an error."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    lang: str
    stdout: str = ""
    stderr: str = ""
    value: Any = None
    table: Table | None = None
    results: list[Table] = Field(default_factory=list, description="the results of a run's queries "
                                 "before the last (whose result is `table`, the answer)")
    files: dict[str, bytes] = {}
    changes: list[FileChange] = []
    diagnostics: list[Diagnostic] = []
    stats: RunStats
    receipt: str = ""
    calls: list[dict[str, Any]] = Field(
        default_factory=list, description="the tape: every host function call in order, "
                                          "{id, name, args, value | error}")
    pending: list[dict[str, Any]] = Field(
        default_factory=list, description="calls the run is suspended at: {id, name, args, reason}")
    suspended_state: bytes = Field(default=b"", exclude=True, repr=False)
    sources: dict[str, str] = Field(default_factory=dict, exclude=True, repr=False)
    _resumer: Callable[[bytes, Mapping[str, Any]], RunResult] | None = PrivateAttr(default=None)

    @property
    def ok(self) -> bool:
        return not self.pending and not any(d.severity == "error" for d in self.diagnostics)

    @property
    def status(self) -> Literal["ok", "failed", "suspended"]:
        """``suspended`` while calls await an answer (see :meth:`resume`)."""
        return "suspended" if self.pending else "ok" if self.ok else "failed"

    def resume(self, answers: Mapping[str, Any]) -> RunResult:
        """Continue a suspended run: ``answers`` maps a pending call's id to the value it returns
        (an exception instance is thrown at the call instead)."""
        if self._resumer is None or not self.suspended_state:
            raise SessionError("this run is not suspended: there is nothing to resume")
        return self._resumer(self.suspended_state, answers)

    def approve(self, *call_ids: str) -> RunResult:
        """Continue a suspended run, calling the host functions of the pending calls now."""
        from .host.bridge import APPROVE
        return self.resume({call_id: APPROVE for call_id in call_ids or [p["id"] for p in self.pending]})

    def deny(self, call_id: str, reason: str = "denied") -> RunResult:
        """Continue a suspended run with an Error thrown at the pending call."""
        return self.resume({call_id: PermissionError(reason)})

    def to_json(self, *, timing: bool = False) -> dict[str, Any]:
        data = self.model_dump(mode="json", exclude={"files", "stats"})
        for key in ("calls", "pending", "results"):  # only runs that have them carry them
            if not data[key]:
                del data[key]
        data["ok"] = self.ok
        data["files"] = {path: _file_json(content) for path, content in self.files.items()}
        # Wall time and memory depend on the machine and on what ran before (a warm
        # SQL guest keeps its memory), not on the run; they are left out by default.
        data["stats"] = self.stats.model_dump(
            exclude=set() if timing else {"wall_ms", "memory_bytes", "phases"})
        return data

    def render(self, *, color: bool = False, timing: bool = True, rows: int = ROWS_SHOWN,
               offset: int = 0) -> str:
        """The result as text; ``timing=False`` leaves out wall time, so equal runs read the same.
        A query's rows are shown from ``offset``, ``rows`` of them."""
        out = []
        if self.diagnostics:
            out.append(render_all(self.diagnostics, self.sources, color=color))
        # A program's output is paged by lines with ``offset``, as a query's rows are.
        paged = offset if self.table is None else 0
        for name, text in (("stdout", self.stdout), ("stderr", self.stderr)):
            if text:
                out.append(f"{name}:\n{_cut(text, paged if name == 'stdout' else 0)}")
        if self.table is not None:
            count = len(self.results) + 1
            for n, earlier in enumerate(self.results, 1):
                out.append(f"result {n} of {count}:\n" + render_table(earlier, min(rows, ROWS_SHOWN)))
            out.append((f"result {count} of {count} (the answer):\n" if self.results else "")
                       + render_table(self.table, rows, offset))
        elif self.value is not None:
            out.append(_value_text(self.value, rows, offset))
        if self.calls:
            out.append(_calls_text(self.calls))
        if self.pending:
            out.append("suspended, awaiting an answer:\n" + "\n".join(
                f"  {p['id']} {call_text(p['name'], p['args'])}: {p['reason']}" for p in self.pending)
                + "\nthe run goes on from this call once the host answers it (a person approves or denies "
                  "it); nothing it wrote is kept until then")
        if self.changes:
            out.append("files:\n" + "\n".join(
                f"  {c.kind:<8} {c.path} ({c.size} bytes)" if c.kind != "deleted"
                else f"  {c.kind:<8} {c.path}" for c in self.changes))
        status: str = self.status
        errors = sum(d.severity == "error" for d in self.diagnostics)
        if errors:
            status += f" with {errors} error{'s' if errors > 1 else ''}"
        label = languages.get(self.lang).budget_label
        if label == "fuel":
            fuel = f"fuel {self.stats.fuel:,}"
        else:  # steps count in thousands: a run under a thousand says so
            fuel = f"{label} {self.stats.fuel:,}" if self.stats.fuel else f"{label} < 1,000"
        if self.stats.budget:
            fuel += f" of {self.stats.budget:,}"
        took = f" in {self.stats.wall_ms:.1f} ms" if timing else ""
        if timing and self.stats.wall_ms >= SLOW_MS and self.stats.phases:
            took += " (" + ", ".join(
                f"{name} {p.ms:,.0f} ms" + (f" for {p.rows:,} rows" if name == "load" and p.rows else "")
                for name, p in self.stats.phases.items()) + ")"
        out.append(f"{status}{took}, {fuel}, receipt {self.receipt[:16]}")
        return "\n\n".join(out)

    def __str__(self) -> str:
        return self.render()


def render_table(table: Table, limit: int = ROWS_SHOWN, offset: int = 0) -> str:
    """``table`` as aligned text: ``limit`` rows from ``offset``, then a count of the rest."""
    rows = table.rows[offset: offset + limit]
    shown = [[_cell_text(v) for v in row] for row in rows]
    heads = [_clip(c) for c in table.columns]
    widths = [max([len(h)] + [len(r[i]) for r in shown]) for i, h in enumerate(heads)]
    numeric = [all(isinstance(row[i], int | float) or row[i] is None for row in rows)
               and any(isinstance(row[i], int | float) for row in rows)
               for i in range(len(heads))]

    def line(cells: list[str]) -> str:
        return " | ".join(c.rjust(w) if num else c.ljust(w)
                          for c, w, num in zip(cells, widths, numeric, strict=True)).rstrip()

    lines = [line(heads), "-+-".join("-" * w for w in widths)] + [line(r) for r in shown]
    total = max(table.row_count, len(table.rows))
    after = total - offset - len(shown)
    if offset == 0 and after <= 0:
        lines.append(f"({total} row{'s' if total != 1 else ''})")
    elif offset == 0:
        lines.append(f"... {after:,} more rows ({total:,} in all)")
    elif shown:
        lines.append(f"(rows {offset + 1:,} to {offset + len(shown):,} of {total:,}"
                     + (f"; {after:,} more)" if after > 0 else ")"))
    else:
        kept = len(table.rows)
        lines.append(f"(no rows from {offset + 1:,}: {total:,} in all"
                     + (f", of which the first {kept:,} are kept" if total > kept else "") + ")")
    return "\n".join(lines)


def _cell_text(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{value:.1f}"
    return _clip(str(value))


def _clip(text: str) -> str:
    text = text.replace("\n", "\\n")
    return text if len(text) <= CELL_SHOWN else text[: CELL_SHOWN - 1] + "…"


def _file_json(content: bytes) -> str | dict[str, str]:
    try:
        return content.decode()
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(content).decode()}


def _cut(text: str, skip: int = 0) -> str:
    """``text`` from line ``skip`` (counted from 0), cut at :data:`STDOUT_SHOWN` characters with
    the line to page from."""
    head = ""
    if skip:
        lines = text.split("\n")
        head = f"(from line {skip + 1} of {len(lines) - (lines[-1] == '')})\n"
        text = "\n".join(lines[skip:])
    if len(text) <= STDOUT_SHOWN:
        return head + text.rstrip("\n")
    end = text.rfind("\n", 0, STDOUT_SHOWN) + 1 or STDOUT_SHOWN  # whole lines, when a line ends in time
    lines_cut = text[end:].count("\n") + (not text.endswith("\n"))
    next_line = skip + text[:end].count("\n")
    if end == STDOUT_SHOWN:  # one line longer than the page: paging by lines cannot show the rest
        long = len(text.split("\n", 1)[0])
        return (head + text[:end] + f"\n... the line goes on for {long - end:,} more characters; print it "
                "in parts to see it all, one item a line: "
                "`for (const r of rows) console.log(JSON.stringify(r))`")
    return (head + text[:end].rstrip("\n") + f"\n... {len(text) - end} more characters ({lines_cut} lines) "
            f"cut; run again with offset={next_line} to see them from line {next_line + 1}")


def _value_text(value: Any, rows: int, offset: int) -> str:
    """A value as JSON; a long array one item a line, ``rows`` of them from ``offset``."""
    shown = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, list) or (len(shown) <= 400 and not offset):
        return "value: " + (shown if len(shown) <= 400 else shown[:400] + " ... (cut)")
    items = value[offset: offset + rows]
    first = f"items {offset + 1} to {offset + len(items)}" if items else f"no items from {offset + 1}"
    return f"value: an array of {len(value):,} items; {first}:\n" + "\n".join(
        "  " + _clip_line(json.dumps(item, ensure_ascii=False)) for item in items)


def _clip_line(text: str, width: int = 400) -> str:
    return text if len(text) <= width else text[:width] + " ... (cut)"


def _calls_text(calls: list[dict[str, Any]], shown: int = 3) -> str:
    """The tape as an agent reads it: how many calls of each function, the first few and any that
    failed, a line each (a working program's log is noise; its failures are not)."""
    counts: dict[str, int] = {}
    for call in calls:
        counts[call["name"]] = counts.get(call["name"], 0) + 1
    head = f"host calls ({len(calls):,}" + (": " + ", ".join(f"{n} {c:,}" for n, c in counts.items())
                                          if len(counts) > 1 or len(calls) > shown else "") + "):"
    failed = [c for c in calls[shown:] if "error" in c][:shown]
    lines = [_call_line(call) for call in calls[:shown]]
    if len(calls) > shown:
        lines.append(f"  ... {len(calls) - shown:,} more (RunResult.calls holds them all)"
                     + ("; of those, failed:" if failed else ""))
    lines += [_call_line(call) for call in failed]
    return head + "\n" + "\n".join(lines)


def _call_line(call: dict[str, Any]) -> str:
    got = (f"threw {call['error']['message']}" if "error" in call
           else "→ " + json.dumps(call.get("value"), ensure_ascii=False))
    return _clip_line(f"  {call['id']} {call_text(call['name'], call['args'])} {got}", 120)


def call_text(name: str, args: list[Any], *, width: int = 0) -> str:
    """A host call as the program wrote it, ``crm.findCustomer({"id": 3})``; ``width``: its
    arguments cut to that many characters."""
    inner = ", ".join(json.dumps(a, ensure_ascii=False) for a in args)
    if width and len(inner) > width:
        inner = inner[: width - 3] + "..."
    return f"{name}({inner})"


def receipt(*, engines: dict[str, str], inputs_digest: str, now: str, seed: int,
            limits: dict[str, int], lang: str, code: str, result: RunResult, functions: str = "") -> str:
    """A hex digest binding engine versions, world, code and outcome (with its host calls) together;
    ``functions``: what the program was told of the host functions, when the world has some."""
    outcome = result.to_json()
    outcome.pop("receipt", None)
    record = {
        "engines": engines, "inputs": inputs_digest, "now": now, "seed": seed,
        "limits": limits, "lang": lang, "code": code, "outcome": outcome,
    }
    if functions:
        record["functions"] = functions
    # ASCII escapes: any text the guest produced, even a lone surrogate, hashes the same way.
    blob = json.dumps(record, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()
