"""A student's own copy of the lessons, so that using them never changes the originals.

``make lab`` serves this copy (``my-lessons/``, ignored by git), not ``notebooks/``: JupyterLab saves
a student's outputs and edits into the copy, ``git status`` stays clean, and ``git pull`` brings new
lessons without conflicts. Each run refreshes the copy without losing anything::

    python -m qlab.working_copy notebooks my-lessons

one line per lesson that something happened to:

* **copied**: a lesson that was not in the copy yet (new, or deleted by the student);
* **updated**: the lesson changed (or the language did) and the student had not changed its copy;
* **kept**: the student changed the copy: it is never overwritten (when the lesson changed too, the
  line says how to get the new one: rename the copy and run again).

What counts as the student's change is the notebook's cells (types and sources): running cells only
adds outputs, which the next run may replace. A record of what was written last
(``.qlab-lessons.json`` in the copy) tells the two apart; a file that was never written by this
step is treated as the student's.

Each notebook is rendered in the student's language (``QLAB_LANG``, else the locale: ``ko_*`` is
Korean, else English) by ``qlab.course.bilingual.render`` when that module exists (lessons keep
both languages in one source); without it, lessons are copied as they are.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import locale
import os
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import QlabError
from .i18n import LANGUAGES, t

RECORD = ".qlab-lessons.json"
SKIPPED = {".ipynb_checkpoints", "__pycache__", ".DS_Store"}
ACTIONS = ("copied", "restored", "updated", "kept", "kept_outdated", "unchanged")


class WorkingCopyError(QlabError, ValueError):
    """A copy that cannot be made: no lessons folder, or the copy's place is taken by a file."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one file of the copy: its path (relative, with ``/``) and one of ACTIONS."""

    path: str
    action: str


def lesson_language(environ: Mapping[str, str] | None = None) -> str:
    """The student's language: ``QLAB_LANG``, else the locale (``ko_KR.UTF-8`` -> ``ko``), else en."""
    env = os.environ if environ is None else environ
    chosen = env.get("QLAB_LANG", "").strip().lower()[:2]
    if chosen in LANGUAGES:
        return chosen
    # the variables POSIX and gettext read for the language of messages, in their order
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value and value not in ("C", "POSIX"):
            return "ko" if value.lower().startswith("ko") else "en"
    if environ is None:  # Windows and macOS desktops set no variable: ask the system
        name = locale.getlocale()[0] or ""
        return "ko" if name.lower().startswith("ko") else "en"
    return "en"


def _renderer() -> Callable[[Any, str], Any] | None:
    """``qlab.course.bilingual.render`` when the lessons ship it, else None (copy as is)."""
    try:
        from .course.bilingual import render
    except ModuleNotFoundError as exc:  # not built yet; a module it imports missing is a bug
        if exc.name in (f"{__package__}.course", f"{__package__}.course.bilingual"):
            return None
        raise
    return render


def _rendered(source: Path, lang: str, render: Callable[[Any, str], Any] | None) -> bytes:
    """The bytes the copy of ``source`` should hold in ``lang``."""
    data = source.read_bytes()
    if render is None or source.suffix != ".ipynb":
        return data
    import nbformat

    from .nbread import parse_notebook

    nb = parse_notebook(data.decode("utf-8"))
    return nbformat.writes(render(nb, lang)).encode("utf-8")


def fingerprint(data: bytes, name: str) -> str:
    """What a student's change changes: a notebook's cell types and sources (outputs, counts and
    metadata left out, so running cells is not a change); any other file's bytes."""
    if name.endswith(".ipynb"):
        try:
            cells = json.loads(data.decode("utf-8"))["cells"]
            data = json.dumps(
                [[c.get("cell_type"), "".join(c.get("source", ""))] for c in cells],
                ensure_ascii=False,
            ).encode("utf-8")
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # not a readable notebook (a student's half-saved file): its bytes then
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` at once (a crash never leaves half a lesson)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sources(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not (set(p.relative_to(folder).parts) & SKIPPED)
    )


def _load_record(dest: Path) -> dict[str, str]:
    try:
        record = json.loads((dest / RECORD).read_text(encoding="utf-8"))
        files = record["files"]
        return {str(k): str(v) for k, v in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # no record (first run) or an unreadable one: every existing file is the student's


def sync(source: str | os.PathLike[str], dest: str | os.PathLike[str], lang: str | None = None) -> list[Outcome]:
    """Create or refresh the working copy ``dest`` of the lessons in ``source``; returns what
    happened to each file. Nothing the student changed is overwritten, and nothing is deleted."""
    src, out = Path(source), Path(dest)
    lang = lang or lesson_language()
    if not src.is_dir():
        raise WorkingCopyError(t("lab.no_source", lang=lang, path=src))
    if out.exists() and not out.is_dir():
        raise WorkingCopyError(t("lab.dest_is_file", lang=lang, path=out))
    render = _renderer()
    record = _load_record(out)
    written: dict[str, str] = {}
    outcomes = []
    for path in _sources(src):
        rel = path.relative_to(src).as_posix()
        target = out / rel
        data = _rendered(path, lang, render)
        new = fingerprint(data, rel)
        last = record.get(rel)  # what this step wrote the last time
        if not target.is_file():
            _write(target, data)
            action, written[rel] = ("restored" if last else "copied"), new
        else:
            mine = fingerprint(target.read_bytes(), rel)
            if last is not None and mine == last and new != last:
                _write(target, data)  # untouched by the student: refresh
                action, written[rel] = "updated", new
            elif mine == new:
                action, written[rel] = "unchanged", new
            else:  # the student's: keep it, and keep remembering what we wrote
                action = "kept" if new == last else "kept_outdated"
                if last is not None:
                    written[rel] = last
        outcomes.append(Outcome(rel, action))
    # files of lessons that are gone from the source keep their record (they are still ours)
    written = {**{k: v for k, v in record.items() if k not in written}, **written}
    _write(out / RECORD, (json.dumps({"files": dict(sorted(written.items()))}, indent=1) + "\n").encode())
    return outcomes


def report(outcomes: Sequence[Outcome], source: str, dest: str, lang: str, rendered: bool) -> list[str]:
    """The lines ``make lab`` prints: one per lesson something happened to, then a summary;
    the header names the language when the lessons were rendered in one."""
    key = "lab.copy_header_language" if rendered else "lab.copy_header"
    lines = [t(key, lang=lang, dest=dest, source=source, language=t(f"lab.language_{lang}", lang=lang))]
    lines += [
        "  " + t(f"lab.copy_{o.action}", lang=lang, name=o.path, dest=dest)
        for o in outcomes if o.action != "unchanged"
    ]
    same = sum(o.action == "unchanged" for o in outcomes)
    if same:
        lines.append("  " + t("lab.copy_unchanged_count", lang=lang, count=same))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m qlab.working_copy SOURCE DEST``; ``--language`` prints the language only."""
    lang = lesson_language()
    parser = argparse.ArgumentParser(
        prog="python -m qlab.working_copy", description=t("lab.help", lang=lang))
    parser.add_argument("source", nargs="?", help=t("lab.help_source", lang=lang))
    parser.add_argument("dest", nargs="?", help=t("lab.help_dest", lang=lang))
    parser.add_argument("--language", action="store_true", help=t("lab.help_language", lang=lang))
    args = parser.parse_args(argv)
    if args.language:
        print(lang)
        return 0
    if not (args.source and args.dest):
        parser.error(t("lab.need_folders", lang=lang))
    try:
        outcomes = sync(args.source, args.dest, lang)
    except (QlabError, OSError) as exc:
        print(f"qlab: {exc}", file=sys.stderr)
        return 2
    lines = report(outcomes, args.source.rstrip("/"), args.dest.rstrip("/"), lang, _renderer() is not None)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
