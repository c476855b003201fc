"""Plots: each is drawn to a PNG; the data behind it (colours, bars) is checked, not the pixels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import qlab  # noqa: E402
from qlab.errors import PlotInputError  # noqa: E402


def test_star_topology_png_with_vendor_labels_and_error_colours(tmp_path) -> None:
    dev = qlab.device("iqm-spark")
    fig = dev.draw()
    fig.savefig(tmp_path / "spark.png", dpi=60)
    assert (tmp_path / "spark.png").stat().st_size > 5000
    ax = fig.axes[0]
    texts = {t.get_text() for t in ax.texts}
    assert {"QB1", "QB2", "QB3", "QB4", "QB5"} <= texts
    nodes = ax.collections[1]
    assert np.allclose(nodes.get_array(), dev.spec.error_1q())  # nodes carry the 1q errors
    edges = ax.collections[0]
    assert len(edges.get_segments()) == 4  # a star: four couplers
    assert np.allclose(edges.get_array(), [dev.spec.error_2q()[p] for p in dev.coupled_pairs])
    hub = nodes.get_offsets()[2]
    assert np.allclose(hub, [0, 0])  # QB3 in the middle
    assert len(fig.axes) == 3  # the plot and two colour bars
    plt.close(fig)


def test_all_to_all_draws_every_pair_and_readout_colours(tmp_path) -> None:
    dev = qlab.device("ionq-aria")
    fig = dev.draw(qubit_metric="readout")
    fig.savefig(tmp_path / "aria.png", dpi=60)
    ax = fig.axes[0]
    assert len(ax.collections[0].get_segments()) == 25 * 24 // 2
    assert np.allclose(ax.collections[1].get_array(), dev.spec.readout_error())
    plt.close(fig)
    with pytest.raises(PlotInputError, match="error_1q, readout"):
        dev.draw(qubit_metric="t1")


def test_histogram_puts_ideal_and_emulated_side_by_side(tmp_path) -> None:
    ideal = {"00": 500, "11": 500}
    emulated = {"00": 460, "11": 470, "01": 40, "10": 30}
    fig = qlab.plot_counts({"ideal": ideal, "emulated": emulated})
    fig.savefig(tmp_path / "hist.png", dpi=60)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["00", "01", "10", "11"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["ideal", "emulated"]
    heights = [round(p.get_height(), 3) for p in ax.patches]
    assert heights == [0.5, 0.0, 0.0, 0.5, 0.46, 0.04, 0.03, 0.47]
    plt.close(fig)


def test_histogram_of_a_wide_run_keeps_the_top_outcomes_and_sums_the_rest() -> None:
    rng = np.random.default_rng(8)  # seed 8
    counts = {format(int(k), "012b"): int(v) for k, v in zip(rng.choice(4096, 60, replace=False), rng.integers(1, 9, 60), strict=True)}
    counts["0" * 12] = 400
    fig = qlab.plot_counts(counts, top=5, probabilities=False)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(labels) == 6 and labels[-1] == "other" and "0" * 12 in labels
    assert sum(p.get_height() for p in ax.patches) == sum(counts.values())
    plt.close(fig)


@pytest.mark.parametrize("bad", [[1, 2], {}, {"00": "many"}, {"a": {"00": -1}}])
def test_histogram_refuses_what_is_not_counts(bad) -> None:
    with pytest.raises(PlotInputError):
        qlab.plot_counts(bad)


@pytest.mark.parametrize("outcomes,runs", [(5, 3), (8, 3), (8, 4), (4, 6)])
def test_bar_values_never_overlap_each_other_or_leave_the_axes(outcomes: int, runs: int) -> None:
    """Several devices side by side make narrow bars: the values above them turn upright, or are
    left out when even that does not fit, and never run into each other or out of the plot.
    Equal heights are the worst case (every value at the same height as its neighbours')."""
    keys = [format(i, "03b") for i in range(outcomes)]
    counts = {f"device {j}": {k: 1000 + j for k in keys} for j in range(runs)}
    counts["device 0"][keys[-1]] = 9000  # a tall bar in the legend's corner
    fig = qlab.plot_counts(counts)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    fig.canvas.draw()
    boxes = [text.get_window_extent(renderer) for text in ax.texts]
    assert boxes, "values are shown while at most 8 outcomes are"
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1:]), ax.texts[i].get_text()
    inside = ax.get_window_extent(renderer)
    assert all(inside.x0 <= b.x0 and b.x1 <= inside.x1 and b.y1 <= inside.y1 for b in boxes)
    legend = ax.get_legend().get_window_extent(renderer)
    assert not any(legend.overlaps(b) for b in boxes)
    plt.close(fig)
