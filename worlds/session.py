"""A session: a workspace of the agent's files layered over a world's inputs.

Inputs stay read-only. The agent writes files (``write``, ``edit``); a run
sees inputs and workspace together, and the files a successful run creates,
changes or deletes are applied to the workspace. ``history`` records every
run with its receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._text import utf8
from .errors import SessionError, WorldError
from .result import RunResult

if TYPE_CHECKING:
    from .world import World

EXTENSIONS = {".js": "js", ".mjs": "js", ".cjs": "js", ".sql": "sql", ".prql": "prql"}


@dataclass(frozen=True)
class HistoryEntry:
    """One run in a session: what ran and the receipt that proves its outcome."""

    target: str
    lang: str
    ok: bool
    receipt: str


class Session:
    """A mutable workspace over an immutable :class:`World`."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.files: dict[str, bytes] = {}
        self.history: list[HistoryEntry] = []

    def write(self, path: str, text: str | bytes) -> None:
        clean = self._writable(path)
        self.files[clean] = utf8(text) if isinstance(text, str) else bytes(text)

    def read(self, path: str) -> str:
        clean = self._clean(path)
        data = self.files.get(clean, self.world.files.get(clean))
        if data is None:
            raise SessionError(f"no file {path!r}; files: {', '.join(self.list_files()) or '(none)'}")
        return data.decode(errors="replace")

    def edit(self, path: str, old: str, new: str) -> None:
        """Replace the one occurrence of ``old`` in workspace file ``path`` with ``new``."""
        text = self.read(path)
        count = text.count(old) if old else 0
        if count != 1:
            why = "is empty" if not old else "was not found" if count == 0 else f"occurs {count} times"
            raise SessionError(f"cannot edit {path}: the text to replace {why}; "
                               "give text that occurs exactly once")
        self.write(path, text.replace(old, new, 1))

    def list_files(self) -> list[str]:
        return sorted(set(self.world.files) | set(self.files))

    def run(self, path: str | None = None, *, code: str | None = None, lang: str | None = None,
            limits: Any = None) -> RunResult:
        """Run workspace file ``path``, or ``code``; a successful run's writes join the workspace."""
        if (path is None) == (code is None):
            raise SessionError("give exactly one of path= or code=")
        if path is not None:
            path = self._clean(path)
            if path not in self.files and path not in self.world.files:
                raise SessionError(f"no file {path!r} to run; files: {', '.join(self.list_files())}")
            lang = lang or EXTENSIONS.get(path[path.rfind("."):], "")
            if not lang:
                raise SessionError(f"cannot tell the language of {path!r}; pass lang=")
        result = self.world._run(code=code, entry=path, lang=lang or "js",
                                 workspace=dict(self.files), limits=limits)
        if result.ok:
            for change in result.changes:
                if change.kind == "deleted":
                    self.files.pop(change.path, None)
                else:
                    self.files[change.path] = result.files[change.path]
        self.history.append(HistoryEntry(path or "<code>", result.lang, result.ok, result.receipt))
        return result

    def _clean(self, path: str) -> str:
        from .world import _check_path
        try:
            return _check_path(path)
        except WorldError as err:
            raise SessionError(str(err)) from None

    def _writable(self, path: str) -> str:
        from .world import check_tree
        clean = self._clean(path)
        if clean in self.world.files:
            raise SessionError(f"{path} is an input of the world and read-only; write a new file instead")
        try:
            check_tree({**self.world.files, **self.files, clean: b""})
        except WorldError as err:
            raise SessionError(str(err)) from None
        return clean
