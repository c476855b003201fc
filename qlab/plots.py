"""Pictures for students: a device's topology coloured by its error rates, and counts histograms.

>>> import qlab
>>> qlab.device("iqm-spark").draw()                                  # doctest: +SKIP
>>> qlab.plot_counts({"ideal": ideal_counts, "emulated": noisy_counts})  # doctest: +SKIP

matplotlib is imported inside the functions, so ``import qlab`` stays light. Both functions draw
into ``ax`` when given one (to compose figures) and return the matplotlib ``Figure``, whose texts
draw Korean on any machine (:mod:`qlab.fonts`; labels follow ``qlab.set_language``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from . import fonts
from .errors import PlotInputError
from .i18n import t

QUBIT_METRICS = ("error_1q", "readout")


# ---- topology -----------------------------------------------------------------------------------


def _layout(num_qubits: int, pairs: tuple[tuple[int, int], ...], all_to_all: bool) -> list[tuple[float, float]]:
    """Node positions: a circle for all-to-all; a hub in the middle for a star; else a circle
    ordered so that coupled qubits sit close (a path or ring reads as one)."""
    n = num_qubits
    if n == 1:
        return [(0.0, 0.0)]
    degree = [0] * n
    for a, b in pairs:
        degree[a] += 1
        degree[b] += 1
    if not all_to_all and n > 2 and max(degree) == n - 1 and len(pairs) == n - 1:
        hub = degree.index(n - 1)
        pos = [(0.0, 0.0)] * n
        leaves = [q for q in range(n) if q != hub]
        for i, q in enumerate(leaves):
            angle = math.pi / 2 + math.pi / 4 + 2 * math.pi * i / len(leaves)
            pos[q] = (math.cos(angle), math.sin(angle))
        return pos
    # circle, qubit 0 at the top, clockwise (the order students count in)
    return [
        (math.cos(math.pi / 2 - 2 * math.pi * q / n), math.sin(math.pi / 2 - 2 * math.pi * q / n))
        for q in range(n)
    ]


def draw_topology(
    device: Any,
    ax: Any = None,
    *,
    qubit_metric: str = "error_1q",
    cmap: str = "viridis",
    labels: bool = True,
    title: str | None = None,
) -> Any:
    """Draw a device's qubits and couplers, coloured by error rates, and return the figure.

    Nodes are qubits labelled as the vendor names them (``QB1`` ... ``QB5`` on IQM Spark), coloured
    by ``qubit_metric``: ``"error_1q"`` (one-qubit gate infidelity, default) or ``"readout"``
    (probability of reading the wrong bit). Lines are coupled pairs, coloured by the two-qubit gate
    infidelity. A star (IQM Spark: every gate goes through QB3) is drawn with its hub in the
    middle; an all-to-all device (trapped ions) as a circle with every pair joined. Each colour
    scale has its own colour bar; a device without noise is drawn in one colour.
    """
    import matplotlib.pyplot as plt
    from matplotlib import colors
    from matplotlib.collections import LineCollection

    from .hardware.library import resolve

    spec = resolve(device)
    if qubit_metric not in QUBIT_METRICS:
        raise PlotInputError(t("run.plot_bad_metric", got=qubit_metric, allowed=", ".join(QUBIT_METRICS)))
    n = spec.num_qubits
    pairs = spec.coupled_pairs
    pos = _layout(n, pairs, spec.all_to_all)

    if ax is None:
        size = 5.5 if n <= 8 else 7.5
        fig, ax = plt.subplots(figsize=(size + 1.2, size + 0.6), layout="constrained")
    else:
        fig = ax.figure

    q_values = list(spec.error_1q() if qubit_metric == "error_1q" else spec.readout_error())
    e2 = spec.error_2q()
    e_values = [e2.get(p, 0.0) for p in pairs]
    q_norm = _norm(q_values, colors)
    e_norm = _norm(e_values, colors)
    edge_cmap = plt.get_cmap("plasma")
    node_cmap = plt.get_cmap(cmap)

    segments = [(pos[a], pos[b]) for a, b in pairs]
    width = 4.0 if len(pairs) <= 12 else max(0.4, 12.0 / math.sqrt(len(pairs)))
    lines = LineCollection(segments, cmap=edge_cmap, norm=e_norm, linewidths=width, zorder=1, alpha=0.85 if len(pairs) > 12 else 1.0)
    lines.set_array(e_values)
    ax.add_collection(lines)

    node_size = 1400 if n <= 8 else max(120, 9000 / n)
    nodes = ax.scatter(
        [p[0] for p in pos],
        [p[1] for p in pos],
        c=q_values,
        cmap=node_cmap,
        norm=q_norm,
        s=node_size,
        edgecolors="black",
        linewidths=1.2,
        zorder=2,
    )
    if labels:
        font = 11 if n <= 8 else 7
        for q, (x, y) in enumerate(pos):
            rgba = node_cmap(q_norm(q_values[q]))
            light = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2] > 0.55
            ax.annotate(spec.label(q), (x, y), ha="center", va="center", fontsize=font,
                        color="black" if light else "white", fontweight="bold", zorder=3)

    from matplotlib.ticker import PercentFormatter

    metric_label = t("run.plot_error_1q") if qubit_metric == "error_1q" else t("run.plot_readout")
    cb_nodes = fig.colorbar(nodes, ax=ax, location="right", fraction=0.046, pad=0.02)
    cb_nodes.set_label(_with_value(metric_label, q_values))
    cb_edges = fig.colorbar(lines, ax=ax, location="bottom", fraction=0.046, pad=0.02, aspect=30)
    cb_edges.set_label(_with_value(t("run.plot_error_2q"), e_values))
    for cb in (cb_nodes, cb_edges):
        cb.formatter = PercentFormatter(xmax=1.0, decimals=None)
        cb.update_ticks()

    kind = t("run.plot_all_to_all") if spec.all_to_all else t("run.plot_coupled", pairs=len(pairs))
    ax.set_title(title if title is not None else t("run.plot_topology_title", title=spec.text("title"), kind=kind), fontsize=10)
    ax.set_aspect("equal")
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.axis("off")
    return fonts.apply(fig)  # Korean in every label (qlab.fonts)


def _with_value(label: str, values: list[float]) -> str:
    """A colour bar's label; when every qubit or pair has the same value, the value too."""
    if values and max(values) == min(values):
        return f"{label} = {values[0]:.3g} ({100 * values[0]:.3g} %)"
    return label


def _norm(values: list[float], colors: Any) -> Any:
    lo, hi = (min(values), max(values)) if values else (0.0, 0.0)
    if hi <= lo:  # one value for all (or a noiseless device): a scale around it
        lo, hi = (0.0, 2 * lo) if lo > 0 else (0.0, 1e-3)
    return colors.Normalize(vmin=lo, vmax=hi)


# ---- counts ---------------------------------------------------------------------------------------


def _as_series(counts: Any) -> dict[str, dict[str, float]]:
    """``{label: {key: count}}`` from one counts dict or from a dict of them."""
    if not isinstance(counts, Mapping) or not counts:
        raise PlotInputError(t("run.plot_bad_counts", got=type(counts).__name__ if not isinstance(counts, Mapping) else "{}"))
    values = list(counts.values())
    if all(isinstance(v, Mapping) for v in values):
        series = {str(label): dict(c) for label, c in counts.items()}
    elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        series = {t("run.plot_emulated"): dict(counts)}
    else:
        raise PlotInputError(t("run.plot_bad_counts", got=repr(values[0])[:40]))
    for label, c in series.items():
        if not c or not all(isinstance(k, str) and isinstance(v, (int, float)) and v >= 0 for k, v in c.items()):
            raise PlotInputError(t("run.plot_bad_counts", got=f"{label!r}: {repr(c)[:40]}"))
    return series


def plot_counts(
    counts: Mapping[str, Any],
    ax: Any = None,
    *,
    probabilities: bool = True,
    top: int = 16,
    title: str | None = None,
) -> Any:
    """Bar chart of measurement outcomes; several runs side by side for comparison.

    Args:
        counts: one ``{bit string: count}`` dict, e.g. ``qlab.run(...)``, or a dict of them,
            e.g. ``{"ideal": qlab.run(c, noise=False), "emulated": qlab.run(c, "iqm-spark")}``
            (drawn side by side, in that order).
        probabilities: plot frequencies (default; runs with different shot counts compare) or raw counts.
        top: show the ``top`` most frequent outcomes (over all runs) and sum the rest as "other",
            so a 36-qubit run stays readable.
        title: a title for the plot.

    Outcomes are in bit-string order (last character = qubit 0). Returns the ``Figure``.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    series = _as_series(counts)
    totals = {label: sum(c.values()) or 1 for label, c in series.items()}
    weight: dict[str, float] = {}
    for label, c in series.items():
        for k, v in c.items():
            weight[k] = weight.get(k, 0.0) + v / totals[label]
    keys = sorted(weight)
    other = False
    if len(keys) > top:
        keep = set(sorted(weight, key=lambda k: (-weight[k], k))[:top])
        keys = sorted(keep)
        other = True
    labels = keys + ([t("run.plot_other")] if other else [])

    if ax is None:
        fig, ax = plt.subplots(figsize=(min(12.0, max(5.0, 0.35 * len(labels) * len(series) + 2)), 4.2))
    else:
        fig = ax.figure
    k = len(series)
    width = 0.8 / k
    x = np.arange(len(labels))
    palette = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"]
    values = []
    for i, (label, c) in enumerate(series.items()):
        scale = 1.0 / totals[label] if probabilities else 1.0
        heights = [c.get(key, 0) * scale for key in keys]
        if other:
            heights.append(sum(v for kk, v in c.items() if kk not in set(keys)) * scale)
        bars = ax.bar(x + (i - (k - 1) / 2) * width, heights, width, label=label, color=palette[i % len(palette)])
        if len(labels) <= 8:
            values += ax.bar_label(bars, fmt="%.3f" if probabilities else "%d", fontsize=8, padding=1)
    ax.set_xticks(x)
    ax.set_xticklabels(labels, rotation=0 if len(labels) <= 8 and max(map(len, labels)) <= 6 else 60,
                       fontfamily="monospace", ha="center" if len(labels) <= 8 else "right")
    ax.set_xlabel(t("run.plot_outcome"))
    ax.set_ylabel(t("run.plot_probability") if probabilities else t("run.plot_counts"))
    if k > 1 or not (len(series) == 1 and label == t("run.plot_emulated")):
        ax.legend()
    if title:
        ax.set_title(title)
    ax.margins(y=0.12)
    fonts.apply(fig)  # Korean in every label (qlab.fonts), before anything is measured
    fig.tight_layout()
    _fit_bar_labels(ax, values, width)
    return fig


def _fit_bar_labels(ax: Any, texts: list[Any], bar_width: float) -> None:
    """Bar values above the bars that never overlap: level when each fits its bar's width, upright
    when only that fits (several runs side by side make bars narrow), left out when neither does
    (the y axis still reads); then the y range grows so the highest value stays inside the axes."""
    if not texts:
        return
    fig = ax.figure
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else fig._get_renderer()
    room = abs(ax.transData.transform((bar_width, 0))[0] - ax.transData.transform((0, 0))[0])
    boxes = [text.get_window_extent(renderer) for text in texts]
    if max(b.width for b in boxes) > 0.95 * room:
        if max(b.height for b in boxes) > 0.95 * room:
            for text in texts:
                text.remove()
            return
        for text in texts:
            text.set_rotation(90)
        boxes = [text.get_window_extent(renderer) for text in texts]
    # a value's top sits `rise` pixels above its bar's top whatever the scale: pick the y limit
    # that leaves every rise inside the axes
    low, high = ax.get_ylim()
    pixels = ax.get_window_extent(renderer).height
    top = high
    for text, box in zip(texts, boxes, strict=True):
        anchor = ax.transData.transform(text.xy)[1]
        rise = (box.y1 - anchor) / pixels
        top = max(top, (text.xy[1] - low * rise) / (1 - rise) * 1.02)
    ax.set_ylim(low, top)
