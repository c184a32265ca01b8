"""One SQL (or PRQL) run: front end, warm guest, and the reply turned into a result."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from ...diagnostics import Diagnostic
from ...diagnostics import raw as raw_diagnostics
from ...limits import Limits
from ...sandbox.guest import STOP_DEADLINE, STOP_FUEL, STOP_MEMORY
from ..stops import stopped
from . import engine, prql
from .budget import explain_work, out_of_steps
from .front import Compiled, Statement, compile_sql, runtime_error
from .schema import Schema


@dataclass
class SqlOutcome:
    """What a SQL run produced, before it becomes a ``RunResult``."""

    columns: list[str] | None
    rows: list[list[Any]]
    row_count: int
    diagnostics: list[Diagnostic]
    fuel: int = 0
    wall_ms: float = 0.0
    memory_bytes: int = 0
    phases: dict[str, float] = field(default_factory=dict)  # check, start, run: milliseconds
    sources: dict[str, str] = field(default_factory=dict)
    earlier: list[dict[str, Any]] = field(default_factory=list)  # the results before the last query's

    @property
    def value(self) -> list[dict[str, Any]] | None:
        """The rows as objects keyed by column name (a repeated name gets ``_2``, ``_3``...)."""
        if self.columns is None:
            return None
        keys: list[str] = []
        for name in self.columns:
            key, n = name, 2
            while key in keys:
                key, n = f"{name}_{n}", n + 1
            keys.append(key)
        return [dict(zip(keys, row, strict=True)) for row in self.rows]


def check(source: str, schema: Schema, *, lang: str, file: str) -> tuple[Compiled, str]:
    """Static diagnostics: the compiled statements and the source they refer to."""
    if lang == "prql":
        return prql.compile_prql(source, schema, file=file), source
    return compile_sql(source, schema, file=file), source


def run(source: str, schema: Schema, *, lang: str, file: str, now_ns: int, seed: int,
        limits: Limits, raw: bool = False) -> SqlOutcome:
    """Check ``source``, then run its statements in the world's warm guest.

    With ``raw``, the checks' findings are dropped and the statements run as
    translated; a failure is reported in the words of SQLite (or prqlc) alone.
    """
    started = time.perf_counter()
    compiled, _ = check(source, schema, lang=lang, file=file)
    phases = {"check": (time.perf_counter() - started) * 1000}
    found = list(compiled.diagnostics)
    sources = {file: source}
    if raw:
        if lang == "prql" and not compiled.statements:
            return SqlOutcome(None, [], 0, [prql.prqlc_error(source)], sources=sources)
        found = []
    if any(d.severity == "error" for d in found):
        return SqlOutcome(None, [], 0, found, sources=sources, phases=phases)
    statements = [s for s in compiled.statements if s.kind != "skip"]
    if not statements:
        return SqlOutcome(None, [], 0, found, sources=sources)
    too_big = _too_big(schema, limits)
    if too_big is not None:
        return SqlOutcome(None, [], 0, [*found, too_big], sources=sources, phases=phases)
    reply = engine.execute(schema, [s.sql for s in statements], limits=limits, now_ns=now_ns, seed=seed)
    outcome = SqlOutcome(reply.columns, [[_cell(v) for v in row] for row in reply.rows], reply.total,
                         found, fuel=reply.steps * engine.FUEL_PER_STEP, wall_ms=reply.wall_ms,
                         memory_bytes=reply.memory_bytes, sources=sources,
                         phases={**phases, **({"start": reply.start_ms} if reply.cold else {}),
                                 "run": reply.wall_ms},
                         earlier=[{**r, "rows": [[_cell(v) for v in row] for row in r["rows"]]}
                                  for r in reply.earlier])
    if raw and (reply.stop is not None or reply.error is not None):
        failure = (stopped(reply.stop, reply.detail, limits) if reply.stop is not None
                   else raw_diagnostics.engine(reply.error["message"]))  # type: ignore[index]
        outcome.diagnostics = raw_diagnostics.plain([failure])
        outcome.columns, outcome.rows, outcome.row_count = None, [], 0
    elif reply.stop is not None:
        running = statements[reply.error["index"]] if reply.error is not None else None
        outcome.diagnostics.append(_stopped(reply, limits, running, schema))
        outcome.columns, outcome.rows, outcome.row_count = None, [], 0
    elif reply.error is not None and reply.error["name"] == "BUDGET":
        failed = statements[reply.error["index"]]
        outcome.diagnostics.append(out_of_steps(
            sql=failed.sql, start=failed.start, end=failed.end, source=source, file=file, schema=schema,
            steps=outcome.fuel, limits=limits, plan=reply.plan))
        outcome.columns, outcome.rows, outcome.row_count = None, [], 0
    elif reply.error is not None and reply.error["name"] in ("MemoryError", "SQLITE_NOMEM"):
        # Out of memory inside SQLite or a function: the guest caught it and lives on.
        outcome.diagnostics.append(stopped(STOP_MEMORY, "", limits))
        outcome.columns, outcome.rows, outcome.row_count = None, [], 0
    elif reply.error is not None:
        failed = statements[reply.error["index"]]
        if lang == "prql":
            outcome.diagnostics.append(prql.runtime_error(reply.error["message"], failed, source, schema,
                                                          file=file))
        else:
            outcome.diagnostics.append(runtime_error(reply.error["message"], failed, source, schema,
                                                     file=file))
        outcome.columns, outcome.rows, outcome.row_count = None, [], 0
    return outcome


def _too_big(schema: Schema, limits: Limits) -> Diagnostic | None:
    """A world whose tables cannot fit the guest's memory is refused before it starts,
    naming the largest file and the limit, rather than failing halfway through loading."""
    need = engine.memory_needed(schema)
    if need <= limits.memory_bytes:
        return None
    largest = max(schema.tables.values(), key=lambda t: t.rows)
    mib = 1 << 20
    return stopped(STOP_MEMORY, "", limits).model_copy(update={
        "message": f"the world's tables need about {need // mib:,} MiB in the SQL engine "
                   f"({len(schema.database) // mib:,} MiB as SQLite; the largest is `{largest.name}` from "
                   f"{largest.source}, {largest.rows:,} rows), more than limits.memory_bytes "
                   f"({limits.memory_bytes // mib:,} MiB)",
        "help": [f"raise the limit: `limits={{\"memory_bytes\": {min(-(-need // mib) * mib, 1 << 30)}}}` "
                 "(at most 1 GiB), or give the world a smaller extract of the file"]})


def _stopped(reply: engine.SqlReply, limits: Limits, running: Statement | None,
             schema: Schema) -> Diagnostic:
    """A limit other than the step budget ended the guest: say how far SQLite had got and,
    for the statement it was in, what its plan multiplies (the plan asked of a new guest)."""
    diagnostic = stopped(reply.stop, reply.detail, limits)
    if reply.stop == STOP_FUEL:
        diagnostic = diagnostic.model_copy(update={
            "message": "the query's functions used the engine's whole instruction budget ("
                       f"{limits.steps * engine.WASM_FUEL_PER_STEP:,}: {engine.WASM_FUEL_PER_STEP:,} a step)",
            "help": ["functions called on every row (regular expressions, date functions) cost the most: "
                     "call them on fewer rows, or raise `limits.steps`"]})
    if running is not None and reply.stop in (STOP_DEADLINE, STOP_FUEL):
        plan = engine.explain(schema, running.sql, limits=limits)
        kind, notes, help_ = explain_work(running.sql, schema, plan, limits, finish=False)
        diagnostic = diagnostic.model_copy(update={
            "message": f"{diagnostic.message}: {kind}" if plan else diagnostic.message,
            "notes": [*diagnostic.notes, *notes], "help": [*help_, *diagnostic.help]})
    if reply.steps:
        taken = f"SQLite had taken {reply.steps * engine.FUEL_PER_STEP:,} steps of its {limits.steps:,}"
        diagnostic = diagnostic.model_copy(update={"notes": [*diagnostic.notes, taken]})
    return diagnostic


def _cell(value: Any) -> Any:
    # Blobs cross the guest boundary as {"blob": hex}; shown as SQL writes them.
    if isinstance(value, dict):
        return f"X'{value['blob'].upper()}'"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value).replace("inf", "Infinity")  # JSON has no infinities; the value must be JSON
    return value
