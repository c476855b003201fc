"""Which simulator runs a circuit, what it will cost, and why: decided before anything is allocated.

qlab knows eight simulation methods (``method=`` of :func:`qlab.run`):

===========================  ==============================================================
``"qsim"``                   qsim (Google's state-vector simulator, single precision), fed
                             straight from Qiskit (:mod:`.qsim_direct`); noise by one quantum
                             trajectory per shot. Fastest here for ideal circuits of 14 qubits on.
``"trajectories"``           shared trajectories (:mod:`.trajectories`): the noise of every shot
                             is drawn first, each distinct error pattern simulated once, on qsim
                             (on stim's tableau when every native gate is Clifford, at any
                             width). Noisy circuits too wide for a density matrix.
``"statevector"``            Aer state vector (double precision; noise by trajectories).
``"density_matrix"``         Aer density matrix: noise is exact, no trajectories; memory grows
                             as 4**n, so only for small circuits.
``"matrix_product_state"``   Aer matrix-product state (noise by shot branching): wide circuits
                             with little entanglement (a noisy GHZ state on 20 or 36 qubits).
``"stabilizer"``             Aer stabilizer (Clifford gates only, no noise).
``"stim"``                   stim's tableau simulator (Clifford gates only, no noise): samples
                             thousands of qubits in milliseconds.
``"cirq"``                   Cirq's own state-vector simulator, for Cirq circuits that measure
                             mid-circuit and feed the result forward (classically controlled
                             gates), which neither qsim nor a conversion to Qiskit can carry.
===========================  ==============================================================

A circuit in the other framework is converted first (:mod:`qlab.execution.convert`), so every
method serves Qiskit and Cirq circuits alike.

**Every engine decision is made here, in :func:`plan`**: which method runs a circuit (for
``method="auto"``, :func:`choose_method`, from the circuit's structure: width, gate kinds,
entanglement across cuts, noise, dynamic parts), whether a method the user asked for can take it,
what to fall back to when an engine turns a circuit down, how long it will take
(:func:`estimate_seconds`, from this machine's calibration, :mod:`.calibrate`) and on how many
cores (:func:`threads`), whether the state fits in memory (:func:`check_memory` raises
:class:`qlab.errors.TooMuchMemoryError` naming the qubits and the bytes before the simulator
allocates them), and whether the run is refused as too long (:class:`qlab.errors.RunTooLongError`,
naming the estimate, its cause and what would be faster). :mod:`qlab.execution.simulate` only
carries the plan out; ``qlab.explain_run`` shows it.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass
from typing import Any

from ..errors import (
    RunTooLongError,
    TooMuchMemoryError,
    UnknownMethodError,
    UnsupportedCircuitError,
)
from ..i18n import t

METHODS = ("auto", "qsim", "trajectories", "statevector", "density_matrix", "matrix_product_state",
           "stabilizer", "stim", "cirq")
AER_METHODS = ("statevector", "density_matrix", "matrix_product_state", "stabilizer")

# Thresholds of the automatic choice, measured on this 2-core machine (benchmarks/engines.py).
DENSITY_MATRIX_MAX_QUBITS = 10  # noisy and at most this wide: exact density matrix
# ideal circuits: below this width Aer's lower start-up cost wins, above it qsim's gate fusion
# (benchmarks/engines.py, random 10-layer circuits, 1000 shots: Aer/qsim time 0.41 at 5 qubits,
# 0.86 at 10, 1.16 at 16, 6.1 at 20, 9.0 at 24). Noisy runs past the density-matrix size always
# take qsim's trajectories (2x faster than Aer's on a noisy GHZ-12).
QSIM_MIN_QUBITS = 14
STABILIZER_MIN_QUBITS = 16  # ideal Clifford circuits this wide: stim
# noisy circuits past the density matrix whose every cut carries at most this many entangling
# bits (bond dimension 8) go to Aer's matrix-product state (benchmarks/performance.py)
# when the shared trajectories can take such a circuit too, the faster estimate wins
MPS_MAX_BOND_BITS = 3
MAX_SECONDS = 60.0  # qlab.run refuses a run estimated longer than this, unless max_seconds= says so
ROUGH_MARGIN = 4.0  # before compiling, refuse only what is this many times over the limit
MEMORY_FRACTION = 0.8  # of MemAvailable a simulation may take
CHECK_CORES_SECONDS = 0.2  # runs estimated longer than this first look at what else is running

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
    num_gates: int = 0  # operations other than measure, barrier, delay
    two_qubit_gates: int = 0  # of those, on two qubits or more


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
    return dataclasses.replace(info, feed_forward=feed_forward, **_counts(ops))


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
    info = _info(used, names, ops, dynamic, clifford=clifford)
    return dataclasses.replace(info, feed_forward=feed_forward, **_counts(ops))


def _counts(ops: list[tuple[tuple[int, ...], frozenset[int], int]]) -> dict[str, int]:
    return {"num_gates": len(ops), "two_qubit_gates": sum(1 for q, _, _ in ops if len(q) >= 2)}


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


_MEMORY_READ_EVERY = 0.5  # seconds: a re-run cell does not read /proc/meminfo again
_memory_read: list[float] = []  # [time of the last read, bytes]


def mem_available() -> int:
    """Bytes the machine can give now: ``MemAvailable`` of ``/proc/meminfo`` (Linux), else total RAM
    (read at most every half second)."""
    import time

    now = time.monotonic()
    if _memory_read and now - _memory_read[0] < _MEMORY_READ_EVERY:
        return int(_memory_read[1])
    found = _read_mem_available()
    _memory_read[:] = [now, found]
    return found


def _read_mem_available() -> int:
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


def little_entanglement(info: CircuitInfo) -> bool:
    """Every cut of the qubit line carries at most ``MPS_MAX_BOND_BITS`` entangling bits."""
    return max(mps_bond_bits(info), default=0) <= MPS_MAX_BOND_BITS


def mps_bond_bits(info: CircuitInfo) -> list[int]:
    """log2 of an upper bound on the MPS bond dimension at each cut of the qubit line.

    Across cut ``k`` the Schmidt rank is at most ``2**min(k+1, n-k-1)`` (the smaller side's
    dimension) and at most ``2**(entangling bits crossing the cut)`` (a CX, CZ, ZZ or MS gate adds
    one bit, a general two-qubit gate two).
    """
    n = info.num_qubits
    return [min(k + 1, n - k - 1, c) for k, c in enumerate(info.cut_bits)]


def memory_needed(info: CircuitInfo, method: str, shape: NoiseShape | None = None) -> int:
    """Bytes a method needs to hold the state of this circuit (an estimate, before allocating);
    ``shape``: the noise's, which says whether shared trajectories run on a tableau."""
    n = info.num_qubits
    if method == "trajectories" and shape is not None and shape.clifford:
        return 2 * n * (2 * n + 1) + 2**20  # stim's tableau: no state vector
    if method in ("qsim", "cirq"):
        return 8 * 2**n + 2**20  # complex64 amplitudes
    if method == "trajectories":
        return 4 * 8 * 2**n + 2**20  # the ideal state, a pattern's state, its copy for qsim, slack
    if method == "statevector":
        return 16 * 2**n + 2**20  # complex128 amplitudes
    if method == "density_matrix":
        return 16 * 4**n + 2**20
    if method in ("stabilizer", "stim"):
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


def fits(info: CircuitInfo, method: str, available: int | None = None, shape: NoiseShape | None = None) -> bool:
    avail = mem_available() if available is None else available
    return memory_needed(info, method, shape) <= MEMORY_FRACTION * avail


def check_memory(info: CircuitInfo, method: str, available: int | None = None,
                 shape: NoiseShape | None = None) -> None:  # fmt: skip
    """Raise :class:`TooMuchMemoryError` when ``method`` cannot hold this circuit's state."""
    avail = mem_available() if available is None else available
    need = memory_needed(info, method, shape)
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


@dataclass(frozen=True)
class NoiseShape:
    """What the time of a noisy run depends on, beyond the circuit's width.

    ``gates``: native gates; ``channels``: noise channels that follow them; ``p_error``: the
    probability that a shot needs a simulation of its own (an error before some qubit's last
    gate); ``restart``: the mean share of the gates such a shot re-simulates; ``shared``: the shared
    trajectories can carry this noise exactly (:func:`qlab.execution.trajectories.applicable`) and
    the program lowers to qsim directly; ``cap``: error trajectories before shots share them;
    ``clifford``: every native gate is a Clifford gate, so the shared trajectories run on stim's
    tableau simulator (exact, any width: no state vector).
    """

    gates: int
    channels: int
    p_error: float
    restart: float = 0.5
    shared: bool = True
    cap: int = 1 << 30
    clifford: bool = False


def choose_method(info: CircuitInfo, *, noisy: bool, available: int | None = None,
                  shape: NoiseShape | None = None, shots: int = 1000) -> str:  # fmt: skip
    """The method :func:`qlab.run` uses when ``method="auto"``, in this order:

    noisy circuits:

    1. at most ``DENSITY_MATRIX_MAX_QUBITS`` qubits: ``density_matrix`` (the noise exactly);
    2. mid-circuit measurements, resets or conditions: ``statevector`` (Aer's trajectories);
    3. the state vector fits and the noise can be drawn ahead: ``trajectories`` (qsim, shots
       share error patterns, Pauli errors carried through Clifford gates as a frame,
       :mod:`qlab.execution.trajectories`); but for little entanglement (every cut of the qubit
       line crossed by at most ``MPS_MAX_BOND_BITS`` entangling bits, :func:`mps_bond_bits`)
       ``matrix_product_state`` (Aer, shot branching) when its estimate is lower;
       A program of Clifford gates only runs them on stim's tableau: no state vector, any width
       (a noisy GHZ-36 on ionq-forte);
    4. little entanglement otherwise (no state vector fits and the program is not Clifford;
       noise that cannot be drawn ahead, ``T2 > T1``; a program that does not lower to qsim
       directly):
       ``matrix_product_state``; else ``qsim`` (one trajectory per shot);

    ideal circuits:

    1. only Clifford gates and at least ``STABILIZER_MIN_QUBITS`` qubits: ``stim`` (a tableau
       simulator that samples thousands of qubits in milliseconds);
    2. ``statevector`` (Aer) under ``QSIM_MIN_QUBITS`` qubits, ``qsim`` from there on while the
       state vector fits (Aer for what qsim cannot take: conditions, mid-circuit measurements);

    and when no state vector fits: ``matrix_product_state``, checked against memory by the
    bond-dimension bound. When nothing fits, :class:`TooMuchMemoryError` names the qubits and the
    memory needed.
    """
    n = info.num_qubits
    if noisy:
        if n <= DENSITY_MATRIX_MAX_QUBITS and fits(info, "density_matrix", available):
            return "density_matrix"
        if info.dynamic:
            if fits(info, "statevector", available):
                return "statevector"
        else:
            light = little_entanglement(info)
            shared = shape is not None and shape.shared and fits(info, "trajectories", available, shape)
            if light and shared:
                # both can: the faster by this machine's figures (a noisy GHZ-20 on ionq-aria
                # is Clifford, its Pauli errors cost the shared trajectories nothing)
                cores = os.cpu_count() or 1
                mps, traj = (estimate_seconds(info, m, shots=shots, noisy=True, shape=shape, cores=cores)
                             for m in ("matrix_product_state", "trajectories"))  # fmt: skip
                return "trajectories" if traj <= mps else "matrix_product_state"
            if light:
                return "matrix_product_state"
            if shared:
                return "trajectories"
            if fits(info, "qsim", available):
                return "qsim"
    else:
        if info.clifford and n >= STABILIZER_MIN_QUBITS and not info.dynamic:
            return "stim"
        if not info.dynamic and n >= QSIM_MIN_QUBITS and fits(info, "qsim", available):
            return "qsim"
        if fits(info, "statevector", available):
            return "statevector"
        if info.clifford and not info.dynamic:
            return "stim"
    if fits(info, "matrix_product_state", available):
        return "matrix_product_state"
    # nothing fits: report the cheapest state-vector figure the user would recognise
    check_memory(info, "qsim" if not noisy and not info.dynamic else "statevector", available)
    check_memory(info, "matrix_product_state", available)
    raise AssertionError("unreachable")  # pragma: no cover


# ---- how long it takes ----------------------------------------------------------------------------


def threads(reads: int = 5, spread: float = 0.005) -> int:
    """Cores a run gets: the idle ones, at least one. On a busy machine (a classroom server) one
    thread is several times faster than two that wait for each other.

    Busy means other processes' threads running now (``procs_running`` of ``/proc/stat`` less
    this process's own running threads), the least of ``reads`` reads over ``spread`` seconds
    (one read catches short-lived threads, the kernel's among them). Not the load average: it
    counts qlab's own run of a moment ago, so a re-run cell would get one core after a run that
    used two. :func:`plan` asks only for runs long enough to be worth the few milliseconds.
    """
    cores = os.cpu_count() or 1
    others = _running_elsewhere(reads, spread)
    if others is None:
        return cores
    return max(1, min(cores, cores - others))


def _running_elsewhere(reads: int, spread: float) -> int | None:
    """Threads of other processes running now (Linux, least of ``reads`` reads), else ``None``.
    This process's own running threads are not counted: the engines' worker threads spin for a
    moment after a run."""
    import time

    least = None
    try:
        for i in range(reads):
            if i:
                time.sleep(spread / max(reads - 1, 1))
            with open("/proc/stat", encoding="ascii") as fh:
                running = next(int(line.split()[1]) for line in fh if line.startswith("procs_running"))
            running = max(0, running - _own_running())
            least = running if least is None else min(least, running)
    except (OSError, ValueError, IndexError, StopIteration):
        return None
    return least


def _own_running() -> int:
    """This process's threads in the running state (the asking one among them)."""
    count = 0
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/stat", encoding="ascii", errors="replace") as fh:
                state = fh.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        count += state == "R"
    return max(count, 1)


def estimate_seconds(info: CircuitInfo, method: str, *, shots: int, noisy: bool,
                     shape: NoiseShape | None = None, cores: int | None = None) -> float:  # fmt: skip
    """Wall time a method should take, from this machine's calibration (:mod:`.calibrate`).

    A run that even the reference figures put under a second (:data:`.calibrate.REFERENCE`) is
    estimated with those until the machine has been calibrated: it is neither refused nor shown
    progress, and a first small run should not wait for the benchmark. ``qlab.explain_run``
    always calibrates.
    """
    from . import calibrate

    cores = cores or threads()
    r = calibrate.stored()
    if r is None:
        rough = _estimate(calibrate.REFERENCE, info, method, shots, noisy, shape, cores)
        if rough < SMALL_SECONDS:
            return rough
        r = calibrate.rates()
    return _estimate(r, info, method, shots, noisy, shape, cores)


SMALL_SECONDS = 1.0


def _estimate(r: Any, info: CircuitInfo, method: str, shots: int, noisy: bool, shape: NoiseShape | None,
              cores: int) -> float:  # fmt: skip
    n = info.num_qubits
    amps = 2.0**n
    gates = max(shape.gates if shape is not None else info.num_gates, 1)
    channels = shape.channels if shape is not None and noisy else 0
    if method == "qsim":
        if not noisy:
            return (r.qsim * amps * gates + r.call) / cores + 2e-6 * gates
        # one trajectory per shot: the channels break qsim's fusion
        return shots * (r.qsim * amps * (gates + channels) * 3 + r.call) / cores
    if method == "trajectories" and shape is not None and shape.clifford:
        # on stim: per distinct pattern left to simulate (a reset) a small circuit compiled and
        # sampled; drawing the noise and moving the Pauli frames
        m = min(shape.cap, shots * shape.p_error)
        return m * (2e-6 * gates * n + 1e-3) + 2e-5 * (gates + channels) + 2e-8 * shots * n * 2
    if method == "trajectories":
        assert shape is not None
        m = min(shape.cap, shots * shape.p_error)
        # the ideal walk, then per error trajectory its share of the gates (restart counts the
        # call to qsim) and one pass to sample it
        work = r.qsim * amps * gates * (1 + m * shape.restart) + m * (r.trajectory + r.qsim * amps)
        return work / cores + 2e-5 * (gates + channels)
    if method in ("statevector", "cirq"):
        per = r.aer * amps * (gates + channels) * (10 if method == "cirq" else 1)
        return per * (shots if noisy else 1) / cores
    if method == "density_matrix":
        return r.aer * 4.0**n * (gates + channels) * 2 / cores
    if method == "matrix_product_state":
        chi = 2.0 ** max(mps_bond_bits(info), default=0)
        runs = shots if noisy else 1
        return r.mps * runs * (gates + channels) * chi**3 + r.mps * shots * n * chi**2
    # stabilizer and stim: a tableau, a few microseconds per gate and shot at most
    return 1e-7 * n * (gates + shots) + r.call


# ---- the plan: every decision in one place ---------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """How a circuit will be simulated, and what it will cost.

    ``method``   the engine (one of :data:`METHODS` but ``"auto"``)
    ``chosen``   ``True`` when qlab chose it (``method="auto"``), ``False`` when the user did
    ``fallback`` the method to use if ``method`` turns the circuit down (an instruction it has no
                 form for), or ``None``
    ``density``  Cirq's own simulator carries the state as a density matrix (noisy and small
                 enough: it samples every shot from one exact simulation) rather than one
                 trajectory per shot
    ``seconds``  the estimated wall time on this machine (:func:`estimate_seconds`)
    ``memory``   the bytes the state needs (:func:`memory_needed`)
    ``why``      the reason for the choice, in the user's language
    """

    method: str
    chosen: bool
    fallback: str | None = None
    density: bool = False
    seconds: float = 0.0
    memory: int = 0
    why: str = ""
    cores: int = 1


def plan(info: CircuitInfo, *, requested: str, noisy: bool, cirq_input: bool,
         available: int | None = None, shots: int = 1000, shape: NoiseShape | None = None,
         max_seconds: float | None = None, rough: bool = False) -> Plan:  # fmt: skip
    """Decide how to simulate a circuit described by ``info``, and what it will cost.

    ``requested`` is the user's ``method`` (validated by :func:`validate_method`); ``noisy`` says
    whether the device's noise applies; ``cirq_input`` whether the circuit to run is a Cirq one;
    ``shape`` what the noise costs (:class:`NoiseShape`). Raises :class:`UnsupportedCircuitError`
    when the requested method cannot take the circuit, :class:`TooMuchMemoryError` when its state
    cannot fit, and :class:`RunTooLongError` when the estimate exceeds ``max_seconds``. A
    ``rough`` plan (made before compiling, from the circuit as given) refuses only past
    ``ROUGH_MARGIN`` times the limit, and checks no memory: the compiled circuit decides.
    """
    density = noisy and info.num_qubits <= DENSITY_MATRIX_MAX_QUBITS
    fallback = None
    available = mem_available() if available is None else available  # read once per plan
    if requested != "auto":
        check_forced(requested, info, noisy, shape)
        method, chosen = requested, False
        why = t("plan.why_requested", method=method)
    elif cirq_input and info.feed_forward:
        # classically controlled Cirq gates: only Cirq's own simulator carries them
        method, chosen = "cirq", True
        why = t("plan.why_cirq")
    else:
        method, chosen = choose_method(info, noisy=noisy, available=available, shape=shape, shots=shots), True
        why = _why(method, info, noisy, shape)
        if method == "qsim" and not cirq_input and fits(info, "statevector", available):
            fallback = "statevector"
    cores = os.cpu_count() or 1
    seconds = estimate_seconds(info, method, shots=shots, noisy=noisy, shape=shape, cores=cores)
    if seconds > CHECK_CORES_SECONDS and cores > 1:
        # long enough to be worth a look at what else runs (a few milliseconds)
        cores = threads()
        seconds = estimate_seconds(info, method, shots=shots, noisy=noisy, shape=shape, cores=cores)
    decided = Plan(method, chosen, fallback, density=method == "cirq" and density, seconds=seconds,
                   memory=memory_needed(info, method, shape), why=why, cores=cores)  # fmt: skip
    if max_seconds is not None and seconds > max_seconds * (ROUGH_MARGIN if rough else 1):
        raise RunTooLongError(too_long_message(decided, info, shots=shots, noisy=noisy, limit=max_seconds))
    if not rough:
        check_memory(info, method, available, shape)
    return decided


def _why(method: str, info: CircuitInfo, noisy: bool, shape: NoiseShape | None) -> str:
    n = info.num_qubits
    if method == "density_matrix":
        return t("plan.why_density", qubits=n, max=DENSITY_MATRIX_MAX_QUBITS)
    if method == "matrix_product_state":
        bits = max(mps_bond_bits(info), default=0)
        return t("plan.why_mps", qubits=n, chi=2**bits, noisy="noisy" if noisy else "ideal")
    if method == "trajectories":
        assert shape is not None
        return t("plan.why_shared_light" if little_entanglement(info) else "plan.why_shared", qubits=n, share=f"{1 - shape.p_error:.0%}")
    if method == "qsim" and noisy:
        return t("plan.why_qsim_noisy", qubits=n)
    if method == "qsim":
        return t("plan.why_qsim", qubits=n, min=QSIM_MIN_QUBITS)
    if method == "stim":
        return t("plan.why_stim", qubits=n)
    if method == "statevector" and info.dynamic:
        return t("plan.why_dynamic")
    return t("plan.why_small", qubits=n, min=QSIM_MIN_QUBITS)


def too_long_message(decided: Plan, info: CircuitInfo, *, shots: int, noisy: bool, limit: float) -> str:
    """The refusal: the estimate, what drives it, and what would be faster."""
    n = info.num_qubits
    if decided.method in ("trajectories", "qsim", "statevector", "cirq") and noisy:
        cause = t("plan.cause_noisy_state", qubits=n, bytes=format_bytes(8 * 2**n), shots=shots)
    elif decided.method == "density_matrix":
        cause = t("plan.cause_density", qubits=n, bytes=format_bytes(16 * 4**n))
    elif decided.method == "matrix_product_state":
        cause = t("plan.cause_mps", chi=2 ** max(mps_bond_bits(info), default=0))
    else:
        cause = t("plan.cause_state", qubits=n, bytes=format_bytes(8 * 2**n))
    options = [t("plan.faster_shots", shots=max(1, shots // 10))] if noisy and shots > 1 else []
    if noisy:
        options.append(t("plan.faster_noise"))
    options.append(t("plan.faster_qubits", qubits=max(1, n - 4)))
    return t("plan.too_long", seconds=format_seconds(decided.seconds), method=decided.method,
             limit=format_seconds(limit), cause=cause, options="; ".join(options))  # fmt: skip


def format_seconds(s: float) -> str:
    """``0.42`` -> ``'0.42 s'``; ``90`` -> ``'1.5 min'``; ``86400`` -> ``'24.0 h'``."""
    if s < 0.01:
        return "< 0.01 s"
    if s < 1:
        return f"{s:.2g} s"
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.1f} min"
    if s < 3 * 86400:
        return f"{s / 3600:.1f} h"
    return f"{s / 86400:.0f} d"


def check_forced(method: str, info: CircuitInfo, noisy: bool, shape: NoiseShape | None = None) -> None:
    """Raise when a method the user asked for cannot run this circuit."""
    if method in ("stabilizer", "stim") and (noisy or not info.clifford):
        gates = ", ".join(sorted(info.gate_names - {"measure", "barrier"})) if not info.clifford else "noise"
        raise UnsupportedCircuitError(t("run.method_needs_clifford", method=method, gates=gates))
    if method in ("qsim", "trajectories", "stim") and info.dynamic:
        raise UnsupportedCircuitError(t("run.qsim_dynamic", method=method))
    if method == "trajectories" and not (noisy and shape is not None and shape.shared):
        raise UnsupportedCircuitError(t("run.trajectories_needs", method=method))
