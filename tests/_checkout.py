"""A scratch git checkout of this repository, for tests that prove using qlab leaves `git status`
clean: the README tour, `make lab`'s working copy, a lesson run in the browser, a hackathon.

The checkout holds every file git tracks or would track, as it is in the working tree now (so
uncommitted edits are tested too), committed; `.venv` is a link to the environment running the
tests, and `env()` puts the checkout's own `qlab` first on the import path, so a file qlab writes
next to its own code would show up in `git status` as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def git_checkout(dest: Path) -> Path:
    """Lay out the repository in ``dest`` as a fresh clone would, committed; returns ``dest``."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of qlab")
    listed = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not there
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)  # times kept: make sees pyproject.toml as installed
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "-c", "user.name=qlab tests", "-c", "user.email=tests@localhost",
         "commit", "-q", "--no-gpg-sign", "-m", "snapshot")
    (dest / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    # a link is not a folder, which is all `.venv/` in .gitignore matches: the clone's real .venv is
    with (dest / ".git" / "info" / "exclude").open("a") as f:
        f.write("/.venv\n")
    return dest


def env(checkout: Path, **extra: str) -> dict[str, str]:
    """The environment for commands run in ``checkout``: its qlab first, English unless asked."""
    path = os.pathsep.join(filter(None, [str(checkout), os.environ.get("PYTHONPATH", "")]))
    return {**os.environ, "QLAB_LANG": "en", "PYTHONPATH": path, **extra}


def git_status(checkout: Path) -> list[str]:
    """``git status --porcelain`` lines (untracked files listed one by one): empty when clean."""
    return _git(checkout, "status", "--porcelain", "--untracked-files=all").splitlines()


def make(checkout: Path, *targets: str, **extra: str) -> subprocess.CompletedProcess:
    """Run make in ``checkout`` without reinstalling: the linked environment is already set up."""
    stamp = ".venv/.qlab-installed"
    return subprocess.run(["make", "--no-print-directory", "-o", stamp, *targets], cwd=checkout,
                          capture_output=True, text=True, env=env(checkout, **extra), timeout=300)
