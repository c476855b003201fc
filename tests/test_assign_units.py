"""qlab.assign without a kernel: cell metadata, markers, release, split, CLI errors, messages."""

from __future__ import annotations

import copy
import json
import re
import socket
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
from qlab.assign.model import (
    CellError,
    Note,
    Outcome,
    Part,
    PartResult,
    Status,
    StudentRole,
    SubmissionResult,
    TestKind,
    TestResult,
    TestSpec,
)
from qlab.assign.release import load_source, release, student_copy
from qlab.assign.split import split
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
    assert (a.role.value, a.grade_id) == ("answer", "a1")
    assert (t.role.value, t.grade_id, t.points, t.hidden) == ("test", "t1", 2.5, True)
    # `hidden` wraps the test in nbgrader's own markers, so nbgrader's release hides it too
    assert nb.cells[1].source == "### BEGIN HIDDEN TESTS\nassert x == 1\n### END HIDDEN TESTS"
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
    for secret in ("BEGIN SOLUTION", "bell.cx(0, 1)", "BEGIN HIDDEN", "for _n in (2, 4, 5)", "_tilted"):
        assert secret not in text, secret
    assert nb.metadata.qlab == {"assignment": "lab-bell-ghz", "student_id": "kim-01"}
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
        info = cell_info(cell)
        if info.role.value in ("test", "locked"):
            assert cell.metadata["editable"] is False and cell.metadata["deletable"] is False
            assert cell.metadata.nbgrader["checksum"] == compute_checksum(cell)
    (hidden_only,) = _by_gid(nb, "bell-probability-value")
    assert hidden_only.source.startswith("# Hidden tests (2 points)")


def _student(answers: dict[str, str]):
    nb = student_copy(load_source(SOURCE), assignment="lab-bell-ghz")
    for gid, text in answers.items():
        _by_gid(nb, gid)[0].source = text
    return nb


def _split(nb):
    parts = split(load_source(SOURCE), nb)
    graded = [(c.metadata["qlab_grading"]["role"], c.metadata["qlab_grading"].get("grade_id"), c.source)
              for c in parts.graded.cells if c.cell_type == "code"]
    return parts, graded, [n.key for n in parts.notes]


def test_split_takes_answers_by_id_and_tests_only_from_the_source() -> None:
    nb = _student({"bell-circuit": "bell = QuantumCircuit(2)  # mine"})
    nb.cells = [c for c in nb.cells if (c.metadata.get("nbgrader") or {}).get("grade_id") != "bell-state"]
    _by_gid(nb, "bell-entangled")[0].source = "pass  # students cannot weaken tests"
    nb.cells.reverse()  # position does not matter for cells with ids
    parts, graded, notes = _split(nb)
    answers = [c.source for c in parts.student if c.grade_id == "bell-circuit"]
    assert answers == ["bell = QuantumCircuit(2)  # mine"]
    tests = {(g, s.split("\n")[0]) for r, g, s in graded if r == "test"}
    assert ("bell-state", "_s = 1 / np.sqrt(2)") in tests
    assert any(g == "bell-entangled" and "not-entangled" in s for r, g, s in graded if r == "test")
    assert "grade.note_locked_edited" in notes
    # the student's side never gets a test, a hidden test or a solution; the graded side never
    # gets the student's code
    student_text = "\n".join(c.source for c in parts.student)
    assert "not-entangled" not in student_text and "for _n in (2, 4, 5)" not in student_text
    assert "bell.cx(0, 1)" not in student_text
    assert "# mine" not in "\n".join(s for _, _, s in graded)
    # before each test, the answers it reads are fetched as data
    syncs = [s for r, _, s in graded if r == "sync"]
    assert "__qlab_bridge__.sync(globals(), 4, ['bell'])" in syncs
    assert any("['ghz']" in s for s in syncs) and any("['p_same']" in s for s in syncs)


def test_split_survives_deleted_duplicated_and_retyped_answers() -> None:
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
    parts, _, notes = _split(nb)
    cells = [(c.role, c.grade_id, c.source) for c in parts.student]
    assert [s for r, g, s in cells if g == "bell-circuit"] == ["bell = 1", "bell = 2"]
    assert not any(g == "ghz-function" for _, g, _ in cells)
    assert [s for r, g, s in cells if g == "bell-probability"] == ["p_same = 1.0"]
    extra = [i for i, (r, _, _) in enumerate(cells) if r is StudentRole.EXTRA]
    bell_at = max(i for i, (_, g, _) in enumerate(cells) if g == "bell-circuit")
    assert extra == [bell_at + 1]  # kept where the student put it
    assert {"grade.note_missing_answer", "grade.note_duplicated_answer",
            "grade.note_retyped_answer"} <= set(notes)
    assert parts.eager == 4  # the set-up cell may run before the trusted side asks


def test_cli_reports_bad_input_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "x.ipynb"
    bad.write_text("not json", encoding="utf-8")
    assert main(["release", str(bad), "-o", str(tmp_path / "out")]) == 2
    assert "is not a Jupyter notebook" in capsys.readouterr().err
    assert main(["grade", str(SOURCE), str(bad), "-o", str(tmp_path), "--timeout", "0"]) == 2
    assert "Limits must be positive" in capsys.readouterr().err
    with socket.socket() as s:  # a port where no Dask scheduler listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["grade", str(SOURCE), str(bad), "-o", str(tmp_path / "g"), "--no-progress",
                 "--scheduler", f"tcp://127.0.0.1:{port}"]) == 2
    err = capsys.readouterr().err
    assert f"Cannot reach the Dask scheduler at 'tcp://127.0.0.1:{port}'" in err and "Traceback" not in err


def test_every_grade_message_exists_in_english_and_korean() -> None:
    folder = ROOT / "qlab" / "messages"
    en = json.loads((folder / "grade.en.json").read_text(encoding="utf-8"))
    ko = json.loads((folder / "grade.ko.json").read_text(encoding="utf-8"))
    assert set(en) == set(ko)
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("assign", "bridge")
                     for p in (ROOT / "qlab" / folder).glob("*.py"))
    used = set(re.findall(r'"(grade\.[a-z_]*[a-z])"', code))
    assert used <= set(en), used - set(en)
    for status in Status:
        assert f"grade.status_name_{status.value}" in en
        assert status is Status.OK or f"grade.status_{status.value}" in en
    for key in en:  # same placeholders in both languages
        assert set(re.findall(r"{(\w+)", en[key])) == set(re.findall(r"{(\w+)", ko[key])), key


def _row() -> tuple[SubmissionResult, list[TestSpec]]:
    tests = [TestSpec("t-public", 2, TestKind.PUBLIC), TestSpec("t-mixed", 3, TestKind.MIXED)]
    passed = PartResult(Outcome.PASSED)
    failed = PartResult(Outcome.FAILED, error=CellError("AssertionError", "", "assert x == 2"))
    row = SubmissionResult("=kim", "kim.ipynb", Status.OK, {
        "t-public": TestResult(tests[0], {Part.PUBLIC: passed}),
        "t-mixed": TestResult(tests[1], {Part.PUBLIC: passed, Part.HIDDEN: failed}),
    }, notes=[Note("grade.note_missing_answer", {"grade_id": "a1"})])
    return row, tests


def test_feedback_reports_hidden_results_apart_in_english_and_korean() -> None:
    from qlab.assign.feedback import render_feedback

    row, tests = _row()
    en = render_feedback(row, tests, lang="en", assignment="lab")
    public, hidden = en.split("## Hidden tests: 0 of 1 passed")
    assert "## Tests you could run: 2 of 2 passed" in public
    assert "t-mixed (hidden part) | ✗ | 0/3 | the check `assert x == 2` failed" in hidden
    ko = render_feedback(row, tests, lang="ko", assignment="lab")
    assert "## 숨겨진 테스트: 1개 중 0개 통과" in ko and "검사 `assert x == 2`이(가) 실패함" in ko
    assert "답안 셀 'a1'이(가) 없습니다" in ko


def test_a_row_travels_as_json_and_comes_back_the_same() -> None:
    """What an external scheduler ships between machines: ``to_json`` then ``from_json``."""
    from qlab.assign.model import AnswerError, Reason

    row, tests = _row()
    row.answer_errors.append(AnswerError("a1", "ValueError", "nope"))
    row.unanswered.append("a2")
    row.seconds = 3.25
    row.tests["t-mixed"] = TestResult(tests[1], {
        Part.PUBLIC: PartResult(Outcome.NOT_RUN, Reason.TIME_LIMIT),
        Part.HIDDEN: PartResult(Outcome.FAILED, Reason.TIMEOUT, CellError("Timeout", "", "", True))})
    text = json.dumps(row.to_json())
    back = SubmissionResult.from_json(json.loads(text))
    assert back == row and back.score == row.score and back.max_score == row.max_score
    assert [TestSpec.from_json(s.to_json()) for s in tests] == tests


def test_the_summary_histogram_gives_each_whole_score_its_bar() -> None:
    from qlab.assign.summary import histogram_bins

    bins = histogram_bins([0, 3, 3, 8, 8, 8], 8, whole=True)
    assert [(lo + hi) / 2 for lo, hi, _ in bins] == list(range(9))  # full marks apart from 7
    assert [c for *_, c in bins] == [1, 0, 0, 2, 0, 0, 0, 0, 3]
    halves = histogram_bins([0.5, 3.0, 8.0], 8)  # half points: 8 equal bins, the top one closed
    assert len(halves) == 8 and halves[-1] == (7.0, 8.0, 1) and sum(c for *_, c in halves) == 3


def test_gradebook_never_starts_a_cell_with_a_formula() -> None:
    from qlab.assign.report import gradebook_csv

    row, tests = _row()
    lines = gradebook_csv([row], tests).splitlines()
    assert lines[0] == "student_id,submission,status,t-public,t-mixed,total,max_total,reason"
    assert lines[1].startswith("'=kim,kim.ipynb,ok,2,0,2,5,The answer cell 'a1' is missing")


def test_a_missing_submission_is_reported_before_grading_and_still_gets_its_row(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "out"
    assert main(["grade", str(SOURCE), str(tmp_path / "kim.ipynb"), "-o", str(out), "--no-progress"]) == 1
    err = capsys.readouterr().err
    assert err.index("'kim.ipynb' does not exist") < err.index("1 named submission does not exist (it has a row")
    book = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    assert book[1].startswith("kim,kim.ipynb,missing,0,0,0,0,0,8,There is no such file")


def test_an_unusable_output_folder_stops_grading_before_it_starts(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture) -> None:
    sub = tmp_path / "kim.ipynb"
    sub.write_text("{}", encoding="utf-8")
    assert main(["grade", str(SOURCE), str(sub), "-o", str(tmp_path / "typo" / "out")]) == 2
    assert "does not exist, and neither does" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists()


def test_require_sandbox_refuses_where_it_cannot_run(tmp_path: Path, monkeypatch,
                                                     capsys: pytest.CaptureFixture) -> None:
    from qlab.sandbox import support

    monkeypatch.setenv("QLAB_BWRAP", "none")
    support.detect.cache_clear()
    try:
        sub = tmp_path / "kim.ipynb"
        sub.write_text("{}", encoding="utf-8")
        code = main(["grade", str(SOURCE), str(sub), "-o", str(tmp_path / "out"), "--require-sandbox"])
        assert code == 2
        assert "--require-sandbox was given" in capsys.readouterr().err
        assert not (tmp_path / "out" / "gradebook.csv").exists()
    finally:
        support.detect.cache_clear()


# ---- nbgrader's rules (no kernel: the pieces that decide them) ---------------------------------


@pytest.mark.parametrize("shown, points, credit", [
    (None, 2, None), ("0.5", 2, 0.5), ("2.0", 2, 2.0), ("0", 2, 0.0),  # a number from 0 to the points
    ("np.float64(0.5)", 2, None), ("True", 2, None), ("'0.5'", 2, None),  # not a number: full points
    ("-1", 2, None), ("nan", 2, None),  # nbgrader's own odd rule: negative (or NaN) is full points
])
def test_partial_credit_reads_the_displayed_value_as_nbgrader_does(shown, points, credit) -> None:
    from qlab.assign.score import partial_credit

    assert partial_credit(shown, points) == credit


def test_partial_credit_above_the_points_is_an_error_of_the_test() -> None:
    from qlab.assign.score import partial_credit

    with pytest.raises(ValueError):
        partial_credit("3", 2)


def test_items_graded_by_hand_count_in_the_maximum_and_wait_in_the_gradebook() -> None:
    from qlab.assign.model import Grading
    from qlab.assign.pipeline import tests_of
    from qlab.assign.report import gradebook_csv

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Explain.", metadata={"nbgrader": {
            "grade": True, "solution": True, "grade_id": "why", "points": 2, "schema_version": 3}}),
        nbformat.v4.new_markdown_cell("Do it.", metadata={"nbgrader": {
            "grade": False, "solution": False, "locked": True, "task": True, "grade_id": "task1",
            "points": 4, "schema_version": 3}}),
        nbformat.v4.new_code_cell("assert True", metadata={"nbgrader": {
            "grade": True, "solution": False, "grade_id": "smoke", "points": 0, "schema_version": 3}}),
    ])
    check_assignment(nb)  # 0 points and nothing but by-hand items besides are allowed
    specs = tests_of(nb)
    assert [(s.grade_id, s.grading, s.points) for s in specs] == [
        ("why", Grading.MANUAL, 2), ("task1", Grading.TASK, 4), ("smoke", Grading.AUTO, 0)]
    row = SubmissionResult("kim", "kim.ipynb", Status.OK, {
        "why": TestResult(specs[0], {}, pending=True), "task1": TestResult(specs[1], {}, pending=True),
        "smoke": TestResult(specs[2], {Part.PUBLIC: PartResult(Outcome.PASSED)})})
    assert (row.score, row.max_score, row.pending) == (0, 6, 6)
    assert gradebook_csv([row], specs).splitlines() == [
        "student_id,submission,status,why,task1,smoke,total,max_total,by_hand,reason",
        "kim,kim.ipynb,ok,manual,manual,0,0,6,6,"]
    with pytest.raises(AssignmentError, match="no usable points"):
        nb.cells[2].metadata["nbgrader"]["points"] = -1
        check_assignment(nb)


def test_a_locked_cell_is_blamed_only_when_it_differs_from_what_was_given() -> None:
    from qlab.assign.release import was_given

    source = load_source(SOURCE)
    released = student_copy(source, assignment="lab-bell-ghz", lang="ko")
    for original, given in zip(source.cells, released.cells, strict=True):
        if cell_info(original).role.value in ("test", "locked"):
            stale = copy.deepcopy(given)
            stale.metadata["nbgrader"]["checksum"] = "0" * 32  # an old tool's checksum: not the student's doing
            assert was_given(original, stale)
            edited = copy.deepcopy(given)
            edited.source = "# " + edited.source.replace("\n", "\n# ")
            assert not was_given(original, edited), cell_info(original).grade_id


def test_a_copy_released_with_the_earlier_hidden_note_is_not_blamed() -> None:
    """Copies handed out before "(1 point)" read "(1 points)": that line is still what was given."""
    from qlab.assign.release import was_given

    source = load_source(SOURCE)
    kim = nbformat.reads((SOURCE.parent / "sample-submissions" / "kim-minji.ipynb").read_text(encoding="utf-8"),
                         as_version=4)
    assert any("# Hidden tests (1 points)" in "".join(c.source) for c in kim.cells)  # an earlier release
    by_gid = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in kim.cells}
    for original in source.cells:
        info = cell_info(original)
        if info.role.value == "test" and (info.hidden or info.has_hidden_part):
            assert was_given(original, by_gid[info.grade_id]), info.grade_id


def _without_ids(path: Path, target: Path) -> bytes:
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert (raw["nbformat"], raw["nbformat_minor"]) >= (4, 5)  # a format in which cells carry ids
    for cell in raw["cells"]:
        cell.pop("id", None)
    target.write_text(json.dumps(raw), encoding="utf-8")
    return target.read_bytes()


def test_cells_without_ids_are_read_quietly_and_the_files_stay_as_they_were(tmp_path: Path, capsys) -> None:
    """A notebook saved by an older tool has no cell ids: no MissingIDFieldWarning from release,
    from reading a submission or from writing what the grader runs; the files are not changed."""
    import warnings

    from qlab.assign.nbio import write_notebook
    from qlab.assign.read import read_bytes

    source = tmp_path / "source.ipynb"
    before = _without_ids(SOURCE, source)
    student = tmp_path / "kim.ipynb"
    sub_bytes = _without_ids(ROOT / "exercises" / "lab-bell-ghz" / "sample-submissions" / "kim-minji.ipynb", student)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(["release", str(source), "-o", str(tmp_path / "out")]) == 0
        got = read_bytes(student.read_bytes())
        write_notebook(got.notebook, tmp_path / "graded.ipynb")
    assert [str(w.message) for w in caught if "id" in str(w.message).lower()] == []
    assert "MissingIDFieldWarning" not in capsys.readouterr().err
    assert source.read_bytes() == before and student.read_bytes() == sub_bytes
    ids = [cell["id"] for cell in got.notebook.cells]
    assert len(set(ids)) == len(ids) and all(ids)
    assert all("id" not in cell for cell in got.raw["cells"])  # the decoded file as it is


@pytest.mark.parametrize("lang,expected", [
    ("en", ["  test        kind             points  solution  student copy",
            "  bell-state  public + hidden  2       pass      fail",
            "  weak        hidden           1       FAIL      pass",
            "  explain     written answer   1       graded by hand (not run)"]),
    ("ko", ["  테스트      종류         배점  풀이     학생용 배포본",
            "  bell-state  공개 + 숨김  2     통과     실패",
            "  weak        숨김         1     실패(!)  통과",
            "  explain     서술형 답안  1     손으로 채점(실행하지 않음)"]),
])
def test_validate_prints_its_table_in_the_chosen_language_with_columns_aligned(lang, expected, monkeypatch, capsys):
    """Hangul takes two terminal columns: the columns still line up (no kernels: the result is given)."""
    from qlab.assign import validate as validate_module
    from qlab.assign.model import Grading
    from qlab.assign.validate import Validation

    tests = [TestSpec("bell-state", 2, TestKind.MIXED), TestSpec("weak", 1, TestKind.HIDDEN),
             TestSpec("explain", 1, TestKind.PUBLIC, Grading.MANUAL)]
    given = Validation(tests, {"bell-state": True, "weak": False}, {"bell-state": False, "weak": True}, ["weak: bad"])
    monkeypatch.setattr(validate_module, "validate", lambda *a, **k: given)
    assert main(["validate", "source.ipynb", "--lang", lang]) == 1
    assert capsys.readouterr().out.splitlines()[:4] == expected
