"""Every command in the README works as written.

The tour's ```bash and ```python blocks are run for real, in a scratch folder laid out like a checkout
(`.venv` and `exercises/` linked or copied in, so nothing is written into the repository). Lines of
```text blocks that start with `qlab` are reference cards: each sub-command they name must exist.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, flags=re.S)
BIN = Path(sys.executable).parent


def blocks(kind: str) -> list[str]:
    return [body for lang, body in BLOCKS if lang == kind]


def test_the_two_setup_commands_come_first_and_alone() -> None:
    lang, first = BLOCKS[0]
    assert first.strip().splitlines() == ["make lab", "make test"]
    assert README.index("make lab") < README.index("## "), "the commands come before any section"
    makefile = (ROOT / "Makefile").read_text()
    for target in ("lab", "test"):
        assert re.search(rf"^{target}:", makefile, flags=re.M), f"Makefile has no `{target}` target"


@pytest.fixture()
def checkout(tmp_path: Path) -> Path:
    """A scratch folder that looks like the repository to the README's commands."""
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    for tool in ("qlab", "python"):
        (venv / tool).symlink_to(BIN / tool)
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    return tmp_path


@pytest.mark.slow
def test_bash_blocks_run_as_written(checkout: Path) -> None:
    env = {**os.environ, "QLAB_LANG": "en"}
    for body in blocks("bash"):
        if body.strip().splitlines() == ["make lab", "make test"]:
            continue  # the set-up itself: this test runs inside it
        for line in body.strip().splitlines():
            out = subprocess.run(
                ["bash", "-c", line], cwd=checkout, capture_output=True, text=True, env=env,
                timeout=600,
            )
            assert out.returncode == 0, f"README command failed: {line}\n{out.stdout}\n{out.stderr}"
            assert "Traceback" not in out.stderr, f"{line}\n{out.stderr}"
    gradebook = (checkout / "grades" / "gradebook.csv").read_text()
    assert len(gradebook.strip().splitlines()) >= 3, "a header and a row per sample submission"


def test_python_blocks_run_as_written(tmp_path: Path) -> None:
    for body in blocks("python"):
        out = subprocess.run(
            [sys.executable, "-c", body], cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert out.returncode == 0, f"README python block failed:\n{body}\n{out.stderr}"


def test_reference_cards_name_real_commands() -> None:
    qlab = str(BIN / "qlab")
    named = 0
    for body in blocks("text"):
        for line in body.splitlines():
            words = line.split("#")[0].split()
            if not words or words[0] != "qlab":
                continue
            command = [words[1]] + ([words[2]] if words[1] == "kit" else [])
            out = subprocess.run([qlab, *command, "--help"], capture_output=True, text=True)
            assert out.returncode == 0, f"README names `qlab {' '.join(command)}`, which fails"
            named += 1
    assert named >= 6
    challenges = subprocess.run([qlab, "kit", "list"], capture_output=True, text=True).stdout
    for name in re.findall(r"qlab kit (?:new|score) (\S+)", README):
        assert name in challenges, f"README names challenge {name!r}, not in `qlab kit list`"


def test_files_the_readme_points_to_exist() -> None:
    for path in re.findall(r"`((?:docs|benchmarks|notebooks|exercises|qlab)/[^`*\s]+)`", README):
        assert (ROOT / path.rstrip("/")).exists(), f"README points to {path}, which is missing"
