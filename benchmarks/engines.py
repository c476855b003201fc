"""The engine qlab.run chooses against plain Aer and plain cirq.Simulator (the point is to win).

Run: .venv/bin/python benchmarks/engines.py [--repeats 3] [--skip-cirq-24]
Ideal random circuits (layers of random RX, RZ on every qubit and CX on a random pairing), 1000
shots; each circuit is built once in both frameworks (conversion not timed for the baselines).
Rows also show the small and noisy cases behind the thresholds in qlab/execution/engines.py.
Times are medians over the repeats after one warm-up (one run only for the 24-qubit baselines).
"""

from __future__ import annotations

import argparse

import cirq
from qiskit_aer import AerSimulator
from run_overhead import ghz, median_time, random_circuit

import qlab
from qlab import simulate
from qlab.execution.convert import qiskit_to_cirq


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-cirq-24", action="store_true", help="cirq.Simulator on 24 qubits takes minutes")
    args = parser.parse_args()
    aer = AerSimulator()
    csim = cirq.Simulator(seed=1)
    print(f"{'circuit':34} {'qlab (method)':28} {'qlab s':>8} {'Aer s':>8} {'cirq s':>8} {'Aer/qlab':>9} {'cirq/qlab':>9}")
    for n, depth in ((5, 10), (10, 10), (16, 10), (20, 10), (24, 10)):
        qc = random_circuit(n, depth, seed=n)
        cc = qiskit_to_cirq(qc).circuit
        reps = 1 if n >= 24 else args.repeats
        t_q = median_time(lambda qc=qc: qlab.run(qc, shots=1000, seed=1), reps)
        chosen = simulate.last_run["method"]
        t_aer = median_time(lambda qc=qc: aer.run(qc, shots=1000, seed_simulator=1).result().get_counts(), reps)
        if n >= 24 and args.skip_cirq_24:
            t_c = float("nan")
        else:
            t_c = median_time(lambda cc=cc: csim.run(cc, repetitions=1000), reps)
        name = f"random {n}q x {depth} layers, ideal"
        print(f"{name:34} {chosen:28} {t_q:8.3f} {t_aer:8.3f} {t_c:8.3f} {t_aer / t_q:9.2f} {t_c / t_q:9.2f}", flush=True)
    # Clifford: stabilizer
    g = ghz(30)
    t_q = median_time(lambda: qlab.run(g, shots=1000, seed=1), args.repeats)
    chosen = simulate.last_run["method"]
    t_aer = median_time(lambda: aer.run(g, shots=1000, seed_simulator=1).result().get_counts(), args.repeats)
    print(f"{'GHZ-30, ideal':34} {chosen:28} {t_q:8.3f} {t_aer:8.3f} {'-':>8} {t_aer / t_q:9.2f} {'-':>9}", flush=True)
    # noisy 5 qubits on iqm-spark: the density matrix against trajectories
    spark = qlab.device("iqm-spark")
    g5 = ghz(5)
    base = {}
    for method in ("density_matrix", "statevector", "qsim"):
        base[method] = median_time(lambda m=method: qlab.run(g5, spark, shots=1000, seed=1, method=m), args.repeats)
    for method, tm in base.items():
        label = f"GHZ-5, iqm-spark noisy [{method}]"
        print(f"{label:34} {method:28} {tm:8.3f} {'':>8} {'':>8} {'':>9} {'':>9}")
    qlab.run(g5, spark, shots=1000, seed=1)
    print(f"auto picks for noisy GHZ-5: {simulate.last_run['method']}")
    # noisy 12 qubits on ionq-aria: trajectories on Aer against qsim
    g12 = ghz(12)
    for method in ("statevector", "qsim", "matrix_product_state"):
        tm = median_time(lambda m=method: qlab.run(g12, "ionq-aria", shots=1000, seed=1, method=m), 1)
        label = f"GHZ-12, ionq-aria noisy [{method}]"
        print(f"{label:34} {method:28} {tm:8.3f}")
    qlab.run(g12, "ionq-aria", shots=1000, seed=1)
    print(f"auto picks for noisy GHZ-12: {simulate.last_run['method']}")


if __name__ == "__main__":
    main()
