"""The `qpe-phase` exercise of lesson 6: the reference solution passes for every variant k, the
placeholder fails, and each usual mistake fails with the message that names it. Everything here is
exact (state-vector simulation), so nothing is random."""

from __future__ import annotations

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit.library import QFTGate

import qlab
from qlab import exercise_bank
from qlab.checker import _evaluate
from qlab.checks import BadAnswerError
from qlab.exercise_bank.checkers_algorithms import check_qpe_phase

COUNTING = 3


def qpe(k: int, *, eigenstate=True, inverse=True, sign=1, msb_first=False) -> QuantumCircuit:
    """Phase estimation of P(2 pi k / 8); ``msb_first`` builds it with qubit 0 as the most
    significant counting bit (a consistent, common textbook convention that reads k backwards)."""
    theta = sign * 2 * np.pi * k / 2**COUNTING
    qc = QuantumCircuit(COUNTING + 1)
    if eigenstate:
        qc.x(COUNTING)
    qc.h(range(COUNTING))
    for j in range(COUNTING):
        power = 2 ** (COUNTING - 1 - j) if msb_first else 2**j
        qc.cp(power * theta, j, COUNTING)
    qft = QFTGate(COUNTING)
    order = list(reversed(range(COUNTING))) if msb_first else list(range(COUNTING))
    qc.append(qft.inverse() if inverse else qft, order)
    return qc


def verdict(answer, k: int):
    return check_qpe_phase(answer, k=k, counting=COUNTING, p_min=0.9)


@pytest.mark.parametrize("k", range(1, 8))
def test_reference_solution_passes_for_every_variant(k):
    result = verdict(qpe(k), k)
    assert result.passed, result.message
    assert result.details["probability"] > 0.999


def test_through_qlab_check_with_a_student_id():
    qlab.set_student_id("test-student-qpe")
    try:
        k = exercise_bank.params("qpe-phase")["k"]
        assert 1 <= k <= 7
        assert qlab.check("qpe-phase", qpe(k)).passed
        placeholder, _ = _evaluate("qpe-phase", None, {})
        assert not placeholder.passed and placeholder.details["reason"] == "bad_answer"
        wrong_k = k % 7 + 1
        assert not qlab.check("qpe-phase", qpe(wrong_k)).passed
    finally:
        qlab.set_student_id(None)


@pytest.mark.parametrize(
    ("k", "mistake", "reason"),
    [
        (3, {"eigenstate": False}, "eigenstate"),
        (3, {"inverse": False}, "conjugate"),
        (3, {"sign": -1}, "conjugate"),
        (3, {"msb_first": True}, "reversed"),  # 011 read as 110
        (1, {"msb_first": True}, "reversed"),
        (6, {"msb_first": True}, "reversed"),
    ],
)
def test_mistakes_are_named(k, mistake, reason):
    result = verdict(qpe(k, **mistake), k)
    assert not result.passed
    assert result.details["reason"] == reason, result.message


def test_powers_in_the_wrong_order_spread_the_answer():
    qc = QuantumCircuit(COUNTING + 1)
    qc.x(COUNTING)
    qc.h(range(COUNTING))
    for j in range(COUNTING):
        qc.cp(2 ** (COUNTING - 1 - j) * 2 * np.pi / 8, j, COUNTING)  # k = 1, powers reversed only
    qc.append(QFTGate(COUNTING).inverse(), range(COUNTING))
    result = verdict(qc, 1)
    assert not result.passed and result.details["reason"] == "spread"
    assert "U^(2^j)" in result.message


def test_no_inverse_qft_spreads_the_answer():
    qc = qpe(3)
    qc.data.pop()  # drop the inverse QFT: every reading equally likely
    result = verdict(qc, 3)
    assert not result.passed and result.details["reason"] == "spread"


def test_width_and_non_circuits():
    assert verdict(QuantumCircuit(3), 3).details["reason"] == "width"
    for bad in (None, "010", 2):
        with pytest.raises(BadAnswerError):  # qlab.check turns this into a friendly message
            verdict(bad, 2)


def test_a_cirq_circuit_is_accepted():
    cirq = pytest.importorskip("cirq")
    q = cirq.LineQubit.range(COUNTING + 1)
    k = 5
    ops = [cirq.X(q[COUNTING])] + [cirq.H(x) for x in q[:COUNTING]]
    for j in range(COUNTING):
        ops.append(cirq.CZPowGate(exponent=2**j * 2 * k / 2**COUNTING).on(q[j], q[COUNTING]))
    # cirq.qft lists the most significant qubit first; qlab's bit order has LineQubit(0) as bit 0
    ops.append(cirq.qft(*reversed(q[:COUNTING]), inverse=True))
    assert verdict(cirq.Circuit(ops), k).passed
