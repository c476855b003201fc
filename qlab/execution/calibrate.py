"""How fast this machine simulates: a small benchmark, run once and kept, behind every estimate.

:func:`rates` measures, once per machine (and per version of qlab and the engines), the processor
time of a few tiny runs and keeps them in ``calibration.json`` under qlab's cache folder
(``$QLAB_CACHE_DIR``, else ``$XDG_CACHE_HOME/qlab``, else ``~/.cache/qlab``); nothing is
downloaded, and a folder that cannot be written only means the measurement is kept in memory.
The runs take about half a second together:

* ``qsim``: seconds of one core per amplitude and gate, from a 20-qubit circuit of native-like
  gates (qsim's own fusion included, as :mod:`qlab.execution.qsim_direct` runs it);
* ``aer``: the same for Aer's state vector (double precision), 18 qubits;
* ``mps``: Aer's matrix-product state, seconds per shot, gate and ``chi**3`` (noisy GHZ-12);
* ``call``: the fixed cost of one qsim call (a 4-qubit circuit);
* ``trajectory``: what a shared trajectory costs beyond its gates (drawing, grouping, sampling:
  a 4-qubit program with strong noise, hundreds of trajectories).

Processor time (not wall time) is measured, so a busy machine does not make the stored figures
wrong; :mod:`qlab.execution.engines` divides by the cores a run will get.
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import asdict, dataclass
from pathlib import Path

VERSION = 2


@dataclass(frozen=True)
class Rates:
    qsim: float  # core-seconds per amplitude per gate (qsim, fused)
    aer: float  # core-seconds per amplitude per gate (Aer state vector)
    mps: float  # core-seconds per shot per gate per chi**3 (Aer matrix-product state, noisy)
    call: float  # core-seconds of one small qsim call (building and starting it)
    trajectory: float  # core-seconds a shared trajectory costs beyond its gates (bookkeeping)


_rates: Rates | None = None


def cache_dir() -> Path:
    env = os.environ.get("QLAB_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "qlab"


def machine_key() -> str:
    """What the figures depend on: processor, cores, qlab and engine versions."""
    from importlib.metadata import PackageNotFoundError, version

    from .._version import __version__

    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = []
    for pkg in ("qsimcirq", "qiskit-aer"):
        try:
            versions.append(f"{pkg}={version(pkg)}")
        except PackageNotFoundError:
            versions.append(f"{pkg}=?")
    return f"v{VERSION} {model} x{os.cpu_count()} qlab={__version__} {' '.join(versions)}"


# An order of magnitude (this project's 2-core machine, rounded up), used only to tell that a run
# is too small to be worth calibrating for (:func:`qlab.execution.engines.estimate_seconds`):
# a student's first small run never waits for the benchmark.
REFERENCE = Rates(qsim=1e-9, aer=3e-9, mps=4e-6, call=2e-4, trajectory=1e-3)


def stored() -> Rates | None:
    """This machine's figures if they were measured already (memory or cache file), else None."""
    global _rates
    if _rates is None:
        _rates = _read(machine_key())
    return _rates


def _read(key: str) -> Rates | None:
    try:
        data = json.loads((cache_dir() / "calibration.json").read_text(encoding="utf-8"))
        return Rates(**data["rates"]) if data.get("key") == key else None
    except (OSError, ValueError, TypeError, KeyError):
        return None


def rates() -> Rates:
    """This machine's figures: from memory, else the cache file, else measured now (and kept)."""
    global _rates
    if _rates is not None:
        return _rates
    key = machine_key()
    path = cache_dir() / "calibration.json"
    _rates = _read(key)
    if _rates is not None:
        return _rates
    _rates = measure()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"key": key, "rates": asdict(_rates)}, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return _rates


def _cpu(fn, repeats: int = 3) -> float:
    """The least processor time of ``repeats`` calls (after one warm-up)."""
    fn()
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return max(best, 1e-7)


def _native_like(n: int, layers: int) -> list:
    """Gates of a native-like circuit: per layer a rotation on every qubit and a two-qubit gate on
    every other pair (fixed pseudo-random matrices)."""
    import numpy as np

    from .qsim_direct import Gate, flat

    rng = np.random.default_rng(11)
    gates = []
    for layer in range(layers):
        for q in range(n):
            a, b = rng.normal(size=2) + 1j * rng.normal(size=2)
            norm = np.sqrt(abs(a) ** 2 + abs(b) ** 2)
            a, b = a / norm, b / norm
            gates.append(Gate((q,), flat(np.array([[a, -np.conj(b)], [b, np.conj(a)]]))))
        for q in range(layer % 2, n - 1, 2):
            z = rng.normal(size=(4, 4)) + 1j * rng.normal(size=(4, 4))
            u, _ = np.linalg.qr(z)
            gates.append(Gate((q, q + 1), flat(u)))
    return gates


def measure() -> Rates:
    """Run the small benchmark (about half a second)."""
    from . import qsim_direct

    n, layers = 20, 3
    gates = _native_like(n, layers)
    qsim_cost = _cpu(lambda: qsim_direct.simulate(n, gates, None, 1)) / (2**n * len(gates))
    small = _native_like(4, 2)
    call = _cpu(lambda: qsim_direct.simulate(4, small, None, 1), repeats=5)
    aer_cost, mps_cost = _aer_costs()
    return Rates(qsim=qsim_cost, aer=aer_cost, mps=mps_cost, call=call, trajectory=_trajectory_cost())


def _trajectory_cost() -> float:
    from . import trajectories
    from .qsim_direct import Lowered

    small = _native_like(4, 2)
    timeline = tuple(("gate", k) for k in range(len(small)))
    lowered = Lowered(4, (0, 1, 2, 3), tuple(small), timeline, tuple((q, q) for q in range(4)), 4)
    events = tuple(trajectories.Event(k + 1, g.qubits, ((0.05, "X" * len(g.qubits)),))
                   for k, g in enumerate(small))  # fmt: skip
    program = trajectories.NoisyProgram(lowered, events, (0.0,) * 4, (len(small),) * 4)
    cost = _cpu(lambda: trajectories.run(program, 200, 1, 1), repeats=2)
    return cost / max(trajectories.last_draw.get("trajectories", 1), 1)


def _aer_costs() -> tuple[float, float]:
    from qiskit import QuantumCircuit
    from qiskit_aer import AerSimulator
    from qiskit_aer.noise import NoiseModel, depolarizing_error

    n = 18
    qc = QuantumCircuit(n)
    for layer in range(3):
        for q in range(n):
            qc.rx(0.3 + 0.1 * q + layer, q)
            qc.rz(0.7 + 0.2 * q, q)
        for q in range(layer % 2, n - 1, 2):
            qc.cx(q, q + 1)
    qc.measure_all()
    sv = AerSimulator(method="statevector", max_parallel_threads=1)
    gates = sum(1 for inst in qc.data if inst.operation.name not in ("measure", "barrier"))
    aer_cost = _cpu(lambda: sv.run(qc, shots=10, seed_simulator=1).result()) / (2**n * max(gates, 1))
    ghz = QuantumCircuit(12)
    ghz.h(0)
    for i in range(11):
        ghz.cx(i, i + 1)
    ghz.measure_all()
    model = NoiseModel()
    model.add_all_qubit_quantum_error(depolarizing_error(0.01, 2), ["cx"])
    mps = AerSimulator(method="matrix_product_state", noise_model=model, max_parallel_threads=1)
    shots = 200
    mps_cost = _cpu(lambda: mps.run(ghz, shots=shots, seed_simulator=1).result(), repeats=2)
    return aer_cost, mps_cost / (shots * 12 * 2**3)


def forget() -> None:
    """Drop the figures held in memory (the next estimate reads the file or measures again)."""
    global _rates
    _rates = None
