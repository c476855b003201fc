"""qlab.run against the engines it stands on, used directly on the same work (issue 11's table).

Run: .venv/bin/python benchmarks/performance.py [--quick] [--repeats N] [--only SUBSTRING]

Every row is measured in one process, 1000 shots unless said. qlab gets a *freshly built* circuit
each repetition (a new object with the same content, as a student's re-run cell gives it; built
before the clock starts, as the student's own cell builds it); each
anchor gets its own prebuilt circuit in its own form (a Cirq circuit for qsim, the native circuit
with Aer's noise model for Aer, a stim circuit for stim) and is timed up to counts. Repetitions
are interleaved (every contender once per round, the order rotating) after one untimed warm-up,
and the table shows medians: other work on the machine shifts all contenders of a round alike.
The load average is printed: on a busy machine every figure grows, ratios much less.

Anchors whose time grows with the shots (one trajectory per shot) are run with fewer shots and
scaled to 1000 where marked ``(x k)``; ``--quick`` does that more, takes fewer repetitions and
leaves out the slowest anchors (Aer state vector at 24 qubits, Aer shot branching at 20).

The last rows: the 30-qubit noisy request (refused: the time to the refusal), and the memory
bandwidth bound of one pass over a 24-qubit state (``numpy`` copy of 2**24 complex64 amplitudes,
read once and written once): no state-vector gate can be faster than this.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
from collections.abc import Callable

import cirq
import numpy as np
import qsimcirq
from qiskit import QuantumCircuit
from qiskit_aer import AerSimulator

import qlab
from qlab import simulate
from qlab.errors import RunTooLongError
from qlab.execution.convert import QISKIT, qiskit_to_cirq
from qlab.execution.program import native_program
from qlab.execution.stim_engine import to_stim
from qlab.hardware import library
from qlab.qiskit_side.aer import to_aer_circuit
from qlab.qiskit_side.backend import backend_for
from qlab.qiskit_side.schedule import dt_of

SHOTS = 1000


# ---- circuits -----------------------------------------------------------------------------------


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


def qft(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.x(range(0, n, 3))
    for j in reversed(range(n)):
        qc.h(j)
        for k in reversed(range(j)):
            qc.cp(math.pi / 2 ** (j - k), k, j)
    for k in range(n // 2):
        qc.swap(k, n - 1 - k)
    qc.measure_all()
    return qc


def as_cirq(qc: QuantumCircuit) -> cirq.Circuit:
    return qiskit_to_cirq(qc).circuit


# ---- anchors ------------------------------------------------------------------------------------


def qsim_sim() -> qsimcirq.QSimSimulator:
    return qsimcirq.QSimSimulator(qsim_options=qsimcirq.QSimOptions(max_fused_gate_size=4, cpu_threads=os.cpu_count()), seed=1)


def counts_of(bits: np.ndarray) -> dict[str, int]:
    rows, freq = np.unique(np.asarray(bits, dtype=np.uint8), axis=0, return_counts=True)
    return {"".join(map(str, r[::-1])): int(c) for r, c in zip(rows, freq, strict=True)}


def qsim_ideal(cc: cirq.Circuit) -> Callable[[], object]:
    sim = qsim_sim()
    return lambda: sim.run(cc, repetitions=SHOTS).histogram(key=next(iter(cc.all_measurement_key_names())))


def aer(qc: QuantumCircuit, method: str, model=None, shots: int = SHOTS, **options) -> Callable[[], object]:
    sim = AerSimulator(method=method, noise_model=model) if model else AerSimulator(method=method)
    return lambda: sim.run(qc, shots=shots, seed_simulator=1, **options).result().get_counts()


def stim_ghz(qc: QuantumCircuit) -> Callable[[], object]:
    circuit, _ = to_stim(qc)

    def go() -> object:
        return counts_of(circuit.compile_sampler(seed=1).sample(SHOTS))

    return go


def native(qc: QuantumCircuit, device: str):
    """The device's native timed program: for Aer (with its noise model) and for qsim (noisy Cirq)."""
    spec = library.resolve(device)
    prog = native_program(qc, QISKIT, spec, seed=1).circuit
    backend = backend_for(spec)
    aer_circuit = to_aer_circuit(prog, backend.params, spec)
    from qlab.cirq_side.noise import noise_model

    noisy = qiskit_to_cirq(prog, compact=False, dt=dt_of(spec)).circuit.with_noise(noise_model(spec))
    compact = {q: cirq.LineQubit(i) for i, q in enumerate(sorted(noisy.all_qubits()))}
    noisy = noisy.transform_qubits(lambda q: compact[q])
    return aer_circuit, backend.noise_model, noisy


def qsim_noisy(cc: cirq.Circuit, shots: int) -> Callable[[], object]:
    sim = qsim_sim()
    return lambda: sim.run(cc, repetitions=shots)


# ---- timing -------------------------------------------------------------------------------------


def interleaved(contenders: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median seconds of each contender; one untimed warm-up each, rounds in rotating order. A
    contender with a ``prepare`` method has it called, untimed, before each timed call."""
    names = list(contenders)

    def timed(name: str) -> float:
        prepare = getattr(contenders[name], "prepare", None)
        if prepare is not None:
            prepare()
        start = time.perf_counter()
        contenders[name]()
        return time.perf_counter() - start

    for name in names:
        timed(name)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(repeats):
        for name in names[r % len(names):] + names[: r % len(names)]:
            times[name].append(timed(name))
    return {name: statistics.median(v) for name, v in times.items()}


class QlabCall:
    """qlab.run on a circuit built afresh before each call (untimed: building it is the
    student's cell, not qlab), the same content every time, as a re-run cell gives it."""

    def __init__(self, make: Callable[[], object], device: str, **kw) -> None:
        self.make, self.device, self.kw = make, device, kw
        self.circuit: object = None

    def prepare(self) -> None:
        self.circuit = self.make()

    def __call__(self) -> object:
        return qlab.run(self.circuit, self.device, shots=SHOTS, seed=1, **self.kw)


def qlab_call(make: Callable[[], object], device: str, **kw) -> Callable[[], object]:
    return QlabCall(make, device, **kw)


ROWS: list[tuple] = []


def row(case: str, inputs: str, device: str, make: Callable[[], object], anchors: dict[str, Callable[[], object]],
        repeats: int, scale: dict[str, float] | None = None) -> None:  # fmt: skip
    scale = scale or {}
    contenders = {"qlab": qlab_call(make, device), **anchors}
    med = interleaved(contenders, repeats)
    engine = simulate.last_run["method"]
    extra = f", {simulate.last_run['trajectories']} trajectories" if engine == "trajectories" else ""
    anchor_times = {k: v * scale.get(k, 1.0) for k, v in med.items() if k != "qlab"}
    best = min(anchor_times, key=anchor_times.get) if anchor_times else None
    ratio = med["qlab"] / anchor_times[best] if best else float("nan")
    others = ", ".join(f"{k} {v:.3g} s" + (f" (x{scale[k]:g})" if k in scale else "") for k, v in anchor_times.items())
    ROWS.append((case, inputs, f"{engine}{extra}", med["qlab"], best or "-", anchor_times.get(best, float("nan")), ratio, others))
    print(f"{case:38} {inputs:6} {engine + extra:34} {med['qlab']:9.4f}  {best or '-':28} "
          f"{anchor_times.get(best, float('nan')):9.4f} {ratio:7.2f}   [{others}]", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and shots for slow anchors")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--only", default="", help="run only rows whose case contains this")
    args = parser.parse_args()
    quick = args.quick
    reps = args.repeats or (3 if quick else 7)
    few = max(1, reps // 2)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; medians of {reps} "
          f"interleaved rounds (fewer for the slowest rows), {SHOTS} shots")  # fmt: skip
    print(f"{'case':38} {'input':6} {'qlab engine':34} {'qlab s':>9}  {'fastest anchor':28} {'anchor s':>9} "
          f"{'ratio':>7}   [every anchor]")  # fmt: skip

    def want(case: str) -> bool:
        return args.only.lower() in case.lower()

    # ideal state vectors
    for n, depth in ((20, 20), (24, 20)):
        case = f"ideal random {n}q, depth {depth}"
        if not want(case):
            continue
        qc = random_circuit(n, depth, seed=n)
        anchors = {"qsim": qsim_ideal(as_cirq(qc))}
        if not (quick and n >= 24):
            anchors["Aer statevector"] = aer(qc, "statevector")
        row(case, "Qiskit", "ideal", lambda n=n, d=depth: random_circuit(n, d, seed=n), anchors, reps if n < 24 else few)
    if want("ideal random 20q, depth 20 (Cirq)"):
        cc = as_cirq(random_circuit(20, 20, seed=20))
        row("ideal random 20q, depth 20 (Cirq)", "Cirq", "ideal", lambda: as_cirq(random_circuit(20, 20, seed=20)),
            {"qsim": qsim_ideal(cc)}, reps)  # fmt: skip
    if want("ideal QFT 24q"):
        qc = qft(24)
        row("ideal QFT 24q", "Qiskit", "ideal", lambda: qft(24), {"qsim": qsim_ideal(as_cirq(qc))}, few)
    if want("ideal GHZ-36"):
        qc = ghz(36)
        row("ideal GHZ-36", "Qiskit", "ideal", lambda: ghz(36),
            {"stim": stim_ghz(qc), "Aer stabilizer": aer(qc, "stabilizer")}, reps * 3)  # fmt: skip

    # noisy, small: the density matrix
    for n, device in ((5, "iqm-spark"), (5, "ionq-aria")):
        case = f"noisy GHZ-{n}, {device}"
        if want(case):
            ac, model, _ = native(ghz(n), device)
            row(case, "Qiskit", device, lambda n=n: ghz(n), {"Aer density matrix": aer(ac, "density_matrix", model)}, reps * 3)

    # noisy, wider
    if want("noisy GHZ-12, ionq-aria"):
        ac, model, noisy = native(ghz(12), "ionq-aria")
        row("noisy GHZ-12, ionq-aria", "Qiskit", "ionq-aria", lambda: ghz(12),
            {"qsim trajectories": qsim_noisy(noisy, SHOTS), "Aer MPS": aer(ac, "matrix_product_state", model)}, reps)  # fmt: skip
        q = cirq.LineQubit.range(12)
        make = lambda: cirq.Circuit(cirq.H(q[0]), [cirq.CNOT(q[i], q[i + 1]) for i in range(11)], cirq.measure(*q, key="m"))  # noqa: E731
        row("noisy GHZ-12, ionq-aria (Cirq)", "Cirq", "ionq-aria", make,
            {"qsim trajectories": qsim_noisy(noisy, SHOTS)}, reps)  # fmt: skip
    if want("noisy GHZ-20, ionq-aria"):
        ac, model, noisy = native(ghz(20), "ionq-aria")
        k = 10 if quick else 2
        row("noisy GHZ-20, ionq-aria", "Qiskit", "ionq-aria", lambda: ghz(20),
            {"Aer MPS": aer(ac, "matrix_product_state", model),
             "Aer MPS shot branching": aer(ac, "matrix_product_state", model, shot_branching_enable=True),
             "qsim trajectories": qsim_noisy(noisy, SHOTS // k)}, few, scale={"qsim trajectories": k})  # fmt: skip
    if want("noisy GHZ-36, ionq-forte"):
        ac, model, _ = native(ghz(36), "ionq-forte")
        k = 10 if quick else 2
        row("noisy GHZ-36, ionq-forte", "Qiskit", "ionq-forte", lambda: ghz(36),
            {"Aer MPS shot branching": aer(ac, "matrix_product_state", model, shots=SHOTS // k,
                                           shot_branching_enable=True)},
            few, scale={"Aer MPS shot branching": k})  # fmt: skip
    for n, k_q in ((16, 10), (20, 50)):
        case = f"noisy random {n}q depth 5, ionq-aria"
        if not want(case):
            continue
        k_q = k_q * (2 if quick else 1)
        qc = random_circuit(n, 5, seed=n)
        ac, model, noisy = native(qc, "ionq-aria")
        anchors = {"qsim trajectories": qsim_noisy(noisy, SHOTS // k_q)}
        scale = {"qsim trajectories": k_q}
        if not (quick and n >= 20):
            anchors["Aer shot branching"] = aer(ac, "statevector", model, shot_branching_enable=True)
        row(case, "Qiskit", "ionq-aria", lambda n=n: random_circuit(n, 5, seed=n), anchors, 1 if n >= 20 else few, scale)
    if want("noisy random 25q depth 5, ionq-aria"):
        qc = random_circuit(25, 5, seed=25)
        _, _, noisy = native(qc, "ionq-aria")
        k_q = 200 if quick else 100
        row("noisy random 25q depth 5, ionq-aria", "Qiskit", "ionq-aria", lambda: random_circuit(25, 5, seed=25),
            {"qsim trajectories": qsim_noisy(noisy, SHOTS // k_q)}, 1, {"qsim trajectories": k_q})  # fmt: skip

    if want("noisy random 30q depth 5, ionq-forte"):
        start = time.perf_counter()
        try:
            qlab.run(random_circuit(30, 5, seed=30), "ionq-forte", shots=SHOTS, seed=1)
            outcome = "ran"
        except RunTooLongError as exc:
            outcome = "refused: " + str(exc).split(":")[0]
        took = time.perf_counter() - start
        ROWS.append(("noisy random 30q depth 5, ionq-forte", "Qiskit", outcome, took, "-", float("nan"), float("nan"), ""))
        print(f"{'noisy random 30q depth 5, ionq-forte':38} {'Qiskit':6} {'(refusal)':34} {took:9.4f}  {outcome}")

    if want("24-qubit state pass"):
        a = np.ones(2**24, dtype=np.complex64)
        b = np.empty_like(a)
        b[:] = 0
        per = interleaved({"copy": lambda: np.copyto(b, a)}, reps)["copy"]
        gbs = 2 * a.nbytes / per / 1e9
        print(f"{'24-qubit state pass (memory bound)':38} {'-':6} {'numpy copy, 128 MiB in + out':34} {per:9.4f}  "
              f"{gbs:.1f} GB/s: no 24-qubit gate pass is faster; qsim's 24q random depth-20 is ~150 fused passes")  # fmt: skip
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
