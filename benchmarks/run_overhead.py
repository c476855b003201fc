"""qlab.run's overhead against a bare AerSimulator running the same native, timed program and noise.

The bare simulator gets exactly what qlab.run hands Aer: the device's native program laid out in
time (:func:`qlab.execution.program.native_program`), its waits as relaxation channels
(:func:`qlab.qiskit_side.aer.to_aer_circuit`), the device's noise model.

Run: .venv/bin/python benchmarks/run_overhead.py [--repeats 15]
Each row times the median of the repeats (after one warm-up). "cold" is a first call for a new
circuit (qlab transpiles it); "warm" re-runs the same circuit, as a student re-running a notebook
cell does (the transpiled circuit, backend and noise model are cached). Aims (issue 3): ratio
<= 1.10 for GHZ-5 with 1000 shots, <= 1.05 for a 20-qubit ideal circuit.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np
from qiskit import QuantumCircuit
from qiskit_aer import AerSimulator

import qlab
from qlab import simulate


def ghz(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    qc.measure_all()
    return qc


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


def median_time(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    r = args.repeats
    rows = []

    # GHZ-5 on iqm-spark, noisy, 1000 shots
    spark = qlab.device("iqm-spark")
    circuit = ghz(5)
    from qlab.execution.convert import QISKIT
    from qlab.execution.program import native_program
    from qlab.hardware import library
    from qlab.qiskit_side.aer import to_aer_circuit
    from qlab.qiskit_side.backend import backend_for

    spec = library.resolve("iqm-spark")
    backend = backend_for(spec)
    program = native_program(circuit, QISKIT, spec, seed=1).circuit
    native = to_aer_circuit(program, backend.params, spec)
    model = backend.noise_model
    qlab.run(circuit, spark, shots=1000, seed=1)
    method = simulate.last_run["method"]
    bare = AerSimulator(method=method, noise_model=model)
    bare_auto = AerSimulator(noise_model=model)
    t_bare = median_time(lambda: bare.run(native, shots=1000, seed_simulator=1).result().get_counts(), r)
    t_bare_auto = median_time(lambda: bare_auto.run(native, shots=1000, seed_simulator=1).result().get_counts(), r)
    t_warm = median_time(lambda: qlab.run(circuit, spark, shots=1000, seed=1), r)
    seeds = iter(range(1000, 100000))
    t_cold = median_time(lambda: qlab.run(ghz(5), spark, shots=1000, seed=next(seeds)), r)
    rows.append(("GHZ-5, iqm-spark, noisy, 1000 shots", f"bare Aer {method}", t_bare, "qlab.run warm", t_warm))
    rows.append(("", "bare Aer automatic", t_bare_auto, "qlab.run warm", t_warm))
    rows.append(("", f"bare Aer {method}", t_bare, "qlab.run cold (transpiles)", t_cold))

    # a 20-qubit ideal circuit, 1000 shots
    wide = random_circuit(20, 10, seed=20)
    bare_sv = AerSimulator(method="statevector")
    t_aer = median_time(lambda: bare_sv.run(wide, shots=1000, seed_simulator=1).result().get_counts(), max(3, r // 3))
    t_q_sv = median_time(lambda: qlab.run(wide, shots=1000, seed=1, method="statevector"), max(3, r // 3))
    t_q_auto = median_time(lambda: qlab.run(wide, shots=1000, seed=1), max(3, r // 3))
    chosen = simulate.last_run["method"]
    rows.append(("random 20 qubits x 10 layers, ideal", "bare Aer statevector", t_aer, 'qlab.run method="statevector"', t_q_sv))
    rows.append(("", "bare Aer statevector", t_aer, f"qlab.run auto ({chosen})", t_q_auto))

    print(f"{'case':38} {'baseline':24} {'base s':>9}  {'qlab':30} {'qlab s':>9} {'ratio':>7}")
    for case, base, tb, mine, tm in rows:
        print(f"{case:38} {base:24} {tb:9.4f}  {mine:30} {tm:9.4f} {tm / tb:7.3f}")


if __name__ == "__main__":
    main()
