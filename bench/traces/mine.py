"""What a pile of traces teaches: tool failures, retries, loops, undone edits, cost, claims.

Definitions (turns as in the trace: each assistant message is one turn):

- A call **failed** when its result has ``ok: false`` or its text starts with ``error``.
- A failed call of tool T at turn t was **retried and worked** when a call of T at a turn
  t+1..t+2 succeeded; otherwise it was **abandoned** (T not called again within 2 turns, or called
  and failed again each time). The error is counted under its first line, normalised: quoted text
  becomes ``<q>``, paths ``<path>``, numbers ``<n>``.
- A **loop** is one tool called with identical arguments 3 or more times in a trace.
- An edit is **undone** when a later edit of the same file replaces its new text by its old text
  again (for whole-file writes: a later write puts back the content the write replaced).
- A trace's **outcome** is the bench's ``success``/``failure`` when the trace is a bench episode;
  an imported session is ``finished`` (it ends on an assistant message with no tool calls),
  ``interrupted`` (the person stopped it) or ``unfinished`` (it ends mid-work).
- **Diagnostic codes** (bench traces): in how many successful and failed episodes each code of
  ``worlds`` appeared in a tool result.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import actions, claims

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`")
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:\.{0,2}/)?(?:[\w.-]+/)+[\w.-]+|\b[\w-]+\.(?:py|js|ts|sql|json|csv|md|"
                   r"toml|txt|jsonl|prql|jsonata|rs|go|sh)\b")
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b|0x[0-9a-f]+")


Calls = list[tuple[int, dict[str, Any], dict[str, Any] | None]]  # (turn, call, its result if any)


@dataclass
class Loaded:
    """One trace read back: its file, header, events (flags excluded) and result."""

    path: str
    header: dict[str, Any]
    events: list[dict[str, Any]]
    result: dict[str, Any]


def load(paths: list[Path]) -> tuple[list[Loaded], list[str]]:
    """The traces under ``paths`` (files or folders, recursed) and the problems ``file:line: why``."""
    files = sorted({f for p in paths for f in ([p] if p.is_file() else p.rglob("*.jsonl"))})
    traces, problems = [], []
    for f in files:
        events: list[dict[str, Any]] = []
        for number, line in enumerate(f.read_text(errors="replace").splitlines(), 1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{f}:{number}: not JSON ({e.msg})")
                continue
            if isinstance(event, dict):
                events.append(event)
        if not events or events[0].get("type") != "episode":
            problems.append(f"{f}:1: not a trace (no episode header)")
            continue
        result: dict[str, Any] = next((e for e in reversed(events) if e.get("type") == "result"), {})
        body = [e for e in events[1:] if e.get("type") not in ("flag", "result")]
        traces.append(Loaded(str(f), events[0], body, result))
    return traces, problems


def normalise(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = _QUOTED.sub("<q>", first)
    first = _PATH.sub("<path>", first)
    return _NUMBER.sub("<n>", first)[:100]


def failed(result: dict[str, Any]) -> bool:
    return result.get("ok") is False or str(result.get("content", "")).lstrip().lower().startswith("error")


def outcome(t: Loaded) -> str:
    if isinstance(t.result.get("success"), bool):
        return "success" if t.result["success"] else "failure"
    return str(t.result.get("stop") or "unknown")


def _calls(t: Loaded) -> Calls:
    """Every call of the trace with its turn and result (None when it never got one)."""
    results = {str(e.get("id")): e for e in t.events if e.get("type") == "tool_result"}
    return [(int(e.get("turn") or 0), c, results.get(str(c.get("id"))))
            for e in t.events if e.get("type") == "message" for c in e.get("tool_calls") or []]


def retries(calls: Calls) -> tuple[Counter[str], Counter[str]]:
    """Normalised errors that were retried and worked, and those abandoned."""
    worked: Counter[str] = Counter()
    abandoned: Counter[str] = Counter()
    for i, (turn, call, result) in enumerate(calls):
        if result is None or not failed(result):
            continue
        fixed = any(c["name"] == call["name"] and turn < t <= turn + 2 and r is not None and not failed(r)
                    for t, c, r in calls[i + 1:])
        (worked if fixed else abandoned)[normalise(str(result.get("content", "")))] += 1
    return worked, abandoned


def loops(calls: Calls) -> list[tuple[str, str, int]]:
    seen = Counter((c["name"], json.dumps(c.get("arguments"), sort_keys=True, ensure_ascii=False))
                   for _, c, _ in calls)
    return [(name, args, n) for (name, args), n in seen.items() if n >= 3]


def undone(calls: Calls) -> list[tuple[str, int, int]]:
    """``(path, turn of the edit, turn it was undone)`` for each edit undone later."""
    changes: list[tuple[int, str, str | None, str]] = []  # (turn, path, old, new); old None: a whole write
    content: dict[str, str] = {}
    for turn, call, result in calls:
        if result is not None and failed(result):
            continue
        for path, old, new in actions.edits(call):
            if old is None:  # a whole-file write replaces what the last write put there
                old = content.get(path)
                content[path] = new
                if old is None:
                    continue
            changes.append((turn, path, old, new))
    out = []
    for i, (turn, path, old, new) in enumerate(changes):
        if old is None or old == new:
            continue
        back = next((t for t, p, o, n in changes[i + 1:] if p == path and o == new and n == old), None)
        if back is not None:
            out.append((path, turn, back))
    return out


def report(traces: list[Loaded]) -> str:
    """The markdown report over ``traces``."""
    per_tool: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    worked: Counter[str] = Counter()
    abandoned: Counter[str] = Counter()
    loop_rows, undo_rows, flag_rows = [], [], []
    by_outcome: dict[str, list[tuple[int, int | None, int | None]]] = defaultdict(list)
    codes: dict[str, Counter[str]] = defaultdict(Counter)
    flag_kinds: Counter[str] = Counter()
    for t in traces:
        name = Path(t.path).name
        calls = _calls(t)
        for _, call, result in calls:
            per_tool[call["name"]][0] += 1
            per_tool[call["name"]][1] += result is not None and failed(result)
        w, a = retries(calls)
        worked += w
        abandoned += a
        loop_rows += [(name, tool, args, n) for tool, args, n in loops(calls)]
        undo_rows += [(name, path, turn, back) for path, turn, back in undone(calls)]
        usage = [e["usage"] for e in t.events if isinstance(e.get("usage"), dict)]
        turns = max((int(e.get("turn") or 0) for e in t.events), default=0)
        if any(u.get("input_tokens") or u.get("output_tokens") for u in usage):
            tokens_in = sum(u.get("input_tokens") or 0 for u in usage)
            by_outcome[outcome(t)].append((turns, tokens_in, sum(u.get("output_tokens") or 0 for u in usage)))
        else:  # the source recorded no usage (offline agents, some formats)
            by_outcome[outcome(t)].append((turns, None, None))
        if "arm" in t.header and isinstance(t.result.get("success"), bool):
            seen = {d.get("code") for e in t.events if e.get("type") == "tool_result"
                    for d in e.get("diagnostics") or [] if isinstance(d, dict)}
            for code in seen - {None}:
                codes[str(code)]["success" if t.result["success"] else "failure"] += 1
        for _, flag in claims.check(t.events):
            flag_kinds[flag["claim"]] += 1
            flag_rows.append((name, flag))
    return _markdown(traces, per_tool, worked, abandoned, loop_rows, undo_rows, by_outcome, codes,
                     flag_kinds, flag_rows)


def _markdown(traces: list[Loaded], per_tool: dict[str, list[int]], worked: Counter[str],
              abandoned: Counter[str], loop_rows: list[tuple[str, str, str, int]],
              undo_rows: list[tuple[str, str, int, int]],
              by_outcome: dict[str, list[tuple[int, int | None, int | None]]],
              codes: dict[str, Counter[str]], flag_kinds: Counter[str],
              flag_rows: list[tuple[str, dict[str, Any]]]) -> str:
    out = [f"# Traces: {len(traces)}", "", "## Tools", "", "| tool | calls | failed | failure rate |",
           "|---|---|---|---|"]
    for tool, (n, bad) in sorted(per_tool.items(), key=lambda kv: (-kv[1][0], kv[0])):
        out.append(f"| {tool} | {n} | {bad} | {bad / n:.0%} |")
    for title, counter in (("Errors retried and then worked (same tool succeeded within 2 turns)", worked),
                           ("Errors abandoned (no success of the same tool within 2 turns)", abandoned)):
        out += ["", f"## {title}", "", "| error | times |", "|---|---|"]
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:15]
        out += [f"| {_cell(text)} | {n} |" for text, n in ranked]
    out += ["", f"## Loops (same tool and arguments 3+ times): {len(loop_rows)}", ""]
    out += [f"- {name}: {tool} x{n} {_cell(args[:100])}" for name, tool, args, n in loop_rows[:20]]
    out += ["", f"## Edits undone later: {len(undo_rows)}", ""]
    out += [f"- {name}: {path}, edited at turn {turn}, put back at turn {back}"
            for name, path, turn, back in undo_rows[:20]]
    out += ["", "## Turns and tokens by outcome", "",
            "| outcome | traces | mean turns | with usage | mean input tokens | mean output tokens |",
            "|---|---|---|---|---|---|"]
    for name, rows in sorted(by_outcome.items()):
        used = [(i, o) for _, i, o in rows if i is not None and o is not None]
        mean_in = f"{sum(i for i, _ in used) / len(used):,.0f}" if used else "-"
        mean_out = f"{sum(o for _, o in used) / len(used):,.0f}" if used else "-"
        out.append(f"| {name} | {len(rows)} | {sum(r[0] for r in rows) / len(rows):.1f} | {len(used)} | "
                   f"{mean_in} | {mean_out} |")
    if codes:
        out += ["", "## Diagnostic codes by episode outcome", "", "| code | in successes | in failures |",
                "|---|---|---|"]
        out += [f"| {code} | {c['success']} | {c['failure']} |"
                for code, c in sorted(codes.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))]
    out += ["", f"## Unsupported claims: {sum(flag_kinds.values())}", ""]
    out += [f"- {kind}: {n}" for kind, n in sorted(flag_kinds.items())]
    out += [f"- {name} turn {f['turn']}: \"{_cell(f['sentence'][:120])}\" ({f['missing']})"
            for name, f in flag_rows[:30]]
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
