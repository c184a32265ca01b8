// The completion value, made JSON-able for the host: undefined becomes null,
// BigInt a string, Map an object, Set an array, a function its name; a cycle
// becomes "[Circular]" and nesting deeper than MAX_DEPTH "[Nested]".
(function () {
  const MAX_DEPTH = 64;

  function convert(v, depth, seen) {
    switch (typeof v) {
      case "undefined": return null;
      case "number": return Number.isFinite(v) ? v : String(v);
      case "string": case "boolean": return v;
      case "bigint": return v.toString();
      case "symbol": return v.toString();
      case "function": return "[Function: " + (v.name || "anonymous") + "]";
    }
    if (v === null) return null;
    if (seen.includes(v)) return "[Circular]";
    if (depth >= MAX_DEPTH) return "[Nested]";
    if (typeof v.toJSON === "function" && !(v instanceof Map) && !(v instanceof Set)) {
      return convert(v.toJSON(), depth, seen);
    }
    const inner = seen.concat([v]);
    if (Array.isArray(v) || v instanceof Set || ArrayBuffer.isView(v)) {
      return Array.from(v, (x) => convert(x, depth + 1, inner));
    }
    const entries = v instanceof Map ? [...v].map(([k, x]) => [String(k), x]) : Object.entries(v);
    const out = {};
    for (const [k, x] of entries) out[k] = convert(x, depth + 1, inner);
    return out;
  }

  return () => ({ toJSON: (value) => convert(value, 0, []) });
})()
