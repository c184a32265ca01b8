"""bench.traces: agent sessions imported as bench traces, mined, and their claims checked."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from bench import report as bench_report
from bench.harness.agents.offline import ReferenceAgent
from bench.harness.episode import Arm, run_episode
from bench.harness.tasks import TASKS, load
from bench.traces import __main__ as cli
from bench.traces import claims, mine
from bench.traces.formats import MAX_OUTPUT, detect, read_lines
from bench.traces.importer import convert

SESSIONS = ROOT / "tests" / "fixtures" / "sessions"
SHOP = SESSIONS / "claude/-home-dev-shop/5f0c2a8e-1d3b-4c6a-9e7f-0a1b2c3d4e5f.jsonl"
SUBAGENT = SHOP.with_suffix("") / "subagents/agent-a1b2c3.jsonl"
OLD_CLAUDE = SESSIONS / "claude/-home-dev-tool/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0.jsonl"
CODEX = SESSIONS / "codex/2025/10/29/rollout-2025-10-29T00-59-38-019a2d7a-41c4-78b1-b7cc-a45d62a89cd5.jsonl"
CODEX_LEGACY = SESSIONS / "codex/2025/05/01/rollout-2025-05-01T08-00-00-legacy.jsonl"
PI3 = SESSIONS / "pi/--home-dev-app--/2025-12-03T14-00-00-000Z_1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b.jsonl"
PI1 = SESSIONS / "pi/--home-dev-old--/2024-12-03T14-00-00-000Z_0a1b2c3d.jsonl"
BIG = SESSIONS / "claude/-home-dev-big/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d.jsonl"
MINING = SESSIONS / "mining/3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f.jsonl"
CLAIMS = SESSIONS / "claims/4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a.jsonl"
NOTES = SESSIONS / "other/notes.jsonl"

#: Every secret the fixtures hold, by the kind it must be counted as.
SECRETS = {
    "openai_key": ["sk-proj-Xy12Ab34Cd56Ef78Gh90"],
    "anthropic_key": ["sk-ant-api03-Zz9Yy8Xx7Ww6Vv5Uu4"],
    "aws_key": ["AKIAIOSFODNN7EXAMPLE"],
    "env": ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "s3cr3t-hunter2", "npm_abcdefghijklmnop0123"],
    "github_token": ["ghp_abcdefghijklmnopqrstuvwxyz0123456789"],
    "slack_token": ["xoxb-123456789012-abcdefghijkl", "xoxp-2222222222-abcdefabcdef"],
    "jwt": ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZXYifQ.c2lnbmF0dXJlX2hlcmU"],
    "authorization": ["abcdef0123456789xyz"],
}


def _events(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode().splitlines()]


def _one(path: Path) -> list[dict]:
    imported = convert(str(path), path.read_bytes())
    assert len(imported.traces) == 1, imported.traces
    return _events(imported.traces[0][1])


def _import(tmp_path: Path, *paths: Path, out: str = "out") -> tuple[int, Path]:
    target = tmp_path / out
    return cli.main(["import", *map(str, paths), "--out", str(target)]), target


@pytest.mark.parametrize(("path", "fmt"), [
    (SHOP, "claude"), (SUBAGENT, "claude"), (OLD_CLAUDE, "claude"), (BIG, "claude"), (CODEX, "codex"),
    (CODEX_LEGACY, "codex"), (PI3, "pi"), (PI1, "pi"), (NOTES, None)])
def test_the_format_is_told_per_file_from_its_content(path, fmt, tmp_path):
    assert detect(read_lines(str(path), path.read_bytes()).records) == fmt
    # A path that says otherwise changes nothing: a Codex rollout where Claude Code keeps its sessions.
    disguised = tmp_path / ".claude/projects/-x/0000.jsonl"
    disguised.parent.mkdir(parents=True)
    shutil.copy(path, disguised)
    assert convert(str(disguised), disguised.read_bytes()).format == fmt


def test_each_reader_and_version(tmp_path):
    shop = _one(SHOP)
    assert shop[0]["source"] == "claude" and shop[0]["format_version"] == "2.0.61"
    assert shop[0]["session"] == "5f0c2a8e-1d3b-4c6a-9e7f-0a1b2c3d4e5f" and shop[0]["summary"]
    assistant = [e for e in shop if e.get("role") == "assistant"]
    # The first reply came as three lines with one message id: thinking, text, tool call.
    assert assistant[0]["thinking"] == "Run the tests first."
    assert assistant[0]["tool_calls"][0]["name"] == "Bash"
    assert assistant[0]["usage"] == {"input_tokens": 1110, "output_tokens": 50, "cost": None}
    assert [e["ok"] for e in shop if e["type"] == "tool_result"] == [False, True, True]

    sub = _one(SUBAGENT)
    assert sub[0]["sidechain"] is True and sub[0]["agent_id"] == "a1b2c3"
    assert sub[0]["session"] == shop[0]["session"]  # the parent session it worked for
    old = convert(str(OLD_CLAUDE), OLD_CLAUDE.read_bytes())  # 1.0: the subagent inside the session file
    assert [name.endswith("-sidechain.jsonl") for name, _ in old.traces] == [False, True]
    assert _events(old.traces[1][1])[0]["sidechain"] is True

    codex = _one(CODEX)
    assert (codex[0]["format_version"], codex[0]["model"]) == ("rollout 0.46.0", "gpt-5-codex")
    # The environment context is the system's, the prompt the user's.
    assert [e["role"] for e in codex if e["type"] == "message"][:2] == ["system", "user"]
    calls = [c for e in codex if e["type"] == "message" for c in e.get("tool_calls", [])]
    assert [c["name"] for c in calls] == ["shell", "apply_patch", "shell"]
    assert [e["ok"] for e in codex if e["type"] == "tool_result"] == [False, True, True]  # exit codes
    assert codex[-1]["input_tokens"] == 2000 + 2100 + 2200 + 2300

    legacy = _one(CODEX_LEGACY)
    assert legacy[0]["format_version"] == "legacy" and legacy[0]["session"] == "7d0c8a52-legacy"
    assert legacy[-1]["calls"] == 1 and legacy[-1]["stop"] == "finished"

    pi3 = _one(PI3)
    assert pi3[0]["format_version"] == "v3" and pi3[0]["model"] == "claude-sonnet-4-5"
    assert not any("abandoned" in str(e.get("content")) for e in pi3)  # the branch left behind
    assert any(str(e.get("content", "")).startswith("$ git diff --stat") for e in pi3)
    pi1 = _one(PI1)
    assert pi1[0]["format_version"] == "v1" and pi1[-1]["calls"] == 1 and pi1[-1]["input_tokens"] == 230


def test_an_imported_session_reads_as_a_transcript(tmp_path, capsys):
    code, out = _import(tmp_path, SHOP)
    assert code == 0
    capsys.readouterr()
    assert bench_report.main(["--trace", str(next(out.glob("claude-*.jsonl")))]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# claude session 5f0c2a8e-1d3b-4c6a-9e7f-0a1b2c3d4e5f (2.0.61), claude-sonnet")
    for part in ["## turn 0: user", "[image/png, 2,048 bytes]", "## turn 1: assistant\n    (thinking) Run",
                 '-> Bash(command="npm test", description="Run tests")', "<- Bash (failed)",
                 "<- Edit (ok)", "[informational] Slack webhook token [REDACTED:slack_token]",
                 "# unreadable: ", "# result: finished, 4 turns, 3 tool calls (1 failed), 2 commands"]:
        assert part in text, part


def test_no_secret_survives_and_each_is_counted(tmp_path, capsys):
    code, out = _import(tmp_path, SESSIONS)
    assert code == 0
    printed = capsys.readouterr().out
    written = b"".join(f.read_bytes() for f in sorted(out.iterdir()))
    for secrets in SECRETS.values():
        for secret in secrets:
            assert secret.encode() not in written, secret
            assert secret not in printed
    totals = {kind: len(secrets) for kind, secrets in sorted(SECRETS.items())}
    assert "redacted: " + ", ".join(f"{k} {n}" for k, n in totals.items()) in printed
    shop = _events(next(out.glob("claude-5f0c2a8e-*.jsonl")).read_bytes())[0]
    assert shop["redacted"] == {"anthropic_key": 1, "authorization": 1, "aws_key": 1, "env": 1,
                                "github_token": 1, "jwt": 1, "openai_key": 1, "slack_token": 1}
    # What precedes a secret stays readable.
    assert b"export OPENAI_API_KEY=[REDACTED:openai_key]" in written
    assert b"Authorization: Bearer [REDACTED:authorization]" in written


def test_unreadable_lines_are_reported_with_file_and_line(tmp_path, capsys):
    code, out = _import(tmp_path, SESSIONS)
    assert code == 0
    err = capsys.readouterr().err
    assert f"{SHOP}:8: not JSON (Unterminated string" in err
    assert f"{CODEX_LEGACY}:8: a JSON list, not an object" in err
    assert f"{NOTES}:1: not a Claude Code, Codex or pi session (skipped)" in err
    assert "Traceback" not in err
    summary = (out / "import-summary.txt").read_text()
    assert "lines or files not read: 3" in summary and f"{SHOP}:8:" in summary
    header = _events(next(out.glob("claude-5f0c2a8e-*.jsonl")).read_bytes())[0]
    assert header["bad_lines"] == [f"{SHOP}:8: not JSON (Unterminated string starting at at column 123)"]


def test_the_same_input_gives_the_same_bytes(tmp_path):
    _import(tmp_path, SESSIONS, out="a")
    _import(tmp_path, SESSIONS, out="b")
    a = {f.name: f.read_bytes() for f in (tmp_path / "a").glob("*.jsonl")}
    b = {f.name: f.read_bytes() for f in (tmp_path / "b").glob("*.jsonl")}
    assert a == b and len(a) == 11


def test_huge_outputs_are_cut_and_binary_replaced():
    big = _one(BIG)
    result = next(e for e in big if e["type"] == "tool_result")
    original = 1200 * 50  # about: the log the fixture's command printed
    assert len(result["content"]) < MAX_OUTPUT + 100 < original
    assert "characters cut of" in result["content"] and result["content"].endswith("200 OK in 36 ms")
    assert big[0]["cut"]["outputs"] == 1 and big[0]["cut"]["characters"] > 40_000
    codex = _one(CODEX)
    assert "[image/jpeg, 2,048 bytes]" in codex[2]["content"] and codex[0]["placeholders"] == 1


def test_the_mining_report_counts_what_the_fixture_holds(tmp_path):
    _import(tmp_path, MINING)
    traces, problems = mine.load([tmp_path / "out"])
    assert not problems and len(traces) == 1
    text = mine.report(traces)
    for line in ["| Bash | 3 | 2 | 67% |", "| Read | 1 | 1 | 100% |", "| Edit | 2 | 0 | 0% |",
                 "| Error: Cannot find module <q> from <q> | 2 |",  # retried: npm test worked at turn 3
                 "| <tool_use_error>File does not exist.</tool_use_error> | 1 |",  # abandoned
                 "## Loops (same tool and arguments 3+ times): 1", 'Bash x3 {"command": "npm test"}',
                 "## Edits undone later: 1", "src/cart.js, edited at turn 5, put back at turn 6",
                 "| finished | 1 | 7.0 | 1 | 700 | 70 |", "## Unsupported claims: 1", "- tests_pass: 1"]:
        assert line in text, line
    worked = text.split("## Errors retried")[1].split("## Errors abandoned")[0]
    assert "File does not exist" not in worked


def test_claims_true_and_false():
    events = _one(CLAIMS)
    flags = [e for e in events if e["type"] == "flag"]
    assert [(f["turn"], f["claim"]) for f in flags] == [(4, "tests_pass"), (4, "wrote"), (4, "ran")]
    assert flags[0]["missing"] == "claims tests pass, but no command ran a test after the last edit (turn 3)"
    assert flags[1]["missing"] == ("claims docs/usage.md was written, but no tool call wrote, edited "
                                   "or named it")
    assert flags[2]["missing"] == "claims to have run `make lint`, but no command ran it"
    # Turn 3's claims are true ("wrote the totals to out/report.csv", "ran the tests and all 5 passed").
    assert all(f["turn"] != 3 for f in flags)
    # Flags follow their message.
    index = next(i for i, e in enumerate(events) if e.get("turn") == 4 and e.get("role") == "assistant")
    assert [e["type"] for e in events[index + 1:index + 4]] == ["flag"] * 3
    for session in (SHOP, CODEX, PI3, PI1, CODEX_LEGACY):  # true claims in the other fixtures
        assert not [e for e in _one(session) if e["type"] == "flag"], session


def _msg(turn, text="", calls=()):
    return {"type": "message", "turn": turn, "role": "assistant", "content": text, "tool_calls": list(calls)}


def _res(turn, id, ok=True, text="ok", receipt=None):
    return {"type": "tool_result", "turn": turn, "id": id, "name": "?", "content": text, "ok": ok,
            "receipt": receipt}


@pytest.mark.parametrize(("events", "flagged"), [
    # bench: the answer written, run with a receipt, then "the answer runs": true
    ([_msg(1, "", [{"id": "1", "name": "write_file", "arguments": {"path": "answer.js", "content": "1"}},
                   {"id": "2", "name": "run", "arguments": {"path": "answer.js"}}]),
      _res(1, "1"), _res(1, "2", receipt="r1"), _msg(2, "the answer runs")], []),
    # the run failed before it ran (no receipt): "the answer runs" is false
    ([_msg(1, "", [{"id": "1", "name": "run", "arguments": {"path": "answer.js", "content": "x("}}]),
      _res(1, "1", ok=False, text="error[JS1001]: unexpected end"), _msg(2, "the answer runs")], ["runs_ok"]),
    # a plan, a question and a negation are no claims
    ([_msg(1, "I will run the tests. Do all tests pass? I haven't verified it.")], []),
    ([_msg(1, "I've verified the totals.")], ["verified"]),
    ([_msg(1, "", [{"id": "1", "name": "Read", "arguments": {"file_path": "a.csv"}}]), _res(1, "1"),
      _msg(2, "I've verified the totals.")], []),
    ([_msg(1, "", [{"id": "1", "name": "Bash", "arguments": {"command": "pytest -q"}}]),
      _res(1, "1", ok=False, text="1 failed"), _msg(2, "All tests pass.")], ["tests_pass"]),
    ([_msg(1, "", [{"id": "1", "name": "Bash", "arguments": {"command": "python3 report.py > out/sum.csv"}}]),
      _res(1, "1"), _msg(2, "I wrote the sums to out/sum.csv.")], []),
])
def test_claim_checker_cases(events, flagged):
    assert [f["claim"] for _, f in claims.check(events)] == flagged


def test_bench_traces_are_mined_and_checked(tmp_path, capsys):
    task = load(TASKS / "sales_revenue_by_region")
    run_episode(task, Arm(lang="js"), ReferenceAgent(), out=tmp_path)
    traces = tmp_path / "traces"
    assert cli.main(["check", str(traces)]) == 0
    assert "0 unsupported claims flagged in 1 traces" in capsys.readouterr().out
    assert cli.main(["report", str(traces)]) == 0
    text = capsys.readouterr().out
    assert "# Traces: 1" in text and "| success | 1 |" in text and "## Unsupported claims: 0" in text
    assert (traces / "traces-report.md").read_text() == text


def test_bad_input_is_one_clear_line(tmp_path, capsys):
    assert cli.main(["import", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bench.traces: error: no such file or folder") and err.count("\n") == 1
    (tmp_path / "empty").mkdir()
    assert cli.main(["report", str(tmp_path / "empty")]) == 2
    assert "no traces under" in capsys.readouterr().err
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_bytes(b'\x00\xff\xfe not json\n{"type": "assistant", "sessionId": 1, "message": 5}\n')
    assert cli.main(["import", str(garbage), "--out", str(tmp_path / "g")]) == 0
    err = capsys.readouterr().err
    assert f"{garbage}:1: not JSON" in err
    assert f"{garbage}:2: assistant line without a message object" in err
