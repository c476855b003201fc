"""Read a Cirq circuit into the framework-neutral records of the hardware layer.

Cirq names gates by class and exponent, not by string; :func:`cirq_native_names` says which of the
gate table's names (:mod:`qlab.hardware.gates`) a Cirq gate counts as, and :func:`circuit_ops`
gives the :class:`~qlab.hardware.rules.Op` list that the device rule checks. ``LineQubit(k)`` is
qubit ``k`` of the device; other qubits are numbered in sorted order.
"""

from __future__ import annotations

from typing import Any

import cirq

from ..hardware.gates import GATES, IONQ_GATE_NAMES
from ..hardware.rules import Op

# the name shown first when a cirq gate counts as several (an XPowGate is an RX and a PRX)
_NAME_PRIORITY = (
    "measure", "global_phase", "reset", "delay", "gpi", "gpi2", "ms", "zz", "r", "x", "sx", "rx",
    "ry", "rz", "h", "cz", "cx", "u",
)  # fmt: skip
# qlab's and cirq-ionq's IonQ gate classes share their names with the gate table's Cirq spelling
_IONQ = {GATES[name].cirq: name for name in IONQ_GATE_NAMES}


def _exponent_is(gate: Any, value: float) -> bool:
    """``gate.exponent`` equals ``value`` modulo 2 (CZ**3 is CZ); False for symbols."""
    e = getattr(gate, "exponent", None)
    if isinstance(e, bool) or not isinstance(e, (int, float)):
        return False
    return abs((e - value + 1) % 2 - 1) < 1e-9


def cirq_native_names(gate: Any) -> frozenset[str]:
    """Every Qiskit gate name a cirq gate counts as, for the device rule.

    A ``PhasedXPowGate`` is IQM's PRX (``r``); ``XPowGate``/``YPowGate`` (``cirq.rx``, ``cirq.X``,
    ...) are PRX special cases as well as ``rx``/``ry``; ``CZ``/``CNOT`` only at exponent 1
    (mod 2); qlab's and cirq-ionq's ``GPIGate``, ``GPI2Gate``, ``MSGate``, ``ZZGate`` are ``gpi``,
    ``gpi2``, ``ms``, ``zz``. Measurements, resets, waits and global phases are operations every
    device allows.
    """
    cls = type(gate)
    if cls.__module__.startswith(("qlab", "cirq_ionq")) and cls.__name__ in _IONQ:
        return frozenset({_IONQ[cls.__name__]})
    if isinstance(gate, cirq.MeasurementGate):
        return frozenset({"measure"})
    if isinstance(gate, cirq.GlobalPhaseGate):
        return frozenset({"global_phase"})
    if isinstance(gate, cirq.ResetChannel):
        return frozenset({"reset"})
    if isinstance(gate, cirq.WaitGate):
        return frozenset({"delay"})
    if isinstance(gate, cirq.PhasedXPowGate):
        return frozenset({"r"})
    if isinstance(gate, cirq.XPowGate):
        extra = {"x"} if _exponent_is(gate, 1.0) else {"sx"} if _exponent_is(gate, 0.5) else set()
        return frozenset({"rx", "r", *extra})
    if isinstance(gate, cirq.YPowGate):
        return frozenset({"ry", "r"})
    if isinstance(gate, cirq.ZPowGate):
        return frozenset({"rz"})
    if isinstance(gate, cirq.HPowGate) and _exponent_is(gate, 1.0):
        return frozenset({"h"})
    if isinstance(gate, cirq.CZPowGate) and _exponent_is(gate, 1.0):
        return frozenset({"cz"})
    if isinstance(gate, cirq.CXPowGate) and _exponent_is(gate, 1.0):
        return frozenset({"cx"})
    if isinstance(gate, (cirq.PhasedXZGate, cirq.MatrixGate)) and cirq.num_qubits(gate) == 1:
        return frozenset({"u"})
    return frozenset()


def cirq_gate_names(op: Any) -> tuple[str, frozenset[str]]:
    """``(name, aliases)``: the Qiskit name(s) a cirq operation counts as; ``(str(gate), {})``
    when it is none of them."""
    gate = getattr(op, "gate", None)
    if gate is None:
        return str(op), frozenset()
    names = cirq_native_names(gate)
    if not names:
        return str(gate), frozenset()
    primary = next(n for n in _NAME_PRIORITY if n in names)
    return primary, names - {primary}


def qubit_order(circuit: Any, width: int | None = None) -> list[Any]:
    """Qubits of a cirq circuit, qubit 0 first: ``LineQubit(k)`` is qubit ``k`` (idle ones below
    the highest count); otherwise the sorted qubits, padded to ``width``."""
    qubits = sorted(circuit.all_qubits())
    if qubits and all(isinstance(q, cirq.LineQubit) and q.x >= 0 for q in qubits):
        n = max(max(q.x for q in qubits) + 1, width or 0)
        return [cirq.LineQubit(k) for k in range(n)]
    extra = [cirq.NamedQubit(f"_pad{k}") for k in range(len(qubits), width or 0)]
    return qubits + extra


def read_op(op: Any, qubits: tuple[int, ...]) -> Op:
    """One Cirq operation as the device rule reads it (``qubits``: its device qubit numbers)."""
    name, aliases = cirq_gate_names(op)
    free = tuple(sorted(cirq.parameter_names(op))) if cirq.is_parameterized(op) else ()
    label = str(op.gate) if op.gate is not None else type(op).__name__
    return Op(name, qubits, aliases, free, label)


def circuit_ops(circuit: Any) -> tuple[int, list[Op]]:
    """``(width, ops)`` of a cirq circuit, in the order they run."""
    order = qubit_order(circuit)
    index = {q: k for k, q in enumerate(order)}
    ops = []
    for op in circuit.all_operations():
        name, aliases = cirq_gate_names(op)
        ops.append(read_op(op, tuple(index[q] for q in op.qubits)))
    return len(order), ops
