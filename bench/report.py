"""``python -m bench.report OUT``: write OUT/report.md and OUT/report.html from OUT/episodes.jsonl.

``python -m bench.report --trace TRACE.jsonl`` prints one episode's trace as a transcript.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.harness.report import ReportError, write_report
from bench.harness.transcript import render


def main(argv: list[str] | None = None) -> int:
    """Write the report; exit status 2 with a one-line error on bad input."""
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("out", type=Path, nargs="?",
                        help="the bench's output directory (holds episodes.jsonl)")
    parser.add_argument("--trace", type=Path, help="print this trace as a transcript instead")
    args = parser.parse_args(argv)
    if args.trace is not None:
        try:
            print(render(args.trace), end="")
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"bench.report: error: cannot read trace {args.trace}: {e}", file=sys.stderr)
            return 2
        return 0
    if args.out is None:
        parser.error("give the output directory, or --trace FILE")
    try:
        report = write_report(args.out)
    except ReportError as e:
        print(f"bench.report: error: {e}", file=sys.stderr)
        return 2
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
