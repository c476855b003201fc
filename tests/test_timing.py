"""Time on the device: the schedule, idle relaxation, delays in every unit, resets, and the same
timed program from Qiskit and from Cirq.

Exact values come from qlab.execution.exact (Aer's density matrix of the very program qlab.run
samples), so most assertions here are exact to 1e-9; sampled ones state their band.
"""

from __future__ import annotations

import math

import cirq
import pytest
from qiskit import QuantumCircuit

import qlab
from qlab import simulate
from qlab.execution.convert import CIRQ, QISKIT
from qlab.execution.exact import exact_distribution
from qlab.execution.program import native_program
from qlab.hardware.timing import Step, schedule

DEVICES = ["ideal", "ionq-aria", "ionq-forte", "iqm-spark"]


def ghz(n: int, shape: str) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for k in range(1, n):
        qc.cx(k - 1 if shape == "chain" else 0, k)
    qc.measure_all()
    return qc


def good(dist: dict[str, float], n: int = 5) -> float:
    return dist.get("0" * n, 0.0) + dist.get("1" * n, 0.0)


def test_asap_schedule_and_a_common_final_readout():
    """q0 runs a 1q gate, then a 2q gate with q1, then q1 a 1q gate: q0 waits 40 ns before the
    final readout, q1 not at all; a barrier lines its qubits up; a delay is time the qubit waits."""
    steps = [
        Step((0,), 40e-9), Step((0, 1), 80e-9), Step((1,), 40e-9),
        Step((0,), 0.0, "measure", terminal=True), Step((1,), 0.0, "measure", terminal=True),
    ]  # fmt: skip
    s = schedule(steps)
    assert s.starts == pytest.approx([0, 40e-9, 120e-9, 160e-9, 160e-9])
    assert [(w.qubit, round(w.seconds * 1e9), w.before) for w in s.waits] == [(0, 40, 3)]
    s = schedule([Step((0,), 40e-9), Step((0, 1), 0.0, "barrier"), Step((1,), 1e-6, "delay")])
    assert s.end == pytest.approx(1.04e-6)
    assert s.waits == []  # q1 had not started before the barrier: it was in |0>, nothing to decay


def test_the_leaves_of_the_star_wait_for_the_chain_and_decay():
    """GHZ-5 as a chain on the star costs a SWAP and keeps the leaves waiting: with idle noise it
    loses about 0.054 of P(00000)+P(11111) against 0.022 for the fan-out (exact values)."""
    chain = {idle: good(exact_distribution(ghz(5, "chain"), "iqm-spark", idle_noise=idle)) for idle in (True, False)}
    fan = {idle: good(exact_distribution(ghz(5, "fan-out"), "iqm-spark", idle_noise=idle)) for idle in (True, False)}
    assert chain[False] - chain[True] == pytest.approx(0.054, abs=0.005)
    assert fan[False] - fan[True] == pytest.approx(0.022, abs=0.005)
    assert fan[True] - chain[True] > fan[False] - chain[False] + 0.02  # idle time widens the gap
    program = native_program(ghz(5, "chain"), QISKIT, qlab.device("iqm-spark").spec)
    waits = [i for i in program.circuit.data if i.operation.name == "delay"]
    assert len(waits) >= 3 and all(i.operation.unit == "s" for i in waits)


def t1_circuit(seconds: float, value: float, unit: str, qubit: int = 3) -> QuantumCircuit:
    qc = QuantumCircuit(qubit + 1, 1)
    qc.x(qubit)
    qc.delay(value, qubit, unit=unit)
    qc.measure(qubit, 0)
    return qc


@pytest.mark.parametrize("device", DEVICES)
def test_delay_in_every_unit_runs_on_every_device_and_means_the_same(device):
    seconds = 20e-6
    units = {"s": seconds, "ms": seconds * 1e3, "us": seconds * 1e6, "ns": seconds * 1e9, "dt": seconds / 1e-9}
    dists = [exact_distribution(t1_circuit(seconds, v, u), device) for u, v in units.items()]
    for d in dists[1:]:
        assert d.keys() == dists[0].keys()
        for k in d:
            assert d[k] == pytest.approx(dists[0][k], abs=1e-12)
    counts = qlab.run(t1_circuit(seconds, 20, "us"), device, shots=200, seed=3)
    assert sum(counts.values()) == 200


def test_a_t1_experiment_with_delay_decays_as_exp_minus_t_over_t1():
    """On QB4 (T1 = 40 us, no depolarizing, readout 0.021): P(read 1) after X and a delay t is
    (1-r) P1 + r (1-P1) with P1 = exp(-(t + 40 ns)/T1), the 40 ns being the X pulse itself.
    Without idle noise the delay costs nothing (the simpler model lessons compare against)."""
    spec = qlab.device("iqm-spark").spec
    t1, r = spec.t1()[3], spec.readout_error()[3]
    for micros in (0, 10, 40, 80):
        p1 = math.exp(-(micros * 1e-6 + 40e-9) / t1)
        want = (1 - r) * p1 + r * (1 - p1)
        got = exact_distribution(t1_circuit(0, micros, "us"), "iqm-spark").get("1", 0.0)
        assert got == pytest.approx(want, abs=1e-9)
        flat = exact_distribution(t1_circuit(0, micros, "us"), "iqm-spark", idle_noise=False)
        assert flat.get("1", 0.0) == pytest.approx((1 - r) * math.exp(-40e-9 / t1) + r * (1 - math.exp(-40e-9 / t1)), abs=1e-9)
    # sampled: 4000 shots at t = T1; binomial 1e-6 band around the exact value (about +-0.04)
    from scipy.stats import binom

    p = exact_distribution(t1_circuit(0, 40, "us"), "iqm-spark")["1"]
    hits = qlab.run(t1_circuit(0, 40, "us"), "iqm-spark", shots=4000, seed=17).get("1", 0)
    lo, hi = binom.interval(1 - 1e-6, 4000, p)
    assert lo <= hits <= hi
    assert simulate.last_run["idle_noise"] is True


@pytest.mark.parametrize("device", DEVICES)
def test_reset_works_on_every_device(device):
    """X then reset leaves |0>: only the readout error can show a 1."""
    qc = QuantumCircuit(1, 1)
    qc.x(0)
    qc.reset(0)
    qc.measure(0, 0)
    spec = qlab.device(device).spec
    readout = spec.readout_error()[0] if not spec.noiseless else 0.0
    dist = exact_distribution(qc, device)
    assert dist.get("1", 0.0) == pytest.approx(readout, abs=1e-9)
    assert sum(qlab.run(qc, device, shots=100, seed=1).values()) == 100
    c = cirq.LineQubit(0)
    assert sum(qlab.run(cirq.Circuit(cirq.X(c), cirq.reset(c), cirq.measure(c, key="m")), device,
                        shots=100, seed=1).values()) == 100  # fmt: skip


def test_qiskit_and_cirq_get_the_same_timed_program():
    """The same GHZ-5 chain and a Cirq wait: the same native gates on the same qubits, the same
    waits, so the same noise (and the same exact distribution)."""
    spec = qlab.device("iqm-spark").spec
    q = cirq.LineQubit.range(5)
    cc = cirq.Circuit(cirq.H(q[0]), [cirq.CNOT(q[i], q[i + 1]) for i in range(4)],
                      cirq.WaitGate(cirq.Duration(micros=2)).on(q[4]), cirq.measure(*q, key="m"))  # fmt: skip
    qc = ghz(5, "chain").remove_final_measurements(inplace=False)
    qc.delay(2, 4, unit="us")
    qc.measure_all()
    a = native_program(qc, QISKIT, spec).circuit
    b = native_program(cc, CIRQ, spec, plan=[("m", [0, 1, 2, 3, 4])]).circuit

    def ops(circuit):
        return [(i.operation.name, tuple(circuit.find_bit(x).index for x in i.qubits),
                 tuple(round(float(p), 9) for p in i.operation.params))
                for i in circuit.data if i.operation.name not in ("barrier", "measure")]  # fmt: skip

    assert ops(a) == ops(b)
    da, db = exact_distribution(qc, spec), exact_distribution(cc, spec)
    assert da.keys() == db.keys() and all(da[k] == pytest.approx(db[k], abs=1e-12) for k in da)


def test_no_idle_model_is_an_option_everywhere():
    backend = qlab.device("iqm-spark").qiskit_backend()
    out = qlab.transpile(ghz(5, "chain"), "iqm-spark")
    with_idle = backend.run(out, shots=2000, seed_simulator=5).result().get_counts()
    without = backend.run(out, shots=2000, seed_simulator=5, idle_noise=False).result().get_counts()
    assert with_idle != without
    qlab.run(ghz(5, "chain"), "iqm-spark", shots=10, seed=1, idle_noise=False)
    assert simulate.last_run["idle_noise"] is False
    with pytest.raises(qlab.errors.BadOptionError, match="idle_noise must be True"):
        qlab.run(ghz(2, "chain"), "iqm-spark", idle_noise="no")
