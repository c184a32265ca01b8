"""A scripted LLM endpoint on loopback that speaks both OpenAI's and Anthropic's wire formats.

The real SDK clients talk to it over HTTP, so agents and the judge are tested
end to end without a network::

    script = [{"content": "", "tool_calls": [{"name": "run", "arguments": {"path": "a.sql"}}],
               "usage": {"input_tokens": 120, "output_tokens": 30, "cost": 0.001}},
              {"error": 429}]
    with FakeAPI(script) as api:
        OpenAIAgent("m", base_url=api.base_url, api_key="k", max_retries=0)   # POST /v1/chat/completions
        AnthropicAgent("m", base_url=api.url, api_key="k", max_retries=0)     # POST /v1/messages
        ...
        api.requests  # the JSON bodies received, in order

Each request takes the next script entry: a neutral assistant message
(``content``, ``tool_calls`` with ``id`` optional and ``arguments`` a dict, or a
string sent verbatim), with an optional ``usage`` (``input_tokens``,
``output_tokens``, and ``cost``, which only the OpenAI format reports, as
OpenRouter does); or ``{"error": status}``, answered with that status and an
error body in the API's format. Past the end of the script every answer is a
final "done". A callable script, ``(request_json) -> entry``, answers each
request by looking at it. An entry's ``delay`` (seconds) holds its answer back
that long, other requests going on meanwhile; ``api.peak`` is the most requests
the server had in progress at once (what a rate limiter must keep down).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Entry = dict[str, Any]
Script = list[Entry] | Callable[[dict[str, Any]], Entry]

_OPENAI_ERRORS = {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error",
                  429: "rate_limit_exceeded", 500: "server_error", 503: "server_error"}
_ANTHROPIC_ERRORS = {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error",
                     429: "rate_limit_error", 500: "api_error", 529: "overloaded_error"}


class FakeAPI:
    """A real HTTP server on 127.0.0.1 (a free port) in a background thread, replaying ``script``."""

    def __init__(self, script: Script | None = None) -> None:
        self.script = script if script is not None else []
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self._count = 0
        self._active = 0
        self.peak = 0
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        """The server's root: what the Anthropic SDK takes as base_url (it appends /v1/messages)."""
        if self._server is None:
            raise RuntimeError("FakeAPI is not running; use it as a context manager")
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    @property
    def base_url(self) -> str:
        """What the OpenAI SDK takes as base_url (it appends /chat/completions)."""
        return self.url + "/v1"

    def __enter__(self) -> FakeAPI:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with api._lock:
                    api._active += 1
                    api.peak = max(api.peak, api._active)
                try:
                    status, answer = api._answer(self.path.split("?")[0], body)
                finally:
                    with api._lock:
                        api._active -= 1
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # a short poll interval: shutdown() waits for the loop's next poll (0.5 s by default)
        server = self._server
        threading.Thread(target=lambda: server.serve_forever(poll_interval=0.02), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _answer(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if path.endswith("/chat/completions"):
            fmt = "openai"
        elif path.endswith("/messages"):
            fmt = "anthropic"
        else:
            return 404, _openai_error(404, f"no route {path}")
        with self._lock:
            n = self._count
            self._count += 1
            self.requests.append(body)
            self.paths.append(path)
            if callable(self.script):
                try:
                    entry = self.script(body)
                except Exception as err:  # a broken test script shows up as an API error, not a hang
                    entry = {"error": 500, "message": f"script failed: {type(err).__name__}: {err}"}
            else:
                entry = self.script[n] if n < len(self.script) else {"content": "done"}
        if entry.get("delay"):
            time.sleep(float(entry["delay"]))
        if "error" in entry:
            status = int(entry["error"])
            message = entry.get("message", f"scripted error {status}")
            error = _openai_error(status, message) if fmt == "openai" else _anthropic_error(status, message)
            return status, error
        usage = entry.get("usage") or {}
        tokens = (int(usage.get("input_tokens", len(json.dumps(body)) // 4)),
                  int(usage.get("output_tokens", len(json.dumps(entry)) // 4)))
        if fmt == "openai":
            return 200, _openai_answer(n, entry, body, tokens, usage.get("cost"))
        return 200, _anthropic_answer(n, entry, body, tokens)


def _calls(n: int, entry: Entry, prefix: str) -> list[tuple[str, str, Any]]:
    return [(c.get("id") or f"{prefix}{n}_{i}", c["name"], c.get("arguments", {}))
            for i, c in enumerate(entry.get("tool_calls") or [])]


def _openai_answer(n: int, entry: Entry, body: dict[str, Any], tokens: tuple[int, int],
                   cost: float | None) -> dict[str, Any]:
    calls = [{"id": id, "type": "function",
              "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)}}
             for id, name, args in _calls(n, entry, "call_")]
    message: dict[str, Any] = {"role": "assistant", "content": entry.get("content") or None}
    if calls:
        message["tool_calls"] = calls
    usage: dict[str, Any] = {"prompt_tokens": tokens[0], "completion_tokens": tokens[1],
                             "total_tokens": sum(tokens)}
    if cost is not None:
        usage["cost"] = cost
    return {"id": f"chatcmpl-fake{n}", "object": "chat.completion", "created": 0,
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "message": message, "logprobs": None,
                         "finish_reason": "tool_calls" if calls else "stop"}],
            "usage": usage}


def _anthropic_answer(n: int, entry: Entry, body: dict[str, Any], tokens: tuple[int, int]) -> dict[str, Any]:
    content: list[dict[str, Any]] = []
    if entry.get("content"):
        content.append({"type": "text", "text": entry["content"]})
    calls = _calls(n, entry, "toolu_")
    for id, name, args in calls:
        if isinstance(args, str):  # the Messages API always sends an object; keep a string visible
            args = {"_raw": args}
        content.append({"type": "tool_use", "id": id, "name": name, "input": args})
    return {"id": f"msg_fake{n}", "type": "message", "role": "assistant", "model": body.get("model", "fake"),
            "content": content, "stop_reason": "tool_use" if calls else "end_turn", "stop_sequence": None,
            "usage": {"input_tokens": tokens[0], "output_tokens": tokens[1]}}


def _openai_error(status: int, message: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": _OPENAI_ERRORS.get(status, "error"), "param": None,
                      "code": str(status)}}


def _anthropic_error(status: int, message: str) -> dict[str, Any]:
    kind = _ANTHROPIC_ERRORS.get(status, "api_error")
    return {"type": "error", "error": {"type": kind, "message": message}}
