"""Run SQL in SQLite compiled for WASI, on a live guest per world.

The guest is SQLite itself plus a small shim (``runtime/sqlite/shim.c``),
driven through its exports: a world's tables are loaded once (the database
image the host built from the input files, used in place), and every run
executes its statements inside a savepoint that is rolled back, so runs never
see each other's changes. At most :data:`MAX_WARM` guests live at once (least
recently used goes first) and a guest idle for :data:`IDLE_S` seconds is
released. A guest that hit a limit is replaced on the next run.

Functions SQLite lacks (:mod:`.polyfills`) and the run's seeded ``random()``
run on the host: the guest calls them through the ``worlds_host`` bridge with
their arguments encoded as the shim describes, and :class:`Functions` answers.
"""

from __future__ import annotations

import json
import random
import struct
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from ...limits import Limits
from ...sandbox.guest import STOP_DEADLINE, Guest
from ...sandbox.live import Call, LiveGuest
from ...sandbox.wasi import GuestStop, WasiState
from . import polyfills
from .csvload import pre
from .schema import Schema

#: Warm guests alive at once in a process (each holds its world's tables).
MAX_WARM = 4
#: A guest unused for this long is released.
IDLE_S = 120.0
#: A guest whose memory grew this much past what its tables took (a run built
#: something big) is released after its run, so a warm world stays near its size.
WARM_MEMORY_GROWTH = 64 << 20
#: Rows a run returns at most; the rest are counted.
MAX_ROWS = 10_000
#: A SQL run's fuel is SQLite VM instructions, counted by the shim's progress
#: handler in steps of this many: deterministic, unlike Wasm fuel.
FUEL_PER_STEP = 1000
#: Fuel for starting a guest and loading its tables, not a run's budget.
STARTUP_FUEL = 20_000_000_000
#: Guest memory before it holds any table: the 4 MiB stack, SQLite's data and heap.
GUEST_BASE_BYTES = 6 << 20
#: A SQL run's budget is ``Limits.steps``; Wasm fuel is only the backstop for
#: work SQLite's step counter does not see, at this many instructions a step.
WASM_FUEL_PER_STEP = 10_000
#: Longest string or blob a query may build (the shim's SQLITE_LIMIT_LENGTH).
MAX_LENGTH = 8_000_000

_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")
_U32 = struct.Struct("<I")
_RESULT = struct.Struct("<iiqq")  # the shim's `result`: columns, kept, total, changed
_RUN = struct.Struct("<qqi")  # the shim's `run`: steps, max_steps, statement

#: Names of SQLite's primary result codes, as the host reports them.
_CODES = dict(enumerate([
    "OK", "ERROR", "INTERNAL", "PERM", "ABORT", "BUSY", "LOCKED", "NOMEM", "READONLY", "INTERRUPT",
    "IOERR", "CORRUPT", "NOTFOUND", "FULL", "CANTOPEN", "PROTOCOL", "EMPTY", "SCHEMA", "TOOBIG",
    "CONSTRAINT", "MISMATCH", "MISUSE", "NOLFS", "AUTH", "FORMAT", "RANGE", "NOTADB",
]))
#: What the shim returns for a text holding more than one statement.
_SEVERAL = -1


class _BrokenText(Exception):
    """A row's text is not UTF-8 (SQLite stores what it is given); the argument shows it."""


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
    earlier: list[dict[str, Any]] = field(default_factory=list)  # results of the queries before the last


# -- values across the bridge ------------------------------------------------------------


def decode(data: bytes | memoryview, count: int = -1) -> tuple[list[Any], int]:
    """Up to ``count`` values (all if -1) encoded as the shim does, and the offset after them."""
    values: list[Any] = []
    at, end = 0, len(data)
    while at < end and count != 0:
        tag = data[at]
        at += 1
        if tag == 1:
            values.append(_I64.unpack_from(data, at)[0])
            at += 8
        elif tag == 2:
            values.append(_F64.unpack_from(data, at)[0])
            at += 8
        elif tag in (3, 4):
            (size,) = _U32.unpack_from(data, at)
            raw = bytes(data[at + 4: at + 4 + size])
            values.append(raw.decode() if tag == 3 else raw)  # UnicodeDecodeError for broken text
            at += 4 + size
        else:
            values.append(None)
        count -= 1
    return values, at


def encode(value: Any) -> bytes:
    """One value in the shim's encoding; TypeError for what SQLite cannot hold."""
    if value is None:
        return b"\0"
    if isinstance(value, bool | int):
        if not -(1 << 63) <= value < (1 << 63):
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return b"\1" + _I64.pack(value)
    if isinstance(value, float):
        return b"\2" + _F64.pack(value)
    if isinstance(value, str):
        raw = value.encode("utf-8", "surrogatepass")
        return b"\3" + _U32.pack(len(raw)) + raw
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        return b"\4" + _U32.pack(len(raw)) + raw
    raise TypeError(f"a function returned {type(value).__name__}")


# -- functions the guest calls on the host -----------------------------------------------

SCALAR, AGGREGATE, WINDOW, VOLATILE = 0, 1, 2, 3
STEP, FINAL, VALUE, INVERSE = 1, 2, 3, 4
#: Python's sqlite3 module words a failing function so; queries and diagnostics know these texts.
_FAILED = {0: "user-defined function raised exception"} | {
    kind: f"user-defined aggregate's '{method}' method raised error"
    for kind, method in ((STEP, "step"), (FINAL, "finalize"), (VALUE, "value"), (INVERSE, "inverse"))}


@cache
def registrations() -> list[tuple[str, int, int, Any]]:
    """(name, argument count or -1, kind, implementation) of every host function, by id."""
    found: list[tuple[str, int, int, Any]] = []
    for name, (func, low, high) in polyfills.SCALARS.items():
        found += [(name, n, SCALAR, func) for n in (range(low, high + 1) if high - low < 4 else (-1,))]
    for name, (cls, low, high) in polyfills.AGGREGATES.items():
        kind = WINDOW if issubclass(cls, polyfills._Values) else AGGREGATE
        found += [(name, n, kind, cls) for n in (range(low, high + 1) if high - low < 4 else (-1,))]
    # random() and randomblob() follow the run's seed, not SQLite's own generator,
    # which is seeded once per guest and would make a run depend on earlier runs.
    found += [("random", 0, VOLATILE, Functions.random), ("randomblob", 1, VOLATILE, Functions.randomblob)]
    return found


class Functions:
    """The host side of one guest's function calls (see :class:`~worlds.sandbox.wasi.HostCalls`)."""

    def __init__(self) -> None:
        self.rng = random.Random(0)
        self.groups: dict[int, Any] = {}  # aggregate states by the address SQLite gave the group
        self.answer = b""

    def begin(self, seed: int, wall_ms: int) -> None:
        self.rng.seed(seed)
        self.groups.clear()
        polyfills.deadline.at = time.monotonic() + wall_ms / 1000

    def end(self) -> None:
        self.groups.clear()
        polyfills.deadline.at = None

    def random(self) -> int:
        return self.rng.getrandbits(64) - (1 << 63)

    def randomblob(self, n: object) -> bytes:
        size = n if isinstance(n, int) and n > 0 else 1
        if size > MAX_LENGTH:
            raise ValueError("string or blob too big")
        return self.rng.randbytes(size)

    def call(self, state: WasiState, function: int, kind: int, key: int, ptr: int, length: int) -> int:
        _, _, registered, impl = registrations()[function]
        try:
            args, _ = decode(state.mem()[ptr: ptr + length])
            if registered == VOLATILE:
                result = impl(self, *args)
            elif registered == SCALAR:
                result = impl(*args)
            else:
                result = self._aggregate(impl, kind, key, args)
            self.answer = encode(result)
            return len(self.answer)
        except TimeoutError:
            raise GuestStop(STOP_DEADLINE, "a regular expression ran past the run's deadline") from None
        except Exception:  # the query's own failure: SQLite reports it, the run goes on
            self.answer = _FAILED[kind].encode()
            return -len(self.answer) - 1

    def _aggregate(self, cls: Callable[[], Any], kind: int, key: int, args: list[Any]) -> Any:
        group = self.groups.get(key) if key else None
        if group is None:
            group = cls()
            if key and kind != FINAL:
                self.groups[key] = group
        if kind == STEP:
            group.step(*args)
            return None
        if kind == INVERSE:
            group.inverse(*args)
            return None
        if kind == VALUE:
            return group.value()
        self.groups.pop(key, None)
        return group.finalize()

    def take(self, state: WasiState, ptr: int) -> None:
        state.mem()[ptr: ptr + len(self.answer)] = self.answer


# -- guests ------------------------------------------------------------------------------


class SqlGuest(LiveGuest):
    """A live SQLite with the host's functions registered; its tables come with :func:`_open`."""

    functions: Functions
    run_state = 0  # addresses of the shim's `run` and `result`
    result = 0


def _start(limits: Limits) -> SqlGuest:
    functions = Functions()
    guest = SqlGuest(pre(), limits=limits, host=functions, name="sql")
    guest.functions = functions
    if guest.startup.stop is not None:
        return guest

    def init(g: Guest) -> None:
        if g.call("w_init", FUEL_PER_STEP) != 0:
            raise RuntimeError("SQLite did not start")
        for function, (name, nargs, kind, _) in enumerate(registrations()):
            ptr, _ = g.alloc_bytes(name.encode() + b"\0")
            g.call("w_function", ptr, nargs, kind, function)
            g.call("free", ptr)
        guest.run_state, guest.result = g.call("w_run_state"), g.call("w_result")

    started = guest.call(init, limits=_startup(limits))
    if started.stop is not None:
        guest.startup = started
        guest.close()
    return guest


def _startup(limits: Limits) -> Limits:
    return limits.model_copy(update={"fuel": STARTUP_FUEL, "wall_ms": max(limits.wall_ms, 30_000)})


def memory_needed(schema: Schema) -> int:
    """Guest memory a world's tables take once loaded: SQLite's own and the database
    image, used in place, with room for SQLite's page cache (2 MiB)."""
    return GUEST_BASE_BYTES + len(schema.database) + (2 << 20)


def _open(guest: SqlGuest, schema: Schema) -> bool:
    """Give a started guest its world's tables; False if it could not load them."""
    if not guest.alive:
        return False
    database = schema.database

    def load(g: Guest) -> int:
        ptr = 0
        if database:
            ptr = g.call("w_alloc", len(database))
            if not ptr:
                return -7  # SQLITE_NOMEM
            g.memory.write(g.store, database, ptr)
        return int(g.call("w_open", ptr, len(database)))

    opened = guest.call(load, limits=_startup(guest.limits))
    guest.opened_bytes = opened.memory_bytes
    return opened.stop is None and opened.value is not None and opened.value >= 0


class _Pool:
    """Live guests by world (tables digest) and memory limit, least recently used first."""

    def __init__(self) -> None:
        self._guests: OrderedDict[tuple[str, int], SqlGuest] = OrderedDict()
        self._lock = threading.Lock()
        self._starting: dict[tuple[str, int], threading.Lock] = {}
        self._reaper: threading.Thread | None = None

    def get(self, schema: Schema, limits: Limits) -> tuple[SqlGuest, bool]:
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
            fresh = _start(limits)
            if fresh.alive and not _open(fresh, schema):
                fresh.close()
            evicted: list[SqlGuest] = []
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

    def discard(self, guest: SqlGuest) -> None:
        with self._lock:
            for key, value in list(self._guests.items()):
                if value is guest:
                    del self._guests[key]
        guest.close()

    def clear(self) -> None:
        """Release every live guest (tests use it to force a cold start)."""
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


# -- a run -------------------------------------------------------------------------------


def execute(schema: Schema, statements: list[str], *, limits: Limits, now_ns: int, seed: int) -> SqlReply:
    """Run ``statements`` (SQLite text) in the world's live guest, starting one if needed."""
    started = time.perf_counter()
    guest, cold = POOL.get(schema, limits)
    start_ms = (time.perf_counter() - started) * 1000 if cold else 0.0
    if not guest.alive:
        POOL.discard(guest)
        failure = guest.startup if guest.startup.stop is not None else None
        detail = failure.detail if failure else "the tables did not load"
        return SqlReply(failure.stop if failure else "memory", f"starting the SQL engine failed: {detail}",
                        None, [], 0, None, None, 0, 0.0, guest.opened_bytes, True, start_ms=start_ms)
    max_bytes = max(limits.output_bytes - 4096, 1024)
    max_calls = max(1, -(-limits.steps // FUEL_PER_STEP))
    backstop = limits.model_copy(update={"fuel": limits.steps * WASM_FUEL_PER_STEP})
    call = guest.call(lambda g: _run(g, guest, statements, seed, limits.wall_ms, max_bytes, max_calls),
                      limits=backstop, now_ns=now_ns, seed=seed)
    if call.stop is not None or call.value is None:
        failed = _failed(guest, call, cold=cold)
        POOL.discard(guest)
        return replace(failed, start_ms=start_ms)
    if call.memory_bytes > guest.opened_bytes + WARM_MEMORY_GROWTH:
        POOL.discard(guest)
    answer = call.value
    return SqlReply(None, "", answer["columns"], answer["rows"], answer["total"], answer["changed"],
                    answer["error"], answer["steps"], call.wall_ms, call.memory_bytes, cold,
                    answer.get("plan", []), start_ms, answer.get("earlier", []))


#: A run of several queries answers with the last; the results before it are shown too (agents look at a
#: few things in one run), the last few of them, each cut to this many rows.
EARLIER_RESULTS, EARLIER_ROWS = 5, 50


def _run(g: Guest, guest: SqlGuest, statements: list[str], seed: int, wall_ms: int, max_bytes: int,
         max_calls: int) -> dict[str, Any]:
    reply: dict[str, Any] = {"columns": None, "rows": [], "total": 0, "changed": None, "error": None}
    guest.functions.begin(seed, wall_ms)
    try:
        g.call("w_begin", max_calls)
        for index, sql in enumerate(statements):
            try:
                rc, columns, rows, total, changed = _exec(g, guest, index, sql, max_bytes)
            except _BrokenText as err:
                reply["error"] = {"index": index, "name": "OperationalError",
                                  "message": f"Could not decode to UTF-8 text near {err.args[0]!r}"}
                break
            if rc != 0:
                reply["error"] = _error(g, index, rc)
                steps = _RUN.unpack(guest.read(guest.run_state, _RUN.size))[0]
                if steps >= max_calls:
                    reply["error"]["name"] = "BUDGET"
                    g.call("w_unbudget")  # explaining is cheap and not the run's work
                    reply["plan"] = _plan(g, guest, sql)
                break
            if columns is not None:
                if reply["columns"] is not None:  # an earlier query's result: shown too, the last answers
                    reply["earlier"] = [*reply.get("earlier", []),
                                        {"columns": reply["columns"], "rows": reply["rows"][:EARLIER_ROWS],
                                         "total": reply["total"]}][-EARLIER_RESULTS:]
                reply["columns"], reply["rows"], reply["total"], reply["changed"] = columns, rows, total, None
            else:
                reply["changed"] = changed if _is_dml(sql) else None
    finally:
        # After a trap nothing more is asked of the guest (it is retired): only its counters are read.
        guest.functions.end()
    reply["steps"] = _RUN.unpack(guest.read(guest.run_state, _RUN.size))[0]
    g.call("w_end")
    return reply


def _exec(g: Guest, guest: SqlGuest, index: int, sql: str,
          max_bytes: int) -> tuple[int, list[str] | None, list[list[Any]], int, int]:
    """Run one statement: (result code, column names or None, the rows kept, all rows, changes)."""
    ptr, _ = g.alloc_bytes(sql.encode("utf-8", "surrogatepass") + b"\0")
    # Rows are cut here by their JSON size; the shim only stops encoding far past it.
    rc = int(g.call("w_exec", index, ptr, MAX_ROWS, max_bytes * 10 + 65536))
    g.call("free", ptr)  # not after a trap: a stopped guest is retired, not called again
    ncol, kept, total, changed = _RESULT.unpack(guest.read(guest.result, _RESULT.size))
    if rc != 0 or ncol < 0:
        return rc, None, [], 0, changed
    data = guest.read(g.call("w_rows"), g.call("w_rows_len"))
    names, at = decode(data, ncol)
    try:
        return rc, names, _fit(data[at:], ncol, kept, max_bytes), total, changed
    except UnicodeDecodeError as err:
        raise _BrokenText(err.object[max(err.start - 20, 0): err.end + 20].decode(errors="replace")) from None


def _fit(data: bytes, ncol: int, kept: int, max_bytes: int) -> list[list[Any]]:
    """The first rows whose JSON fits about ``max_bytes``."""
    values, _ = decode(data, ncol * kept)
    rows, size = [], 0
    for start in range(0, len(values), ncol or 1):
        cells = [{"blob": v.hex()} if isinstance(v, bytes) else v for v in values[start: start + ncol]]
        size += len(json.dumps(cells)) + 1
        if size >= max_bytes:
            break
        rows.append(cells)
    return rows


def _error(g: Guest, index: int, rc: int) -> dict[str, Any]:
    if rc == _SEVERAL:
        return {"index": index, "message": "You can only execute one statement at a time.",
                "name": "ProgrammingError"}
    message = _c_string(g, g.call("w_errmsg"))
    return {"index": index, "message": message, "name": "SQLITE_" + _CODES.get(rc & 0xFF, "ERROR")}


def _c_string(g: Guest, ptr: int) -> str:
    data = bytes(g.memory.read(g.store, ptr, min(ptr + 4096, g.memory.data_len(g.store))))
    return data.split(b"\0", 1)[0].decode("utf-8", "replace")


def _plan(g: Guest, guest: SqlGuest, sql: str) -> list[list[Any]]:
    """``EXPLAIN QUERY PLAN`` rows (id, parent, detail) of ``sql``, or [] if it has none."""
    steps = guest.read(guest.run_state, 8)
    rc, columns, rows, _, _ = _exec(g, guest, 0, "EXPLAIN QUERY PLAN " + sql, 1 << 20)
    g.memory.write(g.store, steps, guest.run_state)  # the run's count stays the run's
    return [[row[0], row[1], row[3]] for row in rows] if rc == 0 and columns else []


def _is_dml(sql: str) -> bool:
    """Whether Python's sqlite3 would count the statement's changes (its ``rowcount``)."""
    words = sql.lstrip().split(None, 1)
    return bool(words) and words[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _failed(guest: SqlGuest, call: Call[Any], *, cold: bool) -> SqlReply:
    """A run a limit or trap ended: how far SQLite had got, read from the shim's counters."""
    steps, statement = 0, 0
    if guest.run_state:
        steps, _, statement = _RUN.unpack(guest.read(guest.run_state, _RUN.size))
    error = {"index": statement, "message": "", "name": "STOPPED"} if steps else None
    return SqlReply(call.stop, call.detail.strip(), None, [], 0, None, error, steps, call.wall_ms,
                    call.memory_bytes, cold)


def explain(schema: Schema, sql: str, *, limits: Limits) -> list[list[Any]]:
    """``EXPLAIN QUERY PLAN`` of ``sql`` as (id, parent, detail) rows; [] if it cannot be explained."""
    reply = execute(schema, ["EXPLAIN QUERY PLAN " + sql], limits=limits.model_copy(
        update={"steps": 1_000_000, "wall_ms": max(limits.wall_ms, 5_000)}), now_ns=0, seed=0)
    if reply.stop is not None or reply.error is not None:
        return []
    return [[row[0], row[1], row[-1]] for row in reply.rows]
