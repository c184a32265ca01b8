"""Deterministic offline agents: ``reference``, ``fixit`` and ``replay``.

``reference`` submits the task's reference solution and runs it (every task
must score 1.0 with it). In an episode whose world the host changes between
turns (a world fault), it reads its answer back before it stops, and runs it
again only when that tool answer says an input changed: what a careful agent
does, and what it can do only when it is told. ``fixit`` starts from a fault seeded into the
reference and may only apply the fixes the diagnostics mark applicable: it
measures how far the loop repairs work through diagnostics alone. ``replay``
plays the assistant messages of recorded traces.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from worlds import Diagnostic

from ..faults import catalog, in_world, seed_fault
from ..tasks import EXTENSION, TOOLCALLS
from .base import AgentError, Episode, Message, Reply, Usage


def _said(messages: list[Message]) -> int:
    return sum(m["role"] == "assistant" for m in messages)


def _write_and_run(turn: int, lang: str, content: str) -> Message:
    path = f"answer{EXTENSION[lang]}"
    return {"role": "assistant", "content": "", "tool_calls": [
        {"id": f"call_{turn}_1", "name": "write_file", "arguments": {"path": path, "content": content}},
        {"id": f"call_{turn}_2", "name": "run", "arguments": {"path": path}}]}


def _fenced(lang: str, program: str) -> str:
    return f"The answer:\n\n```{lang}\n{program.rstrip()}\n```\n"


def _done(text: str) -> Message:
    return {"role": "assistant", "content": text, "tool_calls": []}


def _plan(language: str, steps: list[str], pitfalls: list[str]) -> Reply:
    """An answer to ``--ask``: the plan as the JSON object the question asks for."""
    return Reply(_done(json.dumps({"language": language, "steps": steps, "pitfalls": pitfalls})))


def _answer_steps(episode: Episode, program: str) -> list[str]:
    path = f"answer{EXTENSION[episode.lang]}"
    if episode.mode == "oneshot":
        return [f"reply once with {program} in a fenced block; it becomes {path}"]
    return [f"write {program} to {path}", f"run {path}"]


class ReferenceAgent:
    """Writes the reference solution, runs it, stops."""

    name = "reference"

    def ask(self, episode: Episode, messages: list[Message], n: int) -> Reply:
        """The plan the reference follows: write the solution, run it, stop; it expects no pitfall."""
        if episode.mode == TOOLCALLS:
            called = re.findall(r"\(\s*[\"']([\w.]+)[\"']\s*,", episode.task.solution(TOOLCALLS))
            tools = sorted(set(called) - {"write_file"})
            return _plan("tool calls", [f"call the API tools {', '.join(tools)} as the reference plan does",
                                        "write the rows to answer.json with write_file", "stop"], [])
        steps = _answer_steps(episode, f"the reference {episode.lang} solution")
        return _plan(episode.lang, [*steps, "stop"], [])

    def reply(self, episode: Episode, messages: list[Message]) -> Reply:
        if episode.mode == TOOLCALLS:
            batch = next_calls(episode.task.solution(TOOLCALLS), messages)
            if batch is None:
                return Reply(_done("answer written"))
            turn = _said(messages) + 1
            return Reply({"role": "assistant", "content": "", "tool_calls": [
                {"id": f"call_{turn}_{i}", "name": name, "arguments": args}
                for i, (name, args) in enumerate(batch, 1)]})
        if episode.mode == "oneshot":
            return Reply(_done(_fenced(episode.lang, episode.task.solution(episode.lang))))
        if _said(messages) == 0:
            return Reply(_write_and_run(1, episode.lang, episode.task.solution(episode.lang)))
        if in_world(episode.fault):
            return Reply(_look_again(episode, messages) or _done("answer written and run"))
        return Reply(_done("answer written and run"))


#: How a tool answer that begins with changes made outside the agent's calls starts (worlds.outside).
OUTSIDE_NOTE = "[changed outside your calls]"


def _look_again(episode: Episode, messages: list[Message]) -> Message | None:
    """Read the answer back once before stopping; run it again if that answer says files changed."""
    turn, path = _said(messages) + 1, f"answer{EXTENSION[episode.lang]}"
    last = messages[-1]
    if last["role"] == "tool" and str(last["content"]).startswith(OUTSIDE_NOTE):
        return {"role": "assistant", "content": "An input changed since I ran the answer; running it again.",
                "tool_calls": [{"id": f"call_{turn}_1", "name": "run", "arguments": {"path": path}}]}
    if any(call["name"] == "read_file" for m in messages for call in m.get("tool_calls") or []):
        return None
    return {"role": "assistant", "content": "Checking the answer file before I stop.",
            "tool_calls": [{"id": f"call_{turn}_1", "name": "read_file", "arguments": {"path": path}}]}


def next_calls(plan: str, messages: list[Message]) -> list[tuple[str, dict[str, Any]]] | None:
    """The next tool calls of a ``toolcalls`` reference, or None when it is done.

    The reference (``solution.toolcalls.py``) defines a generator ``solve()`` that yields a list of
    ``(tool, arguments)`` calls (one turn, made side by side) and receives their results (JSON
    values, or the text of an error). It is played again from the start on the results so far, so
    the agent keeps no state between turns, like every agent here.
    """
    scope: dict[str, Any] = {}
    exec(compile(plan, "solution.toolcalls.py", "exec"), scope)  # the bench's own reference file
    results = [_result(m["content"]) for m in messages if m["role"] == "tool"]
    steps = scope["solve"]()
    batch, used = next(steps), 0
    while used + len(batch) <= len(results):
        try:
            batch, used = steps.send(results[used: used + len(batch)]), used + len(batch)
        except StopIteration:
            return None
    return list(batch)


def _result(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


class FixitAgent:
    """Submits a faulty reference, then applies only the applicable fixes the diagnostics offer."""

    name = "fixit"

    def ask(self, episode: Episode, messages: list[Message], n: int) -> Reply:
        """What fixit does, and the fault it seeds as its one pitfall (in the catalog's words)."""
        about = catalog()[episode.fault].about if episode.fault in catalog() else "a fault"
        steps = _answer_steps(episode, f"the reference {episode.lang} solution with one seeded fault")
        if episode.mode != "oneshot":
            steps += ["apply the applicable fixes the diagnostics offer, write and run again",
                      "stop once the answer passes or no fix applies"]
        return _plan(episode.lang, steps, [about])

    def reply(self, episode: Episode, messages: list[Message]) -> Reply:
        turn = _said(messages) + 1
        if turn == 1:
            if episode.fault is None:
                raise AgentError("fixit needs a fault kind for its episode")
            task = episode.task
            faulty = seed_fault(episode.fault, task.solution(episode.lang), episode.lang, task.load_world(),
                                seed=episode.seed, task=task.name)
            if faulty is None:
                raise AgentError(f"fault {episode.fault} has no site in the {episode.lang} solution "
                                 f"of {task.name}")
            if episode.mode == "oneshot":  # what the model wrote, with nothing to tell it what to fix
                return Reply(_done(_fenced(episode.lang, faulty)))
            return Reply(_write_and_run(turn, episode.lang, faulty))
        run = messages[-1]
        if run.get("ok"):
            return Reply(_done("the answer runs"))
        path = f"answer{EXTENSION[episode.lang]}"
        source = _last_written(messages, path)
        fixed = apply_fixes(source, [Diagnostic.model_validate(d) for d in run.get("diagnostics", [])], path)
        if fixed is None or fixed == source:
            return Reply(_done("no applicable fix left; stopping"))
        return Reply(_write_and_run(turn, episode.lang, fixed))


def apply_fixes(source: str, found: list[Diagnostic], path: str) -> str | None:
    """``source`` with the first applicable fix of each error in ``path`` applied, if any.

    Fixes whose edits would overlap an earlier one wait for the next run.
    """
    taken: list[tuple[int, int]] = []
    chosen = []
    for diag in found:
        if diag.severity != "error" or diag.file not in (path, None):
            continue
        fix = next((f for f in diag.fixes if f.applicable), None)
        if fix is None:
            continue
        spans = [(e.span.start.offset(source), e.span.end.offset(source)) for e in fix.edits]
        if any(a < y and x < b or a == b == x == y for a, b in spans for x, y in taken):
            continue
        taken += spans
        chosen.append(fix)
    if not chosen:
        return None
    edits = sorted(((e.span.start.offset(source), e.span.end.offset(source), e.replacement)
                    for f in chosen for e in f.edits), reverse=True)
    for start, end, replacement in edits:
        source = source[:start] + replacement + source[end:]
    return source


def _last_written(messages: list[Message], path: str) -> str:
    for message in reversed(messages):
        for call in message.get("tool_calls") or []:
            if call["name"] == "write_file" and call["arguments"].get("path") == path:
                return str(call["arguments"]["content"])
    raise AgentError(f"fixit lost track of {path}")


class ReplayAgent:
    """Plays back the assistant messages of recorded traces, matched to the episode."""

    name = "replay"

    def __init__(self, source: Path, recorded_by: str = "") -> None:
        self.source = source
        self.recorded_by = recorded_by
        self.name = f"replay-{recorded_by}" if recorded_by else "replay"
        self._traces: dict[tuple[Any, ...], list[Message]] | None = None
        self._asks: dict[tuple[Any, ...], list[dict[str, Any]]] = {}

    def _load(self) -> dict[tuple[Any, ...], list[Message]]:
        files = sorted(self.source.rglob("*.jsonl")) if self.source.is_dir() else [self.source]
        traces: dict[tuple[Any, ...], list[Message]] = {}
        for path in files:
            events = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
            if not events or events[0].get("type") != "episode":
                continue
            head = events[0]
            said = [{k: v for k, v in e.items() if k not in ("type", "turn")}
                    for e in events if e.get("type") == "message" and e.get("role") == "assistant"]
            if self.recorded_by in ("", head["agent"]):
                key = (head["task"], head["arm"]["lang"], head["arm"]["diagnostics"], head["fault"],
                       head["repeat"])
                traces[key] = said
                self._asks[key] = [e for e in events if e.get("type") == "ask"]
        if not traces:
            raise AgentError(f"no traces to replay in {self.source}")
        return traces

    def ask(self, episode: Episode, messages: list[Message], n: int) -> Reply:
        """The recorded answer to the ``n``-th ask, as it was given."""
        if self._traces is None:
            self._traces = self._load()
        key = (episode.task.name, episode.lang, episode.diagnostics, episode.fault, episode.repeat)
        recorded = [a for a in self._asks.get(key, []) if a.get("n") == n and "text" in a]
        if not recorded:
            raise AgentError(f"no recorded answer to ask {n} for {key}")
        return Reply(_done(recorded[0]["text"]), Usage(**(recorded[0].get("usage") or {})))

    def reply(self, episode: Episode, messages: list[Message]) -> Reply:
        if self._traces is None:
            self._traces = self._load()
        key = (episode.task.name, episode.lang, episode.diagnostics, episode.fault, episode.repeat)
        said = self._traces.get(key)
        if said is None:
            raise AgentError(f"no recorded trace for {key}")
        turn = _said(messages)
        if turn >= len(said):
            return Reply(_done("(the recording ends here)"))
        message = dict(said[turn])
        usage = message.pop("usage", None) or {}
        return Reply(message, Usage(**usage))
