// Node-style value formatting for console.log, util.inspect and util.format.
// The output is meant to be byte-identical to Node 20's for every kind of
// value (tests/test_js_node_format.py compares the two side by side): models
// write code for Node and read what it prints, so any difference is noise.
// The rules below are Node's observable format, written down here; the code is
// our own. Where an engine cannot match (error stacks, iterator previews) the
// test says so.
(function (internals) {
  const CUSTOM = Symbol.for("nodejs.util.inspect.custom");
  const DEFAULTS = {
    showHidden: false, depth: 2, colors: false, customInspect: true, showProxy: false,
    maxArrayLength: 100, maxStringLength: 10000, breakLength: 80, compact: 3, sorted: false,
    getters: false, numericSeparator: false,
  };
  // Keys printed bare; anything else is quoted like a string (Node leaves `$` out).
  const BARE_KEY = /^[a-zA-Z_][a-zA-Z_0-9]*$/;
  const INDEX = /^(0|[1-9][0-9]*)$/;
  // Elements of an array (formatted bare) versus named properties (`key: value`).
  const OBJECT = 0, ELEMENT = 1, ARRAY_EXTRA = 2;

  // -- brand checks: what a value really is, whatever its prototype claims ------

  function brand(proto, name) {
    const d = Object.getOwnPropertyDescriptor(proto, name);
    const probe = d.get || d.value;
    return (v) => { try { probe.call(v); return true; } catch (e) { return false; } };
  }
  const isMap = brand(Map.prototype, "size");
  const isSet = brand(Set.prototype, "size");
  const isDate = brand(Date.prototype, "getTime");
  const isNumberObject = brand(Number.prototype, "valueOf");
  const isStringObject = brand(String.prototype, "valueOf");
  const isBooleanObject = brand(Boolean.prototype, "valueOf");
  const isBigIntObject = brand(BigInt.prototype, "valueOf");
  const isSymbolObject = brand(Symbol.prototype, "valueOf");
  const isArrayBuffer = brand(ArrayBuffer.prototype, "byteLength");
  const isDataView = brand(DataView.prototype, "byteLength");
  const isWeakMap = brand(WeakMap.prototype, "has");
  const isWeakSet = brand(WeakSet.prototype, "has");
  const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag).get;
  const isTypedArray = (v) => typedArrayTag.call(v) !== undefined;
  const regExpSource = Object.getOwnPropertyDescriptor(RegExp.prototype, "source").get;
  const isRegExp = (v) => { try { regExpSource.call(v); return v !== RegExp.prototype; } catch (e) { return false; } };
  const isError = (v) => v instanceof Error;
  const isPromise = (v) => v instanceof Promise;
  const AsyncFunction = Object.getPrototypeOf(async function () {});
  const GeneratorFunction = Object.getPrototypeOf(function* () {});
  const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {});
  const isBoxed = (v) => isNumberObject(v) || isStringObject(v) || isBooleanObject(v) || isBigIntObject(v) || isSymbolObject(v);

  // -- primitives ----------------------------------------------------------------

  // How a control character, quote or backslash is written inside quotes.
  function escapeChar(c) {
    const code = c.charCodeAt(0);
    switch (c) {
      case "\b": return "\\b";
      case "\t": return "\\t";
      case "\n": return "\\n";
      case "\f": return "\\f";
      case "\r": return "\\r";
      case "'": return "\\'";
      case "\\": return "\\\\";
    }
    if (code >= 0xd800 && code <= 0xdfff) return "\\u" + code.toString(16);
    return "\\x" + code.toString(16).toUpperCase().padStart(2, "0");
  }
  const LONE_SURROGATE = "[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";
  const ESCAPE_SINGLE = new RegExp("[\\x00-\\x1f\\x27\\x5c\\x7f-\\x9f]|" + LONE_SURROGATE, "g");
  const ESCAPE_OTHER = new RegExp("[\\x00-\\x1f\\x5c\\x7f-\\x9f]|" + LONE_SURROGATE, "g");

  // Single quotes, unless the text has one: then double quotes, then backticks.
  function quote(s) {
    let q = "'";
    if (s.includes("'")) {
      if (!s.includes('"')) q = '"';
      else if (!s.includes("`") && !s.includes("${")) q = "`";
    }
    return q + s.replace(q === "'" ? ESCAPE_SINGLE : ESCAPE_OTHER, escapeChar) + q;
  }

  function formatNumber(n) {
    return Object.is(n, -0) ? "-0" : String(n);
  }

  function formatPrimitive(v, ctx) {
    switch (typeof v) {
      case "string": {
        let trailer = "";
        if (v.length > ctx.maxStringLength) {
          const more = v.length - ctx.maxStringLength;
          v = v.slice(0, ctx.maxStringLength);
          trailer = "... " + more + " more character" + (more > 1 ? "s" : "");
        }
        // A long string is shown one line per source line, joined with `+`.
        if (ctx.compact !== true && v.length > 16 && v.length > ctx.breakLength - ctx.indentationLvl - 4) {
          return v.split(/(?<=\n)/).map(quote).join(" +\n" + " ".repeat(ctx.indentationLvl + 2)) + trailer;
        }
        return quote(v) + trailer;
      }
      case "number": return formatNumber(v);
      case "bigint": return v + "n";
      case "symbol": return v.toString();
      default: return String(v);
    }
  }

  // Columns a string takes in a terminal: wide East Asian characters and emoji
  // take two, combining marks none (used to line up grouped array items).
  function width(s) {
    let n = 0;
    for (const ch of s) {
      const c = ch.codePointAt(0);
      if (c < 0x300) n += c >= 0x20 && (c < 0x7f || c >= 0xa0) ? 1 : 0;
      else if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f)) n += 0;
      else if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
               (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
               (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) || (c >= 0x1f900 && c <= 0x1f9ff) ||
               (c >= 0x20000 && c <= 0x3fffd)) n += 2;
      else n += 1;
    }
    return n;
  }

  // -- names: `P { x: 1 }`, `Map(1) [Foo] {`, `[Object: null prototype] {` -------

  // The first constructor up the prototype chain that has a name, or null for
  // an object whose chain ends without one (Object.create(null)).
  function constructorName(obj) {
    for (let o = obj; o !== null; o = Object.getPrototypeOf(o)) {
      const d = Object.getOwnPropertyDescriptor(o, "constructor");
      if (d !== undefined && typeof d.value === "function" && d.value.name !== "") {
        try { if (obj instanceof d.value) return String(d.value.name); } catch (e) { /* not a constructor */ }
      }
    }
    return null;
  }

  function prefix(ctor, tag, fallback, size = "") {
    if (ctor === null) {
      return tag !== "" && fallback !== tag ? `[${fallback}${size}: null prototype] [${tag}] ` : `[${fallback}${size}: null prototype] `;
    }
    return tag !== "" && ctor !== tag ? `${ctor}${size} [${tag}] ` : `${ctor}${size} `;
  }

  function functionBase(fn, ctor, tag) {
    const source = Function.prototype.toString.call(fn);
    if (source.startsWith("class") && source.endsWith("}")) {
      const own = Object.prototype.hasOwnProperty.call(fn, "name");
      let base = "class " + ((own && fn.name) || "(anonymous)");
      if (ctor !== "Function" && ctor !== null) base += ` [${ctor}]`;
      if (tag !== "" && ctor !== tag) base += ` [${tag}]`;
      if (ctor !== null) {
        const parent = Object.getPrototypeOf(fn).name;
        if (parent) base += " extends " + parent;
      } else {
        base += " extends [null prototype]";
      }
      return "[" + base + "]";
    }
    const proto = Object.getPrototypeOf(fn);
    const type = proto === AsyncFunction ? "AsyncFunction" : proto === GeneratorFunction ? "GeneratorFunction"
      : proto === AsyncGeneratorFunction ? "AsyncGeneratorFunction" : "Function";
    let base = "[" + type;
    if (ctor === null) base += " (null prototype)";
    base += fn.name === "" ? " (anonymous)" : ": " + fn.name;
    base += "]";
    if (ctor !== type && ctor !== null) base += " " + ctor;
    if (tag !== "" && ctor !== tag) base += ` [${tag}]`;
    return base;
  }

  function boxedBase(value, ctx, keys, ctor, tag) {
    let type, inner;
    if (isNumberObject(value)) { type = "Number"; inner = Number.prototype.valueOf.call(value); }
    else if (isStringObject(value)) {
      type = "String"; inner = String.prototype.valueOf.call(value);
      keys.splice(0, inner.length);  // the characters' own index keys
    } else if (isBooleanObject(value)) { type = "Boolean"; inner = Boolean.prototype.valueOf.call(value); }
    else if (isBigIntObject(value)) { type = "BigInt"; inner = BigInt.prototype.valueOf.call(value); }
    else { type = "Symbol"; inner = Symbol.prototype.valueOf.call(value); }
    let base = "[" + type;
    if (type !== ctor) base += ctor === null ? " (null prototype)" : ` (${ctor})`;
    base += ": " + formatPrimitive(inner, { ...ctx, compact: true }) + "]";
    if (tag !== "" && tag !== ctor) base += ` [${tag}]`;
    return base;
  }

  // -- errors --------------------------------------------------------------------

  // QuickJS's `stack` holds only the frames, and frames of the runtime itself
  // (the bootstrap, library files, native calls). Node's starts with
  // `Name: message`. The deterministic equivalent shown here: Node's header,
  // then only the frames in the program's own files, as `at fn (/file:line:col)`.
  function errorStack(err) {
    const raw = err.stack;
    if (!raw) return Error.prototype.toString.call(err);
    const text = String(raw);
    const lines = text.split("\n");
    if (!/^\s+at /.test(lines[0]) && lines[0] !== "") return text;  // a stack the program wrote itself
    const frames = lines.filter((l) => /^\s+at /.test(l) && !/\((native|<run>:.*|\/\.worlds\/.*)\)$/.test(l))
      .map((l) => l.replace("(/<cjs>/", "(/"));
    const head = Error.prototype.toString.call(err);
    return frames.length ? head + "\n" + frames.join("\n") : head;
  }

  function formatError(err, ctor, tag, ctx, keys) {
    const name = err.name != null ? String(err.name) : "Error";
    let stack = errorStack(err);
    // name, message and stack are left out of the keys when the stack shows them
    if (!ctx.showHidden && keys.length) {
      for (const k of ["name", "message", "stack"]) {
        const at = keys.indexOf(k);
        if (at !== -1 && stack.includes(err[k])) keys.splice(at, 1);
      }
    }
    if ("cause" in err && !keys.includes("cause")) keys.push("cause");
    // An error whose class is not its name says both: `MyErr [Error]: ...`.
    let len = name.length;
    if (ctor === null || (name.endsWith("Error") && stack.startsWith(name) &&
        (stack.length === len || stack[len] === ":" || stack[len] === "\n"))) {
      let fallback = "Error";
      if (ctor === null) {
        const m = /^([A-Z][a-z_ A-Z0-9[\]()-]+)(?::|\n\s+at)/.exec(stack) || /^([a-z_A-Z0-9-]*Error)$/.exec(stack);
        fallback = (m && m[1]) || "";
        len = fallback.length;
        fallback = fallback || "Error";
      }
      const p = prefix(ctor, tag, fallback).slice(0, -1);
      if (name !== p) {
        if (p.includes(name)) stack = len === 0 ? `${p}: ${stack}` : p + stack.slice(len);
        else stack = `${p} [${name}]${stack.slice(len)}`;
      }
    }
    const at = err.message ? stack.indexOf(err.message) : -1;
    if (stack.indexOf("\n    at", at === -1 ? -1 : at + err.message.length) === -1) stack = "[" + stack + "]";
    if (ctx.indentationLvl !== 0) stack = stack.replaceAll("\n", "\n" + " ".repeat(ctx.indentationLvl));
    return stack;
  }

  // -- the walk ------------------------------------------------------------------

  function ownKeys(value, showHidden, nonIndex) {
    let keys;
    if (showHidden) keys = Object.getOwnPropertyNames(value);
    else {
      try { keys = Object.keys(value); } catch (e) { keys = []; }
    }
    if (nonIndex) keys = keys.filter((k) => !INDEX.test(k) || Number(k) > 2 ** 32 - 2);
    for (const s of Object.getOwnPropertySymbols(value)) {
      if (showHidden || Object.prototype.propertyIsEnumerable.call(value, s)) keys.push(s);
    }
    return keys;
  }

  function formatValue(ctx, value, depth) {
    if (typeof value !== "object" && typeof value !== "function") return formatPrimitive(value, ctx);
    if (value === null) return "null";
    if (ctx.customInspect) {
      const custom = value[CUSTOM];
      if (typeof custom === "function" && custom !== inspect && !(value.constructor && value.constructor.prototype === value)) {
        const left = ctx.depth === null ? null : ctx.depth - depth;
        const ret = custom.call(value, left, { ...ctx.options, depth: left }, inspect);
        if (ret !== value) {
          if (typeof ret !== "string") return formatValue(ctx, ret, depth);
          return ret.replaceAll("\n", "\n" + " ".repeat(ctx.indentationLvl));
        }
      }
    }
    if (ctx.seen.includes(value)) {
      if (!ctx.circular.has(value)) ctx.circular.set(value, ctx.circular.size + 1);
      return `[Circular *${ctx.circular.get(value)}]`;
    }
    return formatRaw(ctx, value, depth);
  }

  function formatRaw(ctx, value, depth) {
    const ctor = constructorName(value);
    let tag = value[Symbol.toStringTag];
    // An own enumerable tag is printed as a key already.
    if (typeof tag !== "string" || (tag !== "" &&
        (ctx.showHidden ? Object.prototype.hasOwnProperty : Object.prototype.propertyIsEnumerable).call(value, Symbol.toStringTag))) {
      tag = "";
    }
    let base = "";
    let keys;
    let braces;
    let formatter = () => [];
    let extras = OBJECT;
    let iterable = false;
    if (Symbol.iterator in value || ctor === null) {
      iterable = true;
      if (Array.isArray(value)) {
        const p = ctor !== "Array" || tag !== "" ? prefix(ctor, tag, "Array", `(${value.length})`) : "";
        keys = ownKeys(value, ctx.showHidden, true);
        braces = [p + "[", "]"];
        if (value.length === 0 && keys.length === 0) return braces[0] + "]";
        extras = ARRAY_EXTRA;
        formatter = formatArray;
      } else if (isSet(value)) {
        const p = prefix(ctor, tag, "Set", `(${value.size})`);
        keys = ownKeys(value, ctx.showHidden);
        formatter = formatSet;
        if (value.size === 0 && keys.length === 0) return p + "{}";
        braces = [p + "{", "}"];
      } else if (isMap(value)) {
        const p = prefix(ctor, tag, "Map", `(${value.size})`);
        keys = ownKeys(value, ctx.showHidden);
        formatter = formatMap;
        if (value.size === 0 && keys.length === 0) return p + "{}";
        braces = [p + "{", "}"];
      } else if (isTypedArray(value)) {
        keys = ownKeys(value, ctx.showHidden, true);
        const p = prefix(ctor, tag, ctor === null ? typedArrayTag.call(value) : "", `(${value.length})`);
        braces = [p + "[", "]"];
        if (value.length === 0 && keys.length === 0 && !ctx.showHidden) return braces[0] + "]";
        formatter = formatTypedArray;
        extras = ARRAY_EXTRA;
      } else {
        iterable = false;
      }
    }
    if (!iterable) {
      keys = ownKeys(value, ctx.showHidden);
      braces = ["{", "}"];
      if (ctor === "Object") {
        if (tag !== "") braces[0] = prefix(ctor, tag, "Object") + "{";
        if (keys.length === 0) return braces[0] + "}";
      } else if (typeof value === "function") {
        base = functionBase(value, ctor, tag);
        if (keys.length === 0) return base;
      } else if (isRegExp(value)) {
        base = RegExp.prototype.toString.call(ctor !== null ? value : new RegExp(value));
        const p = prefix(ctor, tag, "RegExp");
        if (p !== "RegExp ") base = p + base;
        if (keys.length === 0 || (ctx.depth !== null && depth > ctx.depth)) return base;
      } else if (isDate(value)) {
        base = isNaN(Date.prototype.getTime.call(value)) ? "Invalid Date" : Date.prototype.toISOString.call(value);
        const p = prefix(ctor, tag, "Date");
        if (p !== "Date ") base = p + base;
        if (keys.length === 0) return base;
      } else if (isError(value)) {
        base = formatError(value, ctor, tag, ctx, keys);
        if (keys.length === 0) return base;
      } else if (isArrayBuffer(value)) {
        braces[0] = prefix(ctor, tag, "ArrayBuffer") + "{";
        formatter = formatArrayBuffer;
        keys.unshift("byteLength");
      } else if (isDataView(value)) {
        braces[0] = prefix(ctor, tag, "DataView") + "{";
        keys.unshift("byteLength", "byteOffset", "buffer");
      } else if (isPromise(value)) {
        braces[0] = prefix(ctor, tag, "Promise") + "{";
        formatter = formatPromise;
      } else if (isWeakSet(value)) {
        braces[0] = prefix(ctor, tag, "WeakSet") + "{";
        formatter = () => ["<items unknown>"];
      } else if (isWeakMap(value)) {
        braces[0] = prefix(ctor, tag, "WeakMap") + "{";
        formatter = () => ["<items unknown>"];
      } else if (isBoxed(value)) {
        base = boxedBase(value, ctx, keys, ctor, tag);
        if (keys.length === 0) return base;
      } else {
        if (keys.length === 0) return prefix(ctor, tag, "Object") + "{}";
        braces[0] = prefix(ctor, tag, "Object") + "{";
      }
    }
    // Deeper than `depth`: only the kind of value, `[Object]`, `[Array]`, `[P]`.
    if (ctx.depth !== null && depth > ctx.depth) {
      const name = prefix(ctor, tag, "Object").slice(0, -1);
      return ctor !== null ? "[" + name + "]" : name;
    }
    depth += 1;
    ctx.seen.push(value);
    ctx.currentDepth = depth;
    const output = formatter(ctx, value, depth);
    for (const k of keys) output.push(formatProperty(ctx, value, depth, k, extras));
    const ref = ctx.circular.get(value);
    if (ref !== undefined) {
      const mark = `<ref *${ref}>`;
      if (ctx.compact !== true) base = base === "" ? mark : mark + " " + base;
      else braces[0] = mark + " " + braces[0];
    }
    ctx.seen.pop();
    if (ctx.sorted) {
      const order = ctx.sorted === true ? undefined : ctx.sorted;
      if (extras === OBJECT) output.sort(order);
      else if (keys.length > 1) output.splice(output.length - keys.length, keys.length, ...output.slice(output.length - keys.length).sort(order));
    }
    return reduceToSingleString(ctx, output, base, braces, extras, depth, value);
  }

  function formatProperty(ctx, value, depth, key, type) {
    const desc = Object.getOwnPropertyDescriptor(value, key) || { value: value[key], enumerable: true };
    let str;
    let sep = " ";
    if (desc.value !== undefined) {
      const diff = ctx.compact !== true || type !== OBJECT ? 2 : 3;
      ctx.indentationLvl += diff;
      str = formatValue(ctx, desc.value, depth);
      if (diff === 3 && ctx.breakLength < width(str)) sep = "\n" + " ".repeat(ctx.indentationLvl);
      ctx.indentationLvl -= diff;
    } else if (desc.get !== undefined) {
      str = desc.set !== undefined ? "[Getter/Setter]" : "[Getter]";
    } else if (desc.set !== undefined) {
      str = "[Setter]";
    } else {
      str = "undefined";
    }
    if (type === ELEMENT) return str;
    let name;
    if (typeof key === "symbol") name = "[" + key.toString() + "]";
    else if (key === "__proto__") name = "['__proto__']";
    else if (desc.enumerable === false) name = "[" + key.replace(ESCAPE_SINGLE, escapeChar) + "]";
    else if (BARE_KEY.test(key)) name = key;
    else name = quote(key);
    return name + ":" + sep + str;
  }

  const more = (n) => `... ${n} more item${n > 1 ? "s" : ""}`;

  function formatArray(ctx, value, depth) {
    const len = Math.min(Math.max(0, ctx.maxArrayLength), value.length);
    const output = [];
    for (let i = 0; i < len; i++) {
      if (!Object.prototype.hasOwnProperty.call(value, i)) return formatSparse(ctx, value, depth, len, output, i);
      output.push(formatProperty(ctx, value, depth, i, ELEMENT));
    }
    if (value.length > len) output.push(more(value.length - len));
    return output;
  }

  // Holes count as `<n empty items>`, each run of them one entry.
  function formatSparse(ctx, value, depth, max, output, i) {
    const keys = Object.keys(value);
    let index = i;
    for (; i < keys.length && output.length < max; i++) {
      const key = keys[i];
      const n = +key;
      if (n > 2 ** 32 - 2) break;
      if (String(index) !== key) {
        if (!INDEX.test(key)) break;
        const holes = n - index;
        output.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
        index = n;
        if (output.length === max) break;
      }
      output.push(formatProperty(ctx, value, depth, key, ELEMENT));
      index++;
    }
    const remaining = value.length - index;
    if (output.length !== max) {
      if (remaining > 0) output.push(`<${remaining} empty item${remaining > 1 ? "s" : ""}>`);
    } else if (remaining > 0) {
      output.push(more(remaining));
    }
    return output;
  }

  function formatTypedArray(ctx, value) {
    const len = Math.min(Math.max(0, ctx.maxArrayLength), value.length);
    const output = [];
    for (let i = 0; i < len; i++) output.push(typeof value[i] === "bigint" ? value[i] + "n" : formatNumber(value[i]));
    if (value.length > len) output.push(more(value.length - len));
    return output;
  }

  function formatArrayBuffer(ctx, value) {
    const bytes = new Uint8Array(value);
    const shown = Array.from(bytes.subarray(0, Math.min(ctx.maxArrayLength, bytes.length)), (b) => b.toString(16).padStart(2, "0"));
    let str = shown.join(" ");
    const remaining = bytes.length - ctx.maxArrayLength;
    if (remaining > 0) str += ` ... ${remaining} more byte${remaining > 1 ? "s" : ""}`;
    return [`[Uint8Contents]: <${str}>`];
  }

  function formatSet(ctx, value, depth) {
    const output = [];
    ctx.indentationLvl += 2;
    for (const v of value) output.push(formatValue(ctx, v, depth));
    ctx.indentationLvl -= 2;
    return output;
  }

  function formatMap(ctx, value, depth) {
    const output = [];
    ctx.indentationLvl += 2;
    for (const [k, v] of value) output.push(formatValue(ctx, k, depth) + " => " + formatValue(ctx, v, depth));
    ctx.indentationLvl -= 2;
    return output;
  }

  function formatPromise(ctx, value, depth) {
    const state = internals.promiseState ? internals.promiseState(value) : undefined;
    if (state === undefined) return ["<pending>"];
    ctx.indentationLvl += 2;
    const str = formatValue(ctx, state.value, depth);
    ctx.indentationLvl -= 2;
    return [state.rejected ? "<rejected> " + str : str];
  }

  // -- layout: one line when it fits, else one entry a line, or numbers in columns

  // Short array items in columns: about as many columns as make a square
  // block (a character counted 2.5 times as high as wide), at most 15, and
  // the block inside breakLength. Numbers are right-aligned.
  function groupArrayElements(ctx, output, value) {
    let total = 0;
    let maxLength = 0;
    let count = output.length;
    if (ctx.maxArrayLength < output.length) count--;  // the "... more items" line stays apart
    const sep = 2;
    const lens = [];
    for (let i = 0; i < count; i++) {
      const len = width(output[i]);
      lens.push(len);
      total += len + sep;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + sep;
    if (actualMax * 3 + ctx.indentationLvl < ctx.breakLength && (total / actualMax > 5 || maxLength <= 6)) {
      const bias = Math.sqrt(actualMax - total / output.length);
      const biasedMax = Math.max(actualMax - 3 - bias, 1);
      const columns = Math.min(
        Math.round(Math.sqrt(2.5 * biasedMax * count) / biasedMax),
        Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
        ctx.compact * 4,
        15,
      );
      if (columns <= 1) return output;
      const widths = [];
      for (let i = 0; i < columns; i++) {
        let w = 0;
        for (let j = i; j < output.length; j += columns) if (lens[j] > w) w = lens[j];
        widths.push(w + sep);
      }
      let numeric = value !== undefined;
      if (numeric) {
        for (let i = 0; i < output.length; i++) {
          if (typeof value[i] !== "number" && typeof value[i] !== "bigint") { numeric = false; break; }
        }
      }
      const rows = [];
      for (let i = 0; i < count; i += columns) {
        const max = Math.min(i + columns, count);
        let line = "";
        let j = i;
        for (; j < max - 1; j++) {
          const pad = widths[j - i] + output[j].length - lens[j];
          line += numeric ? (output[j] + ", ").padStart(pad, " ") : (output[j] + ", ").padEnd(pad, " ");
        }
        line += numeric ? output[j].padStart(widths[j - i] + output[j].length - lens[j] - sep, " ") : output[j];
        rows.push(line);
      }
      if (ctx.maxArrayLength < output.length) rows.push(output[count]);
      return rows;
    }
    return output;
  }

  function fits(ctx, output, start, base) {
    let total = output.length + start;
    if (total + output.length > ctx.breakLength) return false;
    for (const item of output) {
      total += item.length;
      if (total > ctx.breakLength) return false;
    }
    return base === "" || !base.includes("\n");
  }

  function reduceToSingleString(ctx, output, base, braces, extras, depth, value) {
    if (ctx.compact !== true) {
      if (typeof ctx.compact === "number" && ctx.compact >= 1) {
        const entries = output.length;
        if (extras === ARRAY_EXTRA && entries > 6) output = groupArrayElements(ctx, output, value);
        // On one line only if no more than `compact` levels of objects are
        // nested inside, and the grouping left the entries alone.
        if (ctx.currentDepth - depth < ctx.compact && entries === output.length) {
          const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10;
          if (fits(ctx, output, start, base)) {
            const joined = output.join(", ");
            if (!joined.includes("\n")) return (base ? base + " " : "") + braces[0] + " " + joined + " " + braces[1];
          }
        }
      }
      const indent = "\n" + " ".repeat(ctx.indentationLvl);
      return (base ? base + " " : "") + braces[0] + indent + "  " + output.join("," + indent + "  ") + indent + braces[1];
    }
    if (fits(ctx, output, 0, base)) {
      return braces[0] + (base ? " " + base : "") + " " + output.join(", ") + " " + braces[1];
    }
    const indent = " ".repeat(ctx.indentationLvl);
    const ln = base === "" && braces[0].length === 1 ? " " : (base ? " " + base : "") + "\n" + indent + "  ";
    return braces[0] + ln + output.join(",\n" + indent + "  ") + " " + braces[1];
  }

  // -- the API ---------------------------------------------------------------------

  // util.inspect(value, options), or the old form (value, showHidden, depth, colors).
  function inspect(value, opts, ...legacy) {
    const ctx = { ...DEFAULTS, budget: {}, indentationLvl: 0, seen: [], currentDepth: 0, circular: new Map() };
    let options = {};
    if (typeof opts === "boolean") {
      options.showHidden = opts;
      if (legacy.length > 0) options.depth = legacy[0];
      if (legacy.length > 1) options.colors = legacy[1];
    } else if (opts !== null && typeof opts === "object") {
      options = opts;
    }
    for (const k of Object.keys(options)) {
      if (k in DEFAULTS || k === "stylize") ctx[k] = options[k];
    }
    if (ctx.maxArrayLength === null) ctx.maxArrayLength = Infinity;
    if (ctx.maxStringLength === null) ctx.maxStringLength = Infinity;
    ctx.options = { ...DEFAULTS, ...options };
    return formatValue(ctx, value, 0);
  }
  Object.defineProperty(inspect, "custom", { value: CUSTOM, enumerable: false });
  inspect.defaultOptions = DEFAULTS;

  // Does the object print with its own toString (`%s`)? Not if that comes from a built-in.
  const BUILTINS = new Set(Object.getOwnPropertyNames(globalThis).filter((n) => /^[A-Z]/.test(n) && typeof globalThis[n] === "function"));
  function builtinToString(v) {
    if (typeof v.toString !== "function") return true;
    if (Object.prototype.hasOwnProperty.call(v, "toString")) return false;
    let p = v;
    do { p = Object.getPrototypeOf(p); } while (p !== null && !Object.prototype.hasOwnProperty.call(p, "toString"));
    if (p === null) return true;
    const d = Object.getOwnPropertyDescriptor(p, "constructor");
    return d !== undefined && typeof d.value === "function" && BUILTINS.has(d.value.name);
  }

  function stringify(v) {
    try {
      return JSON.stringify(v);
    } catch (e) {
      if (e instanceof TypeError && /circular/i.test(e.message)) return "[Circular]";
      throw e;
    }
  }

  // util.format with inspect options: `%s %d %i %f %j %o %O %c %%`, then the
  // remaining arguments, strings as they are and anything else inspected.
  function formatWithOptions(options, ...args) {
    const first = args[0];
    let a = 0;
    let str = "";
    let join = "";
    if (typeof first === "string") {
      if (args.length === 1) return first;
      let last = 0;
      for (let i = 0; i < first.length - 1; i++) {
        if (first[i] !== "%") continue;
        const c = first[++i];
        if (a + 1 !== args.length) {
          let piece;
          switch (c) {
            case "s": {
              const v = args[++a];
              if (typeof v === "number") piece = formatNumber(v);
              else if (typeof v === "bigint") piece = v + "n";
              else if (typeof v !== "object" || v === null || !builtinToString(v)) piece = String(v);
              else piece = inspect(v, { ...options, depth: 0, colors: false, compact: 3 });
              break;
            }
            case "j": piece = stringify(args[++a]); break;
            case "d": case "i": case "f": {
              const v = args[++a];
              if (typeof v === "bigint" && c !== "f") piece = v + "n";
              else if (typeof v === "symbol") piece = "NaN";
              else piece = formatNumber(c === "d" ? Number(v) : c === "i" ? parseInt(v) : parseFloat(v));
              break;
            }
            case "O": piece = inspect(args[++a], options); break;
            case "o": piece = inspect(args[++a], { ...options, showHidden: true, showProxy: true, depth: 4 }); break;
            case "c": a += 1; piece = ""; break;
            case "%": str += first.slice(last, i); last = i + 1; continue;
            default: continue;
          }
          if (last !== i - 1) str += first.slice(last, i - 1);
          str += piece;
          last = i + 1;
        } else if (c === "%") {
          str += first.slice(last, i);
          last = i + 1;
        }
      }
      if (last !== 0) {
        a++;
        join = " ";
        if (last < first.length) str += first.slice(last);
      }
    }
    for (; a < args.length; a++) {
      const v = args[a];
      str += join + (typeof v !== "string" ? inspect(v, options) : v);
      join = " ";
    }
    return str;
  }

  const format = (...args) => formatWithOptions(undefined, ...args);

  // console.table: an index column, one column per key (or the given ones) and
  // `Values` for rows that are not objects; cells inspected shallowly.
  function table(data, columns) {
    const cell = (v) => inspect(v, {
      depth: v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 2 ? -1 : 0,
      maxArrayLength: 3, breakLength: Infinity,
    });
    const indexes = (n) => Array.from({ length: n }, (_, i) => cell(i));
    if (isMap(data)) {
      const ks = [], vs = [];
      for (const [k, v] of data) { ks.push(cell(k)); vs.push(cell(v)); }
      return render(["(iteration index)", "Key", "Values"], [indexes(ks.length), ks, vs]);
    }
    if (isSet(data)) {
      const vs = [...data].map(cell);
      return render(["(iteration index)", "Values"], [indexes(vs.length), vs]);
    }
    const map = Object.create(null);
    let primitives = false;
    const values = [];
    const index = Object.keys(data);
    index.forEach((k, i) => {
      const item = data[k];
      const primitive = item === null || (typeof item !== "function" && typeof item !== "object");
      if (columns === undefined && primitive) {
        primitives = true;
        values[i] = cell(item);
      } else {
        for (const key of columns || Object.keys(item)) {
          map[key] ??= [];
          map[key][i] = (primitive && columns) || !Object.prototype.hasOwnProperty.call(item, key) ? "" : cell(item[key]);
        }
      }
    });
    const head = Object.keys(map);
    const cols = Object.values(map);
    if (primitives) { head.push("Values"); cols.push(values); }
    head.unshift("(index)");
    cols.unshift(index);
    return render(head, cols);
  }

  function render(head, cols) {
    const widths = head.map(width);
    const rowCount = Math.max(...cols.map((c) => c.length));
    const rows = [];
    for (let r = 0; r < rowCount; r++) {
      rows.push(cols.map((c, i) => {
        const v = Object.prototype.hasOwnProperty.call(c, r) ? c[r] : "";
        widths[i] = Math.max(widths[i], width(v));
        return v;
      }));
    }
    const line = (row) => "│ " + row.map((v, i) => v + " ".repeat(widths[i] - width(v))).join(" │ ") + " │";
    const divider = widths.map((w) => "─".repeat(w + 2));
    return ["┌" + divider.join("┬") + "┐", line(head), "├" + divider.join("┼") + "┤", ...rows.map(line),
      "└" + divider.join("┴") + "┘"].join("\n");
  }

  return { inspect, format, formatWithOptions, table, isMap, isSet, isDate, isRegExp, isPromise, isTypedArray,
    isError, isArrayBuffer, isWeakMap, isWeakSet, isBoxed, isDataView };
})
