"""A run is a pure function of (world, code): same inputs, same bytes out."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from conftest import run_python
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worlds import World

# -- random programs over random worlds -------------------------------------------------

NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-"

#: JS snippets; ``{i}`` is the snippet's index and ``{f}`` an input file name (JSON-quoted).
SNIPPETS = [
    "console.log({i} * 7 + 3, 10 / 3, 2 ** 40, -7 % 3);",
    "console.log('ab{i}'.repeat(3).toUpperCase().split('b').join('-'));",
    "{{ let s = 0; for (let k = 0; k < 50 * ({i} + 1); k++) s += k * k; console.log(s); }}",
    "console.log(Math.random(), Math.floor(Math.random() * 1000));",
    "console.log(Date.now());",
    "console.log(new Date().toISOString());",
    "{{ const b = fs.readFileSync({f}); let h = 0; for (const x of b) h = (h * 31 + x) >>> 0;"
    " console.log(b.length, h); }}",
    "console.log(JSON.stringify(fs.readFileSync({f}, 'utf8')));",
    "fs.writeFileSync('out_{i}.txt', 'v' + {i} + ':' + Math.random());",
    "fs.appendFileSync('log.txt', 'line {i}\\n');",
    "fs.writeFileSync('bin_{i}.dat', new Uint8Array([{i}, 0, 255, 128]));",
    "console.log({{ n: {i}, list: [1, 'two', {{ three: 3 }}], when: new Date(0), m: new Map([[1, 2]]) }});",
    "console.table([{{ a: {i}, b: 'x' }}, {{ a: 2 }}]);",
    "console.error('warn {i}');",
    "setTimeout(() => console.log('timer {i}', Date.now()), {i} * 3);",
    "try {{ fs.readFileSync('missing_{i}.txt') }} catch (e) {{ console.log(e.code, e.message) }}",
    "if ({i} % 2 === 0) throw new Error('boom {i}');",
    "fs.readdirSync('.').forEach((n) => console.log(n));",
]

names = st.text(NAME_CHARS, min_size=1, max_size=10)
paths = st.one_of(
    names.map(lambda n: n + ".txt"),
    st.tuples(names, names).map(lambda t: f"d_{t[0]}/{t[1]}.bin"),
)
contents = st.one_of(st.binary(max_size=200), st.text(max_size=100))
worlds_files = st.dictionaries(paths, contents, min_size=1, max_size=4)


@st.composite
def programs(draw, files: dict[str, object]) -> str:
    chosen = draw(st.lists(st.integers(0, len(SNIPPETS) - 1), min_size=1, max_size=8))
    names_ = sorted(files)
    lines = []
    for i, snippet in enumerate(chosen):
        f = json.dumps(names_[draw(st.integers(0, len(names_) - 1))])
        lines.append(SNIPPETS[snippet].format(i=i, f=f))
    lines.append(draw(st.sampled_from(["", "42", "({ done: true, n: 3 })", "'end'"])))
    return "\n".join(lines)


@st.composite
def cases(draw):
    files = draw(worlds_files)
    seed = draw(st.integers(-(2**63), 2**63 - 1))
    now = draw(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 1, 1),
                            timezones=st.just(UTC)))
    return files, seed, now, draw(programs(files))


def _fingerprint(result) -> str:
    return json.dumps(result.to_json(), sort_keys=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_random_programs_are_deterministic(case):
    """Two runs of the same random program on the same random world give identical JSON and receipt."""
    files, seed, now, code = case
    first = World(files, seed=seed, now=now).run(code)
    second = World(dict(reversed(list(files.items()))), seed=seed, now=now).run(code)
    assert _fingerprint(first) == _fingerprint(second)
    assert first.receipt == second.receipt
    assert len(first.receipt) == 64
    if not first.ok:  # a failed run changes nothing
        assert first.files == {} and first.changes == []


@settings(max_examples=10, deadline=None)
@given(worlds_files, st.integers(0, 2**32))
def test_session_runs_are_deterministic(files, seed):
    """A session's run of a workspace file is as deterministic as World.run."""
    code = "fs.writeFileSync('o.txt', String(Math.random())); fs.readdirSync('.').length"
    outs = []
    for _ in range(2):
        session = World(files, seed=seed).session()
        session.write("main.js", code)
        result = session.run("main.js")
        outs.append((_fingerprint(result), result.receipt, session.files))
    assert outs[0] == outs[1]


# -- across processes ------------------------------------------------------------------

CROSS_PROCESS_SCRIPT = r"""
import json
from worlds import World
world = World({"b.txt": b"\xff\x00zz", "a.csv": "x,y\n1,2\n", "d/c.txt": "hi"},
              now="2024-06-30T12:00:00Z", seed=99)
programs = [
    "console.log(Math.random(), Date.now()); ({ k: Math.random() })",
    "const s = new Set(['z', 'a', 'm']); const m = {}; for (const x of s) m[x] = x.charCodeAt(0); m",
    "fs.writeFileSync('o.txt', fs.readFileSync('a.csv', 'utf8').toUpperCase()); fs.readdirSync('.')",
    "setTimeout(() => console.log('late', new Date().toISOString()), 250); console.table([{a: 1}])",
    "const o = {}; o.a.b",
]
out = [world.run(p).to_json() for p in programs]
print(json.dumps(out, sort_keys=True))
"""


def test_runs_are_identical_across_processes_with_different_hash_seeds():
    """Processes with different PYTHONHASHSEED print byte-identical results and receipts."""
    outputs = []
    for hash_seed in ("1", "2", "12345"):
        proc = run_python(CROSS_PROCESS_SCRIPT, env={"PYTHONHASHSEED": hash_seed})
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    parsed = json.loads(outputs[0])
    assert len(parsed) == 5 and all(len(r["receipt"]) == 64 for r in parsed)


# -- the clock and the random stream ----------------------------------------------------

@pytest.mark.parametrize("now, expected_ms", [
    ("2024-06-30T12:00:00Z", 1719748800000),
    ("1970-01-01T00:00:00Z", 0),
    ("2000-02-29T23:59:59.250Z", 951868799250),
    ("2024-06-30T14:00:00+02:00", 1719748800000),
])
def test_date_now_is_the_worlds_now(now, expected_ms):
    """Date.now() reads the world's now, in milliseconds."""
    assert World(now=now).run("Date.now()").value == expected_ms


@pytest.mark.parametrize("now, iso", [
    ("2024-06-30T12:00:00Z", "2024-06-30T12:00:00.000Z"),
    ("1999-12-31T23:59:59.5Z", "1999-12-31T23:59:59.500Z"),
])
def test_new_date_is_the_worlds_now(now, iso):
    """new Date().toISOString() is the world's now."""
    assert World(now=now).run("new Date().toISOString()").value == iso


def test_now_accepts_datetime_objects():
    """A datetime now is the same world as its ISO string."""
    a = World(now=datetime(2024, 6, 30, 12, tzinfo=UTC)).run("Date.now()")
    b = World(now="2024-06-30T12:00:00Z").run("Date.now()")
    assert a.value == b.value and a.receipt == b.receipt


RANDOMS = "Array.from({ length: 8 }, () => Math.random())"


def test_math_random_same_seed_same_sequence():
    """The same seed gives the same Math.random sequence."""
    a = World(seed=1234).run(RANDOMS).value
    b = World(seed=1234).run(RANDOMS).value
    assert a == b
    assert len(set(a)) == 8 and all(0 <= x < 1 for x in a)


@pytest.mark.parametrize("seed_a, seed_b", [
    (0, 1), (1, 2), (42, 43), (-1, 1), (0, 2**32), (5, 5 + 2**40), (-(2**63), 0),
])
def test_math_random_differs_between_seeds(seed_a, seed_b):
    """Different seeds give different Math.random sequences (all 64 bits of the seed count)."""
    assert World(seed=seed_a).run(RANDOMS).value != World(seed=seed_b).run(RANDOMS).value


# -- receipts -------------------------------------------------------------------------

BASE = dict(files={"a.txt": "one"}, now="2024-01-01T00:00:00Z", seed=1)


@pytest.mark.parametrize("change", [
    {"code": "1+2 "},
    {"now": "2024-01-01T00:00:01Z"},
    {"seed": 2},
    {"files": {"a.txt": "two"}},
    {"files": {"b.txt": "one"}},
    {"files": {"a.txt": "one", "b.txt": ""}},
    {"limits": {"fuel": 10**9}},
])
def test_receipt_changes_with_code_now_seed_inputs_and_limits(change):
    """Every part of (world, code) is bound into the receipt."""
    def receipt(files, now, seed, code="1+2", limits=None):
        return World(files, now=now, seed=seed, limits=limits).run(code).receipt
    base = receipt(**BASE)
    assert base == receipt(**BASE)
    assert receipt(**{**BASE, **change}) != base


def test_receipt_ignores_wall_time_and_file_order():
    """Wall time and the order files were given in do not change the receipt."""
    a = World({"x.txt": "1", "y.txt": "2"}).run("fs.readdirSync('.')")
    b = World({"y.txt": "2", "x.txt": "1"}).run("fs.readdirSync('.')")
    assert a.receipt == b.receipt
    assert "wall_ms" not in a.to_json()["stats"]
    assert "wall_ms" in a.to_json(timing=True)["stats"]
