"""Reading notebooks safely and writing files atomically (temp file, then ``os.replace``)."""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import AssignmentError
from ..i18n import t
from ..nbread import parse_notebook


@cache
def file_mode() -> int:
    """The mode a new file gets under the user's umask (``0o644`` under the usual ``022``).

    Temporary files are made ``0o600``; a finished output file is given this mode before it is
    renamed into place, so colleagues on a lab server can read what the umask allows them to.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def read_notebook(path: str | os.PathLike[str]) -> Any:
    """Read an instructor's notebook (nbformat 4, every cell with an id: :mod:`qlab.nbread`); a clear
    :class:`AssignmentError` if it is not one. The file is only read."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AssignmentError(t("grade.cannot_read", path=path, reason=exc.strerror or exc)) from exc
    try:
        return parse_notebook(text)
    except Exception as exc:  # nbformat raises many kinds for non-notebooks
        raise AssignmentError(t("grade.not_a_notebook", path=path, reason=_short(exc))) from exc


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:200]


def atomic_write(path: str | os.PathLike[str], data: str | bytes, *, sync: bool = True) -> None:
    """Write ``data`` to ``path`` so a reader never sees a half-written file.

    The data goes to a temporary file in the same folder first, which is then renamed over
    ``path`` (atomic on POSIX); an interrupted write leaves the old file, or none, never half of one.
    The file ends up with the mode the umask gives (:func:`file_mode`).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_notebook(nb: Any, path: str | os.PathLike[str]) -> None:
    """Write ``nb`` atomically in nbformat 4."""
    import nbformat

    atomic_write(path, nbformat.writes(nb, version=4) + "\n")
