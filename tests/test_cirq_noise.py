"""The Cirq noise model renders qlab.hardware.noise's channels exactly as documented there (gates,
waits, readout), and a noisy GHZ-5 on the IQM star lands where devices.md says."""

from __future__ import annotations

import math

import numpy as np
import pytest

cirq = pytest.importorskip("cirq")

import qlab  # noqa: E402
from qlab.cirq_side.gates import GPI2Gate, MSGate  # noqa: E402
from qlab.cirq_side.noise import QlabNoiseModel, noise_model  # noqa: E402
from qlab.errors import UncoupledQubitsError  # noqa: E402
from qlab.execution.compiler import compile_circuit  # noqa: E402
from qlab.execution.exact import measured_probabilities  # noqa: E402
from qlab.hardware.noise import noise_params, relaxation_fidelity  # noqa: E402

q = cirq.LineQubit.range(5)
GHZ_CHAIN = cirq.Circuit(
    cirq.H(q[0]), [cirq.CNOT(q[i], q[i + 1]) for i in range(4)], cirq.measure(*q, key="m")
)


def spec(name):
    return qlab.device(name).spec


def apply(channel_ops, rho, qubits):
    """rho after a list of channel operations (exact superoperator arithmetic)."""
    c = cirq.Circuit(channel_ops)
    return (
        cirq.DensityMatrixSimulator(dtype=np.complex128)
        .simulate(c, initial_state=rho, qubit_order=qubits)
        .final_density_matrix
    )


def test_ideal_device_adds_nothing():
    model = noise_model(spec("ideal"))
    assert model is cirq.NO_NOISE
    assert GHZ_CHAIN.with_noise(model) == GHZ_CHAIN


def test_depolarizing_lambda_means_the_same_as_in_aer():
    """cirq.depolarize(p) spreads p over the d^2-1 non-identity Paulis; qlab passes
    p = lambda (d^2-1)/d^2 so that rho -> (1 - lambda) rho + lambda I/d, Aer's definition."""
    s = spec("iqm-spark")
    p = noise_params(s)
    model = QlabNoiseModel(s, p)
    rng = np.random.RandomState(8)  # seed 8: a random pure state
    psi = cirq.testing.random_superposition(4, random_state=rng)
    rho = np.outer(psi, psi.conj())
    dep, _ = model.gate_channels(cirq.CZ(q[1], q[2]))
    lam = p.lambda_2q[(1, 2)]
    assert lam == pytest.approx(0.0344)
    got = apply(dep, rho, [q[1], q[2]])
    np.testing.assert_allclose(got, (1 - lam) * rho + lam * np.eye(4) / 4, atol=1e-12)
    dep1, _ = model.gate_channels(cirq.X(q[1]))
    lam1 = p.lambda_1q[1]
    rho1 = np.array([[0.7, 0.2 - 0.1j], [0.2 + 0.1j, 0.3]])
    np.testing.assert_allclose(
        apply(dep1, rho1, [q[1]]), (1 - lam1) * rho1 + lam1 * np.eye(2) / 2, atol=1e-12
    )


def test_relaxation_decays_populations_with_t1_and_coherence_with_t2():
    s = spec("iqm-spark")
    p = noise_params(s)
    _, relax = QlabNoiseModel(s, p).gate_channels(cirq.CZ(q[0], q[2]))
    t = p.duration_2q
    assert {c.qubits[0] for c in relax} == {q[0], q[2]}
    plus_excited = np.array([[0.5, 0.5], [0.5, 0.5]])
    for k in (0, 2):
        ops = [c for c in relax if c.qubits[0] == q[k]]
        out = apply(ops, plus_excited, [q[k]])
        t1, t2 = p.t1[k], min(p.t2[k], 2 * p.t1[k])
        assert out[1, 1].real == pytest.approx(0.5 * math.exp(-t / t1), rel=1e-9)
        assert abs(out[0, 1]) == pytest.approx(0.5 * math.exp(-t / t2), rel=1e-9)


def test_noisy_moment_order_readout_and_ionq_numbers():
    s = spec("ionq-aria")
    p = noise_params(s)
    model = noise_model(s)
    circuit = cirq.Circuit(
        GPI2Gate(0.1)(q[0]), MSGate(0, 0)(q[0], q[3]), cirq.measure(q[0], q[3], key="m")
    )
    noisy = circuit.with_noise(model)
    kinds = [type(op.gate).__name__ for op in noisy.all_operations()]
    # gate, depolarizing, amplitude damping, phase damping; ...; bit flips, then the measurement
    assert kinds[:4] == [
        "GPI2Gate",
        "DepolarizingChannel",
        "AmplitudeDampingChannel",
        "PhaseDampingChannel",
    ]
    assert kinds[-3:] == ["BitFlipChannel", "BitFlipChannel", "MeasurementGate"]
    dep = [
        op.gate for op in noisy.all_operations() if isinstance(op.gate, cirq.DepolarizingChannel)
    ]
    assert dep[0].p == pytest.approx(0.75 * p.lambda_1q[0])
    assert dep[1].p == pytest.approx(15 / 16 * p.lambda_2q[(0, 3)])
    flips = [op.gate.p for op in noisy.all_operations() if isinstance(op.gate, cirq.BitFlipChannel)]
    assert flips == [pytest.approx(0.0039)] * 2


def _average_infidelity(model: QlabNoiseModel, op: cirq.Operation) -> float:
    """1 - average gate fidelity of the noise that follows ``op`` (Kraus operators composed)."""
    dep, relax = model.gate_channels(op)
    qubits = list(op.qubits)
    d = 2 ** len(qubits)
    kraus = [np.eye(d)]
    for channel in dep + relax:
        ks = cirq.kraus(channel.gate)
        if len(channel.qubits) < len(qubits):  # lift a one-qubit channel to the pair
            first = qubits.index(channel.qubits[0]) == 0
            ks = [np.kron(k, np.eye(2)) if first else np.kron(np.eye(2), k) for k in ks]
        kraus = [b @ a for a in kraus for b in ks]
    process = sum(abs(np.trace(k)) ** 2 for k in kraus) / d**2
    return 1 - (d * process + 1) / (d + 1)


@pytest.mark.parametrize("name", ["ionq-aria", "ionq-forte"])
def test_ionq_gate_noise_totals_the_published_infidelity(name):
    """noise.py: for IonQ, depolarizing and relaxation *together* give the published infidelity."""
    s = spec(name)
    model = QlabNoiseModel(s)
    assert _average_infidelity(model, cirq.X(q[0])) == pytest.approx(s.error_1q()[0], rel=0.01)
    assert _average_infidelity(model, cirq.CZ(q[0], q[1])) == pytest.approx(
        s.error_2q()[(0, 1)], rel=0.01
    )


def test_iqm_gate_noise_is_the_published_lambda_plus_relaxation():
    """IQM's lambdas are used as given, relaxation on top: check the total against the formula
    r = lambda (d-1)/d composed with the relaxation's own infidelity (to first order)."""
    s = spec("iqm-spark")
    model = QlabNoiseModel(s)
    p = model.params
    r_relax = 1 - relaxation_fidelity(p.t1[1], min(p.t2[1], 2 * p.t1[1]), p.duration_1q)
    expected = s.depolarizing_1q()[1] / 2 + r_relax
    assert _average_infidelity(model, cirq.X(q[1])) == pytest.approx(expected, rel=0.01)


def test_uncoupled_pair_in_a_noisy_circuit_is_named():
    with pytest.raises(UncoupledQubitsError, match=r"\(0, 1\) = QB1–QB2.*\(2, 4\) = QB3–QB5"):
        cirq.Circuit(cirq.CZ(q[0], q[1])).with_noise(noise_model(spec("iqm-spark")))


@pytest.mark.parametrize("micros", [3.0, 40.0])
def test_a_wait_relaxes_its_qubit_for_as_long_as_it_lasts(micros):
    """A cirq.WaitGate of t is amplitude damping 1 - exp(-t/T1) and the dephasing that brings
    coherence to exp(-t/T2): |1> decays to P1 = exp(-t/T1), |+> keeps 2|rho01| = exp(-t/T2)."""
    s = spec("iqm-spark")
    p = noise_params(s)
    model = noise_model(s)
    wait = cirq.WaitGate(cirq.Duration(micros=micros)).on(q[3])
    channels = model.noisy_operation(wait)[1:]
    t, t1, t2 = micros * 1e-6, p.t1[3], p.t2[3]
    one = apply(channels, np.diag([0.0, 1.0]).astype(complex), [q[3]])
    plus = apply(channels, np.full((2, 2), 0.5, dtype=complex), [q[3]])
    assert one[1, 1].real == pytest.approx(math.exp(-t / t1), rel=1e-9)
    assert 2 * abs(plus[0, 1]) == pytest.approx(math.exp(-t / t2), rel=1e-9)
    assert noise_model(spec("ideal")).noisy_operation(wait) == wait  # the ideal device: nothing


def test_noisy_ghz5_on_the_star_matches_devices_md():
    """devices.md measured P(00000)+P(11111) about 0.73 for the chain GHZ-5 transpiled by Qiskit
    to the star with these figures. Cirq's compilation places and decomposes differently (same
    SWAP and CZ counts, other one-qubit gates and qubits), so the exact value may differ by a few
    percent: the tolerance is 0.04. The value is exact (density matrix), no sampling error."""
    s = spec("iqm-spark")
    compiled = compile_circuit(GHZ_CHAIN, s, seed=1)
    _, probs = measured_probabilities(compiled, noise_model(s))
    good = probs[0] + probs[-1]
    assert good == pytest.approx(0.73, abs=0.04)
    _, ideal = measured_probabilities(compiled)
    assert ideal[0] + ideal[-1] == pytest.approx(1.0)


def test_qsim_trajectories_agree_with_the_density_matrix():
    """Sampled with qsim (trajectories, seed 7, 4000 shots): the GHZ fraction is within 4 standard
    errors (sqrt(p(1-p)/4000) ~ 0.0073, so 0.03) of the exact value; a false failure has
    probability below 1e-4."""
    import qsimcirq

    s = spec("iqm-spark")
    compiled = compile_circuit(GHZ_CHAIN, s, seed=1)
    model = noise_model(s)
    _, probs = measured_probabilities(compiled, model)
    exact = probs[0] + probs[-1]
    result = qsimcirq.QSimSimulator(seed=7).run(compiled.with_noise(model), repetitions=4000)
    bits = result.measurements["m"]
    assert bits.shape == (4000, 5)
    frac = np.mean(np.all(bits == 0, axis=1) | np.all(bits == 1, axis=1))
    assert frac == pytest.approx(exact, abs=0.03)
