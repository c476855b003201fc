"""Lesson 9 exercises: the reference solutions pass (bb84-sift, and a Cirq answer to teleport), the
placeholders and typical mistakes fail."""

from __future__ import annotations

import cirq
import pytest

from qlab.exercise_bank import get, run_checker


def _check(exercise_id, answer):
    exercise = get(exercise_id)
    return run_checker(exercise, answer, exercise.resolve())


def sift(alice_bases, bob_bases, bits):  # the solution shown in notebooks/09-communication-cirq.ipynb
    return [int(b) for a, c, b in zip(alice_bases, bob_bases, bits, strict=True) if a == c]


def test_sift_solution_passes():
    assert _check("bb84-sift", sift)


@pytest.mark.parametrize(
    "wrong",
    [
        None,  # the placeholder
        lambda a, c, b: [int(x) for i, j, x in zip(a, c, b, strict=True) if i != j],  # keeps the wrong rounds
        lambda a, c, b: [int(x) for x in b],  # no sifting
        lambda a, c, b: sorted(int(x) for i, j, x in zip(a, c, b, strict=True) if i == j),  # order lost
        lambda a, c, b: 7,
    ],
)
def test_sift_mistakes_fail(wrong):
    assert not _check("bb84-sift", wrong)


def test_cirq_teleport_solution_passes_and_mistakes_fail():
    q0, q1, q2 = cirq.LineQubit.range(3)
    solution = cirq.Circuit(  # the solution shown in the lesson
        cirq.H(q1), cirq.CNOT(q1, q2), cirq.CNOT(q0, q1), cirq.H(q0),
        cirq.CNOT(q1, q2), cirq.CZ(q0, q2),
    )
    assert _check("teleport", solution)
    swapped = cirq.Circuit(  # corrections swapped: CZ from q1, CNOT from q0
        cirq.H(q1), cirq.CNOT(q1, q2), cirq.CNOT(q0, q1), cirq.H(q0),
        cirq.CNOT(q0, q2), cirq.CZ(q1, q2),
    )
    assert not _check("teleport", swapped)
