"""WASI preview1, implemented by the world rather than the host.

The guest sees an in-memory file system (:mod:`.vfs`), a clock that reads the
world's ``now``, randomness drawn from the world's ``seed``, captured stdout
and stderr, and no sockets. Nothing here touches the host's files, clock or
entropy, which is what makes a run a pure function of its world.

The functions are defined once per engine on a shared ``wasmtime.Linker``;
each call finds the state of the run it belongs to through a thread-local
that :meth:`WasiState.activate` sets for the duration of one guest call
(a store is only ever entered by one thread at a time).
"""

from __future__ import annotations

import ctypes
import hashlib
import struct
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import wasmtime
from wasmtime import _ffi as ffi

from . import errno as E
from .vfs import VFS, Dir, File, FsError, WriteBudgetExceeded

if TYPE_CHECKING:
    from .watch import Watch

FILETYPE_CHAR, FILETYPE_DIR, FILETYPE_REG = 2, 3, 4
O_CREAT, O_DIRECTORY, O_EXCL, O_TRUNC = 1, 2, 4, 8
FDFLAG_APPEND = 1
RIGHT_FD_READ, RIGHT_FD_SEEK, RIGHT_FD_TELL, RIGHT_FD_WRITE = 1 << 1, 1 << 2, 1 << 5, 1 << 6
ALL_RIGHTS = (1 << 29) - 1
TTY_RIGHTS = ALL_RIGHTS & ~(RIGHT_FD_SEEK | RIGHT_FD_TELL)
CLOCK_REALTIME, CLOCK_MONOTONIC = 0, 1
#: Every clock read moves virtual time forward by this much, so a loop that
#: waits for the clock still ends, and still ends at the same point every run.
CLOCK_TICK_NS = 1_000
DEV = 1
FOREVER_NS = (1 << 32) * 1_000_000


class GuestStop(Exception):
    """Raised inside a host call to stop the guest; ``reason`` says why."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


class ProcExit(Exception):
    """The guest called ``proc_exit``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass(eq=False)
class Handle:
    """An open file description: a node, its path, position and access mode."""

    node: File | Dir
    path: tuple[str, ...]
    readable: bool = True
    writable: bool = False
    append: bool = False
    pos: int = 0
    read_to_end: bool = False


@dataclass
class FileReads:
    """How much of one file a run read: the highest offset any read reached, and how
    many times a read reached its end."""

    size: int
    bytes: int = 0
    furthest: int = 0
    passes: int = 0


class Stream:
    """A captured output stream (stdout or stderr) with a shared byte cap."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.data = bytearray()


_local = threading.local()


class HostCalls(Protocol):
    """The host side of a guest's ``worlds_host`` imports (functions a guest calls by number).

    ``call`` gets the arguments the guest encoded at ``ptr`` and returns the
    length of its encoded answer (negative for an error message, see the
    engine that uses it); the guest then calls ``take`` with a buffer that size.
    """

    def call(self, state: WasiState, function: int, kind: int, key: int, ptr: int, length: int) -> int: ...

    def take(self, state: WasiState, ptr: int) -> None: ...


def active() -> WasiState:
    """The state of the run whose guest is calling the host on this thread."""
    state: WasiState = _local.state
    return state


class WasiState:
    """Everything one guest run can observe and change."""

    def __init__(
        self,
        vfs: VFS,
        *,
        args: list[str],
        env: dict[str, str],
        now_ns: int,
        seed: int,
        output_limit: int,
        write_limit: int,
    ) -> None:
        self.vfs = vfs
        self.args = [a.encode() + b"\0" for a in args]
        self.env = [f"{k}={v}".encode() + b"\0" for k, v in sorted(env.items())]
        self.realtime_ns = now_ns
        self.monotonic_ns = 0
        self.seed = seed
        self._random_counter = 0
        self.output_limit = output_limit
        self.write_limit = write_limit
        self.stdout, self.stderr = Stream("stdout"), Stream("stderr")
        self.fds: dict[int, Handle | Stream | None] = {
            0: None, 1: self.stdout, 2: self.stderr, 3: Handle(vfs.root, ()),
        }
        self.memory: wasmtime.Memory | None = None
        self.store: wasmtime.Store | None = None
        self.pending: BaseException | None = None  # why a host call stopped the guest
        # A guest that serves requests reads them from stdin: ``stdin`` is asked
        # for more bytes whenever the guest has consumed all it was given.
        self.stdin: Callable[[WasiState], bytes] | None = None
        self.stdin_buffer = b""
        self.caller: Any = None  # the wasmtime caller of the current host call
        self.watch: Watch | None = None  # soft limits, for engines that poll them
        self.host: HostCalls | None = None  # what the guest's ``worlds_host`` imports reach
        # What the program read of each file it opened (the runtime's hidden files aside).
        self.reads: dict[str, FileReads] = {}
        self.hard_deadline: float | None = None  # when the engine stops the guest (perf_counter)
        self._view: memoryview | None = None

    @contextmanager
    def activate(self, store: wasmtime.Store, memory: wasmtime.Memory) -> Iterator[None]:
        """Route WASI calls made on this thread to this state while inside."""
        self.store, self.memory = store, memory
        previous = getattr(_local, "state", None)
        _local.state = self
        try:
            yield
        finally:
            _local.state = previous
            self.store = self.memory = None  # the store is not needed after the run; let it go
            self._view = None

    # -- memory access ----------------------------------------------------------

    def mem(self) -> memoryview:
        """A view of guest memory; made again when the memory has grown.

        Memory never moves here: the pooling allocator reserves each slot's
        whole address range up front, so only the size is checked.
        """
        assert self.memory is not None and self.store is not None
        size = self.memory.data_len(self.store)
        if self._view is None or len(self._view) != size:
            base = ctypes.addressof(self.memory.data_ptr(self.store).contents)
            self._view = memoryview((ctypes.c_ubyte * size).from_address(base)).cast("B")
        return self._view

    def read_str(self, ptr: int, length: int) -> str:
        raw = bytes(self.mem()[ptr : ptr + length])
        try:
            return raw.decode()
        except UnicodeDecodeError:
            raise FsError(E.INVAL) from None

    def iovecs(self, ptr: int, count: int) -> list[tuple[int, int]]:
        m = self.mem()
        return [struct.unpack_from("<II", m, ptr + 8 * i) for i in range(count)]

    # -- helpers -------------------------------------------------------------------

    def handle(self, fd: int) -> Handle:
        h = self.fds.get(fd)
        if not isinstance(h, Handle):
            raise FsError(E.BADF)
        return h

    def dir_path(self, fd: int) -> tuple[str, ...]:
        h = self.handle(fd)
        if not isinstance(h.node, Dir):
            raise FsError(E.NOTDIR)
        return h.path

    def path_arg(self, fd: int, ptr: int, length: int) -> tuple[str, ...]:
        return self.vfs.resolve(self.dir_path(fd), self.read_str(ptr, length))

    def new_fd(self, h: Handle) -> int:
        fd = 4
        while self.fds.get(fd) is not None:
            fd += 1
        self.fds[fd] = h
        return fd

    def emit(self, stream: Stream, data: bytes) -> None:
        if self.watch is not None and self.watch.stop is not None:
            self.watch.keep(data)  # the engine reporting the stop, not the program's output
            return
        room = self.output_limit - len(self.stdout.data) - len(self.stderr.data)
        stream.data += data[: max(room, 0)]
        if len(data) > room:
            raise GuestStop("output", f"{stream.name} passed {self.output_limit} bytes")

    def filestat(self, node: File | Dir) -> bytes:
        is_dir = isinstance(node, Dir)
        size = 0 if is_dir else len(node.data)  # type: ignore[union-attr]
        t = self.realtime_ns
        return struct.pack("<QQB7xQQQQQ", DEV, node.ino, FILETYPE_DIR if is_dir else FILETYPE_REG,
                           1, size, t, t, t)

    def random_bytes(self, n: int) -> bytes:
        # SHA-256 in counter mode: a stable stream for a given seed, on any machine.
        out = bytearray()
        while len(out) < n:
            block = struct.pack("<qQ", self.seed, self._random_counter)
            out += hashlib.sha256(block).digest()
            self._random_counter += 1
        return bytes(out[:n])


# --------------------------------------------------------------------------------
# The preview1 functions. Each takes the active state first; FsError becomes errno.

def args_sizes_get(s: WasiState, argc_out: int, size_out: int) -> int:
    struct.pack_into("<II", s.mem(), argc_out, len(s.args), 0)
    struct.pack_into("<I", s.mem(), size_out, sum(map(len, s.args)))
    return E.SUCCESS


def _write_strings(s: WasiState, items: list[bytes], ptrs: int, buf: int) -> int:
    m = s.mem()
    for i, item in enumerate(items):
        struct.pack_into("<I", m, ptrs + 4 * i, buf)
        m[buf : buf + len(item)] = item
        buf += len(item)
    return E.SUCCESS


def args_get(s: WasiState, ptrs: int, buf: int) -> int:
    return _write_strings(s, s.args, ptrs, buf)


def environ_sizes_get(s: WasiState, count_out: int, size_out: int) -> int:
    struct.pack_into("<I", s.mem(), count_out, len(s.env))
    struct.pack_into("<I", s.mem(), size_out, sum(map(len, s.env)))
    return E.SUCCESS


def environ_get(s: WasiState, ptrs: int, buf: int) -> int:
    return _write_strings(s, s.env, ptrs, buf)


def clock_res_get(s: WasiState, clock: int, out: int) -> int:
    struct.pack_into("<Q", s.mem(), out, CLOCK_TICK_NS)
    return E.SUCCESS


def clock_time_get(s: WasiState, clock: int, precision: int, out: int) -> int:
    s.realtime_ns += CLOCK_TICK_NS
    s.monotonic_ns += CLOCK_TICK_NS
    value = s.realtime_ns if clock == CLOCK_REALTIME else s.monotonic_ns
    struct.pack_into("<Q", s.mem(), out, value)
    return E.SUCCESS


def random_get(s: WasiState, buf: int, length: int) -> int:
    s.mem()[buf : buf + length] = s.random_bytes(length)
    return E.SUCCESS


def fd_close(s: WasiState, fd: int) -> int:
    if fd not in s.fds or (fd > 3 and s.fds[fd] is None):
        return E.BADF
    if fd > 3:  # stdio and the root stay open: closing them is a no-op
        h = s.fds[fd]
        s.fds[fd] = None
        if isinstance(h, Handle) and h.writable and isinstance(h.node, File) and h.node.device is not None:
            h.node.data = h.node.device(bytes(h.node.data))  # the request, answered
    return E.SUCCESS


def fd_fdstat_get(s: WasiState, fd: int, out: int) -> int:
    h = s.fds.get(fd)
    if fd == 0 or isinstance(h, Stream):
        # Character devices without seek rights: libc treats them as ttys and
        # line-buffers, so output arrives as it is printed.
        struct.pack_into("<BxHxxxxQQ", s.mem(), out, FILETYPE_CHAR, 0, TTY_RIGHTS, TTY_RIGHTS)
        return E.SUCCESS
    h = s.handle(fd)
    kind = FILETYPE_DIR if isinstance(h.node, Dir) else FILETYPE_REG
    flags = FDFLAG_APPEND if h.append else 0
    struct.pack_into("<BxHxxxxQQ", s.mem(), out, kind, flags, ALL_RIGHTS, ALL_RIGHTS)
    return E.SUCCESS


def fd_fdstat_set_flags(s: WasiState, fd: int, flags: int) -> int:
    h = s.handle(fd)
    h.append = bool(flags & FDFLAG_APPEND)
    return E.SUCCESS


def fd_filestat_get(s: WasiState, fd: int, out: int) -> int:
    h = s.fds.get(fd)
    if fd == 0 or isinstance(h, Stream):
        t = s.realtime_ns
        struct.pack_into("<QQB7xQQQQQ", s.mem(), out, DEV, 0, FILETYPE_CHAR, 1, 0, t, t, t)
        return E.SUCCESS
    s.mem()[out : out + 64] = s.filestat(s.handle(fd).node)
    return E.SUCCESS


def fd_filestat_set_size(s: WasiState, fd: int, size: int) -> int:
    h = s.handle(fd)
    if not isinstance(h.node, File) or not h.writable:
        return E.BADF if not h.writable else E.ISDIR
    data = h.node.writable_data()
    if size > len(data):
        s.vfs.charge(size - len(data), s.write_limit)
        data.extend(bytes(size - len(data)))
    else:
        del data[size:]
    return E.SUCCESS


def fd_prestat_get(s: WasiState, fd: int, out: int) -> int:
    if fd != 3:
        return E.BADF
    struct.pack_into("<BxxxI", s.mem(), out, 0, 1)
    return E.SUCCESS


def fd_prestat_dir_name(s: WasiState, fd: int, buf: int, length: int) -> int:
    if fd != 3:
        return E.BADF
    s.mem()[buf : buf + 1] = b"/"
    return E.SUCCESS


def _read_into(s: WasiState, h: Handle, iovs: int, count: int, pos: int) -> tuple[int, int]:
    if not h.readable:
        raise FsError(E.BADF)
    if not isinstance(h.node, File):
        raise FsError(E.ISDIR)
    data, m, total = h.node.data, s.mem(), 0
    for buf, length in s.iovecs(iovs, count):
        chunk = data[pos : pos + length]
        m[buf : buf + len(chunk)] = chunk
        pos += len(chunk)
        total += len(chunk)
        if len(chunk) < length:
            break
    if not h.node.hidden:
        reads = s.reads.get("/".join(h.path))
        if reads is not None:
            reads.bytes += total
            reads.furthest = max(reads.furthest, pos)
            if pos >= len(data) and not h.read_to_end:
                h.read_to_end = True
                reads.passes += 1
    return total, pos


def fd_read(s: WasiState, fd: int, iovs: int, count: int, nread_out: int) -> int:
    if fd == 0:
        if not s.stdin_buffer and s.stdin is not None:
            s.stdin_buffer = s.stdin(s)
        total, m, data = 0, s.mem(), s.stdin_buffer
        for buf, length in s.iovecs(iovs, count):
            chunk = data[total : total + length]
            m[buf : buf + len(chunk)] = chunk
            total += len(chunk)
        s.stdin_buffer = data[total:]
        struct.pack_into("<I", s.mem(), nread_out, total)
        return E.SUCCESS
    h = s.handle(fd)
    total, h.pos = _read_into(s, h, iovs, count, h.pos)
    struct.pack_into("<I", s.mem(), nread_out, total)
    return E.SUCCESS


def fd_pread(s: WasiState, fd: int, iovs: int, count: int, offset: int, nread_out: int) -> int:
    total, _ = _read_into(s, s.handle(fd), iovs, count, offset)
    struct.pack_into("<I", s.mem(), nread_out, total)
    return E.SUCCESS


def _gather(s: WasiState, iovs: int, count: int) -> bytes:
    m = s.mem()
    return b"".join(bytes(m[buf : buf + length]) for buf, length in s.iovecs(iovs, count))


def _write_at(s: WasiState, h: Handle, data: bytes, pos: int) -> int:
    if not h.writable or not isinstance(h.node, File):
        raise FsError(E.BADF if isinstance(h.node, File) else E.ISDIR)
    buf = h.node.writable_data()
    if not h.node.hidden:  # the runtime's own channel is not the program's writing
        s.vfs.charge(len(data), s.write_limit)
    if pos > len(buf):
        buf.extend(bytes(pos - len(buf)))
    buf[pos : pos + len(data)] = data
    return pos + len(data)


def fd_write(s: WasiState, fd: int, iovs: int, count: int, nwritten_out: int) -> int:
    data = _gather(s, iovs, count)
    target = s.fds.get(fd)
    if isinstance(target, Stream):
        s.emit(target, data)
    else:
        h = s.handle(fd)
        start = len(h.node.data) if h.append and isinstance(h.node, File) else h.pos
        h.pos = _write_at(s, h, data, start)
    struct.pack_into("<I", s.mem(), nwritten_out, len(data))
    return E.SUCCESS


def fd_pwrite(s: WasiState, fd: int, iovs: int, count: int, offset: int, nwritten_out: int) -> int:
    data = _gather(s, iovs, count)
    _write_at(s, s.handle(fd), data, offset)
    struct.pack_into("<I", s.mem(), nwritten_out, len(data))
    return E.SUCCESS


def fd_seek(s: WasiState, fd: int, offset: int, whence: int, out: int) -> int:
    if isinstance(s.fds.get(fd), Stream) or fd == 0:
        return E.SPIPE
    h = s.handle(fd)
    if not isinstance(h.node, File):
        return E.ISDIR
    base = {0: 0, 1: h.pos, 2: len(h.node.data)}.get(whence)
    if base is None or base + offset < 0:
        return E.INVAL
    h.pos = base + offset
    struct.pack_into("<Q", s.mem(), out, h.pos)
    return E.SUCCESS


def fd_tell(s: WasiState, fd: int, out: int) -> int:
    struct.pack_into("<Q", s.mem(), out, s.handle(fd).pos)
    return E.SUCCESS


def fd_readdir(s: WasiState, fd: int, buf: int, length: int, cookie: int, used_out: int) -> int:
    h = s.handle(fd)
    if not isinstance(h.node, Dir):
        return E.NOTDIR
    entries: list[tuple[str, File | Dir]] = [(".", h.node), ("..", h.node)]
    entries += sorted((n, c) for n, c in h.node.children.items() if not c.hidden)
    out = bytearray()
    for index in range(cookie, len(entries)):
        name, node = entries[index]
        raw = name.encode()
        kind = FILETYPE_DIR if isinstance(node, Dir) else FILETYPE_REG
        out += struct.pack("<QQIB3x", index + 1, node.ino, len(raw), kind) + raw
        if len(out) >= length:
            break
    out = out[:length]  # a cut entry tells libc to call again with a bigger buffer
    s.mem()[buf : buf + len(out)] = out
    struct.pack_into("<I", s.mem(), used_out, len(out))
    return E.SUCCESS


def path_open(s: WasiState, fd: int, dirflags: int, path: int, path_len: int, oflags: int,
              rights: int, rights_inh: int, fdflags: int, fd_out: int) -> int:
    parts = s.path_arg(fd, path, path_len)
    write = bool(rights & RIGHT_FD_WRITE) or bool(oflags & O_TRUNC)
    try:
        node = s.vfs.lookup(parts)
        if oflags & O_CREAT and oflags & O_EXCL:
            return E.EXIST
    except FsError as err:
        if err.errno != E.NOENT or not oflags & O_CREAT:
            raise
        node = s.vfs.create_file(parts)
    if isinstance(node, Dir):
        if write:
            return E.ISDIR
    elif oflags & O_DIRECTORY:
        return E.NOTDIR
    elif write and node.readonly:
        return E.ACCES
    elif oflags & O_TRUNC and node.data:
        node.data = bytearray()
    handle = Handle(node, parts, readable=bool(rights & RIGHT_FD_READ) or not write,
                    writable=write, append=bool(fdflags & FDFLAG_APPEND))
    if not write and isinstance(node, File) and not node.hidden:
        s.reads.setdefault("/".join(parts), FileReads(len(node.data))).size = len(node.data)
    struct.pack_into("<I", s.mem(), fd_out, s.new_fd(handle))
    return E.SUCCESS


def path_filestat_get(s: WasiState, fd: int, flags: int, path: int, path_len: int, out: int) -> int:
    s.mem()[out : out + 64] = s.filestat(s.vfs.lookup(s.path_arg(fd, path, path_len)))
    return E.SUCCESS


def path_filestat_set_times(s: WasiState, fd: int, flags: int, path: int, path_len: int,
                            atim: int, mtim: int, fst_flags: int) -> int:
    s.vfs.lookup(s.path_arg(fd, path, path_len))  # times are the world's; only check it exists
    return E.SUCCESS


def path_create_directory(s: WasiState, fd: int, path: int, path_len: int) -> int:
    s.vfs.mkdir(s.path_arg(fd, path, path_len))
    return E.SUCCESS


def path_remove_directory(s: WasiState, fd: int, path: int, path_len: int) -> int:
    s.vfs.rmdir(s.path_arg(fd, path, path_len))
    return E.SUCCESS


def path_unlink_file(s: WasiState, fd: int, path: int, path_len: int) -> int:
    s.vfs.unlink(s.path_arg(fd, path, path_len))
    return E.SUCCESS


def path_rename(s: WasiState, fd: int, old: int, old_len: int, new_fd: int, new: int,
                new_len: int) -> int:
    s.vfs.rename(s.path_arg(fd, old, old_len), s.path_arg(new_fd, new, new_len))
    return E.SUCCESS


def poll_oneoff(s: WasiState, subs: int, events: int, count: int, nevents_out: int) -> int:
    # Only clock subscriptions can wait. Waiting costs no real time: it moves
    # the monotonic clock (which engines' event loops watch) and leaves the
    # wall clock alone, so the world's `now` only moves by what the language
    # runtime decides (JS timers advance Date explicitly). QuickJS waits 2**32
    # ms to mean "until something happens"; nothing outside can happen here,
    # so such a wait returns at once.
    m, out, wait = s.mem(), bytearray(), 0
    for i in range(count):
        userdata, tag = struct.unpack_from("<QB", m, subs + 48 * i)
        if tag == 0:
            clock, timeout, _, flags = struct.unpack_from("<I4xQQH", m, subs + 48 * i + 16)
            delay = timeout - s.monotonic_ns if flags & 1 else timeout
            if delay < FOREVER_NS:
                wait = max(wait, delay)
            out += struct.pack("<QHBx20x", userdata, E.SUCCESS, 0)
        else:
            out += struct.pack("<QHBx20x", userdata, E.BADF, tag)
    s.monotonic_ns += max(wait, 0)
    m[events : events + len(out)] = out
    struct.pack_into("<I", m, nevents_out, count)
    return E.SUCCESS


def proc_exit(s: WasiState, code: int) -> None:
    raise ProcExit(code)


def _unsupported(*_: object) -> int:
    return E.NOTSUP


def _ok(*_: object) -> int:
    return E.SUCCESS


# name -> (implementation, parameter types: i = i32, I = i64, returns an errno)
SIGNATURES: dict[str, tuple[Callable[..., int | None], str, bool]] = {
    "args_get": (args_get, "ii", True),
    "args_sizes_get": (args_sizes_get, "ii", True),
    "environ_get": (environ_get, "ii", True),
    "environ_sizes_get": (environ_sizes_get, "ii", True),
    "clock_res_get": (clock_res_get, "ii", True),
    "clock_time_get": (clock_time_get, "iIi", True),
    "fd_advise": (_ok, "iIIi", True),
    "fd_allocate": (_unsupported, "iII", True),
    "fd_close": (fd_close, "i", True),
    "fd_datasync": (_ok, "i", True),
    "fd_fdstat_get": (fd_fdstat_get, "ii", True),
    "fd_fdstat_set_flags": (fd_fdstat_set_flags, "ii", True),
    "fd_fdstat_set_rights": (_ok, "iII", True),
    "fd_filestat_get": (fd_filestat_get, "ii", True),
    "fd_filestat_set_size": (fd_filestat_set_size, "iI", True),
    "fd_filestat_set_times": (_ok, "iIIi", True),
    "fd_pread": (fd_pread, "iiiIi", True),
    "fd_prestat_get": (fd_prestat_get, "ii", True),
    "fd_prestat_dir_name": (fd_prestat_dir_name, "iii", True),
    "fd_pwrite": (fd_pwrite, "iiiIi", True),
    "fd_read": (fd_read, "iiii", True),
    "fd_readdir": (fd_readdir, "iiiIi", True),
    "fd_renumber": (_unsupported, "ii", True),
    "fd_seek": (fd_seek, "iIii", True),
    "fd_sync": (_ok, "i", True),
    "fd_tell": (fd_tell, "ii", True),
    "fd_write": (fd_write, "iiii", True),
    "path_create_directory": (path_create_directory, "iii", True),
    "path_filestat_get": (path_filestat_get, "iiiii", True),
    "path_filestat_set_times": (path_filestat_set_times, "iiiiIIi", True),
    "path_link": (_unsupported, "iiiiiii", True),
    "path_open": (path_open, "iiiiiIIii", True),
    "path_readlink": (_unsupported, "iiiiii", True),
    "path_remove_directory": (path_remove_directory, "iii", True),
    "path_rename": (path_rename, "iiiiii", True),
    "path_symlink": (_unsupported, "iiiii", True),
    "path_unlink_file": (path_unlink_file, "iii", True),
    "poll_oneoff": (poll_oneoff, "iiii", True),
    "proc_exit": (proc_exit, "i", False),
    "proc_raise": (_unsupported, "i", True),
    "sched_yield": (_ok, "", True),
    "random_get": (random_get, "ii", True),
    "sock_accept": (_unsupported, "iii", True),
    "sock_recv": (_unsupported, "iiiiii", True),
    "sock_send": (_unsupported, "iiiii", True),
    "sock_shutdown": (_unsupported, "ii", True),
}


# The host functions are called through wasmtime's "unchecked" interface: the
# arguments and result travel in one array of raw values. wasmtime-py's own
# trampoline converts each value through Python objects, which cost more than
# most of these functions. A failure that must stop the guest is kept on the
# run's own state (``state.pending``) and returned to wasmtime as a trap.
_KEEP_ALIVE: list[Any] = []
_NO_FINALIZER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)(0)  # a null function pointer


def _trap(state: WasiState, err: BaseException) -> int:
    state.pending = err
    message = type(err).__name__.encode()
    trap = ffi.wasmtime_trap_new(ctypes.create_string_buffer(message), len(message))
    return ctypes.cast(trap, ctypes.c_void_p).value or 0


def _host_function(impl: Callable[..., int | None], params: str, returns: bool) -> Any:
    kinds = tuple(params)

    def call(env: int, caller: Any, values: Any, count: int) -> int:
        state = active()
        state.caller = caller
        try:
            args = [values[i].i32 & 0xFFFFFFFF if k == "i" else values[i].i64
                    for i, k in enumerate(kinds)]
            result = impl(state, *args)
        except FsError as err:
            result = err.errno
        except WriteBudgetExceeded:
            return _trap(state, GuestStop("write", f"files passed {state.write_limit} bytes"))
        except (IndexError, struct.error, ValueError):
            result = E.FAULT  # a pointer outside guest memory
        except BaseException as err:  # GuestStop, ProcExit, or a bug: all end the guest
            return _trap(state, err)
        if returns:
            values[0].i32 = result
        return 0

    return ffi.wasmtime_func_unchecked_callback_t(call)


def _host(state: WasiState) -> HostCalls:
    if state.host is None:
        raise GuestStop("trap", "the guest called a host function it was not given")
    return state.host


def _host_call(state: WasiState, function: int, kind: int, key: int, ptr: int, length: int) -> int:
    return _host(state).call(state, function, kind, key, ptr, length)


def _host_take(state: WasiState, ptr: int) -> None:
    _host(state).take(state, ptr)


#: Functions of the host a guest may import from ``worlds_host`` (see :class:`HostCalls`).
HOST_SIGNATURES: dict[str, tuple[Callable[..., int | None], str, bool]] = {
    "call": (_host_call, "iiiii", True),
    "take": (_host_take, "i", False),
}


def define(linker: wasmtime.Linker) -> None:
    """Define every preview1 function, and the ``worlds_host`` bridge, on ``linker`` (once per engine)."""
    for module, signatures in ((b"wasi_snapshot_preview1", SIGNATURES), (b"worlds_host", HOST_SIGNATURES)):
        _define(linker, module, signatures)


def _define(linker: wasmtime.Linker, module: bytes,
            signatures: dict[str, tuple[Callable[..., int | None], str, bool]]) -> None:
    kinds = {"i": wasmtime.ValType.i32(), "I": wasmtime.ValType.i64()}
    for name, (impl, params, returns) in signatures.items():
        ty = wasmtime.FuncType([kinds[p] for p in params],
                               [wasmtime.ValType.i32()] if returns else [])
        callback = _host_function(impl, params, returns)
        _KEEP_ALIVE.append((callback, ty))  # ctypes callbacks must outlive the linker
        raw = name.encode()
        error = ffi.wasmtime_linker_define_func_unchecked(
            linker.ptr(), ctypes.create_string_buffer(module), len(module),
            ctypes.create_string_buffer(raw), len(raw), ty.ptr(), callback, None, _NO_FINALIZER)
        if error:
            raise wasmtime.WasmtimeError._from_ptr(error)
