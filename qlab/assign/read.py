"""Stage 1, read: a submission file as a notebook, or the reason it is not one.

The file is opened read-only and never written. An empty file, text that is not JSON, JSON that
is not a notebook, or a file that does not exist each get a :class:`~qlab.assign.model.Status`
and a detail for the student's feedback, so one bad file never stops a class. Old notebooks
(nbformat 3) are converted to version 4 in memory.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any

from ..nbread import with_cell_ids
from .model import Status

MAX_NOTEBOOK_BYTES = 64 * 2**20


@dataclass(frozen=True)
class ReadResult:
    notebook: Any | None  # an nbformat v4 notebook, or None
    status: Status
    detail: str = ""
    raw: dict[str, Any] | None = None  # the decoded JSON (its metadata names the student)


def read_bytes(data: bytes) -> ReadResult:
    """A notebook from the bytes of a file."""
    import nbformat

    if not data.strip():
        return ReadResult(None, Status.EMPTY)
    text = data.decode("utf-8", errors="replace")
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return ReadResult(None, Status.NOT_JSON, str(exc)[:200])
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list):
        return ReadResult(None, Status.NOT_NOTEBOOK)
    try:
        nb = nbformat.reads(json.dumps(with_cell_ids(json.loads(text))), as_version=4)  # a copy: raw stays
        for cell in nb.cells:
            cell.setdefault("metadata", {})
            cell.setdefault("source", "")
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds
        return ReadResult(None, Status.NOT_NOTEBOOK, f"{type(exc).__name__}: {str(exc)[:200]}", raw)
    return ReadResult(nb, Status.OK, "", raw)


def file_bytes(path: str | os.PathLike[str]) -> bytes | ReadResult:
    """The bytes of the submission at ``path``, or the :class:`ReadResult` saying why there are none
    (no such file, unreadable, larger than the limit)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_NOTEBOOK_BYTES + 1)
    except FileNotFoundError:
        return ReadResult(None, Status.MISSING)
    except OSError as exc:
        return ReadResult(None, Status.UNREADABLE, str(exc.strerror or exc))
    if len(data) > MAX_NOTEBOOK_BYTES:
        return ReadResult(None, Status.UNREADABLE, f"larger than {MAX_NOTEBOOK_BYTES // 2**20} MiB")
    return data


def read_submission(path: str | os.PathLike[str]) -> ReadResult:
    """Read the submission at ``path`` (see the module docstring)."""
    data = file_bytes(path)
    return data if isinstance(data, ReadResult) else read_bytes(data)
