"""qlab compiles no fatter than the vendors' own compilers (benchmarks/vendors.py prints the table
with fidelities): native two-qubit and one-qubit gate counts, case by case.

* IQM Spark: IQM's own transpilation on IQMFakeAdonis, recorded in
  benchmarks/data/iqm-fake-adonis.json with the command it names (IQM's client cannot be installed
  beside qlab's Qiskit; benchmarks/vendor_circuits.py says how it was recorded);
* IonQ Aria and Forte: qiskit-ionq (a dev dependency) live, its native target at level 2 and its
  TrappedIonOptimizerPlugin.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import qlab
from qlab.execution.compiler import compile_native

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

from vendor_circuits import IONQ_CASES, IQM_CASES  # noqa: E402
from vendors import counts, ionq_vendor, rebuild  # noqa: E402

IQM = json.loads((BENCH / "data" / "iqm-fake-adonis.json").read_text())


@pytest.mark.parametrize("name", list(IQM_CASES))
def test_no_fatter_than_iqm_on_spark(name: str) -> None:
    make, layout = IQM_CASES[name]
    ours = compile_native(make(), qlab.device("iqm-spark").spec, initial_layout=layout)
    theirs = rebuild(IQM["cases"][name])
    (q2, q1), (v2, v1) = counts(ours), counts(theirs)
    assert (q2, q1) <= (v2, v1) and q2 <= v2 and q1 <= v1, (name, (q2, q1), (v2, v1))


@pytest.mark.slow
@pytest.mark.parametrize(("device", "two"), [("ionq-aria", "ms"), ("ionq-forte", "zz")])
@pytest.mark.parametrize("name", ["QFT-10", "random 8q x 12 (seed 3)"])
def test_no_fatter_than_qiskit_ionq(device: str, two: str, name: str) -> None:
    make, _ = IONQ_CASES[name]
    ours = compile_native(make(), qlab.device(device).spec)
    theirs = ionq_vendor(make(), two)
    (q2, q1), (v2, v1) = counts(ours), counts(theirs)
    assert q2 <= v2 and q1 <= v1, (name, device, (q2, q1), (v2, v1))


def test_the_recorded_vendor_file_says_how_it_was_made() -> None:
    assert IQM["command"] == "python benchmarks/vendor_circuits.py --iqm"
    assert IQM["versions"]["iqm-client"] == "36.0.0"
    assert set(IQM["cases"]) == set(IQM_CASES)
