"""The instructor's overview of a graded class: ``summary.md``, ``histogram.png`` and ``report.html``.

``summary.md`` lists the pass rate of every test (which exercise the class found hard), the score
distribution, and how many submissions needed special handling (time limit, memory, not a
notebook). ``histogram.png`` draws the score histogram (:func:`histogram_figure`: a matplotlib
``Figure`` drawn without pyplot, so no display is needed and the user's backend is left alone).
``report.html`` (:func:`class_report`, drawn by :mod:`qlab.assign.pages`) adds what the class got
wrong: the most common failure messages of each test with how many students hit each, and the
students who need attention.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import t
from .model import Status, SubmissionResult, TestSpec
from .nbio import atomic_write


def pass_rates(rows: Sequence[SubmissionResult], tests: Sequence[TestSpec]) -> dict[str, float]:
    """Fraction of submissions that passed each automatic test (0.0 when there are no submissions);
    items graded by hand have no pass rate."""
    n = len(rows)
    return {s.grade_id: (sum(1 for r in rows if r.tests[s.grade_id].passed) / n if n else 0.0)
            for s in tests if not s.by_hand}


def kind_name(spec: TestSpec, lang: str | None = None) -> str:
    """What kind of item a test is, in words: public, hidden, or both; or how it is graded by hand."""
    return t(f"grade.grading_{spec.grading.value}" if spec.by_hand else f"grade.kind_{spec.kind.value}", lang=lang)


MAX_WHOLE_BINS = 20  # up to this many points, and whole points only: one bar per possible score


def histogram_bins(scores: Sequence[float], max_score: float, *, whole: bool = False
                   ) -> list[tuple[float, float, int]]:
    """``(low, high, count)`` bins from 0 to ``max_score``.

    ``whole`` (every score is a whole number, as when every test is worth whole points): one bin
    per possible score, ``(s - 0.5, s + 0.5)``, up to :data:`MAX_WHOLE_BINS` points, so a full
    mark has its own bar. Otherwise up to 10 equal bins, the top one closed.
    """
    if whole and max_score == int(max_score) and 0 < max_score <= MAX_WHOLE_BINS:
        counts = [0] * (int(max_score) + 1)
        for x in scores:
            counts[min(int(max_score), max(0, round(x)))] += 1
        return [(k - 0.5, k + 0.5, c) for k, c in enumerate(counts)]
    nbins = max(1, min(10, int(max_score) if max_score >= 1 else 1))
    width = (max_score or 1.0) / nbins
    counts = [0] * nbins
    for x in scores:
        counts[min(nbins - 1, max(0, int(x / width)))] += 1
    return [(i * width, (i + 1) * width, c) for i, c in enumerate(counts)]


@dataclass(frozen=True)
class Rate:
    grade_id: str
    kind: str
    points: float
    passed: int
    rate: float


@dataclass(frozen=True)
class Failure:
    """One failure message of one test, and the students who got it."""

    message: str
    students: tuple[str, ...]


@dataclass(frozen=True)
class Attention:
    """A student the instructor should look at, and why."""

    student_id: str
    score: float
    max_score: float
    reasons: tuple[str, ...]
    feedback: str = ""  # the student's feedback page, relative to the report


@dataclass
class ClassReport:
    """What the class report says, before it is written (``summary.md``, ``report.html``)."""

    assignment: str
    n: int
    mean: float
    median: float
    auto_max: float
    by_hand_points: float
    waiting: int
    rates: list[Rate]
    failures: dict[str, list[Failure]]
    attention: list[Attention]
    statuses: dict[str, int]
    seconds: float


# notes worth the instructor's look even when the score is fine
ATTENTION_NOTES = frozenset({
    "grade.note_all_cells_raised", "grade.note_stuck", "grade.note_process_cap", "grade.note_locked_edited",
    "grade.note_id_refused_owned", "grade.note_id_refused_shared", "grade.note_duplicate_student",
})
TOP_FAILURES = 5
_LONG_NUMBER = re.compile(r"-?\d+\.\d{4,}(?:e[-+]?\d+)?")
# submissions that could not be read: their tests say nothing about what the class got wrong
UNREAD = frozenset({Status.MISSING, Status.UNREADABLE, Status.EMPTY, Status.NOT_JSON, Status.NOT_NOTEBOOK})


def failure_key(message: str) -> str:
    """A failure message with long decimals (4 digits or more) blanked, so ``p = 0.4871`` and
    ``p = 0.5123`` count as one, while a check's own 3-digit amplitudes (``0.707|00⟩``) stay."""
    return _LONG_NUMBER.sub("…", " ".join(message.split()))[:300]


def class_report(rows: Sequence[SubmissionResult], tests: Sequence[TestSpec], *, assignment: str,
                 seconds: float, lang: str | None = None, feedback: dict[str, str] | None = None) -> ClassReport:
    """Pass rates, the most common failure messages per test (with who got them; submissions that
    could not be read are left out there), and the students who need attention: a status other
    than ``ok``, under half the automatic points, unanswered answers, or a note the instructor
    should read (see :data:`ATTENTION_NOTES`)."""
    from .feedback import note_text, test_message

    scores = [r.score for r in rows]
    auto = [s for s in tests if not s.by_hand]
    auto_max = sum(s.points for s in auto)
    rates = pass_rates(rows, tests)
    rate_rows = [Rate(s.grade_id, kind_name(s, lang), s.points, sum(1 for r in rows if r.tests[s.grade_id].passed),
                      rates[s.grade_id]) for s in auto]
    failures: dict[str, list[Failure]] = {}
    for spec in auto:
        seen: dict[str, list[str]] = {}
        shown: dict[str, str] = {}
        for row in rows:
            result = row.tests[spec.grade_id]
            if result.passed or row.status in UNREAD:
                continue
            for part, outcome in result.parts.items():
                if outcome.passed:
                    continue
                message = test_message(result, part, lang) or t("grade.part_not_run", lang=lang)
                key = failure_key(message)
                shown.setdefault(key, key)
                if row.student_id not in seen.setdefault(key, []):
                    seen[key].append(row.student_id)
        ranked = sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:TOP_FAILURES]
        if ranked:
            failures[spec.grade_id] = [Failure(shown[k], tuple(v)) for k, v in ranked]
    attention = []
    for row in rows:
        why = []
        if row.status is not Status.OK:
            why.append(t(f"grade.status_name_{row.status.value}", lang=lang))
        if auto_max and row.score < auto_max / 2:
            why.append(t("grade.html_why_low", lang=lang, score=f"{row.score:g}", max=f"{auto_max:g}"))
        if row.unanswered:
            why.append(t("grade.html_why_unanswered", lang=lang, n=len(row.unanswered)))
        why += [note_text(n, lang) for n in row.notes if n.key in ATTENTION_NOTES]
        if why:
            attention.append(Attention(row.student_id, row.score, row.max_score, tuple(dict.fromkeys(why)),
                                       (feedback or {}).get(row.student_id, "")))
    attention.sort(key=lambda a: (a.score, a.student_id))
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[r.status.value] = statuses.get(r.status.value, 0) + 1
    by_hand = sum(s.points for s in tests if s.by_hand)
    return ClassReport(assignment, len(rows), statistics.mean(scores) if scores else 0.0,
                       statistics.median(scores) if scores else 0.0, auto_max, by_hand,
                       sum(1 for r in rows if r.pending), rate_rows, failures, attention, statuses, seconds)


def _label(low: float, high: float) -> str:
    return f"{(low + high) / 2:5g}" if high - low == 1 and low % 1 == 0.5 else f"{low:5.1f}-{high:5.1f}"


def write_summary(rows: Sequence[SubmissionResult], tests: Sequence[TestSpec], folder: Path, *,
                  assignment: str, seconds: float, lang: str | None = None,
                  feedback: dict[str, str] | None = None) -> Path:
    """Write ``summary.md``, ``histogram.png`` and ``report.html`` into ``folder``; return the
    Markdown path. ``feedback`` maps student ids to their feedback pages (linked from the report)."""
    from .pages import class_page

    scores = [r.score for r in rows]
    max_score = sum(s.points for s in tests if not s.by_hand)
    whole = all(float(s.points).is_integer() for s in tests if not s.by_hand)
    rates = pass_rates(rows, tests)
    lines = [t("grade.sum_title", lang=lang, assignment=assignment), ""]
    if scores:
        lines.append(t("grade.sum_scores", lang=lang, n=len(rows), mean=f"{statistics.mean(scores):.2f}",
                       median=f"{statistics.median(scores):g}", max=f"{max_score:g}"))
    lines += ["", t("grade.sum_rates_head", lang=lang), "", t("grade.sum_table_head", lang=lang),
              "|---|---|---|---|"]
    for s in tests:
        rate = f"{rates[s.grade_id]:.0%}" if s.grade_id in rates else t(
            "grade.sum_by_hand", lang=lang, n=sum(1 for r in rows if r.tests[s.grade_id].pending))
        kind = kind_name(s, lang)
        lines.append(f"| {s.grade_id} | {kind} | {s.points:g} | {rate} |")
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[r.status.value] = statuses.get(r.status.value, 0) + 1
    lines += ["", t("grade.sum_status_head", lang=lang), ""]
    lines += [f"- {t('grade.status_name_' + k, lang=lang)} (`{k}`): {v}" for k, v in sorted(statuses.items())]
    lines += ["", t("grade.sum_hist_head", lang=lang), "", "```"]
    for low, high, count in histogram_bins(scores, max_score, whole=whole):
        lines.append(f"{_label(low, high)} | {'#' * count} {count}")
    lines += ["```", "", t("grade.sum_time", lang=lang, seconds=f"{seconds:.1f}", n=len(rows))]
    png = histogram_png(scores, max_score, assignment=assignment, lang=lang, whole=whole)
    atomic_write(Path(folder) / "histogram.png", png)
    lines += ["", f"![{t('grade.sum_hist_alt', lang=lang)}](histogram.png)", "", t("grade.sum_report_html", lang=lang)]
    path = Path(folder) / "summary.md"
    atomic_write(path, "\n".join(lines) + "\n")
    report = class_report(rows, tests, assignment=assignment, seconds=seconds, lang=lang, feedback=feedback)
    atomic_write(Path(folder) / "report.html", class_page(report, lang=lang, histogram_png=png))
    return path


def histogram_figure(scores: Sequence[float], max_score: float, *, assignment: str,
                     lang: str | None = None, whole: bool = False) -> Any:
    """The score histogram as a matplotlib ``Figure``: students per bin of :func:`histogram_bins`
    (with ``whole``, one bar per possible score).

    Texts are in ``lang`` (the current language by default) and drawn with a font that has Hangul
    (:mod:`qlab.fonts`); students are counted, so the count axis has whole-number ticks only.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    from .. import fonts

    bins = histogram_bins(scores, max_score, whole=whole)
    fig = Figure(figsize=(6, 3.5), dpi=100)
    ax = fig.add_subplot()
    ax.bar([(lo + hi) / 2 for lo, hi, _ in bins], [c for *_, c in bins],
           width=[(hi - lo) * 0.9 for lo, hi, _ in bins], color="#4a7bb7")
    ax.set_xlabel(t("grade.hist_x", lang=lang, max=f"{max_score:g}"))
    ax.set_ylabel(t("grade.hist_y", lang=lang))
    ax.set_title(t("grade.hist_title", lang=lang, assignment=assignment, n=len(scores)))
    ax.set_xlim(bins[0][0], bins[-1][1])
    if bins[0][0] < 0:  # one bar per whole score: a tick under each
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(0, max([c for *_, c in bins] + [1]) * 1.1)
    fonts.apply(fig)
    fig.tight_layout()
    return fig


def histogram_png(scores: Sequence[float], max_score: float, *, assignment: str, lang: str | None = None,
                  whole: bool = False) -> bytes:
    """:func:`histogram_figure` as PNG bytes (for ``histogram.png`` and the class report)."""
    import io

    fig = histogram_figure(scores, max_score, assignment=assignment, lang=lang, whole=whole)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
