"""What names mean in JS-light: its globals, the features it leaves out, its modules, and slips.

Data only; the checker's rules read it. The globals are QuickJS-NG's own
(``Object.getOwnPropertyNames(globalThis)`` in a run) plus what the bootstrap
installs, minus what JS-light leaves out on purpose: a name that is left out
has an :class:`Excluded` entry saying why and what to write instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...diagnostics import codes

#: Globals a JS-light program may use without declaring them.
GLOBALS = frozenset([
    "Object", "Function", "Error", "EvalError", "RangeError", "ReferenceError", "SyntaxError",
    "TypeError", "URIError", "InternalError", "AggregateError", "SuppressedError", "Iterator", "Array",
    "parseInt", "parseFloat", "isNaN", "isFinite", "queueMicrotask", "decodeURI", "decodeURIComponent",
    "encodeURI", "encodeURIComponent", "escape", "unescape", "Infinity", "NaN", "undefined", "Number",
    "Boolean", "String", "Math", "Reflect", "Symbol", "DisposableStack", "AsyncDisposableStack",
    "globalThis", "BigInt", "Date", "RegExp", "JSON", "Proxy", "Map", "Set", "WeakMap", "WeakSet",
    "ArrayBuffer", "Uint8ClampedArray", "Int8Array", "Uint8Array", "Int16Array", "Uint16Array",
    "Int32Array", "Uint32Array", "BigInt64Array", "BigUint64Array", "Float16Array", "Float32Array",
    "Float64Array", "DataView", "Promise", "DOMException", "btoa", "atob", "performance", "navigator",
    "console", "fs", "path", "Buffer", "require", "setTimeout", "setInterval", "setImmediate",
    "clearTimeout", "clearInterval", "clearImmediate", "parseCSV", "toCSV", "readCSV", "writeCSV",
    "readJSON", "writeJSON", "readJSONL", "writeJSONL"
])


@dataclass(frozen=True)
class Excluded:
    """A feature JS-light leaves out: its code, why, and what to write instead."""

    code: str
    why: str
    instead: str


_DYNAMIC = Excluded(codes.JS_DYNAMIC_CODE,
                    "JS-light runs only code that can be read before it runs: text turned into code "
                    "at run time cannot be checked",
                    "write the code itself; to read data from text use `JSON.parse`")
_NETWORK = Excluded(codes.JS_NETWORK,
                    "a world has no network: a program sees only the world's files",
                    "read the data from the world's files (`fs.readFileSync`, `readJSON`, `readCSV`)")
_PROCESS = Excluded(codes.JS_PROCESS,
                    "a program runs alone in its sandbox: it cannot start, stop or inspect processes",
                    "let the program finish normally; report a failure with `throw new Error(...)`")
_GC = Excluded(codes.JS_GC,
               "when garbage collection happens differs between runs, so observing it would make "
               "results differ",
               "hold values in a `Map` (or a `WeakMap`, which cannot be observed) and delete them "
               "when done")
_SHARED = Excluded(codes.JS_SHARED_MEMORY,
                   "a program runs on one thread; shared memory has nothing to share with",
                   "use an `ArrayBuffer` and typed arrays")
_INTERNAL = Excluded(codes.JS_INTERNALS,
                     "the engine's own modules (`qjs:std`, `qjs:os`, `qjs:bjson`) reach past the world's "
                     "rules and belong to the runtime",
                     "use `console`, `fs` and `path`, as in Node")

#: Global names that are left out, or whose use is (see ``CALLED_ONLY``).
EXCLUDED: dict[str, Excluded] = {
    "eval": _DYNAMIC, "Function": _DYNAMIC,
    "fetch": _NETWORK, "XMLHttpRequest": _NETWORK, "WebSocket": _NETWORK, "EventSource": _NETWORK,
    "WeakRef": _GC, "FinalizationRegistry": _GC,
    "SharedArrayBuffer": _SHARED, "Atomics": _SHARED,
    "std": _INTERNAL, "os": _INTERNAL, "bjson": _INTERNAL, "gc": _INTERNAL, "scriptArgs": _INTERNAL,
    "execArgv": _INTERNAL, "argv0": _INTERNAL,
    "process": _PROCESS, "Worker": _PROCESS,
}
#: Excluded only when called or constructed: `x instanceof Function` is fine.
CALLED_ONLY = frozenset({"Function"})

#: The members of `process` JS-light offers (runtime/js/lib/process.js): a world's
#: program has no arguments but its path, no environment, and the world's clock.
PROCESS_OFFERED = frozenset({"argv", "env", "exit", "exitCode", "platform", "stdout", "stderr", "cwd",
                             "nextTick", "hrtime", "uptime"})
#: What to say about the other members of `process`.
PROCESS_MEMBERS: dict[str, tuple[str, str]] = {
    "on": (codes.JS_PROCESS, "a program cannot watch process events; catch errors with `try`"),
    "once": (codes.JS_PROCESS, "a program cannot watch process events; catch errors with `try`"),
    "memoryUsage": (codes.JS_PROCESS, "memory is a limit of the run: its result's stats give the memory "
                                      "it used"),
    "cpuUsage": (codes.JS_REAL_TIME, "the run's fuel (in the result) measures the work done"),
    "pid": (codes.JS_PROCESS, "a run is not an operating-system process"),
    "kill": (codes.JS_PROCESS, "a run is not an operating-system process"),
    "chdir": (codes.JS_PROCESS, "paths are relative to the world's root: write `'sales.csv'`"),
    "stdin": (codes.JS_PROCESS, "a program has no input stream: its inputs are the world's files"),
}

#: Names of Node or the browser that JS-light does not have, with what to use instead.
ABSENT: dict[str, str] = {
    "module": "the program itself is not a CommonJS module: drop `module.exports`, or put shared "
              "code in another file and `require` it",
    "exports": "the program itself is not a CommonJS module: drop `exports.x = ...`",
    "__dirname": "paths are relative to the world's root: write `'sales.csv'`, not "
                 "`path.join(__dirname, 'sales.csv')`",
    "__filename": "paths are relative to the world's root",
    "window": "there is no browser window: the global object is `globalThis`",
    "global": "the global object is `globalThis`",
    "self": "`self` is not defined; inside a method the object is `this`",
    "document": "there is no browser document: read the world's files and print with `console.log`",
    "alert": "print with `console.log`",
    "localStorage": "keep state in files: `fs.writeFileSync` and `fs.readFileSync`",
    "Intl": "there is no `Intl`: format numbers with `toFixed(2)` and dates with `toISOString()`",
    "structuredClone": "copy plain data with `JSON.parse(JSON.stringify(value))`",
    "TextEncoder": "encode text with `Buffer.from(text, 'utf8')`",
    "TextDecoder": "decode bytes with `buffer.toString('utf8')`",
    "URL": "there is no `URL` class: split the text yourself",
    "URLSearchParams": "there is no `URLSearchParams` class: split the text on `&` and `=`",
    "crypto": "there is no `crypto`: `Math.random()` follows the world's seed",
}

#: Rename-only fixes for undeclared names: the name to write instead.
RENAMES: dict[str, str] = {
    "True": "true", "False": "false", "None": "null", "nil": "null", "NULL": "null",
    "elif": "else if", "global": "globalThis",
}

#: Functions of other languages: (JavaScript spelling, help). ``{0}`` is the argument text.
FUNCTION_SLIPS: dict[str, tuple[str, str]] = {
    "print": ("console.log({args})", "JavaScript prints with `console.log`"),
    "println": ("console.log({args})", "JavaScript prints with `console.log`"),
    "puts": ("console.log({args})", "JavaScript prints with `console.log`"),
    "len": ("{0}.length", "the length of an array or string is its `.length` property "
                          "(of a `Map` or `Set`, its `.size`)"),
    "str": ("String({args})", "convert to text with `String(x)`"),
    "int": ("parseInt({0}, 10)", "convert text to an integer with `parseInt(x, 10)`"),
    "float": ("parseFloat({args})", "convert text to a number with `parseFloat(x)` or `Number(x)`"),
    "abs": ("Math.abs({args})", "math functions live on `Math`"),
    "floor": ("Math.floor({args})", "math functions live on `Math`"),
    "ceil": ("Math.ceil({args})", "math functions live on `Math`"),
    "sqrt": ("Math.sqrt({args})", "math functions live on `Math`"),
    "pow": ("Math.pow({args})", "math functions live on `Math` (or write `a ** b`)"),
    "max": ("Math.max({spread})", "math functions live on `Math`; spread an array: `Math.max(...xs)`"),
    "min": ("Math.min({spread})", "math functions live on `Math`; spread an array: `Math.min(...xs)`"),
    "round": ("Math.round({args})", "`Math.round` rounds to an integer; for 2 places: "
                                    "`Math.round(x * 100) / 100` or `x.toFixed(2)`"),
    "sum": ("", "add up an array with `xs.reduce((a, b) => a + b, 0)`"),
    "sorted": ("", "sort a copy with `[...xs].sort((a, b) => a - b)` (without a compare function "
                   "`sort` orders as text)"),
    "range": ("", "count with a `for` loop, or build `Array.from({ length: n }, (_, i) => i)`"),
    "isinstance": ("", "test types with `typeof x === 'number'` or `x instanceof Class`"),
    "repr": ("JSON.stringify({args})", "show a value with `JSON.stringify(x)`"),
}
#: Slips that take exactly this many arguments for their fix to be safe (others: any).
FIX_ARITY = {"len": 1, "int": 1, "float": 1, "str": 1, "round": 1, "repr": 1}

#: Methods of other languages, by name: (the JavaScript name, help).
METHOD_SLIPS: dict[str, tuple[str, str]] = {
    "append": ("push", "arrays grow with `push`"),
    "extend": ("", "append another array with `xs.push(...ys)`"),
    "contains": ("includes", "strings and arrays test membership with `includes` (a `Map` or `Set` "
                             "with `has`)"),
    "lower": ("toLowerCase", "strings lower-case with `toLowerCase()`"),
    "upper": ("toUpperCase", "strings upper-case with `toUpperCase()`"),
    "strip": ("trim", "strings trim with `trim()`"),
    "lstrip": ("trimStart", "strings trim the start with `trimStart()`"),
    "rstrip": ("trimEnd", "strings trim the end with `trimEnd()`"),
    "startswith": ("startsWith", "JavaScript spells it `startsWith`"),
    "endswith": ("endsWith", "JavaScript spells it `endsWith`"),
    "format": ("", "build strings with template literals: `${x} of ${y}`"),
    "length": ("", "`length` is a property, not a method"),
    "size": ("", "`size` is a property of a `Map` or `Set`; an array or string has `.length`"),
}

FS_MODULES = frozenset({"fs", "node:fs"})
PATH_MODULES = frozenset({"path", "node:path"})
#: Node's modules JS-light has (runtime/js/lib), by every name a program may import them.
_NODE_OFFERED = ["fs", "path", "util", "assert", "assert/strict", "events", "string_decoder", "readline"]
BUILTIN_MODULES = frozenset(_NODE_OFFERED + [f"node:{m}" for m in _NODE_OFFERED])
_NODE_NETWORK = ["http", "https", "net", "tls", "dgram", "dns", "http2", "inspector"]
NETWORK_MODULES = frozenset(_NODE_NETWORK + [f"node:{m}" for m in _NODE_NETWORK] + [
    "undici", "node-fetch", "axios", "ws", "got", "request", "superagent", "cross-fetch"])
_NODE_PROCESS = ["child_process", "cluster", "worker_threads"]
PROCESS_MODULES = frozenset(_NODE_PROCESS + [f"node:{m}" for m in _NODE_PROCESS])
INTERNAL_MODULES = frozenset({"qjs:std", "qjs:os", "qjs:bjson", "std", "bjson"})
#: Help for modules models often reach for.
MODULE_HELP: dict[str, str] = {
    "fs/promises": "use `fs.promises` (`const { promises: fsp } = require('fs')`)",
    "csv-parse": "use `readCSV('file.csv')` or `parseCSV(text)`",
    "csv-parser": "use `readCSV('file.csv')` or `parseCSV(text)`",
    "papaparse": "use `readCSV('file.csv')` or `parseCSV(text)`",
    "csv": "use `readCSV('file.csv')`, `parseCSV(text)` and `toCSV(rows)`",
    "lodash": "write it with array methods (`map`, `filter`, `reduce`, `sort`)",
    "underscore": "write it with array methods (`map`, `filter`, `reduce`, `sort`)",
    "moment": "use `Date` (`new Date(text)`, `toISOString()`)",
    "dayjs": "use `Date` (`new Date(text)`, `toISOString()`)",
    "date-fns": "use `Date` (`new Date(text)`, `toISOString()`)",
    "crypto": "there is no crypto here; `Math.random()` follows the world's seed",
    "os": "a world has no operating system to ask; Node's `os` is not available",
    "events": "write a small list of callbacks yourself",
    "assert": "check with `if (!cond) throw new Error('...')`",
    "buffer": "`Buffer` is a global: no import needed",
    "timers": "`setTimeout` and friends are globals: no import needed",
    "url": "there is no `URL` class: split the text yourself",
    "stream": "read and write whole files with `fs.readFileSync` and `fs.writeFileSync`",
    "zlib": "there is no compression here",
}
for _name in list(MODULE_HELP):
    MODULE_HELP.setdefault(f"node:{_name}", MODULE_HELP[_name])

#: fs functions whose first argument names a file or folder that must exist.
FS_READS = frozenset({"readFileSync", "readdirSync", "statSync", "lstatSync", "copyFileSync",
                      "readFile", "readdir", "stat", "lstat", "copyFile", "createReadStream"})
#: fs functions whose path argument (by index) the program creates.
FS_WRITES: dict[str, int] = {
    "writeFileSync": 0, "appendFileSync": 0, "mkdirSync": 0, "writeFile": 0, "appendFile": 0,
    "mkdir": 0, "copyFileSync": 1, "copyFile": 1, "renameSync": 1, "rename": 1,
}
#: Global data helpers that read (or write) the file named by their first argument.
DATA_READS = frozenset({"readCSV", "readJSON", "readJSONL"})
DATA_WRITES = frozenset({"writeCSV", "writeJSON", "writeJSONL"})

#: Words that cannot name a variable.
RESERVED = frozenset([
    "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do",
    "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in",
    "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof",
    "var", "void", "while", "with"
])
#: Further words reserved in strict code (modules, classes, "use strict").
STRICT_RESERVED = frozenset([
    "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield"
])

# -- built-in members: what a misspelt method or property was meant to be ------------------

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Members of each built-in kind of value, as a program calls or reads them: the candidates
#: for "did you mean" when a member name is misspelt.
MEMBERS: dict[str, frozenset[str]] = {
    "string": _words("""length at charAt charCodeAt codePointAt concat endsWith includes indexOf
        lastIndexOf localeCompare match matchAll normalize padEnd padStart repeat replace replaceAll
        search slice split startsWith substring substr toLowerCase toUpperCase toLocaleLowerCase
        toLocaleUpperCase toString trim trimStart trimEnd valueOf"""),
    "array": _words("""length at concat copyWithin entries every fill filter find findIndex findLast
        findLastIndex flat flatMap forEach includes indexOf join keys lastIndexOf map pop push reduce
        reduceRight reverse shift slice some sort splice toReversed toSorted toSpliced toString
        unshift values with"""),
    "map": _words("size clear delete entries forEach get has keys set values"),
    "set": _words("""size add clear delete entries forEach has keys values union intersection
        difference symmetricDifference isSubsetOf isSupersetOf isDisjointFrom"""),
    "number": _words("toExponential toFixed toLocaleString toPrecision toString valueOf"),
    "object": _words("hasOwnProperty isPrototypeOf propertyIsEnumerable toString valueOf"),
    "date": _words("""getDate getDay getFullYear getHours getMilliseconds getMinutes getMonth getSeconds
        getTime getTimezoneOffset getUTCDate getUTCDay getUTCFullYear getUTCHours getUTCMilliseconds
        getUTCMinutes getUTCMonth getUTCSeconds setDate setFullYear setHours setMilliseconds setMinutes
        setMonth setSeconds setTime setUTCDate setUTCFullYear setUTCHours setUTCMilliseconds
        setUTCMinutes setUTCMonth setUTCSeconds toDateString toISOString toJSON toLocaleDateString
        toLocaleString toLocaleTimeString toString toTimeString toUTCString valueOf"""),
    "regexp": _words("exec test source flags global ignoreCase multiline sticky unicode dotAll lastIndex"),
    "promise": _words("then catch finally"),
    "function": _words("apply bind call length name"),
    "JSON": _words("parse stringify"),
    "Math": _words("""E LN10 LN2 LOG10E LOG2E PI SQRT1_2 SQRT2 abs acos acosh asin asinh atan atan2
        atanh cbrt ceil clz32 cos cosh exp expm1 floor fround hypot imul log log10 log1p log2 max min
        pow random round sign sin sinh sqrt tan tanh trunc"""),
    "Object": _words("""assign create defineProperties defineProperty entries freeze fromEntries
        getOwnPropertyDescriptor getOwnPropertyDescriptors getOwnPropertyNames getOwnPropertySymbols
        getPrototypeOf groupBy hasOwn is isExtensible isFrozen isSealed keys preventExtensions seal
        setPrototypeOf values"""),
    "Array": _words("from fromAsync isArray of"),
    "Number": _words("""EPSILON MAX_SAFE_INTEGER MAX_VALUE MIN_SAFE_INTEGER MIN_VALUE NaN
        NEGATIVE_INFINITY POSITIVE_INFINITY isFinite isInteger isNaN isSafeInteger parseFloat parseInt"""),
    "String": _words("fromCharCode fromCodePoint raw"),
    "Date": _words("now parse UTC"),
    "Promise": _words("all allSettled any race reject resolve withResolvers"),
    "Map": _words("groupBy"),
    "console": _words("log error warn info debug trace table dir time timeEnd timeLog group groupEnd "
                      "count countReset assert"),
    "path": _words("join resolve basename dirname extname normalize relative isAbsolute parse format "
                   "sep delimiter posix"),
    "fs": _words("""readFileSync writeFileSync appendFileSync existsSync mkdirSync readdirSync statSync
        lstatSync unlinkSync rmSync rmdirSync renameSync copyFileSync readFile writeFile appendFile mkdir
        readdir stat lstat unlink rm rmdir rename copyFile promises accessSync access constants
        createReadStream"""),
}
#: The kinds of value an unknown receiver most likely is, for its candidates.
COMMON_KINDS = ("string", "array", "map", "set", "number", "object", "date", "promise")
#: Global objects whose members are fixed: `JSON.prase` names a member of `JSON`.
MEMBER_GLOBALS = frozenset({"JSON", "Math", "Object", "Array", "Number", "String", "Date", "Promise",
                            "Map", "console", "path", "fs"})

#: Every member name of a built-in value that JS-light has, beyond those above: never a misspelling.
OTHER_MEMBERS = _words("""
    constructor prototype __proto__ toLocaleString name message stack cause code errno syscall path
    errors next return throw done value drop take toArray iterator asyncIterator hasInstance
    description for keyFor anchor big blink bold fixed fontcolor fontsize italics link small strike
    sub sup trimLeft trimRight isWellFormed toWellFormed getYear setYear toGMTString compile
    unicodeSets hasIndices index input groups indices buffer byteLength byteOffset BYTES_PER_ELEMENT
    subarray resize resizable maxByteLength transfer transferToFixedLength detached getInt8 getUint8
    getInt16 getUint16 getInt32 getUint32 getFloat16 getFloat32 getFloat64 getBigInt64 getBigUint64
    setInt8 setUint8 setInt16 setUint16 setInt32 setUint32 setFloat16 setFloat32 setFloat64
    setBigInt64 setBigUint64 caller arguments callee isFile isDirectory isSymbolicLink mtime mtimeMs
    atime atimeMs ctime ctimeMs birthtime birthtimeMs mode uid gid ino dev nlink blocks blksize
    parentPath base ext root dir alloc allocUnsafe isBuffer compare equals copy write toJSON
    sumPrecise f16round rawJSON isRawJSON try escape fromBase64 toBase64 fromHex toHex lastItem
    __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__ then catch finally
    getOwnPropertyNames ownKeys apply construct has get set deleteProperty defineProperty
    getPrototypeOf setPrototypeOf isExtensible preventExtensions getOwnPropertyDescriptor
    species match matchAll replace search split toPrimitive toStringTag unscopables
""")
#: Members that are values, not methods: a call is never meant to reach one.
VALUES = _words("""length size source flags global ignoreCase multiline sticky unicode dotAll
    lastIndex name constants promises sep delimiter posix E LN10 LN2 LOG10E LOG2E PI SQRT1_2 SQRT2
    EPSILON MAX_SAFE_INTEGER MAX_VALUE MIN_SAFE_INTEGER MIN_VALUE NaN NEGATIVE_INFINITY
    POSITIVE_INFINITY""")
