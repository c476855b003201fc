"""A lesson as plain text, each cell's English followed by its Korean: for authors and translators.

The notebook stays the one source (see :mod:`qlab.course.bilingual`); this is a view of it that
reads and diffs well, and that edits go back from::

    python -m qlab.course.sidebyside dump notebooks/03-entanglement-cirq.ipynb > 03.txt
    # ... edit 03.txt: English and Korean of each cell next to each other ...
    python -m qlab.course.sidebyside load 03.txt notebooks/03-entanglement-cirq.ipynb

The text is a list of cells. A line ``::: markdown <id>`` or ``::: code <id>`` starts a cell and
its English (or its code); a line ``::: ko`` starts that cell's Korean (for code: an optional
variant that differs only in strings and comments). ``load`` keeps each cell's other metadata and,
for a cell whose code did not change, its stored output, from the notebook it writes over.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

from .bilingual import META_KEY, translation

MARK = ":::"
_HEAD = re.compile(r"^::: (markdown|code) (\S+)\s*$")
_KO = "::: ko"


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def dump(nb: dict) -> str:
    """The side-by-side text of the lesson ``nb``."""
    parts: list[str] = []
    for i, cell in enumerate(nb["cells"]):
        kind = cell["cell_type"]
        if kind not in ("markdown", "code"):
            raise ValueError(f"cell {i}: {kind} cells have no place in a lesson")
        cid = cell.get("id") or f"cell-{i:02d}"
        english = _text(cell.get("source"))
        korean = translation(cell, "ko")
        for block in (english, korean or ""):
            bad = [line for line in block.splitlines() if line.startswith(MARK)]
            if bad:
                raise ValueError(f"cell {cid}: a line starts with {MARK!r}: {bad[0]!r}")
        parts.append(f"{MARK} {kind} {cid}\n{english}\n")
        if korean is not None:
            parts.append(f"{_KO}\n{korean}\n")
    return "".join(parts)


def _blocks(text: str) -> list[tuple[str, str, str, str | None]]:
    cells: list[tuple[str, str, str, str | None]] = []
    kind = cid = None
    english: list[str] = []
    korean: list[str] | None = None
    for line in text.splitlines():
        head = _HEAD.match(line)
        if head or line.rstrip() == _KO:
            if head:
                if kind is not None:
                    cells.append(_close(kind, cid, english, korean))
                kind, cid = head.group(1), head.group(2)
                english, korean = [], None
            else:
                if kind is None or korean is not None:
                    raise ValueError(f"'{_KO}' without a cell, or twice in cell {cid}")
                korean = []
            continue
        if kind is None:
            if line.strip():
                raise ValueError(f"text before the first cell: {line!r}")
            continue
        (english if korean is None else korean).append(line)
    if kind is not None:
        cells.append(_close(kind, cid, english, korean))
    return cells


def _close(kind: str, cid: str, english: list[str], korean: list[str] | None):
    def block(lines: list[str]) -> str:
        return "\n".join(lines).rstrip()

    return kind, cid, block(english), None if korean is None else block(korean)


def load(text: str, base: dict | None = None) -> dict:
    """The notebook the side-by-side ``text`` describes; ``base`` (the notebook it replaces)
    lends its notebook metadata, each cell's other metadata and unchanged cells' outputs (with
    their execution counts)."""
    old = {c.get("id"): c for c in (base or {}).get("cells", [])}
    cells = []
    seen: set[str] = set()
    for kind, cid, english, korean in _blocks(text):
        if cid in seen:
            raise ValueError(f"cell id {cid} appears twice")
        seen.add(cid)
        prior = old.get(cid, {})
        meta = copy.deepcopy(prior.get("metadata", {})) if prior.get("cell_type") == kind else {}
        own = {k: v for k, v in (meta.pop(META_KEY, None) or {}).items() if k not in ("ko", "en")}
        if korean is not None:
            own["ko"] = korean.splitlines(keepends=True)  # lines, as a cell's source: diffs well
        if own:
            meta[META_KEY] = own
        cell: dict[str, Any] = {"cell_type": kind, "id": cid, "metadata": meta, "source": english}
        if kind == "code":
            same = prior.get("cell_type") == "code" and _text(prior.get("source")) == english
            cell["outputs"] = copy.deepcopy(prior.get("outputs", [])) if same else []
            # a stored output keeps its count: nbval skips a reference cell without one
            cell["execution_count"] = prior.get("execution_count") if cell["outputs"] else None
        cells.append(cell)
    metadata = copy.deepcopy((base or {}).get("metadata")) or {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) == 2 and args[0] == "dump":
        sys.stdout.write(dump(json.loads(Path(args[1]).read_text(encoding="utf-8"))))
        return 0
    if len(args) == 3 and args[0] == "load":
        target = Path(args[2])
        base = json.loads(target.read_text(encoding="utf-8")) if target.exists() else None
        nb = load(Path(args[1]).read_text(encoding="utf-8"), base)
        import nbformat  # only the command line needs it: it validates and writes the usual layout

        nbformat.write(nbformat.from_dict(nb), str(target))
        return 0
    print("usage: python -m qlab.course.sidebyside dump LESSON.ipynb > LESSON.txt\n"
          "       python -m qlab.course.sidebyside load LESSON.txt LESSON.ipynb", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
