"""The in-memory file system a guest sees: the world's files and nothing else.

Paths are POSIX, relative to the root, and resolved lexically: a path that
climbs above the root is refused, never mapped onto the host. Input files are
read-only; everything a program writes lives here until the host collects it
with :meth:`VFS.changes`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from . import errno as E

#: Longest path, and longest single name, accepted (bytes of UTF-8).
PATH_MAX = 1024
NAME_MAX = 255


class FsError(Exception):
    """A file-system operation failed; ``errno`` is the WASI errno to return."""

    def __init__(self, errno: int) -> None:
        super().__init__(errno)
        self.errno = errno


@dataclass(eq=False)
class File:
    """A regular file. ``data`` is bytes until first written, then a bytearray."""

    data: bytes | bytearray
    readonly: bool = False
    ino: int = 0
    hidden: bool = False  # runtime files: readable, but not listed and not part of results
    #: A device: what the guest wrote is replaced, when it closes the file, by ``device(written)``
    #: (the host's reply, which the guest then reads). How a guest calls the host through WASI.
    device: Callable[[bytes], bytes] | None = None

    def writable_data(self) -> bytearray:
        if not isinstance(self.data, bytearray):
            self.data = bytearray(self.data)
        return self.data


@dataclass(eq=False)
class Dir:
    children: dict[str, File | Dir] = field(default_factory=dict)
    readonly: bool = False
    ino: int = 0
    hidden: bool = False


Node = File | Dir


class VFS:
    """A tree of :class:`Dir` and :class:`File` nodes with a write budget.

    ``write_budget`` caps the total bytes a program may write into files; the
    host turns :class:`WriteBudgetExceeded` into a diagnostic.
    """

    def __init__(self) -> None:
        self.root = Dir(ino=1)
        self._next_ino = 2
        self._initial: dict[str, bytes] = {}
        self.bytes_written = 0

    # -- building -----------------------------------------------------------

    def add_file(self, path: str, data: bytes, *, readonly: bool = False,
                 hidden: bool = False) -> None:
        """Place a file (creating parent directories) before the guest starts.

        ``hidden`` files belong to the runtime: read-only, never listed, never
        reported as changes.
        """
        parts = split(path)
        readonly = readonly or hidden
        parent = self.root
        for name in parts[:-1]:
            child = parent.children.get(name)
            if child is None:
                child = Dir(ino=self._ino(), readonly=hidden, hidden=hidden)
                parent.children[name] = child
            if not isinstance(child, Dir):
                raise FsError(E.NOTDIR)
            parent = child
        parent.children[parts[-1]] = File(data, readonly=readonly, ino=self._ino(), hidden=hidden)

    def add_device(self, path: str, respond: Callable[[bytes], bytes]) -> None:
        """A hidden file at the root the guest writes a request into and reads the reply from."""
        self.root.children[path] = File(b"", ino=self._ino(), hidden=True, device=respond)

    def mount(self, name: str, node: Node) -> None:
        """Place a prebuilt read-only node at the root, shared between runs."""
        if not node.readonly:
            raise ValueError("only read-only nodes can be shared between file systems")
        self.root.children[name] = node

    @staticmethod
    def tree(files: dict[str, bytes], *, hidden: bool = True) -> dict[str, Node]:
        """Read-only nodes for ``files``, by top-level name, to :meth:`mount` in many runs."""
        scratch = VFS()
        for path, data in files.items():
            scratch.add_file(path, data, readonly=True, hidden=hidden)
        return dict(scratch.root.children)

    def snapshot(self) -> None:
        """Remember the current files as the baseline for :meth:`changes`."""
        self._initial = dict(self.files())

    def _ino(self) -> int:
        self._next_ino += 1
        return self._next_ino

    # -- lookup ---------------------------------------------------------------

    def resolve(self, base: tuple[str, ...], path: str) -> tuple[str, ...]:
        """Resolve ``path`` against directory ``base``; refuse escapes and bad names."""
        if "\0" in path:
            raise FsError(E.INVAL)
        if len(path.encode()) > PATH_MAX:
            raise FsError(E.NAMETOOLONG)
        parts = list(base)
        for name in path.split("/"):
            if name in ("", "."):
                continue
            if name == "..":
                if not parts:
                    raise FsError(E.NOTCAPABLE)
                parts.pop()
                continue
            if len(name.encode()) > NAME_MAX:
                raise FsError(E.NAMETOOLONG)
            parts.append(name)
        return tuple(parts)

    def node(self, path: str) -> Node:
        """The node at a world-relative path (hidden ones included)."""
        return self.lookup(split(path))

    def lookup(self, parts: tuple[str, ...]) -> Node:
        node: Node = self.root
        for name in parts:
            if not isinstance(node, Dir):
                raise FsError(E.NOTDIR)
            child = node.children.get(name)
            if child is None:
                raise FsError(E.NOENT)
            node = child
        return node

    def parent_of(self, parts: tuple[str, ...]) -> Dir:
        if not parts:
            raise FsError(E.PERM)  # the root has no parent to change
        parent = self.lookup(parts[:-1])
        if not isinstance(parent, Dir):
            raise FsError(E.NOTDIR)
        return parent

    # -- mutation -------------------------------------------------------------

    def create_file(self, parts: tuple[str, ...]) -> File:
        parent = self.parent_of(parts)
        if parent.readonly:
            raise FsError(E.ACCES)
        existing = parent.children.get(parts[-1])
        if existing is not None and existing.hidden:
            raise FsError(E.ACCES)
        node = File(b"", ino=self._ino())
        parent.children[parts[-1]] = node
        return node

    def mkdir(self, parts: tuple[str, ...]) -> None:
        parent = self.parent_of(parts)
        if parts[-1] in parent.children:
            raise FsError(E.EXIST)
        if parent.readonly:
            raise FsError(E.ACCES)
        parent.children[parts[-1]] = Dir(ino=self._ino())

    def rmdir(self, parts: tuple[str, ...]) -> None:
        parent = self.parent_of(parts)
        node = self.lookup(parts)
        if not isinstance(node, Dir):
            raise FsError(E.NOTDIR)
        if node.children:
            raise FsError(E.NOTEMPTY)
        if node.readonly or parent.readonly:
            raise FsError(E.ACCES)
        del parent.children[parts[-1]]

    def unlink(self, parts: tuple[str, ...]) -> None:
        parent = self.parent_of(parts)
        node = self.lookup(parts)
        if isinstance(node, Dir):
            raise FsError(E.ISDIR)
        if node.readonly or parent.readonly:
            raise FsError(E.ACCES)
        del parent.children[parts[-1]]

    def rename(self, src: tuple[str, ...], dst: tuple[str, ...]) -> None:
        sparent, dparent = self.parent_of(src), self.parent_of(dst)
        node = self.lookup(src)
        if node.readonly or sparent.readonly or dparent.readonly:
            raise FsError(E.ACCES)
        if isinstance(node, Dir) and dst[: len(src)] == src and dst != src:
            raise FsError(E.INVAL)  # a directory cannot move inside itself
        existing = dparent.children.get(dst[-1])
        if existing is not None and existing is not node:
            if existing.readonly:
                raise FsError(E.ACCES)
            if isinstance(node, Dir) != isinstance(existing, Dir):
                raise FsError(E.ISDIR if isinstance(existing, Dir) else E.NOTDIR)
            if isinstance(existing, Dir) and existing.children:
                raise FsError(E.NOTEMPTY)
        del sparent.children[src[-1]]
        dparent.children[dst[-1]] = node

    def charge(self, nbytes: int, budget: int) -> None:
        """Count bytes written into files; refuse once ``budget`` is passed."""
        self.bytes_written += nbytes
        if self.bytes_written > budget:
            raise WriteBudgetExceeded(self.bytes_written)

    # -- results ----------------------------------------------------------------

    def files(self, node: Dir | None = None, prefix: str = "") -> list[tuple[str, bytes]]:
        """Every regular file as ``(path, bytes)``, sorted by path."""
        out: list[tuple[str, bytes]] = []
        for name, child in sorted((node or self.root).children.items()):
            if child.hidden:
                continue
            path = f"{prefix}{name}"
            if isinstance(child, Dir):
                out.extend(self.files(child, path + "/"))
            else:
                out.append((path, bytes(child.data)))
        return out

    def changes(self) -> tuple[dict[str, bytes], list[tuple[str, str, int]]]:
        """Files created or modified since :meth:`snapshot`, and every change.

        Returns ``(files, changes)`` where ``changes`` holds
        ``(path, kind, size)`` with kind ``created``, ``modified`` or
        ``deleted``, sorted by path.
        """
        now = dict(self.files())
        written: dict[str, bytes] = {}
        changes: list[tuple[str, str, int]] = []
        for path in sorted(set(now) | set(self._initial)):
            before, after = self._initial.get(path), now.get(path)
            if after is None:
                changes.append((path, "deleted", 0))
            elif before is None or before != after:
                written[path] = after
                changes.append((path, "created" if before is None else "modified", len(after)))
        return written, changes


class WriteBudgetExceeded(Exception):
    """A program wrote more bytes into files than its limit allows."""


def split(path: str) -> tuple[str, ...]:
    """Split a world-relative path into names, refusing anything unusual."""
    parts = tuple(p for p in path.replace("\\", "/").split("/") if p not in ("", "."))
    if not parts or ".." in parts or any("\0" in p for p in parts):
        raise ValueError(f"not a plain relative path: {path!r}")
    return parts
