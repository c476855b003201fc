"""How long a lesson takes a first-timer: one rule, applied to every lesson, so times compare.

A first-timer reads, runs and thinks; they do not skim. The rule counts what a lesson asks of them:

* prose: **60 words a minute** (a first reading of technical text with formulas; the Korean
  text is a translation of the same content and is counted by its English);
* code: **10 lines a minute** to read what a cell does, plus **1 minute per cell** to run it and
  look at its output (a plot, a table, a histogram);
* a checked try-it: **10 minutes** (two or three attempts with hints, then the solution box).

The stated time of a lesson is this estimate rounded to the nearest 5 minutes ("about 45
minutes"); a lesson whose stated time would be over 60 minutes is split (``tests/test_course.py`` holds every lesson to both). The rule
reproduces what a reviewer observed first-timers need, about twice the times the lessons stated
before (lesson 1: 25 stated, about 45 needed).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

WORDS_PER_MINUTE = 60
CODE_LINES_PER_MINUTE = 10
MINUTES_PER_CELL = 1.0
MINUTES_PER_TRY_IT = 10.0
MAX_MINUTES = 60

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_CHECK = re.compile(r"^\s*qlab\.check\(", re.M)


@dataclass(frozen=True)
class Workload:
    """What a lesson asks a student to do, and the minutes that takes."""

    words: int
    code_lines: int
    code_cells: int
    try_its: int

    @property
    def minutes(self) -> float:
        return (
            self.words / WORDS_PER_MINUTE
            + self.code_lines / CODE_LINES_PER_MINUTE
            + self.code_cells * MINUTES_PER_CELL
            + self.try_its * MINUTES_PER_TRY_IT
        )

    @property
    def stated(self) -> int:
        """The minutes a lesson should state: the estimate rounded to the nearest 5."""
        return 5 * math.floor(self.minutes / 5 + 0.5)


def _source(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def workload(nb: Any) -> Workload:
    """Count the English words, the code (non-blank lines, outside try-it check cells) and the
    try-its (cells that call ``qlab.check``) of the lesson ``nb``."""
    words = code_lines = code_cells = try_its = 0
    for cell in nb.get("cells", []):
        text = _source(cell)
        if cell.get("cell_type") == "markdown":
            words += len(_WORD.findall(text))
        elif cell.get("cell_type") == "code":
            if _CHECK.search(text):
                try_its += 1
                continue  # the try-it's 10 minutes include writing the answer and checking it
            code_cells += 1
            code_lines += sum(
                1 for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
            )
    return Workload(words, code_lines, code_cells, try_its)


__all__ = ["MAX_MINUTES", "Workload", "workload"]
