"""One session file in, its traces out: detect the format, read, redact, flag claims, serialise.

Everything a trace holds passes through :func:`redact.redact` before it is serialised, and the
header records what was redacted (by kind), what was cut, how many binary blobs were replaced and
which lines could not be read. The output depends only on the input bytes and the path given, so
the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import claims, claude, codex, pi
from .actions import command
from .formats import SessionFile, Trace, detect, read_lines
from .redact import redact

READERS: dict[str, Callable[[SessionFile], list[Trace]]] = {"claude": claude.read, "codex": codex.read,
                                                            "pi": pi.read}
_NAMES = {"claude": "Claude Code", "codex": "Codex", "pi": "pi"}


@dataclass
class Imported:
    """What importing one file gave: traces as (file name, bytes), problems, and counts."""

    format: str | None = None
    traces: list[tuple[str, bytes]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    redacted: Counter[str] = field(default_factory=Counter)
    cut: int = 0
    flags: int = 0


def convert(path: str, raw: bytes) -> Imported:
    """The traces of the session file ``path`` whose content is ``raw``; never raises on bad data."""
    out = Imported()
    session = read_lines(path, raw)
    fmt = detect(session.records)
    if fmt is None:
        why = "empty" if not session.records and not session.problems else \
            "not a Claude Code, Codex or pi session"
        out.problems += session.problems if not session.records else []
        out.problems.append(f"{path}:1: {why} (skipped)")
        return out
    out.format = fmt
    try:
        traces = READERS[fmt](session)
    except (ValueError, TypeError, KeyError, AttributeError) as e:  # data shaped unlike any version seen
        out.problems += session.problems + [f"{path}:1: cannot read this {_NAMES[fmt]} session: {e}"]
        return out
    out.problems += session.problems
    digest = hashlib.sha256(raw).hexdigest()[:8]
    stem = re.sub(r"[^\w.-]+", "_", path.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".jsonl"))
    for i, trace in enumerate(traces):
        name = f"{fmt}-{stem}-{digest}{'-sidechain' if i else ''}.jsonl"
        data, counts, flags = _serialise(trace, session.problems)
        out.traces.append((name, data))
        out.redacted += counts
        out.cut += trace.cut["outputs"]
        out.flags += flags
    return out


def _serialise(trace: Trace, problems: list[str]) -> tuple[bytes, Counter[str], int]:
    counts: Counter[str] = Counter()
    header = redact(trace.header, counts)
    events = [redact(e, counts) for e in trace.events]
    events = claims.annotate(events)  # after redaction: a flag quotes a sentence, never a secret
    first = next((e["content"] for e in events if e.get("role") == "user" and e["content"].strip()), "")
    header["task"] = first.strip().splitlines()[0][:100] if first else None
    header.update(bad_lines=problems, cut=trace.cut, placeholders=trace.placeholders,
                  redacted=dict(sorted(counts.items())))
    result = _result(events, trace.usage_seen)
    lines = [header, *events, result]
    text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in lines)
    return text.encode(), counts, result["flags"]


def _result(events: list[dict[str, Any]], usage_seen: bool) -> dict[str, Any]:
    calls = [c for e in events if e.get("type") == "message" for c in e.get("tool_calls") or []]
    results = [e for e in events if e.get("type") == "tool_result"]
    messages = [e for e in events if e.get("type") == "message" and e.get("role") in ("user", "assistant")]
    last = messages[-1] if messages else {}
    if last.get("role") == "assistant" and not last.get("tool_calls"):
        stop = "finished"
    elif last.get("role") == "user" and "interrupted" in str(last.get("content", "")).lower():
        stop = "interrupted"
    else:
        stop = "unfinished"
    usage = [e["usage"] for e in events if isinstance(e.get("usage"), dict)]
    return {"type": "result", "turns": max((int(e.get("turn") or 0) for e in events), default=0),
            "calls": len(calls), "runs": sum(1 for c in calls if command(c) is not None),
            "tool_errors": sum(1 for r in results if r.get("ok") is False), "stop": stop,
            "input_tokens": sum(u["input_tokens"] for u in usage) if usage_seen else None,
            "output_tokens": sum(u["output_tokens"] for u in usage) if usage_seen else None,
            "flags": sum(1 for e in events if e.get("type") == "flag")}
