"""``qlab.check("<exercise-id>", answer)``: instant feedback in a student's notebook.

::

    import qlab
    qlab.check("bell-state", circuit)
    # ✓ Bell state |Φ+⟩: Correct! The state matches (up to a global phase).

A wrong answer prints what differs and a hint. The hint answers the mistake when the checker
recognises it (a sign error gets a hint about the sign, a reversed order one about the order, a
missing gate one about that gate), in the framework the student wrote (Cirq syntax for a Cirq
answer). Only a failure the checker cannot explain climbs the exercise's hint ladder, one rung
per such failure; passing an exercise starts its ladder again, so trying a variation after a
pass never gives the answer away. Each exercise has its own ladder. A malformed answer (a string
where a circuit was expected, a circuit that cannot be simulated) is a friendly message too: a
student never sees a traceback here.

**Grading mode**: in any graded run a failure raises ``AssertionError`` whose message is the
failure text, so the test cell fails (nbval's item, nbgrader's grade cell) and the answer loses its
points; a pass prints one line. A graded run is one that ``qlab grade`` or ``qlab validate`` started
(they set ``QLAB_GRADING=1``) or one that nbgrader runs (``nbgrader autograde`` and ``nbgrader
validate`` set ``NBGRADER_EXECUTION``): no instructor has to set anything. Per-student exercises
read the student id as described in :mod:`qlab.variants` (under nbgrader: the student it grades).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from .checks.result import CheckResult
from .errors import QlabError
from .exercise_bank.mistakes import framework_of
from .i18n import t

ENV_GRADING = "QLAB_GRADING"
ENV_NBGRADER = "NBGRADER_EXECUTION"  # set by nbgrader while it runs a notebook
NBGRADER_RUNS = frozenset({"autograde", "validate"})

_failures: dict[str, int] = {}  # exercise id -> unexplained failed attempts since its last pass
# results that are about the call, not the answer: no verdict prefix, no hint, no attempt counted
_NOT_AN_ATTEMPT = frozenset({"no_student_id", "bad_option", "unknown_exercise"})


def grading_mode() -> bool:
    """True in a graded run (``QLAB_GRADING=1``, or nbgrader's ``NBGRADER_EXECUTION``): failures
    raise ``AssertionError``, so the test cell fails."""
    return (os.environ.get(ENV_GRADING, "").strip() == "1"
            or os.environ.get(ENV_NBGRADER, "").strip() in NBGRADER_RUNS)


def reset_attempts(exercise_id: str | None = None) -> None:
    """Forget failed attempts (all, or one exercise's), so hints start again from the first."""
    if exercise_id is None:
        _failures.clear()
    else:
        _failures.pop(exercise_id, None)


def _evaluate(exercise_id: str, answer: Any, options: dict[str, Any]) -> tuple[CheckResult, Any]:
    from . import exercise_bank

    try:
        exercise = exercise_bank.get(exercise_id)
    except QlabError as exc:
        return CheckResult(False, str(exc), {"reason": "unknown_exercise"}), None
    try:
        resolved = exercise.resolve()
    except QlabError as exc:  # e.g. no student id for a per-student exercise
        return CheckResult(False, str(exc), {"reason": "no_student_id"}, title=exercise.title), None
    unknown = sorted(set(options) - set(resolved))
    if unknown:
        message = t("check.unknown_option", name=unknown[0], allowed=", ".join(sorted(resolved)))
        return CheckResult(False, message, {"reason": "bad_option"}, title=exercise.title), None
    resolved.update(options)
    try:
        result = exercise_bank.run_checker(exercise, answer, resolved)
    except QlabError as exc:  # a malformed answer: say what was expected
        result = CheckResult(False, str(exc), {"reason": "bad_answer"})
    except Exception as exc:  # anything else the answer triggers, still no traceback
        result = CheckResult(
            False,
            t("check.crash", error=f"{type(exc).__name__}: {exc}"[:300]),
            {"reason": "error", "error": repr(exc)},
        )
    result.title = exercise.title
    return result, exercise


def check(exercise_id: str, answer: Any, **options: Any) -> CheckResult:
    """Check ``answer`` to exercise ``exercise_id`` and show the verdict.

    ``options`` override the exercise's parameters (e.g. ``p_min=0.5``); unknown options are a
    friendly failure naming the allowed ones. Returns the :class:`~qlab.checks.CheckResult`
    (truthy when passed). In grading mode a failure raises ``AssertionError`` instead.
    """
    result, exercise = _evaluate(exercise_id, answer, options)
    reason = result.details.get("reason")
    checked = exercise is not None and reason not in _NOT_AN_ATTEMPT
    if checked:
        verdict = "check.pass" if result.passed else "check.fail"
        result.message = f"{t(verdict)} {result.message}"
    framework = framework_of(answer)
    if grading_mode():
        if checked and not result.passed:
            result.hint = exercise.mistake_hint(reason, framework) or exercise.hint(0, framework)
        if not result.passed:
            raise AssertionError(result.text())
        print(result.text().splitlines()[0])
        return result
    if checked and result.passed:
        _failures.pop(exercise.id, None)  # a new ladder for whatever the student tries next
    elif checked and reason != "bad_answer":
        result.hint = exercise.mistake_hint(reason, framework) or _next_rung(exercise, framework)
    _show(result)
    return result


def _next_rung(exercise: Any, framework: str | None) -> str:
    """The next hint of the exercise's ladder, for a failure no mistake message explains."""
    tries = _failures.get(exercise.id, 0)
    _failures[exercise.id] = tries + 1
    return exercise.hint(tries, framework)


def _show(result: CheckResult) -> None:
    """Display as HTML in a Jupyter kernel, else print; the cell's Out[] echo is skipped once."""
    ip = None
    if "IPython" in sys.modules:
        from IPython import get_ipython

        ip = get_ipython()
    if ip is not None and getattr(ip, "kernel", None) is not None:
        from IPython.display import display

        display(result)
        result.shown_at = getattr(ip, "execution_count", None)
    else:
        print(result.text())
