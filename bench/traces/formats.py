"""What the three readers share: reading a session file line by line, telling its format from its
content, and building a trace in the bench's own format (``bench/harness/episode.py``).

A reader turns one session file into events through a :class:`Trace`: ``message`` events (system,
user, assistant with ``tool_calls``) and ``tool_result`` events, numbered by turn as the bench
numbers them (turn 0 is what came before the first assistant message; each assistant message
starts the next turn, and a tool result has the turn of its call). Tool output over
:data:`MAX_OUTPUT` characters is cut in the middle, and images or other binary data become a
placeholder with their type and size, so a trace stays readable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

MAX_OUTPUT = 20_000  # characters of one tool output kept: the head and the tail
_TAIL = 2_000
_BASE64_RUN = re.compile(r"(?:data:([\w.+-]+/[\w.+-]+);base64,)?([A-Za-z0-9+/]{600,}={0,2})")


@dataclass
class Record:
    """One JSON object of a session file and the line it came from (1-based)."""

    line: int
    data: dict[str, Any]


@dataclass
class SessionFile:
    """A session file read: its records, and the lines that could not be read (``file:line: why``)."""

    path: str
    records: list[Record] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def bad(self, line: int, why: str) -> None:
        self.problems.append(f"{self.path}:{line}: {why}")


def read_lines(path: str, raw: bytes) -> SessionFile:
    """Every line of ``raw`` that is a JSON object; the others as problems. Never raises."""
    out = SessionFile(path)
    text = raw.decode("utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as e:
            out.bad(number, f"not JSON ({e.msg} at column {e.colno})")
            continue
        if not isinstance(data, dict):
            out.bad(number, f"a JSON {type(data).__name__}, not an object")
            continue
        out.records.append(Record(number, data))
    return out


_CLAUDE_TYPES = {"user", "assistant", "summary", "system", "file-history-snapshot", "queue-operation",
                 "progress", "attachment"}
_CODEX_TYPES = {"session_meta", "response_item", "event_msg", "turn_context", "compacted"}
_CODEX_ITEMS = {"message", "function_call", "function_call_output", "reasoning", "local_shell_call",
                "custom_tool_call", "custom_tool_call_output", "web_search_call"}
_PI_ROLES = {"user", "assistant", "toolResult", "bashExecution", "custom", "hookMessage",
             "branchSummary", "compactionSummary"}


def kind_of(data: dict[str, Any]) -> str | None:
    """A record's ``type`` when it is a string (a damaged record may hold anything there)."""
    kind = data.get("type")
    return kind if isinstance(kind, str) else None


def detect(records: list[Record]) -> str | None:
    """``claude``, ``codex`` or ``pi`` from the first records' shape (never the file's path)."""
    votes = {"claude": 0, "codex": 0, "pi": 0}
    for record in records[:30]:
        d = record.data
        kind = kind_of(d)
        if kind == "session" and "cwd" in d or kind == "message" and isinstance(d.get("message"), dict) \
                and str(d["message"].get("role")) in _PI_ROLES:
            votes["pi"] += 3 if kind == "session" else 1
        elif kind in _CODEX_TYPES and "payload" in d:
            votes["codex"] += 3 if kind == "session_meta" else 1
        elif "record_type" in d or kind in _CODEX_ITEMS and "message" not in d \
                or kind is None and "id" in d and ("instructions" in d or "git" in d):
            votes["codex"] += 1  # the rollouts before payload wrappers: bare items
        elif kind in _CLAUDE_TYPES and ({"sessionId", "uuid", "leafUuid", "messageId"} & d.keys()):
            votes["claude"] += 1
    best = max(votes, key=lambda k: votes[k])
    return best if votes[best] else None


class Trace:
    """A trace being built: a header, then events, with turns and tool names tracked."""

    def __init__(self, source: str, version: str, file: str) -> None:
        self.header: dict[str, Any] = {"type": "episode", "source": source, "format_version": version,
                                       "file": file, "session": None, "task": None, "world": None,
                                       "agent": source, "model": None}
        self.events: list[dict[str, Any]] = []
        self.turn = 0
        self.names: dict[str, str] = {}  # tool call id -> tool name
        self.cut = {"outputs": 0, "characters": 0}
        self.placeholders = 0
        self.usage_seen = False

    def message(self, role: str, text: str, *, thinking: str = "") -> None:
        if not text.strip() and not thinking.strip():
            return
        event: dict[str, Any] = {"type": "message", "turn": self.turn, "role": role,
                                 "content": self.scrub(text)}
        if thinking:
            event["thinking"] = self.scrub(thinking)
        self.events.append(event)

    def assistant(self, text: str, calls: list[dict[str, Any]], *, thinking: str = "",
                  usage: dict[str, int] | None = None) -> dict[str, Any]:
        """A new turn: the assistant's text, its tool calls ``[{id, name, arguments}]``, usage if known."""
        self.turn += 1
        for call in calls:
            self.names[call["id"]] = call["name"]
            call["arguments"] = self._scrub_value(call["arguments"])
        event: dict[str, Any] = {"type": "message", "turn": self.turn, "role": "assistant",
                                 "content": self.scrub(text), "tool_calls": calls}
        if thinking:
            event["thinking"] = self.scrub(thinking)
        if usage is not None:
            self.usage_seen = True
            event["usage"] = {"input_tokens": usage.get("input", 0), "output_tokens": usage.get("output", 0),
                              "cost": None}
        self.events.append(event)
        return event

    def extend_assistant(self, event: dict[str, Any], text: str, calls: list[dict[str, Any]],
                         thinking: str = "", usage: dict[str, int] | None = None) -> None:
        """More of the same assistant message (a reply streamed as several records)."""
        if text:
            event["content"] = "\n\n".join(p for p in (event["content"], self.scrub(text)) if p)
        if thinking:
            event["thinking"] = "\n\n".join(p for p in (event.get("thinking", ""), self.scrub(thinking)) if p)
        for call in calls:
            self.names[call["id"]] = call["name"]
            call["arguments"] = self._scrub_value(call["arguments"])
        event["tool_calls"] = event["tool_calls"] + calls
        if usage is not None:  # each record repeats the reply's usage so far: the last one holds
            self.usage_seen = True
            event["usage"] = {"input_tokens": usage.get("input", 0), "output_tokens": usage.get("output", 0),
                              "cost": None}

    def tool_result(self, call_id: str, text: str, ok: bool, name: str | None = None) -> None:
        name = name or self.names.get(call_id, "?")
        self.events.append({"type": "tool_result", "turn": self.turn, "role": "tool", "id": call_id,
                            "name": name, "content": self.cut_output(self.scrub(text)), "ok": ok})

    def scrub(self, text: str) -> str:
        """Binary and base64 data replaced by a placeholder saying what it was and its size."""
        if "\x00" in text or _mostly_control(text):
            self.placeholders += 1
            return f"[binary data, {len(text.encode('utf-8', 'replace')):,} bytes]"

        def one(m: re.Match[str]) -> str:
            self.placeholders += 1
            kind = m.group(1) or "base64 data"
            return f"[{kind}, {_decoded_size(m.group(2)):,} bytes, base64]"
        return _BASE64_RUN.sub(one, text)

    def image(self, media_type: str | None, data: str | None) -> str:
        """The placeholder of an image (or other attached binary) block."""
        self.placeholders += 1
        size = f"{_decoded_size(data):,} bytes" if isinstance(data, str) else "size unknown"
        return f"[{media_type or 'image'}, {size}]"

    def cut_output(self, text: str) -> str:
        if len(text) <= MAX_OUTPUT:
            return text
        cut = len(text) - MAX_OUTPUT
        self.cut["outputs"] += 1
        self.cut["characters"] += cut
        head = MAX_OUTPUT - _TAIL
        return f"{text[:head]}\n[... {cut:,} characters cut of {len(text):,} ...]\n{text[-_TAIL:]}"

    def _scrub_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, list):
            return [self._scrub_value(v) for v in value]
        if isinstance(value, dict):
            return {k: self._scrub_value(v) for k, v in value.items()}
        return value


def _decoded_size(b64: str) -> int:
    data = b64.strip()
    return len(data) * 3 // 4 - len(data) + len(data.rstrip("="))


def _mostly_control(text: str) -> bool:
    if len(text) < 64:
        return False
    sample = text[:4096]
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t" or ch == "\ufffd")
    return control > len(sample) // 10


def parse_json_object(text: Any) -> dict[str, Any]:
    """Tool arguments given as a JSON string (OpenAI style), as a dict; ``{"input": text}`` otherwise."""
    if isinstance(text, dict):
        return text
    if isinstance(text, str):
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return {"input": text}
        return value if isinstance(value, dict) else {"input": value}
    return {"input": text}
