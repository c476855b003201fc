"""The cell metadata model of an assignment: which cell is an answer, a test, or locked.

qlab reads and writes the same per-cell metadata as nbgrader, so an assignment can move between the
two tools::

    cell.metadata.nbgrader = {"grade": bool, "solution": bool, "locked": bool, "grade_id": "bell",
                              "points": 2.0, "checksum": "...", "schema_version": 3,
                              "cell_type": "code"}

(plus ``"task": true`` for nbgrader's task cells). A test with ``points: 0`` runs and is reported
but earns nothing; a test cell whose displayed result (its last line's value) is a number earns that
many points (nbgrader's partial credit). A cell plays one of these roles:

=============  ==================================  =======================================
role           nbgrader flags                      what release / grade do with it
=============  ==================================  =======================================
``answer``     solution                            solution regions -> placeholder; graded
                                                   by the student's version
``test``       grade (+ locked)                    hidden regions removed on release; the
                                                   source's version always runs when graded
``manual``     grade + solution                    an answer graded by hand: its points wait
                                                   for the instructor (0 if left unanswered)
``task``       task (+ locked)                     a task graded by hand (instructions with
                                                   points; the student answers in cells below)
``locked``     locked                              read-only instructions or set-up
``plain``      (no nbgrader metadata)              kept as is
=============  ==================================  =======================================

An instructor who does not want to edit cell metadata by hand can write one header line instead,
and ``qlab release`` turns it into the metadata above::

    # qlab: answer bell-circuit
    # qlab: test bell-state points=2
    # qlab: test bell-state-hidden points=3 hidden

(``hidden`` wraps the cell in nbgrader's hidden-test markers, so nbgrader hides it too).

Inside cells the nbgrader markers work as in nbgrader: ``### BEGIN SOLUTION`` / ``### END
SOLUTION`` around the part of an answer the student must write, ``### BEGIN HIDDEN TESTS`` /
``### END HIDDEN TESTS`` around the part of a test the student does not see (a whole test is
hidden by putting all of it inside the markers). The older ``metadata.qlab.hidden`` flag still
hides a test from qlab's release, but nbgrader ignores it: ``qlab validate`` asks for the markers.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..errors import AssignmentError
from ..i18n import t
from .model import Role

SCHEMA_VERSION = 3
BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
CODE_PLACEHOLDER = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_PLACEHOLDER = "YOUR ANSWER HERE"

_HEADER = re.compile(
    r"^\s*#+\s*qlab:\s*(answer|test)\s+([A-Za-z0-9_.\-]+)"
    r"(?:\s+points\s*=\s*(\d+(?:\.\d+)?))?(\s+hidden)?\s*$"
)
_GRADE_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")


@dataclass(frozen=True)
class CellInfo:
    """What one cell is in an assignment (read from its metadata, see the module docstring)."""

    role: Role
    grade_id: str | None = None
    points: float = 0.0
    hidden: bool = False  # the whole test is hidden from students
    has_hidden_part: bool = False  # part of the test is inside HIDDEN TESTS markers


def _meta(cell: Any) -> dict:
    return dict(cell.get("metadata", {}).get("nbgrader") or {})


def cell_info(cell: Any) -> CellInfo:
    """Read the role, grade id and points of ``cell`` from its nbgrader and qlab metadata."""
    nbg = _meta(cell)
    source = source_text(cell)
    qmeta = cell.get("metadata", {}).get("qlab") or {}
    grade, solution, locked = bool(nbg.get("grade")), bool(nbg.get("solution")), bool(nbg.get("locked"))
    if grade and solution:
        role = Role.MANUAL
    elif nbg.get("task") and not grade and not solution:
        role = Role.TASK
    elif solution:
        role = Role.ANSWER
    elif grade:
        role = Role.TEST
    elif locked:
        role = Role.LOCKED
    else:
        role = Role.PLAIN
    gid = nbg.get("grade_id") if role is not Role.PLAIN else None
    points = _points(nbg.get("points")) if role.graded else 0.0
    has_hidden = BEGIN_HIDDEN in source
    hidden = bool(qmeta.get("hidden")) or (has_hidden and not strip_hidden(source).strip())
    is_test = role is Role.TEST
    return CellInfo(role, gid, points, hidden and is_test, has_hidden and is_test)


def _points(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def hidden_by_metadata_only(cell: Any) -> bool:
    """True for a test hidden only by qlab's old ``metadata.qlab.hidden`` flag: nbgrader would
    release its code, since nbgrader hides only what is inside its markers."""
    info = cell_info(cell)
    return info.hidden and bool(strip_hidden(source_text(cell)).strip())


def source_text(cell: Any) -> str:
    """A cell's source as one string (nbformat allows a list of lines on disk)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src or "")


def _strip_region(source: str, begin: str, end: str, replacement: str | None) -> str:
    """Replace every ``begin``..``end`` region (marker lines included) with ``replacement``."""
    out: list[str] = []
    inside = False
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped.startswith(begin):
            if inside:
                raise AssignmentError(t("grade.nested_markers", marker=begin))
            inside = True
            if replacement is not None:
                indent = line[: len(line) - len(line.lstrip())]
                out.extend(indent + r for r in replacement.split("\n"))
            continue
        if stripped.startswith(end):
            if not inside:
                raise AssignmentError(t("grade.unbalanced_markers", marker=end, begin=begin))
            inside = False
            continue
        if not inside:
            out.append(line)
    if inside:
        raise AssignmentError(t("grade.unbalanced_markers", marker=begin, begin=begin))
    return "\n".join(out)


def strip_solution(source: str, cell_type: str = "code") -> str:
    """The student's version of an answer cell: solution regions become a placeholder.

    An answer cell with no markers is replaced whole, as nbgrader does.
    """
    placeholder = CODE_PLACEHOLDER if cell_type == "code" else TEXT_PLACEHOLDER
    if BEGIN_SOLUTION not in source:
        return placeholder
    return _strip_region(source, BEGIN_SOLUTION, END_SOLUTION, placeholder)


def remove_solution_markers(source: str) -> str:
    """The instructor's version of an answer cell with the marker lines taken out."""
    return "\n".join(
        line for line in source.split("\n")
        if not line.strip().startswith((BEGIN_SOLUTION, END_SOLUTION))
    )


def strip_hidden(source: str) -> str:
    """The visible part of a test cell (hidden regions removed)."""
    return _strip_region(source, BEGIN_HIDDEN, END_HIDDEN, None).strip("\n")


def _test_lines(source: str) -> Iterator[tuple[str, bool]]:
    """Each line of a test cell but the marker lines, and whether it lies in a hidden region."""
    inside = False
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped.startswith(BEGIN_HIDDEN):
            inside = True
        elif stripped.startswith(END_HIDDEN):
            inside = False
        else:
            yield line, inside


def hidden_part(source: str) -> str:
    """Only the hidden regions of a test cell (marker lines removed), in order."""
    return "\n".join(line for line, hidden in _test_lines(source) if hidden)


def ends_hidden(source: str) -> bool:
    """True when a test cell's last line of code is inside a hidden region: then the hidden part,
    not the visible one, shows the cell's value (nbgrader's partial credit)."""
    code = [hidden for line, hidden in _test_lines(source)
            if line.strip() and not line.strip().startswith("#")]
    return bool(code) and code[-1]


def without_markers(source: str) -> str:
    """A test cell's whole code (visible and hidden) with the marker lines taken out."""
    return "\n".join(line for line, _ in _test_lines(source))


def compute_checksum(cell: Any) -> str:
    """nbgrader's checksum of a cell: its source, type, flags, grade id and points (md5 hex).

    Computed the same way as ``nbgrader.utils.compute_checksum`` so that either tool can check the
    other's locked cells.
    """
    nbg = _meta(cell)
    m = hashlib.md5()  # noqa: S324 - a change detector, as in nbgrader, not a security hash
    m.update(source_text(cell).encode("utf-8"))
    m.update(str(cell.get("cell_type", "")).encode("utf-8"))
    m.update(str(bool(nbg.get("grade"))).encode("utf-8"))
    m.update(str(bool(nbg.get("solution"))).encode("utf-8"))
    # nbgrader's is_locked: never for a solution cell, always for a grade cell, else the flag
    locked = False if nbg.get("solution") else True if nbg.get("grade") else bool(nbg.get("locked"))
    m.update(str(locked).encode("utf-8"))
    m.update(str(nbg.get("grade_id", "")).encode("utf-8"))
    if nbg.get("grade"):
        m.update(str(float(nbg.get("points") or 0.0)).encode("utf-8"))
    return m.hexdigest()


def apply_headers(nb: Any) -> Any:
    """Turn ``# qlab: answer|test ID [points=N] [hidden]`` header lines into nbgrader metadata.

    Works in place on ``nb`` (an nbformat notebook) and returns it. Cells that already carry
    nbgrader metadata are left alone.
    """
    for cell in nb.cells:
        if cell.get("cell_type") != "code" or _meta(cell):
            continue
        lines = source_text(cell).split("\n")
        match = _HEADER.match(lines[0]) if lines else None
        if not match:
            continue
        word, gid, points, hidden = match.groups()
        role = Role(word)
        is_test = role is Role.TEST
        nbg: dict[str, Any] = {
            "grade_id": gid, "schema_version": SCHEMA_VERSION, "cell_type": "code",
            "solution": role is Role.ANSWER, "grade": is_test, "locked": is_test,
        }
        if is_test:
            nbg["points"] = float(points or 1)
        cell.metadata["nbgrader"] = nbg
        body = "\n".join(lines[1:]).lstrip("\n")
        if hidden and is_test and BEGIN_HIDDEN not in body:
            body = f"{BEGIN_HIDDEN}\n{body.rstrip()}\n{END_HIDDEN}"
        cell.source = body
    return nb


def check_assignment(nb: Any) -> list[tuple[int, CellInfo]]:
    """Validate the assignment's cells; return ``(index, info)`` of every nbgrader cell.

    Raises :class:`~qlab.errors.AssignmentError` on a missing or repeated grade id, a graded cell
    without points (0 is allowed, as in nbgrader; negative is not), unbalanced markers, or nothing
    graded at all (tests, manually graded answers or tasks), naming the cell.
    """
    seen: dict[str, int] = {}
    cells: list[tuple[int, CellInfo]] = []
    for index, cell in enumerate(nb.cells):
        info = cell_info(cell)
        if info.role is Role.PLAIN:
            if BEGIN_SOLUTION in source_text(cell) or BEGIN_HIDDEN in source_text(cell):
                raise AssignmentError(t("grade.markers_without_metadata", cell=index))
            continue
        gid = info.grade_id
        if not gid or not _GRADE_ID.match(str(gid)):
            raise AssignmentError(t("grade.bad_grade_id", cell=index, grade_id=gid))
        if gid in seen:
            raise AssignmentError(t("grade.duplicate_grade_id", grade_id=gid, first=seen[gid], cell=index))
        seen[gid] = index
        if info.role.graded and not info.points >= 0:
            raise AssignmentError(t("grade.test_without_points", grade_id=gid, cell=index))
        src = source_text(cell)
        strip_solution(src, cell.get("cell_type", "code"))  # raises on unbalanced markers
        strip_hidden(src)
        cells.append((index, info))
    if not any(info.role.graded for _, info in cells):
        raise AssignmentError(t("grade.no_tests"))
    return cells
