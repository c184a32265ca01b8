"""The HTTP side of ``worlds serve``: a JSON API under ``/v1`` and MCP at ``/mcp``, one app.

Routes (the TypeScript client in ``bindings/typescript`` relies on these paths
and shapes; fields may be added, never renamed)::

    GET    /v1/worlds                          the worlds served
    POST   /v1/sessions          {"world"}     open a session -> 201
    GET    /v1/sessions/{id}                   its files and history
    DELETE /v1/sessions/{id}                   -> 204
    GET    /v1/sessions/{id}/tools?format=...  tool specs (openai, openai-responses, anthropic, mcp)
    POST   /v1/sessions/{id}/call  {"name", "arguments"}  a tool call: {"text", "ok", "receipt", "changed"}
    PUT    /v1/sessions/{id}/files/{path}  {"content"}    write a file
    GET    /v1/sessions/{id}/files/{path}                 read a file
    POST   /v1/sessions/{id}/run   {"code" | "path", "lang"?}  a run: RunResult JSON plus "text"
    GET    /v1/sessions/{id}/history
    GET    /healthz, /openapi.json, /docs

A tool that reports a problem to the model (a failed run, an edit whose text
was not found) is a 200 answer with ``"ok": false``: that is the tool's
answer, not an HTTP error. 4xx answers are for requests the server cannot
act on, and always carry ``{"error": "<what was wrong and what to send>"}``.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import re
from collections.abc import AsyncIterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

from fastapi import Body, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__, languages
from ..world import World
from .jobs import dumps
from .runner import Pool
from .service import DEFAULT_IDLE_S, ServeError, Service
from .store import Store

log = logging.getLogger("worlds.serve")
ModelT = TypeVar("ModelT", bound=BaseModel)

#: Largest request body accepted (a file write carries the whole file).
MAX_BODY = 16 * 1024 * 1024
FORMATS = ("openai", "openai-responses", "anthropic", "mcp")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
_UNION_TAG = re.compile(r"^(str|int|float|bool|none|list|dict|[a-z-]+\[.*\])$")


class JSON(Response):
    """A JSON answer that survives any text a program printed (see :func:`.jobs.dumps`)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else dumps(content)


# -- request and answer shapes (these make the OpenAPI document) ------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Error(BaseModel):
    error: str = Field(description="what was wrong with the request, and what to send instead")


class WorldInfo(BaseModel):
    name: str
    description: str
    files: list[str]


class Worlds(BaseModel):
    worlds: list[WorldInfo]


class NewSession(Strict):
    world: str | None = Field(None, description="the world to work in; optional when only one is served")


class Created(BaseModel):
    id: str
    world: str
    created: float = Field(description="Unix time")
    tools: list[str]


class FileInfo(BaseModel):
    path: str
    size: int
    input: bool = Field(description="true for the world's read-only input files")


class SessionInfo(BaseModel):
    id: str
    world: str
    created: float
    files: list[FileInfo]
    history: list[dict[str, Any]]


class Tools(BaseModel):
    tools: list[dict[str, Any]]


class Call(Strict):
    name: str = Field(description="a tool name, as in GET /v1/sessions/{id}/tools")
    arguments: dict[str, Any] | str | None = Field(
        None, description="the tool's arguments: an object, or the same object as a JSON string")


class Answer(BaseModel):
    text: str = Field(description="what the model reads")
    ok: bool
    receipt: str | None
    changed: list[str]


class FileContent(Strict):
    content: str


class Written(BaseModel):
    path: str
    size: int


class FileText(BaseModel):
    path: str
    content: str


class RunRequest(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "oneOf": [{"required": ["code"]}, {"required": ["path"]}]})

    code: str | None = Field(None, description="program text; give this or path")
    path: str | None = Field(None, description="a workspace or input file to run; give this or code")
    lang: Literal[languages.names()] | None = Field(  # type: ignore[valid-type]
        None, description="default: from the file's extension, else js")


class Approve(Strict):
    calls: list[str] | None = Field(None, description="the pending calls to approve (their ids); "
                                                      "omit for all: the host functions are called now")


class Deny(Strict):
    call: str = Field(description="the pending call to refuse: the program gets an Error at it")
    reason: str = Field("denied", description="the Error's message")


class Resume(Strict):
    answers: dict[str, Any] = Field(description="each pending call's id and the value it returns")


class History(BaseModel):
    history: list[dict[str, Any]]


class Health(BaseModel):
    ok: bool
    worlds: int
    workers: int


NO_BODY = Body(None)
ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": Error, "description": text} for status, text in (
        (400, "the request cannot be carried out (the message says why)"),
        (401, "a bearer token is required"),
        (404, "no such session or file"),
        (422, "the request does not have the expected shape"),
        (503, "the server could not finish the request; nothing changed, send it again"),
    )}


# -- the app ------------------------------------------------------------------------------


def create_app(worlds: Sequence[World] | Mapping[str, World], data_dir: str | Path, *,
               token: str | None = None, idle_s: float = DEFAULT_IDLE_S, workers: int | None = None,
               allowed_hosts: Sequence[str] | None = None, hot_routes: bool = True) -> FastAPI:
    """The ASGI app serving ``worlds``: sessions persisted under ``data_dir``, runs on ``workers``
    processes (default: one per core). With ``token``, every route but ``/healthz`` needs
    ``Authorization: Bearer <token>``. ``allowed_hosts`` (host names, e.g. the loopback names
    when bound there) refuses requests whose ``Host`` is another: a defence against DNS rebinding."""
    from .mcp import McpFront

    served = named(worlds)
    service = Service(served, Store(data_dir), Pool(served, workers), idle_s=idle_s)
    mcp = McpFront(service, http_hosts=allowed_hosts)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await service.start()
        try:
            async with mcp.manager.run():
                yield
        finally:
            await service.close()

    app = FastAPI(title="worlds", version=__version__, lifespan=lifespan,
                  description="Sessions over deterministic, sandboxed worlds: write files, run "
                              "JS-light and SQL, read diagnostics. MCP is served at /mcp.")
    app.state.service = service
    _routes(app, service)
    _errors(app)
    # The exact path too: a mount alone answers `/mcp` with a redirect to `/mcp/`,
    # and MCP clients that do not follow redirects on POST would fail to connect.
    app.router.routes.append(Route("/mcp", endpoint=mcp.asgi))
    app.mount("/mcp", mcp.asgi)
    if hot_routes:
        app.add_middleware(_HotRoutes, service=service)
    app.add_middleware(_Guard, token=token, hosts=allowed_hosts)
    return app


def named(worlds: Sequence[World] | Mapping[str, World]) -> dict[str, World]:
    if isinstance(worlds, Mapping):
        return dict(worlds)
    out: dict[str, World] = {}
    for world in worlds:
        if world.name in out:
            raise ValueError(f"two worlds are named {world.name!r}; give each a unique name in world.toml")
        out[world.name] = world
    return out


def _routes(app: FastAPI, service: Service) -> None:
    @app.get("/healthz", response_model=Health, tags=["server"])
    async def healthz() -> JSON:
        return JSON({"ok": True, "worlds": len(service.worlds), "workers": service.pool.size})

    @app.get("/v1/worlds", response_model=Worlds, responses=ERRORS, tags=["worlds"])
    async def list_worlds() -> JSON:
        return JSON({"worlds": [{"name": n, "description": w.description, "files": sorted(w.files)}
                                for n, w in service.worlds.items()]})

    @app.post("/v1/sessions", response_model=Created, status_code=201, responses=ERRORS, tags=["sessions"])
    async def create_session(body: NewSession | None = NO_BODY) -> JSON:
        live = service.open(body.world if body is not None else None)
        return JSON({"id": live.id, "world": live.world, "created": live.created,
                     "tools": [t["name"] for t in live.session.tools("mcp")]},
                    status_code=201)

    @app.get("/v1/sessions/{id}", response_model=SessionInfo, responses=ERRORS, tags=["sessions"])
    async def get_session(id: str) -> JSON:
        live = service.get(id)
        return JSON({"id": live.id, "world": live.world, "created": live.created,
                     "files": service.files(live), "history": service.history(live)})

    @app.delete("/v1/sessions/{id}", status_code=204, responses=ERRORS, tags=["sessions"])
    async def delete_session(id: str) -> Response:
        await service.delete(id)
        return Response(status_code=204)

    @app.get("/v1/sessions/{id}/tools", response_model=Tools, responses=ERRORS, tags=["tools"])
    async def tools(id: str, format: Literal["openai", "openai-responses", "anthropic", "mcp"] = Query(
            "openai", description="the tool-spec dialect")) -> JSON:
        live = service.get(id)
        return JSON({"tools": live.session.tools(format)})

    # These four are the hot routes: _HotRoutes serves them without FastAPI's machinery, through
    # the same functions; the declarations here make the OpenAPI document (and serve them when
    # create_app(hot_routes=False)).
    @app.post("/v1/sessions/{id}/call", response_model=Answer, responses=ERRORS, tags=["tools"])
    async def call(id: str, body: Call) -> JSON:
        return JSON(await do_call(service, id, body))

    @app.put("/v1/sessions/{id}/files/{path:path}", response_model=Written, responses=ERRORS,
             tags=["files"])
    async def write_file(id: str, path: str, body: FileContent) -> JSON:
        return JSON(await do_write(service, id, path, body))

    @app.get("/v1/sessions/{id}/files/{path:path}", response_model=FileText, responses=ERRORS,
             tags=["files"])
    async def read_file(id: str, path: str) -> JSON:
        return JSON(do_read(service, id, path))

    @app.post("/v1/sessions/{id}/run", responses={**ERRORS, 200: {
        "description": "the RunResult as JSON (see worlds.RunResult.to_json) plus `text`, "
                       "what an agent reads", "content": {"application/json": {"schema": {
                           "type": "object", "required": ["ok", "text", "receipt", "diagnostics"]}}}}},
        tags=["runs"])
    async def run(id: str, body: RunRequest) -> JSON:
        return JSON(await do_run(service, id, body))

    # The human side of a suspended run: a run that stopped at a host call needing approval (its
    # answer says `suspended` and lists the pending calls) goes on when one of these is posted.
    @app.post("/v1/sessions/{id}/approve", responses=ERRORS, tags=["runs"])
    async def approve(id: str, body: Approve | None = NO_BODY) -> JSON:
        calls = body.calls if body is not None else None
        return JSON(await service.resume(id, "approve", calls=calls or []))

    @app.post("/v1/sessions/{id}/deny", responses=ERRORS, tags=["runs"])
    async def deny(id: str, body: Deny) -> JSON:
        return JSON(await service.resume(id, "deny", call=body.call, reason=body.reason))

    @app.post("/v1/sessions/{id}/resume", responses=ERRORS, tags=["runs"])
    async def resume(id: str, body: Resume) -> JSON:
        return JSON(await service.resume(id, "resume", answers=body.answers))

    @app.get("/v1/sessions/{id}/history", response_model=History, responses=ERRORS, tags=["sessions"])
    async def history(id: str) -> JSON:
        return JSON({"history": service.history(service.get(id))})


async def do_run(service: Service, sid: str, body: RunRequest) -> bytes:
    if (body.code is None) == (body.path is None):
        raise ServeError(400, 'give exactly one of "code" (program text) or "path" (a file to run)')
    return await service.run(sid, code=body.code, path=body.path, lang=body.lang)


async def do_call(service: Service, sid: str, body: Call) -> dict[str, Any]:
    answer = await service.call(sid, body.name, body.arguments)
    return {"text": answer.text, "ok": answer.ok, "receipt": answer.receipt, "changed": list(answer.changed)}


async def do_write(service: Service, sid: str, path: str, body: FileContent) -> dict[str, Any]:
    clean, size = await service.write(sid, path, body.content)
    return {"path": clean, "size": size}


def do_read(service: Service, sid: str, path: str) -> dict[str, Any]:
    return {"path": path, "content": service.read(sid, path)}


_HOT_PATH = re.compile(r"/v1/sessions/([^/]+)/(run|call|files/(.+))")


class _HotRoutes:
    """The routes an agent loop calls over and over (run, call, write and read a file), served
    straight from ASGI: the same functions and the same pydantic models as the FastAPI routes,
    without routing through every route, dependency solving and response models, which cost
    more than the rest of the request. Anything else goes on to FastAPI."""

    def __init__(self, app: ASGIApp, service: Service) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = _HOT_PATH.fullmatch(scope["path"]) if scope["type"] == "http" else None
        method = scope.get("method")
        verb = None if match is None else "files" if match[3] is not None else match[2]
        if verb is None or (method, verb) not in (("POST", "run"), ("POST", "call"), ("PUT", "files"),
                                                  ("GET", "files")):
            await self.app(scope, receive, send)
            return
        assert match is not None
        sid, path = match[1], match[3]
        answer: Any
        try:
            if method == "GET":
                status, answer = 200, do_read(self.service, sid, path)
            else:
                body = await _body(scope, receive)
                if verb == "run":
                    answer = await do_run(self.service, sid, _parse(RunRequest, body))
                elif verb == "call":
                    answer = await do_call(self.service, sid, _parse(Call, body))
                else:
                    answer = await do_write(self.service, sid, path, _parse(FileContent, body))
                status = 200
        except ServeError as err:
            status, answer = err.status, {"error": err.message}
        except ValidationError as err:
            errors = [{**e, "loc": ("body", *e["loc"])} for e in err.errors()]
            status, answer = 422, {"error": validation_sentence(errors), "detail": _plain(errors)}
        except Exception as err:
            log.exception("internal error on %s %s", method, scope["path"])
            status, answer = 500, {"error": f"internal error ({type(err).__name__}); "
                                            "this is a bug in the server"}
        data = answer if isinstance(answer, bytes) else dumps(answer)
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
        await send({"type": "http.response.body", "body": data})


async def _body(scope: Scope, receive: Receive) -> bytes | None:
    """The request body, or None when its Content-Type says it is not JSON (as FastAPI reads it)."""
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    kind = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower()
    if kind and not (kind == b"application/json" or kind.endswith(b"+json")):
        return None
    return b"".join(chunks)


def _parse(model: type[ModelT], body: bytes | None) -> ModelT:
    if not body:  # no body, or not JSON: FastAPI's words for it
        raise ValidationError.from_exception_data("body", [{"type": "missing", "loc": (), "input": None}])
    return model.model_validate_json(body)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(ServeError)
    async def serve_error(request: Request, err: ServeError) -> JSON:
        return JSON({"error": err.message}, status_code=err.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> JSON:
        return JSON({"error": validation_sentence(err.errors()), "detail": _plain(err.errors())},
                    status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> JSON:
        if err.status_code == 404:
            text = f"no route {request.method} {request.url.path}; the API is described at /openapi.json"
        elif err.status_code == 405:
            text = f"{request.method} is not allowed on {request.url.path}; see /openapi.json"
        else:
            text = str(err.detail)
        return JSON({"error": text}, status_code=err.status_code, headers=getattr(err, "headers", None))

    @app.exception_handler(Exception)
    async def crash(request: Request, err: Exception) -> JSON:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return JSON({"error": f"internal error ({type(err).__name__}); this is a bug in the server"},
                    status_code=500)


def validation_sentence(errors: Sequence[Any]) -> str:
    """One plain sentence for FastAPI's validation errors."""
    found: dict[str, list[str]] = {}  # subject -> what is wrong with it
    for e in errors:
        loc = [str(x) for x in e.get("loc", ())]
        kind = e.get("type", "")
        where = {"body": "body", "query": "query parameter", "path": "path parameter",
                 "header": "header"}.get(loc[0] if loc else "", "")
        name = ".".join(x for x in loc[1:] if not _UNION_TAG.match(x))
        if kind == "json_invalid":
            subject, what = "the body", f"is not valid JSON ({e.get('ctx', {}).get('error', e.get('msg'))})"
        elif where == "body" and not name and kind in ("model_attributes_type", "model_type", "dict_type",
                                                      "missing"):
            subject, what = "the body", "must be a JSON object (sent with Content-Type: application/json)"
        else:
            subject = f"{where} field {name!r}" if where == "body" and name else (
                f"{where} {name!r}" if name else "the body" if where == "body" else where or "the request")
            msg = str(e.get("msg", "is invalid"))
            what = {"missing": "is missing", "extra_forbidden": "is not expected"}.get(
                kind, ": " + (msg[:1].lower() + msg[1:]))
        whats = found.setdefault(subject, [])
        if what not in whats:
            whats.append(what)
    parts = [subject + (" " if not whats[0].startswith(":") else "") + ", or ".join(
        w.removeprefix(": ") if i else w for i, w in enumerate(whats)) for subject, whats in found.items()]
    more = f" (and {len(parts) - 5} more)" if len(parts) > 5 else ""
    return ("the request does not fit this route: " + "; ".join(parts[:5]) + more
            + "; see /openapi.json for the expected shape")


def _plain(errors: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"loc": list(e.get("loc", ())), "type": e.get("type"), "msg": e.get("msg")} for e in errors]


class _Guard:
    """Every request: bearer token, Host check, and a body size limit, before any routing."""

    def __init__(self, app: ASGIApp, token: str | None, hosts: Sequence[str] | None) -> None:
        self.app = app
        self.token = f"Bearer {token}".encode() if token else None
        self.hosts = tuple(h.encode() for h in hosts) if hosts else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if self.hosts is not None:
            host = headers.get(b"host", b"")
            name = host.rsplit(b":", 1)[0] if not host.endswith(b"]") else host
            if name not in self.hosts:
                await _refuse(send, 421, f"this server answers only requests for {_names(self.hosts)}, "
                                         "not for another Host")
                return
        if self.token is not None and scope["path"] != "/healthz" and not hmac.compare_digest(
                headers.get(b"authorization", b""), self.token):
            await _refuse(send, 401, "send the server's token as 'Authorization: Bearer <token>'",
                          [(b"www-authenticate", b"Bearer")])
            return
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            await _refuse(send, 413, f"the request body is larger than {MAX_BODY // (1024 * 1024)} MiB")
            return
        await self.app(scope, _limited(receive), send)


def _limited(receive: Receive) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > MAX_BODY:
            raise ServeError(413, f"the request body is larger than {MAX_BODY // (1024 * 1024)} MiB")
        return message
    return wrapped


async def _refuse(send: Send, status: int, text: str, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
    body = dumps({"error": text})
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]})
    await send({"type": "http.response.body", "body": body})


def _names(hosts: Sequence[bytes]) -> str:
    return ", ".join(h.decode() for h in hosts)
