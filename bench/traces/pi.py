"""pi coding-agent sessions: ``~/.pi/agent/sessions/--<cwd>--/<time>_<id>.jsonl``.

The first line is the header ``{"type": "session", "version", "id", "timestamp", "cwd"}``
(version 1 has no ``version`` and names ``provider``/``modelId``); then entries: ``message``
(its ``message`` has a ``role``: ``user``, ``assistant`` with blocks ``text``/``thinking``/
``toolCall`` {id, name, arguments} and ``usage`` {input, output, cacheRead, cacheWrite},
``toolResult`` {toolCallId, toolName, content, isError}, ``bashExecution`` (a command the person
ran: command, output, exitCode), ``custom`` (``hookMessage`` before version 3),
``branchSummary``, ``compactionSummary``), ``model_change``, ``thinking_level_change``,
``compaction``, ``branch_summary``, ``custom_message``, ``custom``, ``label``, ``session_info``.
From version 2 entries form a tree by ``id``/``parentId``: the trace follows the branch that
ends at the last entry (the conversation as it was left); version 1 is read in file order.
"""

from __future__ import annotations

from typing import Any

from .formats import Record, SessionFile, Trace, kind_of


def read(f: SessionFile) -> list[Trace]:
    header = next((r.data for r in f.records if r.data.get("type") == "session"), {})
    version = str(header.get("version", 1))
    trace = Trace("pi", f"v{version}", f.path)
    trace.header.update(session=header.get("id"), cwd=header.get("cwd"), model=header.get("modelId"))
    entries = [r for r in f.records if r.data.get("type") != "session"]
    for record in _branch(entries):
        _entry(f, trace, record)
    return [trace]


def _branch(entries: list[Record]) -> list[Record]:
    """The entries from the first to the last one along ``parentId``; all of them without ids."""
    by_id = {r.data["id"]: r for r in entries if isinstance(r.data.get("id"), str)}
    if not entries or len(by_id) < len(entries) // 2 or not isinstance(entries[-1].data.get("id"), str):
        return entries
    path, seen = [], set()
    node: Record | None = entries[-1]
    while node is not None and node.data["id"] not in seen:
        seen.add(node.data["id"])
        path.append(node)
        parent = node.data.get("parentId")
        node = by_id.get(parent) if isinstance(parent, str) else None
    return sorted(path, key=lambda r: r.line)


def _entry(f: SessionFile, trace: Trace, record: Record) -> None:
    d = record.data
    kind = kind_of(d)
    if kind == "model_change":
        trace.header["model"] = trace.header["model"] or d.get("modelId")
    elif kind in ("compaction", "branch_summary"):
        trace.message("system", f"[{kind}] {d.get('summary') or ''}")
    elif kind == "custom_message":
        trace.message("user", _text(trace, d.get("content")))
    elif kind == "message":
        message = d.get("message")
        if not isinstance(message, dict):
            f.bad(record.line, "a message entry without a message object")
            return
        _message(trace, message)


def _message(trace: Trace, m: dict[str, Any]) -> None:
    role = m.get("role")
    if role == "user":
        trace.message("user", _text(trace, m.get("content")))
    elif role == "assistant":
        if trace.header["model"] is None and isinstance(m.get("model"), str):
            trace.header["model"] = m["model"]
        texts, thinking, calls = [], [], []
        for block in m.get("content") or []:
            if not isinstance(block, dict):
                continue
            if block.get("type") == "text":
                texts.append(str(block.get("text", "")))
            elif block.get("type") == "thinking":
                thinking.append(str(block.get("thinking", "")))
            elif block.get("type") == "toolCall":
                arguments = block.get("arguments")
                arguments = arguments if isinstance(arguments, dict) else {"input": arguments}
                calls.append({"id": str(block.get("id")), "name": str(block.get("name")),
                              "arguments": arguments})
        if m.get("errorMessage"):
            texts.append(f"[{m.get('stopReason') or 'error'}] {m['errorMessage']}")
        usage = m.get("usage")
        tokens = None
        if isinstance(usage, dict):
            tokens = {"input": sum(int(usage.get(k) or 0) for k in ("input", "cacheRead", "cacheWrite")),
                      "output": int(usage.get("output") or 0)}
        trace.assistant("\n\n".join(texts), calls, thinking="\n\n".join(thinking), usage=tokens)
    elif role == "toolResult":
        trace.tool_result(str(m.get("toolCallId")), _text(trace, m.get("content")), not m.get("isError"),
                          name=m.get("toolName"))
    elif role == "bashExecution":
        status = "cancelled" if m.get("cancelled") else f"exit code {m.get('exitCode')}"
        trace.message("user", f"$ {m.get('command')}\n{m.get('output') or ''}\n[{status}]")
    elif role in ("custom", "hookMessage"):
        trace.message("user", _text(trace, m.get("content")))
    elif role in ("branchSummary", "compactionSummary"):
        trace.message("system", f"[{role}] {m.get('summary') or ''}")


def _text(trace: Trace, content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = []
    for block in content if isinstance(content, list) else []:
        if isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
        elif isinstance(block, dict) and block.get("type") == "image":
            parts.append(trace.image(block.get("mimeType"), block.get("data")))
    return "\n\n".join(parts)
