"""Is the student's state the expected one?

Two states equal *up to global phase* when one is the other times ``e^{iφ}``: no measurement can
tell them apart, so this is the default. ``strict_phase=True`` demands equal amplitudes, for the
rare exercise where the phase is the point (it becomes a relative phase once the preparation is
controlled, or added to another branch).

>>> from qlab.checks import states_equal
>>> import numpy as np
>>> bool(states_equal([1, 0, 0, 1] / np.sqrt(2), [-1, 0, 0, -1] / np.sqrt(2)))
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..i18n import t
from . import _format
from ._convert import BadAnswerError, to_statevector
from .result import CheckResult

ATOL = 1e-6  # largest allowed difference of any amplitude, after aligning the global phase


def states_equal(
    expected: Any, got: Any, *, strict_phase: bool = False, atol: float = ATOL
) -> CheckResult:
    """Compare two states (circuits, statevectors, arrays...; see :mod:`qlab.checks._convert`).

    Passes when every amplitude of ``got`` (times the best global phase, unless ``strict_phase``)
    is within ``atol`` of ``expected``'s. A failure names both states and their fidelity.
    """
    exp = to_statevector(expected)
    n = len(exp).bit_length() - 1
    try:
        vec = to_statevector(got, num_qubits=n)
    except BadAnswerError as exc:
        return CheckResult(False, str(exc), {"reason": "bad_answer"})
    m = len(vec).bit_length() - 1
    if m != n:
        return CheckResult(
            False,
            t("check.state.width", expected=n, got=m),
            {"reason": "width", "expected_qubits": n, "got_qubits": m},
        )
    overlap = complex(np.vdot(exp, vec))
    fidelity = abs(overlap) ** 2
    phase = float(np.angle(overlap)) if abs(overlap) > 1e-12 else 0.0
    aligned = vec * np.exp(-1j * phase)
    details = {"fidelity": fidelity, "global_phase": phase, "expected": exp, "got": vec}
    same_up_to_phase = float(np.max(np.abs(aligned - exp))) <= atol
    if same_up_to_phase and (not strict_phase or float(np.max(np.abs(vec - exp))) <= atol):
        return CheckResult(True, t("check.state.pass"), details)
    if same_up_to_phase:  # strict mode, and only the global phase differs
        details["reason"] = "global_phase"
        return CheckResult(
            False, t("check.state.global_phase", phase=_format.phase_in_pi(phase)), details
        )
    details["reason"] = "different"
    shown = vec if strict_phase else aligned
    return CheckResult(
        False,
        t(
            "check.state.differ",
            expected=_format.state(exp),
            got=_format.state(shown),
            fidelity=f"{fidelity:.3f}",
        ),
        details,
    )


def assert_states_equal(expected: Any, got: Any, **kwargs: Any) -> CheckResult:
    """:func:`states_equal`, raising ``AssertionError`` with the compact message on failure."""
    return states_equal(expected, got, **kwargs).raise_if_failed()
