"""Worlds as Ray work: run worlds inside other people's rollouts, on one machine or a cluster.

    >>> import worlds.ray
    >>> worlds.ray.connect()                      # a local cluster, or connect("head:6379")

Ray is an optional extra (``pip install 'worlds[ray]'``); nothing else in worlds imports this.
"""

from __future__ import annotations

try:
    import ray as _ray  # noqa: F401
except ImportError as err:  # the extra is not installed
    raise ImportError("worlds.ray needs Ray: pip install 'worlds[ray]'") from err

from .cluster import Cluster, ClusterUnreachable, Node, NodeMismatch, WorldsRayError, connect, fingerprint
from .pool import Pool, SessionHandle, WorkerLost, WorldTooLarge, world_key

__all__ = ["Cluster", "ClusterUnreachable", "Node", "NodeMismatch", "Pool", "SessionHandle", "WorkerLost",
           "WorldTooLarge", "WorldsRayError", "connect", "fingerprint", "world_key"]
