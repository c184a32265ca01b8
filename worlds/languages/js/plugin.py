"""JS-light as a :class:`~worlds.languages.Language`: check with the checker, run in QuickJS-NG."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..._resources import runtime_file
from ...result import FileChange, Phase, RunResult, RunStats
from ..base import Language
from ..keys import world_keys
from .checker import check
from .engine import run

if TYPE_CHECKING:
    from ...diagnostics import Diagnostic
    from ...host.bridge import Bridge
    from ...limits import Limits
    from ...world import World


#: Host functions the card declares in full; past this it lists their names only.
CARD_FUNCTIONS = 20


class JavaScript(Language):
    name = "js"
    extensions = (".js", ".mjs", ".cjs")
    aliases = ("javascript", "node", "nodejs", "mjs", "cjs")
    title = "JavaScript (Node's fs, path and console)"
    summary = "JavaScript with Node's fs, path and console"
    code_prefix = "JS"
    budget = "fuel"
    budget_label = "fuel"
    answer = "program"
    card_files = True
    card_order = 20  # the API declarations close a card for every language
    host_functions = True

    def check(self, world: World, source: str, *, file: str, workspace: Mapping[str, bytes],
              inline: bool) -> list[Diagnostic]:
        return check(source, file=file, files=set(world.files) | set(workspace),
                     keys=world_keys(world, workspace), host=world.functions)

    def run(self, world: World, *, source: str, name: str, code: str | None, entry: str | None,
            workspace: dict[str, bytes], limits: Limits, raw: bool, host: Bridge | None = None) -> RunResult:
        started = time.perf_counter()
        # Raw diagnostics: no checker, the engine alone says what went wrong.
        found = [] if raw else check(source, file=name, files=set(world.files) | set(workspace),
                                     keys=world_keys(world, workspace), host=world.functions)
        checking_ms = round((time.perf_counter() - started) * 1000, 3)
        if any(d.severity == "error" for d in found):  # a program the checker finds broken never starts
            return RunResult(lang=self.name, diagnostics=found, sources={name: source},
                             stats=RunStats(fuel=0, wall_ms=checking_ms, memory_bytes=0,
                                            phases={"check": Phase(ms=checking_ms)}))
        out = run(inputs=world.files, workspace=workspace, entry=entry, code=code, now_ns=world.now_ns,
                  seed=world.seed, limits=limits, raw=raw, host=host)
        return RunResult(
            lang=self.name, stdout=out.stdout, stderr=out.stderr, value=out.value, files=out.files,
            changes=[FileChange(path=p, kind=k, size=n) for p, k, n in out.changes],  # type: ignore[arg-type]
            diagnostics=found + out.diagnostics, sources={name: source, **out.sources},
            stats=RunStats(fuel=out.run.fuel, wall_ms=round(out.run.wall_ms, 3),
                           memory_bytes=out.run.memory_bytes,
                           phases={"check": Phase(ms=checking_ms),
                                   "run": Phase(ms=round(out.run.wall_ms, 3))}),
        )

    def card_section(self, world: World) -> list[str]:
        lines = ["", "API (TypeScript declarations):",
                 *runtime_file("js", "api.d.ts").read_text().rstrip("\n").splitlines()]
        functions = world.functions
        if len(functions.by_name) > CARD_FUNCTIONS:  # many: the card names them, `describe` declares them
            lines += ["", f"The world's functions ({len(functions.by_name)}; describe with functions='words' "
                          "for the declarations of those that match):"]
            lines += [f"  {root}: {', '.join(functions.members(root))}" if functions.is_namespace(root)
                      else f"  {root}()" for root in sorted(functions.roots())]
        elif functions:
            lines += ["", "The world's functions (TypeScript declarations):",
                      *functions.declarations().splitlines()]
        return lines
