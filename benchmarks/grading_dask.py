"""Grading a cohort on Dask: the local default against the thread pool before it, and a class of 300
through a real Dask cluster with the projection for 1,000 students.

Run: .venv/bin/python benchmarks/grading_dask.py [--students 30] [--runs 3] [--cohort 300]
                                                [--workers 2] [--baseline REF] [--only compare|cohort]

1. **Same speed as the pool** (``--students`` submissions of ``exercises/lab-bell-ghz``, the mix of
   ``benchmarks/grading.py``: right, partly wrong, a deleted answer, one in ten not a notebook),
   the whole ``qlab grade -j 2`` command by

   * ``dask-local``: this qlab (each submission one task on a local Dask cluster in the grader's
     process);
   * ``pool``: the grader at git revision ``--baseline`` (default ``5927d72``, the last one that
     scheduled submissions on a thread pool), run from a ``git archive`` of that revision.

   Runs are interleaved (A B, B A, ...) and medians reported: other work on this shared machine
   slows some runs down. Where a cgroup v1 ``cpuacct`` group can be made, the CPU seconds of each
   command and everything it started (sandboxes too) are reported as well: they barely depend on
   the load.
2. **A cohort on a cluster** (``--cohort`` submissions, the same mix): a ``distributed.LocalCluster``
   of ``--workers`` worker processes (one thread each) is started, and ``qlab.assign.grade.grade``
   sends every submission to it through its scheduler address, exactly as ``qlab grade --scheduler``
   does with a lab's cluster. Reported: wall time, time per notebook, CPU seconds per notebook (the
   grader, the workers and every sandbox), and the projected wall time for 1,000 students on N
   workers with a core each: ``1000 x CPU-per-notebook / N`` (the CPU figure is what a worker with
   its own core spends; on this shared machine the wall figure is slower than that).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grading import CPU, SOURCE, _cpuacct, baseline_tree, make_class, timed  # noqa: E402


def compare(args: argparse.Namespace, tmp: Path) -> list[str]:
    paths = make_class(tmp / "subs", args.students)
    given = Path(args.baseline)
    old = given if (given / "qlab").is_dir() else baseline_tree(args.baseline, tmp / "baseline")
    if old is None:
        return [f"(no git revision {args.baseline}: the pool cannot be compared)"]
    qlab = [sys.executable, "-m", "qlab", "grade", str(SOURCE), *map(str, paths), "-j", "2", "--no-progress"]
    variants = {"dask-local": dict(os.environ), "pool": {**os.environ, "PYTHONPATH": str(old)}}
    wall: dict[str, list[float]] = {n: [] for n in variants}
    cpu: dict[str, list[float]] = {n: [] for n in variants}
    names = list(variants)
    for r in range(args.runs):
        for name in (names if r % 2 == 0 else names[::-1]):
            wall[name].append(timed([*qlab, "-o", str(tmp / f"out-{name}-{r}")], env=variants[name]))
            cpu[name].append(CPU[-1])
            print(f"  run {r + 1}: {name} {wall[name][-1]:.1f} s wall, {cpu[name][-1]:.1f} s CPU", file=sys.stderr)
    same = all((tmp / f"out-dask-local-{r}" / "gradebook.csv").read_bytes()
               == (tmp / f"out-pool-{r}" / "gradebook.csv").read_bytes() for r in range(args.runs))
    lines = [f"| class of {args.students}, -j 2 | wall s (median of {args.runs}) | vs pool | CPU s | CPU vs pool |",
             "|---|---|---|---|---|"]
    for name in names:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        lines.append(f"| {name} | {w:.1f} | x{w / statistics.median(wall['pool']):.3f} | {c:.1f} | "
                     f"x{c / statistics.median(cpu['pool']):.3f} |")
    lines.append(f"gradebooks identical: {same}; every run: " + "; ".join(
        f"{n} {', '.join(f'{w:.1f}' for w in wall[n])}" for n in names))
    return lines


def cohort(args: argparse.Namespace, tmp: Path) -> list[str]:
    from distributed import Client, LocalCluster

    from qlab.assign.grade import grade

    paths = make_class(tmp / "cohort", args.cohort)
    group = _cpuacct()
    if group is not None:  # this process (the grader), its cluster's workers and every sandbox
        (group / "cgroup.procs").write_text(str(os.getpid()))
    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
    client = Client(cluster)
    try:
        client.wait_for_workers(args.workers)
        cpu0 = int((group / "cpuacct.usage").read_text()) / 1e9 if group else float("nan")
        start = time.perf_counter()
        done = [0]

        def progress(row) -> None:
            done[0] += 1
            if done[0] % 25 == 0 or done[0] == len(paths):
                print(f"  {done[0]}/{len(paths)} graded, {time.perf_counter() - start:.0f} s", file=sys.stderr)

        run = grade(SOURCE, paths, tmp / "cohort-out", progress=False, scheduler=cluster.scheduler_address,
                    on_row=progress)
        wall = time.perf_counter() - start
        used = (int((group / "cpuacct.usage").read_text()) / 1e9 - cpu0) if group else float("nan")
    finally:
        client.close()
        try:
            cluster.close()
        except Exception:  # noqa: BLE001 - a worker slow to exit on a loaded machine (its nanny kills it)
            pass
    if group is not None:  # back to where this process was, and the group removed
        (group.parent / "cgroup.procs").write_text(str(os.getpid()))
        for _ in range(50):
            try:
                group.rmdir()
                break
            except OSError:
                time.sleep(0.1)
    n = len(run.rows)
    statuses: dict[str, int] = {}
    for r in run.rows:
        statuses[r.status.value] = statuses.get(r.status.value, 0) + 1
    notebooks = n - statuses.get("not_json", 0)
    per_nb_cpu = used / max(notebooks, 1)
    lines = [f"| cohort of {n} ({notebooks} notebooks), {args.workers} worker processes | value |", "|---|---|",
             f"| wall time | {wall:.0f} s |",
             f"| wall per submission (throughput) | {wall / n:.2f} s |",
             f"| wall per notebook per worker | {wall * args.workers / max(notebooks, 1):.2f} s |",
             f"| CPU per notebook (grader + workers + sandboxes) | {per_nb_cpu:.2f} s |",
             f"| rows in the gradebook | {n} ({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}) |",
             f"| mean score | {sum(r.score for r in run.rows) / max(n, 1):.2f} of {run.rows[0].max_score:g} |"]
    lines += ["", "| 1,000 students on N workers (a core each) | projected wall time |", "|---|---|"]
    for workers in (2, 8, 32, 64, 128):
        seconds = 1000 * per_nb_cpu / workers
        lines.append(f"| {workers} | {seconds / 60:.1f} min |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cohort", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline", default="5927d72",
                        help="git revision of the thread-pool grader (or a folder holding its qlab/)")
    parser.add_argument("--only", choices=("compare", "cohort"))
    args = parser.parse_args()
    out: list[str] = [f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f}"]
    with tempfile.TemporaryDirectory(prefix="qlab-bench-dask-") as tmp:
        tmp = Path(tmp)
        (tmp / "subs").mkdir()
        (tmp / "cohort").mkdir()
        if args.only in (None, "compare"):
            out += ["", *compare(args, tmp)]
        if args.only in (None, "cohort"):
            out += ["", *cohort(args, tmp)]
    out.append(f"load average at end {os.getloadavg()[0]:.1f}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
