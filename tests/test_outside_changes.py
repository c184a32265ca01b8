"""Changes made outside an agent's own tool calls are shown at the start of its next tool answer."""

from __future__ import annotations

import pytest

from worlds import Session, SessionError, World
from worlds.outside import DIFF_LINES, KEEP, Log, short_diff

CSV = "id,amount\n1,10\n2,20\n3,30\n"
HEAD = "[changed outside your calls]"


@pytest.fixture
def world() -> World:
    return World(files={"data.csv": CSV, "logo.png": b"\x89PNG\0\0\1"}, name="tiny")


def started(world: World) -> Session:
    """A session whose agent has made its first call (before it, nothing is news to it)."""
    session = world.session()
    session.call("list_files")
    return session


def test_a_host_write_is_the_start_of_the_next_answer_and_only_once(world):
    session = started(world)
    session.write("notes.md", "first\nsecond\n")
    text = session.call("list_files")
    head, _, rest = text.partition("\n\n")
    assert head.splitlines()[:4] == [
        f"{HEAD} since your last call, 1 file changed:",
        "- notes.md: created by the host (13 bytes)",
        "    @@ -0,0 +1,2 @@",
        "    +first"]
    assert rest.startswith("inputs (read-only")
    assert HEAD not in session.call("list_files")  # shown once


def test_the_agents_own_writes_and_runs_are_not_news(world):
    session = started(world)
    session.call("write_file", {"path": "a.js", "content": "fs.writeFileSync('out.txt', 'x')"})
    assert session.call("run", {"path": "a.js"}).count(HEAD) == 0
    assert "out.txt" in session.files and HEAD not in session.call("list_files")


def test_the_first_call_shows_nothing(world):
    session = world.session()
    session.write("seed.js", "1")  # the host's setup, before the agent looked
    assert HEAD not in session.call("list_files")
    assert session.state().get("outside") == {"next": 1, "seen": {"agent": 1}, "changes": []}


def test_a_replaced_input_shows_its_diff_and_the_run_sees_it(world):
    session = started(world)
    session.call("write_file", {"path": "t.sql", "content": "SELECT sum(amount) AS total FROM data"})
    session.replace_input("data.csv", CSV.replace("2,20", "2,25") + "4,40\n")
    text = session.call("run", {"path": "t.sql"})
    assert text.startswith(f"{HEAD} since your last call, 1 file changed:\n"
                           "- data.csv: modified by the host (25 -> 30 bytes; 1 line removed, 2 added)\n"
                           "    @@ -3,1 +3,1 @@\n    -2,20\n    +2,25\n    @@ -4,0 +5,1 @@\n    +4,40\n")
    assert "105" in text
    assert session.is_input("data.csv")
    assert "read-only input" in session.call("read_file", {"path": "data.csv"})
    assert "input of the world" in session.call("write_file", {"path": "data.csv", "content": "x"})
    with pytest.raises(SessionError, match="not an input"):
        session.replace_input("new.csv", "x")


def test_delete_and_binary_say_sizes_only(world):
    session = started(world)
    session.write("blob.bin", b"\0\1\2" * 100)
    session.write("gone.txt", "bye\n")
    session.call("list_files")
    session.write("blob.bin", b"\0\1\2" * 200)
    session.delete("gone.txt")
    head = session.call("list_files").partition("\n\n")[0]
    assert "- blob.bin: modified by the host (binary, 300 -> 600 bytes)\n- gone.txt: deleted by the host " \
           "(was 4 bytes)\n" in head
    assert "@@" not in head
    with pytest.raises(SessionError, match="cannot be deleted"):
        session.delete("data.csv")
    with pytest.raises(SessionError, match="no file"):
        session.delete("gone.txt")


def test_the_diff_is_cut_with_a_count():
    old = "".join(f"row {i}\n" for i in range(100))
    new = "".join(f"row {i}\n" if i % 10 else f"ROW {i}\n" for i in range(100))
    text, binary = short_diff(old.encode(), new.encode())
    lines = text.split("\n")
    assert not binary and len(lines) == DIFF_LINES + 1
    assert lines[:3] == ["@@ -1,1 +1,1 @@", "-row 0", "+ROW 0"]
    assert lines[-1] == "... 22 more diff lines not shown"  # 10 hunks of 3 lines, 8 shown
    long = short_diff(b"a\n", b"b" * 500 + b"\n")[0]
    assert "... (381 more characters)" in long


def test_a_million_row_csv_replaced_is_quick_and_short():
    rows = [f"{i},{i * 7 % 1000},r{i % 7}" for i in range(1_000_000)]
    old = ("id,amount,region\n" + "\n".join(rows) + "\n").encode()
    cases = {"appended": old + b"1000000,5,r1\n",
             "one edited": old.replace(b"\n500000,", b"\n500000,9", 1),
             "all differ": old.replace(b",r", b",z")}
    for name, new in cases.items():  # its speed is measured in the note, not asserted here
        text, _ = short_diff(old, new)
        assert len(text.split("\n")) <= DIFF_LINES + 1 and len(text) < 2000, name
    assert short_diff(old, cases["appended"])[0] == "@@ -1000001,0 +1000002,1 @@\n+1000000,5,r1"
    assert short_diff(old, cases["all differ"])[0].endswith("... 1,999,995 more diff lines not shown")
    log = Log()
    log.seen["agent"] = 1
    for name in ("appended", "all differ"):
        log.record("host", "the host", f"{name}.csv", old, cases[name])
    told = log.take("agent")
    assert "(13,778,907 -> 13,778,920 bytes; 0 lines removed, 1 added)" in told  # diffed: counted
    assert "(13,778,907 -> 13,778,907 bytes; 1,000,001 -> 1,000,001 lines)" in told  # too long to diff


def test_it_survives_state_and_restore(world):
    session = started(world)
    session.replace_input("data.csv", CSV + "4,40\n")
    session.write("b.txt", "x\n")
    state = session.state()
    assert state["inputs"] == {"data.csv": CSV + "4,40\n"} and "data.csv" not in state["files"]
    again = Session.restore(world, state)
    assert again.read("data.csv").endswith("4,40\n")
    head = again.call("list_files").partition("\n\n")[0]
    assert "- data.csv: modified by the host" in head and "- b.txt: created by the host" in head
    assert session.state() == state  # state() reads, it does not mark anything shown
    with pytest.raises(SessionError, match="not an input"):
        Session.restore(world, {**state, "inputs": {"b.txt": "x"}})
    with pytest.raises(SessionError, match="malformed"):
        Session.restore(world, {**state, "outside": {"next": 1}})


def test_two_actors_see_each_others_changes_and_not_their_own(world):
    session = world.session()
    session.call("list_files", actor="a", by="connection A")
    session.call("list_files", actor="b", by="connection B")
    session.call("write_file", {"path": "x.txt", "content": "from a\n"}, actor="a", by="connection A")
    assert HEAD not in session.call("list_files", actor="a", by="connection A")
    text = session.call("read_file", {"path": "x.txt"}, actor="b", by="connection B")
    assert "- x.txt: created by connection A (7 bytes)" in text
    with session.acting("http", "HTTP PUT /v1/sessions/s/files/x.txt"):
        session.write("x.txt", "from http\n")
    for actor in ("a", "b"):
        assert "- x.txt: modified by HTTP PUT /v1/sessions/s/files/x.txt (7 -> 10 bytes; " in session.call(
            "list_files", actor=actor, by=actor)
    assert session.state()["outside"]["changes"] == []  # every actor saw everything: nothing kept


def test_the_log_is_bounded_and_says_what_it_dropped(world):
    session = started(world)
    for i in range(KEEP + 50):
        session.write("n.txt", f"{i}\n")
    text = session.call("list_files")
    assert "- ... and " in text and "earlier changes no longer kept" in text
    assert len(text) < 5000


def test_raw_diagnostics_show_no_note(world):
    session = Session(world, diagnostics="raw")
    session.call("list_files")
    session.write("n.txt", "x")
    assert HEAD not in session.call("list_files")


def test_the_same_changes_give_the_same_bytes(world):
    def play() -> tuple[str, dict]:
        session = started(world)
        session.replace_input("data.csv", CSV + "4,40\n")
        session.write("b.bin", b"\0" * 10)
        return session.call("list_files"), session.state()
    assert play() == play()


# -- worlds serve: the HTTP API and MCP connections are actors of their own ----------------------


def test_serve_http_put_is_shown_to_the_next_tool_call_even_after_a_restart(tmp_path):
    import httpx
    from conftest import Server

    server = Server(tmp_path, "sales", workers=1)
    try:
        sid = httpx.post(f"{server.base}/v1/sessions", json={}).json()["id"]

        def call(name: str, arguments: dict) -> str:
            answer = httpx.post(f"{server.base}/v1/sessions/{sid}/call", json={"name": name, "arguments":
                                                                              arguments}, timeout=60)
            assert answer.status_code == 200, answer.text
            return str(answer.json()["text"])

        assert HEAD not in call("write_file", {"path": "t.js", "content": "console.log(1)\n"})
        put = httpx.put(f"{server.base}/v1/sessions/{sid}/files/t.js", json={"content": "console.log(2)\n"})
        assert put.status_code == 200
        ran = call("run", {"path": "t.js"})  # a tool that runs in a worker process
        assert ran.startswith(f"{HEAD} since your last call, 1 file changed:\n"
                              f"- t.js: modified by HTTP PUT /v1/sessions/{sid}/files/t.js (15 -> 15 bytes; "
                              "1 line removed, 1 added)\n"
                              "    @@ -1,1 +1,1 @@\n    -console.log(1)\n    +console.log(2)\n")
        assert HEAD not in call("list_files", {})
        httpx.put(f"{server.base}/v1/sessions/{sid}/files/u.txt", json={"content": "kept\n"})
    finally:
        assert "Traceback" not in server.stop()
    again = Server(tmp_path, "sales", workers=1)  # the same data: the log was saved with the session
    try:
        text = httpx.post(f"{again.base}/v1/sessions/{sid}/call", json={"name": "list_files"}).json()["text"]
        assert f"- u.txt: created by HTTP PUT /v1/sessions/{sid}/files/u.txt (5 bytes)" in text
    finally:
        assert "Traceback" not in again.stop()


def test_serve_two_mcp_connections_on_one_session_see_each_other(tmp_path):
    import anyio
    import httpx
    from conftest import Server
    from mcp import Client

    server = Server(tmp_path, "sales", workers=1)

    def said(result) -> str:  # type: ignore[no-untyped-def]
        return "\n".join(block.text for block in result.content)

    async def main() -> None:
        async with Client(f"{server.base}/mcp", mode="legacy") as a, \
                Client(f"{server.base}/mcp", mode="legacy") as b:
            first = await a.call_tool("write_file", {"path": "a.txt", "content": "one\n"})
            sid = first.structured_content["session"]
            assert HEAD not in said(await b.call_tool("list_files", {"session": sid}))  # b's first look
            await a.call_tool("write_file", {"path": "a.txt", "content": "one\ntwo\n", "session": sid})
            seen = said(await b.call_tool("read_file", {"path": "a.txt", "session": sid}))
            assert seen.startswith(f"{HEAD} since your last call, 1 file changed:\n"
                                   "- a.txt: modified by another MCP connection "
                                   "(4 -> 8 bytes; 0 lines removed, 1 added)\n"
                                   "    @@ -1,0 +2,1 @@\n    +two\n")
            await b.call_tool("run", {"code": "fs.writeFileSync('b.txt', 'from b')", "session": sid})
            httpx.put(f"{server.base}/v1/sessions/{sid}/files/c.txt", json={"content": "from http"})
            told = said(await a.call_tool("list_files", {"session": sid}))
            assert "- b.txt: created by another MCP connection (6 bytes)" in told
            assert f"- c.txt: created by HTTP PUT /v1/sessions/{sid}/files/c.txt (9 bytes)" in told
            assert "a.txt" not in told.partition("\n\n")[0]  # a's own write is not news to a
    try:
        anyio.run(main)
    finally:
        assert "Traceback" not in server.stop()


# -- the bench: the outside-change fault ---------------------------------------------------------


def _episode(tmp_path, agent, diagnostics: str = "full", task: str = "sales_revenue_by_region", **kw):
    from bench.harness.episode import Arm, run_episode
    from bench.harness.tasks import TASKS, load

    row = run_episode(load(TASKS / task), Arm("sql", diagnostics), agent, out=tmp_path,
                      fault="outside-change", **kw)
    import json
    events = [json.loads(line) for line in (tmp_path / row.trace).read_text().splitlines()]
    return row, events


@pytest.mark.parametrize("diagnostics", ["full", "raw"])
def test_bench_reference_reruns_only_when_told(tmp_path, diagnostics):
    from bench.harness.agents.offline import ReferenceAgent

    row, events = _episode(tmp_path, ReferenceAgent(), diagnostics)
    [change] = [e for e in events if e["type"] == "outside"]
    assert list(change) == ["type", "turn", "by", "paths", "text"]
    assert (change["turn"], change["by"], change["paths"]) == (1, "the host", ["sales.csv"])
    results = [e for e in events if e["type"] == "tool_result"]
    assert row.completion == 1.0  # the answer file, run at the end, reads the changed input
    if diagnostics == "full":
        assert change["text"].startswith(f"{HEAD} since your last call, 1 file changed:\n- sales.csv: "
                                         "modified by the host")
        assert results[2]["content"].startswith(change["text"] + "\n\n")
        assert [r["name"] for r in results] == ["write_file", "run", "read_file", "run"]
        assert (row.outside, row.outside_seen) == ("seen", True)
    else:
        assert change["text"] == "" and not any(HEAD in r["content"] for r in results)
        assert [r["name"] for r in results] == ["write_file", "run", "read_file"]
        assert (row.outside, row.outside_seen) == ("stale", False)
    [result] = [e for e in events if e["type"] == "result"]
    assert result["outside_seen"] is row.outside_seen


def test_bench_outside_episodes_are_deterministic(tmp_path):
    from bench.harness.agents.offline import ReferenceAgent

    first, _ = _episode(tmp_path / "a", ReferenceAgent())
    second, _ = _episode(tmp_path / "b", ReferenceAgent())
    assert (tmp_path / "a" / first.trace).read_bytes() == (tmp_path / "b" / second.trace).read_bytes()


def test_bench_change_is_seeded_and_changes_the_expected_answer():
    from bench.harness.outside import plan_shift
    from bench.harness.tasks import TASKS, load

    task = load(TASKS / "sales_revenue_by_region")
    shift = plan_shift(task, "sql", 0)
    assert shift is not None and shift == plan_shift(task, "sql", 0)
    assert shift.expected["rows"] != task.expected()["rows"]
    other = plan_shift(task, "sql", 1)
    assert other is not None and other.data != shift.data


def _careful_model(request: dict) -> dict:
    """A scripted model: writes and runs the reference, looks at its files once, and runs the answer
    again only when a tool answer says files changed outside its calls."""
    from bench.harness.tasks import TASKS, load

    messages = request["messages"]
    tools = [m for m in messages if m.get("role") == "tool"]
    if not tools:
        solution = load(TASKS / "sales_revenue_by_region").solution("sql")
        return {"content": "", "tool_calls": [
            {"name": "write_file", "arguments": {"path": "answer.sql", "content": solution}},
            {"name": "run", "arguments": {"path": "answer.sql"}}]}
    if str(tools[-1]["content"]).startswith(HEAD):
        return {"content": "An input changed; running again.",
                "tool_calls": [{"name": "run", "arguments": {"path": "answer.sql"}}]}
    if len(tools) == 2:
        return {"content": "", "tool_calls": [{"name": "list_files", "arguments": {}}]}
    return {"content": "Done.", "tool_calls": []}


@pytest.mark.parametrize(("diagnostics", "seen"), [("full", True), ("raw", False)])
def test_bench_scripted_openai_model_sees_the_change_through_the_sdk(tmp_path, diagnostics, seen):
    from bench.harness.agents.openai_agent import OpenAIAgent
    from bench.harness.fake_api import FakeAPI

    with FakeAPI(_careful_model) as api:
        agent = OpenAIAgent("scripted", base_url=api.base_url, api_key="k", max_retries=0)
        row, events = _episode(tmp_path, agent, diagnostics, model="scripted")
        sent = api.requests
    assert any(e["type"] == "outside" for e in events)
    assert row.outside_seen is seen and row.completion == 1.0
    tool_texts = [m["content"] for m in sent[2]["messages"] if m["role"] == "tool"]
    assert tool_texts[-1].startswith(HEAD) is seen  # what the model read over the wire


def test_bench_plan_and_report(tmp_path):
    from bench.harness.plan import plan
    from bench.harness.report import outside_changes, render

    options = {"--agent": "reference,fixit", "--arm": "sql", "--diagnostics": "full,raw", "--tools": "all",
               "--turns": 12, "--mode": "loop", "--repeat": 1, "--seed": 0,
               "--task": "sales_revenue_by_region",
               "--base-url": None, "--price": None, "--judge": None, "--fault": "outside-change", "--ask": 0}
    cases = plan(lambda name: options[name])
    assert {(c.agent, c.fault, c.arm.diagnostics) for c in cases} == {  # fixit plays program faults only
        ("reference", "outside-change", "full"), ("reference", "outside-change", "raw")}
    with pytest.raises(ValueError, match="the fault kinds are"):
        plan(lambda name: {**options, "--fault": "meteor"}[name])
    rows = [{"task": "t", "completion": 1.0, "agent": "reference", "lang": "sql", "diagnostics": d,
             "tools": "all", "turn_budget": 12, "mode": "loop", "fault": "outside-change", "outside": o,
             "completion_by_turn": [1.0]}
            for d, o in (("full", "seen"), ("full", "seen"), ("raw", "stale"), ("raw", "no-site"))]
    table = outside_changes(rows)
    assert table[0] == {"agent": "reference", "diagnostics": "full", "lang": "all", "episodes": 2,
                        "changed": 2, "seen": 2, "stale": 0, "wrong": 0, "seen_rate": 1.0}
    assert table[2]["stale"] == 1 and table[2]["changed"] == 1 and table[2]["seen_rate"] == 0.0
    text = render(rows, tmp_path)
    assert "## Changes outside the agent's calls" in text
    assert "| reference | raw | all | 2 | 1 | 0 | 1 | 0 | 0% |" in text
