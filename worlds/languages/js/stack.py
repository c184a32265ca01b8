"""QuickJS stack traces: the frames in the program's own files, and the runtime helper it was in.

A frame reads ``at NAME (FILE:LINE:COL)``. Files under ``.worlds/`` are the
runtime's (its bootstrap and the libraries behind ``fs``, ``readCSV`` and the
rest); CommonJS files run wrapped under ``<cjs>/``, one prefix longer on
their first line.
"""

from __future__ import annotations

import re

from ...diagnostics import Span
from .layout import CJS, CJS_PREFIX

FRAME = re.compile(r"^\s*at (?:(?P<fn>.*?) \()?(?P<file>[^()]+?):(?P<line>\d+)(?::(?P<col>\d+))?\)?$")
_WORD = re.compile(r"[\w$]+")
#: Where the libraries behind the runtime's helpers live.
LIBRARIES = ".worlds/lib/"

Frame = tuple[str, str, int, int]  # function name, file, line, column


def own_frames(stack: str, entry: str, files: dict[str, bytes]) -> list[Frame]:
    """The stack's frames in the program's own files, innermost first."""
    out = []
    for entry_line in stack.splitlines():
        frame = _frame(entry_line)
        if frame is None:
            continue
        file = frame[1]
        if file.startswith(".worlds/") or file == "native":
            continue  # the runtime's own frames say nothing about the program
        if file == "<evalScript>":
            continue
        if file != entry and file not in files:
            continue
        out.append(frame)
    return out


def helper(stack: str) -> str:
    """The runtime helper the innermost frames are in (``readCSV`` in ``readCSV`` →
    ``parseCSV`` → ``parseRows``): the outermost library frame before the program's own."""
    found = ""
    for entry_line in stack.splitlines():
        frame = _frame(entry_line)
        if frame is None or frame[1] == "<evalScript>":
            continue  # native code, or code a library compiled
        if not frame[1].startswith(LIBRARIES):
            break
        found = frame[0]
    return found


def innermost(stack: str) -> Frame | None:
    """The stack's innermost frame with a position, whoever's it is."""
    for entry_line in stack.splitlines():
        frame = _frame(entry_line)
        if frame is not None:
            return frame
    return None


def _frame(entry_line: str) -> Frame | None:
    m = FRAME.match(entry_line)
    if not m:
        return None
    file = m["file"].lstrip("/")
    line, col = int(m["line"]), int(m["col"] or 1)
    if file.startswith(CJS + "/"):
        file = file[len(CJS) + 1:]
        if line == 1:
            col = max(1, col - len(CJS_PREFIX))
    return m["fn"] or "", file, line, col


def token_span(source: str, line: int, col: int) -> Span:
    """The word at ``line:col`` (one character if there is none).

    QuickJS puts a method call's position on its dot: the span is then the
    method's name, the part of ``fs.readFileSync(...)`` that failed. The
    precise expression spans arrive with the tree-sitter mapping.
    """
    lines = source.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    # QuickJS may place an error where the expression's leading space begins.
    while 0 < col < len(text) and text[col - 1] in " \t":
        col += 1
    if 0 < col <= len(text) and text[col - 1] == "." and _WORD.match(text, col):
        col += 1
    m = _WORD.match(text, col - 1) if col - 1 < len(text) else None
    end = m.end() + 1 if m and m.end() > col - 1 else col + 1
    return Span.at(line, col, line, end)
