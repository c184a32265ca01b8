"""Episode metrics: pass@k, pass^k and per-task / per-arm summaries.

An *arm* is one configuration the bench compares: (agent, model, lang,
diagnostics, tools, turn_budget). Every (arm, task) pair is run ``n`` times
(repeats); the estimators below turn those ``n`` tries into probabilities.
Pure Python so it can be tested and used without the plotting stack.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from math import comb
from typing import Any

ARM_FIELDS = ("agent", "model", "lang", "diagnostics", "tools", "turn_budget", "mode")

Arm = tuple[Any, ...]
Row = Mapping[str, Any]


def _check(n: int, c: int, k: int) -> None:
    if n < 0 or c < 0 or c > n:
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if k < 1:
        raise ValueError(f"need k >= 1, got k={k}")


def pass_at_k(n: int, c: int, k: int) -> float | None:
    """P(at least one of k tries succeeds), unbiased from c successes in n tries.

    ``1 - C(n-c, k) / C(n, k)``; None when k > n (no estimate possible).
    """
    _check(n, c, k)
    if k > n:
        return None
    return 1.0 - comb(n - c, k) / comb(n, k)


def pass_hat_k(n: int, c: int, k: int) -> float | None:
    """pass^k: P(all of k tries succeed), ``C(c, k) / C(n, k)``; None when k > n."""
    _check(n, c, k)
    if k > n:
        return None
    return comb(c, k) / comb(n, k)


def arm_of(row: Row) -> Arm:
    """The arm an episode belongs to (missing fields count as None)."""
    return tuple(row.get(f) for f in ARM_FIELDS)


def arm_sort_key(arm: Arm) -> tuple[Any, ...]:
    """A total order on arms: None sorts first and never meets a str/int compare."""
    return tuple((v is not None, v if isinstance(v, int | float) else 0, str(v)) for v in arm)


def arm_label(arm: Arm) -> str:
    """A readable one-line name, e.g. ``openai/gpt-x · sql · full · tools=all · 8 turns``."""
    agent, model, lang, diagnostics, tools, budget, mode = arm
    who = f"{agent}/{model}" if model else str(agent)
    if mode == "oneshot":
        return f"{who} · {lang} · one shot"
    return f"{who} · {lang} · {diagnostics} · tools={tools} · {budget} turns"


def succeeded(row: Row) -> bool:
    """The episode's success flag, falling back to completion == 1 when absent."""
    flag = row.get("success")
    if isinstance(flag, bool):
        return flag
    return float(row.get("completion") or 0.0) >= 1.0


def mean(values: Iterable[float]) -> float | None:
    """The mean, or None for no values."""
    vals = list(values)
    return sum(vals) / len(vals) if vals else None


def _num(row: Row, key: str) -> float:
    value = row.get(key)
    return float(value) if isinstance(value, int | float) else 0.0


def _cost_sum(rows: list[Row]) -> float | None:
    # None means "no cost known", which differs from a known cost of 0 (e.g. a local model).
    costs = [float(r["cost"]) for r in rows if isinstance(r.get("cost"), int | float)]
    return sum(costs) if costs else None


def _usage(rows: list[Row]) -> dict[str, Any]:
    """Per-episode means and sums shared by task and arm summaries."""
    return {
        "mean_turns": mean(_num(r, "turns") for r in rows),
        "mean_calls": mean(_num(r, "calls") for r in rows),
        "mean_runs": mean(_num(r, "runs") for r in rows),
        "mean_tool_errors": mean(_num(r, "tool_errors") for r in rows),
        "input_tokens": int(sum(_num(r, "input_tokens") for r in rows)),
        "output_tokens": int(sum(_num(r, "output_tokens") for r in rows)),
        "cost": _cost_sum(rows),
    }


def group_by_arm(rows: Iterable[Row]) -> dict[Arm, list[Row]]:
    """Episodes per arm, arms in sorted order."""
    groups: dict[Arm, list[Row]] = {}
    for row in rows:
        groups.setdefault(arm_of(row), []).append(row)
    return {arm: groups[arm] for arm in sorted(groups, key=arm_sort_key)}


def _task_summary(arm: Arm, task: str, rows: list[Row]) -> dict[str, Any]:
    n = len(rows)
    c = sum(succeeded(r) for r in rows)
    ks = (1, n) if n > 1 else (1,)
    return {
        **dict(zip(ARM_FIELDS, arm, strict=True)),
        "arm": arm,
        "label": arm_label(arm),
        "task": task,
        "world": rows[0].get("world"),
        "level": rows[0].get("level"),
        "n": n,
        "successes": c,
        "mean_completion": mean(_num(r, "completion") for r in rows),
        "k": ks[-1],
        "pass_at": {k: pass_at_k(n, c, k) for k in ks},
        "pass_hat": {k: pass_hat_k(n, c, k) for k in ks},
        **_usage(rows),
    }


def summarize(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """One dict per (arm, task), sorted by arm then task.

    Keys: the arm fields, ``arm`` (tuple), ``label``, ``task``, ``world``,
    ``level``, ``n``, ``successes``, ``mean_completion``, ``k`` (n, or 1 when
    n == 1), ``pass_at`` / ``pass_hat`` ({1: .., n: ..}), ``mean_turns``, ``mean_calls``,
    ``mean_runs``, ``mean_tool_errors``, ``input_tokens``, ``output_tokens``
    and ``cost`` (sum, None when no episode reported one).
    """
    out: list[dict[str, Any]] = []
    for arm, arm_rows in group_by_arm(rows).items():
        by_task: dict[str, list[Row]] = {}
        for row in arm_rows:
            by_task.setdefault(str(row.get("task")), []).append(row)
        out.extend(_task_summary(arm, task, by_task[task]) for task in sorted(by_task))
    return out


def summarize_arms(rows: Iterable[Row]) -> list[dict[str, Any]]:
    """One dict per arm, sorted by arm.

    Rates are macro-averaged over tasks so a task run more often does not
    weigh more. ``k`` is the smallest repeat count over the arm's tasks, so
    ``pass_at_k`` / ``pass_hat_k`` (task means) are defined for every task;
    they are None when k == 1 (they would just repeat the success rate).
    """
    rows = list(rows)
    tasks = summarize(rows)
    out: list[dict[str, Any]] = []
    for arm, arm_rows in group_by_arm(rows).items():
        mine = [t for t in tasks if t["arm"] == arm]
        k = min(t["n"] for t in mine)
        repeated = k > 1
        out.append({
            **dict(zip(ARM_FIELDS, arm, strict=True)),
            "arm": arm,
            "label": arm_label(arm),
            "tasks": len(mine),
            "episodes": len(arm_rows),
            "mean_completion": mean(t["mean_completion"] for t in mine),
            "success_rate": mean(t["successes"] / t["n"] for t in mine),
            "pass_at_1": mean(t["pass_at"][1] for t in mine),
            "k": k,
            "pass_at_k": mean(pass_at_k(t["n"], t["successes"], k) for t in mine) if repeated else None,
            "pass_hat_k": mean(pass_hat_k(t["n"], t["successes"], k) for t in mine) if repeated else None,
            **_usage(arm_rows),
        })
    return out
