"""Fuzz the HTTP API from its own OpenAPI document (schemathesis): no answer is a 5xx.

The server runs as `worlds serve` would (a uvicorn process on loopback). Most
generated requests are aimed at a real session, so that they reach the files,
runs and tools instead of stopping at "no such session". Bounded: a few
examples per operation, so this stays a few seconds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from conftest import Server
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = Server(tmp_path_factory.mktemp("fuzz-data"), "sales", workers=1)
    yield server.base
    assert "Traceback" not in server.stop()


@pytest.fixture(scope="module")
def sessions(server: str) -> list[str]:
    ids = [httpx.post(f"{server}/v1/sessions", json={"world": "sales"}).json()["id"] for _ in range(2)]
    httpx.put(f"{server}/v1/sessions/{ids[0]}/files/main.js", json={"content": "console.log(1)"})
    return ids


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_no_request_gets_a_5xx(server: str, sessions: list[str], mode: str) -> None:
    # schemathesis' pytest plugin does not run under pytest 9 yet; drive Hypothesis directly.
    schema = schemathesis.openapi.from_url(f"{server}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    with httpx.Client(base_url=server, timeout=30) as http:
        for operation in operations:
            @given(case=operation.as_strategy(GenerationMode(mode)))
            @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def call(case: Any) -> None:
                if "id" in (case.path_parameters or {}) and \
                        random.Random(repr(case.path_parameters)).random() < 0.8:
                    case.path_parameters["id"] = sessions[0] if case.method != "DELETE" else \
                        http.post("/v1/sessions", json={"world": "sales"}).json()["id"]
                response = case.call(base_url=server, timeout=30)
                where = f"{case.method} {case.formatted_path}"
                assert response.status_code < 500, f"{where}: {response.status_code} {response.text}"
                if response.status_code >= 400:
                    error = response.json().get("error")
                    assert isinstance(error, str) and error, f"{where}: {response.text}"
            try:
                call()
            except Unsatisfiable:  # nothing to negate (a route with no parameters and no body)
                assert mode == "negative", operation.label
        assert http.get("/healthz").json()["ok"]
