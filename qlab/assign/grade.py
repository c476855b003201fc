"""``qlab grade SOURCE SUBMISSIONS... -o DIR``: grade a class, in parallel, each submission isolated.

Before anything runs, the source is checked, the output folder is checked (created if only it is
missing; refused if its parent is missing too, or it cannot be written), every submission is
identified (:mod:`qlab.assign.identify`), and a named file that does not exist is reported (it still
gets its row, with 0 points). Then each submission goes through the stages of
:mod:`qlab.assign.pipeline` on a pool of ``jobs`` threads, each driving the two processes of one
submission (its sandboxed side and its trusted kernel). When every row is in, the outputs are
written as one set (:mod:`qlab.assign.report`).

SIGINT (Ctrl-C) and SIGTERM stop the run: no submission starts after the signal, every process of
the run is killed, the new outputs are dropped (the previous ones stay), and the command exits
within a few seconds with code 130.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AssignmentError
from ..i18n import t
from ..sandbox import SandboxMode, Session
from .execute import start_kernels
from .identify import identify
from .model import Limits, Status, SubmissionResult, TestSpec
from .nbio import file_mode
from .outputs import prepare
from .pipeline import Assignment, GradeJob, grade_submission, tests_of
from .report import gradebook_csv, write_report

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
) -> GradeRun:
    """Grade every submission against ``source``; write the outputs to ``out_dir``.

    ``jobs`` submissions are graded at once (default: the number of cores). ``sandbox`` is
    ``"auto"`` (the sandbox where it works, else a warning), ``"require"`` (refuse without it) or
    ``"off"``. Raises :class:`~qlab.errors.AssignmentError` for a bad source or output folder and
    :class:`~qlab.sandbox.SandboxUnavailable` before anything runs; ``KeyboardInterrupt`` after a
    signal (see the module docstring).
    """
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
    lock = threading.Lock()
    kernels = start_kernels(session, assignment.source, work_root, limits)

    def one(index: int) -> SubmissionResult:
        sub = subs[index]
        job = GradeJob(assignment, sub, limits, work_root / f"{index:04d}", lang=lang, keep_work=keep_work,
                       kernels=kernels)
        row = grade_submission(job, session)
        with lock:
            bar.step(f"{row.student_id} {row.score:g}/{row.max_score:g}")
            if on_row:
                on_row(row)
        return row

    workers = max(1, min(jobs or os.cpu_count() or 1, len(subs)))
    pool = ThreadPoolExecutor(workers, thread_name_prefix="qlab-grade")
    try:
        pending: set[Future] = {pool.submit(one, i) for i in range(len(subs))}
        while pending:
            done, pending = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                run.rows.append(future.result())
    except BaseException:
        session.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        session.close()
        if not keep_work:
            shutil.rmtree(work_root, ignore_errors=True)
        raise
    pool.shutdown(wait=True)
    session.close()
    if not keep_work:
        shutil.rmtree(work_root, ignore_errors=True)
    run.rows.sort(key=lambda r: (r.student_id, r.submission))
    run.seconds = time.monotonic() - started
    write_report(out, run.rows, run.tests, assignment=assignment.id, seconds=run.seconds, lang=lang)
    return run


def problems(run: GradeRun) -> list[SubmissionResult]:
    """The rows that needed special handling (any status but ``ok``)."""
    return [r for r in run.rows if r.status is not Status.OK]

