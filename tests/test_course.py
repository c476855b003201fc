"""The course as a whole: every lesson in both languages from one source, Korean that keeps the
glossary's terms and one register, honest minutes, prerequisites that point backwards, and the
render function the working copy of `make lab` calls.

Nothing here runs a lesson (nbval does that); everything is read from the committed notebooks.
"""

from __future__ import annotations

import ast
import copy
import io
import json
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from qlab.course import bilingual, glossary, sidebyside, timing

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(ROOT.glob("notebooks/[0-9][0-9]*-*.ipynb"))
HANGUL = re.compile(r"[가-힣]")
EN_TIME = re.compile(r"\*\*Time:\*\* about (\d+) minutes")
KO_TIME = re.compile(r"\*\*소요 시간:\*\* 약 (\d+)분")
EN_BEFORE = re.compile(r"\*\*Before:\*\*([^\n]*)")
LESSON_NUMBER = re.compile(r"^(\d\d)")


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def ids(paths):
    return [p.name for p in paths]


# ---- render: the contract the working copy of `make lab` relies on ------------------------------


def _tiny() -> dict:
    return {
        "cells": [
            {"cell_type": "markdown", "id": "a", "source": "# Hello",
             "metadata": {"qlab": {"ko": ["# 안녕", "하세요"]}, "tags": ["keep"]}},
            {"cell_type": "code", "id": "b", "source": "print('hi')  # greet",
             "metadata": {"qlab": {"ko": "print('안녕')  # greet"}},
             "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi\n"}],
             "execution_count": 3},
            {"cell_type": "code", "id": "c", "source": "x = 1", "metadata": {},
             "outputs": [], "execution_count": None},
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "qlab": {"student_id": "kim"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_render_korean_swaps_text_and_keeps_everything_else():
    nb = _tiny()
    before = copy.deepcopy(nb)
    ko = bilingual.render(nb, "ko_KR.UTF-8")
    assert nb == before, "render must not modify its input"
    md, code, plain = ko["cells"]
    assert md["source"] == "# 안녕하세요" and md["metadata"] == {"tags": ["keep"]}
    assert code["source"] == "print('안녕')  # greet"
    assert code["outputs"] == [] and code["execution_count"] is None  # stale English output gone
    assert plain["source"] == "x = 1"
    assert [c["id"] for c in ko["cells"]] == ["a", "b", "c"]
    assert ko["metadata"]["qlab"] == {"student_id": "kim", "lang": "ko"}
    assert bilingual.render(ko, "ko") == ko  # idempotent


@pytest.mark.parametrize("lang", ["en", "en_US.UTF-8", "C", "", None, "fr_FR", "EN"])
def test_render_english_or_unknown_gives_the_english_lesson(lang):
    en = bilingual.render(_tiny(), lang)
    assert [text(c) for c in en["cells"]] == ["# Hello", "print('hi')  # greet", "x = 1"]
    assert en["cells"][1]["outputs"], "English code keeps its output"
    assert all("qlab" not in c["metadata"] for c in en["cells"])
    assert en["metadata"]["qlab"]["lang"] == "en"


def test_render_works_on_nbformat_nodes():
    nbformat = pytest.importorskip("nbformat")
    node = nbformat.from_dict(_tiny())
    out = bilingual.render(node, "ko")
    assert isinstance(out, nbformat.NotebookNode)
    nbformat.validate(out)


def test_course_modules_import_nothing_heavy():
    probe = (
        "import sys, qlab.course.bilingual, qlab.course.glossary, qlab.course.timing; "
        "heavy = {'qiskit', 'cirq', 'numpy', 'nbformat', 'IPython', 'matplotlib', 'jupyter_client'}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---- every lesson: both languages, one source ---------------------------------------------------


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_every_markdown_cell_has_its_korean_text(path):
    nb = read(path)
    assert bilingual.missing(nb, "ko") == [], "markdown cells without Korean text (metadata.qlab.ko)"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown" and re.search(r"[A-Za-z]{3}", text(cell)):
            assert HANGUL.search(bilingual.translation(cell, "ko")), f"cell {i}: Korean text has no Korean"


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_korean_keeps_the_glossary_terms_and_the_lesson_register(path):
    nb = read(path)
    problems = []
    for i, cell in enumerate(nb["cells"]):
        ko = bilingual.translation(cell, "ko")
        if not ko:
            continue
        prose = ko if cell["cell_type"] == "markdown" else "\n".join(_strings(ko))
        for v in glossary.variants(prose):
            problems.append(f"cell {i}: '{v.found}' where the glossary says '{v.preferred}' ({v.concept})")
        if cell["cell_type"] == "markdown" and glossary.register_of(_no_code(prose)) in ("해요체", "mixed"):
            problems.append(f"cell {i}: lessons are written in {glossary.register('lessons')}")
    assert not problems, "\n".join(problems)


def _no_code(markdown: str) -> str:
    return re.sub(r"```.*?```|`[^`]*`", " ", markdown, flags=re.S)


def _strings(code: str) -> list[str]:
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            out.append(tok.string)
    return out


class _Blank(ast.NodeTransformer):
    """Every string constant becomes '' so that two programs compare by their logic alone (the
    values an f-string formats are kept, in any order)."""

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return ast.copy_location(ast.Constant(""), node) if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        # an f-string keeps its formatted values; their order may follow the language's word order
        values = [self.visit(v) for v in node.values if isinstance(v, ast.FormattedValue)]
        return ast.copy_location(ast.JoinedStr(sorted(values, key=ast.dump)), node)


def _logic(code: str) -> str:
    return ast.dump(_Blank().visit(ast.parse(code)))


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_korean_code_differs_only_in_strings_and_comments(path):
    for i, cell in enumerate(read(path)["cells"]):
        if cell["cell_type"] != "code" or bilingual.translation(cell, "ko") in (None, text(cell)):
            continue
        assert not text(cell).lstrip().startswith("# NBVAL_CHECK_OUTPUT"), (
            f"cell {i}: a cell whose output nbval compares has one language"
        )
        assert _logic(bilingual.translation(cell, "ko")) == _logic(text(cell)), (
            f"cell {i}: the Korean code must run the same program as the English"
        )


def test_korean_lessons_are_ruff_clean(tmp_path):
    for path in LESSONS:
        ko = bilingual.render(read(path), "ko")
        (tmp_path / path.name).write_text(json.dumps(ko, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config",
         str(ROOT / "pyproject.toml"), "--config",
         'lint.per-file-ignores = {"*.ipynb" = ["E402", "F401", "B018"]}',
         str(tmp_path)],
        capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_side_by_side_text_round_trips(path):
    nb = read(path)
    again = sidebyside.load(sidebyside.dump(nb), nb)
    assert [(c["cell_type"], c["id"], text(c), bilingual.translation(c, "ko")) for c in again["cells"]] == [
        (c["cell_type"], c["id"], text(c), bilingual.translation(c, "ko")) for c in nb["cells"]
    ]
    # a checked cell keeps its stored output and execution count through the round trip
    assert [(c.get("outputs"), c.get("execution_count")) for c in again["cells"]] == [
        (c.get("outputs"), c.get("execution_count")) for c in nb["cells"]
    ]


# ---- honest minutes and prerequisites -----------------------------------------------------------


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_stated_minutes_follow_the_timing_rule_and_stay_within_an_hour(path):
    nb = read(path)
    first = nb["cells"][0]
    en, ko = EN_TIME.search(text(first)), KO_TIME.search(bilingual.translation(first, "ko") or "")
    assert en and ko, "the first cell states **Time:** about N minutes (and **소요 시간:** 약 N분)"
    assert en[1] == ko[1], "both languages state the same time"
    work = timing.workload(nb)
    assert int(en[1]) == work.stated, f"{work} -> {work.minutes:.0f} min, so state {work.stated}"
    assert work.stated <= timing.MAX_MINUTES, "split a lesson that runs past an hour"


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_prerequisites_point_at_earlier_lessons(path):
    number = int(LESSON_NUMBER.match(path.name)[1])
    before = EN_BEFORE.search(text(read(path)["cells"][0]))
    assert before, "the first cell names what comes before (**Before:** ...)"
    named = [int(n) for n in re.findall(r"\b(\d{1,2})\b", before[1])]
    existing = {int(LESSON_NUMBER.match(p.name)[1]) for p in LESSONS}
    assert all(n in existing and n <= number for n in named), named


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_every_lesson_has_a_checked_try_it(path):
    sources = [text(c) for c in read(path)["cells"] if c["cell_type"] == "code"]
    assert any(re.search(r"^qlab\.check\(", s, re.M) for s in sources)


# ---- the glossary and the feedback register -----------------------------------------------------


def test_glossary_is_consistent():
    data = glossary.load()
    concepts = [t["en"] for t in data["terms"]]
    assert len(concepts) == len(set(concepts)), "a concept listed twice"
    for term in data["terms"]:
        assert HANGUL.search(term["ko"]), term
        assert not glossary.variants(term["ko"]), f"{term['ko']} is ruled out by another entry"
    for kind in ("lessons", "feedback", "instructor_notes"):
        assert glossary.register(kind) in ("합니다체", "해요체")


CATALOGS = sorted((ROOT / "qlab" / "messages").glob("*.ko.json"))


@pytest.mark.parametrize("path", CATALOGS, ids=ids(CATALOGS))
def test_every_message_keeps_its_catalogs_register_and_the_glossary(path):
    """One register per catalog (the glossary places every catalog), none mixed within a
    message, and no term the glossary rules out."""
    area = path.name.removesuffix(".ko.json")
    wanted = glossary.catalog_register(area)
    assert wanted in ("합니다체", "해요체"), f"glossary.json's catalogs.areas has no kind of text for '{area}'"
    messages = json.loads(path.read_text(encoding="utf-8"))
    problems = [
        f"{key}: {found}, but {area} messages are in {wanted}: {value}"
        for key, value in messages.items()
        if (found := glossary.register_of(value)) not in (wanted, None)
    ]
    problems += [
        f"{key}: '{v.found}' where the glossary says '{v.preferred}' ({v.concept})"
        for key, value in messages.items()
        for v in glossary.variants(value)
    ]
    assert not problems, "\n".join(problems)


def test_the_register_checks_catch_a_mixed_or_off_register_message():
    """The regexes the catalog test relies on: -세요 is 해요체 (합니다체 asks with -십시오), so a
    합니다체 message that ends in -세요 is mixed; nouns ending in 요 are no ending."""
    assert glossary.register_of("method='auto'를 쓰세요.") == "해요체"
    assert glossary.register_of("값이 없습니다. 값을 넣으세요.") == "mixed"
    assert glossary.register_of("값이 없습니다. 값을 넣으십시오.") == "합니다체"
    assert glossary.register_of("설치가 필요") is None
    assert glossary.catalog_register("lessonqec") == glossary.register("feedback")
    assert glossary.catalog_register("no-such-area") is None


def test_a_rendered_korean_lesson_gets_korean_feedback(tmp_path, monkeypatch):
    """The kernel of a student's Korean copy reads metadata.qlab.lang (JupyterLab passes the
    notebook's path as JPY_SESSION_NAME), so qlab.check answers in Korean without QLAB_LANG."""
    import qlab
    from qlab import i18n

    nb = bilingual.render(_tiny(), "ko")
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    assert i18n.get_language() == "ko"
    assert qlab.check("x-gate", [0, 1]).message.startswith("정답이에요!")
    monkeypatch.setenv("QLAB_LANG", "en")  # an explicit choice still wins
    assert i18n.get_language() == "en"
    path.write_text(json.dumps(bilingual.render(_tiny(), "en")), encoding="utf-8")
    monkeypatch.delenv("QLAB_LANG")
    assert i18n.get_language() == "en"  # re-read when the notebook changes


@pytest.mark.parametrize("path", LESSONS, ids=ids(LESSONS))
def test_cells_nbval_compares_keep_their_output_and_count(path):
    """nbval skips a reference cell without an execution count ("unrun reference cell")."""
    for i, cell in enumerate(read(path)["cells"]):
        if cell["cell_type"] == "code" and text(cell).lstrip().startswith("# NBVAL_CHECK_OUTPUT"):
            assert cell["outputs"] and cell.get("execution_count"), f"cell {i}"


def test_make_labs_working_copy_opens_the_lessons_in_the_students_language(tmp_path):
    """The copy make lab serves (qlab.working_copy) goes through render: in Korean, every markdown
    cell is its Korean text and the notebook records its language."""
    import shutil

    from qlab import working_copy

    src = tmp_path / "notebooks"
    src.mkdir()
    for name in ("01-getting-started.ipynb", "03-entanglement-cirq.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, src / name)
    working_copy.sync(src, tmp_path / "my-lessons", lang="ko")
    for name in ("01-getting-started.ipynb", "03-entanglement-cirq.ipynb"):
        original, copy = read(src / name), read(tmp_path / "my-lessons" / name)
        assert copy["metadata"]["qlab"]["lang"] == "ko"
        for a, b in zip(original["cells"], copy["cells"], strict=True):
            if a["cell_type"] == "markdown":
                assert text(b) == bilingual.translation(a, "ko")
