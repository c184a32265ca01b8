"""One walk over a parsed program: scopes, declarations, references, and early errors.

The walk visits every node once with a tree cursor (creating no child lists),
keeps its own stack of parent types, and records what the later passes need:
references with their scope and mode, the property names that may be slips
or file operations, module names, and operands joined into text. Errors the
engine reports before running (a `let` declared twice, `return` outside a
function, `await` outside an async function...) are reported on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tree_sitter import Node, Tree, TreeCursor

from ...diagnostics import codes
from . import names as N
from .early import FUNCTION_NODES, SKIP, EarlyChecks, use_strict
from .scope import CALL, LEXICAL, NEW, READ, RW, TYPEOF, WRITE, Decl, Ref, Scope, value_kind_of
from .source import Source, child, fix, named
from .tree import LANGUAGE

_BLOCK_OWNERS = frozenset(FUNCTION_NODES) | {"catch_clause"}
_PATTERNS = frozenset({"array_pattern", "object_pattern", "rest_pattern", "pair_pattern"})
_TARGET_FIELDS = {"assignment_expression": ("left", WRITE), "augmented_assignment_expression": ("left", RW),
                  "for_in_statement": ("left", WRITE), "assignment_pattern": ("left", WRITE),
                  "object_assignment_pattern": ("left", WRITE)}
_SINGLE_STATEMENT = {"if_statement": "consequence", "while_statement": "body", "do_statement": "body",
                     "for_statement": "body", "for_in_statement": "body", "labeled_statement": "body",
                     "else_clause": None}
#: Property names the rules look at (slips, file operations, real time, module members).
PROPS = frozenset(N.METHOD_SLIPS) | N.FS_READS | frozenset(N.FS_WRITES) | {
    "now", "promises", "eval", "existsSync"}
_PROPS_BYTES = frozenset(p.encode() for p in PROPS)
_BINDING_CHECKED = frozenset({"var", "let", "const", "class", "function", "param", "catch", "fname"})
#: Parents under which an identifier is simply read (or, under a call, called).
_PLAIN_PARENTS = frozenset({"member_expression", "arguments", "call_expression", "return_statement",
                            "expression_statement", "subscript_expression", "pair", "array",
                            "ternary_expression", "parenthesized_expression", "spread_element",
                            "template_substitution_", "variable_declarator", "sequence_expression"})


#: The Walk method that handles each node kind (called on entering the node).
HANDLERS = {
    **{t: "_function" for t in FUNCTION_NODES},
    "class_declaration": "_class", "class": "_class", "statement_block": "_block", "switch_body": "_block",
    "for_statement": "_loop", "for_in_statement": "_loop", "while_statement": "_loop",
    "do_statement": "_loop",
    "switch_statement": "_switch", "catch_clause": "_catch", "labeled_statement": "_label",
    "variable_declarator": "_declarator", "lexical_declaration": "_lexical", "formal_parameters": "_params",
    "import_statement": "_import", "export_statement": "_export", "import": "_dynamic",
    "return_statement": "_return", "break_statement": "_jump", "continue_statement": "_jump",
    "await_expression": "_await", "yield_expression": "_yield", "with_statement": "_with",
    "regex": "_regex", "if_statement": "_condition", "try_statement": "_try",
    "assignment_expression": "_assignment", "augmented_assignment_expression": "_assignment",
    "update_expression": "_update",
}


def _kinds() -> tuple[list[str], list[int]]:
    """Every node kind's name (empty for anonymous tokens) and what the walk does at it."""
    names, actions = [], []
    handled = set(HANDLERS)
    for kind in range(1 << 16):  # every id a node can have, ERROR's 65535 included
        if kind >= LANGUAGE.node_kind_count:
            names.append("ERROR" if kind == 0xFFFF else "")
            actions.append(_DESCEND)
            continue
        name = LANGUAGE.node_kind_for_id(kind) or ""
        named = LANGUAGE.node_kind_is_named(kind)
        names.append(name)
        if name in handled:
            actions.append(_HANDLED)
        elif name in ("identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"):
            actions.append(_IDENTIFIER)
        elif name == "property_identifier":
            actions.append(_PROPERTY)
        elif not named or name in ("comment", "string", "number", "string_fragment", "escape_sequence",
                                   "regex_pattern", "statement_identifier", "private_property_identifier",
                                   "true",
                                   "false", "null", "undefined", "this", "super"):
            actions.append(_LEAF)  # tokens have no children, and these hold no names
        else:
            actions.append(_DESCEND)
    return names, actions


_LEAF, _DESCEND, _IDENTIFIER, _PROPERTY, _HANDLED = range(5)
_KIND_NAMES, _ACTIONS = _kinds()


class Fn:
    """The innermost function: what `return`, `await`, `yield`, `break` may do in it."""

    __slots__ = ("kind", "is_async", "is_generator", "loops", "breakable", "labels")

    def __init__(self, kind: str, is_async: bool, is_generator: bool) -> None:
        self.kind = kind
        self.is_async = is_async
        self.is_generator = is_generator
        self.loops = 0
        self.breakable = 0
        self.labels: list[str] = []


class Walk(EarlyChecks):
    """The facts of one program, gathered in one pass."""

    def __init__(self, src: Source, *, module: bool) -> None:
        self.src = src
        self.module = module
        self.root = Scope("program", None, strict=module)
        self.scope = self.root
        self.fn = Fn("program", is_async=module, is_generator=False)
        self.refs: list[Ref] = []
        #: (property_identifier node, scope, parent type) for names in PROPS
        self.props: list[tuple[Node, Scope, str]] = []
        #: the same for every other property name (for misspelt built-in members)
        self.members: list[tuple[Node, Scope, str]] = []
        #: (string node of a module name, how: import/export/require/dynamic, scope)
        self.modules: list[tuple[Node, str, Scope]] = []
        #: identifiers used as an operand of a binary expression or in `${...}`
        self.operands: list[tuple[Node, Scope]] = []
        self.declared_at: set[int] = set()
        self.declared_names: set[str] = set()
        #: names bound to an fs function (`const { readFileSync: read } = require('fs')`)
        self.fs_names: set[str] = set()

    # -- the walk -------------------------------------------------------------------

    def run(self, tree: Tree) -> None:
        root = tree.root_node
        if not self.module and use_strict(root):
            self.root.strict = True
        self._walk(tree)
        self.literals(root)

    def _walk(self, tree: Tree) -> None:
        cur = tree.walk()
        # per open ancestor: (type, node, what to restore on leaving it)
        stack: list[tuple[str, Node | None, tuple[Scope, Fn, int, int, int] | None]] = [("", None, None)]
        actions = _ACTIONS
        handlers = _handlers()
        data = self.src.data
        props = _PROPS_BYTES
        declared = self.declared_at
        refs = self.refs
        plain_parents = _PLAIN_PARENTS
        while True:
            node: Node = cur.node  # type: ignore[assignment]  # a cursor always stands on a node
            kind = node.kind_id
            action = actions[kind]
            if not action:
                pass  # a token, or a leaf holding no name: the most common case
            elif action == _DESCEND:
                if cur.goto_first_child():
                    stack.append((_KIND_NAMES[kind], node, None))
                    continue
            elif action == _IDENTIFIER:
                ptype = stack[-1][0]
                start = node.start_byte
                if ptype in plain_parents and start not in declared:
                    # the common case, kept inline: a plain read or a call
                    refs.append((data[start:node.end_byte].decode(), self.scope, node,
                                 CALL if ptype == "call_expression" else READ))
                else:
                    self._identifier(node, _KIND_NAMES[kind], ptype, cur, stack[-1][1])
            elif action == _PROPERTY:
                if data[node.start_byte:node.end_byte] in props:
                    self.props.append((node, self.scope, stack[-1][0]))
                else:
                    self.members.append((node, self.scope, stack[-1][0]))
            elif action == _HANDLED:
                result = handlers[kind](self, node, stack[-1][0], cur)
                if result is not SKIP:
                    if cur.goto_first_child():
                        stack.append((_KIND_NAMES[kind], node, result))
                        continue
                    if result is not None:
                        self._leave(result)
            while not cur.goto_next_sibling():
                if not cur.goto_parent():
                    return
                done = stack.pop()[2]
                if done is not None:
                    self._leave(done)

    def _nothing(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        return None

    def _snapshot(self) -> tuple[Scope, Fn, int, int, int]:
        fn = self.fn
        return self.scope, fn, fn.loops, fn.breakable, len(fn.labels)

    def _leave(self, saved: tuple[Scope, Fn, int, int, int]) -> None:
        self.scope, self.fn, loops, breakable, labels = saved
        self.fn.loops, self.fn.breakable = loops, breakable
        del self.fn.labels[labels:]

    def _identifier(self, node: Node, typ: str, ptype: str, cur: TreeCursor, parent: Node | None) -> None:
        start = node.start_byte
        if start in self.declared_at:
            return
        mode = READ
        if ptype == "call_expression":
            mode = CALL
        elif ptype == "member_expression" or ptype == "arguments":
            pass
        elif ptype == "binary_expression" or ptype == "template_substitution":
            self.operands.append((node, self.scope))
        elif ptype == "new_expression":
            mode = NEW
        elif ptype == "update_expression":
            mode = RW
        elif ptype in _TARGET_FIELDS:
            field, target = _TARGET_FIELDS[ptype]
            if cur.field_name == field:
                mode = target
        elif ptype in _PATTERNS or typ == "shorthand_property_identifier_pattern":
            mode = WRITE
        elif ptype == "unary_expression" and parent is not None:
            op = child(parent, 0)
            if op is not None and op.type == "typeof":
                mode = TYPEOF
            elif op is not None and op.type == "delete" and self.scope.strict:
                self.src.add(codes.JS_MISPLACED, parent, "cannot `delete` a variable in strict code",
                             label="`delete` removes object properties",
                             help=["set the variable to `undefined` instead, or delete a property: "
                                   "`delete obj.key`"])
        elif ptype in ("import_specifier", "namespace_import", "import_clause") or \
                ptype == "export_specifier" and cur.field_name == "alias":
            return
        name = self.src.data[start:node.end_byte].decode("utf-8", "replace")
        self.refs.append((name, self.scope, node, mode))

    # -- declarations -----------------------------------------------------------------

    def declare(self, node: Node, kind: str, target: Scope, init: str | None = None, ready: int = -1,
                statement: Node | None = None) -> Decl | None:
        name = self.src.name(node)
        self.declared_at.add(node.start_byte)
        self.declared_names.add(name)
        if init is not None and init.startswith("fs:"):
            self.fs_names.add(name)
        other: Decl | None = None
        if kind in _BINDING_CHECKED and (name == "let" and kind in LEXICAL or self.scope.strict and (
                name in N.STRICT_RESERVED or name in ("eval", "arguments"))):
            self.src.add(codes.JS_MISPLACED, node, f"`{name}` cannot be declared here",
                         label="a reserved name" if name in N.STRICT_RESERVED or name == "let" else
                         "strict code cannot rebind it", help=["choose another name"])
        if kind == "var":
            scope: Scope | None = self.scope
            passed: list[Scope] = []
            while scope is not None:
                found = scope.names.get(name)
                if found is not None and found.kind in LEXICAL:
                    other = found
                    break
                if scope is target:
                    break
                passed.append(scope)
                scope = scope.parent
            if other is None:
                other = target.names.get(name)
                conflict = False
                decl = other or Decl(name, kind, node, target, init, ready, statement)
                for block in passed:  # a later `let` in a block this `var` crosses conflicts with it
                    block.names.setdefault(name, decl)
            else:
                conflict = True
        else:
            other = target.names.get(name)
            conflict = other is not None and (kind in LEXICAL or other.kind in LEXICAL) and \
                other.kind not in ("hoisted", "fname") and kind != "hoisted"
        if conflict and other is not None:
            self._redeclared(node, name, kind, other, statement)
        if other is None or other.kind in ("hoisted", "fname") and kind != "hoisted":
            decl = target.names[name] = Decl(name, kind, node, target, init, ready, statement)
            return decl
        return None

    def _redeclared(self, node: Node, name: str, kind: str, other: Decl, statement: Node | None) -> None:
        fixes = []
        if statement is not None and kind in ("let", "const") and other.kind in ("let", "var") and \
                statement.named_child_count == 1 and other.scope is self.scope:
            keyword = child(statement, 0)
            declarator = named(statement, 0)
            if keyword is not None and declarator is not None and \
                    declarator.child_by_field_name("value") is not None:
                fixes.append(fix(f"assign to the existing `{name}` instead",
                                 [self.src.edit(self.src.bytes_span(keyword.start_byte,
                                                                    declarator.start_byte), "")]))
        first = self.src.position(self.src.char(other.node.start_byte))
        self.src.add(codes.JS_REDECLARED, node,
                     f"`{name}` is already declared (line {first.line})", label="declared again here",
                     labels=[(other.node, f"`{name}` first declared here")],
                     help=[f"to change its value, assign without `{kind}`: `{name} = ...`; "
                           "to keep both, rename one"] if fixes else
                     [f"rename one of the two `{name}`s"], fixes=fixes)

    def _bind(self, node: Node, kind: str, target: Scope, member_of: str | None, ready: int,
              statement: Node | None) -> None:
        """Declare every name a binding pattern introduces (`{a, b: [c = 1]}`).

        ``member_of`` names the module a destructured object came from
        (`const {readFileSync} = require('fs')`), so the names remember it.
        """
        for ident, remote, module in _bindings(node, member_of, self.src):
            init = f"{module}:{remote or self.src.name(ident)}" if module is not None else None
            self.declare(ident, kind, target, init, ready, statement)

    def _declarator(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        name = node.child_by_field_name("name")
        if name is None:
            return
        parent = node.parent
        keyword = child(parent, 0) if parent is not None else None
        kind = "var" if ptype == "variable_declaration" else keyword.type if keyword is not None else "let"
        if kind not in ("var", "let", "const"):
            kind = "let"
        value = node.child_by_field_name("value")
        target = self.scope.func if kind == "var" else self.scope
        statement = parent if kind != "var" else None
        if value is None and (kind == "const" or name.type != "identifier"):
            what = "`const`" if kind == "const" else "a destructuring declaration"
            self.src.add(codes.JS_MISPLACED, name, f"{what} needs a value: `{self.src.name(node)} = ...`",
                         label="no value given", help=[
                             "give it a value here, or declare it with `let` to assign it later"
                             if kind == "const" else "destructure a value: `const {a} = obj`"])
        if name.type == "identifier":
            decl = self.declare(name, kind, target, None, node.end_byte, statement)
            if decl is not None:
                decl.value = value  # what it holds is worked out only if a rule asks
        else:
            init = value_kind_of(self.src, value) if value is not None and value.type in (
                "call_expression", "member_expression") else None
            member_of = init[len("module:"):] if init and init.startswith("module:") else None
            self._bind(name, kind, target, member_of, node.end_byte, statement)

    def _lexical(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        if ptype in _SINGLE_STATEMENT and cur.field_name == _SINGLE_STATEMENT[ptype]:
            keyword = self.src.name(child(node, 0)) if child(node, 0) is not None else "let"  # type: ignore[arg-type]
            self.src.add(codes.JS_MISPLACED, node, f"a `{keyword}` declaration cannot be the whole "
                         "body of a statement", label="needs a block around it",
                         help=["wrap it in braces: `if (x) { let y = ...; }`"])

    def _params(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        simple = True
        seen: dict[str, Node] = {}
        start = len(self.declared_at)
        for part in node.named_children:
            if part.type != "identifier":
                simple = False
            self._bind(part, "param", self.scope, None, -1, None)
        if len(self.declared_at) - start < 2:
            return
        for ident in (n for param in node.named_children for n in _binding_names(param)):
            name = self.src.name(ident)
            if name in seen and (self.scope.strict or not simple or ptype in ("arrow_function",
                                                                               "method_definition")):
                self.src.add(codes.JS_REDECLARED, ident, f"parameter `{name}` appears twice",
                             label="second parameter", labels=[(seen[name], "first parameter")],
                             help=["give each parameter its own name"])
            seen.setdefault(name, ident)

    def _import(self, node: Node, ptype: str, cur: TreeCursor) -> object:
        source = node.child_by_field_name("source")
        module = _string_value(self.src, source) if source is not None else ""
        if source is not None:
            self.modules.append((source, "import", self.scope))
        bare = module[5:] if module.startswith("node:") else module
        known = bare if bare in ("fs", "path") else None
        for clause in node.named_children:
            if clause.type != "import_clause":
                continue
            for part in clause.named_children:
                if part.type == "identifier":
                    self.declare(part, "import", self.root, f"module:{known}" if known else None)
                elif part.type == "namespace_import":
                    for ident in part.named_children:
                        if ident.type == "identifier":
                            self.declare(ident, "import", self.root, f"module:{known}" if known else None)
                elif part.type == "named_imports":
                    for spec in part.named_children:
                        if spec.type != "import_specifier":
                            continue
                        name, alias = spec.child_by_field_name("name"), spec.child_by_field_name("alias")
                        local = alias or name
                        if local is not None and local.type == "identifier":
                            remote = self.src.name(name).strip("'\"") if name is not None else ""
                            self.declare(local, "import", self.root, f"{known}:{remote}" if known else None)
        return SKIP

    def _export(self, node: Node, ptype: str, cur: TreeCursor) -> object:
        source = node.child_by_field_name("source")
        if source is not None:
            self.modules.append((source, "export", self.scope))
            return SKIP  # a re-export names no local binding
        return None

    def _dynamic(self, node: Node, ptype: str, cur: TreeCursor) -> None:
        if ptype == "call_expression" and node.parent is not None:
            args = node.parent.child_by_field_name("arguments")
            first = named(args, 0) if args is not None else None
            if first is not None and first.type == "string":
                self.modules.append((first, "dynamic", self.scope))

    # -- scopes -------------------------------------------------------------------------

    def _function(self, node: Node, ptype: str, cur: TreeCursor) -> tuple[Scope, Fn, int, int, int]:
        saved = self._snapshot()
        typ = node.type
        kind = FUNCTION_NODES[typ]
        first = child(node, 0)
        is_async = first is not None and first.type == "async"
        is_generator = typ in ("generator_function_declaration", "generator_function") or (
            typ == "method_definition" and any(c.type == "*" for c in node.children[:3]))
        name = node.child_by_field_name("name") if kind == "function" else None
        if name is not None and typ.endswith("declaration"):
            self.declare(name, "function", self.scope)
            if self.scope is not self.scope.func and not self.scope.strict:
                self.declare(name, "hoisted", self.scope.func)  # sloppy code hoists it out of the block
        strict = self.scope.strict or (kind != "arrow" and use_strict(node.child_by_field_name("body")))
        scope = Scope(kind, self.scope, strict)
        self.scope = scope
        self.fn = Fn(kind, is_async, is_generator)
        if name is not None and not typ.endswith("declaration"):
            self.declare(name, "fname", scope)
        if kind == "arrow":
            param = node.child_by_field_name("parameter")
            if param is not None:
                self.declare(param, "param", scope)
        return saved

    def _class(self, node: Node, ptype: str, cur: TreeCursor) -> tuple[Scope, Fn, int, int, int]:
        saved = self._snapshot()
        name = node.child_by_field_name("name")
        if node.type == "class_declaration":
            if ptype in _SINGLE_STATEMENT and cur.field_name == _SINGLE_STATEMENT[ptype]:
                self.src.add(codes.JS_MISPLACED, node, "a class declaration cannot be the whole body "
                             "of a statement", label="needs a block around it")
            if name is not None:
                self.declare(name, "class", self.scope, "class")
        body = node.child_by_field_name("body")
        constructors = [m for m in (body.named_children if body is not None else [])
                        if m.type == "method_definition" and getattr(child(m, 0), "type", "") != "static"
                        and self.src.name(m.child_by_field_name("name") or m).strip("'\"") == "constructor"]
        if len(constructors) > 1:
            self.src.add(codes.JS_REDECLARED, constructors[1].child_by_field_name("name") or constructors[1],
                         "a class can have only one `constructor`", label="second constructor",
                         labels=[(constructors[0].child_by_field_name("name") or constructors[0],
                                  "first one")],
                         help=["merge the two into one constructor"])
        self.scope = Scope("class", self.scope, True)
        if name is not None and node.type == "class":
            self.declare(name, "fname", self.scope, "class")
        return saved

    def _block(self, node: Node, ptype: str, cur: TreeCursor) -> tuple[Scope, Fn, int, int, int] | None:
        if ptype in _BLOCK_OWNERS:
            return None  # a function's or catch clause's body shares its scope
        saved = self._snapshot()
        self.scope = Scope("block", self.scope, self.scope.strict)
        return saved

    def _loop(self, node: Node, ptype: str, cur: TreeCursor) -> tuple[Scope, Fn, int, int, int]:
        saved = self._snapshot()
        self.fn.loops += 1
        if node.type in ("for_statement", "for_in_statement"):
            self.scope = Scope("block", self.scope, self.scope.strict)
        if node.type == "for_in_statement":
            kind_node = node.child_by_field_name("kind")
            left = node.child_by_field_name("left")
            if kind_node is not None and left is not None:
                kind = kind_node.type if kind_node.type in ("var", "let", "const") else "let"
                target = self.scope.func if kind == "var" else self.scope
                right = node.child_by_field_name("right")
                # `for (const x of xs)`: `xs` is evaluated while `x` exists but is not yet set.
                ready = right.end_byte if right is not None and kind != "var" else left.end_byte
                self._bind(left, kind, target, None, ready, None)
        elif node.type in ("while_statement", "do_statement"):
            self._condition(node, ptype, cur)
        return saved

    def _switch(self, node: Node, ptype: str, cur: TreeCursor) -> tuple[Scope, Fn, int, int, int]:
        saved = self._snapshot()
        self.fn.breakable += 1
        return saved

    def _catch(self, node: Node, ptype: str, cur: TreeCursor) -> tuple[Scope, Fn, int, int, int]:
        saved = self._snapshot()
        self.scope = Scope("catch", self.scope, self.scope.strict)
        param = node.child_by_field_name("parameter")
        if param is not None:
            self._bind(param, "catch", self.scope, None, -1, None)
        return saved

    def _label(self, node: Node, ptype: str, cur: TreeCursor) -> tuple[Scope, Fn, int, int, int]:
        saved = self._snapshot()
        label = node.child_by_field_name("label")
        if label is not None:
            name = self.src.name(label)
            if name in self.fn.labels:
                self.src.add(codes.JS_MISPLACED, label, f"label `{name}` is already in use here",
                             label="nested inside a statement with the same label",
                             help=["give the inner statement another label"])
            self.fn.labels.append(name)
            self.fn.breakable += 1  # `break label` leaves any labelled statement
        return saved


_HANDLER_TABLE: list[Callable[[Walk, Node, str, TreeCursor], Any]] = []


def _handlers() -> list[Callable[[Walk, Node, str, TreeCursor], Any]]:
    """The handler of each node kind by id, built once (unhandled kinds never reach it)."""
    if not _HANDLER_TABLE:
        _HANDLER_TABLE.extend(getattr(Walk, HANDLERS.get(name, "_nothing")) for name in _KIND_NAMES)
    return _HANDLER_TABLE


def _bindings(node: Node, member_of: str | None = None,
              src: Source | None = None) -> list[tuple[Node, str | None, str | None]]:
    """The names a binding pattern declares, in order, each with the property it takes from the
    destructured object (`b` in `{b: c}`) and ``member_of`` where it applies. Iterative: patterns
    can nest deeper than Python's recursion allows."""
    out: list[tuple[Node, str | None, str | None]] = []
    stack: list[tuple[Node, str | None, str | None]] = [(node, None, member_of)]
    while stack:
        current, remote, module = stack.pop()
        typ = current.type
        if typ == "identifier" or typ == "shorthand_property_identifier_pattern":
            out.append((current, remote, module))
        elif typ == "pair_pattern":
            key, value = current.child_by_field_name("key"), current.child_by_field_name("value")
            if value is not None:
                name = (src.name(key) if src is not None else (key.text or b"").decode()) if key else ""
                stack.append((value, name.strip("'\"") or None, module))
        elif typ in ("assignment_pattern", "object_assignment_pattern"):
            left = current.child_by_field_name("left")
            if left is not None:
                stack.append((left, remote, module))
        elif typ in ("object_pattern", "array_pattern", "rest_pattern"):
            inner = module if typ == "object_pattern" else None
            stack.extend((part, None, inner) for part in reversed(current.named_children))
    return out


def _binding_names(node: Node) -> list[Node]:
    """The identifiers a binding pattern declares, in order (not its default values)."""
    return [ident for ident, _remote, _module in _bindings(node)]


def _string_value(src: Source, node: Node) -> str:
    return src.name(node)[1:-1]
