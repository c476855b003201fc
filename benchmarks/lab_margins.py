"""How far each graded lab's device threshold sits from what correct answers measure.

A lab test that runs the student's circuit on a noisy emulated device (a band for p_differ on
iqm-spark, P(marked) >= 0.5 on ionq-aria, ...) must pass every correct answer, whatever the
student's per-student variant (their SEED, secret, marked item, field). This script runs each lab's
own solution in this process for several student ids, reads the quantity each device test checks,
and prints per threshold: the mean and standard deviation over the students, the extreme values,
the threshold and its distance from the mean in standard deviations.

Rerun after a change to the emulated devices (noise figures, idle noise, the compiler) and update
the thresholds' comments in exercises/*/source.ipynb from the table:

    .venv/bin/python benchmarks/lab_margins.py               # 12 students per lab
    .venv/bin/python benchmarks/lab_margins.py --students 4 lab-algorithms
    .venv/bin/python benchmarks/lab_margins.py lab-algorithms+alt-1   # a graded answer of tests/lab_answers
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")

# lab -> [(grade id of the cell after which the quantity is read, label, expression, low, high)]
# (low/high: the test's bounds on the expression; None where the test has none)
CHECKS: dict[str, list[tuple[str, str, str, float | None, float | None]]] = {
    "lab-first-circuits": [("anti-spark", "p_differ on iqm-spark", "p_differ", 0.80, 0.97)],
    "lab-native-gates": [
        ("star-gain", "star - chain population on iqm-spark", "populations['star'] - populations['chain']", 0.02, None),
    ],
    "lab-algorithms": [
        ("bv-on-device", "BV P(secret) on ionq-aria", "_p", 0.7, None),
        ("grover-devices", "Grover P(marked) on ionq-aria", "p_marked['ionq-aria']", 0.5, None),
        ("grover-devices", "Grover aria - spark", "p_marked['ionq-aria'] - p_marked['iqm-spark']", 0.0, None),
        ("grover-devices", "Grover P(marked) on iqm-spark (no bound)", "p_marked['iqm-spark']", None, None),
    ],
    "lab-noise-cirq": [
        ("population-run", "F_raw on iqm-spark", "F_raw", 0.75, 0.95),
        ("population-run", "000/111 imbalance", "abs(_n0 - _n1) / (_n0 + _n1)", None, 0.15),
        ("mitigation-improves", "F_mitigated - F_raw", "F_mitigated - F_raw", 0.02, None),
        ("mitigation-improves", "F_mitigated", "F_mitigated", None, 1.02),
    ],
    "lab-variational": [("qaoa-aria", "QAOA ratio on ionq-aria", "ratio_aria", 0.72, None)],
    "lab-benchmarking": [
        ("fidelity-devices", "GHZ-3 F on ionq-aria", "F_devices['ionq-aria']", 0.9, 1.0),
        ("fidelity-devices", "GHZ-3 F on iqm-spark", "F_devices['iqm-spark']", 0.55, 0.95),
        ("fidelity-devices", "F aria - F spark", "F_devices['ionq-aria'] - F_devices['iqm-spark']", 0.05, None),
    ],
    "lab-correlations-cirq": [
        ("chsh-devices", "S - 2 sqrt 2 on ideal", "S_devices['ideal'] - 2 * np.sqrt(2)", -0.13, 0.13),
        ("chsh-devices", "S on ionq-aria", "S_devices['ionq-aria']", 2.5, None),
        ("chsh-devices", "S on iqm-spark", "S_devices['iqm-spark']", 2.05, None),
        ("chsh-devices", "S aria - S spark", "S_devices['ionq-aria'] - S_devices['iqm-spark']", 0.0, None),
    ],
    "lab-error-correction": [
        ("memory", "physical rate on iqm-spark", "_physical", None, None),
        ("memory", "logical rate on iqm-spark", "_logical", None, None),
        ("memory", "physical - logical on iqm-spark", "_physical - _logical", 0.02, None),
    ],
}


def _code(cell) -> str:
    return "\n".join(line for line in cell.source.split("\n") if not line.strip().startswith(MARKERS))


def answers_of(lab: str, submission: str) -> dict[str, str]:
    """The answer cells of ``submission`` in tests/lab_answers/lab_<name>.py (a right answer written
    differently from the solution, such as lab-algorithms' ``grover_operator`` one)."""
    sys.path.insert(0, str(ROOT / "tests"))
    module = importlib.import_module(f"lab_answers.{lab.replace('-', '_')}")
    return module.SUBMISSIONS[submission]["answers"]


def measure(lab: str, student: str, answers: dict[str, str] | None = None) -> dict[str, float]:
    """Run the lab's solution (its answer cells replaced by ``answers``) and tests as student
    ``student``; the checked quantities by label."""
    import qlab

    qlab.set_student_id(student)
    answers = answers or {}
    nb = nbformat.read(ROOT / "exercises" / lab / "source.ipynb", as_version=4)
    namespace: dict[str, object] = {"__name__": "__main__"}
    found: dict[str, float] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
        code = answers.get(gid, _code(cell))
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # the lab's own prints
                exec(compile(code, f"<{lab}:{gid}>", "exec"), namespace)  # noqa: S102 - our own lab
        except Exception as exc:  # noqa: BLE001 - a failing test is part of what we measure
            print(f"  {lab} {student}: {gid} failed: {type(exc).__name__}: {str(exc)[:200]}", file=sys.stderr)
        for after, label, expression, _, _ in CHECKS[lab]:
            if after == gid:
                found[label] = float(eval(expression, namespace))  # noqa: S307 - expressions above
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("labs", nargs="*", default=list(CHECKS),
                        help="labs to measure (default: all); LAB+NAME: with the answers of submission NAME")
    parser.add_argument("--students", type=int, default=12, help="student ids per lab (student-01, ...)")
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(f"{'lab':<22} {'quantity':<40} {'mean':>7} {'sd':>6} {'min':>7} {'max':>7} {'bound':>12} {'sd to bound':>11}")
    for name in args.labs:
        lab, _, submission = name.partition("+")
        answers = answers_of(lab, submission) if submission else None
        start = time.perf_counter()
        values: dict[str, list[float]] = {}
        for k in range(1, args.students + 1):
            for label, value in measure(lab, f"student-{k:02d}", answers).items():
                values.setdefault(label, []).append(value)
        for _, label, _, low, high in CHECKS[lab]:
            got = values.get(label, [])
            if not got:
                print(f"{name:<22} {label:<40} (not reached)")
                continue
            mean, sd = statistics.fmean(got), statistics.stdev(got) if len(got) > 1 else 0.0
            bounds = [b for b in (low, high) if b is not None]
            bound = "/".join(f"{b:g}" for b in bounds) or "-"
            margin = min((abs(mean - b) / sd for b in bounds), default=float("nan")) if sd else float("inf")
            print(f"{name:<22} {label:<40} {mean:7.3f} {sd:6.3f} {min(got):7.3f} {max(got):7.3f} {bound:>12} {margin:11.1f}")
        print(f"{'':<22} ({args.students} students, {time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
