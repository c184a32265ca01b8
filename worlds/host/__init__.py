"""Host functions: the world's API as functions of JS-light, recorded on a tape, suspendable.

``functions`` describes and validates them, ``typescript`` declares them,
``bridge`` answers one run's calls (and records its tape), ``state`` packs a
suspended run into bytes.
"""

from .functions import HostFunction, Suspend, needs_approval, suspend

__all__ = ["HostFunction", "Suspend", "needs_approval", "suspend"]
