"""One run's line to the host: calls answered by host functions, a tape, or a resume.

The guest writes a call (JSON: name, arguments, and the stack where the
program made it) into a device file and reads the reply (a value, or an
error to throw). Every call is recorded on the run's tape in order. A run
given a tape (``replay``) is answered from it and never touches the host;
a call the tape does not hold stops the run with a diagnostic. A call to a
function that returns :func:`suspend` (or needs approval) stops the run
as *suspended*; resuming runs the program again with the tape so far and
the supplied answer, which puts it in the same state (runs are
deterministic) and lets it go on.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import queue
import threading
import time
from collections.abc import Mapping
from typing import Any

from pydantic_core import to_jsonable_python

from ..limits import Limits
from ..result import call_text
from ..sandbox.guest import credit_wall_time
from ..sandbox.wasi import GuestStop, active
from .functions import ArgumentError, Functions, Suspend

#: The device file, at the guest's root (hidden, like the runtime's other files).
DEVICE = "<host>"
#: GuestStop reasons: the run stopped at a call (``detail`` is JSON: message, site, help).
STOP_HOST, STOP_SUSPENDED = "host", "suspended"
#: An answer to a pending call that means "approved: call the function now".
APPROVE = object()
_MISSING = object()


class Bridge:
    """The host side of one run's calls."""

    def __init__(self, functions: Functions, limits: Limits, *, replay: list[dict[str, Any]] | None = None,
                 strict: bool = False, answers: Mapping[str, Any] | None = None) -> None:
        self.functions = functions
        self.limits = limits
        self.replay = list(replay or [])
        self.strict = strict  # a tape given to replay: every call must be on it
        self.answers = dict(answers or {})
        self.calls: list[dict[str, Any]] = []
        self.pending: list[dict[str, Any]] = []
        self._worker: _Worker | None = None
        self._stopping: tuple[str, str] | None = None  # a stop to raise once the guest says where

    # -- the device -------------------------------------------------------------

    def respond(self, request: bytes) -> bytes:
        """Answer one call the guest wrote (the device's hook).

        A call that stops the run is answered ``{"stop": true}``; the guest then writes where the
        call was made (its stack, which costs more than the rest of a call to take every time),
        and that second write stops the guest.
        """
        try:
            call = json.loads(request)
            if self._stopping is not None and "site" in call:
                reason, detail = self._stopping
                if reason == STOP_HOST:
                    detail = json.dumps({**json.loads(detail), "site": str(call["site"])})
                raise GuestStop(reason, detail)
            name, args = str(call["name"]), list(call["args"])
        except (ValueError, KeyError, TypeError):
            return _reply(error=("Error", "a host call must be written by calling the function"))
        try:
            return self._answer(name, args, len(request))
        except GuestStop as stop:
            self._stopping = (stop.reason, stop.detail)
            return b'{"stop":true}'

    def _answer(self, name: str, args: list[Any], size: int) -> bytes:
        number = len(self.calls) + 1
        call_id = f"c{number}"
        if number > self.limits.host_calls:
            self._stop(f"the program made more than {self.limits.host_calls:,} host calls",
                       "call less often: fetch in bulk, or keep what a call returned instead of asking "
                       "again; the cap is `limits.host_calls`")
        if size > self.limits.host_bytes:
            return self._record(call_id, name, args, error=(
                "RangeError", f"the arguments of {name} are {size:,} bytes; a call may pass at "
                              f"most {self.limits.host_bytes:,} (limits.host_bytes)"))
        if number <= len(self.replay):
            return self._from_tape(call_id, name, args, self.replay[number - 1])
        if self.strict:
            self._stop(f"call {call_id}, {_show(name, args)}, is not on the tape: the tape holds "
                       f"{len(self.replay)} call{'s' if len(self.replay) != 1 else ''}",
                       "replay with the tape of a run of this same program and world")
        answer = self.answers.pop(call_id, _MISSING)
        if answer is not _MISSING and answer is not APPROVE:
            if isinstance(answer, BaseException):
                return self._record(call_id, name, args, error=("Error", _message(answer)))
            return self._record(call_id, name, args, value=answer)
        function = self.functions.get(name)
        if function is None:
            return self._record(call_id, name, args, error=("TypeError", f"{name} is not a host function"))
        try:
            kwargs = function.bind(args)
        except ArgumentError as err:
            return self._record(call_id, name, args, error=("TypeError", str(err)))
        if function.approval and answer is not APPROVE:
            self._suspend(call_id, name, args, function.approval)
        try:
            value = self._invoke(function.fn, kwargs, name)
        except _HostError as err:
            return self._record(call_id, name, args, error=("Error", err.message))
        if isinstance(value, Suspend):
            self._suspend(call_id, name, args, value.reason)
        return self._record(call_id, name, args, value=value)

    # -- what the run leaves ------------------------------------------------------

    def unused(self) -> int:
        """Calls on a replayed tape the run never made."""
        return max(0, len(self.replay) - len(self.calls)) if self.strict else 0

    # -- inside ---------------------------------------------------------------------

    def _from_tape(self, call_id: str, name: str, args: list[Any], entry: dict[str, Any]) -> bytes:
        if entry.get("name") != name or _canonical(entry.get("args")) != _canonical(args):
            self._stop(f"call {call_id} is {_show(name, args)}, but the tape's {call_id} is "
                       f"{_show(str(entry.get('name')), entry.get('args'))}",
                       "the program or its inputs changed since the tape was recorded: record it again")
        if isinstance(entry.get("error"), dict):
            err = entry["error"]
            return self._record(call_id, name, args, error=(str(err.get("name", "Error")),
                                                            str(err.get("message", ""))))
        return self._record(call_id, name, args, value=entry.get("value"))

    def _record(self, call_id: str, name: str, args: list[Any], *, value: Any = None,
                error: tuple[str, str] | None = None) -> bytes:
        entry: dict[str, Any] = {"id": call_id, "name": name, "args": args}
        if error is None:
            try:
                value = to_jsonable_python(value)
                text = json.dumps({"value": value}, ensure_ascii=False, allow_nan=False)
            except (ValueError, TypeError) as err:
                error = ("TypeError", f"{name} returned a value JSON cannot hold ({err})")
            else:
                if len(text) > self.limits.host_bytes:
                    error = ("RangeError", f"{name} returned {len(text):,} bytes; a call's result may be "
                                           f"at most {self.limits.host_bytes:,} (limits.host_bytes): "
                                           "ask for less")
        if error is not None:
            entry["error"] = {"name": error[0], "message": error[1]}
            self.calls.append(entry)
            return _reply(error=error, function=name)
        entry["value"] = value
        self.calls.append(entry)
        return text.encode()

    def _invoke(self, fn: Any, kwargs: dict[str, Any], name: str) -> Any:
        """Call the host function on the run's worker thread under the per-call wall limit (an
        ``async`` one on an event loop of its own). The time it took is given back to the run's
        deadline. A call that does not answer in time is abandoned with its thread."""
        if self._worker is None:
            self._worker = _Worker()
        started = time.perf_counter()
        done, value, error = self._worker.call(fn, kwargs, self.limits.host_call_ms / 1000)
        spent = time.perf_counter() - started
        credit_wall_time(active(), spent)
        if not done:
            self._worker = None
            raise _HostError(f"{name} did not answer within {self.limits.host_call_ms:,} ms "
                             "(limits.host_call_ms)")
        if error is not None:
            raise _HostError(_message(error))
        return value

    def close(self) -> None:
        """End the run's worker thread (the run is over)."""
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def _suspend(self, call_id: str, name: str, args: list[Any], reason: str) -> None:
        self.pending.append({"id": call_id, "name": name, "args": args, "reason": reason})
        raise GuestStop(STOP_SUSPENDED, reason)

    def _stop(self, message: str, help_text: str) -> None:
        raise GuestStop(STOP_HOST, json.dumps({"message": message, "help": help_text}))


class _Worker:
    """A thread that makes one run's host calls, one at a time: a thread per call would cost
    more than the rest of the call together."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[tuple[Any, dict[str, Any]] | None] = queue.SimpleQueue()
        self._results: queue.SimpleQueue[Any] = queue.SimpleQueue()
        threading.Thread(target=self._serve, name="worlds host calls", daemon=True).start()

    def call(self, fn: Any, kwargs: dict[str, Any],
             timeout_s: float) -> tuple[bool, Any, BaseException | None]:
        """(answered in time, value, exception)."""
        token = object()
        _WATCHED[token] = (time.monotonic() + timeout_s, self._results)
        _watchdog()
        self._jobs.put((fn, kwargs))
        answer = self._results.get()
        _WATCHED.pop(token, None)
        if answer is _TIMEOUT:
            self._jobs.put(None)  # the thread ends after the call it is stuck in, if ever
            return False, None, None
        value, error = answer
        return True, value, error

    def stop(self) -> None:
        self._jobs.put(None)

    def _serve(self) -> None:
        while (job := self._jobs.get()) is not None:
            fn, kwargs = job
            try:
                result = fn(**kwargs)
                if inspect.isawaitable(result):
                    result = asyncio.run(_awaited(result))
                self._results.put((result, None))
            except BaseException as err:  # the host's exception becomes the program's Error
                self._results.put((None, err))


#: Calls in progress: when each must answer by, and where to say it did not. A get with a timeout
#: costs 2-3 times a plain one, so the timeouts are kept by one thread that looks every 50 ms.
_WATCHED: dict[object, tuple[float, queue.SimpleQueue[Any]]] = {}
_TIMEOUT = object()
_WATCHDOG: list[threading.Thread] = []


def _watchdog() -> None:
    if not _WATCHDOG:
        _WATCHDOG.append(threading.Thread(target=_watch, name="worlds host call timeouts", daemon=True))
        _WATCHDOG[0].start()


def _watch() -> None:
    while True:
        time.sleep(0.05)
        now = time.monotonic()
        for token, (deadline, results) in list(_WATCHED.items()):
            if now >= deadline and _WATCHED.pop(token, None) is not None:
                results.put(_TIMEOUT)


class _HostError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def _awaited(result: Any) -> Any:
    return await result


def _reply(*, error: tuple[str, str], function: str = "") -> bytes:
    return json.dumps({"error": {"name": error[0], "message": error[1], "function": function}},
                      ensure_ascii=False).encode()


def _message(err: BaseException) -> str:
    """An exception as the program sees it: its message (its type when it has none), no traceback."""
    text = str(err).strip()
    return text if text else type(err).__name__


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _show(name: str, args: Any) -> str:
    """``crm.findCustomer({"id": 3})``, its arguments cut to a line."""
    return call_text(name, args, width=80) if isinstance(args, list) else f"{name}(?)"
