"""Write the device's timing into a native Qiskit circuit: a ``delay`` wherever a qubit waits.

:func:`with_waits` schedules the circuit as :mod:`qlab.hardware.timing` says (as soon as possible,
the final readout together after the last gate) and inserts ``Delay(seconds, unit="s")`` before
each operation whose qubit has been waiting. The noise renderings then treat every delay alike:
relaxation for as long as it lasts (:mod:`qlab.qiskit_side.aer` for Aer, :mod:`qlab.cirq_side.noise`
for qsim and Cirq after conversion). Delays the user wrote are converted to seconds too.
"""

from __future__ import annotations

from typing import Any

from qiskit.circuit import CircuitInstruction, Delay, QuantumCircuit

from ..hardware.noise import NoiseParams
from ..hardware.spec import DeviceSpec
from ..hardware.timing import schedule
from .read import delay_seconds, steps

DEFAULT_DT = 1e-9  # seconds, for a device file that gives no "dt" figure


def dt_of(spec: DeviceSpec) -> float:
    """The device's time unit for ``delay(..., unit="dt")``."""
    return spec.scalar("dt", DEFAULT_DT) or DEFAULT_DT


def with_waits(qc: QuantumCircuit, spec: DeviceSpec, params: NoiseParams) -> QuantumCircuit:
    """A copy of native ``qc`` with every wait of its schedule written as a delay in seconds."""
    dt = dt_of(spec)
    sched = schedule(steps(qc, params, dt))
    before: dict[int, list[Any]] = {}
    for w in sched.waits:
        before.setdefault(w.before, []).append(w)
    out = qc.copy_empty_like()
    qubits = qc.qubits
    for i, inst in enumerate(qc.data):
        for w in before.get(i, ()):
            out._append(CircuitInstruction(Delay(w.seconds, unit="s"), (qubits[w.qubit],), ()))
        op = inst.operation
        if op.name == "delay" and op.unit != "s":
            op = Delay(delay_seconds(op, dt), unit="s")
            inst = inst.replace(operation=op)
        out._append(inst)
    return out
