"""Checker of lesson 13 (to the real machine): IonQ's turns into the radians Braket and OpenQASM use.

``turns-to-radians``: a function ``turns_to_radians(turns) -> float``. A gate's angle is the same
gate modulo a full turn, so any answer equal to ``2 pi * turns`` modulo ``2 pi`` passes. Called on
fixed angles (quarter, half, negative, more than one turn), so a pass means the conversion, not one
number, is right. Named in ``exercises-hardware.json``.
"""

from __future__ import annotations

import math
from typing import Any

from ..checks import CheckResult
from .mistakes import check_number_cases

_CASES = (0.25, 0.5, -0.125, 1.25, 0.0)
_TOLERANCE = 1e-9


def _same_angle(a: float, b: float) -> bool:
    """Equal modulo 2 pi (the same rotation)."""
    return abs(math.remainder(a - b, 2 * math.pi)) <= _TOLERANCE


def _mistake(turns: float, value: float) -> str:
    """``units`` (the turns returned as they are), ``half`` (times pi, not 2 pi), ``inverse``
    (divided by 2 pi), ``degrees`` (times 360), else ``different``."""
    for reason, wrong in (
        ("units", turns),
        ("half", math.pi * turns),
        ("inverse", turns / (2 * math.pi)),
        ("degrees", 360 * turns),
    ):
        if abs(value - wrong) <= _TOLERANCE:
            return reason
    return "different"


def check_turns_to_radians(answer: Any) -> CheckResult:
    """``answer(turns)`` returns the same angle in radians (modulo a full turn) on every case."""
    return check_number_cases(
        "turns-to-radians", answer, [(turns,) for turns in _CASES],
        calls=lambda f, turns: [f(turns)],
        is_wrong=lambda value, turns: not _same_angle(value, 2 * math.pi * turns),
        wrong_fields=lambda value, turns: {
            "turns": turns, "expected": f"{2 * math.pi * turns:.4f}", "got": f"{value:.4f}"},
        mistake=lambda value, turns: _mistake(turns, value),
        shown=lambda turns: turns,
    )
