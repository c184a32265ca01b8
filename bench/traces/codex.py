"""Codex CLI rollouts: ``~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl``.

Current rollouts wrap every line as ``{timestamp, type, payload}``: ``session_meta`` (id, cwd,
cli_version, git), ``turn_context`` (model, cwd, policies), ``response_item`` (an OpenAI
Responses API item: ``message`` with ``input_text``/``output_text``/``input_image`` parts,
``reasoning`` with a ``summary``, ``function_call`` {name, arguments as a JSON string, call_id},
``function_call_output`` {call_id, output}, ``custom_tool_call``/``custom_tool_call_output``
(``apply_patch``), ``local_shell_call``, ``web_search_call``), ``event_msg`` (UI events that
repeat the items, and ``token_count`` with the last request's usage) and ``compacted``.
Rollouts before the wrapper (2025 spring) hold the same items bare, after a first line of
session metadata ``{id, timestamp, instructions, git}``, with ``{"record_type": "state"}`` lines
between. A tool's output is a string: JSON ``{"output", "metadata": {"exit_code"}}``, or text
starting ``Exit code: N``; an exit code other than 0 marks the call failed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .formats import SessionFile, Trace, kind_of, parse_json_object

_CONTEXT = ("<environment_context>", "<user_instructions>", "<permissions", "# AGENTS.md")
_EXIT = re.compile(r"^Exit code: (-?\d+)")


def read(f: SessionFile) -> list[Trace]:
    wrapped = any("payload" in r.data and r.data.get("type") in ("session_meta", "response_item")
                  for r in f.records)
    trace = Trace("codex", "rollout" if wrapped else "legacy", f.path)
    reply: dict[str, Any] | None = None  # the assistant message the current request is building
    for record in f.records:
        d = record.data
        if wrapped:
            kind, payload = kind_of(d), d.get("payload")
            if not isinstance(payload, dict):
                if kind in ("session_meta", "response_item", "event_msg", "turn_context"):
                    f.bad(record.line, f"{kind} line without a payload object")
                continue
        else:
            if "record_type" in d:
                continue
            kind, payload = ("session_meta", d) if "type" not in d else ("response_item", d)
        if kind == "session_meta":
            trace.header["session"] = payload.get("id")
            trace.header["cwd"] = payload.get("cwd")
            if payload.get("cli_version"):
                trace.header["format_version"] += f" {payload['cli_version']}"
        elif kind == "turn_context":
            if trace.header["model"] is None and isinstance(payload.get("model"), str):
                trace.header["model"] = payload["model"]
        elif kind == "event_msg":
            usage = _token_count(payload)
            if usage is not None and reply is not None:
                old = reply.get("usage") or {"input_tokens": 0, "output_tokens": 0, "cost": None}
                reply["usage"] = {"input_tokens": old["input_tokens"] + usage["input"],
                                  "output_tokens": old["output_tokens"] + usage["output"], "cost": None}
                trace.usage_seen = True
        elif kind == "compacted":
            trace.message("system", f"[compacted] {payload.get('message') or ''}")
        elif kind == "response_item":
            reply = _item(trace, payload, reply)
    return [trace]


def _item(trace: Trace, item: dict[str, Any], reply: dict[str, Any] | None) -> dict[str, Any] | None:
    """Add one response item; returns the assistant message later items of the same reply join."""
    kind = kind_of(item)
    if kind == "message":
        role = item.get("role")
        text = _text(trace, item.get("content"))
        if role == "assistant":
            if reply is not None:
                trace.extend_assistant(reply, text, [])
                return reply
            return trace.assistant(text, [])
        is_context = role in ("developer", "system") or text.lstrip().startswith(_CONTEXT)
        trace.message("system" if is_context else "user", text)
        return None
    if kind == "reasoning":
        summary = "\n".join(str(s.get("text", "")) for s in item.get("summary") or [] if isinstance(s, dict))
        if reply is not None:
            trace.extend_assistant(reply, "", [], summary)
            return reply
        return trace.assistant("", [], thinking=summary)
    call = _call(item)
    if call is not None:
        if reply is not None:
            trace.extend_assistant(reply, "", [call])
            return reply
        return trace.assistant("", [call])
    if kind in ("function_call_output", "custom_tool_call_output"):
        text, ok = _output(item.get("output"))
        trace.tool_result(str(item.get("call_id")), text, ok)
        return None  # the next item is a new request's reply
    return reply


def _call(item: dict[str, Any]) -> dict[str, Any] | None:
    kind = kind_of(item)
    call_id = str(item.get("call_id") or item.get("id"))
    if kind == "function_call":
        arguments = parse_json_object(item.get("arguments"))
        return {"id": call_id, "name": str(item.get("name")), "arguments": arguments}
    if kind == "custom_tool_call":
        return {"id": call_id, "name": str(item.get("name")), "arguments": {"input": item.get("input")}}
    if kind == "local_shell_call":
        action = item.get("action")
        action = action if isinstance(action, dict) else {}
        return {"id": call_id, "name": "shell", "arguments": {"command": action.get("command")}}
    if kind == "web_search_call":
        return {"id": call_id, "name": "web_search", "arguments": item.get("action") or {}}
    return None


def _output(output: Any) -> tuple[str, bool]:
    if isinstance(output, dict):  # early rollouts: {"content": ..., "success": ...}
        return str(output.get("content", "")), output.get("success") is not False
    text = "" if output is None else str(output)
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and "output" in data:
            code = (data.get("metadata") or {}).get("exit_code")
            return str(data["output"]), code in (None, 0)
    m = _EXIT.match(text)
    return text, m is None or int(m.group(1)) == 0


def _text(trace: Trace, content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = []
    for part in content if isinstance(content, list) else []:
        if not isinstance(part, dict):
            continue
        if part.get("type") in ("input_text", "output_text", "text"):
            parts.append(str(part.get("text", "")))
        elif part.get("type") == "input_image":
            url = str(part.get("image_url") or "")
            media = url[5:url.index(";")] if url.startswith("data:") and ";" in url else "image"
            parts.append(trace.image(media, url.split(",", 1)[-1] if url.startswith("data:") else None))
    return "\n\n".join(parts)


def _token_count(payload: dict[str, Any]) -> dict[str, int] | None:
    if payload.get("type") != "token_count" or not isinstance(payload.get("info"), dict):
        return None
    last = payload["info"].get("last_token_usage")
    if not isinstance(last, dict):
        return None
    return {"input": int(last.get("input_tokens") or 0), "output": int(last.get("output_tokens") or 0)}
