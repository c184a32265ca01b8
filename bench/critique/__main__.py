"""``python -m bench.critique DIR... --model M [--base-url URL] [--out FILE] [--batch N]``.

``--model files:DIR`` critiques by hand: the prompts are written to DIR as ``prompt-NNN.md``; put
each answer in ``answer-NNN.json`` and run the same command again.

DIR: a bench output folder (its ``traces/``), a folder of imported traces, or trace files. Writes
``critique.md`` (default: in the first DIR) and ``critique.json`` beside it. Exit status: 0 done, 2
bad input or a failed API call (one line on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import consistency, suggest
from .episodes import CritiqueError, load
from .model import FileModel, model_for
from .output import Critique, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.critique", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="+", type=Path, help="bench output folders, trace folders or files")
    parser.add_argument("--model", required=True,
                        help="an OpenAI-compatible model that critiques, or files:DIR to answer by hand")
    parser.add_argument("--base-url", help="its endpoint (default: OPENAI_BASE_URL, else OpenAI's)")
    parser.add_argument("--out", type=Path, help="the markdown file (default: DIR/critique.md)")
    parser.add_argument("--batch", type=int, default=1, help="episodes per call (default: 1)")
    parser.add_argument("--no-consistency", action="store_true", help="skip the judge of repeats")
    args = parser.parse_args(argv)
    try:
        md, data = run(args)
    except CritiqueError as err:
        print(f"bench.critique: error: {err}", file=sys.stderr)
        return 2
    print(f"{md}\n{data}")
    return 0


def run(args: argparse.Namespace) -> tuple[Path, Path]:
    if args.batch < 1:
        raise CritiqueError("--batch must be at least 1")
    episodes, problems = load(args.dirs)
    for line in problems:
        print(line, file=sys.stderr)
    if not episodes:
        raise CritiqueError(f"no traces under {', '.join(map(str, args.dirs))} (a trace's first line is "
                            "an episode header: pytest bench/ writes them to OUT/traces, bench.traces import "
                            "too)")
    model = model_for(args.model, args.base_url)
    found: list[suggest.Suggestion] = []
    rejected = []
    batches = suggest.batches(episodes, args.batch)
    for batch in batches:
        answer, text = model.ask(suggest.prompt(batch))
        kept, dropped = suggest.read(answer, text, batch)
        found += kept
        rejected += [{"episodes": [e.id for e in batch], **r} for r in dropped]
    groups = consistency.groups(episodes)
    if not args.no_consistency:
        for group in groups:
            group.judge = consistency.read(*model.ask(consistency.prompt(group)))
    if isinstance(model, FileModel) and model.missing:
        raise CritiqueError(f"{model.missing} of {model.calls} prompts in {model.folder} have no answer yet: "
                            "write each answer (one JSON object) to answer-NNN.json beside its "
                            "prompt-NNN.md and run this again")
    out = args.out or (args.dirs[0] if args.dirs[0].is_dir() else args.dirs[0].parent) / "critique.md"
    critique = Critique(args.model, episodes, len(batches), model.calls, model.usage, len(found),
                        suggest.merge(found), rejected, groups, problems)
    try:
        return write(critique, out)
    except OSError as err:
        raise CritiqueError(f"cannot write {out}: {err.strerror}") from None


if __name__ == "__main__":
    sys.exit(main())
