// The completion value, made JSON-able for the host with JSON.stringify's
// rules (undefined, functions and symbols left out of objects and null in
// arrays, NaN and Infinity null), and what JSON.stringify cannot do: BigInt
// becomes a string, Map an object, Set an array, a cycle "[Circular]" and
// nesting deeper than MAX_DEPTH "[Nested]".
(function () {
  const MAX_DEPTH = 64;

  function convert(v, depth, seen) {
    switch (typeof v) {
      case "undefined": case "function": case "symbol": return undefined;
      case "number": return Number.isFinite(v) ? v : null;
      case "string": case "boolean": return v;
      case "bigint": return v.toString();
    }
    if (v === null) return null;
    if (seen.includes(v)) return "[Circular]";
    if (depth >= MAX_DEPTH) return "[Nested]";
    if (typeof v.toJSON === "function" && !(v instanceof Map) && !(v instanceof Set)) {
      return convert(v.toJSON(), depth, seen);
    }
    const inner = seen.concat([v]);
    if (Array.isArray(v) || v instanceof Set || ArrayBuffer.isView(v)) {
      return Array.from(v, (x) => convert(x, depth + 1, inner) ?? null);
    }
    const entries = v instanceof Map ? [...v].map(([k, x]) => [String(k), x]) : Object.entries(v);
    const out = {};
    for (const [k, x] of entries) {
      const converted = convert(x, depth + 1, inner);
      if (converted !== undefined) out[k] = converted;
    }
    return out;
  }

  return () => ({ toJSON: (value) => convert(value, 0, []) ?? null });
})()
