"""The same circuit gives the same result from Qiskit and from Cirq: the same physical qubits, the
same native program, and distributions that agree within shot noise.

Statistical tolerance: the total-variation distance (TVD) of two samples of 20,000 shots is
compared with its 99.9 % level under "both come from the same distribution", found by drawing
20,000 pairs of samples from the exact distribution (numpy default_rng, seed 99). A false failure
therefore has probability 0.001 at most; the bug this guards against (the two frameworks placing
the circuit on different qubits) gave a TVD of 0.024 against a 99 % level of 0.0205.
"""

from __future__ import annotations

import cirq
import numpy as np
import pytest
from qiskit import QuantumCircuit

import qlab
from qlab import simulate
from qlab.execution.convert import CIRQ, QISKIT
from qlab.execution.exact import exact_distribution
from qlab.execution.program import native_program

SHOTS = 20_000


def tvd(a: dict[str, float], b: dict[str, float]) -> float:
    na, nb = sum(a.values()), sum(b.values())
    return 0.5 * sum(abs(a.get(k, 0) / na - b.get(k, 0) / nb) for k in set(a) | set(b))


def two_sample_level(exact: dict[str, float], shots: int, quantile: float = 0.999) -> float:
    """The ``quantile`` of the TVD between two samples of ``shots`` from ``exact``."""
    rng = np.random.default_rng(99)
    keys = sorted(exact)
    p = np.array([exact[k] for k in keys])
    p = p / p.sum()
    a = rng.multinomial(shots, p, size=20_000) / shots
    b = rng.multinomial(shots, p, size=20_000) / shots
    return float(np.quantile(0.5 * np.abs(a - b).sum(axis=1), quantile))


def star_ghz_qiskit() -> QuantumCircuit:
    qc = QuantumCircuit(5)
    qc.h(2)
    for leaf in (0, 1, 3, 4):
        qc.cx(2, leaf)
    qc.x(0)  # an asymmetric outcome, so that a reversed bit order would show
    qc.measure_all()
    return qc


def star_ghz_cirq() -> cirq.Circuit:
    q = cirq.LineQubit.range(5)
    return cirq.Circuit(
        cirq.H(q[2]), *(cirq.CNOT(q[2], q[k]) for k in (0, 1, 3, 4)), cirq.X(q[0]), cirq.measure(*q, key="m")
    )


def chain_ghz_qiskit() -> QuantumCircuit:
    qc = QuantumCircuit(5)
    qc.h(0)
    for k in range(4):
        qc.cx(k, k + 1)
    qc.measure_all()
    return qc


def chain_ghz_cirq() -> cirq.Circuit:
    q = cirq.LineQubit.range(5)
    return cirq.Circuit(cirq.H(q[0]), [cirq.CNOT(q[k], q[k + 1]) for k in range(4)], cirq.measure(*q, key="m"))


def program_ops(circuit, framework: str, device: str) -> list[tuple]:
    plan = [("m", [0, 1, 2, 3, 4])] if framework == CIRQ else None
    qc = native_program(circuit, framework, qlab.device(device).spec, plan=plan).circuit
    return [(i.operation.name, tuple(qc.find_bit(x).index for x in i.qubits),
             tuple(round(float(p), 9) for p in i.operation.params))
            for i in qc.data if i.operation.name not in ("barrier", "measure")]  # fmt: skip


@pytest.mark.parametrize("device", ["iqm-spark", "ionq-aria"])
@pytest.mark.parametrize("shape", ["star", "chain"])
def test_qiskit_and_cirq_run_the_same_native_program(device: str, shape: str) -> None:
    qiskit_c, cirq_c = (star_ghz_qiskit(), star_ghz_cirq()) if shape == "star" else (chain_ghz_qiskit(), chain_ghz_cirq())
    assert program_ops(qiskit_c, QISKIT, device) == program_ops(cirq_c, CIRQ, device)
    assert exact_distribution(qiskit_c, device) == pytest.approx(exact_distribution(cirq_c, device), abs=1e-12)


@pytest.mark.slow
def test_ghz5_on_the_star_agrees_within_shot_noise_at_20000_shots() -> None:
    """Qiskit's circuit on Aer's density matrix, Cirq's on qsim trajectories (so the engines and
    both noise renderings are in play too), 20,000 shots each, seeds 101 and 202."""
    exact = exact_distribution(star_ghz_qiskit(), "iqm-spark")
    level = two_sample_level(exact, SHOTS)
    q_counts = qlab.run(star_ghz_qiskit(), "iqm-spark", shots=SHOTS, seed=101)
    assert simulate.last_run["method"] == "density_matrix"
    c_counts = qlab.run(star_ghz_cirq(), "iqm-spark", shots=SHOTS, seed=202, method="qsim")
    assert tvd(q_counts, c_counts) <= level, (tvd(q_counts, c_counts), level)
    # and the noise is really there: both are far from the ideal distribution
    ideal = qlab.run(star_ghz_qiskit(), shots=SHOTS, seed=303, noise=False)
    assert tvd(q_counts, ideal) > 0.1 and tvd(c_counts, ideal) > 0.1


def test_a_one_qubit_circuit_lands_on_the_same_qubit() -> None:
    qc = QuantumCircuit(1)
    qc.h(0)
    qc.measure_all()
    q = cirq.LineQubit(0)
    cc = cirq.Circuit(cirq.H(q), cirq.measure(q, key="m"))
    from_qiskit = qlab.transpile(qc, "iqm-spark")
    from_cirq = qlab.transpile(cc, "iqm-spark")
    where_q = {from_qiskit.find_bit(i.qubits[0]).index for i in from_qiskit.data if i.operation.name == "measure"}
    where_c = {op.qubits[0].x for op in from_cirq.all_operations() if cirq.is_measurement(op)}
    assert where_q == where_c == {0}  # it runs where it stands: circuit qubit 0 is QB1


@pytest.mark.slow
def test_aer_and_cirq_noise_models_agree_on_one_native_circuit() -> None:
    """The same compiled program, two noise renderings (Aer's model and waits; Cirq's model and
    waits), two simulators: 20,000 shots each, seed 7, against the same 99.9 % level."""
    exact = exact_distribution(star_ghz_qiskit(), "iqm-spark")
    aer = qlab.run(star_ghz_qiskit(), "iqm-spark", shots=SHOTS, seed=7, method="density_matrix")
    qsim = qlab.run(star_ghz_qiskit(), "iqm-spark", shots=SHOTS, seed=7, method="qsim")
    assert tvd(aer, qsim) <= two_sample_level(exact, SHOTS)
