"""``qlab validate SOURCE``: prove an assignment is gradable before students see it.

Two notebooks are graded exactly as submissions would be (same merge, plugin, limits):

* the **solution** (the source with its solutions in place): every test must pass;
* the **student copy** as released (placeholders in place): the kernel must not crash, and every
  graded test must fail - a test that passes on a placeholder gives points for nothing.

This is the "placeholder fails, solution passes" rule of the Quantum Katas' CI, for every test.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import t
from .grade import Limits, TestSpec, grade
from .merge import solution_submission
from .nbio import write_notebook
from .release import assignment_id, load_source, student_copy, variant_seed


@dataclass
class Validation:
    """The result of :func:`validate`: one line per test, and the problems found (empty = valid)."""

    tests: list[TestSpec]
    solution: dict[str, bool]  # grade id -> passed with the solution
    placeholder: dict[str, bool]  # grade id -> passed with the placeholders
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def validate(source: str | os.PathLike[str], *, limits: Limits | None = None,
             lang: str | None = None, jobs: int | None = None) -> Validation:
    """Grade the solution and the released student copy of ``source``; see the module docstring."""
    nb = load_source(source)
    assignment = assignment_id(nb, source)
    with tempfile.TemporaryDirectory(prefix="qlab-validate-") as tmp:
        folder = Path(tmp)
        write_notebook(solution_submission(nb), folder / "in" / "solution.ipynb")
        released = student_copy(nb, assignment=assignment, seed=variant_seed(nb, assignment), lang=lang)
        write_notebook(released, folder / "in" / "placeholder.ipynb")
        run = grade(source, [folder / "in" / "solution.ipynb", folder / "in" / "placeholder.ipynb"],
                    folder / "out", limits=limits, lang=lang, progress=False, jobs=jobs)
    rows = {r["submission"]: r for r in run.rows}
    sol, ph = rows["solution.ipynb"], rows["placeholder.ipynb"]
    result = Validation(run.tests, {g: r["passed"] for g, r in sol["tests"].items()},
                        {g: r["passed"] for g, r in ph["tests"].items()})
    from .feedback import part_message

    for who, row in (("solution", sol), ("placeholder", ph)):
        if row["status"] != "ok":
            result.problems.append(t("grade.val_status", lang=lang, who=who,
                                     status=t(f"grade.status_name_{row['status']}", lang=lang)))
    for spec in run.tests:
        test = sol["tests"][spec.grade_id]
        if not test["passed"]:
            why = "; ".join(part_message(p, lang) for p in test["parts"].values() if p["outcome"] != "passed")
            result.problems.append(t("grade.val_solution_fails", lang=lang, grade_id=spec.grade_id, why=why))
        if ph["tests"][spec.grade_id]["passed"]:
            result.problems.append(t("grade.val_placeholder_passes", lang=lang, grade_id=spec.grade_id))
    return result
