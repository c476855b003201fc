"""A team's laptop: qlab arrives as the one wheel `make wheel` builds, installed with the one
command the kit's README gives; before that, `python score_local.py` says what to do.

The "laptop" is a fresh virtual environment without qlab. Its other dependencies (Qiskit, Aer,
Cirq, ...) are borrowed from the environment running the tests through a path file, so nothing is
downloaded; qlab itself only comes from the wheel.
"""

from __future__ import annotations

import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from _checkout import git_checkout, make

from qlab.kits import load_challenge
from qlab.kits.new import WHEEL, create_kit

HANGUL = re.compile("[\uac00-\ud7a3]")


def test_the_kit_readme_says_how_to_install_and_score_in_both_languages(tmp_path: Path) -> None:
    kit = create_kit(load_challenge("route-star"), tmp_path / "team", "팀 베타")
    readme = (kit / "README.md").read_text(encoding="utf-8")
    head = readme[: readme.index("---")]  # before the challenge's own rules
    assert head.count(f"python -m pip install {WHEEL}") >= 2  # English and Korean
    assert "## Set-up" in head and "## 준비" in head and HANGUL.search(head)
    assert head.count("python score_local.py") >= 2
    compile((kit / "score_local.py").read_text(encoding="utf-8"), "score_local.py", "exec")


def _laptop(tmp_path: Path) -> Path:
    """A new environment with qlab's dependencies but not qlab; returns its python."""
    laptop = tmp_path / "laptop"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(laptop)], check=True)
    python = laptop / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # a directory named in a .pth file joins sys.path, but its own .pth files (the editable
    # install of qlab among them) are not read: the dependencies come, qlab does not
    (Path(site) / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return python


@pytest.mark.slow
def test_score_local_names_the_install_line_and_the_wheel_makes_it_work(tmp_path: Path) -> None:
    checkout = git_checkout(tmp_path / "qlab")
    built = make(checkout, "wheel")
    assert built.returncode == 0, built.stderr
    wheel = checkout / "dist" / WHEEL
    assert wheel.is_file(), f"make wheel built {sorted(p.name for p in (checkout / 'dist').iterdir())}"

    kit = create_kit(load_challenge("ghz5-spark"), tmp_path / "team-kim", "Team Kim")
    python = _laptop(tmp_path)
    before = subprocess.run([python, "score_local.py"], cwd=kit, capture_output=True, text=True,
                            timeout=120)
    assert before.returncode == 1 and "Traceback" not in before.stderr, before.stderr
    assert f'"{python}" -m pip install {WHEEL}' in before.stderr
    assert "no module named 'qlab'" in before.stderr and HANGUL.search(before.stderr)

    install = subprocess.run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
                              str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr
    where = subprocess.run([python, "-c", "import qlab; print(qlab.__file__)"], cwd=kit,
                           capture_output=True, text=True, check=True).stdout
    assert str(tmp_path / "laptop") in where  # the wheel's qlab, not the checkout's
    after = subprocess.run([python, "score_local.py"], cwd=kit, capture_output=True, text=True,
                           timeout=300)
    assert after.returncode == 0, after.stderr
    rows = (kit / "results" / "leaderboard.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith("1,Team Kim,") and ",ok," in rows[1], rows
