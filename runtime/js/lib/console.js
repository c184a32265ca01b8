// Node's console: log/info/debug to stdout, error/warn/trace to stderr,
// table and dir; objects formatted by lib/inspect.
(function (internals) {
  const { std, lib } = internals;
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
  const counts = Object.create(null);
  return {
    log, info: log, debug: log, error: warn, warn, trace: warn,
    table: (data, columns) => log(lib("inspect").table(data, columns)),
    dir: (obj) => log(lib("inspect").inspect(obj)),
    count: (label = "default") => log(label + ": " + (counts[label] = (counts[label] || 0) + 1)),
    assert: (cond, ...args) => { if (!cond) warn("Assertion failed" + (args.length ? ": " + format(args) : "")); },
    group: log, groupEnd: () => {}, time: () => {}, timeEnd: () => {},
  };
})
