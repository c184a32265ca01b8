// Timers on virtual time: callbacks fire in (time, order) after the main
// program, each once every promise job before it has run. Waiting costs no
// real time; the world's clock moves so Date.now() agrees with the timer.
(function (internals) {
  const { os } = internals;
  const timers = new Map();
  let seq = 0, virtualNow = 0;
  const startedAt = Date.now();

  function add(fn, delay, args, repeat) {
    if (typeof fn !== "function") throw new TypeError("the callback given to a timer must be a function");
    const id = ++seq;
    const ms = Math.max(0, Number(delay) || 0);
    timers.set(id, { fn, args, at: virtualNow + ms, seq: id, repeat: repeat ? Math.max(1, ms) : 0 });
    return id;
  }
  const clear = (id) => { timers.delete(id); };

  async function run() {
    await internals.settle();
    while (timers.size) {
      let next;
      for (const t of timers.values()) {
        if (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = t;
      }
      const lag = next.at - (Date.now() - startedAt);
      if (lag > 0) os.sleep(lag);
      virtualNow = next.at;
      timers.delete(next.seq);
      if (next.repeat) {
        next.at += next.repeat;
        next.seq = ++seq;
        timers.set(next.seq, next);
      }
      next.fn(...next.args);
      await internals.settle();
    }
  }

  return {
    run,
    globals: {
      setTimeout: (fn, delay, ...args) => add(fn, delay, args, false),
      setInterval: (fn, delay, ...args) => add(fn, delay, args, true),
      setImmediate: (fn, ...args) => add(fn, 0, args, false),
      clearTimeout: clear, clearInterval: clear, clearImmediate: clear,
    },
  };
})
