"""A class with attackers and unlucky students (tests/hostile_corpus.py), graded once in the sandbox.

Every attacker scores exactly what the same answers score without the trick, test by test; every
honest student gets the grade their answers earn, whatever their file is called; no file outside
the sandboxes changes (the other submissions, the source, the installed qlab, the output folder's
other files); no process a submission started is alive when ``grade`` returns.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest
from hostile_corpus import (
    FULL,
    MARKER,
    QLAB,
    UNDECODABLE,
    checksums,
    fill,
    lab_cases,
    leftover_cgroups,
    need_full_sandbox,
    survivors,
)

from qlab.assign.grade import grade
from qlab.assign.model import Limits, Status
from qlab.assign.release import load_source, student_copy

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "lab-bell-ghz" / "source.ipynb"

pytestmark = pytest.mark.slow


def _notebook(answers: dict[str, str], student_id: str | None = None):
    nb = student_copy(load_source(SOURCE), assignment="lab-bell-ghz", student_id=student_id)
    for cell in nb.cells:
        gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return nb


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    need_full_sandbox()
    base = tmp_path_factory.mktemp("corpus")
    klass, out, pwned = base / "class", base / "out", base / "PWNED"
    out.mkdir()
    (out / "notes.txt").write_text("the instructor's own notes\n", encoding="utf-8")
    cases = lab_cases(str(pwned))
    paths = []
    for case in cases:
        answers = {gid: fill(code, CLASS=str(klass), OUT=str(out), MARKER=MARKER)
                   for gid, code in case.answers.items()}
        path = klass / case.file
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(_notebook(answers, case.student_id), path)
        paths.append(str(path))
    path = os.path.join(os.fsencode(klass), UNDECODABLE)  # the name a Korean zip gives
    with open(path, "wb") as fh:
        fh.write(nbformat.writes(_notebook(FULL)).encode("utf-8"))
    paths.append(os.fsdecode(path))
    watched = (klass, SOURCE.parent, QLAB)
    before = checksums(*watched)
    notes = (out / "notes.txt").read_bytes()
    started = time.monotonic()
    # no trick here needs a time limit to be stopped, so the limits only have to be far above what
    # an honest notebook and the floods take on a heavily loaded 2-core machine
    run = grade(SOURCE, paths, out, limits=Limits(timeout=300, cell_timeout=90), jobs=2, progress=False)
    seconds = time.monotonic() - started
    alive = survivors()
    time.sleep(1.0)  # a detached process that survived would now rewrite the gradebook
    return {
        "run": run, "cases": cases, "rows": {r.submission: r for r in run.rows}, "seconds": seconds,
        "changed": {k for k, v in checksums(*watched).items() if before.get(k) != v} | (before.keys() - checksums(*watched).keys()),
        "notes": (out / "notes.txt").read_bytes() == notes, "alive": alive, "pwned": pwned,
        "out": out,
    }


def test_every_attacker_scores_exactly_what_its_answers_earn(corpus) -> None:
    rows, report = corpus["rows"], []
    for case in corpus["cases"]:
        row = rows[case.file]
        if case.expect is not None:
            assert row.score == case.expect, (case.file, row.score, [n.key for n in row.notes])
        if case.twin:
            twin = rows[case.twin]
            earned = {g: r.earned for g, r in row.tests.items()}
            assert earned == {g: r.earned for g, r in twin.tests.items()}, (case.file, earned)
            report.append(f"{case.file} [{', '.join(case.kinds)}]: {row.score:g} (twin {case.twin}: {twin.score:g})")
    kinds = {k for case in corpus["cases"] for k in case.kinds}
    assert len(kinds) >= 16, kinds  # every kind of trick was tried
    print("\n".join(report))


def test_honest_students_get_their_grade_whatever_their_file_is_called(corpus) -> None:
    run, rows = corpus["run"], corpus["rows"]
    assert rows["김민수.ipynb"].student_id == "김민수" and rows["김민수.ipynb"].score == 8
    assert (rows["sec1/alice.ipynb"].student_id, rows["sec1/alice.ipynb"].score) == ("sec1/alice", 8)
    assert (rows["sec2/alice.ipynb"].student_id, rows["sec2/alice.ipynb"].score) == ("sec2/alice", 5)
    (cp949,) = [r for r in run.rows if r.submission.endswith("-cp949.ipynb")]
    assert (cp949.student_id, cp949.score) == ("김민수-cp949", 8)
    assert len({r.student_id for r in run.rows}) == len(run.rows)
    results = json.loads((run.out_dir / "results.json").read_text(encoding="utf-8"))
    files = [row["feedback"] for row in results["rows"]]
    assert len(set(files)) == len(files) == len(run.rows)
    assert "feedback/김민수.md" in files and all((run.out_dir / f).is_file() for f in files)


def test_an_id_owned_by_another_file_is_refused(corpus) -> None:
    rows = corpus["rows"]
    thief, victim = rows["stolen-id.ipynb"], rows["김민수.ipynb"]
    assert (thief.student_id, victim.student_id) == ("stolen-id", "김민수")
    (note,) = [n for n in thief.notes if n.key == "grade.note_id_refused_owned"]
    assert note.fields["owner"] == "김민수.ipynb"
    assert victim.score == 8  # and the classmate trick did not reach it either


def test_nothing_outside_the_sandboxes_changed_and_nothing_survives(corpus) -> None:
    assert corpus["changed"] == set()  # other submissions, the source, the installed qlab
    assert corpus["notes"]  # the instructor's own file in the output folder
    assert not corpus["pwned"].exists()  # the payload never ran in the grader
    assert corpus["alive"] == [] and survivors() == []
    assert leftover_cgroups() == []
    gradebook = (corpus["out"] / "gradebook.csv").read_text(encoding="utf-8")
    assert "999" not in gradebook and len(gradebook.splitlines()) == len(corpus["run"].rows) + 1


def test_floods_are_capped_and_said(corpus) -> None:
    rows = corpus["rows"]
    assert "grade.note_process_cap" in rows["process-flood.ipynb"].note_keys()
    assert rows["escape.ipynb"].status is Status.OK  # killing "its parent" killed nothing
