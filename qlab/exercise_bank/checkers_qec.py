"""Checkers of lesson 12 (error correction): decoding a syndrome, and the phase-flip code's encoder.

``syndrome-decode``: a function ``decode(s01, s12) -> qubit or None`` for the three-qubit bit-flip
code, where ``s01`` is the measured parity of data qubits 0 and 1 and ``s12`` that of qubits 1 and 2:
it names the one qubit to flip back (0, 1 or 2), or ``None`` when the syndrome says "no error".

``phaseflip-encode``: a three-qubit circuit (Qiskit or Cirq) that maps ``a|0> + b|1>`` on qubit 0,
with qubits 1 and 2 in ``|0>``, to ``a|+++> + b|--->``, for every ``a, b`` (checked as an isometry on
the input space, up to one global phase). Named in ``exercises-qec.json``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import CheckResult, to_unitary
from ..i18n import t
from .mistakes import not_callable

SYNDROMES = ((0, 0), (1, 0), (1, 1), (0, 1))
TABLE = {(0, 0): None, (1, 0): 0, (1, 1): 1, (0, 1): 2}


def _name(value: Any) -> str:
    return "None" if value is None else str(value)


def check_syndrome_decode(answer: Any) -> CheckResult:
    """``answer(s01, s12)`` returns the qubit to flip for each of the four syndromes."""
    if not callable(answer):
        return not_callable("syndrome-decode", answer)
    got: dict[tuple[int, int], Any] = {}
    for s in SYNDROMES:
        value = answer(*s)
        if value is not None:
            try:
                value = int(value)
            except (TypeError, ValueError):
                return CheckResult(
                    False, t("check.ex.syndrome-decode.not_qubit", got=repr(value)[:40]),
                    {"reason": "not_qubit"},
                )
        got[s] = value
    wrong = [s for s in SYNDROMES if got[s] != TABLE[s]]
    if not wrong:
        return CheckResult(True, t("check.ex.syndrome-decode.pass"))
    if got[(1, 0)] == 2 and got[(0, 1)] == 0:
        reason = "order"
    elif got[(0, 0)] is not None:
        reason = "no_error"
    elif got[(1, 1)] != 1:
        reason = "middle"
    else:
        reason = "different"
    s = wrong[0]
    return CheckResult(
        False,
        t("check.ex.syndrome-decode.wrong", s01=s[0], s12=s[1], expected=_name(TABLE[s]),
          got=_name(got[s])),
        {"reason": reason, "got": got},
    )


_INV_SQRT2 = 1 / np.sqrt(2)


def _code_states(hadamard: bool) -> tuple[np.ndarray, np.ndarray]:
    """The two code words in qlab order (qubit 0 least significant)."""
    if not hadamard:
        zero, one = np.zeros(8, dtype=complex), np.zeros(8, dtype=complex)
        zero[0], one[7] = 1, 1
        return zero, one
    plus, minus = np.array([1, 1]) * _INV_SQRT2, np.array([1, -1]) * _INV_SQRT2
    return np.kron(np.kron(plus, plus), plus), np.kron(np.kron(minus, minus), minus)


def _encodes(columns: np.ndarray, words: tuple[np.ndarray, np.ndarray]) -> bool:
    """True when the two columns are the two code words times one common phase."""
    target = np.stack(words, axis=1)
    overlap = np.vdot(target.reshape(-1), columns.reshape(-1))
    if abs(overlap) < 1e-9:
        return False
    phase = overlap / abs(overlap)
    return bool(np.allclose(columns, phase * target, atol=1e-6))


def check_phaseflip_encode(answer: Any) -> CheckResult:
    """The circuit encodes qubit 0 into the phase-flip code (a|+++> + b|--->)."""
    u = to_unitary(answer)
    n = len(u).bit_length() - 1
    if n != 3:
        return CheckResult(False, t("check.ex.phaseflip-encode.width", got=n), {"reason": "width"})
    columns = u[:, [0, 1]]  # inputs |000> and |001> (qubit 0 = 1): a|0> + b|1> on qubit 0
    if _encodes(columns, _code_states(hadamard=True)):
        return CheckResult(True, t("check.ex.phaseflip-encode.pass"))
    if _encodes(columns, _code_states(hadamard=False)):
        reason = "bitflip"
    elif all(abs(np.vdot(w, columns[:, k])) ** 2 < 1 - 1e-6 for k, w in enumerate(_code_states(True))):
        reason = _phaseflip_mistake(columns)
    else:
        reason = "different"
    return CheckResult(False, t("check.ex.phaseflip-encode.wrong"), {"reason": reason})


def _phaseflip_mistake(columns: np.ndarray) -> str:
    """``unchanged`` for a circuit that leaves the input alone, ``order`` when the Hadamards came
    first (qubit 0 in superposition before the CNOTs, so the logical |0> becomes a GHZ state),
    ``missing_gate`` when some qubit lacks its Hadamard."""
    if abs(columns[0, 0]) ** 2 > 1 - 1e-6 and abs(columns[1, 1]) ** 2 > 1 - 1e-6:
        return "unchanged"  # nothing happened to the input: an empty circuit
    ghz = np.zeros(8, dtype=complex)
    ghz[0] = ghz[7] = _INV_SQRT2
    if abs(np.vdot(ghz, columns[:, 0])) ** 2 > 1 - 1e-6:
        return "order"
    probs = np.abs(columns[:, 0]) ** 2
    if probs.max() > 0.2:  # the logical |0> is not spread evenly over all eight basis states
        return "missing_gate"
    return "different"
