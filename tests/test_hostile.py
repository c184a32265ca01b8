"""Hostile programs are contained: each ends in a clear diagnostic and the host is unharmed."""

from __future__ import annotations

import json

import pytest
from conftest import assert_healthy, codes

from worlds import World

pytestmark = pytest.mark.usefixtures("healthy")

INPUTS = {"in.txt": "hello", "data/rows.csv": "a,b\n1,2\n", "bad.bin": b"ok\xff\xfe\x80end\xc3"}


@pytest.fixture(scope="module")
def world() -> World:
    return World(INPUTS, now="2024-06-30T12:00:00Z", seed=3)


# -- limits -------------------------------------------------------------------------------

def test_infinite_loop_runs_out_of_fuel(world):
    """`while(true){}` stops with RUN1001 at exactly the fuel limit."""
    r = world.run("while(true){}", limits={"fuel": 10**8})
    assert codes(r) == ["RUN1001"]
    assert not r.ok and r.value is None
    assert r.stats.fuel == 10**8
    assert "10" in r.diagnostics[0].message and "fuel" in r.diagnostics[0].message


def test_fuel_limited_runs_stop_at_the_same_point(world):
    """A fuel-limited run stops at the same instruction every time: same fuel, same output."""
    code = "let i = 0; while (true) { if (i % 5000 === 0) console.log(i); i++; }"
    a = world.run(code, limits={"fuel": 5 * 10**7})
    b = world.run(code, limits={"fuel": 5 * 10**7})
    assert codes(a) == codes(b) == ["RUN1001"]
    assert a.stats.fuel == b.stats.fuel
    assert a.stdout == b.stdout and a.stdout.count("\n") > 3
    assert a.receipt == b.receipt


def test_memory_bomb_hits_the_memory_limit(world):
    """Allocating without end stops with RUN1003 under a 64 MB cap."""
    r = world.run("const a=[]; while(true) a.push(new Array(1e6).fill(1))",
                  limits={"memory_bytes": 64 << 20})
    assert codes(r) == ["RUN1003"]
    assert r.stats.memory_bytes <= 64 << 20


def test_one_huge_allocation_hits_the_memory_limit(world):
    """A single allocation over the cap is RUN1003, not a crash."""
    r = world.run("new ArrayBuffer(200e6).byteLength", limits={"memory_bytes": 32 << 20})
    assert codes(r) == ["RUN1003"]


@pytest.mark.parametrize("code", [
    "function f(){return f()+1} f()",
    "const g = (n) => g(n + 1) * 2; g(0)",
    "function a(n){return b(n)+1} function b(n){return a(n)+1} a(0)",
])
def test_unbounded_recursion_is_a_stack_diagnostic(world, code):
    """Recursion without a base case stops with RUN1006."""
    r = world.run(code)
    assert codes(r) == ["RUN1006"]


def test_stdout_flood_is_cut_at_the_limit(world):
    """Printing without end stops with RUN1004 and stdout holds exactly the limit."""
    r = world.run("while(true) console.log('x'.repeat(1000))")
    assert codes(r) == ["RUN1004"]
    assert len(r.stdout.encode()) == world.limits.output_bytes
    assert set(r.stdout) <= {"x", "\n"}


def test_output_limit_counts_stdout_and_stderr_together(world):
    """stdout plus stderr together never pass a small output limit."""
    r = world.run("for (;;) { console.log('o'.repeat(30)); console.error('e'.repeat(30)); }",
                  limits={"output_bytes": 1000})
    assert codes(r) == ["RUN1004"]
    assert len(r.stdout.encode()) + len(r.stderr.encode()) == 1000
    assert r.stdout and r.stderr


def test_huge_file_writes_hit_the_write_limit_and_keep_nothing(world):
    """Writing files without end stops with RUN1005 and no file is kept."""
    r = world.run("const s = 'x'.repeat(1 << 20); "
                  "for (let i = 0; ; i++) fs.writeFileSync('f' + (i % 3) + '.txt', s)")
    assert codes(r) == ["RUN1005"]
    assert r.files == {} and r.changes == []


def test_append_loop_hits_the_write_limit(world):
    """Appending to one file without end is RUN1005 too."""
    r = world.run("for (;;) fs.appendFileSync('log.txt', 'y'.repeat(4096))",
                  limits={"write_bytes": 100_000})
    assert codes(r) == ["RUN1005"]
    assert r.files == {}


@pytest.mark.parametrize("code, expected", [
    ("'x'.repeat(2000)", []),
    ("fs.writeFileSync('a.txt', 'x'.repeat(900)); 'y'.repeat(200)", []),
    ("throw new Error('x'.repeat(2000))", ["JS1006"]),
])
def test_value_and_error_report_do_not_count_as_file_writes(world, code, expected):
    """Only files count against write_bytes: a large value or error message is not RUN1005."""
    r = world.run(code, limits={"write_bytes": 1000})
    assert codes(r) == expected, str(r)


def test_wall_clock_deadline(world):
    """With a large fuel budget, a tiny wall_ms stops the run with RUN1002."""
    r = world.run("while(true){}", limits={"wall_ms": 50, "fuel": 10**12})
    assert codes(r) == ["RUN1002"]
    assert r.stats.wall_ms < 2000


def test_deadline_message_names_the_limit(world):
    """The RUN1002 message states the configured deadline (50 ms), not the measured time."""
    r = world.run("while(true){}", limits={"wall_ms": 50, "fuel": 10**12})
    assert "50 ms" in r.diagnostics[0].message, r.diagnostics[0].message


def test_endless_interval_is_stopped_by_fuel(world):
    """A setInterval that is never cleared runs on virtual time until fuel runs out."""
    r = world.run("setInterval(() => {}, 1)", limits={"fuel": 10**8})
    assert codes(r) == ["RUN1001"]


# -- the file system boundary ---------------------------------------------------------------

ESCAPES = ["../x", "/etc/passwd", "/proc/self/environ", "../../etc/passwd", "/../etc/passwd",
           "data/../../etc/passwd", "./../in.txt", "/etc/hostname", "/dev/null", "~/.bashrc"]


def test_path_traversal_reads_fail_inside_js(world):
    """Reads outside the world fail with ENOENT or EACCES and return no host data."""
    code = (f"const out = {{}}; for (const p of {json.dumps(ESCAPES)}) "
            "{ try { out[p] = 'READ:' + fs.readFileSync(p, 'utf8') } catch (e) { out[p] = e.code } } out")
    r = world.run(code)
    assert r.ok, str(r)
    assert set(r.value) == set(ESCAPES)
    for path, outcome in r.value.items():
        assert outcome in ("ENOENT", "EACCES"), (path, outcome)


def test_traversal_listing_shows_only_the_world(world):
    """Listing '/', '..' or a climbing path never shows host directories."""
    r = world.run("const out = {}; for (const p of ['/', '.', '..', 'data/../..']) "
                  "{ try { out[p] = fs.readdirSync(p) } catch (e) { out[p] = e.code } } out")
    assert r.value["/"] == r.value["."] == ["bad.bin", "data", "in.txt"]
    assert r.value[".."] == r.value["data/../.."] == "EACCES"


@pytest.mark.parametrize("op", [
    "fs.writeFileSync('in.txt', 'x')",
    "fs.appendFileSync('in.txt', 'x')",
    "fs.writeFileSync('data/rows.csv', '')",
    "fs.unlinkSync('in.txt')",
    "fs.renameSync('in.txt', 'moved.txt')",
    "fs.rmSync('data', {recursive: true})",
])
def test_inputs_are_read_only(world, op):
    """Changing an input fails with EACCES (JS1005 when uncaught) and the input is unchanged."""
    caught = world.run(f"try {{ {op}; 'no error' }} catch (e) {{ e.code }}")
    assert caught.value == "EACCES"
    uncaught = world.run(op)
    assert codes(uncaught) == ["JS1005"]
    assert "EACCES" in uncaught.diagnostics[0].message
    assert world.run("fs.readFileSync('in.txt', 'utf8')").value == "hello"


@pytest.mark.parametrize("path", ["a\\u0000b.txt", "\\u0000", "in.txt\\u0000.js"])
def test_nul_bytes_in_paths_are_errors(world, path):
    """A NUL byte in a path is an error inside JS, never a crash."""
    r = world.run(f"const out = []; for (const f of [() => fs.writeFileSync('{path}', 'x'), "
                  f"() => fs.readFileSync('{path}'), () => fs.existsSync('{path}')]) "
                  "{ try { out.push(String(f())) } catch (e) { out.push(e.code || e.name) } } out")
    assert r.ok, str(r)
    assert r.value[0] != "undefined" and r.value[1] != "undefined"
    assert r.value[2] == "false"
    assert r.files == {}


def test_very_long_paths_are_errors(world):
    """5000-character paths and 300-character names fail with ENAMETOOLONG, never a crash."""
    r = world.run("const out = []; for (const p of ['x'.repeat(5000), 'y'.repeat(300), 'd/'.repeat(2500)]) "
                  "for (const f of [() => fs.writeFileSync(p, 'x'), () => fs.readFileSync(p), "
                  "() => fs.mkdirSync(p, {recursive: true})]) "
                  "{ try { f(); out.push('ok') } catch (e) { out.push(e.code) } } out")
    assert r.ok, str(r)
    assert r.value == ["ENAMETOOLONG"] * 9


def test_invalid_utf8_reads_as_replacement_characters(world):
    """Invalid UTF-8 read as 'utf8' becomes U+FFFD; read as a Buffer it is exact."""
    r = world.run("[fs.readFileSync('bad.bin', 'utf8'), Array.from(fs.readFileSync('bad.bin'))]")
    assert r.ok, str(r)
    text, raw = r.value
    assert bytes(raw) == INPUTS["bad.bin"]
    assert text.startswith("ok") and text.endswith("\ufffd") and "end" in text
    assert "\ufffd" in text[2:5]


def test_failed_run_changes_nothing(world):
    """A program that writes then throws leaves files and changes empty."""
    r = world.run("fs.writeFileSync('x.txt', '1'); fs.mkdirSync('d'); fs.writeFileSync('d/y', '2'); "
                  "throw new Error('boom')")
    assert codes(r) == ["JS1006"]
    assert r.files == {} and r.changes == []


def test_failed_session_run_leaves_the_workspace_alone(world):
    """A failed session run neither adds nor deletes workspace files."""
    s = world.session()
    s.write("keep.txt", "1")
    r = s.run(code="fs.unlinkSync('keep.txt'); fs.writeFileSync('new.txt', 'n'); null.x")
    assert not r.ok
    assert s.files == {"keep.txt": b"1"}


# -- the runtime's own files ---------------------------------------------------------------

HIDDEN_SPELLINGS = [".worlds/boot.mjs", "/.worlds/boot.mjs", "./.worlds/boot.mjs",
                    ".//.worlds/boot.mjs", "data/../.worlds/boot.mjs", "./.worlds/lib/fs.js"]


@pytest.mark.parametrize("path", HIDDEN_SPELLINGS)
def test_runtime_files_cannot_be_read(world, path):
    """The runtime's hidden files cannot be read by any spelling of their path."""
    r = world.run(f"try {{ fs.readFileSync({json.dumps(path)}, 'utf8').slice(0, 40) }} "
                  "catch (e) { e.code }")
    assert r.value in ("ENOENT", "EACCES"), f"{path} was readable: {r.value!r}"


@pytest.mark.parametrize("path", [".worlds", "./.worlds", "/.worlds", "data/../.worlds"])
def test_runtime_directory_does_not_exist_for_the_program(world, path):
    """existsSync of the runtime directory is false by every spelling."""
    assert world.run(f"fs.existsSync({json.dumps(path)})").value is False


def test_listing_shows_only_world_files(world):
    """readdirSync('.') lists the world's files and the program's own, nothing of the runtime."""
    r = world.run("fs.writeFileSync('mine.txt', '1'); fs.readdirSync('.')")
    assert r.value == ["bad.bin", "data", "in.txt", "mine.txt"]
    assert set(r.files) == {"mine.txt"}


def test_outcome_channel_cannot_be_forged(world):
    """A program cannot write the outcome channel to turn its failure into success."""
    # The module name is computed: the checker would refuse 'qjs:std' before the sandbox is tested.
    code = ("const std = await import(['qjs', 'std'].join(':'));\n"
            "for (const p of ['/.worlds/outcome', '.worlds/outcome']) {\n"
            "  const f = std.open(p, 'w');\n"
            "  if (f) { f.puts('{\"ok\":true,\"value\":\"forged\"}'); f.flush(); }\n"
            "}\n"
            "throw new Error('real failure');\n")
    r = world.run(code)
    assert not r.ok
    assert r.value != "forged"
    assert codes(r) == ["JS1006"] and "real failure" in r.diagnostics[0].message


def test_runs_do_not_share_state():
    """Globals, Math.random overrides and files from one run are gone in the next."""
    w = World()
    first = w.run("globalThis.leak = 42; Math.random = () => 0.5; Date.now = () => 1; "
                  "fs.writeFileSync('left.txt', 'x'); 1")
    assert first.ok
    second = w.run("[typeof leak, Math.random() === 0.5, Date.now() === 1, fs.existsSync('left.txt')]")
    assert second.value == ["undefined", False, False, False]


# -- values and messages the host must survive ------------------------------------------------

@pytest.mark.parametrize("code", [
    "'\\ud800'",
    "({ ['\\udc00']: 1 })",
    "throw new Error('bad \\ud800 text')",
    "fs.writeFileSync('\\ud800.txt', 'x')",
    "console.log('\\ud800'); 1",
])
def test_lone_surrogates_do_not_crash_the_host(code):
    """A lone UTF-16 surrogate in a value, message or path gives a result, not a host exception."""
    r = World().run(code)
    assert isinstance(r.receipt, str) and len(r.receipt) == 64
    json.dumps(r.to_json())
    str(r)


@pytest.mark.parametrize("depth", [300, 1000, 5000])
def test_deeply_nested_values_do_not_crash_the_host(depth):
    """A deeply nested completion value gives a result, not a host exception."""
    r = World().run(f"let a = []; for (let i = 0; i < {depth}; i++) a = [a]; a")
    assert len(r.receipt) == 64
    json.dumps(r.to_json())


def test_host_is_healthy_after_everything():
    """After all the above, a plain run still works."""
    assert_healthy()


def test_replacing_json_stringify_cannot_forge_the_outcome(world):
    """The bootstrap keeps its own JSON.stringify: a program that replaces it still fails."""
    r = world.run("JSON.stringify = () => '{\"ok\":true,\"value\":\"forged\"}';\nthrow new Error('real')")
    assert not r.ok and codes(r) == ["JS1006"] and r.value is None
    assert "real" in r.diagnostics[0].message
    assert_healthy()
