"""A suspended run as bytes: what it takes to continue it, in this process or another.

Runs are deterministic, so a suspended run is not a memory image: it is the
program, the world it ran in (by digest), its limits and the tape of the
calls answered so far. Resuming runs the program again; the tape answers its
first calls without touching the host, so it reaches the same state, and the
supplied answer lets it go on. The bytes are compressed JSON behind an
HMAC-SHA256 tag, so a forged or truncated state is refused rather than
trusted (a state holds the answers the program will believe). The key is the
world's ``state_key``, else ``WORLDS_STATE_KEY``, else one made for this
process (then only this process can resume).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import zlib
from typing import Any

from ..errors import SessionError

MAGIC = b"worlds-suspended-1\n"
_TAG = 32
_PROCESS_KEY = secrets.token_bytes(32)


def key(configured: bytes | str | None) -> bytes:
    """The key states are signed with (see the module's docstring)."""
    chosen = configured if configured is not None else os.environ.get("WORLDS_STATE_KEY")
    if chosen is None:
        return _PROCESS_KEY
    raw = chosen.encode() if isinstance(chosen, str) else bytes(chosen)
    return hashlib.sha256(b"worlds.state" + raw).digest()


def pack(record: dict[str, Any], secret: bytes) -> bytes:
    # Keys keep their order: the tape's values reach the resumed program exactly as they were.
    body = zlib.compress(json.dumps(record, separators=(",", ":")).encode(), 9)
    return MAGIC + body + hmac.new(secret, MAGIC + body, hashlib.sha256).digest()


def unpack(blob: bytes, secret: bytes) -> dict[str, Any]:
    """The record of a state made by :func:`pack` with the same key; anything else is refused."""
    if not isinstance(blob, bytes | bytearray | memoryview):
        raise SessionError("a suspended state is bytes (RunResult.suspended_state), "
                           f"not {type(blob).__name__}")
    blob = bytes(blob)
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _TAG:
        raise SessionError("not a suspended state of worlds (it does not start as RunResult.suspended_state "
                           "does, or it was cut short)")
    body, tag = blob[len(MAGIC):-_TAG], blob[-_TAG:]
    if not hmac.compare_digest(tag, hmac.new(secret, MAGIC + body, hashlib.sha256).digest()):
        raise SessionError("the suspended state was changed, cut, or signed with another key: refused. "
                           "To resume in another process, give both the same World(state_key=...) "
                           "or WORLDS_STATE_KEY")
    try:
        record = json.loads(zlib.decompress(body))
    except (zlib.error, ValueError) as err:
        raise SessionError(f"the suspended state cannot be read ({err})") from None
    if not isinstance(record, dict):
        raise SessionError("the suspended state cannot be read")
    return record
