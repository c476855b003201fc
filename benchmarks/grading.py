"""Grading speed: a class of 30 submissions, and qlab's overhead per notebook against bare nbval.

Run: .venv/bin/python benchmarks/grading.py [--students 30] [--jobs 2] [--runs 3]

1. **Class**: ``qlab grade`` of N submissions of ``exercises/lab-bell-ghz`` (a realistic mix:
   correct, partly wrong, hard-coded GHZ, a deleted answer cell, one that is not a notebook)
   on ``--jobs`` workers: wall time in total and per submission.
2. **Overhead**: for one correct submission, the wall time of a bare
   ``pytest --nbval-lax --nbval-current-env submission.ipynb`` (what an instructor would run by
   hand, with no merge, limits, plugin or feedback; also with pytest's plugin autoload off, as
   qlab runs it, for a like-for-like ratio) against ``qlab grade`` of the same notebook
   with one worker (the whole command: merge, sandbox, plugin, feedback, summary, gradebook) and
   against qlab's per-notebook step alone (``grade_one``: merge + sandboxed pytest + scoring).
   Median of ``--runs``.
Timings on a shared machine vary with its load: compare the ratio, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "lab-bell-ghz" / "source.ipynb"
ANSWERS = {
    "bell-circuit": "bell = QuantumCircuit(2)\nbell.h(0)\nbell.cx(0, 1)",
    "ghz-function": ("def ghz(n):\n    qc = QuantumCircuit(n)\n    qc.h(0)\n    for q in range(n - 1):\n"
                     "        qc.cx(q, q + 1)\n    return qc"),
    "bell-probability": ("def p_same(circuit):\n    amplitudes = Statevector(circuit).data\n"
                         "    return abs(amplitudes[0]) ** 2 + abs(amplitudes[3]) ** 2"),
}
WRONG = {
    "bell-circuit": "bell = QuantumCircuit(2)\nbell.cx(0, 1)\nbell.h(0)",
    "ghz-function": "def ghz(n):\n    qc = QuantumCircuit(3)\n    qc.h(0)\n    qc.cx(0, 1)\n    qc.cx(1, 2)\n    return qc",
    "bell-probability": "def p_same(circuit):\n    amplitudes = Statevector(circuit).data\n    return abs(amplitudes[0] + amplitudes[3])",
}


def make_class(folder: Path, n: int) -> list[Path]:
    """N submissions: student k gets wrong answers where bit j of k is set, one in ten is mangled."""
    import nbformat

    from qlab.assign.release import load_source, student_copy

    base = student_copy(load_source(SOURCE), assignment="lab-bell-ghz", seed=2024)
    paths = []
    for k in range(n):
        path = folder / f"student{k:02d}.ipynb"
        if k % 10 == 9:
            path.write_text("not a notebook", encoding="utf-8")
        else:
            nb = copy.deepcopy(base)
            for j, gid in enumerate(ANSWERS):
                cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == gid)
                cell.source = WRONG[gid] if (k >> j) & 1 else ANSWERS[gid]
            if k % 10 == 4:
                nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "ghz-function"]
            nbformat.write(nb, path)
        paths.append(path)
    return paths


def timed(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, capture_output=True, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from qlab.assign.grade import Limits, grade_one, tests_of
    from qlab.assign.release import load_source

    with tempfile.TemporaryDirectory(prefix="qlab-bench-") as tmp:
        tmp = Path(tmp)
        (tmp / "subs").mkdir()
        paths = make_class(tmp / "subs", args.students)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "qlab", "grade", str(SOURCE), *map(str, paths), "-o",
                               str(tmp / "out"), "-j", str(args.jobs), "--no-progress"],
                              capture_output=True, text=True)
        total = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"qlab grade failed: {done.stderr}")
        rows = (tmp / "out" / "gradebook.csv").read_text(encoding="utf-8").splitlines()[1:]

        one = tmp / "one"
        one.mkdir()
        good = one / "good.ipynb"
        good.write_bytes(paths[0].read_bytes())  # student00: every answer right
        bare = [timed([sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q",
                       "-p", "no:cacheprovider", good.name], cwd=one) for _ in range(args.runs)]
        lean_env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        lean = [timed([sys.executable, "-m", "pytest", "-p", "nbval.plugin", "--nbval-lax",
                       "--nbval-current-env", "-q", "-p", "no:cacheprovider", good.name], cwd=one,
                      env=lean_env) for _ in range(args.runs)]
        cli = [timed([sys.executable, "-m", "qlab", "grade", str(SOURCE), str(good), "-o",
                      str(tmp / f"one-out{i}"), "-j", "1", "--no-progress"]) for i in range(args.runs)]
        source = load_source(SOURCE)
        job = {"source": str(SOURCE), "tests": [vars(s) for s in tests_of(source)],
               "assignment": "lab-bell-ghz", "variant_seed": 2024, "limits": vars(Limits()),
               "work_dir": str(tmp / "work"), "lang": None, "keep_work": False,
               "submission": str(good), "student_id": "good", "notes": []}
        step = []
        for _ in range(args.runs):
            start = time.perf_counter()
            grade_one(job)
            step.append(time.perf_counter() - start)

    b, c, s = statistics.median(bare), statistics.median(cli), statistics.median(step)
    lb = statistics.median(lean)
    print(f"| measurement ({args.students} submissions, {args.jobs} jobs) | seconds |")
    print("|---|---|")
    print(f"| qlab grade, whole class (wall) | {total:.1f} |")
    print(f"| per submission (wall / {len(rows)}) | {total / len(rows):.2f} |")
    print(f"| bare pytest --nbval-lax, one notebook (median of {args.runs}) | {b:.2f} |")
    print(f"| bare pytest, plugin autoload off (-p nbval.plugin only) | {lb:.2f} |")
    print(f"| qlab grade -j 1, same notebook, whole command | {c:.2f} (x{c / b:.2f} bare, x{c / lb:.2f} lean) |")
    print(f"| qlab per-notebook step (merge + sandboxed pytest + scoring) | {s:.2f} (x{s / b:.2f} bare, x{s / lb:.2f} lean) |")


if __name__ == "__main__":
    main()
