"""JSONata as a :class:`~worlds.languages.Language`: names checked here, the expression
parsed and evaluated by the JSONata library inside the JS-light engine."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...diagnostics import Diagnostic, Span
from ...result import Phase, RunResult, RunStats
from ...sandbox.engines import artifacts, verified
from ..base import Language
from ..js import engine
from ..keys import world_keys
from ..sql.schema import is_data_file
from . import codes
from .errors import from_error, from_slip
from .names import slips
from .program import LIBRARY, program, tables

if TYPE_CHECKING:
    from ...limits import Limits
    from ...world import World


class Jsonata(Language):
    name = "jsonata"
    extensions = (".jsonata",)
    title = "JSONata"
    summary = "an expression over the data files"
    code_prefix = "JSONATA"
    budget = "fuel"
    budget_label = "fuel"
    answer = "value"
    card_files = True
    card_order = 15

    def check(self, world: World, source: str, *, file: str, workspace: Mapping[str, bytes],
              inline: bool) -> list[Diagnostic]:
        found = self._names(world, source, file, workspace)
        out = self._engine(world, program(source, self._variables(world, workspace), parse_only=True),
                           workspace, world.limits, raw=False)
        return found + self._diagnose(out, source, file)[1]

    def run(self, world: World, *, source: str, name: str, code: str | None, entry: str | None,
            workspace: dict[str, bytes], limits: Limits, raw: bool) -> RunResult:
        started = time.perf_counter()
        found = [] if raw else self._names(world, source, name, workspace)
        checking_ms = round((time.perf_counter() - started) * 1000, 3)
        variables = self._variables(world, workspace)
        out = self._engine(world, program(source, variables), workspace, limits, raw=raw)
        value, diagnostics = self._diagnose(out, source, name, raw=raw)
        if not diagnostics and value in (None, [], {}) and not raw:
            # Nothing came out: a name that matches nothing is then the likely cause, and an error.
            found = [d.model_copy(update={"severity": "error"}) for d in found]
            value = None if found else value
            if not found:
                diagnostics = [Diagnostic(code=codes.NOTHING, severity="warning", file=name,
                                          message="the expression matched nothing: its value is undefined")]
        # A name the run itself failed on is said once, by the run's error.
        failed_at = {d.span for d in diagnostics if d.span is not None}
        found = [d for d in found if not any(_overlap(d.span, s) for s in failed_at)]
        return RunResult(
            lang=self.name, value=value, diagnostics=found + diagnostics, sources={name: source},
            stats=RunStats(fuel=out.run.fuel, wall_ms=round(checking_ms + out.run.wall_ms, 3),
                           memory_bytes=out.run.memory_bytes,
                           phases={"check": Phase(ms=checking_ms),
                                   "run": Phase(ms=round(out.run.wall_ms, 3))}),
        )

    def card_section(self, world: World) -> list[str]:
        variables = self._variables(world, {})
        listed = ", ".join(f"${name} ({path})" for name, path in variables.items()) or "(none)"
        version = artifacts()["jsonata"].version
        return ["", f"JSONata {version} (the jsonata library from npm, run in the JS sandbox): the "
                    "expression's value is the result.",
                f"data variables: {listed}; `$$` is an object of the same tables by the same names "
                "(`orders.amount` reads `$$.orders`). CSV cells are numbers where they read as numbers, "
                "empty cells null.",
                "$now() and $millis() read the world's clock, $random() its seed."]

    # -- the parts -----------------------------------------------------------------------------

    def _variables(self, world: World, workspace: Mapping[str, bytes]) -> dict[str, str]:
        return tables([*world.files, *(p for p in workspace if is_data_file(p))])

    def _names(self, world: World, source: str, file: str,
               workspace: Mapping[str, bytes]) -> list[Diagnostic]:
        """Names that match no key of the data and variables bound nowhere: errors when a real
        name is near, warnings otherwise."""
        variables = frozenset(self._variables(world, workspace))
        return [from_slip(s, source, file) for s in slips(source, world_keys(world, workspace), variables)]

    def _engine(self, world: World, code: str, workspace: Mapping[str, bytes], limits: Limits,
                *, raw: bool) -> engine.JsOutcome:
        inputs = {**world.files, **{p: d for p, d in workspace.items() if is_data_file(p)}}
        return engine.run(inputs=inputs, workspace={}, entry=None, code=code, now_ns=world.now_ns,
                          seed=world.seed, limits=limits, raw=raw, hidden={LIBRARY: verified("jsonata")})

    def _diagnose(self, out: engine.JsOutcome, source: str, file: str,
                  raw: bool = False) -> tuple[Any, list[Diagnostic]]:
        """The expression's value, and what went wrong: a JSONata error on the expression's
        span (``raw``: as JSONata says it, without our notes, help or fixes), or a limit of
        the sandbox (its span was in the program around the expression)."""
        if out.diagnostics:
            return None, [_on_expression(d, file) for d in out.diagnostics if d.severity == "error"][:1]
        report = out.value if isinstance(out.value, dict) else {}
        if "error" in report:
            found = from_error(report["error"], source, file)
            if raw:
                found = found.model_copy(update={"notes": [], "help": [], "fixes": []})
            return None, [found]
        return report.get("ok"), []


def _overlap(a: Span | None, b: Span) -> bool:
    return a is not None and (a.start.line, a.start.column) < (b.end.line, b.end.column) \
        and (b.start.line, b.start.column) < (a.end.line, a.end.column)


def _on_expression(d: Diagnostic, file: str) -> Diagnostic:
    """A sandbox's diagnostic about the program that runs the expression, told of the expression."""
    if d.code.startswith("RUN"):
        return d.model_copy(update={"file": file, "span": None, "labels": [], "fixes": []})
    return Diagnostic(code=codes.EVALUATION, message=d.message, file=file)

