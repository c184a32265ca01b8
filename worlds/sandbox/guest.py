"""Run one guest: a fresh instance, our WASI world, and every limit enforced.

The sandbox knows no language. A language adapter hands :func:`run_guest` an
``enter`` callback that calls the module's exports; the sandbox supplies the
store, the limits and the WASI state, and reports how the run ended as a
:class:`GuestRun` whose ``stop`` names the limit that ended it, if any.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import wasmtime
from wasmtime import _ffi as ffi
from wasmtime._extern import wrap_extern

from ..errors import EngineError
from ..limits import Limits
from . import relink, snapshot
from . import watch as soft
from .engines import EPOCH_TICK_S, Runtime, artifacts, runtime, verified
from .vfs import VFS
from .wasi import GuestStop, ProcExit, WasiState

#: Why a guest stopped early. ``None`` means it returned normally.
STOP_FUEL, STOP_DEADLINE, STOP_MEMORY = "fuel", "deadline", "memory"
STOP_OUTPUT, STOP_WRITE, STOP_STACK, STOP_TRAP = "output", "write", "stack", "trap"


@dataclass
class GuestRun:
    """How a guest run ended and what it left behind."""

    stop: str | None
    detail: str
    exit_code: int | None
    state: WasiState
    fuel: int
    wall_ms: float
    memory_bytes: int
    limits: Limits


class Guest:
    """A live instance: its store, memory and exports, for the ``enter`` callback."""

    def __init__(self, store: wasmtime.Store, instance: wasmtime.Instance) -> None:
        self.store = store
        self.instance = instance
        #: The table slot of the host's interrupt function, while an image is built with one.
        self.interrupt_slot: int | None = None
        self._exports: dict[str, Any] = {}
        memory = self.export("memory")
        assert isinstance(memory, wasmtime.Memory)
        self.memory = memory

    def export(self, name: str) -> Any:
        """The export ``name``, or None. Looked up by name: ``Instance.exports``
        wraps every export of the module, which costs more than a small run."""
        found = self._exports.get(name)
        if found is None:
            raw = name.encode()
            item = ffi.wasmtime_extern_t()
            context, instance = self.store._context(), ctypes.byref(self.instance._instance)
            if ffi.wasmtime_instance_export_get(context, instance, ctypes.create_string_buffer(raw),
                                                len(raw), ctypes.byref(item)):
                found = self._exports[name] = wrap_extern(item)
        return found

    def call(self, name: str, *args: int) -> Any:
        """Call export ``name`` with integer arguments; returns its integer result, if any.

        Goes through wasmtime's unchecked call with one array of raw values:
        ``Func.__call__`` converts every value through Python objects and costs
        about 15 µs a call, more than a trivial program's whole guest time.
        """
        func = self.export(name)
        assert isinstance(func, wasmtime.Func), f"no function {name!r} in the guest"
        params, results = _signature(name, func, self.store)
        values = (ffi.wasmtime_val_raw_t * max(len(params), len(results), 1))()
        for slot, (kind, arg) in enumerate(zip(params, args, strict=True)):
            setattr(values[slot], kind, arg)
        trap = ctypes.POINTER(ffi.wasm_trap_t)()
        error = ffi.wasmtime_func_call_unchecked(
            self.store._context(), ctypes.byref(func._func), values, len(values), ctypes.byref(trap))
        if error:
            raise wasmtime.WasmtimeError._from_ptr(error)
        if trap:
            raise wasmtime.Trap._from_ptr(trap)
        return getattr(values[0], results[0]) if results else None

    def constant(self, name: str) -> int:
        """A ``w:const:NAME`` global of a pre-initialized image."""
        value = self.export(f"w:const:{name}")
        assert isinstance(value, wasmtime.Global), f"the image has no constant {name!r}"
        return int(value.value(self.store))

    def alloc_bytes(self, data: bytes) -> tuple[int, int]:
        """Copy ``data`` into a fresh guest allocation; returns (pointer, size)."""
        ptr = int(self.call("malloc", len(data)))
        self.memory.write(self.store, data, ptr)
        return ptr, len(data)

    def alloc_strings(self, items: list[str]) -> int:
        """Copy an argv-style array (pointers, then NUL-terminated strings) into the guest.

        One allocation for everything: each call into the guest costs tens of
        microseconds from Python.
        """
        strings = [item.encode() + b"\0" for item in items]
        table = 4 * len(strings)
        base = int(self.call("malloc", table + sum(map(len, strings))))
        ptrs, blob, at = [], bytearray(), base + table
        for raw in strings:
            ptrs.append(at.to_bytes(4, "little"))
            blob += raw
            at += len(raw)
        self.memory.write(self.store, b"".join(ptrs) + bytes(blob), base)
        return base


_SIGNATURES: dict[str, tuple[list[str], list[str]]] = {}


def _raw_kind(ty: wasmtime.ValType) -> str:
    if ty == wasmtime.ValType.i32():
        return "i32"
    if ty == wasmtime.ValType.i64():
        return "i64"
    raise TypeError(f"only i32 and i64 values cross into guests here, not {ty}")


def _signature(name: str, func: wasmtime.Func, store: wasmtime.Store) -> tuple[list[str], list[str]]:
    """The raw value kinds of an export's parameters and results (asked once per name)."""
    signature = _SIGNATURES.get(name)
    if signature is None:
        ty = func.type(store)
        signature = ([_raw_kind(t) for t in ty.params], [_raw_kind(t) for t in ty.results])
        _SIGNATURES[name] = signature
    return signature


def run_guest(
    pre: wasmtime.InstancePre,
    state: WasiState,
    limits: Limits,
    enter: Callable[[Guest], int | None],
    *,
    initialize: bool = True,
    serving: bool = False,
    watch: Callable[[bytes], bool] | None = None,
) -> GuestRun:
    """Instantiate ``pre`` in a fresh store and run ``enter`` under ``limits``.

    ``initialize`` calls the module's ``_initialize`` first; a pre-initialized
    image (see :func:`image`) has already run it. A ``serving`` guest (see
    :mod:`.warm`) waits for requests most of its life and marks itself running
    per request, so the deadline clock can park while it waits. ``watch``
    enforces the fuel and deadline softly too (see :mod:`.watch`), for an
    image built with ``interrupt=True``: it says when the engine's report of
    a stop is complete, and ``state.watch`` says how the program was stopped.
    """
    rt = runtime()
    with rt.slots:  # every live store holds one of the engine's instance slots
        return _run_in_slot(rt, pre, state, limits, enter, initialize, serving, watch)


def _run_in_slot(rt: Runtime, pre: wasmtime.InstancePre, state: WasiState, limits: Limits,
                 enter: Callable[[Guest], int | None], initialize: bool, serving: bool,
                 watch: Callable[[bytes], bool] | None) -> GuestRun:
    store = wasmtime.Store(rt.engine)
    store.set_limits(memory_size=limits.memory_bytes)
    store.set_fuel(limits.fuel)
    started = time.perf_counter()
    wall_s = limits.wall_ms / 1000
    if watch is not None:
        state.watch = soft.Watch(fuel=limits.fuel, deadline=started + wall_s, complete=watch)
        wall_s += soft.grace_s(limits.wall_ms)  # the hard deadline is the backstop
    store.set_epoch_deadline(max(1, math.ceil(wall_s / EPOCH_TICK_S)))
    state.hard_deadline = started + wall_s
    stop: str | None = None
    detail, exit_code = "", None
    guest: Guest | None = None
    try:
        instance = pre.instantiate(store)
        guest = Guest(store, instance)
        with contextlib.nullcontext() if serving else rt.running(), state.activate(store, guest.memory):
            if initialize:
                guest.call("_initialize")
            exit_code = enter(guest)
    except (wasmtime.Trap, wasmtime.WasmtimeError) as err:
        stop, detail, exit_code = stopped(err, state)
    wall_ms = (time.perf_counter() - started) * 1000
    fuel = limits.fuel - store.get_fuel()
    if state.watch is not None and state.watch.stop is not None:
        # Stopped softly: whatever ended the guest afterwards was the engine reporting it.
        stop, detail, fuel = state.watch.stop, "", state.watch.fuel_used
    if stop == STOP_FUEL:
        fuel = limits.fuel  # the whole budget (a soft stop leaves at most two polls' worth)
    memory_bytes = guest.memory.data_len(store) if guest else 0
    if stop == STOP_TRAP and memory_bytes + (64 << 10) > limits.memory_bytes:
        stop = STOP_MEMORY  # malloc failed at the cap and the engine gave up
    store.close()  # frees the instance slot now, before the semaphore lets the next run in
    return GuestRun(stop, detail, exit_code, state, fuel, wall_ms, memory_bytes, limits)


def credit_wall_time(state: WasiState, seconds: float) -> None:
    """Give the running guest back ``seconds`` of its deadline: time the host spent on its behalf
    (a host function's call), which the program's wall limit does not count."""
    if state.watch is not None:
        state.watch.deadline += seconds
    if state.store is not None and state.hard_deadline is not None:
        state.hard_deadline += seconds
        remaining = state.hard_deadline - time.perf_counter()
        state.store.set_epoch_deadline(max(1, math.ceil(remaining / EPOCH_TICK_S)))


def stopped(err: wasmtime.Trap | wasmtime.WasmtimeError,
            state: WasiState) -> tuple[str | None, str, int | None]:
    """Why a call into a guest raised ``err``: (stop, detail, exit code)."""
    pending, state.pending = state.pending, None
    if isinstance(pending, ProcExit):
        return None, "", pending.code
    if isinstance(pending, GuestStop):
        return pending.reason, pending.detail, None
    if pending is not None:
        return STOP_TRAP, f"host error {pending!r}", None  # a bug in worlds, not the program
    if isinstance(err, wasmtime.Trap):
        return _classify(err), err.message, None
    # Instantiation refused by the memory limit lands here.
    return STOP_MEMORY if "memory" in str(err) else STOP_TRAP, str(err), None


def _classify(trap: wasmtime.Trap) -> str:
    code = trap.trap_code
    if code == wasmtime.TrapCode.OUT_OF_FUEL:
        return STOP_FUEL
    if code == wasmtime.TrapCode.INTERRUPT:
        return STOP_DEADLINE
    if code == wasmtime.TrapCode.STACK_OVERFLOW:
        return STOP_STACK
    return STOP_TRAP


def image(engine: str, *, key: str, functions: list[str], exports: set[str], state: WasiState,
          init: Callable[[Guest], dict[str, int]], interrupt: bool = False) -> wasmtime.InstancePre:
    """Engine ``engine`` pre-initialized by ``init``, with ``functions`` exported as ``w:NAME``.

    ``init`` returns constants of the snapshot (pointers it set up), exported
    as ``w:const:NAME`` globals; of the engine's own exports only ``exports``
    stay. ``key`` names what ``init`` depends on (the files and arguments it
    was given); the image is built once and cached on disk under it. With
    ``interrupt``, the engine's table holds the host's interrupt function (see
    :mod:`.watch`) at ``guest.interrupt_slot``, for ``init`` to install.
    """
    rt = runtime()
    wasm = verified(engine)

    def build() -> bytes:
        instrumented = snapshot.instrument(wasm, functions)
        slot = None
        if interrupt:
            instrumented, slot = relink.add_host_function(instrumented, soft.MODULE, soft.NAME,
                                                          soft.PARAMS, soft.RESULTS)
        captured["slot"] = slot
        pre = rt.linker.instantiate_pre(wasmtime.Module(rt.engine, instrumented))
        limits = Limits()
        run = run_guest(pre, state, limits, lambda guest: _init_and_capture(guest, init))
        if run.stop is not None or captured.get("memory") is None:
            raise EngineError(f"pre-initializing {engine} failed: {run.stop} {run.detail}".strip())
        return snapshot.preinitialized(instrumented, captured["memory"], captured["globals"],
                                       constants=captured["constants"], exports=exports)

    captured: dict[str, Any] = {}

    def _init_and_capture(guest: Guest, init: Callable[[Guest], dict[str, int]]) -> None:
        guest.interrupt_slot = captured["slot"]
        captured["constants"] = init(guest)
        captured["memory"] = bytes(guest.memory.read(guest.store, 0, guest.memory.data_len(guest.store)))
        globals_ = []
        index = 0
        while (g := guest.export(f"w:global:{index}")) is not None:
            assert isinstance(g, wasmtime.Global)
            globals_.append(int(g.value(guest.store)))
            index += 1
        captured["globals"] = globals_

    # The key names the engine by its pinned sha256: a new pin means a new image.
    key += ".interrupt" if interrupt else ""
    return rt.cached(f"{engine}.image-{artifacts()[engine].sha256}-{key}.{snapshot.FORMAT}", build)


def new_state(vfs: VFS, *, args: list[str], env: dict[str, str], now_ns: int, seed: int,
              limits: Limits) -> WasiState:
    """A WASI state for one run, with the output and write caps of ``limits``."""
    return WasiState(vfs, args=args, env=env, now_ns=now_ns, seed=seed,
                     output_limit=limits.output_bytes, write_limit=limits.write_bytes)
