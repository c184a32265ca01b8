"""``python -m bench.traces import|report|check``: see ``bench/traces/__init__.py``.

Exit status: 0 done (even when some lines could not be read: they are listed), 2 bad usage or
nothing could be read at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from . import claims, mine
from .importer import convert


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.traces", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="session files or folders to bench traces")
    imp.add_argument("paths", nargs="+", type=Path)
    imp.add_argument("--out", type=Path, required=True, help="the folder the traces go to")
    rep = sub.add_parser("report", help="mine folders of traces; writes and prints a markdown report")
    rep.add_argument("dirs", nargs="+", type=Path)
    rep.add_argument("--out", type=Path, help="the report's file (default: DIR/traces-report.md)")
    chk = sub.add_parser("check", help="add unsupported-claim flags to traces, in place")
    chk.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    try:
        return {"import": _import, "report": _report, "check": _check}[args.command](args)
    except OSError as e:
        print(f"bench.traces: error: {e.strerror or e}: {e.filename or ''}", file=sys.stderr)
        return 2
    except (KeyError, TypeError, ValueError, AttributeError) as e:  # a trace edited out of shape
        print(f"bench.traces: error: a trace is not in the bench's format ({type(e).__name__}: {e})",
              file=sys.stderr)
        return 2


def _files(paths: list[Path]) -> list[Path]:
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise FileNotFoundError(2, "no such file or folder", str(missing[0]))
    return sorted({f for p in paths for f in ([p] if p.is_file() else p.rglob("*.jsonl")) if f.is_file()})


def _import(args: argparse.Namespace) -> int:
    files = _files(args.paths)
    args.out.mkdir(parents=True, exist_ok=True)
    formats: Counter[str] = Counter()
    redacted: Counter[str] = Counter()
    problems: list[str] = []
    written = cut = flags = 0
    for f in files:
        result = convert(str(f), f.read_bytes())
        for line in result.problems:
            print(line, file=sys.stderr)
        problems += result.problems
        if result.format:
            formats[result.format] += 1
        for name, data in result.traces:
            (args.out / name).write_bytes(data)
        written += len(result.traces)
        redacted += result.redacted
        cut += result.cut
        flags += result.flags
    summary = [f"imported {written} traces from {len(files)} files into {args.out}"
               + (f" ({', '.join(f'{k} {n}' for k, n in sorted(formats.items()))})" if formats else ""),
               "redacted: " + (", ".join(f"{k} {n}" for k, n in sorted(redacted.items())) or "nothing"),
               f"tool outputs cut: {cut}; unsupported claims flagged: {flags}",
               f"lines or files not read: {len(problems)}", *[f"  {p}" for p in problems]]
    (args.out / "import-summary.txt").write_text("\n".join(summary) + "\n")
    print("\n".join(summary))
    return 0 if written or not files else 2


def _report(args: argparse.Namespace) -> int:
    traces, problems = mine.load(_files(args.dirs))
    for line in problems:
        print(line, file=sys.stderr)
    if not traces:
        print(f"bench.traces: error: no traces under {', '.join(map(str, args.dirs))}", file=sys.stderr)
        return 2
    text = mine.report(traces)
    out = args.out or (args.dirs[0] if args.dirs[0].is_dir() else args.dirs[0].parent) / "traces-report.md"
    out.write_text(text)
    print(text, end="")
    return 0


def _check(args: argparse.Namespace) -> int:
    traces, problems = mine.load(_files(args.paths))
    for line in problems:
        print(line, file=sys.stderr)
    total = 0
    for t in traces:
        events = [t.header, *claims.annotate(t.events), *([t.result] if t.result else [])]
        total += sum(1 for e in events if e.get("type") == "flag")
        Path(t.path).write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events))
    print(f"{total} unsupported claims flagged in {len(traces)} traces")
    return 0 if traces else 2


if __name__ == "__main__":
    sys.exit(main())
