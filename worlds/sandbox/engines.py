"""Pinned engine artifacts: find, verify, compile once, cache on disk.

``runtime/engines.toml`` names each engine's registry package, file and
sha256. A file whose digest differs is refused. Compiled modules are cached
under the user's cache directory keyed by the artifact's sha256, the wasmtime
version and the engine configuration, so only the first use on a machine pays
for compilation.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import wasmtime
from wasmtime import _ffi as ffi

from .._resources import runtime_file
from ..errors import EngineError
from . import wasi, watch

#: How often the deadline clock ticks; wall-clock limits are counted in ticks.
EPOCH_TICK_S = 0.005
#: The deadline clock parks after this long without a run.
IDLE_PARK_S = 2.0
#: Native stack for guest code: the limit on call depth, since this QuickJS
#: build does not check its own stack. wasmtime caps it at its async stack size.
MAX_WASM_STACK = 2 << 20
#: Largest linear memory a guest may have (``Limits.memory_bytes`` is checked against it).
MAX_MEMORY = 1 << 30
#: Guests that may be alive at once in one process. Each slot reserves (but
#: does not commit) 4 GiB of address space, so wasm code needs no bounds checks.
MAX_INSTANCES = 64
#: Linear memory kept mapped between instances, reset in place rather than
#: unmapped: each page fault costs microseconds, and a fresh copy-on-write
#: image faults on every page a run touches (46 faults in a trivial run).
KEEP_RESIDENT = 4 << 20
_CONFIG_FINGERPRINT = f"fuel,epoch,nan-canonical,stack={MAX_WASM_STACK},pooling={MAX_MEMORY}"


@dataclass(frozen=True)
class Artifact:
    """One pinned engine file."""

    name: str
    package: str
    version: str
    file: str
    sha256: str
    env: str

    def path(self) -> Path:
        """The artifact's path: the override variable if set, else the installed package."""
        override = os.environ.get(self.env)
        if override:
            return Path(override)
        if not self.package:  # built by a script of this repository (see runtime/engines.toml)
            path = runtime_file(self.file)
            if not path.is_file():
                script = runtime_file(self.file).parent / "build.py"
                raise EngineError(f"engine `{self.name}` is not built yet: run `make` or "
                                  f"`python {script}`, or set {self.env} to the file")
            return path
        try:
            dist = importlib.metadata.distribution(self.package)
        except importlib.metadata.PackageNotFoundError:
            raise EngineError(
                f"engine `{self.name}` needs the package `{self.package}=={self.version}`: "
                f"run `pip install '{self.package}=={self.version}'`, "
                f"or set {self.env} to the file"
            ) from None
        for entry in dist.files or ():
            if str(entry).replace("\\", "/") == self.file:
                return Path(str(dist.locate_file(entry)))
        raise EngineError(f"package `{self.package}` has no file `{self.file}`: reinstall it")

    def read_verified(self) -> bytes:
        path = self.path()
        try:
            data = path.read_bytes()
        except OSError as err:
            raise EngineError(f"cannot read engine `{self.name}` at {path}: {err.strerror}") from None
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.sha256:
            raise EngineError(
                f"engine `{self.name}` at {path} has sha256 {digest}, but "
                f"runtime/engines.toml pins {self.sha256} ({self.package or self.name} {self.version}); "
                f"{'install that version' if self.package else 'build it again'} "
                f"or point {self.env} at the right file"
            )
        return data


@cache
def artifacts() -> dict[str, Artifact]:
    table = tomllib.loads(runtime_file("engines.toml").read_text())
    fields = ("package", "version", "file", "sha256", "env")
    return {name: Artifact(name, *(spec[f] for f in fields)) for name, spec in table.items()}


@cache
def verified(name: str) -> bytes:
    """Engine ``name``'s bytes, checked against their pin once per process.

    Checked even when a compiled copy is cached: a swapped artifact is refused.
    """
    return artifacts()[name].read_verified()


def cache_dir() -> Path:
    base = os.environ.get("WORLDS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "worlds")
    return Path(base)


class Runtime:
    """The process-wide wasmtime engine, its WASI linker and the deadline clock."""

    def __init__(self) -> None:
        config = wasmtime.Config()
        config.consume_fuel = True
        config.epoch_interruption = True
        config.cranelift_nan_canonicalization = True  # floats give the same bits everywhere
        config.max_wasm_stack = MAX_WASM_STACK
        _pooling(config)
        self.engine = wasmtime.Engine(config)
        self.linker = wasmtime.Linker(self.engine)
        wasi.define(self.linker)
        watch.define(self.linker)
        self._pre: dict[str, wasmtime.InstancePre] = {}
        self._lock = threading.Lock()
        self._last_run = 0.0
        self._active = 0
        self._active_lock = threading.Lock()
        self._ticking = threading.Event()
        # Runs beyond the pool's slots wait for one instead of failing.
        self.slots = threading.BoundedSemaphore(MAX_INSTANCES)
        self._ticker = threading.Thread(target=self._tick, name="worlds-epoch", daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        # The deadline clock ticks while guests run, and parks after a quiet
        # spell so an idle process stays idle. Runs that start while it ticks
        # cost nothing to announce; only waking it takes a lock.
        while True:
            self._ticking.wait()
            time.sleep(EPOCH_TICK_S)
            self.engine.increment_epoch()
            if not self._active and time.monotonic() - self._last_run > IDLE_PARK_S:
                self._ticking.clear()
                if self._active:
                    self._ticking.set()  # a run started as we parked: keep ticking

    @contextmanager
    def running(self) -> Iterator[None]:
        """Mark a guest as running, so wall-clock deadlines advance."""
        with self._active_lock:
            self._active += 1
        if not self._ticking.is_set():
            self._ticking.set()
        try:
            yield
        finally:
            with self._active_lock:
                self._active -= 1
            self._last_run = time.monotonic()

    def cached(self, key: str, build: Callable[[], bytes]) -> wasmtime.InstancePre:
        """The linked module for ``key``: from memory, else the disk cache, else ``build()``.

        ``key`` must name everything the module's bytes depend on; the
        wasmtime version and engine configuration are added here.
        """
        with self._lock:
            pre = self._pre.get(key)
            if pre is None:
                pre = self._pre[key] = self.linker.instantiate_pre(self._load(key, build))
            return pre

    def _load(self, key: str, build: Callable[[], bytes]) -> wasmtime.Module:
        digest = hashlib.sha256(
            f"{key}|{wasmtime_version()}|{_CONFIG_FINGERPRINT}".encode()).hexdigest()[:32]
        cached = cache_dir() / f"{key.split('-')[0]}-{digest}.cwasm"
        if cached.is_file():
            try:
                module = wasmtime.Module.deserialize_file(self.engine, str(cached))
                with contextlib.suppress(OSError):
                    os.utime(cached)  # recently used: kept by _prune
                return module
            except wasmtime.WasmtimeError:
                pass  # a stale or damaged cache entry: build again below
        module = wasmtime.Module(self.engine, build())
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_bytes(module.serialize())
            os.replace(tmp, cached)  # atomic: a concurrent reader never sees half a file
            _prune(cached)
        except OSError:
            pass  # no writable cache: every process compiles, which is slower but correct
        return module


def _prune(newest: Path, keep: int = 3) -> None:
    """Remove all but the ``keep`` most recently used cache entries of ``newest``'s kind."""
    kind = newest.name.split("-")[0]
    entries = sorted(newest.parent.glob(f"{kind}-*.cwasm"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[keep:]:
        old.unlink(missing_ok=True)


def _pooling(config: wasmtime.Config) -> None:
    """Use wasmtime's pooling allocator: instance slots reused, memory kept resident.

    wasmtime-py has no wrapper for it yet, so this uses its C bindings.
    """
    pool = ffi.wasmtime_pooling_allocation_config_new()
    ffi.wasmtime_pooling_allocation_config_total_memories_set(pool, MAX_INSTANCES)
    ffi.wasmtime_pooling_allocation_config_total_core_instances_set(pool, MAX_INSTANCES)
    ffi.wasmtime_pooling_allocation_config_total_tables_set(pool, MAX_INSTANCES)
    ffi.wasmtime_pooling_allocation_config_max_memory_size_set(pool, MAX_MEMORY)
    ffi.wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(pool, KEEP_RESIDENT)
    ffi.wasmtime_pooling_allocation_config_table_keep_resident_set(pool, 1 << 16)
    ffi.wasmtime_pooling_allocation_strategy_set(config.ptr(), pool)
    ffi.wasmtime_pooling_allocation_config_delete(pool)


def wasmtime_version() -> str:
    return importlib.metadata.version("wasmtime")


_runtime: Runtime | None = None
_runtime_lock = threading.Lock()


def runtime() -> Runtime:
    """The shared :class:`Runtime`, created on first use."""
    global _runtime
    with _runtime_lock:
        if _runtime is None:
            _runtime = Runtime()
        return _runtime
