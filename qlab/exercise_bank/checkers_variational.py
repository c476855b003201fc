"""Checker of lesson 7 (variational algorithms): a Pauli-Z expectation value from counts.

``z-expectation``: a function ``z_expectation(counts, qubits) -> float`` giving
``<Z ... Z>`` on the listed qubits: +1 for every shot with an even number of 1s among them, -1 for an
odd number, averaged over the shots, with qlab's bit order (the **last** character of a key is qubit
0). Called on fixed cases where reading the key from the left gives another answer, so a pass means
both the formula and the bit order are right. Named in ``exercises-variational.json``.
"""

from __future__ import annotations

from typing import Any

from ..checks import CheckResult
from .mistakes import check_number_cases

_TOLERANCE = 1e-9  # the cases are exact fractions

# (counts, qubits, <Z...Z>)
_CASES: list[tuple[dict[str, int], list[int], float]] = [
    ({"00": 30, "11": 70}, [0, 1], 1.0),
    ({"01": 25, "10": 75}, [0, 1], -1.0),
    ({"001": 10, "100": 30}, [0], 0.5),  # reading the key from the left gives -0.5
    ({"011": 5, "110": 15}, [1, 2], 0.5),  # reading from the left gives -0.5
    ({"0": 3, "1": 1}, [0], 0.5),
]


def _value(counts: dict[str, int], qubits: list[int], *, left_to_right: bool = False) -> float:
    shots = sum(counts.values())
    total = 0
    for key, c in counts.items():
        bits = [key[q] if left_to_right else key[-1 - q] for q in qubits]
        total += c * (-1) ** sum(int(b) for b in bits)
    return total / shots


def _mistake(counts: dict[str, int], qubits: list[int], value: float) -> str:
    """``order`` (keys read from the left), ``probability`` (P(even), not P(even) - P(odd)),
    ``not_averaged`` (a sum over shots), ``sign`` (odd counted as +1), else ``different``."""
    right = _value(counts, qubits)
    shots = sum(counts.values())
    for reason, alternative in (
        ("order", _value(counts, qubits, left_to_right=True)),
        ("probability", (1 + right) / 2),
        ("not_averaged", right * shots),
        ("sign", -right),
    ):
        if abs(value - alternative) <= _TOLERANCE and abs(alternative - right) > _TOLERANCE:
            return reason
    return "different"


def check_z_expectation(answer: Any) -> CheckResult:
    """``answer(counts, qubits)`` returns ``<Z...Z>`` on every case in ``_CASES``."""
    return check_number_cases(
        "z-expectation", answer, _CASES,
        calls=lambda f, counts, qubits, expected: [f(dict(counts), list(qubits))],
        is_wrong=lambda value, counts, qubits, expected: abs(value - expected) > _TOLERANCE,
        wrong_fields=lambda value, counts, qubits, expected: {
            "counts": counts, "qubits": qubits, "expected": f"{expected:g}", "got": f"{value:g}"},
        mistake=lambda value, counts, qubits, expected: _mistake(counts, qubits, value),
        shown=lambda counts, qubits, expected: (counts, qubits),
    )
