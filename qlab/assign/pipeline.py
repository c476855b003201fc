"""Grading one submission, stage by stage: a job in, a typed result out, no output files touched.

=====  ==================  =========================================  =============================
stage  module              in                                         out
=====  ==================  =========================================  =============================
1      ``read``            a file                                     a notebook, or why not
2      ``identify``        the class's files (done once per class)    a :class:`Submission` each
3      ``split``           source + submission                        student cells, graded notebook
4-6    ``execute``         the two programs                           nbval items, student cells
7      ``score``           items, cells, limits                       :class:`SubmissionResult`
8      ``report``          every result (done once per class)         gradebook, feedback, summary
=====  ==================  =========================================  =============================

:func:`grade_submission` runs stages 1 and 3 to 7 for one submission. It writes only inside its
own work folder (removed afterwards), so any scheduler can run it: the threads of
:func:`qlab.assign.grade.grade`, or a distributed one. For the latter, :func:`grade_one` is the
task (plain arguments in, a row out, nothing shared with other tasks)::

    assignment = Assignment.load("source.ipynb")
    subs = identify(paths)                          # stage 2, once for the whole class
    rows = client.gather(client.map(grade_one, [assignment] * len(subs), subs))  # e.g. Dask
    write_report(prepare("grades"), rows, assignment.tests, assignment=assignment.id, seconds=s)

A row pickles as it is, and ``row.to_json()`` / ``SubmissionResult.from_json`` carry it as JSON.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..sandbox import SandboxMode, Session
from .cells import cell_info
from .execute import KernelSource, execute
from .identify import Submission
from .model import Grading, Limits, Note, Reason, Role, Status, SubmissionResult, TestKind, TestSpec
from .read import read_bytes, read_submission
from .score import by_hand_only, not_graded, score
from .split import split


@dataclass(frozen=True)
class Assignment:
    """An instructor's checked source notebook and what it grades."""

    path: Path
    source: Any  # the nbformat notebook (see qlab.assign.release.load_source)
    id: str
    tests: tuple[TestSpec, ...]

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Assignment:
        from .release import assignment_id, load_source

        path = Path(path).resolve()
        source = load_source(path)
        return cls(path, source, assignment_id(source, path), tuple(tests_of(source)))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Assignment:
        """The assignment a grading worker received as data (:func:`qlab.assign.worker.assignment_payload`)."""
        import nbformat

        from .cells import apply_headers, check_assignment

        source = apply_headers(nbformat.reads(data["notebook"], as_version=4))
        check_assignment(source)
        return cls(Path(str(data.get("name") or "source.ipynb")), source, str(data["id"]), tuple(tests_of(source)))


BY_HAND = {Role.MANUAL: Grading.MANUAL, Role.TASK: Grading.TASK}


def tests_of(source: Any) -> list[TestSpec]:
    """The graded items of a checked source notebook, in notebook order: tests, and the answers
    and tasks graded by hand (their points count in the maximum, as in nbgrader)."""
    out = []
    for cell in source.cells:
        info = cell_info(cell)
        if info.role is Role.TEST:
            kind = TestKind.HIDDEN if info.hidden else TestKind.MIXED if info.has_hidden_part else TestKind.PUBLIC
            out.append(TestSpec(str(info.grade_id), info.points, kind))
        elif info.role in BY_HAND:
            out.append(TestSpec(str(info.grade_id), info.points, TestKind.PUBLIC, BY_HAND[info.role]))
    return out


@dataclass(frozen=True)
class GradeJob:
    """Everything needed to grade one submission."""

    assignment: Assignment
    submission: Submission
    limits: Limits
    work: Path  # a folder that does not exist yet; removed afterwards unless keep_work
    lang: str | None = None
    keep_work: bool = False
    kernels: KernelSource | None = None  # the run's fork server for trusted kernels
    data: bytes | None = None  # the submission file's bytes, read by the grader (else read from path)


def grade_submission(job: GradeJob, session: Session) -> SubmissionResult:
    """Grade one submission (see the module docstring); never raises for a student's mistake."""
    started = time.monotonic()
    sub, tests = job.submission, list(job.assignment.tests)
    result = SubmissionResult(sub.student_id, sub.name, Status.OK, {}, notes=list(sub.notes))
    read = read_bytes(job.data) if job.data is not None else read_submission(sub.path)
    if read.notebook is None:
        result.status = read.status
        result.notes.append(Note(f"grade.status_{read.status.value}", {"detail": read.detail}))
        reason = Reason.NOT_RUN if read.status is Status.MISSING else Reason.NOT_GRADED
        result.tests = {s.grade_id: not_graded(s, reason) for s in tests}
        result.seconds = round(time.monotonic() - started, 3)
        return result
    parts = split(job.assignment.source, read.notebook)
    result.notes.extend(parts.notes)
    result.unanswered = sorted(set(parts.unanswered))
    if not any(spec.parts for spec in tests):  # only items graded by hand: nothing to run
        return by_hand_only(result, tests, started)
    run = execute(parts, student_id=sub.student_id, limits=job.limits, session=session,
                  work=job.work, lang=job.lang, keep=job.keep_work, kernels=job.kernels)
    return score(result, tests, run, job.limits, started)


def grade_one(
    assignment: Assignment | str | os.PathLike[str],
    submission: Submission,
    *,
    limits: Limits | None = None,
    lang: str | None = None,
    sandbox: SandboxMode | str = SandboxMode.AUTO,
) -> SubmissionResult:
    """Grade one submission on its own, as one task of an external scheduler; return its row.

    ``submission`` comes from :func:`~qlab.assign.identify.identify` run on the whole class (ids
    are decided for the class at once). The task has its own :class:`~qlab.sandbox.Session`
    (``sandbox`` as for ``qlab grade``) and work folder, and kills and removes everything it started
    before it returns. Its trusted kernel starts from scratch (no fork server: that pays off only
    for the many submissions of one :func:`qlab.assign.grade.grade` run).
    """
    if not isinstance(assignment, Assignment):
        assignment = Assignment.load(assignment)
    session = Session(sandbox, lang=lang)
    work_root = Path(tempfile.mkdtemp(prefix="qlab-grade-"))
    try:
        job = GradeJob(assignment, submission, limits or Limits(), work_root / f"{submission.index:04d}",
                       lang=lang)
        return grade_submission(job, session)
    finally:
        session.close()
        shutil.rmtree(work_root, ignore_errors=True)
