"""An nbgrader course in a folder, driven through nbgrader's own command line (0.9.6).

Used by ``tests/test_nbgrader.py`` to put qlab's labs through nbgrader and nbgrader's kind of
assignment through qlab, and to read back what nbgrader scored, cell by cell, from its gradebook.
Every nbgrader step runs as ``python -m nbgrader`` of this environment, in the course folder
(nbgrader finds its ``nbgrader_config.py`` there), with this environment's scripts on ``PATH``
(nbgrader starts ``alembic`` to create its database).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

CONFIG = '''c = get_config()
c.CourseDirectory.course_id = "qlab-course"
# qlab's labs run emulated devices: allow a slow shared machine more than nbgrader's 30 s per cell
c.Execute.timeout = {cell_timeout}
'''


@dataclass(frozen=True)
class Grade:
    """One graded cell as nbgrader's gradebook has it."""

    auto_score: float | None
    max_score: float
    needs_manual_grade: bool


class Course:
    """``root`` holds ``source/``, ``release/``, ``submitted/``, ``autograded/`` and ``gradebook.db``."""

    def __init__(self, root: Path, *, cell_timeout: int = 120):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "nbgrader_config.py").write_text(CONFIG.format(cell_timeout=cell_timeout), encoding="utf-8")

    def nbgrader(self, *args: str, timeout: float = 1800) -> str:
        """Run ``nbgrader ARGS`` in the course; its log, or an AssertionError with the log's tail."""
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        for name in ("QLAB_GRADING", "QLAB_STUDENT_ID", "NBGRADER_EXECUTION"):
            env.pop(name, None)  # nbgrader alone decides what its kernels see
        done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.root, env=env,
                              capture_output=True, text=True, timeout=timeout, check=False)
        log = done.stdout + done.stderr
        assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{log[-4000:]}"
        return log

    def add_source(self, assignment: str, notebook: str, nb: Any) -> Path:
        path = self.root / "source" / assignment / f"{notebook}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        return path

    def released(self, assignment: str, notebook: str) -> Any:
        return nbformat.read(self.root / "release" / assignment / f"{notebook}.ipynb", as_version=4)

    def submit(self, student: str, assignment: str, notebook: str, nb: Any) -> Path:
        path = self.submitted(student, assignment, notebook)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        return path

    def submitted(self, student: str, assignment: str, notebook: str) -> Path:
        return self.root / "submitted" / student / assignment / f"{notebook}.ipynb"

    def grades(self) -> dict[tuple[str, str, str, str], Grade]:
        """``(assignment, student, notebook, grade_id) -> Grade`` for every graded cell nbgrader scored."""
        from nbgrader.api import Gradebook

        out: dict[tuple[str, str, str, str], Grade] = {}
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            for assignment in gb.assignments:
                for sub in gb.assignment_submissions(assignment.name):
                    for nb in sub.notebooks:
                        for grade in nb.grades:
                            out[(assignment.name, sub.student_id, nb.name, grade.name)] = Grade(
                                grade.auto_score, grade.max_score, bool(grade.needs_manual_grade))
        return out
