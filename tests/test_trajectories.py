"""Shared trajectories (qlab/execution/trajectories.py) sample the device's noisy distribution.

Each test compares counts with the exact distribution of the same native program and the same
noise, computed by Aer's density matrix, with a chi-square test: the statistic over outcomes
expected at least 5 times, against the 99.99th percentile of the chi-square law (a correct sampler
fails one run in 10,000). Seeds are fixed and named. Noise is made strong (2-30 times the
device's) so that resets, Paulis on one and on two qubits, readout flips and idle relaxation all
happen often.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from _stats import chi_square, chi_square_limit
from qiskit import QuantumCircuit

import qlab
from qlab import simulate
from qlab.execution import qsim_direct, trajectories
from qlab.execution.convert import QISKIT, bits_to_counts
from qlab.execution.exact import exact_distribution
from qlab.execution.program import native_program
from qlab.hardware import library
from qlab.hardware.noise import noise_params


def _stronger(params, factor_lambda: float, factor_time: float):
    return dataclasses.replace(
        params,
        lambda_1q=tuple(min(1.0, x * factor_lambda) for x in params.lambda_1q),
        lambda_2q={k: min(1.0, v * factor_lambda) for k, v in params.lambda_2q.items()},
        t1=tuple(x / factor_time for x in params.t1),
        t2=tuple(x / factor_time for x in params.t2),
        readout=tuple(min(0.5, 5 * x) for x in params.readout),
    )


def _exact(native: QuantumCircuit, spec, params) -> dict[str, float]:
    """The same channels on Aer's density matrix (the qubits in use only), readout flips applied
    exactly."""
    from qiskit_aer import AerSimulator

    from qlab.execution.exact import _with_readout
    from qlab.qiskit_side.aer import build_noise_model, to_aer_circuit

    reads = {native.find_bit(i.clbits[0]).index: native.find_bit(i.qubits[0]).index
             for i in native.data if i.operation.name == "measure"}  # fmt: skip
    body = native.copy_empty_like()
    for inst in native.data:
        if inst.operation.name != "measure":
            body._append(inst)
    order = sorted(set(reads.values()))
    noisy = to_aer_circuit(body, params, spec)
    noisy.save_probabilities(order, label="p")
    sim = AerSimulator(method="density_matrix", noise_model=build_noise_model(spec, params))
    probs = np.asarray(sim.run(noisy, shots=1).result().data(0)["p"], dtype=float)
    probs = _with_readout(probs, [params.readout[q] for q in order])
    position = {q: j for j, q in enumerate(order)}
    out: dict[str, float] = {}
    for index, p in enumerate(probs):
        bits = ["0"] * native.num_clbits
        for clbit, q in reads.items():
            bits[native.num_clbits - 1 - clbit] = "1" if (index >> position[q]) & 1 else "0"
        key = "".join(bits)
        out[key] = out.get(key, 0.0) + float(p)
    return out


def _chi_square(counts: dict[str, int], exact: dict[str, float], shots: int, inflate: float = 1.0) -> tuple[float, float]:
    stat, dof = chi_square(counts, exact, shots)
    return stat / inflate, chi_square_limit(dof)


def _program(circuit: QuantumCircuit, device: str, lam: float, time: float):
    spec = library.resolve(device)
    native = native_program(circuit, QISKIT, spec, seed=1).circuit
    params = _stronger(noise_params(spec), lam, time)
    lowered = qsim_direct.lower(native)
    return native, spec, params, trajectories.noisy_program(lowered, params)


@pytest.mark.parametrize(
    ("device", "lam", "time", "seed"),
    [("iqm-spark", 2.0, 3.0, 11), ("ionq-aria", 30.0, 2000.0, 12)],
)
def test_shared_trajectories_match_the_density_matrix(device: str, lam: float, time: float, seed: int) -> None:
    """A 3-qubit entangling circuit: resets (T1/3 on IQM, T1/2000 on IonQ), Paulis, readout."""
    qc = QuantumCircuit(3)
    qc.h(0)
    qc.cx(0, 1)
    qc.ry(0.7, 2)
    qc.cx(1, 2)
    qc.rz(0.4, 0)
    qc.measure_all()
    native, spec, params, program = _program(qc, device, lam, time)
    assert trajectories.applicable(params, program.lowered.physical)
    assert any(opt[1] == "R" for e in program.events for opt in e.options)  # resets happen
    shots = 4000
    counts = bits_to_counts(trajectories.run(program, shots, seed, 1))
    assert trajectories.last_draw["shots_per_trajectory"] == 1  # exact: nothing shared
    stat, limit = _chi_square(counts, _exact(native, spec, params), shots)
    assert stat < limit, (stat, limit, trajectories.last_draw)


@pytest.mark.parametrize("seed", [31, 32])
def test_frame_and_light_cone_match_the_density_matrix(seed: int) -> None:
    """Eight qubits: a Bell pair (Clifford: its Pauli errors go to the end as a frame, no
    simulation), then two rotated chains (an error in the first has a light cone of a few gates:
    simulated back from the ideal final state; one in the second, forward). Noise 10 times
    IonQ's gates', T1/20, 5000 shots (seeds 31, 32): all three ways are taken, and the counts
    match the density matrix."""
    qc = QuantumCircuit(8)
    qc.h(6)
    qc.cx(6, 7)
    for base in (0, 3):
        for q in range(base, base + 3):
            qc.ry(0.4 + 0.3 * q, q)
        qc.cx(base, base + 1)
        qc.cx(base + 1, base + 2)
        qc.rx(0.5, base + 2)
    qc.measure_all()
    native, spec, params, program = _program(qc, "ionq-aria", 10.0, 20.0)
    shots = 5000
    counts = bits_to_counts(trajectories.run(program, shots, seed, 1))
    drawn = trajectories.last_draw
    assert drawn["frame_shots"] > 0 and drawn["backward"] > 0, drawn
    assert drawn["trajectories"] - 1 > drawn["backward"], drawn  # some forward too
    stat, limit = _chi_square(counts, _exact(native, spec, params), shots)
    assert stat < limit, (stat, limit, drawn)


@pytest.mark.parametrize(("device", "lam", "time", "seed"), [("ionq-aria", 30.0, 2000.0, 51), ("iqm-spark", 2.0, 3.0, 52)])
def test_clifford_programs_on_the_tableau_match_the_density_matrix(device: str, lam: float, time: float,
                                                                   seed: int) -> None:  # fmt: skip
    """A Clifford circuit compiles to Clifford native gates: its patterns run on stim (Pauli
    frames to the end, resets as stim's reset channel), at any width. Strong noise (resets in
    most shots), 5000 shots (seeds 51, 52), against the density matrix."""
    qc = QuantumCircuit(4)
    qc.h(0)
    qc.cx(0, 1)
    qc.s(1)
    qc.h(2)
    qc.cz(1, 2)
    qc.cx(2, 3)
    qc.x(0)
    qc.measure_all()
    native, spec, params, program = _program(qc, device, lam, time)
    assert trajectories.on_tableau(program)
    shots = 5000
    counts = bits_to_counts(trajectories.run(program, shots, seed, 1))
    drawn = trajectories.last_draw
    assert drawn["simulator"] == "stim" and drawn["trajectories"] > 10, drawn  # resets were simulated
    stat, limit = _chi_square(counts, _exact(native, spec, params), shots)
    assert stat < limit, (stat, limit, drawn)


def test_shared_beyond_the_budget_stays_unbiased(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the budget forced down to 4 error trajectories, shots with an error share them: the
    counts stay unbiased but shots of one trajectory are correlated. The chi-square statistic is
    divided by the most shots one trajectory carries (a bound on the variance's growth)."""
    monkeypatch.setattr(trajectories, "WORK_BUDGET", 1)
    qc = QuantumCircuit(2)
    qc.ry(0.7, 0)  # not Clifford: the state-vector path, where the budget applies
    qc.cx(0, 1)
    qc.measure_all()
    native, spec, params, program = _program(qc, "iqm-spark", 5.0, 10.0)
    assert not trajectories.on_tableau(program)
    shots = 5000
    counts = bits_to_counts(trajectories.run(program, shots, 21, 1))
    k = trajectories.last_draw["shots_per_trajectory"]
    assert trajectories.last_draw["trajectories"] == 1 + trajectories.MIN_ERROR_TRAJECTORIES and k > 1
    stat, limit = _chi_square(counts, _exact(native, spec, params), shots, inflate=k)
    assert stat < limit, (stat, limit, k)


def test_relaxation_with_t2_above_t1_is_not_drawn_ahead() -> None:
    params = noise_params(library.resolve("iqm-spark"))
    longer = dataclasses.replace(params, t2=tuple(1.5 * x for x in params.t1))
    assert trajectories.applicable(params, (0, 1, 2))
    assert not trajectories.applicable(longer, (0,))


def test_through_qlab_run_matches_the_exact_distribution() -> None:
    """The whole path (compile, waits, lowering, bit order) through qlab.run: a 10-qubit GHZ with
    an X on qubit 3 on ionq-aria, shared trajectories forced, 4000 shots (seed 3), against
    qlab's exact distribution (density matrix) by the chi-square test of this module."""
    qc = QuantumCircuit(10)
    qc.h(0)
    for k in range(9):
        qc.cx(k, k + 1)
    qc.x(3)
    qc.measure_all()
    shots = 4000
    counts = qlab.run(qc, "ionq-aria", shots=shots, seed=3, method="trajectories")
    assert simulate.last_run["method"] == "trajectories"
    assert simulate.last_run["trajectories"] < shots / 4  # most shots shared one simulation
    assert simulate.last_run["frame_shots"] > 0  # a GHZ is Clifford: Pauli errors go to the end
    exact = exact_distribution(qc, "ionq-aria", seed=3)
    stat, limit = _chi_square(counts, exact, shots)
    assert stat < limit, (stat, limit)


def test_direct_qsim_matches_qiskit_amplitudes() -> None:
    """qsim fed straight from Qiskit (no Cirq) gives Qiskit's amplitudes, up to float32 rounding:
    one-, two- and three-qubit gates, a matrix gate, IonQ gates, qubit order both ways."""
    from qiskit.circuit.library import UnitaryGate
    from qiskit.quantum_info import Statevector, random_unitary

    from qlab.qiskit_side.gates import GPI2Gate, GPIGate, MSGate

    qc = QuantumCircuit(5)
    qc.h(0)
    qc.u(0.3, 0.2, 0.1, 1)
    qc.cx(0, 3)
    qc.cp(0.4, 4, 1)
    qc.ccx(1, 3, 2)
    qc.swap(2, 4)
    qc.append(UnitaryGate(random_unitary(4, seed=5)), [4, 0])
    qc.append(GPIGate(0.1), [2])
    qc.append(GPI2Gate(0.3), [3])
    qc.append(MSGate(0.1, 0.2, 0.25), [3, 1])
    lowered = qsim_direct.lower(qc)
    state = qsim_direct.simulate(lowered.num_qubits, lowered.gates, None, 1)
    want = Statevector(qc).data  # little-endian: qubit 0 is bit 0; qsim's is Cirq's big-endian
    got = state.reshape([2] * 5).transpose(range(4, -1, -1)).reshape(-1)
    assert abs(abs(np.vdot(want, got)) - 1) < 1e-5


def test_direct_qsim_from_cirq_matches_cirq_amplitudes() -> None:
    """An ideal Cirq circuit lowered straight to qsim (no qsimcirq translation) gives Cirq's own
    final state up to float32 rounding: rotations, CZ to a power, FSim, a Toffoli, gaps in the
    qubits; and the bits go where the measurement plan says (qubit 2 and 0 into key "a")."""
    import cirq

    from qlab.execution.convert import cirq_measurement_plan

    q = [cirq.LineQubit(i) for i in (0, 1, 3, 4, 7, 9)]
    rng = np.random.default_rng(41)
    body = cirq.Circuit(
        [cirq.rx(float(rng.uniform(0, 6.3))).on(x) for x in q],
        cirq.CZ(q[0], q[4]) ** 0.3,
        cirq.FSimGate(0.2, 0.4).on(q[5], q[1]),
        cirq.CCX(q[1], q[3], q[2]),
        [cirq.ry(float(rng.uniform(0, 6.3))).on(x) for x in q],
    )
    lowered = qsim_direct.lower_cirq(body + cirq.measure(*q, key="m"),
                                     cirq_measurement_plan(body + cirq.measure(*q, key="m")))  # fmt: skip
    state = qsim_direct.simulate(lowered.num_qubits, lowered.gates, None, 1)
    want = cirq.final_state_vector(body, qubit_order=q)
    assert abs(abs(np.vdot(want, state)) - 1) < 1e-5
    x = cirq.LineQubit.range(4)
    bell = cirq.Circuit(cirq.H(x[0]), cirq.CNOT(x[0], x[2]), cirq.X(x[3]),
                        cirq.measure(x[2], x[0], key="a"), cirq.measure(x[3], key="b"))  # fmt: skip
    counts = qlab.run(bell, "ideal", shots=200, seed=4, method="qsim")
    assert set(counts) == {"100", "111"}  # b (qubit 3) always 1; qubits 2 and 0 agree
