"""Stage 2, identify: every submission gets its own id, row, work folder and feedback file.

Rules, for the whole class at once (so the result does not depend on the order files are given):

1. A file's **name** is its path relative to the folder that holds all submissions, decoded for
   display: UTF-8, else CP949 (what a zip made on a Korean Windows gives), else with replacement
   characters; Unicode is NFC-normalised. Two names for one file count once.
2. The id a file **owns** is its file name without ``.ipynb`` (``김민수``), or, where two files
   share that name (``sec1/alice.ipynb``, ``sec2/alice.ipynb``), its relative path (``sec1/alice``).
   A file in nbgrader's layout, ``submitted/<student>/<assignment>/<notebook>.ipynb`` (nbgrader's
   ``{nbgrader_step}/{student_id}/{assignment_id}``), owns its student folder's name: nbgrader's
   exchange wrote that folder, so it is the student's id and no claim in the notebook overrides it.
3. An id **claimed** in the notebook's metadata (``metadata.qlab.student_id``, written by ``qlab
   release --student``) is used when no other file owns it and no other notebook claims it too;
   otherwise it is refused with a note naming the other file, and the file's own id is used.
4. Whatever is still equal after that (a UTF-8 name and a CP949 name that display alike) gets
   ``~2``, ``~3``, ... in a stable order (properly encoded names first).

Work folders are numbered, never derived from ids, so no id can collide with another's folder;
feedback file names are made from ids by :func:`feedback_name`, unique even on a file system that
ignores case.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..filenames import display
from .model import Note
from .read import MAX_NOTEBOOK_BYTES

MAX_ID = 200
SUFFIX = ".ipynb"
NBGRADER_SUBMITTED = "submitted"  # nbgrader's CourseDirectory.submitted_directory


def nbgrader_student(path: str) -> str | None:
    """The student id of a file in nbgrader's ``submitted/<student>/<assignment>/`` layout, else None."""
    parts = Path(path).parts
    if len(parts) >= 4 and parts[-4] == NBGRADER_SUBMITTED:
        return clean_id(parts[-3])
    return None


@dataclass(frozen=True)
class Submission:
    """One submission as the class knows it."""

    path: str  # as given, for opening (may hold undecodable bytes, as os.fsdecode gives them)
    name: str  # relative display path, e.g. "sec1/alice.ipynb"
    student_id: str
    index: int  # position in the class (work folder number)
    notes: tuple[Note, ...] = field(default_factory=tuple)


def _utf8(path: str) -> bool:
    try:
        os.fsencode(path).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def clean_id(value: object) -> str | None:
    """A usable student id from metadata: text, 1 to 200 characters, no control characters."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFC", value).strip()
    if not text or len(text) > MAX_ID or any(unicodedata.category(c)[0] == "C" for c in text):
        return None
    return text


def _claimed(path: str) -> object:
    """``metadata.qlab.student_id`` of the file, if it is a notebook that has one."""
    try:
        with open(path, "rb") as fh:
            raw = json.loads(fh.read(MAX_NOTEBOOK_BYTES).decode("utf-8", errors="replace"))
    except (OSError, ValueError, RecursionError):
        return None
    meta = raw.get("metadata") if isinstance(raw, dict) else None
    qmeta = meta.get("qlab") if isinstance(meta, dict) else None
    return qmeta.get("student_id") if isinstance(qmeta, dict) else None


def identify(paths: Sequence[str | os.PathLike[str]]) -> list[Submission]:
    """The class: one :class:`Submission` per distinct file, ordered by display name."""
    seen: dict[str, str] = {}
    for p in paths:
        given = os.fspath(p)
        real = os.path.realpath(given)
        seen.setdefault(real, given)
    items = sorted(seen.items(), key=lambda kv: (display(kv[0]), not _utf8(kv[0]), os.fsencode(kv[0])))
    if not items:
        return []
    shown = [display(real) for real, _ in items]
    parents = [os.path.dirname(s) for s in shown]
    root = os.path.commonpath(parents) if len(set(parents)) > 1 else parents[0]
    names = [os.path.relpath(s, root) for s in shown]
    stems = [Path(n).name.removesuffix(SUFFIX) if n.endswith(SUFFIX) else Path(n).stem or Path(n).name
             for n in names]
    keys = [n.removesuffix(SUFFIX) for n in names]
    stem_count = Counter(stems)
    nbgrader = [nbgrader_student(s) for s in shown]
    owned = [nbg or (stem if stem_count[stem] == 1 else key)
             for nbg, stem, key in zip(nbgrader, stems, keys, strict=True)]
    claims = [None if nbg else clean_id(_claimed(given)) for nbg, (_, given) in zip(nbgrader, items, strict=True)]
    claim_count = Counter(c for c, own in zip(claims, owned, strict=True) if c and c != own)
    owner_of = {own: i for i, own in enumerate(owned)}

    ids: list[str] = []
    notes: list[list[Note]] = [[] for _ in items]
    for i, (claim, own) in enumerate(zip(claims, owned, strict=True)):
        if not claim or claim == own:
            ids.append(own)
        elif claim in owner_of and owner_of[claim] != i:
            ids.append(own)
            notes[i].append(Note("grade.note_id_refused_owned",
                                 {"claimed": claim, "owner": names[owner_of[claim]], "used": own}))
        elif claim_count[claim] > 1:
            others = [names[j] for j, c in enumerate(claims) if c == claim and j != i]
            ids.append(own)
            notes[i].append(Note("grade.note_id_refused_shared",
                                 {"claimed": claim, "others": ", ".join(others), "used": own}))
        else:
            ids.append(claim)
    total = Counter(ids)
    used: Counter[str] = Counter()
    for i, sid in enumerate(ids):
        if total[sid] > 1:
            used[sid] += 1
            if used[sid] > 1:
                ids[i] = f"{sid}~{used[sid]}"
                notes[i].append(Note("grade.note_duplicate_student", {"student_id": sid, "used": ids[i]}))
    return [Submission(given, name, sid, index, tuple(n))
            for index, ((_, given), name, sid, n) in enumerate(zip(items, names, ids, notes, strict=True))]


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def feedback_name(student_id: str, taken: set[str]) -> str:
    """A file name for ``student_id``'s feedback: readable (Hangul kept), no path separators,
    unique within ``taken`` ignoring case (``taken`` is updated)."""
    base = _UNSAFE.sub("_", unicodedata.normalize("NFC", student_id)).strip(" ._") or "student"
    base = base[:120]
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        name = f"{base}~{n}"
    taken.add(name.casefold())
    return name
