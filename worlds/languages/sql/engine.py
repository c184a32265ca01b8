"""Run SQL in SQLite inside CPython-on-WASI, on a warm guest per world.

A world's tables are loaded once into a guest (:mod:`worlds.sandbox.warm`);
every run then executes its statements inside a savepoint that is rolled
back, so runs never see each other's changes. At most :data:`MAX_WARM` guests
live at once (least recently used goes first) and a guest idle for
:data:`IDLE_S` seconds is released. A guest that hit a limit is replaced on
the next run.

Starting CPython is most of a new world's first query, and it does not
depend on the world: guests start without tables and are given a world by an
``open`` request. So the pool keeps one started spare, and a new world takes
it and loads its tables (milliseconds) instead of starting an interpreter
(a tenth of a second); a new spare starts in the background.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import wasmtime

from ..._resources import runtime_dir
from ...limits import Limits
from ...sandbox.engines import artifacts, runtime, verified
from ...sandbox.vfs import VFS
from ...sandbox.warm import Reply, WarmGuest
from .schema import Schema

ENGINE = "python"
#: Warm guests alive at once in a process (each holds its world's tables and ~12 MB of CPython).
MAX_WARM = 4
#: A guest unused for this long is released.
IDLE_S = 120.0
#: A guest whose memory grew this much past what its tables took (a run built
#: something big) is released after its run, so a warm world stays near its size.
WARM_MEMORY_GROWTH = 64 << 20
#: Rows a run returns at most; the rest are counted.
MAX_ROWS = 10_000
#: A SQL run's fuel is SQLite VM instructions, counted by the guest's progress
#: handler in steps of this many: deterministic, unlike the Wasm fuel a warm
#: guest uses, which depends on what earlier runs left in its caches.
FUEL_PER_STEP = 1000
#: Fuel for starting a guest: CPython's start and loading the tables, not a run's budget.
STARTUP_FUEL = 20_000_000_000
#: Guest memory of a started interpreter before it holds any table (measured: 11.4 MiB).
GUEST_BASE_BYTES = 13 << 20
#: A SQL run's budget is ``Limits.steps``; Wasm fuel is only the backstop for work
#: SQLite's step counter does not see (functions written in Python), at this many
#: instructions a step. A grouped query takes ~600 a step, one calling a date
#: function on every row ~3,500.
WASM_FUEL_PER_STEP = 10_000


@dataclass
class SqlReply:
    """What the guest answered for one run (``stop`` set when a limit or trap ended it)."""

    stop: str | None
    detail: str
    columns: list[str] | None
    rows: list[list[Any]]
    total: int
    changed: int | None
    error: dict[str, Any] | None
    steps: int
    wall_ms: float
    memory_bytes: int
    cold: bool
    plan: list[list[Any]] = field(default_factory=list)  # EXPLAIN QUERY PLAN of a statement out of steps
    start_ms: float = 0.0  # starting a guest and loading the tables into it, when this run did


@cache
def _guest_files() -> dict[str, bytes]:
    base = runtime_dir() / "sql"
    return {f".worlds/sql/{p.name}": p.read_bytes() for p in sorted(base.glob("*.py"))}


def _pre() -> wasmtime.InstancePre:
    sha = artifacts()[ENGINE].sha256
    return runtime().cached(f"{ENGINE}-{sha}", lambda: verified(ENGINE))


def _vfs() -> VFS:
    # Read-only but listed: CPython's import system finds modules by listing directories.
    # SQL programs have no way to reach files, so nothing here is visible to them.
    vfs = VFS()
    for path, data in _guest_files().items():
        vfs.add_file(path, data, readonly=True)
    return vfs


class _Pool:
    """Warm guests by world (tables digest) and memory limit, least recently used first."""

    def __init__(self) -> None:
        self._guests: OrderedDict[tuple[str, int], WarmGuest] = OrderedDict()
        self._lock = threading.Lock()
        self._starting: dict[tuple[str, int], threading.Lock] = {}
        self._reaper: threading.Thread | None = None
        self._spare: WarmGuest | None = None
        self._spare_ready = threading.Event()
        self._spare_ready.set()

    def get(self, schema: Schema, limits: Limits) -> tuple[WarmGuest, bool]:
        """A live guest for ``schema`` and whether it was just started."""
        key = (schema.digest, limits.memory_bytes)
        with self._lock:
            starting = self._starting.setdefault(key, threading.Lock())
        with starting:  # one start per world, even when several runs ask at once
            with self._lock:
                guest = self._guests.get(key)
                if guest is not None and guest.alive:
                    self._guests.move_to_end(key)
                    return guest, False
            fresh = self._take_spare(limits) or _start(limits)
            fresh.last_used = time.monotonic()
            if fresh.alive and not _open(fresh, schema):
                fresh.close()
                fresh = _start(limits)  # the spare failed to open the tables: start afresh
                _open(fresh, schema)
            evicted: list[WarmGuest] = []
            with self._lock:
                if (old := self._guests.pop(key, None)) is not None:
                    evicted.append(old)
                self._guests[key] = fresh
                while len(self._guests) > MAX_WARM:
                    evicted.append(self._guests.popitem(last=False)[1])
                if self._reaper is None:
                    self._reaper = threading.Thread(target=self._reap, name="worlds-sql-reaper", daemon=True)
                    self._reaper.start()
        for guest in evicted:
            guest.close()
        self._refill(limits)
        return fresh, True

    def _take_spare(self, limits: Limits) -> WarmGuest | None:
        if limits.memory_bytes != Limits().memory_bytes:
            return None  # spares are started with the default memory limit
        self._spare_ready.wait()
        with self._lock:
            spare, self._spare = self._spare, None
        return spare if spare is not None and spare.alive else None

    def _refill(self, limits: Limits) -> None:
        """Start the next spare in the background (only for the default memory limit)."""
        if limits.memory_bytes != Limits().memory_bytes:
            return
        with self._lock:
            if self._spare is not None or not self._spare_ready.is_set():
                return
            self._spare_ready.clear()

        def start() -> None:
            try:
                spare = _start(Limits())
                with self._lock:
                    self._spare = spare
            finally:
                self._spare_ready.set()

        threading.Thread(target=start, name="worlds-sql-spare", daemon=True).start()

    def discard(self, guest: WarmGuest) -> None:
        with self._lock:
            for key, value in list(self._guests.items()):
                if value is guest:
                    del self._guests[key]
        guest.close()

    def clear(self) -> None:
        """Release every warm guest and the spare (tests use it to force a cold start)."""
        self._spare_ready.wait()
        with self._lock:
            guests = list(self._guests.values()) + ([self._spare] if self._spare else [])
            self._guests.clear()
            self._spare = None
        for guest in guests:
            guest.close()

    def __len__(self) -> int:
        return len(self._guests)

    def release_idle(self, idle_s: float = IDLE_S) -> int:
        """Release guests unused for ``idle_s`` seconds (the spare too); returns how many."""
        now = time.monotonic()
        with self._lock:
            idle = [k for k, g in self._guests.items() if now - g.last_used >= idle_s or not g.alive]
            released = [self._guests.pop(k) for k in idle]
            spare = self._spare
            if spare is not None and now - spare.last_used >= idle_s:
                self._spare = None
                released.append(spare)
        for guest in released:
            guest.close()
        return len(released)

    def _reap(self) -> None:
        while True:
            time.sleep(IDLE_S / 4)
            self.release_idle()


POOL = _Pool()


def _start(limits: Limits) -> WarmGuest:
    """A guest with CPython started and no tables yet (see :func:`_open`)."""
    startup = limits.model_copy(update={"fuel": STARTUP_FUEL, "wall_ms": max(limits.wall_ms, 30_000)})
    return WarmGuest(_pre(), _vfs(), args=["python", "-S", "/.worlds/sql/guest.py", str(FUEL_PER_STEP)],
                     env={"PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"}, limits=startup, name="sql")


def memory_needed(schema: Schema) -> int:
    """Guest memory a world's tables take once loaded: the started interpreter and one
    copy of the database, whose pages SQLite keeps with some overhead (measured: 1.1x
    for a 44 MB database, 1.45x for a 3 MB one, rounded up here to 1.25x)."""
    return GUEST_BASE_BYTES + len(schema.database) * 5 // 4


def _open(guest: WarmGuest, schema: Schema) -> bool:
    """Give a started guest its world's tables; False if it could not load them."""
    if not guest.alive:
        return False
    guest.vfs.add_file(".worlds/tables.db", schema.database, readonly=True)
    body = json.dumps({"open": ".worlds/tables.db"}).encode()
    reply = guest.request(b"%d\n%s" % (len(body), body), limits=guest.limits, now_ns=0, seed=0)
    guest.opened_bytes = reply.memory_bytes
    return reply.stop is None and b'"opened"' in reply.data


def execute(schema: Schema, statements: list[str], *, limits: Limits, now_ns: int, seed: int) -> SqlReply:
    """Run ``statements`` (SQLite text) in the world's warm guest, starting one if needed."""
    started = time.perf_counter()
    guest, cold = POOL.get(schema, limits)
    start_ms = (time.perf_counter() - started) * 1000 if cold else 0.0
    if guest.startup is not None and guest.startup.stop is not None:
        POOL.discard(guest)
        return _failed(guest.startup, cold=True, startup=True)
    request = {"statements": statements, "seed": seed, "max_rows": MAX_ROWS,
               "max_bytes": max(limits.output_bytes - 4096, 1024), "max_steps": limits.steps}
    body = json.dumps(request).encode()
    backstop = limits.model_copy(update={"fuel": limits.steps * WASM_FUEL_PER_STEP})
    reply = guest.request(b"%d\n%s" % (len(body), body), limits=backstop, now_ns=now_ns, seed=seed)
    if reply.stop is not None:
        POOL.discard(guest)
        return replace(_failed(reply, cold=cold), start_ms=start_ms)
    if reply.memory_bytes > guest.opened_bytes + WARM_MEMORY_GROWTH:
        POOL.discard(guest)
    try:
        head, _, data = reply.data.partition(b"\n")
        answer = json.loads(data[: int(head)])
    except ValueError:
        POOL.discard(guest)
        return _failed(Reply("trap", "the guest answered with a broken reply", b"", reply.stderr,
                             reply.fuel, reply.wall_ms, reply.memory_bytes), cold=cold)
    return SqlReply(None, "", answer["columns"], answer["rows"], answer["total"], answer["changed"],
                    answer["error"], answer["steps"], reply.wall_ms, reply.memory_bytes, cold,
                    answer.get("plan", []), start_ms)


def _failed(reply: Reply, *, cold: bool, startup: bool = False) -> SqlReply:
    detail = reply.detail
    if startup:
        detail = f"starting the SQL engine failed: {detail} {reply.stderr.decode(errors='replace')[-2000:]}"
    # The guest notes its steps and statement on stderr as it goes: the last note is how
    # far SQLite got, and in which statement.
    notes = re.findall(rb"^steps (\d+) (\d+)$", reply.stderr, re.M)
    steps = int(notes[-1][0]) // FUEL_PER_STEP if notes else 0
    error = {"index": int(notes[-1][1]), "message": "", "name": "STOPPED"} if notes else None
    return SqlReply(reply.stop, detail.strip(), None, [], 0, None, error, steps, reply.wall_ms,
                    reply.memory_bytes, cold)


def explain(schema: Schema, sql: str, *, limits: Limits) -> list[list[Any]]:
    """``EXPLAIN QUERY PLAN`` of ``sql`` as (id, parent, detail) rows; [] if it cannot be explained."""
    reply = execute(schema, ["EXPLAIN QUERY PLAN " + sql], limits=limits.model_copy(
        update={"steps": 1_000_000, "wall_ms": max(limits.wall_ms, 5_000)}), now_ns=0, seed=0)
    if reply.stop is not None or reply.error is not None:
        return []
    return [[row[0], row[1], row[-1]] for row in reply.rows]
