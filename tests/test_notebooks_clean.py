"""Committed notebooks are clean and reproducible: no stale outputs, no stored errors, no machine
paths, one kernel everyone has. Only cells marked `# NBVAL_CHECK_OUTPUT` keep their (deterministic)
output, because nbval compares it on every run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(ROOT.glob("notebooks/*.ipynb")) + sorted(ROOT.glob("exercises/*/*.ipynb"))
MACHINE_PATH = re.compile(r"(/work/|/home/|/root/|/tmp/|\.venv/|site-packages|C:\\\\Users)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_committed_clean(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", "use the python3 kernel"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        checked = source.lstrip().startswith("# NBVAL_CHECK_OUTPUT")
        outputs = cell.get("outputs", [])
        if not checked:
            assert not outputs, f"cell {i} stores outputs (clear them, or mark # NBVAL_CHECK_OUTPUT)"
            assert cell.get("execution_count") is None, f"cell {i} keeps an execution count"
        for out in outputs:
            assert out["output_type"] != "error", f"cell {i} stores an error output"
            blob = json.dumps(out)
            assert not MACHINE_PATH.search(blob), f"cell {i} output holds a machine path"


def test_lessons_are_numbered_and_listed_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lessons = sorted(ROOT.glob("notebooks/[0-9][0-9]-*.ipynb"))
    assert lessons, "no lessons in notebooks/"
    for lesson in lessons:
        assert f"notebooks/{lesson.name}" in readme, f"README.md does not list {lesson.name}"
    for lab in sorted(p.parent for p in ROOT.glob("exercises/*/source.ipynb")):
        assert f"exercises/{lab.name}" in readme, f"README.md does not list the lab {lab.name}"
        assert (lab / "README.md").exists(), f"{lab.name} has no instructor's note (README.md)"
