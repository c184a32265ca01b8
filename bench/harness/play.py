"""One case played and kept, whichever executor plays it: the episode (and its judge), its row under
``OUT/rows`` and its trace under ``OUT/traces``, and what ``--resume`` finds already there.

A row is written when its episode finishes, so an interrupted run loses only the episodes in flight.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .agents.base import Limiter
from .episode import Outcome, run_episode
from .plan import Case

Row = dict[str, Any]


def play(case: Case, out: Path, limiter: Limiter | None = None) -> Row:
    """Play ``case``, writing its trace under ``out/traces``; its row, judged when the case asks."""
    row = run_episode(case.task, case.arm, case.make_agent(limiter), out=out, repeat=case.repeat,
                      seed=case.seed, fault=case.fault, model=case.model, ask=case.ask)
    if case.judge:
        from .judge import judge
        trace = out / row.trace
        # The judge speaks OpenAI's API: it shares --base-url with an openai agent, else uses the environment.
        base_url = case.base_url if case.agent.startswith("openai:") else None
        row.judge = judge([json.loads(line) for line in trace.read_text().splitlines()], model=case.judge,
                          base_url=base_url)
        with trace.open("a") as f:
            f.write(json.dumps({"type": "judge", **row.judge}, sort_keys=True) + "\n")
    return asdict(row)


def keep(out: Path, case: Case, row: Row, trace: bytes | None = None) -> None:
    """Write ``row`` (and ``trace``, when it was played elsewhere) under ``out``; the row goes last, so a
    row on disk means its trace is complete."""
    if trace is not None:
        path = out / row["trace"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(trace)
    (out / "rows").mkdir(parents=True, exist_ok=True)
    part = out / "rows" / f"{case.id}.json.part"
    part.write_text(json.dumps(row, sort_keys=True))
    part.replace(out / "rows" / f"{case.id}.json")


def kept(out: Path, case: Case) -> Row | None:
    """The row of ``case`` from an earlier run when it finished (a row, its trace, no error): what
    ``--resume`` skips. An episode that ended in an error is played again."""
    try:
        row: Row = json.loads((out / "rows" / f"{case.id}.json").read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(row, dict) or row.get("stop") == "error" or not (out / str(row.get("trace"))).is_file():
        return None
    return row


def lost(case: Case, error: str, deaths: int) -> Row:
    """The row of an episode no worker could finish: failed, with why, so it is reported, not dropped."""
    kind = case.agent.partition(":")[0]
    agent = f"replay-{case.replays}" if kind == "replay" and case.replays else kind
    row = Outcome(task=case.task.name, world=case.task.world, level=case.task.level, agent=agent,
                  model=case.model, lang=case.arm.lang, diagnostics=case.arm.diagnostics,
                  tools=case.arm.tools, turn_budget=case.arm.turns, repeat=case.repeat, seed=case.seed,
                  fault=case.fault, mode=case.arm.mode, stop="error", error=error)
    return {**asdict(row), "worker_deaths": deaths}
