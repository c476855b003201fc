"""qlab.assign without a kernel: cell metadata, markers, release, merge, CLI errors, messages."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat
import pytest

from qlab.assign.cells import (
    CODE_PLACEHOLDER,
    apply_headers,
    cell_info,
    check_assignment,
    compute_checksum,
    hidden_part,
    strip_hidden,
    strip_solution,
)
from qlab.assign.merge import merge
from qlab.assign.release import load_source, release, student_copy
from qlab.cli import main
from qlab.errors import AssignmentError

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "exercises" / "lab-bell-ghz" / "source.ipynb"


def _by_gid(nb, gid):
    return [c for c in nb.cells if (c.metadata.get("nbgrader") or {}).get("grade_id") == gid]


def test_solution_region_becomes_an_indented_placeholder() -> None:
    src = "def f():\n    x = 1\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION"
    out = strip_solution(src)
    assert "return x" not in out and "BEGIN" not in out
    assert "    raise NotImplementedError()" in out.splitlines()
    assert strip_solution("answer = 42") == CODE_PLACEHOLDER  # no markers: replaced whole


def test_hidden_regions_split_and_unbalanced_markers_are_named() -> None:
    src = "assert a\n### BEGIN HIDDEN TESTS\nassert b\n### END HIDDEN TESTS\nassert c"
    assert strip_hidden(src) == "assert a\nassert c"
    assert hidden_part(src) == "assert b"
    with pytest.raises(AssignmentError, match="BEGIN HIDDEN TESTS. has no partner"):
        strip_hidden("### BEGIN HIDDEN TESTS\nassert b")


def test_header_lines_become_nbgrader_metadata() -> None:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("# qlab: answer a1\nx = 1"),
        nbformat.v4.new_code_cell("# qlab: test t1 points=2.5 hidden\nassert x == 1"),
    ])
    apply_headers(nb)
    a, t = (cell_info(c) for c in nb.cells)
    assert (a.role, a.grade_id) == ("answer", "a1")
    assert (t.role, t.grade_id, t.points, t.hidden) == ("test", "t1", 2.5, True)
    assert nb.cells[1].source == "assert x == 1"
    assert [i for _, i in check_assignment(nb)] == [a, t]


@pytest.mark.parametrize("cells, words", [
    (["# qlab: test t points=1\nassert 1", "# qlab: test t points=1\nassert 2"], "used by cell 0 and again"),
    (["# qlab: answer a\nx = 1"], "no test cells"),
    (["x = 1\n### BEGIN SOLUTION\nx = 2\n### END SOLUTION", "# qlab: test t points=1\nassert x"],
     "no nbgrader metadata"),
])
def test_bad_assignments_are_refused_with_the_reason(cells: list[str], words: str) -> None:
    nb = apply_headers(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in cells]))
    with pytest.raises(AssignmentError, match=words):
        check_assignment(nb)


def test_release_hides_solutions_and_hidden_tests_and_locks_cells(tmp_path: Path) -> None:
    before = SOURCE.read_bytes()
    (path,) = release(SOURCE, tmp_path, students=["kim-01"])
    assert SOURCE.read_bytes() == before
    assert path == tmp_path / "kim-01" / "lab-bell-ghz.ipynb"
    nb = nbformat.read(path, as_version=4)
    text = json.dumps(nb.cells)
    for secret in ("BEGIN SOLUTION", "bell.cx(0, 1)", "BEGIN HIDDEN", "for n in (2, 4, 5)", "p_same - 1.0"):
        assert secret not in text, secret
    assert nb.metadata.qlab == {"assignment": "lab-bell-ghz", "student_id": "kim-01", "variant_seed": 2024}
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        info = cell_info(cell)
        if info.role in ("test", "locked"):
            assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
            assert cell.metadata.nbgrader["checksum"] == compute_checksum(cell)
    (hidden_only,) = _by_gid(nb, "bell-probability-value")
    assert hidden_only.source.startswith("# Hidden tests (2 points)")


def _student(answers: dict[str, str]):
    nb = student_copy(load_source(SOURCE), assignment="lab-bell-ghz", seed=1)
    for gid, text in answers.items():
        _by_gid(nb, gid)[0].source = text
    return nb


def _graded(nb):
    merged, notes = merge(load_source(SOURCE), nb)
    roles = [(c.metadata["qlab_grading"]["role"], c.metadata["qlab_grading"].get("grade_id"),
              c.source) for c in merged.cells if c.cell_type == "code"]
    return roles, [k for k, _ in notes.notes]


def test_merge_takes_answers_by_id_and_tests_always_from_the_source() -> None:
    nb = _student({"bell-circuit": "bell = QuantumCircuit(2)  # mine"})
    nb.cells = [c for c in nb.cells if (c.metadata.get("nbgrader") or {}).get("grade_id") != "bell-state"]
    _by_gid(nb, "bell-entangled")[0].source = "pass  # students cannot weaken tests"
    nb.cells.reverse()  # position does not matter for cells with ids
    roles, notes = _graded(nb)
    answers = [s for r, g, s in roles if g == "bell-circuit" and r == "answer"]
    assert answers == ["bell = QuantumCircuit(2)  # mine"]
    tests = {(g, s.split("\n")[0]) for r, g, s in roles if r == "test"}
    assert ("bell-state", "_s = 1 / np.sqrt(2)") in tests
    assert any(g == "bell-entangled" and "not-entangled" in s for r, g, s in roles if r == "test")
    assert "grade.note_locked_edited" in notes


def test_merge_survives_deleted_duplicated_and_retyped_answers() -> None:
    nb = _student({"bell-circuit": "bell = 1", "bell-probability": "p_same = 1.0"})
    nb.cells = [c for c in nb.cells if (c.metadata.get("nbgrader") or {}).get("grade_id") != "ghz-function"]
    bell = _by_gid(nb, "bell-circuit")[0]
    second = copy.deepcopy(bell)
    second.source = "bell = 2"
    nb.cells.insert(nb.cells.index(bell) + 1, second)
    helper = nbformat.v4.new_code_cell("def helper():\n    return 3")
    nb.cells.insert(nb.cells.index(second) + 1, helper)
    prob = _by_gid(nb, "bell-probability")[0]
    prob.cell_type = "markdown"
    del prob["outputs"], prob["execution_count"]
    roles, notes = _graded(nb)
    assert [s for r, g, s in roles if g == "bell-circuit" and r == "answer"] == ["bell = 1", "bell = 2"]
    assert not any(g == "ghz-function" for r, g, s in roles if r == "answer")
    assert [s for r, g, s in roles if g == "bell-probability" and r == "answer"] == ["p_same = 1.0"]
    extra = [i for i, (r, _, s) in enumerate(roles) if r == "extra"]
    bell_at = max(i for i, (r, g, _) in enumerate(roles) if g == "bell-circuit")
    assert len(extra) == 1 and extra[0] == bell_at + 1  # kept where the student put it
    assert {"grade.note_missing_answer", "grade.note_duplicated_answer",
            "grade.note_retyped_answer"} <= set(notes)


def test_cli_reports_bad_input_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "x.ipynb"
    bad.write_text("not json", encoding="utf-8")
    assert main(["release", str(bad), "-o", str(tmp_path / "out")]) == 2
    assert "is not a Jupyter notebook" in capsys.readouterr().err
    assert main(["grade", str(SOURCE), str(bad), "-o", str(tmp_path), "--timeout", "0"]) == 2
    assert "Limits must be positive" in capsys.readouterr().err


def test_every_grade_message_exists_in_english_and_korean() -> None:
    folder = ROOT / "qlab" / "messages"
    en = json.loads((folder / "grade.en.json").read_text(encoding="utf-8"))
    ko = json.loads((folder / "grade.ko.json").read_text(encoding="utf-8"))
    assert set(en) == set(ko)
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "qlab" / "assign").glob("*.py"))
    used = set(re.findall(r'"(grade\.[a-z_]*[a-z])"', code))
    assert used <= set(en), used - set(en)
    for status in ("ok", "empty", "not_json", "not_notebook", "timeout", "memory", "kernel_died", "error"):
        assert f"grade.status_name_{status}" in en
    for key in en:  # same placeholders in both languages
        assert set(re.findall(r"{(\w+)", en[key])) == set(re.findall(r"{(\w+)", ko[key])), key


def _row() -> tuple[dict, list]:
    from qlab.assign.grade import TestSpec

    tests = [TestSpec("t-public", 2, "public"), TestSpec("t-mixed", 3, "mixed")]
    passed = {"outcome": "passed", "reason": None, "error": None}
    failed = {"outcome": "failed", "reason": None,
              "error": {"ename": "AssertionError", "evalue": "", "line": "assert x == 2", "timeout": False}}
    row = {"student_id": "=kim", "submission": "kim.ipynb", "status": "ok", "score": 2, "max_score": 5,
           "answer_errors": [], "notes": [["grade.note_missing_answer", {"grade_id": "a1"}]],
           "tests": {"t-public": {"passed": True, "earned": 2, "points": 2, "kind": "public",
                                  "parts": {"public": passed}},
                     "t-mixed": {"passed": False, "earned": 0, "points": 3, "kind": "mixed",
                                 "parts": {"public": passed, "hidden": failed}}}}
    return row, tests


def test_feedback_reports_hidden_results_apart_in_english_and_korean() -> None:
    from qlab.assign.feedback import render_feedback

    row, tests = _row()
    en = render_feedback(row, tests, lang="en", assignment="lab")
    public, hidden = en.split("## Hidden tests: 0 of 1 passed")
    assert "## Tests you could run: 2 of 2 passed" in public
    assert "t-mixed (hidden part) | ❌ | 0/3 | the check `assert x == 2` failed" in hidden
    ko = render_feedback(row, tests, lang="ko", assignment="lab")
    assert "## 숨겨진 테스트: 1개 중 0개 통과" in ko and "검사 `assert x == 2`이(가) 실패함" in ko
    assert "답안 셀 'a1'이(가) 없습니다" in ko


def test_gradebook_never_starts_a_cell_with_a_formula() -> None:
    from qlab.assign.grade import gradebook_csv

    row, tests = _row()
    lines = gradebook_csv([row], tests).splitlines()
    assert lines[0] == "student_id,submission,status,t-public,t-mixed,total,max_total,reason"
    assert lines[1].startswith("'=kim,kim.ipynb,ok,2,0,2,5,The answer cell 'a1' is missing")
