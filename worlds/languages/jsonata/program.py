"""The JS-light program that evaluates a JSONata expression against a world's data.

Each data file is a variable named like its SQL table (``orders.json`` is
``$orders``, ``data/q1.csv`` is ``$data_q1``), and the input document ``$$`` is
an object of the same tables by the same names. A file is read (CSV typed as
``readCSV`` types it) the first time the expression touches it, so a world of
many big files costs only the files the expression uses. The program's
completion value is ``{ok: value}`` or ``{error: {...}}``; a JSONata error's
value is shown by a short preview, never whole (it may be a whole table).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from ..sql.schema import table_names

#: Where the library sits in the guest's file system (hidden, read-only).
LIBRARY = ".lib/jsonata.js"

_READER = {".csv": "readCSV", ".tsv": "readCSV", ".json": "readJSON", ".jsonl": "readJSONL",
           ".ndjson": "readJSONL"}

_PROGRAM = """\
"use strict";
const jsonata = require("/%(library)s");
const reader = { readCSV, readJSON, readJSONL };
const input = {};
for (const [name, path, read] of %(tables)s) {
  Object.defineProperty(input, name, {
    enumerable: true, configurable: true,
    get() {
      const value = reader[read](path);
      Object.defineProperty(input, name, { value, enumerable: true, writable: true, configurable: true });
      return value;
    },
  });
}
const bindings = {};
for (const name of %(used)s) bindings[name] = input[name];
function preview(v, depth) {
  if (v === undefined) return "undefined";
  if (typeof v === "function") return "a function";
  if (Array.isArray(v)) {
    if (depth > 1) return "[...]";
    const items = v.slice(0, 3).map((x) => preview(x, depth + 1));
    return "[" + items.join(", ") + (v.length > 3 ? ", ... " + (v.length - 3) + " more" : "") + "]";
  }
  if (v && typeof v === "object") {
    if (depth > 1) return "{...}";
    const keys = Object.keys(v);
    const items = keys.slice(0, 6).map((k) => JSON.stringify(k) + ": " +
      (Object.getOwnPropertyDescriptor(v, k).get ? "(a table)" : preview(v[k], depth + 1)));
    return "{" + items.join(", ") + (keys.length > 6 ? ", ..." : "") + "}";
  }
  const text = JSON.stringify(v);
  return text.length > 200 ? text.slice(0, 200) + "..." : text;
}
function failure(e) {
  if (!e || typeof e !== "object") return { error: { message: String(e) } };
  const out = { code: e.code, position: e.position, token: e.token, message: String(e.message) };
  if ("value" in e) out.value = preview(e.value, 0);
  if (e instanceof Error && !e.code) out.name = e.name;
  return { error: out };
}
(async () => {
  let expression;
  try {
    expression = jsonata(%(source)s);
  } catch (e) {
    return failure(e);
  }
  if (%(parse_only)s) return {};
  try {
    return { ok: await expression.evaluate(input, bindings) };
  } catch (e) {
    return failure(e);
  }
})()
"""


def tables(paths: Iterable[str]) -> dict[str, str]:
    """The data variables: name -> the file it reads."""
    return {name: path for path, name in table_names(paths).items() if name is not None}


def program(source: str, variables: dict[str, str], *, parse_only: bool = False) -> str:
    """The JS-light program that parses (and unless ``parse_only`` evaluates) ``source``."""
    rows = [[name, path, _READER[path[path.rfind("."):].lower()]] for name, path in variables.items()]
    # Variables are bound up front, so only those the expression names are read for them.
    used = [name for name in variables if re.search(r"\$" + re.escape(name) + r"(?![A-Za-z0-9_])", source)]
    return _PROGRAM % {"library": LIBRARY, "tables": json.dumps(rows), "used": json.dumps(used),
                       "source": json.dumps(source), "parse_only": "true" if parse_only else "false"}
