"""worlds: run agent-written code in tiny, deterministic, sandboxed worlds.

    >>> from worlds import World
    >>> world = World(files={"sales.csv": "region,amount\\nnorth,3\\n"})
    >>> world.run("1 + 2").value
    3
"""

from .diagnostics import Diagnostic, Fix, Label, Position, Span, TextEdit
from .errors import EngineError, SessionError, WorldError, WorldsError
from .host import HostFunction, needs_approval, suspend
from .limits import Limits
from .result import FileChange, RunResult, RunStats, Table
from .session import HistoryEntry, Session
from .tools import ToolAnswer
from .world import World

__all__ = [
    "Diagnostic", "EngineError", "FileChange", "Fix", "HistoryEntry", "HostFunction", "Label", "Limits",
    "Position", "RunResult", "RunStats", "Session", "SessionError", "Span", "Table", "TextEdit",
    "World", "WorldError", "WorldsError",
    "ToolAnswer", "needs_approval", "suspend",
]
__version__ = "0.1.0"
