"""Episodes as Ray work (``pytest bench/ --executor ray``): the one module of the bench that imports Ray.

The driver (the pytest process) keeps the plan and hands cases to long-lived worker actors, at most
``DEPTH`` at a time each (back-pressure: a plan of 6,000 episodes is not 6,000 queued tasks). A
worker keeps every world it has loaded warm (``tasks.load_world`` is cached per process), and a
case goes to a worker that has its world warm when one is free, else to a worker no other works
that world on, else to any idle one. A worker plays the case in its own scratch folder and sends
back the row and the trace's bytes (nodes need not share a file system); the driver writes them
under ``OUT`` as each completes, so finished episodes are on disk and ``--resume`` skips them.

A worker that dies takes its running episode with it: the episode is played again on a fresh
worker, and a second death makes it a failed row (``worker_deaths`` says so in both cases), which
the report lists. API agents ask one ``Limits`` actor for a slot before each request, so the
concurrency and requests-per-minute caps hold across the cluster, not per worker.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ray
import ray.exceptions

from worlds.ray import shutdown

from .plan import Case
from .play import Row, keep, kept, lost, play

BENCH = Path(__file__).resolve().parent.parent
DEPTH = 2  # cases queued on a worker: the one it plays and the next, so it never waits on the driver
#: Fault injection for tests: a folder; a worker about to play a case listed in its ``hold`` file
#: writes ``CASE.N.pid`` (N = the attempt) and waits for ``CASE.N.go``, so a test can kill it mid-episode.
HOLD = "BENCH_RAY_HOLD"


class ExecutorError(Exception):
    """The cluster cannot be used as asked; one sentence for the user."""


class EpisodeFailed(Exception):
    """An episode raised in its worker, or its result could not come back; the sentence says which."""


# --- the cluster side -------------------------------------------------------------------------


class Limits:
    """Per API model (``openai:MODEL``), a cap on requests in flight and on requests per minute,
    for every worker of a run. A Ray actor runs one method at a time, so no lock is needed."""

    def __init__(self, concurrency: int | None, rpm: float | None) -> None:
        self.concurrency, self.rpm = concurrency, rpm
        self.in_flight: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.next_at: dict[str, float] = {}  # the token bucket of one token: the earliest next request

    def acquire(self, key: str) -> float:
        """0 when the request may go now (its slot is taken), else the seconds to wait before asking again."""
        now = time.monotonic()
        if self.concurrency is not None and self.in_flight.get(key, 0) >= self.concurrency:
            return 0.02
        if self.rpm is not None and now < self.next_at.get(key, 0.0):
            return self.next_at[key] - now
        if self.rpm is not None:
            self.next_at[key] = max(now, self.next_at.get(key, 0.0)) + 60.0 / self.rpm
        self.in_flight[key] = self.in_flight.get(key, 0) + 1
        self.peak[key] = max(self.peak.get(key, 0), self.in_flight[key])
        return 0.0

    def release(self, key: str) -> None:
        self.in_flight[key] = max(0, self.in_flight.get(key, 0) - 1)

    def stats(self) -> dict[str, dict[str, int]]:
        """The most requests each key had in flight at once."""
        return {"peak": dict(self.peak)}


class RayLimiter:
    """An agent's side of ``Limits``: wait for a slot, give it back when the answer is in."""

    def __init__(self, limits: Any) -> None:
        self.limits = limits

    @contextmanager
    def slot(self, key: str) -> Iterator[None]:
        while (wait := ray.get(self.limits.acquire.remote(key))) > 0:
            time.sleep(wait)
        try:
            yield
        finally:
            ray.get(self.limits.release.remote(key))


class Worker:
    """A long-lived actor that plays cases; the worlds it loads stay warm between them."""

    def __init__(self, limits: Any | None) -> None:
        self.scratch = Path(tempfile.mkdtemp(prefix="worlds-bench-"))
        self.limiter = RayLimiter(limits) if limits is not None else None

    def play(self, case: Case) -> tuple[Row, bytes]:
        _hold(case.id)
        row = play(case, self.scratch, self.limiter)
        trace = self.scratch / row["trace"]
        data = trace.read_bytes()
        trace.unlink()
        return row, data


def _hold(case_id: str) -> None:
    folder = os.environ.get(HOLD)
    listed = Path(folder or ".") / "hold"
    if not folder or not listed.is_file() or case_id not in listed.read_text().split():
        return
    attempt = len(list(Path(folder).glob(f"{case_id}.*.pid"))) + 1
    (Path(folder) / f"{case_id}.{attempt}.pid").write_text(str(os.getpid()))
    deadline = time.monotonic() + 120
    while not (Path(folder) / f"{case_id}.{attempt}.go").exists() and time.monotonic() < deadline:
        time.sleep(0.02)


# --- the driver side --------------------------------------------------------------------------


@dataclass
class _Slot:
    """A worker as the driver sees it: its actor, the worlds it has warm, the cases queued on it."""

    actor: Any
    warm: set[str] = field(default_factory=set)
    queued: list[tuple[Any, Case]] = field(default_factory=list)  # in order: the first is playing


class RayExecutor:
    """Plays cases on a Ray cluster and keeps their rows and traces under ``out``.

    ``start()`` connects (a local cluster when ``address`` is None and Ray is not running yet) and
    makes the workers; ``submit(cases)`` plays them in the background; ``result(case_id)`` waits for
    one; ``close()`` stops the workers and a cluster it started.
    """

    def __init__(self, out: Path, *, address: str | None = None, workers: int | None = None,
                 concurrency: int | None = None, rpm: float | None = None, resume: bool = False) -> None:
        self.out, self.address, self.workers = out, address, workers
        self.concurrency, self.rpm, self.resume = concurrency, rpm, resume
        self.limits: Any = None
        self.slots: list[_Slot] = []
        self.results: dict[str, Row | EpisodeFailed] = {}
        self.done: dict[str, threading.Event] = {}
        self.deaths: dict[str, int] = {}
        self.on_done: Callable[[Row], None] = lambda row: None
        self._started_ray = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> int:
        """Connect and make the workers; the number of workers."""
        if not ray.is_initialized():
            self._connect()
        cpus = int(ray.cluster_resources().get("CPU", 0))
        if cpus < 1:
            raise ExecutorError("the Ray cluster offers no CPU to play episodes on")
        workers = self.workers or cpus
        if workers > cpus:
            raise ExecutorError(f"--workers {workers}: the Ray cluster has {cpus} CPUs; "
                                f"ask for at most {cpus}")
        if self.concurrency is not None or self.rpm is not None:
            self.limits = ray.remote(num_cpus=0)(Limits).remote(self.concurrency, self.rpm)
        self.slots = [_Slot(self._actor()) for _ in range(workers)]
        return workers

    def _connect(self) -> None:
        """``worlds.ray.connect``: a local cluster, or the one at ``address`` once every node is
        checked to run the same worlds and engines as this machine."""
        import worlds.ray

        env = {k: os.environ[k] for k in (HOLD,) if k in os.environ}
        options: dict[str, Any] = {}
        if self.address is None:
            # Workers of a local cluster share this file system: the bench is imported where it is.
            path = os.pathsep.join(p for p in (str(BENCH.parent), os.environ.get("PYTHONPATH")) if p)
            options = {"runtime_env": {"env_vars": {**env, "PYTHONPATH": path}}}
            if self.workers:
                options["num_cpus"] = self.workers
        else:
            # Other nodes may not have this folder: the bench (tasks, worlds) goes with the job.
            options = {"runtime_env": {"py_modules": [str(BENCH)], "env_vars": env,
                                       "excludes": ["out/", "__pycache__/", "*.pyc"]}}
        try:
            cluster = worlds.ray.connect(self.address, **options)
        except worlds.ray.WorldsRayError as err:
            where = f"--ray-address {self.address}" if self.address else "--executor ray"
            raise ExecutorError(f"{where}: {err}") from None
        self._started_ray = cluster.started

    def _actor(self) -> Any:
        return ray.remote(num_cpus=1, max_restarts=0)(Worker).remote(self.limits)

    def submit(self, cases: list[Case], on_done: Callable[[Row], None] | None = None) -> None:
        """Play ``cases`` in the background (those ``--resume`` finds on disk are done already)."""
        self.on_done = on_done or self.on_done
        pending: deque[Case] = deque()
        for case in cases:
            self.done[case.id] = threading.Event()
            row = kept(self.out, case) if self.resume else None
            if row is not None:
                self._finish(case, row)
            else:
                pending.append(case)
        self._thread = threading.Thread(target=self._dispatch, args=(pending,), name="bench-ray", daemon=True)
        self._thread.start()

    def result(self, case_id: str) -> Row:
        """The row of a submitted case, once it is played; ``EpisodeFailed`` when it could not be."""
        self.done[case_id].wait()
        outcome = self.results[case_id]
        if isinstance(outcome, EpisodeFailed):
            raise outcome
        return outcome

    def peaks(self) -> dict[str, int]:
        """The most API requests each model had in flight at once (empty without limits)."""
        if self.limits is None:
            return {}
        stats: dict[str, dict[str, int]] = ray.get(self.limits.stats.remote())
        return stats["peak"]

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        for slot in self.slots:
            ray.kill(slot.actor)
        self.slots = []
        for case_id, event in self.done.items():  # anything still waiting was cut short
            if not event.is_set():
                self.results[case_id] = EpisodeFailed("the run stopped before this episode was played")
                event.set()
        if self._started_ray:
            shutdown()
            self._started_ray = False

    # the dispatcher thread

    def _finish(self, case: Case, outcome: Row | EpisodeFailed) -> None:
        self.results[case.id] = outcome
        self.done[case.id].set()
        if not isinstance(outcome, EpisodeFailed):
            self.on_done(outcome)

    def _dispatch(self, pending: deque[Case]) -> None:
        try:
            self._loop(pending)
        except Exception as err:  # the items waiting on their cases fail with this, rather than hang
            failure = EpisodeFailed(f"the Ray executor stopped: {type(err).__name__}: {err}")
            for case in pending:
                self._finish(case, failure)
            for slot in self.slots:
                for _, case in slot.queued:
                    self._finish(case, failure)

    def _loop(self, pending: deque[Case]) -> None:
        while not self._stop.is_set():
            for slot in self.slots:
                while len(slot.queued) < DEPTH and pending:
                    case = self._pick(slot, pending)
                    slot.queued.append((slot.actor.play.remote(case), case))
                    slot.warm.add(case.task.world)
            refs = [ref for slot in self.slots for ref, _ in slot.queued]
            if not refs:
                return
            ready, _ = ray.wait(refs, num_returns=1, timeout=0.5)
            for ref in ready:
                self._collect(ref, pending)

    def _pick(self, slot: _Slot, pending: deque[Case]) -> Case:
        """A case whose world this worker has warm, else one whose world nobody works on, else the next."""
        others = {c.task.world for s in self.slots if s is not slot for _, c in s.queued}
        for wanted in (lambda c: c.task.world in slot.warm, lambda c: c.task.world not in others):
            for case in pending:
                if wanted(case):
                    pending.remove(case)
                    return case
        return pending.popleft()

    def _collect(self, ref: Any, pending: deque[Case]) -> None:
        slot = next((s for s in self.slots if any(r == ref for r, _ in s.queued)), None)
        if slot is None:  # a case of a worker that died, already put back
            return
        case = next(c for r, c in slot.queued if r == ref)
        try:
            row, trace = ray.get(ref)
        except ray.exceptions.RayActorError as err:
            self._died(slot, pending, err)
            return
        except ray.exceptions.RayTaskError as err:
            cause = err.cause if isinstance(err.cause, BaseException) else err
            slot.queued = [(r, c) for r, c in slot.queued if r != ref]
            self._finish(case, EpisodeFailed(f"the episode raised {type(cause).__name__}: {cause}"))
            return
        except ray.exceptions.RayError as err:  # the result could not come back: object store, node lost
            slot.queued = [(r, c) for r, c in slot.queued if r != ref]
            first = (str(err).strip().splitlines() or [type(err).__name__])[0]
            self._finish(case, EpisodeFailed(f"the episode's result did not come back from Ray: {first}"))
            return
        slot.queued = [(r, c) for r, c in slot.queued if r != ref]
        if case.id in self.deaths:
            row["worker_deaths"] = self.deaths[case.id]
        keep(self.out, case, row, trace)
        self._finish(case, row)

    def _died(self, slot: _Slot, pending: deque[Case], err: Exception) -> None:
        """The worker died: its playing case is retried once (else lost), the others queued again."""
        (_, playing), *waiting = slot.queued
        slot.actor, slot.queued, slot.warm = self._actor(), [], set()
        for _, case in reversed(waiting):
            pending.appendleft(case)
        deaths = self.deaths[playing.id] = self.deaths.get(playing.id, 0) + 1
        if deaths < 2:
            pending.appendleft(playing)
            return
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        row = lost(playing, f"the Ray worker playing this episode died twice; the last time: {reason}",
                   deaths)
        keep(self.out, playing, row)
        self._finish(playing, row)

