"""Assertions that diagnose: the building blocks of the graded labs' test cells.

A graded lab (``exercises/<lab>/source.ipynb``) checks each answer in a test cell. A bare
``assert`` tells a student *that* the answer is wrong; these helpers also tell them *which*
mistake they made, when it is one the instructor foresaw (a sign error, a reversed bit order, a
missing gate)::

    from qlab.exercise_bank.lab_checks import expect_state, mistake

    expect_state(bell, PHI_PLUS, what="bell", mistakes=[
        mistake(PHI_MINUS, "graded.bell-ghz.phi-minus"),    # a Z too many: the sign is wrong
        mistake(PSI_PLUS, "graded.bell-ghz.psi-plus"),      # an X on one qubit: 01/10 instead
    ])

A failure raises ``AssertionError`` (nbval fails the test cell, the grader shows the message in
the feedback). The message names what was checked, what was expected and what was received, and,
when the answer equals one of the foreseen ``mistakes``, the hint written for that mistake.
Texts come from the message catalog (area ``graded``: ``qlab/messages/graded.<lang>.json``), so the
grader's ``--lang`` (or ``QLAB_LANG``) picks English or Korean.

These helpers take answers as *data* (circuits, numbers, dicts, arrays): the grader hands a test
cell the student's answers as data and calls the student's functions across a process boundary.
Reference solutions do not belong here (students can read this module); they live in the hidden
parts of the labs' test cells.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, NoReturn

import numpy as np

from ..checks import BadAnswerError, operators_equal, states_equal
from ..i18n import t


@dataclass(frozen=True)
class Mistake:
    """A foreseen wrong answer: what it looks like (a state, an operator or a number, in the same
    form as the expected answer) and the message key of the hint that explains it."""

    looks_like: Any
    key: str
    fields: dict[str, Any] = field(default_factory=dict)

    def hint(self) -> str:
        return t(self.key, **self.fields)


def mistake(looks_like: Any, key: str, **fields: Any) -> Mistake:
    """A foreseen mistake: an answer equal to ``looks_like`` gets the hint ``key`` (with ``fields``)."""
    return Mistake(looks_like, key, dict(fields))


def message(key: str, **fields: Any) -> str:
    """The catalog text ``key`` in the grader's language (a lab's own hint or a generic text)."""
    return t(key, **fields)


def fail(key: str, **fields: Any) -> NoReturn:
    """Fail the test with the catalog message ``key``."""
    raise AssertionError(t(key, **fields))


def require(condition: Any, key: str, **fields: Any) -> None:
    """Fail with the catalog message ``key`` unless ``condition`` holds."""
    if not condition:
        fail(key, **fields)


def _with_hint(text: str, hint: str | None) -> str:
    return f"{text}\n{t('graded.hint_label', hint=hint)}" if hint else text


def _raise(what: str, detail: str, hint: str | None) -> NoReturn:
    raise AssertionError(_with_hint(t("graded.answer_wrong", what=what, detail=detail), hint))


def _expect(compare: Callable[..., Any], bad_key: str, got: Any, expected: Any, what: str,
            mistakes: Iterable[Mistake], hint_key: str | None, atol: float) -> None:
    result = compare(expected, got, atol=atol)
    if result:
        return
    if result.details.get("reason") == "bad_answer":
        fail(bad_key, what=what, detail=result.message)
    for wrong in mistakes:
        try:
            if compare(wrong.looks_like, got, atol=atol):
                _raise(what, result.message, wrong.hint())
        except BadAnswerError:
            continue
    _raise(what, result.message, t(hint_key) if hint_key else None)


def expect_state(
    got: Any,
    expected: Any,
    *,
    what: str,
    mistakes: Iterable[Mistake] = (),
    hint_key: str | None = None,
    atol: float = 1e-6,
) -> None:
    """``got`` (a circuit or a state) prepares ``expected`` up to a global phase.

    Otherwise: the hint of the first foreseen mistake ``got`` equals, else the generic hint
    ``hint_key`` (if any), after a line saying what was expected and what was received.
    """
    _expect(states_equal, "graded.not_a_state", got, expected, what, mistakes, hint_key, atol)


def expect_operator(
    got: Any,
    expected: Any,
    *,
    what: str,
    mistakes: Iterable[Mistake] = (),
    hint_key: str | None = None,
    atol: float = 1e-6,
) -> None:
    """``got`` (a circuit, gate or matrix) acts as ``expected`` up to a global phase; on failure
    the hint of the foreseen mistake it equals, as :func:`expect_state` does for states."""
    _expect(operators_equal, "graded.not_an_operation", got, expected, what, mistakes, hint_key, atol)


def as_number(got: Any, *, what: str) -> float:
    """``got`` as a finite float (an int, float or numpy scalar; never a bool, string or array)."""
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (Real, np.number)) or isinstance(
        got, complex
    ):
        fail("graded.not_a_number", what=what, got=type(got).__name__)
    value = float(got)
    if not math.isfinite(value):
        fail("graded.not_finite", what=what, got=repr(got))
    return value


def expect_number(
    got: Any,
    expected: float,
    *,
    what: str,
    atol: float,
    mistakes: Iterable[Mistake] = (),
    hint_key: str | None = None,
) -> None:
    """``got`` is a number within ``atol`` of ``expected``; otherwise the hint of the foreseen
    mistake it is closest to within ``atol``, else the generic hint ``hint_key``."""
    value = as_number(got, what=what)
    if abs(value - expected) <= atol:
        return
    detail = t("graded.number_differs", expected=_fmt(expected), got=_fmt(value), atol=_fmt(atol))
    for wrong in mistakes:
        if abs(value - float(wrong.looks_like)) <= atol:
            _raise(what, detail, wrong.hint())
    _raise(what, detail, t(hint_key) if hint_key else None)


def expect_bitstring(
    got: Any,
    expected: str,
    *,
    what: str,
    reversed_key: str | None = None,
    complement_key: str | None = None,
    extra_bit_key: str | None = None,
    zeros_key: str | None = None,
    hint_key: str | None = None,
) -> None:
    """``got`` is the bit string ``expected``; otherwise name the bit-string slip it shows: the string
    read backwards (``reversed_key``), every bit flipped (``complement_key``), one bit too many, e.g.
    an extra qubit measured (``extra_bit_key``), all zeros (``zeros_key``). Each message gets the
    fields ``what``, ``got`` and ``expected``."""
    if not isinstance(got, str):
        fail("graded.not_a_bitstring", what=what, got=type(got).__name__)
    if got == expected:
        return
    fields = {"what": what, "got": got, "expected": expected}
    flipped = "".join("1" if b == "0" else "0" for b in expected)
    foreseen = [(extra_bit_key, len(got) == len(expected) + 1),
                (reversed_key, got == expected[::-1]),
                (complement_key, got == flipped),
                (zeros_key, set(got) <= {"0"})]
    for key, applies in foreseen:
        if key and applies:
            fail(key, **fields)
    detail = t("graded.bits_differ", expected=expected, got=got)
    _raise(what, detail, t(hint_key, **fields) if hint_key else None)


def expect_callable(got: Any, *, what: str) -> Callable[..., Any]:
    """``got`` is a function the test can call (the exercise asked for one, not a value)."""
    if not callable(got):
        fail("graded.not_callable", what=what, got=type(got).__name__)
    return got


def call(function: Any, *args: Any, what: str, on_error: dict[type, str] | None = None) -> Any:
    """``function(*args)``; an exception inside the student's function fails the test with the
    call that raised it and the error, instead of a traceback through the test cell, plus the hint
    ``on_error[type]`` when the error is of a foreseen kind (``{KeyError: "graded.x.missing-key"}``)."""
    expect_callable(function, what=what)
    shown = f"{what}({', '.join(_short(a) for a in args)})"
    try:
        return function(*args)
    except Exception as exc:  # the student's code: any exception is a failed test, said plainly
        text = t("graded.call_raised", call=shown, error=f"{type(exc).__name__}: {exc}"[:300])
        names = {c.__name__ for c in type(exc).__mro__}  # by name: the error may cross a process boundary
        hint = next((t(key) for kind, key in (on_error or {}).items() if kind.__name__ in names), None)
        raise AssertionError(_with_hint(text, hint)) from None


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, (str, int, float, tuple, list)) else type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _fmt(x: float) -> str:
    return f"{x:.6g}"
