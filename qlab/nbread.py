"""Reading a notebook's text as nbformat 4, quietly and without touching the file.

Notebooks of format 4.5 and later give every cell an ``id``; a notebook written by an older tool,
by hand or by a script often has none, and nbformat then prints a ``MissingIDFieldWarning`` on
every read and write ("this will become a hard error"), which tells an instructor or a student
nothing they can act on. :func:`parse_notebook` gives each such cell an id in the copy it returns
(``cell-<n>``, unique in the notebook), so nothing downstream warns either; the file on disk is
never changed.
"""

from __future__ import annotations

import json
import re
from typing import Any

_VALID_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


def with_cell_ids(raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` (a decoded notebook) with an id on every cell that needs one and lacks it: a
    notebook of format 4.5 or later only (older formats have no ids). Changes ``raw`` itself, which
    callers pass as their own copy; returns it."""
    cells = raw.get("cells")
    if raw.get("nbformat") != 4 or not isinstance(raw.get("nbformat_minor"), int) \
            or raw["nbformat_minor"] < 5 or not isinstance(cells, list):
        return raw
    taken = {c.get("id") for c in cells if isinstance(c, dict)}
    counter = 0
    for cell in cells:
        if not isinstance(cell, dict) or isinstance(cell.get("id"), str) and _VALID_ID.match(cell["id"]):
            continue
        while f"cell-{counter}" in taken:
            counter += 1
        cell["id"] = f"cell-{counter}"
        taken.add(cell["id"])
    return raw


def parse_notebook(text: str) -> Any:
    """The notebook in ``text`` as an nbformat 4 ``NotebookNode`` (older formats converted), every
    cell with an id. Raises what ``json`` or ``nbformat`` raise for text that is not a notebook."""
    import nbformat

    raw = json.loads(text)
    if isinstance(raw, dict):
        raw = with_cell_ids(raw)
    return nbformat.reads(json.dumps(raw), as_version=4)
