"""``qlab grade SOURCE SUBMISSIONS... -o DIR``: grade a class, in parallel, with limits.

For each submission (never modified: it is only opened for reading):

1. read it; a file that is empty, not JSON or not a notebook gets a row with score 0 and a reason;
2. put its answers into the instructor's source (:mod:`qlab.assign.merge`);
3. run that notebook under ``pytest --nbval-lax`` with the qlab plugin, in a child process with a
   per-notebook time limit and memory limit (:func:`qlab.sandbox.run_limited`), with
   ``QLAB_GRADING=1`` and ``QLAB_STUDENT_ID`` set for :func:`qlab.check` and the variants;
4. turn the per-cell results into points per test (a test with a hidden part passes only if both
   parts pass) and notes that explain what happened.

Submissions are graded in parallel, one worker process per core, each driving one pytest (and its
kernel) at a time. The outputs in ``DIR``: ``gradebook.csv`` (a row per student, a column per
test, the total), ``feedback/<student>.md``, ``summary.md``, ``histogram.png`` and
``results.json``. Every file is written whole (temp file, then rename); the gradebook is written
last, only when every submission is graded, so an interrupted run leaves none half-written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import AssignmentError
from ..i18n import t
from .cells import cell_info
from .nbio import atomic_write

DEFAULT_TIMEOUT = 120.0  # seconds per notebook
DEFAULT_CELL_TIMEOUT = 30.0  # seconds per cell: a loop is interrupted, the next cells still run
DEFAULT_MEMORY_MB = 3072  # address space per process; the kernel with qiskit needs ~1.5 GiB


@dataclass(frozen=True)
class TestSpec:
    """One graded test of the assignment: its id, points, and whether students see it."""

    grade_id: str
    points: float
    kind: str  # "public", "hidden" or "mixed" (a visible part and a hidden part)

    @property
    def parts(self) -> tuple[str, ...]:
        return {"public": ("public",), "hidden": ("hidden",), "mixed": ("public", "hidden")}[self.kind]


@dataclass
class Limits:
    """The per-notebook limits (settable from the command line)."""

    timeout: float = DEFAULT_TIMEOUT
    cell_timeout: float = DEFAULT_CELL_TIMEOUT
    memory_mb: int | None = DEFAULT_MEMORY_MB


@dataclass
class GradeRun:
    """What :func:`grade` produced."""

    out_dir: Path
    tests: list[TestSpec]
    rows: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def gradebook(self) -> Path:
        return self.out_dir / "gradebook.csv"


def tests_of(source: Any) -> list[TestSpec]:
    """The graded tests of a checked source notebook, in notebook order."""
    out = []
    for cell in source.cells:
        info = cell_info(cell)
        if info.role == "test":
            kind = "hidden" if info.hidden else "mixed" if info.has_hidden_part else "public"
            out.append(TestSpec(str(info.grade_id), info.points, kind))
    return out


# ----------------------------------------------------------------------------------------------
# one submission (runs in a worker process)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.\-]+", "_", name).strip("._") or "student"


def read_submission(path: Path) -> tuple[Any | None, str, str]:
    """``(notebook or None, status, detail)``; opens the file read-only and never writes to it."""
    import nbformat

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return None, "unreadable", str(exc.strerror or exc)
    if not data.strip():
        return None, "empty", ""
    try:
        raw = json.loads(data.decode("utf-8", errors="replace"))
    except ValueError as exc:
        return None, "not_json", str(exc)[:200]
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        return None, "not_notebook", ""
    try:
        nb = nbformat.reads(data.decode("utf-8", errors="replace"), as_version=4)
        for cell in nb.cells:
            cell.setdefault("metadata", {})
            cell.setdefault("source", "")
    except Exception as exc:  # nbformat raises many kinds
        return None, "not_notebook", f"{type(exc).__name__}: {str(exc)[:200]}"
    return nb, "ok", ""


def student_id_of(nb: Any | None, path: Path) -> str:
    """``metadata.qlab.student_id`` of the submission, else its file name without extension."""
    if nb is not None:
        given = (nb.metadata.get("qlab") or {}).get("student_id")
        if isinstance(given, str | int) and str(given).strip():
            return str(given).strip()
    return path.stem


_source_cache: dict[str, Any] = {}


def _load_source(path: str) -> Any:
    from .release import load_source

    if path not in _source_cache:
        _source_cache[path] = load_source(path)
    return _source_cache[path]


def grade_one(job: dict[str, Any]) -> dict[str, Any]:
    """Grade one submission; ``job`` holds plain data so that it crosses process boundaries."""
    from ..sandbox import python_command, run_limited
    from .merge import merge
    from .nbio import write_notebook

    started = time.monotonic()
    source = _load_source(job["source"])
    tests = [TestSpec(**spec) for spec in job["tests"]]
    path = Path(job["submission"])
    row: dict[str, Any] = {
        "student_id": job["student_id"], "submission": path.name, "status": "ok",
        "tests": {}, "notes": [], "answer_errors": [], "seconds": 0.0,
    }
    row["notes"].extend(job.get("notes", []))
    nb, status, detail = read_submission(path)
    if nb is None:
        row["status"] = status
        row["notes"].append([f"grade.status_{status}", {"detail": detail}])
        row["tests"] = {s.grade_id: _failed(s, "not_graded") for s in tests}
        return _finish(row, tests, started)

    merged, notes = merge(source, nb)
    row["notes"].extend([key, fields] for key, fields in notes.notes)
    row["unanswered"] = sorted(set(notes.unanswered))
    work = Path(job["work_dir"]) / _safe(job["student_id"])
    work.mkdir(parents=True, exist_ok=True)
    notebook = work / "graded.ipynb"
    write_notebook(merged, notebook)
    (work / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    results, events = work / "results.json", work / "events.jsonl"
    limits = Limits(**job["limits"])
    env = dict(os.environ)
    env.update({
        "QLAB_GRADING": "1", "QLAB_STUDENT_ID": job["student_id"],
        "QLAB_ASSIGNMENT": job["assignment"], "QLAB_VARIANT_SEED": str(job["variant_seed"]),
        "QLAB_GRADE_EVENTS": str(events), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0", "PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1",
    })
    if job.get("lang"):
        env["QLAB_LANG"] = job["lang"]
    command = python_command(
        "-m", "pytest", "-p", "qlab.assign.plugin", "-p", "nbval.plugin", "--nbval-lax",
        "--nbval-current-env", "--nbval-cell-timeout", f"{min(limits.cell_timeout, limits.timeout):g}",
        "--qlab-results", results, "-q", "--tb=no", "--no-header", "-p", "no:cacheprovider",
        notebook.name,
    )
    run = run_limited(command, timeout=limits.timeout, memory_mb=limits.memory_mb, cwd=work, env=env)
    items: list[dict[str, Any]] = []
    if results.exists():
        try:
            items = json.loads(results.read_text(encoding="utf-8"))["items"]
        except (ValueError, KeyError):
            items = []
    _score(row, tests, items, run, limits)
    if events.exists():
        replaced = sorted({name for line in events.read_text(encoding="utf-8").splitlines()
                           if line.strip() for name in _json_list(line)})
        if replaced:
            row["notes"].append(["grade.note_tampered", {"names": ", ".join(replaced)}])
    if not job.get("keep_work"):
        shutil.rmtree(work, ignore_errors=True)
    return _finish(row, tests, started)


def _json_list(line: str) -> list[str]:
    try:
        return list(json.loads(line).get("replaced", []))
    except (ValueError, AttributeError):
        return []


def _failed(spec: TestSpec, reason: str) -> dict[str, Any]:
    return {"passed": False, "earned": 0.0, "points": spec.points, "kind": spec.kind,
            "parts": {p: {"outcome": "not_run", "reason": reason, "error": None} for p in spec.parts}}


def _score(row: dict[str, Any], tests: list[TestSpec], items: list[dict[str, Any]], run: Any,
           limits: Limits) -> None:
    if run.timed_out:
        row["status"] = "timeout"
        row["notes"].append(["grade.status_timeout", {"seconds": f"{limits.timeout:g}"}])
    memory = run.memory_exceeded or any(
        (i.get("error") or {}).get("ename") == "MemoryError" for i in items)
    if memory:
        row["status"] = "memory" if row["status"] == "ok" else row["status"]
        row["notes"].append(["grade.status_memory", {"memory_mb": limits.memory_mb}])
    if any((i.get("error") or {}).get("ename") == "KernelDied" for i in items):
        row["status"] = "kernel_died" if row["status"] == "ok" else row["status"]
        row["notes"].append(["grade.status_kernel_died", {}])
    if not items and not run.timed_out:
        row["status"] = "error"
        tail = (run.stderr or run.stdout).strip().splitlines()[-3:]
        row["notes"].append(["grade.status_error", {"detail": " | ".join(tail)[:300]}])
    if any(i.get("reason") == "timeout" for i in items):
        row["notes"].append(["grade.note_cell_timeout", {"seconds": f"{limits.cell_timeout:g}"}])
    not_run = "time_limit" if run.timed_out else "not_run"
    for spec in tests:
        parts = {}
        for part in spec.parts:
            found = [i for i in items if i.get("role") == "test" and i.get("grade_id") == spec.grade_id
                     and i.get("part") == part]
            if not found:
                parts[part] = {"outcome": "not_run", "reason": not_run, "error": None}
            else:
                item = found[-1]
                parts[part] = {"outcome": item["outcome"], "reason": item.get("reason"),
                               "error": item.get("error")}
        passed = all(p["outcome"] == "passed" for p in parts.values())
        row["tests"][spec.grade_id] = {"passed": passed, "earned": spec.points if passed else 0.0,
                                       "points": spec.points, "kind": spec.kind, "parts": parts}
    student_cells = [i for i in items if i.get("role") in ("answer", "extra")]
    failing = [i for i in student_cells if i["outcome"] == "failed"]
    for item in failing:
        if item.get("role") == "answer" and item.get("grade_id") not in row.get("unanswered", []):
            err = item.get("error") or {}
            row["answer_errors"].append({"grade_id": item.get("grade_id"), "ename": err.get("ename", ""),
                                         "evalue": (err.get("evalue") or err.get("line", ""))[:300]})
    if student_cells and len(failing) == len(student_cells) and len(failing) > 1:
        row["notes"].append(["grade.note_all_cells_raised", {"count": len(failing)}])


def _finish(row: dict[str, Any], tests: list[TestSpec], started: float) -> dict[str, Any]:
    row["score"] = round(sum(r["earned"] for r in row["tests"].values()), 6)
    row["max_score"] = round(sum(s.points for s in tests), 6)
    row["seconds"] = round(time.monotonic() - started, 3)
    return row


# ----------------------------------------------------------------------------------------------
# the class (main process)


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


def _assign_ids(paths: list[Path]) -> list[tuple[Path, str, list[Any]]]:
    """Each submission with a unique student id (a clash keeps the first, renames the others)."""
    seen: dict[str, Path] = {}
    out = []
    for path in paths:
        nb, _, _ = read_submission(path)
        sid = student_id_of(nb, path)
        notes: list[Any] = []
        if sid in seen:
            notes.append(["grade.note_duplicate_student", {"student_id": sid, "other": seen[sid].name}])
            sid = f"{sid}@{path.name}"
        seen[sid] = path
        out.append((path, sid, notes))
    return out


def skip_slow_optional_imports() -> None:
    """Keep jsonschema (under nbformat) from importing ``rfc3987_syntax``, which costs ~1 s of CPU
    to build a grammar qlab never uses. Only for qlab's own processes (CLI, grading workers)."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def _worker_init() -> None:  # pragma: no cover - runs in the worker processes
    skip_slow_optional_imports()
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


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
    on_row: Callable[[dict[str, Any]], None] | None = None,
) -> GradeRun:
    """Grade every submission against ``source``; write the gradebook and feedback to ``out_dir``.

    ``jobs`` worker processes run at once (default: the number of cores). Returns the rows, in
    student-id order; the files are described in the module docstring.
    """
    from .feedback import write_feedback
    from .release import assignment_id, load_source, variant_seed
    from .summary import write_summary

    started = time.monotonic()
    source = Path(source).resolve()
    nb = load_source(source)
    tests = tests_of(nb)
    assignment = assignment_id(nb, source)
    paths = sorted({Path(p).resolve() for p in submissions}, key=lambda p: (p.name, str(p)))
    if not paths:
        raise AssignmentError(t("grade.no_submissions"))
    out_dir = Path(out_dir).resolve()
    if any(out_dir == p or out_dir in p.parents for p in paths):
        raise AssignmentError(t("grade.out_dir_holds_submissions", out_dir=out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    limits = limits or Limits()
    work_dir = Path(tempfile.mkdtemp(prefix="qlab-grade-"))
    base = {"source": str(source), "tests": [vars(s) for s in tests], "assignment": assignment,
            "variant_seed": variant_seed(nb, assignment), "limits": vars(limits),
            "work_dir": str(work_dir), "lang": lang, "keep_work": keep_work}
    todo = [{**base, "submission": str(p), "student_id": sid, "notes": notes}
            for p, sid, notes in _assign_ids(paths)]
    bar = Progress(len(todo), enabled=progress)
    run = GradeRun(out_dir, tests)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))

    def done(row: dict[str, Any]) -> None:
        run.rows.append(row)
        write_feedback(row, tests, out_dir / "feedback", lang=lang, assignment=assignment)
        bar.step(f"{row['student_id']} {row['score']:g}/{row['max_score']:g}")
        if on_row:
            on_row(row)

    try:
        if jobs == 1:
            for job in todo:
                done(grade_one(job))
        else:
            _grade_parallel(todo, jobs, done)
    finally:
        if not keep_work:
            shutil.rmtree(work_dir, ignore_errors=True)
    run.rows.sort(key=lambda r: r["student_id"])
    run.seconds = time.monotonic() - started
    write_summary(run, assignment=assignment, lang=lang)
    atomic_write(out_dir / "results.json", json.dumps(
        {"assignment": assignment, "tests": [vars(s) for s in tests], "rows": run.rows},
        ensure_ascii=False, indent=1, sort_keys=True))
    atomic_write(run.gradebook, gradebook_csv(run.rows, tests, lang=lang))  # last, and whole
    return run


def _grade_parallel(todo: list[dict[str, Any]], jobs: int, done: Callable[[dict], None]) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_init)
    try:
        futures = [pool.submit(grade_one, job) for job in todo]
        for future in as_completed(futures):
            done(future.result())
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()  # the worker's SIGTERM handler kills its pytest and kernel
        raise
    pool.shutdown(wait=True)


def gradebook_csv(rows: list[dict[str, Any]], tests: list[TestSpec], *, lang: str | None = None) -> str:
    """The gradebook: ``student_id, submission, status, <one column per test>, total, max_total,
    reason`` (points earned per test; the reason explains a status other than ``ok``)."""
    from .feedback import note_text

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["student_id", "submission", "status", *[s.grade_id for s in tests],
                     "total", "max_total", "reason"])
    for row in rows:
        reason = "; ".join(note_text(key, fields, lang) for key, fields in row["notes"]
                           if key.startswith("grade.status_") or key in _REASON_NOTES)
        writer.writerow([_cell_text(row["student_id"]), _cell_text(row["submission"]), row["status"],
                         *[f"{row['tests'][s.grade_id]['earned']:g}" for s in tests],
                         f"{row['score']:g}", f"{row['max_score']:g}", reason])
    return buf.getvalue()


def _cell_text(text: str) -> str:
    """A student-chosen text as a spreadsheet cell: never a formula (``=``, ``+``, ``-``, ``@``)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


_REASON_NOTES = {"grade.note_missing_answer", "grade.note_duplicated_answer",
                 "grade.note_retyped_answer", "grade.note_tampered", "grade.note_all_cells_raised",
                 "grade.note_cell_timeout", "grade.note_duplicate_student"}
