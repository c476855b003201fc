"""Grading speed: the isolated pipeline against today's and against a bare ``pytest --nbval-lax``.

Run: .venv/bin/python benchmarks/grading.py [--students 30] [--jobs 2] [--runs 3] [--class-runs 1]
[--baseline REF]

1. **Per notebook**: one correct submission of ``exercises/lab-bell-ghz``, graded alone
   (``-j 1``, the whole ``qlab grade`` command), by

   * ``isolated``: this qlab (the submission's side in the bubblewrap sandbox, the tests in a
     separate trusted kernel);
   * ``fallback``: this qlab without the sandbox (``QLAB_BWRAP=none``: same two kernels);
   * ``today``: the grader at git revision ``--baseline`` (default ``40f2cbc``, the last one before
     the isolated pipeline: one kernel that ran the student's code and the tests together), run from
     a ``git archive`` of that revision;
   * ``bare``: ``pytest --nbval-lax --nbval-current-env`` on the submission itself (what an
     instructor would run by hand: no merge, no limits, no feedback), and ``lean``: the same with
     pytest's plugin autoload off, as qlab runs it.

   Repetitions are interleaved (each round runs every variant once, in a rotating order) and the
   median is reported, since other work on a shared machine slows some runs down.
2. **Class**: ``qlab grade`` of ``--students`` submissions (a realistic mix: correct, partly wrong,
   a deleted answer cell, one that is not a notebook) on ``--jobs`` workers, isolated and today's,
   ``--class-runs`` times each, interleaved.

Wall times vary with the machine's load: compare the ratios, and rerun on a quiet machine for
absolute numbers. Where a cgroup v1 ``cpuacct`` group can be made (root on this kind of server),
each command's CPU seconds are also measured, every process it started included (sandboxes too):
a figure that barely depends on the load, and CPU seconds / cores bounds the wall time of a class on
an otherwise idle machine.
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
    "bell-probability": "amplitudes = Statevector(bell).data\np_same = abs(amplitudes[0]) ** 2 + abs(amplitudes[3]) ** 2",
}
WRONG = {
    "bell-circuit": "bell = QuantumCircuit(2)\nbell.cx(0, 1)\nbell.h(0)",
    "ghz-function": "def ghz(n):\n    qc = QuantumCircuit(3)\n    qc.h(0)\n    qc.cx(0, 1)\n    qc.cx(1, 2)\n    return qc",
    "bell-probability": "amplitudes = Statevector(bell).data\np_same = abs(amplitudes[0] + amplitudes[3])",
}


def make_class(folder: Path, n: int) -> list[Path]:
    """N submissions: student k gets wrong answers where bit j of k is set, one in ten is mangled."""
    import nbformat

    from qlab.assign.release import load_source, student_copy

    base = student_copy(load_source(SOURCE), assignment="lab-bell-ghz")
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


def baseline_tree(ref: str, into: Path) -> Path | None:
    """``qlab/`` of git revision ``ref`` unpacked into ``into`` (None without git or that revision)."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "qlab"], capture_output=True)
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into


CPU: list[float] = []  # CPU seconds of the last timed() command and everything it started


def _cpuacct() -> Path | None:
    """A fresh cgroup v1 cpuacct group under ours (None where that is not possible)."""
    try:
        own = next(line.split(":", 2)[2] for line in Path("/proc/self/cgroup").read_text().splitlines()
                   if ":cpuacct" in line or ",cpuacct" in line)
        group = Path("/sys/fs/cgroup/cpuacct") / own.lstrip("/") / f"qlab-bench-{os.getpid()}-{time.monotonic_ns()}"
        group.mkdir()
        return group
    except (OSError, StopIteration):
        return None


def timed(command: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    """Wall seconds of ``command``; its CPU seconds (all processes it started, sandboxes included,
    counted by a cpuacct control group) go to ``CPU[-1]`` (NaN where that cannot be measured).

    Runs in ``cwd``, by default a folder outside the checkout: ``python -m qlab`` run inside it
    would import the checkout's qlab ahead of the one ``PYTHONPATH`` names (today's grader)."""
    cwd = cwd or Path(tempfile.gettempdir())
    group = _cpuacct()
    wrapped = command
    if group is not None:
        wrapped = ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(group / "cgroup.procs"), *command]
    start = time.perf_counter()
    done = subprocess.run(wrapped, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    cpu = float("nan")
    if group is not None:
        cpu = int((group / "cpuacct.usage").read_text()) / 1e9
        for _ in range(50):
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.05)
    CPU.append(cpu)
    return seconds


def totals(out: Path) -> dict[str, str]:
    """``student_id -> total`` of a grading run's gradebook (empty when there is none)."""
    import csv

    try:
        with open(out / "gradebook.csv", encoding="utf-8", newline="") as fh:
            return {r["student_id"]: r["total"] for r in csv.DictReader(fh)}
    except OSError:
        return {}


def same_grades(runs: dict[str, Path]) -> list[str]:
    """The variants whose gradebook differs from the first one's (a broken variant is not a fast one)."""
    first, *rest = runs
    want = totals(runs[first])
    return [name for name in rest if totals(runs[name]) != want or not want]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", default="40f2cbc", help="git revision of 'today's' grader")
    parser.add_argument("--class-runs", type=int, default=1, help="runs of the class (interleaved, median)")
    parser.add_argument("--no-class", action="store_true", help="only the per-notebook figures")
    args = parser.parse_args()
    from qlab.sandbox import detect

    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="qlab-bench-") as tmp:
        tmp = Path(tmp)
        (tmp / "subs").mkdir()
        paths = make_class(tmp / "subs", args.students)
        one = tmp / "one"
        one.mkdir()
        good = one / "good.ipynb"
        good.write_bytes(paths[0].read_bytes())  # student00: every answer right
        old = baseline_tree(args.baseline, tmp / "baseline")
        env = dict(os.environ)
        qlab = [sys.executable, "-m", "qlab", "grade", str(SOURCE)]
        variants = {
            "isolated": lambda out: timed([*qlab, str(good), "-o", str(out), "-j", "1", "--no-progress"], env=env),
            "fallback": lambda out: timed([*qlab, str(good), "-o", str(out), "-j", "1", "--no-progress"],
                                          env={**env, "QLAB_BWRAP": "none"}),
            "bare": lambda out: timed([sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
                                       "-q", "-p", "no:cacheprovider", good.name], cwd=one),
            "lean": lambda out: timed([sys.executable, "-m", "pytest", "-p", "nbval.plugin", "--nbval-lax",
                                       "--nbval-current-env", "-q", "-p", "no:cacheprovider", good.name],
                                      cwd=one, env={**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}),
        }
        if old is not None:
            old_env = {**env, "PYTHONPATH": str(old)}
            variants["today"] = lambda out: timed([*qlab, str(good), "-o", str(out), "-j", "1", "--no-progress"],
                                                  env=old_env)
        names = list(variants)
        times: dict[str, list[float]] = {n: [] for n in names}
        cpu: dict[str, list[float]] = {n: [] for n in names}
        for r in range(args.runs):
            for i in range(len(names)):
                name = names[(i + r) % len(names)]
                times[name].append(variants[name](tmp / f"out-{name}-{r}"))
                cpu[name].append(CPU[-1])
        graded = {n: tmp / f"out-{n}-0" for n in names if n not in ("bare", "lean")}
        wrong = same_grades(graded)
        med = {n: statistics.median(v) for n, v in times.items()}
        med_cpu = {n: statistics.median(v) for n, v in cpu.items()}

        klass: dict[str, tuple[float, float]] = {}
        if not args.no_class:
            files = [str(p) for p in paths]
            envs = {"isolated": env}
            if old is not None:
                envs["today"] = {**env, "PYTHONPATH": str(old)}
            runs: dict[str, list[tuple[float, float]]] = {n: [] for n in envs}
            for r in range(args.class_runs):  # interleaved, in a rotating order
                for i in range(len(envs)):
                    name = list(envs)[(i + r) % len(envs)]
                    seconds = timed([*qlab, *files, "-o", str(tmp / f"class-{name}-{r}"), "-j", str(args.jobs),
                                     "--no-progress"], env=envs[name])
                    runs[name].append((seconds, CPU[-1]))
            klass = {n: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
                     for n, v in runs.items()}
            wrong += [f"class {n}" for n in same_grades({n: tmp / f"class-{n}-0" for n in envs})]

    if wrong:
        print(f"WARNING: these graded differently from the isolated pipeline, so their times mean nothing: {wrong}")
    support = detect()
    print(f"sandbox: {'bubblewrap + cgroups' if support.full else 'incomplete: ' + '; '.join(support.gaps('en'))}; "
          f"{os.cpu_count()} cores; load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
          f"medians of {args.runs} (one notebook) and {args.class_runs} (class) interleaved runs")
    print()
    print("| one correct notebook, whole command | wall s | vs today | vs bare | vs lean | CPU s | CPU vs today |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        vs_today = f"x{med[name] / med['today']:.2f}" if "today" in med else "-"
        cpu_today = f"x{med_cpu[name] / med_cpu['today']:.2f}" if "today" in med_cpu else "-"
        print(f"| {name} | {med[name]:.2f} | {vs_today} | x{med[name] / med['bare']:.2f} | "
              f"x{med[name] / med['lean']:.2f} | {med_cpu[name]:.2f} | {cpu_today} |")
    if klass:
        print()
        print(f"| class of {args.students}, {args.jobs} jobs | wall s | per submission | CPU s | "
              f"CPU s / {os.cpu_count()} cores (wall on an idle machine, at best) |")
        print("|---|---|---|---|---|")
        for name, (seconds, used) in klass.items():
            print(f"| {name} | {seconds:.1f} | {seconds / args.students:.2f} | {used:.1f} | "
                  f"{used / (os.cpu_count() or 1):.1f} |")


if __name__ == "__main__":
    main()
