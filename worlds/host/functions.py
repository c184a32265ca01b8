"""Host functions: Python callables a world's programs may call, validated and declared.

``World(functions={"crm.findCustomer": find_customer})`` makes
``crm.findCustomer(...)`` a function of JS-light. Each is described here once:
its parameters as a pydantic model (arguments are validated against the
type hints before the host function sees them), its result's type, its
docstring, and a TypeScript declaration built from them for the world card.
"""

from __future__ import annotations

import inspect
import json
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError, create_model

from .._text import counted
from ..errors import WorldError
from .typescript import ts_type

_PART = re.compile(r"^[A-Za-z_$][\w$]*$")
#: Names a host function may not take: JS-light's own globals and JavaScript's reserved words.
TAKEN = frozenset((  # noqa: SIM905 - a list of 80 words reads better as words
    "console fs path process require Buffer Date Math JSON Object Array String Number Boolean Promise "
    "Error Map Set Symbol RegExp globalThis readCSV writeCSV parseCSV toCSV readJSON writeJSON readJSONL "
    "writeJSONL setTimeout setInterval setImmediate clearTimeout clearInterval clearImmediate "
    "queueMicrotask module exports break case catch class const continue debugger default delete do else "
    "export extends false finally for function if import in instanceof new null return super switch this "
    "throw true try typeof var void while with yield let static enum await implements package protected "
    "interface private public undefined NaN Infinity eval arguments "
).split())


class ArgumentError(Exception):
    """Arguments a host function cannot take; the message says which and why."""


@dataclass(frozen=True)
class Suspend:
    """What a host function returns to stop the run until someone answers the call."""

    reason: str


def suspend(reason: str = "awaiting approval") -> Suspend:
    """Return this from a host function to suspend the run at the call (see ``RunResult.resume``)."""
    return Suspend(str(reason))


def needs_approval(reason: str = "needs approval") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare that a host function runs only once a person approves the call.

    The run suspends at the call before the function is called; ``approve``
    calls it, ``deny`` throws at the call, ``resume`` answers it with a value.
    """
    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn.__worlds_approval__ = str(reason)  # type: ignore[attr-defined]
        return fn
    return mark


class HostFunction:
    """One function a program may call: how to validate its arguments, call it and declare it.

    From a Python callable, the parameters are read from its signature and type hints and
    validated by pydantic; :meth:`from_schema` makes one from a JSON Schema (an MCP tool's
    ``inputSchema``), validated with ``jsonschema``.
    """

    def __init__(self, name: str, fn: Callable[..., Any], *, doc: str | None = None,
                 approval: str | None = None) -> None:
        if not callable(fn):
            raise WorldError(f"function {name!r} must be callable, not {type(fn).__name__}")
        self.name = name
        self.fn = fn
        self.doc = inspect.cleandoc(doc if doc is not None else fn.__doc__ or "")
        self.approval = approval if approval is not None else getattr(fn, "__worlds_approval__", None)
        try:
            signature = inspect.signature(fn)
            hints = typing.get_type_hints(fn)
        except (TypeError, ValueError, NameError) as err:
            raise WorldError(f"function {name!r}: cannot read its signature ({err})") from None
        fields: dict[str, Any] = {}
        for param in signature.parameters.values():
            if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD, param.POSITIONAL_ONLY):
                raise WorldError(f"function {name!r}: parameter {param.name!r} must be an ordinary named "
                                 "parameter (no *args, **kwargs or positional-only ones)")
            default = ... if param.default is param.empty else param.default
            fields[param.name] = (hints.get(param.name, Any), default)
        self.params = list(fields)
        self._model: type[BaseModel] | None = create_model(
            "Arguments", __config__=ConfigDict(extra="forbid", arbitrary_types_allowed=True), **fields)
        self._validator: Any = None
        self.schema = _schema(self._model)
        returns = hints.get("return", Any)
        try:
            self.result_schema = TypeAdapter(returns).json_schema() if returns is not Any else {}
        except Exception:  # a return type JSON Schema cannot say (the value is still sent as JSON)
            self.result_schema = {}
        first = fields[self.params[0]][0] if len(self.params) == 1 else None
        self.takes_object = first is not None and _is_object(first)

    @classmethod
    def from_schema(cls, name: str, fn: Callable[..., Any], schema: Mapping[str, Any], *,
                    result_schema: Mapping[str, Any] | None = None, doc: str = "",
                    approval: str | None = None) -> HostFunction:
        """A function whose parameters are the properties of the object ``schema`` (in order);
        ``fn`` is called with them as keyword arguments."""
        import jsonschema  # type: ignore[import-untyped]  # only for schema-described functions (MCP tools)

        self = cls.__new__(cls)
        self.name, self.fn, self.doc, self.approval = name, fn, inspect.cleandoc(doc or ""), approval
        self.schema = {"type": "object", "properties": {}, **dict(schema)}
        self.result_schema = dict(result_schema or {})
        self.params = list(self.schema.get("properties") or {})
        try:
            kind = jsonschema.validators.validator_for(self.schema)
            kind.check_schema(self.schema)
        except jsonschema.SchemaError as err:
            raise WorldError(f"function {name!r}: its input schema is not valid JSON Schema "
                             f"({err.message})") from None
        self._validator, self._model = kind(self.schema), None
        only = self.schema["properties"].get(self.params[0], {}) if len(self.params) == 1 else {}
        self.takes_object = only.get("type") == "object"
        return self

    def bind(self, args: list[Any]) -> dict[str, Any]:
        """The call's arguments as validated keyword arguments.

        Positional arguments, or one plain object whose keys are the parameter
        names (unless the function's only parameter is itself an object).
        """
        if len(args) == 1 and isinstance(args[0], dict) and not self.takes_object:
            given: dict[str, Any] = dict(args[0])
        else:
            if len(args) > len(self.params):
                raise ArgumentError(f"{self.name} takes {counted(len(self.params), 'argument')}, "
                                    f"not {len(args)}")
            given = dict(zip(self.params, args, strict=False))
        if self._model is None:
            problems = sorted(self._validator.iter_errors(given), key=lambda e: list(e.absolute_path))
            if problems:
                raise ArgumentError(f"{self.name}: " + "; ".join(_schema_problem(e) for e in problems[:3]))
            return given
        try:
            checked = self._model.model_validate(given)
        except ValidationError as err:
            raise ArgumentError(f"{self.name}: " + "; ".join(_problem(e) for e in err.errors())) from None
        return {p: getattr(checked, p) for p in self.params}

    def check_field(self, param: str, value: Any) -> str | None:
        """Why ``value`` cannot be parameter ``param`` (None if it can, or if that cannot be told)."""
        if self._model is None:
            sub = self.schema.get("properties", {}).get(param)
            if not isinstance(sub, dict):
                return None
            found = next(type(self._validator)({**sub, "$defs": self.schema.get("$defs", {})})
                         .iter_errors(value), None)
            return None if found is None else found.message
        annotation = self._model.model_fields[param].annotation
        if annotation is None:
            return None
        try:
            TypeAdapter(annotation).validate_python(value)
        except ValidationError as err:
            return str(err.errors()[0]["msg"])
        except Exception:  # a type pydantic cannot check on its own: left to the run
            return None
        return None

    def declaration(self, indent: str = "") -> str:
        """``/** doc */ function findCustomer(id: number): { name: string }``, as the card shows it."""
        short = self.name.rsplit(".", 1)[-1]
        defs = self.schema.get("$defs", {})
        required = set(self.schema.get("required", []))
        params = ", ".join(f"{p}{'' if p in required else '?'}: "
                           f"{ts_type(self.schema['properties'].get(p, {}), defs)}" for p in self.params)
        result = ts_type(self.result_schema) if self.result_schema else "any"
        lines = []
        if self.doc:
            lines.append(f"{indent}/** {' '.join(self.doc.split())} */")
        approval = f"  // suspends for approval: {self.approval}" if self.approval else ""
        lines.append(f"{indent}function {short}({params}): {result};{approval}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"HostFunction({self.name!r})"


class Functions:
    """The host functions of a world, by dotted name (``crm.findCustomer``)."""

    def __init__(self, functions: Mapping[str, Callable[..., Any] | HostFunction] | None = None, *,
                 approve: Mapping[str, str] | None = None) -> None:
        if functions is not None and not isinstance(functions, Mapping):
            raise WorldError("functions must be a mapping of name to function, "
                             f"not {type(functions).__name__}")
        self.by_name: dict[str, HostFunction] = {}
        for name, fn in sorted((functions or {}).items(), key=lambda item: str(item[0])):
            _check_name(name)
            self.by_name[name] = fn if isinstance(fn, HostFunction) else HostFunction(name, fn)
        for name, reason in (approve or {}).items():
            if name not in self.by_name:
                raise WorldError(f"approve names {name!r}, which is not a function of the world"
                                 + (f"; it has {', '.join(self.by_name)}" if self.by_name else ""))
            self.by_name[name].approval = reason
        for name in self.by_name:  # `crm` cannot be both a function and a namespace
            for depth in range(1, name.count(".") + 1):
                prefix = name.rsplit(".", depth)[0]
                if prefix in self.by_name:
                    raise WorldError(f"{prefix!r} is a function, so {name!r} cannot be inside it")

    def __bool__(self) -> bool:
        return bool(self.by_name)

    def __iter__(self) -> typing.Iterator[HostFunction]:
        return iter(self.by_name.values())

    def get(self, name: str) -> HostFunction | None:
        return self.by_name.get(name)

    def roots(self) -> set[str]:
        """The global names the functions live under (``crm`` for ``crm.findCustomer``)."""
        return {name.split(".", 1)[0] for name in self.by_name}

    def members(self, namespace: str) -> list[str]:
        """The names directly inside ``namespace`` (``findCustomer`` in ``crm``)."""
        prefix = namespace + "."
        return sorted({n[len(prefix):].split(".", 1)[0] for n in self.by_name if n.startswith(prefix)})

    def is_namespace(self, name: str) -> bool:
        return any(n.startswith(name + ".") for n in self.by_name)

    def digest(self) -> str:
        """What the program sees of the functions (names and declarations), for receipts."""
        return json.dumps([[f.name, f.declaration()] for f in self], separators=(",", ":"))

    def declarations(self, query: str | None = None) -> str:
        """The functions as TypeScript, grouped by namespace; ``query``: only those whose name or
        docstring holds every word of it."""
        chosen = [f for f in self if _matches(f, query)]
        if not chosen:
            return ""
        out = ["// Host functions: call with positional arguments or with one object of named ones",
               "// (findCustomer(3) or findCustomer({ id: 3 })); the value comes back at once, "
               "`await` optional."]
        groups: dict[str, list[HostFunction]] = {}
        for f in chosen:
            groups.setdefault(f.name.rsplit(".", 1)[0] if "." in f.name else "", []).append(f)
        for space, items in groups.items():
            if not space:  # `declare` goes before the function, after its doc comment
                out.extend(f.declaration().replace("\nfunction ", "\ndeclare function ")
                           if "\n" in f.declaration() else "declare " + f.declaration() for f in items)
                continue
            out.append(f"declare namespace {space} {{")
            out.extend(f.declaration("  ") for f in items)
            out.append("}")
        return "\n".join(out)


def _matches(f: HostFunction, query: str | None) -> bool:
    if not query:
        return True
    text = (f.name + " " + f.doc).lower()
    return all(word in text for word in query.lower().split())


def _check_name(name: object) -> None:
    if not isinstance(name, str):
        raise WorldError(f"function names must be strings, not {type(name).__name__}")
    parts = name.split(".")
    if not all(_PART.match(p) for p in parts):
        raise WorldError(f"bad function name {name!r}: use JavaScript names joined by dots, "
                         "such as 'crm.findCustomer'")
    if parts[0] in TAKEN:
        raise WorldError(f"function name {name!r}: {parts[0]!r} is already a name in JS-light; "
                         "choose another (or put it in a namespace, such as 'api.{parts[0]}')")


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    try:
        return model.model_json_schema()
    except Exception:  # a parameter type JSON Schema cannot say: declared as any
        return {"type": "object", "properties": {name: {} for name in model.model_fields}}


def _schema_problem(error: Any) -> str:
    where = ".".join(str(p) for p in error.absolute_path)
    return f"`{where}`: {error.message}" if where else error.message


def _is_object(hint: Any) -> bool:
    origin = typing.get_origin(hint) or hint
    return (inspect.isclass(origin) and issubclass(origin, dict | Mapping | BaseModel)) \
        or typing.is_typeddict(hint)


def _problem(error: Any) -> str:
    where = ".".join(str(p) for p in error["loc"])
    value = json.dumps(error.get("input"), default=str)[:60] if error["type"] != "missing" else ""
    if error["type"] == "missing":
        return f"`{where}` is required"
    if error["type"] == "extra_forbidden":
        return f"`{where}` is not a parameter"
    return f"`{where}`: {error['msg']} (got {value})"
