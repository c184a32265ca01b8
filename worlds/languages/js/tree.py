"""Parsing JavaScript with tree-sitter, and finding nodes by position.

One parser per thread (tree-sitter parsers are not thread-safe); trees are
small and cheap to rebuild, so nothing else is cached. Positions here are
the diagnostics' own: 1-based lines, columns in characters.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import tree_sitter_javascript
from tree_sitter import Language, Node, Parser, Tree

LANGUAGE = Language(tree_sitter_javascript.language())
_local = threading.local()


def parser() -> Parser:
    """This thread's parser."""
    cached = getattr(_local, "parser", None)
    if cached is None:
        cached = _local.parser = Parser(LANGUAGE)
    return cached


def parse(source: str) -> Tree:
    return parser().parse(source.encode("utf-8", "replace"))


def text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", "replace")


def walk(node: Node) -> Iterator[Node]:
    """Every node under ``node``, in document order (iteratively: trees can be deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


class Lines:
    """Converts between tree-sitter byte points and (line, character column) positions."""

    def __init__(self, source: str) -> None:
        self.lines = source.split("\n")

    def column(self, row: int, byte_col: int) -> int:
        """The 1-based character column of a byte offset within line ``row`` (0-based)."""
        line = self.lines[row] if row < len(self.lines) else ""
        return len(line.encode("utf-8", "replace")[:byte_col].decode("utf-8", "replace")) + 1

    def byte_col(self, line: int, column: int) -> int:
        text_line = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return len(text_line[: max(column - 1, 0)].encode("utf-8", "replace"))

    def start(self, node: Node) -> tuple[int, int]:
        return node.start_point.row + 1, self.column(node.start_point.row, node.start_point.column)

    def end(self, node: Node) -> tuple[int, int]:
        return node.end_point.row + 1, self.column(node.end_point.row, node.end_point.column)


def nodes_on_line(tree: Tree, line: int, kinds: set[str]) -> list[Node]:
    """Nodes of ``kinds`` that start or end on ``line`` (1-based), in document order."""
    row = line - 1
    return [n for n in walk(tree.root_node)
            if n.type in kinds and n.start_point.row <= row <= n.end_point.row]
