"""ONE bit order for both frameworks: the last character of a counts key is qubit 0."""

from __future__ import annotations

import cirq
import pytest
from qiskit import QuantumCircuit

import qlab
from qlab import simulate

METHODS = ["qsim", "statevector", "density_matrix", "matrix_product_state", "stabilizer"]


def qiskit_flip0(n: int = 3) -> QuantumCircuit:
    qc = QuantumCircuit(n, n)
    qc.x(0)
    qc.measure(range(n), range(n))
    return qc


def cirq_flip0(n: int = 3) -> cirq.Circuit:
    q = cirq.LineQubit.range(n)
    # measured in a scrambled order: the key order still follows the sorted qubits
    return cirq.Circuit(cirq.X(q[0]), cirq.measure(*reversed(q), key="m"))


@pytest.mark.parametrize("method", METHODS)
def test_flipping_qubit0_gives_last_character_1_in_both_frameworks(method: str) -> None:
    for circuit in (qiskit_flip0(), cirq_flip0()):
        counts = qlab.run(circuit, "ideal", shots=50, seed=11, method=method)
        assert counts == {"001": 50}, (type(circuit).__name__, method, counts)


@pytest.mark.parametrize("device", ["iqm-spark", "ionq-aria"])
def test_bit_order_survives_transpiling_to_a_noisy_device(device: str) -> None:
    # seed 3; on these devices a single X is read right far more than half the time
    for circuit in (qiskit_flip0(), cirq_flip0()):
        counts = qlab.run(circuit, device, shots=400, seed=3)
        assert max(counts, key=counts.get) == "001", (device, type(circuit).__name__, counts)


def test_unmeasured_circuits_measure_every_qubit_with_qubit0_last() -> None:
    qc = QuantumCircuit(4)
    qc.x(1)
    assert qlab.run(qc, shots=20, seed=1) == {"0010": 20}
    q = cirq.LineQubit.range(4)
    assert qlab.run(cirq.Circuit(cirq.X(q[1]), cirq.I.on_each(q)), shots=20, seed=1) == {"0010": 20}


def test_cirq_keys_follow_sorted_measured_qubits_across_several_keys() -> None:
    a, b, c = cirq.LineQubit.range(3)
    circuit = cirq.Circuit(cirq.X(c), cirq.measure(c, key="z"), cirq.measure(a, b, key="ab"))
    # sorted measured qubits: a (bit 0), b (bit 1), c (bit 2) -> c is the first character
    for method in ("qsim", "statevector"):
        assert qlab.run(circuit, shots=10, seed=2, method=method) == {"100": 10}


def test_qiskit_registers_are_joined_without_spaces() -> None:
    from qiskit import ClassicalRegister, QuantumRegister

    qr = QuantumRegister(2)
    c0, c1 = ClassicalRegister(1, "lo"), ClassicalRegister(1, "hi")
    qc = QuantumCircuit(qr, c0, c1)
    qc.x(1)
    qc.measure(0, c0[0])
    qc.measure(1, c1[0])
    for method in ("statevector", "qsim"):
        assert qlab.run(qc, shots=10, seed=4, method=method) == {"10": 10}
        assert simulate.last_run["method"] == method
