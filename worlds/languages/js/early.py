"""Errors the engine raises before running anything, and literals worth a second look.

QuickJS refuses a whole program for `return` outside a function, `break`
outside a loop, `await` outside an async function, a bad regular expression
or an invalid assignment target; tree-sitter's grammar accepts them. These
checks run as the walk (:mod:`.walk`) reaches the nodes, with its knowledge of
the enclosing function, loops and strictness; they are a mixin of the walk.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tree_sitter import Node, TreeCursor

from ...diagnostics import codes
from .names import GLOBALS
from .source import Source, child, fix, named, quote

if TYPE_CHECKING:
    from .scope import Scope
    from .walk import Fn

FUNCTION_NODES = {
    "function_declaration": "function", "generator_function_declaration": "function",
    "function_expression": "function", "generator_function": "function", "arrow_function": "arrow",
    "method_definition": "method", "class_static_block": "static",
}
_PLACEHOLDER = re.compile(rb"\$\{\s*[A-Za-z_$][\w$.]*\s*\}")
_PLACEHOLDER_NAME = re.compile(rb"\$\{\s*([A-Za-z_$][\w$]*)")
_SEARCHES = frozenset({b"replace", b"replaceAll", b"split", b"includes", b"indexOf", b"startsWith",
                       b"endsWith", b"lastIndexOf"})
_LEGACY_OCTAL = re.compile(rb"(?<![\w$.])0[0-9]")
_REGEX_FLAGS = set("dgimsuyv")
_TARGETS = frozenset({"identifier", "member_expression", "subscript_expression"})
SKIP = object()


class EarlyChecks:
    """The checks; the walk provides the state they read."""

    src: Source
    scope: Scope
    fn: Fn
    module: bool
    declared_names: set[str]

    def literals(self, root: Node) -> None:
        """Placeholders in plain strings, and legacy octal numbers in strict code.

        Literals are leaves of the walk (it passes thousands); the rare ones
        worth a look are found by their text instead.
        """
        data = self.src.data
        if b"${" in data:
            seen: set[int] = set()
            for m in _PLACEHOLDER.finditer(data):
                node = root.descendant_for_byte_range(m.start(), m.end())
                while node is not None and node.type in ("string_fragment", "escape_sequence"):
                    node = node.parent
                if node is not None and node.type == "string" and node.start_byte not in seen:
                    seen.add(node.start_byte)
                    self._string(node)
        for m in _LEGACY_OCTAL.finditer(data):
            node = root.descendant_for_byte_range(m.start(), m.end())
            if node is not None and node.type == "number" and node.start_byte == m.start():
                self._number(node)

    def _return(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        if self.fn.kind in ("program", "static"):
            self.src.add(codes.JS_MISPLACED, child(node, 0) or node, "`return` outside a function",
                         label="not inside any function",
                         help=["the program's last expression is its value; print results with "
                               "`console.log`"])

    def _jump(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        word = "break" if node.type == "break_statement" else "continue"
        label = node.child_by_field_name("label")
        fn = self.fn
        if label is not None:
            name = self.src.name(label)
            between = self.src.data[node.start_byte:label.start_byte]
            if b"\r" in between or b"\n" in between or b"\xe2\x80\xa8" in between:
                return  # a line break ends the statement: the name is not its label
            if name not in fn.labels:
                self.src.add(codes.JS_MISPLACED, label, f"no enclosing statement is labelled `{name}`",
                             label="unknown label", help=[f"label the loop: `{name}: for (...) {{ ... }}`"])
        if word == "break" and fn.loops + fn.breakable == 0 and label is None or \
                word == "continue" and fn.loops == 0:
            where = "a loop or `switch`" if word == "break" else "a loop"
            why = [f"`{word}` inside a callback (such as `forEach`) cannot reach the loop outside it; "
                   "use `for (const x of xs)` instead"] if fn.kind != "program" else []
            self.src.add(codes.JS_MISPLACED, child(node, 0) or node, f"`{word}` outside {where}",
                         label=f"not inside {where}", help=why)

    def _await(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        fn = self.fn
        if fn.is_async or fn.kind == "program" or ptype == "computed_property_name":
            return
        self.src.add(codes.JS_MISPLACED, child(node, 0) or node,
                     "`await` is only allowed in `async` functions",
                     label="inside a function that is not `async`",
                     help=["mark the enclosing function `async` (and `await` its result where it is called)"])

    def _yield(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        if self.fn.is_generator or ptype == "computed_property_name":  # a method's key: the outer context's
            return
        if not self.scope.strict:
            # outside generators sloppy code may name a variable `yield`: `yield`, `yield * 2`
            # and `yield - 1` read it, and tree-sitter parses them as yield expressions
            arg = named(node, 0)
            star = child(node, 1)
            op = child(arg, 0) if arg is not None and arg.type == "unary_expression" else None
            if arg is None or getattr(star, "type", "") == "*" or getattr(op, "type", "") in ("+", "-"):
                return
        self.src.add(codes.JS_MISPLACED, child(node, 0) or node,
                         "`yield` is only allowed in generator functions", label="not in a generator",
                         help=["declare the function with `function*`"])

    def _with(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        if self.scope.strict:
            self.src.add(codes.JS_MISPLACED, child(node, 0) or node, "`with` is not allowed in strict code",
                         label="modules and classes are strict",
                         help=["name the object: `const o = obj; o.x`"])

    def _number(self, node: Node) -> None:
        if self.module or _strict_at(node):
            text = self.src.data[node.start_byte:node.end_byte]
            self.src.add(codes.JS_MISPLACED, node, f"{quote(text.decode())}: numbers with a leading "
                         "zero are not allowed in strict code", label="legacy octal literal",
                         help=["write the decimal value, or `0o` for octal: `0o10`"])

    def _string(self, node: Node) -> None:
        text = self.src.data[node.start_byte:node.end_byte]
        if b"${" not in text or b"`" in text or b"\\" in text:
            return
        names = [m.group(1).decode() for m in _PLACEHOLDER_NAME.finditer(text)]
        if not names:
            return
        # Safe to turn into a template only if every placeholder names something the program
        # has, and the text is not a pattern being searched for (`s.replace('${x}', ...)`).
        known = all(n in self.declared_names or n in GLOBALS for n in names) and not _searched(node)
        self.src.add(codes.JS_PLAIN_PLACEHOLDER, node, "`${...}` is not filled in inside quotes",
                     severity="warning", label="prints as written",
                     help=["use a template literal (backticks) to fill in values"],
                     fixes=[fix("write it as a template literal",
                                [self.src.edit(node, "`" + text[1:-1].decode("utf-8", "replace") + "`")],
                                applicable=known)])

    def _regex(self, node: Node, ptype: str, cur: TreeCursor) -> object:
        flags = node.child_by_field_name("flags")
        if flags is not None:
            text = self.src.name(flags)
            bad = sorted({c for c in text if c not in _REGEX_FLAGS or text.count(c) > 1})
            if bad or "u" in text and "v" in text:
                self.src.add(codes.JS_REGEX, flags, f"invalid regular expression flags {quote(text)}",
                             label="unknown or repeated flag" if bad else "`u` and `v` exclude each other",
                             help=["flags are d, g, i, m, s, u (or v) and y, each at most once"])
        pattern = node.child_by_field_name("pattern")
        if pattern is not None:
            problem = regex_problem(self.src.name(pattern))
            if problem is not None:
                self.src.add(codes.JS_REGEX, pattern, f"invalid regular expression: {problem}",
                             label=problem, help=["escape special characters with `\\` to match them "
                                                  "literally: `\\(`, `\\*`"])
        return SKIP

    def _assignment(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        left = node.child_by_field_name("left")
        if left is None:
            return
        target = left
        while target.type == "parenthesized_expression" and named(target, 0) is not None:
            target = named(target, 0)  # type: ignore[assignment]
        optional = target.type == "member_expression" and target.child_by_field_name("optional_chain")
        bad = ptype in ("binary_expression", "unary_expression") or optional or (
            left.type == "parenthesized_expression" and
            target.type not in ("identifier", "member_expression", "subscript_expression"))
        if bad:
            what = "`a?.b` may be undefined" if optional else "only a name, a property or a pattern can"
            whole = ptype in ("binary_expression", "unary_expression") and node.parent is not None
            shown = node.parent if whole and node.parent is not None else node
            self.src.add(codes.JS_PARSE, shown, "invalid assignment target",
                         label="the left of `=` is not something that can be assigned",
                         help=[f"{what}; to compare, write `===`" if not optional else
                               "assign through a property that exists: `if (a) a.b = ...`"])

    def _update(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        target = node.child_by_field_name("argument")
        while target is not None and target.type == "parenthesized_expression":
            target = named(target, 0)
        if target is not None and target.type not in _TARGETS:
            self.src.add(codes.JS_PARSE, node, "`++` and `--` need a variable or a property",
                         label="cannot be incremented or decremented",
                         help=["write `x + 1` for the value, or `x++` on a variable"])

    def _try(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        if node.child_by_field_name("handler") is None and node.child_by_field_name("finalizer") is None:
            self.src.add(codes.JS_PARSE, child(node, 0) or node, "`try` needs a `catch` or `finally` block",
                         label="`try` without `catch`",
                         help=["add `catch (err) { ... }` after the block"])

    def _condition(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        cond = node.child_by_field_name("condition")
        if cond is None or cond.type != "parenthesized_expression":
            return
        inner = named(cond, 0)
        if inner is None or inner.type != "assignment_expression":
            return
        right = inner.child_by_field_name("right")
        if right is not None and right.type in ("number", "string", "true", "false", "null", "identifier"):
            op = child(inner, 1)
            fixes = [fix("compare with `===`", [self.src.edit(op, "===")], applicable=False)] if op else []
            self.src.add(codes.JS_ASSIGN_IN_CONDITION, op or inner, "assignment in a condition",
                         severity="warning", label="`=` assigns; `===` compares",
                         help=["wrap it in a second pair of parentheses if the assignment is meant"],
                         fixes=fixes)


def _searched(node: Node) -> bool:
    """Whether a string is searched for, or searched in: `s.replace('${x}', v)`, `'${x}'.split(...)`."""
    parent = node.parent
    if parent is not None and parent.type == "arguments":
        parent = parent.parent
        callee = parent.child_by_field_name("function") if parent is not None else None
    elif parent is not None and parent.type == "member_expression":
        callee = parent
    else:
        return False
    prop = callee.child_by_field_name("property") if callee is not None and \
        callee.type == "member_expression" else None
    return prop is not None and prop.text in _SEARCHES


def _strict_at(node: Node) -> bool:
    """Whether ``node`` is in strict code of a script: a class, or under a "use strict" directive."""
    current = node.parent
    while current is not None:
        if current.type in ("class_body", "class_heritage"):
            return True
        if current.type in FUNCTION_NODES and use_strict(current.child_by_field_name("body")):
            return True
        if current.type == "program":
            return use_strict(current)
        current = current.parent
    return False


def use_strict(body: Node | None) -> bool:
    """Whether a program or function body starts with the "use strict" directive."""
    if body is None:
        return False
    for stmt in body.named_children:
        if stmt.type == "comment":
            continue
        if stmt.type != "expression_statement":
            return False
        inner = named(stmt, 0)
        if inner is None or inner.type != "string":
            return False
        if (inner.text or b"")[1:-1] == b"use strict":
            return True
    return False


def regex_problem(pattern: str) -> str | None:
    """A structural mistake in a regular expression's pattern, or None.

    Only what every flag combination rejects: unbalanced groups and a
    quantifier with nothing before it.
    """
    depth = 0
    i, n = 0, len(pattern)
    in_class = False
    prev_atom = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            prev_atom = True
            continue
        if in_class:
            if ch == "]":
                in_class = False
                prev_atom = True
            i += 1
            continue
        if ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
            prev_atom = False
            if pattern.startswith("?", i + 1):  # (?:  (?=  (?!  (?<=  (?<!  (?<name>
                i += 2
                if pattern.startswith(("<=", "<!"), i):
                    i += 2
                elif pattern.startswith("<", i):
                    end = pattern.find(">", i)
                    i = end + 1 if end > 0 else i + 1
                elif i < n and pattern[i] in ":=!":
                    i += 1
                continue
            i += 1
            continue
        elif ch == ")":
            if depth == 0:
                return "`)` closes no group"
            depth -= 1
            prev_atom = True
        elif ch == "|":
            prev_atom = False
        elif ch in "*+?":
            if not prev_atom:
                return f"`{ch}` has nothing to repeat"
            if i + 1 < n and pattern[i + 1] == "?":
                i += 1
            prev_atom = False
            i += 1
            continue
        else:
            prev_atom = ch not in "^$"
        i += 1
    if depth:
        return "a group `(` is never closed"
    return None
