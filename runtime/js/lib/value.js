// The completion value, made JSON-able for the host: undefined becomes null,
// BigInt a string, Map an object, Set an array; a cycle falls back to text.
(function (internals) {
  function replacer(key, v) {
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "function") return "[Function: " + (v.name || "anonymous") + "]";
    if (typeof v === "symbol") return v.toString();
    if (v instanceof Map) return Object.fromEntries(v);
    if (v instanceof Set) return Array.from(v);
    return v;
  }
  function toJSON(value) {
    if (value === undefined) return null;
    try {
      const text = JSON.stringify(value, replacer);
      return text === undefined ? null : JSON.parse(text);
    } catch (e) {
      return internals.lib("inspect").inspect(value);
    }
  }
  return { toJSON };
})
