"""The instructor's overview of a graded class: ``summary.md`` and ``histogram.png``.

``summary.md`` lists the pass rate of every test (which exercise the class found hard), the score
distribution, and how many submissions needed special handling (time limit, memory, not a
notebook). ``histogram.png`` draws the score histogram (matplotlib, Agg backend: no display needed).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path

from ..i18n import t
from .model import SubmissionResult, TestSpec
from .nbio import atomic_write


def pass_rates(rows: Sequence[SubmissionResult], tests: Sequence[TestSpec]) -> dict[str, float]:
    """Fraction of submissions that passed each automatic test (0.0 when there are no submissions);
    items graded by hand have no pass rate."""
    n = len(rows)
    return {s.grade_id: (sum(1 for r in rows if r.tests[s.grade_id].passed) / n if n else 0.0)
            for s in tests if not s.by_hand}


def histogram_bins(scores: list[float], max_score: float) -> list[tuple[float, float, int]]:
    """Up to 10 equal bins from 0 to ``max_score``: ``(low, high, count)``; the top bin is closed."""
    nbins = max(1, min(10, int(max_score) if max_score >= 1 else 1))
    width = (max_score or 1.0) / nbins
    counts = [0] * nbins
    for s in scores:
        counts[min(nbins - 1, max(0, int(s / width)))] += 1
    return [(i * width, (i + 1) * width, c) for i, c in enumerate(counts)]


def write_summary(rows: Sequence[SubmissionResult], tests: Sequence[TestSpec], folder: Path, *,
                  assignment: str, seconds: float, lang: str | None = None) -> Path:
    """Write ``summary.md`` and ``histogram.png`` into ``folder``; return the Markdown path."""
    scores = [r.score for r in rows]
    max_score = sum(s.points for s in tests)
    rates = pass_rates(rows, tests)
    lines = [t("grade.sum_title", lang=lang, assignment=assignment), ""]
    if scores:
        lines.append(t("grade.sum_scores", lang=lang, n=len(rows), mean=f"{statistics.mean(scores):.2f}",
                       median=f"{statistics.median(scores):g}", max=f"{max_score:g}"))
    lines += ["", t("grade.sum_rates_head", lang=lang), "", "| test | kind | points | pass rate |",
              "|---|---|---|---|"]
    for s in tests:
        rate = f"{rates[s.grade_id]:.0%}" if s.grade_id in rates else t(
            "grade.sum_by_hand", lang=lang, n=sum(1 for r in rows if r.tests[s.grade_id].pending))
        kind = s.kind.value if not s.by_hand else s.grading.value
        lines.append(f"| {s.grade_id} | {kind} | {s.points:g} | {rate} |")
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[r.status.value] = statuses.get(r.status.value, 0) + 1
    lines += ["", t("grade.sum_status_head", lang=lang), ""]
    lines += [f"- {t('grade.status_name_' + k, lang=lang)} (`{k}`): {v}" for k, v in sorted(statuses.items())]
    lines += ["", t("grade.sum_hist_head", lang=lang), "", "```"]
    for low, high, count in histogram_bins(scores, max_score):
        lines.append(f"{low:5.1f}-{high:5.1f} | {'#' * count} {count}")
    lines += ["```", "", t("grade.sum_time", lang=lang, seconds=f"{seconds:.1f}", n=len(rows))]
    png = _histogram_png(scores, max_score, Path(folder) / "histogram.png", assignment)
    if png:
        lines += ["", "![histogram](histogram.png)"]
    path = Path(folder) / "summary.md"
    atomic_write(path, "\n".join(lines) + "\n")
    return path


def _histogram_png(scores: list[float], max_score: float, path: Path, assignment: str) -> Path | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        return None
    bins = histogram_bins(scores, max_score)
    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
    ax.bar([(lo + hi) / 2 for lo, hi, _ in bins], [c for *_, c in bins],
           width=[(hi - lo) * 0.9 for lo, hi, _ in bins], color="#4a7bb7")
    ax.set_xlabel("score")
    ax.set_ylabel("students")
    ax.set_title(f"{assignment}: {len(scores)} submissions")
    ax.set_xlim(0, max_score or 1)
    fig.tight_layout()
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    atomic_write(path, buf.getvalue())
    return path
