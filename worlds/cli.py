"""The ``worlds`` command.

Exit status: 0 the program ran and succeeded, 1 the program failed (its
diagnostics are printed), 2 a usage error (bad arguments, no such world).
No Python traceback reaches the user: host errors become one-line messages.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import catalog, languages
from ._text import size
from .diagnostics import lookup, render_all
from .errors import WorldsError
from .progress import progress
from .world import World

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad command-line input; exits with status 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="worlds", description="Run code in tiny deterministic worlds.")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run a program in a world",
                         description="Run FILE (or -c CODE) in WORLD: a directory, or a bundled "
                                     f"world ({', '.join(catalog.names())}). No WORLD: an empty world.")
    run.add_argument("args", nargs="*", metavar="[WORLD] FILE")
    run.add_argument("-c", "--code", help="program text to run instead of a file")
    run.add_argument("--lang", default=None, choices=languages.names(),
                     help="language (default: from the file's extension, else js)")
    run.add_argument("--json", action="store_true", help="print the result as JSON")

    check = sub.add_parser("check", help="check a program without running it",
                           description="Static diagnostics for FILE (or -c CODE) against WORLD.")
    check.add_argument("args", nargs="*", metavar="[WORLD] FILE")
    check.add_argument("-c", "--code", help="program text to check instead of a file")
    check.add_argument("--lang", default=None, choices=languages.names(),
                       help="language (default: from the file's extension, else js)")
    check.add_argument("--json", action="store_true", help="print the diagnostics as JSON")

    describe = sub.add_parser("describe", help="print a world's card")
    describe.add_argument("world", nargs="?", default=None)
    describe.add_argument("--lang", default=None, choices=languages.names(),
                          help="only what this language needs (default: everything)")

    serve = sub.add_parser(
        "serve", help="serve worlds over MCP (stdio, or HTTP) and an HTTP JSON API",
        description="Serve WORLDs (directories or bundled names; none: every bundled world). "
                    "MCP on stdin/stdout by default; with --http, MCP at /mcp and the JSON API at /v1.")
    serve.add_argument("worlds", nargs="*", metavar="WORLD")
    serve.add_argument("--http", metavar="HOST:PORT", default=None,
                       help="serve HTTP on this address (default host 127.0.0.1, port 8765)")
    serve.add_argument("--data", metavar="DIR", default=None,
                       help="where sessions are kept (default: $WORLDS_DATA_DIR or ~/.local/share/worlds)")
    serve.add_argument("--token", default=None,
                       help="require 'Authorization: Bearer TOKEN' over HTTP (default: $WORLDS_TOKEN)")
    serve.add_argument("--idle", metavar="SECONDS", type=float, default=None,
                       help="delete a session unused this long (default: 86400)")
    serve.add_argument("--workers", metavar="N", type=int, default=None,
                       help="processes running programs (default: one per core)")
    serve.add_argument("--connect", metavar="NAME=COMMAND", action="append", default=[],
                       help="start the MCP server COMMAND and give programs its tools as NAME.tool(...) "
                            "(code mode); repeat for more servers")
    serve.add_argument("--approve", metavar="NAME", action="append", default=[],
                       help="a host function (such as crm.refund) whose calls wait for a person's "
                            "approval: POST /v1/sessions/ID/approve or /deny; repeat for more")

    explain = sub.add_parser("explain", help="explain a diagnostic code")
    explain.add_argument("code")
    return p


def _world(name: str | None) -> World:
    if name is None:
        return World(name="empty")
    if Path(name).is_dir():
        return World.from_dir(name)
    if name in catalog.names():
        return catalog.load(name)
    raise UsageError(f"no world {name!r}: give a directory or one of {', '.join(catalog.names())}")


def _inside(file: Path, world: str) -> str | None:
    """``file``'s path inside the world directory ``world``, if it lies there."""
    try:
        return file.resolve().relative_to(Path(world).resolve()).as_posix()
    except (ValueError, OSError):
        return None


def _run(ns: argparse.Namespace) -> int:
    args = list(ns.args)
    if ns.code is not None:
        if len(args) > 1:
            raise UsageError("with -c, give at most a WORLD")
        world, code, lang = _world(args[0] if args else None), ns.code, ns.lang or "js"
        _load(world, lang)
        with progress(f"running ({lang})"):
            result = world.run(code, lang)
    else:
        if not args or len(args) > 2:
            raise UsageError("give FILE, or WORLD FILE, or -c CODE")
        file = Path(args[-1])
        world = _world(args[0] if len(args) == 2 else None)
        session = world.session()
        inside = _inside(file, args[0]) if len(args) == 2 else None
        _load(world, ns.lang or _by_name(file.name))
        if inside is not None and inside in world.files:
            with progress("running"):
                result = session.run(inside, lang=ns.lang)  # a program that is part of the world
        else:
            try:
                text = file.read_text()
            except (OSError, UnicodeDecodeError) as err:
                raise UsageError(f"cannot read {file}: {getattr(err, 'strerror', None) or err}") from None
            session.write(file.name, text)
            with progress("running"):
                result = session.run(file.name, lang=ns.lang)
    if ns.json:
        print(json.dumps(result.to_json(timing=True), indent=2, ensure_ascii=False))
    else:
        print(result.render(color=sys.stdout.isatty()))
    return EXIT_OK if result.ok else EXIT_FAILED


def _load(world: World, lang: str) -> None:
    """Load a SQL world's tables up front, so loading a big file shows as its own step."""
    if languages.get(lang).card_tables:
        with progress(f"loading tables ({size(world.input_bytes)} of input)"):
            world.schema()


def _by_name(path: str) -> str:
    """The language a file's name says; js when it says none."""
    found = languages.by_extension(path)
    return found.name if found else "js"


def _program(ns: argparse.Namespace) -> tuple[World, str, str]:
    """The world, the program's name and its text, from `[WORLD] FILE` or `[WORLD] -c CODE`."""
    args = list(ns.args)
    if ns.code is not None:
        if len(args) > 1:
            raise UsageError("with -c, give at most a WORLD")
        return _world(args[0] if args else None), "<code>", ns.code
    if not args or len(args) > 2:
        raise UsageError("give FILE, or WORLD FILE, or -c CODE")
    file = Path(args[-1])
    try:
        text = file.read_text()
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read {file}: {getattr(err, 'strerror', None) or err}") from None
    return _world(args[0] if len(args) == 2 else None), file.name, text


def _check(ns: argparse.Namespace) -> int:
    world, name, text = _program(ns)
    diagnostics = world.check(text, ns.lang or _by_name(name), file=name)
    if ns.json:
        print(json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False))
    elif diagnostics:
        print(render_all(diagnostics, {name: text}, color=sys.stdout.isatty()))
    else:
        print("no problems found")
    return EXIT_FAILED if any(d.severity == "error" for d in diagnostics) else EXIT_OK


def _serve(ns: argparse.Namespace) -> int:
    from . import serve

    if ns.idle is not None and not 0 < ns.idle < float("inf"):
        raise UsageError("--idle takes a positive number of seconds")
    if ns.workers is not None and ns.workers < 1:
        raise UsageError("--workers takes a positive number")
    if ns.http is not None:
        try:
            serve.parse_address(ns.http)
        except ValueError as err:
            raise UsageError(str(err)) from None
    connect = {}
    for item in ns.connect:
        name, eq, command = item.partition("=")
        if not eq or not name.strip() or not command.strip():
            raise UsageError(f"--connect takes NAME=COMMAND, such as crm='python server.py', not {item!r}")
        connect[name.strip()] = command.strip()
    worlds = [_world(name) for name in ns.worlds] or [catalog.load(n) for n in catalog.names()]
    if connect or ns.approve:  # every served world gets them, beside what its world.toml says
        worlds = [World(**{**w.spec(), "connect": {**w.connect, **connect},
                           "approve": {**w.approve, **{n: f"{n} needs approval" for n in ns.approve}}})
                  for w in worlds]
    names = [w.name for w in worlds]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UsageError(f"two worlds are named {twice[0]!r}; give each a unique name in its world.toml")
    token = ns.token or os.environ.get("WORLDS_TOKEN") or None
    try:
        serve.serve(worlds, data_dir=ns.data or serve.default_data_dir(), http=ns.http, token=token,
                    idle_s=ns.idle or serve.DEFAULT_IDLE_S, workers=ns.workers)
    except (serve.StoreError, serve.ServeError) as err:
        raise UsageError(str(err)) from None
    return EXIT_OK


def _explain(code: str) -> int:
    languages.all_languages()  # a language package registers its own codes when it loads
    entry = lookup(code)
    if entry is None:
        raise UsageError(f"no diagnostic code {code!r}; codes look like JS1002 or RUN1001")
    print(entry.explain())
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        ns = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if ns.command == "run":
            return _run(ns)
        if ns.command == "check":
            return _check(ns)
        if ns.command == "serve":
            return _serve(ns)
        if ns.command == "describe":
            print(_world(ns.world).describe(ns.lang))
            return EXIT_OK
        return _explain(ns.code)
    except (UsageError, WorldsError) as err:
        print(f"worlds: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
