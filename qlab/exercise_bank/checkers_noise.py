"""Checkers of lesson 5 (noise): the readout confusion matrix a student builds from counts.

The convention (the one readout-error mitigation needs, ``p_measured = M @ p_true``)::

    M[i][j] = P(read i | prepared j)      columns = prepared state, each column sums to 1

    M = [[P(0|0), P(0|1)],
         [P(1|0), P(1|1)]]

Named in ``exercises-noise.json`` as ``"qlab.exercise_bank.checkers_noise:check_readout_confusion"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from ..checks import BadAnswerError, CheckResult
from ..i18n import t
from .mistakes import check_number_cases

_SUM_TOLERANCE = 1e-6  # a matrix built from counts sums to 1 up to rounding


def _as_matrix(answer: Any) -> np.ndarray:
    """The answer as a 2x2 float array, or :class:`BadAnswerError` saying what was expected."""
    if answer is None or isinstance(answer, (str, bytes, dict)):
        raise BadAnswerError(t("check.ex.readout-confusion.not_matrix", got=type(answer).__name__))
    try:
        mat = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        raise BadAnswerError(
            t("check.ex.readout-confusion.not_matrix", got=type(answer).__name__)
        ) from None
    if mat.shape != (2, 2):
        raise BadAnswerError(t("check.ex.readout-confusion.shape", got=str(mat.shape)))
    if not np.all(np.isfinite(mat)):
        raise BadAnswerError(t("check.ex.readout-confusion.not_finite"))
    return mat


def check_readout_confusion(
    answer: Any, *, device: str, qubit: int, tolerance: float
) -> CheckResult:
    """``answer`` is the 2x2 readout confusion matrix of ``qubit`` on ``device``:
    ``M[i][j] = P(read i | prepared j)``, columns summing to 1, and both error probabilities
    ``P(1|0)`` and ``P(0|1)`` within ``tolerance`` of the device's published readout error.

    The tolerance allows for shot noise and for the small error of the X gate that prepares
    ``|1⟩`` (see ``exercises-noise.json`` and the lesson for the numbers).
    """
    from ..catalog import device as lookup

    mat = _as_matrix(answer)
    spec = lookup(device).spec
    expected = spec.readout_error()[qubit]
    label = spec.label(qubit)
    facts: dict[str, Any] = {"matrix": mat, "expected": expected}
    if mat.max() > 1.0 + _SUM_TOLERANCE or mat.min() < 0.0:
        if mat.min() >= 0 and mat.sum() > 2.5:  # whole-number counts rather than probabilities
            return CheckResult(False, t("check.ex.readout-confusion.counts"), {"reason": "counts", **facts})
        return CheckResult(False, t("check.ex.readout-confusion.range"), {"reason": "range", **facts})
    cols, rows = mat.sum(axis=0), mat.sum(axis=1)
    if not np.allclose(cols, 1.0, atol=_SUM_TOLERANCE):
        reason = "transposed" if np.allclose(rows, 1.0, atol=_SUM_TOLERANCE) else "columns"
        return CheckResult(
            False,
            t(f"check.ex.readout-confusion.{reason}", sums=", ".join(f"{c:.4f}" for c in cols)),
            {"reason": reason, **facts},
        )
    p10, p01 = float(mat[1, 0]), float(mat[0, 1])
    if max(p10, p01) < 1e-9:
        return CheckResult(False, t("check.ex.readout-confusion.perfect", device=device), {"reason": "perfect", **facts})
    off = {"P(1|0)": p10, "P(0|1)": p01}
    bad = {k: v for k, v in off.items() if abs(v - expected) > tolerance}
    if not bad:
        return CheckResult(
            True,
            t(
                "check.ex.readout-confusion.pass",
                p10=f"{p10:.4f}",
                p01=f"{p01:.4f}",
                qubit=label,
                expected=f"{expected:.3f}",
                tolerance=tolerance,
            ),
            facts,
        )
    # the numbers may belong to another qubit: the marginal was taken at the wrong character
    others = [
        spec.label(q)
        for q, e in enumerate(spec.readout_error())
        if q != qubit and all(abs(v - e) <= tolerance for v in off.values())
        and abs(e - expected) > tolerance
    ]
    which, value = next(iter(bad.items()))
    message = t(
        "check.ex.readout-confusion.far",
        which=which,
        got=f"{value:.4f}",
        qubit=label,
        expected=f"{expected:.3f}",
        tolerance=tolerance,
    )
    if others:
        message += " " + t("check.ex.readout-confusion.other_qubit", other=others[0])
    return CheckResult(False, message, {"reason": "other_qubit" if others else "different", **facts})


# ---- decay-time: the time constant of an exponential decay ---------------------------------------

# (times, amplitude, tau): p(t) = amplitude * exp(-t / tau), in whatever unit the times are given
_DECAY_CASES: list[tuple[list[float], float, float]] = [
    ([0, 10, 20, 30, 40, 50, 60, 70, 80], 1.0, 27.0),  # microseconds, as in the lesson
    ([0.0, 1e-5, 2e-5, 3e-5, 4e-5], 0.9, 3.3e-5),  # seconds: the answer comes in seconds
    ([0, 3, 7, 15, 31], 0.5, 12.0),  # uneven steps, amplitude below 1
]
_DECAY_RTOL = 1e-3  # the data are exact: a straight-line fit or a curve fit both land far closer


def _decay_mistake(value: float, tau: float) -> str:
    """Which slip turns tau into ``value``: the slope itself, the rate 1/tau, a minus sign, or a
    base-10 logarithm (tau * ln 10)."""
    for reason, wrong in (
        ("slope", -1 / tau),
        ("rate", 1 / tau),
        ("sign", -tau),
        ("log10", tau * np.log(10)),
        ("log10", -tau * np.log(10)),
    ):
        if np.isclose(value, wrong, rtol=_DECAY_RTOL, atol=0.0):
            return reason
    return "different"


def _decay_calls(
    answer: Callable[..., Any], times: list[float], amplitude: float, tau: float
) -> Iterator[Any]:
    """The student's results on one decay: given as lists, then (if that was right) as arrays."""
    p = amplitude * np.exp(-np.asarray(times, dtype=float) / tau)
    for convert in (list, np.asarray):
        yield answer(convert(times), convert(list(p)))


def check_decay_time(answer: Any) -> CheckResult:
    """``answer(times, p)`` returns the time constant tau of ``p = A exp(-t / tau)`` on every case
    (lists and numpy arrays), in the unit of ``times``, within 0.1 %."""
    return check_number_cases(
        "decay-time", answer, _DECAY_CASES,
        calls=_decay_calls,
        is_wrong=lambda value, times, amplitude, tau: not np.isclose(value, tau, rtol=_DECAY_RTOL, atol=0.0),
        wrong_fields=lambda value, times, amplitude, tau: {
            "tau": f"{tau:g}", "got": f"{value:.4g}", "times": ", ".join(f"{x:g}" for x in times)},
        mistake=lambda value, times, amplitude, tau: _decay_mistake(value, tau),
        shown=lambda times, amplitude, tau: times,
    )
