"""qlab.run: statistics users rely on, engine choice, and a specific error for each bad input."""

from __future__ import annotations

import math

import cirq
import numpy as np
import pytest
from qiskit import QuantumCircuit

import qlab
from qlab import engines, simulate
from qlab.errors import (
    BadOptionError,
    BadShotsError,
    CircuitTooWideError,
    NotACircuitError,
    QlabError,
    TooMuchMemoryError,
    UnknownDeviceError,
    UnknownMethodError,
    UnsupportedCircuitError,
)


def ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.measure_all()
    return qc


def cirq_ghz(n: int) -> cirq.Circuit:
    q = cirq.LineQubit.range(n)
    return cirq.Circuit(cirq.H(q[0]), *(cirq.CNOT(q[i], q[i + 1]) for i in range(n - 1)), cirq.measure(*q, key="m"))


def random_circuit(n: int, depth: int, seed: int) -> QuantumCircuit:
    rng = np.random.default_rng(seed)
    qc = QuantumCircuit(n)
    for _ in range(depth):
        for q in range(n):
            qc.rx(rng.uniform(0, 2 * math.pi), q)
            qc.rz(rng.uniform(0, 2 * math.pi), q)
        perm = rng.permutation(n)
        for a, b in zip(perm[::2], perm[1::2], strict=False):
            qc.cx(int(a), int(b))
    qc.measure_all()
    return qc


# ---- statistics -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["auto", "qsim", "statevector", "matrix_product_state", "stabilizer"])
@pytest.mark.parametrize("make", [ghz, cirq_ghz])
def test_ideal_ghz_is_half_and_half(method: str, make) -> None:
    shots = 4000
    counts = qlab.run(make(5), shots=shots, seed=2024, method=method)
    assert set(counts) == {"00000", "11111"}
    # Binomial(4000, 1/2): sd = sqrt(4000)/2 = 31.6; 4.5 sd (142 shots) fails ~7 in a million runs
    assert abs(counts["00000"] - shots / 2) <= 4.5 * math.sqrt(shots) / 2


def test_seed_makes_runs_reproducible_and_unseeded_runs_vary() -> None:
    qc = random_circuit(4, 3, seed=5)
    for device in ("ideal", "iqm-spark"):
        assert qlab.run(qc, device, shots=300, seed=9) == qlab.run(qc, device, shots=300, seed=9)
    # 16 outcomes, 300 shots: two unseeded runs coincide with negligible probability
    assert qlab.run(qc, shots=300) != qlab.run(qc, shots=300)


def test_noisy_ghz36_on_forte_runs_and_stays_mostly_ghz() -> None:
    counts = qlab.run(ghz(36), "ionq-forte", shots=300, seed=36)
    # Clifford after compilation: shared trajectories on stim's tableau (no state vector)
    assert simulate.last_run["method"] == "trajectories" and simulate.last_run["simulator"] == "stim"
    assert sum(counts.values()) == 300
    top = sorted(counts, key=counts.get, reverse=True)[:2]
    assert set(top) == {"0" * 36, "1" * 36}
    # 35 ZZ gates at 0.46 % and 36 readouts at 0.39 %: about 0.70 of shots are all-0 or all-1;
    # require 0.55 (Binomial(300, 0.7) falls below 165 with probability < 1e-7)
    assert counts["0" * 36] + counts["1" * 36] >= 165


def test_noise_false_runs_the_circuit_as_given() -> None:
    counts = qlab.run(ghz(3), "iqm-spark", shots=500, seed=1, noise=False)
    assert set(counts) == {"000", "111"}
    assert simulate.last_run["noisy"] is False


# ---- engine choice ------------------------------------------------------------------------------


def _rotated_chain(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    for q in range(n):
        qc.ry(0.3 + 0.1 * q, q)
    for q in range(n - 1):
        qc.cx(q, q + 1)
        qc.rz(0.2, q + 1)
    qc.measure_all()
    return qc


def test_auto_choices() -> None:
    """The plan's choice for each kind of circuit (qlab.explain_run plans without simulating;
    one run per kind checks that the run does what the plan says)."""
    cases = [
        (ghz(5), "iqm-spark", True, "density_matrix"),  # noisy and small: exact
        (ghz(30), "ideal", True, "stim"),  # ideal Clifford, wide
        (random_circuit(8, 2, 1), "ideal", True, "statevector"),  # small: Aer starts faster
        (random_circuit(16, 2, 1), "ideal", True, "qsim"),  # wide: qsim's fusion wins
        (ghz(12), "ionq-aria", True, "trajectories"),  # noisy, too wide for a density matrix
        # noisy, wide, little entanglement: a GHZ is Clifford, so its Pauli errors cost the shared
        # trajectories nothing (Pauli frame); rotations between the CXs make MPS the faster
        (ghz(20), "ionq-aria", True, "trajectories"),
        (_rotated_chain(24), "ionq-aria", True, "matrix_product_state"),
        # Clifford after compilation: stim's tableau, whatever the width (no state vector)
        (ghz(36), "ionq-forte", True, "trajectories"),
        (random_circuit(14, 4, 3), "ionq-aria", True, "trajectories"),  # noisy and entangled
        (ghz(3), "ionq-aria", False, "statevector"),
    ]
    for circuit, device, noise, expected in cases:
        explained = qlab.explain_run(circuit, device, shots=10, seed=1, noise=noise)
        assert explained.method == expected, (device, expected, explained)
        assert explained.chosen and explained.why and explained.seconds >= 0 and explained.memory > 0
    for circuit, device, noise, expected in cases[:5]:
        qlab.run(circuit, device, shots=10, seed=1, noise=noise)
        assert simulate.last_run["method"] == expected, (device, expected, simulate.last_run)


def test_memory_estimate_and_mps_bound() -> None:
    info = engines.info_qiskit(ghz(36))
    assert engines.mps_bond_bits(info) == [1] * 35  # a chain GHZ never needs more than bond 2
    assert engines.memory_needed(info, "statevector") >= 16 * 2**36
    assert engines.memory_needed(info, "matrix_product_state") < 2**24
    assert engines.choose_method(info, noisy=True) == "matrix_product_state"
    assert engines.choose_method(info, noisy=False) == "stim"
    star = QuantumCircuit(36)
    star.h(0)
    for k in range(1, 36):
        star.cx(0, k)  # a fan-out from one control is one controlled operator across each cut
    assert engines.mps_bond_bits(engines.info_qiskit(star)) == [1] * 35
    native = qlab.transpile(star, "ionq-forte", seed=1)  # ZZ gates from one ion: still bond 2
    assert engines.mps_bond_bits(engines.info_qiskit(native)) == [1] * 35
    assert max(engines.mps_bond_bits(engines.info_qiskit(random_circuit(36, 6, seed=2)))) >= 12


def test_too_much_memory_is_refused_before_allocating_and_names_qubits_and_bytes() -> None:
    wide = random_circuit(34, 6, seed=3)  # 34 qubits, every cut crossed by many CX gates
    with pytest.raises(TooMuchMemoryError) as err:
        qlab.run(wide, shots=10, seed=1)
    text = str(err.value)
    assert "34 qubits" in text and "128.0 GiB" in text  # 2**34 amplitudes of 8 bytes (qsim)
    with pytest.raises(TooMuchMemoryError, match=r"20 qubits.*16\.0 TiB.*2\.0 GiB free"):
        engines.check_memory(engines.info_qiskit(random_circuit(20, 2, 1)), "density_matrix", available=2 * 2**30)


def test_forced_methods_that_cannot_work_say_why() -> None:
    with pytest.raises(UnsupportedCircuitError, match="Clifford"):
        qlab.run(random_circuit(3, 1, 1), shots=10, method="stabilizer")
    qc = QuantumCircuit(1, 1)
    qc.h(0)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(0)
    with pytest.raises(UnsupportedCircuitError, match="qsim"):
        qlab.run(qc, shots=10, method="qsim")
    assert sum(qlab.run(qc, shots=10, seed=1).values()) == 10  # auto keeps it on Aer


# ---- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("shots", [0, -5, 2.5, "100", True, None, 10**9])
def test_bad_shots(shots) -> None:
    with pytest.raises(BadShotsError, match="shots must be a whole number from 1 to 10,000,000"):
        qlab.run(ghz(2), shots=shots)


def test_each_bad_input_gets_its_own_error() -> None:
    with pytest.raises(NotACircuitError, match="QuantumCircuit or a cirq.Circuit"):
        qlab.run("OPENQASM 2.0;")
    with pytest.raises(UnknownDeviceError, match="ionq-aria"):
        qlab.run(ghz(2), "ionq-ariaa")
    with pytest.raises(CircuitTooWideError, match="6 qubits.*'iqm-spark' has 5"):
        qlab.run(QuantumCircuit(6), "iqm-spark")
    with pytest.raises(CircuitTooWideError, match="37 qubits"):
        qlab.run(cirq_ghz(37))
    with pytest.raises(UnknownMethodError, match="matrix_product_state"):
        qlab.run(ghz(2), method="mps")
    with pytest.raises(BadOptionError, match="seed"):
        qlab.run(ghz(2), seed="seven")
    with pytest.raises(BadOptionError, match="noise"):
        qlab.run(ghz(2), noise="yes")


def test_errors_speak_korean(monkeypatch) -> None:
    monkeypatch.setenv("QLAB_LANG", "ko")
    with pytest.raises(BadShotsError, match="정수"):
        qlab.run(ghz(2), shots=0)


def test_engine_failures_are_qlab_errors_not_aer_tracebacks() -> None:
    qc = QuantumCircuit(2)
    qc.initialize([0, 1, 0, 0], [0, 1])  # a non-unitary instruction qsim cannot take
    qc.measure_all()
    with pytest.raises(QlabError):
        qlab.run(qc, shots=10, method="qsim")
    assert qlab.run(qc, shots=10, seed=1) == {"01": 10}


def test_cirq_feed_forward_runs_on_cirqs_own_simulator_and_noisy_devices_say_why_not() -> None:
    """Measure qubit 0, then flip qubit 1 only if it read 1: the two bits always agree.
    Seed 1, 400 shots; '00' vs '11' balance within 5 sd of Binomial(400, 1/2) (sd = 10)."""
    import cirq

    from qlab.errors import UnsupportedCircuitError

    q = cirq.LineQubit.range(2)
    c = cirq.Circuit(
        cirq.H(q[0]),
        cirq.measure(q[0], key="a"),
        cirq.X(q[1]).with_classical_controls("a"),
        cirq.measure(q[1], key="b"),
    )
    counts = qlab.run(c, "ideal", shots=400, seed=1)
    assert set(counts) == {"00", "11"} and abs(counts["00"] - 200) <= 50
    assert qlab.simulate.last_run["method"] == "cirq"
    assert qlab.run(c, "iqm-spark", shots=400, seed=1, noise=False) == counts
    with pytest.raises(UnsupportedCircuitError, match="feed-forward.*'ideal'"):
        qlab.run(c, "iqm-spark", shots=100, seed=1)
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.measure(0, 0)
    with qc.if_test((qc.clbits[0], 1)):
        qc.x(1)
    qc.measure(1, 1)
    with pytest.raises(UnsupportedCircuitError, match="deferred-measurement"):
        qlab.run(qc, "ionq-aria", shots=100, seed=1)


def test_strict_run_keeps_every_gate_so_a_qubit_decays_along_an_identity_chain() -> None:
    """100 PRX(2 pi) gates on QB4 (T1 = 40 us, 40 ns each: 4 us of relaxation) after X.
    Transpiling would delete them; strict=True runs them. P(1) ~ exp(-4/40) * (1 - readout 0.021)
    ~ 0.886 against ~0.98 without the chain. 4000 shots, seed 3: sd ~ 0.005, bounds at 6 sd."""
    from qiskit.circuit.library import RGate

    from qlab.errors import NotNativeError

    qc = QuantumCircuit(5, 1)
    qc.append(RGate(3.141592653589793, 0), [3])  # X as a native PRX
    for _ in range(100):
        qc.append(RGate(2 * 3.141592653589793, 0), [3])
    qc.measure(3, 0)
    chain = qlab.run(qc, "iqm-spark", shots=4000, seed=3, strict=True)
    short = qlab.run(qc, "iqm-spark", shots=4000, seed=3)  # transpiled: the chain is gone
    p_chain, p_short = chain.get("1", 0) / 4000, short.get("1", 0) / 4000
    assert abs(p_chain - 0.886) < 0.03, p_chain
    assert p_short > 0.95 and p_short - p_chain > 0.05
    not_native = QuantumCircuit(5)
    not_native.h(0)
    with pytest.raises(NotNativeError, match="'h'"):
        qlab.run(not_native, "iqm-spark", strict=True)


def test_library_gates_run_on_every_aer_method() -> None:
    """Phase estimation of T (phase 1/8) with an inverse QFTGate: always '001' on an ideal device,
    whichever engine runs it (the QFTGate must be lowered for Aer, not rejected)."""
    import numpy as np
    from qiskit.circuit.library import QFTGate

    qc = QuantumCircuit(4, 3)
    qc.x(3)
    qc.h(range(3))
    for j in range(3):
        qc.cp(2**j * np.pi / 4, j, 3)
    qc.append(QFTGate(3).inverse(), range(3))
    qc.measure(range(3), range(3))
    for method in ("auto", "statevector", "density_matrix", "matrix_product_state", "qsim"):
        assert qlab.run(qc, "ideal", shots=50, seed=5, method=method) == {"001": 50}, method


# ---- every engine gets the device's noise; the device may be given in any of its forms ----------


def test_method_cirq_applies_the_device_noise() -> None:
    """Cirq's own simulator on a noisy device samples the same noise as the density matrix:
    P(00000)+P(11111) of a GHZ-5 chain on the star within 0.05 of the exact 0.666 (1000 shots,
    seed 4: the binomial sd is 0.015, so 0.05 is over 3 sd); an ideal run would give 1.0."""
    import cirq

    from qlab.execution.exact import exact_distribution

    q = cirq.LineQubit.range(5)
    c = cirq.Circuit(cirq.H(q[0]), [cirq.CNOT(q[i], q[i + 1]) for i in range(4)], cirq.measure(*q, key="m"))
    exact = exact_distribution(c, "iqm-spark")
    p = exact["00000"] + exact["11111"]
    counts = qlab.run(c, "iqm-spark", shots=1000, seed=4, method="cirq")
    ran = {k: simulate.last_run[k] for k in ("method", "noisy", "qubits", "device", "idle_noise")}
    assert ran == {"method": "cirq", "noisy": True, "qubits": 5, "device": "iqm-spark", "idle_noise": True}
    assert abs((counts.get("00000", 0) + counts.get("11111", 0)) / 1000 - p) < 0.05
    assert p < 0.75


def test_a_free_parameter_gets_a_qlab_message() -> None:
    import cirq
    import sympy
    from qiskit.circuit import Parameter

    from qlab.errors import NotNativeError

    qc = QuantumCircuit(1)
    qc.rx(Parameter("theta"), 0)
    qc.measure_all()
    for device in ("ideal", "iqm-spark"):
        with pytest.raises(NotNativeError, match=r"'rx'.*\(theta\).*assign_parameters"):
            qlab.run(qc, device, shots=10)
    c = cirq.Circuit(cirq.rx(sympy.Symbol("a"))(cirq.LineQubit(0)), cirq.measure(cirq.LineQubit(0), key="m"))
    with pytest.raises(NotNativeError, match=r"\(a\).*cirq.resolve_parameters"):
        qlab.run(c, "ionq-aria", shots=10)


@pytest.mark.parametrize("seed", [-1, 2**32, 2**63])
def test_a_seed_out_of_range_gets_a_qlab_message(seed) -> None:
    with pytest.raises(BadOptionError, match="0 to 4,294,967,295"):
        qlab.run(ghz(2), "iqm-spark", shots=10, seed=seed)
    assert sum(qlab.run(ghz(2), "iqm-spark", shots=10, seed=2**32 - 1).values()) == 10


def test_the_device_may_be_its_backend_or_its_cirq_device() -> None:
    import cirq

    spark = qlab.device("iqm-spark")
    by_name = qlab.run(ghz(3), "iqm-spark", shots=300, seed=8)
    assert qlab.run(ghz(3), spark.qiskit_backend(), shots=300, seed=8) == by_name
    assert qlab.run(ghz(3), spark.cirq_device(), shots=300, seed=8) == by_name
    assert qlab.transpile(ghz(3), spark.cirq_device(), seed=1) == qlab.transpile(ghz(3), spark, seed=1)
    assert qlab.device(spark.qiskit_backend()) is spark
    q = cirq.LineQubit.range(2)
    bell = cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.measure(*q, key="m"))
    assert qlab.run(bell, spark.qiskit_backend(), shots=100, seed=1) == qlab.run(bell, spark, shots=100, seed=1)
