"""Operation comparison: up to global phase, and a strict mode that catches global phase."""

from __future__ import annotations

import cirq
import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit.library import CXGate, HGate
from qiskit.quantum_info import Operator, random_unitary

from qlab import i18n
from qlab.checks import assert_operators_equal, operators_equal, to_unitary
from qlab.checks.operators import controlled


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    monkeypatch.delenv("QLAB_LANG", raising=False)
    monkeypatch.setattr(i18n, "_current", None)


def test_hadamard_in_every_form():
    h = np.array([[1, 1], [1, -1]]) / np.sqrt(2)
    qc = QuantumCircuit(1)
    qc.h(0)
    q = cirq.LineQubit(0)
    for answer in (qc, HGate(), Operator(qc), cirq.H, cirq.Circuit(cirq.H(q)), h):
        assert operators_equal(h, answer).passed, type(answer)


def test_cirq_two_qubit_gate_is_read_in_qlab_bit_order():
    # cirq.CNOT's first qubit is the control; in qlab order that is qubit 0, like qiskit cx(0, 1)
    qc = QuantumCircuit(2)
    qc.cx(0, 1)
    assert operators_equal(qc, cirq.CNOT).passed
    q = cirq.LineQubit.range(2)
    assert operators_equal(qc, cirq.Circuit(cirq.CNOT(q[0], q[1]))).passed
    assert operators_equal(CXGate(), cirq.CNOT).passed
    reversed_cx = QuantumCircuit(2)
    reversed_cx.cx(1, 0)
    assert not operators_equal(qc, reversed_cx).passed


def test_global_phase_slip_passes_loosely_and_is_caught_strictly():
    rz = QuantumCircuit(1)
    rz.rz(0.4, 0)
    p = QuantumCircuit(1)
    p.p(0.4, 0)  # p(θ) = e^{iθ/2} rz(θ)
    assert operators_equal(rz, p).passed
    strict = operators_equal(rz, p, strict_phase=True)
    assert not strict.passed
    assert strict.details["reason"] == "global_phase"
    assert strict.details["global_phase"] == pytest.approx(0.2)
    assert operators_equal(p, p, strict_phase=True).passed


def test_controlled_versions_expose_a_global_phase():
    u = random_unitary(4, seed=3).data
    assert not np.allclose(controlled(u), controlled(1j * u))
    assert controlled(u).shape == (8, 8)
    assert np.allclose(controlled(u)[:4, :4], np.eye(4))


@pytest.mark.parametrize("seed", range(5))
def test_random_unitaries_with_random_phase(seed):
    rng = np.random.default_rng(seed)  # seed 0..4
    u = random_unitary(8, seed=seed).data
    phase = np.exp(1j * rng.uniform(0.1, 2 * np.pi - 0.1))
    assert operators_equal(u, phase * u).passed
    assert not operators_equal(u, phase * u, strict_phase=True).passed
    other = random_unitary(8, seed=seed + 100).data
    assert not operators_equal(u, other).passed


def test_failure_names_the_input_and_both_outputs():
    x = QuantumCircuit(1)
    x.x(0)
    result = operators_equal(np.eye(2), x)
    assert not result.passed
    assert result.message == "On input |0⟩: expected 1|0⟩, got 1|1⟩."


def test_width_and_malformed_answers():
    assert operators_equal(np.eye(2), np.eye(4)).details["reason"] == "width"
    assert operators_equal(np.eye(2), "H").details["reason"] == "bad_answer"
    not_unitary = operators_equal(np.eye(2), [[1, 1], [0, 1]])
    assert not_unitary.details["reason"] == "bad_answer"
    assert "unitary" in not_unitary.message
    assert operators_equal(np.eye(2), np.ones((2, 3))).details["reason"] == "bad_answer"


def test_measurement_makes_no_operator():
    qc = QuantumCircuit(1, 1)
    qc.measure(0, 0)
    qc.x(0)
    assert operators_equal(np.eye(2), qc).details["reason"] == "bad_answer"
    final_only = QuantumCircuit(1, 1)
    final_only.x(0)
    final_only.measure(0, 0)
    assert np.allclose(to_unitary(final_only), [[0, 1], [1, 0]])


def test_assert_form():
    with pytest.raises(AssertionError, match="On input"):
        assert_operators_equal(np.eye(2), [[0, 1], [1, 0]])
