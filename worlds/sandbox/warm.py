"""A warm guest: one instance that stays alive and answers requests, one at a time.

Starting CPython in Wasm costs tens of milliseconds; answering a query in a
running one costs about one. So a warm guest runs its program's ``_start`` on
a thread of its own, and the program loops: read a request from stdin, work,
write the reply to stdout, read again. Our WASI layer hands the guest each
request when it reads stdin, and takes the guest's next read as the sign that
the reply is complete. Between requests the guest is parked inside that read.

Each request runs under its own limits and its own world clock and seed: the
fuel, the deadline, the output cap, the clock and the random stream are all
reset when the request is handed over, so a request sees the same world
whatever ran before it. A request that hits a limit or traps ends the guest;
its reply says why, and the owner starts a new guest for the next request.
"""

from __future__ import annotations

import contextlib
import ctypes
import queue
import threading
import time
from dataclasses import dataclass

import wasmtime
from wasmtime import _ffi as ffi

from ..limits import Limits
from .engines import EPOCH_TICK_S, runtime
from .guest import STOP_TRAP, Guest, new_state, run_guest
from .vfs import VFS
from .wasi import WasiState

#: Why a warm guest stopped answering without being asked to.
STOP_EXITED = "exited"


@dataclass
class Reply:
    """The answer to one request, or why there is none (``stop``)."""

    stop: str | None
    detail: str
    data: bytes
    stderr: bytes
    fuel: int
    wall_ms: float
    memory_bytes: int


@dataclass
class _Request:
    payload: bytes
    limits: Limits
    now_ns: int
    seed: int


class WarmGuest:
    """A live guest serving requests; starts on creation, ends on :meth:`close` or a failure."""

    def __init__(self, pre: wasmtime.InstancePre, vfs: VFS, *, args: list[str],
                 env: dict[str, str], limits: Limits, name: str = "guest") -> None:
        self.limits = limits
        self.alive = True
        self.last_used = time.monotonic()
        self.startup: Reply | None = None
        self.opened_bytes = 0  # guest memory once its owner loaded what it serves (set by the owner)
        self.vfs = vfs  # the owner may add files while the guest waits for a request
        self._pre, self._args, self._env = pre, args, env
        self._requests: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self._replies: queue.SimpleQueue[Reply] = queue.SimpleQueue()
        self._current: _Request | None = None
        self._started = 0.0
        self._running: contextlib.ExitStack | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name=f"worlds-warm-{name}", daemon=True)
        started = time.perf_counter()
        self._thread.start()
        self.startup = self._replies.get()  # the program's first read of stdin, or its failure
        self.startup.wall_ms = (time.perf_counter() - started) * 1000
        if self.startup.stop is not None:
            self.alive = False

    def request(self, payload: bytes, *, limits: Limits, now_ns: int, seed: int) -> Reply:
        """Send one request and wait for its reply. Requests from several threads take turns."""
        with self._lock:
            if not self.alive:
                return Reply(STOP_EXITED, "the guest is no longer running", b"", b"", 0, 0.0, 0)
            started = time.perf_counter()
            self._requests.put(_Request(payload, limits, now_ns, seed))
            try:
                reply = self._replies.get()
            except BaseException:
                # Interrupted while the guest works: its reply would answer the next
                # request. Retire the guest; it ends after this request (end of file).
                self.alive = False
                self._requests.put(None)
                raise
            reply.wall_ms = (time.perf_counter() - started) * 1000
            self.last_used = time.monotonic()
            if reply.stop is not None:
                self.alive = False
            return reply

    def close(self) -> None:
        """Ask the guest to finish (it reads end-of-file) and wait for it."""
        with self._lock:
            if self.alive:
                self.alive = False
                self._requests.put(None)
        self._thread.join()

    # -- the guest's thread -------------------------------------------------------------

    def _serve(self) -> None:
        state = new_state(self.vfs, args=self._args, env=self._env, now_ns=0, seed=0, limits=self.limits)
        state.stdin = self._next
        run = run_guest(self._pre, state, self.limits, _start, initialize=False, serving=True)
        if self._running is not None:
            self._running.close()
        self.alive = False
        request = self._current
        if request is None and self.startup is not None:
            return  # closed between requests: nobody is waiting
        # Fuel is counted from the budget the last request was given, not the startup's.
        used = run.fuel - (self.limits.fuel - request.limits.fuel) if request else run.fuel
        self._replies.put(Reply(run.stop or STOP_EXITED, run.detail or _exit_detail(run.exit_code),
                                bytes(state.stdout.data), bytes(state.stderr.data), max(used, 0), 0.0,
                                run.memory_bytes))

    def _next(self, state: WasiState) -> bytes:
        """Called when the guest reads stdin with nothing left to read: a reply is complete."""
        context = ffi.wasmtime_caller_context(state.caller)
        memory = state.memory.data_len(state.store) if state.memory and state.store else 0
        if self._current is not None:
            left = ctypes.c_uint64()
            ffi.wasmtime_context_get_fuel(context, ctypes.byref(left))
            used = self._current.limits.fuel - left.value
            reply = Reply(None, "", bytes(state.stdout.data), bytes(state.stderr.data), used, 0.0, memory)
            self._current = None
            if self._running is not None:
                self._running.close()
                self._running = None
        else:
            reply = Reply(None, "", bytes(state.stdout.data), bytes(state.stderr.data), 0, 0.0, memory)
        self._replies.put(reply)
        request = self._requests.get()
        if request is None:
            return b""  # end of file: the guest program ends its loop and returns
        self._begin(state, context, request)
        return request.payload

    def _begin(self, state: WasiState, context: object, request: _Request) -> None:
        """Give the next request a fresh world: clock, randomness, output and every budget."""
        limits = request.limits
        state.stdout.data.clear()
        state.stderr.data.clear()
        state.realtime_ns, state.monotonic_ns = request.now_ns, 0
        state.seed, state._random_counter = request.seed, 0
        state.output_limit, state.write_limit = limits.output_bytes, limits.write_bytes
        ffi.wasmtime_context_set_fuel(context, limits.fuel)
        ffi.wasmtime_context_set_epoch_deadline(context, max(1, round(limits.wall_ms / 1000 / EPOCH_TICK_S)))
        self._running = contextlib.ExitStack()
        self._running.enter_context(runtime().running())
        self._current = request


def _start(guest: Guest) -> None:
    guest.call("_start")


def _exit_detail(code: int | None) -> str:
    return "the guest program ended" + (f" with status {code}" if code else "")


__all__ = ["STOP_EXITED", "STOP_TRAP", "Reply", "WarmGuest"]
