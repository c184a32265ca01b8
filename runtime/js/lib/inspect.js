// Node-style value formatting for console.log, console.table and the value
// report: `{ a: 1, b: 'x' }`, `[ 1, 2, 3 ]`, `Map(1) { 'k' => 1 }`, nesting
// cut at depth 2, long objects broken over lines at 80 columns.
(function () {
  const BREAK = 80;
  const IDENT = /^[A-Za-z_$][\w$]*$/;

  function quote(s) {
    const q = !s.includes("'") ? "'" : !s.includes('"') ? '"' : !s.includes("`") ? "`" : "'";
    const body = JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"');
    return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
  }

  function key(k) {
    return typeof k === "symbol" ? "[" + k.toString() + "]" : IDENT.test(k) ? k : quote(k);
  }

  function primitive(v) {
    switch (typeof v) {
      case "string": return quote(v);
      case "bigint": return v + "n";
      case "number": return Object.is(v, -0) ? "-0" : String(v);
      case "undefined": return "undefined";
      case "symbol": return v.toString();
      default: return String(v);
    }
  }

  function wrap(open, items, close, indent, prefix) {
    if (!items.length) return (prefix ? prefix + " " : "") + open + close;
    const head = prefix ? prefix + " " + open : open;
    const oneLine = head + " " + items.join(", ") + " " + close;
    if (oneLine.length + indent <= BREAK && !oneLine.includes("\n")) return oneLine;
    const pad = " ".repeat(indent + 2);
    return head + "\n" + items.map((i) => pad + i).join(",\n") + "\n" + " ".repeat(indent) + close;
  }

  function inspect(value, depth = 2, indent = 0, seen = []) {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return primitive(value);
    if (typeof value === "function") {
      const isClass = /^class\b/.test(Function.prototype.toString.call(value));
      return "[" + (isClass ? "class " : "Function: ") + (value.name || "(anonymous)") + "]";
    }
    if (seen.includes(value)) return "[Circular *1]";
    if (value instanceof Error) return value.stack ? value.name + ": " + value.message + "\n" + value.stack.replace(/\n$/, "") : String(value);
    if (value instanceof Date) return isNaN(value) ? "Invalid Date" : value.toISOString();
    if (value instanceof RegExp) return String(value);
    if (value instanceof Promise) return "Promise { <pending> }";
    const ctor = value.constructor && value.constructor.name;
    if (depth < 0) return Array.isArray(value) ? "[Array]" : "[" + (ctor || "Object") + "]";
    const inner = (v) => inspect(v, depth - 1, indent + 2, seen.concat([value]));
    if (Array.isArray(value)) {
      const items = [];
      const shown = Math.min(value.length, 100);
      for (let i = 0; i < shown; i++) items.push(i in value ? inner(value[i]) : "<1 empty item>");
      if (value.length > shown) items.push("... " + (value.length - shown) + " more items");
      return wrap("[", items, "]", indent, "");
    }
    if (ArrayBuffer.isView(value)) {
      const items = Array.from(value.slice(0, 100), (x) => primitive(x));
      return wrap("[", items, "]", indent, ctor + "(" + value.length + ")");
    }
    if (value instanceof Map) {
      const items = [...value].map(([k, v]) => inner(k) + " => " + inner(v));
      return wrap("{", items, "}", indent, "Map(" + value.size + ")");
    }
    if (value instanceof Set) {
      return wrap("{", [...value].map(inner), "}", indent, "Set(" + value.size + ")");
    }
    const items = Object.keys(value).map((k) => key(k) + ": " + inner(value[k]));
    const prefix = ctor === "Object" ? "" : ctor ? ctor : "[Object: null prototype]";
    return wrap("{", items, "}", indent, prefix);
  }

  function format(args) {
    let first = args[0];
    let rest = args.slice(1);
    let out = "";
    if (typeof first === "string") {
      out = first.replace(/%[sdifjoOc%]/g, (m) => {
        if (m === "%%") return "%";
        if (!rest.length) return m;
        const v = rest.shift();
        switch (m) {
          case "%s": return typeof v === "string" ? v : typeof v === "object" && v !== null ? inspect(v, 1) : primitive(v);
          case "%d": case "%i": return typeof v === "object" ? "NaN" : String(m === "%i" ? parseInt(v) : Number(v));
          case "%f": return String(parseFloat(v));
          case "%j": try { return JSON.stringify(v); } catch (e) { return "[Circular]"; }
          case "%c": return "";
          default: return inspect(v, 4);
        }
      });
    } else {
      rest = args;
    }
    const parts = rest.map((v) => (typeof v === "string" ? v : inspect(v)));
    return (typeof first === "string" ? [out, ...parts] : parts).join(" ");
  }

  function table(data, columns) {
    if (data === null || typeof data !== "object") return format([data]);
    const rows = data instanceof Map ? [...data] : Object.entries(data);
    const keys = [];
    let hasValues = false;
    for (const [, row] of rows) {
      if (row !== null && typeof row === "object") {
        for (const k of Object.keys(row)) if (!keys.includes(k)) keys.push(k);
      } else hasValues = true;
    }
    const cols = columns || keys;
    const header = ["(index)", ...cols, ...(hasValues ? ["Values"] : [])];
    const body = rows.map(([idx, row]) => {
      const isObj = row !== null && typeof row === "object";
      const cells = cols.map((c) => (isObj && c in row ? inspect(row[c], 0) : ""));
      if (hasValues) cells.push(isObj ? "" : inspect(row, 0));
      return [String(idx), ...cells];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)) + 2);
    const line = (l, m, r) => l + widths.map((w) => "─".repeat(w)).join(m) + r;
    const row = (cells) => "│" + cells.map((c, i) => " " + c.padEnd(widths[i] - 1)).join("│") + "│";
    return [line("┌", "┬", "┐"), row(header), line("├", "┼", "┤"), ...body.map(row), line("└", "┴", "┘")].join("\n");
  }

  return () => ({ inspect, format, table });
})()
