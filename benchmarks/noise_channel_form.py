"""How the form of a noise model's errors costs Aer time: each gate error as one Kraus channel (what
qlab builds) against the same errors stored as every product of their parts' terms.

Run: .venv/bin/python benchmarks/noise_channel_form.py [--repeats 15]

A composed error (depolarizing, then relaxation of each qubit) is stored by Aer as the list of all
products of its parts' terms: 144 circuits for one CZ of iqm-spark. Aer serialises the whole noise
model on every run, so a run on a noisy device pays for every error of the model, used or not. The
two forms are the same map (tests/test_qiskit_backend.py checks the channel after every native gate
to 1e-10); this benchmark prints what the form costs per run: a one-qubit T1 circuit, a Bell pair
and a GHZ-5 fan-out on iqm-spark, exact probabilities by the density-matrix method, as qlab computes
them. The two forms run interleaved in one process; times are medians (other work on the machine
makes single runs noisy).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from qiskit import QuantumCircuit
from qiskit_aer import AerSimulator

import qlab
from qlab.hardware import library
from qlab.qiskit_side import aer
from qlab.qiskit_side.backend import backend_for


def circuits() -> dict[str, QuantumCircuit]:
    t1 = QuantumCircuit(5)
    t1.r(np.pi, 0, 3)
    bell = QuantumCircuit(5)
    bell.r(np.pi / 2, np.pi / 2, 2)
    bell.r(-np.pi / 2, np.pi / 2, 3)
    bell.cz(2, 3)
    bell.r(np.pi / 2, np.pi / 2, 3)
    fan_out = QuantumCircuit(5)
    fan_out.h(0)
    for q in range(1, 5):
        fan_out.cx(0, q)
    ghz = qlab.transpile(fan_out, "iqm-spark", seed=1)  # native, on the star: 4 CZ
    out = {"T1 (one PRX)": t1, "Bell (1 CZ)": bell, "GHZ-5 fan-out (4 CZ)": ghz}
    for qc in out.values():
        qc.save_probabilities(range(5))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    spec = library.resolve("iqm-spark")
    params = backend_for(spec).params
    one_channel = aer.build_noise_model(spec, params)
    original = aer._one_channel
    aer._one_channel = lambda err: err  # the composed form, as Aer stores a composition
    try:
        composed = aer.build_noise_model(spec, params)
    finally:
        aer._one_channel = original
    sims = {
        "one Kraus channel": AerSimulator(method="density_matrix", noise_model=one_channel),
        "composed terms": AerSimulator(method="density_matrix", noise_model=composed),
    }
    print(f"{'circuit':24}{'one channel s':>15}{'composed s':>12}{'ratio':>8}{'max |dp|':>10}")
    for name, qc in circuits().items():
        times: dict[str, list[float]] = {k: [] for k in sims}
        probs = {}
        for k, sim in sims.items():  # warm-up
            probs[k] = np.asarray(sim.run(qc, shots=1).result().data(0)["probabilities"])
        for _ in range(args.repeats):
            for k, sim in sims.items():  # interleaved
                start = time.perf_counter()
                sim.run(qc, shots=1).result()
                times[k].append(time.perf_counter() - start)
        a, b = (statistics.median(times[k]) for k in sims)
        diff = float(np.max(np.abs(probs["one Kraus channel"] - probs["composed terms"])))
        print(f"{name:24}{a:>15.4f}{b:>12.4f}{b / a:>8.1f}{diff:>10.1e}")


if __name__ == "__main__":
    main()
