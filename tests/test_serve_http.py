"""The HTTP JSON API of `worlds serve`: shapes, 4xx answers, auth, isolation, expiry, persistence.

These run the app in-process (Starlette's TestClient runs its lifespan, so the
worker processes and the database are real).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from worlds import World, catalog
from worlds.serve import create_app
from worlds.serve.app import MAX_BODY

FIXED = "fs.writeFileSync('out.txt', 'total ' + (1 + 2)); console.log('done')"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve-data")


@pytest.fixture(scope="module")
def client(data_dir: Path):
    app = create_app([catalog.load("sales"), catalog.load("shop")], data_dir, workers=2)
    with TestClient(app) as c:
        yield c


def new_session(client: TestClient, world: str = "sales") -> str:
    r = client.post("/v1/sessions", json={"world": world})
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def timeless(run: dict[str, Any]) -> dict[str, Any]:
    """A run's JSON without what depends on the machine (wall time, memory, the rendered text)."""
    out = {k: v for k, v in run.items() if k != "text"}
    out["stats"] = {k: v for k, v in run["stats"].items() if k not in ("wall_ms", "memory_bytes", "phases")}
    return out


# -- shapes --------------------------------------------------------------------------------------


def test_worlds_lists_every_served_world(client: TestClient) -> None:
    worlds = client.get("/v1/worlds").json()["worlds"]
    assert [w["name"] for w in worlds] == ["sales", "shop"]
    assert "sales.csv" in worlds[0]["files"] and worlds[0]["description"]


def test_session_shape_files_and_tools(client: TestClient) -> None:
    r = client.post("/v1/sessions", json={"world": "sales"})
    body = r.json()
    assert set(body) >= {"id", "world", "created", "tools"} and body["world"] == "sales"
    assert body["tools"] == ["describe", "list_files", "read_file", "write_file", "edit_file", "run", "check"]
    info = client.get(f"/v1/sessions/{body['id']}").json()
    assert info["history"] == []
    assert {"path": "sales.csv", "size": len(catalog.load("sales").files["sales.csv"]), "input": True} \
        in info["files"]
    for fmt, key in (("openai", "function"), ("anthropic", "input_schema"), ("mcp", "inputSchema"),
                     ("openai-responses", "parameters")):
        tools = client.get(f"/v1/sessions/{body['id']}/tools", params={"format": fmt}).json()["tools"]
        assert len(tools) == 7 and all(key in t for t in tools), fmt


def test_write_run_fix_run_read(client: TestClient) -> None:
    sid = new_session(client)
    put = client.put(f"/v1/sessions/{sid}/files/src/main.js", json={"content": "console.log(1 +"})
    assert put.json() == {"path": "src/main.js", "size": 15}
    failed = client.post(f"/v1/sessions/{sid}/run", json={"path": "src/main.js"}).json()
    assert failed["ok"] is False and failed["diagnostics"][0]["code"].startswith("JS")
    assert "error[" in failed["text"] and failed["receipt"]
    client.put(f"/v1/sessions/{sid}/files/src/main.js", json={"content": FIXED})
    ran = client.post(f"/v1/sessions/{sid}/run", json={"path": "src/main.js"}).json()
    assert ran["ok"] and ran["stdout"] == "done\n" and ran["changes"][0]["path"] == "out.txt"
    assert client.get(f"/v1/sessions/{sid}/files/out.txt").json() == {"path": "out.txt", "content": "total 3"}
    history = client.get(f"/v1/sessions/{sid}/history").json()["history"]
    assert [(h["ok"], h["receipt"]) for h in history] == [(False, failed["receipt"]), (True, ran["receipt"])]


def test_run_answers_match_direct_runs(client: TestClient) -> None:
    """A run through the server is the run the Python API gives: same JSON, same receipt."""
    sid = new_session(client)
    direct = catalog.load("sales").session()
    steps: list[tuple[str, dict[str, Any]]] = [
        ("write", {"path": "main.js", "content": FIXED}),
        ("run", {"path": "main.js"}),
        ("run", {"code": "SELECT region, SUM(amount) AS total FROM sales GROUP BY 1 ORDER BY 1",
                 "lang": "sql"}),
        ("run", {"code": "fs.readFileSync('out.txt', 'utf8').length"}),
        ("run", {"code": "SELECT nope FROM sales", "lang": "sql"}),
    ]
    for verb, args in steps:
        if verb == "write":
            client.put(f"/v1/sessions/{sid}/files/{args['path']}", json={"content": args["content"]})
            direct.write(args["path"], args["content"])
            continue
        served = client.post(f"/v1/sessions/{sid}/run", json=args).json()
        local = direct.run(args.get("path"), code=args.get("code"), lang=args.get("lang"))
        assert timeless(served) == local.to_json()


def test_call_reports_tool_errors_as_answers(client: TestClient) -> None:
    sid = new_session(client)
    r = client.post(f"/v1/sessions/{sid}/call", json={"name": "edit_file", "arguments": {
        "path": "missing.js", "old": "a", "new": "b"}})
    assert r.status_code == 200 and r.json()["ok"] is False and r.json()["text"].startswith("error")
    r = client.post(f"/v1/sessions/{sid}/call", json={"name": "no_such_tool", "arguments": {}})
    assert r.status_code == 200 and r.json()["ok"] is False
    r = client.post(f"/v1/sessions/{sid}/call", json={
        "name": "write_file", "arguments": '{"path": "a.sql", "content": "SELECT 1 AS one"}'})
    assert r.json() == {"text": r.json()["text"], "ok": True, "receipt": None, "changed": ["a.sql"]}
    r = client.post(f"/v1/sessions/{sid}/call", json={"name": "run", "arguments": {"path": "a.sql"}}).json()
    assert r["ok"] and len(r["receipt"]) == 64 and "one" in r["text"]
    r = client.post(f"/v1/sessions/{sid}/call", json={"name": "check", "arguments": {"code": "let x = ;"}})
    assert r.json()["ok"] is False and "error[" in r.json()["text"]


# -- 4xx answers ---------------------------------------------------------------------------------


BAD: list[tuple[str, str, str, Any, int, str]] = [
    # (name, method, path ({sid} filled in), JSON body or raw bytes, status, words in the error)
    ("unknown session", "GET", "/v1/sessions/0123abcd", None, 404, "no session"),
    ("unknown session run", "POST", "/v1/sessions/0123abcd/run", {"code": "1"}, 404, "no session"),
    ("odd session id", "GET", "/v1/sessions/..%2F..", None, 404, ""),
    ("unknown world", "POST", "/v1/sessions", {"world": "atlantis"}, 400, "no world 'atlantis'"),
    ("world missing with two served", "POST", "/v1/sessions", {}, 400, "several worlds"),
    ("extra field", "POST", "/v1/sessions", {"world": "sales", "color": 1}, 422, "'color' is not expected"),
    ("not JSON", "POST", "/v1/sessions/{sid}/run", b"{nope", 422, "not valid JSON"),
    ("body is a list", "POST", "/v1/sessions/{sid}/run", [1], 422, "JSON object"),
    ("code and path", "POST", "/v1/sessions/{sid}/run", {"code": "1", "path": "a.js"}, 400, "exactly one"),
    ("neither code nor path", "POST", "/v1/sessions/{sid}/run", {}, 400, "exactly one"),
    ("code not a string", "POST", "/v1/sessions/{sid}/run", {"code": 3}, 422, "'code'"),
    ("unknown language", "POST", "/v1/sessions/{sid}/run", {"code": "1", "lang": "cobol"}, 422, "'lang'"),
    ("run a missing file", "POST", "/v1/sessions/{sid}/run", {"path": "nope.js"}, 404, "no file 'nope.js'"),
    ("language unknown from name", "POST", "/v1/sessions/{sid}/run", {"path": "sales.csv"}, 400,
     "cannot tell the language"),
    ("write an input", "PUT", "/v1/sessions/{sid}/files/sales.csv", {"content": "x"}, 400, "read-only"),
    ("write outside the root", "PUT", "/v1/sessions/{sid}/files/%2E%2E/etc", {"content": "x"}, 400,
     "bad file name"),
    ("write without content", "PUT", "/v1/sessions/{sid}/files/a.js", {}, 422, "'content' is missing"),
    ("read a missing file", "GET", "/v1/sessions/{sid}/files/nope.txt", None, 404, "no file"),
    ("call without name", "POST", "/v1/sessions/{sid}/call", {"arguments": {}}, 422, "'name' is missing"),
    ("arguments a number", "POST", "/v1/sessions/{sid}/call", {"name": "run", "arguments": 5}, 422,
     "'arguments'"),
    ("unknown tool format", "GET", "/v1/sessions/{sid}/tools?format=xml", None, 422, "'format'"),
    ("unknown route", "GET", "/v2/things", None, 404, "no route"),
    ("no listing of sessions", "GET", "/v1/sessions", None, 405, "not allowed"),
    ("too big", "PUT", "/v1/sessions/{sid}/files/big.txt", b"x" * (MAX_BODY + 1), 413, "larger than"),
]


@pytest.mark.parametrize("name,method,path,body,status,words", BAD, ids=[b[0] for b in BAD])
def test_bad_requests_get_4xx_with_a_sentence(client: TestClient, name: str, method: str, path: str,
                                              body: Any, status: int, words: str) -> None:
    sid = new_session(client)
    kwargs: dict[str, Any] = {}
    if isinstance(body, bytes):
        kwargs = {"content": body, "headers": {"content-type": "application/json"}}
    elif body is not None:
        kwargs = {"json": body}
    r = client.request(method, path.replace("{sid}", sid), **kwargs)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert isinstance(error, str) and words in error and "Traceback" not in error


def test_a_failed_request_changes_nothing(client: TestClient) -> None:
    sid = new_session(client)
    client.post(f"/v1/sessions/{sid}/run", json={"path": "nope.js"})
    client.put(f"/v1/sessions/{sid}/files/sales.csv", json={"content": "x"})
    info = client.get(f"/v1/sessions/{sid}").json()
    assert info["history"] == [] and all(f["input"] for f in info["files"])


def test_hot_routes_answer_as_fastapi_does(client: TestClient, tmp_path: Path) -> None:
    """run, call and the file routes skip FastAPI's routing for speed; the answers are the same."""
    plain = create_app([catalog.load("sales"), catalog.load("shop")], tmp_path, workers=1, hot_routes=False)
    cases = [(m, p, b) for _, m, p, b, _, _ in BAD if "{sid}" in p] + [
        ("PUT", "/v1/sessions/{sid}/files/a.js", {"content": "console.log(2)"}),
        ("GET", "/v1/sessions/{sid}/files/a.js", None),
        ("POST", "/v1/sessions/{sid}/run", {"path": "a.js"}),
        ("POST", "/v1/sessions/{sid}/run", {"code": "SELECT 1 AS x", "lang": "sql"}),
        ("POST", "/v1/sessions/{sid}/call", {"name": "run", "arguments": {"code": "1 +"}}),
        ("POST", "/v1/sessions/{sid}/call", {"name": "list_files"}),
        ("PUT", "/v1/sessions/{sid}/files/b.txt", b'{"content": "x"}'),
        ("POST", "/v1/sessions/{sid}/run", b""),
        ("POST", "/v1/sessions/{sid}/call", b'{"name": "run", "arguments": {"code": "1"}, "x": 1}'),
    ]
    with TestClient(plain) as slow:
        fast_sid, slow_sid = new_session(client), new_session(slow)
        for method, path, body in cases:
            kwargs: dict[str, Any] = {"json": body} if body is not None else {}
            if isinstance(body, bytes):
                kwargs = {"content": body, "headers": {"content-type": "application/json"}}
            a = client.request(method, path.replace("{sid}", fast_sid), **kwargs)
            b = slow.request(method, path.replace("{sid}", slow_sid), **kwargs)
            assert a.status_code == b.status_code, (method, path, a.text, b.text)
            if a.status_code == 200 and path.endswith("/run"):
                assert timeless(a.json()) == timeless(b.json())
            elif a.status_code < 400:  # a run's text says how long it took: the one difference
                assert re.sub(r" in [0-9.]+ ms", "", json.dumps(a.json())) == \
                    re.sub(r" in [0-9.]+ ms", "", json.dumps(b.json())), (method, path)
            elif a.status_code != 413:  # pydantic words JSON input and Python input apart: same fields
                assert re.findall("'[^']*'", a.json()["error"]) == re.findall("'[^']*'", b.json()["error"])


# -- isolation, deletion, liveness ----------------------------------------------------------------


def test_sessions_are_isolated(client: TestClient) -> None:
    a, b = new_session(client), new_session(client)
    client.put(f"/v1/sessions/{a}/files/secret.txt", json={"content": "only a"})
    client.post(f"/v1/sessions/{a}/run", json={"code": "fs.writeFileSync('made.txt', 'by a')"})
    assert client.get(f"/v1/sessions/{b}/files/secret.txt").status_code == 404
    seen = client.post(f"/v1/sessions/{b}/run", json={"code": "fs.readdirSync('.').join(',')"}).json()
    assert seen["value"] == "regions.csv,sales.csv"
    listed = client.get(f"/v1/sessions/{b}").json()["files"]
    assert [f["path"] for f in listed] == ["regions.csv", "sales.csv"]
    assert client.get(f"/v1/sessions/{a}/files/made.txt").json()["content"] == "by a"
    assert len(a) == 32 and a != b  # 128 random bits: an id cannot be guessed


def test_delete(client: TestClient) -> None:
    sid = new_session(client)
    assert client.delete(f"/v1/sessions/{sid}").status_code == 204
    assert client.get(f"/v1/sessions/{sid}").status_code == 404
    assert client.delete(f"/v1/sessions/{sid}").status_code == 404


def test_runs_do_not_block_the_server(client: TestClient) -> None:
    """A long run (about a second, until its fuel runs out) happens in a worker: other requests,
    runs included, are answered meanwhile."""
    import threading
    sid = new_session(client)
    done: list[float] = []

    def slow() -> None:
        client.post(f"/v1/sessions/{sid}/run", json={
            "code": "let s = 0; for (let i = 0; i < 3e7; i++) s += i; s"})
        done.append(time.perf_counter())
    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.1)
    assert client.get("/healthz").json()["ok"]
    other = new_session(client)
    assert client.post(f"/v1/sessions/{other}/run", json={"code": "1 + 1"}).json()["value"] == 2
    answered = time.perf_counter()
    thread.join()
    assert done[0] > answered  # a run on the event loop would have held these answers back


# -- auth and hosts -------------------------------------------------------------------------------


def test_token_is_required_everywhere_but_healthz(tmp_path: Path) -> None:
    app = create_app([World({"a.txt": "x"}, name="tiny")], tmp_path, token="s3cret", workers=1)
    with TestClient(app) as c:
        assert c.get("/healthz").status_code == 200
        for method, path in (("GET", "/v1/worlds"), ("POST", "/v1/sessions"), ("GET", "/openapi.json"),
                             ("POST", "/mcp")):
            r = c.request(method, path)
            assert r.status_code == 401 and "Bearer" in r.json()["error"], path
            assert r.headers["www-authenticate"] == "Bearer"
        bad = c.get("/v1/worlds", headers={"Authorization": "Bearer wrong"})
        assert bad.status_code == 401
        good = {"Authorization": "Bearer s3cret"}
        sid = c.post("/v1/sessions", headers=good, json={}).json()["id"]  # one world: world is optional
        assert c.post(f"/v1/sessions/{sid}/run", headers=good, json={"code": "1+1"}).json()["value"] == 2


def test_other_hosts_are_refused_when_bound_to_loopback(tmp_path: Path) -> None:
    app = create_app([World(name="tiny")], tmp_path, workers=1, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        assert c.get("/v1/worlds").status_code == 200
        assert c.get("/v1/worlds", headers={"Host": "evil.example:8765"}).status_code == 421


# -- persistence and expiry ----------------------------------------------------------------------


def test_a_new_server_on_the_same_data_keeps_files_and_history(tmp_path: Path) -> None:
    worlds = [catalog.load("sales")]
    with TestClient(create_app(worlds, tmp_path, workers=1)) as c:
        sid = new_session(c)
        c.put(f"/v1/sessions/{sid}/files/main.js", json={"content": FIXED})
        c.put(f"/v1/sessions/{sid}/files/bin.dat", json={"content": "\u00e9\u0000"})
        first = c.post(f"/v1/sessions/{sid}/run", json={"path": "main.js"}).json()
    with TestClient(create_app(worlds, tmp_path, workers=1)) as c:
        info = c.get(f"/v1/sessions/{sid}").json()
        assert {f["path"] for f in info["files"] if not f["input"]} == {"main.js", "bin.dat", "out.txt"}
        assert [h["receipt"] for h in info["history"]] == [first["receipt"]]
        assert c.get(f"/v1/sessions/{sid}/files/bin.dat").json()["content"] == "\u00e9\u0000"
        again = c.post(f"/v1/sessions/{sid}/run", json={"path": "main.js"}).json()
        assert again["receipt"] != first["receipt"]  # out.txt now exists: the workspace differs
        assert len(c.get(f"/v1/sessions/{sid}/history").json()["history"]) == 2


def test_idle_sessions_expire(tmp_path: Path) -> None:
    app = create_app([World(name="tiny")], tmp_path, workers=1, idle_s=3600)
    with TestClient(app) as c:
        service = app.state.service
        old, kept = new_session(c, "tiny"), new_session(c, "tiny")
        real = service.clock
        service.clock = lambda: real() + 1800
        assert c.get(f"/v1/sessions/{kept}").status_code == 200  # used: its idle time restarts
        service.clock = lambda: real() + 3700
        gone = c.get(f"/v1/sessions/{old}")
        assert gone.status_code == 404 and "expired after 3600 s unused" in gone.json()["error"]
        assert c.get(f"/v1/sessions/{old}").status_code == 404  # and it stays gone
        assert service.reap() == []  # kept was used 1900 s ago: not idle long enough
        assert c.get(f"/v1/sessions/{kept}").status_code == 200
        service.clock = lambda: real() + 9000
        assert kept in service.reap()  # the reaper deletes it from disk too
        assert service.store.load(kept) is None
        assert c.get(f"/v1/sessions/{kept}").status_code == 404


def test_the_reaper_runs_by_itself(tmp_path: Path) -> None:
    app = create_app([World(name="tiny")], tmp_path, workers=1, idle_s=0.3)
    with TestClient(app) as c:
        sid = new_session(c, "tiny")
        deadline = time.monotonic() + 5
        while app.state.service.store.load(sid) is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert app.state.service.store.load(sid) is None
        assert c.get(f"/v1/sessions/{sid}").status_code == 404


# -- the command --------------------------------------------------------------------------------


@pytest.mark.parametrize("args,words", [
    (["nowhere"], "no world 'nowhere'"),
    (["--http", "127.0.0.1:99999"], "bad port"),
    (["--idle", "0"], "--idle"),
    (["--workers", "0"], "--workers"),
    (["sales", "sales"], "two worlds are named 'sales'"),
])
def test_serve_usage_errors_are_one_line(args: list[str], words: str) -> None:
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-m", "worlds", "serve", *args], capture_output=True, text=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("worlds: error: ") and words in r.stderr


def test_serve_refuses_a_busy_port_and_a_bad_data_dir(tmp_path: Path) -> None:
    import socket
    import subprocess
    import sys
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "worlds", "serve", "sales", "--http", f"127.0.0.1:{port}",
                            "--data", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and r.stderr.startswith("worlds: error: cannot listen on")
    assert r.stderr.count("\n") == 1
    (tmp_path / "file").write_text("not a directory")
    r = subprocess.run([sys.executable, "-m", "worlds", "serve", "sales", "--data", str(tmp_path / "file")],
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert r.returncode == 2 and "cannot open the session database" in r.stderr
    assert r.stderr.count("\n") == 1
