"""Stage 7, score: what ran becomes a :class:`~qlab.assign.model.SubmissionResult`.

Points come only from the graded notebook's test items, which the trusted kernel recorded: a test
with a visible and a hidden part earns its points only when both parts passed. The student's side
contributes notes (which answer raised what, a time-out, the memory cap, a crash), never points.
"""

from __future__ import annotations

import time
from typing import Any

from .execute import Execution
from .model import (
    AnswerError,
    CellError,
    GradedRole,
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


def _part(item: dict[str, Any]) -> PartResult:
    try:
        outcome = Outcome(item.get("outcome"))
    except ValueError:
        outcome = Outcome.FAILED
    try:
        reason = Reason(item["reason"]) if item.get("reason") else None
    except ValueError:
        reason = None
    return PartResult(outcome, reason, CellError.from_json(item.get("error")))


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
        parts: dict[Part, PartResult] = {}
        for part in spec.parts:
            found = [i for i in items if i.get("role") == GradedRole.TEST.value and i.get("grade_id") == spec.grade_id
                     and i.get("part") == part.value]
            parts[part] = _part(found[-1]) if found else PartResult(Outcome.NOT_RUN, not_run)
        result.tests[spec.grade_id] = TestResult(spec, parts)

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
