"""Checkers of lesson 8 (benchmarking): the two formulas every benchmark in the lesson rests on.

* ``classical-fidelity``: a function ``(p_out, p_ideal) -> float`` computing the classical
  (Hellinger) fidelity ``F = (sum_x sqrt(p_out(x) p_ideal(x)))^2`` of two distributions given as
  ``{bit string: probability}`` dicts (a key missing from one dict has probability 0).
* ``heavy-outputs``: a function ``p_ideal -> set`` of the *heavy* outputs of Quantum Volume: the
  bit strings whose ideal probability is strictly above the median of all ``2^n`` probabilities
  (bit strings missing from the dict count as probability 0).

Both are checked by calling the student's function on a few fixed cases (listed below), so a
pass means the formula is right, not just one number. Named in ``exercises-benchmarking.json``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..checks import CheckResult
from ..i18n import t
from .mistakes import not_callable

_TOLERANCE = 1e-9  # the cases are exact; only floating-point rounding is allowed

# (p_out, p_ideal, F): identical, disjoint, half overlap, missing keys on either side
_FIDELITY_CASES: list[tuple[dict[str, float], dict[str, float], float]] = [
    ({"00": 0.5, "11": 0.5}, {"00": 0.5, "11": 0.5}, 1.0),
    ({"01": 1.0}, {"10": 1.0}, 0.0),
    ({"0": 0.5, "1": 0.5}, {"0": 1.0}, 0.5),
    ({"000": 0.9, "001": 0.05, "100": 0.05}, {"000": 0.5, "111": 0.5}, 0.45),
    ({"00": 0.25, "01": 0.25, "10": 0.25, "11": 0.25}, {"00": 0.5, "11": 0.5}, 0.5),
]


def _heavy_reference(p_ideal: dict[str, float]) -> set[str]:
    n = len(next(iter(p_ideal)))
    probs = {format(i, f"0{n}b"): float(p_ideal.get(format(i, f"0{n}b"), 0.0)) for i in range(2**n)}
    median = float(np.median(list(probs.values())))
    return {key for key, p in probs.items() if p > median}


_HEAVY_CASES: list[dict[str, float]] = [
    {"00": 0.4, "01": 0.3, "10": 0.2, "11": 0.1},
    {"000": 0.3, "011": 0.25, "101": 0.2, "110": 0.15, "111": 0.1},  # three outputs missing = 0
    {"00": 0.7, "11": 0.3},
    {"0": 0.5, "1": 0.5},  # a tie at the median: nothing is strictly above it
]


def check_classical_fidelity(answer: Any) -> CheckResult:
    """``answer(p_out, p_ideal)`` returns the classical fidelity on every case in
    ``_FIDELITY_CASES`` (to 1e-9)."""
    if not callable(answer):
        return not_callable("classical-fidelity", answer)
    f: Callable[..., Any] = answer
    for p_out, p_ideal, expected in _FIDELITY_CASES:
        try:
            got = f(dict(p_out), dict(p_ideal))
        except KeyError as exc:  # p[x] for a bit string one of the dicts does not have
            return CheckResult(
                False,
                t("check.ex.classical-fidelity.key_error", key=str(exc)),
                {"reason": "missing_key", "case": (p_out, p_ideal)},
            )
        try:
            value = float(got)
        except (TypeError, ValueError):
            return CheckResult(
                False,
                t("check.ex.classical-fidelity.not_number", got=repr(got)[:40]),
                {"reason": "not_number"},
            )
        if not math.isfinite(value) or abs(value - expected) > _TOLERANCE:
            return CheckResult(
                False,
                t(
                    "check.ex.classical-fidelity.wrong",
                    p_out=p_out,
                    p_ideal=p_ideal,
                    expected=f"{expected:.4f}",
                    got=f"{value:.4f}",
                ),
                {"reason": _fidelity_mistake(p_out, p_ideal, value), "case": (p_out, p_ideal),
                 "got": value},
            )
    return CheckResult(True, t("check.ex.classical-fidelity.pass", cases=len(_FIDELITY_CASES)))


def _fidelity_mistake(p_out: dict[str, float], p_ideal: dict[str, float], value: float) -> str:
    """``no_square`` (the Bhattacharyya sum, not its square), ``products`` (sum of p*q, no
    square roots), else ``different``."""
    keys = set(p_out) | set(p_ideal)
    overlap = sum(math.sqrt(p_out.get(x, 0.0) * p_ideal.get(x, 0.0)) for x in keys)
    products = sum(p_out.get(x, 0.0) * p_ideal.get(x, 0.0) for x in keys)
    for reason, alternative in (("no_square", overlap), ("products", products)):
        if abs(value - alternative) <= _TOLERANCE:
            return reason
    return "different"


def check_heavy_outputs(answer: Any) -> CheckResult:
    """``answer(p_ideal)`` returns the heavy set (as any iterable of bit strings) on every case in
    ``_HEAVY_CASES``."""
    if not callable(answer):
        return not_callable("heavy-outputs", answer)
    for p_ideal in _HEAVY_CASES:
        got = answer(dict(p_ideal))
        try:
            got_set = {str(k) for k in got}
        except TypeError:
            return CheckResult(
                False,
                t("check.ex.heavy-outputs.not_set", got=type(got).__name__),
                {"reason": "not_set"},
            )
        expected = _heavy_reference(p_ideal)
        if got_set != expected:
            return CheckResult(
                False,
                t(
                    "check.ex.heavy-outputs.wrong",
                    p_ideal=p_ideal,
                    expected=sorted(expected),
                    got=sorted(got_set),
                ),
                {"reason": _heavy_mistake(p_ideal, got_set), "case": p_ideal, "got": got_set},
            )
    return CheckResult(True, t("check.ex.heavy-outputs.pass", cases=len(_HEAVY_CASES)))


def _heavy_mistake(p_ideal: dict[str, float], got: set[str]) -> str:
    """``ties`` (kept probabilities equal to the median), ``missing_zeros`` (the median of only
    the bit strings in the dict), else ``different``."""
    n = len(next(iter(p_ideal)))
    everything = {format(i, f"0{n}b"): float(p_ideal.get(format(i, f"0{n}b"), 0.0)) for i in range(2**n)}
    median_all = float(np.median(list(everything.values())))
    median_given = float(np.median([float(v) for v in p_ideal.values()]))
    if got == {x for x, p in everything.items() if p >= median_all}:
        return "ties"
    if got == {x for x, p in p_ideal.items() if p > median_given}:
        return "missing_zeros"
    return "different"
