"""Give a compiled engine one more host function, reachable through its function table.

C code calls back through function pointers, which in WebAssembly are slots
of the module's table. To let an engine call the host where it expects a
callback (QuickJS's interrupt handler), the host function must be an import
*and* sit in the table. Imports come first in a module's function index
space, so adding one moves every function the module defines up by one: each
``call`` and ``ref.func`` in the code, and every function index in the
element, export, start and name sections, is renumbered here. The table
grows by one slot, filled with the new import by a new element segment.

The code is decoded instruction by instruction (the MVP set, sign extension,
saturating truncation and bulk memory, which is what the pinned engines use);
anything else is refused rather than guessed at.
"""

from __future__ import annotations

from .snapshot import SEC_CUSTOM, Section, _name, _read_uleb, _sleb, _uleb, assemble, sections

SEC_TYPE, SEC_IMPORT, SEC_TABLE, SEC_EXPORT, SEC_START, SEC_ELEM, SEC_CODE = 1, 2, 4, 7, 8, 9, 10
FUNC_TYPE, EXTERN_FUNC = 0x60, 0
VALTYPES = {"i": 0x7F, "I": 0x7E}

# Instruction immediates, by opcode: how to step over them.
_NONE, _ULEB, _SLEB, _MEMARG, _BLOCK, _FIXED4, _FIXED8, _BYTE = range(8)
_IMMEDIATE = dict.fromkeys(range(0x100), -1)
_IMMEDIATE.update(dict.fromkeys([0x00, 0x01, 0x05, 0x0B, 0x0F, 0x1A, 0x1B, 0xD1], _NONE))
_IMMEDIATE.update(dict.fromkeys(range(0x45, 0xC5), _NONE))  # numeric and sign extension
_IMMEDIATE.update(dict.fromkeys([0x02, 0x03, 0x04], _BLOCK))
_IMMEDIATE.update(dict.fromkeys([0x0C, 0x0D, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x3F, 0x40],
                                _ULEB))
_IMMEDIATE.update(dict.fromkeys(range(0x28, 0x3F), _MEMARG))
_IMMEDIATE.update({0x41: _SLEB, 0x42: _SLEB, 0x43: _FIXED4, 0x44: _FIXED8, 0xD0: _BYTE})
CALL, RETURN_CALL, REF_FUNC, CALL_INDIRECT, RETURN_CALL_INDIRECT = 0x10, 0x12, 0xD2, 0x11, 0x13
BR_TABLE, SELECT_T, PREFIX_FC = 0x0E, 0x1C, 0xFC
#: Immediates (counted in LEB128 numbers) of the 0xFC instructions.
_FC_ARGS = {**dict.fromkeys(range(8), 0), 8: 2, 9: 1, 10: 2, 11: 1, 12: 2, 13: 1, 14: 2, 15: 1, 16: 1, 17: 1}


def add_host_function(wasm: bytes, module: str, name: str, params: str, results: str) -> tuple[bytes, int]:
    """``wasm`` importing ``module.name`` (types as ``"ii"``) into a new table slot.

    Returns the new module and the slot's index, the value of a C function
    pointer to the host function.
    """
    parts = sections(wasm)
    by_id = {s.id: s for s in parts if s.id != SEC_CUSTOM}
    type_index = _ensure_type(by_id[SEC_TYPE], params, results)
    imported = _append_import(by_id[SEC_IMPORT], module, name, type_index)
    slot = _grow_table(by_id[SEC_TABLE])
    shift = _Shift(imported)
    for sec in parts:
        if sec.id == SEC_CODE:
            sec.body = _renumber_code(sec.body, shift)
        elif sec.id == SEC_ELEM:
            sec.body = _renumber_elements(sec.body, shift, slot, imported)
        elif sec.id == SEC_EXPORT:
            sec.body = _renumber_exports(sec.body, shift)
        elif sec.id == SEC_START:
            sec.body = _uleb(shift(_read_uleb(sec.body, 0)[0]))
        elif sec.id == SEC_CUSTOM and _name(sec.body, 0)[0] == "name":
            sec.body = _renumber_names(sec.body, shift)
    # Debug sections describe code offsets that have moved: drop them.
    kept = [s for s in parts if s.id != SEC_CUSTOM or _name(s.body, 0)[0] == "name"]
    return assemble(kept), slot


class _Shift:
    """Function index -> its index once an import was added at ``first``."""

    def __init__(self, first: int) -> None:
        self.first = first

    def __call__(self, index: int) -> int:
        return index + 1 if index >= self.first else index


def _vec(data: bytes, pos: int) -> tuple[list[int], int]:
    count, pos = _read_uleb(data, pos)
    out = []
    for _ in range(count):
        value, pos = _read_uleb(data, pos)
        out.append(value)
    return out, pos


def _ensure_type(sec: Section, params: str, results: str) -> int:
    """The index of the function type ``params -> results``, added if the module lacks it."""
    want = (bytes(VALTYPES[p] for p in params), bytes(VALTYPES[r] for r in results))
    count, pos = _read_uleb(sec.body, 0)
    for index in range(count):
        if sec.body[pos] != FUNC_TYPE:
            raise ValueError("only function types are supported in the type section")
        nparams, pos = _read_uleb(sec.body, pos + 1)
        got_params, pos = sec.body[pos : pos + nparams], pos + nparams
        nresults, pos = _read_uleb(sec.body, pos)
        got_results, pos = sec.body[pos : pos + nresults], pos + nresults
        if (got_params, got_results) == want:
            return index
    entry = bytes([FUNC_TYPE]) + _uleb(len(want[0])) + want[0] + _uleb(len(want[1])) + want[1]
    sec.body = _uleb(count + 1) + _after_count(sec.body) + entry
    return count


def _after_count(body: bytes) -> bytes:
    return body[_read_uleb(body, 0)[1]:]


def _append_import(sec: Section, module: str, name: str, type_index: int) -> int:
    """Add a function import last; returns its function index (the module's imported functions)."""
    count, pos = _read_uleb(sec.body, 0)
    functions = 0
    for _ in range(count):
        _, pos = _name(sec.body, pos)
        _, pos = _name(sec.body, pos)
        kind = sec.body[pos]
        pos += 1
        if kind == EXTERN_FUNC:
            functions += 1
            _, pos = _read_uleb(sec.body, pos)
        elif kind == 1:  # table: reftype, limits
            pos = _skip_limits(sec.body, pos + 1)
        elif kind == 2:  # memory: limits
            pos = _skip_limits(sec.body, pos)
        elif kind == 3:  # global: valtype, mutability
            pos += 2
        else:
            raise ValueError(f"unknown import kind {kind}")
    entry = (_uleb(len(module)) + module.encode() + _uleb(len(name)) + name.encode()
             + bytes([EXTERN_FUNC]) + _uleb(type_index))
    sec.body = _uleb(count + 1) + _after_count(sec.body) + entry
    return functions


def _skip_limits(data: bytes, pos: int) -> int:
    flags = data[pos]
    _, pos = _read_uleb(data, pos + 1)
    if flags & 1:
        _, pos = _read_uleb(data, pos)
    return pos


def _grow_table(sec: Section) -> int:
    """Grow the (only) table by one slot; returns the new slot's index."""
    count, pos = _read_uleb(sec.body, 0)
    if count != 1:
        raise ValueError("the module must define exactly one table")
    reftype, flags = sec.body[pos], sec.body[pos + 1]
    minimum, at = _read_uleb(sec.body, pos + 2)
    limits = bytes([flags]) + _uleb(minimum + 1)
    if flags & 1:
        maximum, at = _read_uleb(sec.body, at)
        limits += _uleb(max(maximum, minimum + 1))
    sec.body = _uleb(1) + bytes([reftype]) + limits + sec.body[at:]
    return minimum


def _renumber_code(body: bytes, shift: _Shift) -> bytes:
    count, pos = _read_uleb(body, 0)
    out = bytearray(_uleb(count))
    for _ in range(count):
        size, start = _read_uleb(body, pos)
        end = start + size
        code = _renumber_function(body[start:end], shift)
        out += _uleb(len(code)) + code
        pos = end
    return bytes(out)


def _renumber_function(code: bytes, shift: _Shift) -> bytes:
    """One function body with its function indices renumbered."""
    ngroups, pos = _read_uleb(code, 0)
    for _ in range(ngroups):
        _, pos = _read_uleb(code, pos)
        pos += 1  # the locals' value type
    out = bytearray(code[:pos])
    copied = pos
    end = len(code)
    immediate = _IMMEDIATE
    while pos < end:
        op = code[pos]
        pos += 1
        kind = immediate[op]
        if kind == _NONE:
            continue
        if kind in (_ULEB, _SLEB):
            while code[pos] & 0x80:
                pos += 1
            pos += 1
        elif kind == _MEMARG:
            align, pos = _read_uleb(code, pos)
            if align & 0x40:  # multi-memory: a memory index follows
                _, pos = _read_uleb(code, pos)
            _, pos = _read_uleb(code, pos)
        elif kind == _BLOCK:
            byte = code[pos]
            if byte == 0x40 or byte in (0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F):
                pos += 1
            else:  # a type index, as a signed LEB128
                while code[pos] & 0x80:
                    pos += 1
                pos += 1
        elif kind == _FIXED4:
            pos += 4
        elif kind == _FIXED8:
            pos += 8
        elif kind == _BYTE:
            pos += 1
        elif op in (CALL, RETURN_CALL, REF_FUNC):
            index, after = _read_uleb(code, pos)
            out += code[copied:pos] + _uleb(shift(index))
            pos = copied = after
        elif op in (CALL_INDIRECT, RETURN_CALL_INDIRECT):
            _, pos = _read_uleb(code, pos)
            _, pos = _read_uleb(code, pos)
        elif op == BR_TABLE:
            _, pos = _vec(code, pos)
            _, pos = _read_uleb(code, pos)
        elif op == SELECT_T:
            n, pos = _read_uleb(code, pos)
            pos += n
        elif op == PREFIX_FC:
            sub, pos = _read_uleb(code, pos)
            if sub not in _FC_ARGS:
                raise ValueError(f"unsupported instruction 0xfc {sub}")
            for _ in range(_FC_ARGS[sub]):
                _, pos = _read_uleb(code, pos)
        else:
            raise ValueError(f"unsupported instruction 0x{op:02x}")
    out += code[copied:]
    return bytes(out)


def _expr_funcs(data: bytes, pos: int, shift: _Shift) -> tuple[bytes, int]:
    """A constant expression (``ref.func``, ``ref.null`` or a constant) renumbered."""
    out = bytearray()
    while True:
        op = data[pos]
        if op == 0x0B:
            return bytes(out) + b"\x0b", pos + 1
        if op == REF_FUNC:
            index, pos = _read_uleb(data, pos + 1)
            out += bytes([REF_FUNC]) + _uleb(shift(index))
        elif op == 0xD0:
            out += data[pos : pos + 2]
            pos += 2
        elif op in (0x41, 0x42, 0x23):
            start = pos
            _, pos = _read_uleb(data, pos + 1)
            out += data[start:pos]
        else:
            raise ValueError(f"unsupported constant expression 0x{op:02x}")


def _renumber_elements(body: bytes, shift: _Shift, slot: int, imported: int) -> bytes:
    """Element segments with function indices renumbered, plus one placing the import at ``slot``."""
    count, pos = _read_uleb(body, 0)
    out = bytearray()
    for _ in range(count):
        flags, pos = _read_uleb(body, pos)
        seg = bytearray(_uleb(flags))
        if flags & 2 and not flags & 1:  # active with an explicit table index
            table, pos = _read_uleb(body, pos)
            seg += _uleb(table)
        if not flags & 1:  # active: an offset expression
            expr, pos = _expr_funcs(body, pos, shift)
            seg += expr
        if flags & 3:  # an element kind (or reference type, with expressions)
            seg.append(body[pos])
            pos += 1
        n, pos = _read_uleb(body, pos)
        seg += _uleb(n)
        for _ in range(n):
            if flags & 4:
                expr, pos = _expr_funcs(body, pos, shift)
                seg += expr
            else:
                index, pos = _read_uleb(body, pos)
                seg += _uleb(shift(index))
        out += seg
    out += b"\x00\x41" + _sleb(slot) + b"\x0b" + _uleb(1) + _uleb(imported)
    return _uleb(count + 1) + bytes(out)


def _renumber_exports(body: bytes, shift: _Shift) -> bytes:
    count, pos = _read_uleb(body, 0)
    out = bytearray(_uleb(count))
    for _ in range(count):
        start = pos
        _, pos = _name(body, pos)
        kind = body[pos]
        index, after = _read_uleb(body, pos + 1)
        out += body[start : pos + 1] + _uleb(shift(index) if kind == EXTERN_FUNC else index)
        pos = after
    return bytes(out)


def _renumber_names(body: bytes, shift: _Shift) -> bytes:
    """The ``name`` section with function (1) and local (2) name maps renumbered."""
    _, pos = _name(body, 0)
    out = bytearray(body[:pos])
    while pos < len(body):
        sub = body[pos]
        size, start = _read_uleb(body, pos + 1)
        content = body[start : start + size]
        if sub in (1, 2):
            content = _renumber_name_map(content, shift, nested=sub == 2)
        out += bytes([sub]) + _uleb(len(content)) + content
        pos = start + size
    return bytes(out)


def _renumber_name_map(data: bytes, shift: _Shift, *, nested: bool) -> bytes:
    count, pos = _read_uleb(data, 0)
    out = bytearray(_uleb(count))
    for _ in range(count):
        index, pos = _read_uleb(data, pos)
        start = pos
        if nested:  # local names: an inner map of local index -> name
            inner, pos = _read_uleb(data, pos)
            for _ in range(inner):
                _, pos = _read_uleb(data, pos)
                _, pos = _name(data, pos)
        else:
            _, pos = _name(data, pos)
        out += _uleb(shift(index)) + data[start:pos]
    return bytes(out)
