"""A session: a workspace of the agent's files layered over a world's inputs.

Inputs stay read-only. The agent writes files (``write``, ``edit``); a run
sees inputs and workspace together, and the files a successful run creates,
changes or deletes are applied to the workspace. ``history`` records every
run with its receipt, so a claim that something ran can be checked.

The agent-facing tools over a session (``tools``, ``call``) live in
:mod:`worlds.tools`; ``state``/``restore`` let a server keep a session.

Who changes a file is known: a tool call is its caller's (``actor``, the
agent by default), anything else the host's unless done inside
:meth:`Session.acting`. An agent's tool answer begins with what others changed
since its last call (:mod:`worlds.outside`).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import difflib
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, Literal

from . import languages
from ._text import utf8
from .diagnostics import Diagnostic
from .errors import SessionError, WorldError
from .languages.js.layout import INLINE
from .outside import Log
from .result import RunResult, RunStats
from .tools import ToolAnswer, dispatch, specs
from .world import World, _check_path, check_tree

STATE_VERSION = 1
#: Who changes files when no one else is named: the program that holds the session.
HOST = ("host", "the host")
#: Whose tool calls ``call`` makes unless told otherwise.
AGENT = ("agent", "the agent")
_LINE_NUMBERS = re.compile(r"^\s*\d+ \| ")


@dataclass(frozen=True)
class HistoryEntry:
    """One run in a session: what ran and the receipt that proves its outcome.

    ``target`` is the file that ran, or ``<code>``; ``source`` the program text
    that ran; ``changed`` the files the run created, changed or deleted (always
    empty for a failed run); ``summary`` one line on the outcome; ``calls`` the
    host function calls it made (the tape, as ``RunResult.calls``); ``pending``
    and ``suspended`` what a suspended run waits for and how to resume it.
    """

    target: str
    lang: str
    ok: bool
    receipt: str
    summary: str = ""
    changed: tuple[str, ...] = ()
    source: str = ""
    calls: tuple[dict[str, Any], ...] = ()  # the run's tape: its host function calls in order
    pending: tuple[dict[str, Any], ...] = ()  # calls a suspended run waits at
    suspended: str = ""  # a suspended run's state (RunResult.suspended_state, base64)


class Session:
    """A mutable workspace over an immutable :class:`World`.

    ``diagnostics="raw"`` reports failures in the engine's words alone (no
    checker, spans, causes or fixes): the bench's ablation of our diagnostics.
    """

    def __init__(self, world: World, *, diagnostics: Literal["full", "raw"] = "full") -> None:
        if diagnostics not in ("full", "raw"):
            raise SessionError(f"diagnostics must be 'full' or 'raw', not {diagnostics!r}")
        self.world = world
        self.diagnostics = diagnostics
        self.files: dict[str, bytes] = {}
        self.history: list[HistoryEntry] = []
        self._suspended: RunResult | None = None
        self._lock = threading.RLock()  # one tool call at a time per session
        self.outside = Log()  # who changed what, for the agents that did not
        self._who = threading.local()  # the actor changing files on this thread (see acting)

    # -- files ----------------------------------------------------------------------------------

    def write(self, path: str, text: str | bytes) -> None:
        clean = self._writable(path)
        self._set(clean, utf8(text) if isinstance(text, str) else bytes(text))

    def delete(self, path: str) -> None:
        """Remove workspace file ``path`` (an input the host replaced goes back to the world's)."""
        clean = self._clean(path)
        if clean not in self.files:
            if clean in self.world.files:
                raise SessionError(f"{path} is an input of the world and cannot be deleted")
            raise SessionError(self._missing(path))
        self._set(clean, None)

    def replace_input(self, path: str, data: str | bytes) -> None:
        """The host's change to input ``path`` in this session alone (the world stays as it is).

        The agent still sees it as a read-only input, with the new content; its next tool
        answer says so (a change like any other outside its calls).
        """
        clean = self._clean(path)
        if clean not in self.world.files:
            raise SessionError(f"{path} is not an input of the world; write it with write()")
        self._set(clean, utf8(data) if isinstance(data, str) else bytes(data))

    @contextlib.contextmanager
    def acting(self, actor: str, by: str) -> Iterator[None]:
        """File changes made on this thread inside the block are ``actor``'s, shown to other actors
        as made by ``by`` (e.g. ``"HTTP PUT /v1/sessions/<id>/files/a.js"``)."""
        saved = getattr(self._who, "actor", None)
        self._who.actor = (actor, by)
        try:
            yield
        finally:
            self._who.actor = saved

    def _set(self, path: str, data: bytes | None) -> None:
        """Write (or with None delete) ``path``, noting who did it."""
        before = self.files.get(path, self.world.files.get(path))
        if data is None:
            self.files.pop(path, None)
        else:
            self.files[path] = data
        after = self.files.get(path, self.world.files.get(path))
        actor, by = getattr(self._who, "actor", None) or HOST
        self.outside.record(actor, by, path, before, after)

    def apply(self, changes: dict[str, bytes | None]) -> None:
        """Set these workspace files (None deletes one), as the current actor (see :meth:`acting`)."""
        for path, data in changes.items():
            self._set(path, data)

    def read_bytes(self, path: str) -> bytes:
        clean = self._clean(path)
        data = self.files.get(clean, self.world.files.get(clean))
        if data is None:
            raise SessionError(self._missing(path))
        return data

    def read(self, path: str) -> str:
        return self.read_bytes(path).decode(errors="replace")

    def is_input(self, path: str) -> bool:
        """Whether ``path`` is one of the world's (read-only) inputs, replaced by the host or not."""
        return self._clean(path) in self.world.files

    def edit(self, path: str, old: str, new: str) -> int:
        """Replace the one occurrence of ``old`` in workspace file ``path`` with ``new``.

        Returns the line where the replaced text began. When ``old`` is missing
        or not unique the error shows where (the nearest match, or every place).
        """
        text = self.read(path)
        self._writable(path)
        if not old:
            raise SessionError(f"cannot edit {path}: the text to replace is empty; "
                               "give text that occurs exactly once")
        count = text.count(old)
        if count == 0:
            raise SessionError(f"cannot edit {path}: the text to replace was not found; "
                               "give text that occurs exactly once" + _nearest_note(text, old))
        if count > 1:
            starts: dict[str, None] = {}
            at = text.find(old)
            while at != -1 and len(starts) < 10:
                starts[str(text.count("\n", 0, at) + 1)] = None
                at = text.find(old, at + 1)
            where = f"{'line' if len(starts) == 1 else 'lines'} {', '.join(starts)}"
            raise SessionError(f"cannot edit {path}: the text to replace occurs {count} times "
                               f"(on {where}); include more of the surrounding lines so that "
                               "it occurs exactly once")
        at = text.find(old)
        self.write(path, text[:at] + new + text[at + len(old):])
        return text.count("\n", 0, at) + 1

    def list_files(self) -> list[str]:
        return sorted(set(self.world.files) | set(self.files))

    # -- running and checking -------------------------------------------------------------------

    def run(self, path: str | None = None, *, code: str | None = None, lang: str | None = None,
            limits: Any = None) -> RunResult:
        """Run workspace file ``path``, or ``code``; a successful run's writes join the workspace."""
        name, source, lang = self._program(path, code, lang, "run")
        entry = None if code is not None else name
        result = self.world._run(code=code, entry=entry, lang=lang,
                                 workspace=dict(self.files), limits=limits,
                                 raw=self.diagnostics == "raw")
        return self._record(result, entry or "<code>", source)

    @property
    def suspended(self) -> RunResult | None:
        """The session's last run, while it is suspended at host calls that await an answer."""
        return self._suspended

    def resume(self, answers: dict[str, Any]) -> RunResult:
        """Answer the suspended run's pending calls (a value each; an exception instance is thrown at
        the call) and let it finish; its writes join the workspace as a run's do."""
        return self._continue(lambda run: run.resume(answers))

    def approve(self, *call_ids: str) -> RunResult:
        """Approve the suspended run's pending calls (all, or those named): the host functions are
        called now."""
        return self._continue(lambda run: run.approve(*call_ids))

    def deny(self, call_id: str, reason: str = "denied") -> RunResult:
        """Refuse a pending call: the program gets an Error with ``reason`` at the call."""
        return self._continue(lambda run: run.deny(call_id, reason))

    def suspend_at(self, entry: HistoryEntry) -> None:
        """Make ``entry`` (a suspended run of this session's history) the run to resume."""
        blob = base64.b64decode(entry.suspended, validate=True)
        run = RunResult(lang=entry.lang, receipt=entry.receipt, calls=list(entry.calls),
                        pending=list(entry.pending), suspended_state=blob,
                        stats=RunStats(fuel=0, wall_ms=0, memory_bytes=0))
        run._resumer = lambda data, given: self.world.resume(data, given, workspace=dict(self.files))
        self._suspended = run

    def _continue(self, how: Callable[[RunResult], RunResult]) -> RunResult:
        with self._lock:
            run = self._suspended
            if run is None:
                raise SessionError("no run of this session is suspended")
            if not run.suspended_state:
                raise SessionError("the suspended run cannot be resumed here (it was restored without "
                                   "its state)")
            entry = self.history[-1]
            result = how(run)
            return self._record(result, entry.target, entry.source)

    def _record(self, result: RunResult, target: str, source: str) -> RunResult:
        """Apply a finished run's writes and add it to the history."""
        self._suspended = result if result.pending else None
        suspended = base64.b64encode(result.suspended_state).decode() if result.pending else ""
        if result.ok:
            self.apply({c.path: None if c.kind == "deleted" else result.files[c.path]
                        for c in result.changes})
        self.history.append(HistoryEntry(
            target=target, lang=result.lang, ok=result.ok, receipt=result.receipt,
            summary=_summary(result), source=source,
            changed=tuple(c.path for c in result.changes) if result.ok else (), calls=tuple(result.calls),
            pending=tuple(result.pending), suspended=suspended))
        return result

    def check(self, path: str | None = None, *, code: str | None = None,
              lang: str | None = None) -> list[Diagnostic]:
        """Static diagnostics for workspace file ``path`` or ``code``, without running it.

        Unlike ``World.check`` it knows the workspace: the modules a program
        may import and the data files that are tables.
        """
        name, source, lang = self._program(path, code, lang, "check")
        if self.diagnostics == "raw":
            return []  # a plain engine has no checker: errors show when the program runs
        return languages.get(lang).check(self.world, source, file=name, workspace=self.files,
                                         inline=code is not None)

    def history_text(self) -> str:
        """The runs of this session, one line each, with full receipts."""
        if not self.history:
            return "no runs yet"
        return "\n".join(f"#{i} {h.target} ({h.lang}) {h.summary or ('ok' if h.ok else 'failed')}; "
                         f"receipt {h.receipt}" for i, h in enumerate(self.history, 1))

    # -- tools for agents -------------------------------------------------------------------------

    def tools(self, format: str = "openai") -> list[dict[str, Any]]:
        """Tool specs for ``format``: "openai", "openai-responses", "anthropic" or "mcp"."""
        return specs(self, format)

    def call(self, name: str, arguments: dict[str, Any] | str | None = None, *, actor: str = AGENT[0],
             by: str = AGENT[1]) -> str:
        """Carry out tool ``name``; the answer is text for the model. Never raises.

        The call is ``actor``'s (shown to others as ``by``): its answer begins with what other
        actors changed since ``actor``'s last call, and the files it changes are ``actor``'s.
        """
        return self.call_result(name, arguments, actor=actor, by=by).text

    def call_result(self, name: str, arguments: dict[str, Any] | str | None = None, *,
                    actor: str = AGENT[0], by: str = AGENT[1]) -> ToolAnswer:
        """Like ``call``, with whether it succeeded, the run's receipt and the files changed."""
        with self._lock, self.acting(actor, by):
            told = self.news(actor)
            answer = dispatch(self, name, arguments)
        if told:
            answer.text = f"{told}\n\n{answer.text}"
        return answer

    def news(self, actor: str = AGENT[0]) -> str:
        """What others changed since ``actor``'s last call, as its next answer begins (marked shown).

        With ``diagnostics="raw"`` (a plain engine, the bench's ablation) it is never shown.
        """
        told = self.outside.take(actor)
        return told if self.diagnostics == "full" else ""

    # -- persistence ------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """The session as JSON-able data: workspace files (text, or base64) and the history."""
        files: dict[str, Any] = {}
        inputs: dict[str, Any] = {}  # inputs the host replaced in this session
        for path in sorted(self.files):
            data = self.files[path]
            kept = inputs if path in self.world.files else files
            try:
                kept[path] = data.decode()
            except UnicodeDecodeError:
                kept[path] = {"base64": base64.b64encode(data).decode()}
        history = [entry_state(h) for h in self.history]
        state: dict[str, Any] = {"version": STATE_VERSION,
                                 "world": {"name": self.world.name, "digest": self.world.digest()},
                                 "files": files, "history": history}
        if inputs:
            state["inputs"] = inputs
        outside = self.outside.state()
        if outside is not None:  # only sessions that more than one actor used have one
            state["outside"] = outside
        return state if self.diagnostics == "full" else {**state, "diagnostics": self.diagnostics}

    @classmethod
    def restore(cls, world: World, state: dict[str, Any]) -> Session:
        """The session that ``state`` (from :meth:`state`) describes, over ``world``."""
        try:
            if state.get("version") != STATE_VERSION:
                raise SessionError(f"cannot restore a session: state version {state.get('version')!r}, "
                                   f"expected {STATE_VERSION}")
            saved = state["world"]
            if saved["digest"] != world.digest():
                raise SessionError(f"cannot restore a session of world {saved['name']!r} over world "
                                   f"{world.name!r}: their input files differ")
            session = cls(world, diagnostics=state.get("diagnostics", "full"))
            for path, content in state["files"].items():
                session.files[session._writable(path)] = _content(path, content)
            for path, content in state.get("inputs", {}).items():
                if session._clean(path) not in world.files:
                    raise SessionError(f"cannot restore a session: {path!r} is not an input of the world")
                session.files[session._clean(path)] = _content(path, content)
            session.history = [entry_from_state(item) for item in state["history"]]
            if state.get("outside") is not None:
                session.outside = Log.from_state(state["outside"])
            if session.history and session.history[-1].suspended:
                session.suspend_at(session.history[-1])
        except SessionError:
            raise
        except (KeyError, TypeError, AttributeError, ValueError, binascii.Error) as err:
            raise SessionError(f"cannot restore a session: malformed state ({type(err).__name__}: {err})"
                               ) from None
        return session

    # -- helpers ----------------------------------------------------------------------------------

    def _program(self, path: str | None, code: str | None, lang: str | None,
                 verb: str) -> tuple[str, str, str]:
        """The program's name, its text and its language, from ``path`` or ``code``."""
        if (path is None) == (code is None):
            raise SessionError("give exactly one of path= or code=")
        if code is not None:
            return INLINE, code, lang or "js"
        clean = self._clean(path or "")
        data = self.files.get(clean, self.world.files.get(clean))
        if data is None:
            raise SessionError(self._missing(clean, f"to {verb}"))
        found = languages.by_extension(clean) if lang is None else None
        lang = lang or (found.name if found else "")
        if not lang:
            every = languages.all_languages()
            raise SessionError(f"cannot tell the language of {clean!r} from its name: give lang "
                               f"({languages.or_list([c.name for c in every])}), or name it "
                               f"{languages.or_list([c.extensions[0] for c in every])}")
        return clean, data.decode(errors="replace"), lang

    def _missing(self, path: str, what: str = "") -> str:
        names = self.list_files()
        folder = path.rstrip("/") + "/"
        inside = [n for n in names if n.startswith(folder)]
        if inside:
            return f"{path!r} is a folder; its files: {_listing(inside)}"
        close = difflib.get_close_matches(path, names, n=3, cutoff=0.6)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        return f"no file {path!r}{' ' + what if what else ''}{hint}; files: {_listing(names) or '(none)'}"

    def _clean(self, path: str) -> str:
        try:
            return _check_path(path)
        except WorldError as err:
            raise SessionError(str(err)) from None

    def _writable(self, path: str) -> str:
        clean = self._clean(path)
        if clean in self.world.files:
            raise SessionError(f"{path} is an input of the world and read-only; write a new file instead")
        try:
            check_tree({**self.world.files, **self.files, clean: b""})
        except WorldError as err:
            raise SessionError(str(err)) from None
        return clean


def entry_state(entry: HistoryEntry) -> dict[str, Any]:
    """A history entry as ``state()`` keeps it; what a run without host calls lacks is left out, so
    such sessions keep the form they always had."""
    item = {**asdict(entry), "changed": list(entry.changed), "calls": list(entry.calls),
            "pending": list(entry.pending)}
    for key in ("calls", "pending", "suspended"):
        if not item[key]:
            del item[key]
    return item


def entry_from_state(item: dict[str, Any]) -> HistoryEntry:
    """A history entry from its ``state()`` form, its types checked."""
    entry = HistoryEntry(**{**item, "changed": tuple(item.get("changed", ())),
                            "calls": tuple(item.get("calls", ())), "pending": tuple(item.get("pending", ()))})
    texts = (entry.target, entry.lang, entry.receipt, entry.summary, entry.source, *entry.changed)
    if not isinstance(entry.ok, bool) or not all(isinstance(t, str) for t in texts):
        raise SessionError(f"cannot restore a session: malformed history entry {str(item)[:80]}")
    return entry


def _content(path: str, content: Any) -> bytes:
    """A file's bytes from its ``state()`` form: text, or ``{"base64": ...}``."""
    if isinstance(content, str):
        return utf8(content)
    if isinstance(content, dict) and set(content) == {"base64"}:
        return base64.b64decode(content["base64"], validate=True)
    raise SessionError(f"cannot restore a session: file {path!r} is neither text nor {{'base64': ...}}")


def _listing(names: list[str], limit: int = 30) -> str:
    more = f", ... and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _summary(result: RunResult) -> str:
    """One deterministic line on a run's outcome (no timing)."""
    if result.pending:
        return "suspended: " + ", ".join(f"{p['id']} {p['name']} awaits an answer ({p['reason']})"
                                         for p in result.pending)
    if not result.ok:
        first = next(d for d in result.diagnostics if d.severity == "error")
        message = first.message if len(first.message) <= 120 else first.message[:119] + "…"
        where = f" at {first.file}:{first.span.start.line}" if first.file and first.span else ""
        return f"failed: {first.code} {message}{where}"
    parts = ["ok"]
    if result.table is not None:
        rows = max(result.table.row_count, len(result.table.rows))
        parts.append(f"{rows} row{'s' if rows != 1 else ''}")
    if result.changes:
        parts.append("changed " + ", ".join(c.path for c in result.changes))
    return ", ".join(parts)


def _nearest_note(text: str, old: str) -> str:
    """Where in ``text`` something like ``old`` is, as numbered lines, for an edit that missed."""
    hints = []
    if all(_LINE_NUMBERS.match(line) for line in old.splitlines() if line.strip()):
        hints.append("the text to replace holds line numbers (`N | `) from read_file; "
                     "send the file's text without them")
    found = nearest(text, old)
    if found is None:
        return ("; " + "; ".join(hints)) if hints else ""
    first, last = found
    lines = text.split("\n")
    if " ".join(old.split()) == " ".join("\n".join(lines[first - 1:last]).split()):
        hints.append(f"{_lines(first, last)} differ from it only in spaces, tabs or line breaks")
    width = len(str(last))
    shown = "\n".join(f"{n:>{width}} | {lines[n - 1]}" for n in range(first, last + 1))
    note = "" if not hints else "; " + "; ".join(hints)
    return f"{note}. The nearest text is on {_lines(first, last)}:\n{shown}"


def _lines(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


def nearest(text: str, old: str) -> tuple[int, int] | None:
    """The first and last line (1-based) of the lines of ``text`` most like ``old``, if any are."""
    lines = text.split("\n")
    want = old.strip("\n")
    size = want.count("\n") + 1
    best, score = None, 0.5  # below this, nothing is near
    for start in range(min(max(1, len(lines) - size + 1), 5_000)):
        ratio = _local_ratio("\n".join(lines[start:start + size])[:10_000], want[:10_000])
        if ratio > score:
            score, best = ratio, (start + 1, min(start + size, len(lines)))
    return best


def _local_ratio(candidate: str, want: str) -> float:
    """How like ``want`` the part of ``candidate`` that lines up with it is (0 to 1).

    A short ``old`` is compared with the matching stretch of a long line, not the
    whole line, so a near miss inside a line is found.
    """
    matcher = difflib.SequenceMatcher(None, candidate, want, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return 0.0
    part = candidate[blocks[0].a:blocks[-1].a + blocks[-1].size]
    if len(part) == len(candidate):
        return matcher.ratio()
    return difflib.SequenceMatcher(None, part, want, autojunk=False).ratio()
