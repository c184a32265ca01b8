// Node's `fs` (the synchronous API and `fs.promises`) over the world's file
// system. Errors carry Node's codes and messages ("ENOENT: no such file or
// directory, open 'x.csv'") so code written for Node handles them unchanged.
(function (internals) {
  const { std, os, lib } = internals;
  // wasi-libc errno values, as QuickJS reports them
  const CODES = {
    2: ["EACCES", "permission denied"],
    20: ["EEXIST", "file already exists"],
    28: ["EINVAL", "invalid argument"],
    31: ["EISDIR", "illegal operation on a directory"],
    37: ["ENAMETOOLONG", "name too long"],
    44: ["ENOENT", "no such file or directory"],
    54: ["ENOTDIR", "not a directory"],
    55: ["ENOTEMPTY", "directory not empty"],
    63: ["EPERM", "operation not permitted"],
    76: ["EACCES", "permission denied (the path leaves the world)"],
  };

  function fail(errno, syscall, path, dest) {
    const [code, text] = CODES[errno] || ["EIO", "i/o error (errno " + errno + ")"];
    let message = code + ": " + text + ", " + syscall + " '" + path + "'";
    if (dest !== undefined) message += " -> '" + dest + "'";
    const err = new Error(message);
    err.code = code;
    err.syscall = syscall;
    err.path = path;
    throw err;
  }

  // The world's paths: relative to the root, `/x` is the root's `x`. The
  // runtime's own files are not part of the world.
  function target(p, syscall) {
    if (typeof URL !== "undefined" && p instanceof URL) p = p.pathname;
    if (typeof p !== "string") {
      throw new TypeError('The "path" argument must be of type string. Received ' + (p === null ? "null" : typeof p));
    }
    if (p.includes("\0")) {
      const err = new TypeError("The argument 'path' must be a string without null bytes. Received " + JSON.stringify(p));
      err.code = "ERR_INVALID_ARG_VALUE";
      throw err;
    }
    if (RESERVED.has(rootName(p))) fail(44, syscall, p);
    return p;
  }

  // The runtime's own files at the root: not part of the world.
  const RESERVED = new Set([".worlds", "<code>", "<cjs>", "fs", "path", "util", "node:fs", "node:path", "node:util"]);
  function rootName(p) {
    const parts = [];
    for (const part of p.split("/")) {
      if (part === "" || part === ".") continue;
      if (part === "..") parts.pop();
      else parts.push(part);
    }
    return parts.length ? parts[0] : "";
  }

  function encodingOf(options) {
    if (typeof options === "string") return options;
    return options && options.encoding ? options.encoding : null;
  }

  // QuickJS has no TextEncoder/TextDecoder: UTF-8 by hand, invalid bytes as U+FFFD.
  function utf8Decode(bytes) {
    let out = "";
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i];
      const n = b < 0x80 ? 0 : b >= 0xf0 && b < 0xf5 ? 3 : b >= 0xe0 ? 2 : b >= 0xc2 && b < 0xe0 ? 1 : -1;
      let cp = n === 0 ? b : n === 1 ? b & 0x1f : n === 2 ? b & 0x0f : b & 0x07;
      let ok = n >= 0 && i + n < bytes.length + (n ? 0 : 1);
      for (let k = 1; ok && k <= n; k++) {
        const c = bytes[i + k];
        if ((c & 0xc0) !== 0x80) ok = false;
        else cp = (cp << 6) | (c & 0x3f);
      }
      if (!ok || (n === 2 && cp < 0x800) || (n === 3 && (cp < 0x10000 || cp > 0x10ffff))) {
        out += "\ufffd";
        i += 1;
        continue;
      }
      out += String.fromCodePoint(cp);
      i += n + 1;
    }
    return out;
  }
  function utf8Encode(text) {
    const out = [];
    for (const ch of text) {
      let cp = ch.codePointAt(0);
      if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
      if (cp < 0x80) out.push(cp);
      else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
      else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
      else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    }
    return out;
  }
  class Buffer extends Uint8Array {
    toString(encoding) {
      if (encoding === "base64") return btoa(String.fromCharCode(...this));
      if (encoding === "hex") return Array.from(this, (b) => b.toString(16).padStart(2, "0")).join("");
      const text = utf8Decode(this);
      if (this._path !== undefined) remember(this._path, text);
      return text;
    }
    toJSON() { return { type: "Buffer", data: Array.from(this) }; }
    static from(value, encoding) {
      if (typeof value === "string") {
        if (encoding === "base64") return Buffer.from(Array.from(atob(value), (c) => c.charCodeAt(0)));
        return Buffer.from(utf8Encode(value));
      }
      const b = new Buffer(value.length);
      b.set(value);
      return b;
    }
    static isBuffer(v) { return v instanceof Buffer; }
    static alloc(size, fill = 0) { return new Buffer(size).fill(fill); }
    // How Node shows a Buffer: `<Buffer 68 69>`, the first 50 bytes in hex.
    [Symbol.for("nodejs.util.inspect.custom")]() {
      const shown = Array.from(this.subarray(0, 50), (b) => b.toString(16).padStart(2, "0")).join(" ");
      const rest = this.length - 50;
      return `<${this.constructor.name} ${shown}${rest > 0 ? ` ... ${rest} more byte${rest > 1 ? "s" : ""}` : ""}>`;
    }
  }
  Object.defineProperty(globalThis, "Buffer", { value: Buffer, writable: true, configurable: true, enumerable: false });

  function open(p, flags, syscall) {
    const err = {};
    const f = std.open(p, flags, err);
    if (!f) fail(err.errno, syscall, p);
    return f;
  }

  function stat(p, syscall) {
    const [st, errno] = os.stat(target(p, syscall));
    if (errno) fail(errno, syscall, p);
    return st;
  }

  class Stats {
    constructor(st) {
      this.size = st.size;
      this.mode = st.mode;
      this.mtimeMs = st.mtime;
      this.mtime = new Date(st.mtime);
      this.atimeMs = st.atime;
      this.atime = new Date(st.atime);
      this.ctimeMs = st.ctime;
      this.ctime = new Date(st.ctime);
      this.birthtime = new Date(st.ctime);
    }
    isFile() { return (this.mode & 0o170000) === 0o100000; }
    isDirectory() { return (this.mode & 0o170000) === 0o040000; }
    isSymbolicLink() { return false; }
  }

  // The last texts read, by path: JSON.parse uses them to say which file held bad JSON.
  function remember(p, text) {
    internals.reads.delete(p);
    internals.reads.set(p, text);
    if (internals.reads.size > 8) internals.reads.delete(internals.reads.keys().next().value);
  }

  function readFileSync(p, options) {
    const st = stat(p, "open");
    if ((st.mode & 0o170000) === 0o040000) fail(31, "read", p);
    const f = open(p, "rb", "open");
    try {
      const enc = encodingOf(options);
      if (enc === "utf8" || enc === "utf-8") {
        // loadFile reads in blocks; readAsString goes byte by byte. Same decoding.
        const text = std.loadFile(p) ?? f.readAsString();
        remember(p, text);
        return text;
      }
      const buf = new Buffer(st.size);
      if (st.size) f.read(buf.buffer, 0, st.size);
      Object.defineProperty(buf, "_path", { value: p });
      return enc ? buf.toString(enc) : buf;
    } finally {
      f.close();
    }
  }

  function write(p, data, flags, syscall) {
    target(p, syscall);
    const f = open(p, flags, "open");
    try {
      if (typeof data === "string") f.puts(data);
      else if (ArrayBuffer.isView(data)) f.write(data.buffer, data.byteOffset, data.byteLength);
      else f.puts(String(data));
      f.flush();
      if (f.error()) fail(f.error() === true ? 28 : f.error(), "write", p);
    } finally {
      f.close();
    }
  }

  function writeFileSync(p, data, options) {
    const flag = options && typeof options === "object" && options.flag ? options.flag : "w";
    write(p, data, flag.startsWith("a") ? "ab" : "wb", "open");
  }

  function appendFileSync(p, data) {
    write(p, data, "ab", "open");
  }

  function existsSync(p) {
    try {
      stat(p, "stat");
      return true;
    } catch (e) {
      return false;
    }
  }

  class Dirent {
    constructor(name, dir, isDir) {
      this.name = name;
      this.parentPath = this.path = dir;
      this._dir = isDir;
    }
    isFile() { return !this._dir; }
    isDirectory() { return this._dir; }
    isSymbolicLink() { return false; }
  }

  function readdirSync(p, options) {
    target(p, "scandir");
    const [names, errno] = os.readdir(p);
    if (errno) fail(errno, "scandir", p);
    const atRoot = rootName(p + "/x") === "x";
    const list = names.filter((n) => n !== "." && n !== ".." && !(atRoot && RESERVED.has(n))).sort();
    if (options && options.withFileTypes) {
      return list.map((n) => new Dirent(n, p, (os.stat(p + "/" + n)[0].mode & 0o170000) === 0o040000));
    }
    return list;
  }

  function mkdirSync(p, options) {
    target(p, "mkdir");
    const recursive = options && typeof options === "object" && options.recursive;
    if (!recursive) {
      const errno = os.mkdir(p);
      if (errno) fail(-errno, "mkdir", p);
      return undefined;
    }
    const parts = p.split("/");
    let made;
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i).join("/");
      if (!sub || sub === ".") continue;
      const errno = os.mkdir(sub);
      if (errno === 0) made = made || sub;
      else if (-errno === 20) {
        if (!statSync(sub).isDirectory()) fail(20, "mkdir", p);
      } else fail(-errno, "mkdir", p);
    }
    return made;
  }

  function statSync(p, options) {
    try {
      return new Stats(stat(p, "stat"));
    } catch (e) {
      if (options && options.throwIfNoEntry === false && e.code === "ENOENT") return undefined;
      throw e;
    }
  }

  function unlinkSync(p) {
    if (statSync(p).isDirectory()) fail(31, "unlink", p);
    const errno = os.remove(target(p, "unlink"));
    if (errno) fail(-errno, "unlink", p);
  }

  function rmSync(p, options) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) {
      if (options && options.force) return;
      fail(44, "rm", p);
    }
    if (st.isDirectory()) {
      if (!(options && options.recursive)) {
        const err = new Error("Path is a directory: rm returned EISDIR (is a directory) " + p);
        err.code = "ERR_FS_EISDIR";
        throw err;
      }
      for (const name of readdirSync(p)) rmSync(p + "/" + name, options);
    }
    const errno = os.remove(p);
    if (errno) fail(-errno, "rm", p);
  }

  function rmdirSync(p, options) {
    if (options && options.recursive) return rmSync(p, { recursive: true });
    if (!statSync(p).isDirectory()) fail(54, "rmdir", p);
    const errno = os.remove(target(p, "rmdir"));
    if (errno) fail(-errno, "rmdir", p);
  }

  function renameSync(from, to) {
    target(from, "rename");
    target(to, "rename");
    const errno = os.rename(from, to);
    if (errno) fail(-errno, "rename", from, to);
  }

  function copyFileSync(from, to) {
    writeFileSync(to, readFileSync(from));
  }

  const sync = {
    readFileSync, writeFileSync, appendFileSync, existsSync, readdirSync, mkdirSync,
    statSync, lstatSync: statSync, unlinkSync, rmSync, rmdirSync, renameSync, copyFileSync,
  };
  // fs.promises: the same operations, settled as promises (still deterministic).
  const promises = {};
  for (const [name, fn] of Object.entries(sync)) {
    if (name === "existsSync") continue;
    const short = name.replace(/Sync$/, "");
    promises[short] = (...args) => new Promise((resolve) => resolve(fn(...args)));
  }
  // A stream of a whole file, for `readline` (which reads its path) and for code that reads
  // with 'data' events: the file comes as one chunk once a listener is there.
  function createReadStream(p, options) {
    const encoding = encodingOf(options);
    const stream = new (lib("events"))();
    stream.path = p;
    queueMicrotask(() => {
      if (!stream.listenerCount("data") && !stream.listenerCount("end")) return;
      let data;
      try {
        data = readFileSync(p, encoding || undefined);
      } catch (e) {
        stream.emit("error", e);
        return;
      }
      if (data.length) stream.emit("data", data);
      stream.emit("end");
      stream.emit("close");
    });
    stream[Symbol.asyncIterator] = async function* () { yield readFileSync(p, encoding || undefined); };
    return stream;
  }

  const fs = { ...sync, promises, createReadStream };
  for (const [name, fn] of Object.entries(promises)) {
    fs[name] = (...args) => {
      const cb = args.pop();
      if (typeof cb !== "function") throw new TypeError("The \"cb\" argument must be of type function");
      fn(...args).then((v) => cb(null, v), (e) => cb(e));
    };
  }
  fs.constants = { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 };
  return fs;
})
