"""A trial's trace: what an agent outside the harness did, in the bench's trace format.

``trial call`` appends each call to ``OUT/RUN/traces/ARM-TASK.jsonl`` as the harness writes an
episode (one call a turn), so a trial played by a model in a shell is read like a bench episode:
``python -m bench.report --trace``, ``report.html`` (``trial report``), the claims check,
``bench.critique`` and the stated-plan comparison. Beside the session (``loop/ARM-TASK.json``)
a trial keeps ``faults/ARM-TASK.json`` when a world fault is armed: after the first turn
that runs the answer file successfully, the host changes an input as the bench's
``outside-change`` does, and from then on the answer is scored on the changed world.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from worlds import Session, languages
from worlds.outside import note

from . import outside
from .ask import parse
from .episode import SYSTEM, TOOLCALLS_SYSTEM, Arm, Outcome, count_call, runs_file
from .score import score
from .stated import compare
from .tasks import TOOLCALLS, Task

Event = dict[str, Any]


def lang_of(arm: str) -> str:
    return "sql" if arm == "sqlraw" else arm


def arm_of(arm: str) -> Arm:
    """The bench's Arm a trial arm stands for (``sqlraw``: SQL with raw diagnostics)."""
    if arm == TOOLCALLS:
        return Arm(arm, mode=TOOLCALLS)
    return Arm(lang_of(arm), diagnostics="raw" if arm == "sqlraw" else "full")


def system_prompt(task: Task, arm: str) -> str:
    """What an API agent's system message says in this arm."""
    if arm == TOOLCALLS:
        return TOOLCALLS_SYSTEM.format(summary=task.load_world().description)
    return SYSTEM.format(language=languages.get(lang_of(arm)).title)


class TrialTrace:
    """The trace, fault and workspace files of one trial (``run``, ``arm``, ``task``) under ``out``."""

    def __init__(self, out: Path, run: str, arm: str, task: Task) -> None:
        self.run, self.arm, self.task = run, arm, task
        self.path = out / run / "traces" / f"{arm}-{task.name}.jsonl"
        self.fault_path = out / run / "faults" / f"{arm}-{task.name}.json"

    # -- reading --------------------------------------------------------------------------------

    def events(self) -> list[Event]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]

    def fault(self) -> dict[str, Any] | None:
        return json.loads(self.fault_path.read_text()) if self.fault_path.exists() else None

    def expected(self) -> dict[str, Any] | None:
        """The answer the trial is scored on: the task's, or the changed world's once the host acted."""
        fault = self.fault()
        return fault["expected"] if fault and fault.get("shifted") else None

    def turn(self) -> int:
        """The turn the next call or message makes."""
        return 1 + sum(e["type"] == "message" and e.get("role") == "assistant" for e in self.events())

    # -- writing --------------------------------------------------------------------------------

    def append(self, *events: Event) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a") as f:
            for event in events:
                f.write(json.dumps(event, ensure_ascii=False) + "\n")

    def begin(self, tools: list[str]) -> None:
        """The header and the turn-0 messages, once."""
        if self.path.exists():
            return
        lang = lang_of(self.arm)
        fault = self.fault()
        self.append({"type": "episode", "task": self.task.name, "world": self.task.world,
                     "goal": self.task.brief(lang), "agent": f"trial:{self.run}", "model": None,
                     "arm": asdict(arm_of(self.arm)), "repeat": 0, "seed": 0,
                     "fault": fault["kind"] if fault else None, "tools": tools},
                    {"type": "message", "turn": 0, "role": "system",
                     "content": system_prompt(self.task, self.arm)},
                    {"type": "message", "turn": 0, "role": "user", "content": self.task.brief(lang)})

    def arm_fault(self, kind: str) -> None:
        """Arm a world fault before the first call (only ``outside-change`` exists)."""
        if kind != outside.KIND:
            raise ValueError(f"no world fault {kind!r}: the one there is, is {outside.KIND}")
        if self.turn() > 1:
            raise ValueError("arm the fault before the trial's first call")
        shift = outside.plan_shift(self.task, lang_of(self.arm), 0)
        if shift is None:
            raise ValueError(f"{self.task.name}: no input's change changes the answer; pick another task")
        self.fault_path.parent.mkdir(parents=True, exist_ok=True)
        self.fault_path.write_text(json.dumps({"kind": kind, "shifted": False, "path": shift.path,
                                               "expected": shift.expected}))

    def plan(self, text: str, tools: list[str]) -> Event:
        """Record one answer to the ask question, before the first call."""
        if self.turn() > 1:
            raise ValueError("a plan is stated before the trial's first call")
        self.begin(tools)
        asked = [e for e in self.events() if e["type"] == "ask"]
        found, problem = parse(text)
        event: Event = {"type": "ask", "n": len(asked), "plan": found, "text": text,
                        "usage": {"input_tokens": 0, "output_tokens": 0, "cost": None}}
        if problem:
            event["problem"] = problem
        self.append(event)
        return event

    def called(self, session: Session, tool: str, arguments: Any, answer: Event) -> None:
        """One call and its answer as a turn; the host's change after it when the fault is due."""
        turn = self.turn()
        call = {"id": f"t{turn}", "name": tool, "arguments": arguments}
        self.append({"type": "message", "turn": turn, "role": "assistant", "content": "",
                     "tool_calls": [call]},
                    {"type": "tool_result", "turn": turn, "role": "tool", "id": call["id"], "name": tool,
                     **answer})
        fault = self.fault()
        answer_path = self.task.answer_path(lang_of(self.arm))
        if fault and answer.get("ok") and runs_file(call, answer_path):
            self._save_looked(session)
            if not fault["shifted"]:
                shift = outside.plan_shift(self.task, lang_of(self.arm), 0)
                assert shift is not None  # checked when the fault was armed
                session.replace_input(shift.path, shift.data)
                fault["shifted"] = True
                self.fault_path.write_text(json.dumps(fault))
                shown = note(session.outside.pending("agent")) if session.diagnostics == "full" else ""
                self.append({"type": "outside", "turn": turn, "by": "the host", "paths": [shift.path],
                             "text": shown})
        self.scored(session, turn)

    def said(self, session: Session, text: str) -> None:
        """The agent's closing message (no tool call): the episode's end."""
        turn = self.turn()
        self.append({"type": "message", "turn": turn, "role": "assistant", "content": text})
        self.scored(session, turn)
        row = asdict(self.row(session))
        self.append({"type": "result", **{k: v for k, v in row.items() if k not in ("wall_ms", "judge")}})

    def scored(self, session: Session, turn: int) -> None:
        now = score(self.task, session, lang_of(self.arm), self.expected())
        self.append({"type": "score", "turn": turn, "completion": now.completion, "checks": now.checks,
                     "problem": now.problem})

    def _save_looked(self, session: Session) -> None:
        """The files as the agent last ran its answer: the outside verdict is about those."""
        files = {p: base64.b64encode(d).decode() for p, d in sorted(session.files.items())}
        self.fault_path.with_suffix(".looked.json").write_text(json.dumps(files))

    # -- the row --------------------------------------------------------------------------------

    def row(self, session: Session) -> Outcome:
        """The trial as a row of episodes.jsonl (no tokens: a trial's agent reports none)."""
        arm, events = arm_of(self.arm), self.events()
        fault = self.fault()
        row = Outcome(task=self.task.name, world=self.task.world, level=self.task.level,
                      agent=f"trial:{self.run}", model=None, lang=arm.lang, diagnostics=arm.diagnostics,
                      tools=arm.tools, turn_budget=0, repeat=0, seed=0,
                      fault=fault["kind"] if fault else None, mode=arm.mode,
                      trace=f"traces/{self.run}__{self.path.name}")
        for e in events:
            if e["type"] == "tool_result":
                count_call(row, e["name"], e)
            elif e["type"] == "score":
                row.completion_by_turn.append(e["completion"])
        row.turns = max((e.get("turn", 0) for e in events), default=0)
        said = any(e["type"] == "message" and e.get("role") == "assistant" and not e.get("tool_calls")
                   for e in events)
        row.stop = "done" if said else "turns"
        final = score(self.task, session, arm.lang, self.expected())
        row.completion, row.success, row.checks = final.completion, final.success, final.checks
        if fault and fault.get("shifted"):
            looked = self.fault_path.with_suffix(".looked.json")
            files = {p: base64.b64decode(d) for p, d in json.loads(looked.read_text()).items()}
            shift = outside.Shift(fault["path"], b"", fault["expected"])
            row.outside = outside.verdict(self.task, arm.lang, session.world, files, shift)
            row.outside_seen = row.outside == "seen"
        asks = [e for e in events if e["type"] == "ask"]
        if asks:
            row.ask = compare(asks, events, arm.lang)
        return row
