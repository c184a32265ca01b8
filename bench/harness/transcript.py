"""A trace as a person reads it: the conversation in order, tool calls and answers, scores by turn.

Traces imported from agent sessions (``bench.traces``) have a header naming their ``source``
instead of an arm, and may carry ``flag`` events: claims the tool calls do not back.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any


def render(path: Path) -> str:
    """The trace at ``path`` (JSONL) as plain text."""
    out: list[str] = []
    for line in path.read_text().splitlines():
        if line.strip():
            out += _event(json.loads(line))
    return "\n".join(out) + "\n"


def _event(e: dict[str, Any]) -> list[str]:
    kind = e.get("type")
    if kind == "episode" and "source" in e:
        return _imported(e)
    if kind == "episode":
        arm = e["arm"]
        return [f"# {e['task']} ({e['world']}): {e['agent']}{' ' + e['model'] if e.get('model') else ''}, "
                f"{arm['lang']}, {arm['diagnostics']} diagnostics, tools {arm['tools']}, {arm['turns']} turns"
                + (f", fault {e['fault']}" if e.get("fault") else "") + f", repeat {e['repeat']}", ""]
    if kind == "message":
        head = f"## turn {e['turn']}: {e['role']}"
        body = [_block(e.get("content") or "")] if e.get("content") else []
        if e.get("thinking"):
            body.insert(0, _block(f"(thinking) {e['thinking']}"))
        calls = [line for c in e.get("tool_calls") or [] for line in _call(c)]
        return [head, *body, *calls, ""]
    if kind == "tool_result":
        mark = "ok" if e.get("ok") else "failed"
        return [f"<- {e['name']} ({mark})", _block(e.get("content", "")), ""]
    if kind == "score":
        return [f"== completion after turn {e['turn']}: {e['completion']:.3f} {e.get('checks') or ''}"
                + (f" ({e['problem']})" if e.get("problem") else ""), ""]
    if kind == "outside":
        told = [_block(e["text"])] if e.get("text") else []
        return [f"!! after turn {e['turn']}, {e['by']} changed {', '.join(e['paths'])} outside the agent's "
                "calls" + ("" if told else " (the agent is not told)"), *told, ""]
    if kind == "ask":
        return _ask(e)
    if kind == "flag":
        return [f"!! unsupported claim ({e['claim']}, turn {e['turn']}): \"{e['sentence']}\"",
                f"!! {e['missing']}", ""]
    if kind == "result" and "completion" not in e:
        tokens = (f", {e['input_tokens']:,} input and {e['output_tokens']:,} output tokens"
                  if e.get("input_tokens") is not None else "")
        return [f"# result: {e['stop']}, {e['turns']} turns, {e['calls']} tool calls "
                f"({e['tool_errors']} failed), {e['runs']} commands{tokens}, {e['flags']} unsupported claims"]
    if kind == "result":
        return [f"# result: completion {e['completion']:.3f}, {e['turns']} turns, {e['runs']} runs, "
                f"stop {e['stop']}" + (f", error {e['error']}" if e.get("error") else "")]
    if kind in ("judge", "error"):
        return [f"# {kind}: {json.dumps({k: v for k, v in e.items() if k != 'type'})}"]
    return []


def _ask(e: dict[str, Any]) -> list[str]:
    """A plan stated before the episode (``--ask``): language, numbered steps, pitfalls."""
    head = f"## ask {e['n'] + 1}: how would you do it?"
    plan = e.get("plan")
    if not isinstance(plan, dict):
        why = e.get("error") or e.get("problem") or "no plan"
        return [head, _block(f"(no plan: {why})"), *([_block(e["text"])] if e.get("text") else []), ""]
    steps = [f"{i}. {s}" for i, s in enumerate(plan.get("steps") or [], 1)]
    pitfalls = [f"- {p}" for p in plan.get("pitfalls") or []] or ["- (none stated)"]
    said = [f"language: {plan.get('language')}", *steps, "pitfalls:", *pitfalls]
    return [head, _block("\n".join(said)), ""]


def _imported(e: dict[str, Any]) -> list[str]:
    head = [f"# {e['source']} session {e.get('session') or '?'} ({e.get('format_version')})"
            + (f", {e['model']}" if e.get("model") else "") + (", subagent" if e.get("sidechain") else ""),
            f"# from {e['file']}"]
    if e.get("redacted"):
        head.append("# redacted: " + ", ".join(f"{k} {n}" for k, n in e["redacted"].items()))
    cut = e.get("cut") or {}
    if cut.get("outputs"):
        head.append(f"# cut: {cut['outputs']} tool outputs, {cut['characters']:,} characters")
    if e.get("bad_lines"):
        head += [f"# unreadable: {line}" for line in e["bad_lines"]]
    return [*head, ""]


def _block(text: str) -> str:
    return textwrap.indent(text.rstrip(), "    ")


def _call(call: dict[str, Any]) -> list[str]:
    """``-> name(arg=value, ...)``, then a multi-line program argument in full below it."""
    arguments = call.get("arguments")
    if not isinstance(arguments, dict):
        return [f"-> {call['name']}({arguments!r})"]
    parts = []
    for key, value in arguments.items():
        shown = json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}={shown if len(shown) <= 60 else shown[:57] + '...'}")
    program = arguments.get("content") or arguments.get("code")
    below = [_block(program)] if isinstance(program, str) and "\n" in program.strip() else []
    return [f"-> {call['name']}({', '.join(parts)})", *below]
