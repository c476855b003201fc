"""Stage 8, report: the gradebook, feedback, summary and results of a class, written as one set.

Reporting reads finished :class:`~qlab.assign.model.SubmissionResult` rows and never changes a
score. Everything goes to a staging folder first and is committed at once
(:mod:`qlab.assign.outputs`), so an interrupted run leaves the previous set untouched.

``gradebook.csv``  student_id, submission, status, one column per test, total, max_total,
                   [by_hand,] reason
``feedback/<id>.md`` + ``.html``  per student (Hangul ids kept; unique even where case is ignored)
``summary.md`` + ``histogram.png``  pass rate per test, statuses, score histogram
``report.html``  the class report: histogram, pass rates, the most common failure messages per
                 test with how many students hit each, the students who need attention
``results.json``  everything above as data, with each row's feedback file
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

from .feedback import feedback_view, note_text, render_feedback
from .identify import feedback_name
from .model import SubmissionResult, TestResult, TestSpec
from .nbio import atomic_write
from .outputs import OutputFolder
from .pages import feedback_page
from .summary import write_summary

# notes that explain a score in the gradebook's reason column (besides every grade.status_*)
REASON_NOTES = frozenset({
    "grade.note_missing_answer", "grade.note_duplicated_answer", "grade.note_retyped_answer",
    "grade.note_all_cells_raised", "grade.note_cell_timeout", "grade.note_duplicate_student",
    "grade.note_id_refused_owned", "grade.note_id_refused_shared", "grade.note_stuck",
    "grade.note_process_cap",
})


def _cell_text(text: str) -> str:
    """A student-chosen text as a spreadsheet cell: never a formula (``=``, ``+``, ``-``, ``@``)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_feedback(row: SubmissionResult, tests: list[TestSpec], path: Path, *, lang: str | None = None,
                   assignment: str = "") -> Path:
    """Write the Markdown feedback of ``row`` to ``path`` and the HTML page next to it (``.html``),
    atomically; return the Markdown path."""
    atomic_write(path, render_feedback(row, tests, lang=lang, assignment=assignment), sync=False)
    atomic_write(path.with_suffix(".html"), feedback_page(feedback_view(row, tests, lang=lang, assignment=assignment),
                                                          lang=lang), sync=False)
    return path


BY_HAND = "manual"  # the gradebook's mark for an item that waits to be graded by hand


def _earned(result: TestResult) -> str:
    return BY_HAND if result.pending else f"{result.earned:g}"


def gradebook_csv(rows: Sequence[SubmissionResult], tests: Sequence[TestSpec], *, lang: str | None = None) -> str:
    """The gradebook: ``student_id, submission, status, <one column per item>, total, max_total,
    [by_hand,] reason``. Each item's column holds the points earned, or ``manual`` while it waits
    to be graded by hand; ``total`` is what was graded automatically, ``max_total`` counts every
    item (as nbgrader's maximum does), and ``by_hand`` (only when the assignment has such items)
    the points still to be graded by hand. The reason explains a status other than ``ok``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    manual = any(s.by_hand for s in tests)
    writer.writerow(["student_id", "submission", "status", *[s.grade_id for s in tests],
                     "total", "max_total", *(["by_hand"] if manual else []), "reason"])
    for row in rows:
        reason = "; ".join(note_text(n, lang) for n in row.notes
                           if n.key.startswith("grade.status_") or n.key in REASON_NOTES)
        writer.writerow([_cell_text(row.student_id), _cell_text(row.submission), row.status.value,
                         *[_earned(row.tests[s.grade_id]) for s in tests],
                         f"{row.score:g}", f"{row.max_score:g}", *([f"{row.pending:g}"] if manual else []),
                         _cell_text(reason)])
    return buf.getvalue()


def write_report(out: OutputFolder, rows: Sequence[SubmissionResult], tests: Sequence[TestSpec], *,
                 assignment: str, seconds: float, lang: str | None = None) -> list[Path]:
    """Write the whole set of outputs (see the module docstring); returns the files in place."""
    staging = out.staging()
    try:
        taken: set[str] = set()
        feedback: dict[int, str] = {}
        for i, row in enumerate(rows):
            name = f"feedback/{feedback_name(row.student_id, taken)}.md"
            write_feedback(row, list(tests), staging / name, lang=lang, assignment=assignment)
            feedback[i] = name
        pages = {row.student_id: feedback[i].removesuffix(".md") + ".html" for i, row in enumerate(rows)}
        write_summary(rows, tests, staging, assignment=assignment, seconds=seconds, lang=lang, feedback=pages)
        data = {"assignment": assignment, "tests": [s.to_json() for s in tests],
                "rows": [{**row.to_json(), "feedback": feedback[i], "feedback_html": pages[row.student_id]}
                         for i, row in enumerate(rows)]}
        atomic_write(staging / "results.json", json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))
        atomic_write(staging / "gradebook.csv", gradebook_csv(rows, tests, lang=lang))
        return out.commit(staging)
    except BaseException:
        out.discard(staging)
        raise
