"""Answers as data: the only things that cross between a submission's kernel and the trusted side.

Every value is encoded as a small JSON tree of tagged nodes (``{"t": "float", "v": "0x1.8p+0"}``)
and rebuilt on the other side by constructors chosen from the tag, never by running anything the
sender wrote. What can cross:

==========================  =====================================================================
value                       encoding
==========================  =====================================================================
None, bool, int, str,       exact (floats as ``float.hex``, so NaN, infinities and every bit
float, complex, bytes       survive)
list, tuple, set,           element by element; dict subclasses (``Counter``, Qiskit's
frozenset, dict             ``Counts``) arrive as plain ``dict``
numpy arrays and scalars    dtype (bool, integers, floats, complex, unicode only), shape, raw bytes
``QuantumCircuit``          QPY of this Qiskit's current version (no older format is accepted);
                            a gate is then what its *name* says (a home-made gate named ``cz``
                            becomes the real CZ), so a check that reads names and a simulator
                            that reads matrices agree
``Statevector``,            their array and dimensions
``DensityMatrix``,
``Operator``
Cirq objects (circuits,     Cirq's JSON, read back through an allow-list of Cirq's own classes
gates, qubits, ...)         (Cirq's default reader turns some JSON into ``sympy`` parsing, which
                            evaluates text: that path is closed)
a function                  a handle: the receiver gets a proxy that calls it across the boundary
==========================  =====================================================================

Anything else is "not data": :func:`encode` raises :class:`NotData` with the type's name, and the
trusted side sees an :class:`Unreadable` placeholder whose every use fails with that reason.
Limits (:data:`MAX_DEPTH`, :data:`MAX_NODES`) keep a hostile sender from exhausting the receiver.
"""

from __future__ import annotations

import base64
import io
import math
import sys
from collections.abc import Callable
from typing import Any

from .errors import DecodeError, NotData

__all__ = ["AnswerNotReadable", "DecodeError", "NotData", "Unreadable", "decode", "encode"]

MAX_DEPTH = 64
MAX_NODES = 2_000_000
MAX_ARRAY_BYTES = 256 * 2**20
ARRAY_KINDS = "biufcU"  # bool, signed, unsigned, float, complex, unicode - never objects


# ---- the placeholder for an answer that could not be read ---------------------------------------


class AnswerNotReadable(TypeError):
    """Raised by any use of an :class:`Unreadable` answer; the message says what the answer was."""


def _refuse(self: Unreadable, *args: Any, **kwargs: Any) -> Any:
    raise AnswerNotReadable(object.__getattribute__(self, "_message"))


class Unreadable:
    """Stands for an answer that exists in the student's kernel but is not data the grader reads.

    Every use (attribute, call, arithmetic, comparison, iteration, conversion) raises
    :class:`AnswerNotReadable` with ``message``, so the test that needs it fails with that reason.
    """

    __slots__ = ("_message", "_name")

    def __init__(self, name: str, message: str):
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_message", message)

    def __getattr__(self, item: str) -> Any:
        _refuse(self)

    def __repr__(self) -> str:
        return f"<unreadable answer {object.__getattribute__(self, '_name')!r}>"

    __hash__ = None  # type: ignore[assignment]


for _dunder in (
    "__call__", "__iter__", "__len__", "__getitem__", "__setitem__", "__contains__", "__bool__",
    "__float__", "__int__", "__index__", "__complex__", "__eq__", "__ne__", "__lt__", "__le__",
    "__gt__", "__ge__", "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
    "__truediv__", "__rtruediv__", "__floordiv__", "__mod__", "__pow__", "__rpow__", "__neg__",
    "__pos__", "__abs__", "__matmul__", "__rmatmul__", "__array__", "__round__", "__setattr__",
    "__format__", "__str__", "__enter__", "__exit__", "__reversed__",
):
    setattr(Unreadable, _dunder, _refuse)


# ---- encode ------------------------------------------------------------------------------------


def _loaded(module: str) -> Any:
    return sys.modules.get(module)


def _float(x: float) -> str:
    return float.hex(float(x))


def _array_node(arr: Any) -> dict[str, Any]:
    import numpy as np

    arr = np.asarray(arr)
    if arr.dtype.kind not in ARRAY_KINDS or arr.dtype.fields is not None:
        raise NotData(f"numpy array of dtype {arr.dtype}")
    if arr.nbytes > MAX_ARRAY_BYTES:
        raise NotData(f"numpy array of {arr.nbytes} bytes")
    data = np.ascontiguousarray(arr).tobytes()
    return {"t": "ndarray", "dtype": arr.dtype.str, "shape": list(arr.shape),
            "data": base64.b64encode(data).decode("ascii")}


def _cirq_json(value: Any) -> str:
    import cirq

    try:
        return cirq.to_json(value)
    except (TypeError, ValueError):
        if not isinstance(value, cirq.Circuit):
            raise NotData(f"{type(value).__module__}.{type(value).__qualname__}") from None
    # a circuit with a gate Cirq cannot write (a student's own gate class): each such operation
    # crosses as its matrix, named as the gate was
    ops = []
    for op in value.all_operations():
        try:
            cirq.to_json(op)
            ops.append(op)
        except (TypeError, ValueError):
            if not cirq.has_unitary(op):
                raise NotData(f"Cirq operation {op!r} without a matrix") from None
            ops.append(cirq.MatrixGate(cirq.unitary(op), name=str(op.gate or op)[:40]).on(*op.qubits))
    return cirq.to_json(cirq.Circuit(ops))


def encode(value: Any, *, functions: Callable[[Any], int] | None = None) -> dict[str, Any]:
    """The tagged tree of ``value``; raises :class:`NotData` for what cannot cross.

    ``functions`` turns a callable into a handle number (the sender keeps the callable); without
    it a callable is not data.
    """
    counter = [0]

    def enc(v: Any, depth: int) -> dict[str, Any]:
        counter[0] += 1
        if depth > MAX_DEPTH or counter[0] > MAX_NODES:
            raise NotData("a value nested too deeply or too large")
        if v is None:
            return {"t": "none"}
        if isinstance(v, bool):
            return {"t": "bool", "v": bool(v)}
        if isinstance(v, int):
            return {"t": "int", "v": int(v)}
        if isinstance(v, float):
            return {"t": "float", "v": _float(v)}
        if isinstance(v, complex):
            return {"t": "complex", "re": _float(v.real), "im": _float(v.imag)}
        if isinstance(v, str):
            return {"t": "str", "v": str(v)}
        if isinstance(v, bytes | bytearray):
            return {"t": "bytes", "v": base64.b64encode(bytes(v)).decode("ascii")}
        if type(v).__module__ == "numpy" or (_loaded("numpy") and isinstance(v, _loaded("numpy").generic)):
            np = _loaded("numpy")
            if isinstance(v, np.ndarray):
                return _array_node(v)
            if isinstance(v, np.generic):
                if v.dtype.kind not in ARRAY_KINDS:
                    raise NotData(f"numpy scalar of dtype {v.dtype}")
                node = _array_node(np.asarray(v))
                node["t"] = "npscalar"
                return node
        for kind, tag in ((list, "list"), (range, "list"), (tuple, "tuple"), (set, "set"),
                          (frozenset, "frozenset")):
            if isinstance(v, kind):
                return {"t": tag, "v": [enc(x, depth + 1) for x in v]}
        if isinstance(v, dict):
            return {"t": "dict", "v": [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()]}
        qiskit = _loaded("qiskit")
        if qiskit is not None:
            from qiskit import QuantumCircuit

            if isinstance(v, QuantumCircuit):
                from qiskit import qpy

                buf = io.BytesIO()
                qpy.dump(v, buf)
                return {"t": "qpy", "v": base64.b64encode(buf.getvalue()).decode("ascii")}
            qi = _loaded("qiskit.quantum_info")
            if qi is not None:
                if isinstance(v, qi.Statevector | qi.DensityMatrix):
                    tag = "statevector" if isinstance(v, qi.Statevector) else "densitymatrix"
                    return {"t": tag, "data": _array_node(v.data), "dims": [int(d) for d in v.dims()]}
                if isinstance(v, qi.Operator):
                    return {"t": "operator", "data": _array_node(v.data),
                            "input_dims": [int(d) for d in v.input_dims()],
                            "output_dims": [int(d) for d in v.output_dims()]}
        if _loaded("cirq") is not None and type(v).__module__.split(".")[0] in ("cirq", "qlab"):
            return {"t": "cirq", "v": _cirq_json(v)}
        if callable(v) and not isinstance(v, type):
            if functions is None:
                raise NotData("function")
            return {"t": "function", "handle": int(functions(v)),
                    "name": str(getattr(v, "__name__", "function"))[:80]}
        raise NotData(f"{type(v).__module__}.{type(v).__qualname__}")

    return enc(value, 0)


# ---- decode ------------------------------------------------------------------------------------


def _expect(cond: bool, what: str) -> None:
    if not cond:
        raise DecodeError(what)


def _str(node: dict[str, Any], key: str) -> str:
    v = node.get(key)
    _expect(isinstance(v, str), f"{node.get('t')}: {key} must be text")
    return v


def _hexfloat(text: Any) -> float:
    _expect(isinstance(text, str) and len(text) < 64, "a float must be written as float.hex")
    try:
        return float.fromhex(text)
    except ValueError:
        raise DecodeError("a float must be written as float.hex") from None


def _b64(text: Any) -> bytes:
    _expect(isinstance(text, str), "binary data must be base64 text")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise DecodeError("binary data must be base64 text") from None


def _array(node: Any) -> Any:
    import numpy as np

    _expect(isinstance(node, dict) and node.get("t") in ("ndarray", "npscalar"), "an array node")
    try:
        dtype = np.dtype(_str(node, "dtype"))
    except TypeError:
        raise DecodeError("unknown array dtype") from None
    _expect(dtype.kind in ARRAY_KINDS and dtype.fields is None and not dtype.hasobject,
            f"array dtype {dtype} is not allowed")
    shape = node.get("shape")
    _expect(isinstance(shape, list) and len(shape) <= 32
            and all(isinstance(s, int) and not isinstance(s, bool) and 0 <= s for s in shape),
            "array shape must be a list of sizes")
    raw = _b64(node.get("data"))
    count = math.prod(shape) if shape else 1
    _expect(count * dtype.itemsize == len(raw) and len(raw) <= MAX_ARRAY_BYTES,
            "array data does not match its shape")
    return np.frombuffer(raw, dtype=dtype).reshape(shape).copy()


def _dims(v: Any) -> list[int]:
    _expect(isinstance(v, list) and all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in v),
            "dimensions must be positive integers")
    return v


def _qpy(text: Any) -> Any:
    from qiskit import qpy

    raw = _b64(text)
    # only this Qiskit's own QPY version: older formats take other (historical) reading paths
    _expect(raw[:6] == b"QISKIT" and len(raw) > 8, "not QPY data")
    _expect(raw[6] == qpy.QPY_VERSION, f"QPY version {raw[6]} (this grader reads {qpy.QPY_VERSION})")
    try:
        circuits = qpy.load(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - whatever the reader raises, the data is unreadable
        raise DecodeError(f"QPY: {type(exc).__name__}: {str(exc)[:200]}") from None
    _expect(len(circuits) == 1, "QPY data must hold exactly one circuit")
    from .circuits import normalise_gates

    return normalise_gates(circuits[0])


def decode(node: Any, *, function: Callable[[int, str], Any] | None = None) -> Any:
    """The value a tagged tree stands for; :class:`DecodeError` for anything malformed.

    ``function(handle, name)`` makes the proxy of a function handle (without it, a handle is
    malformed).
    """
    counter = [0]

    def dec(n: Any, depth: int) -> Any:
        counter[0] += 1
        _expect(depth <= MAX_DEPTH and counter[0] <= MAX_NODES, "value nested too deeply or too large")
        _expect(isinstance(n, dict) and isinstance(n.get("t"), str), "every value is a tagged object")
        tag = n["t"]
        if tag == "none":
            return None
        if tag == "bool":
            _expect(isinstance(n.get("v"), bool), "bool")
            return n["v"]
        if tag == "int":
            _expect(isinstance(n.get("v"), int) and not isinstance(n.get("v"), bool), "int")
            return int(n["v"])
        if tag == "float":
            return _hexfloat(n.get("v"))
        if tag == "complex":
            return complex(_hexfloat(n.get("re")), _hexfloat(n.get("im")))
        if tag == "str":
            return _str(n, "v")
        if tag == "bytes":
            return _b64(n.get("v"))
        if tag in ("list", "tuple", "set", "frozenset"):
            items = n.get("v")
            _expect(isinstance(items, list), f"{tag} items")
            values = [dec(x, depth + 1) for x in items]
            if tag in ("set", "frozenset"):
                try:
                    return set(values) if tag == "set" else frozenset(values)
                except TypeError:
                    raise DecodeError("set of unhashable values") from None
            return tuple(values) if tag == "tuple" else values
        if tag == "dict":
            items = n.get("v")
            _expect(isinstance(items, list) and all(isinstance(p, list) and len(p) == 2 for p in items),
                    "dict items")
            out: dict[Any, Any] = {}
            for k, v in items:
                key = dec(k, depth + 1)
                try:
                    out[key] = dec(v, depth + 1)
                except TypeError:
                    raise DecodeError("dict with an unhashable key") from None
            return out
        if tag == "ndarray":
            return _array(n)
        if tag == "npscalar":
            arr = _array(n)
            _expect(arr.shape == (), "a numpy scalar has no shape")
            return arr[()]
        if tag == "qpy":
            return _qpy(n.get("v"))
        if tag in ("statevector", "densitymatrix", "operator"):
            from qiskit.quantum_info import DensityMatrix, Operator, Statevector

            data = _array(n.get("data"))
            try:
                if tag == "statevector":
                    return Statevector(data, dims=_dims(n.get("dims")))
                if tag == "densitymatrix":
                    return DensityMatrix(data, dims=_dims(n.get("dims")))
                return Operator(data, input_dims=_dims(n.get("input_dims")),
                                output_dims=_dims(n.get("output_dims")))
            except Exception as exc:  # noqa: BLE001 - inconsistent dimensions
                raise DecodeError(f"{tag}: {str(exc)[:200]}") from None
        if tag == "cirq":
            from .circuits import read_cirq_json

            return read_cirq_json(_str(n, "v"))
        if tag == "function":
            handle, name = n.get("handle"), n.get("name")
            _expect(function is not None and isinstance(handle, int) and isinstance(name, str),
                    "function handle")
            return function(handle, name[:80])
        if tag == "unreadable":
            return Unreadable(str(n.get("name", "?"))[:80], str(n.get("why", ""))[:500])
        raise DecodeError(f"unknown value kind {tag[:40]!r}")

    return dec(node, 0)
