"""Changes to a session's files made outside an agent's own tool calls, and the note that shows them.

Everyone who changes a session's files is an actor: the agent's tool calls,
the host's Python API, the HTTP API, each MCP connection. A session keeps a
log of the changes made while someone else was watching, and each actor's
place in it; an agent's next tool answer begins with what others changed
since its last call (:meth:`Log.take`), so no state changes without the
agent being shown.

An actor's first call shows nothing: it has no earlier picture of the files
that could be out of date. A change is logged only while another actor has
called, so a session used by one agent alone logs nothing; the log keeps what
some actor has not seen yet, at most :data:`KEEP` changes.

The diff of a change is worked out when it is made, and costs little for a
file of any size: the common start and end are skipped by comparing bytes,
only the lines between are diffed (when they are few), and the note shows
:data:`DIFF_LINES` lines of it with a count of the rest.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import Any

from ._text import counted

#: At most this many changes are kept for actors that have not seen them.
KEEP = 200
#: Diff lines shown per file, and characters per line.
DIFF_LINES = 8
LINE_CHARS = 120
#: Changes shown with their diffs in one note; the rest get a line each, up to ``LISTED``.
DETAILED = 5
LISTED = 20
#: The changed lines are diffed line by line when both sides are at most this long; beyond, the
#: note shows their start.
WINDOW = 64 * 1024
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Change:
    """One file created, modified or deleted by ``actor`` (shown to others as ``by``)."""

    seq: int
    actor: str
    by: str
    path: str
    kind: str  # "created", "modified" or "deleted"
    before: int  # bytes before (0 when created)
    after: int  # bytes after (0 when deleted)
    diff: str = ""  # a short unified diff of text; for binary files, ""
    binary: bool = False
    # Lines removed and added (what agents asked for beside the bytes); when the changed span was too
    # long to diff, the file's lines before and after instead (``exact`` False).
    removed: int = 0
    added: int = 0
    exact: bool = True


class Log:
    """The changes some actor has not seen, and where each actor that has called is in them."""

    def __init__(self) -> None:
        self.entries: list[Change] = []
        self.next = 1  # the number of the next change
        self.seen: dict[str, int] = {}  # actor -> the first change it has not been shown

    def record(self, actor: str, by: str, path: str, before: bytes | None, after: bytes | None) -> None:
        """Note that ``actor`` changed ``path`` from ``before`` to ``after`` (None: absent)."""
        if before == after or not any(other != actor for other in self.seen):
            return
        kind = "created" if before is None else "deleted" if after is None else "modified"
        text, binary, removed, added, exact = ("", False, 0, 0, True) if after is None \
            else _diff(before or b"", after)
        self.entries.append(Change(self.next, actor, by, path, kind, len(before or b""), len(after or b""),
                                   text, binary, removed, added, exact))
        self.next += 1
        del self.entries[:-KEEP]

    def pending(self, actor: str) -> list[Change]:
        """What others changed since ``actor``'s last call (nothing before its first)."""
        start = self.seen.get(actor, self.next)
        return [c for c in self.entries if c.seq >= start and c.actor != actor]

    def take(self, actor: str) -> str:
        """The note for ``actor``'s call now ("" when nothing changed); it will not be shown again."""
        start = self.seen.get(actor, self.next)
        shown = self.pending(actor)
        # Changes are numbered without gaps, so a gap before the first kept is what KEEP dropped.
        lost = start < (self.entries[0].seq if self.entries else self.next)
        self.seen[actor] = self.next
        oldest = min(self.seen.values())
        self.entries = [c for c in self.entries if c.seq >= oldest]
        return note(shown, lost=lost)

    def copy(self) -> Log:
        log = Log()
        log.entries, log.next, log.seen = list(self.entries), self.next, dict(self.seen)
        return log

    def state(self) -> dict[str, Any] | None:
        """The log as JSON-able data, or None when it holds nothing worth keeping."""
        if not self.seen and not self.entries:
            return None
        return {"next": self.next, "seen": dict(sorted(self.seen.items())),
                "changes": [asdict(c) for c in self.entries]}

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Log:
        log = cls()
        log.next = int(data["next"])
        log.seen = {str(k): int(v) for k, v in data["seen"].items()}
        log.entries = [Change(**c) for c in data["changes"]]
        if not all(isinstance(getattr(c, f), str) for c in log.entries for f in ("actor", "by", "path",
                                                                                  "kind", "diff")):
            raise ValueError("a change's actor, by, path, kind and diff must be text")
        return log


def note(changes: list[Change], *, lost: bool = False) -> str:
    """The block an agent's tool answer begins with: what changed, by whom, and short diffs."""
    if not changes and not lost:
        return ""
    paths = {c.path for c in changes}
    files = f"{len(paths)} file" + ("s" if len(paths) != 1 else "")
    out = [f"[changed outside your calls] since your last call, {files} changed:" if changes else
           "[changed outside your calls] since your last call, files changed:"]
    for n, change in enumerate(changes):
        if n == LISTED:
            out.append(f"- ... and {len(changes) - LISTED} more changes")
            break
        out.append(f"- {change.path}: {change.kind} by {change.by} ({_sizes(change)})")
        if n < DETAILED and change.diff:
            out += ["    " + line for line in change.diff.split("\n")]
    if lost:
        out.append("- (and earlier changes no longer kept: list_files and read what you rely on)")
    out.append("What you read or ran before from these files may be out of date: read or run again "
               "what depends on them.")
    return "\n".join(out)


def _sizes(change: Change) -> str:
    kind = "binary, " if change.binary else ""
    if change.kind == "created":
        return f"{kind}{change.after:,} bytes"
    if change.kind == "deleted":
        return f"was {change.before:,} bytes"
    lines = "" if change.binary else \
        f"; {counted(change.removed, 'line')} removed, {change.added:,} added" if change.exact else \
        f"; {change.removed:,} -> {counted(change.added, 'line')}"
    return f"{kind}{change.before:,} -> {change.after:,} bytes{lines}"


def short_diff(old: bytes, new: bytes) -> tuple[str, bool]:
    """A unified diff of ``old`` and ``new`` cut to :data:`DIFF_LINES` lines, and whether they are
    binary (then the diff is ""). Costs one pass of byte comparison however big they are."""
    text, binary, *_ = _diff(old, new)
    return text, binary


def _diff(old: bytes, new: bytes) -> tuple[str, bool, int, int, bool]:
    """:func:`short_diff`, the lines removed and added, and whether those were counted; a span too
    long to diff gives the file's lines before and after instead."""
    if b"\0" in old[:8192] or b"\0" in new[:8192]:
        return "", True, 0, 0, True
    start = _common_prefix(old, new)
    start = old.rfind(b"\n", 0, start) + 1  # back to the start of the line
    tail = _common_suffix(old, new, min(len(old), len(new)) - start)
    old_end = len(old) - tail
    if old_end > start and old[old_end - 1:old_end] != b"\n":  # forward to the end of the line
        found = old.find(b"\n", old_end)
        old_end = len(old) if found < 0 else found + 1
    new_end = len(new) - (len(old) - old_end)
    # Only the first WINDOW bytes of each side are ever looked at line by line: no copy of a big file.
    a, b = old[start:min(old_end, start + WINDOW + 1)], new[start:min(new_end, start + WINDOW + 1)]
    try:
        a_text, b_text = _text(a), _text(b)
    except UnicodeDecodeError:
        return "", True, 0, 0, True
    first = old.count(b"\n", 0, start) + 1
    if len(a) <= WINDOW and len(b) <= WINDOW:
        hunks = _hunks(a_text, b_text, first)
        removed = sum(line.startswith("-") for line in hunks)  # headers start with "@@"
        return _cut(hunks, 0), False, removed, sum(line.startswith("+") for line in hunks), True
    # Many changed lines: the hunk's size and the first lines of each side.
    old_n, new_n = _line_count(old, start, old_end), _line_count(new, start, new_end)
    half = DIFF_LINES // 2 if old_n and new_n else DIFF_LINES
    shown_a, shown_b = _lines(a_text)[:half], _lines(b_text)[:half]
    lines = [_header(first, old_n, new_n), *("-" + x for x in shown_a), *("+" + x for x in shown_b)]
    hidden = (old_n - len(shown_a)) + (new_n - len(shown_b))
    return _cut(lines, hidden), False, _line_count(old, 0, len(old)), _line_count(new, 0, len(new)), False


def _text(data: bytes) -> str:
    """``data`` as text; a long span is cut (at a line end) to what a note can show."""
    if len(data) > WINDOW:
        data = data[:WINDOW]
        end = data.rfind(b"\n")
        data = data[:end + 1] if end >= 0 else data.decode(errors="ignore").encode()
    return data.decode()


def _lines(text: str) -> list[str]:
    if not text:
        return []
    lines = text.split("\n")
    return lines[:-1] if text.endswith("\n") else lines


def _line_count(data: bytes, start: int, end: int) -> int:
    """The lines of ``data[start:end]`` (a last one without a line end counts)."""
    return data.count(b"\n", start, end) + (0 if end <= start or data[end - 1:end] == b"\n" else 1)


def _header(first: int, old_n: int, new_n: int) -> str:
    return f"@@ -{first if old_n else first - 1},{old_n} +{first if new_n else first - 1},{new_n} @@"


def _hunks(a: str, b: str, first: int) -> list[str]:
    old, new = _lines(a), _lines(b)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        at_old, at_new = first + i1, first + j1
        out.append(f"@@ -{at_old if i2 > i1 else at_old - 1},{i2 - i1} "
                   f"+{at_new if j2 > j1 else at_new - 1},{j2 - j1} @@")
        out += ["-" + x for x in old[i1:i2]] + ["+" + x for x in new[j1:j2]]
    return out


def _cut(lines: list[str], hidden: int) -> str:
    """At most :data:`DIFF_LINES` lines, each at most :data:`LINE_CHARS`, and a count of the rest."""
    shown = [x if len(x) <= LINE_CHARS else x[:LINE_CHARS] + f" ... ({len(x) - LINE_CHARS:,} more characters)"
             for x in lines[:DIFF_LINES]]
    more = len(lines) - len(shown) + hidden
    if more > 0:
        shown.append(f"... {more:,} more diff line{'s' if more != 1 else ''} not shown")
    return "\n".join(shown)


def _common_prefix(a: bytes, b: bytes) -> int:
    """How many leading bytes ``a`` and ``b`` share (a chunk at a time, compared in C)."""
    size, at = min(len(a), len(b)), 0
    while at < size and a[at:at + _CHUNK] == b[at:at + _CHUNK]:
        at += _CHUNK
    end = min(at + _CHUNK, size)
    while at < end and a[at] == b[at]:
        at += 1
    return min(at, size)


def _common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """How many trailing bytes ``a`` and ``b`` share, at most ``limit``."""
    at, la, lb = 0, len(a), len(b)
    while at + _CHUNK <= limit and a[la - at - _CHUNK:la - at] == b[lb - at - _CHUNK:lb - at]:
        at += _CHUNK
    while at < limit and a[la - at - 1] == b[lb - at - 1]:
        at += 1
    return at
