"""What a grading worker runs: one task = one submission, graded in its sandbox, returned as data.

A Dask worker (a thread of the grader's own process, or a process on another machine) receives
tasks from :mod:`qlab.assign.cluster`. A task's payload is plain data: the run's id and settings,
the submission's identity (from :mod:`qlab.assign.identify`, done once for the class) and the
bytes of its file, and the assignment (the source notebook's JSON: the result of one small task of its
own, so each worker fetches it once and Dask makes it again if the workers holding it are lost).
The task runs stages 1 and 3-7 of :mod:`qlab.assign.pipeline` and returns the row as the plain
dict of :meth:`~qlab.assign.model.SubmissionResult.to_json`, so nothing but data crosses between
the grader and its workers, and a worker needs no access to the instructor's files.

Each worker process keeps one :class:`RunContext` per grading run: its
:class:`~qlab.sandbox.Session` (every process it starts for that run, stopped together), the
run's fork server for trusted kernels, and a scratch folder. The grader's own process registers
its context before the first task (:func:`register`), so an in-process cluster shares the
grader's session (Ctrl-C stops everything at once); a remote worker makes its own on the first
task and ends it when the grader calls :func:`close_run` on every worker. If the worker itself is
lost (killed, its machine gone), everything it started ends too: the sandbox dies with it
(bubblewrap's ``--die-with-parent``), and the trusted side and fork server exit when their parent
is gone (:func:`qlab.sandbox.exit_with_parent`); the scheduler then runs the task again elsewhere.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sandbox import Session
from .execute import KernelSource, start_kernels
from .identify import Submission
from .model import Limits, Note, SubmissionResult
from .pipeline import Assignment, GradeJob, grade_submission


@dataclass
class RunContext:
    """One grading run as one worker process sees it (see the module docstring)."""

    session: Session
    work_root: Path
    kernels: KernelSource | None = None
    owned: bool = True  # made here (a remote worker): this module ends it
    assignments: dict[str, Assignment] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    started_kernels: bool = False

    def folder(self, index: int) -> Path:
        """A new work folder for submission ``index`` (``0003``; ``0003-2`` when it runs again)."""
        base, n = self.work_root / f"{index:04d}", 1
        path = base
        while path.exists():
            n += 1
            path = base.with_name(f"{base.name}-{n}")
        return path


_runs: dict[str, RunContext] = {}
_lock = threading.Lock()


def register(run_id: str, context: RunContext) -> None:
    """Use ``context`` for the tasks of ``run_id`` in this process (the grader's own workers)."""
    with _lock:
        _runs[run_id] = context


def _context(run_id: str, settings: dict[str, Any]) -> RunContext:
    with _lock:
        found = _runs.get(run_id)
        if found is None:
            session = Session(settings["sandbox"], lang=settings.get("lang"))
            found = RunContext(session, Path(tempfile.mkdtemp(prefix="qlab-grade-")))
            _runs[run_id] = found
        return found


def _kernels(context: RunContext, assignment: Assignment, limits: Limits) -> KernelSource | None:
    with context.lock:
        if context.owned and not context.started_kernels:
            context.started_kernels = True
            if any(spec.parts for spec in assignment.tests):
                context.kernels = start_kernels(context.session, assignment.source, context.work_root, limits)
        return context.kernels


def _assignment(context: RunContext, data: dict[str, Any]) -> Assignment:
    with context.lock:
        key = str(data["id"]) + "\0" + str(hash(data["notebook"]))
        if key not in context.assignments:
            context.assignments[key] = Assignment.from_json(data)
        return context.assignments[key]


def grade_task(run_id: str, settings: dict[str, Any], assignment: dict[str, Any],
               submission: dict[str, Any], data: bytes) -> dict[str, Any]:
    """Grade one submission in this worker; return its row as data (see the module docstring)."""
    context = _context(run_id, settings)
    graded = _assignment(context, assignment)
    limits = Limits(**settings["limits"])
    kernels = _kernels(context, graded, limits)
    sub = Submission(path="", name=str(submission["name"]), student_id=str(submission["student_id"]),
                     index=int(submission["index"]),
                     notes=tuple(Note(str(k), dict(f)) for k, f in submission.get("notes") or []))
    job = GradeJob(graded, sub, limits, context.folder(sub.index), lang=settings.get("lang"),
                   keep_work=bool(settings.get("keep_work")), kernels=kernels, data=data)
    row = grade_submission(job, context.session)
    return {"row": row.to_json(), "sandboxed": context.session.sandboxed}


def close_run(run_id: str) -> bool:
    """End a run this process took part in: stop its processes and remove its scratch folder
    (contexts the grader registered are its own to end). True when there was one to end."""
    with _lock:
        context = _runs.pop(run_id, None)
    if context is None or not context.owned:
        return False
    context.session.stop()
    context.session.close()
    shutil.rmtree(context.work_root, ignore_errors=True)
    return True


def submission_payload(sub: Submission) -> dict[str, Any]:
    """A submission's identity as the data a task carries."""
    return {"name": sub.name, "student_id": sub.student_id, "index": sub.index,
            "notes": [n.to_json() for n in sub.notes]}


def assignment_payload(assignment: Assignment) -> dict[str, Any]:
    """An assignment as the data a worker needs (no path: workers may not see the instructor's files)."""
    import nbformat

    return {"id": assignment.id, "name": assignment.path.name, "notebook": nbformat.writes(assignment.source)}


def row_from(result: dict[str, Any], assignment: Assignment) -> SubmissionResult:
    """The row a task returned, back as a :class:`~qlab.assign.model.SubmissionResult`."""
    return SubmissionResult.from_json(result["row"])
