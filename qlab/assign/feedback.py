"""The feedback a student reads: ``feedback/<student>.md`` and ``.html``, in English or Korean.

Public tests (the ones the student could run) and hidden tests are reported in separate sections,
each with its message, so nobody reads "all tests passed" while a hidden test failed. A test with
a visible and a hidden part appears in both sections, one line per part. Answers and tasks graded
by hand have their own section: waiting for the instructor, or not answered (0). Notes explain anything
the grader had to work around (a deleted answer cell, a time limit, a replaced ``qlab.check``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..i18n import get_language, t
from .model import (
    CellError,
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


def note_text(note: Note, lang: str | None = None) -> str:
    """One note of a gradebook row as text in ``lang``."""
    return t(note.key, lang=lang, **note.fields)


def part_message(part: PartResult, lang: str | None = None) -> str:
    """Why one part of a test failed, for the student: the check's message or the failing line."""
    if part.outcome is Outcome.PASSED:
        return ""
    if part.outcome is Outcome.NOT_RUN:
        return t(f"grade.part_{(part.reason or Reason.NOT_RUN).value}", lang=lang)
    prefix = t("grade.part_after_timeout", lang=lang) + " " if part.reason is Reason.AFTER_TIMEOUT else ""
    if part.reason in (Reason.STDERR, Reason.PARTIAL_ABOVE_MAX):
        return t(f"grade.part_{part.reason.value}", lang=lang, shown=part.shown or "")
    err = part.error or CellError()
    if err.timeout:
        return t("grade.part_timeout", lang=lang)
    ename, evalue, line = err.ename, err.evalue.strip(), err.line
    if ename == "AssertionError" and not evalue:
        return prefix + t("grade.part_assert_failed", lang=lang, line=line or "assert")
    if ename == "AssertionError":
        return prefix + one_language(evalue, lang)
    if ename == "NotImplementedError" and not evalue:
        return prefix + t("grade.part_not_implemented", lang=lang)
    return prefix + t("grade.part_error", lang=lang, ename=ename or "Error", evalue=evalue or line)


MARKS = {True: "✓", False: "✗"}  # in every font (an emoji such as a green tick needs an emoji font)
SEPARATOR = " / "  # a lab's bilingual assert message: "English / 한국어"
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def one_language(text: str, lang: str | None = None) -> str:
    """The half of a bilingual message ``"English / 한국어"`` in ``lang`` (a lab's assert message
    written for both audiences), so one page speaks one language.

    The text is split only where the split is certain: at a ``" / "`` with no Hangul before it and
    Hangul after it, both halves non-empty. Where English itself holds ``" / "`` (``"1 / sqrt(2)"``),
    the split that leaves as many ``" / "`` in each half is taken; when none does, or the message
    is in one language, it is returned whole. A message of several lines that does not split as a
    whole is split line by line.
    """
    whole = _split_bilingual(text)
    if whole is None:
        if "\n" not in text:
            return text
        return "\n".join(one_language(line, lang) for line in text.split("\n"))
    english, korean = whole
    return korean if (lang or get_language()) == "ko" else english


def _split_bilingual(text: str) -> tuple[str, str] | None:
    cuts = []
    start = text.find(SEPARATOR)
    while start >= 0:
        left, right = text[:start].strip(), text[start + len(SEPARATOR):].strip()
        if left and right and not _HANGUL.search(left) and _HANGUL.search(right):
            cuts.append((left, right))
        start = text.find(SEPARATOR, start + 1)
    if len(cuts) > 1:
        cuts = [(a, b) for a, b in cuts if a.count(SEPARATOR) == b.count(SEPARATOR)]
    return cuts[0] if len(cuts) == 1 else None


def test_message(result: TestResult, part: Part, lang: str | None = None) -> str:
    """The message of one part of a test: why it failed, or the partial credit it earned."""
    outcome = result.parts[part]
    if outcome.passed and result.passed and result.partial is not None and outcome.shown is not None:
        return t("grade.part_partial", lang=lang, earned=f"{result.partial:g}", points=f"{result.spec.points:g}")
    return part_message(outcome, lang)


def by_hand_state(result: TestResult, lang: str | None = None) -> str:
    """Where an item graded by hand stands: waiting for the instructor, or not answered (0)."""
    return t("grade.by_hand_pending" if result.pending else "grade.by_hand_unanswered", lang=lang)


def score_line(row: SubmissionResult, lang: str | None = None) -> str:
    """``Score: 3 / 10``, plus the points still to be graded by hand when there are any."""
    if row.pending:
        return t("grade.fb_score_pending", lang=lang, score=f"{row.score:g}", total=f"{row.max_score:g}",
                 pending=f"{row.pending:g}")
    return t("grade.fb_score", lang=lang, score=f"{row.score:g}", total=f"{row.max_score:g}")


def _md(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("|", "\\|")).strip()


def plain(text: str) -> str:
    """A catalog line without its Markdown dress (``# ``, ``## ``, ``**``), for HTML."""
    return re.sub(r"^#+\s*", "", text).replace("**", "").strip()


def table_head(key: str, lang: str | None = None) -> list[str]:
    """The column names of a Markdown table head from the catalog (``| a | b |`` -> ``[a, b]``)."""
    return [c.strip() for c in t(key, lang=lang).strip().strip("|").split("|")]


@dataclass
class Section:
    """One table of the feedback: a heading, column names, and rows (``ok`` None: no mark)."""

    heading: str  # catalog text, Markdown dress included
    head_key: str
    rows: list[tuple[str, bool | str, str, str]]  # label, passed (or the kind of a by-hand item), points, message


@dataclass
class FeedbackView:
    """What a student's feedback says, before it is written as Markdown or HTML."""

    title: str
    score: str
    status: str | None
    sections: list[Section] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    answer_errors: list[tuple[str, str]] = field(default_factory=list)  # grade id, "Error: message"
    notes: list[str] = field(default_factory=list)


def feedback_view(row: SubmissionResult, tests: list[TestSpec], *, lang: str | None = None,
                  assignment: str = "") -> FeedbackView:
    """The feedback of one gradebook row as data (see the module docstring for what it holds)."""
    view = FeedbackView(t("grade.fb_title", lang=lang, assignment=assignment, student=row.student_id),
                        score_line(row, lang), None)
    if row.status is not Status.OK:
        view.status = t("grade.fb_status", lang=lang, status=t(f"grade.status_name_{row.status.value}", lang=lang))
    for part in (Part.PUBLIC, Part.HIDDEN):
        entries = [(s, row.tests[s.grade_id]) for s in tests if part in s.parts]
        if not entries:
            continue
        passed = sum(1 for _, r in entries if r.parts[part].passed)
        section = Section(t(f"grade.fb_section_{part.value}", lang=lang, passed=passed, total=len(entries)),
                          "grade.fb_table_head", [])
        for spec, result in entries:
            label = spec.grade_id if spec.kind is not TestKind.MIXED else t(
                f"grade.fb_part_{part.value}", lang=lang, grade_id=spec.grade_id)
            section.rows.append((label, result.parts[part].passed, f"{result.earned:g}/{spec.points:g}",
                                 test_message(result, part, lang)))
        view.sections.append(section)
    by_hand = [(s, row.tests[s.grade_id]) for s in tests if s.by_hand]
    if by_hand:
        view.sections.append(Section(
            t("grade.fb_section_by_hand", lang=lang, n=len(by_hand), points=f"{sum(s.points for s, _ in by_hand):g}"),
            "grade.fb_table_head_by_hand",
            [(s.grade_id, t("grade.grading_" + s.grading.value, lang=lang), f"{s.points:g}",
              by_hand_state(r, lang)) for s, r in by_hand]))
    if any(s.kind is TestKind.MIXED and not s.by_hand for s in tests):
        view.rules.append(t("grade.fb_mixed_rule", lang=lang))
    view.answer_errors = [(e.grade_id, f"{e.ename}: {e.evalue}") for e in row.answer_errors]
    view.notes = [note_text(note, lang) for note in row.notes]
    return view


def render_feedback(row: SubmissionResult, tests: list[TestSpec], *, lang: str | None = None,
                    assignment: str = "") -> str:
    """The Markdown feedback of one gradebook row (for terminals and editors)."""
    view = feedback_view(row, tests, lang=lang, assignment=assignment)
    title = t("grade.fb_title", lang=lang, assignment=assignment, student=_md(row.student_id))
    lines = [title, "", view.score]
    if view.status:
        lines += ["", view.status]
    for section in view.sections:
        lines += ["", section.heading, "", t(section.head_key, lang=lang), "|---|---|---|---|"]
        for label, result, points, message in section.rows:
            mark = result if isinstance(result, str) else MARKS[bool(result)]
            lines.append(f"| {label} | {mark} | {points} | {_md(message)} |")
    for rule in view.rules:
        lines += ["", rule]
    if view.answer_errors:
        lines += ["", t("grade.fb_answer_errors", lang=lang), ""]
        lines += [f"- `{_md(gid)}`: {_md(text)}" for gid, text in view.answer_errors]
    if view.notes:
        lines += ["", t("grade.fb_notes", lang=lang), ""]
        lines += [f"- {_md(note)}" for note in view.notes]
    return "\n".join(lines) + "\n"
