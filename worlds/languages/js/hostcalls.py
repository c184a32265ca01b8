"""Calls of the world's host functions, checked before the run: names, and literal arguments.

``crm.findCustomr(...)`` names no function: the nearest member of ``crm`` is
the fix. ``crm.findCustomer({ id: 'three' })`` passes a literal the
declaration refuses, or leaves out a required field, or names a parameter the
function does not have: an error at that argument, found by validating the
literal against the same types the host validates calls with.
Arguments that are not literals are left to the run.
"""

from __future__ import annotations

from typing import Any

from tree_sitter import Node

from ...diagnostics import codes
from ...host.functions import Functions, HostFunction
from ...host.typescript import ts_type
from .scope import Ref, Scope, clear_best, nearest
from .source import Source, fix

_UNKNOWN = object()  # an argument, or a part of one, that is not a literal


def check_calls(src: Source, refs: list[Ref], functions: Functions) -> None:
    """Report misnamed host functions and literal arguments they would refuse."""
    roots = functions.roots()
    for name, scope, node, _mode in refs:
        if name in roots and _global(scope, name):
            _check_chain(src, node, name, functions)


def _global(scope: Scope, name: str) -> bool:
    return scope.lookup(name) is None  # the program did not declare a name of its own


def _check_chain(src: Source, node: Node, root: str, functions: Functions) -> None:
    dotted, current = root, node
    while True:
        if functions.get(dotted) is not None:
            call = current.parent
            if call is not None and call.type == "call_expression" \
                    and call.child_by_field_name("function") == current:
                _check_arguments(src, call, functions.get(dotted))  # type: ignore[arg-type]
            return
        member = current.parent
        if member is None or member.type != "member_expression" \
                or member.child_by_field_name("object") != current:
            return  # the namespace itself, passed around or inspected
        prop = member.child_by_field_name("property")
        if prop is None or prop.type != "property_identifier":
            return  # `crm[name]`: computed, left to the run
        part = src.name(prop)
        if not functions.get(f"{dotted}.{part}") and not functions.is_namespace(f"{dotted}.{part}"):
            _unknown_member(src, prop, dotted, part, functions)
            return
        dotted, current = f"{dotted}.{part}", member


def _unknown_member(src: Source, prop: Node, space: str, part: str, functions: Functions) -> None:
    members = functions.members(space)
    near = nearest(part, members)
    fixes = [fix(f"call `{space}.{near[0]}`", [src.edit(prop, near[0])], applicable=clear_best(part, near))] \
        if near else []
    shown = ", ".join(f"`{m}`" for m in members[:12]) + (" ..." if len(members) > 12 else "")
    src.add(codes.JS_HOST_UNKNOWN, prop, f"`{space}` has no function `{part}`",
            label="not in the world's API", notes=[f"`{space}` has {shown}"],
            help=[f"did you mean `{space}.{near[0]}`?"] if near else
            ["the world card declares every host function"], fixes=fixes)


def _check_arguments(src: Source, call: Node, function: HostFunction) -> None:
    args_node = call.child_by_field_name("arguments")
    if args_node is None or args_node.type != "arguments":
        return  # a tagged template
    args = [a for a in args_node.named_children if a.type != "comment"]
    if any(a.type == "spread_element" for a in args):
        return
    params = function.params
    if len(args) == 1 and args[0].type == "object" and not function.takes_object:
        _check_named(src, args[0], function)
        return
    if len(args) > len(params):
        src.add(codes.JS_HOST_ARGUMENT, args[len(params)], f"{function.name} takes "
                f"{len(params)} argument{'s' if len(params) != 1 else ''}, not {len(args)}",
                label="one too many" if len(args) == len(params) + 1 else "too many arguments")
        return
    for param, node in zip(params, args, strict=False):
        _check_value(src, function, param, node)
    required = set(function.schema.get("required", []))
    missing = [p for p in params[len(args):] if p in required]
    if missing:
        src.add(codes.JS_HOST_ARGUMENT, call, f"{function.name} needs `{missing[0]}`",
                label=f"`{missing[0]}` is missing", help=[_signature_help(function)])


def _check_named(src: Source, obj: Node, function: HostFunction) -> None:
    seen: set[str] = set()
    complete = True
    for pair in obj.named_children:
        if pair.type == "pair":
            key = pair.child_by_field_name("key")
            value = pair.child_by_field_name("value")
            name = _key(src, key)
            if name is None or value is None or key is None:
                complete = False
                continue
        elif pair.type == "shorthand_property_identifier":
            key = value = pair
            name = src.name(pair)
        else:
            complete = False  # a spread or a method: the keys are not all known
            continue
        seen.add(name)
        if name not in function.params:
            near = nearest(name, function.params)
            src.add(codes.JS_HOST_ARGUMENT, key, f"{function.name} has no parameter `{name}`",
                    label="not a parameter", help=[_signature_help(function)],
                    fixes=[fix(f"name it `{near[0]}`", [src.edit(key, near[0])],
                               applicable=clear_best(name, near))] if near else [])
            continue
        if pair.type == "pair":
            _check_value(src, function, name, value)
    required = [p for p in function.schema.get("required", []) if p not in seen]
    if complete and required:
        src.add(codes.JS_HOST_ARGUMENT, obj, f"{function.name} needs `{required[0]}`",
                label=f"`{required[0]}` is missing", help=[_signature_help(function)])


def _check_value(src: Source, function: HostFunction, param: str, node: Node) -> None:
    value = literal(src, node)
    if value is _UNKNOWN:
        return
    problem = function.check_field(param, value)
    if problem is not None:
        src.add(codes.JS_HOST_ARGUMENT, node, f"{function.name}: `{param}` {_lower(problem)}",
                label=f"{param}: {_short_type(function, param)}", help=[_signature_help(function)])


def literal(src: Source, node: Node) -> Any:
    """The value of a literal expression (numbers, text, true/false/null, arrays and objects of
    literals), or ``_UNKNOWN``."""
    kind = node.type
    if kind == "number":
        text = src.name(node).replace("_", "")
        try:
            return int(text, 0) if text.isdigit() or text[:2].lower() in ("0x", "0o", "0b") else float(text)
        except ValueError:
            return _UNKNOWN
    if kind == "string":
        text = src.name(node)[1:-1]
        return text if "\\" not in text else _UNKNOWN
    if kind == "template_string":
        if any(c.type == "template_substitution" for c in node.named_children):
            return _UNKNOWN
        text = src.name(node)[1:-1]
        return text if "\\" not in text else _UNKNOWN
    if kind in ("true", "false"):
        return kind == "true"
    if kind == "null":
        return None
    if kind == "unary_expression" and src.name(node).startswith("-"):
        inner = literal(src, node.named_children[0]) if node.named_children else _UNKNOWN
        return -inner if isinstance(inner, int | float) and not isinstance(inner, bool) else _UNKNOWN
    if kind == "parenthesized_expression" and node.named_children:
        return literal(src, node.named_children[0])
    if kind == "array":
        items = [literal(src, c) for c in node.named_children if c.type != "comment"]
        return _UNKNOWN if any(i is _UNKNOWN for i in items) else items
    if kind == "object":
        out: dict[str, Any] = {}
        for pair in node.named_children:
            if pair.type != "pair":
                return _UNKNOWN
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            name = _key(src, key)
            item = literal(src, value) if value is not None else _UNKNOWN
            if name is None or item is _UNKNOWN:
                return _UNKNOWN
            out[name] = item
        return out
    return _UNKNOWN


def _key(src: Source, key: Node | None) -> str | None:
    if key is None:
        return None
    if key.type in ("property_identifier", "number"):
        return src.name(key)
    if key.type == "string":
        text = src.name(key)[1:-1]
        return text if "\\" not in text else None
    return None


def _short_type(function: HostFunction, param: str) -> str:
    return ts_type(function.schema.get("properties", {}).get(param, {}), function.schema.get("$defs", {}))


def _signature_help(function: HostFunction) -> str:
    return "declared as `" + function.declaration().splitlines()[-1].split("  //")[0].strip() + "`"


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]
