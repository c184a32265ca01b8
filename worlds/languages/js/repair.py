"""Where a missing `)` or `]` goes: tried at every place it could, not guessed from the line.

The syntax pass proposes one place for a missing closer (where tree-sitter
expected it, or the end of the opener's line). That guess is often wrong:
`.sort((a, b => ...)` lost its `)` after `b`, `if (!ok continue;` before
`continue`. Here the closer is put after each token between the opener and
the end of the proposed line in turn; the programs that then parse are
checked, and the ones with the fewest errors (and the fewest shapes models
hardly ever mean, such as a comma expression) are kept, once each. A fix stays safe
to apply only when exactly one program is left; when it is not the proposed
one, the fix moves there. When several are left, no place is sure and the
fix needs review.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from tree_sitter import Node

from ...diagnostics import Diagnostic, Fix, Span, TextEdit, codes
from .syntax import parse

#: The farthest an opener may be from the end of the proposed line for the places to be tried.
_REACH = 600
_CLOSERS = {")": "(", "]": "["}
Analyse = Callable[..., list[Diagnostic]]
#: Shapes a model hardly ever means: a comma expression, a call of a call's result, a member of
#: a function literal or a function literal called where it stands, a member of what
#: `console.log(...)` returns (undefined).
_ODD = ("(sequence_expression", "(call_expression (call_expression", "(member_expression (arrow_function",
        "(member_expression (function_expression", "(call_expression (arrow_function",
        "(call_expression (function_expression",
        "(member_expression (call_expression (member_expression identifier:b'console'")


def settle(text: str, diags: list[Diagnostic], analyse: Analyse, *, file: str,
           files: Collection[str]) -> list[Diagnostic]:
    """``diags`` with each single-closer insertion fix checked against every other place."""
    return [_settle(text, d, analyse, file, files) for d in diags]


def _settle(text: str, diag: Diagnostic, analyse: Analyse, file: str, files: Collection[str]) -> Diagnostic:
    if diag.code != codes.JS_BRACKET:
        return diag
    index = next((i for i, f in enumerate(diag.fixes) if f.applicable), None)
    fix: Fix | None = None
    if index is not None:
        fix = diag.fixes[index]
        if len(fix.edits) != 1 or fix.edits[0].replacement not in _CLOSERS:
            return diag
        edit = fix.edits[0]
        closer = edit.replacement
        at = edit.span.start.offset(text)
        if edit.span.end.offset(text) != at:
            return diag
    elif not diag.fixes and diag.span is not None and diag.message[:12] in ("expected `)`", "expected `]`"):
        closer = diag.message[10]  # no place proposed at all: the closer was found missing further on
        at = diag.span.start.offset(text)
    else:
        return diag
    opener = next((o for o in (lab.span.start.offset(text) for lab in diag.labels)
                   if o < at and text[o:o + 1] == _CLOSERS[closer]), None)
    if opener is None:
        return diag
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    hi = len(text[:line_end].rstrip())
    if hi - opener > _REACH:
        return diag
    ranked: dict[str, tuple[tuple[int, int], int]] = {}  # program shape -> (rank, place)
    proposed = at if fix is not None else -1
    for place in range(opener + 1, max(hi, at) + 1):
        if place != proposed and (text[place - 1].isspace() or _inside_word(text, place)):
            continue
        candidate = text[:place] + closer + text[place:]
        tree = parse(candidate.encode("utf-8").replace(b"\0", b"\x01"))
        if tree.root_node.has_error:
            continue
        shape = _shape(tree.root_node)
        if shape in ranked:
            if place == proposed:
                ranked[shape] = (ranked[shape][0], place)
            continue
        try:
            found = analyse(candidate, file=file, files=files)
        except Exception:  # noqa: BLE001 - a checker bug: this place cannot be judged
            continue
        errors = sum(d.severity == "error" for d in found)
        odd = sum(shape.count(pattern) for pattern in _ODD)
        ranked[shape] = ((errors, odd), place)
    if not ranked:
        return diag  # nowhere parses: another error elsewhere; the proposed place stands as it was
    best = min(rank for rank, _ in ranked.values())
    places = sorted(place for rank, place in ranked.values() if rank == best)
    fixes = list(diag.fixes)
    if len(places) == 1 and best[0] == 0:
        place = places[0]
        if place == proposed:
            return diag
        line_start = text.rfind("\n", 0, place) + 1
        line_end = text.find("\n", place)
        left = text[max(line_start, place - 16):place].lstrip()
        right = text[place:line_end if line_end >= 0 else len(text)][:12].rstrip()
        span = Span.from_offsets(text, place, place)
        moved = Fix(description=f"insert `{closer}`: `{left}{closer}{right}`",
                    edits=[TextEdit(span=span, replacement=closer)], applicable=True)
        if index is None:
            fixes.append(moved)
        else:
            fixes[index] = moved
        return diag.model_copy(update={"fixes": fixes})
    if index is None or fix is None:
        return diag
    fixes[index] = fix.model_copy(update={"applicable": False})
    notes = list(diag.notes)
    if len(places) > 1:
        notes.append(f"`{closer}` fits in {len(places)} places here; put it where the "
                     f"{'call or group' if closer == ')' else 'index or array'} was meant to end")
    return diag.model_copy(update={"fixes": fixes, "notes": notes})


def _inside_word(text: str, place: int) -> bool:
    left, right = text[place - 1], text[place] if place < len(text) else " "
    return (left.isalnum() or left in "_$") and (right.isalnum() or right in "_$")


def _shape(node: Node) -> str:
    """The program's structure, blind to what does not change its meaning: `(l) =>` is `l =>`,
    `(x)` is `x`, and where the `;` and spaces fall."""
    parts: list[str] = []
    stack: list[Node | None] = [node]
    while stack:
        current = stack.pop()
        if current is None:
            parts.append(")")
            continue
        if current.type == "parenthesized_expression" and current.named_child_count == 1 or \
                current.type == "formal_parameters" and current.named_child_count == 1 and \
                current.named_children[0].type == "identifier":
            stack.append(current.named_children[0])
            continue
        if current.type == "comment":
            continue
        if current.named_child_count == 0:
            parts.append(f"{current.type}:{current.text!r}" if current.is_named else current.type)
            continue
        parts.append("(" + current.type)
        stack.append(None)
        stack.extend(reversed(current.named_children))
    return " ".join(parts)
