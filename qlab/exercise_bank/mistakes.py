"""Recognising the usual wrong answers, so that a hint can answer the mistake that was made.

An exercise lists its usual wrong states in its JSON entry, e.g. for the Bell state::

    "mistakes": [
      {"reason": "sign", "amplitudes": {"00": 1, "11": -1}},
      {"reason": "order", "amplitudes": {"00": 1, "01": 1}, "min_two_qubit": 1},
      {"reason": "missing_gate", "amplitudes": {"00": 1, "01": 1}, "max_two_qubit": 0}
    ]

Amplitudes need not be normalised and match up to a global phase; the two-qubit-gate bounds tell
apart two mistakes that leave the same state (a CNOT placed before the Hadamard does nothing, so
"wrong order" and "no CNOT at all" both leave qubit 1 in |0>).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from ..checks import CheckResult

MATCH = 1 - 1e-6  # |<mistake|answer>|^2 at least this: the same state up to global phase


def framework_of(answer: Any) -> str | None:
    """``"qiskit"`` or ``"cirq"`` for an object from that framework, else ``None``."""
    module = type(answer).__module__ or ""
    for name in ("qiskit", "cirq"):
        if module == name or module.startswith(name + ".") or module.startswith(name + "_"):
            return name
    return None


def two_qubit_gates(answer: Any) -> int | None:
    """How many two-qubit gates the circuit ``answer`` has (``None`` if it is not a circuit)."""
    if framework_of(answer) is None:
        return None
    from ..checks import resource_usage

    try:
        return int(resource_usage(answer)["two_qubit"])
    except Exception:  # not a circuit (a Statevector, a gate): the bounds cannot apply
        return None


def _vector(amplitudes: dict[str, Any]) -> np.ndarray:
    n = len(next(iter(amplitudes)))
    vec = np.zeros(2**n, dtype=complex)
    for key, value in amplitudes.items():
        vec[int(key, 2)] = complex(*value) if isinstance(value, list) else complex(value)
    return vec / np.linalg.norm(vec)


def classify_state(got: np.ndarray, mistakes: Iterable[dict[str, Any]], answer: Any = None) -> str | None:
    """The ``reason`` of the first listed mistake whose state is ``got`` (and whose two-qubit-gate
    bounds the circuit ``answer`` meets); ``"unchanged"`` when ``got`` is still |0...0>;
    ``None`` when the state is none of these."""
    got = np.asarray(got, dtype=complex)
    count: int | None = None
    for mistake in mistakes:
        target = _vector(mistake["amplitudes"])
        if len(target) != len(got) or abs(np.vdot(target, got)) ** 2 < MATCH:
            continue
        if "min_two_qubit" in mistake or "max_two_qubit" in mistake:
            if count is None:
                count = two_qubit_gates(answer)
            if count is None:
                continue
            if count < mistake.get("min_two_qubit", 0) or count > mistake.get("max_two_qubit", count):
                continue
        return str(mistake["reason"])
    if len(got) and abs(got[0]) ** 2 >= MATCH:
        return "unchanged"
    return None


def not_callable(exercise: str, answer: Any) -> Any:
    """The failure for an exercise that asks for a function and got ``answer`` instead (the
    unanswered ``None`` of a try-it cell, a number, a list): ``check.ex.<id>.not_function``."""
    from ..checks import CheckResult
    from ..i18n import t

    return CheckResult(
        False, t(f"check.ex.{exercise}.not_function", got=type(answer).__name__),
        {"reason": "not_function"},
    )


def as_number(exercise: str, got: Any) -> tuple[float | None, Any]:
    """``(value, None)`` when the student's function returned something ``float()`` accepts, else
    ``(None, failure)`` with the exercise's ``check.ex.<id>.not_number`` message."""
    from ..checks import CheckResult
    from ..i18n import t

    try:
        return float(got), None
    except (TypeError, ValueError):
        return None, CheckResult(
            False, t(f"check.ex.{exercise}.not_number", got=repr(got)[:40]), {"reason": "not_number"}
        )


def check_number_cases(
    exercise: str,
    answer: Any,
    cases: Sequence[tuple[Any, ...]],
    *,
    calls: Callable[..., Iterable[Any]],
    is_wrong: Callable[..., bool],
    wrong_fields: Callable[..., dict[str, Any]],
    mistake: Callable[..., str],
    shown: Callable[..., Any],
) -> CheckResult:
    """Check a "write a function that returns a number" exercise: the student's function
    ``answer`` is put to every case in turn, and the first wrong number ends the check.

    The steps, and the result each one gives when it fails:

    1. ``answer`` is not callable: :func:`not_callable` (``reason`` ``"not_function"``).
    2. For each case, in order, each value the student's function returns on it
       (``calls(answer, *case)``) is read by :func:`as_number`; not a number: its failure
       (``reason`` ``"not_number"``).
    3. The value is not finite (``nan``, ``inf``), or ``is_wrong(value, *case)`` is true:
       ``check.ex.<exercise>.wrong``, formatted with
       ``wrong_fields(value, *case)``, with details ``{"reason": mistake(value, *case),
       "case": shown(*case), "got": value}``.
    4. Every case agreed: ``check.ex.<exercise>.pass`` with ``cases=len(cases)``.

    Every callback gets a case's items as separate arguments (a case is a tuple such as
    ``(counts, qubits, expected)``), after the number where there is one, so that it can name
    them: ``is_wrong=lambda value, counts, qubits, expected: abs(value - expected) > tol``.

    ``calls`` calls the student's function, handing it fresh copies of the case's data (their
    function may change what it is given; the next case and the next check must not see that),
    and returns the results: one item per call, ``[f(dict(counts), list(qubits))]``. A case
    tried in several forms (lists, then numpy arrays) is a generator that yields one call's
    result at a time, so that a call is only made when the one before it was right.

    A value that is not finite is always wrong, whatever ``is_wrong`` says: ``abs(nan - x) > tol``
    is false, so a comparison alone would let ``return float("nan")`` pass every case.
    ``mistake`` names the slip that explains ``value`` (the key of a
    ``check.ex.<exercise>.mistake.<reason>`` hint), or ``"different"``. ``shown`` is what the
    details report as the case: the inputs, without the expected answer.
    """
    from ..checks import CheckResult
    from ..i18n import t

    if not callable(answer):
        return not_callable(exercise, answer)
    for case in cases:
        for got in calls(answer, *case):
            value, failure = as_number(exercise, got)
            if failure is not None:
                return failure
            if not math.isfinite(value) or is_wrong(value, *case):
                return CheckResult(
                    False,
                    t(f"check.ex.{exercise}.wrong", **wrong_fields(value, *case)),
                    {"reason": mistake(value, *case), "case": shown(*case), "got": value},
                )
    return CheckResult(True, t(f"check.ex.{exercise}.pass", cases=len(cases)))


__all__ = [
    "as_number", "check_number_cases", "classify_state", "framework_of", "not_callable",
    "two_qubit_gates",
]
