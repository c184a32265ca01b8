// Node's `readline` over a world's file: createInterface({ input:
// fs.createReadStream(path) }) gives the file's lines, as 'line' events or
// with `for await (const line of rl)`. The file is read whole (it is in the
// world already); lines end at \n or \r\n, as Node's crlfDelay: Infinity.
(function (internals) {
  const { lib } = internals;

  function linesOf(input) {
    if (!input || typeof input.path !== "string") {
      throw new TypeError("readline.createInterface needs { input: fs.createReadStream(path) }: a world has no stdin");
    }
    const text = lib("fs").readFileSync(input.path, "utf8");
    const lines = text.split(/\r?\n/);
    if (lines.length && lines[lines.length - 1] === "") lines.pop();
    return lines;
  }

  function createInterface(options) {
    const input = options && options.input !== undefined ? options.input : options;
    const lines = linesOf(input);
    const EventEmitter = lib("events");
    const rl = new EventEmitter();
    let closed = false, iterating = false;
    rl.close = () => { if (!closed) { closed = true; rl.emit("close"); } };
    rl[Symbol.asyncIterator] = async function* () {
      iterating = true;
      for (const line of lines) {
        if (closed) break;
        yield line;
      }
      rl.close();
    };
    // As in Node, lines flow once the program has had its turn to add listeners.
    queueMicrotask(() => {
      if (iterating) return;
      for (const line of lines) {
        if (closed) break;
        rl.emit("line", line);
      }
      rl.close();
    });
    rl.question = () => { throw new Error("readline.question: a world has no one to answer"); };
    return rl;
  }
  return { createInterface, Interface: Object };
})
