// Math.random from the world's seed: sfc32, its four state words given by the
// host (derived from the whole 64-bit seed). The state is set on the first
// call of a run, so this library can be loaded before the seed is known.
(function (internals) {
  let a, b, c, d, ready = false;
  function next() {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  }
  return function random() {
    if (!ready) {
      [a, b, c, d] = internals.seed.split(",").map((w) => Number(w) >>> 0);
      for (let i = 0; i < 12; i++) next();  // mix the state before the first output
      ready = true;
    }
    return (next() * 2097152 + (next() >>> 11)) / 9007199254740992;
  };
})
