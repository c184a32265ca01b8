"""Cut SQL text into statements, and mask what is not code.

One pass over the text knows where quotes and comments are, so a ``;``
inside ``'a;b'`` or ``-- x;`` does not end a statement, and later searches for
names (runtime error spans, dialect markers) can skip text inside strings
and comments. Quotes: ``'...'``, ``"..."``, ```...``` (doubling a quote
escapes it), Postgres ``$tag$...$tag$``; comments: ``--`` to the end of the
line and ``/* ... */``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOLLAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


@dataclass(frozen=True)
class Unclosed:
    """A quote or comment that never ends: where it starts and what it is."""

    start: int
    kind: str  # "string", "identifier", "comment"
    quote: str


@dataclass
class Scan:
    """The statements of a text (offsets, trimmed), its masked copy and any unclosed literal."""

    pieces: list[tuple[int, int]]
    masked: str
    unclosed: Unclosed | None


def scan(source: str) -> Scan:
    """Statements of ``source`` split at top-level ``;`` (empty ones dropped).

    ``masked`` has the same length as ``source``; the insides of strings,
    quoted names and comments are spaces (the quotes themselves stay), so a
    regular expression over it sees only code.
    """
    out = list(source)
    pieces: list[tuple[int, int]] = []
    unclosed: Unclosed | None = None
    i, n = 0, len(source)
    code_seen = -1  # offset of the first code character of the current statement
    last_code = -1
    while i < n:
        ch = source[i]
        if ch in "'\"`":
            end = _closing(source, i + 1, ch)
            if end < 0:
                unclosed = unclosed or Unclosed(i, "string" if ch == "'" else "identifier", ch)
                end = n - 1
                _blank(out, i + 1, n)
            else:
                _blank(out, i + 1, end)
            code_seen = i if code_seen < 0 else code_seen
            last_code = end
            i = end + 1
        elif ch == "-" and source.startswith("--", i):
            end = source.find("\n", i)
            end = n if end < 0 else end
            _blank(out, i, end)
            i = end
        elif ch == "/" and source.startswith("/*", i):
            end = source.find("*/", i + 2)
            if end < 0:
                unclosed = unclosed or Unclosed(i, "comment", "/*")
                _blank(out, i, n)
                i = n
            else:
                _blank(out, i, end + 2)
                i = end + 2
        elif ch == "$" and (m := _DOLLAR.match(source, i)) and not _word_before(source, i):
            tag = m.group(0)
            end = source.find(tag, m.end())
            if end < 0:
                unclosed = unclosed or Unclosed(i, "string", tag)
                _blank(out, m.end(), n)
                last_code = n - 1
                i = n
            else:
                _blank(out, m.end(), end)
                last_code = end + len(tag) - 1
                i = end + len(tag)
            code_seen = m.start() if code_seen < 0 else code_seen
        elif ch == ";":
            if code_seen >= 0:
                pieces.append((code_seen, last_code + 1))
            code_seen, last_code = -1, -1
            i += 1
        else:
            if not ch.isspace():
                code_seen = i if code_seen < 0 else code_seen
                last_code = i
            i += 1
    if code_seen >= 0:
        pieces.append((code_seen, last_code + 1))
    return Scan(pieces, "".join(out), unclosed)


def _closing(source: str, i: int, quote: str) -> int:
    """Offset of the quote that closes one opened just before ``i`` (-1 if none)."""
    while True:
        end = source.find(quote, i)
        if end < 0:
            return -1
        if source.startswith(quote, end + 1):
            i = end + 2  # a doubled quote stands for itself
            continue
        return end


def _blank(out: list[str], start: int, end: int) -> None:
    for k in range(start, min(end, len(out))):
        if out[k] != "\n":
            out[k] = " "


def _word_before(source: str, i: int) -> bool:
    return i > 0 and (source[i - 1].isalnum() or source[i - 1] == "_")
