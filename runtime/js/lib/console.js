// Node's console: log/info/debug to stdout, error/warn/trace to stderr,
// table and dir; arguments formatted by lib/inspect as util.format does.
// Groups indent every line that follows by two spaces, as in Node.
(function (internals) {
  const { std, lib } = internals;
  let indent = "";

  // The common case, strings and numbers with no `%`, skips the formatter.
  function format(args) {
    if (args.length === 1 && typeof args[0] === "string") return args[0];
    let plain = typeof args[0] !== "string" || !args[0].includes("%");
    for (const a of args) {
      if (typeof a !== "string" && (typeof a !== "number" || Object.is(a, -0))) plain = false;
    }
    return plain ? args.join(" ") : lib("inspect").format(...args);
  }

  function write(stream, text) {
    if (indent !== "") text = indent + text.replaceAll("\n", "\n" + indent);
    stream.puts(text + "\n");
    stream.flush();
  }
  const writer = (stream) => (...args) => write(stream, format(args));
  const log = writer(std.out), warn = writer(std.err);
  const counts = Object.create(null);
  const timers = Object.create(null);

  return {
    log, info: log, debug: log, error: warn, warn,
    trace: (...args) => write(std.err, "Trace" + (args.length ? ": " + format(args) : "")),
    table: (data, columns) => {
      if (data === null || typeof data !== "object") return log(data);
      write(std.out, lib("inspect").table(data, columns));
    },
    // dir ignores a value's own [util.inspect.custom], as Node's does.
    dir: (obj, options) => write(std.out, lib("inspect").inspect(obj, { customInspect: false, ...options })),
    count: (label = "default") => log(`${label}: ${(counts[label] = (counts[label] || 0) + 1)}`),
    countReset: (label = "default") => { delete counts[label]; },
    assert: (cond, ...args) => {
      if (cond) return;
      args[0] = "Assertion failed" + (args.length ? ": " + args[0] : "");
      warn(...args);
    },
    group: (...label) => { if (label.length) log(...label); indent += "  "; },
    groupCollapsed: (...label) => { if (label.length) log(...label); indent += "  "; },
    groupEnd: () => { indent = indent.slice(2); },
    // Times are the world's virtual clock: a program's own work takes no time.
    time: (label = "default") => { timers[label] = Date.now(); },
    timeLog: (label = "default", ...args) => {
      if (label in timers) log(`${label}: ${(Date.now() - timers[label]).toFixed(3)}ms`, ...args);
    },
    timeEnd: (label = "default") => {
      if (!(label in timers)) return;
      log(`${label}: ${(Date.now() - timers[label]).toFixed(3)}ms`);
      delete timers[label];
    },
  };
})
