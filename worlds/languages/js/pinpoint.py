"""From an engine error's position to the exact expression, and what to do about it.

QuickJS reports a line and a column, sometimes at the start of a statement,
sometimes on a dot or on the space before an expression. Here tree-sitter
finds the expression that failed (`obj.b` in `obj.b.c`), and the facts the
guest gathered about the program's values (types, keys) turn into the
message, notes and fixes: "`obj.b` is undefined", "`obj` has keys: a, bee",
"use `bee`".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tree_sitter import Node

from ...diagnostics import Fix, Span, TextEdit
from .tree import Lines, nodes_on_line, parse, text, walk

_READ = re.compile(r"cannot (?P<verb>read|set) propert(?:y|ies) "
                   r"(?:of (?P<what0>undefined|null) \(reading )?'(?P<prop>[^']*)'\)?"
                   r"(?: of (?P<what>undefined|null))?")
_NOT_FUNCTION = re.compile(r"^(?:(?P<name>.+) )?is not a (?P<kind>function|constructor)$"
                           r"|^not a (?P<kind2>function|constructor)$")
_NO_EXPORT = re.compile(r"Could not find export '(?P<name>[^']+)' in module '(?P<module>[^']+)'")
_NOT_DEFINED = re.compile(r"^'?(?P<name>[\w$]+)'? is not defined$")
_MEMBER = {"member_expression", "subscript_expression"}
_ARTICLE = {"undefined": "undefined", "null": "null", "object": "an object", "array": "an array",
            "number": "a number", "string": "a string", "boolean": "a boolean", "bigint": "a bigint",
            "symbol": "a symbol", "function": "a function"}
_GLOBALS = [
    "Array", "Boolean", "Buffer", "Date", "Error", "JSON", "Map", "Math", "Number", "Object",
    "Promise", "RegExp", "Set", "String", "Symbol", "TypeError", "RangeError", "SyntaxError",
    "ReferenceError", "BigInt", "Infinity", "NaN", "undefined", "console", "fs", "path", "require",
    "module", "exports", "parseInt", "parseFloat", "isNaN", "isFinite", "setTimeout", "setInterval",
    "setImmediate", "clearTimeout", "clearInterval", "queueMicrotask", "globalThis",
    "encodeURIComponent", "decodeURIComponent", "Reflect", "Proxy", "WeakMap", "WeakSet",
    "readCSV", "writeCSV", "parseCSV", "toCSV", "readJSON", "writeJSON", "readJSONL", "writeJSONL",
]


@dataclass
class Finding:
    """What the position and the facts say: a better message, span, notes and fixes."""

    message: str
    span: Span
    label: str = ""
    notes: list[str] = field(default_factory=list)
    help: list[str] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)


def explain(name: str, message: str, source: str, line: int, col: int,
            facts: list[dict[str, Any]]) -> Finding | None:
    """A finding for a TypeError or ReferenceError at ``line:col``, or None."""
    if not source or line < 1:
        return None
    known = {f.get("expr"): f for f in facts if isinstance(f, dict)}
    lines = Lines(source)
    tree = parse(source)
    if name == "TypeError":
        m = _READ.search(message)
        if m:
            what = m["what"] or m["what0"] or "undefined"
            return _member(tree, lines, line, col, m["prop"], what, m["verb"], known)
        m = _NOT_FUNCTION.match(message)
        if m:
            return _not_callable(tree, lines, line, col, m["kind"] or m["kind2"], known)
    if name == "ReferenceError":
        m = _NOT_DEFINED.match(message)
        if m:
            return _undefined_name(tree, lines, line, col, m["name"])
    return None


_FUNCTIONS = {"function_declaration", "function_expression", "arrow_function", "method_definition",
              "generator_function_declaration"}


def _candidates(tree: Any, line: int, kinds: set[str], keep: Callable[[Node], bool]) -> list[Node]:
    """Nodes of ``kinds`` on ``line`` that ``keep`` accepts; if none, those in the function
    that starts on ``line`` (QuickJS sometimes reports an error at its function's start)."""
    found = [n for n in nodes_on_line(tree, line, kinds) if keep(n)]
    if found:
        return found
    functions = [n for n in walk(tree.root_node) if n.type in _FUNCTIONS and n.start_point.row == line - 1]
    if len(functions) != 1:
        return []
    inside = [n for n in walk(functions[0]) if n.type in kinds and keep(n)]
    return inside if len(inside) == 1 else []


def _span(lines: Lines, start: Node, end: Node | None = None) -> Span:
    (l1, c1), (l2, c2) = lines.start(start), lines.end(end or start)
    return Span.at(l1, c1, l2, c2)


def _nearest(nodes: list[Node], lines: Lines, line: int, col: int) -> Node | None:
    """The node starting closest to ``line:col``, preferring those at or after it."""
    def distance(node: Node) -> tuple[int, int]:
        at_line, at_col = lines.start(node)
        offset = (at_line - line) * 10_000 + (at_col - col)
        return (0 if offset >= 0 else 1, abs(offset))
    return min(nodes, key=distance, default=None)


def _describe(fact: dict[str, Any] | None) -> str:
    if not fact or fact.get("type") == "unknown":
        return ""
    if fact.get("type") == "array":
        return f"an array of {fact.get('length', '?')} items"
    return _ARTICLE.get(str(fact.get("type")), str(fact.get("type")))


def _keys_note(expr: str, fact: dict[str, Any] | None) -> list[str]:
    if not fact or fact.get("type") != "object" or "keys" not in fact:
        return []
    keys = fact["keys"]
    if not keys:
        return [f"`{expr}` is an empty object"]
    return [f"`{expr}` has keys: {', '.join(keys)}"]


def _rename_fix(prop_node: Node, keys: list[str], lines: Lines) -> list[Fix]:
    name = text(prop_node)
    near = difflib.get_close_matches(name, keys, n=1, cutoff=0.6)
    if not near or near[0] == name:
        return []
    return [Fix(description=f"use `{near[0]}`", applicable=True,
                edits=[TextEdit(span=_span(lines, prop_node), replacement=near[0])])]


def _last_segment(lines: Lines, node: Node) -> tuple[Span, Node | None]:
    """The span of ``node``'s last step (`.b` of `obj.b`, `[0]` of `a[0]`) and its property."""
    if node.type in _MEMBER:
        base = node.child_by_field_name("object")
        prop = node.child_by_field_name("property") or node.child_by_field_name("index")
        if base is not None:
            (l1, c1), (l2, c2) = lines.end(base), lines.end(node)
            return Span.at(l1, c1, l2, c2), prop if node.type == "member_expression" else None
    return _span(lines, node), None


def _base_facts(node: Node, prop_node: Node | None, known: dict[Any, dict[str, Any]],
                lines: Lines) -> tuple[dict[str, Any] | None, list[str], list[Fix]]:
    """For `base.prop`: what is known of `base`, its keys as a note, and a fix to the nearest key."""
    if node.type not in _MEMBER:
        return None, [], []
    base = node.child_by_field_name("object")
    base_expr = " ".join(text(base).split()) if base is not None else ""
    fact = known.get(base_expr)
    fixes = _rename_fix(prop_node, fact["keys"], lines) if prop_node is not None and fact and \
        fact.get("keys") else []
    return fact, _keys_note(base_expr, fact), fixes


def _member(tree: Any, lines: Lines, line: int, col: int, prop: str, what: str, verb: str,
            known: dict[Any, dict[str, Any]]) -> Finding | None:
    def matches(node: Node) -> bool:
        key = node.child_by_field_name("property") or node.child_by_field_name("index")
        return key is not None and text(key).strip("'\"` ") == prop
    node = _nearest(_candidates(tree, line, _MEMBER, matches), lines, line, col)
    if node is None:
        return None
    obj = node.child_by_field_name("object")
    if obj is None:
        return None
    expr = " ".join(text(obj).split())
    returned = obj.type == "call_expression"
    message = f"`{expr}` {'returned' if returned else 'is'} {what}"
    if obj.type in ("null", "undefined"):
        message = f"cannot {verb} `{prop}` of {what}"
    span, prop_node = _last_segment(lines, obj)
    _, notes, fixes = _base_facts(obj, prop_node, known, lines)
    help_ = [f"check `{expr}` before you read `{prop}` from it, or write `{expr}?.{prop}`"
             if verb == "read" else f"make `{expr}` an object before you set `{prop}` on it"]
    return Finding(message=message, span=span, label=f"this is {what}", notes=notes, help=help_,
                   fixes=fixes)


def _not_callable(tree: Any, lines: Lines, line: int, col: int, kind: str,
                  known: dict[Any, dict[str, Any]]) -> Finding | None:
    calls = _candidates(tree, line, {"call_expression"} if kind == "function" else {"new_expression"},
                        lambda node: True)
    node = _nearest(calls, lines, line, col)
    if node is None:
        return None
    callee = node.child_by_field_name("function") or node.child_by_field_name("constructor")
    if callee is None:
        return None
    expr = " ".join(text(callee).split())
    fact = known.get(expr)
    is_what = _describe(fact)
    message = f"`{expr}` is not a {kind}" + (f": it is {is_what}" if is_what else "")
    span, prop_node = _last_segment(lines, callee)
    notes: list[str] = []
    fixes: list[Fix] = []
    help_: list[str] = []
    if prop_node is not None and text(prop_node) in ("length", "size") and fact and \
            fact.get("type") == "number":
        arguments = node.child_by_field_name("arguments")
        if arguments is not None and text(arguments).replace(" ", "") == "()":
            fixes.append(Fix(description=f"`{text(prop_node)}` is a property: drop the `()`",
                             applicable=True,
                             edits=[TextEdit(span=_span(lines, arguments), replacement="")]))
    elif callee.type in _MEMBER:
        base_fact, notes, fixes = _base_facts(callee, prop_node, known, lines)
        if base_fact and base_fact.get("type") in ("array", "string") and prop_node is not None:
            help_.append(_slip_help(text(prop_node), base_fact["type"]))
    return Finding(message=message, span=span, label=f"not a {kind}", notes=notes,
                   help=[h for h in help_ if h], fixes=fixes)


_SLIPS = {
    ("array", "append"): "arrays grow with `push`",
    ("array", "contains"): "arrays test membership with `includes`",
    ("string", "contains"): "strings test for a part with `includes`",
    ("string", "lower"): "strings lower-case with `toLowerCase()`",
    ("string", "upper"): "strings upper-case with `toUpperCase()`",
    ("string", "strip"): "strings trim with `trim()`",
    ("string", "format"): "build strings with template literals: `${x}`",
}


def _slip_help(name: str, kind: str) -> str:
    return _SLIPS.get((kind, name), "")


def _undefined_name(tree: Any, lines: Lines, line: int, col: int, name: str) -> Finding | None:
    idents = _candidates(tree, line, {"identifier"}, lambda node: text(node) == name)
    node = _nearest(idents, lines, line, col)
    if node is None:
        return None
    declared = sorted({text(n) for n in walk(tree.root_node)
                       if n.type in ("identifier", "shorthand_property_identifier_pattern")
                       and n.parent is not None and n.parent.type in (
                           "variable_declarator", "function_declaration", "class_declaration",
                           "formal_parameters", "import_specifier", "namespace_import",
                           "import_clause", "object_pattern", "array_pattern",
                           "assignment_pattern", "arrow_function", "catch_clause")} - {name})
    near = difflib.get_close_matches(name, declared + _GLOBALS, n=3, cutoff=0.6)
    fixes = []
    if near:
        fixes.append(Fix(description=f"use `{near[0]}`", applicable=len(near) == 1,
                         edits=[TextEdit(span=_span(lines, node), replacement=near[0])]))
    help_ = [f"did you mean {' or '.join(f'`{n}`' for n in near)}?"] if near else [
        f"declare `{name}` (with `const` or `let`) before using it"]
    return Finding(message=f"`{name}` is not defined", span=_span(lines, node),
                   label="not declared anywhere", help=help_, fixes=fixes)


def missing_export(message: str, files: dict[str, str]) -> tuple[str, Finding] | None:
    """For "Could not find export 'x' in module 'm'": the import naming `x`, and m's exports."""
    m = _NO_EXPORT.search(message)
    if m is None:
        return None
    name, module = m["name"], m["module"].lstrip("./")
    exported = _exports(files.get(module, ""))
    for file, source in files.items():
        tree = parse(source)
        for node in walk(tree.root_node):
            if node.type != "import_specifier":
                continue
            imported = node.child_by_field_name("name")
            statement = node.parent
            while statement is not None and statement.type != "import_statement":
                statement = statement.parent
            origin = statement.child_by_field_name("source") if statement is not None else None
            if imported is None or text(imported) != name or origin is None or \
                    not text(origin).strip("'\"`").lstrip("./").endswith(module):
                continue
            lines = Lines(source)
            near = difflib.get_close_matches(name, exported, n=1, cutoff=0.6)
            fixes = [Fix(description=f"import `{near[0]}`", applicable=True,
                         edits=[TextEdit(span=_span(lines, imported), replacement=near[0])])] if near else []
            notes = [f"`{module}` exports: {', '.join(exported)}" if exported
                     else f"`{module}` exports nothing"]
            return file, Finding(message=f"`{module}` has no export named `{name}`",
                                 span=_span(lines, imported), label="not exported", notes=notes,
                                 fixes=fixes)
    return None


def _exports(source: str) -> list[str]:
    """The names a module exports (declarations and export lists)."""
    names: list[str] = []
    for node in walk(parse(source).root_node) if source else ():
        if node.type == "export_specifier":
            alias = node.child_by_field_name("alias") or node.child_by_field_name("name")
            if alias is not None:
                names.append(text(alias))
        elif node.type == "export_statement":
            declaration = node.child_by_field_name("declaration")
            if declaration is None:
                if any(c.type == "default" for c in node.children):
                    names.append("default")
                continue
            declarators = [d for d in declaration.named_children if d.type == "variable_declarator"]
            for named in [d.child_by_field_name("name") for d in declarators] or [
                    declaration.child_by_field_name("name")]:
                if named is not None:
                    names.append(text(named))
    return sorted(set(names))
