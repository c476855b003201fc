"""Every graded lab is gradable: `qlab validate` on each exercises/*/source.ipynb (the solution passes
every test, the released student copy fails every one). Each takes 5-15 s (two notebook kernels)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABS = sorted(ROOT.glob("exercises/*/source.ipynb"))
QLAB = Path(sys.executable).with_name("qlab")


def test_there_are_labs():
    assert LABS, "no exercises/*/source.ipynb found"


@pytest.mark.slow
@pytest.mark.parametrize("source", LABS, ids=lambda p: p.parent.name)
def test_lab_validates(source: Path) -> None:
    command = [str(QLAB)] if QLAB.exists() else [sys.executable, "-m", "qlab"]
    env = {**os.environ, "QLAB_LANG": "en"}
    env.pop("QLAB_GRADING", None)
    env.pop("QLAB_STUDENT_ID", None)
    done = subprocess.run([*command, "validate", str(source)], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=600)
    assert done.returncode == 0, f"qlab validate {source.parent.name} failed:\n{done.stdout}\n{done.stderr}"
    assert "valid:" in done.stdout
