"""Put a student's answers into the instructor's source: the notebook that is actually graded.

The graded notebook is built from the **source**, never from the submission, so test cells (and
hidden tests) are always the instructor's, whatever the student did to theirs. From the
submission only these are taken:

* **answer cells**, matched by ``metadata.nbgrader.grade_id`` (not by position);
* **the student's own new code cells** (helpers, scratch work), kept in place after the nearest
  cell they followed, because an answer may call a helper the student defined there.

Mangled notebooks are graded rather than rejected, each with a note for the student:

* an answer cell that was **deleted**: nothing is put in its place (the student's new cells, if
  any, still run where they were), so its tests fail unless the answer was written elsewhere;
* an answer cell that was **duplicated** (copied with its metadata): every copy runs, in the
  order of the submission - what the student saw when running their notebook top to bottom;
* an answer cell that was **retyped** (code turned into markdown or raw): its text runs as code;
* a locked cell that was **edited**: ignored, the source's version runs.

Before each test a *guard* cell restores ``qlab.check``, ``qlab.checks`` and numpy's comparison
functions in case the student replaced them, and after the test puts the student's own names
back (see :mod:`qlab.assign.guard`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .cells import (
    cell_info,
    compute_checksum,
    hidden_part,
    remove_solution_markers,
    source_text,
    strip_hidden,
    strip_solution,
    without_markers,
)

GUARD = '__import__("qlab.assign.guard", fromlist=["guard"])'


@dataclass
class MergeNotes:
    """What the merge found in a submission, as ``(message key, fields)`` pairs for feedback."""

    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)

    def add(self, key: str, **fields: Any) -> None:
        self.notes.append((key, fields))


def _code_cell(source: str, role: str, **extra: Any) -> Any:
    import nbformat

    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["qlab_grading"] = {"role": role, **extra}
    return cell


def merge(source: Any, submission: Any) -> tuple[Any, MergeNotes]:
    """The graded notebook: ``source`` (checked, see :func:`~qlab.assign.release.load_source`) with
    the answers of ``submission``. Neither argument is changed."""
    import nbformat

    notes = MergeNotes()
    infos = [cell_info(c) for c in source.cells]
    by_gid = {info.grade_id: i for i, info in enumerate(infos) if info.grade_id}
    plain_ids = {c.get("id"): i for i, c in enumerate(source.cells) if c.get("id")}
    texts = {
        source_text(c).strip(): i
        for i, (c, info) in enumerate(zip(source.cells, infos, strict=True))
        if info.role in ("plain", "locked", "test") and source_text(c).strip()
    }

    answers: dict[str, list[Any]] = {}
    extras: dict[int, list[Any]] = {}
    anchor = -1
    for cell in submission.cells:
        meta = cell.get("metadata", {}) or {}
        gid = (meta.get("nbgrader") or {}).get("grade_id")
        if gid in by_gid:
            index = by_gid[gid]
            role = infos[index].role
            if role in ("answer", "manual"):
                answers.setdefault(gid, []).append(cell)
            elif (meta.get("nbgrader") or {}).get("checksum") not in (None, compute_checksum(cell)):
                notes.add("grade.note_locked_edited", grade_id=gid)
            anchor = index
            continue
        if gid:
            notes.add("grade.note_unknown_cell", grade_id=gid)
        matched = plain_ids.get(cell.get("id"))
        if matched is None:
            matched = texts.get(source_text(cell).strip())
        if matched is not None and not infos[matched].grade_id:
            anchor = matched
            continue
        if matched is not None and infos[matched].role in ("locked", "test"):
            anchor = matched  # an unlabelled copy of a locked cell: the source's one runs
            continue
        if cell.get("cell_type") == "code" and source_text(cell).strip():
            extras.setdefault(anchor, []).append(cell)

    out = nbformat.v4.new_notebook()
    out.metadata = copy.deepcopy(source.metadata)
    out.metadata.pop("widgets", None)
    out.cells.append(_code_cell(f"{GUARD}.install(globals())", "setup"))
    out.cells.extend(_student_extra(c) for c in extras.get(-1, []))
    for index, (cell, info) in enumerate(zip(source.cells, infos, strict=True)):
        if info.role in ("answer", "manual"):
            out.cells.extend(_answer_cells(cell, info, answers.get(info.grade_id, []), notes))
        elif info.role == "test":
            out.cells.extend(_test_cells(cell, info))
        else:
            kept = copy.deepcopy(cell)
            if kept.get("cell_type") == "code":
                kept.outputs, kept.execution_count = [], None
            kept.metadata["qlab_grading"] = {"role": "source"}
            out.cells.append(kept)
            if kept.get("cell_type") == "code":
                out.cells.append(_code_cell(f"{GUARD}.note(globals())", "guard"))
        out.cells.extend(_student_extra(c) for c in extras.get(index, []))
    return out, notes


def _student_extra(cell: Any) -> Any:
    return _code_cell(source_text(cell), "extra")


def _answer_cells(source_cell: Any, info: Any, given: list[Any], notes: MergeNotes) -> list[Any]:
    gid = info.grade_id
    if source_cell.get("cell_type") != "code":
        return []  # a written (markdown) answer: graded by hand, nothing to run
    if not given:
        notes.missing.append(gid)
        notes.add("grade.note_missing_answer", grade_id=gid)
        return []
    if len(given) > 1:
        notes.add("grade.note_duplicated_answer", grade_id=gid, count=len(given))
    placeholder = strip_solution(source_text(source_cell)).strip()
    out = []
    for cell in given:
        if cell.get("cell_type") != "code":
            notes.add("grade.note_retyped_answer", grade_id=gid, cell_type=cell.get("cell_type"))
        text = source_text(cell)
        if text.strip() == placeholder:
            notes.unanswered.append(gid)
        out.append(_code_cell(text, "answer", grade_id=gid))
    if gid in notes.unanswered and len(given) == 1:
        notes.add("grade.note_unanswered", grade_id=gid)
    return out


def _test_cells(cell: Any, info: Any) -> list[Any]:
    gid, points = info.grade_id, info.points
    src = source_text(cell)
    out = [_code_cell(f"{GUARD}.before_test(globals(), {gid!r})", "guard")]
    if info.hidden:
        out.append(_code_cell(without_markers(src), "test", grade_id=gid, part="hidden", points=points))
    elif info.has_hidden_part:
        out.append(_code_cell(strip_hidden(src), "test", grade_id=gid, part="public", points=points))
        out.append(_code_cell(hidden_part(src), "test", grade_id=gid, part="hidden", points=points))
    else:
        out.append(_code_cell(src, "test", grade_id=gid, part="public", points=points))
    out.append(_code_cell(f"{GUARD}.after_test(globals())", "guard"))
    return out


def solution_submission(source: Any) -> Any:
    """The source as if a student had answered with the instructor's solutions (for validate)."""
    nb = copy.deepcopy(source)
    for cell in nb.cells:
        if cell_info(cell).role in ("answer", "manual"):
            cell.source = remove_solution_markers(source_text(cell))
    return nb
