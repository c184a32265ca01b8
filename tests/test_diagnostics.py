"""Diagnostics: the text renderer, fixes, spans and the code registry."""

from __future__ import annotations

import re

import pytest

from worlds import World
from worlds.diagnostics import (
    REGISTRY,
    Diagnostic,
    Fix,
    Label,
    Position,
    Span,
    TextEdit,
    lookup,
    render,
    render_all,
)
from worlds.diagnostics.render import width

SRC = "const total = 1;\nconsole.log(totl);\n"


def caret_column(rendered: str, marker: str = "^") -> int:
    """Display column (0-based, after the '| ' gutter) of the first marker in the rendered text."""
    for line in rendered.splitlines():
        head, sep, rest = line.partition("| ")
        if sep and head.strip() == "" and marker in rest:
            return rest.index(marker)
    raise AssertionError(f"no {marker!r} line in:\n{rendered}")


def source_line(rendered: str, n: int) -> str:
    """The displayed text of source line ``n`` in the rendered snippet."""
    for line in rendered.splitlines():
        head, sep, rest = line.partition(" | ")
        if sep and head.strip() == str(n):
            return rest
    raise AssertionError(f"no line {n} in:\n{rendered}")


# -- golden texts ------------------------------------------------------------------------------

def test_golden_simple_diagnostic():
    """A diagnostic with a span, label, note and help renders exactly like this."""
    d = Diagnostic(code="JS1002", message="ReferenceError: totl is not defined", file="main.js",
                   span=Span.at(2, 13, 2, 17), label="not defined",
                   notes=["names are case-sensitive\nand must be declared"], help=["did you mean `total`?"])
    assert render(d, {"main.js": SRC}) == (
        "error[JS1002]: ReferenceError: totl is not defined\n"
        " --> main.js:2:13\n"
        "  |\n"
        "2 | console.log(totl);\n"
        "  |             ^^^^ not defined\n"
        "  |\n"
        "  = note: names are case-sensitive\n"
        "          and must be declared\n"
        "  = help: did you mean `total`?"
    )


def test_golden_multi_line_span():
    """A span over several lines shows its first and last lines with '...' between."""
    src = "\n".join(f"line {i}" for i in range(1, 13))
    d = Diagnostic(code="JS1001", message="unclosed", file="a.js", span=Span.at(8, 3, 11, 5))
    assert render(d, {"a.js": src}) == (
        "error[JS1001]: unclosed\n"
        "  --> a.js:8:3\n"
        "   |\n"
        " 8 | line 8\n"
        "   |   ^^^^\n"
        ".....\n"
        "11 | line 11\n"
        "   | ^^^^"
    )


def test_two_line_span_shows_both_lines():
    """A span over two adjacent lines shows both, with no ellipsis."""
    d = Diagnostic(code="JS1001", message="m", file="a.js", span=Span.at(1, 7, 2, 3))
    text = render(d, {"a.js": "const x = [\n  1,\n];\n"})
    assert text.splitlines()[3:] == ["1 | const x = [", "  |       ^^^^^", "2 |   1,", "  |   ^"]


def test_golden_without_source():
    """Without its source a diagnostic still renders its location, label and help."""
    d = Diagnostic(code="JS1003", message="boom", file="gone.js", span=Span.at(3, 4), label="here",
                   help=["check it"])
    assert render(d, {}) == render(d, None) == (
        "error[JS1003]: boom\n"
        " --> gone.js:3:4\n"
        "  = here\n"
        "  |\n"
        "  = help: check it"
    )


def test_golden_no_file_no_span():
    """A limit diagnostic (no file, no span) renders its head and help."""
    d = Diagnostic(code="RUN1001", message="out of fuel", help=["bound the loop"])
    assert render(d) == "error[RUN1001]: out of fuel\n  |\n  = help: bound the loop"


def test_warning_and_note_severities():
    """The head names the severity."""
    assert render(Diagnostic(code="X1", severity="warning", message="w")) == "warning[X1]: w"
    assert render(Diagnostic(code="X1", severity="note", message="n")) == "note[X1]: n"


def test_fix_is_listed():
    """A suggested fix is listed by its description."""
    d = Diagnostic(code="JS1002", message="m", fixes=[Fix(description="rename to `total`", edits=[])])
    assert render(d).splitlines()[-1] == "  = fix: rename to `total`"


def test_color_only_when_asked():
    """ANSI colour codes appear only with color=True."""
    d = Diagnostic(code="JS1003", message="m", file="a.js", span=Span.at(1, 1), help=["h"])
    assert "\x1b[" not in render(d, {"a.js": "x"})
    colored = render(d, {"a.js": "x"}, color=True)
    assert colored.startswith("\x1b[1;31merror[JS1003]\x1b[0m")
    assert re.sub(r"\x1b\[[0-9;]*m", "", colored) == render(d, {"a.js": "x"})


def test_render_all_separates_with_blank_lines():
    """render_all joins diagnostics with one blank line."""
    a = Diagnostic(code="A1", message="a")
    b = Diagnostic(code="B1", message="b")
    assert render_all([a, b]) == "error[A1]: a\n\nerror[B1]: b"


# -- caret placement -----------------------------------------------------------------------------

def test_tabs_expand_and_carets_follow():
    """Tabs display as four spaces and the caret sits under the span's first character."""
    src = "\tif (x)\n\t\treturn y;"
    d = Diagnostic(code="JS1002", message="y", file="a.js", span=Span.at(2, 10, 2, 11))
    text = render(d, {"a.js": src})
    shown = source_line(text, 2)
    assert "\t" not in text
    assert shown == "        return y;"
    assert shown[caret_column(text)] == "y"


@pytest.mark.parametrize("src, target", [
    ("x = '日本語' + y;", "y"),         # wide characters take two columns
    ("\tx = '日本語' + y;", "y"),       # and tabs four
    ("s = 'ｆｕｌｌ' + z", "z"),         # full-width forms
    ("e\u0301 = café + w", "w"),       # combining marks take none
    ("😀😀 = q", "q"),                  # astral characters are one character each
])
def test_carets_under_the_right_column(src, target):
    """Carets land under the span's character whatever the width of what comes before."""
    col = src.index(target) + 1
    d = Diagnostic(code="JS1002", message="m", file="a.js", span=Span.at(1, col, 1, col + 1))
    text = render(d, {"a.js": src})
    shown = source_line(text, 1)
    column = caret_column(text)
    displayed = 0
    for ch in shown:
        if displayed == column:
            assert ch == target, text
            break
        displayed += width(ch)
    else:
        raise AssertionError(text)
    assert text.splitlines()[-1].count("^") == 1


def test_caret_width_counts_display_columns():
    """A span over wide characters gets two carets per character."""
    d = Diagnostic(code="JS1002", message="m", file="a.js", span=Span.at(1, 6, 1, 9))
    text = render(d, {"a.js": "x = '日本語'"})
    assert text.splitlines()[-1] == "  |      ^^^^^^"


def test_empty_span_gets_one_caret():
    """A zero-width span still shows one caret."""
    d = Diagnostic(code="JS1001", message="m", file="a.js", span=Span.at(1, 4, 1, 4))
    assert render(d, {"a.js": "abc"}).splitlines()[-1] == "  |    ^"


def test_long_lines_are_clipped_around_the_span():
    """A very long line is cut to a window around the span, marked with '...'."""
    src = "x" * 300 + "BAD" + "y" * 300
    d = Diagnostic(code="JS1003", message="m", file="l.js", span=Span.at(1, 301, 1, 304))
    text = render(d, {"l.js": src})
    shown = source_line(text, 1)
    assert shown.startswith("...") and shown.endswith("...")
    assert len(shown) <= 170
    col = caret_column(text)
    assert shown[col:col + 3] == "BAD"
    assert text.splitlines()[-1].count("^") == 3


def test_secondary_label_on_a_later_line_keeps_the_gutter_aligned():
    """A label on line 10 under a primary span on line 9 widens the gutter for every line."""
    src = "\n".join(f"line{i}" for i in range(1, 13))
    d = Diagnostic(code="JS1003", message="m", file="f.js", span=Span.at(9, 1, 9, 6),
                   labels=[Label(span=Span.at(10, 1, 10, 7), text="also here")])
    lines = render(d, {"f.js": src}).splitlines()
    bars = {line.index("|") for line in lines if "|" in line}
    assert len(bars) == 1, "\n".join(lines)
    assert any(line.endswith("------ also here") for line in lines)


def test_span_past_the_end_of_source_does_not_crash():
    """Out-of-range spans are clamped, never an exception."""
    for span in (Span.at(99, 1), Span.at(1, 99), Span.at(3, 5, 1, 1)):
        d = Diagnostic(code="JS1001", message="m", file="a.js", span=span)
        assert render(d, {"a.js": "ab\ncd"}).startswith("error[JS1001]")
    assert "^" in render(Diagnostic(code="J", message="m", file="a.js", span=Span.at(1, 1)), {"a.js": ""})


def test_rendered_run_diagnostic_points_at_the_token():
    """A real run's diagnostic underlines the failing method name (fs.readFileSync)."""
    # a computed path: a literal one is reported by the checker before the program runs
    r = World().run("const x = 'nope.csv';\nconst d = fs.readFileSync(x, 'utf8');\n")
    text = str(r)
    assert "error[JS1005]" in text and " --> <code>:2:" in text
    shown = source_line(text, 2)
    col = caret_column(text)
    assert shown[col:].startswith(("readFileSync", "fs", "x,"))  # the call, or the path given to it


# -- spans, positions and fixes -------------------------------------------------------------------

def test_span_at_defaults():
    """Span.at(line, col) spans one character on one line."""
    s = Span.at(3, 4)
    assert (s.start.line, s.start.column, s.end.line, s.end.column) == (3, 4, 3, 5)


@pytest.mark.parametrize("source, start, end, expected", [
    ("ab\ncd", 3, 5, ((2, 1), (2, 3))),
    ("ab\ncd", 0, 2, ((1, 1), (1, 3))),
    ("ab\ncd", 1, 4, ((1, 2), (2, 2))),
    ("ab", 5, 9, ((1, 3), (1, 3))),
    ("ab", 2, 1, ((1, 3), (1, 3))),
])
def test_span_from_offsets(source, start, end, expected):
    """from_offsets converts character offsets to 1-based line/column positions."""
    s = Span.from_offsets(source, start, end)
    assert ((s.start.line, s.start.column), (s.end.line, s.end.column)) == expected


@pytest.mark.parametrize("line, column, offset", [
    (1, 1, 0), (1, 3, 2), (2, 1, 3), (2, 3, 5), (9, 1, 3), (2, 99, 5), (0, 0, 0),
])
def test_position_offset_clamps(line, column, offset):
    """Position.offset finds the character offset, clamped into the source."""
    assert Position(line=line, column=column).offset("ab\ncd") == offset


def test_offsets_round_trip():
    """from_offsets then offset gives back the original offsets."""
    src = "héllo\n\twörld 😀\nend"
    for a in range(len(src) + 1):
        s = Span.from_offsets(src, a, len(src))
        assert s.start.offset(src) == a and s.end.offset(src) == len(src)


def test_fix_apply_single_edit():
    """Fix.apply replaces the span's text."""
    fix = Fix(description="rename", edits=[TextEdit(span=Span.at(2, 13, 2, 17), replacement="total")])
    assert fix.apply(SRC) == "const total = 1;\nconsole.log(total);\n"


def test_fix_apply_several_edits_in_any_order():
    """Several non-overlapping edits apply against the original positions, whatever their order."""
    edits = [TextEdit(span=Span.at(1, 7, 1, 12), replacement="sum"),
             TextEdit(span=Span.at(2, 13, 2, 17), replacement="sum"),
             TextEdit(span=Span.at(1, 15, 1, 16), replacement="42")]
    expected = "const sum = 42;\nconsole.log(sum);\n"
    assert Fix(description="d", edits=edits).apply(SRC) == expected
    assert Fix(description="d", edits=list(reversed(edits))).apply(SRC) == expected


def test_fix_apply_insertion_and_deletion():
    """Empty spans insert; empty replacements delete; multi-line spans work."""
    insert = Fix(description="d", edits=[TextEdit(span=Span.at(1, 1, 1, 1), replacement="'use strict';\n")])
    assert insert.apply("x") == "'use strict';\nx"
    delete = Fix(description="d", edits=[TextEdit(span=Span.at(1, 2, 2, 2), replacement="")])
    assert delete.apply("abc\ndef") == "aef"


def test_diagnostic_json_round_trip():
    """to_json is plain data that validates back to an equal Diagnostic."""
    d = Diagnostic(code="JS1002", message="m", file="a.js", span=Span.at(1, 2, 1, 5), label="l",
                   labels=[Label(span=Span.at(2, 1), text="t")], notes=["n"], help=["h"],
                   fixes=[Fix(description="f", edits=[TextEdit(span=Span.at(1, 1), replacement="r")],
                              applicable=True)])
    data = d.to_json()
    assert data["span"] == {"start": {"line": 1, "column": 2}, "end": {"line": 1, "column": 5}}
    assert Diagnostic.model_validate(data) == d


def test_diagnostic_rejects_unknown_fields_and_severities():
    """The model is strict: unknown fields and severities are refused."""
    with pytest.raises(ValueError):
        Diagnostic(code="X", message="m", colour="red")  # type: ignore[call-arg]
    with pytest.raises(ValueError):
        Diagnostic(code="X", message="m", severity="fatal")  # type: ignore[arg-type]


# -- the registry ---------------------------------------------------------------------------------

def test_registry_has_the_documented_codes():
    """The RUN and JS codes the runtime emits are all registered."""
    expected = {f"RUN100{i}" for i in range(1, 8)} | {f"JS100{i}" for i in range(1, 7)}
    assert expected <= set(REGISTRY)


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_every_code_has_title_and_explanation(code):
    """Each registered code is well-formed and has a title and an explanation."""
    entry = REGISTRY[code]
    assert entry.code == code
    assert re.fullmatch(r"[A-Z]+\d{4}", code)
    assert entry.title.strip() and entry.title == entry.title.strip()
    assert len(entry.explanation.strip()) > 40
    text = entry.explain()
    assert text.startswith(f"{code}: {entry.title}\n\n")
    if entry.wrong:
        assert "\nWrong:\n\n    " in text
    if entry.right:
        assert "\nRight:\n\n    " in text


@pytest.mark.parametrize("query, code", [
    ("RUN1001", "RUN1001"), ("run1001", "RUN1001"), ("  js1003 ", "JS1003"), ("JS1005", "JS1005"),
])
def test_lookup_finds_codes(query, code):
    """lookup is case- and space-insensitive."""
    entry = lookup(query)
    assert entry is not None and entry.code == code


@pytest.mark.parametrize("query", ["NOPE", "", "RUN9999", "JS", "1001"])
def test_lookup_unknown_is_none(query):
    """lookup of an unknown code is None."""
    assert lookup(query) is None


def test_register_refuses_duplicates():
    """A code cannot be registered twice."""
    from worlds.diagnostics.codes import register
    with pytest.raises(ValueError):
        register("RUN1001", "again", "explanation")


def test_emitted_codes_are_registered():
    """Every code a run can produce is in the registry."""
    programs = ["null.x", "x(", "y", "new Array(-1)", "fs.readFileSync('n')", "throw 1"]
    for code in programs:
        for d in World().run(code).diagnostics:
            assert lookup(d.code) is not None, d.code
