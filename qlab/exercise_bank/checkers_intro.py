"""Checker of lesson 1 (getting started): reading a device's published figures.

``spark-best-pair``: the coupled pair of ``iqm-spark`` with the smallest two-qubit gate error,
as two qubit numbers in code numbering (qubit 0 is QB1). The answer is checked against the
device data itself (``qlab.device(name).spec.error_2q()``), so it stays right if the figures are
updated. Named in ``exercises-intro.json``.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

from ..checks import BadAnswerError, CheckResult
from ..i18n import t


def _pair(answer: Any) -> tuple[int, int]:
    if isinstance(answer, (str, bytes, dict)) or answer is None:
        raise BadAnswerError(t("check.ex.spark-best-pair.not_pair", got=repr(answer)[:40]))
    try:
        items = list(answer)
    except TypeError:
        raise BadAnswerError(t("check.ex.spark-best-pair.not_pair", got=repr(answer)[:40])) from None
    if len(items) != 2 or not all(isinstance(x, Integral) and not isinstance(x, bool) for x in items):
        raise BadAnswerError(t("check.ex.spark-best-pair.not_pair", got=repr(answer)[:40]))
    a, b = sorted(int(x) for x in items)
    return a, b


def check_best_pair(answer: Any, *, device: str) -> CheckResult:
    """``answer`` is the coupled pair of ``device`` with the smallest two-qubit error, in either
    order. A failure names the mistake: QB labels instead of code numbers (``labels``), a pair
    that is not coupled (``uncoupled``), the worst pair (``worst``), another coupled pair
    (``not_best``)."""
    from ..catalog import device as lookup

    spec = lookup(device).spec
    errors = spec.error_2q()
    best = min(errors, key=errors.get)
    worst = max(errors, key=errors.get)
    a, b = _pair(answer)
    label = f"{spec.label(best[0])}–{spec.label(best[1])}"
    if (a, b) == best:
        return CheckResult(
            True, t("check.ex.spark-best-pair.pass", a=a, b=b, label=label, error=f"{errors[best]:.2%}")
        )
    if (a - 1, b - 1) == best:
        reason = "labels"
    elif (a, b) not in errors:
        reason = "uncoupled"
    elif (a, b) == worst:
        reason = "worst"
    else:
        reason = "not_best"
    got = f"{errors[(a, b)]:.2%}" if (a, b) in errors else "-"
    return CheckResult(
        False,
        t(f"check.ex.spark-best-pair.{reason}", a=a, b=b, error=got, device=device),
        {"reason": reason, "best": best},
    )
