"""One episode: an agent, a task, an arm; the loop of replies and tool calls, traced and scored.

The agent sees the same tools as ``worlds serve`` and every call goes through
``Session.call_result``. After each turn the answer file is scored, so the
trace shows completion by turn. The trace holds no wall time and no random
ids, so the same offline agent, seed and task give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from worlds import Session, languages
from worlds.outside import note

from . import apitools, outside
from .agents.base import Agent, AgentError, Episode, Message, Usage
from .ask import asks
from .faults import in_world
from .score import Score, score
from .stated import compare
from .tasks import TOOLCALLS, Task

TOOL_SETS: dict[str, tuple[str, ...] | None] = {
    "all": None,  # every tool of worlds serve
    "core": ("write_file", "run"),  # write and run only: the world is learnt by running code
}

SYSTEM = """You are a data analyst working in a small sandboxed world of files, through tools.
Write {language} programs to files, run them, read what failed, fix them. Every run is \
deterministic and reports the exact problems it found. When your answer file is right, \
reply with a short summary and no tool calls."""


#: Tool calls: the world's API as tools of their own, no programs (the arm code mode is measured against).
TOOLCALLS_SYSTEM = """You are a data analyst with tools that call a company's API. Call them to find what \
the task asks, reading each result, then write the answer file with write_file. When the answer file is \
right, reply with a short summary and no tool calls.

{summary}"""

#: One shot: the goal and the world card, one reply, nothing run before it is scored.
ONESHOT_SYSTEM = """You are a data analyst. You will be given a task and the description of a small \
world of files. You cannot run anything: reply once, with the complete {language} program in one \
fenced code block. It is written to the answer file and scored as it is."""


@dataclass(frozen=True)
class Arm:
    """What varies between experiments: language, diagnostics, tool set, turn budget, and the
    mode: ``loop`` (tools, turns) or ``oneshot`` (the goal and the world card, one reply, no runs)."""

    lang: str
    diagnostics: str = "full"
    tools: str = "all"
    turns: int = 12
    mode: str = "loop"

    @property
    def label(self) -> str:
        if self.mode == "oneshot":
            return f"{self.lang}-oneshot"
        if self.mode == TOOLCALLS:
            return f"toolcalls-t{self.turns}"
        return f"{self.lang}-{self.diagnostics}-{self.tools}-t{self.turns}"


@dataclass
class Outcome:
    """One row of episodes.jsonl: the episode's metrics."""

    task: str
    world: str
    level: str
    agent: str
    model: str | None
    lang: str
    diagnostics: str
    tools: str
    turn_budget: int
    repeat: int
    seed: int
    fault: str | None
    mode: str = "loop"
    completion: float = 0.0
    success: bool = False
    turns: int = 0
    calls: int = 0  # tool calls made
    runs: int = 0
    tool_errors: int = 0
    codes: list[str] = field(default_factory=list)  # every diagnostic code seen, in order
    last_codes: list[str] = field(default_factory=list)  # those of the last failed run or check
    completion_by_turn: list[float] = field(default_factory=list)
    checks: dict[str, float] = field(default_factory=dict)
    input_tokens: int = 0
    output_tokens: int = 0
    cost: float | None = None
    wall_ms: float = 0.0
    stop: str = "done"
    error: str | None = None
    trace: str = ""
    judge: dict[str, Any] | None = None
    # A world fault (outside-change): how the answer as the agent last ran it stands to the host's
    # change, "seen", "stale" or "wrong" ("no-site" when no input's change changes the answer).
    outside: str | None = None
    outside_seen: bool | None = None  # outside == "seen"; None without a change
    ask: dict[str, Any] | None = None  # --ask: the stated plans against the trajectory (stated.py)
    ask_input_tokens: int = 0  # the asks' own cost, apart from the episode's
    ask_output_tokens: int = 0
    ask_cost: float | None = None


def trace_name(task: Task, arm: Arm, agent: str, repeat: int, fault: str | None) -> str:
    parts = [task.name, arm.label, agent.replace(":", "_").replace("/", "_")]
    return "__".join([*parts, *([fault] if fault else []), f"r{repeat}"]) + ".jsonl"


def run_episode(task: Task, arm: Arm, agent: Agent, *, out: Path, repeat: int = 0, seed: int = 0,
                fault: str | None = None, model: str | None = None, ask: int = 0) -> Outcome:
    """Play one episode, write its trace under ``out/traces`` and return its metrics.

    ``ask`` > 0: first ask the agent that many times how it would do the task (``ask.py``); the
    answers are ``ask`` events before turn 1 and ``row.ask`` compares them with what it did.
    """
    started = time.perf_counter()
    session = Session(task.load_world(), diagnostics=arm.diagnostics)  # type: ignore[arg-type]
    oneshot, toolcalls = arm.mode == "oneshot", arm.mode == TOOLCALLS
    allowed = () if oneshot else apitools.KEPT if toolcalls else TOOL_SETS[arm.tools]
    specs = {fmt: [s for s in session.tools(fmt) if allowed is None or _spec_name(s) in allowed]
             for fmt in ("openai", "anthropic")}
    api = {_spec_name(s) for s in apitools.specs(session.world, "openai")} if toolcalls else set()
    if toolcalls:
        specs = {fmt: apitools.specs(session.world, fmt) + specs[fmt] for fmt in specs}
    episode = Episode(task=task, lang=arm.lang, diagnostics=arm.diagnostics, specs=specs, seed=seed,
                      repeat=repeat, fault=fault, mode=arm.mode)
    row = Outcome(task=task.name, world=task.world, level=task.level, agent=agent.name, model=model,
                  lang=arm.lang, diagnostics=arm.diagnostics, tools=arm.tools, turn_budget=arm.turns,
                  repeat=repeat, seed=seed, fault=fault, mode=arm.mode)
    name = trace_name(task, arm, agent.name, repeat, fault)
    row.trace = f"traces/{name}"
    (out / "traces").mkdir(parents=True, exist_ok=True)
    system = TOOLCALLS_SYSTEM.format(summary=session.world.description) if toolcalls \
        else SYSTEM.format(language=languages.get(arm.lang).title)
    messages: list[Message] = [{"role": "system", "content": system},
                               {"role": "user", "content": task.brief(arm.lang)}]
    if oneshot:
        messages = oneshot_messages(task, arm.lang, session.world.describe(arm.lang))
    scores = _Scorer(task, arm.lang)
    answer_path = task.answer_path(arm.lang)
    shift = outside.plan_shift(task, arm.lang, seed) if in_world(fault) and arm.mode == "loop" else None
    if in_world(fault) and arm.mode == "loop" and shift is None:
        row.outside = "no-site"
    looked: dict[str, bytes] | None = None  # the workspace when the agent last ran its answer
    shifted = False
    events: list[dict[str, Any]] = []  # kept for comparing a stated plan with what was done
    with (out / "traces" / name).open("w") as trace:
        def write(event: dict[str, Any]) -> None:
            # Insertion order (type and turn first) reads best, and is as deterministic as sorting.
            trace.write(json.dumps(event, ensure_ascii=False) + "\n")
            if ask:
                events.append(event)

        write({"type": "episode", "task": task.name, "world": task.world, "goal": task.brief(arm.lang),
               "agent": agent.name, "model": model, "arm": asdict(arm), "repeat": repeat, "seed": seed,
               "fault": fault, "tools": [_spec_name(s) for s in specs["openai"]]})
        card = session.world.description if toolcalls else session.world.describe(arm.lang)
        asked = asks(agent, episode, task.brief(arm.lang), card, ask) if ask else []
        for event in asked:
            write(event)
            _add_ask_usage(row, event.get("usage"))
        for message in messages:
            write({"type": "message", "turn": 0, **message})
        row.stop = "turns"
        for turn in range(1, (1 if oneshot else arm.turns) + 1):
            try:
                reply = agent.reply(episode, messages)
            except AgentError as err:
                row.stop, row.error = "error", str(err)
                write({"type": "error", "turn": turn, "error": str(err)})
                break
            row.turns = turn
            _add_usage(row, reply.usage)
            messages.append(reply.message)
            write({"type": "message", "turn": turn, **reply.message, "usage": asdict(reply.usage)})
            calls = [] if oneshot else reply.message.get("tool_calls") or []
            if oneshot:  # the reply's program is the answer, written as it is
                session.write(task.answer_path(arm.lang), program_in(str(reply.message.get("content") or "")))
                row.stop = "oneshot"
            for call in calls:
                answer = _api_call(session, call) if call["name"] in api else _call(session, allowed, call)
                messages.append(answer)
                write({"type": "tool_result", "turn": turn, **answer})
                count_call(row, call["name"], answer)
                if runs_file(call, answer_path):
                    looked = dict(session.files)
            current = scores.now(session)
            row.completion_by_turn.append(current.completion)
            write({"type": "score", "turn": turn, "completion": current.completion,
                   "checks": current.checks, "problem": current.problem})
            if not calls and not oneshot:
                row.stop = "done"
                break
            if shift is not None and not shifted:  # between this turn and the next, the host acts
                session.replace_input(shift.path, shift.data)
                scores.expected, shifted = shift.expected, True
                shown = note(session.outside.pending("agent")) if arm.diagnostics == "full" else ""
                write({"type": "outside", "turn": turn, "by": "the host", "paths": [shift.path],
                       "text": shown})
        final = scores.now(session)
        row.completion, row.success, row.checks = final.completion, final.success, final.checks
        if shift is not None and shifted:
            row.outside = outside.verdict(task, arm.lang, session.world, looked or dict(session.files), shift)
            row.outside_seen = row.outside == "seen"
        if ask:
            row.ask = compare(asked, events, arm.lang)
        write({"type": "result", **{k: v for k, v in asdict(row).items() if k not in ("wall_ms", "judge")}})
    row.wall_ms = round((time.perf_counter() - started) * 1000, 1)
    return row


_FENCED = re.compile(r"```[\w+-]*[ \t]*\n(.*?)```", re.S)


def oneshot_messages(task: Task, lang: str, card: str) -> list[Message]:
    """What a one-shot agent is told: the goal, what the answer must be, and the world card."""
    return [{"role": "system", "content": ONESHOT_SYSTEM.format(language=languages.get(lang).title)},
            {"role": "user", "content": f"{task.goal.strip()}\n\n{task.deliver(lang)}\n\nThe world:\n{card}"}]


def program_in(text: str) -> str:
    """The program of a one-shot reply: its last fenced code block, else the whole reply."""
    blocks = _FENCED.findall(text)
    return (blocks[-1] if blocks else text).strip() + "\n"


def _spec_name(spec: dict[str, Any]) -> str:
    return str(spec["function"]["name"] if "function" in spec else spec["name"])


def _call(session: Session, allowed: tuple[str, ...] | None, call: dict[str, Any]) -> Message:
    name, arguments = call["name"], call.get("arguments")
    if allowed is not None and name not in allowed:
        text = f"error: no tool {name!r} in this session; the tools are {', '.join(allowed)}"
        return {"role": "tool", "id": call["id"], "name": name, "content": text, "ok": False,
                "diagnostics": []}
    answer = session.call_result(name, arguments)
    return {"role": "tool", "id": call["id"], "name": name, "content": answer.text, "ok": answer.ok,
            "receipt": answer.receipt, "changed": answer.changed,
            "diagnostics": [d.to_json() for d in answer.diagnostics]}


def runs_file(call: dict[str, Any], path: str) -> bool:
    """Whether ``call`` runs the answer file ``path``."""
    arguments = call.get("arguments")
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except ValueError:
            return False
    return call["name"] == "run" and isinstance(arguments, dict) and arguments.get("path") == path


def _api_call(session: Session, call: dict[str, Any]) -> Message:
    text, ok = apitools.call(session.world, call["name"], call.get("arguments"))
    return {"role": "tool", "id": call["id"], "name": call["name"], "content": text, "ok": ok,
            "diagnostics": []}


def count_call(row: Outcome, name: str, answer: Message) -> None:
    """Count one tool call and its answer into ``row`` (calls, runs, tool errors, diagnostic codes)."""
    row.calls += 1
    row.runs += name == "run"
    row.tool_errors += answer["content"].startswith("error:")
    found = [d["code"] for d in answer["diagnostics"]]
    row.codes.extend(found)
    if not answer["ok"] and found:
        row.last_codes = found


def _add_ask_usage(row: Outcome, usage: dict[str, Any] | None) -> None:
    if not usage:
        return
    row.ask_input_tokens += int(usage.get("input_tokens") or 0)
    row.ask_output_tokens += int(usage.get("output_tokens") or 0)
    if usage.get("cost") is not None:
        row.ask_cost = (row.ask_cost or 0.0) + float(usage["cost"])


def _add_usage(row: Outcome, usage: Usage) -> None:
    row.input_tokens += usage.input_tokens
    row.output_tokens += usage.output_tokens
    if usage.cost is not None:
        row.cost = (row.cost or 0.0) + usage.cost


class _Scorer:
    """The answer's score, computed again only when the workspace changed."""

    def __init__(self, task: Task, lang: str) -> None:
        self.task, self.lang = task, lang
        self.expected: dict[str, Any] | None = None  # the task's, until the host changes the world
        self._last: tuple[str, Score] | None = None

    def now(self, session: Session) -> Score:
        digest = hashlib.sha256(json.dumps(
            {p: d.hex() for p, d in sorted(session.files.items())}).encode()).hexdigest()
        if self._last is None or self._last[0] != digest:
            self._last = (digest, score(self.task, session, self.lang, self.expected))
        return self._last[1]

