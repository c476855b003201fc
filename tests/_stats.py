"""Statistics shared by the tests (no SciPy: importing scipy.stats costs seconds)."""

from __future__ import annotations

import math

# one-sided standard normal quantile for a false-failure rate of 1e-4
Z_1E4 = 3.719


def chi_square_limit(dof: int, z: float = Z_1E4) -> float:
    """The chi-square law's upper quantile (Wilson-Hilferty: within 1 % of the exact value from
    3 degrees of freedom on); with the default ``z`` a correct sampler exceeds it once in 10,000."""
    k = max(dof, 1)
    return k * (1 - 2 / (9 * k) + z * math.sqrt(2 / (9 * k))) ** 3


def chi_square(counts: dict[str, int], exact: dict[str, float], shots: int) -> tuple[float, int]:
    """Pearson's statistic over outcomes expected at least 5 times (the others pooled into one
    cell when that cell is expected 5 times or more), and its degrees of freedom."""
    cells = [k for k, p in exact.items() if p * shots >= 5]
    stat = sum((counts.get(k, 0) - shots * exact[k]) ** 2 / (shots * exact[k]) for k in cells)
    rest_e = shots * (1 - sum(exact[k] for k in cells))
    rest_o = shots - sum(counts.get(k, 0) for k in cells)
    if rest_e >= 5:
        stat += (rest_o - rest_e) ** 2 / rest_e
        cells.append("rest")
    return stat, len(cells) - 1
