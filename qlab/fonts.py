"""Korean in every qlab figure, on every machine, without touching the user's matplotlib settings.

matplotlib's default font (DejaVu Sans) has no Hangul, and many lab servers and the default Debian
image have no CJK font at all: Korean titles, labels and team names would be drawn as empty boxes.
qlab therefore depends on the PyPI package ``koreanize-matplotlib`` for the one thing it ships that
we need, the NanumGothic font files (the package is MIT-licensed; NanumGothic is Naver's font under
the SIL Open Font License 1.1). We never *import* that package: its import rewrites the session's
global ``rcParams`` (``font.family``, ``axes.unicode_minus``), which would change every plot of the
user's, and it imports ``distutils``, gone in Python 3.12. Instead :func:`korean_family` registers
the font files with matplotlib's font manager (that adds a font to choose from; it changes no
setting), and :func:`apply` gives every text of one qlab figure a fallback to it::

    fig = ...                      # a figure qlab drew
    qlab.fonts.apply(fig)          # just before it is shown or saved

Each text keeps the family it had (the user's ``font.family``, or ``monospace`` for bit strings);
NanumGothic is appended as a fallback, which matplotlib (3.6 and later) uses glyph by glyph: Latin
letters and digits look as in any other plot, Hangul comes from NanumGothic.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import warnings
from functools import cache
from pathlib import Path
from typing import Any

from .i18n import t

KOREAN_FAMILY = "NanumGothic"
FONT_PACKAGE = "koreanize_matplotlib"  # the PyPI package koreanize-matplotlib, never imported
# file -> weight it is registered with: NanumGothicBold's own table says 600 (semibold), so
# matplotlib would log "Failed to find font weight bold" for every bold text; it is the bold face
FONT_FILES = {"NanumGothic.ttf": 400, "NanumGothicBold.ttf": 700}


def font_files() -> list[Path]:
    """The NanumGothic files shipped by koreanize-matplotlib (found without importing it)."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    return [folder / name for name in FONT_FILES if (folder / name).is_file()]


@cache
def korean_family() -> str | None:
    """Register NanumGothic with matplotlib's font manager (once) and return its family name.

    Returns None, with one warning naming the package to install, when the font files are missing
    (qlab installed without its dependencies); figures are still drawn, Hangul then as boxes.
    """
    from matplotlib import font_manager

    files = font_files()
    if not files:
        warnings.warn(t("figures.no_korean_font", package="koreanize-matplotlib"), stacklevel=3)
        return None
    manager = font_manager.fontManager
    for path in files:
        manager.addfont(str(path))  # appends its entry to ttflist and clears the lookup cache
        entry = manager.ttflist[-1]
        if entry.fname == str(path) and entry.weight != FONT_FILES[path.name]:
            manager.ttflist[-1] = dataclasses.replace(entry, weight=FONT_FILES[path.name])
    return KOREAN_FAMILY


def _with_korean(family: Any) -> list[str]:
    """A text's family list with the Korean font appended (when not there already)."""
    families = [family] if isinstance(family, str) else list(family or ["sans-serif"])
    korean = korean_family()
    if korean and korean not in families:
        families.append(korean)
    return families


def apply(fig: Any) -> Any:
    """Give every text element of ``fig`` a Korean fallback font; returns ``fig``.

    Titles, axis labels, tick labels (also ticks matplotlib creates later, when it draws),
    legends, annotations, bar labels and colour-bar labels of every axes. Call it once the
    figure's texts are set; texts added afterwards keep the user's own fonts.
    """
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_fontfamily(_with_korean(text.get_fontfamily()))
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            # ticks made later copy the first tick's font; set_tick_params covers both lists
            for which, ticks in (("major", axis.get_major_ticks(1)), ("minor", axis.get_minor_ticks(1))):
                family = _with_korean(ticks[0].label1.get_fontfamily())
                axis.set_tick_params(which=which, labelfontfamily=family)
    return fig
