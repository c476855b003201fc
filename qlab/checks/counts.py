"""Do sampled counts agree with expected probabilities, given shot noise?

Counts from a simulator or a device never match probabilities exactly: with 1000 shots of a Bell
state, 480/520 is fine and 600/400 is not. The test here is exact for any number of shots:

**Per-outcome binomial bounds with a Bonferroni correction.** Under the expected distribution,
the count of each outcome ``k`` is ``Binomial(shots, p_k)``. Each of the ``K`` outcomes with
``p_k > 0``, plus one bucket holding every outcome expected never to occur, gets an acceptance
interval ``[lo_k, hi_k]`` whose two tails each have probability at most ``alpha / (2 K)``
(exact binomial quantiles, no normal approximation). By the union bound, counts truly drawn from
the expected distribution fail with probability **at most ``alpha``** (default
:data:`FALSE_FAILURE_RATE` = 1e-6: one wrongful failure in a million checks). The discreteness of
the binomial makes the real rate smaller still. ``tests/test_checks_counts.py`` measures it.

**Counts from a noisy device** do not follow the ideal probabilities: a correct Bell circuit on
``iqm-spark`` reads ``01`` and ``10`` a few percent of the time. Give the check the *reference
circuit* and the device instead of probabilities (``counts_match(counts, reference,
device="iqm-spark")``): it compares against the exact distribution the reference gives on that
device, noise included, computed with the same compilation and noise model ``qlab.run`` samples
from (:func:`qlab.execution.exact.distribution_bounds`). A correct answer may land on other
qubits than the reference, and Spark's qubits differ, so each outcome's interval spans the
probabilities it has over every placement a compiler would choose (the ones needing the fewest
two-qubit gates). The same bound then holds: counts of a correct answer on any such placement fail
with probability at most ``alpha``. ``tests/test_checks_counts.py`` measures this rate and the
power against slightly wrong answers, on the ideal device and on ``iqm-spark``.

``tolerance`` widens every interval further, to any probability within ``±tolerance`` of the
expected one; the false-failure bound holds for any true distribution within that tolerance.

For "this outcome should be likely" (Grover, amplitude amplification) use
:func:`probability_at_least`: a one-sided binomial test with the same guarantee.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from ..i18n import t
from ._convert import BadAnswerError
from .result import CheckResult

FALSE_FAILURE_RATE = 1e-6
OTHER = "other"  # the bucket of every outcome expected never to occur
MAX_SHOWN = 4


def _binom_lo(shots: int, p: float, tail: float) -> int:
    """Smallest count ``lo`` with ``P(X < lo) <= tail`` for ``X ~ Binomial(shots, p)``."""
    from scipy.stats import binom

    if p <= 0:
        return 0
    return int(binom.ppf(tail, shots, p))


def _binom_hi(shots: int, p: float, tail: float) -> int:
    """Smallest count ``hi`` with ``P(X > hi) <= tail`` for ``X ~ Binomial(shots, p)``."""
    from scipy.stats import binom

    if p <= 0:
        return 0
    if p >= 1:
        return shots
    hi = int(binom.isf(tail, shots, p))
    while hi < shots and binom.sf(hi, shots, p) > tail:
        hi += 1
    while hi > 0 and binom.sf(hi - 1, shots, p) <= tail:  # isf may round up by one
        hi -= 1
    return hi


@lru_cache(maxsize=256)
def _region(
    shots: int, bounds: tuple[tuple[str, float, float], ...], alpha: float, tolerance: float
) -> dict[str, tuple[int, int]]:
    """Acceptance intervals for outcomes whose probability lies in ``[lo, hi]`` (``lo == hi`` for
    one known distribution). A binomial count is stochastically increasing in its probability, so
    testing the lower tail at ``lo`` and the upper tail at ``hi`` bounds both for any true value
    in between."""
    support = [(k, lo, hi) for k, lo, hi in bounds if hi > 0]
    tail = alpha / (2 * (len(support) + 1))
    region = {
        k: (
            _binom_lo(shots, max(lo - tolerance, 0.0), tail),
            _binom_hi(shots, min(hi + tolerance, 1.0), tail),
        )
        for k, lo, hi in support
    }
    region[OTHER] = (0, _binom_hi(shots, min(tolerance, 1.0), tail))
    return region


def acceptance_region(
    shots: int,
    expected: Mapping[str, float],
    *,
    alpha: float = FALSE_FAILURE_RATE,
    tolerance: float = 0.0,
) -> dict[str, tuple[int, int]]:
    """``{outcome: (lo, hi)}``: the counts :func:`counts_match` accepts, plus ``"other"`` for the
    total of every outcome not in ``expected`` (or expected with probability 0)."""
    probs = _normalise_probs(expected)
    bounds = tuple((k, p, p) for k, p in sorted(probs.items()))
    return dict(_region(int(shots), bounds, float(alpha), float(tolerance)))


def _normalise_probs(expected: Mapping[str, float]) -> dict[str, float]:
    probs = {str(k).replace(" ", ""): float(v) for k, v in expected.items()}
    total = sum(probs.values())
    # written so that nan fails: every comparison with nan is false
    if not all(v >= 0 for v in probs.values()) or not abs(total - 1.0) <= 1e-6:
        raise ValueError(t("check.counts.bad_expected", total=f"{total:.6g}"))
    return {k: v / total for k, v in probs.items()}


def normalise_counts(counts: Any, width: int | None = None) -> dict[str, int]:
    """Counts as ``{bitstring: int}``; spaces between registers removed. Bad input raises
    :class:`BadAnswerError` saying what a counts dict looks like."""
    if not isinstance(counts, Mapping) or not counts:
        raise BadAnswerError(t("check.counts.not_counts", got=type(counts).__name__))
    out: dict[str, int] = {}
    for key, value in counts.items():
        k = str(key).replace(" ", "")
        if not k or set(k) - {"0", "1"}:
            raise BadAnswerError(t("check.counts.bad_key", key=str(key)))
        try:
            n = int(value)
        except (TypeError, ValueError):
            n = -1
        if n < 0 or n != value:
            raise BadAnswerError(t("check.counts.bad_value", key=k, value=repr(value)))
        out[k] = out.get(k, 0) + n
    lengths = {len(k) for k in out}
    if len(lengths) > 1 or (width is not None and lengths != {width}):
        raise BadAnswerError(
            t(
                "check.counts.bad_width",
                width=width if width is not None else min(lengths),
                got=", ".join(sorted(str(n) for n in lengths)),
            )
        )
    if sum(out.values()) == 0:
        raise BadAnswerError(t("check.counts.no_shots"))
    return out


def _is_circuit(obj: Any) -> bool:
    from ._convert import _is_cirq, _is_qiskit_circuit

    return _is_qiskit_circuit(obj) or _is_cirq(obj, "Circuit") or _is_cirq(obj, "FrozenCircuit")


def expected_bounds(
    expected: Any, device: Any = None, *, idle_noise: bool = True
) -> tuple[dict[str, tuple[float, float]], int]:
    """``{outcome: (least, greatest probability)}`` and the number of placements they span:
    from a probability dict as it is, or from a reference circuit on ``device`` (its exact,
    noisy distribution over the placements a compiler would choose)."""
    if _is_circuit(expected):
        from ..execution.exact import distribution_bounds

        return distribution_bounds(expected, "ideal" if device is None else device, idle_noise=idle_noise)
    if device is not None:
        raise ValueError(t("check.counts.device_needs_circuit"))
    probs = _normalise_probs(expected)
    return {k: (p, p) for k, p in probs.items()}, 1


def counts_match(
    counts: Any,
    expected: Any,
    *,
    alpha: float = FALSE_FAILURE_RATE,
    tolerance: float = 0.0,
    device: Any = None,
    idle_noise: bool = True,
) -> CheckResult:
    """Are ``counts`` a plausible sample of ``expected``?

    ``expected`` is ``{bitstring: probability}``, or a reference circuit (Qiskit or Cirq): then
    the expected distribution is the reference's exact one on ``device`` (default: ideal), noise
    included, as ``qlab.run(reference, device, idle_noise=idle_noise)`` samples it. Fails with
    probability at most ``alpha`` when the counts truly come from the expected distribution (on a
    noisy device: from a correct answer on any placement a compiler would choose); see the module
    docstring. A failure lists the outcomes whose counts fall outside their interval, expected
    against got.
    """
    bounds, placements = expected_bounds(expected, device, idle_noise=idle_noise)
    width = len(next(iter(bounds)))
    try:
        got = normalise_counts(counts, width)
    except BadAnswerError as exc:
        return CheckResult(False, str(exc), {"reason": "bad_answer"})
    shots = sum(got.values())
    key = tuple((k, lo, hi) for k, (lo, hi) in sorted(bounds.items()))
    region = dict(_region(shots, key, float(alpha), float(tolerance)))
    observed = {k: got.get(k, 0) for k in region if k != OTHER}
    observed[OTHER] = sum(v for k, v in got.items() if bounds.get(k, (0.0, 0.0))[1] <= 0)
    bad = [k for k, (lo, hi) in region.items() if not lo <= observed[k] <= hi]
    details: dict[str, Any] = {
        "shots": shots,
        "region": region,
        "observed": observed,
        "offending": bad,
        "alpha": alpha,
        "bounds": bounds,
        "placements": placements,
    }
    on_device = _is_circuit(expected) and device is not None
    where = {"device": getattr(device, "name", device), "placements": placements}
    if not bad:
        key_ = "check.counts.pass_device" if on_device else "check.counts.pass"
        return CheckResult(True, t(key_, shots=shots, alpha=f"{alpha:g}", **where), details)

    def shown(k: str) -> str:
        lo, hi = (0.0, 0.0) if k == OTHER else bounds[k]
        return f"{lo:.3f}" if abs(hi - lo) < 5e-4 else f"{lo:.3f}–{hi:.3f}"

    def middle(k: str) -> float:
        return 0.0 if k == OTHER else sum(bounds[k]) / 2

    bad.sort(key=lambda k: -abs(observed[k] / shots - middle(k)))
    lines = []
    for k in bad[:MAX_SHOWN]:
        lo, hi = region[k]
        label = t("check.counts.other_label") if k == OTHER else f"'{k}'"
        lines.append(
            t(
                "check.counts.outcome",
                outcome=label,
                expected=shown(k),
                got=f"{observed[k] / shots:.3f}",
                count=observed[k],
                shots=shots,
                lo=lo,
                hi=hi,
            )
        )
    details["reason"] = "distribution"
    head = t("check.counts.fail_device" if on_device else "check.counts.fail", alpha=f"{alpha:g}", **where)
    return CheckResult(False, head + "\n" + "\n".join(lines), details)


def probability_at_least(
    counts: Any,
    outcomes: str | Iterable[str],
    p_min: float,
    *,
    alpha: float = FALSE_FAILURE_RATE,
    min_shots: int = 1,
) -> CheckResult:
    """Is the probability of ``outcomes`` (one bitstring or several) at least ``p_min``?

    One-sided exact binomial test: fails only when so few shots landed on ``outcomes`` that a
    probability ``>= p_min`` would produce that few with probability at most ``alpha``. Fewer
    than ``min_shots`` shots is a failure too, because too few shots cannot tell right from wrong.
    """
    wanted = {outcomes} if isinstance(outcomes, str) else set(outcomes)
    wanted = {w.replace(" ", "") for w in wanted}
    width = len(next(iter(wanted)))
    try:
        got = normalise_counts(counts, width)
    except BadAnswerError as exc:
        return CheckResult(False, str(exc), {"reason": "bad_answer"})
    shots = sum(got.values())
    hits = sum(v for k, v in got.items() if k in wanted)
    label = ", ".join(f"'{w}'" for w in sorted(wanted))
    details: dict[str, Any] = {"shots": shots, "hits": hits, "p_min": p_min, "alpha": alpha}
    if shots < min_shots:
        details["reason"] = "too_few_shots"
        return CheckResult(False, t("check.counts.too_few", shots=shots, min=min_shots), details)
    lo = _binom_lo(shots, p_min, alpha)
    details["lo"] = lo
    if hits >= lo:
        return CheckResult(
            True,
            t("check.counts.likely_pass", outcome=label, got=f"{hits / shots:.3f}", p_min=p_min),
            details,
        )
    details["reason"] = "too_unlikely"
    return CheckResult(
        False,
        t(
            "check.counts.likely_fail",
            outcome=label,
            got=f"{hits / shots:.3f}",
            count=hits,
            shots=shots,
            p_min=p_min,
            lo=lo,
        ),
        details,
    )


def assert_counts_match(counts: Any, expected: Any, **kwargs: Any) -> CheckResult:
    """:func:`counts_match`, raising ``AssertionError`` with the compact message on failure."""
    return counts_match(counts, expected, **kwargs).raise_if_failed()


def assert_probability_at_least(
    counts: Any, outcomes: str | Iterable[str], p_min: float, **kwargs: Any
) -> CheckResult:
    """:func:`probability_at_least`, raising ``AssertionError`` on failure."""
    return probability_at_least(counts, outcomes, p_min, **kwargs).raise_if_failed()
