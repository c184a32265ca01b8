"""The one place where JS engine failures become diagnostics.

Inputs: how the guest stopped (a limit, or normally) and the bootstrap's
report of an uncaught error (name, message, stack, Node error code). Output:
diagnostics with the file, line and column of the innermost frame in the
program's own files, and the stack as a short list of frames.
"""

from __future__ import annotations

import difflib
import json
import posixpath
import re
from typing import Any

from ..._text import distance
from ...diagnostics import Diagnostic, Fix, Span, TextEdit, codes, raw
from ...host.bridge import STOP_HOST, STOP_SUSPENDED
from ...sandbox.guest import STOP_DEADLINE, STOP_FUEL, GuestRun
from ..stops import stopped
from . import budget, pinpoint
from .stack import FRAME as _FRAME
from .stack import helper, innermost
from .stack import own_frames as _frames
from .stack import token_span as _token_span
from .tree import Lines, parse, text, walk

_REJECTION = re.compile(
    r"Possibly unhandled promise rejection: (?P<error>[^\n]*)\n(?P<stack>(?:\s+at [^\n]*\n?)*)")
#: The line `process.exit` leaves on stderr before it ends the engine (runtime/js/lib/process.js).
_EXIT = re.compile(r"\x00worlds:process\.exit (?P<info>[^\n]*)\n?")
_NAMES = {
    "SyntaxError": codes.JS_SYNTAX,
    "ReferenceError": codes.JS_REFERENCE,
    "TypeError": codes.JS_TYPE,
    "RangeError": codes.JS_RANGE,
}


def diagnose(run: GuestRun, report: dict[str, Any], entry: str, sources: dict[str, str],
             workspace: dict[str, bytes], inputs: dict[str, bytes], *,
             rerun: budget.Rerun | None = None) -> list[Diagnostic]:
    """Diagnostics for one run (empty when it succeeded).

    ``rerun`` runs the program again on other files under another fuel
    budget: how a program stopped by its budget is measured (see :mod:`.budget`).
    """
    if run.stop in (STOP_FUEL, STOP_DEADLINE):
        return [_out_of_budget(run, entry, sources, workspace, inputs, rerun)]
    if run.stop == STOP_SUSPENDED:
        return []  # not a failure: the run waits for an answer (RunResult.pending)
    if run.stop == STOP_HOST:
        return [_host_stop(json.loads(run.detail), entry, sources, {**inputs, **workspace})]
    if run.stop is not None:
        return [stopped(run.stop, run.detail, run.limits)]
    error = report.get("error")
    if isinstance(error, dict):
        diag = _uncaught(error, entry, sources, {**inputs, **workspace})
        if diag.code == codes.JS_FS:
            diag = _file_help(diag, error, sorted(set(inputs) | set(workspace)), inputs, sources)
        return [diag]
    if report.get("exitCode"):
        return [_exit(int(report["exitCode"]), "", entry, sources, {**inputs, **workspace})]
    if not report:
        stderr = bytes(run.state.stderr.data).decode(errors="replace")
        exited = _EXIT.search(stderr)
        if exited:
            info = json.loads(exited["info"])
            return [] if info["code"] == 0 else [
                _exit(info["code"], info["stack"], entry, sources, {**inputs, **workspace})]
        rejection = _REJECTION.search(stderr)
        if rejection:
            # QuickJS ends the program on a rejected promise nobody handles, as Node does.
            name, _, message = rejection["error"].partition(": ")
            error = {"name": name, "message": message, "stack": rejection["stack"]}
            diag = _uncaught(error, entry, sources, {**inputs, **workspace})
            return [diag.model_copy(update={
                "message": f"uncaught (in promise) {diag.message}",
                "help": ["handle the rejection with `.catch(...)`, or `await` the promise inside `try`"],
            })]
        return [Diagnostic(
            code=codes.JS_THROW,
            message=f"the program ended early (exit status {run.exit_code})",
            notes=[stderr.strip()] if stderr.strip() else [],
            help=["let the program finish normally; JS-light has no `process.exit`"])]
    return []


def diagnose_raw(run: GuestRun, report: dict[str, Any], entry: str, sources: dict[str, str],
                 workspace: dict[str, bytes], inputs: dict[str, bytes]) -> list[Diagnostic]:
    """Like :func:`diagnose`, but only the engine's words: the error line and its stack."""
    if run.stop == STOP_SUSPENDED:
        return []
    if run.stop is not None:
        return raw.plain([stopped(run.stop, run.detail, run.limits)])
    error = report.get("error")
    if run.stop is None and isinstance(error, dict):
        name, message = str(error.get("name", "Error")), str(error.get("message", ""))
        head = f"Uncaught {message}" if error.get("thrown") else f"Uncaught {name}: {message}"
        own = {entry, *sources, *workspace}  # the program's frames, not the runtime's
        frames = [line.rstrip() for line in str(error.get("stack", "")).splitlines()
                  if (m := _FRAME.match(line)) and m["file"].lstrip("/") in own]
        return [raw.engine("\n".join([head, *frames]))]
    return raw.plain(diagnose(run, report, entry, sources, workspace, inputs))


def _out_of_budget(run: GuestRun, entry: str, sources: dict[str, str], workspace: dict[str, bytes],
                   inputs: dict[str, bytes], rerun: budget.Rerun | None) -> Diagnostic:
    """A program stopped by its fuel or its deadline: where QuickJS reported it was, and why."""
    stack = budget.reported_stack(run)
    files = {**inputs, **workspace}
    frames = _frames(stack, entry, files)
    if frames and frames[0][1] not in sources and frames[0][1] in files:
        sources[frames[0][1]] = files[frames[0][1]].decode(errors="replace")
    return budget.out_of_budget(run, frames, helper(stack), sources, inputs, workspace, rerun,
                                innermost=bool(frames) and innermost(stack) == frames[0])


def stop_reported(report: bytes) -> bool:
    """Whether QuickJS has printed all of a stopped program's error: its message, then its
    stack, each followed by a newline (the stack ends with one of its own)."""
    return report.endswith(b"\n\n")


def engine_noise(stderr: str) -> str:
    """``stderr`` without the engine's own report of an unhandled rejection, or the line
    `process.exit` leaves (a diagnostic says them)."""
    return _EXIT.sub("", _REJECTION.sub("", stderr))


def _exit(status: int, stack: str, entry: str, sources: dict[str, str],
          files: dict[str, bytes]) -> Diagnostic:
    """A run that `process.exit` ended with a failing status (at the call, when the stack says where),
    or that ended with `process.exitCode` set."""
    how = f"process.exit({status})" if stack else f"process.exitCode = {status}"
    found = _uncaught({"name": "Exit", "message": "", "stack": stack}, entry, sources, files) \
        if stack else None
    return Diagnostic(code=codes.JS_EXIT, message=f"the program ended with exit status {status} ({how})",
                      file=found.file if found else entry, span=found.span if found else None,
                      label="exits here" if found and found.span else "",
                      help=["a non-zero status means failure; to stop early after success use "
                            "`process.exit(0)`, to report a problem `throw new Error(...)`"])



def _uncaught(error: dict[str, Any], entry: str, sources: dict[str, str],
              files: dict[str, bytes]) -> Diagnostic:
    name = str(error.get("name", "Error"))
    message = str(error.get("message", ""))
    frames = _frames(str(error.get("stack", "")), entry, files)
    if name == "InternalError" and "stack overflow" in message or (
            name == "RangeError" and "call stack" in message):
        code = codes.STACK
    elif name == "InternalError" and "out of memory" in message:
        code = codes.MEMORY
    elif name == "SyntaxError" and "at parse (native)" in str(error.get("stack", "")):
        code = codes.JS_JSON
    elif error.get("code", "").startswith("E") and name != "AssertionError":
        code = codes.JS_FS
    elif error.get("hostFunction"):
        code = codes.JS_HOST_FAILED
    elif error.get("thrown"):
        code = codes.JS_THROW
    else:
        code = _NAMES.get(name, codes.JS_THROW)
    headline = f"{name}: {message}" if not error.get("thrown") else f"uncaught {message}"
    if code == codes.JS_HOST_FAILED:
        headline = f"{error['hostFunction']} failed: {message}"
    if code == codes.JS_JSON:
        headline = f"JSON.parse: {message}"
    if name == "SyntaxError" and not frames:
        texts = {p: d.decode(errors="replace") for p, d in files.items() if p.endswith((".js", ".mjs"))}
        texts.update(sources)
        found = pinpoint.missing_export(message, texts)
        if found is not None:
            importer, missing = found
            sources.setdefault(importer, texts[importer])
            return Diagnostic(code=codes.JS_IMPORT, message=missing.message, file=importer,
                              span=missing.span, label=missing.label, notes=missing.notes,
                              fixes=missing.fixes)
    where = frames[0] if frames else None
    thrown_at = None
    if where is None and error.get("thrown") and entry in sources:
        thrown_at = _throw_site(sources[entry], message)
        if thrown_at is not None:
            where = ("", entry, thrown_at.start.line, thrown_at.start.column)
    file, span = None, None
    label, notes, help_, fixes = "", [], [], []
    if where:
        file, line, col = where[1], where[2], where[3]
        if file in files and file not in sources:
            sources[file] = files[file].decode(errors="replace")
        source = sources.get(file, "")
        span = thrown_at or _token_span(source, line, col)
        context = error.get("context")
        finding = pinpoint.explain(name, message, source, line, col,
                                   context if isinstance(context, list) else [])
        if finding is not None:
            headline, span, label = finding.message, finding.span, finding.label
            notes, help_, fixes = finding.notes, finding.help, finding.fixes
            notes.append(f"the engine said: {name}: {message}")
    if code == codes.JS_JSON:
        json_file, offset = error.get("jsonFile"), error.get("jsonOffset")
        if isinstance(json_file, str) and json_file.lstrip("/") in files and isinstance(offset, int):
            data_file = json_file.lstrip("/")
            text = files[data_file].decode(errors="replace")
            sources[data_file] = text
            if where:
                notes.append(f"parsed by `JSON.parse` at {where[1]}:{where[2]}:{where[3]}")
            headline = f"JSON.parse: {message} in `{data_file}`"
            file, span, label = data_file, _utf16_span(text, offset), "the JSON stops making sense here"
            if data_file.endswith((".jsonl", ".ndjson")):
                help_.append("JSON Lines holds one JSON value per line: parse each line on its own")
            elif data_file.endswith((".csv", ".tsv")):
                help_.append(f"`{data_file}` is CSV, not JSON: read it with `readCSV('{data_file}')`, "
                             "which gives one object per row")
            elif not data_file.endswith(".json"):
                help_.append(f"`{data_file}` is not a JSON file; parse it as what it is")
        else:
            help_.append("the text given to `JSON.parse` is not JSON; check which file it came from "
                         "(a CSV file is parsed by splitting lines and fields)")
    if len(frames) > 1:
        notes.append("stack, innermost first:\n" + "\n".join(
            f"{f}:{ln}:{c}" + (f" in {fn}" if fn and not fn.startswith("<") else "")
            for fn, f, ln, c in frames[:8]))
    return Diagnostic(code=code, message=headline, file=file, span=span, label=label, notes=notes,
                      help=help_, fixes=fixes)


def _host_stop(stop: dict[str, str], entry: str, sources: dict[str, str],
               files: dict[str, bytes]) -> Diagnostic:
    """A run a host call stopped (too many calls, a tape that does not hold the call): at the call."""
    found = _uncaught({"name": "Error", "message": "", "stack": stop.get("site", "")}, entry, sources, files)
    return Diagnostic(code=codes.JS_HOST_STOP, message=stop["message"], file=found.file or entry,
                      span=found.span, label="this call" if found.span else "", help=[stop["help"]])


def unused_tape(unused: int, held: int) -> Diagnostic:
    """A replayed run that ended before making every call on its tape."""
    return Diagnostic(code=codes.JS_HOST_STOP, severity="warning",
                      message=f"the run made {held - unused} of the {held} calls on the tape",
                      help=["the program or its inputs changed since the tape was recorded; "
                            "the last calls on the tape were not made"])


def _throw_site(source: str, shown: str) -> Span | None:
    """Where a thrown non-Error (which carries no stack) was thrown: the one `throw` that fits."""
    tree = parse(source)
    throws = [n for n in walk(tree.root_node) if n.type == "throw_statement"]
    fitting = [n for n in throws if n.named_children and text(n.named_children[0]) == shown]
    site = fitting[0] if len(fitting) == 1 else throws[0] if len(throws) == 1 else None
    if site is None or not site.named_children:
        return None
    node = site.named_children[0]
    lines = Lines(source)
    return Span.at(*lines.start(node), *lines.end(node))


def _utf16_span(text: str, offset: int) -> Span:
    """The span of the character at JavaScript (UTF-16) offset ``offset`` of ``text``."""
    units = text.encode("utf-16-le", "surrogatepass")
    index = len(units[: 2 * max(offset, 0)].decode("utf-16-le", "ignore"))
    index = min(index, len(text))
    return Span.from_offsets(text, index, min(index + 1, len(text)))


def _file_help(diag: Diagnostic, error: dict[str, Any], files: list[str],
               inputs: dict[str, bytes], sources: dict[str, str]) -> Diagnostic:
    """Say what to do about a failed file operation: the nearest names, or where to write."""
    path = str(error.get("path", "")).lstrip("./")
    code = error.get("code")
    help_, notes, fixes = list(diag.help), list(diag.notes), list(diag.fixes)
    if code == "ENOENT":
        near = difflib.get_close_matches(path, files, n=3, cutoff=0.5)
        if near:
            help_.append("did you mean " + " or ".join(f"`{n}`" for n in near) + "?")
        fixes += _file_fix(path, files, sources.get(diag.file or "", ""))
        shown = ", ".join(files[:12]) + (f", ... ({len(files)} in all)" if len(files) > 12 else "")
        notes.append(f"files in this world: {shown or '(none)'}")
    elif code == "EACCES" and path in inputs:
        help_.append(f"`{path}` is an input of the world and read-only; write your result to a new file")
    elif code == "EACCES":
        help_.append("paths are relative to the world's root and cannot leave it")
    return diag.model_copy(update={"help": help_, "notes": notes, "fixes": fixes})


def _file_fix(path: str, files: list[str], source: str) -> list[Fix]:
    """Rename the missing file where the program names it, when one file is clearly meant.

    The path may reach the failing call through a variable or a parameter
    (`readCsv('order.csv')`); the fix edits the string literals that name it.
    """
    folder = posixpath.dirname(path)
    if folder and not any(f.startswith(folder + "/") for f in files):
        return []  # the folder is missing too: maybe a write into it, not a misnamed input
    scored = sorted((distance(path, f), f) for f in files if f != path)
    if not scored or scored[0][0] > 2 or len(scored) > 1 and scored[1][0] <= scored[0][0] or not source:
        return []
    best = scored[0][1]
    literals = [n for n in walk(parse(source).root_node) if n.type == "string"
                and text(n)[1:-1].removeprefix("./") == path]
    if not literals:
        return []
    lines = Lines(source)
    edits = []
    for node in literals:
        quoted = text(node)
        replacement = quoted[0] + ("./" if quoted[1:].startswith("./") else "") + best + quoted[-1]
        edits.append(TextEdit(span=Span.at(*lines.start(node), *lines.end(node)), replacement=replacement))
    where = "" if len(edits) == 1 else f" (all {len(edits)} places)"
    return [Fix(description=f"read `{best}`{where}", edits=edits, applicable=True)]
