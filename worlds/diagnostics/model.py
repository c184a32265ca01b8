"""A diagnostic is data: a stable code, a span, a plain cause and a fix.

Positions are 1-based; columns count characters (not bytes, not display
cells). A span's end is exclusive. Rendering lives in :mod:`.render`.
"""

from __future__ import annotations

import bisect
from typing import Literal

from pydantic import BaseModel, ConfigDict

Severity = Literal["error", "warning", "note"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Position(_Model):
    line: int
    column: int

    def offset(self, source: str) -> int:
        """The character offset of this position in ``source`` (clamped)."""
        lines = source.split("\n")
        line = min(max(self.line, 1), len(lines))
        start = sum(len(text) + 1 for text in lines[: line - 1])
        return start + min(max(self.column - 1, 0), len(lines[line - 1]))


class Span(_Model):
    start: Position
    end: Position

    @classmethod
    def at(cls, line: int, column: int, end_line: int | None = None,
           end_column: int | None = None) -> Span:
        return cls(start=Position(line=line, column=column),
                   end=Position(line=end_line or line,
                                column=end_column if end_column is not None else column + 1))

    @classmethod
    def from_offsets(cls, source: str, start: int, end: int) -> Span:
        """The span of characters ``source[start:end]``."""
        return cls(start=_position(source, start), end=_position(source, max(end, start)))


class Offsets:
    """Positions of character offsets in one text; the line starts are found once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None

    def position(self, offset: int) -> Position:
        """The position of character ``offset`` (clamped into the text)."""
        if self._starts is None:
            starts, find = [0], self.text.find
            at = find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = find("\n", at + 1)
            self._starts = starts
        offset = min(max(offset, 0), len(self.text))
        row = bisect.bisect_right(self._starts, offset) - 1
        return Position(line=row + 1, column=offset - self._starts[row] + 1)

    def span(self, start: int, end: int) -> Span:
        """The span of characters ``start:end``."""
        return Span(start=self.position(start), end=self.position(max(start, end)))


def _position(source: str, offset: int) -> Position:
    before = source[: max(0, min(offset, len(source)))]
    line = before.count("\n") + 1
    return Position(line=line, column=len(before) - (before.rfind("\n") + 1) + 1)


class Label(_Model):
    """A secondary span with its own text (the primary span's text is ``Diagnostic.label``)."""

    span: Span
    text: str
    file: str | None = None


class TextEdit(_Model):
    span: Span
    replacement: str


class Fix(_Model):
    """A suggested change. ``applicable`` means safe to apply without review."""

    description: str
    edits: list[TextEdit]
    applicable: bool = False

    def apply(self, source: str) -> str:
        """``source`` with every edit applied (edits must not overlap)."""
        spans = sorted(((e.span.start.offset(source), e.span.end.offset(source), e.replacement)
                        for e in self.edits), reverse=True)
        for start, end, replacement in spans:
            source = source[:start] + replacement + source[end:]
        return source


class Diagnostic(_Model):
    """One finding about a program, with everything needed to act on it."""

    code: str
    severity: Severity = "error"
    message: str
    file: str | None = None
    span: Span | None = None
    label: str = ""
    labels: list[Label] = []
    notes: list[str] = []
    help: list[str] = []
    fixes: list[Fix] = []

    def to_json(self) -> dict[str, object]:
        return self.model_dump(mode="json")
