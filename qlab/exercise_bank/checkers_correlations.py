"""Checkers of lesson 11 (quantum correlations, in Cirq): superdense coding and the CHSH game.

``superdense-encode``: a function ``encode(message) -> circuit`` giving Alice's operations, on her
qubit ``cirq.LineQubit(0)`` only, for each two-bit message ``"00" .. "11"``. The checker shares a
Bell pair on qubits 0 and 1, applies Alice's operations, Bob's decoding (CNOT 0 -> 1, H on 0) and
requires that Bob reads the message itself as a qlab key (last character = qubit 0) with
certainty, for all four messages. A Qiskit one-qubit circuit is accepted too.

``chsh-angles``: Bob's two measurement angles ``(theta_0, theta_1)`` in radians (the axis at angle
theta from Z towards X), against Alice's fixed Z and X; passes when the exact winning probability of
the CHSH game reaches 0.85 (the quantum optimum is cos^2(pi/8) = 0.854, the classical one 0.75).
Named in ``exercises-correlations.json``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..checks import BadAnswerError, CheckResult
from ..i18n import t
from .mistakes import framework_of, not_callable

MESSAGES = ("00", "01", "10", "11")
ALICE_ANGLES = (0.0, math.pi / 2)  # A0 = Z, A1 = X
WIN_TARGET = 0.85


# ---- superdense coding ---------------------------------------------------------------------------


def _alice_unitary(ops: Any) -> np.ndarray:
    """The 2x2 matrix Alice's operations apply to her qubit; ``_Elsewhere`` when they touch
    another qubit."""
    if framework_of(ops) == "qiskit":
        if getattr(ops, "num_qubits", 1) != 1:
            raise _Elsewhere()
        from qiskit.quantum_info import Operator

        return np.asarray(Operator(ops).data, dtype=complex)
    import cirq

    circuit = ops if isinstance(ops, cirq.AbstractCircuit) else cirq.Circuit(ops)
    alice = cirq.LineQubit(0)
    if set(circuit.all_qubits()) - {alice}:
        raise _Elsewhere()
    if not circuit.all_qubits():
        return np.eye(2, dtype=complex)
    return np.asarray(circuit.unitary(qubit_order=[alice]), dtype=complex)


class _Elsewhere(Exception):
    """Alice's operations act on a qubit she does not hold."""


def _bob_reads(u: np.ndarray) -> dict[str, float]:
    """Bob's outcome probabilities (qlab keys: qubit 1 first, qubit 0 last) after Alice applies
    ``u`` to qubit 0 of |Phi+> and Bob decodes with CNOT(0 -> 1) then H on qubit 0."""
    h = np.array([[1, 1], [1, -1]]) / math.sqrt(2)
    eye = np.eye(2)
    # vectors in the basis |q1 q0> (index = 2*q1 + q0), so a qubit-0 gate is kron(I, g)
    state = np.array([1, 0, 0, 1], dtype=complex) / math.sqrt(2)
    state = np.kron(eye, u) @ state
    cnot = np.array([[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0]])  # control q0, target q1
    state = np.kron(eye, h) @ (cnot @ state)
    probs = np.abs(state) ** 2
    return {format(i, "02b"): float(p) for i, p in enumerate(probs)}


def check_superdense_encode(answer: Any) -> CheckResult:
    """``answer(message)`` returns Alice's operations; Bob must read every message with certainty."""
    if not callable(answer):
        return not_callable("superdense-encode", answer)
    received: dict[str, str] = {}
    for message in MESSAGES:
        ops = answer(message)
        if ops is None:
            raise BadAnswerError(t("check.ex.superdense-encode.returned_none", message=message))
        try:
            u = _alice_unitary(ops)
        except _Elsewhere:
            return CheckResult(
                False, t("check.ex.superdense-encode.wrong_qubit", message=message),
                {"reason": "wrong_qubit"},
            )
        reads = _bob_reads(u)
        best = max(reads, key=reads.get)
        received[message] = best if reads[best] > 1 - 1e-9 else "?"
    wrong = [m for m in MESSAGES if received[m] != m]
    if not wrong:
        return CheckResult(True, t("check.ex.superdense-encode.pass"))
    if all(received[m] == m[::-1] for m in MESSAGES):
        reason = "order"
    elif any(received[m] == "?" for m in MESSAGES):
        reason = "not_pauli"
    elif len(set(received.values())) < 4:
        reason = "missing_gate"
    else:
        reason = "different"
    first = wrong[0]
    return CheckResult(
        False,
        t("check.ex.superdense-encode.wrong", message=first, got=received[first]),
        {"reason": reason, "received": received},
    )


# ---- the CHSH game -------------------------------------------------------------------------------


def win_probability(bob: tuple[float, float], alice: tuple[float, float] = ALICE_ANGLES) -> float:
    """Exact winning probability of the CHSH game with a shared |Phi+> and measurement axes at
    these angles (in the X-Z plane): each round wins with (1 + (-1)^(xy) cos(a_x - b_y)) / 2."""
    return sum(
        (1 + (-1) ** (x * y) * math.cos(alice[x] - bob[y])) / 2 for x in (0, 1) for y in (0, 1)
    ) / 4


def _angles(answer: Any) -> tuple[float, float]:
    try:
        values = [float(v) for v in answer]
    except (TypeError, ValueError):
        raise BadAnswerError(t("check.ex.chsh-angles.not_angles", got=repr(answer)[:40])) from None
    if len(values) != 2 or not all(math.isfinite(v) for v in values):
        raise BadAnswerError(t("check.ex.chsh-angles.not_angles", got=repr(answer)[:40]))
    return values[0], values[1]


def check_chsh_angles(answer: Any) -> CheckResult:
    """Bob's angles ``(theta_0, theta_1)`` win the CHSH game with probability at least 0.85."""
    if answer is None or isinstance(answer, (str, bytes, dict)):
        raise BadAnswerError(t("check.ex.chsh-angles.not_angles", got=repr(answer)[:40]))
    b0, b1 = _angles(answer)
    p = win_probability((b0, b1))
    facts = {"probability": p}
    if p >= WIN_TARGET:
        return CheckResult(True, t("check.ex.chsh-angles.pass", p=f"{p:.3f}"), facts)
    if win_probability((b1, b0)) >= WIN_TARGET:
        reason = "swapped"
    elif win_probability((math.radians(b0), math.radians(b1))) >= WIN_TARGET:
        reason = "degrees"
    elif p <= 0.75 + 1e-9:
        reason = "classical"
    else:
        reason = "different"
    return CheckResult(False, t("check.ex.chsh-angles.low", p=f"{p:.3f}"), {"reason": reason, **facts})
