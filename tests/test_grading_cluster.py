"""A class graded on a real Dask cluster (a LocalCluster of two worker processes), one worker killed
halfway through.

The grader only talks to the cluster's scheduler (``qlab grade --scheduler ADDRESS``): submissions
and the assignment travel to the worker processes as data, rows come back as data. Killing a worker
(SIGKILL, as a lost node would) while it grades must cost nothing but time: its submission is graded
again on a worker that is alive, every student has exactly one row with the grade their answers
earn, the sandbox held on the workers (an attacker's tricks changed nothing outside it), and nothing
the lost worker started is still running.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

import nbformat
import pytest
from hostile_corpus import (
    FULL,
    MARKER,
    QLAB,
    WORK,
    checksums,
    fill,
    need_full_sandbox,
    survivors,
    with_tricks,
)

from qlab.assign.grade import grade
from qlab.assign.model import Limits, Status
from qlab.assign.release import load_source, student_copy

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "lab-bell-ghz" / "source.ipynb"
EXPECTED = {"good": 8, "김민수": 8, "ghz3": 5, "lee": 5, "classmate": 8, "notjson": 0}


def _notebook(answers: dict[str, str]):
    nb = student_copy(load_source(SOURCE), assignment="lab-bell-ghz")
    for cell in nb.cells:
        gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


def _mentions(folder: Path) -> list[int]:
    """Processes whose working folder or command line is inside ``folder``."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cwd = os.readlink(proc / "cwd")
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if int(proc.name) != os.getpid() and (cwd.startswith(str(folder)) or str(folder).encode() in cmdline):
            found.append(int(proc.name))
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory):
    from distributed import Client, LocalCluster

    need_full_sandbox()  # the class holds an attacker: its tricks run only inside the sandbox
    base = tmp_path_factory.mktemp("cluster")
    klass, out, scratch = base / "class", base / "out", base / "scratch"
    klass.mkdir()
    scratch.mkdir()
    paths = []
    for name in ("good", "김민수", "ghz3", "lee", "classmate"):
        answers = WORK if name in ("ghz3", "lee") else FULL
        if name == "classmate":  # overwrites classmates' files and the installed qlab, if it can
            answers = {gid: fill(code, CLASS=str(klass), MARKER=MARKER)
                       for gid, code in with_tricks(FULL, ("classmate", "patch_installed", "detached")).items()}
        path = klass / f"{name}.ipynb"
        nbformat.write(_notebook(answers), path)
        paths.append(path)
    (klass / "notjson.ipynb").write_text("my answers are in my head", encoding="utf-8")
    paths.append(klass / "notjson.ipynb")
    outside = checksums(klass, SOURCE.parent, QLAB)
    killed: dict[str, int] = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TMPDIR", str(scratch))  # the workers' work folders, to look for leftovers
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address="127.0.0.1:0", silence_logs=logging.CRITICAL)
    client = Client(cluster)
    try:
        client.wait_for_workers(2)
        pids = client.run(os.getpid)

        def kill_a_busy_worker(row) -> None:
            if killed:
                return
            for address, keys in client.processing().items():
                if address in pids and any(str(k).startswith("qlab-grade-") for k in keys):  # grading now
                    os.kill(pids[address], signal.SIGKILL)
                    killed[address] = pids[address]
                    return

        started = time.monotonic()
        run = grade(SOURCE, paths, out, limits=Limits(timeout=120, cell_timeout=30), progress=False,
                    scheduler=cluster.scheduler_address, on_row=kill_a_busy_worker)
        seconds = time.monotonic() - started
        workers_after = client.run(os.getpid)
    finally:
        client.close()
        try:
            cluster.close()
        except Exception:  # noqa: BLE001 - a loaded machine: a worker slower to exit than the nanny waits
            pass  # (the nanny SIGKILLs it; the last test checks nothing is left)
    time.sleep(2)
    return {"run": run, "paths": paths, "outside": outside, "after": checksums(klass, SOURCE.parent, QLAB),
            "killed": killed, "pids": pids, "workers_after": workers_after, "scratch": scratch,
            "seconds": seconds}


def test_every_student_has_one_row_with_the_grade_the_answers_earn(graded) -> None:
    run = graded["run"]
    assert graded["killed"], "no worker was busy when the first row came in: nothing was killed"
    assert [r.student_id for r in run.rows] == sorted(EXPECTED)  # one row each, none twice
    assert {r.student_id: r.score for r in run.rows} == EXPECTED
    assert {r.student_id: r.status for r in run.rows}["notjson"] is Status.NOT_JSON
    gradebook = run.gradebook.read_text(encoding="utf-8").splitlines()
    assert len(gradebook) == 1 + len(EXPECTED)


def test_the_lost_workers_submission_was_graded_on_a_live_worker(graded) -> None:
    (address, pid), = graded["killed"].items()
    assert pid not in graded["workers_after"].values()  # that process is gone (its nanny started another)
    assert all(r.status is not Status.ERROR for r in graded["run"].rows)


def test_the_sandbox_held_on_the_workers(graded) -> None:
    run = graded["run"]
    assert run.sandboxed
    assert graded["after"] == graded["outside"]  # classmates' files, the source, the installed qlab


def test_nothing_the_workers_started_is_left_running(graded) -> None:
    assert not survivors(MARKER)
    assert not _mentions(graded["scratch"]), "processes of the grading run are still alive"
