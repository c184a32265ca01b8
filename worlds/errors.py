"""The exceptions of the host API.

Agents never see these: a program's failures are diagnostics in its
``RunResult``. These are for the Python caller who misuses the API or whose
machine lacks an engine::

    WorldsError
    ├── WorldError        a world that cannot be built (bad files, bad world.toml)
    ├── EngineError       an engine artifact missing, or its sha256 wrong
    └── SessionError      a workspace operation that cannot be done (edit text not found)
"""

from __future__ import annotations


class WorldsError(Exception):
    """The root of every error the ``worlds`` API raises."""


class WorldError(WorldsError):
    """A world could not be built from what was given."""


class EngineError(WorldsError):
    """An engine artifact could not be found, verified or loaded."""


class SessionError(WorldsError):
    """A workspace operation could not be carried out."""
