// CommonJS `require` of workspace files: `require('./util')` finds util.js,
// util.json or util/index.js, evaluates it once and returns module.exports.
(function (internals) {
  const { std, os, lib } = internals;
  const modules = Object.create(null);

  function exists(p) {
    const [st, errno] = os.stat(p);
    return !errno && (st.mode & 0o170000) === 0o100000;
  }

  function resolve(name, fromDir) {
    const path = lib("path");
    const base = path.resolve(fromDir, name);
    for (const candidate of [base, base + ".js", base + ".cjs", base + ".json", base + "/index.js"]) {
      // The ES module shims of the built-in modules (/fs, /util...) are not the program's files.
      if (exists(candidate) && !(candidate.lastIndexOf("/") === 0 && internals.builtin(candidate.slice(1)))) return candidate;
    }
    const err = new Error("Cannot find module '" + name + "'");
    err.code = "MODULE_NOT_FOUND";
    throw err;
  }

  function load(name, fromDir = "/") {
    if (!name.startsWith(".") && !name.startsWith("/")) {
      const err = new Error("Cannot find module '" + name + "': only fs, path and workspace files can be required here");
      err.code = "MODULE_NOT_FOUND";
      throw err;
    }
    const file = resolve(name, fromDir);
    if (file in modules) return modules[file].exports;
    const module = (modules[file] = { exports: {}, id: file, filename: file });
    const source = std.loadFile(file);
    if (file.endsWith(".json")) {
      module.exports = JSON.parse(source);
      return module.exports;
    }
    const dir = lib("path").dirname(file);
    const localRequire = (n) => internals.builtin(n) ?? load(n, dir);
    // The host offers each JS file wrapped under /<cjs>/, so its frames name the
    // file; a file written during this run is wrapped here instead. The wrapper
    // shares the file's first line, keeping its line numbers.
    const view = "/<cjs>" + file;
    const fn = exists(view) ? std.loadScript(view)
      : std.evalScript("(function (exports, require, module, __filename, __dirname) {" + source + "\n})");
    fn.call(module.exports, module.exports, localRequire, module, file, dir);
    return module.exports;
  }

  return { load };
})
