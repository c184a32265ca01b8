"""Traces read back for the critic: which turns exist and on which line, and a compact transcript.

A trace is any ``*.jsonl`` whose first line is an ``episode`` header: a bench episode
(``pytest bench/``) or an imported session (``bench.traces import``). Transcripts are cut so a
batch fits a model's context: each text to a few hundred characters (programs to more, since they
are what went wrong), and an episode longer than :data:`EPISODE_CHARS` keeps its first and last
turns with a marker saying which turns were left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TEXT_CUT = 600  # characters kept of a message or a tool output (head and tail)
PROGRAM_CUT = 1_500  # of a program (a tool call's content or code argument)
EPISODE_CHARS = 24_000  # of one episode's transcript


class CritiqueError(Exception):
    """Bad input or a failed API call: the CLI prints it as one line and exits 2."""


@dataclass
class Episode:
    """One trace: its id (the file's stem), path, header, events and where each turn starts."""

    id: str
    path: Path
    header: dict[str, Any]
    events: list[dict[str, Any]]
    lines: dict[int, int] = field(default_factory=dict)  # turn -> 1-based line of its first event

    @property
    def turns(self) -> set[int]:
        return set(self.lines)

    @property
    def imported(self) -> bool:
        return "source" in self.header

    @property
    def result(self) -> dict[str, Any]:
        return next((e for e in reversed(self.events) if e.get("type") == "result"), {})

    def group(self) -> str:
        """What repeats of one task share: task, arm, agent, model, fault (imported: source and prompt)."""
        h = self.header
        if self.imported:
            return f"{h.get('source')}: {h.get('task') or '?'}"
        arm = h.get("arm") or {}
        label = f"{arm.get('lang')}-{arm.get('diagnostics')}-{arm.get('tools')}-t{arm.get('turns')}" \
            + (f"-{arm['mode']}" if arm.get("mode", "loop") != "loop" else "")
        who = f"{h.get('agent')}/{h['model']}" if h.get("model") else str(h.get("agent"))
        return " · ".join([str(h.get("task")), label, who, *([str(h["fault"])] if h.get("fault") else [])])


def files(paths: list[Path]) -> list[Path]:
    """The ``.jsonl`` files under ``paths`` (files or folders, recursed), sorted; a missing path raises."""
    for p in paths:
        if not p.exists():
            raise CritiqueError(f"{p}: no such file or folder")
    return sorted({f for p in paths for f in ([p] if p.is_file() else p.rglob("*.jsonl")) if f.is_file()})


def load(paths: list[Path]) -> tuple[list[Episode], list[str]]:
    """The traces under ``paths`` and the problems met (``file:line: why``); other JSONL files are
    skipped silently (``episodes.jsonl`` is rows, not a trace)."""
    episodes: list[Episode] = []
    problems: list[str] = []
    seen: set[str] = set()
    for f in files(paths):
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError as err:
            problems.append(f"{f}: cannot read ({err.strerror})")
            continue
        lines = text.splitlines()
        head = _json(lines[0]) if lines else None
        if not isinstance(head, dict) or head.get("type") != "episode":
            continue
        episode = Episode(_unique(f.stem, seen), f, head, [])
        for number, line in enumerate(lines[1:], 2):
            event = _json(line) if line.strip() else None
            if not isinstance(event, dict):
                if line.strip():
                    problems.append(f"{f}:{number}: not a JSON object (skipped)")
                continue
            episode.events.append(event)
            turn = event.get("turn")
            if isinstance(turn, int) and turn not in episode.lines:
                episode.lines[turn] = number
        episodes.append(episode)
    return episodes, problems


def _unique(stem: str, seen: set[str]) -> str:
    name, n = stem, 2
    while name in seen:  # the same file name in two folders
        name, n = f"{stem}~{n}", n + 1
    seen.add(name)
    return name


def _json(line: str) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None


def cut(text: str, limit: int = TEXT_CUT) -> str:
    """``text`` with its middle cut past ``limit`` characters, saying how much."""
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    return f"{text[:head]} [... {len(text) - limit:,} chars cut ...] {text[-(limit - head):]}"


def _arguments(arguments: Any) -> str:
    if not isinstance(arguments, dict):
        return cut(json.dumps(arguments, ensure_ascii=False))
    parts = []
    for key, value in arguments.items():
        limit = PROGRAM_CUT if key in ("content", "code", "new_text", "command") else 200
        parts.append(f"{key}={cut(value if isinstance(value, str) else json.dumps(value), limit)}")
    return ", ".join(parts)


def outcome(e: Episode) -> str:
    """The episode's result in a few words."""
    r = e.result
    if "completion" in r:
        return f"completion {r['completion']} ({'success' if r.get('success') else 'not solved'}), " \
               f"{r.get('turns')} turns, stop {r.get('stop')}"
    if r:
        return (f"{r.get('stop')}, {r.get('turns')} turns, {r.get('calls')} tool calls "
                f"({r.get('tool_errors')} failed)")
    return "no result recorded"


def transcript(e: Episode, label: str) -> str:
    """The episode as the critic reads it: a head, then one block per turn."""
    h = e.header
    head = [f"=== episode {label} ===",
            f"agent: {h.get('agent')}{' ' + str(h['model']) if h.get('model') else ''}; "
            + (f"imported {h.get('source')} session" if e.imported else
               f"task {h.get('task')}, arm {json.dumps(h.get('arm'))}, fault {h.get('fault')}"),
            f"outcome: {outcome(e)}"]
    by_turn: dict[int, list[str]] = {}
    for ev in e.events:
        turn, kind = ev.get("turn"), ev.get("type")
        if not isinstance(turn, int):
            continue
        out = by_turn.setdefault(turn, [])
        if kind == "message":
            if ev.get("content"):
                limit = 2_000 if turn == 0 else TEXT_CUT
                out.append(f"{ev.get('role')}: {cut(str(ev['content']), limit)}")
            for call in ev.get("tool_calls") or []:
                out.append(f"call {call.get('name')}({_arguments(call.get('arguments'))})")
        elif kind == "tool_result":
            status = "ok" if ev.get("ok") else "failed"
            out.append(f"-> {ev.get('name')} {status}: {cut(str(ev.get('content')))}")
        elif kind == "score":
            out.append(f"(completion after this turn: {ev.get('completion')})")
        elif kind == "error":
            out.append(f"(agent error: {cut(str(ev.get('error')))})")
    blocks = [f"[turn {t}]\n" + "\n".join(lines) for t, lines in sorted(by_turn.items()) if lines]
    body = "\n".join(blocks)
    if len(body) > EPISODE_CHARS:  # keep the start and the end, where goals are read and answers given
        kept_head: list[str] = []
        kept_tail: list[str] = []
        size = 0
        for i in range(len(blocks)):
            for side, block in ((kept_head, blocks[i]), (kept_tail, blocks[-1 - i])):
                if size + len(block) <= EPISODE_CHARS and len(kept_head) + len(kept_tail) < len(blocks):
                    side.append(block)
                    size += len(block)
        left = len(blocks) - len(kept_head) - len(kept_tail)
        body = "\n".join([*kept_head, f"[... {left} turns left out to fit; they are in the trace ...]",
                          *reversed(kept_tail)])
    return "\n".join([*head, body])


def final_answer(e: Episode) -> str:
    """What the episode answered: the last content written to its answer file (bench), else its last
    assistant message (imported sessions)."""
    written = ""
    for ev in e.events:
        if ev.get("type") == "message" and ev.get("role") == "assistant":
            for call in ev.get("tool_calls") or []:
                args = call.get("arguments")
                if call.get("name") == "write_file" and isinstance(args, dict) \
                        and str(args.get("path", "")).startswith("answer."):
                    written = str(args.get("content") or "")
    if written or not e.imported:
        return written
    said = [str(ev.get("content") or "") for ev in e.events
            if ev.get("type") == "message" and ev.get("role") == "assistant" and ev.get("content")]
    return said[-1] if said else ""


def tool_sequence(e: Episode) -> list[str]:
    """The tools called, in order, a tool repeated at once kept once."""
    seq: list[str] = []
    for ev in e.events:
        if ev.get("type") == "message":
            for call in ev.get("tool_calls") or []:
                if not seq or seq[-1] != call.get("name"):
                    seq.append(str(call.get("name")))
    return seq
