"""Is the student's operation the expected one?

Up to global phase (default): ``U_got = e^{iφ} U_expected`` passes, as no experiment on the
operation alone can tell them apart. ``strict_phase=True`` compares the *controlled* versions,
as the Quantum Katas do: ``C(U)`` and ``C(e^{iφ}U)`` differ by a relative phase on the control,
so a global-phase slip (e.g. ``rz(θ)`` for ``p(θ)``) is caught and reported as such.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..i18n import t
from . import _format
from ._convert import BadAnswerError, to_unitary
from .result import CheckResult

ATOL = 1e-6  # largest allowed difference of any matrix entry, after aligning the global phase


def controlled(u: np.ndarray) -> np.ndarray:
    """``|0><0| ⊗ I + |1><1| ⊗ U`` with the control as the new highest qubit (qlab order)."""
    d = len(u)
    out = np.eye(2 * d, dtype=complex)
    out[d:, d:] = u
    return out


def _phase_aligned(expected: np.ndarray, got: np.ndarray) -> tuple[np.ndarray, float]:
    overlap = complex(np.trace(expected.conj().T @ got))
    phase = float(np.angle(overlap)) if abs(overlap) > 1e-12 else 0.0
    return got * np.exp(-1j * phase), phase


def operators_equal(
    expected: Any, got: Any, *, strict_phase: bool = False, atol: float = ATOL
) -> CheckResult:
    """Compare two operations (circuits, gates, matrices; Qiskit or cirq).

    A failure names the first basis input on which the two differ, with both outputs.
    """
    exp = to_unitary(expected)
    try:
        mat = to_unitary(got)
    except BadAnswerError as exc:
        return CheckResult(False, str(exc), {"reason": "bad_answer"})
    n, m = len(exp).bit_length() - 1, len(mat).bit_length() - 1
    if n != m:
        return CheckResult(
            False,
            t("check.op.width", expected=n, got=m),
            {"reason": "width", "expected_qubits": n, "got_qubits": m},
        )
    aligned, phase = _phase_aligned(exp, mat)
    fidelity = abs(np.trace(exp.conj().T @ mat) / len(exp)) ** 2
    details: dict[str, Any] = {"process_fidelity": fidelity, "global_phase": phase}
    same_up_to_phase = float(np.max(np.abs(aligned - exp))) <= atol
    if same_up_to_phase and strict_phase:
        c_exp, c_got = controlled(exp), controlled(mat)
        c_aligned, _ = _phase_aligned(c_exp, c_got)
        if float(np.max(np.abs(c_aligned - c_exp))) > atol:
            details["reason"] = "global_phase"
            return CheckResult(
                False, t("check.op.global_phase", phase=_format.phase_in_pi(phase)), details
            )
    if same_up_to_phase:
        return CheckResult(True, t("check.op.pass"), details)
    shown = mat if strict_phase else aligned
    col = int(np.argmax(np.max(np.abs(shown - exp), axis=0)))
    details.update(reason="different", input=col)
    return CheckResult(
        False,
        t(
            "check.op.differ",
            input=_format.ket(col, n),
            expected=_format.state(exp[:, col]),
            got=_format.state(shown[:, col]),
        ),
        details,
    )


def assert_operators_equal(expected: Any, got: Any, **kwargs: Any) -> CheckResult:
    """:func:`operators_equal`, raising ``AssertionError`` with the compact message on failure."""
    return operators_equal(expected, got, **kwargs).raise_if_failed()
