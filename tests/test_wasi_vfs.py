"""The in-memory file system: VFS unit tests, then Node's fs API through JS programs."""

from __future__ import annotations

import json

import pytest
from conftest import codes

from worlds import World
from worlds.sandbox import errno as E
from worlds.sandbox.vfs import NAME_MAX, PATH_MAX, VFS, Dir, File, FsError, WriteBudgetExceeded, split


def errno_of(fn, *args) -> int:
    with pytest.raises(FsError) as info:
        fn(*args)
    return info.value.errno


@pytest.fixture
def vfs() -> VFS:
    """Inputs a.txt and d/b.txt, workspace w.txt, hidden .rt/x.js; snapshot taken."""
    v = VFS()
    v.add_file("a.txt", b"A", readonly=True)
    v.add_file("d/b.txt", b"B", readonly=True)
    v.add_file("w.txt", b"W")
    v.add_file(".rt/x.js", b"X", hidden=True)
    v.snapshot()
    return v


# -- split and resolve ------------------------------------------------------------------------

@pytest.mark.parametrize("path, parts", [
    ("a", ("a",)), ("a/b", ("a", "b")), ("./a//b/", ("a", "b")), ("/a", ("a",)), ("a\\b", ("a", "b")),
])
def test_split_accepts_plain_paths(path, parts):
    """split normalises slashes, '.' and backslashes."""
    assert split(path) == parts


@pytest.mark.parametrize("path", ["", ".", "/", "..", "a/../b", "../a", "a/\0b", "./"])
def test_split_refuses_unusual_paths(path):
    """split refuses empty paths, '..' and NUL."""
    with pytest.raises(ValueError):
        split(path)


@pytest.mark.parametrize("base, path, expected", [
    ((), "a/b", ("a", "b")),
    ((), "/a/./b/", ("a", "b")),
    (("d",), "x", ("d", "x")),
    (("d",), "../x", ("x",)),
    (("d", "e"), "../../x", ("x",)),
    ((), "a/../b", ("b",)),
    ((), "", ()),
])
def test_resolve_inside_the_root(vfs, base, path, expected):
    """Paths that stay inside the root resolve lexically."""
    assert vfs.resolve(base, path) == expected


@pytest.mark.parametrize("base, path, errno", [
    ((), "..", E.NOTCAPABLE),
    ((), "../x", E.NOTCAPABLE),
    ((), "a/../../x", E.NOTCAPABLE),
    (("d",), "../../etc/passwd", E.NOTCAPABLE),
    ((), "a\0b", E.INVAL),
    ((), "x" * (PATH_MAX + 1), E.NAMETOOLONG),
    ((), "y" * (NAME_MAX + 1), E.NAMETOOLONG),
    ((), "é" * (NAME_MAX // 2 + 1), E.NAMETOOLONG),  # the limits count UTF-8 bytes
])
def test_resolve_refuses_escapes_and_bad_names(vfs, base, path, errno):
    """Escapes above the root, NUL and over-long names are refused with the right errno."""
    assert errno_of(vfs.resolve, base, path) == errno


def test_resolve_absolute_paths_are_world_rooted(vfs):
    """'/etc/passwd' means the world's etc/passwd, which does not exist."""
    parts = vfs.resolve((), "/etc/passwd")
    assert parts == ("etc", "passwd")
    assert errno_of(vfs.lookup, parts) == E.NOENT


# -- lookup and mutation errnos ------------------------------------------------------------------

def test_lookup(vfs):
    """lookup finds files and dirs, NOENT for missing, NOTDIR through a file."""
    assert isinstance(vfs.lookup(("d",)), Dir)
    assert vfs.lookup(("d", "b.txt")).data == b"B"
    assert errno_of(vfs.lookup, ("nope",)) == E.NOENT
    assert errno_of(vfs.lookup, ("a.txt", "x")) == E.NOTDIR


@pytest.mark.parametrize("parts, errno", [
    (("w.txt",), E.EXIST),
    (("d",), E.EXIST),
    (("missing", "x"), E.NOENT),
    (("a.txt", "x"), E.NOTDIR),
    ((".rt", "new"), E.ACCES),
    ((), E.PERM),
])
def test_mkdir_errors(vfs, parts, errno):
    """mkdir refuses existing names, missing parents, files as parents, hidden dirs, the root."""
    assert errno_of(vfs.mkdir, parts) == errno


def test_mkdir_and_rmdir(vfs):
    """mkdir creates an empty dir that rmdir removes."""
    vfs.mkdir(("n",))
    assert isinstance(vfs.lookup(("n",)), Dir)
    vfs.rmdir(("n",))
    assert errno_of(vfs.lookup, ("n",)) == E.NOENT


@pytest.mark.parametrize("parts, errno", [
    (("d",), E.NOTEMPTY),
    (("w.txt",), E.NOTDIR),
    (("nope",), E.NOENT),
    ((".rt",), E.NOTEMPTY),
    ((), E.PERM),
])
def test_rmdir_errors(vfs, parts, errno):
    """rmdir refuses non-empty dirs, files, missing names and the root."""
    assert errno_of(vfs.rmdir, parts) == errno


@pytest.mark.parametrize("parts, errno", [
    (("d",), E.ISDIR),
    (("a.txt",), E.ACCES),
    (("d", "b.txt"), E.ACCES),
    ((".rt", "x.js"), E.ACCES),
    (("nope",), E.NOENT),
])
def test_unlink_errors(vfs, parts, errno):
    """unlink refuses dirs, inputs, hidden files and missing names."""
    assert errno_of(vfs.unlink, parts) == errno


def test_unlink_workspace_file(vfs):
    """A workspace file can be unlinked."""
    vfs.unlink(("w.txt",))
    assert errno_of(vfs.lookup, ("w.txt",)) == E.NOENT


@pytest.mark.parametrize("src, dst, errno", [
    (("a.txt",), ("z",), E.ACCES),          # an input cannot move
    (("w.txt",), ("a.txt",), E.ACCES),      # nor be replaced
    (("w.txt",), (".rt", "y"), E.ACCES),    # nothing moves into the runtime's dir
    ((".rt", "x.js"), ("y",), E.ACCES),     # nor out of it
    (("nope",), ("z",), E.NOENT),
    (("w.txt",), ("missing", "z"), E.NOENT),
])
def test_rename_errors(vfs, src, dst, errno):
    """rename refuses read-only sources and targets and missing names."""
    assert errno_of(vfs.rename, src, dst) == errno


def test_rename_type_conflicts():
    """rename: file over dir EISDIR, dir over file ENOTDIR, over full dir ENOTEMPTY, into itself EINVAL."""
    v = VFS()
    v.add_file("f", b"1")
    v.add_file("full/x", b"2")
    v.mkdir(("e",))
    v.mkdir(("e2",))
    assert errno_of(v.rename, ("f",), ("e",)) == E.ISDIR
    assert errno_of(v.rename, ("e",), ("f",)) == E.NOTDIR
    assert errno_of(v.rename, ("e",), ("full",)) == E.NOTEMPTY
    assert errno_of(v.rename, ("e",), ("e", "inner")) == E.INVAL
    v.rename(("e",), ("e2",))  # an empty dir may replace an empty dir
    assert errno_of(v.lookup, ("e",)) == E.NOENT


def test_rename_moves_and_replaces(vfs):
    """rename moves a file, replacing a workspace file at the target."""
    vfs.add_file("v.txt", b"V")
    vfs.rename(("w.txt",), ("v.txt",))
    assert vfs.lookup(("v.txt",)).data == b"W"
    vfs.rename(("v.txt",), ("v.txt",))  # onto itself: nothing happens
    assert vfs.lookup(("v.txt",)).data == b"W"


def test_create_file(vfs):
    """create_file makes a new empty file, but not over hidden files or in hidden dirs."""
    node = vfs.create_file(("new.txt",))
    assert isinstance(node, File) and node.data == b""
    assert errno_of(vfs.create_file, (".rt", "x.js")) == E.ACCES
    assert errno_of(vfs.create_file, (".rt", "other")) == E.ACCES
    assert errno_of(vfs.create_file, ("missing", "x")) == E.NOENT


def test_hidden_files_are_readonly_and_not_listed(vfs):
    """Hidden files are readable by path but absent from files() and changes()."""
    node = vfs.node(".rt/x.js")
    assert isinstance(node, File) and node.readonly and node.hidden and node.data == b"X"
    assert [p for p, _ in vfs.files()] == ["a.txt", "d/b.txt", "w.txt"]
    assert vfs.changes() == ({}, [])


def test_changes_report_created_modified_deleted(vfs):
    """changes() reports created, modified and deleted files, sorted by path, with sizes."""
    vfs.create_file(("c.txt",)).writable_data().extend(b"hello")
    vfs.lookup(("w.txt",)).writable_data()[:] = b"WW"
    vfs.mkdir(("empty",))
    files, changes = vfs.changes()
    assert files == {"c.txt": b"hello", "w.txt": b"WW"}
    assert changes == [("c.txt", "created", 5), ("w.txt", "modified", 2)]
    vfs.unlink(("w.txt",))
    files, changes = vfs.changes()
    assert files == {"c.txt": b"hello"}
    assert changes == [("c.txt", "created", 5), ("w.txt", "deleted", 0)]


def test_rewriting_the_same_bytes_is_no_change(vfs):
    """A file written back with its original bytes is not reported."""
    data = vfs.lookup(("w.txt",)).writable_data()
    data[:] = b"X"
    data[:] = b"W"
    assert vfs.changes() == ({}, [])


def test_write_budget(vfs):
    """charge counts bytes and raises WriteBudgetExceeded past the budget."""
    vfs.charge(60, 100)
    vfs.charge(40, 100)
    with pytest.raises(WriteBudgetExceeded):
        vfs.charge(1, 100)


def test_add_file_under_a_file_is_refused():
    """Placing d/x when d is a file fails with NOTDIR."""
    v = VFS()
    v.add_file("d", b"")
    assert errno_of(v.add_file, "d/x", b"") == E.NOTDIR


# -- Node's fs through JS --------------------------------------------------------------------------

INPUTS = {"in.txt": "hello", "data/rows.csv": "a,b\n1,2\n"}


@pytest.fixture(scope="module")
def world() -> World:
    return World(INPUTS)


def js(world: World, code: str, workspace: dict[str, str] | None = None):
    """Run code in a session holding ``workspace``; return (result, session)."""
    s = world.session()
    for path, text in (workspace or {}).items():
        s.write(path, text)
    return s.run(code=code), s


FS_CASES = [
    # (name, code, expected value)
    ("read utf8", "fs.readFileSync('in.txt', 'utf8')", "hello"),
    ("read options object", "fs.readFileSync('in.txt', { encoding: 'utf8' })", "hello"),
    ("read buffer", "Array.from(fs.readFileSync('in.txt'))", list(b"hello")),
    ("read absolute", "fs.readFileSync('/data/rows.csv', 'utf8')", "a,b\n1,2\n"),
    ("read dotted", "fs.readFileSync('./data/../in.txt', 'utf8')", "hello"),
    ("buffer encodings", "const b = fs.readFileSync('in.txt'); "
     "[b.toString('hex'), b.toString('base64'), b.toString()]",
     ["68656c6c6f", "aGVsbG8=", "hello"]),
    ("write then read", "fs.writeFileSync('o.txt', 'x'); fs.readFileSync('o.txt', 'utf8')", "x"),
    ("write bytes", "fs.writeFileSync('b', new Uint8Array([0, 255, 128])); Array.from(fs.readFileSync('b'))",
     [0, 255, 128]),
    ("write unicode", "fs.writeFileSync('u', 'héllo ✓ 😀'); "
     "[fs.readFileSync('u', 'utf8'), fs.statSync('u').size]",
     ["héllo ✓ 😀", 15]),
    ("write truncates", "fs.writeFileSync('t', 'long text'); fs.writeFileSync('t', 'ab'); "
     "fs.readFileSync('t', 'utf8')",
     "ab"),
    ("append creates and appends", "fs.appendFileSync('l', 'a'); fs.appendFileSync('l', 'b'); "
     "fs.writeFileSync('l', 'c', { flag: 'a' }); fs.readFileSync('l', 'utf8')", "abc"),
    ("exists", "[fs.existsSync('in.txt'), fs.existsSync('data'), fs.existsSync('nope'), fs.existsSync('/')]",
     [True, True, False, True]),
    ("readdir sorted", "fs.writeFileSync('B.txt', ''); fs.writeFileSync('a.txt', ''); fs.readdirSync('.')",
     ["B.txt", "a.txt", "data", "in.txt"]),
    ("readdir subdir", "fs.readdirSync('data')", ["rows.csv"]),
    ("readdir withFileTypes", "fs.readdirSync('.', { withFileTypes: true })"
     ".map((d) => [d.name, d.isFile(), d.isDirectory()])",
     [["data", False, True], ["in.txt", True, False]]),
    ("mkdir recursive", "fs.mkdirSync('a/b/c', { recursive: true }); fs.writeFileSync('a/b/c/f', 'q'); "
     "[fs.statSync('a/b').isDirectory(), fs.readdirSync('a/b')]", [True, ["c"]]),
    ("mkdir recursive returns first made", "fs.mkdirSync('data/x/y', { recursive: true })", "data/x"),
    ("mkdir recursive on existing dir", "fs.mkdirSync('data', { recursive: true }) ?? 'none'", "none"),
    ("stat", "const s = fs.statSync('in.txt'); [s.size, s.isFile(), s.isDirectory(), "
     "fs.statSync('data').isDirectory(), fs.statSync('data').isFile()]", [5, True, False, True, False]),
    ("stat times are the world's now", "fs.statSync('in.txt').mtime.getTime() === Date.now()", True),
    ("stat throwIfNoEntry", "fs.statSync('nope', { throwIfNoEntry: false }) ?? 'none'", "none"),
    ("rename", "fs.writeFileSync('x', '1'); fs.renameSync('x', 'y'); [fs.existsSync('x'), "
     "fs.readFileSync('y', 'utf8')]", [False, "1"]),
    ("rename dir", "fs.mkdirSync('p'); fs.writeFileSync('p/f', '1'); fs.renameSync('p', 'q'); "
     "fs.readdirSync('q')",
     ["f"]),
    ("unlink", "fs.writeFileSync('x', '1'); fs.unlinkSync('x'); fs.existsSync('x')", False),
    ("rm recursive", "fs.mkdirSync('d/e', { recursive: true }); fs.writeFileSync('d/e/f', '1'); "
     "fs.rmSync('d', { recursive: true }); fs.existsSync('d')", False),
    ("rm force missing", "fs.rmSync('nope', { force: true }); 'ok'", "ok"),
    ("copy", "fs.copyFileSync('in.txt', 'c.txt'); fs.readFileSync('c.txt', 'utf8')", "hello"),
    ("require fs is the global", "require('fs') === fs && require('node:fs') === fs", True),
    ("promises", "fs.promises.readFile('in.txt', 'utf8')", "hello"),
]


@pytest.mark.parametrize("name, code, expected", FS_CASES, ids=[c[0] for c in FS_CASES])
def test_fs_api(world, name, code, expected):
    """Each fs call behaves as in Node."""
    r, _ = js(world, code)
    assert r.ok, str(r)
    assert r.value == expected


FS_ERRORS = [
    ("read missing", "fs.readFileSync('nope')", "ENOENT"),
    ("read dir", "fs.readFileSync('data')", "EISDIR"),
    ("read through a file", "fs.readFileSync('in.txt/x')", "ENOTDIR"),
    ("write dir", "fs.writeFileSync('data', 'x')", "EISDIR"),
    ("write missing parent", "fs.writeFileSync('no/such/x', 'x')", "ENOENT"),
    ("write input", "fs.writeFileSync('in.txt', 'x')", "EACCES"),
    ("write outside", "fs.writeFileSync('../x', 'x')", "EACCES"),
    ("mkdir existing", "fs.mkdirSync('data')", "EEXIST"),
    ("mkdir missing parent", "fs.mkdirSync('a/b')", "ENOENT"),
    ("readdir file", "fs.readdirSync('in.txt')", "ENOTDIR"),
    ("readdir missing", "fs.readdirSync('nope')", "ENOENT"),
    ("stat missing", "fs.statSync('nope')", "ENOENT"),
    ("unlink missing", "fs.unlinkSync('nope')", "ENOENT"),
    ("unlink dir", "fs.unlinkSync('data')", "EISDIR"),
    ("unlink input", "fs.unlinkSync('in.txt')", "EACCES"),
    ("rename missing", "fs.renameSync('nope', 'x')", "ENOENT"),
    ("rename input", "fs.renameSync('in.txt', 'x')", "EACCES"),
    ("rm missing", "fs.rmSync('nope')", "ENOENT"),
    ("rm dir without recursive", "fs.mkdirSync('e'); fs.rmSync('e')", "ERR_FS_EISDIR"),
]


@pytest.mark.parametrize("name, code, expected", FS_ERRORS, ids=[c[0] for c in FS_ERRORS])
def test_fs_errors_carry_node_codes(world, name, code, expected):
    """Failed fs calls throw errors with Node's code; uncaught, they are JS1005 diagnostics.

    Uncaught reads of a literal path the world does not have, and writes into a folder
    it does not have, are found by the checker first (JS2030); inside `try` it leaves
    them to the runtime.
    """
    caught, _ = js(world, f"try {{ {code}; 'no error' }} catch (e) {{ [e.code, e.message] }}")
    assert caught.ok, str(caught)
    err_code, message = caught.value
    assert err_code == expected
    if not expected.startswith("ERR_"):
        assert message.startswith(expected + ": ")
        uncaught, _ = js(world, code)
        if codes(uncaught) == ["JS2030"]:
            assert name in ("read missing", "read through a file", "readdir missing", "stat missing",
                            "write missing parent")
            return
        assert codes(uncaught) == ["JS1005"]
        assert expected in uncaught.diagnostics[0].message


def test_fs_error_has_syscall_and_path(world):
    """ENOENT errors name the syscall and the path as Node does."""
    r, _ = js(world, "try { fs.readFileSync('nope.csv') } "
                     "catch (e) { [e.code, e.syscall, e.path, e.message] }")
    assert r.value == ["ENOENT", "open", "nope.csv", "ENOENT: no such file or directory, open 'nope.csv'"]


def test_fs_callbacks(world):
    """Callback-style fs calls get (null, value) or (err)."""
    r, _ = js(world, "fs.readFile('in.txt', 'utf8', (e, v) => console.log(e, v)); "
                     "fs.readFile('nope', (e) => console.log(e.code))")
    assert r.stdout == "null hello\nENOENT\n"


def test_fs_in_module_mode(world):
    """`import fs from 'fs'` and named imports from 'node:fs' work in a module program."""
    r, _ = js(world, "import fs from 'fs';\nimport { readFileSync, existsSync } from 'node:fs';\n"
                     "console.log(fs.readFileSync('in.txt', 'utf8'), readFileSync('in.txt', 'utf8'), "
                     "existsSync('x'))")
    assert r.ok, str(r)
    assert r.stdout == "hello hello false\n"


# -- what a run reports ----------------------------------------------------------------------------

def test_changes_created_modified_deleted(world):
    """Workspace files edited or deleted and new files show as modified, deleted, created."""
    r, s = js(world, "fs.writeFileSync('new.txt', 'n'); fs.appendFileSync('w1.txt', '+'); "
                     "fs.unlinkSync('w2.txt')",
              {"w1.txt": "one", "w2.txt": "two", "w3.txt": "same"})
    assert r.ok, str(r)
    assert [(c.path, c.kind, c.size) for c in r.changes] == [
        ("new.txt", "created", 1), ("w1.txt", "modified", 4), ("w2.txt", "deleted", 0)]
    assert r.files == {"new.txt": b"n", "w1.txt": b"one+"}
    assert s.files == {"new.txt": b"n", "w1.txt": b"one+", "w3.txt": b"same"}


def test_deleted_file_renders_as_deleted(world):
    """str(result) lists a deleted workspace file as deleted."""
    r, _ = js(world, "fs.unlinkSync('gone.txt')", {"gone.txt": "x"})
    assert "deleted  gone.txt" in str(r)


def test_rename_reports_delete_and_create(world):
    """Renaming a workspace file is a deletion plus a creation."""
    r, s = js(world, "fs.renameSync('a.txt', 'sub.txt')", {"a.txt": "A"})
    assert [(c.path, c.kind) for c in r.changes] == [("a.txt", "deleted"), ("sub.txt", "created")]
    assert s.files == {"sub.txt": b"A"}


def test_empty_directories_are_not_results(world):
    """A run that only makes directories reports no files."""
    r, _ = js(world, "fs.mkdirSync('a/b', { recursive: true })")
    assert r.ok and r.files == {} and r.changes == []


def test_nested_output_paths(world):
    """Files in new directories are reported with their full paths."""
    r, _ = js(world, "fs.mkdirSync('out/2024', { recursive: true }); "
                     "fs.writeFileSync('out/2024/r.json', '{}')")
    assert r.files == {"out/2024/r.json": b"{}"}


# -- seek semantics ----------------------------------------------------------------------------------

# Computed, so the checker (which refuses engine internals) lets the WASI layer be tested.
SEEK = "const std = await import(['qjs', 'std'].join(':'));\n"


@pytest.mark.parametrize("name, code, content, stdout", [
    ("append ignores seek", SEEK + "const f = std.open('w.txt', 'a+'); f.seek(0, std.SEEK_SET); f.puts('Z'); "
     "f.flush(); f.seek(0, std.SEEK_SET); console.log(f.readAsString(), f.tell()); f.close()",
     b"abcZ", "abcZ 4\n"),
    ("overwrite at position", SEEK + "const f = std.open('w.txt', 'r+'); f.seek(1, std.SEEK_SET); "
     "f.puts('Z'); f.close()", b"aZc", ""),
    ("seek past end fills zeros", SEEK + "const f = std.open('w.txt', 'r+'); f.seek(5, std.SEEK_SET); "
     "f.puts('Z'); f.close()", b"abc\0\0Z", ""),
    ("seek from end", SEEK + "const f = std.open('w.txt', 'r'); f.seek(-2, std.SEEK_END); "
     "console.log(f.readAsString(), f.tell()); f.close()", None, "bc 3\n"),
])
def test_seek_semantics(world, name, code, content, stdout):
    """Positioned writes, append mode and SEEK_END behave as POSIX says."""
    r, s = js(world, code, {"w.txt": "abc"})
    assert r.ok, str(r)
    assert r.stdout == stdout
    assert s.files["w.txt"] == (content if content is not None else b"abc")


def test_reading_a_file_twice_gives_the_same_bytes(world):
    """Each open starts at position 0."""
    r, _ = js(world, "[fs.readFileSync('in.txt', 'utf8'), fs.readFileSync('in.txt', 'utf8')]")
    assert r.value == ["hello", "hello"]


def test_large_file_round_trip(world):
    """A 1 MB binary file written by the program reads back exactly."""
    r, _ = js(world, "const p = new Uint8Array(256).map((_, i) => 255 - i); "
                     "const b = new Uint8Array(1 << 20); "
                     "for (let o = 0; o < b.length; o += 256) b.set(p, o); fs.writeFileSync('big.bin', b); "
                     "const c = fs.readFileSync('big.bin'); "
                     "[c.length, c[0], c[255], c[256], c[c.length - 1]]")
    assert r.value == [1 << 20, 255, 0, 255, 0]
    assert r.files["big.bin"] == bytes(range(255, -1, -1)) * 4096


def test_json_round_trip_through_files(world):
    """JSON written by one run is read by the next in a session."""
    s = world.session()
    s.run(code="fs.writeFileSync('state.json', JSON.stringify({ n: 1, xs: [1, 2] }))")
    r = s.run(code="const o = JSON.parse(fs.readFileSync('state.json', 'utf8')); o.n += 1; o")
    assert r.value == {"n": 2, "xs": [1, 2]}
    assert json.loads(s.read("state.json")) == {"n": 1, "xs": [1, 2]}
