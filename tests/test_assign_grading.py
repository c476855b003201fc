"""Grading a class of mangled submissions: every one gets a row and a reason, none is modified.

One grade run (2 workers) covers most robustness cases at once, since each notebook costs a
kernel start; the time-limit, determinism and interruption cases need runs of their own.
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


def _copy():
    return student_copy(load_source(SOURCE), assignment="lab-bell-ghz", seed=2024)


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
    run = grade(SOURCE, paths, base / "out", limits=Limits(timeout=60, cell_timeout=4, memory_mb=3072),
                jobs=2, progress=False)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in paths}
    rows = {r["submission"].removesuffix(".ipynb"): r for r in run.rows}
    return run, rows, before, after


def _notes(row) -> set[str]:
    return {key for key, _ in row["notes"]}


def test_a_correct_submission_earns_full_marks_and_the_gradebook_has_every_student(graded) -> None:
    run, rows, _, _ = graded
    assert rows["good"]["score"] == rows["good"]["max_score"] == 8
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
    ghz = rows["ghz3only"]["tests"]["ghz-state"]
    assert ghz["parts"]["public"]["outcome"] == "passed"
    assert ghz["parts"]["hidden"]["outcome"] == "failed" and not ghz["passed"]
    assert rows["ghz3only"]["score"] == 5
    feedback = (run.out_dir / "feedback" / "ghz3only.md").read_text(encoding="utf-8")
    public, hidden = feedback.split("## Hidden tests")
    assert "ghz-state (visible part) | ✅" in public
    assert "ghz-state (hidden part) | ❌ | 0/3 | ghz(2) must have 2 qubits" in hidden


@pytest.mark.parametrize("name, status, note", [
    ("notjson", "not_json", "grade.status_not_json"),
    ("empty", "empty", "grade.status_empty"),
    ("raises", "ok", "grade.note_all_cells_raised"),
])
def test_unusable_submissions_score_zero_with_a_reason(graded, name: str, status: str, note: str) -> None:
    _, rows, _, _ = graded
    row = rows[name]
    assert (row["status"], row["score"]) == (status, 0)
    assert note in _notes(row)


def test_mangled_answer_cells_are_still_graded(graded) -> None:
    _, rows, _, _ = graded
    assert rows["deleted"]["score"] == 5  # ghz tests fail, the rest pass
    assert "grade.note_missing_answer" in _notes(rows["deleted"])
    assert rows["duplicated"]["score"] == 8  # the copies ran in order: the fixed one counts
    assert "grade.note_duplicated_answer" in _notes(rows["duplicated"])
    assert rows["retyped"]["score"] == 8
    assert "grade.note_retyped_answer" in _notes(rows["retyped"])


def test_replacing_qlab_check_does_not_pass_the_tests(graded) -> None:
    _, rows, _, _ = graded
    row = rows["tamper"]
    assert not row["tests"]["bell-state"]["passed"] and not row["tests"]["ghz-state"]["passed"]
    (fields,) = [f for k, f in row["notes"] if k == "grade.note_tampered"]
    for name in ("qlab.check", "assert_states_equal", "os.environ['QLAB_GRADING']"):
        assert name in fields["names"]


def test_an_endless_loop_is_interrupted_and_the_rest_still_graded(graded) -> None:
    _, rows, _, _ = graded
    row = rows["loop"]
    assert row["score"] == 5 and not row["tests"]["ghz-state"]["passed"]
    assert "grade.note_cell_timeout" in _notes(row)


def test_allocating_past_the_memory_limit_fails_only_that_answer(graded) -> None:
    _, rows, _, _ = graded
    row = rows["memory"]
    assert row["status"] == "memory" and "grade.status_memory" in _notes(row)
    assert row["score"] == 6 and not row["tests"]["bell-probability-value"]["passed"]


def test_submissions_are_never_modified(graded) -> None:
    _, _, before, after = graded
    assert before == after


def test_notebook_time_limit_keeps_the_results_of_cells_that_ran(tmp_path: Path) -> None:
    # the loop ignores interrupts, so only the notebook time limit (6 s) can stop it
    stubborn = "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass"
    sub = _write(tmp_path, "stubborn", _answered(**{"ghz-function": stubborn}))
    run = grade(SOURCE, [sub], tmp_path / "out", limits=Limits(timeout=6, cell_timeout=60), jobs=1,
                progress=False)
    (row,) = run.rows
    assert row["status"] == "timeout" and "grade.status_timeout" in _notes(row)
    assert row["score"] == 3  # bell-state and bell-entangled ran before the loop
    assert row["tests"]["bell-probability-value"]["parts"]["hidden"]["reason"] == "time_limit"


def test_grading_twice_gives_the_same_gradebook(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    subs.mkdir()
    paths = [_write(subs, "a", _answered()), _write(subs, "b", _answered(**{"ghz-function": GHZ3_ONLY})),
             _write(subs, "c", "{}")]
    first = grade(SOURCE, paths, tmp_path / "one", jobs=2, progress=False).gradebook.read_bytes()
    second = grade(SOURCE, list(reversed(paths)), tmp_path / "two", jobs=1, progress=False)
    assert second.gradebook.read_bytes() == first


def test_an_interrupted_run_leaves_no_gradebook_and_no_processes(tmp_path: Path) -> None:
    subs = tmp_path / "subs"
    subs.mkdir()
    paths = [_write(subs, f"s{i}", _answered(**{"ghz-function": LOOP})) for i in range(2)]
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    out = tmp_path / "out"
    env = {**os.environ, "TMPDIR": str(scratch)}
    proc = subprocess.Popen([sys.executable, "-m", "qlab", "grade", str(SOURCE), *map(str, paths),
                             "-o", str(out), "--cell-timeout", "60", "--no-progress"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(scratch.glob("qlab-grade-*/*/results.json")):
        time.sleep(0.2)  # wait until the kernels are running
    assert list(scratch.glob("qlab-grade-*/*/results.json")), "grading never started"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert not (out / "gradebook.csv").exists()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")] if out.exists() else True
    time.sleep(0.5)
    left = []
    for proc_dir in Path("/proc").glob("[0-9]*"):
        try:
            cwd = os.readlink(proc_dir / "cwd")
        except OSError:
            continue
        if cwd.startswith(str(scratch)):
            left.append(proc_dir.name)
    assert not left, f"processes left running in the grading folder: {left}"
