"""The compiler gives the same circuits on every CPU: its tests pass, and its output is the same,
under different BLAS kernels.

numpy's OpenBLAS picks a kernel for the CPU it runs on, and kernels round differently in the last
bits (an AVX-512 machine once got 13 extra GPI pulses where others got none). Here the compiler's
own tests run in fresh interpreters with ``OPENBLAS_CORETYPE`` forced to Haswell and to Prescott
(which round differently, checked below), and to SkylakeX where the CPU has AVX-512 (elsewhere
that kernel stops the interpreter with an illegal instruction); and a fixed set of circuits is
compiled under each, the results compared gate by gate (names and qubits equal, angles within
1e-9).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _avx512() -> bool:
    try:
        return "avx512f" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


KERNELS = ["Haswell", "Prescott"] + (["SkylakeX"] if _avx512() else [])

CORENAME = """
import ctypes, glob, os, numpy
libs = glob.glob(os.path.join(os.path.dirname(numpy.__file__), "..", "numpy.libs", "*openblas*"))
name = "?"
for path in libs:
    lib = ctypes.CDLL(path)
    for symbol in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename", "openblas_get_corename"):
        f = getattr(lib, symbol, None)
        if f is not None:
            f.restype = ctypes.c_char_p
            name = f().decode()
a = numpy.arange(16.0).reshape(4, 4) / 7 + 1j / 3
print(json.dumps({"core": name, "product": (a @ a).tobytes().hex()}))
"""

DIGEST = """
import json, cirq
from qiskit import QuantumCircuit
from qiskit.circuit.library import QFTGate
from qiskit.circuit.random import random_circuit
import qlab
out = {}
def ghz(n, shape):
    qc = QuantumCircuit(n); qc.h(0)
    for k in range(1, n): qc.cx(k - 1 if shape == "chain" else 0, k)
    qc.measure_all(); return qc
def qft(n):
    qc = QuantumCircuit(n); qc.x(0); qc.append(QFTGate(n), range(n)); qc.measure_all(); return qc
q = cirq.LineQubit.range(5)
chain = cirq.Circuit(cirq.H(q[0]), [cirq.CNOT(q[i], q[i + 1]) for i in range(4)], cirq.measure(*q, key="m"))
cases = {"chain": ghz(5, "chain"), "fan": ghz(5, "fan-out"), "qft3": qft(3), "qft6": qft(6),
         "random": random_circuit(5, 6, max_operands=3, measure=True, seed=4)}
for device in qlab.devices():
    for name, qc in cases.items():
        if qc.num_qubits > qlab.device(device).num_qubits:
            continue
        t = qlab.transpile(qc, device, seed=1)
        out[f"{device}/{name}"] = [[i.operation.name, [t.find_bit(x).index for x in i.qubits],
                                    [float(p) for p in i.operation.params]] for i in t.data]
    c = qlab.transpile(chain, device, seed=1)
    out[f"{device}/cirq-chain"] = [[str(op.gate), [x.x for x in op.qubits], []] for op in c.all_operations()]
print(json.dumps(out))
"""


def _python(code: str, kernel: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENBLAS_CORETYPE": kernel, "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=900)  # fmt: skip


@pytest.fixture(scope="module")
def kernels() -> dict[str, dict]:
    found = {}
    for kernel in KERNELS:
        run = _python(CORENAME, kernel)
        assert run.returncode == 0, (kernel, run.stderr[-500:])
        found[kernel] = json.loads(run.stdout)
    if any(v["core"] == "?" for v in found.values()):
        pytest.skip("numpy here does not use OpenBLAS: OPENBLAS_CORETYPE has no effect")
    return found


def test_the_kernels_are_really_in_use_and_round_differently(kernels) -> None:
    cores = {k: v["core"] for k, v in kernels.items()}
    assert len(set(cores.values())) == len(cores), cores
    assert kernels["Haswell"]["product"] != kernels["Prescott"]["product"]  # last bits differ


@pytest.mark.slow
def test_compiled_circuits_are_the_same_under_every_kernel(kernels) -> None:
    digests = {}
    for kernel in kernels:
        run = _python(DIGEST, kernel)
        assert run.returncode == 0, (kernel, run.stderr[-800:])
        digests[kernel] = json.loads(run.stdout)
    first, *others = KERNELS
    for kernel in others:
        assert digests[kernel].keys() == digests[first].keys()
        for case, gates in digests[first].items():
            theirs = digests[kernel][case]
            assert [(g[0], g[1]) for g in theirs] == [(g[0], g[1]) for g in gates], (kernel, case)
            for a, b in zip(gates, theirs, strict=True):
                assert all(abs(x - y) < 1e-9 for x, y in zip(a[2], b[2], strict=True)), (kernel, case, a, b)


@pytest.mark.slow
@pytest.mark.parametrize("kernel", KERNELS)
def test_the_compiler_tests_pass_under_each_kernel(kernel, kernels) -> None:
    env = {**os.environ, "OPENBLAS_CORETYPE": kernel, "OPENBLAS_NUM_THREADS": "1"}
    env.pop("PYTEST_XDIST_WORKER", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/test_pulses.py", "tests/test_cirq_compile.py",
         "tests/test_vendor_lean.py::test_no_fatter_than_iqm_on_spark"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=1800,
    )  # fmt: skip
    assert run.returncode == 0, (kernel, run.stdout[-2000:])
