"""The bench report: ``OUT/episodes.jsonl`` -> ``OUT/report.md`` plus PNG charts, and
``OUT/report.html`` (``report_html``: the same text and charts, every episode's transcript).

Output is deterministic (sorted groups, no timestamps, PNGs without
metadata) so two reports of the same episodes are byte-identical.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .metrics import Row, arm_label, group_by_arm, mean, succeeded, summarize, summarize_arms
from .report_html import render_html

TOP_CODES = 15


class ReportError(Exception):
    """A problem with the input that the CLI reports in one line (exit status 2)."""


# --- input ----------------------------------------------------------------------------------


def load_episodes(path: Path) -> list[dict[str, Any]]:
    """The episodes of a JSONL file; blank lines are skipped, bad lines raise ReportError."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise ReportError(f"{path}: line {number}: malformed JSON ({e.msg})") from None
            if not isinstance(row, dict):
                raise ReportError(f"{path}: line {number}: expected a JSON object")
            if "task" not in row or not isinstance(row.get("completion"), int | float):
                raise ReportError(f"{path}: line {number}: needs 'task' and a numeric 'completion'")
            rows.append(row)
    return rows


# --- formatting -----------------------------------------------------------------------------


def _f(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f}%"


def _cost(x: float | None) -> str:
    return "–" if x is None else f"${x:.4f}"


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    def cell(v: Any) -> str:
        return str(v).replace("|", "\\|")

    lines = ["| " + " | ".join(map(cell, headers)) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(map(cell, r)) + " |" for r in rows]
    return lines + [""]


def _image(name: str, alt: str) -> list[str]:
    return [f"![{alt}]({name})", ""]


def _codes(row: Row, key: str) -> list[str]:
    value = row.get(key)
    return [str(c) for c in value] if isinstance(value, list) else []


# --- derived series -------------------------------------------------------------------------


def completion_curve(rows: Sequence[Row], turns: int) -> list[float]:
    """Mean completion after turns 1..``turns``; a finished episode keeps its last value."""
    series = []
    for row in rows:
        values = [float(v) for v in row.get("completion_by_turn") or []]
        # An episode with no per-turn record still has a final score; it stands for every turn.
        values = values or [float(row.get("completion") or 0.0)]
        series.append(values + [values[-1]] * (turns - len(values)))
    return [sum(s[t] for s in series) / len(series) for t in range(turns)]


def codes_before_failure(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Codes in ``last_codes`` of failed episodes, most frequent first (top 15).

    Each code counts once per episode. ``seen``/``seen_succeeded`` say how many
    episodes had the code anywhere in ``codes`` and how many of those still
    succeeded.
    """
    failed = [r for r in rows if not succeeded(r)]
    last = Counter(code for r in failed for code in set(_codes(r, "last_codes")))
    top = sorted(last.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CODES]
    out = []
    for code, count in top:
        saw = [r for r in rows if code in _codes(r, "codes") or code in _codes(r, "last_codes")]
        out.append({
            "code": code,
            "failures": count,
            "share": count / len(failed),
            "seen": len(saw),
            "seen_succeeded": sum(succeeded(r) for r in saw),
        })
    return out


def _fault(row: Row) -> str:
    return str(row.get("fault") or "none")


def fixit_by_fault(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """For fixit episodes: per (fault, lang) — lang "all" first — full vs raw diagnostics."""
    fixit = [r for r in rows if r.get("agent") in ("fixit", "replay-fixit")]  # played, or played again
    out = []
    for fault in sorted({_fault(r) for r in fixit}):
        mine = [r for r in fixit if _fault(r) == fault]
        langs = sorted({str(r.get("lang")) for r in mine})
        for lang in ["all", *langs]:
            subset = [r for r in mine if lang == "all" or str(r.get("lang")) == lang]
            entry: dict[str, Any] = {"fault": fault, "lang": lang}
            for diag in ("full", "raw"):
                cell = [r for r in subset if r.get("diagnostics") == diag]
                entry[diag] = {
                    "n": len(cell),
                    "completion": mean(float(r["completion"]) for r in cell),
                    "success": mean(float(succeeded(r)) for r in cell),
                }
            out.append(entry)
    return out


# --- charts ---------------------------------------------------------------------------------


def _save(out: Path, name: str, draw: Callable[[Any], None], size: tuple[float, float]) -> str:
    """Draw on a fresh figure with default style and save a metadata-free PNG."""
    import matplotlib as mpl
    import matplotlib.style
    from matplotlib.figure import Figure

    # The default style ignores any local matplotlibrc, so every machine draws the same figure.
    with mpl.style.context("default"), mpl.rc_context({"svg.hashsalt": "worlds-bench"}):
        fig = Figure(figsize=size, dpi=100)
        draw(fig)
        fig.tight_layout()
        fig.savefig(out / name, format="png", metadata={"Software": None})
    return name


def _integer_ticks() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _chart_by_arm(arms: list[dict[str, Any]]) -> Callable[[Any], None]:
    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        ys = list(range(len(arms)))
        ax.barh([y - 0.2 for y in ys], [a["mean_completion"] for a in arms], 0.4, label="mean completion")
        ax.barh([y + 0.2 for y in ys], [a["success_rate"] for a in arms], 0.4, label="success rate")
        ax.set_yticks(ys, [a["label"] for a in arms], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_title("Completion by arm")
        ax.legend(loc="lower right", fontsize=8)

    return draw


def _chart_by_turn(curves: list[tuple[str, list[float]]]) -> Callable[[Any], None]:
    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        for label, curve in curves:
            ax.plot(range(1, len(curve) + 1), curve, marker="o", markersize=3, label=label)
        ax.set_xlabel("turn")
        ax.xaxis.set_major_locator(_integer_ticks())
        ax.set_ylabel("mean completion")
        ax.set_ylim(0, 1.05)
        ax.set_title("Completion after turn t (finished episodes carry their last value)")
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1)

    return draw


def _chart_codes(codes: list[dict[str, Any]]) -> Callable[[Any], None]:
    def draw(fig: Any) -> None:
        ax = fig.add_subplot()
        ax.barh([c["code"] for c in codes], [c["failures"] for c in codes], color="tab:red")
        ax.invert_yaxis()
        ax.set_xlabel("failed episodes whose last failing run had the code")
        ax.xaxis.set_major_locator(_integer_ticks())
        ax.set_title("Diagnostic codes before failure")

    return draw


def _chart_fixit(table: list[dict[str, Any]]) -> Callable[[Any], None]:
    rows = [e for e in table if e["lang"] == "all"]

    def draw(fig: Any) -> None:
        xs = list(range(len(rows)))
        for i, (metric, title) in enumerate((("completion", "mean completion"), ("success", "success rate"))):
            ax = fig.add_subplot(1, 2, i + 1)
            for offset, diag in ((-0.2, "full"), (0.2, "raw")):
                ax.bar([x + offset for x in xs], [e[diag][metric] or 0.0 for e in rows], 0.4, label=diag)
            ax.set_xticks(xs, [e["fault"] for e in rows], rotation=30, ha="right", fontsize=8)
            ax.set_xlim(-0.8, len(rows) - 0.2)  # keeps a lone fault's bars from filling the axes
            ax.set_ylim(0, 1)
            ax.set_title(f"fixit: {title} by fault")
            ax.legend(fontsize=8)

    return draw


# --- sections -------------------------------------------------------------------------------


def _header(rows: list[dict[str, Any]], arms: list[dict[str, Any]]) -> list[str]:
    def listed(key: str) -> str:
        return ", ".join(sorted({str(r.get(key)) for r in rows}))

    stops = Counter(str(r.get("stop")) for r in rows)
    return [
        "# Bench report",
        "",
        f"- episodes: {len(rows)}",
        f"- agents: {listed('agent')}",
        f"- models: {listed('model')}",
        f"- arms: {len(arms)}",
        f"- tasks: {len({r.get('task') for r in rows})}",
        f"- worlds: {listed('world')}; levels: {listed('level')}",
        f"- successes: {sum(succeeded(r) for r in rows)} of {len(rows)}",
        "- stops: " + ", ".join(f"{k} {v}" for k, v in sorted(stops.items())),
        "",
    ]


def _arm_section(arms: list[dict[str, Any]], png: str) -> list[str]:
    headers = ["id", "arm", "tasks", "episodes", "mean completion", "success rate", "pass@1", "k",
               "pass@k", "pass^k", "mean turns", "mean tool calls", "mean runs", "mean tool errors",
               "tokens in", "tokens out", "cost"]
    body = [
        [f"A{i}", a["label"], a["tasks"], a["episodes"], _f(a["mean_completion"]), _pct(a["success_rate"]),
         _f(a["pass_at_1"]), a["k"], _f(a["pass_at_k"]), _f(a["pass_hat_k"]),
         _f(a["mean_turns"], 1), _f(a["mean_calls"], 1), _f(a["mean_runs"], 1), _f(a["mean_tool_errors"], 1),
         a["input_tokens"], a["output_tokens"], _cost(a["cost"])]
        for i, a in enumerate(arms, start=1)
    ]
    note = ("Rates are means over the arm's tasks. pass@k / pass^k use k = the fewest repeats of any of "
            "the arm's tasks (– when there is a single repeat).")
    return ["## Arms", "", note, "", *_table(headers, body), *_image(png, "mean completion by arm")]


def _task_section(rows: list[dict[str, Any]], arms: list[dict[str, Any]]) -> list[str]:
    cells = {(t["label"], t["task"]): t for t in summarize(rows)}
    tasks = sorted({(str(r.get("task")), str(r.get("world")), str(r.get("level"))) for r in rows})
    body = []
    for task, world, level in tasks:
        line: list[Any] = [task, world, level]
        for a in arms:
            t = cells.get((a["label"], task))
            line.append("–" if t is None else f"{_f(t['mean_completion'])} ({t['successes']}/{t['n']})")
        body.append(line)
    headers = ["task", "world", "level", *(f"A{i}" for i in range(1, len(arms) + 1))]
    return ["## Tasks", "", "Mean completion (successes/episodes) per task and arm; arm ids as above.", "",
            *_table(headers, body)]


def _codes_section(rows: list[dict[str, Any]], out: Path) -> list[str]:
    codes = codes_before_failure(rows)
    lines = ["## Diagnostic codes before failure", ""]
    if not codes:
        return lines + ["No failed episode recorded a diagnostic code.", ""]
    png = _save(out, "codes_before_failure.png", _chart_codes(codes), (8, 1.5 + 0.35 * len(codes)))
    body = [[c["code"], c["failures"], _pct(c["share"]), c["seen"],
             f"{c['seen_succeeded']}/{c['seen']} ({_pct(c['seen_succeeded'] / c['seen'])})"] for c in codes]
    headers = ["code", "failed episodes ending with it", "share of failures", "episodes that saw it",
               "of those, succeeded"]
    return lines + _table(headers, body) + _image(png, "codes before failure")


def _fixit_section(rows: list[dict[str, Any]], out: Path) -> list[str]:
    table = fixit_by_fault(rows)
    if not table:
        return []
    png = _save(out, "fixit_by_fault.png", _chart_fixit(table), (10, 4.5))
    body = [[e["fault"], e["lang"],
             e["full"]["n"], _f(e["full"]["completion"]), _pct(e["full"]["success"]),
             e["raw"]["n"], _f(e["raw"]["completion"]), _pct(e["raw"]["success"])] for e in table]
    headers = ["fault", "lang", "full n", "full completion", "full success", "raw n", "raw completion",
               "raw success"]
    return ["## Fixit: full vs raw diagnostics", "",
            "Seeded fault kinds; lang \"all\" pools the languages.", "",
            *_table(headers, body), *_image(png, "fixit by fault")]


def outside_changes(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """For episodes with a world fault (the host changed an input between turns): per agent,
    language ("all" first) and diagnostics, how the answer the agent last ran stood to the change."""
    played = [r for r in rows if r.get("outside")]
    out = []
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in played:
        agent = f"{row.get('agent')}/{row['model']}" if row.get("model") else str(row.get("agent"))
        groups.setdefault((agent, str(row.get("diagnostics"))), []).append(row)
    for (agent, diagnostics), mine in sorted(groups.items()):
        for lang in ["all", *sorted({str(r.get("lang")) for r in mine})]:
            cell = [r for r in mine if lang == "all" or str(r.get("lang")) == lang]
            counts = Counter(str(r["outside"]) for r in cell)
            changed = len(cell) - counts["no-site"]
            out.append({"agent": agent, "diagnostics": diagnostics, "lang": lang, "episodes": len(cell),
                        "changed": changed, "seen": counts["seen"], "stale": counts["stale"],
                        "wrong": counts["wrong"], "seen_rate": counts["seen"] / changed if changed else None})
    return out


def _outside_section(rows: list[dict[str, Any]]) -> list[str]:
    table = outside_changes(rows)
    if not table:
        return []
    body = [[t["agent"], t["diagnostics"], t["lang"], t["episodes"], t["changed"], t["seen"], t["stale"],
             t["wrong"], _pct(t["seen_rate"])] for t in table]
    return ["## Changes outside the agent's calls", "",
            "After the first turn the host removed rows of an input the answer reads. Seen: the answer "
            "as the agent last ran it is the changed world's; stale: it is the world's before the change. "
            "With full diagnostics the agent's next tool answer begins with the change; raw shows none, "
            "as a plain engine would, so the difference between the two is what being told does. "
            "Changed: episodes where some input's change changed the answer.", "",
            *_table(["agent", "diagnostics", "lang", "episodes", "changed", "seen", "stale", "wrong",
                     "seen rate"], body), ""]


def _judge_section(rows: list[dict[str, Any]]) -> list[str]:
    judged = [r for r in rows if isinstance(r.get("judge"), dict)]
    graded = [r for r in judged if isinstance(r["judge"].get("quality"), int | float)]
    if not judged:
        return []
    errors = len(judged) - len(graded)
    lines = ["## Judge", "", f"- judged episodes: {len(graded)} (judge errors: {errors})",
             f"- mean quality: {_f(mean(float(r['judge']['quality']) for r in graded))} (1..5)", ""]
    per_arm = [[label, len(g), _f(mean(float(r["judge"]["quality"]) for r in g))]
               for label, g in ((arm_label(a), g) for a, g in group_by_arm(graded).items())]
    modes = Counter(str(r["judge"].get("failure_mode") or "none") for r in graded)
    by_count = sorted(modes.items(), key=lambda kv: (-kv[1], kv[0]))
    return (lines + ["Mean quality per arm:", "", *_table(["arm", "judged", "mean quality"], per_arm)]
            + ["Failure modes:", "", *_table(["failure mode", "episodes"], by_count)])


def _deaths_section(rows: list[dict[str, Any]]) -> list[str]:
    """Episodes whose Ray worker died under them (``--executor ray``): retried once, failed on a second."""
    keys = ("task", "agent", "lang", "diagnostics", "fault", "repeat")
    hit = sorted((r for r in rows if r.get("worker_deaths")),
                 key=lambda r: tuple(str(r.get(k)) for k in keys))
    if not hit:
        return []
    body = [[*(r.get(k) if r.get(k) is not None else "–" for k in keys), r["worker_deaths"],
             f"failed: {r.get('error')}" if r.get("stop") == "error" else "played again"] for r in hit]
    return ["## Worker deaths", "",
            "Episodes whose Ray worker died while playing them: each is played again once on a fresh worker; "
            "a second death makes it a failed episode.", "",
            *_table([*keys, "deaths", "outcome"], body)]


def _curves(rows: list[dict[str, Any]]) -> list[tuple[str, list[float]]]:
    groups = group_by_arm(rows)
    turns = max((len(r.get("completion_by_turn") or []) for r in rows), default=0) or 1
    return [(arm_label(arm), completion_curve(g, turns)) for arm, g in groups.items()]


def lift(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per agent and language, when both modes ran: one-shot success, loop success (full
    diagnostics, every tool), the loop's lift, and what a loop success costs in tool calls and tokens."""
    groups: dict[tuple[Any, ...], dict[str, list[Row]]] = {}
    for row in rows:
        oneshot = row.get("mode") == "oneshot"
        if not oneshot and (row.get("diagnostics"), row.get("tools")) != ("full", "all"):
            continue
        key = (row.get("agent"), row.get("model"), row.get("lang"))
        groups.setdefault(key, {"oneshot": [], "loop": []})["oneshot" if oneshot else "loop"].append(row)
    table = []
    for (agent, model, lang), modes in sorted(groups.items(), key=lambda item: tuple(map(str, item[0]))):
        once, loop = modes["oneshot"], modes["loop"]
        if not once or not loop:
            continue
        won = [r for r in loop if succeeded(r)]
        rate_once = sum(map(succeeded, once)) / len(once)
        rate_loop = len(won) / len(loop)
        table.append({
            "arm": f"{agent}/{model}" if model else str(agent), "lang": lang, "oneshot_episodes": len(once),
            "oneshot_success": rate_once, "loop_episodes": len(loop), "loop_success": rate_loop,
            "lift": rate_loop - rate_once,
            "calls_per_success": sum(int(r.get("calls") or 0) for r in loop) / len(won) if won else None,
            "tokens_per_success": (sum(int(r.get("input_tokens") or 0) + int(r.get("output_tokens") or 0)
                                       for r in loop) / len(won)) if won else None})
    return table


def _lift_section(rows: list[dict[str, Any]]) -> list[str]:
    table = lift(rows)
    if not table:
        return []
    body = [[t["arm"], t["lang"], f"{_pct(t['oneshot_success'])} of {t['oneshot_episodes']}",
             f"{_pct(t['loop_success'])} of {t['loop_episodes']}", f"{t['lift'] * 100:+.0f} pts",
             _f(t["calls_per_success"], 1), _f(t["tokens_per_success"], 0)] for t in table]
    return ["## One shot and the loop", "",
            "One shot: the goal and the world card, one reply, nothing run. The loop: every tool, full "
            "diagnostics. Lift: what running, reading and fixing add; calls and tokens are the loop's, "
            "over its successes.", "",
            *_table(["agent", "lang", "one-shot success", "loop success", "lift", "tool calls per success",
                     "tokens per success"], body), ""]


def _asked(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if isinstance(r.get("ask"), dict) and r["ask"].get("asked")]


def _means(rows: Sequence[Row], key: str) -> float | None:
    return mean(float(r["ask"][key]) for r in rows if isinstance(r["ask"].get(key), int | float | bool))


def stated_vs_done(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per arm, for episodes played with ``--ask``: the stated plans against the trajectories.

    Means over episodes of the per-episode figures of ``stated.compare`` (each itself a mean
    over that episode's answered asks); ``None`` where no episode has the figure.
    """
    table = []
    for arm, group in group_by_arm(_asked(rows)).items():
        answered = [r for r in group if r["ask"].get("answered")]
        agreed = [r["ask"]["agreement"] for r in answered if isinstance(r["ask"].get("agreement"), dict)]
        table.append({
            "arm": arm_label(arm), "episodes": len(group),
            "asks": sum(int(r["ask"]["asked"]) for r in group),
            "answered": sum(int(r["ask"]["answered"]) for r in group),
            **{key: _means(answered, key) for key in (
                "language_kept", "planned_inspect_first", "inspected_first", "planned_run", "ran",
                "steps_stated", "calls", "followed", "pitfalls_stated", "pitfalls_hit", "anticipated")},
            "agreement": {k: mean(float(a[k]) for a in agreed) for k in ("language", "steps", "pitfalls")}
            if agreed else None,
            "ask_tokens": sum(int(r.get("ask_input_tokens") or 0) + int(r.get("ask_output_tokens") or 0)
                              for r in group),
            "ask_cost": sum(float(r["ask_cost"]) for r in group if isinstance(r.get("ask_cost"), int | float))
            if any(isinstance(r.get("ask_cost"), int | float) for r in group) else None})
    return table


def pitfall_topics(rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Per topic (``stated.TOPICS``): episodes whose plans named it, that hit it, and both."""
    answered = [r for r in _asked(rows) if r["ask"].get("answered")]
    out = []
    named = [{t for p in r["ask"].get("plans") or [] for t in p["pitfall_topics"]} for r in answered]
    met = [set(r["ask"].get("problem_topics") or []) for r in answered]
    for topic in sorted(set().union(*named, *met)):
        stated = {i for i, ts in enumerate(named) if topic in ts}
        hit = {i for i, ts in enumerate(met) if topic in ts}
        out.append({"topic": topic, "stated": len(stated), "hit": len(hit), "both": len(stated & hit)})
    return sorted(out, key=lambda t: (-t["hit"], -t["stated"], t["topic"]))


def _ask_section(rows: list[dict[str, Any]]) -> list[str]:
    table = stated_vs_done(rows)
    if not table:
        return []

    def pair(planned: float | None, done: float | None) -> str:
        return f"{_pct(planned)} / {_pct(done)}"

    body = [[t["arm"], t["episodes"], f"{t['answered']}/{t['asks']}", _pct(t["language_kept"]),
             pair(t["planned_inspect_first"], t["inspected_first"]), pair(t["planned_run"], t["ran"]),
             f"{_f(t['steps_stated'], 1)} / {_f(t['calls'], 1)}", _pct(t["followed"]),
             _f(t["pitfalls_stated"], 1), _pct(t["pitfalls_hit"]), _pct(t["anticipated"]),
             "–" if t["agreement"] is None else " / ".join(_pct(t["agreement"][k])
                                                           for k in ("language", "steps", "pitfalls")),
             t["ask_tokens"], _cost(t["ask_cost"])] for t in table]
    headers = ["arm", "episodes", "answered asks", "language kept", "inspect first: planned / done",
               "run: planned / done", "steps stated / tool calls", "planned kinds followed",
               "pitfalls stated", "pitfalls hit", "problems anticipated", "agreement: language / steps / "
               "pitfalls", "ask tokens", "ask cost"]
    topics = pitfall_topics(rows)
    note = ("Before each episode the agent was asked how it would do the task (`--ask N`). Language kept: "
            "the stated language is the arm's. Steps and tool calls get kinds by their words (inspect, "
            "write, run, verify, fix); a planned kind is followed when the trajectory has it. A pitfall "
            "is hit, and a problem anticipated, when the pitfall and a diagnostic of a failed call (or "
            "the final answer's problem) share a topic word; see `bench/harness/stated.py`. Agreement "
            "compares the N answers of an episode pairwise. Ask tokens are not in the arm's tokens.")
    lines = ["## Stated plan and trajectory", "", note, "", *_table(headers, body)]
    if topics:
        lines += ["Pitfall topics: episodes whose plans named the topic, that hit it, and both.", "",
                  *_table(["topic", "stated", "hit", "stated and hit"],
                          [[t["topic"], t["stated"], t["hit"], t["both"]] for t in topics])]
    return lines


# --- entry point ----------------------------------------------------------------------------


def render(rows: list[dict[str, Any]], out: Path) -> str:
    """The markdown for ``rows``, writing the charts into ``out`` as a side effect."""
    if not rows:
        return "# Bench report\n\nNo episodes: episodes.jsonl is empty, so there is nothing to report.\n"
    arms = summarize_arms(rows)
    arm_png = _save(out, "completion_by_arm.png", _chart_by_arm(arms), (10, 1.5 + 0.6 * len(arms)))
    curves = _curves(rows)
    turn_png = _save(out, "completion_by_turn.png", _chart_by_turn(curves), (10, 5 + 0.2 * len(curves)))
    lines = [
        *_header(rows, arms),
        *_arm_section(arms, arm_png),
        *_lift_section(rows),
        *_task_section(rows, arms),
        "## Completion by turn", "", *_image(turn_png, "mean completion after turn t"),
        *_codes_section(rows, out),
        *_fixit_section(rows, out),
        *_outside_section(rows),
        *_judge_section(rows),
        *_deaths_section(rows),
        *_ask_section(rows),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_report(out: Path) -> Path:
    """Read ``out/episodes.jsonl`` and write ``out/report.md`` (+ PNGs) and ``out/report.html``;
    returns report.md's path.

    Raises ReportError when ``out`` is not a directory or a line is malformed.
    A missing or empty episodes file gives a report that says so.
    """
    out = Path(out)
    if not out.is_dir():
        raise ReportError(f"{out}: no such directory")
    episodes = out / "episodes.jsonl"
    rows: list[dict[str, Any]] = []
    if episodes.is_file():
        try:
            rows = load_episodes(episodes)
        except (OSError, UnicodeDecodeError) as e:
            raise ReportError(f"{episodes}: cannot read ({e})") from None
        text = render(rows, out)
    else:
        text = f"# Bench report\n\nNo episodes: {episodes} does not exist, so there is nothing to report.\n"
    report = out / "report.md"
    report.write_text(text, encoding="utf-8")
    (out / "report.html").write_text(render_html(text, rows, out), encoding="utf-8")
    return report
