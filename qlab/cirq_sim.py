"""Simulate a ``cirq.Circuit``: qsim where it serves, cirq's density matrix where exactness is asked.

* :func:`simulate_counts` samples ``shots`` measurement results. Without ``exact`` it uses qsim
  (``qsimcirq.QSimSimulator``, fast, state vector); with a noise model qsim samples *quantum
  trajectories* (each shot draws one Kraus operator per channel), which gives the right
  distribution with no more memory than a state vector. With ``exact=True`` it uses
  ``cirq.DensityMatrixSimulator``, which carries the whole mixed state (memory 4**n: fine for the
  5-qubit star, not for 25 ions).
* :func:`measured_probabilities` gives the exact probabilities of the measured bits, readout
  error included, from the density matrix: what shots only estimate.

Results are raw ``cirq.Result`` objects, keyed by measurement key; :mod:`qlab.simulate` turns them
into counts.
"""

from __future__ import annotations

from typing import Any

import cirq
import numpy as np


def simulate_counts(
    circuit: cirq.Circuit,
    *,
    shots: int,
    seed: int | None,
    noise_model: cirq.NoiseModel | None = None,
    exact: bool = False,
) -> cirq.Result:
    """Run ``circuit`` ``shots`` times; returns the ``cirq.Result`` (``result.measurements[key]``
    is a ``shots x bits`` array, bits in the order of the measurement's qubits)."""
    noise = noise_model if noise_model is not None else cirq.NO_NOISE
    if exact:
        sim: Any = cirq.DensityMatrixSimulator(noise=noise, seed=seed)
    else:
        import qsimcirq

        sim = qsimcirq.QSimSimulator(
            qsim_options=qsimcirq.QSimOptions(cpu_threads=1), seed=seed, noise=noise
        )
    return sim.run(circuit, repetitions=shots)


def measured_probabilities(
    circuit: cirq.Circuit, noise_model: cirq.NoiseModel | None = None
) -> tuple[list[cirq.Qid], np.ndarray]:
    """Exact probabilities of the bits measured at the end of ``circuit``, noise included.

    Returns ``(qubits, probs)``: ``qubits`` are the measured qubits in order of first measurement,
    and ``probs[i]`` is the probability of the bits of ``i`` written big-endian over ``qubits``
    (``qubits[0]`` is the most significant bit, cirq's convention). Only terminal measurements
    are supported; the noise model's readout flips are kept, the measurements themselves are
    replaced by reading the diagonal of the final density matrix.
    """
    noise = noise_model if noise_model is not None else cirq.NO_NOISE
    if not circuit.are_all_measurements_terminal():
        raise ValueError("measured_probabilities needs all measurements at the end of the circuit")
    measured: list[cirq.Qid] = []
    for op in circuit.all_operations():
        if cirq.is_measurement(op):
            measured += [q for q in op.qubits if q not in measured]
    noisy = cirq.Circuit(noise.noisy_moments(circuit, sorted(circuit.all_qubits())))
    no_measure = cirq.drop_empty_moments(
        cirq.map_operations(noisy, lambda op, _: [] if cirq.is_measurement(op) else op)
    )
    qubits = sorted(circuit.all_qubits())
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)  # exact: double precision
    rho = sim.simulate(no_measure, qubit_order=qubits).final_density_matrix
    full = np.real(np.diag(rho)).reshape([2] * len(qubits))
    keep = [qubits.index(q) for q in measured]
    drop = tuple(i for i in range(len(qubits)) if i not in keep)
    marg = full.sum(axis=drop) if drop else full
    ranks = sorted(keep)  # axes of marg follow the device order; put them in measured order
    marg = np.transpose(marg, [ranks.index(k) for k in keep])
    return measured, marg.reshape(-1)
