"""A pool of Ray actors that run worlds: each actor holds worlds by key and keeps its engines warm.

A world goes to the cluster once: :meth:`Pool.add` puts it in Ray's object store, and every
call carries only a reference to it, which an actor resolves (and builds the world from) the
first time it meets that world. Runs come back as ``RunResult.to_json()``, the same bytes as a
local ``World.run``. An actor that dies is restarted by Ray and the call it was running is
retried once (``max_restarts``, ``max_task_retries``); a second death is :class:`WorkerLost`.
A session lives in one actor; if that actor dies, its handle replays the calls made so far on
the restarted actor (runs are deterministic, so the workspace comes back the same).
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import ray

from ..errors import WorldsError
from ..session import Session
from ..world import World
from .cluster import WorldsRayError, connect

#: Calls (or chunks of calls) sent to each actor at once: one running, one waiting, so an actor
#: never idles between calls; more would only queue inside Ray.
DEPTH = 2
#: Worlds an actor keeps built (their tables loaded, their engines warm); the least recent go.
KEEP_WORLDS = 32

Item = tuple[Any, ...] | Mapping[str, Any]


class WorkerLost(WorldsRayError):
    """The actor running a call died twice (once is retried on its restarted self)."""


class WorldTooLarge(WorldsRayError):
    """A world bigger than a node's object store: it would spill to disk on every node."""


class _SessionGone(WorldsRayError):
    """The actor holding a session was restarted, so the session must be replayed."""


class _Worker:
    """One actor: worlds built from their shipped specs, and the sessions opened here."""

    def __init__(self) -> None:
        # A short switch interval: the deadline clock's thread must not hold a run up (as in serve).
        sys.setswitchinterval(0.0005)
        self.worlds: collections.OrderedDict[str, World] = collections.OrderedDict()
        self.sessions: dict[str, Session] = {}
        World().run("0")  # the JS engine compiled and loaded now, not in the first call

    @ray.method(concurrency_group="control")
    def pid(self) -> int:
        """This actor's process id (answered even while a run is going)."""
        return os.getpid()

    def world(self, key: str, shipped: list[ray.ObjectRef[Any]]) -> World:
        found = self.worlds.get(key)
        if found is None:
            how, what = ray.get(shipped[0])
            found = World(**what) if how == "spec" else what()
            if world_key(found) != key:
                raise WorldsRayError(f"the world's factory built a different world on the worker "
                                     f"({found.name!r}, key {world_key(found)[:12]}, not {key[:12]}): "
                                     "a factory must build the same world every time")
            self.worlds[key] = found
            while len(self.worlds) > KEEP_WORLDS:
                self.worlds.popitem(last=False)
        self.worlds.move_to_end(key)
        return found

    def run(self, key: str, shipped: list[ray.ObjectRef[Any]], code: str, lang: str,
            options: dict[str, Any]) -> dict[str, Any]:
        return self.world(key, shipped).run(code, lang, **options).to_json()

    def run_many(self, calls: list[tuple[str, list[ray.ObjectRef[Any]], str, str, dict[str, Any]]]
                 ) -> list[dict[str, Any]]:
        return [self.run(*call) for call in calls]

    def open(self, sid: str, key: str, shipped: list[ray.ObjectRef[Any]], diagnostics: str,
             replay: list[tuple[str, Any]]) -> list[dict[str, Any]]:
        session = self.sessions[sid] = Session(self.world(key, shipped), diagnostics=diagnostics)  # type: ignore[arg-type]
        return [session.call_result(tool, args).model_dump(mode="json") for tool, args in replay]

    def call(self, sid: str, tool: str, args: Any) -> dict[str, Any]:
        session = self.sessions.get(sid)
        if session is None:
            raise _SessionGone(sid)
        return session.call_result(tool, args).model_dump(mode="json")

    def close(self, sid: str) -> None:
        self.sessions.pop(sid, None)


_Actor = ray.remote(concurrency_groups={"control": 1})(_Worker)  # type: ignore[call-overload]


def world_key(world: World) -> str:
    """What names a world in a pool: its files' digest and its rules (two worlds with the same
    files but another clock, seed or limits sign different receipts)."""
    rules = json.dumps({"files": world.digest(), "now": world.now_text, "seed": world.seed,
                        "limits": world.limits.model_dump(mode="json"), "name": world.name,
                        "description": world.description, "connect": world.connect,
                        "approve": world.approve,
                        "functions": world.functions.digest() if world.functions else ""},
                       sort_keys=True)
    return hashlib.sha256(rules.encode()).hexdigest()


class Pool:
    """``size`` actors (one per CPU of the cluster by default) running worlds.

    ``add`` a world (or a factory that builds one, for worlds with Python host functions), then
    ``run`` (a Ray future), ``map`` (results in order, with bounded calls in flight) or
    ``session`` (a workspace pinned to one actor). Connects (``worlds.ray.connect()``) if Ray is
    not initialised yet.
    """

    def __init__(self, size: int | None = None, *, depth: int = DEPTH, timeout: float = 120.0) -> None:
        cluster = connect()
        self.object_store_bytes = cluster.object_store_bytes
        self.size = size if size is not None else max(1, int(ray.cluster_resources().get(  # type: ignore[no-untyped-call]
            "CPU", 1)))
        if not isinstance(self.size, int) or self.size < 1:
            raise WorldsRayError(f"a pool needs at least one worker, not {size!r}")
        self.depth = max(1, depth)
        self._actors: list[Any] = [_Actor.options(
            num_cpus=1, max_restarts=-1, max_task_retries=1,
            scheduling_strategy="SPREAD").remote() for _ in range(self.size)]
        self._shipped: dict[str, list[ray.ObjectRef[Any]]] = {}
        self._names: dict[str, set[str]] = {}
        self._next = 0
        try:
            ray.get([a.pid.remote() for a in self._actors], timeout=timeout)
        except ray.exceptions.GetTimeoutError:
            self.close()
            raise WorldsRayError(f"the pool's {self.size} workers did not start within {timeout:g} s: "
                                 f"the cluster has {cluster.cpus} CPUs (each worker takes one)") from None

    # -- worlds ------------------------------------------------------------------------------

    def add(self, world: World | Callable[[], World]) -> str:
        """Ship ``world`` to the cluster once; its key (see :func:`world_key`) names it in calls,
        as does its name. A world with Python host functions cannot be rebuilt elsewhere from its
        files: pass a function that builds it (any picklable callable) instead."""
        payload: tuple[str, Any]
        if isinstance(world, World):
            built, payload = world, ("spec", world.spec())
            own = sorted(f.name for f in world.functions if f.name.split(".")[0] not in world.connect)
            if own:
                raise WorldsRayError(
                    f"world {world.name!r} has Python host functions ({', '.join(own[:3])}"
                    f"{', ...' if len(own) > 3 else ''}), which do not travel to other processes: "
                    "pass pool.add a function that builds the world instead, such as "
                    "pool.add(make_world)")
        elif callable(world):
            built = world()
            if not isinstance(built, World):
                raise WorldsRayError(f"pool.add takes a World or a function that returns one; this "
                                     f"function returned {type(built).__name__}")
            payload = ("factory", world)
        else:
            raise WorldsRayError(f"pool.add takes a World or a function that returns one, "
                                 f"not {type(world).__name__}")
        key = world_key(built)
        if key not in self._shipped:
            size = built.input_bytes
            if size > self.object_store_bytes:
                raise WorldTooLarge(
                    f"world {built.name!r} is {_mb(size)} of files, more than the "
                    f"{_mb(self.object_store_bytes)} object store of the cluster's smallest node: Ray "
                    "would spill it to disk on every node. Start Ray with a bigger store (ray start "
                    "--object-store-memory BYTES, or connect(object_store_memory=BYTES) for a local "
                    "cluster), or split the world")
            self._shipped[key] = [ray.put(payload)]
        self._names.setdefault(built.name, set()).add(key)
        return key

    def _key(self, world: World | str) -> str:
        if isinstance(world, World):
            return self.add(world)
        if not isinstance(world, str):
            raise WorldsRayError(f"name a world by its key or name, or pass the World; not "
                                 f"{type(world).__name__}")
        if world in self._shipped:
            return world
        keys = self._names.get(world, set())
        if len(keys) == 1:
            return next(iter(keys))
        if keys:
            raise WorldsRayError(f"{len(keys)} worlds in this pool are named {world!r}: name one by the "
                                 "key pool.add returned")
        known = sorted(self._names)
        raise WorldsRayError(f"no world {world!r} in this pool: pool.add it first"
                             + (f" (it has {', '.join(map(repr, known[:5]))})" if known else ""))

    # -- runs --------------------------------------------------------------------------------

    def run(self, world: World | str, code: str, lang: str = "js", **options: Any) -> ray.ObjectRef[Any]:
        """A Ray future of ``World.run(code, lang, **options).to_json()`` (``limits``, ``tape``);
        read it with :meth:`get` for a clear error, or with ``ray.get``/``ray.wait``."""
        key = self._key(world)
        actor = self._actors[self._next % self.size]
        self._next += 1
        return actor.run.remote(key, self._shipped[key], code, lang, options)  # type: ignore[no-any-return]

    def get(self, refs: ray.ObjectRef[Any] | list[ray.ObjectRef[Any]], timeout: float | None = None) -> Any:
        """``ray.get``, with a failure as the worlds error it was (``WorldError``...) or
        :class:`WorkerLost`, in one sentence."""
        try:
            return ray.get(refs, timeout=timeout)
        except ray.exceptions.RayError as err:
            raise _unwrapped(err, "") from None

    def map(self, items: Iterable[Item], *, chunk: int = 1) -> Iterator[dict[str, Any]]:
        """Run every item, yielding its result in the order of ``items``. An item is
        ``(world, code)``, ``(world, code, lang)`` or a dict of ``world``, ``code``, ``lang``,
        ``limits``, ``tape``; ``world`` a key, a name or a World. ``items`` is read lazily and at
        most ``size * depth`` chunks of ``chunk`` items are in flight or waiting to be yielded, so
        a million items never flood the object store; ``chunk`` > 1 sends several runs per call,
        which saves Ray's overhead when runs are short."""
        waiting: dict[int, list[dict[str, Any]]] = {}
        turn = 0
        for first, results in self._chunks(items, chunk, ordered=True, done=waiting):
            waiting[first] = results
            while turn in waiting:
                batch = waiting.pop(turn)
                yield from batch
                turn += len(batch)

    def map_unordered(self, items: Iterable[Item], *, chunk: int = 1) -> Iterator[tuple[int, dict[str, Any]]]:
        """Like :meth:`map`, yielding ``(index, result)`` as runs finish."""
        for first, results in self._chunks(items, chunk, ordered=False, done={}):
            for offset, result in enumerate(results):
                yield first + offset, result

    def _chunks(self, items: Iterable[Item], chunk: int, *, ordered: bool,
                done: Mapping[int, object]) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        if not isinstance(chunk, int) or chunk < 1:
            raise WorldsRayError(f"chunk must be a whole number of runs, 1 or more, not {chunk!r}")
        source = iter(items)
        index = 0
        load = [0] * self.size
        flying: dict[ray.ObjectRef[Any], tuple[int, int]] = {}  # ref -> (first item, actor)
        exhausted = False
        while True:
            # Results waiting to be yielded in order count against the window too (ordered only).
            while not exhausted and len(flying) + len(done) < self.size * self.depth:
                calls: list[tuple[str, list[ray.ObjectRef[Any]], str, str, dict[str, Any]]] = []
                for _ in range(chunk):
                    item = next(source, None)
                    if item is None:
                        exhausted = True
                        break
                    calls.append(self._call(item, index + len(calls)))
                if not calls:
                    break
                actor = min(range(self.size), key=load.__getitem__)
                load[actor] += 1
                flying[self._actors[actor].run_many.remote(calls)] = (index, actor)
                index += len(calls)
            if not flying:
                return
            ready, _ = ray.wait(list(flying), num_returns=1)
            first, actor = flying.pop(ready[0])
            load[actor] -= 1
            try:
                results = ray.get(ready[0])
            except ray.exceptions.RayError as err:
                raise _unwrapped(err, f"item {first}{'+' if chunk > 1 else ''}: ") from None
            yield first, results

    def _call(self, item: Item, index: int) -> tuple[str, list[ray.ObjectRef[Any]], str, str, dict[str, Any]]:
        if isinstance(item, Mapping):
            unknown = set(item) - {"world", "code", "lang", "limits", "tape"}
            if unknown or "world" not in item or "code" not in item:
                raise WorldsRayError(f"item {index}: give world and code (and lang, limits, tape)"
                                     + (f"; unknown {sorted(unknown)}" if unknown else ""))
            world, code, lang = item["world"], item["code"], item.get("lang", "js")
            options = {k: item[k] for k in ("limits", "tape") if k in item}
        elif isinstance(item, tuple) and len(item) in (2, 3):
            world, code, lang, options = item[0], item[1], item[2] if len(item) == 3 else "js", {}
        else:
            raise WorldsRayError(f"item {index}: an item is (world, code), (world, code, lang) or a dict, "
                                 f"not {type(item).__name__}")
        if not isinstance(code, str) or not isinstance(lang, str):
            raise WorldsRayError(f"item {index}: code and lang must be text")
        key = self._key(world)
        return key, self._shipped[key], code, lang, options

    # -- sessions ----------------------------------------------------------------------------

    def session(self, world: World | str, *, diagnostics: str = "full") -> SessionHandle:
        """A session over ``world`` in one actor (the next in turn); call its tools with
        :meth:`SessionHandle.call`, and :meth:`SessionHandle.close` it when done."""
        key = self._key(world)
        actor = self._actors[self._next % self.size]
        self._next += 1
        handle = SessionHandle(self, actor, key, diagnostics)
        self.get(actor.open.remote(handle.id, key, self._shipped[key], diagnostics, []))
        return handle

    # -- the pool ----------------------------------------------------------------------------

    def pids(self) -> list[int]:
        """The process id of each actor (for tests and monitoring)."""
        return self.get([a.pid.remote() for a in self._actors])  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the actors; the worlds shipped leave the object store with their last reference."""
        for actor in self._actors:
            ray.kill(actor)
        self._actors = []
        self._shipped.clear()

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SessionHandle:
    """A session living in one actor of a :class:`Pool`."""

    def __init__(self, pool: Pool, actor: Any, key: str, diagnostics: str) -> None:
        self.id = uuid.uuid4().hex
        self._pool, self._actor, self._key, self._diagnostics = pool, actor, key, diagnostics
        self._log: list[tuple[str, Any]] = []  # every call so far, to replay on a restarted actor
        self.closed = False

    def call(self, tool: str, args: Mapping[str, Any] | str | None = None) -> dict[str, Any]:
        """Carry out tool ``tool``: its answer as JSON (``Session.call_result``: text, ok, receipt,
        changed, diagnostics). A tool's own failure is an answer, never an exception."""
        if self.closed:
            raise WorldsRayError("this session is closed: open another with pool.session(world)")
        arguments = dict(args) if isinstance(args, Mapping) else args
        try:
            answer = self._pool.get(self._actor.call.remote(self.id, tool, arguments))
        except _SessionGone:
            # The actor was restarted (it died): the session comes back by replaying its calls.
            self._pool.get(self._actor.open.remote(self.id, self._key, self._pool._shipped[self._key],
                                                   self._diagnostics, self._log))
            answer = self._pool.get(self._actor.call.remote(self.id, tool, arguments))
        self._log.append((tool, arguments))
        return answer  # type: ignore[no-any-return]

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._pool.get(self._actor.close.remote(self.id))

    def __enter__(self) -> SessionHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unwrapped(err: ray.exceptions.RayError, where: str) -> WorldsError:
    """A Ray failure as the worlds error behind it, in one sentence."""
    if isinstance(err, ray.exceptions.RayTaskError):
        cause = err.cause
        if isinstance(cause, WorldsError):
            try:
                return type(cause)(f"{where}{cause}")
            except TypeError:
                return WorldsRayError(f"{where}{cause}")
        return WorldsRayError(f"{where}the worker failed: {type(cause).__name__}: {cause}")
    if isinstance(err, ray.exceptions.RayActorError):
        return WorkerLost(f"{where}the worker running it died, was restarted, and died again on the retry "
                          f"({type(err).__name__}); nothing was returned for it")
    if isinstance(err, ray.exceptions.GetTimeoutError):
        return WorldsRayError(f"{where}no answer within the timeout")
    lines = str(err).strip().splitlines()
    return WorldsRayError(f"{where}{type(err).__name__}: {lines[0] if lines else ''}")


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB"
