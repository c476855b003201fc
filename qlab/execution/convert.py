"""Qiskit <-> Cirq circuit conversion, so that one simulation engine can serve both frameworks.

qlab runs a Qiskit circuit on qsim when qsim is the fastest engine for it, and a Cirq circuit on
Aer when Aer has the method it needs (matrix-product state, stabilizer). Conversion keeps what
sampling needs: the gates (exactly, up to a global phase that no measurement can see) and the
measurements, with qlab's ONE bit-order convention (see ``docs/ARCHITECTURE.md``):

* a counts key is a bit string whose **last character is qubit 0** (Qiskit's order);
* for a Qiskit circuit, character ``-1-k`` is classical bit ``k``;
* for a Cirq circuit, the measured qubits are sorted and the ``k``-th one is classical bit ``k``.

Functions here return plain data alongside each converted circuit (:class:`ToCirq`,
:class:`ToQiskit`) so that :mod:`qlab.simulate` can turn raw samples into counts keys.
Anything a conversion cannot represent (classically controlled gates, noise channels written into
a circuit) raises :class:`qlab.errors.UnsupportedCircuitError`; the engine choice then keeps the
circuit in its own framework.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import NotACircuitError, UnsupportedCircuitError
from ..hardware.gates import GATES, IONQ_GATE_NAMES
from ..i18n import t

if TYPE_CHECKING:
    import cirq
    from qiskit import QuantumCircuit

QISKIT = "qiskit"
CIRQ = "cirq"


# ---- which framework is this? ---------------------------------------------------------------


def framework_of(circuit: Any) -> str:
    """``"qiskit"`` for a ``QuantumCircuit``, ``"cirq"`` for a ``cirq.Circuit``, else a clear error.

    Checked by class name and module first, so that asking never imports a framework the caller
    does not use.
    """
    for cls in type(circuit).__mro__:
        mod = cls.__module__ or ""
        if cls.__name__ == "QuantumCircuit" and mod.startswith("qiskit"):
            return QISKIT
        if cls.__name__ in ("Circuit", "FrozenCircuit") and mod.startswith("cirq"):
            return CIRQ
    hint = ""
    if isinstance(circuit, (list, tuple)):
        hint = t("run.hint_one_circuit")
    elif type(circuit).__module__.startswith("cirq"):
        hint = t("run.hint_cirq_wrap")
    raise NotACircuitError(t("run.not_a_circuit", got=type(circuit).__name__, hint=hint))


def measured_qubits_cirq(circuit: cirq.AbstractCircuit) -> list[cirq.Qid]:
    """The measured qubits of a Cirq circuit, sorted: the ``k``-th is classical bit ``k``."""
    import cirq

    found: set[cirq.Qid] = set()
    for op in circuit.all_operations():
        if cirq.is_measurement(op):
            found.update(op.qubits)
    return sorted(found)


def with_measurements(circuit: Any, framework: str | None = None) -> Any:
    """The circuit itself when it measures something; else a copy that measures every qubit.

    Qiskit: qubit ``k`` is measured into classical bit ``k`` (bits are added if needed).
    Cirq: all qubits, sorted, under the key ``"all"``.
    """
    framework = framework or framework_of(circuit)
    if framework == QISKIT:
        if any(inst.operation.name == "measure" for inst in circuit.data):
            return circuit
        from qiskit.circuit import ClassicalRegister

        qc = circuit.copy()
        n = qc.num_qubits
        if qc.num_clbits < n:
            qc.add_register(ClassicalRegister(n - qc.num_clbits, "meas"))
        qc.barrier()
        qc.measure(range(n), range(n))
        return qc
    import cirq

    if any(cirq.is_measurement(op) for op in circuit.all_operations()):
        return circuit
    return circuit + cirq.Circuit(cirq.measure(*sorted(circuit.all_qubits()), key="all"))


# ---- samples -> counts ---------------------------------------------------------------------


def bits_to_counts(bits: np.ndarray) -> dict[str, int]:
    """Count rows of a ``(shots, nbits)`` 0/1 array; column ``k`` is classical bit ``k``.

    The key puts bit 0 LAST, so column 0 becomes the key's last character.
    """
    bits = np.asarray(bits, dtype=np.uint8)
    shots, nbits = bits.shape
    if nbits == 0:
        return {"": int(shots)}
    if nbits <= 63:
        # each row as the integer its key spells (column 0 the lowest bit): a 1-D unique is many
        # times faster than a unique over rows
        values = bits.astype(np.uint64) @ (np.uint64(1) << np.arange(nbits, dtype=np.uint64))
        uniq, freq = np.unique(values, return_counts=True)
        return {format(int(v), f"0{nbits}b"): int(c) for v, c in zip(uniq, freq, strict=True)}
    rows, freq = np.unique(bits[:, ::-1], axis=0, return_counts=True)
    chars = np.where(rows == 1, ord("1"), ord("0")).astype(np.uint8)
    return {bytes(r).decode("ascii"): int(c) for r, c in zip(chars, freq, strict=True)}


def cirq_result_bits(result: Any, plan: Sequence[tuple[str, Sequence[int]]], nbits: int) -> np.ndarray:
    """Samples of a Cirq result as a ``(shots, nbits)`` array.

    ``plan`` lists, in circuit order, each measurement key and the classical bit each of its
    qubits writes; a bit written twice keeps its last value (as in Qiskit).
    """
    records = getattr(result, "records", None)
    shots = result.repetitions
    bits = np.zeros((shots, nbits), dtype=np.uint8)
    seen: dict[str, int] = {}
    for key, targets in plan:
        if records is not None and key in records:
            inst = records[key]
            i = seen.get(key, 0)
            data = inst[:, min(i, inst.shape[1] - 1), :]
        else:
            data = result.measurements[key]
        seen[key] = seen.get(key, 0) + 1
        for col, bit in enumerate(targets):
            bits[:, bit] = data[:, col]
    return bits


def cirq_measurement_plan(
    circuit: cirq.AbstractCircuit,
) -> tuple[list[tuple[str, list[int]]], int]:
    """For a user's Cirq circuit: each measurement (key, bits it writes), and the number of bits."""
    import cirq

    order = {q: k for k, q in enumerate(measured_qubits_cirq(circuit))}
    plan = []
    for op in circuit.all_operations():
        if cirq.is_measurement(op):
            plan.append((cirq.measurement_key_name(op), [order[q] for q in op.qubits]))
    return plan, len(order)


# ---- Qiskit -> Cirq -------------------------------------------------------------------------


@dataclass
class ToCirq:
    """A Qiskit circuit in Cirq: the circuit, its measurement plan and the number of bits."""

    circuit: cirq.Circuit
    plan: list[tuple[str, list[int]]]
    num_clbits: int


def _qiskit_gate_to_cirq(name: str, params: list[float], op: Any) -> Any:
    import cirq

    fixed = {
        "h": cirq.H,
        "x": cirq.X,
        "y": cirq.Y,
        "z": cirq.Z,
        "s": cirq.S,
        "sdg": cirq.S**-1,
        "t": cirq.T,
        "tdg": cirq.T**-1,
        "sx": cirq.X**0.5,
        "sxdg": cirq.X**-0.5,
        "cx": cirq.CNOT,
        "cz": cirq.CZ,
        "swap": cirq.SWAP,
        "iswap": cirq.ISWAP,
        "ccx": cirq.CCX,
        "ccz": cirq.CCZ,
        "cswap": cirq.CSWAP,
    }
    if name in fixed:
        return fixed[name], False
    if name == "rx":
        return cirq.rx(params[0]), False
    if name == "ry":
        return cirq.ry(params[0]), False
    if name == "rz":
        return cirq.rz(params[0]), False
    if name in ("p", "u1"):
        return cirq.ZPowGate(exponent=params[0] / math.pi), False
    if name == "cp":
        return cirq.CZPowGate(exponent=params[0] / math.pi), False
    if name == "rzz":  # equal up to a global phase, invisible in counts
        return cirq.ZZPowGate(exponent=params[0] / math.pi), False
    if name == "rxx":
        return cirq.XXPowGate(exponent=params[0] / math.pi), False
    if name == "ryy":
        return cirq.YYPowGate(exponent=params[0] / math.pi), False
    if name in IONQ_GATE_NAMES:
        from ..cirq_side.gates import IONQ_GATES

        return IONQ_GATES[name](*params), False
    if name == "r":  # IQM PRX(theta, phi) = RGate
        theta, phi = params
        return cirq.PhasedXPowGate(exponent=theta / math.pi, phase_exponent=phi / math.pi), False
    # anything else: its exact matrix (Qiskit's little-endian order -> reversed qubits)
    from qiskit.quantum_info import Operator

    try:
        matrix = Operator(op).data
    except Exception as exc:  # no matrix: not a unitary gate we can carry over
        raise UnsupportedCircuitError(t("run.cannot_convert", gate=name, to="Cirq")) from exc
    return cirq.MatrixGate(matrix), True


def qiskit_to_cirq(qc: QuantumCircuit, *, compact: bool = True, dt: float | None = None) -> ToCirq:
    """Convert a Qiskit circuit to Cirq (qubit ``i`` becomes ``cirq.LineQubit(i)``).

    With ``compact``, qubits that no instruction touches are dropped and the others renumbered
    in order (a circuit transpiled to a 36-qubit device but using 5 of them simulates as 5).
    Measurement ``i`` gets the key ``m{i}``; the returned plan maps it to its classical bit.
    Delays are dropped, unless ``dt`` (the device's time unit, seconds) is given: then each
    becomes a ``cirq.WaitGate`` of the same length, which a noise model turns into relaxation.
    """
    import cirq

    data = qc.data
    if compact:
        used = sorted({qc.find_bit(q).index for inst in data for q in inst.qubits})
    else:
        used = list(range(qc.num_qubits))
    line = {old: cirq.LineQubit(new) for new, old in enumerate(used)}
    ops = []
    plan: list[tuple[str, list[int]]] = []
    for inst in data:
        op = inst.operation
        name = op.name
        if getattr(op, "condition", None) is not None or name in (
            "if_else",
            "while_loop",
            "for_loop",
            "switch_case",
        ):
            raise UnsupportedCircuitError(t("run.cannot_convert", gate=name, to="Cirq"))
        qubits = [line[qc.find_bit(q).index] for q in inst.qubits]
        if name == "delay" and dt is not None:
            from ..qiskit_side.read import delay_seconds

            nanos = delay_seconds(op, dt) * 1e9
            ops.append(cirq.WaitGate(cirq.Duration(nanos=nanos)).on(qubits[0]))
            continue
        if name in ("barrier", "id", "delay", "global_phase"):
            continue
        if name == "measure":
            key = f"m{len(plan)}"
            plan.append((key, [qc.find_bit(inst.clbits[0]).index]))
            ops.append(cirq.measure(qubits[0], key=key))
            continue
        if name == "reset":
            ops.append(cirq.ResetChannel().on(qubits[0]))
            continue
        from qiskit.circuit import Gate

        try:
            if not isinstance(op, Gate):
                raise TypeError(name)
            params = [float(p) for p in op.params] if name != "unitary" else []
        except TypeError as exc:  # not a gate (initialize, ...), or an unbound parameter
            raise UnsupportedCircuitError(t("run.cannot_convert", gate=name, to="Cirq")) from exc
        gate, reverse = _qiskit_gate_to_cirq(name, params, op)
        ops.append(gate.on(*(qubits[::-1] if reverse else qubits)))
    return ToCirq(cirq.Circuit(ops), plan, qc.num_clbits)


# ---- Cirq -> Qiskit -------------------------------------------------------------------------


@dataclass
class ToQiskit:
    """A Cirq circuit in Qiskit; its classical bit ``k`` is the ``k``-th sorted measured qubit."""

    circuit: QuantumCircuit
    qubit_index: dict[Any, int]


def cirq_to_qiskit(
    circuit: cirq.AbstractCircuit,
    *,
    physical: bool = False,
    plan: Sequence[tuple[str, Sequence[int]]] | None = None,
    fence: bool = False,
) -> ToQiskit:
    """Convert a Cirq circuit to Qiskit.

    Qubits: with ``physical=True`` (a circuit compiled for a device, on ``LineQubit(0..n-1)``),
    ``LineQubit(i)`` becomes Qiskit qubit ``i`` so the device's noise lands on the right qubits;
    otherwise the sorted qubits become ``0, 1, ...``. Classical bits follow qlab's convention
    (sorted measured qubits), so Qiskit's counts keys are qlab's keys unchanged. A circuit that a
    compiler has moved to other qubits passes the ``plan`` of the user's own circuit
    (:func:`cirq_measurement_plan`): each measurement key then writes the bits it wrote there.
    With ``fence``, a measurement of several qubits gets a barrier on each side, so that a
    compiler keeps its single-qubit measurements together (:func:`qiskit_native_to_cirq` can then
    join them into one Cirq measurement again).
    """
    import cirq
    from qiskit import QuantumCircuit

    qubits = sorted(circuit.all_qubits())
    if physical and all(isinstance(q, cirq.LineQubit) for q in qubits):
        index = {q: q.x for q in qubits}
        n = max(index.values(), default=-1) + 1
    else:
        index = {q: i for i, q in enumerate(qubits)}
        n = len(qubits)
    if plan is None:
        plan, nbits = cirq_measurement_plan(circuit)
    else:
        nbits = 1 + max((b for _, targets in plan for b in targets), default=-1)
    pending: dict[str, list[Sequence[int]]] = {}
    for key, targets in plan:
        pending.setdefault(key, []).append(targets)
    qc = QuantumCircuit(n, nbits)
    for op in circuit.all_operations():
        qs = [index[q] for q in op.qubits]
        if cirq.is_measurement(op):
            gate = op.gate
            if getattr(gate, "confusion_map", None):
                raise UnsupportedCircuitError(t("run.cannot_convert", gate="confusion_map", to="Qiskit"))
            mask = gate.full_invert_mask() if hasattr(gate, "full_invert_mask") else ()
            queue = pending.get(cirq.measurement_key_name(op)) or [()]
            targets = queue.pop(0) if len(queue) > 1 else queue[0]
            fenced = fence and len(op.qubits) > 1
            if fenced:
                qc.barrier(*qs)
            for j, q in enumerate(op.qubits):
                if j >= len(targets):
                    continue
                flip = j < len(mask) and mask[j]
                if flip:
                    qc.x(index[q])
                qc.measure(index[q], targets[j])
                if flip:
                    qc.x(index[q])
            if fenced:
                qc.barrier(*qs)
            continue
        _append_cirq_op(qc, op, qs)
    return ToQiskit(qc, index)


def _append_cirq_op(qc: QuantumCircuit, op: Any, qs: list[int]) -> None:
    import cirq

    if isinstance(op.gate, cirq.WaitGate):  # (it has a unitary, the identity: a wait is time)
        for q in qs:
            qc.delay(op.gate.duration.total_nanos() * 1e-9, q, unit="s")
        return
    if isinstance(op, cirq.ClassicallyControlledOperation) or not cirq.has_unitary(op):
        if isinstance(op.gate, cirq.ResetChannel):
            qc.reset(qs[0])
            return
        if isinstance(op.gate, cirq.GlobalPhaseGate) or not op.qubits:
            return
        raise UnsupportedCircuitError(t("run.cannot_convert", gate=str(op), to="Qiskit"))
    gate = op.gate
    pi = math.pi
    native = _native_qiskit_gate(gate)
    if native is not None:
        qc.append(native, qs)
        return
    if isinstance(gate, cirq.GlobalPhaseGate) or not op.qubits:
        return
    exp = getattr(gate, "exponent", None)
    gshift = getattr(gate, "global_shift", None)
    simple = isinstance(exp, (int, float)) and gshift is not None
    if simple and isinstance(gate, cirq.HPowGate) and exp == 1:
        qc.h(qs[0])
    elif simple and type(gate) is cirq.XPowGate:
        qc.x(qs[0]) if exp == 1 else qc.rx(pi * exp, qs[0])
    elif simple and type(gate) is cirq.YPowGate:
        qc.y(qs[0]) if exp == 1 else qc.ry(pi * exp, qs[0])
    elif simple and type(gate) is cirq.ZPowGate:
        qc.z(qs[0]) if exp == 1 else qc.p(pi * exp, qs[0])
    elif simple and type(gate) is cirq.CZPowGate:
        qc.cz(*qs) if exp == 1 else qc.cp(pi * exp, *qs)
    elif simple and type(gate) is cirq.CXPowGate and exp == 1:
        qc.cx(*qs)
    elif simple and type(gate) is cirq.SwapPowGate and exp == 1:
        qc.swap(*qs)
    elif simple and type(gate) is cirq.ZZPowGate:
        qc.rzz(pi * exp, *qs)
    elif simple and type(gate) is cirq.XXPowGate:
        qc.rxx(pi * exp, *qs)
    elif isinstance(gate, cirq.Rx):
        qc.rx(gate._rads, qs[0])
    elif isinstance(gate, cirq.Ry):
        qc.ry(gate._rads, qs[0])
    elif isinstance(gate, cirq.Rz):
        qc.rz(gate._rads, qs[0])
    elif isinstance(gate, cirq.PhasedXPowGate) and isinstance(exp, (int, float)):
        qc.r(pi * exp, pi * gate.phase_exponent, qs[0])
    else:
        from qiskit.circuit.library import UnitaryGate

        try:
            matrix = cirq.unitary(op)
        except TypeError as exc:
            raise UnsupportedCircuitError(t("run.cannot_convert", gate=str(op), to="Qiskit")) from exc
        qc.append(UnitaryGate(matrix, check_input=False), qs[::-1])


def _native_qiskit_gate(gate: Any) -> Any:
    """qlab's Qiskit native gate (same name, same turns) for one of qlab's Cirq native gates."""
    from ..cirq_side.gates import IONQ_GATES as CIRQ_IONQ

    for name, cls in CIRQ_IONQ.items():
        if type(gate) is cls:
            from ..qiskit_side.gates import IONQ_GATES

            return IONQ_GATES[name](*(getattr(gate, p) for p in GATES[name].params))
    return None


# ---- a compiled circuit back to Cirq ----------------------------------------------------------


def qiskit_native_to_cirq(qc: QuantumCircuit, plan: Sequence[tuple[str, Sequence[int]]]) -> cirq.Circuit:
    """A compiled (native) Qiskit circuit as Cirq gates on ``LineQubit(physical index)``.

    ``plan`` is the measurement plan of the user's Cirq circuit (:func:`cirq_measurement_plan`):
    the single-qubit measurements the compiler wrote for one Cirq measurement are joined into one
    ``cirq.measure`` with the original key, in its original qubit order. Natives: ``r`` becomes
    ``cirq.PhasedXPowGate`` (IQM's PRX), ``cz`` ``cirq.CZ``, IonQ's gates qlab's Cirq gates,
    ``rx``/``ry``/``rz``/``cx`` ``cirq.rx``/``ry``/``rz``/``CNOT``; waits become ``cirq.WaitGate``.
    """
    import cirq

    from ..cirq_side.gates import IONQ_GATES

    line = [cirq.LineQubit(i) for i in range(qc.num_qubits)]
    # each classical bit: the queue of (measurement number, position in it) that write it
    writers: dict[int, list[tuple[int, int]]] = {}
    for m, (_, bits) in enumerate(plan):
        for pos, b in enumerate(bits):
            writers.setdefault(b, []).append((m, pos))
    filling: dict[int, dict[int, cirq.Qid]] = {}
    ops: list[cirq.Operation] = []
    for inst in qc.data:
        op = inst.operation
        name = op.name
        qs = [line[qc.find_bit(q).index] for q in inst.qubits]
        if name == "measure":
            bit = qc.find_bit(inst.clbits[0]).index
            m, pos = writers[bit].pop(0)
            slots = filling.setdefault(m, {})
            slots[pos] = qs[0]
            if len(slots) == len(plan[m][1]):
                ops.append(cirq.measure(*(slots[i] for i in range(len(slots))), key=plan[m][0]))
                del filling[m]
        elif name == "barrier":
            continue
        elif name == "reset":
            ops.append(cirq.ResetChannel().on(qs[0]))
        elif name == "delay":
            from ..qiskit_side.read import delay_seconds

            ops.append(cirq.WaitGate(cirq.Duration(nanos=delay_seconds(op, 1e-9) * 1e9)).on(qs[0]))
        elif name in IONQ_GATES:
            ops.append(IONQ_GATES[name](*(float(p) for p in op.params)).on(*qs))
        else:
            ops.append(_cirq_native(name, [float(p) for p in op.params]).on(*qs))
    return cirq.Circuit(ops)


def _cirq_native(name: str, params: list[float]) -> Any:
    """The Cirq gate for a native gate of a compiled circuit."""
    import cirq

    if name == "r":  # PRX(theta, phi)
        return cirq.PhasedXPowGate(exponent=params[0] / math.pi, phase_exponent=params[1] / math.pi)
    if name in ("rx", "ry", "rz"):
        return getattr(cirq, name)(params[0])
    if name in ("cz", "cx"):
        return cirq.CZ if name == "cz" else cirq.CNOT
    raise UnsupportedCircuitError(t("run.cannot_convert", gate=name, to="Cirq"))
