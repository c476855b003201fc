"""Every graded lab grades answers it was not written for: differently written correct answers earn
full marks, plausible wrong ones (the shortcut a student would try included) lose the points of the
test that targets them, and the feedback names the mistake.

The answers live in ``tests/lab_answers/<lab>.py`` (one module per lab: ``LAB`` and ``SUBMISSIONS``).
Each submission is built as a student would make it: the released student copy (``qlab release
--student <name>``, so per-student variants differ between submissions) with the answer cells
replaced by the submission's code. A lab's submissions are graded together by one ``qlab grade``
run, the instructor's real grading path, and the gradebook is checked test by test: a submission
lists the points it must earn per test (tests it does not list must earn full marks) and the hints
its feedback must show (the first words of each message, looked up in the English catalog).
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

from qlab.i18n import t

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = ROOT / "tests" / "lab_answers"
QLAB = Path(sys.executable).with_name("qlab")
MODULES = sorted(p.stem for p in ANSWERS.glob("lab_*.py"))


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"lab_answers.{name}")


def _qlab(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [str(QLAB)] if QLAB.exists() else [sys.executable, "-m", "qlab"]
    env = {**os.environ, "QLAB_LANG": "en"}
    for name in ("QLAB_GRADING", "QLAB_STUDENT_ID"):
        env.pop(name, None)
    done = subprocess.run([*command, *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=900)
    assert done.returncode == 0, f"qlab {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _answer_cells(nb) -> dict[str, object]:
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells
            if (c.metadata.get("nbgrader") or {}).get("solution")}


def _hint_start(key: str) -> str:
    """The first words of a catalog message, up to its first placeholder (as feedback shows it)."""
    text = t(key, lang="en").split("{")[0]
    return re.sub(r"\s+", " ", text).strip()[:60]


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\\|", "|"))


def test_every_lab_has_its_answers() -> None:
    labs = sorted(p.parent.name for p in ROOT.glob("exercises/*/source.ipynb"))
    covered = sorted(_load(name).LAB for name in MODULES)
    assert covered == labs, "each lab needs tests/lab_answers/lab_<name>.py"


@pytest.mark.parametrize("name", MODULES)
def test_each_graded_test_meets_two_right_and_two_wrong_answers(name: str) -> None:
    """Static: per graded test, at least two submissions pass it and two fail it (one data check,
    no grading; the grading itself is the next test)."""
    module = _load(name)
    source = nbformat.read(ROOT / "exercises" / module.LAB / "source.ipynb", as_version=4)
    tests = {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
             for c in source.cells if (c.metadata.get("nbgrader") or {}).get("grade")}
    answers = set(_answer_cells(source))
    for sub_name, sub in module.SUBMISSIONS.items():
        assert set(sub["answers"]) <= answers, f"{sub_name}: unknown answer cells"
        assert set(sub.get("points", {})) <= set(tests), f"{sub_name}: unknown tests"
    for gid, points in tests.items():
        passing = [s for s, sub in module.SUBMISSIONS.items() if sub.get("points", {}).get(gid, points) == points]
        failing = [s for s, sub in module.SUBMISSIONS.items() if sub.get("points", {}).get(gid, points) == 0]
        assert len(passing) >= 2, f"{gid}: fewer than two right answers ({passing})"
        assert len(failing) >= 2, f"{gid}: fewer than two wrong answers ({failing})"


@pytest.mark.slow
@pytest.mark.parametrize("name", MODULES)
def test_alternative_and_wrong_answers_are_graded_as_they_deserve(name: str, tmp_path: Path) -> None:
    module = _load(name)
    source = ROOT / "exercises" / module.LAB / "source.ipynb"
    students = list(module.SUBMISSIONS)
    released = tmp_path / "released"
    _qlab("release", str(source), "-o", str(released), *[a for s in students for a in ("--student", s)],
          cwd=tmp_path)
    folder = tmp_path / "submissions"
    folder.mkdir()
    for student, sub in module.SUBMISSIONS.items():
        (copy,) = (released / student).glob("*.ipynb")
        nb = nbformat.read(copy, as_version=4)
        cells = _answer_cells(nb)
        for gid, code in sub["answers"].items():
            cells[gid].source = code
        nbformat.write(nb, folder / f"{student}.ipynb")
    out = tmp_path / "graded"
    _qlab("grade", str(source), *sorted(map(str, folder.glob("*.ipynb"))), "-o", str(out), "--lang", "en",
          "--no-progress", "--jobs", "2", cwd=tmp_path)
    with open(out / "gradebook.csv", encoding="utf-8") as fh:
        book = {row["student_id"]: row for row in csv.DictReader(fh)}
    fixed = {"student_id", "submission", "status", "total", "max_total", "reason"}
    problems = []
    for student, sub in module.SUBMISSIONS.items():
        row = book[student]
        feedback = _normalised((out / "feedback" / f"{student}.md").read_text(encoding="utf-8"))
        if row["status"] != "ok":
            problems.append(f"{student}: status {row['status']} ({row['reason']})")
        for gid in (k for k in row if k not in fixed):
            full = float(source_points(source)[gid])
            want = float(sub.get("points", {}).get(gid, full))
            if float(row[gid]) != want:
                problems.append(f"{student}: {gid} earned {row[gid]}, expected {want:g}")
        for key in sub.get("hints", ()):
            if _hint_start(key) not in feedback:
                problems.append(f"{student}: feedback lacks the hint {key!r}")
        if problems and not any(p.startswith(f"{student}:") for p in problems[:-1]):
            problems.append(f"--- feedback of {student}:\n{feedback[:3000]}")
    assert not problems, "\n".join(problems)


_points_cache: dict[Path, dict[str, float]] = {}


def source_points(source: Path) -> dict[str, float]:
    """grade id -> points of every graded test of a lab's source."""
    if source not in _points_cache:
        nb = nbformat.read(source, as_version=4)
        _points_cache[source] = {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"])
                                 for c in nb.cells if (c.metadata.get("nbgrader") or {}).get("grade")}
    return _points_cache[source]
