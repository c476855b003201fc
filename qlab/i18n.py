"""One message catalog for everything qlab says: English and Korean.

Messages live in ``qlab/messages/<area>.<lang>.json`` (one flat ``key -> text`` object per file;
areas keep the files small and let each part of qlab own its own file). Texts are
``str.format`` templates. The language comes from ``qlab.set_language("ko")``, else the
environment variable ``QLAB_LANG`` (``en`` or ``ko``), else the language of the notebook the kernel
runs (``metadata.qlab.lang``, which :func:`qlab.course.bilingual.render` writes into a student's
copy of a lesson, so a Korean lesson gets Korean feedback); English is the default.

>>> from qlab.i18n import t
>>> t("device.unknown", name="ionq", known="ideal, ionq-aria", suggestion="ionq-aria")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "ko")
_current: str | None = None


def set_language(lang: str) -> None:
    """Switch every qlab message to ``lang`` (``"en"`` or ``"ko"``) for this Python session."""
    global _current
    lang = (lang or "").strip().lower()
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; qlab speaks: {', '.join(LANGUAGES)}")
    _current = lang


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Speak ``lang`` inside the ``with`` block (nothing changes for ``None``), then go back to
    whatever was in force before: the ``qlab`` command runs under its ``--lang`` this way."""
    global _current
    before = _current
    if lang:
        set_language(lang)
    try:
        yield
    finally:
        _current = before


def get_language() -> str:
    """The language in force: ``set_language`` first, then ``QLAB_LANG``, then the running
    notebook's ``metadata.qlab.lang``, then English."""
    if _current:
        return _current
    env = os.environ.get("QLAB_LANG", "").strip().lower()[:2]
    if env in LANGUAGES:
        return env
    lang = str(notebook_metadata().get("lang", "")).strip().lower()[:2]
    return lang if lang in LANGUAGES else "en"


ENV_NOTEBOOK = "JPY_SESSION_NAME"  # JupyterLab passes the path of the notebook a kernel runs


def notebook_metadata(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """``metadata.qlab`` of the notebook at ``path`` (default: the one the kernel runs, from
    ``JPY_SESSION_NAME``); ``{}`` when there is no such notebook or field. Re-read only when the
    file changes (its modification time or size)."""
    raw = path if path is not None else os.environ.get(ENV_NOTEBOOK, "")
    if not raw:
        return {}
    for candidate in (Path(raw), Path.cwd() / Path(raw).name):
        try:
            stat = candidate.stat()
        except OSError:
            continue
        return dict(_read_qlab_metadata(str(candidate), (stat.st_mtime_ns, stat.st_size)))
    return {}


@lru_cache(maxsize=8)
def _read_qlab_metadata(path: str, stamp: tuple[int, int]) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    meta = data.get("metadata", {}) if isinstance(data, dict) else {}
    own = meta.get("qlab") if isinstance(meta, dict) else None
    return own if isinstance(own, dict) else {}


@cache
def catalog(lang: str) -> dict[str, str]:
    """All messages of one language, merged from every area file."""
    merged: dict[str, str] = {}
    folder = resources.files("qlab") / "messages"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = entry.name
        if name.endswith(f".{lang}.json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            clash = set(data) & set(merged)
            if clash:
                raise RuntimeError(f"message keys defined twice ({name}): {sorted(clash)}")
            merged.update(data)
    return merged


def t(key: str, /, lang: str | None = None, **fields: object) -> str:
    """The message ``key`` in the current language, with ``fields`` filled in.

    A key missing from the language falls back to English; a key missing everywhere is a bug in
    qlab, and the test suite checks that none is.
    """
    lang = lang or get_language()
    text = catalog(lang).get(key) or catalog("en").get(key)
    if text is None:
        raise KeyError(f"qlab has no message {key!r}")
    if not fields:
        return text
    return _PLURALS.format(text, **fields) if "|" in text else text.format(**fields)


class _PluralFormatter(string.Formatter):
    """``str.format`` plus one extra: a field whose format spec holds ``|`` picks a word by number.

    ``"Graded {n} {n:submission|submissions}"`` reads "Graded 1 submission" and "Graded 3
    submissions": the text before the bar when the value is 1 (a number, or a string such as
    ``"1"`` or ``"1.0"``), the text after it otherwise. Korean needs no plural and writes
    ``"제출물 {n}개를 채점했습니다"``; both languages keep the same placeholders.
    """

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            one, other = format_spec.split("|", 1)
            return one if is_one(value) else other
        return super().format_field(value, format_spec)


_PLURALS = _PluralFormatter()


def is_one(value: object) -> bool:
    """Whether ``value`` counts as exactly one (``1``, ``1.0``, ``"1"``, ``"1.00"``)."""
    try:
        return float(str(value).strip()) == 1.0
    except ValueError:
        return False
