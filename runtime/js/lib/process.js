// Node's `process`, as far as a world allows: no environment, no arguments
// but the program's path, output through the same streams as console, time
// on the world's clock. `process.exit(code)` ends the run at once, as in
// Node: it leaves a marker line on stderr (the host reads it, and removes
// it from what the run printed) and exits the engine.
(function (internals) {
  const { std } = internals;
  const EXIT_MARK = "\u0000worlds:process.exit ";

  function exit(code) {
    const status = code === undefined ? Number(process.exitCode) || 0 : Number(code) | 0;
    std.out.flush();
    std.err.puts(EXIT_MARK + JSON.stringify({ code: status, stack: String(new Error().stack) }) + "\n");
    std.err.flush();
    std.exit(status);
  }

  function stream(out) {
    return {
      write(chunk, encoding, callback) {
        out.puts(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
        out.flush();
        const done = typeof encoding === "function" ? encoding : callback;
        if (typeof done === "function") queueMicrotask(done);
        return true;
      },
      isTTY: false,
    };
  }

  // Time since the run started, on the world's clock (virtual: timers move it, work does not).
  function hrtime(previous) {
    const ns = BigInt(Math.round(internals.elapsed * 1e6));
    let s = Number(ns / 1000000000n), n = Number(ns % 1000000000n);
    if (Array.isArray(previous)) {
      s -= previous[0];
      n -= previous[1];
      if (n < 0) { s -= 1; n += 1e9; }
    }
    return [s, n];
  }
  hrtime.bigint = () => BigInt(Math.round(internals.elapsed * 1e6));

  const process = {
    get argv() { return ["node", internals.entry]; },
    env: {},
    exitCode: undefined,
    exit,
    platform: "linux",
    stdout: stream(std.out),
    stderr: stream(std.err),
    cwd: () => "/",
    nextTick: (fn, ...args) => queueMicrotask(() => fn(...args)),
    hrtime,
    uptime: () => internals.elapsed / 1000,
  };
  return process;
})
