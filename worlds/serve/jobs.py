"""What a worker does with a job: rebuild the session, do one thing, report the change.

This runs in the worker processes (see :mod:`.runner`), and it is the same
code path as calling :class:`~worlds.Session` directly, so a result served
over HTTP or MCP is byte-identical (receipt included) to the one a program
gets in-process from the same workspace.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..errors import WorldsError
from ..result import RunResult
from ..session import HistoryEntry, Session, entry_from_state
from ..tools import ToolAnswer
from ..world import World
from .runner import Delta, Job, Reply


def execute(worlds: Mapping[str, World], job: Job) -> Reply:
    session = Session(worlds[job.world])
    session.files = dict(job.files)
    # The tools read of the earlier history only its length ("run #n"); the entries themselves
    # stay in the server, so a long session costs no more to ship than a new one.
    session.history = [_EARLIER] * job.history
    before = len(session.history)
    if job.kind == "run":
        try:
            result = session.run(job.args.get("path"), code=job.args.get("code"),
                                 lang=job.args.get("lang"))
        except WorldsError as err:
            status = 404 if str(err).startswith("no file") else 400
            return Reply(error=str(err), status=status)
        body = result.to_json(timing=True)
        body["text"] = str(result)
        value: Any = dumps(body)
    elif job.kind == "call":
        value = call(session, job.args["name"], job.args.get("arguments"))
    elif job.kind == "resume":
        # The suspended run is the session's last: the server sends its entry with the job.
        session.history[-1] = entry_from_state(job.args["entry"])
        session.suspend_at(session.history[-1])
        try:
            result = _resume(session, job.args)
        except WorldsError as err:
            return Reply(error=str(err), status=409)
        body = result.to_json(timing=True)
        body["text"] = str(result)
        value = dumps(body)
    else:
        return Reply(error=f"unknown job {job.kind!r}", status=500)
    return Reply(value=value, delta=diff(job.files, session, before))


_EARLIER = HistoryEntry(target="<earlier run>", lang="", ok=True, receipt="")


def _resume(session: Session, args: dict[str, Any]) -> RunResult:
    """Approve, deny or answer the session's suspended run, as ``args["action"]`` says."""
    if args["action"] == "approve":
        return session.approve(*args.get("calls", []))
    if args["action"] == "deny":
        return session.deny(args["call"], args.get("reason") or "denied")
    return session.resume(args["answers"])


def call(session: Session, name: str, arguments: Any) -> ToolAnswer:
    """``session.call_result(name, arguments)``: a tool answer, never an exception."""
    return session.call_result(name, arguments)


def diff(files: Mapping[str, bytes], session: Session, history_before: int) -> Delta:
    """The change from ``files`` to the session's workspace now, and its new history."""
    changed: dict[str, bytes | None] = {p: d for p, d in session.files.items() if files.get(p) != d}
    changed.update({p: None for p in files if p not in session.files})
    return Delta(files=changed, history=list(session.history[history_before:]))


def dumps(value: Any) -> bytes:
    """JSON bytes for an HTTP answer. Text a program printed may hold lone surrogates:
    they become ``\\udXXX`` escapes, which is still valid JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "backslashreplace")
