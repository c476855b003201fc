"""Korean in every qlab figure, on a machine without any system CJK font (this one: DejaVu only).

Each kind of figure qlab draws is rendered to PNG with ``QLAB_LANG=ko`` and Korean in every text
element it has; matplotlib's "Glyph ... missing from font(s)" warning fails the test. A control
proves the check can fail, and the user's own matplotlib settings must come out untouched.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import warnings
from importlib import resources
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import qlab  # noqa: E402
from qlab import fonts  # noqa: E402
from qlab.assign.summary import histogram_figure  # noqa: E402
from qlab.kits import load_challenge  # noqa: E402
from qlab.kits.leaderboard import plot_figure  # noqa: E402
from qlab.kits.score import Entry, rank  # noqa: E402

HANGUL = re.compile("[\uac00-\ud7a3]")
MISSING = re.compile(r"Glyph \d+ .* missing from font")


def render(draw) -> tuple[object, list[str]]:
    """Make the figure and draw it to PNG; the figure and the missing-glyph warnings raised on
    the way (layout measures texts too, before anything is saved)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = draw()
        fig.savefig(io.BytesIO(), format="png", dpi=60)
    return fig, [str(w.message) for w in caught if MISSING.search(str(w.message))]


def entry(team: str, score: float, rank_: int) -> Entry:
    return Entry(team=team, file=f"{rank_}.py", submitted=1_700_000_000.0 + rank_, valid=True,
                 score=score, two_qubit_gates=4, gates=13)


def topology_star():
    return qlab.device("iqm-spark").draw(title="스파크형 별 모양 칩 (QB3 중심)")


def topology_all_to_all():
    return qlab.device("ionq-aria").draw(qubit_metric="readout")


def counts_single():
    return qlab.plot_counts({"00": 480, "11": 470, "01": 30, "10": 20}, title="벨 상태, 잡음 있음")


def counts_three_devices():
    runs = {"이상적": {"000": 500, "111": 500},
            "IonQ Aria형": {"000": 470, "111": 460, "001": 40, "110": 30},
            "IQM Spark형": {"000": 430, "111": 420, "010": 80, "101": 70}}
    return qlab.plot_counts(runs, probabilities=False, title="GHZ-3: 장치 세 개")


def counts_wide_with_other():
    counts = {format(k, "06b"): 10 + k for k in range(40)}
    return qlab.plot_counts(counts, top=5)  # the "기타" (other) bar


def leaderboard():
    c = load_challenge("ghz5-spark")
    teams = [entry("팀 알파", 0.91, 1), entry("양자 고양이들", 0.88, 2), entry("Team Kim 김", 0.75, 3)]
    return plot_figure(c, rank(teams, c))


def grading_histogram():
    return histogram_figure([3.0, 5.0, 5.0, 8.0, 10.0], 10.0, assignment="실습 3: 벨 상태", whole=True)


FIGURES = [topology_star, topology_all_to_all, counts_single, counts_three_devices,
           counts_wide_with_other, leaderboard, grading_histogram]


@pytest.mark.parametrize("draw", FIGURES, ids=lambda f: f.__name__)
def test_every_figure_draws_korean_with_no_missing_glyph(draw, monkeypatch, caplog) -> None:
    monkeypatch.setenv("QLAB_LANG", "ko")
    with caplog.at_level(logging.WARNING, logger="matplotlib.font_manager"):
        fig, missing = render(draw)
    assert [r.getMessage() for r in caplog.records] == []  # e.g. "Failed to find font weight"
    texts = [t for t in fig.findobj(Text) if t.get_text().strip()]
    korean = [t.get_text() for t in texts if HANGUL.search(t.get_text())]
    assert korean, "the figure must hold Korean for this test to mean anything"
    assert missing == []
    # every element, also the ticks matplotlib made while drawing, can fall back to Hangul
    drawn = [t for t in fig.findobj(Text) if t.get_text().strip()]
    without = [t.get_text() for t in drawn if fonts.KOREAN_FAMILY not in t.get_fontfamily()]
    assert without == []
    plt.close(fig)


def test_korean_team_names_are_drawn_not_replaced(monkeypatch) -> None:
    monkeypatch.setenv("QLAB_LANG", "ko")
    fig = leaderboard()
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["1. 팀 알파", "2. 양자 고양이들", "3. Team Kim 김"]
    assert ax.get_title() == load_challenge("ghz5-spark").text("title", "ko")
    assert "높을수록 좋음" in ax.get_xlabel()


@pytest.mark.parametrize("whole", [False, True], ids=["any-points", "whole-points"])
@pytest.mark.parametrize("scores", [[], [7.0], [3.0, 5.0, 5.0, 7.5, 10.0], [9.0] * 30])
def test_the_grading_histogram_counts_students_in_whole_numbers(scores, whole, monkeypatch) -> None:
    monkeypatch.setenv("QLAB_LANG", "ko")
    fig = histogram_figure(scores, 10.0, assignment="lab", whole=whole)
    fig.savefig(io.BytesIO(), format="png", dpi=60)
    ax = fig.axes[0]
    ticks = [y for y in ax.get_yticks() if ax.get_ylim()[0] <= y <= ax.get_ylim()[1]]
    assert ticks and all(float(y).is_integer() for y in ticks), ticks
    assert sum(p.get_height() for p in ax.patches) == len(scores)
    assert ax.get_ylabel() == "학생 수" and f"제출물 {len(scores)}개" in ax.get_title()
    plt.close(fig)


def test_the_check_fails_on_a_figure_without_qlab_fonts() -> None:
    """Control: the same Korean drawn with matplotlib's default font raises the warning, so the
    test above would fail if a qlab figure missed its font."""
    def plain():
        fig = Figure()
        fig.add_subplot().set_title("확률")
        return fig

    assert any("HANGUL" in m for m in render(plain)[1])


def test_the_font_ships_with_a_dependency_and_the_users_settings_stay(monkeypatch) -> None:
    before = {k: matplotlib.rcParams[k] for k in ("font.family", "font.sans-serif",
                                                   "axes.unicode_minus")}
    monkeypatch.setenv("QLAB_LANG", "ko")
    for draw in FIGURES:
        plt.close(draw())
    after = {k: matplotlib.rcParams[k] for k in before}
    assert after == before
    assert "koreanize_matplotlib" not in sys.modules  # its import would rewrite rcParams
    assert fonts.korean_family() == "NanumGothic"
    path = Path(matplotlib.font_manager.findfont(fonts.KOREAN_FAMILY, fallback_to_default=False))
    assert path.name.startswith("NanumGothic")
    # a figure of the user's own is not changed by qlab's
    fig = Figure()
    ax = fig.add_subplot()
    ax.set_title("mine")
    assert fonts.KOREAN_FAMILY not in ax.title.get_fontfamily()


def test_every_message_draws_in_qlab_fonts() -> None:
    """No emoji or other symbol that needs a font qlab does not ship, in any message."""
    from matplotlib.ft2font import FT2Font

    charmaps = [set(FT2Font(str(p)).get_charmap()) for p in fonts.font_files()]
    charmaps.append(set(FT2Font(matplotlib.font_manager.findfont("DejaVu Sans")).get_charmap()))
    folder = resources.files("qlab") / "messages"
    bad = []
    for entry_ in folder.iterdir():
        if not entry_.name.endswith(".json"):
            continue
        for key, text in json.loads(entry_.read_text(encoding="utf-8")).items():
            for ch in set(text):
                if ch.isprintable() and not any(ord(ch) in cmap for cmap in charmaps):
                    bad.append(f"{key}: {ch!r} U+{ord(ch):04X}")
    assert bad == []


def test_without_the_font_package_figures_still_draw_and_say_what_to_install(monkeypatch) -> None:
    monkeypatch.setattr(fonts, "font_files", lambda: [])
    fonts.korean_family.cache_clear()
    try:
        with pytest.warns(UserWarning, match="pip install koreanize-matplotlib"):
            fig = qlab.plot_counts({"0": 3, "1": 1})
        assert fonts.KOREAN_FAMILY not in fig.axes[0].xaxis.label.get_fontfamily()
        plt.close(fig)
    finally:
        fonts.korean_family.cache_clear()
