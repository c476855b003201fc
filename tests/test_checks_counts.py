"""The shot-noise-aware counts test: its false-failure rate is measured, and so is its power.

Method under test (qlab/checks/counts.py): exact binomial intervals per outcome, Bonferroni over
the outcomes. Claimed: counts truly drawn from the expected distribution fail with probability at
most ``alpha`` (default 1e-6). Every random draw here uses numpy's default_rng with a stated seed.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binom

from qlab import i18n
from qlab.checks import (
    FALSE_FAILURE_RATE,
    acceptance_region,
    assert_counts_match,
    assert_probability_at_least,
    counts_match,
    probability_at_least,
)

BELL = {"00": 0.5, "11": 0.5}
SKEWED = {"000": 0.7, "011": 0.2, "101": 0.09, "110": 0.01}  # small probabilities, small counts


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    monkeypatch.delenv("QLAB_LANG", raising=False)
    monkeypatch.setattr(i18n, "_current", None)


def rejection_rate(expected, true_probs, shots, alpha, draws, seed, tolerance=0.0):
    """Fraction of ``draws`` multinomial samples from ``true_probs`` that counts_match rejects,
    computed from the acceptance region (vectorised; agreement with counts_match is tested)."""
    region = acceptance_region(shots, expected, alpha=alpha, tolerance=tolerance)
    keys = sorted(true_probs)
    rng = np.random.default_rng(seed)
    samples = rng.multinomial(shots, [true_probs[k] for k in keys], size=draws)
    reject = np.zeros(draws, dtype=bool)
    other = np.zeros(draws, dtype=int)
    for j, k in enumerate(keys):
        if expected.get(k, 0) > 0:
            lo, hi = region[k]
            reject |= (samples[:, j] < lo) | (samples[:, j] > hi)
        else:
            other += samples[:, j]
    for k, (lo, _hi) in region.items():  # expected outcomes that the true distribution never gives
        if k != "other" and k not in true_probs:
            reject |= lo > 0
    reject |= other > region["other"][1]
    return reject.mean(), samples, keys


def test_stated_false_failure_rate():
    assert FALSE_FAILURE_RATE == 1e-6


@pytest.mark.parametrize("expected,shots", [(BELL, 1000), (SKEWED, 30), (SKEWED, 2000)])
def test_intervals_are_exact_binomial_tails(expected, shots):
    alpha = 1e-6
    region = acceptance_region(shots, expected, alpha=alpha)
    tail = alpha / (2 * (len(expected) + 1))
    for k, p in expected.items():
        lo, hi = region[k]
        assert binom.cdf(lo - 1, shots, p) <= tail  # P(X < lo) within budget
        assert binom.sf(hi, shots, p) <= tail  # P(X > hi) within budget
        # and not wastefully wide: one count tighter would exceed the budget
        assert lo == 0 or binom.cdf(lo, shots, p) > tail
        assert binom.sf(hi - 1, shots, p) > tail


@pytest.mark.parametrize(
    "expected,shots,seed",
    [(BELL, 1000, 1), (SKEWED, 30, 2), (SKEWED, 1000, 3), ({"0": 1.0}, 100, 4)],
)
def test_false_failure_rate_at_a_measurable_alpha(expected, shots, seed):
    # At alpha = 0.01 the rate is measurable: 20000 draws from the exact distribution.
    # If the true rate were exactly 0.01, rejections ~ Binomial(20000, 0.01): mean 200, sd 14.1;
    # the bound 0.01 + 5 sd / 20000 = 0.01352 is exceeded by chance with probability < 1e-6.
    rate, _, _ = rejection_rate(expected, expected, shots, 0.01, 20000, seed)
    assert rate <= 0.01 + 5 * 14.1 / 20000


def test_false_failure_rate_at_the_default_alpha():
    # 200000 draws (seed 5) of 1000-shot Bell counts: with a rate <= 1e-6 the expected number of
    # rejections is <= 0.2, so seeing none is what the claim predicts (P(>=1) <= 0.18).
    rate, _, _ = rejection_rate(BELL, BELL, 1000, FALSE_FAILURE_RATE, 200000, seed=5)
    assert rate == 0.0


def test_vectorised_rate_agrees_with_counts_match():
    # 300 draws (seed 6) at alpha = 0.2 so that both verdicts occur
    rate, samples, keys = rejection_rate(SKEWED, SKEWED, 40, 0.2, 300, seed=6)
    verdicts = [
        not counts_match(dict(zip(keys, map(int, row), strict=True)), SKEWED, alpha=0.2).passed
        for row in samples
    ]
    assert np.mean(verdicts) == pytest.approx(rate)
    assert 0 < rate < 0.2


def test_catches_a_uniform_distribution_every_time():
    uniform = dict.fromkeys(["00", "01", "10", "11"], 0.25)
    rate, _, _ = rejection_rate(BELL, uniform, 1000, FALSE_FAILURE_RATE, 2000, seed=7)
    assert rate == 1.0
    rate_small, _, _ = rejection_rate(BELL, uniform, 50, FALSE_FAILURE_RATE, 2000, seed=8)
    assert rate_small == 1.0  # 50 shots with no '01'/'10' at all: probability 2**-50


def test_catches_a_biased_bell_pair_at_realistic_shots():
    # 70/30 instead of 50/50 at 1000 shots: the interval is 419..581, the mean 700 (sd 14.5):
    # a miss needs an 8-sd fluctuation. 2000 draws, seed 9, every one rejected.
    rate, _, _ = rejection_rate(BELL, {"00": 0.7, "11": 0.3}, 1000, FALSE_FAILURE_RATE, 2000, 9)
    assert rate == 1.0


def test_tolerance_accepts_device_noise_and_keeps_its_guarantee():
    noisy = {"00": 0.47, "11": 0.48, "01": 0.03, "10": 0.02}  # 5 % of shots leak
    strict_rate, _, _ = rejection_rate(BELL, noisy, 1000, FALSE_FAILURE_RATE, 2000, seed=10)
    assert strict_rate == 1.0
    # with tolerance 0.05 the noisy distribution is "within tolerance": same <= alpha bound,
    # measured at alpha = 0.01 as above (20000 draws, seed 11, 5-sd slack)
    rate, _, _ = rejection_rate(BELL, noisy, 1000, 0.01, 20000, seed=11, tolerance=0.05)
    assert rate <= 0.01 + 5 * 14.1 / 20000


def test_failure_message_names_outcomes_expected_and_got():
    result = counts_match({"00": 700, "11": 300}, BELL)
    assert not result.passed
    assert "'00': expected probability 0.500, got 0.700 (700 of 1000 shots" in result.message
    leak = counts_match({"00": 500, "11": 490, "10": 10}, BELL)
    assert "should never occur" in leak.message
    assert leak.details["offending"] == ["other"]


def test_counts_keys_with_register_spaces_are_accepted():
    assert counts_match({"0 0": 510, "1 1": 490}, BELL).passed


@pytest.mark.parametrize(
    "bad",
    [[500, 500], "00", {}, {"0a": 3}, {"00": -1}, {"00": 2.5}, {"00": 5, "1": 5}, {"000": 10}],
)
def test_malformed_counts_are_failed_results(bad):
    result = counts_match(bad, BELL)
    assert not result.passed
    assert result.details["reason"] == "bad_answer"


def test_bad_expected_distribution_is_a_programming_error():
    with pytest.raises(ValueError, match="add up to 1"):
        counts_match({"0": 10}, {"0": 0.5})
    with pytest.raises(ValueError, match="add up to 1"):  # nan fails every comparison: refused too
        counts_match({"0": 10}, {"0": float("nan"), "1": float("nan")})


def test_probability_at_least_false_failure_rate_and_power():
    # True probability exactly at the threshold (the hardest honest case): 20000 draws, seed 12,
    # at alpha = 0.01: rejection rate <= 0.01 + 5 sd as above.
    rng = np.random.default_rng(12)
    shots, p_min = 300, 0.4
    hits = rng.binomial(shots, p_min, size=20000)
    lo = probability_at_least({"010": 1, "000": shots - 1}, "010", p_min, alpha=0.01).details["lo"]
    assert (hits < lo).mean() <= 0.01 + 5 * 14.1 / 20000
    # A search that found nothing (uniform over 8 items, p = 1/8) at 200 shots is always caught
    # at the default alpha: 2000 draws, seed 13.
    lo_default = probability_at_least({"010": 1, "000": 199}, "010", p_min).details["lo"]
    wrong = np.random.default_rng(13).binomial(200, 1 / 8, size=2000)
    assert (wrong < lo_default).all()


def test_probability_at_least_messages():
    good = probability_at_least({"101": 900, "000": 100}, "101", 0.5)
    assert good.passed
    bad = probability_at_least({"101": 30, "000": 970}, "101", 0.5)
    assert not bad.passed
    assert "'101' came up 30 times in 1000 shots" in bad.message
    few = probability_at_least({"101": 9, "000": 1}, "101", 0.5, min_shots=100)
    assert not few.passed and few.details["reason"] == "too_few_shots"
    several = probability_at_least({"00": 40, "11": 50, "01": 10}, ["00", "11"], 0.7)
    assert several.passed and several.details["hits"] == 90


def test_assert_forms():
    with pytest.raises(AssertionError, match="do not fit"):
        assert_counts_match({"00": 1000}, BELL)
    with pytest.raises(AssertionError, match="came up 0 times"):
        assert_probability_at_least({"00": 1000}, "11", 0.5)
    assert assert_counts_match({"00": 498, "11": 502}, BELL).passed


# ---- counts from a noisy device: compare with the reference's exact distribution there ---------
#
# Measured here (1000 shots per sample, 200 samples per case, numpy default_rng seeds stated in each
# test): a correct Bell answer on iqm-spark, written three ways (RY.CX, its mirror, H.CZ.H), fails
# 0 of 200 at the default alpha 1e-6 (and 4, 1, 5 of 200 at alpha 0.05); checked against the
# *ideal* probabilities instead, it fails 200 of 200. A slightly wrong answer, RY(pi/2 + d) instead
# of RY(pi/2), is caught at d = 0.15 in 0.285 of samples on the ideal device and 0.185 on
# iqm-spark, at d = 0.2 in 0.83 and 0.705, at d = 0.25 in 1.0 and 0.97 (noise flattens the
# difference: depolarizing and readout errors pull every outcome towards the others).


def spark_bell(theta: float = np.pi / 2, mirror: bool = False, via_cz: bool = False):
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(2)
    a, b = (1, 0) if mirror else (0, 1)
    if via_cz:
        qc.h(a)
        qc.h(b)
        qc.cz(a, b)
        qc.h(b)
    else:
        qc.ry(theta, a)
        qc.cx(a, b)
    qc.measure_all()
    return qc


def device_rejections(true: dict, bounds: dict, shots: int, alpha: float, seed: int, draws: int = 200):
    """Fraction of ``draws`` samples from ``true`` that the device check rejects (vectorised on its
    acceptance region, as rejection_rate above)."""
    from qlab.checks.counts import _region

    region = _region(shots, tuple((k, lo, hi) for k, (lo, hi) in sorted(bounds.items())), alpha, 0.0)
    keys = sorted(set(true) | set(bounds))
    p = np.array([true.get(k, 0.0) for k in keys])
    samples = np.random.default_rng(seed).multinomial(shots, p / p.sum(), size=draws)
    reject = np.zeros(draws, dtype=bool)
    other = np.zeros(draws, dtype=int)
    for j, k in enumerate(keys):
        if bounds.get(k, (0.0, 0.0))[1] > 0:
            lo, hi = region[k]
            reject |= (samples[:, j] < lo) | (samples[:, j] > hi)
        else:
            other += samples[:, j]
    reject |= other > region["other"][1]
    return float(reject.mean())


@pytest.fixture(scope="module")
def spark_bounds():
    from qlab.checks.counts import expected_bounds

    return expected_bounds(spark_bell(), "iqm-spark")


@pytest.mark.slow
def test_correct_answers_on_a_noisy_device_pass_at_the_stated_rate(spark_bounds):
    from qlab.execution.exact import exact_distribution

    bounds, placements = spark_bounds
    assert placements >= 2  # a Bell pair fits on several coupled pairs of the star
    ideal = {"00": (0.5, 0.5), "11": (0.5, 0.5)}
    for seed, answer in enumerate((spark_bell(), spark_bell(mirror=True), spark_bell(via_cz=True)), 1):
        true = exact_distribution(answer, "iqm-spark")  # what qlab.run samples for this answer
        assert device_rejections(true, bounds, 1000, 1e-6, seed) == 0.0
        # at alpha = 0.05 the rate is measurable: Binomial(200, <= 0.05) exceeds 20 w.p. < 0.03
        assert device_rejections(true, bounds, 1000, 0.05, 10 + seed) <= 20 / 200
        assert device_rejections(true, ideal, 1000, 1e-6, 20 + seed) > 0.95  # the old comparison


@pytest.mark.slow
def test_slightly_wrong_answers_are_caught_about_as_often_as_on_the_ideal_device(spark_bounds):
    from qlab.execution.exact import exact_distribution

    bounds, _ = spark_bounds
    ideal = {k: (p, p) for k, p in exact_distribution(spark_bell(), "ideal").items()}
    # the rates measured with these seeds; with 200 samples their standard error is at most 0.035,
    # so the bands (0.1) hold for other seeds too, at about 3 standard errors
    for delta, seed, ideal_power, device_power in ((0.2, 30, 0.83, 0.705), (0.25, 31, 1.0, 0.97)):
        wrong = spark_bell(np.pi / 2 + delta)
        on_ideal = device_rejections(exact_distribution(wrong, "ideal"), ideal, 1000, 1e-6, seed)
        on_spark = device_rejections(exact_distribution(wrong, "iqm-spark"), bounds, 1000, 1e-6, seed + 10)
        assert on_ideal == pytest.approx(ideal_power, abs=0.1)
        assert on_spark == pytest.approx(device_power, abs=0.1)
        assert on_spark >= 0.8 * on_ideal


def test_the_device_check_end_to_end_and_what_it_says(spark_bounds):
    """qlab.run counts of a correct answer pass (seed 3, 1000 shots); a wrong state fails, and
    the message says what the rate is conditional on."""
    from qiskit import QuantumCircuit

    counts = qlab_run(spark_bell(mirror=True), "iqm-spark", shots=1000, seed=3)
    result = counts_match(counts, spark_bell(), device="iqm-spark")
    assert result.passed, result.message
    assert "on iqm-spark, noise included" in result.message and "placement" in result.message
    plus = QuantumCircuit(2)
    plus.h(0)
    plus.measure_all()
    bad = counts_match(qlab_run(plus, "iqm-spark", shots=1000, seed=4), spark_bell(), device="iqm-spark")
    assert not bad.passed and "'01'" in bad.message and "–" in bad.message  # a range, not a number
    with pytest.raises(ValueError, match="reference circuit"):
        counts_match(counts, {"00": 0.5, "11": 0.5}, device="iqm-spark")
    # a circuit without a device: its ideal distribution
    assert counts_match(qlab_run(spark_bell(), shots=500, seed=5), spark_bell()).passed


def qlab_run(*args, **kwargs):
    import qlab

    return qlab.run(*args, **kwargs)
