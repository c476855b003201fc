"""Every graded lab grades answers it was not written for: differently written correct answers earn
full marks, plausible wrong ones (the shortcut a student would try included) lose the points of the
test that targets them, and the feedback names the mistake.

The answers live in ``tests/lab_answers/lab_<name>.py``, one module per lab:

``SUBMISSIONS``
    whole submissions (an answer for every answer cell) graded through the instructor's real path: the released student copy (``qlab
    release --student <name>``, so per-student variants differ between submissions) with its answer
    cells replaced, graded by one ``qlab grade`` run per lab (its student's cells in the sandbox, the
    tests in a trusted kernel that gets the answers as data). Each lists the points it must earn per
    test (a test it does not list must earn full marks) and the hints its feedback must show. The
    same run grades the source's own solution, which must earn full marks (what ``qlab validate``
    checks, without a run of its own).
``ALTERNATIVES`` and ``MISTAKES``
    more answers, checked quickly in this process: the source's cells run in order (set-up, the
    solution's answers except the ones replaced, the test cells). An alternative must pass every test;
    a mistake must fail exactly the tests it lists, each with the listed hint, so that a mistake in one
    exercise cannot fail another exercise's tests. The released student copy, unanswered, is checked
    the same way: every test must fail (validate's other half).

With the source's own solution, every test meets at least three differently written right answers,
two of them graded through ``qlab grade``, and at least two wrong ones. (Grading a run costs some
6 s of CPU and each notebook in it 2-8 s more, the lab's set-up and device runs on both sides of the
sandbox: the in-process checks keep the lab tests within their time budget. Whether each in-process
verdict is also the grader's is checked on demand: QLAB_GRADE_ALL_ANSWERS=1, some 10 minutes.)

Hints are matched by the first words of their English catalog text (up to the first placeholder).
"""

from __future__ import annotations

import csv
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import nbformat
import pytest

from qlab.assign.release import load_source, student_copy
from qlab.i18n import t

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = ROOT / "tests" / "lab_answers"
QLAB = Path(sys.executable).with_name("qlab")
MODULES = sorted(p.stem for p in ANSWERS.glob("lab_*.py"))
UNANSWERED = "unanswered"  # the released copy as a student receives it
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"lab_answers.{name}")


def _source(module: ModuleType) -> Path:
    return ROOT / "exercises" / module.LAB / "source.ipynb"


def _nbgrader(cell) -> dict:
    return cell.metadata.get("nbgrader") or {}


def _tests_of(path: Path) -> dict[str, float]:
    """grade id -> points of every graded test of a lab's source."""
    nb = nbformat.read(path, as_version=4)
    return {_nbgrader(c)["grade_id"]: float(_nbgrader(c)["points"]) for c in nb.cells if _nbgrader(c).get("grade")}


def _answer_cells(nb) -> dict[str, object]:
    return {_nbgrader(c)["grade_id"]: c for c in nb.cells if _nbgrader(c).get("solution")}


def _hint_start(key: str) -> str:
    """The first words of a catalog message, up to its first placeholder (as feedback shows it)."""
    text = t(key, lang="en").split("{")[0]
    return re.sub(r"\s+", " ", text).strip()[:60]


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\\|", "|"))


def _graded(module: ModuleType) -> dict[str, dict]:
    return {k: v for k, v in module.SUBMISSIONS.items() if not v.get("in_process")}


def _unanswered(module: ModuleType) -> dict[str, str]:
    """The answer cells of the released student copy, as a student receives them (placeholders)."""
    copy = student_copy(load_source(_source(module)), assignment=module.LAB)
    return {gid: cell.source for gid, cell in _answer_cells(copy).items()}


def _entries(module: ModuleType) -> list[dict]:
    """The in-process entries of a lab: its alternatives (no test may fail), the submissions marked
    in_process (the tests with 0 points must fail, with their hints among the messages), its
    mistakes, and the released copy left unanswered (every test must fail, as ``qlab validate``
    requires)."""
    tests = _tests_of(_source(module))
    right = [{"answers": a["answers"], "fails": {}} for a in getattr(module, "ALTERNATIVES", [])]
    whole = [{"answers": sub["answers"], "student": name, "hints": sub.get("hints", []),
              "fails": {gid: None for gid in tests if sub.get("points", {}).get(gid, tests[gid]) == 0}}
             for name, sub in module.SUBMISSIONS.items() if sub.get("in_process")]
    unanswered = {"answers": _unanswered(module), "student": UNANSWERED, "fails": dict.fromkeys(tests)}
    return right + whole + list(getattr(module, "MISTAKES", [])) + [unanswered]


def _in_process() -> list[tuple[str, int]]:
    return [(name, i) for name in MODULES for i in range(len(_entries(_load(name))))]


def test_every_lab_has_its_answers() -> None:
    labs = sorted(p.parent.name for p in ROOT.glob("exercises/*/source.ipynb"))
    covered = sorted(_load(name).LAB for name in MODULES)
    assert covered == labs, "each lab needs tests/lab_answers/lab_<name>.py"


@pytest.mark.parametrize("name", MODULES)
def test_each_graded_test_meets_right_and_wrong_answers(name: str) -> None:
    """Per graded test: a graded submission and one more alternative earn it (besides the source's
    solution), and at least two wrong answers (graded or in-process) fail it."""
    module = _load(name)
    tests = _tests_of(_source(module))
    answers = set(_answer_cells(nbformat.read(_source(module), as_version=4)))
    for sub_name, sub in module.SUBMISSIONS.items():
        assert set(sub["answers"]) <= answers, f"{sub_name}: unknown answer cells"
        assert set(sub.get("points", {})) <= set(tests), f"{sub_name}: unknown tests"
    for entry in _entries(module):
        assert set(entry["answers"]) <= answers and set(entry["fails"]) <= set(tests), entry
    for gid, points in tests.items():
        graded = [s for s, sub in _graded(module).items() if not sub.get("points")]
        right = graded + [f"alternative {i}" for i, _ in enumerate(getattr(module, "ALTERNATIVES", []))]
        failing = [s for s, sub in module.SUBMISSIONS.items() if sub.get("points", {}).get(gid, points) == 0]
        failing += [f"mistake {i}" for i, m in enumerate(getattr(module, "MISTAKES", [])) if gid in m["fails"]]
        assert graded, f"{gid}: no graded submission with every answer right"
        assert len(right) >= 2, f"{gid}: fewer than two alternative right answers ({right})"
        assert len(failing) >= 2, f"{gid}: fewer than two wrong answers ({failing})"


SOLUTION = "the-solution"  # graded beside the lab's own submissions
# These tests are about verdicts, not time limits (tests/test_assign_grading.py tests those): a
# loaded test machine (two pytest workers, each grading two submissions at once, on 2 cores) must
# not turn a slow set-up cell into a time-out. Each lab's time against the default limits (30 s a
# cell, 120 s a submission) is measured by benchmarks/lab_grading.py.
LIMITS = ("--cell-timeout", "300", "--timeout", "1200")


def _qlab(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [str(QLAB)] if QLAB.exists() else [sys.executable, "-m", "qlab"]
    env = {**os.environ, "QLAB_LANG": "en"}
    for name in ("QLAB_GRADING", "QLAB_STUDENT_ID"):
        env.pop(name, None)
    done = subprocess.run([*command, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=900)
    assert done.returncode == 0, f"qlab {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _solution(module: ModuleType) -> dict[str, str]:
    """The source's own answers, by answer cell."""
    return {gid: _code(cell) for gid, cell in _answer_cells(nbformat.read(_source(module), as_version=4)).items()}


def _grade_class(module: ModuleType, submissions: dict[str, dict], tmp_path: Path) -> list[str]:
    """Grade ``submissions`` (name -> answers, points, hints) of one lab in one ``qlab grade`` run;
    what went otherwise than listed."""
    source = _source(module)
    points = _tests_of(source)
    students = list(submissions)
    released = tmp_path / "released"
    _qlab("release", str(source), "-o", str(released), *[a for s in students for a in ("--student", s)],
          cwd=tmp_path)
    folder = tmp_path / "submissions"
    folder.mkdir()
    for student, sub in submissions.items():
        (copy,) = (released / student).glob("*.ipynb")
        nb = nbformat.read(copy, as_version=4)
        cells = _answer_cells(nb)
        for gid, code in sub["answers"].items():
            cells[gid].source = code
        nbformat.write(nb, folder / f"{student}.ipynb")
    out = tmp_path / "graded"
    _qlab("grade", str(source), *sorted(map(str, folder.glob("*.ipynb"))), "-o", str(out), "--lang", "en",
          "--no-progress", "--jobs", "2", *LIMITS, cwd=tmp_path)
    with open(out / "gradebook.csv", encoding="utf-8") as fh:
        book = {row["student_id"]: row for row in csv.DictReader(fh)}
    problems = []
    for student, sub in submissions.items():
        row = book[student]
        feedback = _normalised((out / "feedback" / f"{student}.md").read_text(encoding="utf-8"))
        mine = []
        if row["status"] != "ok":
            mine.append(f"{student}: status {row['status']} ({row['reason']})")
        for gid, full in points.items():
            want = float(sub.get("points", {}).get(gid, full))
            if float(row[gid]) != want:
                mine.append(f"{student}: {gid} earned {row[gid]}, expected {want:g}")
        mine += [f"{student}: feedback lacks the hint {key!r}" for key in sub.get("hints", ())
                 if _hint_start(key) not in feedback]
        if mine:
            problems += [*mine, f"--- feedback of {student}: {feedback[:4000]}"]
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("name", MODULES)
def test_alternative_and_wrong_answers_are_graded_as_they_deserve(name: str, tmp_path: Path) -> None:
    """The graded submissions and the source's solution, in one run."""
    module = _load(name)
    submissions = {**_graded(module), SOLUTION: {"answers": _solution(module)}}
    problems = _grade_class(module, submissions, tmp_path)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("QLAB_GRADE_ALL_ANSWERS") != "1",
                    reason="set QLAB_GRADE_ALL_ANSWERS=1 to grade every in-process answer through qlab grade")
@pytest.mark.parametrize("name", MODULES)
def test_in_process_answers_earn_the_same_through_the_grader(name: str, tmp_path: Path) -> None:
    """Opt-in (some 10 minutes): every in-process alternative and mistake graded through ``qlab
    grade`` must earn what the in-process check says, with the same hints. Run it after a change to
    the grader or to how answers cross into the trusted kernel."""
    module = _load(name)
    tests = _tests_of(_source(module))
    solution = _solution(module)
    submissions = {}
    for i, entry in enumerate(_entries(module)):
        hints = list(entry.get("hints", [])) + [k for k in entry["fails"].values() if k]
        # as in process: the answer cells an entry does not replace hold the solution
        submissions[f"in-process-{i}"] = {"answers": {**solution, **entry["answers"]}, "hints": hints,
                                          "points": {gid: 0 for gid in entry["fails"] if gid in tests}}
    problems = _grade_class(module, submissions, tmp_path)
    assert not problems, "\n".join(problems)


def _code(cell) -> str:
    return "\n".join(line for line in cell.source.split("\n") if not line.strip().startswith(MARKERS))


@pytest.mark.parametrize("name, index", _in_process(), ids=[f"{n}-{i}" for n, i in _in_process()])
def test_in_process_answers_pass_or_fail_as_listed(name: str, index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    module = _load(name)
    entry = _entries(module)[index]
    nb = nbformat.read(_source(module), as_version=4)
    monkeypatch.setenv("QLAB_STUDENT_ID", entry.get("student", f"in-process-{index}"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace: dict[str, object] = {"__name__": "__main__"}
    outcome: dict[str, str | None] = {}
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if cell.cell_type != "code":
            continue
        gid = meta.get("grade_id")
        code = entry["answers"].get(gid, _code(cell)) if meta.get("solution") else _code(cell)
        try:
            exec(compile(code, f"<{gid}>", "exec"), namespace)  # noqa: S102 - the lab's own cells
        except Exception as exc:  # a failing answer cell behaves as in a notebook: the next cells run
            if meta.get("grade"):
                outcome[gid] = f"{type(exc).__name__}: {exc}"
            continue
        if meta.get("grade"):
            outcome[gid] = None
    failed = {gid: msg for gid, msg in outcome.items() if msg is not None}
    assert set(failed) == set(entry["fails"]), f"expected to fail {sorted(entry['fails']) or 'nothing'}: {failed}"
    for gid, key in entry["fails"].items():
        if key:
            assert _hint_start(key) in _normalised(failed[gid]), f"{gid}: wants hint {key!r}, got {failed[gid]}"
    shown = _normalised(" ".join(failed.values()))
    missing = [key for key in entry.get("hints", []) if _hint_start(key) not in shown]
    assert not missing, f"hints not shown: {missing}; messages: {failed}"
