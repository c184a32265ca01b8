"""The program being checked: its text, the bytes tree-sitter parses, positions, findings.

tree-sitter speaks UTF-8 byte offsets; diagnostics speak 1-based lines and
character columns. :class:`Source` converts once per position asked for,
and collects the diagnostics the checker's passes find.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tree_sitter import Node

from ..._text import well_formed
from ...diagnostics import Diagnostic, Fix, Label, Offsets, Position, Severity, Span, TextEdit


def clean(text: str) -> str:
    """``text`` with lone surrogates replaced (as the engine sees it); fast when there are none."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return str(well_formed(text))
    return text


class Source:
    """One program: text (well-formed), bytes for the parser, and its diagnostics."""

    def __init__(self, text: str, file: str) -> None:
        self.text = text
        self.file = file
        # NUL ends tree-sitter's input early; U+0001 has the same width and the same verdict
        # (both are allowed only inside strings and comments).
        self.data = text.encode("utf-8").replace(b"\0", b"\x01")
        self.ascii = len(self.data) == len(text)
        self._offsets = Offsets(self.text)
        self.diagnostics: list[Diagnostic] = []

    # -- positions ------------------------------------------------------------------

    def char(self, byte: int) -> int:
        """The character offset of byte offset ``byte``."""
        byte = min(max(byte, 0), len(self.data))
        if self.ascii:
            return byte
        return len(self.data[:byte].decode("utf-8", "replace"))

    def position(self, offset: int) -> Position:
        """The position of character ``offset`` (clamped into the text)."""
        return self._offsets.position(offset)

    def span(self, start: int, end: int) -> Span:
        """The span of characters ``start:end``."""
        return self._offsets.span(start, end)

    def bytes_span(self, start: int, end: int) -> Span:
        return self.span(self.char(start), self.char(end))

    def node_span(self, node: Node, end: Node | None = None) -> Span:
        return self.bytes_span(node.start_byte, (end or node).end_byte)

    def name(self, node: Node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def edit(self, where: Node | Span, replacement: str) -> TextEdit:
        span = self.node_span(where) if isinstance(where, Node) else where
        return TextEdit(span=span, replacement=replacement)

    # -- findings -------------------------------------------------------------------

    def add(self, code: str, where: Node | Span | None, message: str, *, label: str = "",
            labels: Iterable[tuple[Node | Span, str]] = (), notes: Sequence[str] = (),
            help: Sequence[str] = (), fixes: Sequence[Fix] = (),
            severity: Severity = "error") -> Diagnostic:
        span = self.node_span(where) if isinstance(where, Node) else where
        diag = Diagnostic(
            code=code, severity=severity, message=message, file=self.file, span=span, label=label,
            labels=[Label(span=self.node_span(w) if isinstance(w, Node) else w, text=t)
                    for w, t in labels],
            notes=list(notes), help=list(help), fixes=list(fixes))
        self.diagnostics.append(diag)
        return diag


def child(node: Node, index: int) -> Node | None:
    """The ``index``-th child of ``node``, or None (tree-sitter raises past the end)."""
    return node.child(index) if 0 <= index < node.child_count else None


def named(node: Node, index: int) -> Node | None:
    """The ``index``-th named child of ``node``, or None."""
    return node.named_child(index) if 0 <= index < node.named_child_count else None


def fix(description: str, edits: list[TextEdit], applicable: bool = True) -> Fix:
    return Fix(description=description, edits=edits, applicable=applicable)


def quote(text: str, limit: int = 40) -> str:
    """``text`` as inline code for a message, shortened and on one line."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 3] + "..."
    return f"`{flat}`"
