"""Lesson 8 exercises: each reference solution passes, each placeholder and typical mistake fails."""

from __future__ import annotations

import math

import numpy as np
import pytest

import qlab
from qlab.exercise_bank import get, run_checker


def classical_fidelity(p_out, p_ideal):  # the solution shown in notebooks/08-benchmarking.ipynb
    keys = set(p_out) | set(p_ideal)
    return sum(math.sqrt(p_out.get(x, 0.0) * p_ideal.get(x, 0.0)) for x in keys) ** 2


def heavy_outputs(p_ideal):  # the solution shown in the lesson
    n = len(next(iter(p_ideal)))
    probs = {format(i, f"0{n}b"): p_ideal.get(format(i, f"0{n}b"), 0.0) for i in range(2**n)}
    median = np.median(list(probs.values()))
    return {x for x, p in probs.items() if p > median}


def _check(exercise_id, answer):
    exercise = get(exercise_id)
    return run_checker(exercise, answer, exercise.resolve())


def test_classical_fidelity_solution_passes():
    assert _check("classical-fidelity", classical_fidelity)


@pytest.mark.parametrize(
    "wrong",
    [
        None,  # the placeholder
        lambda p, q: sum(math.sqrt(p.get(x, 0) * q.get(x, 0)) for x in set(p) | set(q)),  # no square
        lambda p, q: sum(math.sqrt(p[x] * q[x]) for x in p if x in q) ** 2 + 0.01,  # off by 0.01
        lambda p, q: "0.5",  # not a number... but a numeric string still has the wrong value
        lambda p, q: None,
    ],
)
def test_classical_fidelity_mistakes_fail(wrong):
    result = _check("classical-fidelity", wrong)
    assert not result
    assert result.message


def test_heavy_outputs_solution_passes():
    assert _check("heavy-outputs", heavy_outputs)


@pytest.mark.parametrize(
    "wrong",
    [
        None,  # the placeholder
        # the median of the dict's values only: wrong when zero-probability outputs are missing
        lambda p: {x for x, v in p.items() if v > np.median(list(p.values()))},
        lambda p: {x for x, v in p.items() if v >= np.median(list(p.values()))},  # >= instead of >
        lambda p: 42,  # not a set
    ],
)
def test_heavy_outputs_mistakes_fail(wrong):
    assert not _check("heavy-outputs", wrong)


def test_qlab_check_prints_a_hint_and_does_not_raise(capsys, monkeypatch):
    monkeypatch.delenv("QLAB_GRADING", raising=False)
    result = qlab.check("heavy-outputs", None)
    assert not result and result.hint


def test_fidelity_cases_are_right():
    # the expected values in the checker agree with an independent numpy computation
    from qlab.exercise_bank.checkers_benchmarking import _FIDELITY_CASES

    for p_out, p_ideal, expected in _FIDELITY_CASES:
        keys = sorted(set(p_out) | set(p_ideal))
        a = np.array([p_out.get(k, 0.0) for k in keys])
        b = np.array([p_ideal.get(k, 0.0) for k in keys])
        assert np.sqrt(a * b).sum() ** 2 == pytest.approx(expected, abs=1e-12)
