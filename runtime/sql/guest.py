"""The SQL guest: SQLite inside CPython-on-WASI, answering one world's queries.

Runs inside the sandbox. It loads the world's tables once (a serialized
database the host built from the input files), then loops: read a request
from stdin, run its statements inside a savepoint that is always rolled back,
write the reply to stdout. Frames are ``<length>\\n<json>`` both ways.

A request: ``{"statements": [sql, ...], "seed": int, "max_rows": int,
"max_bytes": int, "max_steps": int}``. A reply: ``{"columns", "rows", "total",
"changed", "error": {"index", "message", "name"} | null, "steps", "plan"}``
where the columns and rows are those of the last statement that returned
rows, and ``plan`` is the failed statement's ``EXPLAIN QUERY PLAN`` when the
step budget stopped it (the host explains what multiplied the work).
"""

import json
import os
import random
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
import polyfills  # noqa: E402  (it lives next to this file, in the guest's file system)

#: The progress handler runs every this many SQLite VM instructions (the host
#: passes it); the count is the run's deterministic fuel.
STEP = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
#: Every this many progress calls the guest notes its steps on stderr, so a run
#: the Wasm fuel backstop kills still tells the host how far SQLite had got.
NOTE_EVERY = 100
#: Longest string or blob a query may build (SQLite's default is 1 GB).
MAX_LENGTH = 8_000_000

UNBOUNDED = 1 << 62

ATTACH, DETACH, PRAGMA, TRANSACTION, SAVEPOINT = 24, 25, 19, 22, 32
INSERT, UPDATE, DELETE = 18, 23, 9
DROP_TABLE, ALTER_TABLE, CREATE_INDEX, DROP_INDEX, CREATE_TRIGGER = 11, 26, 1, 10, 7
FUNCTION = 31
WRITES = {INSERT, UPDATE, DELETE, DROP_TABLE, ALTER_TABLE, CREATE_INDEX, DROP_INDEX, CREATE_TRIGGER}


class Guest:
    def __init__(self) -> None:
        # Started before it knows its world (the host keeps a started spare): the
        # tables arrive with the first request, ``{"open": path}``.
        con = sqlite3.connect(":memory:", isolation_level=None, cached_statements=0)
        self.inputs: set = set()
        polyfills.register(con)
        self.rng = random.Random(0)
        # random() and randomblob() follow the run's seed, not SQLite's own generator,
        # which is seeded once per process and would make a run depend on earlier runs.
        con.create_function("random", 0, lambda: self.rng.getrandbits(64) - (1 << 63))
        con.create_function("randomblob", 1, self._randomblob)
        con.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_LENGTH)
        con.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        con.set_progress_handler(self._progress, STEP)
        # Sorts and temporary tables stay in memory (bounded by the memory limit),
        # never in files: the guest's file system is not scratch space.
        con.execute("PRAGMA temp_store = MEMORY")
        self.con = con
        self.steps = 0
        self.max_calls = UNBOUNDED  # the run's step budget, in progress calls
        self.statement = 0  # the index of the statement running, for the steps notes
        self.guarding = False

    def _randomblob(self, n: object) -> bytes:
        size = n if isinstance(n, int) and n > 0 else 1
        if size > MAX_LENGTH:
            raise ValueError("string or blob too big")
        return self.rng.randbytes(size)

    def _progress(self) -> int:
        self.steps += 1
        if self.steps % NOTE_EVERY == 0:
            os.write(2, b"steps %d %d\n" % (self.steps * STEP, self.statement))
        # Over budget: SQLite stops the statement cleanly (SQLITE_INTERRUPT) and the guest lives on.
        return 1 if self.steps >= self.max_calls else 0

    def _authorize(self, action: int, arg1: object, arg2: object, db: object, _trigger: object) -> int:
        if not self.guarding:
            return sqlite3.SQLITE_OK
        if action in (ATTACH, DETACH, TRANSACTION, SAVEPOINT):
            return sqlite3.SQLITE_DENY
        if action == PRAGMA and arg2 is not None:
            return sqlite3.SQLITE_DENY  # reading a pragma is fine; setting one is not
        if action == FUNCTION and str(arg2).lower() == "load_extension":
            return sqlite3.SQLITE_DENY
        if action == ALTER_TABLE:
            db, arg1 = arg1, arg2  # ALTER TABLE reports (database, table), unlike the others
        if action in WRITES and db == "main":
            table = str(arg1 if action not in (CREATE_INDEX, DROP_INDEX, CREATE_TRIGGER) else arg2)
            if table.lower() in self.inputs:
                return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    def open(self, path: str) -> dict:
        """Load the world's tables: the database image the host built from its files.

        Copied page by page with the backup API rather than read whole and
        deserialized: one copy in memory instead of two at the peak."""
        if os.path.getsize(path):  # a world without data files has no tables and an empty image
            source = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
            try:
                source.backup(self.con, pages=0)
            finally:
                source.close()
        self.inputs = {name.lower() for (name,) in self.con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {"opened": len(self.inputs)}

    def run(self, request: dict) -> dict:
        self.rng.seed(request["seed"])
        self.steps = 0
        self.max_calls = max(1, -(-request["max_steps"] // STEP))
        reply: dict = {"columns": None, "rows": [], "total": 0, "changed": None, "error": None}
        con = self.con
        con.execute("SAVEPOINT run")
        con.set_authorizer(self._authorize)
        self.guarding = True
        try:
            for index, sql in enumerate(request["statements"]):
                self.statement = index
                try:
                    cursor = con.execute(sql)
                    if cursor.description is not None:
                        reply["columns"] = [d[0] for d in cursor.description]
                        reply["rows"], reply["total"] = _fetch(cursor, request["max_rows"],
                                                               request["max_bytes"])
                        reply["changed"] = None
                    else:
                        reply["changed"] = cursor.rowcount if cursor.rowcount >= 0 else None
                except (sqlite3.Error, OverflowError, ValueError, MemoryError) as err:
                    reply["error"] = {"index": index, "message": str(err),
                                      "name": getattr(err, "sqlite_errorname", type(err).__name__)}
                    if self.steps >= self.max_calls:
                        reply["error"]["name"] = "BUDGET"
                        reply["plan"] = self._plan(sql)
                    break
        finally:
            self.max_calls = UNBOUNDED  # rolling back must never be interrupted
            self.guarding = False
            con.set_authorizer(None)
            con.execute("ROLLBACK TO run")
            con.execute("RELEASE run")
        reply["steps"] = self.steps
        return reply

    def _plan(self, sql: str) -> list:
        """``EXPLAIN QUERY PLAN`` rows (id, parent, detail) of ``sql``, or [] if it has none."""
        steps, self.max_calls = self.steps, UNBOUNDED  # explaining is cheap and not the run's work
        try:
            return [list(row[:2]) + [row[3]] for row in self.con.execute("EXPLAIN QUERY PLAN " + sql)]
        except sqlite3.Error:
            return []
        finally:
            self.steps = steps


def _fetch(cursor: sqlite3.Cursor, max_rows: int, max_bytes: int) -> tuple[list, int]:
    """The first rows that fit ``max_rows`` and about ``max_bytes``, and the count of all rows."""
    rows, total, size = [], 0, 0
    for row in cursor:
        total += 1
        if len(rows) < max_rows and size < max_bytes:
            cells = [_cell(v) for v in row]
            size += len(json.dumps(cells)) + 1
            if size < max_bytes:
                rows.append(cells)
    return rows, total


def _cell(value: object) -> object:
    if isinstance(value, bytes):
        return {"blob": value.hex()}
    return value


def read_frame() -> dict | None:
    data = b""
    while b"\n" not in data:
        chunk = os.read(0, 1 << 16)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\n")
    size = int(head)
    while len(body) < size:
        chunk = os.read(0, size - len(body))
        if not chunk:
            return None
        body += chunk
    return json.loads(body)


def write_frame(value: dict) -> None:
    body = json.dumps(value, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")
    data = b"%d\n%s" % (len(body), body)
    while data:
        data = data[os.write(1, data):]


def main() -> None:
    guest = Guest()
    while (request := read_frame()) is not None:
        write_frame(guest.open("/" + request["open"]) if "open" in request else guest.run(request))


main()
