"""`worlds serve` with a world that connects an MCP server: code mode over HTTP, tapes kept,
and the human side of an approval (approve, deny, resume), across a server restart."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from worlds import World
from worlds.serve import create_app

SERVER = [sys.executable, str(Path(__file__).parent / "fixtures" / "mcp_crm.py")]
PROGRAM = ("const c = crm.find_customer(1);\n"
           "const o = crm.orders(c.id);\n"
           "fs.writeFileSync('report.txt', c.name + ' ' + o.length);\n"
           "console.log('written');\n")


def world(tmp: Path) -> World:
    folder = tmp / "shop"
    folder.mkdir(exist_ok=True)
    (folder / "notes.txt").write_text("x")
    (folder / "world.toml").write_text(f"name = 'shop'\napprove = ['crm.orders']\n"
                                       f"[connect]\ncrm = {shlex.join(SERVER)!r}\n")
    return World.from_dir(folder)


def test_a_run_waits_for_approval_and_goes_on_when_approved(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with TestClient(create_app([world(tmp_path)], data, workers=1)) as c:
        sid = c.post("/v1/sessions", json={"world": "shop"}).json()["id"]
        c.put(f"/v1/sessions/{sid}/files/main.js", json={"content": PROGRAM})
        run = {"name": "run", "arguments": {"path": "main.js"}}
        answer = c.post(f"/v1/sessions/{sid}/call", json=run).json()
        assert "suspended, awaiting an answer" in answer["text"] and "c2 crm.orders(1)" in answer["text"]
        last = c.get(f"/v1/sessions/{sid}/history").json()["history"][-1]
        assert last["pending"][0]["id"] == "c2" and last["calls"][0]["name"] == "crm.find_customer"
        assert c.get(f"/v1/sessions/{sid}/files/report.txt").status_code == 404
        wrong = c.post(f"/v1/sessions/{sid}/approve", json={"calls": ["c9"]})
        assert wrong.status_code == 409 and "c9 is not pending" in wrong.json()["error"]
        done = c.post(f"/v1/sessions/{sid}/approve", json={}).json()
        assert done["ok"] and done["stdout"] == "written\n"
        assert [call["name"] for call in done["calls"]] == ["crm.find_customer", "crm.orders"]
        assert c.get(f"/v1/sessions/{sid}/files/report.txt").json()["content"] == "Ada 3"
        assert c.post(f"/v1/sessions/{sid}/approve").status_code == 409  # nothing waits any more
        c.post(f"/v1/sessions/{sid}/run", json={"path": "main.js"})  # suspends again
    # A new server on the same data: the suspended run is still there, and can be refused.
    with TestClient(create_app([world(tmp_path)], data, workers=1)) as c:
        refused = c.post(f"/v1/sessions/{sid}/deny", json={"call": "c2", "reason": "not this week"}).json()
        assert not refused["ok"] and "not this week" in refused["text"]
        answered = c.post(f"/v1/sessions/{sid}/run", json={"path": "main.js"}).json()
        assert answered["pending"]
        given = c.post(f"/v1/sessions/{sid}/resume", json={"answers": {"c2": [1, 2]}}).json()
        assert given["ok"] and c.get(f"/v1/sessions/{sid}/files/report.txt").json()["content"] == "Ada 2"
