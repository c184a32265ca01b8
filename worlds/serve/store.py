"""Sessions on disk: an embedded SQLite database under the server's data directory.

One row per session, one row per workspace file, one row per history entry,
one row per MCP binding (a connection's default session in a world), and,
for a session that more than one actor changed, its log of changes made
outside each one's calls (:mod:`worlds.outside`)::

    sessions (id PK, world, created, touched)
    files    (session, path) PK -> content BLOB
    history  (session, seq)  PK -> entry JSON
    bindings (key, world)    PK -> session
    outside  (session)       PK -> log JSON

Every change a request makes is committed in one transaction before the
request is answered, so a server killed at any moment keeps every file and
history entry it acknowledged. The journal is WAL with ``synchronous=NORMAL``:
a commit survives the process dying (it is in the WAL file before the
answer goes out); only a power cut can lose the last few.

``touched`` (the last use, for idle expiry) is the one field written lazily:
reads mark a session used in memory and :meth:`Store.touch` writes them in
batches, so reading a file costs no disk write.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
DB_NAME = "sessions.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id      TEXT PRIMARY KEY,
    world   TEXT NOT NULL,
    created REAL NOT NULL,
    touched REAL NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_touched ON sessions (touched);
CREATE TABLE IF NOT EXISTS files (
    session TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    path    TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (session, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history (
    session TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    entry   TEXT NOT NULL,
    PRIMARY KEY (session, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bindings (
    key     TEXT NOT NULL,
    world   TEXT NOT NULL,
    session TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    PRIMARY KEY (key, world)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outside (
    session TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
    log     TEXT NOT NULL
) WITHOUT ROWID;
"""


class StoreError(Exception):
    """The data directory cannot hold the session database."""


@dataclass
class Stored:
    """A session as read back from disk."""

    id: str
    world: str
    created: float
    touched: float
    files: dict[str, bytes]
    history: list[dict[str, Any]]
    outside: dict[str, Any] | None = None  # the log of changes outside each actor's calls


class Store:
    """The session database. Not thread-safe: the server uses it from its event loop only."""

    def __init__(self, data_dir: str | Path) -> None:
        root = Path(data_dir).expanduser()
        try:
            root.mkdir(parents=True, exist_ok=True)
            _state_key(root)
            self.path = root / DB_NAME
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as err:
            raise StoreError(f"cannot open the session database in {root}: {err}") from None
        db = self._db
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA busy_timeout = 10000")  # several stdio servers may share one directory
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path} was written by a newer worlds (schema {version}); "
                                 "use another --data directory")
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as err:
            raise StoreError(f"{self.path} is not a usable session database: {err}") from None

    def close(self) -> None:
        self._db.close()

    # -- sessions -----------------------------------------------------------------

    def create(self, session: str, world: str, now: float, *, bind: tuple[str, str] | None = None) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", (session, world, now, now))
            if bind is not None:
                db.execute("INSERT OR REPLACE INTO bindings VALUES (?, ?, ?)", (*bind, session))

    def load(self, session: str) -> Stored | None:
        row = self._db.execute("SELECT world, created, touched FROM sessions WHERE id = ?",
                               (session,)).fetchone()
        if row is None:
            return None
        files = dict(self._db.execute("SELECT path, content FROM files WHERE session = ?", (session,)))
        history = [json.loads(e) for (e,) in self._db.execute(
            "SELECT entry FROM history WHERE session = ? ORDER BY seq", (session,))]
        log = self._db.execute("SELECT log FROM outside WHERE session = ?", (session,)).fetchone()
        outside = None if log is None else json.loads(log[0])
        return Stored(session, row[0], row[1], row[2], files, history, outside)

    def save(self, session: str, now: float, *, files: Mapping[str, bytes | None] = {},
             history: Iterable[tuple[int, dict[str, Any]]] = (), outside: str | None = None) -> None:
        """Write changed files (``None`` deletes one), new history entries and the log of outside
        changes (JSON, when it changed), in one transaction."""
        with self._tx() as db:
            if outside is not None:
                db.execute("INSERT OR REPLACE INTO outside VALUES (?, ?)", (session, outside))
            db.execute("UPDATE sessions SET touched = ? WHERE id = ?", (now, session))
            for path, content in files.items():
                if content is None:
                    db.execute("DELETE FROM files WHERE session = ? AND path = ?", (session, path))
                else:
                    db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", (session, path, content))
            db.executemany("INSERT OR REPLACE INTO history VALUES (?, ?, ?)",
                           [(session, seq, json.dumps(entry, ensure_ascii=True)) for seq, entry in history])

    def touch(self, used: Mapping[str, float]) -> None:
        if used:
            with self._tx() as db:
                db.executemany("UPDATE sessions SET touched = ? WHERE id = ?",
                               [(t, s) for s, t in used.items()])

    def delete(self, session: str) -> bool:
        with self._tx() as db:
            return db.execute("DELETE FROM sessions WHERE id = ?", (session,)).rowcount > 0

    def expire(self, before: float) -> list[str]:
        """Delete every session last used before ``before``; their ids."""
        with self._tx() as db:
            gone = [s for (s,) in db.execute("SELECT id FROM sessions WHERE touched < ?", (before,))]
            db.execute("DELETE FROM sessions WHERE touched < ?", (before,))
        return gone

    # -- MCP bindings -------------------------------------------------------------

    def bound(self, key: str, world: str) -> str | None:
        row = self._db.execute("SELECT session FROM bindings WHERE key = ? AND world = ?",
                               (key, world)).fetchone()
        return None if row is None else str(row[0])

    def _tx(self) -> _Transaction:
        return _Transaction(self._db)


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (or ``ROLLBACK`` on an exception)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> sqlite3.Connection:
        self._db.execute("BEGIN IMMEDIATE")
        return self._db

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        self._db.execute("ROLLBACK" if kind is not None else "COMMIT")


def _state_key(root: Path) -> None:
    """Sign suspended runs with a key kept beside the sessions (``WORLDS_STATE_KEY`` if set), so the
    worker processes, which inherit it, and a restarted server can all resume them."""
    if os.environ.get("WORLDS_STATE_KEY"):
        return
    path = root / "state.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # made before, by this server or another on the same data
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32))
    os.environ["WORLDS_STATE_KEY"] = path.read_text().strip()
