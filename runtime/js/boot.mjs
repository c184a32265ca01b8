// The JS-light bootstrap: runs first in every guest, sets up the world's
// globals, runs the program, drains promises and virtual timers, and reports
// the outcome on a channel the program cannot reach.
//
// Kept small on purpose: parsing costs about 0.4 ms per KB inside the guest,
// so everything else (formatting, fs, path) loads on first use from lib/.
//
// scriptArgs: [boot, entry, mode ("script" | "module"), seed]
import * as std from "qjs:std";
import * as os from "qjs:os";

const [, entry, mode, seedText] = scriptArgs;
const channel = std.open("/.worlds/outcome", "w");
const LIB = "/.worlds/lib/";
const cache = Object.create(null);

// Loads a library file once; it evaluates to a factory given the internals.
function lib(name) {
  if (!(name in cache)) {
    // loadScript (not evalScript) so frames in library code name their file.
    const factory = std.loadScript(LIB + name + ".js");
    cache[name] = factory(internals);
  }
  return cache[name];
}

const internals = { std, os, lib, entry };

// ---- determinism: Math.random follows the world's seed (sfc32 over splitmix32)
{
  let s = Number(seedText) >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(), b = split(), c = split(), d = split();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  Math.random = function random() {
    return (next() * 2097152 + (next() >>> 11)) / 9007199254740992;
  };
}

// ---- console: primitives print directly, anything else through lib/inspect
function format(args) {
  let plain = true;
  for (const a of args) if (a !== null && (typeof a === "object" || typeof a === "function")) plain = false;
  if (plain && typeof args[0] !== "string") return args.map(String).join(" ");
  if (plain && !args[0].includes("%")) return args.join(" ");
  return lib("inspect").format(args);
}
function writer(stream) {
  return (...args) => {
    stream.puts(format(args) + "\n");
    stream.flush();
  };
}
const log = writer(std.out), warn = writer(std.err);
globalThis.console = {
  log, info: log, debug: log, error: warn, warn, trace: warn,
  table: (data, columns) => log(lib("inspect").table(data, columns)),
  dir: (obj) => log(lib("inspect").inspect(obj)),
};

// ---- the Node-aligned modules, loaded lazily
const builtins = {
  fs: () => lib("fs"),
  path: () => lib("path"),
};
function builtin(name) {
  const bare = name.startsWith("node:") ? name.slice(5) : name;
  return Object.hasOwn(builtins, bare) ? builtins[bare]() : undefined;
}
internals.builtin = builtin;
globalThis.require = function require(name) {
  const mod = builtin(String(name));
  if (mod !== undefined) return mod;
  return lib("require").load(String(name));
};
for (const name of Object.keys(builtins)) {
  Object.defineProperty(globalThis, name, {
    get: builtins[name], configurable: true, enumerable: false,
  });
}

// ---- timers on virtual time: fired in (time, order) after the main program
const timers = new Map();
const startedAt = Date.now();
let timerSeq = 0, virtualNow = 0;
function addTimer(fn, delay, args, repeat) {
  if (typeof fn !== "function") throw new TypeError("the callback given to a timer must be a function");
  const id = ++timerSeq;
  const ms = Math.max(0, Number(delay) || 0);
  timers.set(id, { fn, args, at: virtualNow + ms, seq: id, repeat: repeat ? Math.max(1, ms) : 0 });
  return id;
}
globalThis.setTimeout = (fn, delay, ...args) => addTimer(fn, delay, args, false);
globalThis.setInterval = (fn, delay, ...args) => addTimer(fn, delay, args, true);
globalThis.setImmediate = (fn, ...args) => addTimer(fn, 0, args, false);
globalThis.clearTimeout = globalThis.clearInterval = globalThis.clearImmediate = (id) => { timers.delete(id); };
globalThis.queueMicrotask = (fn) => { Promise.resolve().then(fn); };

// Resolves once every queued promise job has run (os timers fire only then).
const settle = () => new Promise((resolve) => os.setTimeout(resolve, 0));

async function runTimers() {
  await settle();
  while (timers.size) {
    let next;
    for (const t of timers.values()) {
      if (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = t;
    }
    // Sleeping moves the world's clock (virtually, at no real cost), so that
    // Date.now() inside a timer reads the start time plus the timer's delay.
    const lag = next.at - (Date.now() - startedAt);
    if (lag > 0) os.sleep(lag);
    virtualNow = next.at;
    if (next.repeat) { next.at += next.repeat; next.seq = ++timerSeq; } else timers.delete(next.seq);
    next.fn(...next.args);
    await settle();
  }
}

// ---- the outcome channel
function report(outcome) {
  channel.puts(JSON.stringify(outcome));
  channel.flush();
}
function describeError(e) {
  if (e instanceof Error) {
    const out = { name: e.name, message: String(e.message), stack: String(e.stack || "") };
    if (e.code !== undefined) out.code = String(e.code);
    if (e.path !== undefined) out.path = String(e.path);
    return out;
  }
  return { name: "Uncaught", message: lib("inspect").inspect(e), stack: "", thrown: true };
}

try {
  let value;
  if (mode === "module") {
    await import(entry);
  } else {
    value = std.loadScript(entry);
    if (value instanceof Promise) value = await value;
  }
  await runTimers();
  report({ ok: true, value: lib("value").toJSON(value) });
} catch (e) {
  report({ ok: false, error: describeError(e) });
}
std.out.flush();
std.err.flush();
