"""Lesson 10 exercise: the reference solution passes, the placeholder and typical mistakes fail."""

from __future__ import annotations

import pytest

from qlab.exercise_bank import get, run_checker


def expected_cut(counts, edges):  # the solution shown in notebooks/10-hybrid-workflow.ipynb
    shots = sum(counts.values())
    return sum(c * sum(key[-1 - a] != key[-1 - b] for a, b in edges)
               for key, c in counts.items()) / shots


def _check(answer):
    exercise = get("maxcut-expectation")
    return run_checker(exercise, answer, exercise.resolve())


def test_solution_passes():
    assert _check(expected_cut)


@pytest.mark.parametrize(
    "wrong",
    [
        None,  # the placeholder
        # reads node a as key[a]: the wrong bit order
        lambda counts, edges: sum(c * sum(k[a] != k[b] for a, b in edges) for k, c in counts.items())
        / sum(counts.values()),
        # forgets the counts: averages over distinct bit strings
        lambda counts, edges: sum(sum(k[-1 - a] != k[-1 - b] for a, b in edges) for k in counts)
        / len(counts),
        lambda counts, edges: "many",
    ],
)
def test_mistakes_fail(wrong):
    assert not _check(wrong)


@pytest.mark.parametrize("exercise_id", ["maxcut-expectation", "z-expectation", "turns-to-radians", "decay-time"])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), "nan"])
def test_a_number_that_is_not_finite_never_passes(exercise_id, value):
    """The one-line shortcut: a function that returns nan on every case. ``abs(nan - x) > tol``
    is false, so a bare comparison passed it (maxcut-expectation, z-expectation did); every
    "return a number" exercise must fail it, and inf too."""
    exercise = get(exercise_id)
    result = run_checker(exercise, lambda *args, **kwargs: value, exercise.resolve())
    assert not result
    assert result.details.get("reason") != "not_function"
