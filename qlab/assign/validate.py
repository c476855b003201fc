"""``qlab validate SOURCE``: prove an assignment is gradable before students see it.

Two notebooks are graded exactly as submissions would be (same split, sandbox, trusted kernel,
limits):

* the **solution** (the source with its solutions in place): every test must pass;
* the **student copy** as released (placeholders in place): nothing may crash the grader, and every
  graded test must fail - a test that passes on a placeholder gives points for nothing.

This is the "placeholder fails, solution passes" rule of the Quantum Katas' CI, for every test.
It also proves the assignment keeps the contract of ``docs/ARCHITECTURE.md`` ("How answers cross
the boundary"): a test that reads an answer the grader cannot pass as data fails with the solution;
and that nbgrader would hide what qlab hides (a test hidden only by ``metadata.qlab.hidden`` is a
problem: nbgrader releases it). Items graded by hand are listed, not run.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import t
from ..sandbox import SandboxMode
from .cells import cell_info, hidden_by_metadata_only
from .feedback import part_message
from .grade import grade
from .model import Limits, Status, TestSpec
from .nbio import write_notebook
from .release import assignment_id, load_source, student_copy
from .split import solution_submission


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
             lang: str | None = None, jobs: int | None = None,
             sandbox: SandboxMode | str = SandboxMode.AUTO) -> Validation:
    """Grade the solution and the released student copy of ``source``; see the module docstring."""
    nb = load_source(source)
    assignment = assignment_id(nb, source)
    with tempfile.TemporaryDirectory(prefix="qlab-validate-") as tmp:
        folder = Path(tmp)
        write_notebook(solution_submission(nb), folder / "in" / "solution.ipynb")
        write_notebook(student_copy(nb, assignment=assignment, lang=lang), folder / "in" / "placeholder.ipynb")
        run = grade(source, [folder / "in" / "solution.ipynb", folder / "in" / "placeholder.ipynb"],
                    folder / "out", limits=limits, lang=lang, progress=False, jobs=jobs, sandbox=sandbox)
    rows = {r.submission: r for r in run.rows}
    sol, ph = rows["solution.ipynb"], rows["placeholder.ipynb"]
    result = Validation(run.tests, {g: r.passed for g, r in sol.tests.items()},
                        {g: r.passed for g, r in ph.tests.items()})
    for who, row in (("solution", sol), ("placeholder", ph)):
        if row.status is not Status.OK:
            result.problems.append(t("grade.val_status", lang=lang, who=who,
                                     status=t(f"grade.status_name_{row.status.value}", lang=lang)))
    for cell in nb.cells:
        if hidden_by_metadata_only(cell):
            result.problems.append(t("grade.val_hidden_by_metadata", lang=lang,
                                     grade_id=cell_info(cell).grade_id))
    for spec in run.tests:
        if spec.by_hand:
            continue
        test = sol.tests[spec.grade_id]
        if not test.passed:
            why = "; ".join(part_message(p, lang) for p in test.parts.values() if not p.passed)
            result.problems.append(t("grade.val_solution_fails", lang=lang, grade_id=spec.grade_id, why=why))
        if ph.tests[spec.grade_id].passed:
            result.problems.append(t("grade.val_placeholder_passes", lang=lang, grade_id=spec.grade_id))
    return result
