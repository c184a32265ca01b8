"""Every planned episode (see conftest.py): played, traced, scored; reference answers must score 1.0."""

from __future__ import annotations

from collections.abc import Callable

from bench.harness.plan import Case
from bench.harness.play import Row


def test_episode(case: Case, played: Callable[[Case], Row], record_property) -> None:  # type: ignore[no-untyped-def]
    row = played(case)
    record_property("completion", row["completion"])
    assert row["stop"] != "error", row["error"]
    if case.agent == "reference":
        assert row["completion"] == 1.0, f"the reference {case.arm.lang} solution scores {row['checks']}"
