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
