"""Per-student exercise variants: neighbours get different problems, each graded against its own.

An exercise draws its parameters (a secret bitstring, a marked item, an angle) from the pair
*(student id, exercise id)* with :func:`variant`. The draw is a SHA-256 hash, so it is the same on
every machine, Python version and run: the student's notebook and the instructor's grader agree.

Where the student id comes from, first found wins:

1. under ``nbgrader autograde``: the student nbgrader is grading. nbgrader runs each submission
   in ``autograded/<student>/<assignment>/`` (its default ``directory_structure``) with
   ``NBGRADER_EXECUTION=autograde``; the id is read from that folder once, so nothing the
   submission does (``set_student_id``, ``os.chdir``) changes whose problem is graded;
2. ``qlab.set_student_id("kim-minji")`` in the notebook;
3. the environment variable ``QLAB_STUDENT_ID`` (``qlab grade`` sets it from the submission);
4. the notebook's metadata ``metadata.qlab.student_id``, written at release (``qlab release
   --student``) or by the student once. The notebook is the one the kernel runs: JupyterLab
   passes its path to the kernel as ``JPY_SESSION_NAME``;
5. ``JUPYTERHUB_USER``: on a JupyterHub the user name, which is also the student id nbgrader's
   exchange files a submission under, so a class on nbgrader needs no id typed by anyone.

No id at all raises :class:`MissingStudentIdError`, whose message says how to set one; qlab
never silently picks a default, since a default would give the whole class the same problem.

>>> set_student_id("kim-minji")
>>> variant("bv-secret", "bits", n=5) == variant("bv-secret", "bits", n=5)
True
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import QlabError
from .i18n import ENV_NOTEBOOK, notebook_metadata, t  # noqa: F401  (ENV_NOTEBOOK: kept for importers)

ENV_STUDENT_ID = "QLAB_STUDENT_ID"
ENV_NBGRADER = "NBGRADER_EXECUTION"  # nbgrader sets it while it runs a notebook: autograde, validate
ENV_HUB_USER = "JUPYTERHUB_USER"
NBGRADER_AUTOGRADED = "autograded"  # nbgrader's CourseDirectory.autograded_directory
MAX_ID_LENGTH = 200

_student_id: str | None = None
_nbgrader_id: list[str | None] = []  # read once per process: [id] or [None]


class MissingStudentIdError(QlabError, LookupError):
    """No student id is set, but an exercise with per-student variants needs one."""


class BadStudentIdError(QlabError, ValueError):
    """A student id that is empty, too long or not a string."""


def _clean(sid: Any) -> str:
    if not isinstance(sid, str) or not sid.strip() or len(sid.strip()) > MAX_ID_LENGTH:
        raise BadStudentIdError(t("check.student.bad_id", got=repr(sid)[:60], max=MAX_ID_LENGTH))
    return sid.strip()


def set_student_id(sid: str | None) -> None:
    """Set the student id for this Python session (``None`` forgets it).

    >>> import qlab
    >>> qlab.set_student_id("2024-0137")  # doctest: +SKIP
    """
    global _student_id
    _student_id = None if sid is None else _clean(sid)


def notebook_student_id(path: str | os.PathLike[str] | None = None) -> str | None:
    """``metadata.qlab.student_id`` of the notebook at ``path`` (default: the one the kernel runs,
    from ``JPY_SESSION_NAME``); ``None`` when there is no such notebook or field."""
    sid = notebook_metadata(path).get("student_id")
    if isinstance(sid, str) and sid.strip():
        return _clean(sid)
    return None


def nbgrader_student_id() -> str | None:
    """The student ``nbgrader autograde`` is grading in this kernel, or None when it is not.

    nbgrader runs a submission's notebook with ``NBGRADER_EXECUTION=autograde`` in
    ``autograded/<student>/<assignment>/``; the first call reads that folder and the answer is
    kept for the life of the process.
    """
    if not _nbgrader_id:
        found = None
        if os.environ.get(ENV_NBGRADER, "") == "autograde":
            cwd = Path.cwd()
            if cwd.parent.parent.name == NBGRADER_AUTOGRADED and cwd.parent.name:
                found = _clean(cwd.parent.name)
        _nbgrader_id.append(found)
    return _nbgrader_id[0]


def student_id() -> str:
    """The current student's id (see the module docstring for where it comes from).

    Raises :class:`MissingStudentIdError` with instructions when none is set.
    """
    graded = nbgrader_student_id()
    if graded:
        return graded
    if _student_id:
        return _student_id
    env = os.environ.get(ENV_STUDENT_ID, "")
    if env.strip():
        return _clean(env)
    from_notebook = notebook_student_id()
    if from_notebook:
        return from_notebook
    hub = os.environ.get(ENV_HUB_USER, "")
    if hub.strip():
        return _clean(hub)
    raise MissingStudentIdError(t("check.student.missing", env=ENV_STUDENT_ID))


def _digest(student: str, exercise_id: str, counter: int) -> int:
    text = f"qlab-variant\x00{student}\x00{exercise_id}\x00{counter}"
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest(), "big")


def variant(
    exercise_id: str,
    kind: str = "bits",
    *,
    student: str | None = None,
    n: int = 5,
    nonzero: bool = True,
    low: float = 0.0,
    high: float = 1.0,
    choices: Sequence[Any] = (),
) -> Any:
    """A parameter of ``exercise_id`` for one student, the same every time it is asked.

    ``kind="bits"``    a bitstring of ``n`` bits (``nonzero``: never all zeros), e.g. ``"10110"``
    ``kind="int"``     a whole number ``low <= k <= high``
    ``kind="angle"``   a float ``low <= x <= high`` (e.g. radians), rounded to 4 decimals
    ``kind="choice"``  one item of ``choices``

    ``student`` defaults to :func:`student_id`. Different exercises give one student independent
    draws; the draws are uniform (rejection sampling on a 256-bit hash).
    """
    sid = _clean(student) if student is not None else student_id()
    if kind == "bits":
        if not isinstance(n, int) or n < 1:
            raise ValueError(t("check.variant.bad_param", kind=kind, param="n", got=repr(n)))
        for counter in range(1000):
            value = _digest(sid, exercise_id, counter) % (2**n)
            if value or not nonzero or n == 0:
                return format(value, f"0{n}b")
        raise AssertionError("unreachable: 1000 all-zero draws")
    if kind == "int":
        lo, hi = int(low), int(high)
        if hi < lo:
            raise ValueError(t("check.variant.bad_param", kind=kind, param="high", got=repr(high)))
        span = hi - lo + 1
        limit = (2**256 // span) * span  # reject the uneven tail: every value equally likely
        counter = 0
        while (d := _digest(sid, exercise_id, counter)) >= limit:
            counter += 1
        return lo + d % span
    if kind == "angle":
        if not (math.isfinite(low) and math.isfinite(high) and high > low):
            raise ValueError(t("check.variant.bad_param", kind=kind, param="high", got=repr(high)))
        frac = _digest(sid, exercise_id, 0) / 2**256
        return round(low + (high - low) * frac, 4)
    if kind == "choice":
        if not choices:
            raise ValueError(t("check.variant.bad_param", kind=kind, param="choices", got="()"))
        index = variant(exercise_id, "int", student=sid, low=0, high=len(choices) - 1)
        return choices[index]
    raise ValueError(
        t("check.variant.bad_kind", got=repr(kind), allowed="bits, int, angle, choice")
    )
