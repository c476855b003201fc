"""The pages an instructor and a student open after grading: report.html and feedback/<id>.html.

A class of made-up gradebook rows (no kernel needed: reporting reads rows, never grades) goes through
``write_report`` in English and Korean. The class report must say what the class got wrong: a
score histogram (whole numbers of students, Korean labels drawn), the pass rate of every test, the
most common failure messages of each test with how many students hit each (messages that differ
only in a long decimal count as one), and the students who need attention, each linked to their
feedback. Everything a student chose (an id that is a script, a message with markup) shows as
text and runs nothing. Checked in headless Chromium (``tests/_browser.py``); screenshots go to
test-artifacts/browser/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _browser import need

from qlab.assign.model import (
    CellError,
    Grading,
    Note,
    Outcome,
    Part,
    PartResult,
    Reason,
    Status,
    SubmissionResult,
    TestKind,
    TestResult,
    TestSpec,
)
from qlab.assign.outputs import prepare
from qlab.assign.report import write_report
from qlab.assign.score import not_graded

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
TESTS = [TestSpec("bell-state", 2, TestKind.PUBLIC), TestSpec("ghz-state", 3, TestKind.MIXED),
         TestSpec("p-same", 2, TestKind.HIDDEN), TestSpec("explain", 1, TestKind.PUBLIC, Grading.MANUAL)]
NOT_YET = "Not yet. Expected 0.707|00⟩ + 0.707|11⟩, got 0.707|00⟩ - 0.707|11⟩."
HOSTILE = "<script>document.title='PWNED'</script>"


def _part(ok: bool, message: str = "") -> PartResult:
    if ok:
        return PartResult(Outcome.PASSED)
    return PartResult(Outcome.FAILED, None, CellError("AssertionError", message))


def _row(sid: str, bell: bool, ghz: tuple[bool, bool], p_same: bool | str, *, status: Status = Status.OK,
         notes: list[Note] | None = None, unanswered: list[str] | None = None) -> SubmissionResult:
    p_message = p_same if isinstance(p_same, str) else ""
    tests = {
        "bell-state": TestResult(TESTS[0], {Part.PUBLIC: _part(bell, NOT_YET)}),
        "ghz-state": TestResult(TESTS[1], {Part.PUBLIC: _part(ghz[0], "ghz(3) must have 3 qubits"),
                                           Part.HIDDEN: _part(ghz[1], "ghz(2) must have 2 qubits")}),
        "p-same": TestResult(TESTS[2], {Part.HIDDEN: _part(p_same is True, p_message)}),
        "explain": TestResult(TESTS[3], {}, pending=status is Status.OK),
    }
    return SubmissionResult(sid, f"{sid}.ipynb", status, tests, notes=notes or [], unanswered=unanswered or [])


ROWS = [
    _row("kim-minji", True, (True, True), True),
    _row("김민수", False, (True, False), "p_same = 0.4871; add |amplitude|^2 of 00 and 11"),
    _row("lee-jun", False, (True, False), "p_same = 0.5123; add |amplitude|^2 of 00 and 11",
         unanswered=["bell-probability"]),
    _row("park", True, (False, False), "<b>bold</b> & co", notes=[Note("grade.note_locked_edited", {"grade_id": "bell-state"})]),
    _row(HOSTILE, False, (False, False), False, status=Status.NOT_JSON,
         notes=[Note("grade.status_not_json", {"detail": HOSTILE})]),
]
ROWS[-1].tests = {s.grade_id: not_graded(s, Reason.NOT_GRADED) for s in TESTS}  # as grading makes it


def _report(folder: Path, lang: str) -> Path:
    out = prepare(folder)
    write_report(out, ROWS, TESTS, assignment="lab-bell-ghz", seconds=12.5, lang=lang)
    return out.path


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("reports")
    return {lang: _report(base / lang, lang) for lang in ("en", "ko")}


def test_the_class_report_says_what_the_class_got_wrong(reports) -> None:
    html = (reports["en"] / "report.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert HOSTILE not in html and "&lt;script&gt;" in html  # shown, never run
    assert "<b>bold</b>" not in html
    rates = re.findall(r"<code>([\w-]+)</code></td><td>[\w +]+</td><td class=\"num\">[\d.]+</td><td class=\"num\">(\d+/5)</td>", html)
    assert dict(rates) == {"bell-state": "2/5", "ghz-state": "1/5", "p-same": "1/5"}
    # the same message from two students counts 2, whatever decimal each got
    assert re.search(r"<code>bell-state</code></td><td>Not yet\. Expected 0\.707\|00⟩ \+ 0\.707\|11⟩, got .*?</td>"
                     r"<td class=\"num\">2</td>", html)  # the unreadable notebook is not counted
    assert re.search(r"p_same = …; add \|amplitude\|\^2 of 00 and 11</td><td class=\"num\">2</td>", html)
    assert "explain" not in re.search(r"Pass rate per test.*?</table>", html, re.S).group(0)


def test_the_students_who_need_attention_are_named_with_reasons_and_linked(reports) -> None:
    html = (reports["en"] / "report.html").read_text(encoding="utf-8")
    section = re.search(r"Students who need attention</h2>(.*?)</table>", html, re.S).group(1)
    named = re.findall(r'<a href="feedback/([^"]+)\.html">', section)
    assert "kim-minji" not in named and "김민수" in named and "lee-jun" in named and "park" in named
    assert "not a notebook (not JSON)" in section and "left 1 answer unanswered" in section
    assert "The locked cell &#x27;bell-state&#x27; was edited" in section


def test_feedback_pages_exist_for_everyone_in_both_languages(reports) -> None:
    for lang, words in (("en", "Hidden tests: 0 of 2 passed"), ("ko", "숨겨진 테스트: 2개 중 0개 통과")):
        page = (reports[lang] / "feedback" / "lee-jun.html").read_text(encoding="utf-8")
        assert words in page and f'<html lang="{lang}">' in page
        assert "p_same = 0.5123" in page
    assert (reports["en"] / "summary.md").exists() and (reports["en"] / "feedback" / "lee-jun.md").exists()


def test_summary_md_speaks_the_language_of_qlab_lang(tmp_path, monkeypatch) -> None:
    """No --lang, QLAB_LANG=ko: every header, the table head and the picture's text are Korean."""
    monkeypatch.setenv("QLAB_LANG", "ko")
    monkeypatch.setattr("qlab.i18n._current", None)
    summary = (_report(tmp_path / "out", None) / "summary.md").read_text(encoding="utf-8")
    lines = summary.splitlines()
    assert lines[0] == "# 채점 요약: lab-bell-ghz"
    assert lines[2] == "제출물 5개, 평균 1.80점, 중앙값 0점 (만점 7점)."
    for head in ("## 테스트별 통과율", "| 테스트 | 종류 | 배점 | 통과율 |", "## 상태별 제출물", "## 점수 분포",
                 "![점수 분포 그래프](histogram.png)", "채점 시간 12.5초 (제출물 5개)."):
        assert head in lines, head
    assert "| ghz-state | 공개 + 숨김 | 3 | 20% |" in lines and "| explain | 서술형 답안 | 1 | 손으로 채점 (4명 대기) |" in lines
    assert not re.search(r"Pass rate|Score histogram|Grading summary|submissions|!\[histogram\]", summary)


def test_pass_and_fail_marks_are_in_every_font(reports) -> None:
    """✓ and ✗ (in DejaVu, Noto, Nanum...), never the emoji ✅ ❌ that need an emoji font."""
    md = (reports["en"] / "feedback" / "lee-jun.md").read_text(encoding="utf-8")
    assert "| bell-state | ✗ | 0/2 |" in md and "| ghz-state (visible part) | ✓ |" in md
    page = (reports["ko"] / "feedback" / "kim-minji.html").read_text(encoding="utf-8")
    assert '<span class="pass">✓</span>' in page
    for lang in ("en", "ko"):
        for path in reports[lang].rglob("*.*"):
            if path.suffix in (".md", ".html"):
                text = path.read_text(encoding="utf-8")
                assert not re.search("[\u2705\u274c\U0001F300-\U0001FAFF]", text), path


BILINGUAL = "p_same adds the probabilities of 00 and 11 / p_same는 00과 11의 확률을 더한 값입니다"


@pytest.mark.parametrize("lang,shown,gone", [
    ("en", "p_same adds the probabilities of 00 and 11", "확률"),
    ("ko", "p_same는 00과 11의 확률을 더한 값입니다", "adds the probabilities"),
])
def test_a_bilingual_assert_message_shows_in_the_graders_language_only(tmp_path, lang, shown, gone) -> None:
    """A lab's hidden test may say "English / 한국어": --lang en shows the English half, ko the Korean."""
    rows = [_row("choi", True, (True, True), BILINGUAL), _row("han", True, (True, True), BILINGUAL)]
    out = prepare(tmp_path / lang)
    write_report(out, rows, TESTS, assignment="lab-bell-ghz", seconds=1.0, lang=lang)
    for name in ("feedback/choi.md", "feedback/choi.html", "report.html"):
        text = (out.path / name).read_text(encoding="utf-8")
        assert shown in text and gone not in text, name


@pytest.mark.parametrize("message", [
    "p = 1 / 2 is not 1 / 3",                     # one language, a fraction in it
    "기대값 1 / 2가 아닙니다",                        # Korean only
    "Expected 1 / sqrt(2) / 1 / sqrt(2)이어야 합니다 / extra",  # Hangul before the last cut: unclear
])
def test_a_message_that_is_not_clearly_bilingual_stays_whole(message) -> None:
    from qlab.assign.feedback import one_language

    assert one_language(message, "en") == message and one_language(message, "ko") == message


def test_english_with_a_fraction_splits_where_both_halves_keep_it() -> None:
    from qlab.assign.feedback import one_language

    text = "amplitude 1 / sqrt(2) expected / 진폭 1 / sqrt(2)이어야 합니다"
    assert one_language(text, "en") == "amplitude 1 / sqrt(2) expected"
    assert one_language(text, "ko") == "진폭 1 / sqrt(2)이어야 합니다"


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_pages_open_in_a_browser(browser, reports, lang: str) -> None:
    need(True, "")
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    try:
        page.goto((reports[lang] / "report.html").as_uri())
        page.wait_for_selector("img.hist")
        assert page.title() != "PWNED" and "PWNED" not in page.title()
        assert page.evaluate("document.querySelector('img.hist').naturalWidth") > 300  # the PNG decoded
        text = page.inner_text("body")
        head = {"en": "Students who need attention", "ko": "살펴볼 학생"}[lang]
        assert head in text and HOSTILE in text  # the id is shown as the text it is
        assert page.evaluate("document.querySelectorAll('script').length") == 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"class-report-{lang}.png"), full_page=True)
        with page.expect_navigation():  # the attention list links to the student's feedback page
            page.click("a:has-text('lee-jun')")
        assert page.url.endswith("feedback/lee-jun.html")
        assert {"en": "Score so far", "ko": "현재 점수"}[lang] in page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / f"feedback-{lang}.png"), full_page=True)
    finally:
        page.close()
