// Node's `path` module, POSIX flavour. The world's root is `/` and the
// working directory is the root.
(function () {
  function normalizeParts(parts, absolute) {
    const out = [];
    for (const p of parts) {
      if (p === "" || p === ".") continue;
      if (p === "..") {
        if (out.length && out[out.length - 1] !== "..") out.pop();
        else if (!absolute) out.push("..");
      } else out.push(p);
    }
    return out;
  }
  function check(p) {
    if (typeof p !== "string") {
      throw new TypeError('The "path" argument must be of type string. Received ' + (p === null ? "null" : typeof p));
    }
    return p;
  }
  const path = {
    sep: "/",
    delimiter: ":",
    isAbsolute: (p) => check(p).startsWith("/"),
    normalize(p) {
      check(p);
      if (p === "") return ".";
      const abs = p.startsWith("/");
      const trailing = p.endsWith("/");
      let s = normalizeParts(p.split("/"), abs).join("/");
      if (!s && !abs) s = ".";
      if (s && trailing) s += "/";
      return (abs ? "/" : "") + s;
    },
    join(...parts) {
      const joined = parts.map(check).filter((p) => p !== "").join("/");
      return joined === "" ? "." : path.normalize(joined);
    },
    resolve(...parts) {
      let resolved = "";
      for (let i = parts.length - 1; i >= 0 && !resolved.startsWith("/"); i--) {
        const p = check(parts[i]);
        if (p) resolved = p + (resolved ? "/" + resolved : "");
      }
      if (!resolved.startsWith("/")) resolved = "/" + resolved;
      const s = normalizeParts(resolved.split("/"), true).join("/");
      return "/" + s;
    },
    relative(from, to) {
      const a = path.resolve(from).split("/").filter(Boolean);
      const b = path.resolve(to).split("/").filter(Boolean);
      let i = 0;
      while (i < a.length && i < b.length && a[i] === b[i]) i++;
      return [...a.slice(i).map(() => ".."), ...b.slice(i)].join("/");
    },
    dirname(p) {
      check(p);
      const s = p.replace(/\/+$/, "");
      if (!s) return p.startsWith("/") ? "/" : ".";
      const i = s.lastIndexOf("/");
      if (i < 0) return ".";
      return i === 0 ? "/" : s.slice(0, i).replace(/\/+$/, "") || "/";
    },
    basename(p, ext) {
      check(p);
      let base = p.replace(/\/+$/, "");
      base = base.slice(base.lastIndexOf("/") + 1);
      if (ext && base.endsWith(ext) && base !== ext) base = base.slice(0, -ext.length);
      return base;
    },
    extname(p) {
      const base = path.basename(p);
      const i = base.lastIndexOf(".");
      return i <= 0 ? "" : base.slice(i);
    },
    parse(p) {
      const root = p.startsWith("/") ? "/" : "";
      const base = path.basename(p);
      const ext = path.extname(p);
      let dir = path.dirname(p);
      if (dir === "." && !p.includes("/")) dir = "";
      return { root, dir, base, ext, name: ext ? base.slice(0, -ext.length) : base };
    },
    format(o) {
      const dir = o.dir || o.root || "";
      const base = o.base || (o.name || "") + (o.ext || "");
      return dir ? (dir === o.root ? dir + base : dir + "/" + base) : base;
    },
  };
  path.posix = path;
  return () => path;
})()
