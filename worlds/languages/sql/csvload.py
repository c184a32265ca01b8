"""Plain CSV and TSV files loaded by SQLite in the guest: the common export at C speed.

Most real exports are ASCII, unquoted and rectangular. For those the host
only checks the bytes and splits off the header; SQLite in the guest (the
shim's ``w_csv_scan`` and ``w_csv_insert``) reads every cell, decides each
column's type by the same rules as :mod:`.schema`, inserts the rows and finds
the unique columns, and hands back the database image. A 1M-row file loads in
about a second instead of four, and the file's bytes are parsed inside the
sandbox. Any other file, or one whose rows turn out ragged, is read on the
host as before.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import wasmtime

from ...errors import EngineError
from ...limits import Limits
from ...sandbox.engines import MAX_MEMORY, artifacts, runtime, verified
from ...sandbox.guest import Guest
from ...sandbox.live import LiveGuest

ENGINE = "sqlite"
#: Per column, as the shim writes it: rows, nulls, numbers, last_int, last_real, first_ok,
#: digits, ints, reals, dates, unique, type, rising_int, rising_real, rows_seen.
_FACTS = struct.Struct("<qqqqdiiiiiiiiii")
_TYPE_AT = 64  # the offset of `type`, which the host sets
_TYPES = {"INTEGER": 1, "REAL": 2, "TEXT": 3}
#: What loading may use: the host's own work on a world it was given, not a run's budget.
LOAD_LIMITS = Limits(fuel=10**13, steps=10**12, wall_ms=600_000, memory_bytes=MAX_MEMORY)


def pre() -> wasmtime.InstancePre:
    """The SQL engine, compiled once per process (and cached on disk)."""
    sha = artifacts()[ENGINE].sha256
    return runtime().cached(f"{ENGINE}-{sha}", lambda: verified(ENGINE))


@dataclass
class Plain:
    """A file the guest can load: its header cells as written and the bytes after the header."""

    path: str
    header: list[str]
    body: bytes
    delimiter: str
    data: bytes  # the whole file, for the host's reader if the guest gives it back


@dataclass
class Facts:
    """What the guest found in one column."""

    rows: int
    nulls: int
    numbers: int  # cells that read as numbers
    first_ok: bool
    digits: bool
    ints: bool
    reals: bool
    dates: bool
    unique: bool = False


def plain(path: str, data: bytes, delimiter: str) -> Plain | None:
    """``data`` split at its header when the guest can read it, else None."""
    whole = data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if (not data.isascii() or b'"' in data or b"\0" in data
            or data.count(b"\r") != data.count(b"\r\n")):
        return None
    for line, after in lines(data):
        return Plain(path, line.decode().split(delimiter), data[after:], delimiter, whole)
    return None  # no header: the host's reader says so


def lines(data: bytes) -> Iterator[tuple[bytes, int]]:
    """The non-blank lines of ``data`` without their line ends, each with the offset after it."""
    at = 0
    while at < len(data):
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end
        line = data[at:end].rstrip(b"\r")
        at = end + 1
        if line:
            yield line, at


def column_type(facts: Facts) -> str:
    """The column's type by :func:`.schema._infer`'s rules, from what the guest counted."""
    if facts.rows == facts.nulls or not facts.first_ok:
        return "TEXT"
    if facts.digits:
        return "INTEGER" if facts.ints else "TEXT"
    return "REAL" if facts.reals else "TEXT"


class Loader:
    """One guest that loads plain files into a database, then gives its image."""

    def __init__(self) -> None:
        self.guest = LiveGuest(pre(), limits=LOAD_LIMITS, name="sql-load")
        self._check(self.guest.startup.stop, self.guest.startup.detail)
        started = self.guest.call(lambda g: g.call("w_init", 1 << 30), limits=LOAD_LIMITS)
        self._check(started.stop, started.detail, started.value)

    def load(self, file: Plain, ddl: Callable[[list[str]], str],
             insert: str) -> tuple[list[Facts], list[str]] | None:
        """Load ``file`` as the table ``ddl(types)`` creates; its columns' facts and types,
        or None when a row is not as wide as the header (the host reads it instead)."""
        ncols = len(file.header)

        def scan(g: Guest) -> tuple[int, int, list[Facts]]:
            body, _ = g.alloc_bytes(file.body + b"\0")
            facts = int(g.call("malloc", _FACTS.size * ncols))
            rows = int(g.call("w_csv_scan", body, len(file.body), ord(file.delimiter), ncols, facts))
            return body, facts, self._facts(g, facts, ncols) if rows >= 0 else []

        scanned = self.guest.call(scan, limits=LOAD_LIMITS)
        self._check(scanned.stop, scanned.detail, scanned.value)
        assert scanned.value is not None
        body, at, facts = scanned.value
        if not facts:
            self.guest.call(lambda g: (g.call("free", body), g.call("free", at)), limits=LOAD_LIMITS)
            return None
        types = [column_type(f) for f in facts]

        def fill(g: Guest) -> int:
            for index, kind in enumerate(types):
                g.memory.write(g.store, struct.pack("<i", _TYPES[kind]), at + index * _FACTS.size + _TYPE_AT)
            text, _ = g.alloc_bytes(ddl(types).encode() + b"\0")
            rc = int(g.call("w_exec", 0, text, 0, 0))
            g.call("free", text)
            if rc:
                return rc
            text, _ = g.alloc_bytes(insert.encode() + b"\0")
            rc = int(g.call("w_csv_insert", body, len(file.body), ord(file.delimiter), ncols, at, text))
            for unique, fact in zip(self._facts(g, at, ncols), facts, strict=True):
                fact.unique = unique.unique
            for ptr in (text, body, at):
                g.call("free", ptr)
            return rc

        filled = self.guest.call(fill, limits=LOAD_LIMITS)
        self._check(filled.stop, filled.detail, filled.value, ok=0)
        return facts, types

    def image(self) -> bytes:
        """The database with every table loaded so far."""

        def serialize(g: Guest) -> bytes:
            size = int(g.call("malloc", 8))
            ptr = int(g.call("w_serialize", size))
            (length,) = struct.unpack("<q", bytes(g.memory.read(g.store, size, size + 8)))
            return bytes(g.memory.read(g.store, ptr, ptr + length)) if ptr else b""

        done = self.guest.call(serialize, limits=LOAD_LIMITS)
        self._check(done.stop, done.detail, done.value)
        return done.value or b""

    def close(self) -> None:
        self.guest.close()

    @staticmethod
    def _facts(g: Guest, at: int, ncols: int) -> list[Facts]:
        raw = bytes(g.memory.read(g.store, at, at + _FACTS.size * ncols))
        found = []
        for index in range(ncols):
            (rows, nulls, numbers, _, _, first_ok, digits, ints, reals, dates, unique,
             *_) = _FACTS.unpack_from(raw, index * _FACTS.size)
            found.append(Facts(rows, nulls, numbers, first_ok == 1, bool(digits), bool(ints), bool(reals),
                               bool(dates), bool(unique)))
        return found

    @staticmethod
    def _check(stop: str | None, detail: str, value: Any = 0, *, ok: int | None = None) -> None:
        if stop is not None or value is None or (ok is not None and value != ok):
            raise EngineError(f"loading tables in the SQL engine failed: {stop or value} {detail}".strip())
