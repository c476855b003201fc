"""Stage 3, split: one submission becomes two programs that never share a process.

* **The student's side** (:class:`StudentCell` list, run in the sandbox by
  :mod:`qlab.bridge.student`): the source's set-up cells, and the submission's answer cells and
  own cells, in notebook order. Never a test cell, never a solution.
* **The graded notebook** (run by nbval in a fresh, trusted kernel): the source's set-up and test
  cells, with the answers fetched as data (:mod:`qlab.bridge.trusted`): before each trusted cell
  that reads an answer's name, a *sync* cell binds those names; where an answer cell was, an
  *answer* cell lets the student's side run up to there and reports whether that answer raised.
  Each test (or its visible and hidden part) is one nbval item, as before.

Only answers are taken from the submission, matched by ``metadata.nbgrader.grade_id`` (not by
position), and mangled notebooks are graded rather than rejected, each with a note:

* an answer cell **deleted**: nothing runs in its place (the student's other cells still run),
  so its tests fail unless another cell defined the answer;
* an answer cell **duplicated** (copied with its metadata): every copy runs, in the order of the
  submission, so the last one counts;
* an answer cell **retyped** (code made markdown or raw): its text runs as code;
* a locked cell **edited**: ignored, the source's version runs; the student is told only when
  their cell differs from what they were given (a stale stored checksum is not their doing);
* the student's **own new code cells**: run on the student's side after the nearest cell they
  followed (an answer may call a helper defined there).

Cells are positioned by *anchor*: the index of the source cell they belong to or follow. "Run up to
source cell ``k``" means every student cell with anchor below ``k``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .cells import (
    cell_info,
    ends_hidden,
    hidden_part,
    remove_solution_markers,
    source_text,
    strip_hidden,
    strip_solution,
    without_markers,
)
from .model import GradedRole, Note, Part, Role, StudentRole
from .names import bound_names, loaded_names
from .release import was_given

BRIDGE = "__qlab_bridge__"
OPEN_BRIDGE = f'{BRIDGE} = __import__("qlab.bridge.trusted", fromlist=["from_environment"]).from_environment()'


@dataclass(frozen=True)
class StudentCell:
    """A cell the student's side runs."""

    anchor: int
    role: StudentRole
    grade_id: str | None
    source: str

    def to_json(self) -> dict[str, Any]:
        return {"anchor": self.anchor, "role": self.role.value, "grade_id": self.grade_id,
                "source": self.source}


@dataclass
class Split:
    """The two programs made from one submission, and what the split noticed."""

    student: list[StudentCell]
    graded: Any  # an nbformat notebook
    eager: int  # the student's side may run every cell with a lower anchor before being asked
    notes: list[Note] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)

    def plan(self, socket_path: str) -> dict[str, Any]:
        """The plan file of :mod:`qlab.bridge.student`."""
        return {"socket": socket_path, "eager": self.eager, "module": None,
                "cells": [c.to_json() for c in self.student]}


@dataclass
class _Matched:
    answers: dict[str, list[Any]] = field(default_factory=dict)
    extras: dict[int, list[Any]] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


def _match(source: Any, submission: Any) -> _Matched:
    """The submission's answer cells by grade id, and its own cells by the source cell they follow."""
    found = _Matched()
    infos = [cell_info(c) for c in source.cells]
    by_gid = {info.grade_id: i for i, info in enumerate(infos) if info.grade_id}
    plain_ids = {c.get("id"): i for i, c in enumerate(source.cells) if c.get("id")}
    texts = {
        source_text(c).strip(): i
        for i, (c, info) in enumerate(zip(source.cells, infos, strict=True))
        if info.role in (Role.PLAIN, Role.LOCKED, Role.TEST) and source_text(c).strip()
    }
    anchor = -1
    for cell in submission.cells:
        meta = cell.get("metadata", {}) or {}
        nbg = meta.get("nbgrader") or {}
        gid = nbg.get("grade_id") if isinstance(nbg, dict) else None
        if isinstance(gid, str) and gid in by_gid:
            index = by_gid[gid]
            if infos[index].role.answers:
                found.answers.setdefault(gid, []).append(cell)
            elif not was_given(source.cells[index], cell):
                found.notes.append(Note("grade.note_locked_edited", {"grade_id": gid}))
            anchor = index
            continue
        if gid:
            found.notes.append(Note("grade.note_unknown_cell", {"grade_id": str(gid)[:100]}))
        matched = plain_ids.get(cell.get("id"))
        if matched is None:
            matched = texts.get(source_text(cell).strip())
        if matched is not None and (not infos[matched].grade_id
                                    or infos[matched].role in (Role.LOCKED, Role.TEST)):
            anchor = matched  # the source's own cell (or an unlabelled copy of a locked one)
            continue
        if cell.get("cell_type") == "code" and source_text(cell).strip():
            found.extras.setdefault(anchor, []).append(cell)
    return found


def answer_names(source: Any) -> frozenset[str]:
    """The global names the source's solutions define: what tests may read from a submission."""
    names: set[str] = set()
    for cell in source.cells:
        if cell.get("cell_type") == "code" and cell_info(cell).role.answers:
            names |= bound_names(remove_solution_markers(source_text(cell)))
    return frozenset(names)


def _graded_cell(text: str, role: GradedRole, **extra: Any) -> Any:
    import nbformat

    cell = nbformat.v4.new_code_cell(text)
    cell.metadata["qlab_grading"] = {"role": role.value, **extra}
    return cell


def _answers(cell: Any, gid: str, given: list[Any], result: Split, anchor: int) -> None:
    """The student's versions of one answer cell, with the notes they deserve. A written
    (markdown) answer is graded by hand: nothing runs, only whether it was answered matters."""
    by_hand = cell_info(cell).role is Role.MANUAL
    placeholder = strip_solution(source_text(cell), cell.get("cell_type", "code")).strip()
    if not given:
        result.missing.append(gid)
        result.notes.append(Note("grade.note_missing_manual" if by_hand else "grade.note_missing_answer",
                                 {"grade_id": gid}))
        if by_hand:
            result.unanswered.append(gid)
        return
    if cell.get("cell_type") != "code":
        if all(source_text(v).strip() == placeholder for v in given):
            result.unanswered.append(gid)
            result.notes.append(Note("grade.note_unanswered", {"grade_id": gid}))
        return
    if len(given) > 1:
        result.notes.append(Note("grade.note_duplicated_answer", {"grade_id": gid, "count": len(given)}))
    for version in given:
        if version.get("cell_type") != "code":
            result.notes.append(Note("grade.note_retyped_answer",
                                     {"grade_id": gid, "cell_type": str(version.get("cell_type"))}))
        text = source_text(version)
        if text.strip() == placeholder and gid not in result.unanswered:
            result.unanswered.append(gid)
        result.student.append(StudentCell(anchor, StudentRole.ANSWER, gid, text))
    if gid in result.unanswered and len(given) == 1:
        result.notes.append(Note("grade.note_unanswered", {"grade_id": gid}))


def _test_cells(cell: Any, info: Any) -> list[Any]:
    """The graded cells of one test: the whole test, or its visible and hidden parts. ``shows``
    marks the part holding the test's last line, whose displayed value is nbgrader's partial credit."""
    gid, points = info.grade_id, info.points
    src = source_text(cell)
    test, public, hidden = GradedRole.TEST, Part.PUBLIC.value, Part.HIDDEN.value
    if info.hidden:
        return [_graded_cell(without_markers(src), test, grade_id=gid, part=hidden, points=points, shows=True)]
    if info.has_hidden_part:
        last_hidden = ends_hidden(src)
        return [_graded_cell(strip_hidden(src), test, grade_id=gid, part=public, points=points,
                             shows=not last_hidden),
                _graded_cell(hidden_part(src), test, grade_id=gid, part=hidden, points=points,
                             shows=last_hidden)]
    return [_graded_cell(src, test, grade_id=gid, part=public, points=points, shows=True)]


def split(source: Any, submission: Any) -> Split:
    """The student's cells and the graded notebook for ``submission`` (see the module docstring).

    ``source`` is the checked source notebook (:func:`~qlab.assign.release.load_source`); neither
    argument is changed.
    """
    import nbformat

    matched = _match(source, submission)
    names = answer_names(source)
    graded = nbformat.v4.new_notebook()
    graded.metadata = copy.deepcopy(source.metadata)
    graded.metadata.pop("widgets", None)
    graded.cells.append(_graded_cell(OPEN_BRIDGE, GradedRole.BRIDGE))
    result = Split([], graded, eager=len(source.cells) + 1, notes=list(matched.notes))
    checkpoints: list[int] = []

    def sync_before(index: int, text: str) -> None:
        needed = sorted(loaded_names(text) & names)
        if needed:
            checkpoints.append(index)
            graded.cells.append(_graded_cell(f"{BRIDGE}.sync(globals(), {index}, {needed!r})",
                                             GradedRole.SYNC))

    for extra in matched.extras.get(-1, []):
        result.student.append(StudentCell(-1, StudentRole.EXTRA, None, source_text(extra)))
    for index, cell in enumerate(source.cells):
        info = cell_info(cell)
        is_code = cell.get("cell_type") == "code"
        if info.role.answers:
            gid = str(info.grade_id)
            _answers(cell, gid, matched.answers.get(gid, []), result, index)
            if is_code:
                checkpoints.append(index + 1)
                graded.cells.append(_graded_cell(f"{BRIDGE}.advance({index + 1}, report={gid!r})",
                                                 GradedRole.ANSWER, grade_id=gid))
        elif info.role is Role.TEST:
            sync_before(index, without_markers(source_text(cell)))
            graded.cells.extend(_test_cells(cell, info))
        elif is_code:
            text = source_text(cell)
            result.student.append(StudentCell(index, StudentRole.SETUP, None, text))
            sync_before(index, text)
            kept = copy.deepcopy(cell)
            kept.outputs, kept.execution_count = [], None
            kept.metadata["qlab_grading"] = {"role": GradedRole.SOURCE.value}
            graded.cells.append(kept)
        else:
            graded.cells.append(copy.deepcopy(cell))
        for extra in matched.extras.get(index, []):
            result.student.append(StudentCell(index, StudentRole.EXTRA, None, source_text(extra)))
    if checkpoints:
        result.eager = min(checkpoints)
    return result


def solution_submission(source: Any) -> Any:
    """The source as if a student had answered with the instructor's solutions (for validate)."""
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        if cell_info(cell).role.answers:
            cell.source = remove_solution_markers(source_text(cell))
    return nb
