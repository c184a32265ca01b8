"""Agent tools: the specs for each API, the dispatcher, and the texts a model reads."""

from __future__ import annotations

import json
import re
from typing import Any, get_type_hints

import httpx2
import jsonschema
import mcp.types
import pytest
from anthropic.types import ToolParam
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openai.types.chat import ChatCompletionToolParam
from openai.types.responses import FunctionToolParam
from openai.types.shared_params import FunctionDefinition
from pydantic import TypeAdapter, ValidationError

from worlds import Session, SessionError, ToolAnswer, World, catalog
from worlds.tools import FORMATS, TOOLS, parameters

INPUTS = {"in.txt": "input\n", "data/rows.csv": "a,b\n1,2\n3,4\n"}


@pytest.fixture(scope="module")
def world() -> World:
    return World(INPUTS, name="tiny", description="A tiny world for the tool tests.")


@pytest.fixture(scope="module")
def sales() -> World:
    return catalog.load("sales")


@pytest.fixture
def session(world: World) -> Session:
    return world.session()


def strict_form(example: dict[str, Any], tool: str) -> dict[str, Any]:
    """``example`` as OpenAI strict mode sends it: every argument present, null for the unused ones."""
    return {name: example.get(name) for name in TOOLS[tool].model.model_fields}


# -- every tool through call: dict and JSON string ---------------------------------------------

CALLS = [
    ("describe", {}),
    ("describe", {"lang": "sql"}),
    ("list_files", {}),
    ("read_file", {"path": "in.txt"}),
    ("read_file", {"path": "data/rows.csv", "start_line": 2, "end_line": 3}),
    ("write_file", {"path": "main.js", "content": "console.log(1 + 2);\n"}),
    ("edit_file", {"path": "prog.js", "old": "1 + 1", "new": "2 + 2"}),
    ("run", {"code": "console.log(6 * 7)"}),
    ("run", {"path": "prog.js"}),
    ("run", {"code": "SELECT SUM(b) AS total FROM data_rows", "lang": "sql"}),
    ("check", {"code": "consol.log(1)"}),
    ("check", {"path": "prog.js"}),
]


@pytest.mark.parametrize("name, args", CALLS, ids=[f"{n}-{json.dumps(a)}" for n, a in CALLS])
def test_call_takes_a_dict_or_a_json_string(world, name, args):
    """A dict, its JSON text and the strict form (nulls for the rest) give the same answer, byte for byte
    (tool answers carry no wall time)."""
    answers = []
    for form in (args, json.dumps(args), strict_form(args, name), json.dumps(strict_form(args, name))):
        s = world.session()
        s.write("prog.js", "console.log(1 + 1);\n")
        answer = s.call_result(name, form)
        assert isinstance(answer, ToolAnswer)
        assert not answer.text.startswith("error:"), answer.text
        answers.append((answer.text, answer.ok, answer.receipt, answer.changed))
    assert all(a == answers[0] for a in answers), answers


def test_no_arguments_may_be_none_empty_or_blank(session):
    """A tool without arguments takes None, {}, "" or "null"."""
    texts = {session.call("list_files", args) for args in (None, {}, "", "  ", "{}", "null")}
    assert len(texts) == 1
    assert session.call("describe") == session.world.describe()


def test_describe_returns_the_world_card(session, world):
    assert session.call("describe", {}) == world.describe()
    assert session.call("describe", {"lang": "sql"}) == world.describe("sql")
    assert session.call("describe", {"lang": "JavaScript"}) == world.describe("js")


def test_list_files_marks_inputs_and_workspace(session):
    session.write("main.js", "x")
    assert session.call("list_files") == (
        "inputs (read-only, 2 files):\n"
        "  data/rows.csv  12 bytes\n"
        "  in.txt         6 bytes\n"
        "workspace (1 file):\n"
        "  main.js  1 byte")
    fresh = session.world.session()
    assert "workspace (0 files):\n  (empty: write_file creates files here)" in fresh.call("list_files")


def test_read_file_numbers_lines(session):
    session.write("main.js", "const a = 1;\nconst b = 2;\n")
    assert session.call("read_file", {"path": "main.js"}) == (
        "main.js (workspace file, 2 lines, 26 bytes):\n1 | const a = 1;\n2 | const b = 2;")
    assert session.call("read_file", {"path": "data/rows.csv", "start_line": 2}) == (
        "data/rows.csv (read-only input, 3 lines, 12 bytes), lines 2-3:\n2 | 1,2\n3 | 3,4")


def test_read_file_cuts_long_files_and_says_how_to_get_the_rest(session):
    session.write("big.txt", "".join(f"row {i}\n" for i in range(1, 451)))
    text = session.call("read_file", {"path": "big.txt"})
    lines = text.splitlines()
    size = len(session.files["big.txt"])
    assert lines[0] == f"big.txt (workspace file, 450 lines, {size:,} bytes), lines 1-200:"
    assert lines[1] == "  1 | row 1" and lines[200] == "200 | row 200"
    assert lines[-1] == ('... lines 201-450 not shown; call read_file with '
                         '{"path": "big.txt", "start_line": 201} for more')
    more = session.call("read_file", {"path": "big.txt", "start_line": 201, "end_line": 205})
    assert more.splitlines()[1:] == [f"{n} | row {n}" for n in range(201, 206)]
    tail = session.call("read_file", {"path": "big.txt", "start_line": 401, "end_line": 9999})
    assert tail.splitlines()[-1] == "450 | row 450"
    wide = session.call("read_file", {"path": "big.txt", "start_line": 1, "end_line": 450})
    assert "lines 201-450 not shown" in wide  # a range is cut at 200 lines too


def test_read_file_binary_and_empty(session):
    session.write("blob.bin", b"\x00\xff\x10")
    session.write("empty.txt", "")
    assert "binary, 3 bytes, not text" in session.call("read_file", {"path": "blob.bin"})
    assert session.call("read_file", {"path": "empty.txt"}) == "empty.txt (workspace file) is empty"


def test_write_file_says_created_replaced_or_unchanged(session):
    first = session.call_result("write_file", {"path": "src/main.js", "content": "1\n"})
    assert (first.text, first.changed) == ("wrote src/main.js (2 bytes, created)", ["src/main.js"])
    again = session.call_result("write_file", {"path": "src/main.js", "content": "22\n"})
    assert (again.text, again.changed) == ("wrote src/main.js (3 bytes, replaced)", ["src/main.js"])
    same = session.call_result("write_file", {"path": "./src/main.js", "content": "22\n"})
    assert same.changed == [] and "unchanged" in same.text
    assert session.read("src/main.js") == "22\n"


def test_edit_file_reports_the_lines(session):
    session.write("main.js", "const a = 1;\nconst b = 2;\nconsole.log(a + b);\n")
    one = session.call_result("edit_file", {"path": "main.js", "old": "b = 2", "new": "b = 3"})
    assert one.changed == ["main.js"]
    assert one.text.splitlines()[0] == ("edited main.js: changed line 2; the file now has 3 lines, "
                                        f"{len(session.files['main.js'])} bytes. Around the edit:")
    assert "2 | const b = 3;" in one.text
    many = session.call("edit_file", {"path": "main.js", "old": "const b = 3;\n",
                                      "new": "const b = 3;\nconst c = 4;\nconst d = 5;\n"})
    assert many.startswith("edited main.js: replaced line 2 (1 line) with lines 2-4 (3 lines)")
    gone = session.call("edit_file", {"path": "main.js", "old": "const c = 4;\n", "new": ""})
    assert gone.startswith("edited main.js: deleted text from line 3")
    assert session.read("main.js") == "const a = 1;\nconst b = 3;\nconst d = 5;\nconsole.log(a + b);\n"


def test_edit_file_missing_text_shows_the_nearest_match(session):
    session.write("main.js", "function add(a, b) {\n  return a + b;\n}\nconsole.log(add(1, 2));\n")
    answer = session.call_result("edit_file", {"path": "main.js", "old": "return a - b;", "new": "x"})
    assert not answer.ok and answer.changed == []
    assert answer.text.startswith("error: edit_file: cannot edit main.js: the text to replace was not found")
    assert answer.text.endswith("The nearest text is on line 2:\n2 |   return a + b;")
    numbered = session.call("edit_file", {"path": "main.js", "old": "2 |   return a + b;", "new": "x"})
    assert "line numbers (`N | `) from read_file" in numbered
    spaced = session.call("edit_file", {"path": "main.js", "old": "return a +  b;", "new": "x"})
    assert "differ from it only in spaces" in spaced
    twice = session.call("edit_file", {"path": "main.js", "old": "add(", "new": "sum("})
    assert "occurs 2 times (on lines 1, 4)" in twice
    assert session.read("main.js").startswith("function add(a, b)")


def test_check_answers(session):
    session.write("main.js", "console.log(totl);\n")
    bad = session.call_result("check", {"path": "main.js"})
    assert not bad.ok
    assert "error[JS2020]" in bad.text and " --> main.js:1:13" in bad.text
    assert bad.text.endswith("1 error in main.js (checked without running it)")
    good = session.call_result("check", {"code": "SELECT a FROM data_rows", "lang": "sql"})
    assert good.ok and good.text.startswith("no problems found in <code> (checked without running it: syntax")
    assert session.history == []  # checking runs nothing


def test_check_counts_warnings(session):
    answer = session.call_result("check", {"code": "undeclared = 3"})
    assert answer.ok and "warning[" in answer.text
    assert answer.text.endswith("no errors, 1 warning in <code> (checked without running it)")


def test_check_knows_the_workspace(session):
    """A module the agent wrote and a CSV a program wrote are known to check."""
    session.write("util.js", "module.exports = { two: () => 2 };\n")
    session.write("main.js", "const { two } = require('./util.js');\nconsole.log(two());\n")
    assert session.call("check", {"path": "main.js"}).startswith("no problems found")
    with session.acting("agent", "the agent"):  # the agent's own file: no note of a change
        session.write("made.csv", "k,v\nx,1\n")
    assert session.call("check", {"code": "SELECT k, v FROM made", "lang": "sql"}).startswith(
        "no problems found")


def test_run_answer_states_the_changes_and_the_receipt(session):
    answer = session.call_result("run", {"code": "fs.writeFileSync('out.txt', 'hi'); 7"})
    assert answer.ok and answer.changed == ["out.txt"]
    assert answer.receipt == session.history[-1].receipt
    text = answer.text
    assert "value: 7" in text
    assert "files changed by this run (now in the workspace):\n  created  out.txt (2 bytes)" in text
    assert text.count("out.txt") == 1  # not listed twice
    assert text.endswith("run #1 in this session's history: <code> (js)")
    assert answer.receipt and f"receipt {answer.receipt[:16]}" in text and answer.receipt not in text
    deleted = session.call_result("run", {"code": "fs.unlinkSync('out.txt')"})
    assert "  deleted  out.txt" in deleted.text and deleted.changed == ["out.txt"]
    failed = session.call_result("run", {"code": "fs.writeFileSync('x.txt', '1'); null.x"})
    assert not failed.ok and failed.changed == [] and "x.txt" not in session.files
    assert "no files changed: the run failed, so anything it wrote was discarded" in failed.text
    quiet = session.call("run", {"code": "1 + 1"})
    assert "\n\nno files changed\n\n" in quiet


@pytest.mark.parametrize("code, lang", [
    ("SELECT a FROM data_rows", "sql"),
    ("-- the sum\nselect sum(b) from data_rows", "sql"),
    ("WITH t AS (SELECT 1 AS x) SELECT x FROM t", "sql"),
    ("let select = 3; select", "js"),
    ("delete globalThis.x", "js"),
    ("const values = [1]; values.length", "js"),
])
def test_code_that_can_only_be_sql_runs_as_sql_with_a_note(session, code, lang):
    """Without lang, code is JS unless it can only be SQL; then it runs as SQL and the answer says so."""
    answer = session.call_result("run", {"code": code})
    assert answer.ok, answer.text
    assert session.history[-1].lang == lang
    noted = answer.text.startswith("note: no lang was given and this code reads as SQL, so it was run as sql")
    assert noted == (lang == "sql")
    checked = session.call("check", {"code": code})
    assert checked.startswith("no problems found") and checked.endswith("checked as sql") == (lang == "sql")


# -- errors: text, never an exception ---------------------------------------------------------

ERRORS = [
    # (tool, arguments, words the answer must hold)
    ("reed_file", {"path": "in.txt"}, ["no tool `reed_file`", "did you mean `read_file`", "list_files"]),
    ("", {}, ["no tool", "the tools are describe"]),
    (None, {}, ["no tool null"]),
    ("read_file", {}, ["read_file", "missing argument `path`", '{"path": "main.js"']),
    ("read_file", {"path": None}, ["missing argument `path`"]),
    ("read_file", {"file": "in.txt"}, ["unknown argument `file`", "read_file takes `path`"]),
    ("read_file", {"path": "in.txt", "start_line": "two"}, ["`start_line` must be an integer", '"two"']),
    ("read_file", {"path": "in.txt", "start_line": 0}, ["numbered from 1"]),
    ("read_file", {"path": "in.txt", "start_line": 9}, ["past the end of in.txt", "1 line"]),
    ("read_file", {"path": "in.txt", "start_line": 1, "end_line": 0}, ["before start_line"]),
    ("read_file", {"path": "nope.txt"}, ["no file 'nope.txt'", "in.txt"]),
    ("read_file", {"path": "data"}, ["'data' is a folder", "data/rows.csv"]),
    ("read_file", {"path": "../etc/passwd"}, ["bad file name"]),
    ("read_file", '{"path": "in.txt"', ["not valid JSON", "send one JSON object"]),
    ("read_file", "[1, 2]", ["must be a JSON object", "not an array"]),
    ("read_file", 42, ["must be a JSON object", "not a number"]),
    ("write_file", {"path": "in.txt", "content": "x"}, ["input of the world and read-only"]),
    ("write_file", {"path": "a.json", "content": {"k": 1}}, ["`content` must be a string"]),
    ("write_file", {"path": "/abs.js", "content": "x"}, ["relative to the world's root"]),
    ("write_file", {"path": "in.txt/x", "content": "x"}, ["is a file"]),
    ("write_file", {"path": ".worlds/x", "content": "x"}, ["reserved for the runtime"]),
    ("write_file", {"path": "a.js"}, ["missing argument `content`"]),
    ("edit_file", {"path": "in.txt", "old": "input", "new": "x"}, ["read-only"]),
    ("edit_file", {"path": "main.js", "old": "", "new": "x"}, ["is empty"]),
    ("edit_file", {"path": "main.js", "old": "one", "new": "one"}, ["the same text"]),
    ("edit_file", {"path": "main.js", "old": "zzz", "new": "y"}, ["was not found"]),
    ("edit_file", {"path": "main.js", "oldText": "one", "new": "y"},
     ["unknown argument `oldText` (did you mean `old`?)", "missing argument `old`"]),
    ("run", {}, ["send `path`", "or `code`"]),
    ("run", {"path": "main.js", "code": "1"}, ["not both"]),
    ("run", {"path": "main.js", "lang": "python"},
     ['`lang` must be one of "js", "jsonata", "sql", "prql"', '"python"']),
    ("run", {"path": "nope.js"}, ["no file 'nope.js' to run"]),
    ("run", {"path": "mian.js"}, ["did you mean 'main.js'"]),
    ("run", {"path": "in.txt"}, ["cannot tell the language of 'in.txt'", "give lang"]),
    ("run", {"code": 5}, ["`code` must be a string"]),
    ("check", {"path": "nope.sql"}, ["no file 'nope.sql' to check"]),
    ("check", {"code": "1", "path": "main.js"}, ["not both"]),
    ("list_files", {"all": True}, ["unknown argument `all`", "list_files takes no arguments"]),
    ("describe", {"lang": "cobol"}, ["`lang` must be one of"]),
]


@pytest.mark.parametrize("name, args, words", ERRORS, ids=[f"{n}-{a}" for n, a, _ in ERRORS])
def test_bad_calls_answer_with_an_error_text(session, name, args, words):
    """Each bad call is one `error:` text naming the tool and what to send; nothing changes."""
    session.write("main.js", "one two\n")
    before = dict(session.files)
    answer = session.call_result(name, args)
    assert not answer.ok and answer.changed == [] and answer.receipt is None
    assert answer.text.startswith("error: ")
    if name in TOOLS:
        assert answer.text.startswith(f"error: {name}: ")
    for word in words:
        assert word in answer.text, answer.text
    assert session.files == before and session.history == []


def test_a_bug_inside_a_tool_is_an_error_text(session, monkeypatch):
    """Even an unexpected exception inside worlds reaches the agent as text."""
    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(Session, "run", broken)
    text = session.call("run", {"code": "1"})
    assert text.startswith("error: run: the tool failed inside worlds (RuntimeError: boom)")


def test_a_native_panic_inside_a_tool_is_an_error_text(session, monkeypatch):
    """A Rust panic (pyo3's PanicException is a BaseException, not an Exception) is text too."""
    class PanicException(BaseException):
        pass

    def panics(*args, **kwargs):
        raise PanicException("span out of bounds")
    monkeypatch.setattr(Session, "check", panics)
    assert session.call("check", {"code": "x", "lang": "prql"}).startswith(
        "error: check: the tool failed inside worlds (PanicException: span out of bounds)")


def test_raw_newlines_inside_json_strings_are_accepted(session):
    """Models often put real line breaks inside JSON strings; they are read as text."""
    answer = session.call("write_file", '{"path": "a.js", "content": "console.log(1);\nconsole.log(2);\n"}')
    assert answer == "wrote a.js (32 bytes, created)"
    assert session.read("a.js") == "console.log(1);\nconsole.log(2);\n"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
KEYS = st.sampled_from(["path", "code", "lang", "content", "old", "new", "start_line", "end_line"]) \
    | st.text(max_size=8)
VALUES = JSON | st.sampled_from(["in.txt", "main.js", "data/rows.csv", "js", "sql", "prql", "1 + 1",
                                 "SELECT 1", "", "..", "/", ".worlds/x", "a\udc80"]) | st.integers(-3, 5)
ARG_DICTS = st.dictionaries(KEYS, VALUES, max_size=5)
ARGUMENTS = (st.none() | ARG_DICTS | ARG_DICTS.map(lambda d: json.dumps(d)) | st.text(max_size=40)
             | JSON | st.binary(max_size=20))
NAMES = st.sampled_from(list(TOOLS)) | st.text(max_size=12) | st.none() | st.integers() \
    | st.lists(st.text(max_size=3), max_size=2)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls=st.lists(st.tuples(NAMES, ARGUMENTS), min_size=1, max_size=4))
def test_call_never_raises(world, calls):
    """Whatever name and arguments an agent sends, the answer is text; a refusal starts `error:`."""
    s = world.session()
    s.write("main.js", "console.log(1);\n")
    for name, args in calls:
        answer = s.call_result(name, args)
        assert isinstance(answer.text, str) and answer.text
        if answer.text.startswith("error:"):
            assert not answer.ok and answer.changed == []
        assert "failed inside worlds" not in answer.text, answer.text
        assert isinstance(s.call(name, args), str)
    assert set(INPUTS) <= set(s.list_files()) and not set(INPUTS) & set(s.files)


TEXT = st.text(max_size=30) | st.sampled_from(["console.log(1)", "SELECT * FROM data_rows", "from data_rows",
                                               "one", "two\n", "\n", "const x = 1;\n"])
PATHS = st.sampled_from(["main.js", "in.txt", "data/rows.csv", "q.sql", "x.prql", "new.txt", "data"]) \
    | st.text(max_size=10)
LINES = st.none() | st.integers(-2, 12)
LANGS = st.none() | st.sampled_from(["js", "sql", "prql", "JS", ""])
WELL_FORMED = st.one_of(
    st.tuples(st.just("read_file"),
              st.fixed_dictionaries({"path": PATHS, "start_line": LINES, "end_line": LINES})),
    st.tuples(st.just("write_file"), st.fixed_dictionaries({"path": PATHS, "content": TEXT})),
    st.tuples(st.just("edit_file"), st.fixed_dictionaries({"path": PATHS, "old": TEXT, "new": TEXT})),
    st.tuples(st.just("run"), st.fixed_dictionaries({"path": st.none() | PATHS, "code": st.none() | TEXT,
                                                     "lang": LANGS})),
    st.tuples(st.just("check"), st.fixed_dictionaries({"path": st.none() | PATHS, "code": st.none() | TEXT,
                                                       "lang": LANGS})),
    st.tuples(st.sampled_from(["describe", "list_files"]), st.just({})),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls=st.lists(WELL_FORMED, min_size=1, max_size=6))
def test_well_formed_calls_with_any_values_never_break(world, calls):
    """Calls of the right shape with arbitrary values: answers, refusals, never an internal error."""
    s = world.session()
    s.write("main.js", "one\ntwo\none two\n")
    for name, args in calls:
        answer = s.call_result(name, args)
        # prqlc (Rust) panics on some non-ASCII programs such as "ª": a PRQL front-end bug; the
        # dispatcher still answers with text, which is what this test is about.
        if "(PanicException:" not in answer.text:
            assert answer.text and "failed inside worlds" not in answer.text, answer.text
        assert answer.ok or answer.changed == []
        for path in answer.changed:
            assert (path in s.files) != (answer.text.count(f"deleted  {path}") > 0)
    assert s.state() == Session.restore(world, s.state()).state()


# -- the specs ------------------------------------------------------------------------------------


def _keys_known(spec: dict[str, Any], typed: Any) -> None:
    """Every key of ``spec`` is one the SDK's TypedDict declares (TypedDicts let unknown keys through)."""
    assert set(spec) <= set(get_type_hints(typed)), set(spec) - set(get_type_hints(typed))


def _walk_objects(schema: Any):
    if isinstance(schema, dict):
        if schema.get("type") == "object" or "properties" in schema:
            yield schema
        for value in schema.values():
            yield from _walk_objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _walk_objects(value)


def _schema_of(spec: dict[str, Any], format: str) -> dict[str, Any]:
    return {"openai": lambda s: s["function"]["parameters"], "openai-responses": lambda s: s["parameters"],
            "anthropic": lambda s: s["input_schema"], "mcp": lambda s: s["inputSchema"]}[format](spec)


def _name_of(spec: dict[str, Any], format: str) -> str:
    return str(spec["function"]["name"] if format == "openai" else spec["name"])


@pytest.mark.parametrize("format", FORMATS)
def test_specs_name_every_tool_once(sales, format):
    specs = sales.session().tools(format)
    assert [_name_of(s, format) for s in specs] == list(TOOLS) == [
        "describe", "list_files", "read_file", "write_file", "edit_file", "run", "check"]
    for spec in specs:
        assert re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", _name_of(spec, format))
        dumped = json.dumps(spec)
        assert "$ref" not in dumped and "$defs" not in dumped and '"title"' not in json.dumps(
            _schema_of(spec, format))
    assert json.loads(json.dumps(specs)) == specs  # plain JSON


def test_openai_chat_specs_fit_the_sdk_types(sales):
    adapter = TypeAdapter(ChatCompletionToolParam)
    for spec in sales.session().tools("openai"):
        adapter.validate_python(spec)
        TypeAdapter(FunctionDefinition).validate_python(spec["function"])
        _keys_known(spec, ChatCompletionToolParam)
        _keys_known(spec["function"], FunctionDefinition)
        assert spec["function"]["strict"] is True


def test_openai_responses_specs_fit_the_sdk_types(sales):
    adapter = TypeAdapter(FunctionToolParam)
    for spec in sales.session().tools("openai-responses"):
        adapter.validate_python(spec)
        _keys_known(spec, FunctionToolParam)
        assert spec["strict"] is True


def test_anthropic_specs_fit_the_sdk_types(sales):
    adapter = TypeAdapter(ToolParam)
    for spec in sales.session().tools("anthropic"):
        adapter.validate_python(spec)
        _keys_known(spec, ToolParam)


def test_mcp_specs_fit_the_sdk_types(sales):
    for spec in sales.session().tools("mcp"):
        tool = mcp.types.Tool.model_validate(spec)
        assert tool.input_schema["type"] == "object"
        assert tool.annotations is not None and tool.annotations.open_world_hint is False
        assert tool.model_dump(by_alias=True, exclude_none=True)["inputSchema"] == spec["inputSchema"]
    read_only = {s["name"]: s["annotations"]["readOnlyHint"] for s in sales.session().tools("mcp")}
    assert read_only == {"describe": True, "list_files": True, "read_file": True, "write_file": False,
                         "edit_file": False, "run": False, "check": True}


@pytest.mark.parametrize("typed, broken", [
    (ChatCompletionToolParam, {"type": "function", "function": {"description": "no name"}}),
    (ChatCompletionToolParam, {"type": "tool", "function": {"name": "run"}}),
    (FunctionDefinition, {"name": "run", "parameters": "not an object"}),
    (FunctionToolParam, {"type": "function", "name": "run", "parameters": {}}),  # strict is required
    (ToolParam, {"name": "run", "description": "no schema"}),
    (ToolParam, {"name": "run", "input_schema": "not an object"}),
])
def test_the_sdk_types_reject_a_broken_spec(typed, broken):
    """The validation above can fail: the SDK types refuse specs that miss or mistype a part."""
    with pytest.raises(ValidationError):
        TypeAdapter(typed).validate_python(broken)


def test_mcp_rejects_a_broken_spec():
    with pytest.raises(ValidationError):
        mcp.types.Tool.model_validate({"name": "run", "description": "no schema"})


@pytest.mark.parametrize("format", FORMATS)
def test_spec_schemas_are_valid_and_closed(sales, format):
    """Each schema is valid JSON Schema, accepts the tool's example and refuses bad arguments."""
    strict = format.startswith("openai")
    for spec in sales.session().tools(format):
        name = _name_of(spec, format)
        schema = _schema_of(spec, format)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        example = TOOLS[name].example
        good = strict_form(example, name) if strict else example
        assert not list(validator.iter_errors(good)), (name, good)
        assert list(validator.iter_errors({**good, "surprise": 1}))
        for obj in _walk_objects(schema):
            assert obj["additionalProperties"] is False
            if strict:  # OpenAI strict mode: every property required, optional ones nullable
                assert obj["required"] == list(obj["properties"])
        typed = [p for p in schema["properties"] if p in ("path", "start_line", "code")]
        for prop in typed:
            assert list(validator.iter_errors({**good, prop: [1]})), (name, prop)
        if strict:
            optional = [p for p, f in TOOLS[name].model.model_fields.items() if not f.is_required()]
            assert not list(validator.iter_errors({p: None for p in optional} | {
                p: good[p] for p in good if p not in optional}))
        else:
            missing = [p for p in schema["required"] if p in good]
            for prop in missing:
                assert list(validator.iter_errors({k: v for k, v in good.items() if k != prop}))


def test_descriptions_carry_the_world(sales):
    """describe names the world, its files and its tables, once; every description stays short."""
    specs = {s["name"]: s["description"] for s in sales.session().tools("anthropic")}
    text = specs["describe"]
    assert "World `sales`" in text and "regions.csv, sales.csv" in text
    assert "sales(order_id, date, region, product, units, unit_price)" in text
    assert sum("World `sales`" in d for d in specs.values()) == 1
    assert all(len(d) < 1600 for d in specs.values()), {n: len(d) for n, d in specs.items()}
    assert all(len(d) < 800 for n, d in specs.items() if n != "describe")


def test_descriptions_stay_short_for_a_big_world():
    files = {f"data/table_{i:03}.csv": ",".join(f"col_{j}" for j in range(40)) + "\n" for i in range(60)}
    for spec in World(files, name="big").session().tools("openai"):
        assert len(spec["function"]["description"]) < 1600


def test_unknown_format_is_a_session_error(session):
    with pytest.raises(SessionError, match="formats: openai, openai-responses, anthropic, mcp"):
        session.tools("gemini")


def test_one_model_per_tool_gives_both_schema_forms():
    """The strict form is the plain form with every property required and the optional ones nullable."""
    for tool in TOOLS.values():
        plain, strict = parameters(tool.model, strict=False), parameters(tool.model, strict=True)
        assert list(plain["properties"]) == list(strict["properties"])
        for name, prop in plain["properties"].items():
            if name in plain["required"]:
                assert strict["properties"][name] == prop
            else:
                assert "null" in strict["properties"][name]["type"]


# -- agent loops ----------------------------------------------------------------------------------


def test_js_loop_write_run_edit_run_read(world):
    """The edit-run-read loop: every answer states what changed."""
    s = world.session()
    code = ("const rows = readCSV('data/rows.csv');\n"
            "const total = rows.reduce((sum, r) => sum + r.b, 0);\n"
            "fs.writeFileSync('total.txt', String(totl));\n")
    wrote = s.call("write_file", {"path": "main.js", "content": code})
    assert wrote == f"wrote main.js ({len(code)} bytes, created)"
    first = s.call_result("run", '{"path": "main.js"}')
    assert not first.ok and first.changed == []
    assert "error[JS2020]: `totl` is not declared" in first.text and " --> main.js:3:38" in first.text
    assert "no files changed: the run failed" in first.text
    edited = s.call_result("edit_file", {"path": "main.js", "old": "String(totl)", "new": "String(total)"})
    assert edited.text.startswith("edited main.js: changed line 3") and edited.changed == ["main.js"]
    second = s.call_result("run", {"path": "main.js"})
    assert second.ok and second.changed == ["total.txt"]
    assert "created  total.txt (1 byte)" in second.text
    assert s.call("read_file", {"path": "total.txt"}) == "total.txt (workspace file, 1 line, 1 byte):\n1 | 6"
    assert [(h.target, h.ok, h.changed) for h in s.history] == [
        ("main.js", False, ()), ("main.js", True, ("total.txt",))]
    assert [h.receipt for h in s.history] == [first.receipt, second.receipt]
    assert s.history[0].summary == "failed: JS2020 `totl` is not declared at main.js:3"
    assert s.history[1].source == code.replace("totl", "total")
    listing = s.history_text().splitlines()
    assert listing[1] == f"#2 main.js (js) ok, changed total.txt; receipt {second.receipt}"


def test_sql_loop_on_the_sales_world(sales):
    """A query with a misspelt column, fixed by an edit, then run; a table a JS run wrote is queryable."""
    s = sales.session()
    s.call("write_file", {"path": "q.sql", "content": "SELECT regin, SUM(units) AS units\nFROM sales\n"
                                                          "GROUP BY 1 ORDER BY 1;\n"})
    checked = s.call("check", {"path": "q.sql"})
    assert "error[SQL2005]" in checked and "did you mean `region`?" in checked
    failed = s.call_result("run", {"path": "q.sql"})
    assert not failed.ok and "error[SQL2005]" in failed.text and "--> q.sql:1:8" in failed.text
    fixed = s.call("edit_file", {"path": "q.sql", "old": "regin", "new": "region"})
    assert fixed.startswith("edited q.sql: changed line 1")
    ran = s.call_result("run", {"path": "q.sql"})
    assert ran.ok and ran.changed == []
    assert "region | units" in ran.text and "east   |   136" in ran.text and "(4 rows)" in ran.text
    assert "\n\nno files changed\n\n" in ran.text
    js = s.call_result("run", {"code": "writeCSV('per_region.csv', [{region: 'north', n: 1}])", "lang": "js"})
    assert js.changed == ["per_region.csv"]
    joined = s.call("run", {"code": "SELECT p.n, r.manager FROM per_region p JOIN regions r USING (region)",
                            "lang": "sql"})
    assert "1 | Ada" in joined
    assert [h.summary for h in s.history] == [
        "failed: SQL2005 no column named `regin` at q.sql:1", "ok, 4 rows", "ok, changed per_region.csv",
        "ok, 1 row"]


# -- persistence ----------------------------------------------------------------------------------


def test_state_round_trips_exactly(world):
    s = world.session()
    s.call("write_file", {"path": "main.js", "content": "fs.writeFileSync('o.txt', 'é'); 1"})
    s.write("blob.bin", b"\x00\xff")
    s.call("run", {"path": "main.js"})
    s.call("run", {"code": "null.x"})
    state = s.state()
    text = json.dumps(state)
    again = Session.restore(world, json.loads(text))
    assert again.state() == state and json.dumps(again.state()) == text
    assert again.files == s.files and again.history == s.history
    assert state["files"]["blob.bin"] == {"base64": "AP8="} and state["files"]["o.txt"] == "é"
    assert again.call("run", {"code": "fs.readFileSync('o.txt', 'utf8')"}).count('value: "é"') == 1


@pytest.mark.parametrize("state", [
    {"version": 99},
    {"version": 1, "world": {"name": "other", "digest": "0" * 64}, "files": {}, "history": []},
    {"version": 1, "world": None, "files": {}, "history": []},
    {"version": 1, "world": {"name": "tiny"}, "files": {}, "history": []},
])
def test_restore_refuses_a_foreign_or_broken_state(world, state):
    with pytest.raises(SessionError):
        Session.restore(world, state)


def test_restore_refuses_bad_files(world):
    base = world.session().state()
    for files in ({"in.txt": "x"}, {"../x": "x"}, {"b.bin": {"base64": "!!"}}, {"b": 3}, {"b": {}}):
        with pytest.raises(SessionError):
            Session.restore(world, {**base, "files": files})
    entry = {"target": "<code>", "lang": "js", "ok": True, "receipt": "r", "summary": "ok", "changed": [],
             "source": "1"}
    assert Session.restore(world, {**base, "history": [entry]}).history[0].receipt == "r"
    for bad in ({**entry, "ok": "yes"}, {**entry, "changed": [1]}, {**entry, "extra": 1}, {"target": "x"}):
        with pytest.raises(SessionError):
            Session.restore(world, {**base, "history": [bad]})


# -- the README's loops, against the real SDKs with canned replies ----------------------------------


def _client_for(replies: list[dict[str, Any]], seen: list[dict[str, Any]]) -> httpx2.Client:
    """An HTTP client (httpx2, which both SDKs use) that records requests and answers with ``replies``."""
    def handle(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content))
        return httpx2.Response(200, json=replies[len(seen) - 1])
    return httpx2.Client(transport=httpx2.MockTransport(handle))


def test_openai_chat_loop_from_the_readme(sales):
    from openai import OpenAI

    call = {"id": "call_1", "type": "function",
            "function": {"name": "run", "arguments": json.dumps(
                {"path": None, "code": "SELECT COUNT(*) AS n FROM sales", "lang": "sql"})}}
    replies = [
        {"id": "1", "object": "chat.completion", "created": 0, "model": "m", "choices": [
            {"index": 0, "finish_reason": "tool_calls",
             "message": {"role": "assistant", "content": None, "tool_calls": [call]}}]},
        {"id": "2", "object": "chat.completion", "created": 0, "model": "m", "choices": [
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "40 rows"}}]},
    ]
    seen: list[dict[str, Any]] = []
    client = OpenAI(api_key="test", base_url="http://test/v1", http_client=_client_for(replies, seen))
    session = sales.session()
    messages: list[Any] = [{"role": "user", "content": "How many sales?"}]
    while True:
        reply = client.chat.completions.create(model="gpt-5.5", messages=messages,
                                               tools=session.tools("openai")).choices[0].message
        messages.append(reply)
        if not reply.tool_calls:
            break
        for tool_call in reply.tool_calls:
            messages.append({"role": "tool", "tool_call_id": tool_call.id,
                             "content": session.call(tool_call.function.name, tool_call.function.arguments)})
    assert reply.content == "40 rows"
    assert seen[0]["tools"] == session.tools("openai")
    answer = seen[1]["messages"][2]
    assert answer["role"] == "tool" and "40" in answer["content"] and "(1 row)" in answer["content"]
    assert seen[1]["messages"][1]["tool_calls"][0]["id"] == "call_1"
    assert len(session.history) == 1


def test_anthropic_loop_from_the_readme(sales):
    import anthropic

    usage = {"input_tokens": 1, "output_tokens": 1}
    replies = [
        {"id": "m1", "type": "message", "role": "assistant", "model": "m", "stop_reason": "tool_use",
         "stop_sequence": None, "usage": usage, "content": [
             {"type": "text", "text": "Let me write it."},
             {"type": "tool_use", "id": "tu_1", "name": "write_file",
              "input": {"path": "main.js", "content": "console.log(1)"}}]},
        {"id": "m2", "type": "message", "role": "assistant", "model": "m", "stop_reason": "end_turn",
         "stop_sequence": None, "usage": usage, "content": [{"type": "text", "text": "done"}]},
    ]
    seen: list[dict[str, Any]] = []
    client = anthropic.Anthropic(api_key="test", base_url="http://test",
                                 http_client=_client_for(replies, seen))
    session = sales.session()
    messages: list[Any] = [{"role": "user", "content": "Write main.js."}]
    while True:
        reply = client.messages.create(model="claude-sonnet-4-6", max_tokens=4096, messages=messages,
                                       tools=session.tools("anthropic"))
        messages.append({"role": "assistant", "content": reply.content})
        if reply.stop_reason != "tool_use":
            break
        messages.append({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": block.id, "content": session.call(block.name, block.input)}
            for block in reply.content if block.type == "tool_use"]})
    assert seen[0]["tools"] == session.tools("anthropic")
    result = seen[1]["messages"][2]["content"][0]
    assert result == {"type": "tool_result", "tool_use_id": "tu_1",
                      "content": "wrote main.js (14 bytes, created)"}
    assert session.read("main.js") == "console.log(1)"


def test_run_takes_a_larger_budget_within_ten_times_the_worlds() -> None:
    world = World(files={"a.csv": "x\n" + "".join(f"{i}\n" for i in range(3000))})
    session = world.session()
    code = "SELECT COUNT(*) AS n FROM a p, a q"
    small = session.call_result("run", {"code": code, "lang": "sql", "budget": 1_000_000})
    assert not small.ok and "RUN1008" in small.text
    done = session.call_result("run", {"code": code, "lang": "sql", "budget": 200_000_000})
    assert done.ok and "9000000" in done.text.replace(",", "")
    refused = session.call("run", {"code": "while (true) {}", "budget": 11 * world.limits.fuel})
    assert refused.startswith("error: run: budget must be between 1 and")


# -- run: write and run in one call, pages of rows ---------------------------------------------------


def test_run_with_content_writes_the_file_then_runs_it(session):
    answer = session.call_result("run", {"path": "q.sql", "content": "SELECT COUNT(*) AS n FROM data_rows"})
    assert answer.text.startswith("wrote q.sql (") and "created" in answer.text.split("\n")[0]
    assert "\nn\n" in answer.text.replace(" ", "") and answer.changed == ["q.sql"]
    assert "no files changed by the run" in answer.text
    assert session.read("q.sql") == "SELECT COUNT(*) AS n FROM data_rows"
    again = session.call_result("run", {"path": "q.sql", "content": "SELECT 2 AS two"})
    assert "replaced" in again.text.split("\n")[0] and "two" in again.text
    refused = session.call_result("run", {"code": "SELECT 1", "content": "SELECT 2"})
    assert refused.text.startswith("error: run:") and "path" in refused.text


def test_run_pages_through_a_querys_rows(sales):
    s = sales.session()
    first = s.call_result("run", {"code": "SELECT order_id FROM sales ORDER BY order_id", "lang": "sql"})
    total = sales.run("SELECT COUNT(*) AS n FROM sales", lang="sql").value[0]["n"]
    assert total > 25 and f"more rows ({total:,} in all)" in first.text
    assert "run again with offset=20" in first.text
    page = s.call_result("run", {"code": "SELECT order_id FROM sales ORDER BY order_id", "lang": "sql",
                          "offset": 20, "max_rows": 5})
    ids = [int(line) for line in page.text.split("---\n", 1)[1].split("\n(")[0].split()]
    assert ids == [row["order_id"] for row in sales.run(
        "SELECT order_id FROM sales ORDER BY order_id LIMIT 5 OFFSET 20", lang="sql").value]
    assert f"(rows 21 to 25 of {total:,}; {total - 25:,} more)" in page.text
    assert "offset=25" in page.text
    past = s.call_result("run", {"code": "SELECT 1 AS x", "lang": "sql", "offset": 5})
    assert "(no rows from 6: 1 in all)" in past.text
    for bad in ({"max_rows": 0}, {"max_rows": 501}, {"offset": -1}):
        assert s.call_result("run", {"code": "SELECT 1", "lang": "sql", **bad}).text.startswith("error: run:")
    js = s.call_result("run", {"code": "[1, 2, 3]", "max_rows": 2})
    assert "value: [1, 2, 3]" in js.text  # a short value is shown whole
    long = s.call_result("run", {"code": "Array.from({ length: 300 }, (_, i) => ({ i }))", "offset": 290})
    assert 'value: an array of 300 items; items 291 to 300:\n  {"i": 290}' in long.text
    printed = s.call_result("run", {"code": "for (let i = 0; i < 2000; i++) console.log('line', i)"})
    assert "cut; run again with offset=" in printed.text
    later = s.call_result("run", {"code": "for (let i = 0; i < 2000; i++) console.log('line', i)",
                                  "offset": 1990})
    assert "(from line 1991 of 2000)\nline 1990\n" in later.text and "line 1999" in later.text
    assert "line 1989" not in later.text
