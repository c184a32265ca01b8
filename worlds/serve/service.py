"""The server's core, shared by the HTTP API and MCP: sessions that live in memory and on disk.

A session is a :class:`~worlds.Session` in this process (the truth for
reads), a row set in the :class:`~.store.Store` (the truth across restarts)
and an :class:`asyncio.Lock` that orders the requests on it. Every change
goes to the database before the request that made it is answered. Runs and
checks go to the worker :class:`~.runner.Pool`; the cheap tools (read,
write, list) run here, on the event loop, without a round trip.

Sessions are reached only by id, an unguessable 128-bit token: nothing lists
them, so one client cannot find, read or change another's files.

Every request acts as someone (:meth:`worlds.Session.acting`): a tool call as
its caller (each MCP connection, or the HTTP call route), a file written with
PUT or a run posted to the run route as that route. A tool answer begins with
what the others changed since that caller's last call.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import dataclasses
import json
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..errors import WorldsError
from ..outside import Log
from ..session import STATE_VERSION, HistoryEntry, Session, entry_state
from ..tools import ToolAnswer
from ..world import World, _check_path
from .jobs import diff
from .runner import Delta, Job, Pool, Reply, WorkerLost
from .store import Store, Stored

log = logging.getLogger("worlds.serve")
T = TypeVar("T")

#: Tools cheap enough to answer on the event loop. The rest (run, check, describe, and edit_file,
#: whose search for the nearest match can take a while in a big file) go to a worker process.
LOCAL_TOOLS = frozenset({"list_files", "read_file", "write_file"})
DEFAULT_IDLE_S = 24 * 3600.0
#: A session unused this long leaves memory (it stays on disk until it expires).
EVICT_S = 600.0


class ServeError(Exception):
    """A request the server cannot satisfy; ``status`` is its HTTP status, the message says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(eq=False)
class Live:
    """A session held in memory."""

    id: str
    world: str
    session: Session
    created: float
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    gone: bool = False
    outside_saved: str = "null"  # the log of outside changes as last written to disk (JSON)


class Service:
    """Sessions over ``worlds``, persisted in ``store``, run on ``pool``."""

    def __init__(self, worlds: Mapping[str, World], store: Store, pool: Pool, *,
                 idle_s: float = DEFAULT_IDLE_S, clock: Callable[[], float] = time.time) -> None:
        if not worlds:
            raise ValueError("serve at least one world")
        if not idle_s > 0:
            raise ValueError(f"the idle time must be a positive number of seconds, not {idle_s!r}")
        self.worlds = dict(worlds)
        self.store = store
        self.pool = pool
        self.idle_s = idle_s
        self.clock = clock
        self._live: dict[str, Live] = {}
        self._used: dict[str, float] = {}  # last use, by session id
        self._unsaved: set[str] = set()  # sessions whose last use is not on disk yet
        self._reaper: asyncio.Task[None] | None = None

    # -- life cycle ----------------------------------------------------------------

    async def start(self) -> None:
        await self.pool.start()
        self.store.expire(self.clock() - self.idle_s)
        self._reaper = asyncio.get_running_loop().create_task(self._reap_forever())

    async def close(self) -> None:
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
        self._flush_used()
        await self.pool.close()
        self.store.close()

    # -- finding sessions ------------------------------------------------------------

    def open(self, world: str | None, *, bind: str | None = None) -> Live:
        """A new session in ``world`` (the only world, if None); ``bind`` makes it that key's default."""
        name = self.world_name(world)
        sid = secrets.token_hex(16)
        now = self.clock()
        self.store.create(sid, name, now, bind=None if bind is None else (bind, name))
        live = Live(sid, name, self.worlds[name].session(), now)
        self._live[sid] = live
        self._used[sid] = now
        return live

    def world_name(self, world: str | None) -> str:
        if world is None:
            if len(self.worlds) == 1:
                return next(iter(self.worlds))
            raise ServeError(400, f"this server serves several worlds; name one of: {self._world_list()}")
        if world not in self.worlds:
            raise ServeError(400, f"no world {world!r}; this server serves: {self._world_list()}")
        return world

    def get(self, sid: str) -> Live:
        """The session ``sid``, from memory or disk; 404 when there is none (or it expired)."""
        now = self.clock()
        live = self._live.get(sid)
        if live is None:
            stored = self.store.load(sid) if _plausible(sid) else None
            if stored is None:
                raise ServeError(404, f"no session {sid!r}: it never existed, was deleted, or expired "
                                      f"after {self.idle_s:g} s unused; create one with POST /v1/sessions")
            live = self._revive(stored)
            self._used[sid] = stored.touched
        if now - self._used.get(sid, now) > self.idle_s:
            self._forget(sid)
            self.store.delete(sid)
            raise ServeError(404, f"session {sid!r} expired after {self.idle_s:g} s unused; "
                                  "create a new one with POST /v1/sessions")
        self._used[sid] = now
        self._unsaved.add(sid)
        return live

    def bound(self, key: str, world: str) -> Live | None:
        """The session bound to connection ``key`` in ``world``, if it is still there."""
        sid = self.store.bound(key, world)
        if sid is None:
            return None
        try:
            return self.get(sid)
        except ServeError:
            return None

    def _revive(self, stored: Stored) -> Live:
        if stored.world not in self.worlds:
            raise ServeError(404, f"session {stored.id!r} belongs to world {stored.world!r}, which this "
                                  f"server does not serve (it serves: {self._world_list()})")
        try:
            session = restore(self.worlds[stored.world], stored.files, stored.history, stored.outside)
        except WorldsError as err:
            raise ServeError(409, f"session {stored.id!r} cannot be reopened: {err}") from None
        live = Live(stored.id, stored.world, session, stored.created)
        live.outside_saved = _log_json(session)
        self._live[stored.id] = live
        return live

    async def delete(self, sid: str) -> None:
        live = self.get(sid)

        async def drop(live: Live) -> None:
            self._forget(live.id)
            self.store.delete(live.id)
        await self._locked(live, drop)

    # -- doing things ----------------------------------------------------------------

    async def call(self, sid: str, name: str, arguments: Any, *, actor: str = "http:call",
                   by: str = "") -> ToolAnswer:
        """Tool ``name`` on the session: a tool answer (a tool's errors are in it, not raised).

        The call is ``actor``'s, shown to others as made ``by`` (default: the HTTP call route).
        """
        live = self.get(sid)
        who = (actor, by or f"HTTP POST /v1/sessions/{sid}/call")

        async def act(live: Live) -> ToolAnswer:
            if name not in LOCAL_TOOLS:
                log = live.session.outside.copy()
                told = live.session.news(actor)  # what changed before this call, as call_result says it
                try:
                    reply = await self._submit(live, _job(live, "call", name=name, arguments=arguments),
                                               who)
                except ServeError:
                    live.session.outside = log  # not shown after all: the next call shows it
                    raise
                assert isinstance(reply.value, ToolAnswer)
                if told:
                    reply.value.text = f"{told}\n\n{reply.value.text}"
                return reply.value
            before, count = dict(live.session.files), len(live.session.history)
            log = live.session.outside.copy()
            answer = live.session.call_result(name, arguments, actor=who[0], by=who[1])
            self._save_local(live, before, count, log)
            return answer
        return await self._locked(live, act)

    async def run(self, sid: str, *, code: str | None, path: str | None, lang: str | None) -> bytes:
        """A run, as the JSON bytes of its result (``to_json(timing=True)`` plus ``text``)."""
        live = self.get(sid)

        async def act(live: Live) -> bytes:
            reply = await self._submit(live, _job(live, "run", code=code, path=path, lang=lang),
                                       ("http:run", f"HTTP POST /v1/sessions/{sid}/run"))
            assert isinstance(reply.value, bytes)
            return reply.value
        return await self._locked(live, act)

    async def resume(self, sid: str, action: str, **args: Any) -> bytes:
        """Approve, deny or answer the session's suspended run (the human side of an approval): the
        run goes on in a worker, and its result comes back as :meth:`run`'s does."""
        live = self.get(sid)

        async def act(live: Live) -> bytes:
            last = live.session.history[-1] if live.session.history else None
            if last is None or not last.suspended:
                raise ServeError(409, "no run of this session is suspended")
            waiting = {p["id"] for p in last.pending}
            named = set(args.get("calls") or []) | ({args["call"]} if args.get("call") else set()) \
                | set(args.get("answers") or {})
            if named - waiting:
                raise ServeError(409, f"{', '.join(sorted(named - waiting))} is not pending; the run waits "
                                      f"at {', '.join(sorted(waiting))}")
            reply = await self._submit(live, _job(live, "resume", action=action, entry=entry_json(last),
                                                  **args),
                                       ("http:" + action, f"HTTP POST /v1/sessions/{sid}/{action}"))
            assert isinstance(reply.value, bytes)
            return reply.value
        return await self._locked(live, act)

    async def write(self, sid: str, path: str, content: str) -> tuple[str, int]:
        live = self.get(sid)

        async def act(live: Live) -> tuple[str, int]:
            before, count = dict(live.session.files), len(live.session.history)
            log = live.session.outside.copy()
            try:
                with live.session.acting("http:put", f"HTTP PUT /v1/sessions/{sid}/files/{path}"):
                    live.session.write(path, content)
            except WorldsError as err:
                raise ServeError(400, str(err)) from None
            self._save_local(live, before, count, log)
            clean = _check_path(path)
            return clean, len(live.session.files[clean])
        return await self._locked(live, act)

    def read(self, sid: str, path: str) -> str:
        live = self.get(sid)
        try:
            return live.session.read(path)
        except WorldsError as err:
            raise ServeError(404 if str(err).startswith("no file") else 400, str(err)) from None

    def files(self, live: Live) -> list[dict[str, Any]]:
        inputs, work = live.session.world.files, live.session.files
        return [{"path": p, "size": len(work[p] if p in work else inputs[p]), "input": p in inputs}
                for p in live.session.list_files()]

    @staticmethod
    def history(live: Live) -> list[dict[str, Any]]:
        return [entry_json(e) for e in live.session.history]

    # -- internals -------------------------------------------------------------------

    async def _locked(self, live: Live, act: Callable[[Live], Awaitable[T]]) -> T:
        """``act(live)`` under the session's lock, carried to the end even if the caller goes
        away: a change the worker made is recorded whether or not anyone reads the answer."""
        async def guarded() -> T:
            async with live.lock:
                if live.gone:
                    raise ServeError(404, f"session {live.id!r} was deleted while this request waited")
                try:
                    return await act(live)
                finally:
                    self._used[live.id] = self.clock()
                    self._unsaved.add(live.id)
        task = asyncio.ensure_future(guarded())
        task.add_done_callback(_consume)
        return await asyncio.shield(task)

    async def _submit(self, live: Live, job: Job, who: tuple[str, str]) -> Reply:
        """Run ``job`` in a worker; its changes to the files are ``who``'s (actor, by)."""
        try:
            reply = await self.pool.submit(job)
        except WorkerLost as err:
            raise ServeError(503, f"{err}; nothing changed, send the request again") from None
        if reply.error is not None:
            raise ServeError(reply.status, reply.error)
        self._save(live, reply.delta, who)
        return reply

    def _save_local(self, live: Live, before: dict[str, bytes], count: int, log: Log) -> None:
        """Persist what a tool run in this process changed; undo it in memory if that fails."""
        delta = diff(before, live.session, count)
        outside = _log_json(live.session)
        if delta.files or delta.history or outside != live.outside_saved:
            try:
                self._write(live, delta, count, outside)
            except Exception:
                live.session.files = before
                del live.session.history[count:]
                live.session.outside = log
                raise

    def _save(self, live: Live, delta: Delta, who: tuple[str, str]) -> None:
        """Apply a worker's change in memory (noting who made it) and persist it; undo it if that
        fails."""
        session = live.session
        count, before, log = len(session.history), dict(session.files), session.outside.copy()
        with session.acting(*who):
            session.apply(delta.files)
        outside = _log_json(session)
        if delta.files or delta.history or outside != live.outside_saved:
            try:
                self._write(live, delta, count, outside)
            except Exception:
                session.files, session.outside = before, log
                raise
        session.history.extend(delta.history)

    def _write(self, live: Live, delta: Delta, count: int, outside: str) -> None:
        now = self.clock()
        try:
            self.store.save(live.id, now, files=delta.files,
                            history=[(count + i, entry_json(e)) for i, e in enumerate(delta.history)],
                            outside=outside if outside != live.outside_saved else None)
            live.outside_saved = outside
        except Exception as err:
            log.exception("cannot save session %s", live.id)
            raise ServeError(503, f"the server could not save this change ({err}); nothing changed, "
                                  "send the request again") from None
        self._used[live.id] = now
        self._unsaved.discard(live.id)

    def _forget(self, sid: str) -> None:
        live = self._live.pop(sid, None)
        if live is not None:
            live.gone = True
        self._used.pop(sid, None)
        self._unsaved.discard(sid)

    def _flush_used(self) -> None:
        if self._unsaved:
            self.store.touch({s: self._used[s] for s in self._unsaved if s in self._used})
            self._unsaved.clear()

    async def _reap_forever(self) -> None:
        interval = min(max(self.idle_s / 4, 0.05), 30.0)
        while True:
            await asyncio.sleep(interval)
            try:
                self.reap()
            except Exception:  # a full disk must not stop the server; try again next time
                log.exception("cannot expire idle sessions")

    def reap(self) -> list[str]:
        """Delete the sessions idle longer than ``idle_s``; drop long-unused ones from memory."""
        now = self.clock()
        for live in self._live.values():
            if live.lock.locked():
                self._used[live.id] = now
                self._unsaved.add(live.id)
        self._flush_used()
        gone = self.store.expire(now - self.idle_s)
        for sid in gone:
            self._forget(sid)
        for sid, live in list(self._live.items()):
            if now - self._used.get(sid, now) > min(EVICT_S, self.idle_s) and not live.lock.locked():
                del self._live[sid]
        return gone

    def _world_list(self) -> str:
        return ", ".join(self.worlds)


#: The fields every history entry has (those of runs with host calls are added only to theirs).
_ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(HistoryEntry)
                      if f.name not in ("calls", "pending", "suspended"))


def _job(live: Live, kind: str, **args: Any) -> Job:
    return Job(kind, live.world, dict(live.session.files), len(live.session.history), args)


def _plausible(sid: str) -> bool:
    return 0 < len(sid) <= 64 and sid.isascii() and sid.isalnum()


def _consume(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved: no "never retrieved" warning when the caller left


def entry_json(entry: HistoryEntry) -> dict[str, Any]:
    """A history entry as JSON, as ``Session.state()`` writes it (``asdict`` is 10x slower)."""
    if entry.calls:  # a run with host calls: the few fields only such runs have
        return entry_state(entry)
    return {f: list(v) if isinstance(v, tuple) else v
            for f in _ENTRY_FIELDS for v in (getattr(entry, f),)}


def restore(world: World, files: dict[str, bytes], history: list[dict[str, Any]],
            outside: dict[str, Any] | None = None) -> Session:
    """The session with these workspace files (and inputs the host replaced), history and log of
    outside changes (through ``Session.restore``)."""
    text: dict[str, Any] = {}
    inputs: dict[str, Any] = {}
    for path, data in files.items():
        kept = inputs if path in world.files else text
        try:
            kept[path] = data.decode()
        except UnicodeDecodeError:
            kept[path] = {"base64": base64.b64encode(data).decode()}
    state = {"version": STATE_VERSION, "world": {"name": world.name, "digest": world.digest()},
             "files": text, "history": history, "inputs": inputs, "outside": outside}
    return Session.restore(world, state)


def _log_json(session: Session) -> str:
    """The session's log of outside changes as the store keeps it."""
    return json.dumps(session.outside.state(), ensure_ascii=True, sort_keys=True)
