"""The same noisy circuit gives the same distribution in Qiskit and in Cirq.

Tolerance: total-variation distance (TVD) <= 0.05 between two runs of 20000 shots each. On these
5-qubit distributions the TVD of two samples from one distribution has mean ~0.015 and sd ~0.003,
so a false failure needs > 10 sd; a real mismatch (a noise channel missing or doubled, bits
reversed) moves the TVD by 0.1 or more.
"""

from __future__ import annotations

import cirq
import pytest
from qiskit import QuantumCircuit

import qlab
from qlab import simulate

SHOTS = 20_000
TOLERANCE = 0.05


def tvd(a: dict[str, int], b: dict[str, int]) -> float:
    na, nb = sum(a.values()), sum(b.values())
    return 0.5 * sum(abs(a.get(k, 0) / na - b.get(k, 0) / nb) for k in set(a) | set(b))


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


@pytest.mark.slow
@pytest.mark.parametrize("device", ["iqm-spark", "ionq-aria"])
def test_qiskit_and_cirq_agree_on_a_noisy_device(device: str) -> None:
    # Qiskit side: qiskit.transpile + Aer density matrix with the Aer noise model (exact).
    # Cirq side: qlab's Cirq compiler + qsim trajectories with the cirq.NoiseModel.
    q_counts = qlab.run(star_ghz_qiskit(), device, shots=SHOTS, seed=101)
    assert simulate.last_run["method"] == "density_matrix"
    c_counts = qlab.run(star_ghz_cirq(), device, shots=SHOTS, seed=202, method="qsim")
    ideal = qlab.run(star_ghz_qiskit(), shots=SHOTS, seed=303, noise=False)
    assert tvd(q_counts, c_counts) <= TOLERANCE
    # and the noise is really there: both are far from the ideal distribution
    assert tvd(q_counts, ideal) > 0.02 and tvd(c_counts, ideal) > 0.02


@pytest.mark.slow
def test_aer_and_cirq_noise_models_agree_on_one_native_circuit() -> None:
    # the same transpiled (cached, seed 7) circuit, two noise renderings, two simulators
    aer = qlab.run(star_ghz_qiskit(), "iqm-spark", shots=SHOTS, seed=7, method="density_matrix")
    qsim = qlab.run(star_ghz_qiskit(), "iqm-spark", shots=SHOTS, seed=7, method="qsim")
    assert tvd(aer, qsim) <= TOLERANCE
