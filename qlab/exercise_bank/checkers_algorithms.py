"""Checkers of lesson 6 (algorithms): quantum phase estimation of a phase gate.

``qpe-phase``: the student builds the phase-estimation circuit for ``U = P(2 pi k / 2**n)`` with
``n`` counting qubits (qubits ``0 .. n-1``, qubit 0 the least significant bit of the estimate) and
the eigenstate ``|1>`` on qubit ``n``. Read out exactly, the counting register then holds ``k``.
Named in ``exercises-algorithms.json`` as
``"qlab.exercise_bank.checkers_algorithms:check_qpe_phase"``; ``k`` is the student's variant.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import BadAnswerError, CheckResult, to_statevector
from ..checks._convert import _is_qiskit_circuit
from ..i18n import t


def counting_distribution(answer: Any, counting: int) -> np.ndarray:
    """Exact probabilities of the counting register (qubits ``0 .. counting-1``) of a circuit."""
    vec = to_statevector(answer)
    probs = np.abs(vec) ** 2
    return np.bincount(np.arange(len(probs)) % 2**counting, weights=probs, minlength=2**counting)


def check_qpe_phase(answer: Any, *, k: int, counting: int, p_min: float) -> CheckResult:
    """The answer's counting register reads ``k`` (phase ``k / 2**counting`` turns) with
    probability at least ``p_min``; a wrong peak is explained (bits reversed, inverse QFT
    missing or sign flipped, eigenstate not prepared)."""
    if not (_is_qiskit_circuit(answer) or type(answer).__module__.startswith("cirq")):
        raise BadAnswerError(t("check.ex.qpe-phase.not_circuit", got=type(answer).__name__))
    vec = to_statevector(answer)
    width = len(vec).bit_length() - 1
    if width != counting + 1:
        return CheckResult(
            False,
            t("check.ex.qpe-phase.width", n=counting, total=counting + 1, got=width),
            {"reason": "width"},
        )
    dist = counting_distribution(answer, counting)
    size = 2**counting
    bits = f"{k:0{counting}b}"
    p = float(dist[k])
    facts = {"probability": p, "distribution": dist}
    if p >= p_min:
        return CheckResult(
            True,
            t("check.ex.qpe-phase.pass", bits=bits, p=f"{p:.3f}", phase=f"{k}/{size}"),
            facts,
        )
    peak = int(np.argmax(dist))
    peak_bits = f"{peak:0{counting}b}"
    if dist[peak] >= p_min:
        if peak_bits == bits[::-1]:
            reason = "reversed"
        elif peak == (size - k) % size:
            reason = "conjugate"
        elif peak == 0:
            reason = "eigenstate"
        else:
            reason = "other"
    else:
        reason = "spread"
    message = t(
        f"check.ex.qpe-phase.{reason}",
        bits=bits,
        got=peak_bits,
        p=f"{p:.3f}",
        p_peak=f"{dist[peak]:.3f}",
    )
    return CheckResult(False, message, {"reason": reason, **facts})
