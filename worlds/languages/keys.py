"""The keys of a world's data: every name a program may read from a record.

CSV and TSV headers, and the keys of JSON and JSON Lines records at any
depth. Checkers use them to tell a key of the data from a misspelt name
(`row.seq` is a column, not a slip for `set`). Read once per world and
workspace data, from each file's first :data:`KEY_SAMPLE` records.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .sql.schema import is_data_file

if TYPE_CHECKING:
    from ..world import World

#: Records read per file for its keys: enough for every key of a uniform export.
KEY_SAMPLE = 5_000

_cache: dict[str, frozenset[str]] = {}


def data_keys(files: Mapping[str, bytes], digest: str | None = None) -> frozenset[str]:
    """Every key of the records in the data files of ``files`` (``digest`` names them, for the cache)."""
    data = {p: d for p, d in files.items() if is_data_file(p)}
    if digest is None:
        digest = hashlib.sha256(b"".join(p.encode() + b"\0" + hashlib.sha256(d).digest()
                                         for p, d in sorted(data.items()))).hexdigest()
    found = _cache.get(digest)
    if found is None:
        if len(_cache) >= 8:
            _cache.pop(next(iter(_cache)))
        found = _cache[digest] = _read(data)
    return found


def world_keys(world: World, workspace: Mapping[str, bytes]) -> frozenset[str]:
    """The keys of a world's data files and of the data files in ``workspace``."""
    extra = {p: d for p, d in workspace.items() if is_data_file(p)}
    return data_keys({**world.files, **extra}) if extra else data_keys(world.files, world.digest())


def _read(files: Mapping[str, bytes]) -> frozenset[str]:
    keys: set[str] = set()
    for path, data in files.items():
        lower = path.lower()
        text = data.decode("utf-8-sig", errors="replace")
        try:
            if lower.endswith((".csv", ".tsv")):
                sep = "\t" if lower.endswith(".tsv") else ","
                header = csv.reader(io.StringIO(text[:65536]), delimiter=sep)
                keys.update(next(header, []))
            elif lower.endswith(".json"):
                _walk(json.loads(text), keys)
            else:
                for line in text.splitlines()[:KEY_SAMPLE]:
                    if line.strip():
                        _walk(json.loads(line), keys)
        except (ValueError, RecursionError, csv.Error):
            continue  # a file that does not parse has no keys to offer; running it says why
    return frozenset(keys)


def _walk(value: Any, keys: set[str]) -> None:
    stack, seen = [value], 0
    while stack and seen < 50 * KEY_SAMPLE:
        item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            keys.update(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item[:KEY_SAMPLE])
