"""The JS data helpers' fast paths give exactly the values of the plain rules.

The plain rules (the helpers as they were before the fast paths: a
character-by-character CSV parser, `typed` with the NUMBER regex, cellText
on every cell) are kept here, in JS, as the oracle. Both run in the same
guest, and a comparison there sees what the host cannot: key order,
prototypes, -0, holes, the errors thrown.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from worlds import World

BIG = {"fuel": 10**12, "wall_ms": 600_000, "memory_bytes": 1 << 30}

ORACLE = r"""
const OLD = (() => {
  const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
  function parseRows(text, sep) {
    const rows = [];
    let row = [], field = "", quoted = false, i = 0, wasQuoted = false;
    const push = () => { row.push(wasQuoted ? { quoted: field } : field); field = ""; wasQuoted = false; };
    while (i < text.length) {
      const ch = text[i];
      if (quoted) {
        if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
        if (ch === '"') { quoted = false; i++; continue; }
        field += ch; i++; continue;
      }
      if (ch === '"' && field === "") { quoted = true; wasQuoted = true; i++; continue; }
      if (ch === sep) { push(); i++; continue; }
      if (ch === "\r" && text[i + 1] === "\n") { i++; continue; }
      if (ch === "\n") { push(); rows.push(row); row = []; i++; continue; }
      field += ch; i++;
    }
    if (field !== "" || wasQuoted || row.length) { push(); rows.push(row); }
    return rows;
  }
  function typed(cell, options) {
    if (typeof cell === "object") return cell.quoted;
    if (cell === "") return null;
    if (options.typed !== false && NUMBER.test(cell.trim())) return Number(cell);
    return cell;
  }
  function parseCSV(text, options = {}) {
    const sep = options.separator || (options.tsv ? "\t" : ",");
    const rows = parseRows(String(text).replace(/^\uFEFF/, ""), sep);
    if (options.header === false) return rows.map((r) => r.map((c) => typed(c, options)));
    const [head = [], ...body] = rows;
    const columns = head.map((c) => (typeof c === "object" ? c.quoted : c).trim());
    return body.filter((r) => r.length > 1 || (r[0] !== "" && r[0] !== undefined)).map((r) => {
      const obj = {};
      columns.forEach((name, k) => { obj[name] = k < r.length ? typed(r[k], options) : null; });
      return obj;
    });
  }
  function cellText(v) {
    if (v === null || v === undefined) return "";
    const s = typeof v === "object" ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function toCSV(rows, columns) {
    const cols = columns || [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const lines = rows.map((r) => cols.map((c) => cellText(r[c])).join(","));
    return [cols.map(cellText).join(","), ...lines].join("\n") + "\n";
  }
  const readCSV = (path, options) =>
    parseCSV(fs.readFileSync(path, "utf8"), { tsv: /\.tsv$/i.test(path), ...options });
  const readJSONL = (path) =>
    fs.readFileSync(path, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  const jsonlText = (rows) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
  return { parseCSV, toCSV, readCSV, readJSONL, jsonlText };
})();

// Where two values differ ("" when they are the same), down to -0, key order and prototypes.
function differ(a, b, path = "$") {
  if (Object.is(a, b)) return "";
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return path + ": " + String(a) + " vs " + String(b);
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return path + ": prototypes differ";
  const ka = Reflect.ownKeys(a), kb = Reflect.ownKeys(b);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) {
    return path + ": keys " + ka.map(String).join("|") + " vs " + kb.map(String).join("|");
  }
  for (const k of ka) {
    const d = differ(a[k], b[k], path + "." + String(k));
    if (d) return d;
  }
  return "";
}

// What a call gives: its value, or the error it throws.
function outcome(f) {
  try { return { value: f() }; } catch (e) { return { error: String(e) }; }
}

function compare(name, newCall, oldCall) {
  const a = outcome(newCall), b = outcome(oldCall);
  const thrown = a.error !== undefined || b.error !== undefined;
  const d = thrown ? (a.error === b.error ? "" : a.error + " vs " + b.error) : differ(a.value, b.value);
  return d ? [name + ": " + d] : [];
}
"""


def mismatches(body: str, files: dict[str, str] | None = None,
               limits: dict[str, int] | None = None) -> list[str]:
    """Run ``body`` after the oracle; it evaluates to a list of mismatch texts."""
    r = World(files or {}).run(ORACLE + body, limits=limits)
    assert r.ok, str(r)
    return r.value


def csv_mismatches(cases: list[tuple[str, dict[str, Any]]],
                   limits: dict[str, int] | None = None) -> list[str]:
    body = "const CASES = " + json.dumps(cases) + ";\n" + r"""
CASES.flatMap(([text, options], i) =>
  compare("case " + i + " " + JSON.stringify(text).slice(0, 80) + " " + JSON.stringify(options),
          () => parseCSV(text, options), () => OLD.parseCSV(text, options)))
"""
    return mismatches(body, limits=limits)


TRICKY = [
    "id,name\n1,a\n2,b\n",
    "id,name\n1,a\n2,b",
    "id,name\r\n1,a\r\n2,b\r\n",
    "\ufeffid,name\n1,a\n",
    'a,b\n"12",12\n"x,y","he said ""hi"""\n',
    'a,b\n"multi\nline",2\n"crlf\r\ninside",3\r\n',
    "a,b,c\n007,0x1F,+5\n-0,1e999,Infinity\n-Infinity,.5,5.\n-.5,1e+5,1E-3\n",
    "a,b\n 12 , 7\n\u00a012,12\u00a0\n\u00a00x1F,\u20285\n\ufeff5,5\r\n",
    "a,b\n,\n1,\n,2\n",
    "a,b,c\n1\n1,2\n1,2,3,4\n\n\n3,4,5\n",
    "a\n\n1\n\n\n2\n",
    "a\n\n1\n\n",
    " a , b ,\tc\t\n1,2,3\n",
    "a,a,b\n1,2,3\n",
    "__proto__,b\n,2\n7,8\n",
    "constructor,toString,0,1\n1,2,3,4\n",
    "é,日本\nü,😀\n𝟘,٣\n",
    'a,b\nab"cd,"ab"cd\n"",""""\n"x" ,y\n',
    'a,b\n"open quote never closed\n1,2\n',
    'a,b\n1,"end"',
    'a,b\n1,"end"\r',
    "a,b\n1,2\r",
    "a,b\n1\r\r\n2\r,3\n",
    "\n",
    "",
    "\r\n",
    "just one line",
    "x\n\"\"\n",
    "a,b\n\u0000,\u0001\n",
    "a;b\n1;2,5\n",
    "a\tb\n1\t2\n\"x\ty\"\t3\n",
    # A column's kind comes from its first cells; later cells of another kind keep their own values.
    "name,v\nabc,1\ndef,2\n\u00a012,3\n\u30007,4\n\ufeff8,5\n,6\n\u00a0,7\nz,x\n",
    "day,v\n2024-01-02,1\n2024-01-03,2\n17,3\n 5 ,4\n,5\n-0,6\n0x1F,7\n",
    "n,m\n1,5\n2,6\n0x1F,+5\n 3,-Infinity\n0,-0\n0e5,-.5\n1e999,-1e999\nx,\n",
]
OPTIONS = [{}, {"header": False}, {"typed": False}, {"header": False, "typed": False},
           {"separator": ";"}, {"tsv": True}, {"separator": "ab"}, {"separator": '"'},
           {"separator": "\r"}, {"separator": "\n"}, {"separator": 5}]


def grown(text: str, lines: int = 40) -> str:
    """``text`` with its rows after the first repeated to ``lines``: a file that
    small takes the plain code, a longer one the generated loop."""
    head, _, body = text.partition("\n")
    return head + "\n" + body * (lines // max(body.count("\n"), 1) + 1) if body else text


def test_tricky_files_parse_as_before() -> None:
    cases = [(t, options) for text in TRICKY for t in (text, grown(text)) for options in OPTIONS]
    assert csv_mismatches(cases) == []


def test_read_csv_reads_files_as_before() -> None:
    files = {"a.csv": TRICKY[4] + TRICKY[6], "b.tsv": "a\tb\n1\t\"x\"\n", "c.TSV": "a\tb\n1\t2\n"}
    body = r"""
const OPTIONS = [{}, { typed: false }, { tsv: false }, { header: false }];
["a.csv", "b.tsv", "c.TSV"].flatMap((p) => OPTIONS.flatMap((o) =>
  compare(p + JSON.stringify(o), () => readCSV(p, o), () => OLD.readCSV(p, o))))
"""
    assert mismatches(body, files) == []


def test_large_text_in_several_chunks_parses_as_before() -> None:
    """Over a million characters: the fast path splits the text in chunks."""
    rnd = random.Random(7)
    cells = ["1", "2.5", "-3", "x", "", "007", "word", " 9 ", "2024-01-02", "0x10"]
    lines, size = ["h1,h2,h3,h4"], 0
    while size < 1_200_000:
        width = rnd.choice([4, 4, 4, 4, 4, 4, 3, 5, 1])
        line = ",".join(rnd.choice(cells) for _ in range(width)) if width > 1 else rnd.choice(["", "7"])
        lines.append(line)
        size += len(lines[-1]) + 1
    text = "\n".join(lines) + "\n"
    files = {"a.csv": text, "b.csv": text.replace("\n", "\r\n")}
    body = r"""
[["a.csv", {}], ["a.csv", { header: false }], ["b.csv", {}]].flatMap(([p, o]) =>
  compare(p + JSON.stringify(o), () => readCSV(p, o), () => OLD.readCSV(p, o)))
"""
    assert mismatches(body, files, BIG) == []


_CELLS = st.sampled_from([
    "", "a", "x y", "7", "007", "-0", "12.5", "0x1F", "+5", "1e5", "1e+5", ".5", "5.", "-.5", " 12 ",
    "\u00a012", "Infinity", "-Infinity", "NaN", "1_0", "é", "日本", "😀", "\u2028", "__proto__",
    '"', '""', '"a,b"', '"x""y"', '"12"', '"multi\nline"', '"cr\r\nlf"', 'ab"cd', '"ab"cd', "\r", " ",
    ",", "\t", ";",
])
_ROW = st.lists(_CELLS, min_size=0, max_size=5)
_BUILT = st.builds(
    lambda rows, times, sep, eol, bom, end:
        ("\ufeff" if bom else "") + eol.join(sep.join(r) for r in rows[:1] + rows[1:] * times) + end,
    st.lists(_ROW, min_size=0, max_size=6), st.sampled_from([1, 1, 12]), st.sampled_from([",", "\t", ";"]),
    st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(), st.sampled_from(["", "\n", "\r\n", "\n\n"]))
_RAW = st.text(alphabet=',;"\r\n \t0123456789.-+eExa\u00a0é', max_size=40)
_OPTIONS = st.sampled_from(OPTIONS[:7])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.one_of(_BUILT, _RAW), _OPTIONS), min_size=1, max_size=12))
def test_parse_csv_matches_the_plain_parser(cases: list[tuple[str, dict[str, Any]]]) -> None:
    assert csv_mismatches(cases) == []


TO_CSV = r"""
const sparse = [{ a: 1 }, , { a: 2 }];
const CASES = [
  [[{ a: 1, b: "x" }, { a: 2, b: "y,z" }]],
  [[{ a: 'he said "hi"', b: "line\nbreak", c: "cr\r" }, { c: 5, d: null, e: undefined }]],
  [[{ a: -0, b: NaN, c: Infinity, d: 1e21, e: 0.1 + 0.2, f: true, g: false }]],
  [[{ a: { x: 1, y: [1, 2] }, b: [1, "a,b"], c: new Date(0), d: { toJSON() { return undefined; } },
      e: () => 1, f: 10n, g: Symbol("s") }]],
  [[{ a: "é ü 日本", b: "\ud800", c: "a b", d: "", e: "2024-01-02", f: "p291" }]],
  [sparse], [sparse, ["a"]],
  [[{ a: 1 }, { b: 2 }, { a: 3, c: 4 }, { c: 5, a: 6 }]],
  [[{ a: 1, b: 2 }], ["b", "a", "zz"]],
  [[{ a: 1, b: 2 }], []],
  [[]], [[], ["x", "y"]],
  [["ab", 5, { x: 1 }]],
  [[{ 1: "one", 0: "zero", x: "x" }]],
  [[{ a: "x" }], ["a", 1]],
  [[{ a: "x" }], ["a", , "b"]],
  [[{ a: "x" }], "ab"],
  [[{ "a,b": 1, 'q"': 2 }]],
  [[null]], [[undefined]], [[{ a: 1 }, null]], [[null], ["a"]], [[null], []],
  [new Set([{ a: 1 }])], [undefined], [{ map: () => ["custom"], flatMap: () => ["k"] }],
];
// Each case also with its rows repeated past 32 (concat keeps holes): the generated loop.
const grow = (rows) => Array.isArray(rows) && rows.length ? rows.concat(...Array(40).fill(rows)) : rows;
CASES.flatMap(([rows, cols], i) => [
  ...compare("toCSV case " + i, () => toCSV(rows, cols), () => OLD.toCSV(rows, cols)),
  ...compare("toCSV grown case " + i, () => toCSV(grow(rows), cols), () => OLD.toCSV(grow(rows), cols))])
"""


def test_to_csv_writes_as_before() -> None:
    assert mismatches(TO_CSV) == []


_JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet='ab ,"\n\r\\é😀0123', max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
    max_leaves=6)
_KEYS = st.sampled_from(["id", "name", "x y", "a,b", "0"])
_ROWS = st.lists(st.dictionaries(_KEYS, _JSON_VALUE, max_size=4), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_ROWS, st.one_of(st.none(), st.lists(st.one_of(_KEYS, st.just("zz")), max_size=4)))
def test_to_csv_matches_the_plain_writer(rows: list[dict[str, Any]], columns: list[str] | None) -> None:
    rows = rows * (40 // len(rows) + 1) if len(rows) > 1 else rows
    body = f"const rows = {json.dumps(rows)}, cols = {json.dumps(columns)} ?? undefined;\n" + r"""
[...compare("toCSV", () => toCSV(rows, cols), () => OLD.toCSV(rows, cols)),
 ...compare("roundtrip", () => parseCSV(toCSV(rows, cols)), () => OLD.parseCSV(OLD.toCSV(rows, cols)))]
"""
    assert mismatches(body) == []


def test_json_lines_read_and_write_as_before() -> None:
    files = {
        "a.jsonl": '{"id": 1, "v": [1, {"x": null}]}\n\n  \n\u00a0\n{"id": 2}\r\n"text"\n3\n\t[1,2]  \n',
        "bad.jsonl": '{"id": 1}\n{"id": \n',
        "d.json": '{"rows": [{"a": 1, "b": {"c": [true, null, "x"]}}]}',
    }
    body = r"""
const rows = [{ a: 1 }, , undefined, null, () => 1, "s", { b: [1, { c: "\n" }] }, -0, NaN];
writeJSONL("out.jsonl", rows);
[...compare("readJSONL", () => readJSONL("a.jsonl"), () => OLD.readJSONL("a.jsonl")),
 ...compare("bad line", () => readJSONL("bad.jsonl"), () => OLD.readJSONL("bad.jsonl")),
 ...compare("readJSON", () => readJSON("d.json"), () => JSON.parse(fs.readFileSync("d.json", "utf8"))),
 ...compare("writeJSONL", () => fs.readFileSync("out.jsonl", "utf8"), () => OLD.jsonlText(rows)),
 ...compare("writeJSONL set", () => writeJSONL("s.jsonl", new Set([1])), () => OLD.jsonlText(new Set([1])))]
"""
    assert mismatches(body, files) == []


def test_csv_round_trips_through_the_fast_writer_and_reader() -> None:
    rows = [{"id": i, "name": f"n{i}", "note": "a,b" if i % 3 == 0 else None,
             "q": '"x"' if i % 5 == 0 else "y"} for i in range(50)]
    r = World().run(f"const rows = {json.dumps(rows)}; parseCSV(toCSV(rows))")
    assert r.ok, str(r)
    assert r.value == rows


def test_a_million_rows_are_read_whole_and_summed_right() -> None:
    """Correctness at 1M rows (not timed): the count and sums come out exact."""
    regions = ["north", "south", "east", "west", "central"]
    n = 1_000_000
    lines = ["id,region,product,qty,price,day"]
    count = {r: 0 for r in regions}
    total = {r: 0.0 for r in regions}
    qty_sum = 0
    for i in range(n):
        region, qty, price = regions[i % 5], i % 19 + 1, (i % 100_000) / 100
        lines.append(f"{i},{region},p{i % 500},{qty},{price},2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}")
        count[region] += 1
        total[region] += qty * price
        qty_sum += qty
    text = "\n".join(lines) + "\n"
    code = """
const rows = readCSV('big.csv');
const count = {}, total = {};
let ids = 0, qty = 0;
for (const r of rows) {
  count[r.region] = (count[r.region] || 0) + 1;
  total[r.region] = (total[r.region] || 0) + r.qty * r.price;
  ids += r.id; qty += r.qty;
}
({ length: rows.length, ids, qty, count, total, last: rows[rows.length - 1] })
"""
    r = World({"big.csv": text}).run(code, limits=BIG)
    assert r.ok, str(r)
    assert r.value["length"] == n
    assert r.value["ids"] == n * (n - 1) // 2
    assert r.value["qty"] == qty_sum
    assert r.value["count"] == count
    assert r.value["total"] == total
    assert r.value["last"] == {"id": n - 1, "region": regions[(n - 1) % 5], "product": f"p{(n - 1) % 500}",
                               "qty": (n - 1) % 19 + 1, "price": ((n - 1) % 100_000) / 100,
                               "day": f"2024-{(n - 1) % 12 + 1:02d}-{(n - 1) % 28 + 1:02d}"}


@pytest.mark.parametrize("limits", [None, BIG])
def test_helpers_are_deterministic(limits: dict[str, int] | None) -> None:
    text = "a,b\n" + "".join(f"{i},{'x' if i % 2 else i / 3}\n" for i in range(2000))
    world = World({"t.csv": text})
    code = "const rows = readCSV('t.csv'); writeCSV('o.csv', rows); writeJSONL('o.jsonl', rows); rows.length"
    first, second = world.run(code, limits=limits), world.run(code, limits=limits)
    assert first.ok, str(first)
    assert first.files == second.files and first.stats.fuel == second.stats.fuel
