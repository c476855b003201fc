"""Read a native circuit (Qiskit or Cirq) into one plain list of hardware instructions.

Every exporter starts from the same :class:`NativeProgram`, so the three formats cannot disagree
about which gate runs on which physical qubit with which angle. Gates are read by name and
parameters only (Qiskit: ``gpi``, ``gpi2``, ``ms``, ``zz``, ``r``, ``cz``, ``measure``,
``barrier``; Cirq: qlab's or cirq-ionq's ``GPIGate``/``GPI2Gate``/``MSGate``/``ZZGate``,
``PhasedXPowGate``/``XPowGate``/``YPowGate`` as IQM's PRX, ``CZ``), never by qlab's internals.

Units are kept exactly as the native circuit has them: IonQ's phases and angles in **turns**
(1 turn = 2 pi rad), PRX's ``(theta, phi)`` in **radians** (Qiskit's ``RGate``). Each exporter
converts to its own format's units.

Which devices can be exported is decided here, from data: a device whose native gates are exactly
one of the :data:`FAMILIES` (IonQ Aria-like, IonQ Forte-like, IQM-like), so an instructor's own
device file with the same gates exports too. The families' gate sets, their vendors and the Cirq
spelling of each gate are read from :mod:`qlab.hardware.gates` (``SYNTHESES``, ``GATES``); only
what concerns the export formats themselves is said here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..errors import ExportError
from ..hardware.gates import GATES, OPERATIONS, SYNTHESES
from ..i18n import t

QISKIT_SKIPPED = frozenset({"barrier"})

# Export-only data stays here: the hardware layer describes emulated devices and their gates, not
# vendors' cloud services or file formats, so it has no reason to know these.
#: the IonQ API backend a job names, by the family's kind (the entangling gate; docs/hardware.md)
IONQ_TARGETS = {"ms": "qpu.aria-1", "zz": "qpu.forte-1"}
#: the formats any family's gates go to; "ionq" (IonQ's job JSON) takes only IonQ's gates
ANY_VENDOR_FORMATS = ("braket", "qasm3")
IONQ_FORMATS = ("braket", "ionq", "qasm3")


@dataclass(frozen=True)
class Family:
    """One kind of hardware: its native gates and the formats it can be exported to."""

    name: str
    natives: frozenset[str]
    formats: tuple[str, ...]
    ionq_target: str = ""  # the IonQ API backend a job for this family names


def _family(kind: str, gates: tuple[str, ...]) -> Family:
    """The family of one native gate set of :data:`qlab.hardware.gates.SYNTHESES`, named
    ``<vendor>-<kind>`` (``ionq-ms``, ``ionq-zz``, ``iqm-prx``), the vendor being the gates'
    ``GateInfo.family``."""
    (vendor,) = {GATES[g].family for g in gates}  # one vendor's gates, or the import fails
    formats = IONQ_FORMATS if vendor == "ionq" else ANY_VENDOR_FORMATS
    return Family(f"{vendor}-{kind}", frozenset(gates), formats, IONQ_TARGETS.get(kind, ""))


FAMILIES: tuple[Family, ...] = tuple(_family(kind, gates) for kind, gates in SYNTHESES.items())
"""The device families that export, one per native gate set of the hardware layer."""


@dataclass(frozen=True)
class NativeOp:
    """One native gate: ``name`` (Qiskit's), ``params`` (turns for IonQ's gates; radians
    ``(theta, phi)`` for ``r``), ``qubits`` (physical indices, in the gate's own order)."""

    name: str
    params: tuple[float, ...]
    qubits: tuple[int, ...]


@dataclass(frozen=True)
class NativeProgram:
    """A native circuit as the hardware sees it: gates in order, then terminal measurements.

    ``measurements`` pairs ``(physical qubit, classical bit)``, sorted by classical bit; classical
    bit ``k`` is character ``-1-k`` of a qlab counts key (see docs/ARCHITECTURE.md).
    """

    device: str
    family: Family
    num_clbits: int
    ops: tuple[NativeOp, ...]
    measurements: tuple[tuple[int, int], ...]
    name: str = "circuit"

    @property
    def width(self) -> int:
        """One more than the highest physical qubit used (by a gate or a measurement)."""
        used = [q for op in self.ops for q in op.qubits] + [q for q, _ in self.measurements]
        return max(used, default=-1) + 1


def family_of(device: Any) -> Family | None:
    """The hardware family whose native gates are exactly the device's, or ``None``."""
    natives = frozenset(device.native_gates) - OPERATIONS
    return next((f for f in FAMILIES if f.natives == natives), None)


# ---- reading a native circuit -------------------------------------------------------------


class _Reader:
    """Collects gates and measurements, refusing what hardware cannot run from a verbatim list."""

    def __init__(self, family: Family, device: str):
        self.family = family
        self.device = device
        self.ops: list[NativeOp] = []
        self.measured: dict[int, int | None] = {}  # physical qubit -> classical bit

    def gate(self, name: str, params: list[Any], qubits: tuple[int, ...]) -> None:
        if name not in self.family.natives:
            raise ExportError(
                t(
                    "export.not_native",
                    gate=name,
                    device=self.device,
                    natives=", ".join(sorted(self.family.natives)),
                )
            )
        values = []
        for p in params:
            try:
                value = float(p)
            except (TypeError, ValueError) as exc:
                raise ExportError(t("export.symbolic", gate=name, value=p)) from exc
            if not math.isfinite(value):
                raise ExportError(t("export.symbolic", gate=name, value=p))
            values.append(value)
        for q in qubits:
            if q in self.measured:
                raise ExportError(t("export.mid_circuit", gate=name, qubit=q))
        self.ops.append(NativeOp(name, tuple(values), qubits))

    def measure(self, qubit: int, clbit: int | None) -> None:
        if qubit in self.measured:
            raise ExportError(t("export.measured_twice", qubit=qubit))
        if clbit is not None and clbit in self.measured.values():
            raise ExportError(t("export.clbit_twice", clbit=clbit))
        self.measured[qubit] = clbit


def read_qiskit(circuit: Any, family: Family, device: str) -> NativeProgram:
    """A native Qiskit circuit (``qlab.transpile``'s output, or one built from native gates)."""
    reader = _Reader(family, device)
    for inst in circuit.data:
        op = inst.operation
        qubits = tuple(circuit.find_bit(q).index for q in inst.qubits)
        if op.name in QISKIT_SKIPPED:
            continue
        if hasattr(op, "blocks"):  # if_else, for_loop, ...: control flow, not a verbatim list
            raise ExportError(t("export.mid_circuit", gate=op.name, qubit=qubits[0] if qubits else "-"))
        if op.name == "measure":
            reader.measure(qubits[0], circuit.find_bit(inst.clbits[0]).index)
        else:
            reader.gate(op.name, list(op.params), qubits)
    measurements = sorted(((q, c) for q, c in reader.measured.items()), key=lambda qc: qc[1])
    return NativeProgram(
        device, family, circuit.num_clbits, tuple(reader.ops), tuple(measurements),
        name=circuit.name or "circuit",
    )


_IONQ_BY_CIRQ_CLASS = {g.cirq: g for g in GATES.values() if g.family == "ionq"}
"""Cirq class name (``GPIGate``, ...) -> the gate's entry in :data:`qlab.hardware.gates.GATES`."""


def _cirq_gate(gate: Any) -> tuple[str, list[Any]] | None:
    """``(qiskit name, params in the native units)`` of a Cirq gate, or ``None`` if not native."""
    import cirq

    cls = type(gate)
    # qlab's and cirq-ionq's IonQ gates share the class names and attribute names of the gate table
    if cls.__module__.startswith(("qlab", "cirq_ionq")) and cls.__name__ in _IONQ_BY_CIRQ_CLASS:
        info = _IONQ_BY_CIRQ_CLASS[cls.__name__]
        return info.name, [getattr(gate, f) for f in info.params]
    # IQM's PRX(theta, phi) = exp(-i theta/2 (cos phi X + sin phi Y)); Cirq's pow-gates equal it up
    # to a global phase, which no measurement can see
    if isinstance(gate, cirq.PhasedXPowGate):
        return "r", [_times_pi(gate.exponent), _times_pi(gate.phase_exponent)]
    if isinstance(gate, cirq.XPowGate):
        return "r", [_times_pi(gate.exponent), 0.0]
    if isinstance(gate, cirq.YPowGate):
        return "r", [_times_pi(gate.exponent), math.pi / 2]
    if isinstance(gate, cirq.CZPowGate) and _is_one_mod_two(gate.exponent):
        return "cz", []
    return None


def _times_pi(x: Any) -> Any:
    return x * math.pi if isinstance(x, (int, float)) else x  # a sympy symbol stays symbolic


def _is_one_mod_two(e: Any) -> bool:
    return isinstance(e, (int, float)) and abs(e % 2.0 - 1.0) < 1e-9


def cirq_plan(circuit: Any) -> list[tuple[str, list[int]]]:
    """qlab's bit rule for a Cirq circuit: each measurement's key and the classical bits its
    qubits go to, the measured qubits *of this circuit*, sorted, being bits 0, 1, ..."""
    import cirq

    ops = [op for op in circuit.all_operations() if cirq.is_measurement(op)]
    order = {q: k for k, q in enumerate(sorted({q for op in ops for q in op.qubits}))}
    return [(cirq.measurement_key_name(op), [order[q] for q in op.qubits]) for op in ops]


def read_cirq(
    circuit: Any, family: Family, device: str, plan: list[tuple[str, list[int]]] | None = None
) -> NativeProgram:
    """A native Cirq circuit on ``cirq.LineQubit`` k = physical qubit k.

    Classical bits follow ``plan`` (:func:`cirq_plan` of the circuit the user gave, before the
    compiler moved its qubits), matched to the native circuit's measurements by key, so the bits
    read as ``qlab.run`` of that circuit reads them; without a plan, the native circuit's own.
    """
    import cirq

    plan = cirq_plan(circuit) if plan is None else plan
    queue: dict[str, list[list[int]]] = {}
    for key, bits in plan:
        queue.setdefault(key, []).append(list(bits))
    reader = _Reader(family, device)
    for op in circuit.all_operations():
        bad = [q for q in op.qubits if not isinstance(q, cirq.LineQubit)]
        if bad:
            raise ExportError(t("export.not_line_qubit", qubit=bad[0], device=device))
        qubits = tuple(q.x for q in op.qubits)
        if isinstance(op, cirq.ClassicallyControlledOperation):
            raise ExportError(t("export.mid_circuit", gate=str(op), qubit=qubits[0]))
        gate = op.gate
        if isinstance(gate, cirq.GlobalPhaseGate):
            continue
        if isinstance(gate, cirq.MeasurementGate):
            if any(gate.full_invert_mask()):
                raise ExportError(t("export.inverted_measurement", op=str(op)))
            bits = (queue.get(gate.key) or [[]]).pop(0)
            if len(bits) != len(qubits):
                raise ExportError(t("export.lost_measurement", key=gate.key))
            for q, bit in zip(qubits, bits, strict=True):
                reader.measure(q, bit)
            continue
        found = _cirq_gate(gate) if gate is not None else None
        if found is None:
            name = str(gate) if gate is not None else type(op).__name__
            reader.gate(name, [], qubits)  # raises, naming the gate and the natives
        else:
            reader.gate(found[0], found[1], qubits)
    measurements = sorted(reader.measured.items(), key=lambda qc: qc[1])
    num_clbits = sum(len(bits) for _, bits in plan)
    return NativeProgram(device, family, num_clbits, tuple(reader.ops), tuple(measurements))
