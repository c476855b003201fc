"""The circuits qlab's compiler is compared on against the vendors' own compilers, and the IQM half.

This file needs only Qiskit, so that it also runs beside IQM's client, which cannot be installed
with qlab's Qiskit (iqm-client 36.0.0 pins qiskit < 2.2; with ``pip install --no-deps`` beside
qiskit 2.x its ``IQMFakeAdonis`` works). To record IQM's transpilation of every case, in a
separate virtual environment:

    python -m venv /tmp/iqm && /tmp/iqm/bin/pip install qiskit==2.6.2 qiskit-aer \\
        "iqm-pulse>=15,<16" "iqm-pulla>=15,<16" "iqm-station-control-client>=14,<15" \\
        "iqm-exa-common>=29,<30" "pydantic>=2.12.4,<2.13" requests "packaging>=24,<25"
    /tmp/iqm/bin/pip install --no-deps iqm-client==36.0.0
    /tmp/iqm/bin/python benchmarks/vendor_circuits.py --iqm > benchmarks/data/iqm-fake-adonis.json

``benchmarks/vendors.py`` reads that file (or, with ``--iqm-python /tmp/iqm/bin/python``, makes it
afresh) and prints qlab beside each vendor.
"""

from __future__ import annotations

import json
import sys

from qiskit import QuantumCircuit
from qiskit.circuit.library import QFTGate
from qiskit.circuit.random import random_circuit


def ghz(n: int, shape: str) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for k in range(1, n):
        qc.cx(k - 1 if shape == "chain" else 0, k)
    qc.measure_all()
    return qc


def qft(n: int) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.x(0)  # a non-trivial input, so that the output distribution is not uniform everywhere
    qc.h(n - 1)
    qc.append(QFTGate(n), range(n))
    qc.measure_all()
    return qc


def bell() -> QuantumCircuit:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure_all()
    return qc


def random_case(n: int, depth: int, seed: int) -> QuantumCircuit:
    return random_circuit(n, depth, max_operands=2, measure=True, seed=seed)


#: name -> (circuit, initial layout or None); the IQM Spark cases (5 qubits, star around QB3)
IQM_CASES = {
    "GHZ-5 fan-out": (lambda: ghz(5, "fan-out"), None),
    "GHZ-5 chain": (lambda: ghz(5, "chain"), None),
    "QFT-3": (lambda: qft(3), None),
    "Bell": (bell, None),
    "Bell on hub + leaf": (bell, [2, 0]),
    "Bell on two leaves": (bell, [0, 1]),
}

#: the IonQ cases (all-to-all), each on Aria (MS) and Forte (ZZ)
IONQ_CASES = {
    "QFT-10": (lambda: qft(10), None),
    "random 6q x 8 (seed 1)": (lambda: random_case(6, 8, 1), None),
    "random 8q x 8 (seed 2)": (lambda: random_case(8, 8, 2), None),
    "random 8q x 12 (seed 3)": (lambda: random_case(8, 12, 3), None),
}


def gate_list(qc: QuantumCircuit) -> list[list]:
    """A circuit as plain data: [name, qubits, clbits, params] per instruction."""
    return [
        [
            inst.operation.name,
            [qc.find_bit(q).index for q in inst.qubits],
            [qc.find_bit(c).index for c in inst.clbits],
            [float(p) for p in inst.operation.params],
        ]
        for inst in qc.data
    ]


def iqm_transpilations() -> dict:
    """IQM's own transpilation of every IQM case: ``transpile_to_IQM`` and ``qiskit.transpile`` on
    ``IQMFakeAdonis`` (Qiskit's default level 2), the leaner of the two kept, seed 0."""
    import iqm.iqm_client
    import qiskit
    from iqm.qiskit_iqm import transpile_to_IQM
    from iqm.qiskit_iqm.fake_backends.fake_adonis import IQMFakeAdonis

    backend = IQMFakeAdonis()
    out = {
        "command": "python benchmarks/vendor_circuits.py --iqm",
        "versions": {"iqm-client": iqm.iqm_client.__version__, "qiskit": qiskit.__version__},
        "cases": {},
    }
    for name, (make, layout) in IQM_CASES.items():
        kw = {"initial_layout": layout} if layout else {}
        candidates = {
            "transpile_to_IQM": transpile_to_IQM(make(), backend=backend, **kw),
            "qiskit.transpile(IQMFakeAdonis)": qiskit.transpile(make(), backend=backend, seed_transpiler=0, **kw),
        }

        def cost(item):
            ops = item[1].count_ops()
            return (ops.get("cz", 0), ops.get("r", 0))

        how, best = min(candidates.items(), key=cost)
        out["cases"][name] = {"how": how, "num_qubits": best.num_qubits,
                              "num_clbits": best.num_clbits, "gates": gate_list(best)}  # fmt: skip
    return out


def dumps(data: dict) -> str:
    """JSON with one gate per line (readable, and small diffs when re-recorded)."""
    cases = []
    for name, case in data["cases"].items():
        gates = ",\n      ".join(json.dumps(g) for g in case["gates"])
        head = {k: v for k, v in case.items() if k != "gates"}
        cases.append(f'    {json.dumps(name)}: {json.dumps(head)[:-1]}, "gates": [\n      {gates}\n    ]}}')
    top = {k: v for k, v in data.items() if k != "cases"}
    return json.dumps(top)[:-1] + ', "cases": {\n' + ",\n".join(cases) + "\n  }\n}\n"


if __name__ == "__main__":
    if "--iqm" in sys.argv:
        sys.stdout.write(dumps(iqm_transpilations()))
    else:
        print(__doc__)
