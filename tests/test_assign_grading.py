"""Grading a class of mangled submissions: every one gets a row and a reason, none is modified.

One grade run (2 workers) covers most robustness cases at once, since each notebook costs a
kernel start; a second run regrades three of them (determinism) beside a notebook that only the
notebook time limit stops; the interruption and fallback cases need runs of their own.
"""

from __future__ import annotations

import copy
import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from qlab.assign.grade import Limits, grade
from qlab.assign.model import Outcome, Part, Reason, Status
from qlab.assign.release import load_source, student_copy

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "lab-bell-ghz" / "source.ipynb"
GOOD = {
    "bell-circuit": "bell = QuantumCircuit(2)\nbell.h(0)\nbell.cx(0, 1)",
    "ghz-function": ("def ghz(n):\n    qc = QuantumCircuit(n)\n    qc.h(0)\n    for q in range(n - 1):\n"
                     "        qc.cx(q, q + 1)\n    return qc"),
    "bell-probability": ("def p_same(circuit):\n    amplitudes = Statevector(circuit).data\n"
                         "    return abs(amplitudes[0]) ** 2 + abs(amplitudes[3]) ** 2"),
}
GHZ3_ONLY = "def ghz(n):\n    qc = QuantumCircuit(3)\n    qc.h(0)\n    qc.cx(0, 1)\n    qc.cx(1, 2)\n    return qc"
LOOP = "while True:\n    pass"
# ignores every interrupt, so only the notebook time limit can stop it (it sleeps between tries, so
# it holds up its grading without taking a core from the others)
STUBBORN = ("import time\nwhile True:\n    try:\n        while True:\n            time.sleep(0.1)\n"
            "    except KeyboardInterrupt:\n        pass")
# Limits: an honest notebook takes a few seconds and an honest cell under one (several times that
# on a loaded 2-core machine), so every limit below is cleared by a wide margin. The class run
# stops the endless loop with the cell limit; the regrade stops STUBBORN with the notebook limit.
CLASS_LIMITS = Limits(timeout=60, cell_timeout=15, memory_mb=3072)
REGRADE_LIMITS = Limits(timeout=30, cell_timeout=60, memory_mb=3072)


def _copy():
    return student_copy(load_source(SOURCE), assignment="lab-bell-ghz")


def _cell(nb, gid):
    return next(c for c in nb.cells if (c.metadata.get("nbgrader") or {}).get("grade_id") == gid)


def _answered(**changes: str):
    nb = _copy()
    for gid, text in {**GOOD, **changes}.items():
        _cell(nb, gid).source = text
    return nb


def _write(folder: Path, name: str, content) -> Path:
    path = folder / f"{name}.ipynb"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        nbformat.write(content, path)
    return path


def _class(folder: Path) -> list[Path]:
    """The mangled class: each file name says what is wrong with it."""
    folder.mkdir()
    paths = [_write(folder, "good", _answered()),
             _write(folder, "ghz3only", _answered(**{"ghz-function": GHZ3_ONLY})),
             _write(folder, "notjson", "print('my answers')"),
             _write(folder, "empty", "")]
    nb = _answered()
    nb.cells.remove(_cell(nb, "ghz-function"))
    paths.append(_write(folder, "deleted", nb))
    nb = _answered(**{"bell-circuit": "bell = QuantumCircuit(2)\nbell.h(0)"})  # wrong first copy
    fixed = copy.deepcopy(_cell(nb, "bell-circuit"))
    fixed.source = GOOD["bell-circuit"]
    fixed["id"] = "copy-of-bell"  # Jupyter gives a copied cell a new id, keeping its metadata
    nb.cells.insert(nb.cells.index(_cell(nb, "bell-circuit")) + 1, fixed)
    paths.append(_write(folder, "duplicated", nb))
    nb = _answered()
    retyped = _cell(nb, "bell-circuit")
    retyped.cell_type = "markdown"
    del retyped["outputs"], retyped["execution_count"]
    paths.append(_write(folder, "retyped", nb))
    cheat = ("bell = QuantumCircuit(2)\nbell.h(0)\nimport os\nimport qlab\nimport qlab.checks\n"
             "qlab.check = lambda *a, **k: None\nqlab.checks.assert_states_equal = lambda *a, **k: None\n"
             "assert_states_equal = lambda *a, **k: None\nos.environ['QLAB_GRADING'] = '0'")
    paths.append(_write(folder, "tamper", _answered(**{"bell-circuit": cheat, "ghz-function": GHZ3_ONLY})))
    paths.append(_write(folder, "loop", _answered(**{"ghz-function": LOOP})))
    paths.append(_write(folder, "memory", _answered(**{"bell-probability": "big = bytearray(16 * 1024**3)"})))
    raising = {gid: "raise ValueError('nope')" for gid in GOOD}
    nb = _answered(**raising)
    nb.cells.append(nbformat.v4.new_code_cell("1 / 0"))
    paths.append(_write(folder, "raises", nb))
    nb = _answered()
    nb.metadata["qlab"]["student_id"] = "kim-minji"  # the id comes from the metadata, not the name
    paths.append(_write(folder, "renamed-file", nb))
    for p in paths:
        p.chmod(0o444)  # read-only: grading must not even try to write them
    return paths


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("class")
    paths = _class(base / "subs")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}
    run = grade(SOURCE, paths, base / "out", limits=CLASS_LIMITS, jobs=2, progress=False)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}
    rows = {r.submission.removesuffix(".ipynb"): r for r in run.rows}
    return run, rows, before, after


def _notes(row) -> set[str]:
    return row.note_keys()


def test_a_correct_submission_earns_full_marks_and_the_gradebook_has_every_student(graded) -> None:
    run, rows, _, _ = graded
    assert rows["good"].score == rows["good"].max_score == 8
    with open(run.gradebook, encoding="utf-8") as fh:
        book = list(csv.DictReader(fh))
    assert len(book) == len(rows)
    assert list(book[0]) == ["student_id", "submission", "status", "bell-state", "bell-entangled",
                             "ghz-state", "bell-probability-value", "total", "max_total", "reason"]
    ids = {r["student_id"] for r in book}
    assert "kim-minji" in ids and "renamed-file" not in ids
    assert (run.out_dir / "feedback" / "kim-minji.md").exists()
    assert (run.out_dir / "summary.md").exists() and (run.out_dir / "histogram.png").stat().st_size > 1000


def test_hidden_failures_are_reported_apart_from_public_passes(graded) -> None:
    run, rows, _, _ = graded
    ghz = rows["ghz3only"].tests["ghz-state"]
    assert ghz.parts[Part.PUBLIC].outcome is Outcome.PASSED
    assert ghz.parts[Part.HIDDEN].outcome is Outcome.FAILED and not ghz.passed
    assert rows["ghz3only"].score == 5
    feedback = (run.out_dir / "feedback" / "ghz3only.md").read_text(encoding="utf-8")
    public, hidden = feedback.split("## Hidden tests")
    assert "ghz-state (visible part) | ✓" in public
    assert "ghz-state (hidden part) | ✗ | 0/3 | ghz(2) must have 2 qubits" in hidden


@pytest.mark.parametrize("name, status, note", [
    ("notjson", "not_json", "grade.status_not_json"),
    ("empty", "empty", "grade.status_empty"),
    ("raises", "ok", "grade.note_all_cells_raised"),
])
def test_unusable_submissions_score_zero_with_a_reason(graded, name: str, status: str, note: str) -> None:
    _, rows, _, _ = graded
    row = rows[name]
    assert (row.status.value, row.score) == (status, 0)
    assert note in _notes(row)


def test_mangled_answer_cells_are_still_graded(graded) -> None:
    _, rows, _, _ = graded
    assert rows["deleted"].score == 5  # ghz tests fail, the rest pass
    assert "grade.note_missing_answer" in _notes(rows["deleted"])
    assert rows["duplicated"].score == 8  # the copies ran in order: the fixed one counts
    assert "grade.note_duplicated_answer" in _notes(rows["duplicated"])
    assert rows["retyped"].score == 8
    assert "grade.note_retyped_answer" in _notes(rows["retyped"])


def test_replacing_qlab_check_does_not_pass_the_tests(graded) -> None:
    _, rows, _, _ = graded
    row = rows["tamper"]  # its own kernel's qlab.check is not the one the tests call
    assert not row.tests["bell-state"].passed and not row.tests["ghz-state"].passed
    # what its answers earn: bell without the CNOT fails both Bell tests, GHZ3_ONLY the GHZ test;
    # p_same is a function of the tests' own circuits and earns its 2 points
    assert row.score == 2 and row.tests["bell-probability-value"].passed


def test_an_endless_loop_is_interrupted_and_the_rest_still_graded(graded) -> None:
    _, rows, _, _ = graded
    row = rows["loop"]
    assert row.score == 5 and not row.tests["ghz-state"].passed
    assert "grade.note_cell_timeout" in _notes(row)


def test_allocating_past_the_memory_limit_fails_only_that_answer(graded) -> None:
    _, rows, _, _ = graded
    row = rows["memory"]
    assert row.status is Status.MEMORY and "grade.status_memory" in _notes(row)
    assert row.score == 6 and not row.tests["bell-probability-value"].passed


def test_submissions_are_never_modified(graded) -> None:
    _, _, before, after = graded
    assert before == after


def test_one_submission_as_a_task_of_another_scheduler(graded) -> None:
    """grade_one (what a Dask or batch task calls) gives the row the class run gave."""
    from qlab.assign.identify import identify
    from qlab.assign.pipeline import Assignment, grade_one

    run, rows, _, _ = graded
    subs = identify(sorted((run.out_dir.parent / "subs").glob("*.ipynb")))
    (kim,) = [s for s in subs if s.student_id == "kim-minji"]
    row = grade_one(Assignment.load(SOURCE), kim, limits=CLASS_LIMITS)
    want = {**rows["renamed-file"].to_json(), "seconds": 0}
    assert {**row.to_json(), "seconds": 0} == want and row.score == 8


REGRADED = ["good", "ghz3only", "notjson"]


@pytest.fixture(scope="module")
def regraded(graded, tmp_path_factory: pytest.TempPathFactory):
    """Three of the class graded again, in reverse order, beside a notebook that only its time
    limit can stop (it holds one worker for the limit while the other regrades)."""
    run = graded[0]
    base = tmp_path_factory.mktemp("regrade")
    # named to come first (the class is graded in name order): it holds one worker from the start
    stubborn = _write(base, "a-stubborn", _answered(**{"ghz-function": STUBBORN}))
    paths = [stubborn] + [run.out_dir.parent / "subs" / f"{name}.ipynb" for name in reversed(REGRADED)]
    return grade(SOURCE, paths, base / "out", limits=REGRADE_LIMITS, jobs=2, progress=False)


def test_notebook_time_limit_keeps_the_results_of_cells_that_ran(regraded) -> None:
    row = next(r for r in regraded.rows if r.student_id == "a-stubborn")
    assert row.status is Status.TIMEOUT and "grade.status_timeout" in _notes(row)
    assert row.score == 3  # bell-state and bell-entangled ran before the loop
    assert row.tests["bell-probability-value"].parts[Part.HIDDEN].reason is Reason.TIME_LIMIT


def test_grading_twice_gives_the_same_gradebook(graded, regraded) -> None:
    """The same submissions graded again, in another order, with other classmates beside them,
    get the very rows of the class run (but for the file's name, relative to another folder)."""
    def rows(run) -> list[dict[str, str]]:
        with open(run.gradebook, encoding="utf-8", newline="") as fh:
            return [{k: v for k, v in r.items() if k != "submission"}
                    for r in csv.DictReader(fh) if r["student_id"] in REGRADED]

    first, second = rows(graded[0]), rows(regraded)
    assert len(first) == 3 and second == first


def _mentions(folder: Path) -> list[str]:
    """Processes whose working folder or command line is inside ``folder``."""
    found = []
    for proc_dir in Path("/proc").glob("[0-9]*"):
        try:
            cwd = os.readlink(proc_dir / "cwd")
            cmdline = (proc_dir / "cmdline").read_bytes()
        except OSError:
            continue
        if cwd.startswith(str(folder)) or str(folder).encode() in cmdline:
            found.append(proc_dir.name)
    return found


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_keeps_the_previous_outputs_starts_nothing_and_leaves_nothing(tmp_path: Path, sig) -> None:
    from qlab.assign.nbio import atomic_write
    from qlab.assign.outputs import prepare

    subs = tmp_path / "subs"
    subs.mkdir()
    paths = [_write(subs, f"s{i}", _answered(**{"ghz-function": LOOP})) for i in range(3)]
    out = prepare(tmp_path / "out")  # the previous run's complete outputs
    staging = out.staging()
    atomic_write(staging / "gradebook.csv", "previous gradebook\n")
    atomic_write(staging / "feedback" / "s0.md", "previous feedback\n")
    out.commit(staging)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "qlab", "grade", str(SOURCE), *map(str, paths),
                             "-o", str(out.path), "--cell-timeout", "60", "-j", "1", "--no-progress"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            # a test run started in the background hands SIGINT down ignored; the
                            # instructor's terminal does not
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # the trusted side writes results.json after its first cell: both kernels are running, and the
    # endless answer is next (it holds the only worker for its 60 s cell limit). Starting two kernels
    # can take a minute or more while the other test worker grades too, so the wait is generous.
    deadline = time.monotonic() + 240
    while (time.monotonic() < deadline and proc.poll() is None
           and not list(scratch.glob("qlab-grade-*/0000/trusted/results.json"))):
        time.sleep(0.2)
    if not list(scratch.glob("qlab-grade-*/0000/trusted/results.json")):
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"grading never started (exit {proc.returncode}):\n{out}\n{err}")
    signalled = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert time.monotonic() - signalled < 10  # within a few seconds
    assert not list(scratch.glob("qlab-grade-*/0001"))  # nothing started after the signal
    assert (out.path / "gradebook.csv").read_text() == "previous gradebook\n"  # the previous set, whole
    assert (out.path / "feedback" / "s0.md").read_text() == "previous feedback\n"
    assert [p.name for p in out.path.iterdir() if p.name.startswith(".qlab-") and p.name != ".qlab-outputs.json"] == []
    time.sleep(0.5)
    assert not _mentions(scratch), "processes of the run are still alive"
    assert not list(Path("/sys/fs/cgroup/pids").glob(f"qlab-{proc.pid}-*"))  # no control group left


def test_without_the_sandbox_grading_still_works(tmp_path: Path) -> None:
    """The fallback (a laptop without bubblewrap): same pipeline, same verdicts, limits only."""
    subs = tmp_path / "subs"
    subs.mkdir()
    paths = [_write(subs, "김민수", _answered()), _write(subs, "ghz3", _answered(**{"ghz-function": GHZ3_ONLY}))]
    run = grade(SOURCE, paths, tmp_path / "out", jobs=2, progress=False, sandbox="off")
    assert not run.sandboxed
    assert {r.student_id: r.score for r in run.rows} == {"김민수": 8, "ghz3": 5}
