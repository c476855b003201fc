"""The instructor's overview of a graded class: ``summary.md`` and ``histogram.png``.

``summary.md`` lists the pass rate of every test (which exercise the class found hard), the score
distribution, and how many submissions needed special handling (time limit, memory, not a
notebook). ``histogram.png`` draws the score histogram (:func:`histogram_figure`: a matplotlib
``Figure`` drawn without pyplot, so no display is needed and the user's backend is left alone).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..i18n import t
from .model import SubmissionResult, TestSpec
from .nbio import atomic_write


def pass_rates(rows: Sequence[SubmissionResult], tests: Sequence[TestSpec]) -> dict[str, float]:
    """Fraction of submissions that passed each test (0.0 when there are no submissions)."""
    n = len(rows)
    return {s.grade_id: (sum(1 for r in rows if r.tests[s.grade_id].passed) / n if n else 0.0)
            for s in tests}


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


def _label(low: float, high: float) -> str:
    return f"{(low + high) / 2:5g}" if high - low == 1 and low % 1 == 0.5 else f"{low:5.1f}-{high:5.1f}"


def write_summary(rows: Sequence[SubmissionResult], tests: Sequence[TestSpec], folder: Path, *,
                  assignment: str, seconds: float, lang: str | None = None) -> Path:
    """Write ``summary.md`` and ``histogram.png`` into ``folder``; return the Markdown path."""
    scores = [r.score for r in rows]
    max_score = sum(s.points for s in tests)
    whole = all(float(s.points).is_integer() for s in tests)
    rates = pass_rates(rows, tests)
    lines = [t("grade.sum_title", lang=lang, assignment=assignment), ""]
    if scores:
        lines.append(t("grade.sum_scores", lang=lang, n=len(rows), mean=f"{statistics.mean(scores):.2f}",
                       median=f"{statistics.median(scores):g}", max=f"{max_score:g}"))
    lines += ["", t("grade.sum_rates_head", lang=lang), "", t("grade.sum_table_head", lang=lang),
              "|---|---|---|---|"]
    for s in tests:
        lines.append(f"| {s.grade_id} | {s.kind.value} | {s.points:g} | {rates[s.grade_id]:.0%} |")
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[r.status.value] = statuses.get(r.status.value, 0) + 1
    lines += ["", t("grade.sum_status_head", lang=lang), ""]
    lines += [f"- {t('grade.status_name_' + k, lang=lang)} (`{k}`): {v}" for k, v in sorted(statuses.items())]
    lines += ["", t("grade.sum_hist_head", lang=lang), "", "```"]
    for low, high, count in histogram_bins(scores, max_score, whole=whole):
        lines.append(f"{_label(low, high)} | {'#' * count} {count}")
    lines += ["```", "", t("grade.sum_time", lang=lang, seconds=f"{seconds:.1f}", n=len(rows))]
    _histogram_png(histogram_figure(scores, max_score, assignment=assignment, lang=lang, whole=whole),
                   Path(folder) / "histogram.png")
    lines += ["", "![histogram](histogram.png)"]
    path = Path(folder) / "summary.md"
    atomic_write(path, "\n".join(lines) + "\n")
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


def _histogram_png(fig: Any, path: Path) -> None:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    atomic_write(path, buf.getvalue())
