"""Claude Code sessions: ``~/.claude/projects/<project>/<session>.jsonl`` and subagent files.

One JSON object a line, told apart by ``type``: ``user`` and ``assistant`` carry ``message``
(an Anthropic Messages API message: ``content`` a string or blocks ``text``, ``thinking``,
``tool_use`` {id, name, input}, ``tool_result`` {tool_use_id, content, is_error}, ``image``);
``system`` carries ``content`` (notes such as compaction or API errors); ``summary`` a title;
``file-history-snapshot``, ``queue-operation``, ``progress`` are bookkeeping. Every line has
``uuid``/``parentUuid``, ``sessionId``, ``timestamp``, ``isSidechain`` and the CLI ``version``.
A reply is written as one line per content block, all with the same ``message.id``: they are
joined into one assistant message. Subagent work is marked ``isSidechain``: in its own file
(``agent-*.jsonl``, beside the session or under ``<session>/subagents/``), or, in early versions,
inside the session file, where it becomes a second trace. Lines are read in file order.
"""

from __future__ import annotations

import json
from typing import Any

from .formats import Record, SessionFile, Trace, kind_of

_BOOKKEEPING = {"file-history-snapshot", "queue-operation", "progress", "attachment"}


def read(f: SessionFile) -> list[Trace]:
    versions = [r.data["version"] for r in f.records if isinstance(r.data.get("version"), str)]
    version = versions[0] if versions else "unknown"
    main = [r for r in f.records if not r.data.get("isSidechain")]
    side = [r for r in f.records if r.data.get("isSidechain")]
    if not main or not side:  # one conversation: a session, or a subagent's own file
        return [_trace(f, f.records, version, sidechain=bool(side))]
    return [_trace(f, main, version, sidechain=False), _trace(f, side, version, sidechain=True)]


def _trace(f: SessionFile, records: list[Record], version: str, *, sidechain: bool) -> Trace:
    trace = Trace("claude", version, f.path)
    trace.header["sidechain"] = sidechain
    last: dict[str, Any] | None = None  # the assistant message being streamed in, and its id
    last_id: str | None = None
    skipped: dict[str, int] = {}
    for record in records:
        d = record.data
        kind = kind_of(d)
        if trace.header["session"] is None and isinstance(d.get("sessionId"), str):
            trace.header["session"] = d["sessionId"]
        if sidechain and d.get("agentId"):
            trace.header["agent_id"] = d["agentId"]
        if kind == "summary":
            trace.header["summary"] = d.get("summary")
            continue
        if kind in _BOOKKEEPING:
            continue
        if kind == "system":
            text = d.get("content")
            if isinstance(text, str):
                trace.message("system", f"[{d.get('subtype') or 'system'}] {text}")
            continue
        if kind not in ("user", "assistant"):
            skipped[str(kind)] = skipped.get(str(kind), 0) + 1
            continue
        message = d.get("message")
        if not isinstance(message, dict):
            f.bad(record.line, f"{kind} line without a message object")
            continue
        content = message.get("content")
        if kind == "assistant":
            if not isinstance(message.get("model"), str) or message["model"].startswith("<"):
                pass  # "<synthetic>" replies (errors, interruptions) name no real model
            elif trace.header["model"] is None:
                trace.header["model"] = message["model"]
            text, thinking, calls = _assistant_blocks(trace, content)
            usage = _usage(message.get("usage"))
            mid = message.get("id")
            if last is not None and mid is not None and mid == last_id:
                trace.extend_assistant(last, text, calls, thinking, usage)
            else:
                last, last_id = trace.assistant(text, calls, thinking=thinking, usage=usage), mid
            continue
        if _user(trace, d, content):  # a reply's blocks may straddle its tool results, not a prompt
            last, last_id = None, None
    if skipped:
        trace.header["skipped"] = dict(sorted(skipped.items()))
    return trace


def _assistant_blocks(trace: Trace, content: Any) -> tuple[str, str, list[dict[str, Any]]]:
    if isinstance(content, str):
        return content, "", []
    texts, thinking, calls = [], [], []
    for block in content if isinstance(content, list) else []:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "text":
            texts.append(str(block.get("text", "")))
        elif kind == "thinking":
            thinking.append(str(block.get("thinking", "")))
        elif kind == "redacted_thinking":
            thinking.append("[redacted thinking]")
        elif kind in ("tool_use", "server_tool_use"):
            arguments = block.get("input")
            calls.append({"id": str(block.get("id")), "name": str(block.get("name")),
                          "arguments": arguments if isinstance(arguments, dict) else {"input": arguments}})
        elif kind == "image":
            texts.append(_image(trace, block))
    return "\n\n".join(t for t in texts if t), "\n\n".join(thinking), calls


def _user(trace: Trace, d: dict[str, Any], content: Any) -> bool:
    """The user line's messages and tool results; whether it held a message."""
    role = "system" if d.get("isMeta") else "user"  # meta lines are injected context, not the person
    if isinstance(content, str):
        trace.message(role, content)
        return True
    texts = []
    for block in content if isinstance(content, list) else []:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "tool_result":
            text = _result_text(trace, block.get("content"))
            failed = bool(block.get("is_error"))
            trace.tool_result(str(block.get("tool_use_id")), text, not failed)
        elif kind == "text":
            texts.append(str(block.get("text", "")))
        elif kind in ("image", "document"):
            texts.append(_image(trace, block))
    if texts:
        trace.message(role, "\n\n".join(texts))
    return bool(texts)


def _result_text(trace: Trace, content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, dict) and block.get("type") == "text":
                parts.append(str(block.get("text", "")))
            elif isinstance(block, dict) and block.get("type") in ("image", "document"):
                parts.append(_image(trace, block))
            else:
                parts.append(json.dumps(block, ensure_ascii=False, sort_keys=True))
        return "\n".join(parts)
    return "" if content is None else json.dumps(content, ensure_ascii=False, sort_keys=True)


def _image(trace: Trace, block: dict[str, Any]) -> str:
    source = block.get("source")
    source = source if isinstance(source, dict) else {}
    return trace.image(source.get("media_type") or block.get("type"), source.get("data"))


def _usage(usage: Any) -> dict[str, int] | None:
    if not isinstance(usage, dict):
        return None
    # Cached prompt tokens are input tokens too: the model read them.
    read = sum(int(usage.get(k) or 0) for k in ("input_tokens", "cache_creation_input_tokens",
                                                 "cache_read_input_tokens"))
    return {"input": read, "output": int(usage.get("output_tokens") or 0)}
