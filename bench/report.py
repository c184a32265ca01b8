"""``python -m bench.report OUT``: write OUT/report.md from OUT/episodes.jsonl."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.harness.report import ReportError, write_report


def main(argv: list[str] | None = None) -> int:
    """Write the report; exit status 2 with a one-line error on bad input."""
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("out", type=Path, help="the bench's output directory (holds episodes.jsonl)")
    args = parser.parse_args(argv)
    try:
        report = write_report(args.out)
    except ReportError as e:
        print(f"bench.report: error: {e}", file=sys.stderr)
        return 2
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
