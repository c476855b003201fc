"""An output folder that holds one complete set of results: the previous run's, or this run's.

Grading writes nothing into the output folder until it has every file of the new set. They go to a
hidden staging folder inside it; :meth:`OutputFolder.commit` then moves them into place with
SIGINT and SIGTERM held back, after writing a small journal. If the process dies in the middle
anyway (power, SIGKILL), the next run finds the journal and finishes the move first. Files of the
previous set that the new one does not have (the feedback of a student who is not in this run) are
removed; files qlab did not write (an instructor's own notes) are never touched.

:func:`prepare` checks the folder before any grading starts: a folder that is a file, that cannot
be created (its parent is missing too: probably a typo) or that cannot be written is an
:class:`~qlab.errors.AssignmentError` naming it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import AssignmentError
from ..i18n import t
from .nbio import atomic_write

MANIFEST = ".qlab-outputs.json"
JOURNAL = ".qlab-commit.json"
STAGING_PREFIX = ".qlab-staging-"


def prepare(path: str | os.PathLike[str]) -> OutputFolder:
    """The output folder ``path``, created if only it is missing; see the module docstring."""
    folder = Path(path).absolute()
    if folder.exists() and not folder.is_dir():
        raise AssignmentError(t("grade.out_not_folder", path=folder))
    if not folder.exists():
        if not folder.parent.exists():
            raise AssignmentError(t("grade.out_missing", path=folder, parent=folder.parent))
        try:
            folder.mkdir()
        except OSError as exc:
            raise AssignmentError(t("grade.out_unwritable", path=folder, reason=exc.strerror or exc)) from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".qlab-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise AssignmentError(t("grade.out_unwritable", path=folder, reason=exc.strerror or exc)) from None
    out = OutputFolder(folder)
    out.recover()
    return out


@contextmanager
def _signals_held() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


class OutputFolder:
    """See the module docstring."""

    def __init__(self, path: Path):
        self.path = path

    def _previous(self) -> list[str]:
        try:
            files = json.loads((self.path / MANIFEST).read_text(encoding="utf-8")).get("files", [])
        except (OSError, ValueError, AttributeError):
            return []
        return [f for f in files if isinstance(f, str) and _inside(f)]

    def recover(self) -> None:
        """Finish a commit an earlier run could not finish; drop staging folders it left."""
        journal = self.path / JOURNAL
        if journal.exists():
            try:
                plan = json.loads(journal.read_text(encoding="utf-8"))
                self._apply(str(plan["staging"]), list(plan["files"]), list(plan["stale"]))
            except (OSError, ValueError, KeyError, TypeError):
                journal.unlink(missing_ok=True)
        for leftover in self.path.glob(STAGING_PREFIX + "*"):
            shutil.rmtree(leftover, ignore_errors=True)

    def staging(self) -> Path:
        """A new, empty hidden folder inside the output folder to write the new set into."""
        return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.path))

    def commit(self, staging: Path) -> list[Path]:
        """Replace the previous set with everything in ``staging``; returns the files now in place."""
        files = sorted(str(p.relative_to(staging)) for p in staging.rglob("*") if p.is_file())
        stale = sorted(set(self._previous()) - set(files))
        with _signals_held():
            atomic_write(self.path / JOURNAL, json.dumps(
                {"staging": staging.name, "files": files, "stale": stale}, ensure_ascii=False))
            self._apply(staging.name, files, stale)
        return [self.path / f for f in files]

    def _apply(self, staging_name: str, files: list[str], stale: list[str]) -> None:
        staging = self.path / staging_name
        for name in files:
            if not _inside(name):
                continue
            source, target = staging / name, self.path / name
            if source.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
        for name in stale:
            if _inside(name):
                (self.path / name).unlink(missing_ok=True)
        atomic_write(self.path / MANIFEST, json.dumps({"files": files}, ensure_ascii=False, indent=0))
        shutil.rmtree(staging, ignore_errors=True)
        (self.path / JOURNAL).unlink(missing_ok=True)

    def discard(self, staging: Path) -> None:
        """Drop a staging folder (an interrupted run): the previous set stays as it was."""
        shutil.rmtree(staging, ignore_errors=True)


def _inside(name: str) -> bool:
    """A relative path that stays inside the folder (no ``..``, not absolute, not the journal)."""
    p = Path(name)
    return not p.is_absolute() and ".." not in p.parts and name not in (MANIFEST, JOURNAL)
