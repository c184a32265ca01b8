"""Worlds as Ray work: run worlds inside other people's rollouts, on one machine or a cluster.

    >>> import worlds.ray
    >>> worlds.ray.connect()                      # a local cluster, or connect("head:6379")
    >>> pool = worlds.ray.Pool()                  # one actor per free CPU, engines kept warm
    >>> key = pool.add(world)                     # shipped to the cluster once
    >>> for result in pool.map((key, code) for code in programs):
    ...     result["receipt"]                     # RunResult.to_json(), the bytes of a local run
    >>> worlds.ray.shutdown()                     # not ray.shutdown(): see worlds/ray/signals.py

Ray is an optional extra (``pip install 'worlds[ray]'``); nothing else in worlds imports this.
"""

from __future__ import annotations

try:
    import ray as _ray  # noqa: F401
except ImportError as err:  # the extra is not installed
    raise ImportError("worlds.ray needs Ray: pip install 'worlds[ray]'") from err

from .cluster import (
    Cluster,
    ClusterUnreachable,
    Node,
    NodeMismatch,
    WorldsRayError,
    connect,
    fingerprint,
    shutdown,
)
from .pool import Pool, SessionHandle, WorkerLost, WorldTooLarge, world_key

__all__ = ["Cluster", "ClusterUnreachable", "Node", "NodeMismatch", "Pool", "SessionHandle", "WorkerLost",
           "WorldTooLarge", "WorldsRayError", "connect", "fingerprint", "shutdown", "world_key"]
