"""Which loop a stopped program was in, and whether anything could ever end it.

QuickJS records source positions only at operations that can throw (calls,
property reads, ``for...of`` heads), so the position of a program stopped
in a loop of plain arithmetic is the last such operation *before* the loop,
often the start of its function, or, at the jump that closes a loop, the
statement *after* it. The loop that was running is therefore the innermost
loop around that position or, when there is none, the first loop after it in
the same function, else the last one before it: the engine polls for
interrupts at the jumps that close loops, so a stopped program is always in
one (or in a call).

A loop is certainly a runaway when its condition is always true and nothing
leaves it (``break``, ``return``, ``throw``, ``yield``, a labelled
``continue`` to an outer loop), or when nothing in it can change what its
condition reads: no assignment to those variables and no call that might.
Anything else might end, so the budget diagnostic measures instead of
guessing.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from .early import FUNCTION_NODES
from .tree import Lines, parse, text, walk

LOOPS = frozenset({"for_statement", "while_statement", "do_statement", "for_in_statement"})
_ALWAYS = frozenset({"true", "1", "!0", "!false"})
_CALLS = frozenset({"call_expression", "new_expression", "await_expression", "yield_expression",
                    "tagged_template_expression"})
_WRITES = {"assignment_expression": "left", "augmented_assignment_expression": "left",
           "update_expression": "argument"}


@dataclass(frozen=True)
class Loop:
    """The loop a program was stopped in, with why it cannot end (``runaway``, empty if it may)."""

    start: tuple[int, int]  # line and column of the loop's keyword
    end: tuple[int, int]  # end of its head: the keyword through the closing parenthesis
    head: str  # the head's text, shortened
    runaway: str
    around: bool = True  # the stop's position is inside the loop (else it was stale: before or after it)


def running_loop(source: str, line: int, col: int, *, after: bool = True) -> Loop | None:
    """The loop that was running when a program stopped at ``line:col`` (QuickJS's position).

    ``after``: the position may be stale (the innermost frame), so a loop after it counts.
    """
    tree = parse(source)
    lines = Lines(source)
    point = (line - 1, lines.byte_col(line, col))
    function = _function_at(tree.root_node, point)
    loops = [n for n in _own_nodes(function) if n.type in LOOPS]
    around = [n for n in loops if n.start_point <= point < n.end_point]
    later = [n for n in loops if n.start_point >= point] if after else []
    earlier = [n for n in loops if n.end_point <= point] if after else []
    chosen = around[-1] if around else later[0] if later else earlier[-1] if earlier else None
    if chosen is None:
        return None
    body = chosen.child_by_field_name("body")
    closing = body.prev_sibling if body is not None else None
    end = lines.end(closing) if closing is not None else lines.end(chosen)
    if chosen.type == "do_statement":
        end = lines.start(chosen)[0], lines.start(chosen)[1] + 2
    head = _head_text(chosen)
    return Loop(start=lines.start(chosen), end=end, head=head, runaway=_runaway(chosen), around=bool(around))


def _function_at(root: Node, point: tuple[int, int]) -> Node:
    """The innermost function (or the program) around ``point``."""
    found = root
    for node in walk(root):
        if node.type in FUNCTION_NODES and node.start_point <= point < node.end_point:
            found = node  # walk goes in document order, so later matches are nested deeper
    return found


def _own_nodes(node: Node) -> list[Node]:
    """Nodes under ``node`` that are not inside a nested function."""
    out, stack = [], list(reversed(node.children))
    while stack:
        current = stack.pop()
        out.append(current)
        if current.type not in FUNCTION_NODES:
            stack.extend(reversed(current.children))
    return out


def _head_text(loop: Node) -> str:
    if loop.type == "do_statement":
        condition = loop.child_by_field_name("condition")
        return f"do ... while {text(condition) if condition else ''}"
    body = loop.child_by_field_name("body")
    cut = body.start_byte - loop.start_byte if body is not None else None
    head = (loop.text or b"")[:cut].decode(errors="replace")
    head = " ".join(head.split())
    return head if len(head) <= 60 else head[:57] + "..."


def _runaway(loop: Node) -> str:
    """Why ``loop`` can never end, or "" if it might."""
    if loop.type == "for_in_statement":
        return ""  # bounded by what it iterates (unless the body grows it, which needs a call)
    condition = loop.child_by_field_name("condition")
    cond_text = "" if condition is None or condition.type == "empty_statement" else text(condition)
    cond_text = cond_text.removesuffix(";").strip()
    while cond_text.startswith("(") and cond_text.endswith(")"):
        cond_text = cond_text[1:-1].strip()
    parts = [loop.child_by_field_name("body"), loop.child_by_field_name("increment")]
    inside = [n for part in parts if part is not None for n in [part, *_own_nodes(part)]]
    if _leaves(loop, inside):
        return ""
    if not cond_text or cond_text in _ALWAYS:
        what = "it has no condition" if not cond_text else f"its condition `{cond_text}` never becomes false"
        return f"{what}, and nothing in it leaves the loop (no `break`, `return` or `throw`)"
    assert condition is not None
    read = {text(n) for n in [condition, *_own_nodes(condition)] if n.type == "identifier"}
    if not read or any(n.type in _CALLS for n in [*inside, *_own_nodes(condition)]):
        return ""
    written = set()
    for node in inside:
        field = _WRITES.get(node.type)
        target = node.child_by_field_name(field) if field else None
        if target is not None:
            written |= {text(n) for n in [target, *_own_nodes(target)] if n.type == "identifier"}
        if node.type in ("lexical_declaration", "variable_declaration"):
            written |= {text(n) for n in _own_nodes(node) if n.type == "identifier"}
    if read & written:
        return ""
    names = " or ".join(f"`{name}`" for name in sorted(read))
    return f"nothing in the loop changes {names}, so its condition `{cond_text}` never changes"


def _leaves(loop: Node, inside: list[Node]) -> bool:
    """Whether something in the loop's body can leave it."""
    parent = loop.parent
    label = parent.child_by_field_name("label") if parent and parent.type == "labeled_statement" else None
    for node in inside:
        if node.type in ("return_statement", "throw_statement", "yield_expression"):
            return True
        if node.type in ("break_statement", "continue_statement"):
            target = node.child_by_field_name("label")
            if target is not None:
                if node.type == "break_statement" or label is None or text(target) != text(label):
                    return True  # to a label: this loop's own (break) or an outer one
            elif node.type == "break_statement" and _nearest_breakable(node) == loop:
                return True
    return False


def _nearest_breakable(node: Node) -> Node | None:
    current = node.parent
    while current is not None and current.type not in FUNCTION_NODES:
        if current.type in LOOPS or current.type == "switch_statement":
            return current
        current = current.parent
    return None
