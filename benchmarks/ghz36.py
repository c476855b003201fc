"""Noisy GHZ-36 on ionq-forte, 1000 shots (aim: under 60 s on this 2-core machine).

Run: .venv/bin/python benchmarks/ghz36.py
Three forms of the same state: a CX chain and a star (every CX from qubit 0) in Qiskit, and the
chain in Cirq. Time is one cold call (transpile included) and one warm call; "GHZ share" is the
fraction of shots reading all-0 or all-1.
"""

from __future__ import annotations

import time

import cirq
from qiskit import QuantumCircuit

import qlab
from qlab import simulate

N = 36


def chain() -> QuantumCircuit:
    qc = QuantumCircuit(N)
    qc.h(0)
    for i in range(N - 1):
        qc.cx(i, i + 1)
    qc.measure_all()
    return qc


def star() -> QuantumCircuit:
    qc = QuantumCircuit(N)
    qc.h(0)
    for i in range(1, N):
        qc.cx(0, i)
    qc.measure_all()
    return qc


def cirq_chain() -> cirq.Circuit:
    q = cirq.LineQubit.range(N)
    return cirq.Circuit(cirq.H(q[0]), *(cirq.CNOT(q[i], q[i + 1]) for i in range(N - 1)), cirq.measure(*q, key="m"))


def main() -> None:
    print(f"{'circuit':22} {'method':22} {'cold s':>8} {'warm s':>8} {'GHZ share':>10}")
    for name, make in (("Qiskit CX chain", chain), ("Qiskit CX star", star), ("Cirq CNOT chain", cirq_chain)):
        circuit = make()
        start = time.perf_counter()
        qlab.run(circuit, "ionq-forte", shots=1000, seed=36)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        counts = qlab.run(circuit, "ionq-forte", shots=1000, seed=36)
        warm = time.perf_counter() - start
        share = (counts.get("0" * N, 0) + counts.get("1" * N, 0)) / 1000
        print(f"{name:22} {simulate.last_run['method']:22} {cold:8.2f} {warm:8.2f} {share:10.3f}", flush=True)


if __name__ == "__main__":
    main()
