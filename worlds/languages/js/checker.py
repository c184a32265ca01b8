"""The JS-light checker: what is wrong with a program, found before it runs.

``check(source, file=..., files=...)`` parses once with tree-sitter and
reports, in order of the source: syntax errors (and nothing else when there
are any, since the rest would be guesses); otherwise errors the engine would
raise before running, names no scope declares, features JS-light leaves out,
slips from other languages, and files or modules the world does not have.
It never raises and never runs the program.
"""

from __future__ import annotations

import threading
from collections.abc import Collection

from tree_sitter import Node, Tree

from ...diagnostics import Diagnostic, codes
from ...host.functions import Functions
from . import repair, syntax
from .hostcalls import check_calls
from .rules import Rules
from .scope import resolve
from .source import Source, clean
from .walk import Walk

#: Diagnostics shown for one program at most; the rest would bury the first.
LIMIT = 30


def check(source: str, *, file: str, files: Collection[str],
          keys: Collection[str] = frozenset(), host: Functions | None = None) -> list[Diagnostic]:
    """Static diagnostics for ``source``, named ``file``, in a world holding ``files`` whose data
    records have ``keys`` and whose host functions are ``host``."""
    try:
        return analyse(source, file=file, files=files, keys=keys, host=host)
    except Exception:  # noqa: BLE001 - a checker bug must not stop a run: the engine still judges
        return []


def analyse(source: str, *, file: str, files: Collection[str],
            keys: Collection[str] = frozenset(), host: Functions | None = None) -> list[Diagnostic]:
    """What :func:`check` does, raising on a bug in the checker (tests use it to find them).

    A pathologically nested program may exhaust Python's recursion limit;
    that is a RecursionError here and no finding in :func:`check`.
    """
    src = Source(clean(source), file)
    tree = syntax.parse(src.data)
    clean_tree = syntax.check(src, tree)
    if clean_tree is not None:
        module = _remember(src.text, module_syntax(clean_tree, src.data))
        walk = Walk(src, module=module)
        walk.run(clean_tree)
        if not any(d.code in codes.JS_SYNTAX_CODES for d in src.diagnostics):
            unresolved = resolve(src, walk.refs)
            if host:  # the world's functions are globals of its programs
                roots = host.roots()
                unresolved = [ref for ref in unresolved if ref[0] not in roots]
                check_calls(src, walk.refs, host)
            Rules(src, walk, files, keys, host.roots() if host else frozenset()).run(unresolved)
    else:
        # a missing `)` or `]`: the place proposed is checked against every other place
        src.diagnostics = repair.settle(src.text, src.diagnostics, analyse, file=file, files=files)
    diags = sorted(src.diagnostics, key=_order)
    if len(diags) > LIMIT:
        diags = diags[:LIMIT]
    return diags


def _order(diag: Diagnostic) -> tuple[int, int, int]:
    if diag.span is None:
        return (0, 0, 0)
    return (diag.span.start.line, diag.span.start.column, 0 if diag.severity == "error" else 1)


#: The mode of the programs checked last: the engine asks right after the checker has parsed.
_MODES: dict[str, bool] = {}


_MODES_LOCK = threading.Lock()


def _remember(text: str, module: bool) -> bool:
    with _MODES_LOCK:
        if len(_MODES) >= 8:
            _MODES.pop(next(iter(_MODES)))
        _MODES[text] = module
    return module


def is_module(source: str) -> bool:
    """Whether ``source`` needs ES module mode: import/export declarations, `import.meta`,
    or `await` outside any function."""
    text = clean(source)
    known = _MODES.get(text)
    if known is not None:
        return known
    data = text.encode("utf-8").replace(b"\0", b"\x01")
    return _remember(text, module_syntax(syntax.parse(data), data))


_FUNCTIONS = frozenset({"function_declaration", "generator_function_declaration", "function_expression",
                        "generator_function", "arrow_function", "method_definition", "class_static_block"})


def module_syntax(tree: Tree, data: bytes) -> bool:
    root = tree.root_node
    if any(child.type in ("import_statement", "export_statement") for child in root.children):
        return True
    for word, parents in ((b"await", ("await_expression", "for_in_statement")),
                          (b"meta", ("meta_property",))):
        at = data.find(word)
        while at >= 0:
            node: Node | None = root.descendant_for_byte_range(at, at + len(word))
            if node is not None and node.type == word.decode() and node.parent is not None and \
                    node.parent.type in parents and (word == b"meta" or _top_level(node)):
                return True
            at = data.find(word, at + len(word))
    return False


def _top_level(node: Node) -> bool:
    current = node.parent
    while current is not None:
        if current.type in _FUNCTIONS:
            return False
        current = current.parent
    return True
