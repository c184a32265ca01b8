// Timers on virtual time: callbacks fire in (time, order) after the main
// program, each once every promise job before it has run. Waiting costs no
// real time; Date.now() inside a callback reads the start time plus the
// timer's delay.
(function (internals) {
  const timers = new Map();  // id -> timer; `seq` orders timers due at the same time
  let seq = 0, ids = 0, virtualNow = 0;

  function add(fn, delay, args, repeat) {
    if (typeof fn !== "function") throw new TypeError("the callback given to a timer must be a function");
    const id = ++ids;
    const ms = Math.max(0, Number(delay) || 0);
    timers.set(id, { id, fn, args, at: virtualNow + ms, seq: ++seq, repeat: repeat ? Math.max(1, ms) : 0 });
    return id;
  }
  const clear = (id) => { timers.delete(id); };

  // Fires the earliest timer, if any; the caller drains promise jobs after.
  function fireNext() {
    let next;
    for (const t of timers.values()) {
      if (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq)) next = t;
    }
    if (!next) return false;
    virtualNow = next.at;
    internals.elapsed = virtualNow;
    if (next.repeat) {
      next.at += next.repeat;
      next.seq = ++seq;
    } else {
      timers.delete(next.id);
    }
    next.fn(...next.args);
    return true;
  }

  return {
    fireNext,
    globals: {
      setTimeout: (fn, delay, ...args) => add(fn, delay, args, false),
      setInterval: (fn, delay, ...args) => add(fn, delay, args, true),
      setImmediate: (fn, ...args) => add(fn, 0, args, false),
      clearTimeout: clear, clearInterval: clear, clearImmediate: clear,
    },
  };
})
