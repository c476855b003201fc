"""One source per lesson, two languages: render a single-language notebook for a student.

A lesson in ``notebooks/`` is written once. Each **markdown** cell holds its English text as the
cell's source and its Korean text in the cell's metadata::

    {"cell_type": "markdown", "source": "## 3. What makes it entangled?",
     "metadata": {"qlab": {"ko": "## 3. 무엇이 얽힘을 만드는가?"}}}

A **code** cell may carry a Korean variant the same way (``metadata.qlab.ko``) when it prints
words a student reads; the variant differs from the English code only in its strings and comments
(``tests/test_course.py`` compares the two programs with every string and comment blanked), so
the two languages run the same computation and cannot drift apart. Cells whose output nbval
compares (``# NBVAL_CHECK_OUTPUT``) have no variant.

:func:`render` is what the working copy of ``make lab`` calls with the student's language::

    import json, nbformat
    from qlab.course.bilingual import render
    nb = nbformat.read("notebooks/03-entanglement-cirq.ipynb", as_version=4)
    nbformat.write(render(nb, "ko"), "lessons/03-entanglement-cirq.ipynb")

This module imports the standard library only (a notebook is a dict; ``nbformat`` nodes are
dicts too), so calling it costs nothing at start-up.
"""

from __future__ import annotations

import copy
from typing import Any

LANGUAGES = ("en", "ko")  # "en" lives in the cell source; every other language in the metadata
SOURCE_LANGUAGE = "en"
META_KEY = "qlab"  # cell.metadata.qlab.<lang>; nb.metadata.qlab.lang after rendering


def normalise_language(lang: str | None) -> str:
    """``"ko"``, ``"ko_KR.UTF-8"``, ``"KO"`` -> ``"ko"``; anything not offered (``"C"``, ``""``,
    ``None``, ``"fr_FR"``) -> ``"en"``, the language every lesson is complete in."""
    code = (lang or "").strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in LANGUAGES else SOURCE_LANGUAGE


def _source(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def translation(cell: Any, lang: str) -> str | None:
    """The cell's text in ``lang`` (``None`` when it has none; English is the source itself)."""
    if lang == SOURCE_LANGUAGE:
        return _source(cell)
    meta = cell.get("metadata", {}).get(META_KEY, {})
    text = meta.get(lang) if isinstance(meta, dict) else None
    if isinstance(text, list):
        text = "".join(text)
    return text if isinstance(text, str) else None


def render(nb: Any, lang: str) -> Any:
    """A copy of the bilingual lesson ``nb`` in one language, for a student to work in.

    Contract:

    * ``nb`` (an ``nbformat.NotebookNode`` or a plain notebook dict, format 4) is not modified.
    * ``lang`` is a language code or a locale (``"ko"``, ``"ko_KR.UTF-8"``, ``"en"``); one this
      course does not offer gives English (see :func:`normalise_language`).
    * Every markdown cell's source becomes its text in that language; a code cell's source becomes
      its variant in that language when it has one (its stale outputs are cleared), otherwise it
      stays as it is. A cell without a translation keeps its English (the tests make sure no
      lesson has such a markdown cell).
    * The translations are removed from the copy's cell metadata (the copy is single-language;
      other metadata, cell ids and order are kept), and the copy records its language in
      ``metadata.qlab.lang`` (other ``metadata.qlab`` fields, such as a student id, are kept).
    * Rendering a rendered notebook again changes nothing but ``metadata.qlab.lang``.
    """
    target = normalise_language(lang)
    out = copy.deepcopy(nb)
    for cell in out.get("cells", []):
        text = translation(cell, target)
        if text is not None and text != _source(cell):
            cell["source"] = text
            if cell.get("cell_type") == "code":
                cell["outputs"] = []
                cell["execution_count"] = None
        meta = cell.get("metadata", {})
        own = meta.get(META_KEY)
        if isinstance(own, dict):
            for code in LANGUAGES:
                own.pop(code, None)
            if not own:
                del meta[META_KEY]
    nb_meta = out.setdefault("metadata", {})
    qlab_meta = nb_meta.get(META_KEY)
    if not isinstance(qlab_meta, dict):
        qlab_meta = {}
    nb_meta[META_KEY] = {**qlab_meta, "lang": target}
    return out


def missing(nb: Any, lang: str = "ko") -> list[int]:
    """Indices of the markdown cells of ``nb`` that have no text in ``lang``."""
    return [
        i
        for i, cell in enumerate(nb.get("cells", []))
        if cell.get("cell_type") == "markdown" and not (translation(cell, lang) or "").strip()
    ]


__all__ = ["LANGUAGES", "missing", "normalise_language", "render", "translation"]
