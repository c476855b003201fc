"""State comparison: any framework in, one bit order, global phase handled, compact failures."""

from __future__ import annotations

import cirq
import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.quantum_info import Statevector

from qlab import i18n
from qlab.checks import BadAnswerError, assert_states_equal, states_equal, to_statevector

BELL = np.array([1, 0, 0, 1], dtype=complex) / np.sqrt(2)


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    monkeypatch.delenv("QLAB_LANG", raising=False)
    monkeypatch.setattr(i18n, "_current", None)


def qiskit_bell(measure: bool = False) -> QuantumCircuit:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    if measure:
        qc.measure_all()
    return qc


def cirq_bell() -> cirq.Circuit:
    q = cirq.LineQubit.range(2)
    return cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.measure(*q, key="m"))


@pytest.mark.parametrize(
    "answer",
    [
        qiskit_bell(),
        qiskit_bell(measure=True),  # final measurements are ignored
        cirq_bell(),
        Statevector(qiskit_bell()),
        BELL.tolist(),
        {"00": 0.7071067811865476, "11": 0.7071067811865476},
    ],
    ids=["qiskit", "qiskit-measured", "cirq", "Statevector", "list", "dict"],
)
def test_every_kind_of_bell_answer_passes(answer):
    result = states_equal(BELL, answer)
    assert result.passed, result.message
    assert result.details["fidelity"] == pytest.approx(1.0)


def test_bit_order_is_the_same_for_qiskit_and_cirq():
    # X on qubit 0 of two qubits is |01>: qubit 0 is the LAST character, in both frameworks
    qc = QuantumCircuit(2)
    qc.x(0)
    q = cirq.LineQubit.range(2)
    circ = cirq.Circuit(cirq.X(q[0]), cirq.I(q[1]))
    expected = np.array([0, 1, 0, 0])
    assert np.allclose(to_statevector(qc), expected)
    assert np.allclose(to_statevector(circ), expected)


def test_cirq_idle_high_qubit_is_padded_to_the_expected_width():
    q = cirq.LineQubit(0)
    circ = cirq.Circuit(cirq.X(q))  # cirq knows only LineQubit(0)
    assert states_equal([0, 1, 0, 0], circ).passed


def test_global_phase_passes_by_default_and_fails_in_strict_mode():
    minus_bell = -1j * BELL
    assert states_equal(BELL, minus_bell).passed
    strict = states_equal(BELL, minus_bell, strict_phase=True)
    assert not strict.passed
    assert strict.details["reason"] == "global_phase"
    assert "-0.5π" in strict.message  # e^{-i pi/2}, stated as a multiple of pi


def test_relative_phase_is_a_real_difference():
    phi_minus = np.array([1, 0, 0, -1]) / np.sqrt(2)
    result = states_equal(BELL, phi_minus)
    assert not result.passed
    assert result.details["fidelity"] == pytest.approx(0.0, abs=1e-12)


def test_failure_names_expected_and_got_amplitudes():
    qc = QuantumCircuit(2)
    qc.h(0)  # forgot the CNOT
    result = states_equal(BELL, qc)
    assert not result.passed
    assert "0.707|00⟩ + 0.707|11⟩" in result.message
    assert "0.707|00⟩ + 0.707|01⟩" in result.message
    assert "0.250" in result.message  # the fidelity


def test_width_mismatch_is_reported():
    result = states_equal(BELL, QuantumCircuit(3))
    assert not result.passed
    assert result.details == {"reason": "width", "expected_qubits": 2, "got_qubits": 3}


@pytest.mark.parametrize("bad", ["bell", None, 3, [1, 1], [1, 0, 0]])
def test_malformed_answers_are_failed_results_not_exceptions(bad):
    result = states_equal(BELL, bad)
    assert not result.passed
    assert result.details["reason"] == "bad_answer"
    assert result.message  # says what was expected


def test_string_answer_message_names_what_was_received():
    assert "got a str" in states_equal(BELL, "bell").message


def test_mid_circuit_measurement_is_explained():
    qc = QuantumCircuit(1, 1)
    qc.measure(0, 0)
    qc.h(0)
    result = states_equal([1, 0], qc)
    assert not result.passed
    assert "'measure'" in result.message


def test_converters_raise_a_qlab_error_for_bad_input():
    with pytest.raises(BadAnswerError):
        to_statevector("not a state")


def test_assert_form_raises_with_the_compact_message():
    qc = QuantumCircuit(2)
    with pytest.raises(AssertionError, match="Expected 0.707"):
        assert_states_equal(BELL, qc)
    assert assert_states_equal(BELL, qiskit_bell()).passed
