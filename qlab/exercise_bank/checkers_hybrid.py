"""Checkers of lesson 10 (hybrid workflow): the classical post-processing step of a QAOA sweep.

``maxcut-expectation``: a function ``expected_cut(counts, edges) -> float`` giving the average
number of cut edges over the measured bit strings, with qlab's bit order (the **last** character
of a key is node 0). Called on fixed cases, including graphs where reading the key left to right
gives a different answer, so a pass means both the formula and the bit order are right. Named in
``exercises-hybrid.json``.
"""

from __future__ import annotations

from typing import Any

from ..checks import CheckResult
from .mistakes import check_number_cases

_TOLERANCE = 1e-9  # exact rational answers; only rounding is allowed

# (counts, edges, expected average cut)
_CUT_CASES: list[tuple[dict[str, int], list[tuple[int, int]], float]] = [
    ({"0101": 10}, [(0, 1), (1, 2), (2, 3), (3, 0)], 4.0),  # ring: alternating colours cut all
    ({"0000": 3, "1111": 1}, [(0, 1), (1, 2), (2, 3), (3, 0)], 0.0),
    ({"001": 1, "011": 1}, [(0, 1)], 0.5),  # '001': node 0 = 1, node 1 = 0 -> cut; '011' -> not
    ({"001": 3, "100": 1}, [(0, 1), (0, 2)], 1.75),  # left-to-right reading gives 1.25
    ({"110": 2, "010": 2}, [(1, 2)], 0.5),  # left-to-right reading gives 1.0
]


def _reference(counts: dict[str, int], edges: list[tuple[int, int]]) -> float:
    shots = sum(counts.values())
    total = 0
    for key, c in counts.items():
        total += c * sum(key[-1 - a] != key[-1 - b] for a, b in edges)
    return total / shots


def _cut_mistake(counts: dict[str, int], edges: list[tuple[int, int]], value: float) -> str:
    """``order`` (keys read left to right), ``not_averaged`` (the total, not divided by the
    shots), ``uncut`` (counting the edges that are NOT cut), else ``different``."""
    shots = sum(counts.values())
    left_to_right = sum(c * sum(k[a] != k[b] for a, b in edges) for k, c in counts.items()) / shots
    reference = _reference(counts, edges)
    for reason, alternative in (
        ("order", left_to_right),
        ("not_averaged", reference * shots),
        ("uncut", len(edges) - reference),
    ):
        if abs(value - alternative) <= _TOLERANCE and abs(alternative - reference) > _TOLERANCE:
            return reason
    return "different"


def check_maxcut_expectation(answer: Any) -> CheckResult:
    """``answer(counts, edges)`` returns the average cut on every case in ``_CUT_CASES``."""
    return check_number_cases(
        "maxcut-expectation", answer, _CUT_CASES,
        calls=lambda f, counts, edges, expected: [f(dict(counts), list(edges))],
        is_wrong=lambda value, counts, edges, expected: abs(value - expected) > _TOLERANCE,
        wrong_fields=lambda value, counts, edges, expected: {
            "counts": counts, "edges": edges, "expected": f"{expected:g}", "got": f"{value:g}"},
        mistake=lambda value, counts, edges, expected: _cut_mistake(counts, edges, value),
        shown=lambda counts, edges, expected: (counts, edges),
    )
