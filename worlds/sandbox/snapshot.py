"""Pre-initialized engines: run a guest's start-up once, then start every run from there.

Creating QuickJS's runtime and context and loading the bootstrap costs more
than the program of a typical agent run. So, like Wizer, we run that start-up
once in an instance of the pinned engine, read back its linear memory and
globals, and write a new module whose data segments *are* that memory. Each
run instantiates this module (wasmtime maps the memory image copy-on-write),
so every run starts from byte-identical state without paying for start-up.

Only the module's own binary format is touched here: the export, global,
memory and data sections. Function bodies are never changed.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Bump when the rewriting changes, so cached images are rebuilt.
FORMAT = 3
SEC_CUSTOM, SEC_GLOBAL, SEC_MEMORY, SEC_EXPORT, SEC_DATA, SEC_DATACOUNT = 0, 6, 5, 7, 11, 12
EXPORT_FUNC, EXPORT_GLOBAL = 0, 3
I32_CONST, I64_CONST, END = 0x41, 0x42, 0x0B
PAGE = 65536


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _sleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        done = (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40)
        out.append(byte | (0 if done else 0x80))
        if done:
            return bytes(out)


def _read_uleb(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def _name(data: bytes, pos: int) -> tuple[str, int]:
    length, pos = _read_uleb(data, pos)
    return data[pos : pos + length].decode(), pos + length


@dataclass
class Section:
    id: int
    body: bytes

    def encode(self) -> bytes:
        return bytes([self.id]) + _uleb(len(self.body)) + self.body


def sections(wasm: bytes) -> list[Section]:
    if wasm[:8] != b"\0asm\x01\0\0\0":
        raise ValueError("not a WebAssembly module")
    out, pos = [], 8
    while pos < len(wasm):
        sid = wasm[pos]
        size, start = _read_uleb(wasm, pos + 1)
        out.append(Section(sid, wasm[start : start + size]))
        pos = start + size
    return out


def assemble(parts: list[Section]) -> bytes:
    return b"\0asm\x01\0\0\0" + b"".join(s.encode() for s in parts)


def function_names(parts: list[Section]) -> dict[str, int]:
    """Function indices by name, from the custom ``name`` section."""
    for sec in parts:
        if sec.id != SEC_CUSTOM:
            continue
        name, pos = _name(sec.body, 0)
        if name != "name":
            continue
        while pos < len(sec.body):
            sub = sec.body[pos]
            size, pos = _read_uleb(sec.body, pos + 1)
            if sub == 1:
                count, p = _read_uleb(sec.body, pos)
                names = {}
                for _ in range(count):
                    index, p = _read_uleb(sec.body, p)
                    fname, p = _name(sec.body, p)
                    names[fname] = index
                return names
            pos += size
    raise ValueError("the module has no function names: it cannot be pre-initialized")


def _globals(parts: list[Section]) -> list[tuple[int, bool, bytes]]:
    """Each global as (value type, mutable, init expression) from the global section."""
    sec = next(s for s in parts if s.id == SEC_GLOBAL)
    count, pos = _read_uleb(sec.body, 0)
    out = []
    for _ in range(count):
        vtype, mutable = sec.body[pos], bool(sec.body[pos + 1])
        end = sec.body.index(END, pos + 2)  # init exprs here are one const instruction
        out.append((vtype, mutable, sec.body[pos + 2 : end + 1]))
        pos = end + 1
    return out


def instrument(wasm: bytes, functions: list[str]) -> bytes:
    """Export the named internal functions (as ``w:NAME``) and every global (as ``w:global:N``)."""
    parts = sections(wasm)
    names = function_names(parts)
    missing = [f for f in functions if f not in names]
    if missing:
        raise ValueError(f"the engine has no functions {missing}")
    sec = next(s for s in parts if s.id == SEC_EXPORT)
    count, pos = _read_uleb(sec.body, 0)
    entries = sec.body[pos:]
    added = b""
    for fname in functions:
        key = f"w:{fname}".encode()
        added += _uleb(len(key)) + key + bytes([EXPORT_FUNC]) + _uleb(names[fname])
    nglobals = len(_globals(parts))
    for index in range(nglobals):
        key = f"w:global:{index}".encode()
        added += _uleb(len(key)) + key + bytes([EXPORT_GLOBAL]) + _uleb(index)
    sec.body = _uleb(count + len(functions) + nglobals) + entries + added
    return assemble(parts)


def preinitialized(wasm: bytes, memory: bytes, globals: list[int], *,
                   constants: dict[str, int], exports: set[str]) -> bytes:
    """``wasm`` (instrumented) rewritten to start with this ``memory`` and these ``globals``.

    ``constants`` become exported immutable i32 globals named ``w:const:NAME``
    (facts about the snapshot, such as where a buffer lies); of the module's
    own exports only ``exports`` and the ``w:`` functions stay. Debug
    sections are dropped (they describe the same code and cost space); the
    name section stays so traps still name functions.
    """
    parts = [s for s in sections(wasm)
             if s.id != SEC_CUSTOM or _name(s.body, 0)[0] == "name"]
    decl = _globals(parts)
    body = bytearray(_uleb(len(decl) + len(constants)))
    for (vtype, mutable, init), value in zip(decl, globals, strict=True):
        if not mutable:
            body += bytes([vtype, 0]) + init
            continue
        op = {0x7F: I32_CONST, 0x7E: I64_CONST}.get(vtype)
        if op is None:
            raise ValueError("only i32 and i64 mutable globals can be snapshotted")
        body += bytes([vtype, 1, op]) + _sleb(value) + bytes([END])
    added_exports = b""
    for index, (name, value) in enumerate(sorted(constants.items()), start=len(decl)):
        body += bytes([0x7F, 0, I32_CONST]) + _sleb(value) + bytes([END])
        key = f"w:const:{name}".encode()
        added_exports += _uleb(len(key)) + key + bytes([EXPORT_GLOBAL]) + _uleb(index)
    pages = len(memory) // PAGE
    segments = _segments(memory)
    data = bytearray(_uleb(len(segments)))
    for offset, chunk in segments:
        data += b"\0" + bytes([I32_CONST]) + _sleb(offset) + bytes([END]) + _uleb(len(chunk)) + chunk
    out = []
    for sec in parts:
        if sec.id == SEC_EXPORT:
            sec = Section(SEC_EXPORT, _kept_exports(sec.body, exports, added_exports, len(constants)))
        elif sec.id == SEC_GLOBAL:
            sec = Section(SEC_GLOBAL, bytes(body))
        elif sec.id == SEC_MEMORY:
            sec = Section(SEC_MEMORY, b"\x01\x00" + _uleb(pages))  # one memory, minimum only
        elif sec.id == SEC_DATA:
            sec = Section(SEC_DATA, bytes(data))
        elif sec.id == SEC_DATACOUNT:
            sec = Section(SEC_DATACOUNT, _uleb(len(segments)))
        out.append(sec)
    return assemble(out)


def _kept_exports(body: bytes, keep: set[str], added: bytes, count_added: int) -> bytes:
    """The export section with only ``keep`` and the ``w:`` functions, plus ``added``.

    Fewer exports make each instance cheaper to inspect from Python.
    """
    count, pos = _read_uleb(body, 0)
    kept = []
    for _ in range(count):
        start = pos
        name, pos = _name(body, pos)
        kind = body[pos]
        _, pos = _read_uleb(body, pos + 1)
        if name in keep or (name.startswith("w:") and kind == EXPORT_FUNC):
            kept.append(body[start:pos])
    return _uleb(len(kept) + count_added) + b"".join(kept) + added


def _segments(memory: bytes, block: int = 4096) -> list[tuple[int, bytes]]:
    """The memory as segments: runs of blocks that are not all zero."""
    out: list[tuple[int, bytes]] = []
    zero = bytes(block)
    run_start = -1
    for offset in range(0, len(memory) + block, block):
        chunk = memory[offset : offset + block]
        if chunk and chunk != zero[: len(chunk)]:
            if run_start < 0:
                run_start = offset
        elif run_start >= 0:
            out.append((run_start, memory[run_start:offset]))
            run_start = -1
    return out
