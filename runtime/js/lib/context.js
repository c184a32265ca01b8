// What the program's values were when a TypeError ended it: for each
// property chain on the failing line (`obj.b.c`), the type of every prefix
// (`obj`, `obj.b`) and an object's keys. The host picks the chain that failed
// and turns these facts into the diagnostic ("`obj.b` is undefined; `obj` has
// keys a, x").
//
// Only a script's top-level bindings can be looked up once the error has
// unwound the stack; names local to a function come back as unknown.
(function (internals) {
  const { std } = internals;
  const CHAIN = /[A-Za-z_$][\w$]*(?:\s*\??\.\s*[A-Za-z_$][\w$]*|\[\s*(?:\d+|'[^']*'|"[^"]*")\s*\])*/g;
  const MAX_KEYS = 50;

  function lookup(expr) {
    try {
      const value = std.evalScript(expr);
      const info = { expr, type: value === null ? "null" : Array.isArray(value) ? "array" : typeof value };
      if (value !== null && typeof value === "object") {
        info.keys = Object.keys(value).slice(0, MAX_KEYS);
        if (Array.isArray(value)) info.length = value.length;
      }
      if (typeof value === "function") info.name = value.name;
      return info;
    } catch (e) {
      return { expr, type: "unknown" };
    }
  }

  // The prefixes of a chain: `a.b[0].c` -> a, a.b, a.b[0], a.b[0].c
  function prefixes(chain) {
    const out = [];
    const step = /\??\.\s*[A-Za-z_$][\w$]*|\[[^\]]*\]/g;
    const head = /^[A-Za-z_$][\w$]*/.exec(chain)[0];
    let acc = head;
    out.push(acc);
    step.lastIndex = head.length;
    for (let m; (m = step.exec(chain));) {
      acc += m[0].replace(/\s+/g, "");
      out.push(acc);
    }
    return out;
  }

  function describe(line) {
    if (internals.mode !== "script" || !line) return [];
    const seen = new Set();
    const facts = [];
    for (const m of line.matchAll(CHAIN)) {
      if (!/[.[]/.test(m[0]) && facts.length > 20) continue;
      for (const expr of prefixes(m[0].replace(/\?\./g, "."))) {
        if (seen.has(expr) || facts.length >= 40) continue;
        seen.add(expr);
        facts.push(lookup(expr));
      }
    }
    return facts;
  }

  return { describe };
})
