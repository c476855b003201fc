"""The message catalog: every key in both languages, the same placeholders, no empty text, and
every key the code asks for exists."""

from __future__ import annotations

import json
import re
import string
from importlib import resources
from pathlib import Path

import pytest

import qlab
from qlab import exercise_bank, i18n

MESSAGES = Path(str(resources.files("qlab") / "messages"))
QLAB_SRC = Path(qlab.__file__).parent


def areas() -> list[str]:
    return sorted({p.name.split(".")[0] for p in MESSAGES.glob("*.json")})


def load(area: str, lang: str) -> dict[str, str]:
    path = MESSAGES / f"{area}.{lang}.json"
    assert path.is_file(), f"{path.name} is missing"
    return json.loads(path.read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


@pytest.mark.parametrize("area", areas())
def test_area_has_the_same_keys_in_every_language(area):
    en, ko = load(area, "en"), load(area, "ko")
    assert sorted(set(en) - set(ko)) == [], "missing in Korean"
    assert sorted(set(ko) - set(en)) == [], "missing in English"


@pytest.mark.parametrize("area", areas())
def test_placeholders_match_and_no_text_is_empty(area):
    en, ko = load(area, "en"), load(area, "ko")
    for key in en:
        assert isinstance(en[key], str) and en[key].strip(), f"{key}: empty English text"
        assert isinstance(ko.get(key), str) and ko[key].strip(), f"{key}: empty Korean text"
        assert placeholders(en[key]) == placeholders(ko[key]), key


def test_no_key_is_defined_in_two_areas():
    for lang in i18n.LANGUAGES:
        i18n.catalog.cache_clear()
        i18n.catalog(lang)  # raises on a clash


def test_every_literal_key_used_in_the_code_exists():
    used = set()
    # a whole literal key: t("area.key", ...) or t("area.key"); built keys (f-strings, "a." + b)
    # are covered by the tests of their own area
    pattern = re.compile(r"""\bt\(\s*["']([a-z0-9_-]+(?:\.[a-zA-Z0-9_-]+)+)["']\s*[,)]""")
    for path in QLAB_SRC.rglob("*.py"):
        used |= set(pattern.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan found no keys: the pattern is broken"
    for lang in i18n.LANGUAGES:
        missing = sorted(k for k in used if k not in i18n.catalog(lang))
        assert missing == [], f"{lang}: {missing}"


def test_every_exercise_has_a_title_and_its_hints_in_both_languages():
    for lang in i18n.LANGUAGES:
        cat = i18n.catalog(lang)
        for ex_id in exercise_bank.exercise_ids():
            ex = exercise_bank.get(ex_id)
            assert 2 <= ex.hints <= 3, ex_id
            keys = [f"check.ex.{ex_id}.title"] + [
                f"check.ex.{ex_id}.hint{k}" for k in range(1, ex.hints + 1)
            ]
            assert all(k in cat for k in keys), (lang, ex_id)
            assert f"check.ex.{ex_id}.hint{ex.hints + 1}" not in cat  # no orphan hint


def test_dynamic_resource_keys_exist():
    for key in ("two_qubit", "depth", "width"):
        assert f"check.res.{key}" in i18n.catalog("en")


def test_switching_language():
    i18n.set_language("ko")
    try:
        assert i18n.t("check.pass") == "정답이에요!"
    finally:
        i18n._current = None
    assert i18n.t("check.pass") == "Correct!"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_counts_take_the_singular_for_one_in_english_and_korean_keeps_one_form():
    t = i18n.t
    assert t("grade.hidden_note", lang="en", points=1) == (
        "# Hidden tests (1 point) run here when your notebook is graded.")
    assert t("grade.hidden_note", lang="en", points="2.5").startswith("# Hidden tests (2.5 points)")
    one = dict(seconds="1.0", gradebook="g.csv", mean="1.00", max="3")
    assert t("grade.done", lang="en", n=1, **one) == (
        "Graded 1 submission in 1.0 s; mean score 1.00/3. Gradebook: g.csv")
    assert t("grade.done", lang="en", n=12, **one).startswith("Graded 12 submissions in")
    assert t("grade.done", lang="ko", n=1, **one).startswith("제출물 1개를 1.0초에 채점했습니다")
    assert t("grade.sum_scores", lang="en", n=1, mean=1, median=1, max=1) == (
        "1 submission; mean 1, median 1 of 1 point.")
    assert t("grade.done_missing", lang="en", n=1, names="bob") == (
        "1 named submission does not exist (it has a row with 0 points): bob")
    assert t("grade.done_missing", lang="en", n=2, names="a, b") == (
        "2 named submissions do not exist (each has a row with 0 points): a, b")
    assert t("grade.note_all_cells_raised", lang="en", count=1).startswith("Your only cell raised an error")
    assert t("grade.note_all_cells_raised", lang="en", count=4).startswith("Every one of your 4 cells raised")
    assert t("kit.score_start", lang="en", count=1, title="T", seconds=1, mb=2).startswith(
        "Scoring 1 submission for 'T'")
    assert t("grade.val_bad", lang="en", n=1) == "NOT valid: 1 problem above."


def test_no_english_message_hedges_a_count_with_a_parenthesised_plural():
    """"1 submission(s)" reads as careless: a count picks its word with {n:one|other}."""
    hedged = {k: v for k, v in i18n.catalog("en").items() if re.search(r"\{\w+\}( [\w-]+)+\(s\)", v)}
    assert hedged == {}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_plural_choice_formats_for_one_and_for_many(lang):
    for key, text in i18n.catalog(lang).items():
        if not re.search(r"\{\w+:[^{}]*\|", text):
            continue
        fields = {name: 1 for name in placeholders(text)}
        single = i18n.t(key, lang=lang, **fields)
        many = i18n.t(key, lang=lang, **{name: 2 for name in fields})
        assert "|" not in single and "|" not in many and single != many, key


def test_a_one_in_a_figure_or_a_check_reads_singular():
    assert i18n.t("grade.hist_x", lang="en", max=1) == "score (of 1 point)"
    assert i18n.t("check.res.width", lang="en", got=1, allowed=0) == "The circuit uses 1 qubit; the budget is 0."
    assert i18n.t("graded.first.anti-width", lang="en", got=1).endswith("it has 1 qubit.")
    assert i18n.t("plan.why_small", lang="en", qubits=1, min=14).startswith("Ideal, 1 qubit (fewer than 14)")
    assert i18n.t("plan.why_small", lang="en", qubits=3, min=14).startswith("Ideal, 3 qubits (fewer than 14)")
