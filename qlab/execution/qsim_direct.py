"""qsim straight from a Qiskit circuit, with no Cirq circuit in between.

qsimcirq simulates a ``cirq.Circuit`` by first translating it, operation by operation, through
Cirq's ``decompose``: for a 20-qubit, 1000-gate circuit that translation costs more than the
simulation. Here a Qiskit circuit (the user's ideal circuit, or the device's native program) is
*lowered* once into plain records, ``(qubits, matrix)`` per gate, and handed to qsim's own circuit
builder (``qsimcirq.qsim``, the C++ module qsimcirq itself calls). Matrices are computed once per
distinct gate and parameters.

Conventions (the same as qsimcirq's, so that the amplitudes are Cirq's):

* the circuit's used qubits are renumbered ``0..n-1`` in index order (*compact* indices);
* a gate's matrix is big-endian over its qubit list (Cirq's order), so a Qiskit gate's own
  little-endian matrix goes with its qubits reversed;
* qsim numbers qubits the other way round: compact qubit ``i`` is qsim qubit ``n-1-i``, and in a
  state vector (or a sampled integer) compact qubit ``i`` is bit ``n-1-i``.

Anything this path does not know (a gate wider than four qubits or without a matrix, a condition,
a mid-circuit measurement, a reset) raises :class:`Unlowerable`; the caller then takes the Cirq
path, which knows everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

MAX_GATE_QUBITS = 4


class Unlowerable(Exception):
    """The circuit has something the direct path does not carry (the Cirq path does)."""


@dataclass(frozen=True)
class Gate:
    """One gate: compact qubits (big-endian order of ``matrix``) and qsim's flat matrix."""

    qubits: tuple[int, ...]
    flat: tuple[float, ...]  # re, im, re, im, ... row by row


@dataclass(frozen=True)
class Lowered:
    """A circuit as qsim takes it, plus what sampling and noise need.

    ``timeline`` lists, in program order, ``("gate", k)`` for ``gates[k]`` and ``("wait", q,
    seconds)`` for a delay on compact qubit ``q``. ``measures`` lists ``(compact qubit, clbit)``
    of the final measurements, in program order.
    """

    num_qubits: int
    physical: tuple[int, ...]  # compact index -> the circuit's qubit index
    gates: tuple[Gate, ...]
    timeline: tuple[tuple, ...]
    measures: tuple[tuple[int, int], ...]
    num_clbits: int

    @property
    def two_qubit_gates(self) -> int:
        return sum(1 for g in self.gates if len(g.qubits) >= 2)


_SKIP = frozenset({"barrier", "global_phase", "id"})


def lower(qc: Any, *, dt: float = 1e-9) -> Lowered:
    """Lower a Qiskit circuit whose measurements are all final (else :class:`Unlowerable`)."""
    find = qc.find_bit
    records: list[tuple[str, tuple[int, ...], Any]] = []
    used: set[int] = set()
    measured: set[int] = set()
    for inst in qc.data:
        op = inst.operation
        name = op.name
        if name in _SKIP:
            continue
        qubits = tuple(find(q).index for q in inst.qubits)
        if getattr(op, "condition", None) is not None or getattr(op, "blocks", None):
            raise Unlowerable(name)
        if name == "measure":
            if qubits[0] in measured:
                raise Unlowerable("measured twice")
            measured.add(qubits[0])
            records.append(("measure", qubits, find(inst.clbits[0]).index))
            used.update(qubits)
            continue
        if measured.intersection(qubits) or name == "reset":
            raise Unlowerable(name)
        if name == "delay":
            from ..qiskit_side.read import delay_seconds

            records.append(("wait", qubits, delay_seconds(op, dt)))
            continue
        if len(qubits) > MAX_GATE_QUBITS:
            raise Unlowerable(name)
        records.append(("gate", qubits, op))
        used.update(qubits)
    physical = tuple(sorted(used))
    compact = {q: i for i, q in enumerate(physical)}
    gates: list[Gate] = []
    timeline: list[tuple] = []
    measures: list[tuple[int, int]] = []
    for kind, qubits, payload in records:
        if kind == "gate":
            cq = tuple(compact[q] for q in reversed(qubits))  # Qiskit's matrix is little-endian
            gates.append(Gate(cq, _flat_of(payload)))
            timeline.append(("gate", len(gates) - 1))
        elif kind == "wait":
            if qubits[0] in compact and payload > 0:
                timeline.append(("wait", compact[qubits[0]], payload))
        else:
            measures.append((compact[qubits[0]], payload))
    return Lowered(len(physical), physical, tuple(gates), tuple(timeline), tuple(measures), qc.num_clbits)


def lower_cirq(circuit: Any, plan: tuple[list[tuple[str, list[int]]], int]) -> Lowered:
    """Lower an ideal Cirq circuit whose measurements are all final, each qubit measured once
    (else :class:`Unlowerable`). ``plan``: the circuit's measurement plan
    (:func:`qlab.execution.convert.cirq_measurement_plan`), which says the bit of each measured
    qubit. Qubits are compacted in sorted order, as everywhere for Cirq circuits; Cirq's
    ``unitary`` is already big-endian over an operation's qubits."""
    import cirq

    entries, nbits = plan
    qubits = sorted(circuit.all_qubits())
    compact = {q: i for i, q in enumerate(qubits)}
    gates: list[Gate] = []
    measures: list[tuple[int, int]] = []
    measured: set[Any] = set()
    step = 0
    for op in circuit.all_operations():
        gate = op.gate
        if cirq.is_measurement(op):
            if not isinstance(gate, cirq.MeasurementGate) or any(gate.full_invert_mask()) or gate.confusion_map:
                raise Unlowerable("measurement")
            if step >= len(entries) or len(entries[step][1]) != len(op.qubits):
                raise Unlowerable("measurement plan")
            for q, bit in zip(op.qubits, entries[step][1], strict=True):
                if q in measured:
                    raise Unlowerable("measured twice")
                measured.add(q)
                measures.append((compact[q], bit))
            step += 1
            continue
        if measured.intersection(op.qubits) or cirq.is_parameterized(op) or gate is None:
            raise Unlowerable(str(op))
        if isinstance(gate, (cirq.WaitGate, cirq.IdentityGate)):
            continue
        if len(op.qubits) > MAX_GATE_QUBITS:
            raise Unlowerable(str(op))
        flat_ = _cirq_flat_cache.get(gate)
        if flat_ is None:
            m = cirq.unitary(gate, None)
            if m is None:
                raise Unlowerable(str(op))
            flat_ = flat(m)
            if len(_cirq_flat_cache) > 20_000:
                _cirq_flat_cache.clear()
            _cirq_flat_cache[gate] = flat_
        gates.append(Gate(tuple(compact[q] for q in op.qubits), flat_))
    timeline = tuple(("gate", k) for k in range(len(gates)))
    return Lowered(len(qubits), tuple(range(len(qubits))), tuple(gates), timeline, tuple(measures), nbits)


_cirq_flat_cache: dict[Any, tuple[float, ...]] = {}


def _flat_of(op: Any) -> tuple[float, ...]:
    if not _library_class(type(op)):  # a gate of the user's own, a matrix: its matrix, never its name
        return flat(_matrix(op))
    try:
        key = (op.name, type(op), op.num_qubits, getattr(op, "ctrl_state", None),
               tuple(float(p) for p in op.params))  # fmt: skip
    except (TypeError, ValueError):
        raise Unlowerable(op.name) from None
    return _cached_flat(key, op)


def _library_class(cls: type) -> bool:
    """Qiskit's standard gates and qlab's IonQ gates: the class and parameters fix the matrix."""
    mod = cls.__module__ or ""
    return cls.__name__ not in ("Gate", "UnitaryGate") and (
        mod.startswith("qiskit.circuit.library") or mod.startswith("qlab.qiskit_side")
    )


_flat_cache: dict[tuple, tuple[float, ...]] = {}


def _cached_flat(key: tuple, op: Any) -> tuple[float, ...]:
    found = _flat_cache.get(key)
    if found is None:
        found = flat(_matrix(op))
        if len(_flat_cache) > 20_000:
            _flat_cache.clear()
        _flat_cache[key] = found
    return found


def _matrix(op: Any) -> np.ndarray:
    try:
        m = op.to_matrix() if hasattr(op, "to_matrix") else np.asarray(op)
    except Exception:  # noqa: BLE001 - a gate without its own matrix: ask Qiskit's Operator
        try:
            from qiskit.quantum_info import Operator

            m = Operator(op).data
        except Exception:  # noqa: BLE001
            raise Unlowerable(op.name) from None
    m = np.asarray(m, dtype=np.complex128)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise Unlowerable(op.name)
    return m


def flat(m: np.ndarray) -> tuple[float, ...]:
    """qsim's flat form of a matrix: real and imaginary parts interleaved, row by row."""
    m = np.asarray(m, dtype=np.complex128)
    out = np.empty(m.size * 2)
    out[0::2] = m.real.ravel()
    out[1::2] = m.imag.ravel()
    return tuple(out.tolist())


def matrix(gate: Gate) -> np.ndarray:
    """A gate's matrix back from its flat form (big-endian over ``gate.qubits``)."""
    f = np.asarray(gate.flat)
    d = 2 ** len(gate.qubits)
    return (f[0::2] + 1j * f[1::2]).reshape(d, d)


@lru_cache(maxsize=8192)
def adjoint(gate: Gate) -> Gate:
    """The inverse of a gate, on the same qubits."""
    return Gate(gate.qubits, flat(matrix(gate).conj().T))


# ---- Paulis, for noise -------------------------------------------------------------------------

_PAULI = {
    "I": np.eye(2, dtype=complex),
    "X": np.array([[0, 1], [1, 0]], dtype=complex),
    "Y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "Z": np.array([[1, 0], [0, -1]], dtype=complex),
}


@lru_cache(maxsize=64)
def pauli_matrix(label: str) -> np.ndarray:
    """The matrix of a Pauli string (``"XZ"``: X on the first qubit of the gate, big-endian)."""
    m = np.array([[1.0 + 0j]])
    for ch in label:
        m = np.kron(m, _PAULI[ch])
    m.setflags(write=False)  # cached: shared by every caller
    return m


@lru_cache(maxsize=64)
def pauli_flat(label: str) -> tuple[float, ...]:
    """The flat matrix of a Pauli string, as qsim takes it."""
    return flat(pauli_matrix(label))


# ---- running qsim ------------------------------------------------------------------------------


def qsim_module() -> Any:
    import qsimcirq

    return qsimcirq.qsim


def build(n: int, gates: list[Gate] | tuple[Gate, ...]) -> Any:
    """A ``qsim.Circuit`` of ``gates`` (times: as soon as possible, per qubit)."""
    qsim = qsim_module()
    circuit = qsim.Circuit()
    circuit.num_qubits = n
    depth = [0] * n
    add = qsim.add_matrix_gate
    for g in gates:
        qs = g.qubits
        time = max(depth[q] for q in qs)
        for q in qs:
            depth[q] = time + 1
        add(time, [n - 1 - q for q in qs], list(g.flat), circuit)
    return circuit


def options(circuit: Any, n: int, seed: int, threads: int) -> dict:
    """qsim's options: fused gates of up to 4 qubits from 20 qubits on (3 below: measured in
    ``benchmarks/engines.py``), the machine's cores."""
    return {"c": circuit, "f": 4 if n >= 20 else 3, "t": threads, "r": 1, "g": False,
            "gmode": 0, "gsst": 512, "gdb": 16, "v": 0, "z": False, "s": int(seed)}  # fmt: skip


def simulate(n: int, gates: list[Gate] | tuple[Gate, ...], initial: np.ndarray | None, threads: int) -> np.ndarray:
    """The state (complex64, Cirq's order) after ``gates`` from ``initial`` (``None``: all zeros):
    always a new array, never ``initial`` itself, so the caller may change it."""
    qsim = qsim_module()
    if not gates and initial is not None:
        return initial.copy()
    opts = options(build(n, gates), n, 0, threads)
    if initial is None:
        out = qsim.qsim_simulate_fullstate(opts, 0)
    else:
        out = qsim.qsim_simulate_fullstate(opts, initial.view(np.float32))
    return out.view(np.complex64)


def sample_final(n: int, gates: tuple[Gate, ...], shots: int, seed: int, threads: int) -> np.ndarray:
    """``shots`` basis-state indices sampled from the final state of ``gates`` (qsim's sampler)."""
    qsim = qsim_module()
    opts = options(build(n, gates), n, seed, threads)
    raw = qsim.qsim_sample_final(opts, shots)
    return np.asarray(raw, dtype=np.uint64)


def indices_to_bits(indices: np.ndarray, n: int) -> np.ndarray:
    """``(shots, n)`` 0/1 array: column ``i`` is compact qubit ``i`` (bit ``n-1-i`` of the index)."""
    idx = np.asarray(indices, dtype=np.uint64)
    shifts = np.arange(n - 1, -1, -1, dtype=np.uint64)
    return ((idx[:, None] >> shifts[None, :]) & np.uint64(1)).astype(np.uint8)


def sample_state(state: np.ndarray, shots: int, rng: np.random.Generator) -> np.ndarray:
    """``shots`` indices drawn from ``|state|**2`` (normalised here), in one pass over the state:
    first a block, then an amplitude within it."""
    size = state.size
    block = 1 << max(0, min(12, size.bit_length() - 1 - 6))
    v = state.view(np.float32).reshape(-1, 2 * block)
    # per block in single precision (numpy's own loop, no BLAS), summed across blocks in double
    weights = np.einsum("ij,ij->i", v, v).astype(np.float64)
    cum = np.cumsum(weights)
    total = cum[-1]
    r = rng.random(shots) * total
    blocks = np.minimum(np.searchsorted(cum, r, side="right"), cum.size - 1)
    out = np.empty(shots, dtype=np.uint64)
    for b in np.unique(blocks):
        sel = np.nonzero(blocks == b)[0]
        amps = state[b * block : (b + 1) * block]
        p = amps.real.astype(np.float64) ** 2 + amps.imag.astype(np.float64) ** 2
        c = np.cumsum(p)
        lo = cum[b - 1] if b > 0 else 0.0
        rr = (r[sel] - lo) / max(weights[b], 1e-300) * c[-1]
        within = np.minimum(np.searchsorted(c, rr, side="right"), block - 1)
        out[sel] = np.uint64(b * block) + within.astype(np.uint64)
    return out
