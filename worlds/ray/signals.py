"""Keep wasmtime's trap handlers through ``ray.init``.

Wasmtime turns a Wasm trap (a stack overflow, an out-of-bounds access) into an error by catching
the CPU's signal (SIGILL, SIGSEGV, SIGBUS, SIGFPE) in handlers it installs when the first engine
is made. Starting Ray in a process installs crash reporters over them (abseil's failure signal
handler, Python's ``faulthandler``): a trap in a run made after that kills the process with
"Illegal instruction". So ``ray.init`` is wrapped to put back the handlers that were there
before. Ray's own processes start Ray before they make an engine, so wasmtime's handlers are
installed last there and chain to Ray's for faults outside Wasm.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: The signals wasmtime catches for traps on Linux.
TRAPS = (signal.SIGILL, signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE)
#: Larger than any libc's ``struct sigaction`` (152 bytes in glibc on 64-bit); copied back as it was.
_SIZE = 512


@contextmanager
def trap_handlers_kept() -> Iterator[None]:
    """Inside the block anything may install signal handlers; after it, the trap signals' handlers
    are those from before (Linux; elsewhere nothing is done)."""
    libc = _libc()
    if libc is None:
        yield
        return
    saved = {}
    for number in TRAPS:
        buffer = ctypes.create_string_buffer(_SIZE)
        if libc.sigaction(int(number), None, buffer) == 0:
            saved[number] = buffer
    try:
        yield
    finally:
        for number, buffer in saved.items():
            libc.sigaction(int(number), buffer, None)


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None
