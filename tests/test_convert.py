"""Qiskit <-> Cirq conversion keeps every gate exactly (up to global phase) and the bit order."""

from __future__ import annotations

import cirq
import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit.random import random_circuit
from qiskit.quantum_info import Operator

from qlab.convert import bits_to_counts, cirq_to_qiskit, framework_of, qiskit_to_cirq
from qlab.errors import NotACircuitError, UnsupportedCircuitError
from qlab.qiskit_gates import GPI2Gate, GPIGate, MSGate, ZZGate


def equal_up_to_phase(a: np.ndarray, b: np.ndarray) -> bool:
    return cirq.allclose_up_to_global_phase(a, b, atol=1e-7)


def cirq_matrix_in_qiskit_order(circuit: cirq.Circuit, n: int) -> np.ndarray:
    # cirq's qubit 0 is the most significant bit; reverse the order to compare with Qiskit
    return circuit.unitary(qubit_order=cirq.LineQubit.range(n)[::-1])


@pytest.mark.parametrize("seed", range(6))
def test_random_qiskit_circuits_convert_exactly(seed: int) -> None:
    qc = random_circuit(4, 6, max_operands=3, seed=seed)  # qiskit's random gate zoo, seeded
    conv = qiskit_to_cirq(qc, compact=False)
    assert equal_up_to_phase(cirq_matrix_in_qiskit_order(conv.circuit, 4), Operator(qc).data)


def test_ionq_and_iqm_native_gates_convert_both_ways() -> None:
    qc = QuantumCircuit(3)
    qc.append(GPIGate(0.1), [0])
    qc.append(GPI2Gate(-0.3), [1])
    qc.append(MSGate(0.2, 0.7, 0.15), [0, 2])
    qc.append(ZZGate(0.25), [2, 1])
    qc.r(0.4, 1.1, 2)
    qc.cz(0, 1)
    conv = qiskit_to_cirq(qc, compact=False)
    assert equal_up_to_phase(cirq_matrix_in_qiskit_order(conv.circuit, 3), Operator(qc).data)
    back = cirq_to_qiskit(conv.circuit, physical=True).circuit
    assert {"gpi", "gpi2", "ms", "zz"} <= set(back.count_ops())  # natives keep their names (noise)
    assert equal_up_to_phase(Operator(back).data, Operator(qc).data)


@pytest.mark.parametrize("seed", range(4))
def test_random_cirq_circuits_convert_exactly(seed: int) -> None:
    q = cirq.LineQubit.range(4)
    circuit = cirq.testing.random_circuit(q, n_moments=8, op_density=0.8, random_state=seed)
    circuit = circuit + cirq.Circuit(cirq.PhasedXPowGate(exponent=0.3, phase_exponent=0.1)(q[0]), cirq.rz(0.2)(q[1]))
    qc = cirq_to_qiskit(circuit).circuit
    index = sorted(circuit.all_qubits())
    expected = circuit.unitary(qubit_order=index[::-1])
    assert equal_up_to_phase(Operator(qc).data, expected)


def test_cirq_measurements_map_to_sorted_bits_and_invert_mask() -> None:
    a, b = cirq.LineQubit.range(2)
    circuit = cirq.Circuit(cirq.measure(b, a, key="m", invert_mask=(True, False)))
    qc = cirq_to_qiskit(circuit).circuit
    measures = [(qc.find_bit(i.qubits[0]).index, qc.find_bit(i.clbits[0]).index) for i in qc.data if i.operation.name == "measure"]
    assert sorted(measures) == [(0, 0), (1, 1)]
    assert qc.count_ops()["x"] == 2  # b's flip: X before and after its measurement


def test_bits_to_counts_puts_bit0_last() -> None:
    bits = np.array([[1, 0, 0], [1, 0, 0], [0, 1, 1]])
    assert bits_to_counts(bits) == {"001": 2, "110": 1}


def test_framework_of_names_what_it_got() -> None:
    assert framework_of(QuantumCircuit(1)) == "qiskit"
    assert framework_of(cirq.Circuit()) == "cirq"
    assert framework_of(cirq.FrozenCircuit()) == "cirq"
    with pytest.raises(NotACircuitError, match="list"):
        framework_of([QuantumCircuit(1)])
    with pytest.raises(NotACircuitError, match=r"cirq\.Circuit\(ops\)"):
        framework_of(cirq.X(cirq.LineQubit(0)))
    with pytest.raises(NotACircuitError, match="str"):
        framework_of("h 0; cx 0 1")


def test_classical_conditions_are_refused_plainly() -> None:
    qc = QuantumCircuit(1, 1)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(0)
    with pytest.raises(UnsupportedCircuitError, match="if_else"):
        qiskit_to_cirq(qc)
