"""Every planned episode (see conftest.py): played, traced, scored; reference answers must score 1.0."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from bench.harness.episode import run_episode
from bench.harness.plan import Case


def test_episode(case: Case, out: Path, record_property) -> None:  # type: ignore[no-untyped-def]
    row = run_episode(case.task, case.arm, case.make_agent(), out=out, repeat=case.repeat, seed=case.seed,
                      fault=case.fault, model=case.model, ask=case.ask)
    if case.judge:
        from bench.harness.judge import judge
        trace = out / row.trace
        # The judge speaks OpenAI's API: it shares --base-url with an openai agent, else uses the environment.
        base_url = case.base_url if case.agent.startswith("openai:") else None
        row.judge = judge([json.loads(line) for line in trace.read_text().splitlines()], model=case.judge,
                          base_url=base_url)
        with trace.open("a") as f:
            f.write(json.dumps({"type": "judge", **row.judge}, sort_keys=True) + "\n")
    (out / "rows").mkdir(exist_ok=True)
    (out / "rows" / f"{case.id}.json").write_text(json.dumps(asdict(row), sort_keys=True))
    record_property("completion", row.completion)
    assert row.stop != "error", row.error
    if case.agent == "reference":
        assert row.completion == 1.0, f"the reference {case.arm.lang} solution scores {row.checks}"
