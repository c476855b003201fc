"""What grading one submission of each lab costs, against ``qlab grade``'s default limits.

``qlab grade`` interrupts a cell after 30 s and stops a submission after 120 s (``--cell-time-limit``,
``--time-limit``). For each lab this script grades its own solution once with ``qlab grade --jobs 1``
and prints the submission's seconds as the grader counted them, the wall time and the CPU time of
the whole run (its processes: the sandboxed student side, the trusted kernel, the fork server),
and the slowest cell of the lab run in this process (its CPU seconds: the part of a cell's time a
loaded machine cannot inflate). A cell near 30 s or a submission near 120 s of CPU would need a
higher limit in the lab's instructor's note.

The machine's load is printed before and after: on a shared machine wall times are only an upper
bound; the CPU columns are what a free core needs.

    .venv/bin/python benchmarks/lab_grading.py                    # every lab
    .venv/bin/python benchmarks/lab_grading.py lab-bell-ghz lab-hybrid
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
QLAB = Path(sys.executable).with_name("qlab")
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def _code(cell) -> str:
    return "\n".join(line for line in cell.source.split("\n") if not line.strip().startswith(MARKERS))


def slowest_cell(lab: str) -> tuple[str, float]:
    """The lab's cell (solution and tests, run in order in this process) with the most CPU seconds."""
    import qlab

    qlab.set_student_id("benchmark")
    namespace: dict[str, object] = {"__name__": "__main__"}
    worst = ("", 0.0)
    for cell in nbformat.read(ROOT / "exercises" / lab / "source.ipynb", as_version=4).cells:
        if cell.cell_type != "code":
            continue
        gid = (cell.metadata.get("nbgrader") or {}).get("grade_id") or "set-up"
        start = time.process_time()
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(_code(cell), f"<{lab}:{gid}>", "exec"), namespace)  # noqa: S102 - our own lab
        spent = time.process_time() - start
        if spent > worst[1]:
            worst = (gid, spent)
    return worst


def grade_solution(lab: str) -> dict[str, float | str]:
    """Grade the lab's solution once; the grader's seconds, wall and CPU time of the run, its score."""
    source = ROOT / "exercises" / lab / "source.ipynb"
    command = [str(QLAB)] if QLAB.exists() else [sys.executable, "-m", "qlab"]
    env = {**os.environ, "QLAB_LANG": "en"}
    for name in ("QLAB_GRADING", "QLAB_STUDENT_ID"):
        env.pop(name, None)
    with tempfile.TemporaryDirectory(prefix="lab-grading-") as tmp:
        folder = Path(tmp)
        subprocess.run([*command, "release", str(source), "-o", str(folder / "released"), "--student", "solution"],
                       check=True, capture_output=True, env=env)
        (copy,) = (folder / "released" / "solution").glob("*.ipynb")
        nb = nbformat.read(copy, as_version=4)
        answers = {(c.metadata.get("nbgrader") or {}).get("grade_id"): _code(c)
                   for c in nbformat.read(source, as_version=4).cells
                   if (c.metadata.get("nbgrader") or {}).get("solution")}
        for cell in nb.cells:
            gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
            if gid in answers:
                cell.source = answers[gid]
        nbformat.write(nb, folder / "solution.ipynb")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([*command, "grade", str(source), str(folder / "solution.ipynb"), "-o", str(folder / "out"),
                        "--jobs", "1", "--no-progress", "--cell-time-limit", "600", "--time-limit", "1800"],
                       check=True, capture_output=True, env=env)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        results = json.loads((folder / "out" / "results.json").read_text(encoding="utf-8"))
        with open(folder / "out" / "gradebook.csv", encoding="utf-8") as fh:
            (row,) = list(csv.DictReader(fh))
    (graded,) = results["rows"]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": float(graded["seconds"]), "wall": wall, "cpu": cpu,
            "score": f"{row['total']}/{row['max_total']}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    labs = sorted(p.parent.name for p in ROOT.glob("exercises/*/source.ipynb"))
    parser.add_argument("labs", nargs="*", default=labs, help="labs to grade (default: all)")
    args = parser.parse_args()
    os.environ.setdefault("MPLBACKEND", "Agg")
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    print(f"{'lab':<24} {'score':>7} {'grader s':>9} {'wall s':>7} {'CPU s':>6}   slowest cell (CPU s, in process)")
    for lab in args.labs:
        graded = grade_solution(lab)
        gid, spent = slowest_cell(lab)
        print(f"{lab:<24} {graded['score']:>7} {graded['seconds']:9.1f} {graded['wall']:7.1f} {graded['cpu']:6.1f}"
              f"   {gid} ({spent:.1f})", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
