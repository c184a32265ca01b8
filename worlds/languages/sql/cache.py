"""Loaded tables kept on disk, so a big world opens in a fraction of a second after the first time.

Loading a 1M-row CSV (parsing, typing every column, inserting) takes seconds;
every ``worlds run`` is a new process and would pay it again. The result of
:func:`.schema.load` is a pure function of the data files and of the loader's
code, so it is stored under a key made of both: the database image as it
was serialized, and the tables' descriptions as JSON. A cached world gives
the same bytes, so the same receipts, as a fresh load. Only worlds with at
least :data:`MIN_BYTES` of data are stored (small ones load in milliseconds),
and the oldest entries go once the cache holds more than :data:`MAX_BYTES`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ...sandbox.engines import artifacts, cache_dir
from . import csvload
from . import schema as tables
from .schema import Column, Schema, Table, is_data_file

MIN_BYTES = 1 << 20
MAX_BYTES = 2 << 30


@cache
def _loader_digest() -> str:
    """Names the loaders' code (the host's and the guest's): a change to how tables are
    read makes new entries."""
    digest = hashlib.sha256(Path(tables.__file__).read_bytes() + Path(csvload.__file__).read_bytes())
    digest.update(artifacts()[csvload.ENGINE].sha256.encode())
    return digest.hexdigest()


def load(files: Mapping[str, bytes]) -> Schema:
    """:func:`.schema.load`, from the disk cache when this data was loaded before."""
    data = {p: d for p, d in files.items() if is_data_file(p)}
    if sum(map(len, data.values())) < MIN_BYTES:
        return tables.load(data)
    key = hashlib.sha256(_loader_digest().encode())
    for path in sorted(data):
        key.update(path.encode() + b"\0" + hashlib.sha256(data[path]).digest())
    base = cache_dir() / "tables" / key.hexdigest()[:32]
    found = _read(base)
    if found is not None:
        return found
    loaded = tables.load(data)
    # Written beside the first run rather than before it (a 1M-row world's 44 MB take
    # a tenth of a second); the thread is not a daemon, so the process waits for it.
    writer = threading.Thread(target=_write, args=(base, loaded), name="worlds-table-cache")
    with _lock:
        _writers.append(writer)
    writer.start()
    return loaded


_writers: list[threading.Thread] = []
_lock = threading.Lock()


def flush() -> None:
    """Wait until every table loaded so far is on disk."""
    with _lock:
        writers, _writers[:] = list(_writers), []
    for writer in writers:
        writer.join()


def _read(base: Path) -> Schema | None:
    try:
        meta = json.loads(base.with_suffix(".json").read_text())
        database = base.with_suffix(".db").read_bytes()
    except (OSError, ValueError):
        return None
    if hashlib.sha256(database).hexdigest() != meta.get("sha256"):
        return None  # torn or damaged: load afresh
    with contextlib.suppress(OSError):
        os.utime(base.with_suffix(".json"))  # recently used: kept by _prune
    schema = Schema(problems=meta["problems"], database=database)
    for item in meta["tables"]:
        schema.tables[item["name"].lower()] = Table(
            item["name"], item["source"], tuple(Column(**c) for c in item["columns"]), item["rows"],
            tuple(tuple(row) for row in item["sample"]))
    return schema


def _write(base: Path, schema: Schema) -> None:
    meta: dict[str, Any] = {
        "sha256": hashlib.sha256(schema.database).hexdigest(), "problems": schema.problems,
        "tables": [{"name": t.name, "source": t.source, "rows": t.rows, "sample": [list(r) for r in t.sample],
                    "columns": [c.__dict__ for c in t.columns]} for t in schema.tables.values()]}
    try:
        base.parent.mkdir(parents=True, exist_ok=True)
        tag = f".{os.getpid()}.{threading.get_ident()}.tmp"
        for suffix, blob in ((".db", schema.database), (".json", json.dumps(meta).encode())):
            tmp = base.with_suffix(suffix + tag)
            tmp.write_bytes(blob)
            os.replace(tmp, base.with_suffix(suffix))  # atomic: a reader sees a whole file or none
        _prune(base.parent)
    except OSError:
        pass  # no writable cache: every process loads, which is slower but correct


def _prune(folder: Path) -> None:
    """Drop the least recently used entries beyond :data:`MAX_BYTES`."""
    entries = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    total = 0
    for meta in entries:
        size = meta.stat().st_size + (meta.with_suffix(".db").stat().st_size
                                      if meta.with_suffix(".db").exists() else 0)
        total += size
        if total > MAX_BYTES:
            meta.unlink(missing_ok=True)
            meta.with_suffix(".db").unlink(missing_ok=True)
