"""Device compliance (native gates, coupled pairs, width) and resource budgets."""

from __future__ import annotations

import cirq
import numpy as np
import pytest
from qiskit import QuantumCircuit, transpile

from qlab import i18n
from qlab.checks import assert_native, assert_resources, native_compliance, resource_usage
from qlab.checks import resources_within as within

SPARK_MAP = [[a, b] for a, b in ((0, 2), (1, 2), (2, 3), (2, 4))]
SPARK_MAP += [[b, a] for a, b in SPARK_MAP]


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    monkeypatch.delenv("QLAB_LANG", raising=False)
    monkeypatch.setattr(i18n, "_current", None)


def spark_bell() -> QuantumCircuit:
    qc = QuantumCircuit(5)
    qc.h(0)
    qc.cx(0, 2)
    qc.measure_all()
    return transpile(
        qc,
        basis_gates=["r", "cz"],
        coupling_map=SPARK_MAP,
        initial_layout=list(range(5)),
        optimization_level=1,
        seed_transpiler=1,
    )


def test_transpiled_circuit_complies_with_spark():
    result = native_compliance(spark_bell(), "iqm-spark")
    assert result.passed, result.message
    assert_native(spark_bell(), "iqm-spark")


def test_non_native_gate_is_named_with_its_qubits_and_the_natives():
    qc = QuantumCircuit(5)
    qc.h(3)
    result = native_compliance(qc, "iqm-spark")
    assert not result.passed
    assert result.details["reason"] == "gate"
    assert (
        "Gate 'h' on qubit(s) 3 is not native to iqm-spark. Native gates: r, cz" in result.message
    )


def test_uncoupled_pair_is_named_with_the_coupled_pairs():
    qc = QuantumCircuit(5)
    qc.cz(0, 1)  # QB1-QB2: both outer qubits of the star
    result = native_compliance(qc, "iqm-spark")
    assert not result.passed
    assert result.details["violations"] == [("pair", "cz", (0, 1))]
    assert "(0, 1) = QB1–QB2" in result.message
    assert "(0, 2) = QB1–QB3, (1, 2) = QB2–QB3, (2, 3) = QB3–QB4, (2, 4) = QB3–QB5" in result.message


def test_too_wide_and_all_violations_listed():
    qc = QuantumCircuit(6)
    qc.h(0)
    qc.cz(0, 5)
    result = native_compliance(qc, "iqm-spark")
    assert result.details["reason"] == "width"
    kinds = [v[0] for v in result.details["violations"]]
    assert kinds == ["width", "gate", "pair"]
    assert "uses 6 qubits, but 'iqm-spark' has 5" in result.message
    assert "2 more" in result.message


def test_all_to_all_device_accepts_any_pair_but_only_its_natives():
    qc = QuantumCircuit(4)
    qc.rx(0.3, 0)
    qc.cx(0, 3)
    qc.barrier()
    qc.measure_all()
    assert native_compliance(qc, "ideal").passed
    assert not native_compliance(qc, "ionq-aria").passed


def test_cirq_circuit_on_spark():
    q = cirq.LineQubit.range(5)
    good = cirq.Circuit(
        cirq.PhasedXPowGate(phase_exponent=0.5, exponent=0.5).on(q[0]),
        cirq.CZ(q[0], q[2]),
        cirq.measure(q[0], q[2]),
    )
    assert native_compliance(good, "iqm-spark").passed
    bad_pair = cirq.Circuit(cirq.CZ(q[3], q[4]))
    assert native_compliance(bad_pair, "iqm-spark").details["reason"] == "pair"
    bad_gate = cirq.Circuit(cirq.CNOT(q[0], q[2]))
    assert native_compliance(bad_gate, "iqm-spark").details["violations"] == [
        ("gate", "cx", (0, 2))
    ]
    half_cz = cirq.Circuit(cirq.CZ(q[0], q[2]) ** 0.5)  # not the native CZ
    assert not native_compliance(half_cz, "iqm-spark").passed


def test_malformed_answer_and_unknown_device():
    assert native_compliance("circuit", "iqm-spark").details["reason"] == "bad_answer"
    with pytest.raises(KeyError, match="iqm-spark"):
        native_compliance(QuantumCircuit(1), "iqm-sprak")


def test_assert_native_raises_with_message():
    qc = QuantumCircuit(2)
    qc.cx(0, 1)
    with pytest.raises(AssertionError, match="'cx'"):
        assert_native(qc, "iqm-spark")


# ---- resources --------------------------------------------------------------------------------


def ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for k in range(n - 1):
        qc.cx(k, k + 1)
    return qc


def test_usage_counts_two_qubit_gates_and_depth_without_measurements():
    qc = ghz(4)
    use = resource_usage(qc)
    assert (use["two_qubit"], use["depth"], use["width"]) == (3, 4, 4)
    qc.barrier()
    qc.measure_all()
    assert resource_usage(qc)["depth"] == 4  # measurements and barriers do not count
    assert use["depth"] == qc.depth(lambda inst: inst.operation.name not in ("measure", "barrier"))


def test_usage_of_a_cirq_circuit():
    q = cirq.LineQubit.range(3)
    circ = cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[0], q[2]), cirq.X(q[1]))
    use = resource_usage(circ)
    assert (use["two_qubit"], use["depth"], use["width"]) == (2, 3, 3)


def test_budgets():
    qc = ghz(3)
    assert within(qc, max_two_qubit=2, max_depth=3, max_qubits=3).passed
    over = within(qc, max_two_qubit=1, max_depth=2)
    assert not over.passed
    assert "2 two-qubit gates; the budget is 1" in over.message
    assert "depth is 3; the budget is 2" in over.message
    with pytest.raises(AssertionError, match="budget"):
        assert_resources(qc, max_qubits=2)


def test_three_qubit_gates_do_not_hide_from_a_two_qubit_budget():
    qc = QuantumCircuit(3)
    qc.ccx(0, 1, 2)
    result = within(qc, max_two_qubit=10)
    assert not result.passed
    assert "'ccx'" in result.message
    assert within(qc, max_depth=1).passed  # depth alone does not care


def test_depth_of_parallel_gates():
    qc = QuantumCircuit(4)
    qc.h(range(4))
    qc.cx(0, 1)
    qc.cx(2, 3)
    assert resource_usage(qc)["depth"] == 2
    assert np.isclose(resource_usage(qc)["two_qubit"], 2)


def test_a_cirq_measurement_of_many_qubits_is_allowed_and_line_qubits_keep_their_index():
    """cirq.measure(*qubits) spans five qubits but is not a gate; LineQubit(2) is the hub QB3."""
    from qlab.checks.compliance import validate_native

    q = cirq.LineQubit.range(5)
    hub_pair = cirq.Circuit(cirq.CZ(q[2], q[3]), cirq.measure(*q, key="m"))
    assert native_compliance(hub_pair, "iqm-spark").passed
    validate_native(hub_pair, "iqm-spark")  # no error: runs as it is
    leaves = cirq.Circuit(cirq.CZ(q[3], q[4]), cirq.measure(*q, key="m"))
    result = native_compliance(leaves, "iqm-spark")
    assert not result.passed and "(3, 4) = QB4–QB5" in result.message
