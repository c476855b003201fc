"""``qlab release SOURCE -o DIR``: make the student copy of an assignment.

From the instructor's source notebook the student copy gets

* every solution region replaced by a placeholder (``raise NotImplementedError()``), so an
  unanswered exercise fails loudly instead of passing by accident;
* every hidden test region removed (a wholly hidden test leaves a one-line note saying how many
  points its hidden tests carry, so nobody is surprised by them);
* test and instruction cells locked (not editable, not deletable) with nbgrader checksums, and
  answer cells made undeletable;
* outputs and execution counts cleared;
* ``metadata.qlab = {"assignment": ..., "student_id": ...}``: the checker uses the student id for
  per-student variants, the grader to name the row (see :mod:`qlab.assign.identify`).
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from ..i18n import t
from .cells import (
    CellInfo,
    apply_headers,
    cell_info,
    check_assignment,
    compute_checksum,
    source_text,
    strip_hidden,
    strip_solution,
)
from .model import Role
from .nbio import read_notebook, write_notebook


def load_source(path: str | os.PathLike[str]) -> Any:
    """Read and check an instructor's source notebook (header lines become nbgrader metadata)."""
    nb = apply_headers(read_notebook(path))
    check_assignment(nb)
    return nb


def assignment_id(nb: Any, path: str | os.PathLike[str]) -> str:
    """The assignment's id: ``metadata.qlab.assignment``, else the folder of a ``source.ipynb``,
    else the file's stem."""
    given = (nb.metadata.get("qlab") or {}).get("assignment")
    if given:
        return str(given)
    path = Path(path).resolve()
    return path.parent.name if path.stem == "source" else path.stem


def _lock(cell: Any, *, editable: bool) -> None:
    cell.metadata["editable"] = editable
    cell.metadata["deletable"] = False


def student_copy(
    nb: Any,
    *,
    assignment: str,
    student_id: str | None = None,
    lang: str | None = None,
) -> Any:
    """The student's version of the checked source notebook ``nb`` (``nb`` is not changed)."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        info: CellInfo = cell_info(cell)
        if cell.get("cell_type") == "code":
            cell.outputs = []
            cell.execution_count = None
        src = source_text(cell)
        if info.role.answers:
            cell.source = strip_solution(src, cell.cell_type)
            _lock(cell, editable=True)
        elif info.role is Role.TEST:
            visible = "" if info.hidden else strip_hidden(src)
            if info.hidden or info.has_hidden_part:
                note = t("grade.hidden_note", lang=lang, points=_fmt(info.points))
                visible = f"{visible}\n{note}" if visible.strip() else note
            cell.source = visible
            _lock(cell, editable=False)
        elif info.role is Role.LOCKED:
            _lock(cell, editable=False)
        if info.role is not Role.PLAIN:
            cell.metadata["nbgrader"]["checksum"] = compute_checksum(cell)
            cell.metadata["nbgrader"].setdefault("schema_version", 3)
            cell.metadata["nbgrader"]["cell_type"] = cell.cell_type
    out.metadata["qlab"] = {"assignment": assignment, "student_id": student_id}
    return out


# the note as earlier releases wrote it (students may hand in copies made before it changed)
OLD_HIDDEN_NOTES = ("# Hidden tests ({points} points) run here when your notebook is graded.",)


def _fmt(points: float) -> str:
    return f"{points:g}"


def was_given(source_cell: Any, cell: Any) -> bool:
    """True when a submission's copy of a locked or test cell is what its student was given:
    the cell as qlab's release writes it (in either language), as nbgrader's writes it (hidden
    regions removed, no note), or the source's own text. Only a cell that is none of these was
    edited by the student; stored checksums are not compared (an old tool may have written them)."""
    if cell.get("cell_type") != source_cell.get("cell_type"):
        return False
    info = cell_info(source_cell)
    src = source_text(source_cell)
    points = _fmt(info.points)
    notes = {t("grade.hidden_note", lang=lang, points=points).strip() for lang in ("en", "ko")}
    notes |= {old.format(points=points) for old in OLD_HIDDEN_NOTES}
    text = "\n".join(line for line in source_text(cell).split("\n") if line.strip() not in notes).strip()
    given = {src.strip()}
    if info.role is Role.TEST:
        given |= {strip_hidden(src).strip(), "" if info.hidden else strip_hidden(src).strip()}
    return text in given


def release(
    source: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    students: list[str] | None = None,
    lang: str | None = None,
) -> list[Path]:
    """Write the student copy of ``source`` into ``out_dir``; return the files written.

    With ``students``, one copy per student id is written to ``out_dir/<id>/<assignment>.ipynb``
    with ``metadata.qlab.student_id`` filled in; otherwise one copy with ``student_id: null``
    (the grader then takes the id from the submission's file name).
    """
    nb = load_source(source)
    assignment = assignment_id(nb, source)
    out_dir = Path(out_dir)
    written: list[Path] = []
    for student in students or [None]:
        copy_nb = student_copy(nb, assignment=assignment, student_id=student, lang=lang)
        target = (out_dir / student if student else out_dir) / f"{assignment}.ipynb"
        write_notebook(copy_nb, target)
        written.append(target)
    return written
