"""Checkers of lesson 9 (quantum communication, in Cirq): the sifting step of BB84.

``bb84-sift``: a function ``sift(alice_bases, bob_bases, bits) -> list`` keeping the entries of
``bits`` for the rounds where Alice and Bob chose the same basis (0 = Z, 1 = X), in order. It is
called on fixed cases (lists and numpy arrays, no agreement, full agreement), so a pass means the
rule is right, not just one key. Named in ``exercises-communication.json``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import CheckResult
from ..i18n import t

# (alice_bases, bob_bases, bits)
_SIFT_CASES: list[tuple[list[int], list[int], list[int]]] = [
    ([0, 1, 1, 0, 1, 0, 0, 1], [0, 0, 1, 1, 1, 0, 1, 0], [1, 0, 1, 1, 0, 0, 1, 1]),
    ([0, 0, 0], [1, 1, 1], [1, 0, 1]),  # no basis agrees: empty key
    ([1, 0, 1, 0], [1, 0, 1, 0], [0, 1, 1, 0]),  # every basis agrees: the whole string
]


def _reference(alice: list[int], bob: list[int], bits: list[int]) -> list[int]:
    return [b for a, c, b in zip(alice, bob, bits, strict=True) if a == c]


def check_bb84_sift(answer: Any) -> CheckResult:
    """``answer(alice_bases, bob_bases, bits)`` returns the sifted bits on every case, with the
    inputs given once as lists and once as numpy arrays."""
    if not callable(answer):
        return CheckResult(
            False, t("check.ex.bb84-sift.not_function", got=type(answer).__name__),
            {"reason": "not_function"},
        )
    for alice, bob, bits in _SIFT_CASES:
        expected = _reference(alice, bob, bits)
        for convert in (list, np.array):
            got = answer(convert(alice), convert(bob), convert(bits))
            try:
                got_list = [int(b) for b in got]
            except (TypeError, ValueError):
                return CheckResult(
                    False, t("check.ex.bb84-sift.not_list", got=type(got).__name__),
                    {"reason": "not_list"},
                )
            if got_list != expected:
                return CheckResult(
                    False,
                    t("check.ex.bb84-sift.wrong", alice=alice, bob=bob, bits=bits,
                      expected=expected, got=got_list),
                    {"reason": "different", "case": (alice, bob, bits), "got": got_list},
                )
    return CheckResult(True, t("check.ex.bb84-sift.pass", cases=len(_SIFT_CASES)))
