"""Runs on every core: a pool of worker processes, each holding the served worlds.

The server's event loop never runs a program. It sends a job (the session's
workspace files plus what to do) to an idle worker over a pipe and awaits the
reply; the worker rebuilds the session from those files, does exactly what
:class:`~worlds.Session` does in-process, and sends back the answer and the
change to the workspace (files written or deleted, history entries added).
The session's state lives in the server process and its database, so a
worker holds nothing between jobs and any worker can serve any session.

As many workers as cores, each given at most two jobs at a time (one
running, one waiting in its pipe, so it never idles between runs): runs
queue in the server, not inside the sandbox, and a run's wall-clock limit
starts when the run does. A worker that dies (it should not: runs are
sandboxed) is replaced, and the jobs it held fail with :class:`WorkerLost`.

Frames on the pipe are those of :class:`multiprocessing.connection.Connection`
(a 4-byte big-endian length, then a pickle), so the worker side uses the
stock ``send_bytes``/``recv_bytes`` while the server side reads them with
asyncio and never blocks its loop.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import multiprocessing.connection
import os
import pickle
import socket
import struct
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..world import World

PROTOCOL = pickle.HIGHEST_PROTOCOL


class WorkerLost(Exception):
    """The worker process running a job ended before answering."""


@dataclass
class Job:
    """What a worker does: ``kind`` is ``"run"`` (the HTTP run route) or ``"call"`` (a tool)."""

    kind: str
    world: str
    files: dict[str, bytes]
    history: int  # how many runs the session has had
    args: dict[str, Any]


@dataclass
class Delta:
    """How a job changed the session: files written (``None``: deleted) and history added."""

    files: dict[str, bytes | None] = field(default_factory=dict)
    history: list[Any] = field(default_factory=list)


@dataclass
class Reply:
    """A job's outcome: ``value`` is the answer (bytes of JSON for a run, a tool answer
    for a call), or ``error`` a sentence for the client and ``status`` its HTTP status."""

    value: Any = None
    delta: Delta = field(default_factory=Delta)
    error: str | None = None
    status: int = 200


def world_spec(world: World) -> dict[str, Any]:
    """What a worker needs to rebuild ``world`` exactly (worlds are immutable values)."""
    return world.spec()


class _Worker:
    """One worker process: its pipe, and the jobs sent to it not yet answered (answered in order)."""

    def __init__(self, process: subprocess.Popen[bytes], reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
        self.process = process
        self.reader = reader
        self.writer = writer
        self.waiting: collections.deque[asyncio.Future[Reply]] = collections.deque()
        self.listener: asyncio.Task[None] | None = None


class Pool:
    """``size`` worker processes serving jobs for ``worlds``; start with :meth:`start`.

    A job goes to an idle worker when there is one. When every worker is busy, a worker takes
    a second job (``DEPTH``), which waits in its pipe: the worker then goes from one run to the
    next without waiting on the server (a third more runs per second on two cores), at the
    price that this job waits for the run ahead of it even if another worker frees up first."""

    DEPTH = 2

    def __init__(self, worlds: Mapping[str, World], size: int | None = None) -> None:
        self.size = max(1, size or os.cpu_count() or 1)
        self._specs = pickle.dumps({name: world_spec(w) for name, w in worlds.items()}, protocol=PROTOCOL)
        self._workers: set[_Worker] = set()
        self._queue: collections.deque[asyncio.Future[None]] = collections.deque()  # jobs waiting
        self._closed = False

    async def start(self) -> None:
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)), return_exceptions=True)
        failed = [w for w in workers if isinstance(w, BaseException)]
        if failed:
            await self.close()
            raise failed[0]

    async def close(self) -> None:
        self._closed = True
        workers = list(self._workers)
        for worker in workers:
            worker.writer.close()  # the worker reads the end of its pipe and exits
        listeners = [w.listener for w in workers if w.listener is not None]
        await asyncio.wait(listeners, timeout=5) if listeners else None
        for worker in workers:
            try:
                await asyncio.to_thread(worker.process.wait, 5)
            except subprocess.TimeoutExpired:
                worker.process.kill()
        self._workers.clear()

    async def submit(self, job: Job) -> Reply:
        """Run ``job`` on the next free worker slot; its reply, or :class:`WorkerLost`.

        Cancelling the caller does not cancel the job (it is in the worker's pipe already): the
        reply is still read, and the slot freed, when it comes.
        """
        worker = await self._pick()
        answer: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        worker.waiting.append(answer)
        worker.writer.write(_frame(pickle.dumps(job, protocol=PROTOCOL)))
        return await asyncio.shield(answer)

    async def _pick(self) -> _Worker:
        """The least busy worker with room, in turn: an idle worker before one with a job running."""
        woken = False
        while True:
            if self._closed:
                raise WorkerLost("the server is shutting down")
            free = [w for w in self._workers if len(w.waiting) < self.DEPTH]
            if free and (woken or not self._queue):
                return min(free, key=lambda w: len(w.waiting))
            turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            if woken:
                self._queue.appendleft(turn)  # keep its place
            else:
                self._queue.append(turn)
            try:
                await turn
            finally:
                if turn in self._queue:
                    self._queue.remove(turn)
            woken = True

    def _wake(self) -> None:
        while self._queue:
            turn = self._queue.popleft()
            if not turn.done():
                turn.set_result(None)
                return

    async def _listen(self, worker: _Worker) -> None:
        """Read the worker's replies, in order, until its pipe breaks; then replace it."""
        try:
            while True:
                reply = pickle.loads(await _read_frame(worker.reader))
                answer = worker.waiting.popleft()
                if not answer.done():
                    answer.set_result(reply)
                self._wake()
        except (OSError, EOFError, asyncio.IncompleteReadError, pickle.UnpicklingError, IndexError) as err:
            problem: BaseException = err
        except asyncio.CancelledError:
            problem = WorkerLost("the server is shutting down")
        self._workers.discard(worker)
        worker.writer.close()
        with contextlib.suppress(OSError):
            worker.process.kill()
        for answer in worker.waiting:
            if not answer.done():
                answer.set_exception(WorkerLost(
                    f"the worker process stopped while running this request ({problem!r})"))
        if not self._closed and not isinstance(problem, WorkerLost):
            with contextlib.suppress(WorkerLost, OSError):
                await self._spawn()
        self._wake()

    async def _spawn(self) -> _Worker:
        here, there = socket.socketpair()
        with there:
            # A fresh interpreter, not multiprocessing's spawn: that would re-import the caller's
            # __main__, which breaks any script that builds the app without a __main__ guard.
            # Its stdout goes to our stderr: in stdio mode our stdout is the MCP channel.
            process = subprocess.Popen(
                [sys.executable, "-m", "worlds.serve.worker", str(there.fileno())],
                pass_fds=(there.fileno(),), stdin=subprocess.DEVNULL, stdout=2,
                start_new_session=True)  # a Ctrl-C in the terminal is for the server, which stops us
        reader, writer = await asyncio.open_unix_connection(sock=here)
        writer.write(_frame(self._specs))
        try:
            ready = await _read_frame(reader)  # the worker built its worlds and ran once
        except asyncio.IncompleteReadError:
            ready = b"it exited (see the messages above)"
        if ready != b"ready":
            writer.close()
            process.kill()
            raise WorkerLost(f"a worker process failed to start: {ready.decode(errors='replace')}")
        worker = _Worker(process, reader, writer)
        self._workers.add(worker)
        worker.listener = asyncio.get_running_loop().create_task(self._listen(worker))
        self._wake()
        return worker


def _frame(data: bytes) -> bytes:
    if len(data) > 0x7FFFFFFF:
        return struct.pack("!iQ", -1, len(data)) + data
    return struct.pack("!i", len(data)) + data


async def _read_frame(reader: asyncio.StreamReader) -> bytes:
    (size,) = struct.unpack("!i", await reader.readexactly(4))
    if size == -1:
        (size,) = struct.unpack("!Q", await reader.readexactly(8))
    return await reader.readexactly(size)


# -- the worker side ------------------------------------------------------------------


def serve_jobs(conn: multiprocessing.connection.Connection) -> None:
    """The worker's loop: build the worlds, say ready, then answer jobs until the pipe closes."""
    # Threads that wake while a run holds the GIL (the deadline clock ticks every 5 ms) would
    # otherwise keep it up to the default 5 ms switch interval; a worker does nothing else, so
    # a short interval costs nothing. (It halved a SQL run's latency when SQL ran on a thread
    # of its own.)
    sys.setswitchinterval(0.0005)
    try:
        from .jobs import execute
        specs = pickle.loads(conn.recv_bytes())
        worlds = {name: World(**spec) for name, spec in specs.items()}
        for world in worlds.values():
            world.run("0")  # load the engine now, not in the first request
    except EOFError:
        return
    except Exception as err:  # reported to the server, which refuses to start
        conn.send_bytes(f"{type(err).__name__}: {err}".encode())
        return
    conn.send_bytes(b"ready")
    while True:
        try:
            job = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return  # the server closed the pipe or died: nothing left to serve
        try:
            reply = execute(worlds, job)
        except Exception as err:  # a bug, not the program's fault: say so rather than die
            reply = Reply(error=f"internal error while running the request: {type(err).__name__}: {err}",
                          status=500)
        conn.send_bytes(pickle.dumps(reply, protocol=PROTOCOL))
