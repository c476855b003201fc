"""Which simulator runs a circuit, and whether it fits in memory, decided before anything is allocated.

qlab knows six simulation methods (``method=`` of :func:`qlab.run`):

===========================  ==============================================================
``"qsim"``                   qsim (Google's state-vector simulator, single precision; noise by
                             quantum trajectories). Fastest here for ideal circuits of about a
                             dozen qubits and more.
``"statevector"``            Aer state vector (double precision; noise by trajectories).
``"density_matrix"``         Aer density matrix: noise is exact, no trajectories; memory grows
                             as 4**n, so only for small circuits.
``"matrix_product_state"``   Aer matrix-product state: wide circuits with little entanglement
                             (a GHZ state on 36 qubits, noisy or not).
``"stabilizer"``             Aer stabilizer (Clifford gates only, no noise): thousands of qubits.
``"cirq"``                   Cirq's own state-vector simulator, for Cirq circuits that measure
                             mid-circuit and feed the result forward (classically controlled
                             gates), which neither qsim nor a conversion to Qiskit can carry.
===========================  ==============================================================

A circuit in the other framework is converted first (:mod:`qlab.execution.convert`), so every
method serves Qiskit and Cirq circuits alike.

**Every engine decision is made here, in :func:`plan`**: which method runs a circuit (for
``method="auto"``, :func:`choose_method`), whether a method the user asked for can take it, what to
fall back to when an engine turns a circuit down, and whether the state fits in memory
(:func:`check_memory` raises :class:`qlab.errors.TooMuchMemoryError` naming the qubits and the bytes
a method would need, before the simulator allocates them). :mod:`qlab.execution.simulate` only
carries the plan out.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass
from typing import Any

from ..errors import TooMuchMemoryError, UnknownMethodError, UnsupportedCircuitError
from ..i18n import t

METHODS = ("auto", "qsim", "statevector", "density_matrix", "matrix_product_state", "stabilizer", "cirq")
AER_METHODS = ("statevector", "density_matrix", "matrix_product_state", "stabilizer")

# Thresholds of the automatic choice, measured on this 2-core machine (benchmarks/engines.py).
DENSITY_MATRIX_MAX_QUBITS = 10  # noisy and at most this wide: exact density matrix
# ideal circuits: below this width Aer's lower start-up cost wins, above it qsim's gate fusion
# (benchmarks/engines.py, random 10-layer circuits, 1000 shots: Aer/qsim time 0.41 at 5 qubits,
# 0.86 at 10, 1.16 at 16, 6.1 at 20, 9.0 at 24). Noisy runs past the density-matrix size always
# take qsim's trajectories (2x faster than Aer's on a noisy GHZ-12).
QSIM_MIN_QUBITS = 14
STABILIZER_MIN_QUBITS = 16  # ideal Clifford circuits this wide: stabilizer
MEMORY_FRACTION = 0.8  # of MemAvailable a simulation may take

CLIFFORD_GATES = frozenset(
    {"h", "x", "y", "z", "s", "sdg", "sx", "sxdg", "cx", "cy", "cz", "swap", "ecr", "id", "pauli"}
)
NON_GATES = frozenset({"measure", "barrier", "delay", "reset", "global_phase"})
# two-qubit gates whose operator Schmidt rank is 2 (a controlled gate, an Ising-type gate):
# each raises the entanglement across a cut by at most one bit
Z_DIAGONAL_BOTH = frozenset({"cz", "cp", "rzz", "zz", "cu1", "crz"})  # diagonal on both qubits
CONTROLLED_2Q = frozenset({"cx", "cy", "crx", "cry", "ch", "csx"})  # diagonal on the control
Z_DIAGONAL_1Q = frozenset({"rz", "p", "z", "s", "sdg", "t", "tdg", "u1", "id", "delay"})
RANK2_GATES = frozenset({"cx", "cy", "cz", "cp", "crx", "cry", "crz", "rzz", "rxx", "ryy", "zz", "ms", "ecr"})


@dataclass(frozen=True)
class CircuitInfo:
    """What the engine choice needs to know about a circuit (computed without simulating it)."""

    num_qubits: int  # qubits that some instruction touches
    gate_names: frozenset[str]
    clifford: bool  # only Clifford gates (in Aer's stabilizer basis)
    cut_bits: tuple[int, ...]  # for each cut k|k+1 of the qubit line: entangling bits that cross it
    dynamic: bool  # conditions, resets or mid-circuit measurements
    feed_forward: bool = False  # gates that depend on a mid-circuit result (if_test, classical controls)


CONTROL_FLOW = frozenset({"if_else", "while_loop", "for_loop", "switch_case"})


def info_qiskit(qc: Any) -> CircuitInfo:
    """Analyse a Qiskit circuit."""
    used: dict[int, int] = {}
    names: set[str] = set()
    ops: list[tuple[tuple[int, ...], frozenset[int], int]] = []
    dynamic = feed_forward = False
    measured: set[int] = set()
    for inst in qc.data:
        op = inst.operation
        name = op.name
        idx = [qc.find_bit(q).index for q in inst.qubits]
        if name == "barrier":
            continue
        for q in idx:
            used.setdefault(q, len(used))
        names.add(name)
        if name == "measure":
            measured.update(idx)
            continue
        if measured.intersection(idx) or name == "reset":
            dynamic = True
        if getattr(op, "condition", None) is not None or name in CONTROL_FLOW:
            dynamic = feed_forward = True
        if name in Z_DIAGONAL_BOTH:
            diag = frozenset(idx)
        elif name in CONTROLLED_2Q:
            diag = frozenset(idx[:1])
        elif name in Z_DIAGONAL_1Q:
            diag = frozenset(idx)
        else:
            diag = frozenset()
        bits = 1 if name in RANK2_GATES and len(idx) == 2 else 2 * (len(idx) - 1)
        ops.append((tuple(idx), diag, bits))
    info = _info(used, names, ops, dynamic, clifford=names - NON_GATES <= CLIFFORD_GATES)
    return dataclasses.replace(info, feed_forward=feed_forward)


def info_cirq(circuit: Any) -> CircuitInfo:
    """Analyse a Cirq circuit (qubits in sorted order)."""
    import cirq

    order = {q: i for i, q in enumerate(sorted(circuit.all_qubits()))}
    used = dict(order)
    names: set[str] = set()
    ops: list[tuple[tuple[int, ...], frozenset[int], int]] = []
    dynamic = feed_forward = False
    clifford = True
    measured: set[Any] = set()
    for op in circuit.all_operations():
        if cirq.is_measurement(op):
            names.add("measure")
            measured.update(op.qubits)
            continue
        names.add(type(op.gate).__name__ if op.gate is not None else type(op).__name__)
        if measured.intersection(op.qubits):
            dynamic = True
        if isinstance(op, cirq.ClassicallyControlledOperation):
            dynamic = feed_forward = True
        if clifford and not (cirq.has_stabilizer_effect(op) and cirq.has_unitary(op)):
            clifford = False
        idx = [order[q] for q in op.qubits]
        gate = op.gate
        if isinstance(gate, (cirq.CZPowGate, cirq.ZZPowGate, cirq.ZPowGate, cirq.Rz)) or type(gate).__name__ == "ZZGate":
            diag = frozenset(idx)
        elif isinstance(gate, cirq.CXPowGate):
            diag = frozenset(idx[:1])
        else:
            diag = frozenset()
        rank2 = isinstance(gate, (cirq.CZPowGate, cirq.CXPowGate, cirq.ZZPowGate, cirq.XXPowGate))
        rank2 = rank2 or type(gate).__name__ in ("MSGate", "ZZGate")
        ops.append((tuple(idx), diag, 1 if rank2 and len(idx) == 2 else 2 * (len(idx) - 1)))
    return dataclasses.replace(_info(used, names, ops, dynamic, clifford=clifford), feed_forward=feed_forward)


def _info(
    used: dict,
    names: set[str],
    ops: list[tuple[tuple[int, ...], frozenset[int], int]],
    dynamic: bool,
    clifford: bool,
) -> CircuitInfo:
    """Count, for each cut of the qubit line, the entangling bits that may cross it.

    ``ops`` lists each operation in time order: its qubits, the qubits on which it is diagonal
    in Z (a controlled gate's control; both qubits of CZ / ZZ; an RZ), and its entangling bits.
    A run of crossing gates that are all diagonal on one qubit ``a`` with nothing else acting on
    ``a`` in between (a CX fan-out from one control, ZZ gates from one ion) is one controlled
    operator ``|0><0| x U0 + |1><1| x U1`` across the cut: it adds one bit, not one per gate.
    """
    n = len(used)
    # Aer drops idle qubits and keeps the others in index order: renumber to 0..n-1
    rank = {q: i for i, q in enumerate(sorted(used))}
    cuts = [0] * max(n - 1, 0)
    runs: list[int | None] = [None] * len(cuts)  # the open run's shared qubit, per cut
    for qubits, diag, bits in ops:
        ranked = [rank[q] for q in qubits if q in rank]
        if not ranked:
            continue
        lo, hi = min(ranked), max(ranked)
        rdiag = {rank[q] for q in diag if q in rank}
        for k in range(len(cuts)):
            run = runs[k]
            crossing = lo <= k < hi and len(ranked) >= 2
            if not crossing:
                if run is not None and run in ranked and run not in rdiag:
                    runs[k] = None  # something non-diagonal touched the shared qubit
                continue
            if run is not None and run in rdiag:
                continue  # merges into the open run
            cuts[k] += bits
            runs[k] = min(rdiag) if rdiag else None
    return CircuitInfo(n, frozenset(names), clifford, tuple(cuts), dynamic)


# ---- memory -------------------------------------------------------------------------------------


def mem_available() -> int:
    """Bytes the machine can give now: ``MemAvailable`` of ``/proc/meminfo`` (Linux), else total RAM."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def mps_bond_bits(info: CircuitInfo) -> list[int]:
    """log2 of an upper bound on the MPS bond dimension at each cut of the qubit line.

    Across cut ``k`` the Schmidt rank is at most ``2**min(k+1, n-k-1)`` (the smaller side's
    dimension) and at most ``2**(entangling bits crossing the cut)`` (a CX, CZ, ZZ or MS gate adds
    one bit, a general two-qubit gate two).
    """
    n = info.num_qubits
    return [min(k + 1, n - k - 1, c) for k, c in enumerate(info.cut_bits)]


def memory_needed(info: CircuitInfo, method: str) -> int:
    """Bytes a method needs to hold the state of this circuit (an estimate, before allocating)."""
    n = info.num_qubits
    if method in ("qsim", "cirq"):
        return 8 * 2**n + 2**20  # complex64 amplitudes
    if method == "statevector":
        return 16 * 2**n + 2**20  # complex128 amplitudes
    if method == "density_matrix":
        return 16 * 4**n + 2**20
    if method == "stabilizer":
        return 2 * n * (2 * n + 1) + 2**20  # the tableau, in bytes of bits
    if method == "matrix_product_state":
        bits = mps_bond_bits(info)
        chis = [1, *(2**b for b in bits), 1]
        # one tensor per qubit: 2 x chi_left x chi_right complex128, plus a workspace for the
        # largest two-site contraction during a gate
        tensors = sum(2 * chis[i] * chis[i + 1] * 16 for i in range(n))
        work = 4 * max(chis) ** 2 * 16 * 4
        return tensors + work + 2**20
    raise UnknownMethodError(t("run.bad_method", method=method, allowed=", ".join(METHODS)))


def fits(info: CircuitInfo, method: str, available: int | None = None) -> bool:
    avail = mem_available() if available is None else available
    return memory_needed(info, method) <= MEMORY_FRACTION * avail


def check_memory(info: CircuitInfo, method: str, available: int | None = None) -> None:
    """Raise :class:`TooMuchMemoryError` when ``method`` cannot hold this circuit's state."""
    avail = mem_available() if available is None else available
    need = memory_needed(info, method)
    if need > MEMORY_FRACTION * avail:
        hint = t("run.memory_hint_clifford") if not info.clifford else t("run.memory_hint_stabilizer")
        raise TooMuchMemoryError(
            t(
                "run.too_much_memory",
                qubits=info.num_qubits,
                method=method,
                need=format_bytes(need),
                avail=format_bytes(int(avail)),
                hint=hint,
            )
        )


def format_bytes(n: float) -> str:
    """``17179869184`` -> ``'16.0 GiB'``; past a petabyte as a power of two (``2^70 B``)."""
    if n >= 2**50:
        return f"2^{math.log2(n):.0f} B"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024:
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} B"
        n /= 1024
    return f"{n:.1f} PiB"


# ---- the choice ---------------------------------------------------------------------------------


def validate_method(method: str) -> str:
    if not isinstance(method, str) or method.strip().lower() not in METHODS:
        raise UnknownMethodError(t("run.bad_method", method=method, allowed=", ".join(METHODS)))
    return method.strip().lower()


def choose_method(info: CircuitInfo, *, noisy: bool, available: int | None = None) -> str:
    """The method :func:`qlab.run` uses when ``method="auto"``, in this order:

    1. noisy and at most ``DENSITY_MATRIX_MAX_QUBITS`` qubits: ``density_matrix`` (exact noise);
    2. ideal, only Clifford gates and at least ``STABILIZER_MIN_QUBITS`` qubits: ``stabilizer``;
    3. the state vector fits in memory: ``qsim`` (noise by trajectories with the Cirq rendering of
       the device noise; 5-10x faster than Aer here on 20-24 ideal qubits, 4x on a noisy GHZ-12);
       ``statevector`` (Aer) for ideal circuits under ``QSIM_MIN_QUBITS`` qubits and for what qsim
       cannot take (conditions, mid-circuit measurement);
    4. otherwise ``matrix_product_state`` (wide but lightly entangled circuits such as GHZ-36),
       checked against memory by the bond-dimension bound of :func:`mps_bond_bits`.

    A circuit with conditions or mid-circuit measurements stays on Aer (qsim samples only at the
    end). When nothing fits, :class:`TooMuchMemoryError` names the qubits and the memory needed.
    """
    n = info.num_qubits
    if noisy and n <= DENSITY_MATRIX_MAX_QUBITS and fits(info, "density_matrix", available):
        return "density_matrix"
    if not noisy and info.clifford and n >= STABILIZER_MIN_QUBITS and not info.dynamic:
        return "stabilizer"
    if not info.dynamic and (noisy or n >= QSIM_MIN_QUBITS) and fits(info, "qsim", available):
        return "qsim"
    if fits(info, "statevector", available):
        return "statevector"
    if not noisy and info.clifford and not info.dynamic:
        return "stabilizer"
    if fits(info, "matrix_product_state", available):
        return "matrix_product_state"
    # nothing fits: report the cheapest state-vector figure the user would recognise
    check_memory(info, "qsim" if not noisy and not info.dynamic else "statevector", available)
    check_memory(info, "matrix_product_state", available)
    raise AssertionError("unreachable")  # pragma: no cover


# ---- the plan: every decision in one place ---------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How a circuit will be simulated.

    ``method``   the engine (one of :data:`METHODS` but ``"auto"``)
    ``chosen``   ``True`` when qlab chose it (``method="auto"``), ``False`` when the user did
    ``fallback`` the method to use if ``method`` turns the circuit down (an instruction it has no
                 form for), or ``None``
    ``density``  Cirq's own simulator carries the state as a density matrix (noisy and small
                 enough: it samples every shot from one exact simulation) rather than one
                 trajectory per shot
    """

    method: str
    chosen: bool
    fallback: str | None = None
    density: bool = False


def plan(info: CircuitInfo, *, requested: str, noisy: bool, cirq_input: bool,
         available: int | None = None) -> Plan:  # fmt: skip
    """Decide how to simulate a circuit described by ``info``.

    ``requested`` is the user's ``method`` (validated by :func:`validate_method`); ``noisy`` says
    whether the device's noise applies; ``cirq_input`` whether the circuit to run is a Cirq one.
    Raises :class:`UnsupportedCircuitError` when the requested method cannot take the circuit and
    :class:`TooMuchMemoryError` when its state cannot fit.
    """
    density = noisy and info.num_qubits <= DENSITY_MATRIX_MAX_QUBITS
    if requested != "auto":
        check_forced(requested, info, noisy)
        check_memory(info, requested, available)
        return Plan(requested, chosen=False, density=requested == "cirq" and density)
    if cirq_input and info.feed_forward:
        # classically controlled Cirq gates: only Cirq's own simulator carries them
        check_memory(info, "cirq", available)
        return Plan("cirq", chosen=True, density=density)
    method = choose_method(info, noisy=noisy, available=available)
    fallback = "statevector" if method == "qsim" and not cirq_input and fits(info, "statevector", available) else None
    return Plan(method, chosen=True, fallback=fallback)


def check_forced(method: str, info: CircuitInfo, noisy: bool) -> None:
    """Raise when a method the user asked for cannot run this circuit."""
    if method == "stabilizer" and (noisy or not info.clifford):
        gates = ", ".join(sorted(info.gate_names - {"measure", "barrier"})) if not info.clifford else "noise"
        raise UnsupportedCircuitError(t("run.method_needs_clifford", gates=gates))
    if method == "qsim" and info.dynamic:
        raise UnsupportedCircuitError(t("run.qsim_dynamic"))
