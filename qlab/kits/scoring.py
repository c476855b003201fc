"""Tools for a challenge's ``score.py``: rebuild, validate and emulate a team's answer, in the parent.

A challenge's scoring function has this shape (see ``docs/hackathon.md``)::

    from qlab.kits.scoring import InvalidSubmission, Score, check_native, noisy_density_matrix

    def score(submission, challenge):
        circuit = check_native(submission, challenge.device)   # raises InvalidSubmission(reason)
        rho = noisy_density_matrix(circuit, challenge.device)
        return Score(value=..., two_qubit_gates=..., details={...})

``submission`` is what the team's function returned, taken across the sandbox as data and rebuilt
in the scoring process: a Qiskit ``QuantumCircuit`` (challenge ``"returns": "circuit"``) or plain
JSON data (``"returns": "json"``). Everything here runs in the scoring process, never in the team's.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..bridge.circuits import gate_classes
from ..i18n import t

if TYPE_CHECKING:
    import numpy as np
    from qiskit import QuantumCircuit

    from ..catalog import Device

ALWAYS_ALLOWED = frozenset({"barrier"})
MAX_GATES = 20_000  # a scorer never emulates more than this (a submission cannot stall the parent)


class InvalidSubmission(Exception):
    """Raised by a scoring function: the submission breaks a rule; ``reason`` says which, for the team."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Score:
    """A valid submission's result: the score, and the counts the tie rules use.

    ``two_qubit_gates`` and ``gates`` are the native gates the device would run (``None`` when the
    challenge does not count them); ``details`` are shown on the leaderboard (small numbers, text).
    """

    value: float
    two_qubit_gates: int | None = None
    gates: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


# ---- the team's circuit, rebuilt by gate names -----------------------------------------------

MAX_INSTRUCTIONS = 200_000


def _number(p: Any) -> Any:
    """A gate parameter as a float, or a marker :func:`rebuild_circuit` turns into a clear reason."""
    from qiskit.circuit import ParameterExpression

    if isinstance(p, ParameterExpression):
        if p.parameters:
            return {"unbound": sorted(str(x) for x in p.parameters)}
        try:
            p = float(p)
        except TypeError:
            return {"unsupported": "complex"}
    if isinstance(p, bool):
        return {"unsupported": "bool"}
    try:
        x = float(p)
    except (TypeError, ValueError):
        return {"unsupported": type(p).__name__}
    if not math.isfinite(x):
        return {"nonfinite": repr(x)}
    return x


def circuit_payload(circuit: QuantumCircuit) -> dict[str, Any]:
    """A circuit as names, qubit and clbit indices and numeric parameters (what
    :func:`rebuild_circuit` reads); ``{"kind": "too_long"}`` past :data:`MAX_INSTRUCTIONS`."""
    instructions = []
    for inst in circuit.data:
        if len(instructions) >= MAX_INSTRUCTIONS:
            return {"kind": "too_long", "limit": MAX_INSTRUCTIONS}
        op = inst.operation
        instructions.append({
            "name": str(op.name),
            "qubits": [circuit.find_bit(q).index for q in inst.qubits],
            "clbits": [circuit.find_bit(c).index for c in inst.clbits],
            "params": [_number(p) for p in getattr(op, "params", [])],
        })
    return {"kind": "circuit", "num_qubits": circuit.num_qubits, "num_clbits": circuit.num_clbits,
            "instructions": instructions}


def rebuild_circuit(payload: Mapping[str, Any]) -> QuantumCircuit:
    """The team's circuit, rebuilt gate by gate from names and numbers (see :func:`circuit_payload`).

    A standard gate (or an IonQ native) is rebuilt from its *name*, so a home-made gate that only
    calls itself ``"cz"`` becomes the real CZ; any other name is kept as an opaque gate of that name
    so that validation can name it. Unbound or non-numeric parameters are invalid.
    """
    from qiskit import QuantumCircuit
    from qiskit.circuit import Barrier, Gate, Measure, Reset

    nq, nc = payload.get("num_qubits"), payload.get("num_clbits")
    instructions = payload.get("instructions")
    if not isinstance(nq, int) or not isinstance(nc, int) or not isinstance(instructions, list):
        raise InvalidSubmission(t("kit.reason_bad_payload"))
    if not 0 < nq <= 64 or not 0 <= nc <= 4096:
        raise InvalidSubmission(t("kit.reason_width", qubits=nq, allowed=64))
    if len(instructions) > MAX_GATES:
        raise InvalidSubmission(t("kit.reason_too_many_gates", count=len(instructions), limit=MAX_GATES))
    classes = gate_classes()
    qc = QuantumCircuit(nq, nc)
    for i, inst in enumerate(instructions):
        name, qubits, clbits, params = inst["name"], inst["qubits"], inst["clbits"], inst["params"]
        if any(not isinstance(q, int) or not 0 <= q < nq for q in qubits) or any(
            not isinstance(c, int) or not 0 <= c < nc for c in clbits
        ):
            raise InvalidSubmission(t("kit.reason_bad_payload"))
        if name == "barrier":
            qc.append(Barrier(len(qubits)), qubits)
            continue
        if name == "measure" and len(qubits) == 1 and len(clbits) == 1:
            qc.append(Measure(), qubits, clbits)
            continue
        if name == "reset" and len(qubits) == 1:
            qc.append(Reset(), qubits)
            continue
        known = classes.get(name)
        if known is None or known[2] != len(qubits) or known[1] != len(params) or clbits:
            qc.append(Gate(str(name)[:40], len(qubits), []), qubits)  # opaque: validation names it
            continue
        for p in params:
            if isinstance(p, dict):
                if "unbound" in p:
                    raise InvalidSubmission(
                        t("kit.reason_unbound", gate=name, index=i, names=", ".join(p["unbound"]))
                    )
                raise InvalidSubmission(t("kit.reason_bad_param", gate=name, index=i))
        qc.append(known[0](*params), qubits)
    return qc


# ---- validation --------------------------------------------------------------------------------


def _device(device: str | Device) -> Device:
    from ..catalog import device as get_device

    return get_device(device)


def check_native(
    circuit: QuantumCircuit,
    device: str | Device,
    *,
    allow_measure: bool = True,
    exact_width: bool = False,
) -> QuantumCircuit:
    """Check that ``circuit`` runs as written on ``device``; return it without its measurements.

    Circuit qubit ``i`` is device qubit ``i``. The device's own rule decides what runs
    (:mod:`qlab.hardware.rules`, the rule every part of qlab asks): native gates with numbers for
    their parameters, two-qubit gates on coupled pairs, no more qubits than the device has
    (``barrier`` allowed). Scoring adds: measurements, when allowed, come last on their qubit (they
    are removed: scoring looks at the state before them); nothing else (no reset, no delay).
    ``exact_width`` demands as many qubits as the device has. A broken rule raises
    :class:`InvalidSubmission` naming it.
    """
    from qiskit import QuantumCircuit

    from ..hardware.rules import message, violations
    from ..qiskit_side.read import circuit_ops

    spec = _device(device).spec
    n = spec.num_qubits
    if exact_width and circuit.num_qubits != n:
        raise InvalidSubmission(
            t("kit.reason_width_device", qubits=circuit.num_qubits, device=spec.name, allowed=n)
        )
    width, ops = circuit_ops(circuit)
    found = violations(width, ops, spec)
    if found:
        raise InvalidSubmission(message(found, spec))
    measured: set[int] = set()
    out = QuantumCircuit(circuit.num_qubits)
    for inst, op in zip(circuit.data, ops, strict=True):
        if op.name in ALWAYS_ALLOWED:
            continue
        if op.name == "measure":
            if not allow_measure:
                raise InvalidSubmission(t("kit.reason_no_measure"))
            measured.update(op.qubits)
            continue
        late = measured.intersection(op.qubits)
        if late:
            raise InvalidSubmission(
                t("kit.reason_after_measure", gate=op.name, qubit=spec.label(min(late)))
            )
        if op.name in ("reset", "delay"):  # the device runs them; a score of the state cannot
            raise InvalidSubmission(
                t("kit.reason_not_native", gate=op.name, device=spec.name,
                  qubits=", ".join(spec.label(q) for q in op.qubits),
                  native=", ".join(spec.native_gates))  # fmt: skip
            )
        out.append(inst.operation, list(op.qubits))
    return out


def gate_counts(circuit: QuantumCircuit) -> tuple[int, int]:
    """``(two_qubit_gates, gates)`` of a circuit, not counting measurements and barriers."""
    two = total = 0
    for inst in circuit.data:
        if inst.operation.name in ("measure", "barrier"):
            continue
        total += 1
        two += len(inst.qubits) >= 2
    return two, total


# ---- exact emulation under the device's noise --------------------------------------------------


def noisy_density_matrix(
    circuit: QuantumCircuit, device: str | Device, *, idle_noise: bool = True
) -> np.ndarray:
    """The exact state (density matrix) ``circuit`` leaves on ``device`` at its final readout.

    The model is ``qlab.run``'s, step for step: the device's gate noise (its Aer noise model:
    depolarizing, then T1/T2 relaxation for the gate's duration, after every native gate) and,
    unless ``idle_noise=False``, relaxation while a qubit waits: the circuit is scheduled as soon
    as possible with the device's durations and every qubit is read out together after the last
    gate (:mod:`qlab.hardware.timing`), so a qubit that finished early relaxes until then. Aer's
    density-matrix method applies every channel exactly: no sampling error. Readout error does not
    change the state and is not included. ``circuit`` must be native and measurement-free (see
    :func:`check_native`); qubit ``i`` is device qubit ``i``.
    """
    import numpy as np
    from qiskit import QuantumCircuit
    from qiskit_aer import AerSimulator

    backend = _device(device).qiskit_backend()
    read = circuit.copy()
    read.measure_all()  # the final readout: its moment fixes how long each qubit waits
    noisy = backend.noisy_circuit(read, idle_noise=idle_noise)
    state = QuantumCircuit(circuit.num_qubits, global_phase=noisy.global_phase)
    for inst in noisy.data:
        if inst.operation.name not in ("measure", "barrier"):
            state.append(inst.operation, [noisy.find_bit(q).index for q in inst.qubits])
    state.save_density_matrix(label="rho")
    sim = AerSimulator(method="density_matrix", noise_model=backend.noise_model)
    result = sim.run(state, shots=1).result()
    return np.asarray(result.data(0)["rho"])


def cut_value(bits: str, edges: Sequence[Sequence[Any]]) -> float:
    """The weight of the cut a counts key describes (last character = qubit 0)."""
    n = len(bits)
    total = 0.0
    for edge in edges:
        a, b = int(edge[0]), int(edge[1])
        w = float(edge[2]) if len(edge) > 2 else 1.0
        if bits[n - 1 - a] != bits[n - 1 - b]:
            total += w
    return total


def max_cut(num_nodes: int, edges: Sequence[Sequence[Any]]) -> float:
    """The best cut of a small graph, by trying every split (fine up to ~20 nodes)."""
    best = 0.0
    for code in range(2 ** (num_nodes - 1)):  # node n-1 on side 0: each cut counted once
        bits = format(code, f"0{num_nodes}b")
        best = max(best, cut_value(bits, edges))
    return best


# ---- unitaries ---------------------------------------------------------------------------------


def permutation_matrix_rows(perm: Sequence[int]) -> np.ndarray:
    """Basis index ``b`` -> index of the same state after qubit ``q`` moved to qubit ``perm[q]``."""
    import numpy as np

    n = len(perm)
    idx = np.zeros(2**n, dtype=np.int64)
    for b in range(2**n):
        out = 0
        for q in range(n):
            if (b >> q) & 1:
                out |= 1 << perm[q]
        idx[b] = out
    return idx


def match_up_to_final_permutation(
    target: np.ndarray, candidate: np.ndarray, num_qubits: int, *, tolerance: float = 1e-6
) -> tuple[tuple[int, ...] | None, float]:
    """Find a final qubit permutation ``p`` with ``candidate = P_p @ target`` up to a global phase.

    Returns ``(p, overlap)`` where ``overlap = |tr((P_p target)^dagger candidate)| / 2**n`` is 1 for
    an exact match; ``p`` is ``None`` when no permutation reaches ``1 - tolerance`` (then the best
    overlap found is returned). ``p[q]`` is where logical qubit ``q`` ends up.
    """
    import numpy as np

    d = 2**num_qubits
    best: tuple[tuple[int, ...] | None, float] = (None, 0.0)
    for perm in itertools.permutations(range(num_qubits)):
        moved = np.empty_like(target)
        moved[permutation_matrix_rows(perm)] = target
        overlap = abs(np.vdot(moved, candidate)) / d
        if overlap >= 1 - tolerance:
            return tuple(perm), float(overlap)
        if overlap > best[1]:
            best = (None, float(overlap))
    return best
