"""``qlab release``, ``qlab validate`` and ``qlab grade``: the instructor's three commands.

Registered into the ``qlab`` command by :func:`register`; imports nothing heavy until a command runs.
"""

from __future__ import annotations

import argparse
import signal
import sys
import unicodedata
from typing import Any

from ..i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``release``, ``validate`` and ``grade`` to the ``qlab`` command line."""
    p = sub.add_parser("release", help=t("grade.help_release"), description=t("grade.help_release"))
    p.add_argument("source", help=t("grade.help_source"))
    p.add_argument("-o", "--output", required=True, metavar="DIR", help=t("grade.help_release_out"))
    p.add_argument("--student", action="append", metavar="ID", help=t("grade.help_student"))
    p.set_defaults(func=_release)

    p = sub.add_parser("validate", help=t("grade.help_validate"), description=t("grade.help_validate"))
    p.add_argument("source", help=t("grade.help_source"))
    _limit_args(p)
    p.set_defaults(func=_validate)

    p = sub.add_parser("grade", help=t("grade.help_grade"), description=t("grade.help_grade"))
    p.add_argument("source", help=t("grade.help_source"))
    p.add_argument("submissions", nargs="+", metavar="SUBMISSION", help=t("grade.help_submissions"))
    p.add_argument("-o", "--output", required=True, metavar="DIR", help=t("grade.help_grade_out"))
    p.add_argument("-j", "--jobs", type=int, default=None, help=t("grade.help_jobs"))
    p.add_argument("--scheduler", metavar="ADDRESS", default=None, help=t("grade.help_scheduler"))
    p.add_argument("--no-progress", action="store_true", help=t("grade.help_no_progress"))
    p.add_argument("--keep-work", action="store_true", help=t("grade.help_keep_work"))
    _limit_args(p)
    p.set_defaults(func=_grade)


def _limit_args(p: argparse.ArgumentParser) -> None:
    # the defaults from the data model, not from the grader (which imports the whole pipeline)
    from .model import Limits

    DEFAULT_TIMEOUT, DEFAULT_CELL_TIMEOUT, DEFAULT_MEMORY_MB = Limits.timeout, Limits.cell_timeout, Limits.memory_mb

    p.add_argument("--require-sandbox", action="store_true", help=t("grade.help_require_sandbox"))
    # spelled as `qlab kit score` spells them; the first spellings stay as hidden aliases
    p.add_argument("--time-limit", dest="timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=t("grade.help_timeout", default=f"{DEFAULT_TIMEOUT:g}"))
    p.add_argument("--cell-time-limit", dest="cell_timeout", type=float, default=DEFAULT_CELL_TIMEOUT,
                   metavar="SECONDS", help=t("grade.help_cell_timeout", default=f"{DEFAULT_CELL_TIMEOUT:g}"))
    p.add_argument("--memory-mb", dest="memory", type=int, default=DEFAULT_MEMORY_MB, metavar="MIB",
                   help=t("grade.help_memory", default=DEFAULT_MEMORY_MB))
    for alias, dest, kind in (("--timeout", "timeout", float), ("--cell-timeout", "cell_timeout", float),
                              ("--memory", "memory", int)):
        p.add_argument(alias, dest=dest, type=kind, default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _limits(args: argparse.Namespace) -> Any:
    from ..errors import AssignmentError
    from .grade import Limits

    if args.timeout <= 0 or args.cell_timeout <= 0 or (args.memory is not None and args.memory < 256):
        raise AssignmentError(t("grade.bad_limits", timeout=args.timeout, cell=args.cell_timeout,
                                memory=args.memory))
    return Limits(timeout=args.timeout, cell_timeout=args.cell_timeout, memory_mb=args.memory)


def _sandbox(args: argparse.Namespace) -> str:
    return "require" if args.require_sandbox else "auto"


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a Hangul syllable takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def aligned(rows: list[list[str]]) -> list[str]:
    """Rows of cells as lines whose columns line up in a terminal, in any script. The last cell of a
    row shorter than the others runs on (it does not widen the columns it spans)."""
    n = max(map(len, rows))
    widths = [max((width(row[i]) for row in rows if i < len(row) - (len(row) < n)), default=0) for i in range(n)]
    return ["  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)).rstrip() for row in rows]


def _release(args: argparse.Namespace) -> int:
    from .grade import skip_slow_optional_imports
    from .release import release

    skip_slow_optional_imports()
    for path in release(args.source, args.output, students=args.student, lang=args.lang):
        print(t("grade.released", lang=args.lang, path=path))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .grade import skip_slow_optional_imports
    from .summary import kind_name
    from .validate import validate

    skip_slow_optional_imports()
    result = validate(args.source, limits=_limits(args), lang=args.lang, sandbox=_sandbox(args))
    lang = args.lang
    head = [t(f"grade.val_col_{c}", lang=lang) for c in ("test", "kind", "points", "solution", "placeholder")]
    rows = []
    for spec in result.tests:
        if spec.by_hand:
            rows.append([spec.grade_id, kind_name(spec, lang), f"{spec.points:g}", t("grade.val_by_hand", lang=lang)])
            continue
        sol = t("grade.val_pass" if result.solution[spec.grade_id] else "grade.val_fail_solution", lang=lang)
        ph = t("grade.val_pass" if result.placeholder[spec.grade_id] else "grade.val_fail", lang=lang)
        rows.append([spec.grade_id, kind_name(spec, lang), f"{spec.points:g}", sol, ph])
    for line in aligned([head, *rows]):
        print("  " + line)
    for problem in result.problems:
        print(t("grade.val_problem", lang=args.lang, problem=problem))
    print(t("grade.val_ok" if result.ok else "grade.val_bad", lang=args.lang, n=len(result.problems)))
    return 0 if result.ok else 1


def _grade(args: argparse.Namespace) -> int:
    """Exit code 0 when every named submission was graded, 1 when a named file does not exist
    (it still has its row), 2 for a problem found before grading, 130 when interrupted."""
    from .grade import grade, problems, skip_slow_optional_imports

    skip_slow_optional_imports()

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        run = grade(args.source, args.submissions, args.output, limits=_limits(args), jobs=args.jobs,
                    lang=args.lang, progress=not args.no_progress, keep_work=args.keep_work,
                    sandbox=_sandbox(args), scheduler=args.scheduler)
    finally:
        signal.signal(signal.SIGTERM, previous)
    total = sum(r.score for r in run.rows)
    print(t("grade.done", lang=args.lang, n=len(run.rows), seconds=f"{run.seconds:.1f}",
            gradebook=run.gradebook, mean=f"{total / max(len(run.rows), 1):.2f}",
            max=f"{run.rows[0].max_score:g}" if run.rows else "0"))
    odd = problems(run)
    if odd:
        print(t("grade.done_problems", lang=args.lang, n=len(odd),
                names=", ".join(f"{r.student_id} ({r.status.value})" for r in odd)), file=sys.stderr)
    if run.missing:
        print(t("grade.done_missing", lang=args.lang, n=len(run.missing), names=", ".join(run.missing)),
              file=sys.stderr)
        return 1
    return 0
