"""Joining a Ray cluster (or starting one here), and proving every node runs the same worlds.

Ray's own ``ray.init`` retries an address that does not answer for minutes; ``connect`` first
knocks on the address with a plain TCP connection, then bounds the join itself, so a wrong
address is one sentence within ``timeout`` seconds. A node that runs a different worlds (its
code, its version of wasmtime, or an engine file whose bytes differ) would sign different
receipts, so every node is checked before any run: a tiny task pinned to each node reports its
:func:`fingerprint`, compared with this machine's.
"""

from __future__ import annotations

import hashlib
import logging
import os
import platform
import socket
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from .._resources import runtime_dir
from ..errors import EngineError, WorldsError
from ..sandbox.engines import artifacts, wasmtime_version
from .signals import trap_handlers_kept

#: How long ``connect`` waits for an address to answer, and for each node's check, by default.
TIMEOUT_S = 30.0
_PACKAGE = Path(__file__).resolve().parent.parent


class WorldsRayError(WorldsError):
    """Running worlds on Ray went wrong in a way the caller must act on."""


class ClusterUnreachable(WorldsRayError, ConnectionError):
    """No Ray cluster answered at the address given."""


class NodeMismatch(WorldsRayError):
    """A node of the cluster runs a different worlds (code, wasmtime or engine files) than here."""


@dataclass(frozen=True)
class Node:
    """One alive node of the cluster."""

    id: str
    address: str
    cpus: int
    object_store_bytes: int


@dataclass(frozen=True)
class Cluster:
    """What :func:`connect` joined: its address, its alive nodes, and whether it was started here."""

    address: str
    nodes: tuple[Node, ...]
    started: bool
    fingerprint: dict[str, str]

    @property
    def cpus(self) -> int:
        return sum(n.cpus for n in self.nodes)

    @property
    def object_store_bytes(self) -> int:
        """The smallest node's object store: a world must fit in each node that runs it."""
        return min(n.object_store_bytes for n in self.nodes)


_lock = threading.Lock()
_checked: set[str] = set()  # node ids whose fingerprint matched this machine's
_started = False


def connect(address: str | None = None, *, timeout: float = TIMEOUT_S, check: bool = True,
            **init_options: Any) -> Cluster:
    """Join the Ray cluster at ``address`` (``"host:port"`` of its head, ``"ray://host:port"``
    for Ray Client, ``"auto"`` for the one ``ray start`` began here), or start a local one when
    ``address`` is None; then check that every node runs the same worlds as this machine.

    Idempotent: when Ray is already initialised it is reused (and only nodes not yet checked are
    checked). A local cluster is quiet (no dashboard, no usage stats, workers' logs not copied
    here) and has one CPU per core; ``init_options`` go to ``ray.init`` and win over these.
    Raises :class:`ClusterUnreachable` when the address does not answer within ``timeout``
    seconds, and :class:`NodeMismatch` naming the node and what differs.
    """
    global _started
    with _lock:
        joined_now = False
        if not ray.is_initialized():
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
            options: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR,
                                       "include_dashboard": False}
            if address is None or address == "local":
                options["num_cpus"] = os.cpu_count() or 1
            else:
                _knock(address, timeout)
            options.update(init_options)
            _init(address, options, timeout)
            joined_now = True
            _started = address is None or address == "local"
            _checked.clear()
        nodes = alive_nodes()
        here = fingerprint()
        if check:
            try:
                _check(nodes, here, timeout)
            except WorldsRayError:
                if joined_now:  # leave no half-made connection behind: a retry starts clean
                    shutdown()
                raise
        return Cluster(address=ray.get_runtime_context().gcs_address, nodes=nodes, started=_started,
                       fingerprint=here)


def shutdown() -> None:
    """Leave the cluster (``ray.shutdown``), keeping this process's Wasm trap handlers (see signals)."""
    with trap_handlers_kept():
        ray.shutdown()


def alive_nodes() -> tuple[Node, ...]:
    """The cluster's alive nodes, in the order of their ids."""
    found = []
    for info in ray.nodes():  # type: ignore[no-untyped-call]
        if not info.get("Alive"):
            continue
        resources = info.get("Resources", {})
        found.append(Node(id=info["NodeID"], address=info.get("NodeManagerAddress", "?"),
                          cpus=int(resources.get("CPU", 0)),
                          object_store_bytes=int(resources.get("object_store_memory", 0))))
    return tuple(sorted(found, key=lambda n: n.id))


def _knock(address: str, timeout: float) -> None:
    """Open (and close) a TCP connection to ``address``: Ray itself would retry it for minutes."""
    if address == "auto":
        return  # Ray reads the address of the cluster started here, and fails fast without one
    hostport = address.removeprefix("ray://")
    host, _, port = hostport.rpartition(":")
    if not host or not port.isdigit():
        raise ClusterUnreachable(f"bad Ray address {address!r}: give host:port of the head node "
                                 "(such as 10.0.0.5:6379), ray://host:port, or auto")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=min(timeout, 10.0)):
            pass
    except OSError as err:
        reason = "timed out" if isinstance(err, TimeoutError) else (err.strerror or str(err))
        raise ClusterUnreachable(
            f"no Ray cluster answers at {address} ({reason}): start one there with "
            "`ray start --head`, check the address and firewall, or leave the address out to run "
            "a local cluster") from None


def _init(address: str | None, options: dict[str, Any], timeout: float) -> None:
    """``ray.init``, given ``timeout`` seconds to join: past that the address is not Ray's."""
    outcome: list[BaseException | None] = []

    def init() -> None:
        try:
            with trap_handlers_kept():  # Ray's crash reporters would take Wasm traps for crashes
                ray.init(address=None if address == "local" else address, **options)
            outcome.append(None)
        except BaseException as err:  # reported on the caller's thread
            outcome.append(err)

    if address is None or address == "local":
        init()  # starting a cluster here cannot hang on the network
    else:
        thread = threading.Thread(target=init, name="worlds-ray-init", daemon=True)
        thread.start()
        thread.join(timeout)
        if not outcome:
            raise ClusterUnreachable(
                f"{address} accepted a connection but did not answer as a Ray cluster within "
                f"{timeout:g} s: is it the head node's GCS port (6379 unless `ray start` was given "
                "--port)?")
    error = outcome[0]
    if error is None:
        return
    if isinstance(error, TypeError | ValueError):
        raise WorldsRayError(f"ray.init refused the options: {_first_line(error)}") from None
    hint = ""
    if address is not None and not os.environ.get("RAY_AUTH_MODE"):
        # Ray (2.52+) starts clusters with token authentication, but a driver given an address
        # sends no token unless told to; the cluster then answers only "failed to connect".
        hint = ("; if the cluster uses token authentication (Ray's default for clusters it starts), "
                "set RAY_AUTH_MODE=token here, with its token in RAY_AUTH_TOKEN or ~/.ray/auth_token")
    raise ClusterUnreachable(f"cannot join the Ray cluster at {address or 'a new local cluster'}: "
                             f"{_first_line(error)}{hint}") from None


def _check(nodes: tuple[Node, ...], here: dict[str, str], timeout: float) -> None:
    """Run :func:`fingerprint` on every node not yet checked; refuse the first that differs."""
    pending = [n for n in nodes if n.id not in _checked]
    refs = [_node_fingerprint.options(
        scheduling_strategy=NodeAffinitySchedulingStrategy(node_id=n.id, soft=False)).remote()
        for n in pending]
    for node, ref in zip(pending, refs, strict=True):
        where = f"node {node.address} ({node.id[:12]})"
        try:
            there = ray.get(ref, timeout=timeout)
        except ray.exceptions.GetTimeoutError:
            raise NodeMismatch(f"{where} did not run the worlds check within {timeout:g} s") from None
        except ray.exceptions.RayError as err:
            cause = err.cause if isinstance(err, ray.exceptions.RayTaskError) else err
            raise NodeMismatch(f"{where} cannot run worlds: {_first_line(cause)}; "
                               "install the same worlds there") from None
        differs = [f"{key}: {_short(here.get(key))} here, {_short(there.get(key))} there"
                   for key in sorted(set(here) | set(there)) if here.get(key) != there.get(key)]
        if differs:
            raise NodeMismatch(f"{where} runs a different worlds than this machine, so its receipts "
                               f"would differ: {'; '.join(differs)}. Install the same worlds version "
                               "and engines there (make, or pip install) and start its Ray again")
        _checked.add(node.id)


@ray.remote(num_cpus=0, max_retries=0)
def _node_fingerprint() -> dict[str, str]:
    return fingerprint()


def fingerprint() -> dict[str, str]:
    """What must be equal on every node for runs to give the same bytes: the worlds version and
    code, Python and wasmtime versions, and each engine's pin and the sha256 of its file."""
    from .. import __version__
    found = {"worlds version": __version__, "worlds code": _code_digest(),
             "python": platform.python_version(), "wasmtime": wasmtime_version()}
    for name, artifact in sorted(artifacts().items()):
        found[f"engine {name} pin"] = artifact.sha256
        try:
            found[f"engine {name} file"] = _file_digest(str(artifact.path()))
        except (EngineError, OSError) as err:
            found[f"engine {name} file"] = f"missing ({_first_line(err)})"
    return found


@cache
def _code_digest() -> str:
    """A sha256 over the package's Python files and the guest files (engines apart: see above)."""
    engines = set()
    for artifact in artifacts().values():
        if not artifact.package:
            engines.add((runtime_dir() / artifact.file).resolve())
    h = hashlib.sha256()
    for root in (_PACKAGE, runtime_dir()):
        for path in sorted(root.rglob("*")):
            if (not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc"
                    or path.resolve() in engines):
                continue
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@cache
def _file_digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _short(value: str | None) -> str:
    if value is None:
        return "nothing"
    return value[:12] if len(value) == 64 and all(c in "0123456789abcdef" for c in value) else value


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
