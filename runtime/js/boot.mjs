// The JS-light bootstrap. It runs once, when the engine image is built: it
// installs the world's globals and leaves `__worlds_main`, which each run
// calls (from a snapshot of this state) with its entry file, mode and seed.
// The host then drains promise jobs and virtual timers through
// `__worlds_next`, which returns the run's outcome as text.
//
// Each global is bound to its library in lib/; the libraries are loaded once,
// into the image, at the end of this file.
import * as std from "qjs:std";
import * as os from "qjs:os";

const loaded = Object.create(null);
const internals = { std, os, lib, builtin, entry: "", seed: "0", mode: "script", reads: new Map() };

// A library file evaluates to a factory, called once with the internals.
// loadScript (not evalScript) so that frames in library code name their file.
function lib(name) {
  if (!(name in loaded)) loaded[name] = std.loadScript("/.worlds/lib/" + name + ".js")(internals);
  return loaded[name];
}

function lazy(name, load) {
  Object.defineProperty(globalThis, name, {
    configurable: true, enumerable: false,
    get() {
      const value = load();
      Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
      return value;
    },
    set(value) {
      Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
    },
  });
}

// Node's modules that JS-light has, each a library of lib/ (`assert/strict` is `assert`).
const BUILTIN = new Set(["fs", "path", "util", "assert", "events", "string_decoder", "readline"]);
function builtin(name) {
  const bare = name.startsWith("node:") ? name.slice(5) : name;
  if (bare === "assert/strict") return lib("assert").strict;
  return BUILTIN.has(bare) ? lib(bare) : undefined;
}

// The world's clock: the WASI clock reads the world's `now`; virtual timers
// move it forward by the time they stand for, without real waiting.
{
  const RealDate = Date;
  const now = () => RealDate.now() + internals.elapsed;
  internals.elapsed = 0;
  const WorldDate = function Date(...args) {
    if (!new.target) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length ? args : [now()], new.target);
  };
  Object.defineProperties(WorldDate, {
    prototype: { value: RealDate.prototype },
    now: { value: now, writable: true, configurable: true },
    parse: { value: RealDate.parse, writable: true, configurable: true },
    UTC: { value: RealDate.UTC, writable: true, configurable: true },
  });
  Object.defineProperty(RealDate.prototype, "constructor", { value: WorldDate, writable: true, configurable: true });
  globalThis.Date = WorldDate;
}

// What a promise settled to, for util.inspect (`Promise { 1 }`, `Promise {
// <rejected> 3 }`). The engine gives JavaScript no way to read a promise's
// state, so `Promise.resolve` and `Promise.reject` note what they settle
// their promise with. Only those: wrapping the constructor or `then` to
// follow every promise costs 2-3x the fuel of a program that awaits in a
// loop. Any other promise shows as `<pending>`, as if printed before it settled.
{
  const states = new WeakMap();
  const { resolve, reject } = Promise;
  const note = (p, state) => { if (p instanceof Promise) states.set(p, state); return p; };
  Object.defineProperties(Promise, {
    resolve: {
      writable: true, configurable: true,
      value: { resolve(v) {
        const p = resolve.call(this, v);
        // a promise given back as it is keeps its own state; a thenable is followed
        return p === v || (v !== null && (typeof v === "object" || typeof v === "function") && "then" in v)
          ? (p !== v ? note(p, { follows: v }) : p) : note(p, { value: v, rejected: false });
      } }.resolve,
    },
    reject: {
      writable: true, configurable: true,
      value: { reject(e) { return note(reject.call(this, e), { value: e, rejected: true }); } }.reject,
    },
  });
  internals.promiseState = (p) => {
    for (let state = states.get(p), hops = 0; state !== undefined && hops < 1000; state = states.get(state.follows), hops++) {
      if (!("follows" in state)) return state;
    }
    return undefined;
  };
}

Math.random = lib("random");
lazy("console", () => lib("console"));
lazy("fs", () => lib("fs"));
lazy("path", () => lib("path"));
lazy("Buffer", () => (lib("fs"), globalThis.Buffer));
lazy("process", () => lib("process"));
for (const name of ["setTimeout", "setInterval", "setImmediate", "clearTimeout", "clearInterval", "clearImmediate"]) {
  lazy(name, () => lib("timers").globals[name]);
}
for (const name of ["parseCSV", "toCSV", "readCSV", "writeCSV", "readJSON", "writeJSON", "readJSONL", "writeJSONL"]) {
  lazy(name, () => lib("data")[name]);
}
globalThis.queueMicrotask = (fn) => { Promise.resolve().then(fn); };
globalThis.require = function require(name) {
  return builtin(String(name)) ?? lib("require").load(String(name));
};


function describeError(e) {
  if (e instanceof Error) {
    const out = { name: e.name, message: String(e.message), stack: String(e.stack || "") };
    if (e.code !== undefined) out.code = String(e.code);
    if (e.path !== undefined) out.path = String(e.path);
    if (e.jsonFile !== undefined) out.jsonFile = e.jsonFile;
    if (e.hostFunction !== undefined) out.hostFunction = e.hostFunction;
    if (e.jsonOffset !== undefined) out.jsonOffset = e.jsonOffset;
    if (e instanceof TypeError) {
      try {
        out.context = lib("context").describe(failingLine(out.stack));
      } catch (ignored) {
        // the facts are a help, never a reason to lose the report
      }
    }
    return out;
  }
  return { name: "Uncaught", message: lib("inspect").inspect(e), stack: "", thrown: true };
}

// The source line of the innermost frame in the program's entry file.
function failingLine(stack) {
  const frame = new RegExp("\\(" + internals.entry.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ":(\\d+):\\d+\\)").exec(stack);
  if (!frame) return "";
  return std.loadFile(internals.entry).split("\n")[Number(frame[1]) - 1] || "";
}

// JSON.parse failures remember the file the text came from, if the program
// read it with fs, and where in the text parsing stopped.
{
  const parse = JSON.parse;
  JSON.parse = function (text, reviver) {
    try {
      return parse(text, reviver);
    } catch (e) {
      if (e instanceof SyntaxError && typeof text === "string") {
        for (const [path, content] of internals.reads) if (content === text) e.jsonFile = path;
        const at = / at position (\d+)/.exec(e.message);
        const token = /unexpected token: '([^']*)'/.exec(e.message);
        if (at) e.jsonOffset = Number(at[1]);
        else if (token) e.jsonOffset = Math.max(0, text.indexOf(token[1]));
        else if (/end of JSON input/.test(e.message)) e.jsonOffset = text.length;
        else if (/unexpected data at the end/.test(e.message)) {
          const m = /\S/.exec(text.slice(text.indexOf("\n") + 1));
          e.jsonOffset = m && text.indexOf("\n") >= 0 ? text.indexOf("\n") + 1 + m.index : 0;
        }
      }
      throw e;
    }
  };
  Object.defineProperty(JSON.parse, "name", { value: "parse" });
}

const MAX_REPORT = 1 << 20;
const stringify = JSON.stringify;  // kept before any program can replace it
const plain = (v) => v === undefined || v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean";

// The outcome as text, cut to MAX_REPORT: the host reads it itself, so nothing
// the program does can write it.
function report(outcome) {
  let text = stringify(outcome);
  if (text.length > MAX_REPORT) {
    if (outcome.ok) outcome.value = "[a value of " + text.length + " characters: write large results to a file]";
    else outcome.error.message = outcome.error.message.slice(0, 4000) + " ...";
    if (outcome.error) outcome.error.stack = outcome.error.stack.slice(0, 4000);
    text = stringify(outcome);
  }
  return text;
}

// One run is driven by the host, as Node's event loop drives a script:
// `__worlds_main` starts the program; the host then runs promise jobs until
// none is left and calls `__worlds_next`, which fires the next virtual timer
// (and the host runs jobs again) or, with no timer left, ends the run and
// returns its outcome. Only the host can tell that no job is left, so a
// program waiting on a promise nothing can resolve is told apart exactly from
// a long chain of awaits. Both entry points remove themselves when used.
Object.defineProperty(globalThis, "__worlds_main", {
  configurable: true, enumerable: false,
  value: function main(entry, mode, seed, functions) {
    delete globalThis.__worlds_main;
    if (functions && functions.length) lib("host").install(functions);
    internals.entry = entry;
    internals.seed = seed;
    internals.mode = mode;
    // The program's own promise (a module's evaluation, or a script's
    // completion value) may wait for timers, so it is watched, not awaited.
    const run = { pending: false, failed: false, failure: undefined, value: undefined };
    try {
      const value = mode === "module" ? import(entry) : std.loadScript(entry);
      if (value instanceof Promise) {
        run.pending = true;
        value.then((v) => { run.pending = false; run.value = mode === "module" ? undefined : v; },
                   (e) => { run.pending = false; run.failed = true; run.failure = e; });
      } else {
        run.value = value;
      }
    } catch (e) {
      run.failed = true;
      run.failure = e;
    }
    // A promise only an os timer resolves: awaited by the host once the jobs ran out, it makes
    // QuickJS check for promise rejections nothing handled (and end the run on one, as Node does).
    Object.defineProperty(globalThis, "__worlds_settle", {
      configurable: true, enumerable: false,
      value: () => new Promise((resolve) => os.setTimeout(resolve, 0)),
    });
    Object.defineProperty(globalThis, "__worlds_next", {
      configurable: true, enumerable: false,
      value: function next() {
        if (!run.failed) {
          try {
            if (loaded.timers && loaded.timers.fireNext()) return "";
          } catch (e) {
            run.failed = true;
            run.failure = e;
          }
        }
        delete globalThis.__worlds_next;
        delete globalThis.__worlds_settle;
        let outcome;
        try {
          if (run.failed) throw run.failure;
          if (run.pending) throw new Error("the program's promise never settled: nothing was left to resolve it (no timer, no pending work)");
          outcome = { ok: true, value: plain(run.value) ? run.value ?? null : lib("value").toJSON(run.value) };
          // A program that set `process.exitCode` ends with that status, as in Node.
          const status = loaded.process ? Number(loaded.process.exitCode) || 0 : 0;
          outcome = report(status ? { ...outcome, exitCode: status } : outcome);
        } catch (e) {
          outcome = report({ ok: false, error: describeError(e) });
        }
        std.out.flush();
        std.err.flush();
        return outcome;
      },
    });
  },
});
std.gc();

// Load the libraries now, while the image is built, so that no run parses
// them (about 1 ms per library).
for (const name of ["console", "inspect", "fs", "path", "util", "timers", "data", "value", "context", "require",
                    "process", "events", "assert", "string_decoder", "readline", "host"]) lib(name);
for (const name of BUILTIN) for (const spelling of [name, "node:" + name]) await import(spelling);
