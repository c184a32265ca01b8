"""A world: input files plus rules (``now``, ``seed``, limits).

A world is immutable. ``world.run(code)`` runs a program against it and
returns a :class:`~worlds.result.RunResult`; nothing about the world changes.
``world.session()`` opens a workspace where written files persist.
"""

from __future__ import annotations

import hashlib
import secrets
import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from . import languages
from ._text import utf8, well_formed
from .card import describe
from .diagnostics import Diagnostic
from .errors import SessionError, WorldError
from .host import state
from .host.bridge import Bridge
from .host.functions import Functions, HostFunction
from .host.mcp import connect as mcp_connect
from .languages.js.layout import INLINE
from .languages.js.source import clean as clean_text
from .languages.sql.cache import load as load_tables
from .languages.sql.schema import Schema, is_data_file
from .limits import Limits
from .result import RunResult, receipt
from .sandbox.engines import artifacts
from .sandbox.vfs import NAME_MAX, PATH_MAX, split

if TYPE_CHECKING:
    from .session import Session

MANIFEST = "world.toml"
DEFAULT_NOW = "2024-01-01T00:00:00Z"
RESERVED = (".worlds", "fs", "path", "util", "node:fs", "node:path", "node:util", "<code>", "<cjs>")


class World:
    """Input files plus the rules a program runs under."""

    def __init__(
        self,
        files: Mapping[str, str | bytes] | None = None,
        *,
        now: str | datetime = DEFAULT_NOW,
        seed: int = 0,
        limits: Limits | Mapping[str, Any] | None = None,
        name: str = "world",
        description: str = "",
        functions: Mapping[str, Callable[..., Any] | HostFunction] | None = None,
        connect: Mapping[str, str | list[str]] | None = None,
        approve: Iterable[str] | Mapping[str, str] | None = None,
        state_key: bytes | str | None = None,
        root: str | Path | None = None,
    ) -> None:
        self.name = name
        # The host's API for JS-light programs: `crm.findCustomer(...)` (see worlds.host); `connect`
        # adds the tools of MCP servers, started here (code mode); `approve` names the functions
        # that wait for a person's approval (a run suspends at their calls).
        if connect is not None and not isinstance(connect, Mapping):
            raise WorldError('connect must be a table of NAME = "command that starts an MCP server"')
        self.connect = {str(k): v for k, v in (connect or {}).items()}
        self.approve = _approvals(approve)
        served: dict[str, Callable[..., Any] | HostFunction] = {}
        for space, command in sorted(self.connect.items()):
            served.update(mcp_connect(space, command, cwd=root))
        self.root = Path(root) if root is not None else None
        self.functions = Functions({**served, **(functions or {})}, approve=self.approve)
        self._state_key_given = state_key  # read when used: a server sets WORLDS_STATE_KEY after
        self._resumed: set[bytes] = set()
        self.description = description
        self.files: dict[str, bytes] = {}
        if files is not None and not isinstance(files, Mapping):
            raise WorldError(f"files must be a mapping of path to text or bytes, not {type(files).__name__}")
        for path, content in sorted((files or {}).items(), key=lambda item: str(item[0])):
            clean = _check_path(path)
            if isinstance(content, str):
                self.files[clean] = utf8(content)
            elif isinstance(content, bytes | bytearray | memoryview):
                self.files[clean] = bytes(content)
            else:
                raise WorldError(f"{path}: file contents must be text or bytes, not {type(content).__name__}")
        check_tree(self.files)
        self.now = _parse_now(now)
        if not isinstance(seed, int) or isinstance(seed, bool) or not -(2**63) <= seed < 2**63:
            raise WorldError(f"seed must be an integer that fits in 64 bits, not {seed!r}")
        self.seed = seed
        # Defaults scale with the inputs; limits given here are used as given.
        self.limits = _limits(Limits.for_inputs(self.input_bytes), limits, "limits")
        self._digest: str | None = None
        self._schemas: dict[str, Schema] = {}
        self._cards: dict[tuple[str | None, bool], str] = {}

    def spec(self) -> dict[str, Any]:
        """What rebuilds this world in another process (``World(**spec)``): its files and rules, and the
        MCP servers it connects to (their tools are connected again there). Python host functions
        do not travel; a world given them is rebuilt without them."""
        return {"files": self.files, "now": self.now_text, "seed": self.seed,
                "limits": self.limits.model_dump(), "name": self.name, "description": self.description,
                "connect": self.connect, "approve": self.approve,
                "root": str(self.root) if self.root is not None else None}

    @classmethod
    def from_dir(cls, path: str | Path) -> World:
        """Every file under ``path`` is an input; ``world.toml`` (if present) sets the rules."""
        root = Path(path)
        if not root.is_dir():
            raise WorldError(f"no world at {root}: not a directory")
        manifest: dict[str, Any] = {}
        if (root / MANIFEST).is_file():
            try:
                manifest = tomllib.loads((root / MANIFEST).read_text())
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
                raise WorldError(f"{root / MANIFEST}: {err}") from None
        unknown = set(manifest) - {"name", "description", "now", "seed", "limits", "connect", "approve"}
        if unknown:
            raise WorldError(f"{root / MANIFEST}: unknown keys {sorted(unknown)}; "
                             "allowed: name, description, now, seed, approve, [limits], [connect]")
        files = {p.relative_to(root).as_posix(): p.read_bytes()
                 for p in sorted(root.rglob("*")) if p.is_file() and p != root / MANIFEST
                 and not any(part.startswith(".") for part in p.relative_to(root).parts)}
        return cls(files, now=manifest.get("now", DEFAULT_NOW), seed=manifest.get("seed", 0),
                   limits=manifest.get("limits"), name=str(manifest.get("name", root.name)),
                   description=str(manifest.get("description", "")), connect=manifest.get("connect"),
                   approve=manifest.get("approve"), root=root)

    # -- running ------------------------------------------------------------------

    def run(self, code: str, lang: str = "js", *,
            limits: Limits | Mapping[str, Any] | None = None,
            tape: list[dict[str, Any]] | None = None) -> RunResult:
        """Run ``code`` against this world's files; the world itself never changes.

        ``tape``: the ``calls`` of an earlier run, to answer this run's host calls from
        instead of the host (a call it does not hold is an error).
        """
        if tape is not None and (not isinstance(tape, list) or not all(
                isinstance(e, dict) and isinstance(e.get("name"), str) and isinstance(e.get("args"), list)
                for e in tape)):
            raise WorldError("tape must be the calls of a run (RunResult.calls): a list of "
                             "{id, name, args, value or error}")
        return self._run(code=code, entry=None, lang=lang, workspace={}, limits=limits, tape=tape)

    def resume(self, suspended_state: bytes, answers: Mapping[str, Any], *,
               workspace: Mapping[str, bytes] | None = None) -> RunResult:
        """Continue a suspended run (``RunResult.suspended_state``, from this process or another):
        ``answers`` maps each pending call's id to its value (an exception instance is thrown at
        the call; ``RunResult.approve`` calls the host function instead)."""
        record = state.unpack(suspended_state, state.key(self._state_key_given))
        if record.get("world") != self.digest():
            raise SessionError("the suspended run belongs to another world (its files differ from this one)")
        if record.get("workspace") != workspace_digest(dict(workspace or {})):
            raise SessionError("the workspace changed since the run was suspended: run the program again")
        pending = {p["id"] for p in record["pending"]}
        unknown = sorted(set(answers) - pending)
        if unknown or not set(answers):
            raise SessionError(f"answer the pending call{'s' if len(pending) > 1 else ''} "
                               f"{', '.join(sorted(pending))}" + (f"; {', '.join(unknown)} is not pending"
                                                                  if unknown else ""))
        tag = bytes(suspended_state)[-32:]
        if tag in self._resumed:
            raise SessionError("this suspended run was already resumed; resume the state its resumed "
                               "run returned, if that one is suspended too")
        self._resumed.add(tag)
        return self._run(code=record["code"], entry=record["entry"], lang=record["lang"],
                         workspace=dict(workspace or {}), limits=record["limits"], raw=record["raw"],
                         tape=record["tape"], answers=answers, resumed=True)

    def _run(self, *, code: str | None, entry: str | None, lang: str,
             workspace: dict[str, bytes], limits: Limits | Mapping[str, Any] | None,
             raw: bool = False, tape: list[dict[str, Any]] | None = None,
             answers: Mapping[str, Any] | None = None, resumed: bool = False) -> RunResult:
        language = languages.get(lang)
        effective = _limits(self.limits, limits, "run limits")
        if code is not None:
            name, source = INLINE, clean_text(code)
        else:
            assert entry is not None
            name = entry
            source = (workspace.get(entry) or self.files.get(entry) or b"").decode(errors="replace")
        host = None
        if language.host_functions and (self.functions or tape is not None):
            # A resumed run replays its own tape and then goes on to the host; a given tape is all.
            host = Bridge(self.functions, effective, replay=tape, strict=tape is not None and not resumed,
                          answers=answers)
        result = language.run(self, source=source, name=name, code=code, entry=entry, workspace=workspace,
                              limits=effective, raw=raw, **({"host": host} if host is not None else {}))
        if host is not None:
            result.calls, result.pending = host.calls, host.pending
            if host.pending:
                answered = [c for c in host.calls if c["id"] not in {p["id"] for p in host.pending}]
                result.suspended_state = state.pack({
                    "world": self.digest(), "workspace": workspace_digest(workspace), "lang": language.name,
                    "code": code, "entry": entry, "raw": raw, "limits": effective.model_dump(),
                    "tape": answered, "pending": host.pending,
                    # Two suspensions of the same run are two things to resume once each; the state is
                    # not part of the receipt, so this does not touch determinism.
                    "nonce": secrets.token_hex(8)}, state.key(self._state_key_given))
                result._resumer = lambda blob, given: self.resume(blob, given, workspace=workspace)
        return self._sign(result, code, entry, language, workspace, effective)

    def schema(self, workspace: Mapping[str, bytes] | None = None) -> Schema:
        """The world's tables (its data files, and the workspace's when given), loaded once."""
        return self.tables(workspace)[0]

    def tables(self, workspace: Mapping[str, bytes] | None) -> tuple[Schema, bool]:
        """The tables, and whether this call loaded them."""
        extra = {p: d for p, d in (workspace or {}).items() if is_data_file(p)}
        files = {**self.files, **extra} if extra else self.files
        # Without workspace data the key is the world's own digest, computed once.
        key = workspace_digest(files) if extra else self.digest()
        found = self._schemas.get(key)
        if found is not None:
            return found, False
        if len(self._schemas) >= 8:
            self._schemas.pop(next(iter(self._schemas)))
        found = self._schemas[key] = load_tables(files)
        return found, True

    @property
    def now_ns(self) -> int:
        """The world's clock in nanoseconds since the epoch, as its guests read it."""
        return int(self.now.timestamp()) * 1_000_000_000 + self.now.microsecond * 1000

    def _sign(self, result: RunResult, code: str | None, entry: str | None, language: languages.Language,
              workspace: dict[str, bytes], effective: Limits) -> RunResult:
        program = code if code is not None else f"{entry}\n" + workspace_digest(workspace)
        result.stats.budget = getattr(effective, language.budget)
        result.receipt = receipt(
            engines={a.name: a.sha256 for a in artifacts().values()},
            inputs_digest=self.digest(), now=self.now_text, seed=self.seed,
            limits=effective.model_dump(), lang=language.name, code=program, result=result,
            functions=self.functions.digest() if self.functions else "")
        return result

    def check(self, code: str, lang: str = "js", *, file: str = "<code>") -> list[Diagnostic]:
        """Static diagnostics for ``code`` (named ``file`` in them), without running it.

        These are what ``run`` reports first; a program with an error among
        them does not start.
        """
        return languages.get(lang).check(self, code, file=file, workspace={}, inline=True)

    def session(self) -> Session:
        from .session import Session
        return Session(self)

    # -- describing ---------------------------------------------------------------

    @property
    def now_text(self) -> str:
        return self.now.strftime("%Y-%m-%dT%H:%M:%S") + (
            f".{self.now.microsecond:06d}" if self.now.microsecond else "") + "Z"

    @property
    def input_bytes(self) -> int:
        """The size of every input file together (the default limits scale with it)."""
        return sum(len(data) for data in self.files.values())

    def digest(self) -> str:
        """A sha256 over the input files (paths and bytes), computed once: a world is immutable."""
        if self._digest is None:
            self._digest = workspace_digest(self.files)
        return self._digest

    def describe(self, lang: str | None = None, *, profile: bool = False) -> str:
        """The agent-facing world card: files (with columns and samples), rules, the JS API
        and the SQL tables; ``lang`` ("js", "sql" or "prql") keeps only what that language needs;
        ``profile`` adds the full data profile of every table."""
        if lang is not None:
            languages.get(lang)  # an unknown name is an error that lists the known ones
        if (lang, profile) not in self._cards:  # a world is immutable: its card is written once
            self._cards[(lang, profile)] = describe(self, lang, profile=profile)
        return self._cards[(lang, profile)]

    def __repr__(self) -> str:
        return f"World({self.name!r}, {len(self.files)} files, now={self.now_text!r}, seed={self.seed})"


def _approvals(approve: Iterable[str] | Mapping[str, str] | None) -> dict[str, str]:
    """Functions that need approval, each with the reason a person is shown."""
    if approve is None:
        return {}
    if isinstance(approve, str) or not isinstance(approve, Iterable):
        raise WorldError('approve must list function names, such as ["crm.refund"]')
    if isinstance(approve, Mapping):
        return {str(k): str(v) for k, v in approve.items()}
    return {str(name): f"{name} needs approval" for name in approve}


def workspace_digest(files: Mapping[str, bytes]) -> str:
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.encode() + b"\0" + hashlib.sha256(files[path]).digest())
    return h.hexdigest()


def check_tree(files: Mapping[str, bytes]) -> None:
    """Refuse a set of paths where one name is both a file and a folder."""
    for path in files:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            prefix = "/".join(parts[:depth])
            if prefix in files:
                raise WorldError(f"{prefix!r} is a file, so {path!r} cannot be inside it")


def _check_path(path: str) -> str:
    if not isinstance(path, str):
        raise WorldError(f"file names must be strings, not {type(path).__name__}")
    if well_formed(path) != path:
        raise WorldError(f"bad file name {path!r}: it holds a lone surrogate, which no file name can")
    try:
        parts = split(path)
    except ValueError:
        raise WorldError(f"bad file name {path!r}: use a relative path without '..' or NUL") from None
    if path.startswith("/"):
        raise WorldError(f"bad file name {path!r}: paths are relative to the world's root")
    clean = "/".join(parts)
    if len(clean.encode()) > PATH_MAX or any(len(p.encode()) > NAME_MAX for p in parts):
        raise WorldError(f"file name too long: {path[:60]!r}...")
    if parts[0] in RESERVED:
        raise WorldError(f"file name {path!r} is reserved for the runtime; choose another name")
    return clean


def _parse_now(now: str | datetime) -> datetime:
    if isinstance(now, str):
        try:
            now = datetime.fromisoformat(now.replace("Z", "+00:00"))
        except ValueError:
            raise WorldError(f"now must be an ISO 8601 time such as {DEFAULT_NOW!r}, not {now!r}") from None
    if not isinstance(now, datetime):
        raise WorldError(f"now must be an ISO 8601 string or a datetime, not {type(now).__name__}")
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(UTC)


def _limits(base: Limits, overrides: Limits | Mapping[str, Any] | None, what: str) -> Limits:
    if overrides is not None and not isinstance(overrides, Limits | Mapping):
        raise WorldError(f"bad {what}: give a table of limits such as {{fuel = 1000000}}, "
                         f"not {type(overrides).__name__}")
    try:
        return base.merged(dict(overrides) if isinstance(overrides, Mapping) else overrides)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        raise WorldError(f"bad {what}: {problems}") from None
