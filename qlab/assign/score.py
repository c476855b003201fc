"""Stage 7, score: what ran becomes a :class:`~qlab.assign.model.SubmissionResult`.

Points come only from the graded notebook's test items, which the trusted kernel recorded, by
nbgrader's rules (``nbgrader.utils.determine_grade``, 0.9.6), so that an assignment scores the
same in both tools:

* a test earns its points when its cell ran without an error and wrote nothing to stderr; a test
  with a visible and a hidden part earns them only when both parts passed;
* a test cell whose displayed value (``Out[]``, its last line's value) reads as a number from 0 to
  its points earns that number instead (partial credit); a value that is not a number, or is
  negative, leaves the full points; a number above the points is an error of the test (nbgrader
  stops there), scored 0 with that reason;
* a test with 0 points runs and is reported, and earns nothing;
* a manually graded answer or a task earns nothing here: it waits for the instructor
  (``pending``), except an answer left as released (or deleted), which scores 0 for good.

The student's side contributes notes (which answer raised what, a time-out, the memory cap, a
crash), never points.
"""

from __future__ import annotations

import time
from typing import Any

from .execute import Execution
from .model import (
    AnswerError,
    CellError,
    GradedRole,
    Grading,
    Limits,
    Note,
    Outcome,
    Part,
    PartResult,
    Reason,
    Status,
    StudentRole,
    SubmissionResult,
    TestResult,
    TestSpec,
)


def not_graded(spec: TestSpec, reason: Reason) -> TestResult:
    """A test that could not run at all (an unreadable submission, a missing file)."""
    return TestResult(spec, {p: PartResult(Outcome.NOT_RUN, reason) for p in spec.parts})


def partial_credit(shown: str | None, points: float) -> float | None:
    """nbgrader's partial credit from a test cell's displayed value: the number it reads as, or
    None for full points (no value, not a number, negative). Raises ``ValueError`` above ``points``."""
    if not shown:
        return None
    try:
        value = float(shown)
    except ValueError:
        return None
    if value >= 0.0:  # NaN and negatives fall through to full points, as in nbgrader
        if value > points:
            raise ValueError(f"{value:g} > {points:g}")
        return value
    return None


def _part(item: dict[str, Any]) -> PartResult:
    try:
        outcome = Outcome(item.get("outcome"))
    except ValueError:
        outcome = Outcome.FAILED
    try:
        reason = Reason(item["reason"]) if item.get("reason") else None
    except ValueError:
        reason = None
    shown = item.get("shown") if isinstance(item.get("shown"), str) else None
    if outcome is Outcome.PASSED and item.get("stderr"):
        return PartResult(Outcome.FAILED, Reason.STDERR, None, shown)
    return PartResult(outcome, reason, CellError.from_json(item.get("error")), shown)


def _test(spec: TestSpec, items: list[dict[str, Any]], not_run: Reason, unanswered: list[str]) -> TestResult:
    """One graded item of a submission (see the module docstring)."""
    if spec.by_hand:
        return TestResult(spec, {}, pending=spec.grading is Grading.TASK or spec.grade_id not in unanswered)
    parts: dict[Part, PartResult] = {}
    for part in spec.parts:
        found = [i for i in items if i.get("role") == GradedRole.TEST.value and i.get("grade_id") == spec.grade_id
                 and i.get("part") == part.value]
        parts[part] = _part(found[-1]) if found else PartResult(Outcome.NOT_RUN, not_run)
    partial = None
    for part, outcome in parts.items():
        if outcome.passed and outcome.shown is not None:
            try:
                partial = partial_credit(outcome.shown, spec.points)
            except ValueError:
                parts[part] = PartResult(Outcome.FAILED, Reason.PARTIAL_ABOVE_MAX, None, outcome.shown)
    return TestResult(spec, parts, partial)


def by_hand_only(result: SubmissionResult, tests: list[TestSpec], started: float) -> SubmissionResult:
    """Fill ``result`` for an assignment with nothing to autograde (only answers and tasks graded by
    hand): nothing needs to run, an answer is pending unless it was left as released."""
    for spec in tests:
        result.tests[spec.grade_id] = _test(spec, [], Reason.NOT_RUN, result.unanswered)
    result.seconds = round(time.monotonic() - started, 3)
    return result


def _status(result: SubmissionResult, status: Status, note: Note) -> None:
    if result.status is Status.OK:
        result.status = status
    result.notes.append(note)


def score(result: SubmissionResult, tests: list[TestSpec], run: Execution, limits: Limits,
          started: float) -> SubmissionResult:
    """Fill ``result`` (a row with the submission's identity and split notes) from ``run``."""
    items = run.items
    errors = [CellError.from_json(i.get("error")) for i in items]
    student_errors = [c.error for c in run.cells if c.error is not None]
    if run.timed_out:
        _status(result, Status.TIMEOUT, Note("grade.status_timeout", {"seconds": f"{limits.timeout:g}"}))
    if run.student.usage.oom_kills or any(e and e.ename == "MemoryError" for e in [*errors, *student_errors]):
        _status(result, Status.MEMORY, Note("grade.status_memory", {"memory_mb": limits.memory_mb}))
    if run.trusted.usage.oom_kills or any(e and e.ename == "KernelDied" for e in errors):
        _status(result, Status.ERROR, Note("grade.status_trusted_died", {}))
    if (run.student.exit_code is not None and run.bridge_down and not run.timed_out
            and not run.student.usage.oom_kills):
        _status(result, Status.KERNEL_DIED, Note("grade.status_kernel_died", {"code": run.student.exit_code}))
        last = [line for line in run.student.output.strip().splitlines() if line.strip()][-1:]
        if last:
            result.notes.append(Note("grade.note_kernel_output", {"detail": last[0][:300]}))
    if run.stuck and not run.timed_out:
        _status(result, Status.TIMEOUT, Note("grade.note_stuck", {"seconds": f"{limits.cell_timeout:g}"}))
    if run.student.usage.hit_process_cap:
        result.notes.append(Note("grade.note_process_cap", {"max": limits.max_procs}))
    if not items and not run.timed_out:
        tail = run.trusted.output.strip().splitlines()[-3:]
        _status(result, Status.ERROR, Note("grade.status_error", {"detail": " | ".join(tail)[:300]}))
    if any(i.get("reason") == Reason.TIMEOUT.value for i in items) or any(e.timeout for e in student_errors):
        result.notes.append(Note("grade.note_cell_timeout", {"seconds": f"{limits.cell_timeout:g}"}))

    not_run = Reason.TIME_LIMIT if run.timed_out else Reason.NOT_RUN
    for spec in tests:
        result.tests[spec.grade_id] = _test(spec, items, not_run, result.unanswered)

    student_cells = [c for c in run.cells if c.role in (StudentRole.ANSWER, StudentRole.EXTRA)]
    failing = [c for c in student_cells if not c.ok]
    for cell in failing:
        if cell.role is StudentRole.ANSWER and cell.grade_id not in result.unanswered and cell.error:
            result.answer_errors.append(AnswerError(str(cell.grade_id), cell.error.ename,
                                                    (cell.error.evalue or cell.error.line)[:300]))
    if student_cells and len(failing) == len(student_cells) and len(failing) > 1:
        result.notes.append(Note("grade.note_all_cells_raised", {"count": len(failing)}))
    result.seconds = round(time.monotonic() - started, 3)
    return result
