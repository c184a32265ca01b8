// Node's `events`: an EventEmitter whose listeners run synchronously, in the
// order they were added, as in Node. An 'error' event nobody listens to is
// thrown, as in Node.
(function () {
  class EventEmitter {
    constructor() {
      Object.defineProperty(this, "_events", { value: new Map(), writable: true });
    }
    _list(name) {
      if (!this._events) Object.defineProperty(this, "_events", { value: new Map(), writable: true });
      if (!this._events.has(name)) this._events.set(name, []);
      return this._events.get(name);
    }
    on(name, fn) { return this.addListener(name, fn); }
    addListener(name, fn) {
      if (typeof fn !== "function") throw new TypeError('The "listener" argument must be of type function');
      this._list(name).push({ fn, once: false });
      return this;
    }
    prependListener(name, fn) { this._list(name).unshift({ fn, once: false }); return this; }
    once(name, fn) { this._list(name).push({ fn, once: true }); return this; }
    prependOnceListener(name, fn) { this._list(name).unshift({ fn, once: true }); return this; }
    off(name, fn) { return this.removeListener(name, fn); }
    removeListener(name, fn) {
      const list = this._list(name);
      const at = list.findLastIndex((l) => l.fn === fn);
      if (at >= 0) list.splice(at, 1);
      return this;
    }
    removeAllListeners(name) {
      if (name === undefined) this._events = new Map();
      else this._events && this._events.delete(name);
      return this;
    }
    emit(name, ...args) {
      const list = this._list(name);
      if (!list.length) {
        if (name === "error") throw args[0] instanceof Error ? args[0] : new Error("Unhandled error. (" + String(args[0]) + ")");
        return false;
      }
      for (const l of [...list]) {
        if (l.once) this.removeListener(name, l.fn);
        l.fn.apply(this, args);
      }
      return true;
    }
    listenerCount(name) { return this._list(name).length; }
    listeners(name) { return this._list(name).map((l) => l.fn); }
    rawListeners(name) { return this.listeners(name); }
    eventNames() { return [...(this._events || new Map()).entries()].filter(([, l]) => l.length).map(([n]) => n); }
    setMaxListeners() { return this; }
    getMaxListeners() { return 10; }
  }
  // events.once(emitter, name): a promise of the arguments of the next such event.
  EventEmitter.once = (emitter, name) => new Promise((resolve, reject) => {
    emitter.once(name, (...args) => resolve(args));
    if (name !== "error") emitter.once("error", reject);
  });
  EventEmitter.EventEmitter = EventEmitter;
  EventEmitter.defaultMaxListeners = 10;
  return EventEmitter;
})
