"""Run JS-light in QuickJS-NG: lay out the guest's files, start it, read the outcome.

The guest's file system holds the world's inputs (read-only), the workspace
files (writable), and the runtime's own hidden files: the bootstrap and its
libraries under ``.worlds/``, the ES module shims ``fs``/``path``/``util`` (and their
``node:`` names) at the root where QuickJS's module loader looks for them,
and CommonJS views of the program's JS files. The bootstrap's entry point
returns the outcome as text, which the host reads from guest memory.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import wasmtime

from ..._resources import runtime_dir
from ..._text import utf8, well_formed
from ...diagnostics import Diagnostic
from ...errors import EngineError
from ...host.bridge import DEVICE, STOP_SUSPENDED, Bridge
from ...limits import Limits
from ...sandbox.guest import STOP_FUEL, Guest, GuestRun, new_state, run_guest
from ...sandbox.guest import image as guest_image
from ...sandbox.vfs import VFS, Node
from ...sandbox.wasi import WasiState
from . import errors
from .checker import is_module
from .layout import BOOT, CJS, CJS_PREFIX, CJS_SUFFIX, INLINE

ENGINE = "qjs"
#: Engine functions each run calls directly (the reactor exports no eval), and those
#: that install the interrupt handler and report where a stopped program was.
ENTRY_POINTS = ["JS_Eval", "JS_ExecutePendingJob", "js_std_await", "JS_ToCStringLen2",
                "JS_GetRuntime", "JS_SetInterruptHandler", "js_std_dump_error"]
#: What the host evaluates after the promise jobs ran out (see boot.mjs): the rejection check, then
#: the next timer or the outcome.
SETTLE, NEXT = "__worlds_settle()", "__worlds_next()"
#: A buffer set aside in the image for the per-run call text, so a run needs no malloc.
SCRATCH = 16 << 10


@dataclass
class JsOutcome:
    """What a JS run produced, before it becomes a ``RunResult``."""

    stdout: str
    stderr: str
    value: Any
    files: dict[str, bytes]
    changes: list[tuple[str, str, int]]
    diagnostics: list[Diagnostic]
    run: GuestRun
    sources: dict[str, str] = field(default_factory=dict)


@cache
def runtime_files() -> dict[str, bytes]:
    """The hidden files every JS guest gets, read once per process."""
    base = runtime_dir() / "js"
    files = {".worlds/boot.mjs": (base / "boot.mjs").read_bytes()}
    for lib in sorted((base / "lib").glob("*.js")):
        files[f".worlds/lib/{lib.name}"] = lib.read_bytes()
    for shim in sorted((base / "modules").glob("*.mjs")):
        files[shim.stem] = files[f"node:{shim.stem}"] = shim.read_bytes()
    return files


@cache
def image() -> wasmtime.InstancePre:
    """QuickJS with its runtime, context and the bootstrap already set up.

    Built once per machine (cached on disk) by running the bootstrap in a
    world with no files, no time and seed 0, so every run starts from the
    same bytes.
    """
    files = runtime_files()
    vfs = VFS()
    for name, node in runtime_tree().items():
        vfs.mount(name, node)
    args = ["qjs", "-m", BOOT]
    state = new_state(vfs, args=args, env={}, now_ns=0, seed=0, limits=Limits())

    def init(guest: Guest) -> dict[str, int]:
        if guest.call("qjs_init_argv", len(args), guest.alloc_strings(args)) != 0:
            raise EngineError("the JS bootstrap failed: " + bytes(state.stderr.data).decode(errors="replace"))
        _install_interrupt(guest)
        return {"ctx": guest.call("qjs_get_context"), "scratch": guest.call("malloc", SCRATCH)}

    digest = hashlib.sha256("\0".join(args + ENTRY_POINTS).encode())
    for path, data in sorted(files.items()):
        digest.update(hashlib.sha256(path.encode() + b"\0" + data).digest())
    key = digest.hexdigest()[:24]
    return guest_image(ENGINE, key=key, functions=ENTRY_POINTS, exports={"memory", "malloc"},
                       state=state, init=init, interrupt=True)


def _install_interrupt(guest: Guest) -> None:
    """Make the host's soft limits QuickJS's interrupt handler (see ``sandbox.watch``)."""
    assert guest.interrupt_slot is not None
    runtime = guest.call("w:JS_GetRuntime", guest.call("qjs_get_context"))
    guest.call("w:JS_SetInterruptHandler", runtime, guest.interrupt_slot, 0)


def _eval(guest: Guest, ctx: int, scratch: int, text: str, *, wait: bool = False) -> bytes | None:
    """Evaluate ``text`` as a script (``wait``: and await the promise it gives) and return its
    value as UTF-8, or None if it threw (a limit). ``scratch`` takes the value's length.
    """
    value = guest.call("w:JS_Eval", ctx, *_text(guest, scratch, text))
    if wait:
        value = guest.call("w:js_std_await", ctx, value)
    at = guest.call("w:JS_ToCStringLen2", ctx, scratch, value, 0)
    if not at:
        return None
    size = int.from_bytes(guest.memory.read(guest.store, scratch, scratch + 4), "little")
    return bytes(guest.memory.read(guest.store, at, at + size))


def _text(guest: Guest, scratch: int, text: str) -> tuple[int, int, int, int]:
    """``text`` placed in the guest for ``JS_Eval`` (after the 4 bytes of ``scratch`` that take a
    length): its address, length, file name and flags."""
    data = text.encode()
    blob = data + b"\0<run>\0"
    if len(blob) + 4 <= SCRATCH:
        code_at = scratch + 4
        guest.memory.write(guest.store, blob, code_at)
    else:
        code_at, _ = guest.alloc_bytes(blob)
    return code_at, len(data), code_at + len(data) + 1, 0


def _report_stop(guest: Guest, state: WasiState, ctx: int) -> None:
    """A program stopped by a soft limit left its error pending: have QuickJS print it.

    (Stopped inside a promise job, QuickJS prints it itself.) The sandbox keeps
    what is printed after the stop in ``state.watch.report``.
    """
    if state.watch is not None and state.watch.stop is not None and not state.watch.report:
        guest.call("w:js_std_dump_error", ctx)


_image_constants: list[tuple[int, int]] = []


def _constants(guest: Guest) -> tuple[int, int]:
    """QuickJS's context and the scratch buffer: part of the image, the same in every instance."""
    if not _image_constants:
        _image_constants.append((guest.constant("ctx"), guest.constant("scratch")))
    return _image_constants[0]


@cache
def runtime_tree() -> dict[str, Node]:
    """The runtime's hidden files as read-only nodes, built once and shared by every run."""
    return VFS.tree(runtime_files())


def _seed_words(seed: int) -> str:
    """Four 32-bit words for the guest's PRNG, drawn from the whole 64-bit seed."""
    digest = hashlib.sha256(b"worlds.random" + seed.to_bytes(8, "little", signed=True)).digest()
    return ",".join(str(int.from_bytes(digest[i : i + 4], "little")) for i in range(0, 16, 4))


def run(
    *,
    inputs: dict[str, bytes],
    workspace: dict[str, bytes],
    entry: str | None,
    code: str | None,
    now_ns: int,
    seed: int,
    limits: Limits,
    raw: bool = False,
    measure: bool = True,
    hidden: Mapping[str, bytes] | None = None,
    host: Bridge | None = None,
) -> JsOutcome:
    """Run ``code`` (or the workspace file ``entry``) against the world's files.

    ``measure``: a program stopped by its fuel may be run again on parts of
    its input, to tell a big job from a runaway (see :mod:`.budget`).
    ``hidden``: more read-only files the program does not see listed (a
    library a language built on JS-light runs, such as JSONata).
    ``host``: the run's line to the world's host functions (its calls land on its tape).
    """
    vfs = VFS()
    for path, data in (hidden or {}).items():
        vfs.add_file(path, data, readonly=True, hidden=True)
    for path, data in inputs.items():
        vfs.add_file(path, data, readonly=True)
    for path, data in workspace.items():
        vfs.add_file(path, data)
    for path, data in (*inputs.items(), *workspace.items()):
        if path.endswith((".js", ".cjs")):
            vfs.add_file(f"{CJS}/{path}", CJS_PREFIX.encode() + data + CJS_SUFFIX.encode(), hidden=True)
    for name, node in runtime_tree().items():
        vfs.mount(name, node)
    if host is not None:
        vfs.add_device(DEVICE, host.respond)
    if code is not None:
        code = well_formed(code)
        vfs.add_file(INLINE, utf8(code), hidden=True)
        name, source = INLINE, code
    else:
        assert entry is not None
        name = entry
        source = (workspace.get(entry) or inputs.get(entry) or b"").decode(errors="replace")
    vfs.snapshot()

    mode = "module" if is_module(source) else "script"
    functions = sorted(f.name for f in host.functions) if host is not None else []
    call = (f"__worlds_main({json.dumps('/' + name)}, {json.dumps(mode)}, \"{_seed_words(seed)}\", "
            f"{json.dumps(functions)})")
    state = new_state(vfs, args=["qjs"], env={}, now_ns=now_ns, seed=seed, limits=limits)

    outcome = bytearray()

    def enter(guest: Guest) -> None:
        # Node's event loop, driven from here: start the program; then run promise jobs until none
        # is left, let QuickJS look for rejections nothing handled, and ask `__worlds_next` to fire
        # the next timer (and go round again) or end the run with its outcome.
        ctx, scratch = _constants(guest)
        runtime = guest.call("w:JS_GetRuntime", ctx)
        if _eval(guest, ctx, scratch, call) is None:  # stopped by a limit in the program's first pass
            _report_stop(guest, state, ctx)
            return
        while True:
            while (ran := guest.call("w:JS_ExecutePendingJob", runtime, scratch)) > 0:
                pass
            # A job fails only when a limit stops it (a promise job catches everything else).
            result = None if ran < 0 or _eval(guest, ctx, scratch, SETTLE, wait=True) is None \
                else _eval(guest, ctx, scratch, NEXT)
            if result is None:
                _report_stop(guest, state, ctx)
                return
            if result:
                outcome.extend(result)
                return

    try:
        guest_run = run_guest(image(), state, limits, enter, initialize=False, watch=errors.stop_reported)
    finally:
        if host is not None:
            host.close()
    report = _read_outcome(bytes(outcome))
    sources = {name: source}
    if raw:
        diagnostics = errors.diagnose_raw(guest_run, report, name, sources, workspace, inputs)
    else:
        # Measuring a stopped program runs it again: with host functions, only from its own tape.
        rerun = functools.partial(_rerun, entry=entry, code=code, now_ns=now_ns, seed=seed, limits=limits,
                                  hidden=hidden) if host is None else None
        diagnostics = errors.diagnose(guest_run, report, name, sources, workspace, inputs,
                                      rerun=rerun if measure else None)
    if host is not None and host.unused() and not diagnostics:
        diagnostics.append(errors.unused_tape(host.unused(), len(host.replay)))
    failed = any(d.severity == "error" for d in diagnostics)
    # A failed run changes nothing: its writes are dropped with its file system. A suspended one
    # has not finished: its writes come when it is resumed and ends.
    files, changes = ({}, []) if failed or guest_run.stop == STOP_SUSPENDED else vfs.changes()
    return JsOutcome(
        stdout=bytes(state.stdout.data).decode(errors="replace"),
        stderr=errors.engine_noise(bytes(state.stderr.data).decode(errors="replace")),
        value=report.get("value") if report.get("ok") else None,
        files=files, changes=changes, diagnostics=diagnostics, run=guest_run, sources=sources,
    )


def _rerun(inputs: dict[str, bytes], workspace: dict[str, bytes], fuel: int, *, entry: str | None,
           code: str | None, now_ns: int, seed: int, limits: Limits,
           hidden: Mapping[str, bytes] | None) -> tuple[bool, int, str]:
    """The same program in the same world on other files, under ``fuel``: (finished, fuel used, why not).

    Fuel bounds it; the deadline is loosened so a slow machine does not change the answer.
    """
    outcome = run(inputs=inputs, workspace=workspace, entry=entry, code=code, now_ns=now_ns, seed=seed,
                  limits=limits.merged({"fuel": fuel, "wall_ms": 4 * limits.wall_ms}), measure=False,
                  hidden=hidden)
    failed = next((d for d in outcome.diagnostics if d.severity == "error"), None)
    why = "" if failed is None else "budget" if outcome.run.stop == STOP_FUEL else failed.message
    return failed is None, outcome.run.fuel, why


def _read_outcome(raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        report = json.loads(raw)
    except (ValueError, RecursionError):
        return {}
    return well_formed(report) if isinstance(report, dict) else {}
