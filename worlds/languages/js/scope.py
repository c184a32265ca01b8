"""Scopes, declarations and references, and what resolving them finds.

The walk (:mod:`.walk`) builds the scopes and records every reference; only
then are references resolved, so hoisting (`var`, function declarations, a
function using a `let` declared after it) needs no special case. Resolving
finds names no scope declares, names used before their `let`/`const` line
has run, and assignments to constants.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from tree_sitter import Node

from ..._text import distance
from ...diagnostics import codes
from . import names as N
from .source import Source, child, fix, named

# Reference modes.
READ, WRITE, RW, CALL, NEW, TYPEOF = range(6)
#: Scope kinds that start a new function activation (for `var`, `arguments`, `return`).
FUNCTIONS = frozenset({"program", "function", "arrow", "method", "static"})
LEXICAL = frozenset({"let", "const", "class", "import"})


class Scope:
    __slots__ = ("kind", "parent", "names", "func", "strict")

    def __init__(self, kind: str, parent: Scope | None, strict: bool) -> None:
        self.kind = kind
        self.parent = parent
        self.names: dict[str, Decl] = {}
        self.strict = strict
        self.func: Scope = self if kind in FUNCTIONS or parent is None else parent.func

    def lookup(self, name: str) -> Decl | None:
        scope: Scope | None = self
        while scope is not None:
            decl = scope.names.get(name)
            if decl is not None:
                return decl
            scope = scope.parent
        return None

    def visible(self) -> set[str]:
        out: set[str] = set()
        scope: Scope | None = self
        while scope is not None:
            out.update(scope.names)
            scope = scope.parent
        return out


class Decl:
    """One declared name: its kind, where, and what it was first set to (when the walk could tell)."""

    __slots__ = ("name", "kind", "node", "scope", "init", "ready", "statement", "written", "value")

    def __init__(self, name: str, kind: str, node: Node, scope: Scope, init: str | None = None,
                 ready: int = -1, statement: Node | None = None) -> None:
        self.name = name
        self.kind = kind  # var let const function hoisted class param catch import fname
        self.node = node
        self.scope = scope
        self.init = init  # array, string, object, map, set, module:fs, fs:readFileSync, ...
        self.ready = ready  # byte offset from which a let/const is initialised
        self.statement = statement  # the `let`/`const` declaration, for the const-to-let fix
        self.written = False
        self.value: Node | None = None  # the initial value, its kind worked out when first asked

    def value_kind(self, src: Source) -> str | None:
        """What the name holds, if it never changes: the declared initial value's kind."""
        if self.value is not None:
            self.init, self.value = value_kind_of(src, self.value), None
        return self.init if self.kind in ("const", "import") or not self.written else None


_ARRAY_METHODS = frozenset({"split", "map", "filter", "flat", "flatMap", "keys", "values", "entries",
                            "from", "of", "readCSV", "readJSONL", "parseCSV", "readdirSync", "sort"})
_STRING_METHODS = frozenset({"join", "toUpperCase", "toLowerCase", "trim", "toFixed", "padStart", "padEnd",
                             "repeat", "replace", "replaceAll", "trimStart", "trimEnd", "toString",
                             "stringify", "toISOString"})


def value_kind_of(src: Source, value: Node | None) -> str | None:
    """What a declaration's value is, when its syntax says: array, string, object, map, a module..."""
    if value is None:
        return None
    typ = value.type
    if typ in ("array", "object", "string", "number"):
        return typ
    if typ == "template_string":
        return "string"
    if typ in ("arrow_function", "function_expression"):
        return "function"
    if typ == "new_expression":
        ctor = value.child_by_field_name("constructor")
        name = src.name(ctor) if ctor is not None else ""
        return {"Map": "map", "Set": "set", "Array": "array", "WeakMap": "map"}.get(name, "instance")
    if typ == "member_expression":
        obj, prop = value.child_by_field_name("object"), value.child_by_field_name("property")
        if prop is not None and src.name(prop) == "promises" and value_kind_of(src, obj) == "module:fs":
            return "fs:promises"
        return None
    if typ != "call_expression":
        return None
    callee = value.child_by_field_name("function")
    if callee is None:
        return None
    if callee.type == "identifier":
        name = src.name(callee)
        if name == "require":
            args = value.child_by_field_name("arguments")
            first = named(args, 0) if args is not None else None
            if first is not None and first.type == "string":
                module = src.name(first)[1:-1]
                bare = module[5:] if module.startswith("node:") else module
                return f"module:{bare}" if bare in ("fs", "path") else "module:" + module
        return "array" if name in ("readCSV", "readJSONL", "parseCSV") else None
    if callee.type == "member_expression":
        prop = callee.child_by_field_name("property")
        obj = callee.child_by_field_name("object")
        method = src.name(prop) if prop is not None else ""
        owner = src.name(obj) if obj is not None else ""
        if method in ("keys", "values", "entries") and owner != "Object":
            return None  # a Map's keys() is an iterator, not an array
        if method in _ARRAY_METHODS:
            return "array"
        args = value.child_by_field_name("arguments")
        if method == "readFileSync" and args is not None and named(args, 1) is not None:
            return "string"  # read with an encoding: text
        if method in _STRING_METHODS and owner != "JSON" or method == "stringify" and owner == "JSON":
            return "string"
    return None


Ref = tuple[str, Scope, Node, int]


def resolve(src: Source, refs: list[Ref]) -> list[Ref]:
    """Report problems with references; return those that resolve to no declaration.

    In sloppy code a plain assignment to an undeclared name creates a global
    (a warning: often a misspelling); later reads of it are then fine.
    """
    implicit = set()
    guarded = set()
    for name, scope, _node, mode in refs:
        if mode == TYPEOF:
            guarded.add(name)
        elif mode == WRITE and not scope.strict and scope.lookup(name) is None:
            implicit.add(name)
    unresolved: list[Ref] = []
    warned: set[str] = set()
    reported: set[int] = set()  # declarations already reported (once each is enough)
    for ref in refs:
        name, scope, node, mode = ref
        decl = scope.lookup(name)
        if decl is not None:
            if mode in (WRITE, RW):
                decl.written = True
                if decl.kind in ("const", "import") and id(decl) not in reported:
                    reported.add(id(decl))
                    _const_assign(src, decl, node)
            if decl.kind in ("let", "const") and node.start_byte < decl.ready and \
                    _same_activation(scope, decl.scope) and id(decl) not in reported:
                reported.add(id(decl))
                _tdz(src, decl, node, scope)
            continue
        if name in N.GLOBALS or name in guarded or mode == TYPEOF:
            continue
        if name == "arguments" and _in_function(scope):
            continue
        if mode == WRITE and not scope.strict:
            if name not in warned and name not in N.EXCLUDED:
                warned.add(name)
                _implicit_global(src, name, scope, node)
            continue
        if name in implicit:
            continue
        unresolved.append(ref)
    return unresolved


def _same_activation(scope: Scope, target: Scope) -> bool:
    """Whether ``scope`` reaches ``target`` without crossing a function boundary."""
    current: Scope | None = scope
    while current is not None and current is not target:
        if current.kind in FUNCTIONS or current.kind == "class":  # runs later, when called
            return False
        current = current.parent
    return current is target


def _in_function(scope: Scope) -> bool:
    current: Scope | None = scope
    while current is not None:
        if current.kind in ("function", "method"):
            return True
        current = current.parent
    return False


def _const_assign(src: Source, decl: Decl, node: Node) -> None:
    what = "an import" if decl.kind == "import" else "a constant"
    fixes = []
    if decl.kind == "const" and decl.statement is not None:
        keyword = child(decl.statement, 0)
        if keyword is not None and keyword.type == "const":
            fixes.append(fix(f"declare `{decl.name}` with `let`", [src.edit(keyword, "let")]))
    src.add(codes.JS_CONST_ASSIGN, node, f"cannot assign to `{decl.name}`: it is {what}",
            label="assigned here", labels=[(decl.node, f"`{decl.name}` declared with "
                                            f"`{'import' if decl.kind == 'import' else 'const'}` here")],
            help=[f"declare `{decl.name}` with `let` if it must change"] if fixes else
            ["an imported binding cannot be assigned; copy it into a `let` first"], fixes=fixes)


def _tdz(src: Source, decl: Decl, node: Node, scope: Scope) -> None:
    line = src.position(src.char(decl.node.start_byte)).line
    if node.start_byte < decl.node.start_byte:
        src.add(codes.JS_TDZ, node, f"`{decl.name}` is used before its declaration on line {line}",
                label="used here", labels=[(decl.node, "declared here")],
                notes=[f"`{decl.kind}` names exist only from their declaration on: this always throws "
                       "a ReferenceError"],
                help=[f"move the declaration of `{decl.name}` above its first use"])
        return
    # Used in its own declaration (`const x = x + 1`, `for (const line of line.slice(1))`): most
    # often another name misspelt, the one the declaration was meant to read.
    near = nearest(decl.name, scope.visible() - {decl.name})
    fixes = [fix(f"use `{near[0]}`", [src.edit(node, near[0])],
                 applicable=len(decl.name) >= 3 and clear_best(decl.name, near))] if near else []
    help_ = ["did you mean " + " or ".join(f"`{n}`" for n in near) + "?"] if near else \
        [f"`{decl.name}` cannot read itself: use another name for the value it starts from"]
    src.add(codes.JS_TDZ, node, f"`{decl.name}` is used in its own declaration",
            label="not set yet: its declaration is still running",
            labels=[(decl.node, f"`{decl.name}` declared here")],
            notes=[f"a `{decl.kind}` name exists only once its declaration has run: this always throws "
                   "a ReferenceError"],
            help=help_, fixes=fixes)


def _implicit_global(src: Source, name: str, scope: Scope, node: Node) -> None:
    near = nearest(name, scope.visible())
    fixes = [fix(f"use `{near[0]}`", [src.edit(node, near[0])], applicable=False)] if near else []
    src.add(codes.JS_IMPLICIT_GLOBAL, node, f"`{name}` is assigned but never declared",
            severity="warning", label="creates a global variable",
            help=[f"did you mean `{near[0]}`?" if near else f"declare it: `let {name} = ...`"],
            fixes=fixes)


def nearest(name: str, candidates: Iterable[str], limit: int = 3) -> list[str]:
    """The candidates closest to ``name`` by edit distance, best first (close ones only)."""
    lower = name.lower()
    scored = []
    for cand in candidates:
        if cand == name or abs(len(cand) - len(name)) > 3:
            continue
        if cand.lower() == lower:
            scored.append((0, cand))
            continue
        dist = distance(name, cand)
        if dist <= max(1, min(3, len(name) // 3)):
            scored.append((dist, cand))
    scored.sort()
    if scored and scored[0][0] == 0:
        return [c for d, c in scored if d == 0][:limit]  # the same name but for case says it all
    return [c for _, c in scored[:limit]]


def clear_best(name: str, candidates: list[str]) -> bool:
    """Whether the first of ``candidates`` is clearly closer to ``name`` than the rest."""
    if not candidates:
        return False
    if len(candidates) == 1:
        return True
    first = 0 if candidates[0].lower() == name.lower() else distance(name, candidates[0])
    second = 0 if candidates[1].lower() == name.lower() else distance(name, candidates[1])
    return first < second


def undeclared(src: Source, refs: list[Ref], extra: Collection[str] = frozenset()) -> None:
    """One diagnostic per unresolved name use (the first few of each name); ``extra``: more
    global names to offer (the world's host function namespaces)."""
    seen: dict[str, int] = {}
    for name, scope, node, mode in refs:
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 3:
            continue
        candidates = scope.visible() | N.GLOBALS | set(extra)
        near = nearest(name, candidates)
        help_: list[str] = []
        notes: list[str] = []
        fixes = []
        if name in N.ABSENT:
            help_.append(N.ABSENT[name])
        if near:
            help_.append("did you mean " + " or ".join(f"`{n}`" for n in near) + "?")
            fixes.append(fix(f"use `{near[0]}`", [src.edit(node, near[0])],
                             applicable=clear_best(name, near) and name not in N.ABSENT))
        elif name not in N.ABSENT:
            help_.append(f"declare `{name}` first, e.g. `const {name} = ...`")
        what = "called" if mode in (CALL, NEW) else "used"
        src.add(codes.JS_UNDECLARED, node, f"`{name}` is not declared",
                label=f"{what} here, but declared nowhere", notes=notes, help=help_, fixes=fixes)


def slip_rename(src: Source, name: str, node: Node, replacement: str) -> None:
    """`True` -> `true`, `elif` -> `else if`: a name from another language with a safe rename."""
    src.add(codes.JS_FOREIGN_API, node, f"`{name}` is not JavaScript; write `{replacement}`",
            label="from another language",
            fixes=[fix(f"write `{replacement}`", [src.edit(node, replacement)])])
