"""A live guest: one instance kept between calls, for an engine the host drives by its exports.

An engine such as SQLite keeps what it loaded (a world's tables) in its
memory, so the instance outlives a run: the owner calls :meth:`LiveGuest.call`
once per run with that run's limits, clock and seed, and the call's
``enter`` callback calls the guest's exports. Fuel, the deadline, the output
caps, the clock and the random stream are reset for every call, so a call
sees the same world whatever ran before it. A call that hits a limit or traps
ends the guest (its memory may be half-way through a change); so does one
interrupted from outside (Ctrl-C) or a failure of the host's own code. The
owner then starts a new guest.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import wasmtime

from ..limits import Limits
from .engines import EPOCH_TICK_S, runtime
from .guest import STOP_MEMORY, STOP_TRAP, Guest, new_state, stopped
from .vfs import VFS
from .wasi import HostCalls

T = TypeVar("T")


@dataclass
class Call(Generic[T]):
    """How one call went: its value, or why there is none (``stop``)."""

    stop: str | None
    detail: str
    value: T | None
    fuel: int
    wall_ms: float
    memory_bytes: int


class LiveGuest:
    """An instance of ``pre`` holding one of the engine's slots until :meth:`close`."""

    def __init__(self, pre: wasmtime.InstancePre, *, limits: Limits, host: HostCalls | None = None,
                 name: str = "guest") -> None:
        self.limits = limits
        self.alive = False
        self.last_used = time.monotonic()
        self.opened_bytes = 0  # memory once its owner loaded what it serves (set by the owner)
        self._lock = threading.Lock()
        self._runtime = runtime()
        self._runtime.slots.acquire()  # released by close()
        self._store: wasmtime.Store | None = wasmtime.Store(self._runtime.engine)
        self._store.set_limits(memory_size=limits.memory_bytes)
        self.state = new_state(VFS(), args=[name], env={}, now_ns=0, seed=0, limits=limits)
        self.state.host = host
        self.guest: Guest | None = None
        try:
            self.guest = Guest(self._store, pre.instantiate(self._store))
        except (wasmtime.Trap, wasmtime.WasmtimeError) as err:
            self.startup = Call[None](stopped(err, self.state)[0] or STOP_TRAP, str(err), None, 0, 0.0, 0)
            self.close()
            return
        self.alive = True
        self.startup = self.call(lambda guest: guest.call("_initialize"), limits=limits)

    def call(self, enter: Callable[[Guest], T], *, limits: Limits, now_ns: int = 0, seed: int = 0) -> Call[T]:
        """Run ``enter`` under ``limits``; calls from several threads take turns."""
        with self._lock:
            store, state = self._store, self.state
            if not self.alive or self.guest is None or store is None:
                return Call(STOP_TRAP, "the guest is no longer running", None, 0, 0.0, 0)
            state.stdout.data.clear()
            state.stderr.data.clear()
            state.realtime_ns, state.monotonic_ns = now_ns, 0
            state.seed, state._random_counter = seed, 0
            state.output_limit, state.write_limit = limits.output_bytes, limits.write_bytes
            store.set_fuel(limits.fuel)
            store.set_epoch_deadline(max(1, math.ceil(limits.wall_ms / 1000 / EPOCH_TICK_S)))
            stop: str | None = None
            detail, value, returned = "", None, False
            started = time.perf_counter()
            try:
                with self._runtime.running(), state.activate(store, self.guest.memory):
                    value = enter(self.guest)
                returned = True
            except (wasmtime.Trap, wasmtime.WasmtimeError) as err:
                pending = state.pending
                if isinstance(pending, KeyboardInterrupt | SystemExit):
                    state.pending = None
                    raise pending from None
                stop, detail, _ = stopped(err, state)
            finally:
                if not returned:
                    self.alive = False  # stopped or interrupted half-way: never reused
            wall_ms = (time.perf_counter() - started) * 1000
            fuel = limits.fuel - store.get_fuel()
            memory_bytes = self.guest.memory.data_len(store)
            if stop == STOP_TRAP and memory_bytes + (64 << 10) > limits.memory_bytes:
                stop = STOP_MEMORY  # malloc failed at the cap and the engine gave up
            self.last_used = time.monotonic()
            return Call(stop, detail, value, fuel, wall_ms, memory_bytes)

    def read(self, ptr: int, size: int) -> bytes:
        """``size`` bytes of guest memory at ``ptr`` (readable even after a call trapped)."""
        assert self.guest is not None and self._store is not None
        return bytes(self.guest.memory.read(self._store, ptr, ptr + size))

    def close(self) -> None:
        """Free the instance and its slot."""
        with self._lock:
            self.alive = False
            if self.guest is not None or self._store is not None:
                self.guest = None
                store, self._store = self._store, None
                if store is not None:
                    store.close()
                    self._runtime.slots.release()


__all__ = ["Call", "LiveGuest"]
