"""Properties of the JS-light checker: it never raises, and every span it emits is in the source.

Inputs are arbitrary text, bytes decoded as a program's file would be (errors
replaced, or kept as surrogates and then replaced), and JavaScript-shaped
text: fragments of real programs cut and spliced, where the interesting
failures hide. The renderer must draw every diagnostic without raising.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worlds.diagnostics import Diagnostic, Span, render_all
from worlds.languages.js.checker import analyse

FILES = ["sales.csv", "data.json", "lib/util.js"]
FRAGMENTS = [
    "const ", "let ", "var ", "function f(a, b) {", "}", "{", "(", ")", "[", "]", "'", '"', "`", "${", "/",
    "/* ", "*/", "// c\n", "\n", " ", "x", "totl", "print(", "len(", "True", "elif ", " and ", ": number",
    "fs.readFileSync('sale.csv')", "require('lodash')", "import x from './nope';\n", "await ", "yield ",
    "return ", "break;", "class A {", "#p", "=>", "=", "==", ";", ",", ".", "?.", "xs.append(1)",
    "s.length()", "eval('1')", "process.exit()", "\t", "é", "🙂", "\u2028", "\r", "\0", "\\", "0x", "1e",
    "/re/g", "async ", "*", "if (", "else", "for (const k of ", "try {", "catch (e) {", "new ", "super",
]


def spans_of(diag: Diagnostic) -> list[Span]:
    spans = [diag.span] if diag.span else []
    spans += [label.span for label in diag.labels]
    spans += [edit.span for fix in diag.fixes for edit in fix.edits]
    return spans


def assert_inside(source: str, diags: list[Diagnostic]) -> None:
    lines = source.split("\n")
    for diag in diags:
        for span in spans_of(diag):
            for pos in (span.start, span.end):
                assert 1 <= pos.line <= len(lines), (diag.code, diag.message, span)
                assert 1 <= pos.column <= len(lines[pos.line - 1]) + 1, (diag.code, diag.message, span)
            assert (span.start.line, span.start.column) <= (span.end.line, span.end.column), span


def check_and_render(source: str) -> None:
    diags = analyse(source, file="main.js", files=FILES)
    # the checker works on the text as the engine sees it: lone surrogates become U+FFFD
    shown = source.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    assert_inside(shown, diags)
    text = render_all(diags, {"main.js": shown})
    assert isinstance(text, str)
    for diag in diags:
        for fix in diag.fixes:
            assert isinstance(fix.apply(shown), str)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.text())
def test_any_text(source: str) -> None:
    check_and_render(source)


@SETTINGS
@given(st.binary())
def test_bytes_decoded_with_replacement(data: bytes) -> None:
    check_and_render(data.decode("utf-8", errors="replace"))


@SETTINGS
@given(st.binary())
def test_bytes_decoded_with_surrogates(data: bytes) -> None:
    check_and_render(data.decode("utf-8", errors="surrogateescape"))


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_javascript_shaped_text(source: str) -> None:
    check_and_render(source)


@SETTINGS
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join), st.integers(1, 3000))
def test_long_lines_and_deep_nesting(piece: str, times: int) -> None:
    check_and_render(piece * (times // max(len(piece), 1) + 1))


def test_pathological_inputs() -> None:
    for source in ["(" * 5000, "[" * 3000 + "]" * 2999, "{" * 4000, "a" * 200_000, "'" + "x" * 100_000,
                   "x = " + "1 + " * 20_000 + "1", "\0" * 100, "`${" * 2000, "/*" + "\n" * 10_000,
                   "let " + "[" * 1000 + "a" + "]" * 1000 + " = b;", "\ud800\udfff\ud800", ""]:
        check_and_render(source)
