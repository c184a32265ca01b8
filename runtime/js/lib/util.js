// Node's `util` module: inspect and format (lib/inspect), isDeepStrictEqual,
// types, promisify and deprecate. No TextEncoder/TextDecoder: the engine has
// none to re-export.
(function (internals) {
  const { lib } = internals;
  const ins = lib("inspect");

  // Node's strict deep equality: same prototypes, own enumerable keys (symbols
  // too) and values, Object.is for primitives; Maps and Sets by content.
  function equal(a, b, seen) {
    if (Object.is(a, b)) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (Object.prototype.toString.call(a) !== Object.prototype.toString.call(b)) return false;
    for (const [x, y] of seen) if (x === a && y === b) return true;
    seen = seen.concat([[a, b]]);
    if (ins.isDate(a) && a.getTime() !== b.getTime() && !(isNaN(a.getTime()) && isNaN(b.getTime()))) return false;
    if (ins.isRegExp(a) && (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex)) return false;
    if (ins.isBoxed(a) && !Object.is(a.valueOf(), b.valueOf())) return false;
    if (a instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
    if (ArrayBuffer.isView(a) || ins.isArrayBuffer(a)) {
      const x = new Uint8Array(a.buffer || a, a.byteOffset || 0, a.byteLength);
      const y = new Uint8Array(b.buffer || b, b.byteOffset || 0, b.byteLength);
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
    }
    if (Array.isArray(a) && a.length !== b.length) return false;
    if (ins.isSet(a)) {
      if (a.size !== b.size) return false;
      outer: for (const v of a) {
        if (b.has(v)) continue;
        if (typeof v !== "object" || v === null) return false;
        for (const w of b) if (equal(v, w, seen)) continue outer;
        return false;
      }
    }
    if (ins.isMap(a)) {
      if (a.size !== b.size) return false;
      outer: for (const [k, v] of a) {
        if (b.has(k)) {
          if (!equal(v, b.get(k), seen)) return false;
          continue;
        }
        if (typeof k !== "object" || k === null) return false;
        for (const [k2, v2] of b) if (equal(k, k2, seen) && equal(v, v2, seen)) continue outer;
        return false;
      }
    }
    const keys = (o) => Object.keys(o).concat(Object.getOwnPropertySymbols(o).filter((s) => Object.prototype.propertyIsEnumerable.call(o, s)));
    const ka = keys(a), kb = keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
      if (!Object.prototype.propertyIsEnumerable.call(b, k) || !equal(a[k], b[k], seen)) return false;
    }
    return true;
  }

  const CUSTOM_PROMISIFY = Symbol.for("nodejs.util.promisify.custom");

  // A function taking a Node-style callback `(err, value)` last, as one returning a promise.
  function promisify(fn) {
    if (typeof fn !== "function") throw new TypeError('The "original" argument must be of type function');
    if (typeof fn[CUSTOM_PROMISIFY] === "function") return fn[CUSTOM_PROMISIFY];
    function promisified(...args) {
      return new Promise((resolve, reject) => {
        fn.call(this, ...args, (err, value) => (err ? reject(err) : resolve(value)));
      });
    }
    Object.setPrototypeOf(promisified, Object.getPrototypeOf(fn));
    return Object.defineProperties(promisified, Object.getOwnPropertyDescriptors(fn));
  }

  // Node warns once on stderr when a deprecated function is first called; a
  // world's program has no one to warn, so the function is returned as it is.
  const deprecate = (fn) => fn;

  const types = {
    isDate: ins.isDate, isRegExp: ins.isRegExp, isMap: ins.isMap, isSet: ins.isSet,
    isPromise: ins.isPromise, isTypedArray: ins.isTypedArray, isArrayBuffer: ins.isArrayBuffer,
    isWeakMap: ins.isWeakMap, isWeakSet: ins.isWeakSet, isDataView: ins.isDataView,
    isNativeError: ins.isError, isBoxedPrimitive: ins.isBoxed,
    isAsyncFunction: (f) => typeof f === "function" && Object.getPrototypeOf(f) === Object.getPrototypeOf(async function () {}),
    isGeneratorFunction: (f) => typeof f === "function" && Object.getPrototypeOf(f) === Object.getPrototypeOf(function* () {}),
  };

  const util = {
    inspect: ins.inspect, format: ins.format, formatWithOptions: ins.formatWithOptions,
    isDeepStrictEqual: (a, b) => equal(a, b, []),
    types, promisify, deprecate,
    inherits(ctor, superCtor) {
      Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
      Object.setPrototypeOf(ctor, superCtor);
      Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
    },
    isArray: Array.isArray,
  };
  promisify.custom = CUSTOM_PROMISIFY;
  return util;
})
