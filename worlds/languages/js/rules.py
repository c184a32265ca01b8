"""The JS-light rules: excluded features, slips from other languages, files and modules.

Each rule reads the facts the walk gathered (references, property names,
module names) once the scopes are resolved, so a program's own `eval` or
`print` function shadows the global and is left alone.
"""

from __future__ import annotations

import difflib
import posixpath
from collections.abc import Collection

from tree_sitter import Node

from ...diagnostics import Fix, Span, codes
from . import names as N
from .members import member_typos
from .scope import (
    CALL,
    NEW,
    Decl,
    Ref,
    Scope,
    clear_best,
    nearest,
    slip_rename,
    undeclared,
    value_kind_of,
)
from .source import Source, fix, quote
from .walk import Walk

#: Undeclared names reported at most (the checker shows 30 diagnostics in all).
LIMIT = 30
_DEFINING = frozenset({"method_definition", "pair", "field_definition", "public_field_definition"})


class Rules:
    def __init__(self, src: Source, walk: Walk, files: Collection[str],
                 keys: Collection[str] = frozenset(), host_roots: Collection[str] = frozenset()) -> None:
        self.src = src
        self.host_roots = frozenset(host_roots)  # the world's host function namespaces: names to offer
        self.walk = walk
        self.files = sorted(files)
        self.keys = frozenset(keys)  # every key of the world's data records: never a slip
        self.file_set = set(files)
        self.base = posixpath.dirname(src.file) if not src.file.startswith("<") else ""
        #: (path argument, folder, how to reach fs) of each write into a folder given literally
        self.writes: list[tuple[Node, str, str | None]] = []
        self.mkdirs: set[str] = set()
        self.any_mkdir = False  # a folder made from a computed path: cannot tell which

    def run(self, unresolved: list[Ref]) -> None:
        self.names(unresolved)
        self.globals_used()
        self.properties()
        member_typos(self)
        self.folders()
        for node, how, _scope in self.walk.modules:
            self.module(node, how)
        self.operands()

    # -- names no scope declares ------------------------------------------------------------

    def names(self, unresolved: list[Ref]) -> None:
        plain: list[Ref] = []
        renames: dict[str, list[Node]] = {}
        for ref in unresolved:
            name, scope, node, mode = ref
            if name in N.EXCLUDED and (name not in N.CALLED_ONLY or mode in (CALL, NEW)):
                if name == "process":
                    self.process(node)
                else:
                    self.excluded(name, node, N.EXCLUDED[name])
            elif name in N.RENAMES:
                renames.setdefault(name, []).append(node)
            elif name in N.FUNCTION_SLIPS and mode == CALL:
                self.function_slip(name, node)
            else:
                plain.append(ref)
        for name, nodes in renames.items():
            self.rename_all(name, nodes, N.RENAMES[name])
        grouped: dict[str, list[Ref]] = {}
        for ref in plain:
            grouped.setdefault(ref[0], []).append(ref)
        for refs in list(grouped.values())[:LIMIT]:  # each name costs a nearest-name search
            undeclared(self.src, refs[:1], self.host_roots)
            if len(refs) > 1:
                self._extend_fix(refs)

    def _extend_fix(self, refs: list[Ref]) -> None:
        """Make the fix just reported for a name cover every use of it."""
        diag = self.src.diagnostics[-1]
        if not diag.fixes:
            lines = sorted({r[2].start_point.row + 1 for r in refs[1:]})
            self.src.diagnostics[-1] = diag.model_copy(update={"notes": diag.notes + [
                "also used on line" + ("s " if len(lines) > 1 else " ") + ", ".join(map(str, lines[:10]))]})
            return
        first = diag.fixes[0]
        replacement = first.edits[0].replacement
        edits = [self.src.edit(r[2], replacement) for r in refs]
        self.src.diagnostics[-1] = diag.model_copy(update={"fixes": [first.model_copy(update={
            "edits": edits, "description": first.description + f" (all {len(refs)} uses)"})]})

    def rename_all(self, name: str, nodes: list[Node], replacement: str) -> None:
        slip_rename(self.src, name, nodes[0], replacement)
        if len(nodes) > 1:
            diag = self.src.diagnostics[-1]
            edits = [self.src.edit(n, replacement) for n in nodes]
            self.src.diagnostics[-1] = diag.model_copy(update={"fixes": [Fix(
                description=f"write `{replacement}` (all {len(nodes)} uses)", edits=edits, applicable=True)]})

    def excluded(self, name: str, node: Node, what: N.Excluded, shown: str | None = None) -> None:
        self.src.add(what.code, node, f"{quote(shown or name)} is not available in JS-light",
                     label="excluded here", notes=[what.why], help=[what.instead])

    def process(self, node: Node) -> None:
        member = node.parent
        prop = member.child_by_field_name("property") if member is not None and \
            member.type == "member_expression" else None
        key = self.src.name(prop) if prop is not None else ""
        if prop is None or key in N.PROCESS_OFFERED:
            return
        code, help_ = N.PROCESS_MEMBERS.get(key, (codes.JS_PROCESS, N.EXCLUDED["process"].instead))
        where = member if prop is not None and member is not None else node
        notes = ["a world's clock is virtual: time does not pass while a program works"] \
            if code == codes.JS_REAL_TIME else [N.EXCLUDED["process"].why]
        self.src.add(code, where, f"{quote(self.src.name(where))} is not available in JS-light",
                     label="JS-light has no `process`", notes=notes, help=[help_])

    def function_slip(self, name: str, node: Node) -> None:
        spelling, help_ = N.FUNCTION_SLIPS[name]
        call = node.parent
        args_node = call.child_by_field_name("arguments") if call is not None else None
        args = [a for a in args_node.named_children if a.type != "comment"] if args_node is not None else []
        fixes = []
        if spelling and call is not None and args_node is not None and \
                (name not in N.FIX_ARITY or len(args) == N.FIX_ARITY[name]):
            inner = self.src.name(args_node)[1:-1]
            first = self.src.name(args[0]) if args else ""
            if args and args[0].type not in ("identifier", "member_expression", "call_expression",
                                             "subscript_expression", "string", "array"):
                first = f"({first})"
            spread = f"...{self.src.name(args[0])}" if len(args) == 1 and args[0].type != "spread_element" \
                else inner
            text = spelling.format(first, args=inner, spread=spread)
            fixes.append(fix(f"write `{text}`" if len(text) <= 50 else "rewrite the call",
                             [self.src.edit(call, text)]))
        self.src.add(codes.JS_FOREIGN_API, node, f"`{name}` is not a JavaScript function", help=[help_],
                     label="from another language", fixes=fixes)

    def globals_used(self) -> None:
        """Calls that name a global or an fs function: `Function(...)`, `require(...)`, `readCSV(...)`,
        and `readFileSync(...)` imported or destructured from `fs`."""
        special = {"Function", "require"} | N.DATA_READS | N.DATA_WRITES | self.walk.fs_names
        for name, scope, node, mode in self.walk.refs:
            if mode != CALL and mode != NEW or name not in special:
                continue
            decl = scope.lookup(name)
            if decl is not None:
                if mode == CALL and decl.init and decl.init.startswith("fs:"):
                    self.fs_call(decl.init[3:], node.parent)
            elif name == "Function":
                self.excluded(name, node.parent or node, N.EXCLUDED[name],
                              shown="new Function" if mode == NEW else "Function(...)")
            elif name == "require":
                first = _argument(node.parent, 0)
                if first is not None and first.type == "string":
                    self.module(first, "require")
            elif name in N.DATA_READS:
                self.fs_call("readFileSync", node.parent)
            elif name in N.DATA_WRITES and node.parent is not None:
                fs_name = "fs" if self.walk.root.lookup("fs") is None else None
                self.fs_write("writeFileSync", node.parent, fs_name)

    # -- property names: slips, files, real time ---------------------------------------------

    def properties(self) -> None:
        defined: set[str] = set()
        used: list[tuple[Node, Scope, str]] = []
        for node, scope, ptype in self.walk.props:
            name = self.src.name(node)
            if ptype in _DEFINING:
                defined.add(name)
            elif ptype == "member_expression":
                member = node.parent
                parent = member.parent if member is not None else None
                if parent is not None and parent.type in ("assignment_expression",) and \
                        parent.child_by_field_name("left") == member:
                    defined.add(name)
                else:
                    used.append((node, scope, name))
        writes, reads = [], []
        for node, scope, name in used:
            member = node.parent
            assert member is not None
            call = member.parent if member.parent is not None and member.parent.type == "call_expression" \
                and member.parent.child_by_field_name("function") == member else None
            if call is None and name == "length":
                continue  # reading `.length`: the most common property there is, and right
            obj = member.child_by_field_name("object")
            if obj is None:
                continue
            if name in N.FS_WRITES or name in N.FS_READS or name == "existsSync":
                if call is not None and self.is_fs(obj, scope, name):
                    if name in N.FS_WRITES:
                        writes.append((name, call))
                    if name in N.FS_READS:
                        reads.append((name, call))
                continue
            if name == "now" and call is not None and self._global(obj, scope, "performance"):
                self.src.add(codes.JS_REAL_TIME, member,
                             "`performance.now()` does not measure real time here",
                             severity="warning", label="reads the world's virtual clock",
                             notes=["a world's clock is virtual: differences of `performance.now()` "
                                    "say nothing about how long the work took"],
                             help=["the run's fuel, in the result, measures the work done"])
                continue
            if name == "eval" and call is not None and obj.type == "identifier" and \
                    self.src.name(obj) in ("globalThis", "window", "global"):
                self.excluded("eval", member, N.EXCLUDED["eval"], shown=self.src.name(member))
                continue
            if name in N.METHOD_SLIPS and name not in defined:
                self.method_slip(name, node, member, call, obj, scope)
        for name, call in writes:
            receiver = call.child_by_field_name("function")
            obj = receiver.child_by_field_name("object") if receiver is not None else None
            plain = obj is not None and obj.type == "identifier"
            self.fs_write(name, call, self.src.name(obj) if plain and obj is not None else None)
        for name, call in reads:
            self.fs_call(name, call)

    def uses_own_modules(self) -> bool:
        """Whether the program imports or requires files of the world."""
        if not hasattr(self, "_own"):
            names = [self.src.name(n)[1:-1] for n, _how, _scope in self.walk.modules]
            for name, _scope, node, mode in self.walk.refs:
                first = _argument(node.parent, 0) if name == "require" and mode == CALL else None
                if first is not None and first.type == "string":
                    names.append(self.src.name(first)[1:-1])
            self._own = any(n.startswith((".", "/")) for n in names)
        return self._own

    def receiver_kind(self, obj: Node, scope: Scope) -> str | None:
        if obj.type == "identifier":
            decl = scope.lookup(self.src.name(obj))
            if decl is None:
                return None
            return decl.value_kind(self.src) or ("module" if decl.kind == "import" else None)
        if obj.type == "parenthesized_expression":
            return None
        return value_kind_of(self.src, obj)

    def method_slip(self, name: str, prop: Node, member: Node, call: Node | None, obj: Node,
                    scope: Scope) -> None:
        kind = self.receiver_kind(obj, scope)
        if kind is not None and (kind.startswith("module") or kind in ("instance", "function", "class")):
            return
        if kind is None and obj.type == "identifier" and scope.lookup(self.src.name(obj)) is None and \
                self.src.name(obj) in N.GLOBALS:
            return  # `Buffer.size` and friends: not a value of the program's
        if kind is None and self.uses_own_modules():
            return  # the value may come from another file, whose methods this check cannot see
        src = self.src
        args = call.child_by_field_name("arguments") if call is not None else None
        no_args = args is not None and not [a for a in args.named_children if a.type != "comment"]
        known = kind in ("array", "string", "map", "set")
        collection = kind in ("map", "set")
        shown = f"`{src.name(obj)}`" if len(src.name(obj)) <= 30 else "the value"
        what = {"array": "an array", "string": "a string", "map": "a Map", "set": "a Set"}.get(kind or "", "")
        fixes: list[Fix] = []
        help_ = [N.METHOD_SLIPS[name][1]]
        if name in ("length", "size"):
            prop_name = "size" if collection else "length" if known else name
            if call is not None and no_args and args is not None:
                edits = [src.edit(args, "")]
                if prop_name != name:
                    edits.append(src.edit(prop, prop_name))
                fixes.append(fix(f"read the `{prop_name}` property", edits,
                                 applicable=known or name == "length"))
                message = f"`{name}` is a property, not a method" + (f": {shown} is {what}" if what else "")
                help_ = [f"write `{src.name(obj)}.{prop_name}`, without parentheses"
                         if len(src.name(obj)) <= 30 else f"write `.{prop_name}`, without parentheses"]
                if not known and name == "size":
                    help_.append("a Map or Set has `.size`; an array or string has `.length`")
                where: Node | Span = src.node_span(prop, call)
            elif call is None and known and prop_name != name:
                fixes.append(fix(f"use `.{prop_name}`", [src.edit(prop, prop_name)]))
                message = f"{shown} is {what}: it has no `{name}`, it has `{prop_name}`"
                where = prop
            else:
                return
        else:
            if call is None:
                return
            js = N.METHOD_SLIPS[name][0]
            if name == "contains" and collection:
                js = "has"
            elif name == "append" and kind == "set":
                js = "add"
            elif name == "append" and kind == "string":
                js, help_ = "", ["strings cannot change: build a new one with `+` or a template literal"]
            if js:
                applicable = known or name not in ("contains",)
                fixes.append(fix(f"call `{js}`", [src.edit(prop, js)], applicable=applicable))
            elif name == "extend" and args is not None and len(args.named_children) == 1 and \
                    kind in ("array", None):
                arg = args.named_children[0]
                fixes.append(fix("call `push(...items)`",
                                 [src.edit(prop, "push"), src.edit(arg, "..." + src.name(arg))]))
            message = f"`{name}` is not a JavaScript method" + (f" of {what}" if what else "")
            where = prop
        src.add(codes.JS_FOREIGN_API, where, message, label="from another language" if name not in
                ("length", "size") else "not a method" if call is not None else "no such property",
                help=help_, fixes=fixes)

    # -- files -------------------------------------------------------------------------------

    def is_fs(self, obj: Node, scope: Scope, method: str) -> bool:
        promises = method in ("readFile", "readdir", "stat", "lstat", "copyFile", "writeFile",
                              "appendFile", "mkdir", "rename")
        if obj.type == "member_expression" and promises:
            prop = obj.child_by_field_name("property")
            inner = obj.child_by_field_name("object")
            return prop is not None and inner is not None and self.src.name(prop) == "promises" and \
                self.is_fs(inner, scope, "readFileSync")
        if obj.type == "identifier":
            name = self.src.name(obj)
            decl = scope.lookup(name)
            if decl is None:
                return name == "fs" and not promises
            want = "fs:promises" if promises else "module:fs"
            return decl.value_kind(self.src) == want
        return not promises and value_kind_of(self.src, obj) == "module:fs"

    def _global(self, obj: Node, scope: Scope, name: str) -> bool:
        return obj.type == "identifier" and self.src.name(obj) == name and scope.lookup(name) is None

    def literal_path(self, node: Node | None) -> str | None:
        if node is None:
            return None
        if node.type == "string" or node.type == "template_string" and node.named_child_count == 0:
            text = self.src.name(node)[1:-1]
            return None if "\\" in text or "\n" in text else text
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            if callee is not None and self.src.name(callee) in ("path.join", "path.resolve"):
                args = node.child_by_field_name("arguments")
                parts = [self.literal_path(a) for a in (args.named_children if args is not None else [])]
                if parts and all(p is not None for p in parts):
                    return posixpath.join(*[p for p in parts if p is not None])
        return None

    def _created(self) -> set[str]:
        if not hasattr(self, "_made"):
            self._made: set[str] = set()
        return self._made

    def fs_write(self, name: str, call: Node, fs_name: str | None = None) -> None:
        target = self.literal_path(_argument(call, N.FS_WRITES.get(name, 0)))
        path = _normal(target) if target is not None else None
        if name in ("mkdirSync", "mkdir"):
            self.any_mkdir |= path is None
            folder = path or ""
            while folder:
                self.mkdirs.add(folder)
                folder = posixpath.dirname(folder)
        elif path and "/" in path and name not in ("renameSync", "rename"):
            arg = _argument(call, N.FS_WRITES.get(name, 0))
            self.writes.append((arg or call, posixpath.dirname(path), fs_name))
        if path:
            self._created().add(path)
            while "/" in path:  # its folders exist too
                path = path.rsplit("/", 1)[0]
                self._created().add(path)

    def folders(self) -> None:
        """Writes into a folder that neither the world has nor the program makes (ENOENT)."""
        if self.any_mkdir:
            return
        present = {posixpath.dirname(f) for f in self.file_set}
        for folder in list(present):
            while folder:
                present.add(folder)
                folder = posixpath.dirname(folder)
        done: set[str] = set()
        for call, folder, fs_name in self.writes:  # `call`: the path argument of the call
            if folder in present or folder in self.mkdirs or folder in self._guarded() or folder in done \
                    or _handled(call):
                continue
            done.add(folder)
            fixes = []
            statement = _statement(call)
            if fs_name is not None and statement is not None:
                at = self.src.char(statement.start_byte)
                line_start = self.src.text.rfind("\n", 0, at) + 1
                indent = self.src.text[line_start:at] if not self.src.text[line_start:at].strip() else ""
                fixes.append(fix(f"create `{folder}` first", [self.src.edit(self.src.span(at, at),
                    f"{fs_name}.mkdirSync('{folder}', {{ recursive: true }});\n{indent}")]))
            self.src.add(codes.JS_NO_FILE, call, f"no folder `{folder}` to write into",
                         label="this folder does not exist",
                         notes=["writing a file does not create its folder"],
                         help=[f"create it first: `fs.mkdirSync('{folder}', {{ recursive: true }})`"],
                         fixes=fixes)

    def fs_call(self, name: str, call: Node | None) -> None:
        if call is None or name not in N.FS_READS:
            if name in N.FS_WRITES and call is not None:
                self.fs_write(name, call)
            return
        arg = _argument(call, 0)
        raw = self.literal_path(arg)
        if raw is None or arg is None:
            return
        path = _normal(raw)
        if path is None or path in self.file_set or path in self._guarded() or path in self._created():
            return
        if path == "" or any(f.startswith(path + "/") for f in self.file_set):
            return  # a folder: reading it as a file fails at run time with a message that says so
        if name.startswith(("stat", "lstat")) and _argument(call, 1) is not None:
            return  # `{ throwIfNoEntry: false }`: a missing file is an answer, not a failure
        if _handled(call):
            return
        self.no_file(arg, raw, path, "read")

    def _guarded(self) -> set[str]:
        """Paths the program tests with `existsSync` (or writes before reading): not reported."""
        if not hasattr(self, "_exists"):
            self._exists: set[str] = set()
            for node, _scope, _ptype in self.walk.props:
                if self.src.name(node) == "existsSync" and node.parent is not None:
                    call = node.parent.parent
                    if call is not None and call.type == "call_expression":
                        raw = self.literal_path(_argument(call, 0))
                        if raw is not None:
                            self._exists.add(_normal(raw) or "")
            for name, _scope, node, mode in self.walk.refs:
                if mode == CALL and (name in N.DATA_WRITES or name == "existsSync"):
                    raw = self.literal_path(_argument(node.parent, 0))
                    if raw is not None:
                        self._exists.add(_normal(raw) or "")
        return self._exists

    def no_file(self, arg: Node, raw: str, path: str, how: str, candidates: list[str] | None = None) -> None:
        files = candidates if candidates is not None else self.files
        lower = {f.lower(): f for f in files}
        near = [lower[path.lower()]] if path.lower() in lower else []
        if not near:
            near = difflib.get_close_matches(path, files, n=3, cutoff=0.6)
            base = posixpath.basename(path)
            near += [f for f in files if posixpath.basename(f) == base and f not in near]
        fixes = []
        if near and arg.type in ("string", "template_string"):
            q = self.src.name(arg)[0]
            prefix = "./" if raw.startswith("./") else "/" if raw.startswith("/") else ""
            best = near[0] if how == "read" else "./" + posixpath.relpath(near[0], self.base or ".")
            if how == "read":
                best = prefix + best
            applicable = len(near) == 1 or clear_best(path, near)
            fixes.append(fix(f"use {quote(best)}", [self.src.edit(arg, q + best + q)], applicable=applicable))
        shown = ", ".join(files[:12]) + (f", ... ({len(files)} in all)" if len(files) > 12 else "")
        self.src.add(codes.JS_NO_FILE, arg, f"no file {quote(path)} in this world",
                     label="not found" if how == "read" else "no such file to import",
                     notes=[f"files in this world: {shown or '(none)'}"],
                     help=["did you mean " + " or ".join(f"`{n}`" for n in near) + "?"] if near else
                     ["paths are relative to the world's root; `worlds describe` lists the files"],
                     fixes=fixes)

    # -- modules ------------------------------------------------------------------------------

    def module(self, node: Node, how: str) -> None:
        name = self.src.name(node)[1:-1]
        if name in N.BUILTIN_MODULES:
            return
        if name.startswith((".", "/")):
            self.relative(node, name, how)
            return
        if name in N.NETWORK_MODULES:
            self.excluded(f"'{name}'", node, N.EXCLUDED["fetch"])
        elif name in N.PROCESS_MODULES:
            self.excluded(f"'{name}'", node, N.EXCLUDED["process"])
        elif name in N.INTERNAL_MODULES:
            self.excluded(f"'{name}'", node, N.EXCLUDED["std"])
        else:
            help_ = [N.MODULE_HELP[name]] if name in N.MODULE_HELP else []
            near = nearest(name, ["fs", "path", "util", "node:fs", "node:path", "node:util"], limit=1)
            q = self.src.name(node)[:1]
            fixes = [fix(f"use '{near[0]}'", [self.src.edit(node, q + near[0] + q)])] if near else []
            own = [f for f in self.files if f.endswith((".js", ".mjs", ".cjs"))][:3]
            example = ", ".join(f"`./{f}`" for f in own) if own else "`./helpers.js`"
            self.src.add(codes.JS_UNKNOWN_MODULE, node, f"no module {quote(name)} in JS-light",
                         label="unknown module", fixes=fixes,
                         notes=["available: `fs`, `path`, `util`, `assert`, `events`, `readline` and "
                                f"`string_decoder` (also as `node:fs`, ...) and the world's own files "
                                f"({example}); there are no npm packages"], help=help_)

    def relative(self, node: Node, name: str, how: str) -> None:
        target = _normal(posixpath.join(self.base, name) if not name.startswith("/") else name)
        if target is None:
            return
        tries = [target] if how != "require" else [target, target + ".js", target + ".cjs",
                                                   target + ".json", target + "/index.js"]
        if any(t in self.file_set for t in tries) or how == "require" and _handled(node):
            return
        code_files = [f for f in self.files if f.endswith((".js", ".mjs", ".cjs", ".json"))]
        extension = next((e for e in (".js", ".mjs", ".cjs", ".json") if target + e in self.file_set), None)
        if how != "require" and extension is not None:
            q = self.src.name(node)[0]
            self.src.add(codes.JS_NO_FILE, node, f"no file {quote(target)} in this world",
                         label="imports need the full file name",
                         help=[f"did you mean `{name}{extension}`? `import` does not add the extension"],
                         fixes=[fix(f"import '{name}{extension}'",
                                    [self.src.edit(node, f"{q}{name}{extension}{q}")])])
            return
        self.no_file(node, name, target, "import", code_files or self.files)

    # -- objects joined into text ---------------------------------------------------------------

    def operands(self) -> None:
        for node, scope in self.walk.operands:
            parent = node.parent
            if parent is None:
                continue
            decl: Decl | None = scope.lookup(self.src.name(node))
            kind = decl.value_kind(self.src) if decl is not None else None
            if kind not in ("object", "map", "set"):
                continue
            if parent.type == "binary_expression":
                op = parent.child_by_field_name("operator")
                left, right = parent.child_by_field_name("left"), parent.child_by_field_name("right")
                other = right if left == node else left
                if op is None or self.src.name(op) != "+" or other is None or \
                        other.type not in ("string", "template_string"):
                    continue
            name = self.src.name(node)
            shown = "[object Object]" if kind == "object" else f"[object {kind.title()}]"
            fixes = [fix(f"show it with `JSON.stringify({name})`",
                         [self.src.edit(node, f"JSON.stringify({name})")], applicable=False)] \
                if kind == "object" else []
            self.src.add(codes.JS_OBJECT_TEXT, node, f"`{name}` is an object: in text it reads `{shown}`",
                         severity="warning", label="joined into text here",
                         help=["show its contents with `JSON.stringify(...)`, or pick the fields to print"],
                         fixes=fixes)


def _handled(node: Node) -> bool:
    """Whether a failure of ``node`` is caught: it is inside a `try` block, or a promise's `.catch`."""
    current = node
    parent = node.parent
    while parent is not None:
        if parent.type == "try_statement" and parent.child_by_field_name("body") == current:
            return True
        if parent.type == "member_expression" and parent.child_by_field_name("object") == current:
            prop = parent.child_by_field_name("property")
            if prop is not None and prop.text in (b"catch", b"then", b"finally"):
                return True
        if parent.type in ("function_declaration", "method_definition", "class_declaration"):
            return False  # the caller may catch, but its call is not here to see
        current, parent = parent, parent.parent
    return False


def _statement(node: Node) -> Node | None:
    """The statement holding ``node`` (a child of the program or of a block)."""
    current: Node | None = node
    while current is not None and current.parent is not None:
        if current.parent.type in ("program", "statement_block", "switch_case"):
            return current if current.parent.type != "switch_case" or current.type.endswith(
                ("statement", "declaration")) else None
        current = current.parent
    return None


def _argument(call: Node | None, index: int) -> Node | None:
    if call is None or call.type not in ("call_expression", "new_expression"):
        return None
    args = call.child_by_field_name("arguments")
    if args is None:
        return None
    named = [a for a in args.named_children if a.type != "comment"]
    return named[index] if index < len(named) else None


def _normal(path: str) -> str | None:
    """A world path: relative to the root, `./` and `x/..` resolved; None if it leaves the world."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)

