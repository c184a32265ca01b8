// Helpers for the world's data files: CSV (RFC 4180: quoted fields, doubled
// quotes, CRLF) with numbers typed and empty cells null, JSON and JSON Lines.
//
// Speed on large files comes from doing per-row work in as few interpreted
// steps as possible: lines and cells come from `split` (C), and each row is
// one object literal from a function generated for the file's columns, so no
// row pays for dynamic property writes. The values are those of the plain
// rules (`typedText`, `cellValue`, `parseRows`), which the fast paths must
// match exactly.
(function (internals) {
  const fs = internals.lib("fs");
  const { std } = internals;
  const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
  // Characters of text split into lines at a time: bounds the lines held at once.
  const CHUNK = 1 << 20;
  // Fewer rows than this take the plain code, which has nothing to generate.
  const SMALL = 32;

  // The value of an unquoted cell: empty is null, a NUMBER (once trimmed) a number.
  function typedText(s) {
    if (s === "") return null;
    const x = +s;
    if (x !== x) return s;  // NaN: no NUMBER converts to NaN
    return NUMBER.test(s.trim()) ? x : s;
  }
  const rawText = (s) => (s === "" ? null : s);

  // The plain parser: a row is an array of cells, a quoted cell is {quoted}.
  // Used for separators the fast path does not handle.
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

  // One record that has a quote, from the start of line `i` (outside quotes):
  // its cells go to `cells` as parseRows makes them; returns the index of the
  // record's last line (a quoted field may hold newlines).
  function quotedRecord(lines, i, last, sep, cells) {
    let line = lines[i], p = 0;
    for (;;) {
      let field = "", quoted = false;
      if (line.charCodeAt(p) === 34) {
        quoted = true;
        p++;
        for (;;) {
          const q = line.indexOf('"', p);
          if (q < 0) {
            field += line.slice(p);
            if (i === last) { cells.push({ quoted: field }); return i; }
            field += "\n";
            line = lines[++i];
            p = 0;
            continue;
          }
          if (line.charCodeAt(q + 1) === 34) { field += line.slice(p, q + 1); p = q + 2; continue; }
          field += line.slice(p, q);
          p = q + 1;
          break;
        }
        // Most quoted fields end at their closing quote.
        if (p === line.length) { cells.push({ quoted: field }); return i; }
        if (line[p] === sep) { cells.push({ quoted: field }); p++; continue; }
      }
      const end = line.indexOf(sep, p);
      let tail = end < 0 ? line.slice(p) : line.slice(p, end);
      // "\r\n" ends a row outside quotes; a lone "\r" is text.
      if (end < 0 && i < last && tail.charCodeAt(tail.length - 1) === 13) tail = tail.slice(0, -1);
      cells.push(quoted ? { quoted: field + tail } : tail);
      if (end < 0) return i;
      p = end + 1;
    }
  }

  // How a column's cells become values, as code over the cell; T is the
  // plain rule. Every kind gives T's value for every cell; the column's kind
  // only decides which cells skip T. N: `+s` when not NaN and the cell starts
  // as only a NUMBER can (1-9; '.' or '0' not followed by a letter, unlike
  // 0x1F; '-' then a digit or '.'), so '+5', 'Infinity' and blank-led cells
  // go to T. S: text when the first character (':' to U+007F) cannot start a
  // number, even once trimmed. D: text when `+s` is NaN. R: untyped.
  const KIND = {
    N: (c) => `(x = +(s = ${c})) === x && (s >= "1" ? s < ":" : s >= "." ? s < "0A" : s >= "-." && s < "-:") ? x : T(s)`,
    S: (c) => `(s = ${c}) >= ":" && s < "\\u0080" ? s : T(s)`,
    D: (c) => `(x = +(s = ${c})) !== x ? s : T(s)`,
    R: (c) => `(s = ${c}) === "" ? null : s`,
  };

  function kindOf(s) {
    if (typeof typedText(s) === "number") return "N";
    return s >= ":" && s < "\u0080" ? "S" : "D";
  }

  // Each column's kind: the commonest among the first rows' unquoted cells
  // that are not empty.
  function kindsOf(lines, from, to, last, width, typed, record) {
    if (!typed) return new Array(width).fill("R");
    const counts = Array.from({ length: width }, () => ({ N: 0, S: 0, D: 0 }));
    for (let i = from, seen = 0; i < to && seen < 64; i++, seen++) {
      const c = [];
      i = record(lines, i, last, c);
      for (let k = 0; k < width && k < c.length; k++) {
        if (typeof c[k] === "string" && c[k] !== "") counts[k][kindOf(c[k])]++;
      }
    }
    return counts.map((n) => (n.N > n.S && n.N > n.D ? "N" : n.S > n.D ? "S" : "D"));
  }

  // The loop that turns lines from..to into rows, generated for the file's
  // shape: `keys` (JSON texts of the column names; null for array rows),
  // the kinds, the separator, and whether lines may hold quotes or "\r".
  // Rows of another width (and blank lines) go to `other`.
  // Generated loops, compiled once per source text (a file shape or a column list).
  const compiled = new Map();
  function compile(source) {
    let loop = compiled.get(source);
    if (!loop) {
      loop = std.evalScript(source);
      compiled.set(source, loop);
    }
    return loop;
  }

  function rowLoop(keys, kinds, sep, quotes, cr) {
    const width = kinds.length;
    const value = (k, kind) => "(" + KIND[kind]("c[" + k + "]") + ")";
    const quotedValue = (k, kind) => '(typeof (s = c[' + k + ']) === "object" ? s.quoted : ' + KIND[kind]("s") + ")";
    const row = (cell) => {
      const cells = kinds.map((kind, k) => cell(k, kind));
      if (!keys) return "[" + cells.join(", ") + "]";
      return "{" + cells.map((e, k) => keys[k] + ": " + e).join(", ") + "}";
    };
    const odd = "c.length !== " + width + (keys && width === 1 ? ' || c[0] === ""' : "");
    const source = [
      "(function (lines, from, to, last, out, T, other, record) {",
      "  var line, c, s, x, n = out.length;",
      "  for (var i = from; i < to; i++) {",
      ...(quotes || cr ? ["    line = lines[i];"] : []),
      ...(quotes ? ["    if (line.indexOf('\"') >= 0) { c = []; i = record(lines, i, last, c);" +
        " if (" + odd + ") { other(c); n = out.length; } else out[n++] = " + row(quotedValue) + "; continue; }"] : []),
      ...(cr ? ["    if (i < last && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);"] : []),
      "    c = " + (quotes || cr ? "line" : "lines[i]") + ".split(" + JSON.stringify(sep) + ");",
      "    if (" + odd + ") { other(c); n = out.length; } else out[n++] = " + row(value) + ";",
      "  }",
      "})",
    ].join("\n");
    return compile(source);
  }

  // Column names that an object literal would not set as plain assignments
  // do: repeated names and __proto__ take the generic path.
  function literalKeys(columns) {
    if (new Set(columns).size !== columns.length || columns.includes("__proto__")) return null;
    return columns.map((name) => JSON.stringify(name));
  }

  function parseCSV(text, options = {}) {
    const sep = options.separator || (options.tsv ? "\t" : ",");
    text = String(text);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const header = options.header !== false;
    const T = options.typed !== false ? typedText : rawText;
    const cellValue = (c) => (typeof c === "object" ? c.quoted : T(c));
    if (typeof sep !== "string" || sep.length !== 1 || sep === '"' || sep === "\r" || sep === "\n") {
      return fromRows(parseRows(text, sep), header, cellValue);
    }
    if (text === "") return [];
    const quotes = text.split('"', 2).length > 1;
    // Without quotes every "\r\n" ends a row; with them, lines are trimmed one by one.
    if (!quotes) text = text.replaceAll("\r\n", "\n");
    const cr = quotes && text.split("\r", 2).length > 1;
    const out = [];
    // One record's cells from line i; returns the record's last line.
    const record = (lines, i, last, c) => {
      const line = lines[i];
      if (line.indexOf('"') >= 0) return quotedRecord(lines, i, last, sep, c);
      const cells = (cr && i < last && line.endsWith("\r") ? line.slice(0, -1) : line).split(sep);
      for (let k = 0; k < cells.length; k++) c.push(cells[k]);
      return i;
    };
    let columns = null, width = 0, loop = null, other;
    // Lines come in chunks cut at "\n" when no quoted field can span two;
    // else all at once.
    for (let pos = 0; pos < text.length;) {
      const cut = quotes ? -1 : text.indexOf("\n", pos + CHUNK);
      const lines = (cut < 0 ? text.slice(pos) : text.slice(pos, cut)).split("\n");
      pos = cut < 0 ? text.length : cut + 1;
      const last = lines.length - 1;
      // The text's final "\n" ends the last row; it does not start another.
      const to = cut < 0 && lines[last] === "" ? last : lines.length;
      let from = 0;
      if (!loop) {
        let keys = null;
        if (header) {
          const head = [];
          from = record(lines, 0, last, head) + 1;
          columns = head.map((c) => (typeof c === "object" ? c.quoted : c).trim());
          width = columns.length;
          keys = literalKeys(columns);
          other = (c) => {
            if (c.length > 1 || (c[0] !== "" && c[0] !== undefined)) out.push(objectOf(columns, c, cellValue));
          };
        } else {
          width = lines[0].split(sep).length;
          other = (c) => { out.push(c.map(cellValue)); };
        }
        // Generating the loop costs about what 20 rows do the plain way.
        loop = (header && !keys) || to - from < SMALL ? genericLoop
          : rowLoop(keys, kindsOf(lines, from, to, last, width, T === typedText, record), sep, quotes, cr);
      }
      loop(lines, from, to, last, out, T, other, record);
    }
    return out;
  }

  function genericLoop(lines, from, to, last, out, T, other, record) {
    for (let i = from; i < to; i++) {
      const c = [];
      i = record(lines, i, last, c);
      other(c);
    }
  }

  function objectOf(columns, c, cellValue) {
    const obj = {};
    columns.forEach((name, k) => { obj[name] = k < c.length ? cellValue(c[k]) : null; });
    return obj;
  }

  function fromRows(rows, header, cellValue) {
    if (!header) return rows.map((r) => r.map(cellValue));
    const [head = [], ...body] = rows;
    const columns = head.map((c) => (typeof c === "object" ? c.quoted : c).trim());
    return body.filter((r) => r.length > 1 || (r[0] !== "" && r[0] !== undefined))
      .map((r) => objectOf(columns, r, cellValue));
  }

  function cellText(v) {
    if (v === null || v === undefined) return "";
    const s = typeof v === "object" ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  // toCSV without the per-row overhead when rows and columns are plain arrays
  // and the builtins it calls are the original ones; else the plain code.
  const { map: arrayMap, flatMap: arrayFlatMap, forEach: arrayForEach } = Array.prototype;
  const setAdd = Set.prototype.add;
  const encode = encodeURIComponent;
  const cellOut = (v) => cellText(v) ?? "";  // JSON.stringify can give undefined: join writes ""

  function toCSV(rows, columns) {
    const plain = !Array.isArray(rows) || rows.length < SMALL || rows.map !== arrayMap || rows.flatMap !== arrayFlatMap ||
      (columns ? !Array.isArray(columns) || columns.map !== arrayMap || !allStrings(columns)
        : Array.prototype.forEach !== arrayForEach || Set.prototype.add !== setAdd);
    if (plain) {
      const cols = columns || [...new Set(rows.flatMap((r) => Object.keys(r)))];
      return [cols.map(cellText).join(","), ...rows.map((r) => cols.map((c) => cellText(r[c])).join(","))].join("\n") + "\n";
    }
    const cols = columns || columnsOf(rows);
    const lines = [cols.map(cellText).join(",")];
    csvLoop(cols)(rows, rows.length, lines, cellOut, cellText, encode);
    return lines.join("\n") + "\n";
  }

  function allStrings(list) {
    for (let k = 0; k < list.length; k++) if (typeof list[k] !== "string") return false;
    return true;
  }

  // Every row's keys, in order of first appearance.
  function columnsOf(rows) {
    const seen = new Set();
    for (let i = 0, n = rows.length; i < n; i++) {
      const r = rows[i];
      if (r === undefined && !(i in rows)) continue;  // flatMap skips holes
      Object.keys(r).forEach(setAdd, seen);
    }
    return [...seen];
  }

  // The loop that writes rows as CSV lines for these columns. A row's string
  // cells are checked together: when none holds a comma, quote or line break
  // (encodeURIComponent leaves them as they are), they are written as they
  // are; else each goes through cellText. Other values go through cellText.
  function csvLoop(cols) {
    const cells = cols.map((c, k) => `a${k} = typeof (v${k} = r[${JSON.stringify(c)}]) === "string" ? (t += v${k}, v${k})` +
      ` : typeof v${k} === "number" ? "" + v${k} : C(v${k});`);
    const source = [
      "(function (rows, n, lines, C, Q, encode) {",
      "  var r, t, ok" + cols.map((c, k) => `, v${k}, a${k}`).join("") + ";",
      "  for (var i = 0; i < n; i++) {",
      "    r = rows[i];",
      '    if (r === undefined && !(i in rows)) { lines.push(""); continue; }  // map keeps a hole: join writes ""',
      '    t = "";',
      ...cells.map((c) => "    " + c),
      '    if (t !== "") {',
      "      try { ok = encode(t) === t; } catch (e) { ok = false; }",
      "      if (!ok) { " + cols.map((c, k) => `if (typeof v${k} === "string") a${k} = Q(v${k});`).join(" ") + " }",
      "    }",
      "    lines.push(`" + cols.map((c, k) => "${a" + k + "}").join(",") + "`);",
      "  }",
      "})",
    ].join("\n");
    return compile(source);
  }

  const readCSV = (path, options) => parseCSV(fs.readFileSync(path, "utf8"), {
    tsv: /\.tsv$/i.test(path), ...options,
  });
  const writeCSV = (path, rows, columns) => fs.writeFileSync(path, toCSV(rows, columns));
  const readJSON = (path) => JSON.parse(fs.readFileSync(path, "utf8"));
  const writeJSON = (path, value, indent = 2) => fs.writeFileSync(path, JSON.stringify(value, null, indent) + "\n");
  function readJSONL(path) {
    const lines = fs.readFileSync(path, "utf8").split("\n");
    const out = [];
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      // A first character from "!" to U+007F is not blank; else trim decides.
      if ((l >= "!" && l < "\u0080") || l.trim()) out.push(JSON.parse(l));
    }
    return out;
  }

  function writeJSONL(path, rows) {
    if (!Array.isArray(rows) || rows.map !== arrayMap) {
      return fs.writeFileSync(path, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
    }
    const n = rows.length, lines = new Array(n);
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      if (r !== undefined || i in rows) lines[i] = JSON.stringify(r);  // a hole stays one: join writes ""
    }
    return fs.writeFileSync(path, lines.join("\n") + "\n");
  }

  return { parseCSV, toCSV, readCSV, writeCSV, readJSON, writeJSON, readJSONL, writeJSONL };
})
