"""Render diagnostics as text, in the style of rustc and Elm.

::

    error[JS1003]: cannot read property 'c' of undefined
     --> main.js:3:17
      |
    3 | console.log(obj.b.c)
      |                 ^^ here
      |
      = help: ...

Carets are placed by display width: tabs expand to four columns, wide
characters take two, combining marks none. No colour unless asked.
"""

from __future__ import annotations

import unicodedata

from . import codes
from .model import Diagnostic, Span

TAB = 4
MAX_LINE = 160  # source lines longer than this are cut around the span
COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "note": "\x1b[1;36m"}


def width(ch: str) -> int:
    if ch == "\t":
        return TAB
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _display(text: str) -> str:
    return text.replace("\t", " " * TAB)


def _cols(text: str) -> int:
    return sum(width(c) for c in text)


def render(diag: Diagnostic, sources: dict[str, str] | None = None, *, color: bool = False) -> str:
    """The text an agent reads for one diagnostic."""
    head = f"{diag.severity}[{diag.code}]: {diag.message}"
    if diag.code == codes.RAW:
        return diag.message  # exactly what the engine printed, nothing added
    if color:
        head = f"{COLORS[diag.severity]}{diag.severity}[{diag.code}]\x1b[0m\x1b[1m: {diag.message}\x1b[0m"
    out = [head]
    source = (sources or {}).get(diag.file or "") if diag.file else None
    gutter = 1
    if diag.span is not None and source is not None:
        last = max([diag.span.end.line] + [lb.span.end.line for lb in diag.labels
                                           if lb.file in (None, diag.file)])
        gutter = len(str(min(last, source.count("\n") + 1)))
    pad = " " * gutter
    if diag.file:
        where = diag.file
        if diag.span is not None:
            where += f":{diag.span.start.line}:{diag.span.start.column}"
        out.append(f"{pad}--> {where}")
    if diag.span is not None and source is not None:
        out.append(f"{pad} |")
        marks = [(diag.span, diag.label, "^")] + [(lb.span, lb.text, "-") for lb in diag.labels
                                                  if lb.file in (None, diag.file)]
        out.extend(_snippet(source, marks, gutter))
    elif diag.label:
        out.append(f"{pad} = {diag.label}")
    if diag.notes or diag.help or diag.fixes:
        out.append(f"{pad} |")
    out.extend(f"{pad} = note: {_indent(n, gutter)}" for n in diag.notes)
    out.extend(f"{pad} = help: {_indent(h, gutter)}" for h in diag.help)
    for fix in diag.fixes:
        out.append(f"{pad} = fix: {fix.description}")
    return "\n".join(out)


def _indent(text: str, gutter: int) -> str:
    return text.replace("\n", "\n" + " " * (gutter + 9))


def _snippet(source: str, marks: list[tuple[Span, str, str]], gutter: int) -> list[str]:
    """The source lines the marks touch, in order, each followed by its marks' caret lines.

    A mark over several lines is drawn on its first and last line; lines
    between marks that are not shown become one `...` line.
    """
    lines = source.split("\n")
    by_line: dict[int, list[tuple[int, int, str, str]]] = {}
    for span, label, mark in marks:
        first = min(max(span.start.line, 1), len(lines))
        last = min(max(span.end.line, first), len(lines))
        for n in (first, last) if last != first else (first,):
            text = lines[n - 1]
            start = span.start.column - 1 if n == first else _leading(text)
            end = span.end.column - 1 if n == last else len(text)
            start = min(max(start, 0), len(text))
            end = min(max(end, start), len(text))
            by_line.setdefault(n, []).append((start, end, mark, label if n == last else ""))
    out = []
    previous = 0
    for n in sorted(by_line):
        if previous and n > previous + 1:
            out.append(f"{'.' * gutter}...")
        previous = n
        shown, first_start, first_end = _clip(lines[n - 1], *by_line[n][0][:2])
        out.append(f"{str(n).rjust(gutter)} | {_display(shown)}".rstrip())
        for start, end, mark, label in by_line[n]:
            text, start, end = _clip(lines[n - 1], start, end)
            if text != shown:  # a mark outside the window of a cut line: show its own window
                out.append(f"{' ' * gutter} | {_display(text)}".rstrip())
            before = _cols(text[:start])
            size = max(_cols(text[start:end]), 1)
            caret = " " * before + mark * size
            if label:
                caret += " " + label
            out.append(f"{' ' * gutter} | {caret}")
    return out


def _leading(text: str) -> int:
    return len(text) - len(text.lstrip())


def _clip(text: str, start: int, end: int) -> tuple[str, int, int]:
    """Cut a long line to a window around ``start:end``, marking the cuts."""
    if _cols(text) <= MAX_LINE:
        return text, start, end
    left = max(0, start - 40)
    right = min(len(text), max(end, start + 1) + 60, left + MAX_LINE)
    prefix = "..." if left else ""
    suffix = "..." if right < len(text) else ""
    shift = len(prefix) - left
    return prefix + text[left:right] + suffix, start + shift, min(end, right) + shift


def render_all(diags: list[Diagnostic], sources: dict[str, str] | None = None, *,
               color: bool = False) -> str:
    return "\n\n".join(render(d, sources, color=color) for d in diags)
