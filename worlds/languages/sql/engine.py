"""Run SQL in SQLite inside CPython-on-WASI, on a warm guest per world.

A world's tables are loaded once into a guest (:mod:`worlds.sandbox.warm`);
every run then executes its statements inside a savepoint that is rolled
back, so runs never see each other's changes. At most :data:`MAX_WARM` guests
live at once (least recently used goes first) and a guest idle for
:data:`IDLE_S` seconds is released. A guest that hit a limit is replaced on
the next run.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
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
#: A guest whose memory grew past this (a run built something big) is released
#: after its run, so a warm world keeps within this bound between runs.
WARM_MEMORY_MAX = 64 << 20
#: Rows a run returns at most; the rest are counted.
MAX_ROWS = 10_000
#: A SQL run's fuel is SQLite VM instructions, counted by the guest's progress
#: handler in steps of this many: deterministic, unlike the Wasm fuel a warm
#: guest uses, which depends on what earlier runs left in its caches.
FUEL_PER_STEP = 1000
#: Fuel for starting a guest: CPython's start and loading the tables, not a run's budget.
STARTUP_FUEL = 20_000_000_000


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


@cache
def _guest_files() -> dict[str, bytes]:
    base = runtime_dir() / "sql"
    return {f".worlds/sql/{p.name}": p.read_bytes() for p in sorted(base.glob("*.py"))}


def _pre() -> wasmtime.InstancePre:
    sha = artifacts()[ENGINE].sha256
    return runtime().cached(f"{ENGINE}-{sha}", lambda: verified(ENGINE))


def _vfs(schema: Schema) -> VFS:
    # Read-only but listed: CPython's import system finds modules by listing directories.
    # SQL programs have no way to reach files, so nothing here is visible to them.
    vfs = VFS()
    for path, data in _guest_files().items():
        vfs.add_file(path, data, readonly=True)
    vfs.add_file(".worlds/tables.db", schema.database, readonly=True)
    return vfs


class _Pool:
    """Warm guests by world (tables digest) and memory limit, least recently used first."""

    def __init__(self) -> None:
        self._guests: OrderedDict[tuple[str, int], WarmGuest] = OrderedDict()
        self._lock = threading.Lock()
        self._starting: dict[tuple[str, int], threading.Lock] = {}
        self._reaper: threading.Thread | None = None

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
            fresh = _start(schema, limits)
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
        return fresh, True

    def discard(self, guest: WarmGuest) -> None:
        with self._lock:
            for key, value in list(self._guests.items()):
                if value is guest:
                    del self._guests[key]
        guest.close()

    def clear(self) -> None:
        """Release every warm guest (tests use it to force a cold start)."""
        with self._lock:
            guests = list(self._guests.values())
            self._guests.clear()
        for guest in guests:
            guest.close()

    def __len__(self) -> int:
        return len(self._guests)

    def release_idle(self, idle_s: float = IDLE_S) -> int:
        """Release guests unused for ``idle_s`` seconds; returns how many."""
        now = time.monotonic()
        with self._lock:
            idle = [k for k, g in self._guests.items() if now - g.last_used >= idle_s or not g.alive]
            released = [self._guests.pop(k) for k in idle]
        for guest in released:
            guest.close()
        return len(released)

    def _reap(self) -> None:
        while True:
            time.sleep(IDLE_S / 4)
            self.release_idle()


POOL = _Pool()


def _start(schema: Schema, limits: Limits) -> WarmGuest:
    startup = limits.model_copy(update={"fuel": STARTUP_FUEL, "wall_ms": max(limits.wall_ms, 30_000)})
    return WarmGuest(_pre(), _vfs(schema), args=["python", "-S", "/.worlds/sql/guest.py", str(FUEL_PER_STEP)],
                     env={"PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"},
                     limits=startup, name=schema.digest[:8])


def execute(schema: Schema, statements: list[str], *, limits: Limits, now_ns: int, seed: int) -> SqlReply:
    """Run ``statements`` (SQLite text) in the world's warm guest, starting one if needed."""
    guest, cold = POOL.get(schema, limits)
    if guest.startup is not None and guest.startup.stop is not None:
        POOL.discard(guest)
        return _failed(guest.startup, cold=True, startup=True)
    request = {"statements": statements, "seed": seed, "max_rows": MAX_ROWS,
               "max_bytes": max(limits.output_bytes - 4096, 1024)}
    body = json.dumps(request).encode()
    reply = guest.request(b"%d\n%s" % (len(body), body), limits=limits, now_ns=now_ns, seed=seed)
    if reply.stop is not None:
        POOL.discard(guest)
        return _failed(reply, cold=cold)
    if reply.memory_bytes > WARM_MEMORY_MAX:
        POOL.discard(guest)
    try:
        head, _, data = reply.data.partition(b"\n")
        answer = json.loads(data[: int(head)])
    except ValueError:
        POOL.discard(guest)
        return _failed(Reply("trap", "the guest answered with a broken reply", b"", reply.stderr,
                             reply.fuel, reply.wall_ms, reply.memory_bytes), cold=cold)
    return SqlReply(None, "", answer["columns"], answer["rows"], answer["total"], answer["changed"],
                    answer["error"], answer["steps"], reply.wall_ms, reply.memory_bytes, cold)


def _failed(reply: Reply, *, cold: bool, startup: bool = False) -> SqlReply:
    detail = reply.detail
    if startup:
        detail = f"starting the SQL engine failed: {detail} {reply.stderr.decode(errors='replace')[-2000:]}"
    return SqlReply(reply.stop, detail.strip(), None, [], 0, None, None, 0, reply.wall_ms,
                    reply.memory_bytes, cold)
