"""The one engine plan: choices, estimates that refuse, explain_run, the content-keyed caches,
the machine calibration, stim for ideal Clifford circuits, progress lines. No timings are asserted
(benchmarks/performance.py measures speed); only what the plan decides and says."""

from __future__ import annotations

import io
import math
import time

import numpy as np
import pytest
from _stats import chi_square, chi_square_limit
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister

import qlab
from qlab import simulate
from qlab.errors import BadOptionError, RunTooLongError, UnsupportedCircuitError
from qlab.execution import calibrate, compiler, engines, progress


def random_circuit(n: int, depth: int, seed: int) -> QuantumCircuit:
    rng = np.random.default_rng(seed)
    qc = QuantumCircuit(n)
    for _ in range(depth):
        for q in range(n):
            qc.rx(float(rng.uniform(0, 2 * math.pi)), q)
            qc.rz(float(rng.uniform(0, 2 * math.pi)), q)
        perm = rng.permutation(n)
        for a, b in zip(perm[::2], perm[1::2], strict=False):
            qc.cx(int(a), int(b))
    qc.measure_all()
    return qc


def ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for k in range(n - 1):
        qc.cx(k, k + 1)
    qc.measure_all()
    return qc


# ---- refusing before it hurts -------------------------------------------------------------------


def test_a_30_qubit_noisy_run_is_refused_before_compiling_with_estimate_cause_and_options() -> None:
    circuit = random_circuit(30, 5, seed=30)
    cached = len(compiler._cache)
    with pytest.raises(RunTooLongError) as err:
        qlab.run(circuit, "ionq-forte", shots=1000, seed=1)
    text = str(err.value)
    assert "max_seconds=" in text and "30-qubit" in text and "shots=100" in text and "noise=False" in text
    assert len(compiler._cache) == cached  # refused before the compiler ran
    qlab.set_language("ko")
    try:
        with pytest.raises(RunTooLongError, match="max_seconds="):
            qlab.run(circuit, "ionq-forte", shots=1000, seed=1)
    finally:
        qlab.set_language("en")


def test_max_seconds_sets_the_limit_and_none_lifts_it() -> None:
    circuit = ghz(12)
    with pytest.raises(RunTooLongError, match="trajectories"):
        qlab.run(circuit, "ionq-aria", shots=1000, seed=1, max_seconds=1e-9)
    counts = qlab.run(circuit, "ionq-aria", shots=50, seed=1, max_seconds=None)
    assert sum(counts.values()) == 50
    for bad in (0, -1, "60", True, float("nan")):
        with pytest.raises(BadOptionError, match="max_seconds"):
            qlab.run(circuit, shots=10, max_seconds=bad)


def test_explain_run_says_engine_estimate_and_why_without_running() -> None:
    explained = qlab.explain_run(random_circuit(14, 4, seed=3), "ionq-aria", shots=1000, seed=1)
    assert explained.method == "trajectories" and explained.chosen and explained.noisy
    assert explained.qubits == 14 and explained.cores >= 1 and explained.memory >= 8 * 2**14
    assert 0 < explained.seconds < 60
    text = str(explained)
    assert "trajectories" in text and "Why:" in text and "share" in explained.why
    forced = qlab.explain_run(ghz(5), "iqm-spark", method="statevector")
    assert not forced.chosen and "statevector" in forced.why
    with pytest.raises(UnsupportedCircuitError, match="trajectories"):
        qlab.explain_run(ghz(5), "ideal", method="trajectories")  # ideal: nothing to draw
    with pytest.raises(UnsupportedCircuitError, match="Clifford"):
        qlab.explain_run(random_circuit(3, 1, 1), "ideal", method="stim")


def test_estimates_grow_with_the_work() -> None:
    small = engines.info_qiskit(random_circuit(16, 4, 1))
    wide = engines.info_qiskit(random_circuit(22, 4, 1))
    for method in ("qsim", "statevector"):
        a = engines.estimate_seconds(small, method, shots=1000, noisy=False, cores=1)
        b = engines.estimate_seconds(wide, method, shots=1000, noisy=False, cores=1)
        assert 0 < a < b
    shape = engines.NoiseShape(gates=200, channels=600, p_error=0.3)
    one = engines.estimate_seconds(small, "trajectories", shots=100, noisy=True, shape=shape, cores=1)
    ten = engines.estimate_seconds(small, "trajectories", shots=1000, noisy=True, shape=shape, cores=1)
    per_shot = engines.estimate_seconds(small, "qsim", shots=1000, noisy=True, shape=shape, cores=1)
    assert one < ten < per_shot  # shared trajectories cost less than one trajectory per shot


# ---- the caches: content, not objects or names --------------------------------------------------


def test_a_new_circuit_with_the_same_content_is_not_compiled_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = compiler._qiskit_transpile
    monkeypatch.setattr(compiler, "_qiskit_transpile", lambda *a: calls.append(1) or real(*a))
    compiler.clear_cache()
    simulate._prepared.clear()
    first = qlab.run(random_circuit(4, 2, seed=8), "iqm-spark", shots=200, seed=17)
    again = qlab.run(random_circuit(4, 2, seed=8), "iqm-spark", shots=200, seed=17)  # new object
    assert first == again and len(calls) == 1
    qlab.transpile(random_circuit(4, 2, seed=8), "iqm-spark", seed=17)  # the compiler's own cache
    assert len(calls) == 1
    qlab.run(random_circuit(4, 2, seed=9), "iqm-spark", shots=200, seed=17)  # other content
    assert len(calls) == 2


def _custom(angle: float) -> QuantumCircuit:
    inner = QuantumCircuit(1, name="mine")
    inner.rx(angle, 0)
    qc = QuantumCircuit(1, 1)
    qc.append(inner.to_gate(), [0])
    qc.measure(0, 0)
    return qc


def test_content_keys_see_definitions_parameters_qubits_and_registers() -> None:
    key = compiler.content_key
    q = "qiskit"
    assert key(_custom(0.5), q) == key(_custom(0.5), q)
    assert key(_custom(0.5), q) != key(_custom(2.5), q)  # same name "mine", other definition
    a, b = QuantumCircuit(2, 2), QuantumCircuit(2, 2)
    a.cx(0, 1)
    b.cx(1, 0)
    assert key(a, q) != key(b, q)
    regs_one = QuantumCircuit(QuantumRegister(2, "q"), ClassicalRegister(2, "c"))
    regs_two = QuantumCircuit(QuantumRegister(2, "q"), ClassicalRegister(1, "a"), ClassicalRegister(1, "b"))
    assert key(regs_one, q) != key(regs_two, q)
    # the run cache agrees: the two custom gates give different counts
    assert qlab.run(_custom(0.0), shots=100, seed=1) == {"0": 100}
    assert qlab.run(_custom(math.pi), shots=100, seed=1) == {"1": 100}


# ---- stim ---------------------------------------------------------------------------------------


def test_stim_samples_ideal_clifford_circuits_exactly_with_qiskit_bits() -> None:
    """A 16-qubit Clifford circuit (seeded) measured into a permuted subset of two registers:
    stim's counts (seed 5, 4000 shots) against the exact state-vector probabilities: every
    outcome possible, chi-square below its 99.99th percentile."""
    from qiskit.quantum_info import Statevector

    rng = np.random.default_rng(16)
    qc = QuantumCircuit(QuantumRegister(16, "q"), ClassicalRegister(3, "a"), ClassicalRegister(3, "b"))
    for _ in range(6):
        for k in range(16):
            getattr(qc, ("h", "s", "x", "sdg")[int(rng.integers(4))])(k)
        perm = rng.permutation(16)
        for x, y in zip(perm[::2], perm[1::2], strict=True):
            (qc.cx if rng.random() < 0.5 else qc.cz)(int(x), int(y))
    body = qc.copy()
    measured = [9, 2, 14, 0, 5, 11]
    qc.measure(measured, [3, 0, 5, 1, 4, 2])
    shots = 4000
    counts = qlab.run(qc, shots=shots, seed=5)
    assert simulate.last_run["method"] == "stim"
    probs = Statevector(body).probabilities_dict(qargs=measured)  # key: measured[-1] first
    exact: dict[str, float] = {}
    for k, p in probs.items():
        bits = ["0"] * 6
        for j, clbit in enumerate([3, 0, 5, 1, 4, 2]):
            bits[5 - clbit] = k[-1 - j]
        exact["".join(bits)] = exact.get("".join(bits), 0) + p
    assert set(counts) <= {k for k, p in exact.items() if p > 1e-9}
    stat, dof = chi_square(counts, exact, shots)
    assert stat < chi_square_limit(dof)
    assert qlab.run(qc, shots=300, seed=5) == qlab.run(qc, shots=300, seed=5)  # seeded


def test_ideal_ghz_on_stim_and_the_stabilizer_fallback() -> None:
    counts = qlab.run(ghz(36), shots=2000, seed=3)
    assert simulate.last_run["method"] == "stim" and set(counts) == {"0" * 36, "1" * 36}
    # 2000 fair coins: 4.5 sd = 100
    assert abs(counts["0" * 36] - 1000) <= 100
    ecr = QuantumCircuit(16)
    ecr.h(range(16))
    ecr.ecr(0, 1)  # Clifford, but stim has no ECR: Aer's stabilizer takes it
    ecr.measure_all()
    assert sum(qlab.run(ecr, shots=100, seed=1).values()) == 100


# ---- calibration and progress -------------------------------------------------------------------


def test_calibration_is_measured_once_and_kept(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QLAB_CACHE_DIR", str(tmp_path))
    calls = []
    fake = calibrate.Rates(qsim=1e-9, aer=2e-9, mps=1e-6, call=1e-4, trajectory=1e-3)
    monkeypatch.setattr(calibrate, "measure", lambda: calls.append(1) or fake)
    saved = calibrate._rates
    try:
        calibrate.forget()
        assert calibrate.rates() == fake and calls == [1]
        assert (tmp_path / "calibration.json").exists()
        calibrate.forget()
        assert calibrate.rates() == fake and calls == [1]  # read back, not measured again
    finally:
        calibrate._rates = saved


def test_progress_lines_in_a_terminal_a_log_and_not_for_short_runs() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    shown = progress.Progress("trajectories", 30.0, "trajectories", stream=tty, notebook=False)
    shown.update(3, 10)
    time.sleep(0.6)
    shown.update(7, 10)
    shown.close()
    text = tty.getvalue()
    assert "\r" in text and "7/10 trajectories" in text and "done in" in text
    log = io.StringIO()
    shown = progress.Progress("qsim", 5.0, stream=log, notebook=False)
    shown.close()
    assert log.getvalue().count("\n") == 2 and "running" in log.getvalue()
    assert isinstance(progress.progress_for("qsim", 0.5), progress._Silent)
