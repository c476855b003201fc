"""The feedback a student reads: ``feedback/<student>.md``, in English or Korean.

Public tests (the ones the student could run) and hidden tests are reported in separate sections,
each with its message, so nobody reads "all tests passed" while a hidden test failed. A test with
a visible and a hidden part appears in both sections, one line per part. Notes explain anything
the grader had to work around (a deleted answer cell, a time limit, a replaced ``qlab.check``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..i18n import t
from .nbio import atomic_write


def note_text(key: str, fields: dict[str, Any], lang: str | None = None) -> str:
    """One note of a gradebook row as text in ``lang``."""
    return t(key, lang=lang, **fields)


def part_message(part: dict[str, Any], lang: str | None = None) -> str:
    """Why one part of a test failed, for the student: the check's message or the failing line."""
    if part["outcome"] == "passed":
        return ""
    if part["outcome"] == "not_run":
        return t(f"grade.part_{part.get('reason') or 'not_run'}", lang=lang)
    if part.get("reason") == "after_timeout":
        prefix = t("grade.part_after_timeout", lang=lang) + " "
    else:
        prefix = ""
    err = part.get("error") or {}
    if err.get("timeout"):
        return t("grade.part_timeout", lang=lang)
    ename, evalue, line = err.get("ename", ""), err.get("evalue", "").strip(), err.get("line", "")
    if ename == "AssertionError" and not evalue:
        return prefix + t("grade.part_assert_failed", lang=lang, line=line or "assert")
    if ename == "AssertionError":
        return prefix + evalue
    if ename == "NotImplementedError" and not evalue:
        return prefix + t("grade.part_not_implemented", lang=lang)
    return prefix + t("grade.part_error", lang=lang, ename=ename or "Error", evalue=evalue or line)


def _md(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("|", "\\|")).strip()


def render_feedback(row: dict[str, Any], tests: list[Any], *, lang: str | None = None,
                    assignment: str = "") -> str:
    """The Markdown feedback of one gradebook row."""
    lines = [t("grade.fb_title", lang=lang, assignment=assignment, student=row["student_id"]), ""]
    lines.append(t("grade.fb_score", lang=lang, score=f"{row['score']:g}", total=f"{row['max_score']:g}"))
    if row["status"] != "ok":
        lines.append("")
        lines.append(t("grade.fb_status", lang=lang, status=t(f"grade.status_name_{row['status']}", lang=lang)))
    for section, part in (("public", "public"), ("hidden", "hidden")):
        entries = [(s, row["tests"][s.grade_id]) for s in tests if part in s.parts]
        if not entries:
            continue
        passed = sum(1 for _, r in entries if r["parts"][part]["outcome"] == "passed")
        lines += ["", t(f"grade.fb_section_{section}", lang=lang, passed=passed, total=len(entries)), ""]
        lines.append(t("grade.fb_table_head", lang=lang))
        lines.append("|---|---|---|---|")
        for spec, result in entries:
            p = result["parts"][part]
            mark = "✅" if p["outcome"] == "passed" else "❌"
            label = spec.grade_id if spec.kind != "mixed" else t(
                f"grade.fb_part_{part}", lang=lang, grade_id=spec.grade_id)
            lines.append(f"| {label} | {mark} | {result['earned']:g}/{result['points']:g} | "
                         f"{_md(part_message(p, lang))} |")
    if any(s.kind == "mixed" for s in tests):
        lines += ["", t("grade.fb_mixed_rule", lang=lang)]
    if row.get("answer_errors"):
        lines += ["", t("grade.fb_answer_errors", lang=lang), ""]
        for err in row["answer_errors"]:
            lines.append(f"- `{err['grade_id']}`: {_md(err['ename'] + ': ' + err['evalue'])}")
    if row["notes"]:
        lines += ["", t("grade.fb_notes", lang=lang), ""]
        lines += [f"- {_md(note_text(key, fields, lang))}" for key, fields in row["notes"]]
    return "\n".join(lines) + "\n"


def write_feedback(row: dict[str, Any], tests: list[Any], folder: Path, *, lang: str | None = None,
                   assignment: str = "") -> Path:
    """Write ``folder/<student>.md`` (atomically) and return its path."""
    name = re.sub(r"[^A-Za-z0-9_.@\-]+", "_", row["student_id"]).strip("._") or "student"
    path = Path(folder) / f"{name}.md"
    atomic_write(path, render_feedback(row, tests, lang=lang, assignment=assignment), sync=False)
    return path
