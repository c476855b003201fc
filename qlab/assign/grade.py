"""``qlab grade SOURCE SUBMISSIONS... -o DIR``: grade a class, in parallel, each submission isolated.

Before anything runs, the source is checked, the output folder is checked (created if only it is
missing; refused if its parent is missing too, or it cannot be written), every submission is
identified (:mod:`qlab.assign.identify`), and a named file that does not exist is reported (it still
gets its row, with 0 points). Then each submission goes through the stages of
:mod:`qlab.assign.pipeline` as one task on Dask distributed (:mod:`qlab.assign.cluster`): a local
cluster in this process by default (``jobs`` threads, each driving the two processes of one
submission: its sandboxed side and its trusted kernel), or the workers of a lab's cluster
(``--scheduler``). When every row is in, the outputs are written as one set
(:mod:`qlab.assign.report`).

SIGINT (Ctrl-C) and SIGTERM stop the run: no submission starts after the signal, every process of
the run is killed, the new outputs are dropped (the previous ones stay), and the command exits
within a few seconds with code 130.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AssignmentError
from ..i18n import t
from ..sandbox import SandboxMode, Session
from .execute import start_kernels
from .identify import Submission, identify
from .model import Limits, Note, Reason, Status, SubmissionResult, TestSpec
from .nbio import file_mode
from .outputs import prepare
from .pipeline import Assignment, GradeJob, grade_submission, tests_of
from .read import ReadResult, file_bytes
from .report import gradebook_csv, write_report
from .score import not_graded
from .worker import (
    RunContext,
    assignment_payload,
    grade_task,
    register,
    row_from,
    submission_payload,
)

DEFAULT_TIMEOUT = Limits.timeout
DEFAULT_CELL_TIMEOUT = Limits.cell_timeout
DEFAULT_MEMORY_MB = Limits.memory_mb

__all__ = ["DEFAULT_CELL_TIMEOUT", "DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT", "GradeRun", "Limits",
           "Progress", "grade", "gradebook_csv", "skip_slow_optional_imports", "tests_of"]


@dataclass
class GradeRun:
    """What :func:`grade` produced: rows in student-id order, and where the outputs are."""

    out_dir: Path
    tests: list[TestSpec]
    rows: list[SubmissionResult] = field(default_factory=list)
    seconds: float = 0.0
    missing: list[str] = field(default_factory=list)  # named submissions that do not exist
    sandboxed: bool = True

    @property
    def gradebook(self) -> Path:
        return self.out_dir / "gradebook.csv"


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, one line per step otherwise."""

    def __init__(self, total: int, *, stream: Any = None, enabled: bool = True):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.monotonic()

    def step(self, label: str) -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 28
        filled = int(width * self.done / max(self.total, 1))
        bar = "#" * filled + "-" * (width - filled)
        elapsed = time.monotonic() - self.start
        text = t("grade.progress", bar=bar, done=self.done, total=self.total, label=label,
                 seconds=f"{elapsed:.0f}")
        if self.tty:
            end = "\n" if self.done == self.total else ""
            self.stream.write("\r\x1b[2K" + text + end)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def skip_slow_optional_imports() -> None:
    """Keep jsonschema (under nbformat) from importing ``rfc3987_syntax``, which costs ~1 s of CPU
    to build a grammar qlab never uses. Only for qlab's own processes (CLI, grading workers)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def grade(
    source: str | os.PathLike[str],
    submissions: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    limits: Limits | None = None,
    jobs: int | None = None,
    lang: str | None = None,
    progress: bool = True,
    keep_work: bool = False,
    on_row: Callable[[SubmissionResult], None] | None = None,
    sandbox: SandboxMode | str = SandboxMode.AUTO,
    stream: Any = None,
    scheduler: str | None = None,
) -> GradeRun:
    """Grade every submission against ``source``; write the outputs to ``out_dir``.

    Each submission is one task on Dask distributed (:mod:`qlab.assign.cluster`): by default a
    local cluster in this process grading ``jobs`` submissions at once (default: the number of
    cores); with ``scheduler`` (``tcp://host:8786``) the workers of an existing cluster. ``sandbox``
    is ``"auto"`` (the sandbox where it works, else a warning), ``"require"`` (refuse without it)
    or ``"off"``. Raises :class:`~qlab.errors.AssignmentError` for a bad source, output folder or
    scheduler and :class:`~qlab.sandbox.SandboxUnavailable` before anything runs;
    ``KeyboardInterrupt`` after a signal (see the module docstring).
    """
    from .cluster import check_workers, close_run_everywhere, connect

    started = time.monotonic()
    stream = stream or sys.stderr
    file_mode()  # the umask, read once in the main thread
    assignment = Assignment.load(source)
    given = [os.fspath(p) for p in submissions]
    if not given:
        raise AssignmentError(t("grade.no_submissions"))
    out_abs = Path(out_dir).absolute()
    if any(out_abs == Path(p).absolute() or out_abs in Path(p).absolute().parents for p in given):
        raise AssignmentError(t("grade.out_dir_holds_submissions", out_dir=out_abs))
    session = Session(sandbox, lang=lang, warn_stream=stream)  # refuses (--require-sandbox) or warns
    out = prepare(out_dir)
    limits = limits or Limits()
    subs = identify(given)
    run = GradeRun(out.path, list(assignment.tests), sandboxed=session.sandboxed)
    for sub in subs:
        if not os.path.lexists(sub.path):
            run.missing.append(sub.name)
            print(t("grade.missing_submission", lang=lang, path=sub.name), file=stream)
    bar = Progress(len(subs), stream=stream, enabled=progress)
    work_root = Path(tempfile.mkdtemp(prefix="qlab-grade-"))
    run_id = uuid.uuid4().hex
    settings = {"sandbox": SandboxMode(sandbox).value, "lang": lang, "limits": dataclasses.asdict(limits),
                "keep_work": keep_work}

    def add(row: SubmissionResult) -> None:
        run.rows.append(row)
        bar.step(f"{row.student_id} {row.score:g}/{row.max_score:g}")
        if on_row:
            on_row(row)

    threads = max(1, min(jobs or os.cpu_count() or 1, len(subs)))
    try:
        with connect(scheduler, threads, lang=lang) as cluster:
            try:
                if cluster.local:
                    autograded = any(spec.parts for spec in assignment.tests)
                    kernels = start_kernels(session, assignment.source, work_root, limits) if autograded else None
                    register(run_id, RunContext(session, work_root, kernels, owned=False))
                else:
                    run.sandboxed = check_workers(cluster, SandboxMode(sandbox), lang=lang, stream=stream)
                _schedule(cluster, run_id, settings, assignment, subs, session, work_root, add)
            except BaseException:
                session.stop()  # first: a worker thread still grading ends at once
                raise
            finally:
                close_run_everywhere(cluster, run_id)
    except BaseException:
        session.stop()
        session.close()
        if not keep_work:
            shutil.rmtree(work_root, ignore_errors=True)
        raise
    session.close()
    if not keep_work:
        shutil.rmtree(work_root, ignore_errors=True)
    run.rows.sort(key=lambda r: (r.student_id, r.submission))
    run.seconds = time.monotonic() - started
    write_report(out, run.rows, run.tests, assignment=assignment.id, seconds=run.seconds, lang=lang)
    return run


def _schedule(cluster: Any, run_id: str, settings: dict[str, Any], assignment: Assignment,
              subs: list[Submission], session: Session, work_root: Path,
              add: Callable[[SubmissionResult], None]) -> None:
    """One task per readable submission; rows as they finish. A file that cannot be read at all
    (missing, unreadable, too large) is graded here: there is nothing to send."""
    from distributed import as_completed

    # the assignment as a task of its own: held by the workers that need it, computed again if they
    # are lost (scattered data would be gone for good)
    source = cluster.client.submit(_same, assignment_payload(assignment), key=f"qlab-assignment-{run_id}", pure=False)
    futures: dict[Any, Submission] = {}
    for sub in subs:
        data = file_bytes(sub.path)
        if isinstance(data, ReadResult):
            add(grade_submission(GradeJob(assignment, sub, Limits(), work_root / f"{sub.index:04d}"), session))
            continue
        key = f"qlab-grade-{run_id}-{sub.index:05d}"
        futures[cluster.client.submit(grade_task, run_id, settings, source, submission_payload(sub), data,
                                      key=key, pure=False)] = sub
    try:
        for future in as_completed(list(futures), loop=cluster.client.loop):
            sub = futures[future]
            try:
                add(row_from(future.result(), assignment))
            except Exception as exc:  # noqa: BLE001 - a task the cluster could not finish: its row says why
                add(worker_failed(sub, list(assignment.tests), exc))
    except BaseException:
        cluster.client.cancel(list(futures), force=True)
        raise


def _same(value: Any) -> Any:
    return value


def worker_failed(sub: Submission, tests: list[TestSpec], exc: BaseException) -> SubmissionResult:
    """The row of a submission whose task the cluster could not finish (its workers kept dying,
    or a worker could not start its sandbox): 0 points, the reason in the notes."""
    detail = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
    return SubmissionResult(sub.student_id, sub.name, Status.ERROR,
                            {s.grade_id: not_graded(s, Reason.NOT_RUN) for s in tests},
                            notes=[*sub.notes, Note("grade.status_error", {"detail": detail})])


def problems(run: GradeRun) -> list[SubmissionResult]:
    """The rows that needed special handling (any status but ``ok``)."""
    return [r for r in run.rows if r.status is not Status.OK]

