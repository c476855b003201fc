"""Every graded lab covers its lesson and is documented:

* one lab per lesson, 1 to 12 (`metadata.qlab.lesson` of each source), at least three of them in Cirq;
* each instructor's note states the lesson, the minutes a first-timer needs and how to grade, in
  English and in Korean, and every lab has a line in the README's lab list;
* every message key a lab's test cells use exists in English and Korean, and no `graded.*` message
  is left unused;
* the labs' Korean follows the course glossary and its registers.

That each lab is gradable (its solution passes every test through the isolated grader, the released
student copy fails every one, as `qlab validate` checks) is tested in tests/test_lab_answers.py, in
the same `qlab grade` run as the lab's other submissions: one run per lab instead of two.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from qlab.i18n import catalog

ROOT = Path(__file__).resolve().parents[1]
LABS = sorted(ROOT.glob("exercises/*/source.ipynb"))
KEY = re.compile(r"""["'](graded\.[a-z0-9_-]+\.[a-z0-9_-]+)["']""")


def test_there_are_labs():
    assert LABS, "no exercises/*/source.ipynb found"


def _meta(source: Path) -> dict:
    return json.loads(source.read_text(encoding="utf-8"))["metadata"].get("qlab", {})


def test_one_lab_per_lesson_and_three_in_cirq():
    lessons = sorted(_meta(p).get("lesson", 0) for p in LABS)
    assert lessons == list(range(1, 13)), f"lessons covered by labs: {lessons}"
    cirq_labs = [p.parent.name for p in LABS if "import cirq" in p.read_text(encoding="utf-8")]
    assert len(cirq_labs) >= 3, cirq_labs


@pytest.mark.parametrize("source", LABS, ids=lambda p: p.parent.name)
def test_instructors_note_in_both_languages(source: Path) -> None:
    note = (source.parent / "README.md").read_text(encoding="utf-8")
    lesson = _meta(source)["lesson"]
    english, _, korean = note.partition("## 한국어")
    assert korean, "the note has no Korean part (## 한국어: ...)"
    assert re.search(rf"\*\*Lesson:\*\* {lesson}\b", english) and re.search(rf"\*\*레슨:\*\* {lesson}\b", korean)
    assert re.search(r"Time a first-timer needs:\*\*\s+\d+\s+minutes", english)
    assert re.search(r"처음 배우는 학생의 소요 시간:\*\*\s+\d+분", korean)
    for heading in ("## Tests", "## Common mistakes", "## How to grade"):
        assert heading in english, heading
    for heading in ("### 테스트", "### 자주 하는 실수", "### 채점 방법"):
        assert heading in korean, heading
    minutes = re.search(r"Time a first-timer needs:\*\*\s+(\d+)\s+minutes", english).group(1)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next((ln for ln in readme.splitlines() if f"`exercises/{source.parent.name}/`" in ln), "")
    assert f"(lesson {lesson})" in line and f"{minutes} min)" in line, line


def test_every_lab_message_exists_and_is_used():
    used: set[str] = set()
    for source in LABS:
        for cell in nbformat.read(source, as_version=4).cells:
            used |= set(KEY.findall(cell.source))
    qlab_src = (ROOT / "qlab" / "exercise_bank" / "lab_checks.py").read_text(encoding="utf-8")
    used |= set(re.findall(r"""["'](graded\.[a-z_]+)["']""", qlab_src))
    for lang in ("en", "ko"):
        missing = sorted(k for k in used if k not in catalog(lang))
        assert not missing, f"{lang}: {missing}"
    defined = {k for k in catalog("en") if k.startswith("graded.")}
    assert sorted(defined - used) == [], "graded-lab messages no test cell uses"


def test_korean_follows_the_course_glossary_and_registers():
    """Feedback (graded.* messages) in 해요체, the labs' instructions and the instructors' notes in
    합니다체, and no term the course glossary rules out (qlab.course.glossary, from the lessons)."""
    glossary = pytest.importorskip("qlab.course.glossary")
    problems = []
    for key, text in catalog("ko").items():
        if key.startswith("graded."):
            problems += [f"{key}: '{v.found}' (glossary: {v.preferred})" for v in glossary.variants(text)]
            if glossary.register_of(text) not in (glossary.register("feedback"), None):
                problems.append(f"{key}: {glossary.register_of(text)}")
    for source in LABS:
        note = (source.parent / "README.md").read_text(encoding="utf-8").partition("## 한국어")[2]
        texts = [("README", line) for line in note.splitlines()]
        for cell in nbformat.read(source, as_version=4).cells:
            if cell.cell_type == "markdown":
                texts += [("notebook", part) for part in cell.source.split("\n\n") if re.search("[가-힣]", part)]
        for where, text in texts:
            problems += [f"{source.parent.name} {where}: '{v.found}' (glossary: {v.preferred})"
                         for v in glossary.variants(text)]
            if glossary.register_of(text) in ("해요체", "mixed"):
                problems.append(f"{source.parent.name} {where}: {glossary.register_of(text)}: {text[:60]}")
    assert not problems, "\n".join(problems)
