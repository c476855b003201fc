"""The course's Korean glossary (``glossary.json``) and registers, as checks any text can go through.

``glossary.json`` fixes one Korean term per concept and lists the variants it rules out
(텔레포테이션, not 순간이동; 잡음, not 노이즈; ...), and it states the register of each kind of
text: lessons in 합니다체, what a student reads in the notebook (the feedback of ``qlab.check``, the
errors of ``qlab.run``, ...) in 해요체, instructors' notes and what the command-line tools print in
합니다체. Each message catalog ``qlab/messages/<area>.ko.json`` is one kind of text
(``catalogs.areas``), so :func:`catalog_register` names the register all its messages keep.

>>> [v.found for v in variants("양자 순간이동은 노이즈에 약합니다.")]
['순간이동', '노이즈']
>>> register_of("상태가 일치해요.")
'해요체'
>>> catalog_register("run"), catalog_register("grade")
('해요체', '합니다체')
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cache
from importlib import resources
from typing import Any

# A sentence ends in 합니다체 with -ㅂ니다/-습니다 (or the question -ㅂ니까?, the request -십시오);
# in 해요체 with -요 (or its contraction -죠). An ending is not followed by another syllable;
# 필요/중요/개요/주요 are nouns that end in 요, not verb endings.
HAMNIDA = re.compile(r"(?:니다|십시오)(?![가-힣])|니까\?")
HAEYO = re.compile(r"(?<![필중개주소수])요(?![가-힣])|죠(?![가-힣])")


@dataclass(frozen=True)
class Variant:
    """An avoided variant found in a text: what was found, and the glossary's term for it."""

    found: str
    concept: str
    preferred: str


@cache
def load() -> dict[str, Any]:
    """The glossary as stored: ``about``, ``registers``, ``catalogs`` and ``terms``."""
    text = (resources.files("qlab") / "course" / "glossary.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    return tuple(
        (re.compile(pattern), term["en"], term["ko"])
        for term in load()["terms"]
        for pattern in term.get("avoid", [])
    )


def terms() -> dict[str, str]:
    """``{concept (English): Korean term}``."""
    return {term["en"]: term["ko"] for term in load()["terms"]}


def variants(text: str) -> list[Variant]:
    """Every avoided variant in ``text``, in order of appearance."""
    found = [
        (m.start(), Variant(m.group(0), concept, preferred))
        for pattern, concept, preferred in _patterns()
        for m in pattern.finditer(text)
    ]
    return [v for _, v in sorted(found, key=lambda item: item[0])]


def register_of(text: str) -> str | None:
    """``"합니다체"``, ``"해요체"``, ``"mixed"`` (both endings in one text) or ``None`` (no
    sentence ending of either kind, e.g. a title or a bare formula)."""
    formal, polite = bool(HAMNIDA.search(text)), bool(HAEYO.search(text))
    if formal and polite:
        return "mixed"
    return "합니다체" if formal else "해요체" if polite else None


def register(kind: str) -> str:
    """The register the glossary fixes for ``kind`` (``lessons``, ``feedback``, ...)."""
    return load()["registers"][kind]["register"]


def catalog_register(area: str) -> str | None:
    """The register every message of the catalog ``area`` (``run`` for ``run.ko.json``) keeps, from
    the kind of text ``catalogs.areas`` gives it (a pattern such as ``lesson*`` covers many areas);
    ``None`` for a catalog the glossary has not placed yet."""
    areas = load()["catalogs"]["areas"]
    kind = areas.get(area) or next((k for p, k in areas.items() if fnmatchcase(area, p)), None)
    return None if kind is None else register(kind)


__all__ = ["Variant", "catalog_register", "load", "register", "register_of", "terms", "variants"]
