"""Read a Qiskit circuit into the framework-neutral records of the hardware layer.

* :func:`circuit_ops` gives the :class:`~qlab.hardware.rules.Op` list the device rule checks;
* :func:`steps` gives the :class:`~qlab.hardware.timing.Step` list the scheduler times.
"""

from __future__ import annotations

from typing import Any

from ..hardware.gates import OPERATIONS
from ..hardware.noise import NoiseParams
from ..hardware.rules import Op
from ..hardware.timing import Step, terminal_flags


def unbound_names(op: Any) -> tuple[str, ...]:
    """Names of the free parameters of an operation (empty when every parameter has a value)."""
    names: set[str] = set()
    for p in getattr(op, "params", ()):
        for free in getattr(p, "parameters", ()):
            names.add(free.name)
    return tuple(sorted(names))


def circuit_ops(qc: Any) -> tuple[int, list[Op]]:
    """``(width, ops)`` of a ``QuantumCircuit``, in program order."""
    ops = []
    for inst in qc.data:
        op = inst.operation
        qubits = tuple(qc.find_bit(q).index for q in inst.qubits)
        ops.append(Op(op.name, qubits, unbound=unbound_names(op)))
    return qc.num_qubits, ops


def delay_seconds(op: Any, dt: float) -> float:
    """A ``Delay``'s duration in seconds (units s, ms, us, ns, ps or dt)."""
    scale = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9, "ps": 1e-12, "dt": dt}
    return float(op.duration) * scale[op.unit]


def steps(qc: Any, params: NoiseParams, dt: float) -> list[Step]:
    """The native circuit ``qc`` as timed steps (gate durations from ``params``)."""
    records = []
    for inst in qc.data:
        op = inst.operation
        qubits = tuple(qc.find_bit(q).index for q in inst.qubits)
        name = op.name
        if name == "barrier":
            records.append((qubits, 0.0, "barrier"))
        elif name == "delay":
            records.append((qubits, delay_seconds(op, dt), "delay"))
        elif name == "measure":
            records.append((qubits, params.duration_measure, "measure"))
        elif name in OPERATIONS:  # reset, global phase: instantaneous here
            records.append((qubits, 0.0, name))
        else:
            records.append((qubits, params.duration_of(len(qubits)), "gate"))
    final = terminal_flags(
        [q if kind != "barrier" else () for q, _, kind in records],
        [kind == "measure" for _, _, kind in records],
    )
    return [Step(q, d, kind, terminal=f) for (q, d, kind), f in zip(records, final, strict=True)]
