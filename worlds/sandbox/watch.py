"""Soft limits: stop a guest at one of its engine's safe points, shortly before a hard limit.

wasmtime's fuel and epoch limits stop a guest wherever it is, in the middle of
the engine's own code, with nothing said about where the *program* was. An
engine that calls back at safe points (QuickJS polls an interrupt handler
every 10,000 backward jumps or calls; :mod:`.relink` makes the handler this
host function) can be stopped there instead: :class:`Watch` answers "stop"
once the fuel left would not last two more polls, or the deadline has
passed. The engine then unwinds the program with an error that says where it
was and prints it, and the fuel it needs for that is given back, since the
program no longer runs. What the engine prints after the stop is kept apart
(``Watch.report``), so no output cap can cut it, and the guest ends as soon
as the language adapter finds the report complete. The hard limits stay as
the backstop for work between polls.

The decision depends only on fuel, so a run stopped by its budget stops at the
same poll every time.
"""

from __future__ import annotations

import ctypes
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import wasmtime
from wasmtime import _ffi as ffi

from .wasi import GuestStop, active

#: The host function's import name, and its type: ``int (*)(void *, void *)``.
MODULE, NAME, PARAMS, RESULTS = "worlds", "interrupt", "ii", "i"
#: Fuel the engine gets back once the program is stopped, to unwind it (which frees what
#: it built) and print where it was: at least this much, or half the program's budget.
REPORT_FUEL = 100_000_000
#: Fuel kept apart besides two polls' worth, so a stop comes before the hard limit.
MARGIN = 1_000_000
#: The most the engine may print after a stop (its report of where it was).
REPORT_BYTES = 64 << 10


def grace_s(wall_ms: int) -> float:
    """How long after a soft deadline the hard one falls, in seconds."""
    return (50 + wall_ms // 10) / 1000


@dataclass
class Watch:
    """One run's soft limits, and whether (and where) they stopped it."""

    fuel: int
    deadline: float  # time.perf_counter() value
    complete: Callable[[bytes], bool]  # whether the engine's report of the stop is all there
    stop: str | None = None  # "fuel" or "deadline" once the program was stopped
    fuel_used: int = 0  # by the program, when it was stopped
    polls: int = 0
    report: bytearray = field(default_factory=bytearray)
    _last: int = 0

    def poll(self, fuel_left: int) -> bool:
        """Whether the program must stop now (it stays stopped once told)."""
        self.polls += 1
        if self.stop is not None:
            return True
        used = self.fuel - fuel_left
        interval, self._last = used - self._last, used
        if fuel_left <= 2 * interval + MARGIN:
            self.stop = "fuel"
        elif time.perf_counter() >= self.deadline:
            self.stop = "deadline"
        else:
            return False
        self.fuel_used = used
        return True

    def keep(self, data: bytes) -> None:
        """Keep output printed after the stop (the engine's report), up to a cap.

        Once the report is complete the guest ends: nothing it does after
        that is the program's.
        """
        self.report += data[: max(0, REPORT_BYTES - len(self.report))]
        if self.stop is not None and (self.complete(bytes(self.report)) or len(self.report) >= REPORT_BYTES):
            raise GuestStop(self.stop)


_KEEP_ALIVE: list[Any] = []
_NO_FINALIZER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(0)


def _interrupt(env: int, caller: Any, values: Any, count: int) -> int:
    watch = active().watch
    stop = False
    if watch is not None:
        context = ffi.wasmtime_caller_context(caller)
        left = ctypes.c_uint64()
        ffi.wasmtime_context_get_fuel(context, ctypes.byref(left))
        fresh = watch.stop is None
        stop = watch.poll(left.value)
        if stop and fresh:
            ffi.wasmtime_context_set_fuel(context, max(REPORT_FUEL, watch.fuel // 2))
    values[0].i32 = int(stop)
    return 0


def define(linker: wasmtime.Linker) -> None:
    """Define the interrupt host function on ``linker`` (once per engine)."""
    i32 = wasmtime.ValType.i32()
    ty = wasmtime.FuncType([i32] * len(PARAMS), [i32] * len(RESULTS))
    callback = ffi.wasmtime_func_unchecked_callback_t(_interrupt)
    _KEEP_ALIVE.append((callback, ty))
    module, name = MODULE.encode(), NAME.encode()
    error = ffi.wasmtime_linker_define_func_unchecked(
        linker.ptr(), ctypes.create_string_buffer(module), len(module),
        ctypes.create_string_buffer(name), len(name), ty.ptr(), callback, None, _NO_FINALIZER)
    if error:
        raise wasmtime.WasmtimeError._from_ptr(error)
