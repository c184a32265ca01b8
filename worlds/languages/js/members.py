"""Misspelt members of built-in values: `line.spilt(',')`, `rows.lenght`, `JSON.prase(text)`.

A member name no built-in value has, that the program itself never defines
(nor writes anywhere else: as a key, in a string, a declaration, a comment),
and that is one slip away from a member of the receiver's kind. What the
receiver is comes from its declaration when that says (an array, a string,
`JSON`, a module); otherwise it is any common built-in value.

A call of such a name always fails (data read from files holds no
functions), so it is an error, and its fix is safe when one name is clearly
nearest. A key of the world's data (a CSV column, a JSON key) is never
reported; another property read of an unknown value may still be a key the
checker did not read: that is a warning whose fix waits for review.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tree_sitter import Node

from ..._text import distance
from ...diagnostics import codes
from . import names as N
from .scope import Scope
from .source import fix

if TYPE_CHECKING:
    from .rules import Rules

#: Every built-in member name: never reported.
_KNOWN = frozenset().union(*N.MEMBERS.values(), N.OTHER_MEMBERS)
#: Buffer's many readers and writers (`readUInt16LE`, `writeDoubleBE`...).
_BUFFER = re.compile(r"^(?:read|write)(?:U?Int|Float|Double|BigU?Int)")
_WHAT = {"string": "strings", "array": "arrays", "map": "a `Map`", "set": "a `Set`", "number": "numbers",
         "date": "a `Date`", "regexp": "a regular expression", "promise": "a promise",
         "function": "functions", "fs": "`fs`", "path": "`path`"}


def member_typos(rules: Rules) -> None:
    """Report each use of a misspelt built-in member, with the name it was meant to be."""
    src = rules.src
    uses: dict[str, list[tuple[Node, Scope]]] = {}
    for node, scope, ptype in rules.walk.members:
        if ptype != "member_expression":
            continue
        name = src.name(node)
        if len(name) < 3 or name in _KNOWN or name in rules.keys or _BUFFER.match(name):
            continue
        member = node.parent
        if member is None or member.child_by_field_name("property") != node:
            continue
        uses.setdefault(name, []).append((node, scope))
    for name, found in uses.items():
        # The name written anywhere else (a key, a string, a declaration...): the program's own.
        if len(re.findall(rf"(?<![\w$]){re.escape(name)}(?![\w$])", src.text)) > len(found):
            continue
        for node, scope in found[:3]:
            _report(rules, name, node, scope)


def _kind(rules: Rules, obj: Node, scope: Scope) -> str | None:
    """The receiver's kind: a key of ``N.MEMBERS``, "" when it is any value, None to stay silent."""
    src = rules.src
    if obj.type in ("this", "super"):
        return None
    if obj.type == "identifier" and scope.lookup(src.name(obj)) is None:
        name = src.name(obj)
        return name if name in N.MEMBER_GLOBALS else None  # another global: its members vary
    kind = rules.receiver_kind(obj, scope)
    if kind in ("module:fs", "module:path"):
        return kind[7:]
    if kind in N.MEMBERS and kind != "object":
        return kind
    if kind is not None:
        return None  # the program's own objects, instances and modules: their members are its own
    if rules.uses_own_modules():
        return None  # the value may come from another file, whose members this check cannot see
    return ""


def _report(rules: Rules, name: str, node: Node, scope: Scope) -> None:
    src = rules.src
    member = node.parent
    assert member is not None
    obj = member.child_by_field_name("object")
    if obj is None:
        return
    kind = _kind(rules, obj, scope)
    if kind is None:
        return
    parent = member.parent
    called = parent is not None and parent.type == "call_expression" and \
        parent.child_by_field_name("function") == member
    pool = N.MEMBERS[kind] if kind else frozenset().union(*(N.MEMBERS[k] for k in N.COMMON_KINDS))
    if called:
        pool = pool - N.VALUES
    elif not kind:
        pool = pool | rules.keys  # a record read from the data: its keys are candidates too
    limit = 1 if len(name) < 7 else 2
    scored = sorted((distance(name, cand), cand) for cand in pool)
    scored = [(d, c) for d, c in scored if d <= limit]
    if not scored:
        return
    best = scored[0][1]
    clear = len(scored) == 1 or scored[1][0] > scored[0][0]
    shown = src.name(obj) if len(src.name(obj)) <= 30 else ""
    what = _WHAT.get(kind, f"`{kind}`") if kind else ""
    if called:
        message = f"`{name}` is not a method of {what}" if what else f"`{name}` is not a built-in method"
    else:
        data = " nor a key of the world's data" if rules.keys else ""
        message = f"`{name}` is not a property of {what}" if what else \
            f"`{name}` is not a built-in property{data}"
    certain = called or bool(kind)  # a property read of any value may be a key of the world's data
    notes = [f"no property `{name}` is defined anywhere in this program"]
    if not certain:
        notes.append(f"if {f'`{shown}`' if shown else 'the value'} is a record whose data has a "
                     f"`{name}` key, this is right as written")
    others = [c for _, c in scored[1:3]]
    help_ = [f"other near names: {', '.join(f'`{o}`' for o in others)}"] if others else []
    src.add(codes.JS_MEMBER_TYPO, node, message, severity="error" if certain else "warning",
            label=f"did you mean `{best}`?", notes=notes, help=help_,
            fixes=[fix(f"use `{best}`", [src.edit(node, best)], applicable=certain and clear)])
