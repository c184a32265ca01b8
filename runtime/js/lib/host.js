// Host functions: the world's API (World(functions=...)) as plain functions of
// the program, `crm.findCustomer({ id: 3 })`. A call is written as JSON into
// the device file `/<host>`, which the host answers when the file is closed;
// the reply is read back from it. The value comes back at once (so `await`
// is optional); a host failure is thrown here as an Error.
(internals) => {
  const { std } = internals;
  const DEVICE = "/<host>";
  const stringify = JSON.stringify, parse = JSON.parse;

  function send(text) {
    const out = std.open(DEVICE, "w");
    if (!out) throw new Error("the host cannot be reached");
    out.puts(text);
    out.close();
    return parse(std.loadFile(DEVICE));
  }

  function call(name, args) {
    let request;
    try {
      request = stringify({ name, args });
    } catch (e) {
      throw new TypeError(`the arguments of ${name} cannot be sent as JSON: ${e.message}`);
    }
    const reply = send(request);
    // The call stops the run (a limit, a tape that does not hold it, a suspension): the host
    // wants to know where the program made it, and ends the run when told.
    if (reply.stop) send(stringify({ site: new Error().stack }));
    if (reply.error) {
      const Kind = reply.error.name === "TypeError" ? TypeError : reply.error.name === "RangeError" ? RangeError : Error;
      const e = new Kind(reply.error.message);
      Object.defineProperty(e, "hostFunction", { value: name, enumerable: false });
      throw e;
    }
    return reply.value;
  }

  function fn(name) {
    const short = name.slice(name.lastIndexOf(".") + 1);
    // A named function, so stacks and inspect show `findCustomer`.
    const f = { [short](...args) { return call(name, args); } }[short];
    return f;
  }

  // Make each dotted name a path of plain objects under a global.
  function install(names) {
    for (const name of names) {
      const parts = name.split(".");
      let scope = globalThis;
      for (const part of parts.slice(0, -1)) {
        if (!Object.prototype.hasOwnProperty.call(scope, part)) {
          Object.defineProperty(scope, part, { value: {}, writable: true, configurable: true, enumerable: scope !== globalThis });
        }
        scope = scope[part];
      }
      const last = parts[parts.length - 1];
      Object.defineProperty(scope, last, { value: fn(name), writable: true, configurable: true, enumerable: scope !== globalThis });
    }
  }
  return { install };
};
