"""report.html: one self-contained page, checked as written and in a real headless Chromium.

Two episodes are played for real (the fixit agent, full and raw diagnostics); two more are traces
of an API agent written here: one with a claim no call backs (flagged by ``bench.traces.claims``),
a change outside its turn, an ``ask`` and an unknown event, agent-written ``<script>`` and a 100 KB
tool output; the other ended in an error and its trace is missing.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import sys
import zlib
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from bench.harness import report_html
from bench.harness.agents.offline import FixitAgent
from bench.harness.episode import Arm, run_episode
from bench.harness.report import write_report
from bench.harness.tasks import TASKS, load
from bench.traces.claims import annotate

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SCREENSHOT = ROOT / "build" / "test-artifacts" / "report-html.png"
INJECTED = '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">'
BIG = "".join(f"row {i:06d}\n" for i in range(10_000))  # 110,000 characters of tool output


def _api_row(task: str, completion: float, trace: str, **extra: Any) -> dict[str, Any]:
    return {"task": task, "world": "sales", "level": "easy", "agent": "openai", "model": "gpt-x",
            "lang": "js", "diagnostics": "full", "tools": "all", "turn_budget": 4, "repeat": 0, "seed": 0,
            "fault": None,
            "mode": "loop", "completion": completion, "success": completion == 1.0, "turns": 2, "calls": 1,
            "runs": 1, "tool_errors": 0, "codes": [], "last_codes": [], "completion_by_turn": [completion],
            "stop": "turns", "error": None, "trace": trace, **extra}


def _api_trace() -> list[dict[str, Any]]:
    events = [
        {"type": "episode", "task": "sales_by_month", "world": "sales", "agent": "openai", "model": "gpt-x",
         "arm": {"lang": "js", "diagnostics": "full", "tools": "all", "turns": 4, "mode": "loop"}},
        {"type": "ask", "turn": 0, "plan": "read sales.csv, group by month"},
        {"type": "message", "turn": 0, "role": "user", "content": f"Group the sales by month. {INJECTED}"},
        {"type": "message", "turn": 1, "role": "assistant", "content": "",
         "tool_calls": [{"id": "c1", "name": "run",
                         "arguments": {"path": "answer.js", "content": INJECTED}}]},
        {"type": "tool_result", "turn": 1, "role": "tool", "id": "c1", "name": "run", "content": BIG,
         "ok": True, "receipt": "ab" * 32, "changed": [], "diagnostics": []},
        {"type": "outside", "turn": 1, "by": "a person", "paths": ["sales.csv"], "text": "edited by hand"},
        {"type": "mystery", "turn": 2, "what": "an event type this page has never seen"},
        {"type": "message", "turn": 2, "role": "assistant", "content": f"All tests pass. {INJECTED}"},
        {"type": "score", "turn": 2, "completion": 0.5, "checks": {"columns": 1.0, "values": 0.0}},
    ]
    odd = {"type": "message", "turn": 2, "role": "assistant", "content": [{"type": "text", "text": "hi"}],
           "tool_calls": "not a list"}  # drawn field by field, not as a message, and no error
    return [*annotate(events), odd]  # the real claim checker adds its flag after the last message


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "out"
    task = load(TASKS / "sales_revenue_by_region")
    rows = [asdict(run_episode(task, Arm("sql", diagnostics), FixitAgent(), out=out, fault="column-typo"))
            for diagnostics in ("full", "raw")]
    trace = out / "traces" / "api.jsonl"
    trace.write_text("".join(json.dumps(e) + "\n" for e in _api_trace()) + "not json\n", encoding="utf-8")
    rows.append(_api_row("sales_by_month", 0.5, "traces/api.jsonl"))
    rows.append(_api_row("sales_by_month", 0.0, "traces/gone.jsonl", stop="error", error="API timed out",
                         repeat=1))
    (out / "episodes.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(report_html, "PACK_EPISODES", 2)  # two packs, so opening reaches into each
        write_report(out)
    return out


# --- the file --------------------------------------------------------------------------------


def transcripts(page: str) -> list[dict[str, Any]]:
    """The episodes' transcripts as the page's script inflates them."""
    packs = re.findall(r'<script type="application/x-transcripts" class="pack" data-first="(\d+)">'
                       r"([^<]*)</script>", page)
    out: list[dict[str, Any]] = []
    for first, text in packs:
        assert int(first) == len(out)
        out += json.loads(zlib.decompress(base64.b64decode(text)))
    return out



def test_page_is_self_contained_and_escaped(out: Path) -> None:
    page = (out / "report.html").read_text(encoding="utf-8")
    shown = json.dumps(transcripts(page), ensure_ascii=False)
    assert "window.__pwned" in shown and "window.__pwned" not in page  # the text is there, as data
    # Our script and one inert pack of transcripts, and nothing else, is a script.
    assert page.count("<script") == 3 and page.count('<script type="application/x-transcripts"') == 2
    assert "http://" not in page and "https://" not in page and "src=\"data:image/png;base64," in page
    assert "default-src 'none'" in page
    assert "[… 104,000 characters cut …]" in shown and len(page) < 400_000
    assert [len(t["events"]) for t in transcripts(page)][:2] == [12, 0]  # sales_by_month sorts first
    report_md = (out / "report.md").read_text(encoding="utf-8")
    arms = next(line for line in report_md.splitlines() if line.startswith("| A1 |"))
    assert "<td>" + "</td><td>".join(c.strip() for c in arms.strip("|").split("|")) + "</td>" in page


def test_same_episodes_give_the_same_bytes(out: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_html, "PACK_EPISODES", 2)
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    (copy / "report.html").unlink()
    write_report(copy)
    write_report(copy)
    assert (copy / "report.html").read_bytes() == (out / "report.html").read_bytes()


def test_a_trace_outside_the_directory_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jsonl"
    secret.write_text('{"type": "message", "content": "the secret"}\n', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "episodes.jsonl").write_text(json.dumps(_api_row("t", 1.0, "../secret.jsonl")) + "\n")
    write_report(out)
    [shown] = transcripts((out / "report.html").read_text(encoding="utf-8"))
    assert shown == {"events": [],
                     "note": "trace ../secret.jsonl is outside the report's directory, so not shown"}


def test_odd_rows_and_trace_names_become_notes(tmp_path: Path) -> None:
    (tmp_path / "traces" / "dir.jsonl").mkdir(parents=True)
    rows = [_api_row("t", 0.5, "traces/a\x00b", turns="many"), _api_row("t", 0.5, "traces/dir.jsonl"),
            _api_row("t", 0.5, "")]
    (tmp_path / "episodes.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    write_report(tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    notes = sorted(t["note"] for t in transcripts(page))
    assert notes[0].startswith("this episode names no trace") and "many turns" in page
    assert all(n.startswith("trace traces/") and "cannot be read" in n for n in notes[1:]), notes


def test_no_episodes_still_gives_a_page(tmp_path: Path) -> None:
    write_report(tmp_path)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "does not exist" in page and 'id="episodes"' not in page


def test_the_cli_writes_the_page(tmp_path: Path) -> None:
    (tmp_path / "episodes.jsonl").write_text(json.dumps(_api_row("t", 1.0, "traces/none.jsonl")) + "\n")
    proc = subprocess.run([sys.executable, "-m", "bench.report", str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    [shown] = transcripts((tmp_path / "report.html").read_text(encoding="utf-8"))
    assert shown["note"] == "trace traces/none.jsonl not found"


# --- in a browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Any:
    if not CHROMIUM.is_file():
        pytest.skip("needs Debian's Chromium at /usr/bin/chromium: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("needs the playwright package: pip install playwright (no browser download needed)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


def test_the_page_in_chromium(out: Path, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.on("request", lambda r: requests.append(r.url))
    url = (out / "report.html").as_uri()
    page.goto(url, wait_until="load")

    def visible() -> int:
        return int(page.locator("details.ep:not([hidden])").count())

    def count() -> str:
        return str(page.text_content("#f-count"))

    def open_(episode: Any) -> None:  # the transcript is drawn on the toggle event, after the click
        episode.locator("summary").click()
        episode.locator(".body[data-state=drawn]").wait_for()

    assert visible() == 4 and count() == "4 of 4 episodes"
    assert page.locator("h2#arms + p + div table tbody tr").count() == 3  # three arms
    page.select_option("#f-outcome", "success")
    assert visible() == 1 and count() == "1 of 4 episodes"
    page.select_option("#f-outcome", "")
    page.select_option("#f-task", "sales_by_month")
    assert visible() == 2
    page.select_option("#f-outcome", "error")
    assert visible() == 1
    page.select_option("#f-outcome", "")
    page.select_option("#f-task", "")
    page.select_option("#f-arm", "A1")  # fixit · sql · full (arms sort by agent first)
    assert visible() == 1 and page.locator("details.ep:not([hidden]) .out").text_content() == "success"
    page.select_option("#f-arm", "")
    page.select_option("#f-marks", "flag")
    assert visible() == 1 and page.locator("details.ep:not([hidden]) .badge.flag").text_content() == "1 flag"
    page.select_option("#f-marks", "outside")
    assert visible() == 1
    page.select_option("#f-marks", "")
    assert visible() == 4

    # A real fixit episode: the tool's text exactly as the model saw it, and its diagnostic.
    fixit = page.locator("details.ep", has_text="fixit · sql · full")
    open_(fixit)
    failed = fixit.locator(".ev.tool.failed").first
    trace = next((out / "traces").glob("*sql-full*fixit*"))
    seen = next(e for e in map(json.loads, trace.read_text().splitlines())
                if e["type"] == "tool_result" and not e["ok"])
    assert failed.locator("pre").first.text_content() == seen["content"]
    assert failed.locator(".diags .sev-error").text_content() == "error[SQL2005]"
    assert "= fix (applicable)" in str(failed.locator(".diags").text_content())

    # The API episode: the flag and the outside change highlighted, agent text inert, unknowns shown.
    api = page.locator("details.ep", has_text="0.500")
    open_(api)
    flag = api.locator(".ev.flag")
    assert flag.count() == 1 and "All tests pass." in str(flag.text_content())
    assert "no command ran a test" in str(flag.text_content())
    assert flag.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 244, 214)"
    assert "sales.csv" in str(api.locator(".ev.outside").text_content())
    assert "mystery" in str(api.locator(".ev.other", has_text="mystery").text_content())
    assert api.locator(".ev.error", has_text="line 12 of the trace cannot be read").count() == 1
    assert api.locator(".ev.other", has_text="not a list").count() == 1
    assert api.locator(".cutmark").text_content() == "[… 104,000 characters cut …]"
    assert INJECTED in str(api.locator(".ev.user pre").text_content())
    assert page.evaluate("window.__pwned") is None
    assert page.locator("main img").count() == page.locator("figure img").count()  # no injected image

    gone = page.locator("details.ep[data-outcome=error]")
    open_(gone)
    assert "trace traces/gone.jsonl not found" in str(gone.locator(".note").text_content())

    flag.scroll_into_view_if_needed()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert problems == [] and requests == [url]
    page.close()
