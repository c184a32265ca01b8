"""Syntax errors: where a program stops parsing, and what was expected there.

Three sources, most exact first: the bracket and literal scanner
(:mod:`.brackets`) for unterminated strings and unclosed brackets; syntax of
other languages (TypeScript annotations, Python's `and`/`elif`/`def`),
recognised in the shapes tree-sitter's recovery gives them; and the
remaining ERROR and MISSING nodes, described by the tokens around them.
A program tree-sitter parses cleanly gets no syntax error from here.
"""

from __future__ import annotations

import re

from tree_sitter import Node, Tree

from ...diagnostics import Span, codes
from . import brackets
from . import names as N
from .source import Source, child, fix, quote
from .tree import parser

MAX_ERRORS = 5
_CLOSER_OF = {"(": ")", "[": "]", "{": "}", "${": "}"}
_NAMES = {"(": "parenthesis", "[": "bracket", "{": "brace"}
_LISTS = frozenset({"array", "object", "arguments", "formal_parameters", "named_imports", "object_pattern",
                    "array_pattern", "export_clause"})
_VALUE_TOKENS = frozenset({"identifier", "number", "string", "template_string", "true", "false", "null",
                           "undefined", "this", ")", "]", "}", "property_identifier", "regex", "'", '"', "`"})
_OPERATORS = frozenset([
    "+", "-", "*", "/", "%", "**", "==", "===", "!=", "!==", "<", ">", "<=", ">=", "&&", "||", "??",
    "&", "|", "^", "<<", ">>", ">>>", "=", "+=", "-=", "*=", "/=", ".", "?.", "=>", "!", "~", "in",
    "instanceof"
])
_HEADERS = frozenset({"if", "for", "while", "switch", "catch", "with"})
_PY_OPERATORS = {"and": "&&", "or": "||", "not": "!"}
_TS_TYPE = re.compile(r"^:\s*[A-Za-z_$][\w$.]*(?:\[\])*$")
_WORD = re.compile(r"[A-Za-z_$][\w$]*")


def parse(data: bytes) -> Tree:
    return parser().parse(data)


def check(src: Source, tree: Tree) -> Tree | None:
    """Report the syntax errors of ``tree``; the tree to analyse further, or None if there were any."""
    if not tree.root_node.has_error:
        return tree
    gap = _grammar_gap(src)
    if gap is not None:
        return gap
    before = len(src.diagnostics)
    errors, missing = _error_nodes(tree.root_node)
    scan = brackets.scan(src.text)
    # Tree errors from `cutoff` up to `resume` echo the scanner's finding and are not shown.
    cutoff = resume = len(src.text) + 1
    unterminated = [p for p in scan.problems if p.kind == "unterminated"]
    for problem in unterminated[:MAX_ERRORS]:
        _unterminated(src, problem)
    if unterminated:
        cutoff = unterminated[0].start
    else:
        for problem in scan.problems[:1]:
            cutoff = _bracket(src, problem, scan, missing)
        if not scan.problems and scan.unclosed:
            cutoff, resume = _unclosed(src, scan, missing)
    lines: set[int] = {d.span.start.line for d in src.diagnostics[before:] if d.span}
    for node in sorted(errors + missing, key=lambda n: n.start_byte):
        if len(src.diagnostics) - before >= MAX_ERRORS:
            break
        if cutoff <= src.char(node.start_byte) < resume:
            continue
        line = node.start_point.row + 1
        if node.is_missing and node.type in (")", "]", "}") and scan.problems:
            continue
        count = len(src.diagnostics)
        # syntax of another language is reported wherever it is (one fix each makes the
        # program JavaScript); other errors once per line, since the rest of a line echoes
        if not _foreign(src, node) and line not in lines:
            _generic(src, node)
        lines.update(d.span.start.line for d in src.diagnostics[count:] if d.span)
    if len(src.diagnostics) == before:  # the tree is broken somewhere the heuristics did not name
        node = (errors + missing)[0] if errors or missing else tree.root_node
        _generic(src, node)
    return None


def _grammar_gap(src: Source) -> Tree | None:
    """Whether the program is valid JavaScript that tree-sitter's grammar does not parse.

    tree-sitter treats `yield` as a keyword everywhere and a lone CR, U+2028
    and U+2029 as spaces; QuickJS follows the standard (sloppy scripts may
    name a variable `yield`; the three end lines). A program that
    parses once those are neutralised is not reported; the neutralised text
    keeps every byte offset, so its tree serves the rest of the checker.
    """
    data = src.data
    changed = data
    if b"yield" in data:
        changed = re.sub(rb"\byield\b", b"yielD", changed)
    if b"\r" in data:  # a lone CR ends a line too
        changed = re.sub(rb"\r(?!\n)", b"\n", changed)
    if b"\xe2\x80\xa8" in data or b"\xe2\x80\xa9" in data:
        changed = changed.replace(b"\xe2\x80\xa8", b"\n  ").replace(b"\xe2\x80\xa9", b"\n  ")
    if changed is data:
        return None
    tree = parse(changed)
    return None if tree.root_node.has_error else tree


def _error_nodes(root: Node) -> tuple[list[Node], list[Node]]:
    """The outermost ERROR nodes and every MISSING node, visiting only broken subtrees."""
    errors: list[Node] = []
    missing: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            missing.append(node)
        elif node.type == "ERROR":
            errors.append(node)
            missing.extend(n for n in node.children if n.is_missing)
        elif node.has_error:
            stack.extend(reversed(node.children))
    return errors, missing


# -- the scanner's findings ---------------------------------------------------------------


def _unterminated(src: Source, problem: brackets.Problem) -> None:
    text = src.text
    start, end = problem.start, problem.end
    if problem.what == "comment":
        src.add(codes.JS_UNTERMINATED, src.span(start, start + 2), "unterminated comment",
                label="this comment is never closed", help=["close it with `*/`"])
        return
    if problem.what == "template":
        src.add(codes.JS_UNTERMINATED, src.span(start, start + 1), "unterminated template literal",
                label="this backtick is never closed", help=["close the template literal with `` ` ``"])
        return
    if problem.what == "regex":
        src.add(codes.JS_UNTERMINATED, src.span(start, end), "unterminated regular expression",
                label="no closing `/` on this line",
                help=["close it with `/`; a `/` inside it is written `\\/`"])
        return
    quote_char = text[start]
    fixes = []
    help_ = [f"close it with {quote_char} on the same line; for text over several lines use a "
             "template literal (backticks)"]
    apostrophe = _apostrophe(text, start) if quote_char == "'" else None
    if apostrophe is not None:
        first, inner = apostrophe
        help_ = ["a `'` inside '...' ends the string: write the string in double quotes, or escape "
                 "it as `\\'`"]
        fixes.append(fix("write the string in double quotes", [src.edit(
            src.span(first, start + 1), '"' + inner + '"')], applicable='"' not in inner))
        src.add(codes.JS_UNTERMINATED, src.span(first, start + 1), "a quote ends this string too early",
                label="the `'` in the middle closes the string", help=help_, fixes=fixes)
        return
    at = _closing_point(text, start, end)
    if at is not None:
        fixes.append(fix(f"close the string with {quote_char}", [src.edit(src.span(at, at), quote_char)]))
    src.add(codes.JS_UNTERMINATED, src.span(start, end), "unterminated string",
            label=f"this string has no closing {quote_char}", help=help_, fixes=fixes)


def _apostrophe(text: str, start: int) -> tuple[int, str] | None:
    """For `'it's done'`: the start of the string the apostrophe broke, and its intended text."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    first = before.rfind("'")
    if first < 0:
        return None
    first = before.rfind("'", 0, first)
    if first < 0:
        return None
    inner = before[first + 1:]
    middle = inner.find("'")
    if middle <= 0 or not (inner[middle - 1].isalpha() and inner[middle + 1:middle + 2].isalpha()):
        return None
    return line_start + first, inner


def _closing_point(text: str, start: int, end: int) -> int | None:
    """Where the closing quote most likely belongs: before the line's trailing `);` run."""
    body = text[start:end].rstrip()
    stripped = len(body)
    while stripped > 1 and body[stripped - 1] in ");,]}":
        stripped -= 1
    tail = body[stripped:]
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    for closer, opener in ((")", "("), ("]", "["), ("}", "{")):
        if tail.count(closer) > before.count(opener) - before.count(closer):
            return None
    if stripped <= 1:
        return None
    return start + stripped


def _bracket(src: Source, problem: brackets.Problem, scan: brackets.Scan, missing: list[Node]) -> int:
    """Report a stray or mismatched closer; return the offset from which tree errors are echoes."""
    text = src.text
    if problem.kind == "stray":
        opener = brackets.CLOSE[problem.what]
        fixes = []
        if problem.what != "}":
            fixes.append(fix(f"remove the extra `{problem.what}`",
                             [src.edit(src.span(problem.start, problem.end), "")]))
        src.add(codes.JS_BRACKET, src.span(problem.start, problem.end),
                f"unexpected `{problem.what}`: there is no `{opener}` for it to close",
                label=f"this `{problem.what}` closes nothing",
                help=[f"remove it, or add the missing `{opener}` before it"], fixes=fixes)
        return problem.start
    # mismatch: the opener at `start` met the wrong closer at `end`
    closer = _CLOSER_OF[problem.what]
    where = src.position(problem.start)
    same_line = "\n" not in text[problem.start:problem.end]
    if problem.kind == "mismatch" and not problem.deeper and same_line:
        # `[1, 2)`: the `)` closes nothing else open, so it is the `]` mistyped
        fixes = [fix(f"write `{closer}`", [src.edit(src.span(problem.end, problem.end + 1), closer)])]
    else:
        at = problem.end if same_line else _insertion(text, problem.start, problem.end)
        fixes = [fix(f"insert `{closer}`", [src.edit(src.span(at, at), closer)])] if at is not None else []
    src.add(codes.JS_BRACKET, src.span(problem.end, problem.end + 1),
            f"expected `{closer}` to close `{problem.what}` opened at {where.line}:{where.column}, "
            f"found `{problem.other}`", label=f"expected `{closer}` before this",
            labels=[(src.span(problem.start, problem.start + len(problem.what)), "opened here")],
            fixes=fixes)
    return problem.start


def _unclosed(src: Source, scan: brackets.Scan, missing: list[Node]) -> tuple[int, int]:
    """Report the bracket left open at the end of the program; the region its echoes cover."""
    text = src.text
    lost = brackets.lost_brace(text, scan)
    if lost is not None:
        where = src.position(lost.open)
        pad = brackets.leading(text, lost.open)
        close_line = src.position(lost.close).line
        insert_at = text.rfind("\n", 0, lost.close) + 1
        src.add(codes.JS_BRACKET, src.span(lost.open, lost.open + 1),
                f"missing `}}` to close `{{` opened at {where.line}:{where.column}",
                label="this `{` is never closed",
                labels=[(src.span(lost.close, lost.close + 1),
                         "this `}` is indented like an outer block, so it closes that one")],
                help=[f"add `}}` before line {close_line}, indented like line {where.line}"],
                fixes=[fix(f"insert `}}` before line {close_line}",
                           [src.edit(src.span(insert_at, insert_at), pad + "}\n")],
                           applicable=False)])
        return lost.open, len(text) + 1
    opener, start = scan.unclosed[-1]
    closer = _CLOSER_OF[opener]
    where = src.position(start)
    end = len(text.rstrip())
    opened = [(src.span(start, start + len(opener)), f"unclosed {_NAMES.get(opener, 'bracket')}")]
    message = f"expected `{closer}` to close `{opener}` opened at {where.line}:{where.column}"
    if opener == "{":
        # a block's `}` goes on a line of its own, indented like the line that opened it
        pad = brackets.leading(text, start)
        closing = fix("add `}` at the end", [src.edit(src.span(end, end), "\n" + pad + "}")],
                      applicable=len(scan.unclosed) == 1)
        src.add(codes.JS_BRACKET, src.span(end, end), message, label="expected `}` by the end",
                labels=opened, fixes=[closing])
        return start, len(text) + 1
    at = _missing_at(src, missing, closer, start)
    # where tree-sitter put the missing closer itself, it parsed on from the next line
    line_end = text.find("\n", at) if at is not None else -1
    resume = line_end + 1 if line_end >= 0 else len(text) + 1
    if at is None:
        at = _insertion(text, start, len(text))
    if at is not None:
        follow = _next_token(text, at)
        span = src.span(follow, follow + 1) if follow < len(text) else src.span(end, end)
        label = f"expected `{closer}` before this" if follow < len(text) else f"expected `{closer}` here"
        fixes = [fix(f"insert `{closer}`", [src.edit(src.span(at, at), closer)])]
    else:
        span, label, fixes = src.span(end, end), "expected it by the end of the program", []
    src.add(codes.JS_BRACKET, span, message, label=label, labels=opened, fixes=fixes)
    return start, resume


def _missing_at(src: Source, missing: list[Node], closer: str, opener: int) -> int | None:
    """Where tree-sitter inserted the missing closer (it knows the grammar's expectations)."""
    for node in missing:
        if node.type == closer and src.char(node.start_byte) > opener:
            parent = node.parent
            first = child(parent, 0) if parent is not None else None
            if first is not None and src.char(first.start_byte) == opener:
                return src.char(node.start_byte)
    return None


def _next_token(text: str, at: int) -> int:
    """The offset of the first non-space character at or after ``at``."""
    n = len(text)
    while at < n and text[at].isspace():
        at += 1
    return at


def _insertion(text: str, start: int, found: int) -> int | None:
    """Where a closer for the opener at ``start`` belongs, when the opener's line says so.

    After a statement header (`if (x {`) it goes before the `{`; otherwise at the
    end of the opener's line when nothing else is left open on it (`f(g(x);`).
    """
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[start + 1:line_end]
    before = text[text.rfind("\n", 0, start) + 1:start].rstrip()
    words = _WORD.findall(before)
    if words and words[-1] in _HEADERS and before.endswith(words[-1]) and rest.rstrip().endswith("{"):
        brace = start + 1 + len(rest.rstrip()) - 1
        at = brace
        while at > start + 1 and text[at - 1] in " \t":
            at -= 1
        return at if at <= found else None
    depth = 0
    for ch in rest:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
    if depth != 0 or "`" in rest or "//" in rest or "/*" in rest:
        return None
    body = rest.rstrip()
    cut = len(body)
    while cut > 0 and body[cut - 1] == ";":
        cut -= 1
    at = start + 1 + cut
    return at if at <= found else None


# -- other languages -----------------------------------------------------------------------


def _leaves(node: Node) -> list[Node]:
    out: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.child_count == 0:
            out.append(current)
        else:
            stack.extend(reversed(current.children))
    return out


def _leaf_before(node: Node) -> Node | None:
    current: Node | None = node
    while current is not None:
        prev = current.prev_sibling
        if prev is not None:
            while prev.child_count:
                last = child(prev, prev.child_count - 1)
                if last is None:
                    break
                prev = last
            return prev
        current = current.parent
    return None


def _leaf_after(node: Node) -> Node | None:
    current: Node | None = node
    while current is not None:
        nxt = current.next_sibling
        if nxt is not None:
            while nxt.child_count:
                first = child(nxt, 0)
                if first is None:
                    break
                nxt = first
            return nxt
        current = current.parent
    return None


def _foreign(src: Source, node: Node) -> bool:
    """Recognise syntax of TypeScript or Python at an error; report it and return True."""
    if node.is_missing:
        before = _leaf_before(node)
        call = before.parent if before is not None else None
        while call is not None and call.type not in ("call_expression", "program"):
            call = call.parent
        callee = call.child_by_field_name("function") if call is not None and \
            call.type == "call_expression" else None
        if callee is not None and src.name(callee) == "elif":
            _python(src, callee, "elif", "else if")
            return True
        return False
    leaves = _leaves(node)
    text = src.name(node)
    after_error = _leaf_after(node)
    python = [leaf for leaf in leaves + ([after_error] if after_error is not None else [])
              if leaf.type == "identifier" and src.name(leaf) in (*_PY_OPERATORS, "elif")]
    for leaf in python:
        word = src.name(leaf)
        _python(src, leaf, word, _PY_OPERATORS.get(word, "else if"))
    if python:
        return True
    for at, leaf in enumerate(leaves):
        following = leaves[at + 1] if at + 1 < len(leaves) else after_error
        before = leaves[at - 1] if at > 0 else _leaf_before(node)
        if src.name(leaf) == "as" and before is not None and following is not None and \
                following.type == "identifier":
            src.add(codes.JS_FOREIGN_SYNTAX, src.node_span(leaf, following),
                    f"`as {src.name(following)}` is a TypeScript cast", label="TypeScript syntax",
                    help=["remove it: JavaScript values have no static types"],
                    fixes=[fix("remove the cast", [src.edit(src.bytes_span(before.end_byte,
                                                                           following.end_byte), "")])])
            return True
    first = src.name(leaves[0]) if leaves else ""
    parent = node.parent
    words = [src.name(leaf) for leaf in leaves]
    if "if" in words and _python_conditional(src, node, leaves, words.index("if")):
        src.add(codes.JS_FOREIGN_SYNTAX, leaves[words.index("if")], "`a if cond else b` is Python",
                label="Python syntax", help=["JavaScript writes the condition first: `cond ? a : b`"])
        return True
    for keyword, leaf in zip(words, leaves[1:], strict=False):
        if keyword in ("const", "let", "var") and src.name(leaf) in N.RESERVED | N.STRICT_RESERVED:
            src.add(codes.JS_PARSE, leaf, f"`{src.name(leaf)}` is a reserved word: it cannot name a variable",
                    label="reserved word", help=["choose another name, e.g. `cls` or `kind`"])
            return True
    if first == "def":
        src.add(codes.JS_FOREIGN_SYNTAX, leaves[0], "`def` is Python: JavaScript declares functions "
                "with `function`", label="Python syntax",
                help=["write `function name(params) { ... }`, with braces around the body"])
        return True
    if first in ("interface", "type", "enum") and len(leaves) > 1 and leaves[1].type == "identifier":
        src.add(codes.JS_FOREIGN_SYNTAX, node, f"`{first}` declarations are TypeScript, not JavaScript",
                label="TypeScript syntax", help=["remove it: JS-light runs JavaScript without types"])
        return True
    if _TS_TYPE.match(text.strip()):
        src.add(codes.JS_FOREIGN_SYNTAX, node, f"type annotation {quote(text.strip())} is TypeScript",
                label="TypeScript syntax", help=["remove the type: JS-light runs JavaScript"],
                fixes=[fix("remove the type annotation", [src.edit(_with_space_before(src, node), "")])])
        return True
    if leaves and src.name(leaves[-1]) == ":" and len(leaves) >= 2 and parent is not None and \
            parent.type in ("formal_parameters", "lexical_declaration", "variable_declaration"):
        return _annotation(src, leaves[-1], _leaf_after(node))
    if parent is not None and parent.type == "method_definition":
        name = parent.child_by_field_name("name")
        if name is not None and src.name(name) == "function":
            span = src.bytes_span(name.start_byte, node.start_byte)
            src.add(codes.JS_FOREIGN_SYNTAX, name, "class methods are written without `function`",
                    label="not needed here", fixes=[fix("remove `function`", [src.edit(span, "")])])
            return True
    if first in _HEADERS and len(leaves) == 1 and src.text[src.char(node.end_byte):].lstrip()[:1] != "(":
        line_end = src.text.find("\n", src.char(node.end_byte))
        line = src.text[src.char(node.start_byte):line_end if line_end >= 0 else len(src.text)]
        help_ = ["JavaScript puts the condition in parentheses and the body in braces: "
                 f"`{first} (condition) {{ ... }}`"]
        src.add(codes.JS_FOREIGN_SYNTAX if line.rstrip().endswith(":") else codes.JS_PARSE, leaves[0],
                f"expected `(` after `{first}`", label="the condition needs parentheses", help=help_)
        return True
    return False


def _python_conditional(src: Source, node: Node, leaves: list[Node], at: int) -> bool:
    """`'big' if x > 1 else 'small'`: an `if` after a value, with `else` later on its line."""
    before = leaves[at - 1] if at > 0 else _leaf_before(node)
    if before is None or before.type not in _VALUE_TOKENS:
        return False
    end = src.char(leaves[at].end_byte)
    line_end = src.text.find("\n", end)
    rest = src.text[end:line_end if line_end >= 0 else len(src.text)]
    return re.search(r"\belse\b", rest) is not None


def _with_space_before(src: Source, node: Node) -> Span:
    start = src.char(node.start_byte)
    while start > 0 and src.text[start - 1] in " \t":
        start -= 1
    return src.span(start, src.char(node.end_byte))


def _annotation(src: Source, colon: Node, type_node: Node | None) -> bool:
    if type_node is None or type_node.type != "identifier":
        return False
    end = src.char(type_node.end_byte)
    while src.text.startswith("[]", end):
        end += 2
    start = src.char(colon.start_byte)
    annotation = src.text[start:end]
    src.add(codes.JS_FOREIGN_SYNTAX, src.span(start, end),
            f"type annotation {quote(annotation)} is TypeScript",
            label="TypeScript syntax", help=["remove the type: JS-light runs JavaScript"],
            fixes=[fix("remove the type annotation", [src.edit(src.span(start, end), "")])])
    return True


def _python(src: Source, node: Node, word: str, js: str) -> None:
    src.add(codes.JS_FOREIGN_SYNTAX, node, f"`{word}` is Python; JavaScript writes `{js}`",
            label="Python syntax", fixes=[fix(f"write `{js}`", [src.edit(node, js)])])


# -- what is left: describe the tokens around the error ---------------------------------------------


def _generic(src: Source, node: Node) -> None:
    if node.is_missing:
        _missing(src, node)
        return
    leaves = _leaves(node) or [node]
    first, last = leaves[0], leaves[-1]
    before, after = _leaf_before(node), _leaf_after(node)
    parent = node.parent
    if parent is not None and parent.type in _LISTS:
        prev, nxt = node.prev_sibling, node.next_sibling
        if prev is not None and prev.is_named and node.prev_named_sibling is not None:
            head = node.children[0] if node.children and node.children[0].is_named else first
            src.add(codes.JS_PARSE, head, f"expected `,` before {quote(src.name(head))}",
                    label="items are separated by commas",
                    fixes=[fix("insert `,`", [src.edit(src.bytes_span(prev.end_byte, prev.end_byte), ",")])])
            return
        if nxt is not None and nxt.is_named and (prev is None or not prev.is_named):
            src.add(codes.JS_PARSE, nxt, f"expected `,` before {quote(src.name(nxt))}",
                    label="items are separated by commas",
                    fixes=[fix("insert `,`", [src.edit(src.bytes_span(node.end_byte, node.end_byte), ",")])])
            return
    if before is not None and src.name(before) in _OPERATORS and src.name(first) in (";", ")", "]", "}", ","):
        src.add(codes.JS_PARSE, first, f"expected an expression after {quote(src.name(before))}",
                label=f"found {quote(src.name(first))}")
        return
    if len(leaves) == 1 and src.name(first) in _OPERATORS:
        target = after if after is not None and after.start_point.row == first.end_point.row else first
        src.add(codes.JS_PARSE, target, f"expected an expression after {quote(src.name(first))}",
                label="an operand is missing" if target is first else f"found {quote(src.name(target))}")
        return
    if after is not None and last.type in _VALUE_TOKENS and after.type in _VALUE_TOKENS and \
            after.start_point.row == last.end_point.row and not after.is_missing:
        src.add(codes.JS_PARSE, after, f"expected an operator, `,` or `;` before {quote(src.name(after))}",
                label=f"{quote(src.name(last))} ends an expression, so this cannot follow it",
                help=["two values in a row need an operator between them, or `;` to separate statements"])
        return
    if node.type == "ERROR" and first.start_byte == node.end_byte:
        src.add(codes.JS_PARSE, src.bytes_span(node.start_byte, node.start_byte), "unexpected end of input",
                label="the program ends here")
        return
    shown = quote(src.name(first)) if src.name(first) else "end of input"
    src.add(codes.JS_PARSE, first, f"unexpected {shown}",
            label="not valid JavaScript here")


def _missing(src: Source, node: Node) -> None:
    token = node.type
    after = _leaf_after(node)
    at = src.char(node.start_byte)
    follow = after if after is not None and not after.is_missing else None
    span = src.node_span(follow) if follow is not None else src.span(at, at)
    shown = quote(src.name(follow)) if follow is not None else "the end"
    if token == ";":
        src.add(codes.JS_PARSE, span, f"expected `;` or a line break before {shown}",
                label="a new statement cannot start here",
                fixes=[fix("insert `;`", [src.edit(src.span(at, at), ";")], applicable=False)])
        return
    if token in (")", "]", "}"):
        parent = node.parent
        opener = child(parent, 0) if parent is not None else None
        if opener is not None and src.name(opener) in _CLOSER_OF and _CLOSER_OF[src.name(opener)] == token:
            where = src.position(src.char(opener.start_byte))
            src.add(codes.JS_BRACKET, span,
                    f"expected `{token}` to close `{src.name(opener)}` opened at {where.line}:{where.column}",
                    label=f"expected `{token}` before this", labels=[(opener, "opened here")],
                    fixes=[fix(f"insert `{token}`", [src.edit(src.span(at, at), token)])])
            return
    if token.isidentifier():  # a missing identifier, expression...
        what = f"a {token.replace('_', ' ')}"
        src.add(codes.JS_PARSE, span, f"expected {what} before {shown}", label=f"expected {what} here")
    else:
        src.add(codes.JS_PARSE, span, f"expected `{token}` before {shown}", label=f"expected `{token}` here")
