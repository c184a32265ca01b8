"""The host API contract: World, Session, RunResult, Limits and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import codes, run_python
from pydantic import ValidationError

import worlds
from worlds import FileChange, Limits, RunResult, SessionError, World, WorldError

# -- values ----------------------------------------------------------------------------------

VALUES = [
    ("1 + 2", 3),
    ("'a' + 'b'", "ab"),
    ("1.5", 1.5),
    ("true", True),
    ("null", None),
    ("undefined", None),
    ("[1, 'x', null]", [1, "x", None]),
    ("({ a: 1, b: [2, 3], c: { d: 'e' } })", {"a": 1, "b": [2, 3], "c": {"d": "e"}}),
    ("2n ** 70n", "1180591620717411303424"),
    ("new Map([['k', 1]])", {"k": 1}),
    ("new Set([3, 1])", [3, 1]),
    ("new Date(0)", "1970-01-01T00:00:00.000Z"),
    ("({ u: undefined, n: NaN })", {"n": None}),
    ("let x = 0; for (let i = 0; i < 5; i++) x += i; x", 10),
    ("function f() { return 7 } f()", 7),
    ("Promise.resolve(8)", 8),
    ("(async () => 9)()", 9),
]


@pytest.mark.parametrize("code, value", VALUES, ids=[v[0] for v in VALUES])
def test_script_completion_value(code, value):
    """A script's value is its completion value, made JSON-able."""
    r = World().run(code)
    assert r.ok, str(r)
    assert r.value == value


@pytest.mark.parametrize("code", [
    "import fs from 'fs';\nconsole.log(fs.readFileSync('a.txt', 'utf8'));\n42",
    "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync('a.txt', 'utf8'));\n42",
    "import * as path from 'path';\nconsole.log(path.join('x', 'a.txt'));\n42",
    "const t = await Promise.resolve('A');\nconsole.log(t);\n42",
])
def test_module_programs_have_no_value(code):
    """Programs with import or top-level await run as modules: output works, value is None."""
    r = World({"a.txt": "A"}).run(code)
    assert r.ok, str(r)
    assert r.stdout.strip() in ("A", "x/a.txt")
    assert r.value is None


@pytest.mark.parametrize("code, value", [
    ("const s = 'we await you'; s", "we await you"),
    ("'x'; // no need to await\n5", 5),
    ("(async () => await 1)()", 1),
    ("(async () => { await null; return 3 })()", 3),
    ("const importance = 1;\nimportance", 1),
])
def test_await_or_import_in_a_script_does_not_make_it_a_module(code, value):
    """Only real module syntax switches to module mode; scripts keep their value."""
    r = World().run(code)
    assert r.ok, str(r)
    assert r.value == value


def test_promise_resolved_by_a_timer_is_awaited():
    """A completion value that a timer resolves is awaited, not a hang until fuel runs out."""
    r = World().run("new Promise((resolve) => setTimeout(() => resolve(8), 10))", limits={"fuel": 10**9})
    assert r.ok, str(r)
    assert r.value == 8


@pytest.mark.parametrize("code", [
    "Promise.reject(new Error('x')); 1",
    "(async () => { await null; throw new Error('x') })(); 1",
])
def test_unhandled_rejection_is_a_js_error(code):
    """An unhandled promise rejection is reported as the program's error, not 'did not start'."""
    r = World().run(code)
    assert not r.ok
    assert codes(r) == ["JS1006"], str(r)
    assert "x" in r.diagnostics[0].message


def test_rejected_completion_value_is_an_error():
    """A rejected completion promise is JS1006 with the error's message."""
    r = World().run("Promise.reject(new Error('rej'))")
    assert codes(r) == ["JS1006"]
    assert "rej" in r.diagnostics[0].message


# -- errors as diagnostics ----------------------------------------------------------------------

# The checker reports some before the program runs (JS2xxx); the runtime codes are kept
# reachable by programs it cannot judge statically.
ERRORS = [
    ("console.log((1 + 2)", "JS2002"),
    ("totl + 1", "JS2020"),
    ("function f() { return v }\nf();\nlet v = 1;", "JS1002"),
    ("const o = {}; o.a.b", "JS1003"),
    ("null()", "JS1003"),
    ("new Array(-1)", "JS1004"),
    ("fs.readFileSync('nope')", "JS2030"),
    ("fs.readFileSync(['no', 'pe'].join(''))", "JS1005"),
    ("throw 'bad'", "JS1006"),
    ("throw new Error('bad')", "JS1006"),
    ("throw { custom: 1 }", "JS1006"),
]


@pytest.mark.parametrize("code, code_", ERRORS, ids=[e[0] for e in ERRORS])
def test_uncaught_errors_become_diagnostics(code, code_):
    """Each kind of uncaught error maps to its stable code; the run is not ok and has no value."""
    r = World().run(code)
    assert codes(r) == [code_]
    assert not r.ok and r.value is None
    assert r.diagnostics[0].severity == "error"


def test_diagnostic_location_on_later_line():
    """The span points at the failing line in the program."""
    r = World().run("const a = 1;\nconst b = 2;\nnull.x;\n")
    d = r.diagnostics[0]
    assert d.file == "<code>"
    assert d.span.start.line == 3


def test_str_result_shows_rendered_diagnostic():
    """str(result) shows error[CODE], the --> location, the source line and a caret."""
    r = World().run("const o = {}; o.a.b")
    text = str(r)
    assert "error[JS1003]" in text
    assert " --> <code>:1:" in text
    assert "1 | const o = {}; o.a.b" in text
    caret_line = text.splitlines()[text.splitlines().index("1 | const o = {}; o.a.b") + 1]
    assert caret_line.startswith("  | ") and "^" in caret_line
    assert text.rstrip().splitlines()[-1].startswith("failed with 1 error in ")
    assert r.receipt[:16] in text


def test_str_result_of_success():
    """A successful run renders stdout, the value, the files and 'ok'."""
    r = World().run("console.log('hi'); fs.writeFileSync('o.txt', 'abc'); ({ n: 1 })")
    text = str(r)
    assert "stdout:\nhi" in text
    assert 'value: {"n": 1}' in text
    assert "created  o.txt (3 bytes)" in text
    assert text.splitlines()[-1].startswith("ok in ")


def test_str_result_cuts_long_stdout():
    """Long stdout is cut in str(result) with a notice; result.stdout keeps all of it."""
    r = World().run("for (let i = 0; i < 2000; i++) console.log('line ' + i)")
    assert r.ok
    assert r.stdout.count("\n") == 2000
    text = str(r)
    assert "line 1999" not in text
    assert "more characters" in text and "lines) cut" in text
    assert len(text) < 6000


def test_error_inside_a_required_module_points_into_that_file():
    """An error thrown inside a require()d workspace file is located in that file."""
    s = World().session()
    s.write("thrower.js", "\n\nmodule.exports = () => { const o = {}; return o.a.b; };\n")
    s.write("main.js", "const t = require('./thrower.js');\nt();\n")
    r = s.run("main.js")
    assert codes(r) == ["JS1003"]
    assert r.diagnostics[0].file == "thrower.js"
    assert r.diagnostics[0].span.start.line == 3


def test_error_inside_an_imported_module_points_into_that_file():
    """An error inside an imported .mjs file is located in that file with a stack note."""
    s = World().session()
    s.write("t2.mjs", "\n\nexport function f() { const o = {}; return o.a.b; }\n")
    s.write("main.mjs", "import { f } from './t2.mjs';\nf();\n")
    r = s.run("main.mjs")
    d = r.diagnostics[0]
    assert (d.code, d.file, d.span.start.line) == ("JS1003", "t2.mjs", 3)
    assert any("main.mjs:2" in n for n in d.notes)


# -- console ------------------------------------------------------------------------------------

@pytest.mark.parametrize("code, out", [
    ("console.log(1, 'a', true, null, undefined)", "1 a true null undefined\n"),
    ("console.log({ a: 1, b: 'x', c: [1, 2, { d: 3 }] })", "{ a: 1, b: 'x', c: [ 1, 2, { d: 3 } ] }\n"),
    ("console.log(new Map([['k', 1]]), new Set([1]))", "Map(1) { 'k' => 1 } Set(1) { 1 }\n"),
    ("console.log('%s is %d', 'Al', 42)", "Al is 42\n"),
    ("console.log('100%')", "100%\n"),
    ("console.log([])", "[]\n"),
    ("const o = {}; o.o = o; console.log(o)", "<ref *1> { o: [Circular *1] }\n"),
    ("console.table([{ a: 1, b: 2 }, { a: 3 }])",
     "┌─────────┬───┬───┐\n│ (index) │ a │ b │\n├─────────┼───┼───┤\n"
     "│ 0       │ 1 │ 2 │\n│ 1       │ 3 │   │\n└─────────┴───┴───┘\n"),
])
def test_console_formats_like_node(code, out):
    """console.log and console.table format values as Node does."""
    r = World().run(code)
    assert r.ok, str(r)
    assert r.stdout == out


def test_console_error_goes_to_stderr():
    """console.error and console.warn write stderr; console.log writes stdout."""
    r = World().run("console.log('out'); console.error('err'); console.warn('warn')")
    assert (r.stdout, r.stderr) == ("out\n", "err\nwarn\n")


# -- timers -------------------------------------------------------------------------------------

def test_timers_fire_in_order_on_virtual_time():
    """Timers fire by due time then creation order, with Date.now() advancing virtually."""
    r = World(now="2024-01-01T00:00:00Z").run(
        "const t0 = Date.now();\n"
        "setTimeout(() => console.log('b', Date.now() - t0), 20);\n"
        "setTimeout(() => console.log('a', Date.now() - t0), 10);\n"
        "setTimeout(() => { console.log('c', Date.now() - t0);"
        " setTimeout(() => console.log('d', Date.now() - t0), 1000); }, 500);\n"
        "console.log('sync', Date.now() - t0);\n")
    assert r.ok, str(r)
    assert r.stdout == "sync 0\na 10\nb 20\nc 500\nd 1500\n"
    assert r.stats.wall_ms < 1000  # a 1.5 s program costs no real time


def test_timers_due_together_fire_in_creation_order_at_the_same_time():
    """Timers due at the same virtual time fire in creation order and all read that time."""
    r = World().run("const t0 = Date.now();\n"
                    "for (const name of ['x', 'y', 'z']) setTimeout(() => console.log(name, "
                    "Date.now() - t0), 10);\n")
    assert r.stdout == "x 10\ny 10\nz 10\n"


def test_timer_details():
    """Timer args, clearTimeout, setImmediate and microtasks behave as in Node."""
    r = World().run(
        "setTimeout((a, b) => console.log('sum', a + b), 5, 1, 2);\n"
        "const t = setTimeout(() => console.log('cancelled'), 1); clearTimeout(t);\n"
        "setImmediate(() => console.log('immediate'));\n"
        "Promise.resolve().then(() => console.log('micro'));\n"
        "console.log('sync');\n")
    assert r.stdout == "sync\nmicro\nimmediate\nsum 3\n"


def test_set_interval_until_cleared():
    """setInterval repeats every period on virtual time until cleared."""
    r = World().run("const t0 = Date.now(); let n = 0;\n"
                    "const id = setInterval(() => { n++; console.log(n, Date.now() - t0); "
                    "if (n === 3) clearInterval(id); }, 100);\n", limits={"fuel": 2 * 10**8})
    assert r.stdout == "1 100\n2 200\n3 300\n"


def test_error_in_a_timer_fails_the_run():
    """An error thrown in a timer callback is the run's error."""
    r = World().run("setTimeout(() => { throw new Error('in timer') }, 5); 1")
    assert codes(r) == ["JS1006"]
    assert "in timer" in r.diagnostics[0].message


# -- RunResult ----------------------------------------------------------------------------------

def test_run_result_fields():
    """A run's result has stdout, value, files, changes, stats and a hex receipt."""
    w = World({"a.csv": "x,y\n1,2\n"}, now="2024-06-30T12:00:00Z", seed=1)
    r = w.run("console.log(1+2); fs.writeFileSync('o.bin', new Uint8Array([255])); "
              "fs.writeFileSync('o.txt', 'hi'); 4")
    assert isinstance(r, RunResult)
    assert (r.ok, r.stdout, r.value, r.lang) == (True, "3\n", 4, "js")
    assert r.files == {"o.bin": b"\xff", "o.txt": b"hi"}
    assert r.changes == [FileChange(path="o.bin", kind="created", size=1),
                         FileChange(path="o.txt", kind="created", size=2)]
    assert r.stats.fuel > 0 and r.stats.memory_bytes > 0 and r.stats.wall_ms >= 0
    int(r.receipt, 16)
    data = r.to_json()
    assert data["files"] == {"o.bin": {"base64": "/w=="}, "o.txt": "hi"}
    assert data["ok"] is True and "wall_ms" not in data["stats"]
    json.dumps(data)


def test_world_is_immutable():
    """Running never changes the world's files."""
    w = World({"a.txt": "A"})
    w.run("fs.writeFileSync('b.txt', 'B')")
    assert w.files == {"a.txt": b"A"}
    assert w.run("fs.existsSync('b.txt')").value is False


def test_unknown_language():
    """An unknown lang is a WorldError."""
    with pytest.raises(WorldError):
        World().run("1", lang="python")
    with pytest.raises(WorldError):
        World().check("1", lang="python")


def test_describe_lists_files_and_rules():
    """describe() shows the name, now, seed, each file with its size, and the limits."""
    w = World({"big.csv": "x" * 2048, "small.txt": "hi"}, name="demo", description="A demo.",
              now="2024-06-30T12:00:00Z", seed=5)
    text = w.describe()
    assert text.splitlines()[:3] == ["world: demo", "A demo.", "now: 2024-06-30T12:00:00Z    seed: 5"]
    assert "  big.csv    2.0 KB" in text and "  small.txt  2 B" in text
    assert f"fuel {Limits().fuel:,}" in text
    assert "(none)" in World().describe()


# -- sessions -----------------------------------------------------------------------------------

@pytest.fixture
def session():
    return World({"in.txt": "input"}).session()


def test_session_write_read_edit(session):
    """write, read and edit workspace files; read also sees inputs."""
    session.write("a.js", "const x = 1;\nconsole.log(x);\n")
    assert session.read("a.js") == "const x = 1;\nconsole.log(x);\n"
    assert session.read("in.txt") == "input"
    session.edit("a.js", "x = 1", "x = 2")
    assert session.read("a.js") == "const x = 2;\nconsole.log(x);\n"
    session.write("b.bin", b"\x00\xff")
    assert session.files["b.bin"] == b"\x00\xff"
    assert session.list_files() == ["a.js", "b.bin", "in.txt"]


@pytest.mark.parametrize("old", ["missing text", "x", ""])
def test_session_edit_needs_exactly_one_match(session, old):
    """edit raises SessionError when the text is missing, not unique, or empty."""
    session.write("a.js", "x + x")
    with pytest.raises(SessionError):
        session.edit("a.js", old, "y")
    assert session.read("a.js") == "x + x"


@pytest.mark.parametrize("action", [
    lambda s: s.write("in.txt", "x"),
    lambda s: s.edit("in.txt", "input", "x"),
    lambda s: s.write("../x.js", "x"),
    lambda s: s.write("/abs.js", "x"),
    lambda s: s.write(".worlds/boot.mjs", "x"),
    lambda s: s.read("nope.txt"),
    lambda s: s.run("nope.js"),
    lambda s: s.run(),
    lambda s: s.run("in.txt", code="1"),
])
def test_session_errors(session, action):
    """Misuse of a session raises SessionError (a WorldsError)."""
    with pytest.raises(SessionError):
        action(session)
    assert isinstance(SessionError("x"), worlds.WorldsError)


def test_session_run_needs_a_known_language(session):
    """A file without a JS extension needs lang=."""
    session.write("prog.txt", "1 + 1")
    with pytest.raises(SessionError):
        session.run("prog.txt")
    assert session.run("prog.txt", lang="js").value == 2


def test_session_outputs_join_the_workspace(session):
    """A successful run's files join the workspace and a later run sees them; history has receipts."""
    session.write("util.js", "module.exports = { add: (a, b) => a + b };\n")
    session.write("main.js", "const { add } = require('./util.js');\n"
                             "fs.writeFileSync('out.txt', String(add(2, 3)));\nadd(4, 5)\n")
    r1 = session.run("main.js")
    assert r1.ok and r1.value == 9
    assert session.read("out.txt") == "5"
    r2 = session.run(code="fs.readFileSync('out.txt', 'utf8') + fs.readFileSync('in.txt', 'utf8')")
    assert r2.value == "5input"
    r3 = session.run(code="null.x")
    assert not r3.ok
    assert [(h.target, h.ok) for h in session.history] == [
        ("main.js", True), ("<code>", True), ("<code>", False)]
    assert [h.receipt for h in session.history] == [r1.receipt, r2.receipt, r3.receipt]


def test_session_deletions_apply(session):
    """A file a successful run deletes leaves the workspace."""
    session.write("tmp.txt", "x")
    session.run(code="fs.unlinkSync('tmp.txt')")
    assert "tmp.txt" not in session.files
    with pytest.raises(SessionError):
        session.read("tmp.txt")


def test_session_require_json_and_index(session):
    """require finds .json files and dir/index.js in the workspace."""
    session.write("cfg.json", '{"k": 1}')
    session.write("lib/index.js", "module.exports = 'idx';")
    assert session.run(code="[require('./cfg.json').k, require('./lib')]").value == [1, "idx"]
    r = session.run(code="require('lodash')")  # the checker knows there are no npm packages
    assert codes(r) == ["JS2031"] and "lodash" in r.diagnostics[0].message
    r = session.run(code="require(['lod', 'ash'].join(''))")
    assert codes(r) == ["JS1006"] and "Cannot find module" in r.diagnostics[0].message


def test_session_import_workspace_module(session):
    """A module program can import a workspace .mjs file."""
    session.write("util.mjs", "export const add = (a, b) => a + b;\n")
    session.write("main.mjs", "import { add } from './util.mjs';\nconsole.log(add(1, 2));\n")
    r = session.run("main.mjs")
    assert r.ok and r.stdout == "3\n" and r.value is None


def test_session_receipt_binds_the_workspace(session):
    """The same entry file with different workspace contents gives a different receipt."""
    session.write("main.js", "1")
    r1 = session.run("main.js")
    session.write("main.js", "1 ")
    r2 = session.run("main.js")
    assert r1.value == r2.value == 1
    assert r1.receipt != r2.receipt


# -- building worlds ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["/abs.txt", "../x", "a/../b", "a\0b", "", ".", "..", ".worlds/x", "fs",
                                  "node:fs", "path", "x" * 300, "d/" + "y" * 256])
def test_bad_file_names(name):
    """Absolute, climbing, NUL, reserved and over-long names are WorldErrors."""
    with pytest.raises(WorldError):
        World({name: "x"})


@pytest.mark.parametrize("files", [
    {"a": "x", "a/b": "y"},
    {"a/b": "y", "a": "x"},
])
def test_a_name_cannot_be_both_file_and_directory(files):
    """A world where one name is a file and a directory is refused when built, as a WorldError."""
    with pytest.raises(WorldError):
        World(files).run("1")


@pytest.mark.parametrize("content", [5, 3.5, None, ["a"]])
def test_file_contents_must_be_text_or_bytes(content):
    """File contents other than str or bytes are a WorldError, not silently converted."""
    with pytest.raises(WorldError):
        World({"a.txt": content})


def test_workspace_file_under_an_input_file():
    """A session file nested under an input file is refused (SessionError) or runs; it never crashes."""
    s = World({"in.txt": "x"}).session()
    try:
        s.write("in.txt/x.js", "1")
    except SessionError:
        return
    assert isinstance(s.run(code="1"), RunResult)


@pytest.mark.parametrize("kwargs", [
    {"now": "yesterday"}, {"now": 5}, {"now": "2024-13-01T00:00:00Z"},
    {"seed": "1"}, {"seed": 1.0}, {"seed": True}, {"seed": 2**63}, {"seed": -(2**63) - 1},
])
def test_bad_world_rules(kwargs):
    """Bad now or seed values are WorldErrors."""
    with pytest.raises(WorldError):
        World(**kwargs)


@pytest.mark.parametrize("limits", [
    {"fuel": 0}, {"fuel": -1}, {"wall_ms": 0}, {"memory_bytes": 1 << 20}, {"output_bytes": 0},
    {"write_bytes": -5}, {"fuel": "lots"}, {"fuel": 1.5}, {"gpu": 1},
])
def test_bad_limits(limits):
    """Invalid limits are WorldErrors for worlds and for single runs."""
    with pytest.raises(WorldError):
        World(limits=limits)
    with pytest.raises(WorldError):
        World().run("1", limits=limits)


def test_limits_model():
    """Limits validates directly, is frozen, and merges overrides."""
    with pytest.raises(ValidationError):
        Limits(fuel=0)
    lim = Limits(fuel=5)
    with pytest.raises(ValidationError):
        lim.fuel = 6  # type: ignore[misc]
    assert Limits().merged({"fuel": 7}).fuel == 7
    assert Limits(wall_ms=5).merged(Limits(fuel=7)) == Limits(wall_ms=5, fuel=7)
    assert World(limits={"fuel": 10**8}).limits.fuel == 10**8


def test_run_limits_override_world_limits():
    """Per-run limits apply on top of the world's limits."""
    w = World(limits={"fuel": 10**8})
    assert codes(w.run("while(true){}")) == ["RUN1001"]
    assert w.run("while(true){}").stats.fuel == 10**8
    assert w.run("while(true){}", limits={"fuel": 2 * 10**7}).stats.fuel == 2 * 10**7
    assert w.run("while(true){}", limits=Limits(fuel=3 * 10**7)).stats.fuel == 3 * 10**7


def write_world(root: Path, toml: str | None, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if toml is not None:
        (root / "world.toml").write_text(toml)
    for name, content in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def test_from_dir_reads_manifest_and_files(tmp_path):
    """from_dir reads every file (not dotfiles) and world.toml's name, now, seed and limits."""
    root = write_world(tmp_path / "shop", 'name = "shop"\ndescription = "d"\nnow = "2024-06-30T12:00:00Z"\n'
                       "seed = 7\n[limits]\nfuel = 100_000_000\nwall_ms = 5000\n",
                       {"a.csv": "x\n", "sub/b.bin": b"\xff", ".git/config": "secret", ".env": "KEY=1"})
    w = World.from_dir(root)
    assert (w.name, w.description, w.now_text, w.seed) == ("shop", "d", "2024-06-30T12:00:00Z", 7)
    assert w.limits.fuel == 100_000_000 and w.limits.wall_ms == 5000
    assert w.files == {"a.csv": b"x\n", "sub/b.bin": b"\xff"}
    assert w.run("Date.now()").value == 1719748800000
    assert w.run("Math.random()").value == World(seed=7).run("Math.random()").value


def test_from_dir_without_manifest(tmp_path):
    """Without world.toml the name is the directory's and the rules are defaults."""
    w = World.from_dir(write_world(tmp_path / "plain", None, {"x.txt": "1"}))
    assert (w.name, w.seed, w.now_text) == ("plain", 0, "2024-01-01T00:00:00Z")


def test_from_dir_keeps_nested_world_toml(tmp_path):
    """Only the top-level world.toml is the manifest; a nested one is an ordinary input."""
    w = World.from_dir(write_world(tmp_path / "w", "seed = 1\n", {"sub/world.toml": "x = 1\n"}))
    assert "sub/world.toml" in w.files


@pytest.mark.parametrize("toml", [
    "seed = ",                      # not TOML
    "bogus = 1",                    # unknown key
    'seed = "7"',                   # wrong type
    "now = 2024-06-30",             # a date, not a time
    "[limits]\nfuel = -1",          # invalid limit
    "[limits]\nram = 1",            # unknown limit
    "limits = 5",                   # limits not a table
    'limits = "fast"',
])
def test_from_dir_bad_manifest(tmp_path, toml):
    """A bad world.toml is a WorldError."""
    root = write_world(tmp_path / "bad", toml, {"a.txt": "1"})
    with pytest.raises(WorldError):
        World.from_dir(root)


def test_from_dir_not_a_directory(tmp_path):
    """from_dir of a missing path or a file is a WorldError."""
    with pytest.raises(WorldError):
        World.from_dir(tmp_path / "missing")
    (tmp_path / "f").write_text("x")
    with pytest.raises(WorldError):
        World.from_dir(tmp_path / "f")


def test_bundled_worlds():
    """The catalog's sales and inventory worlds load with their files and rules."""
    from worlds import catalog
    assert {"inventory", "sales"} <= set(catalog.names())
    sales = catalog.load("sales")
    assert set(sales.files) == {"regions.csv", "sales.csv"}
    assert (sales.now_text, sales.seed) == ("2024-06-30T12:00:00Z", 42)
    assert catalog.load("inventory").limits.fuel == 1_000_000_000
    r = sales.run("fs.readFileSync('sales.csv', 'utf8').split('\\n')[0]")
    assert r.ok and "," in r.value
    with pytest.raises(WorldError):
        catalog.load("nope")


# -- the engine pin ------------------------------------------------------------------------------

def test_engine_with_wrong_sha256_is_refused(tmp_path):
    """WORLDS_QJS_WASM pointing at other bytes makes a fresh process fail with an EngineError about sha256."""
    fake = tmp_path / "fake.wasm"
    fake.write_bytes(b"\0asm\x01\0\0\0 not the pinned engine")
    script = ("from worlds import World, EngineError\n"
              "try:\n    World().run('1')\n"
              "except EngineError as e:\n    print('ENGINE-ERROR', e)\n")
    proc = run_python(script, env={"WORLDS_QJS_WASM": str(fake), "WORLDS_CACHE_DIR": str(tmp_path / "cache")})
    assert proc.returncode == 0, proc.stderr
    assert "ENGINE-ERROR" in proc.stdout and "sha256" in proc.stdout
    assert str(fake) in proc.stdout


def test_engine_missing_file_is_refused(tmp_path):
    """WORLDS_QJS_WASM pointing at no file is an EngineError."""
    proc = run_python("from worlds import World\nWorld().run('1')\n",
                      env={"WORLDS_QJS_WASM": str(tmp_path / "none.wasm")})
    assert proc.returncode != 0
    assert "EngineError" in proc.stderr


def test_default_limits_grow_with_the_inputs_and_given_ones_win() -> None:
    small = Limits.for_inputs(500_000)
    assert small == Limits()
    big = Limits.for_inputs(36 << 20)
    assert big.fuel == Limits().fuel + 35 * 5_000_000_000 and big.steps == Limits().steps + 35 * 10_000_000
    assert big.memory_bytes == 576 << 20 and Limits.for_inputs(1 << 30).memory_bytes == 1 << 30
    world = World(files={"big.txt": b"x" * (3 << 20)}, limits={"fuel": 12345})
    assert world.limits.fuel == 12345 and world.limits.steps == Limits().steps + 2 * 10_000_000
    assert "defaults grow per MiB of input" in world.describe()


def test_one_long_line_of_output_says_how_to_see_it_all() -> None:
    from worlds import World
    text = str(World(files={"a.txt": "x"}).run(
        "console.log(JSON.stringify(Array.from({ length: 900 }, (_, i) => ({ i }))))"))
    assert "the line goes on for" in text and "print it in parts" in text and "offset=" not in text
