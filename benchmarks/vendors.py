"""qlab's compiler beside the vendors' own: native gate counts, and the fidelity each gives.

Run: .venv/bin/python benchmarks/vendors.py [--iqm-python /tmp/iqm/bin/python]

* IQM Spark (5 qubits, star): qlab.transpile against IQM's own transpilation on ``IQMFakeAdonis``
  (the leaner of ``transpile_to_IQM`` and ``qiskit.transpile`` at Qiskit's default level), recorded
  in ``benchmarks/data/iqm-fake-adonis.json`` by ``benchmarks/vendor_circuits.py --iqm`` (IQM's
  client cannot be installed beside qlab's Qiskit; see that file), or run afresh with
  ``--iqm-python``.
* IonQ Aria (MS) and Forte (ZZ): qlab.transpile against qiskit-ionq 1.1.1 (a dev dependency):
  ``qiskit.transpile`` to its native target at level 2, then its ``TrappedIonOptimizerPlugin``.

Fidelity: every compiled circuit, qlab's and the vendor's alike, runs gate for gate
(``strict=True``) on the same emulated device with the same noise, idle time included; F is the
classical fidelity of the exact output distribution to the ideal one, ``(sum_x sqrt(p(x) q(x)))^2``
(the #AQ benchmark's measure). Counts are native two-qubit / one-qubit gates.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

from qiskit import QuantumCircuit
from vendor_circuits import IONQ_CASES, IQM_CASES

import qlab
from qlab.execution.compiler import compile_native
from qlab.execution.exact import exact_distribution
from qlab.qiskit_side.gates import IONQ_GATES

DATA = Path(__file__).parent / "data" / "iqm-fake-adonis.json"


def counts(qc: QuantumCircuit) -> tuple[int, int]:
    two = sum(1 for i in qc.data if len(i.qubits) == 2 and i.operation.name not in ("barrier", "measure"))
    one = sum(1 for i in qc.data if len(i.qubits) == 1 and i.operation.name not in ("barrier", "measure", "delay"))
    return two, one


def fidelity(native: QuantumCircuit, device: str, ideal: dict[str, float]) -> float:
    noisy = exact_distribution(native, device, strict=True)
    overlap = sum(math.sqrt(p * ideal.get(k, 0.0)) for k, p in noisy.items())
    return overlap**2


def rebuild(case: dict) -> QuantumCircuit:
    """A recorded vendor circuit, with qlab's gate classes for IonQ's gates."""
    qc = QuantumCircuit(case["num_qubits"], case["num_clbits"])
    for name, qubits, clbits, params in case["gates"]:
        if name == "measure":
            qc.measure(qubits[0], clbits[0])
        elif name == "barrier":
            qc.barrier(qubits)
        elif name in IONQ_GATES:
            qc.append(IONQ_GATES[name](*params), qubits)
        elif name == "r":
            qc.r(*params, qubits[0])
        elif name == "cz":
            qc.cz(*qubits)
        else:
            raise ValueError(f"unexpected gate {name} in a vendor circuit")
    return qc


def ionq_vendor(qc: QuantumCircuit, two_qubit: str) -> QuantumCircuit:
    """qiskit-ionq's compilation: its native target at level 2, then its optimiser plugin."""
    from qiskit import transpile
    from qiskit.circuit import Measure, Parameter
    from qiskit.transpiler import PassManagerConfig, Target
    from qiskit_ionq import (
        GPI2Gate,
        GPIGate,
        MSGate,
        TrappedIonOptimizerPlugin,
        ZZGate,
        add_equivalences,
    )
    from vendor_circuits import gate_list

    add_equivalences()
    n = qc.num_qubits
    target = Target(num_qubits=n)
    for gate in (GPIGate(Parameter("φ")), GPI2Gate(Parameter("φ"))):
        target.add_instruction(gate, {(q,): None for q in range(n)})
    two = ZZGate(Parameter("θ")) if two_qubit == "zz" else MSGate(Parameter("φ0"), Parameter("φ1"), Parameter("θ"))
    target.add_instruction(two, {(a, b): None for a in range(n) for b in range(n) if a != b})
    target.add_instruction(Measure(), {(q,): None for q in range(n)})
    out = transpile(qc, target=target, optimization_level=2, seed_transpiler=0)
    plugin = TrappedIonOptimizerPlugin().pass_manager(PassManagerConfig(target=target), optimization_level=2)
    out = plugin.run(out)
    return rebuild({"num_qubits": out.num_qubits, "num_clbits": out.num_clbits, "gates": gate_list(out)})


def iqm_cases(iqm_python: str | None) -> dict:
    if iqm_python:
        text = subprocess.run([iqm_python, str(Path(__file__).parent / "vendor_circuits.py"), "--iqm"],
                              check=True, capture_output=True, text=True).stdout  # fmt: skip
        return json.loads(text)
    return json.loads(DATA.read_text())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iqm-python", help="a Python with iqm-client: record IQM's side afresh")
    args = parser.parse_args()
    iqm = iqm_cases(args.iqm_python)
    print(f"IQM side: {iqm['versions']}, recorded with: {iqm['command']}")
    head = f"{'circuit':26} {'device':11} {'qlab 2q/1q':>11} {'qlab F':>7}   {'vendor 2q/1q':>12} {'vendor F':>8}  vendor"
    print(head)
    print("-" * len(head))
    spark = qlab.device("iqm-spark").spec
    for name, (make, layout) in IQM_CASES.items():
        ideal = exact_distribution(make(), "ideal")
        ours = compile_native(make(), spark, initial_layout=layout)
        theirs = rebuild(iqm["cases"][name])
        row(name, "iqm-spark", ours, theirs, ideal, "IQM " + iqm["cases"][name]["how"])
    for device, two in (("ionq-aria", "ms"), ("ionq-forte", "zz")):
        spec = qlab.device(device).spec
        for name, (make, _) in IONQ_CASES.items():
            ideal = exact_distribution(make(), "ideal")
            ours = compile_native(make(), spec)
            theirs = ionq_vendor(make(), two)
            row(name, device, ours, theirs, ideal, "qiskit-ionq 1.1.1 L2 + TrappedIonOptimizerPlugin")


def row(name: str, device: str, ours: QuantumCircuit, theirs: QuantumCircuit, ideal: dict, how: str) -> None:
    q2, q1 = counts(ours)
    v2, v1 = counts(theirs)
    fq, fv = fidelity(ours, device, ideal), fidelity(theirs, device, ideal)
    print(f"{name:26} {device:11} {f'{q2}/{q1}':>11} {fq:7.3f}   {f'{v2}/{v1}':>12} {fv:8.3f}  {how}", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
