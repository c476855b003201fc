"""nbgrader and qlab grade the same assignments the same way (nbgrader 0.9.6, a dev dependency).

One nbgrader course holds nbgrader's kind of assignment (``tests/nbgrader_sample.py``: the shape of
the sample in nbgrader's user guide, plus 0-point, partial-credit and stderr tests) and every lab in
``exercises/`` (found at run time, so a new lab is covered when it lands). nbgrader releases and
autogrades all of it in one ``generate_assignment`` and one ``autograde`` call; qlab grades the same
submissions, and the two are compared test by test:

* nbgrader's sample through qlab: every student, every test, the same points; items graded by hand
  waiting in both; a locked cell blamed only where the student really changed it;
* every lab through nbgrader: its release hides exactly what qlab's hides (nbgrader's own markers),
  and the solution, answered by a student whose variant nbgrader picks from its submission folder,
  earns every point (as ``qlab validate`` proves it does in qlab, ``tests/test_labs.py``);
* wrong answers lose the same points in both tools (a |Φ−⟩ circuit for the Bell state, another
  student's secret string copied): ``qlab.check`` fails in nbgrader's run with nothing set.

Cost: one nbgrader start for each step and one kernel per notebook (about a minute for three labs).
``QLAB_NBGRADER_FULL=1`` adds, for every lab, the released copy left unanswered and graded by both.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import nbformat
import pytest
from nbgrader_course import Course
from nbgrader_sample import ASSIGNMENT, NOTEBOOKS, SOURCES, STUDENTS, submission

from qlab.assign.cells import cell_info, remove_solution_markers, source_text
from qlab.assign.grade import grade
from qlab.assign.model import Role
from qlab.assign.release import assignment_id, load_source, student_copy
from qlab.exercise_bank import params

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
LABS = {p.parent.name: p for p in sorted(ROOT.glob("exercises/*/source.ipynb"))}
FULL = os.environ.get("QLAB_NBGRADER_FULL") == "1"
SOLVER = "kim-minji"  # answers every lab with its solution
WRONG = "lee-jun"  # a wrong answer where the labs below allow one


def _phi_minus(nb) -> None:
    """lab-bell-ghz: |Φ−⟩ = (|00⟩ − |11⟩)/√2 instead of |Φ+⟩: qlab.check must fail it."""
    _answer(nb, "bell-circuit", "bell = QuantumCircuit(2)\nbell.x(0)\nbell.h(0)\nbell.cx(0, 1)")


def _copied_secret(nb) -> None:
    """lab-algorithms: the solver's secret copied in; this student's own secret is different."""
    _answer(nb, "bv-circuit", _solution(LABS["lab-algorithms"], "bv-circuit").replace(
        "found = max(counts, key=counts.get)", f"found = {params('bv-secret', student=SOLVER)['secret']!r}"))


WRONG_ANSWERS = {"lab-bell-ghz": _phi_minus, "lab-algorithms": _copied_secret}


def _solution(source: Path, gid: str) -> str:
    cell = next(c for c in load_source(source).cells if cell_info(c).grade_id == gid)
    return remove_solution_markers(source_text(cell))


def _answer(nb, gid: str, text: str) -> None:
    next(c for c in nb.cells if (c.metadata.get("nbgrader") or {}).get("grade_id") == gid).source = text


def _solved(released, source: Path):
    nb = copy.deepcopy(released)
    for cell in load_source(source).cells:
        if cell_info(cell).role.answers:
            _answer(nb, str(cell_info(cell).grade_id), remove_solution_markers(source_text(cell)))
    return nb


def _students(lab: str) -> list[str]:
    return [SOLVER, *([WRONG] if lab in WRONG_ANSWERS or FULL else [])]


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Course:
    course = Course(tmp_path_factory.mktemp("nbgrader") / "course")
    for name, make in SOURCES.items():
        course.add_source(ASSIGNMENT, name, make())
    for lab, source in LABS.items():
        course.add_source(lab, lab, nbformat.read(source, as_version=4))
    course.nbgrader("generate_assignment", "*", "--force")
    for student in STUDENTS:
        for name in NOTEBOOKS:
            course.submit(student, ASSIGNMENT, name, submission(course.released(ASSIGNMENT, name), student, name))
    for lab, source in LABS.items():
        released = course.released(lab, lab)
        course.submit(SOLVER, lab, lab, _solved(released, source))
        if lab in WRONG_ANSWERS:
            wrong = _solved(released, source)
            WRONG_ANSWERS[lab](wrong)
            course.submit(WRONG, lab, lab, wrong)
        elif FULL:
            course.submit(WRONG, lab, lab, released)  # left unanswered
    course.nbgrader("autograde", "*", "--force")
    return course


def _compare(course: Course, assignment: str, notebook: str, source: Path, students: list[str],
             out: Path) -> list[tuple[str, str, str, str]]:
    """qlab grade on nbgrader's submissions; ``(student, test, qlab, nbgrader)`` for every item."""
    run = grade(source, [course.submitted(s, assignment, notebook) for s in students], out, progress=False)
    nbgrader = course.grades()
    table = []
    for row in run.rows:
        for gid, result in row.tests.items():
            theirs = nbgrader[(assignment, row.student_id, notebook, gid)]
            ours = "by hand" if result.pending else f"{result.earned:g}"
            other = "by hand" if theirs.needs_manual_grade else f"{theirs.auto_score or 0:g}"
            table.append((row.student_id, gid, ours, other))
            assert theirs.max_score == result.spec.points, (row.student_id, gid)
    print(f"\n{assignment}/{notebook}\n" + "\n".join(f"  {s:10s} {g:30s} qlab {q:8s} nbgrader {n}"
                                                     for s, g, q, n in table))
    return table


def test_nbgraders_sample_grades_the_same_in_qlab(course: Course, tmp_path: Path) -> None:
    for name in NOTEBOOKS:
        source = course.root / "source" / ASSIGNMENT / f"{name}.ipynb"
        table = _compare(course, ASSIGNMENT, name, source, list(STUDENTS), tmp_path / name)
        differ = [row for row in table if row[2] != row[3]]
        assert not differ, f"{name}: qlab and nbgrader disagree on {differ}"
    results = __import__("json").loads((tmp_path / "problem1" / "results.json").read_text(encoding="utf-8"))
    rows = {r["student_id"]: r for r in results["rows"]}
    assert {s: (r["score"], r["max_score"], r["pending"]) for s, r in rows.items()} == {
        "alyssa": (3, 10, 7), "ben": (1.5, 10, 5)}  # ben's code answer is unanswered: 0, not pending
    blamed = {s: sorted(n[1]["grade_id"] for n in r["notes"] if n[0] == "grade.note_locked_edited")
              for s, r in rows.items()}
    assert blamed == {"alyssa": [], "ben": ["correct_squares", "squares_invalid_input"]}  # stale checksums: no blame


@pytest.mark.parametrize("lab", sorted(LABS))
def test_nbgraders_release_hides_what_qlabs_hides(course: Course, lab: str) -> None:
    source = load_source(LABS[lab])
    ours = student_copy(source, assignment=assignment_id(source, LABS[lab]))
    theirs = course.released(lab, lab)
    assert len(theirs.cells) == len(ours.cells)
    for mine, their, original in zip(ours.cells, theirs.cells, source.cells, strict=True):
        info = cell_info(original)
        if info.role is Role.TEST:
            hidden = [line for line in source_text(original).splitlines()
                      if line.strip() and line not in source_text(mine) and "HIDDEN TESTS" not in line]
            assert not [line for line in hidden if line in source_text(their)], f"{lab}/{info.grade_id}"
            visible = [line for line in source_text(mine).splitlines() if not line.startswith("# Hidden tests")]
            assert source_text(their).strip() == "\n".join(visible).strip(), f"{lab}/{info.grade_id}"
        else:
            assert source_text(their) == source_text(mine), f"{lab}/{info.grade_id}"


@pytest.mark.parametrize("lab", sorted(LABS))
def test_every_lab_scores_the_same_in_nbgrader(course: Course, lab: str, tmp_path: Path) -> None:
    grades = course.grades()
    specs = [cell_info(c) for c in load_source(LABS[lab]).cells if cell_info(c).role is Role.TEST]
    for info in specs:  # the solution earns every point in nbgrader, as in qlab (qlab validate)
        got = grades[(lab, SOLVER, lab, info.grade_id)]
        assert (got.auto_score, got.needs_manual_grade) == (info.points, False), f"{lab}/{info.grade_id}"
    if lab in WRONG_ANSWERS or FULL:
        table = _compare(course, lab, lab, LABS[lab], [WRONG], tmp_path / "out")
        assert [row for row in table if row[2] != row[3]] == []
        assert any(row[2] == "0" for row in table)  # the wrong answer did lose points
