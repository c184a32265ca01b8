// Helpers for the world's data files: CSV (RFC 4180: quoted fields, doubled
// quotes, CRLF) with numbers typed and empty cells null, JSON and JSON Lines.
(function (internals) {
  const fs = internals.lib("fs");
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
    if (typeof cell === "object") return cell.quoted;  // quoted cells stay text
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
    return [cols.map(cellText).join(","), ...rows.map((r) => cols.map((c) => cellText(r[c])).join(","))].join("\n") + "\n";
  }

  const readCSV = (path, options) => parseCSV(fs.readFileSync(path, "utf8"), {
    tsv: /\.tsv$/i.test(path), ...options,
  });
  const writeCSV = (path, rows, columns) => fs.writeFileSync(path, toCSV(rows, columns));
  const readJSON = (path) => JSON.parse(fs.readFileSync(path, "utf8"));
  const writeJSON = (path, value, indent = 2) => fs.writeFileSync(path, JSON.stringify(value, null, indent) + "\n");
  const readJSONL = (path) => fs.readFileSync(path, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  const writeJSONL = (path, rows) => fs.writeFileSync(path, rows.map((r) => JSON.stringify(r)).join("\n") + "\n");

  return { parseCSV, toCSV, readCSV, writeCSV, readJSON, writeJSON, readJSONL, writeJSONL };
})
