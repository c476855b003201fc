"""Every command in the README works as written, and using qlab leaves `git status` clean.

The tour's ```bash and ```python blocks are run for real, in a scratch git checkout of this
repository (tests/_checkout.py): afterwards `git status` must show nothing, so everything the tour
writes lands in ignored paths. The same holds for `make lab`'s working copy of the lessons and for
a Korean hackathon run from the organisers' card. Lines of ```text blocks that start with `qlab`
are reference cards: each sub-command they name must exist.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from _checkout import env, git_checkout, git_status, make

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
    """A fresh clone of the repository, as a newcomer has it."""
    return git_checkout(tmp_path / "qlab")


def run_line(line: str, checkout: Path, cwd: Path | None = None, **extra: str) -> subprocess.CompletedProcess:
    """One README command, run in ``cwd`` (default: the checkout's root) with the checkout's qlab."""
    out = subprocess.run(["bash", "-c", line], cwd=cwd or checkout, capture_output=True, text=True,
                         env=env(checkout, **extra), timeout=600)
    assert out.returncode == 0, f"README command failed: {line}\n{out.stdout}\n{out.stderr}"
    assert "Traceback" not in out.stderr, f"{line}\n{out.stderr}"
    return out


@pytest.mark.slow
def test_bash_blocks_run_as_written_and_leave_git_status_clean(checkout: Path) -> None:
    for body in blocks("bash"):
        if body.strip().splitlines() == ["make lab", "make test"]:
            continue  # the set-up itself: this test runs inside it
        for line in body.strip().splitlines():
            run_line(line, checkout)
    gradebook = (checkout / "grades" / "gradebook.csv").read_text()
    assert len(gradebook.strip().splitlines()) >= 3, "a header and a row per sample submission"
    assert git_status(checkout) == [], "the README tour wrote files git would commit"


def test_python_blocks_run_as_written(checkout: Path) -> None:
    for body in blocks("python"):
        out = subprocess.run([sys.executable, "-c", body], cwd=checkout, capture_output=True,
                             text=True, timeout=300, env=env(checkout))
        assert out.returncode == 0, f"README python block failed:\n{body}\n{out.stderr}"
    assert git_status(checkout) == []


def test_make_lab_works_on_a_copy_and_the_lessons_never_change(checkout: Path) -> None:
    """`make lab` serves my-lessons/ (made by its `lessons` step): a student's run and edits land
    there, and a second run keeps them, so `git status` stays clean and `git pull` cannot conflict."""
    makefile = (checkout / "Makefile").read_text(encoding="utf-8")
    lab = makefile[makefile.index("\nlab:"):].split("\n\n")[0]
    assert "lab: lessons" in lab and "--ServerApp.root_dir=$(LESSONS)" in lab
    assert "--ServerApp.port_retries=0" in lab and "qlab.port_check $(PORT)" in lab
    first = make(checkout, "lessons")
    assert first.returncode == 0, first.stderr
    copy = checkout / "my-lessons"
    lessons = sorted(p.name for p in (checkout / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in copy.glob("*.ipynb")) == lessons
    assert all(f"{name}: copied" in first.stdout for name in lessons)
    # a student: answers in the first lesson, outputs saved, a notebook of their own, checkpoints
    nb = nbformat.read(copy / lessons[0], as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("my_answer = 42", outputs=[
        nbformat.v4.new_output("stream", text="42\n")], execution_count=1))
    nbformat.write(nb, copy / lessons[0])
    (copy / "mine.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook()), encoding="utf-8")
    (copy / ".ipynb_checkpoints").mkdir(exist_ok=True)
    (copy / ".ipynb_checkpoints" / "mine-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    second = make(checkout, "lessons")
    assert second.returncode == 0, second.stderr
    assert f"{lessons[0]}: kept as you left it" in second.stdout
    assert "my_answer = 42" in (copy / lessons[0]).read_text(encoding="utf-8")
    assert git_status(checkout) == []


@pytest.mark.slow
def test_a_korean_hackathon_from_the_organisers_card_leaves_git_status_clean(checkout: Path) -> None:
    """The organisers' card run as written in the checkout, in Korean, and the team's local
    scorer too: team folders and leaderboards land in ignored paths."""
    card = [line.split("#")[0].strip() for body in blocks("text") for line in body.splitlines()
            if line.startswith("qlab kit ")]
    new = next(c for c in card if " new " in c)
    score = next(c for c in card if " score " in c)
    ko = {"QLAB_LANG": "ko"}
    for command in card:
        run_line(f".venv/bin/{command}", checkout, **ko)
    kit = checkout / shlex.split(new)[4]
    local = run_line(f"{checkout}/.venv/bin/python score_local.py", checkout, kit, **ko)
    assert "순위표" in local.stdout and (kit / "results" / "leaderboard.html").is_file()
    page = (checkout / shlex.split(score)[-1] / "leaderboard.html").read_text(encoding="utf-8")
    # the organiser names a team by the folder it scores (never by the team's own code)
    assert '<html lang="ko">' in page and "team-kim" in page
    assert "Team Kim" in (kit / "results" / "leaderboard.html").read_text(encoding="utf-8")  # its own kit
    assert git_status(checkout) == []


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
