"""``qlab kit new CHALLENGE DIR --team NAME``: a team's starter folder, ready in a minute, offline.

The folder holds::

    README.md          how to install qlab on the laptop, the rules and the exact metric (English
                       and Korean)
    notebook.ipynb     the starter notebook (no outputs; runs in seconds)
    submission.py      the template, with the team's name filled in: this is what the team hands in
    score_local.py     ``python score_local.py`` scores submission.py exactly as the organisers will
    challenge/         a copy of the challenge (data and scoring function) that score_local.py uses
    .qlab-kit.json     which challenge and team this folder is for

A folder that exists and is not empty is never overwritten.

qlab is not on PyPI: teams install it from one wheel the organisers build with ``make wheel`` and
hand out with the kits (:data:`WHEEL` names it). The README says so in both languages, and
``score_local.py`` prints the install line, for the very Python it runs in, when qlab is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
from pathlib import Path

from .._version import __version__
from ..errors import QlabError
from ..i18n import t
from .registry import Challenge

TEAM_LINE = re.compile(r'^TEAM = "your-team-name"$', re.MULTILINE)
MAX_TEAM = 40

# the file `make wheel` builds and teams install (setuptools' name for a pure-Python wheel)
WHEEL = f"qlab-{__version__}-py3-none-any.whl"

SCORE_LOCAL = '''"""Score this folder's submission.py exactly as the organisers will: same scoring function, same
seed, same time and memory limits. The leaderboard appears in results/ (open results/leaderboard.html).

이 폴더의 submission.py를 주최 측과 똑같은 방식(같은 채점 함수, 같은 시드, 같은 시간·메모리 제한)으로
채점합니다. 결과는 results/ 폴더에 생깁니다 (results/leaderboard.html 을 열어 보세요).

    python score_local.py
"""

import json
import sys
from pathlib import Path

WHEEL = {wheel!r}
MISSING = {missing!r}  # English, then Korean

try:
    from qlab.cli import main
except ModuleNotFoundError as exc:  # qlab (or a package it needs) is not installed for this Python
    install = f'"{{sys.executable}}" -m pip install {{WHEEL}}'
    for text in MISSING:
        print(text.format(python=sys.executable, missing=exc.name, install=install), file=sys.stderr)
    sys.exit(1)

here = Path(__file__).resolve().parent
team = json.loads((here / ".qlab-kit.json").read_text(encoding="utf-8"))["team"]
sys.exit(main(["kit", "score", str(here / "challenge"), str(here / "submission.py"),
               "-o", str(here / "results"), "--team", team]))
'''


def score_local_script() -> str:
    """``score_local.py`` for a kit, with the install line in English and Korean filled in."""
    missing = tuple(t("kitsetup.missing", lang=lang) for lang in ("en", "ko"))
    return SCORE_LOCAL.format(wheel=WHEEL, missing=missing)


def setup_text() -> str:
    """The README's set-up section (installing qlab on a laptop), English then Korean."""
    return "\n\n".join(t("kitsetup.readme", lang=lang, wheel=WHEEL) for lang in ("en", "ko"))


class KitError(QlabError, ValueError):
    """A kit that cannot be made: a bad team name, or a target folder that is not empty."""


def check_team(name: str) -> str:
    """A team name: 1 to 40 printable characters (Korean welcome), surrounding spaces removed."""
    cleaned = (name or "").strip()
    if (
        not cleaned
        or len(cleaned) > MAX_TEAM
        or any(unicodedata.category(ch)[0] == "C" for ch in cleaned)
    ):
        raise KitError(t("kit.bad_team", name=name, limit=MAX_TEAM))
    return cleaned


def _copy_challenge(challenge: Challenge, dest: Path) -> None:
    shutil.copytree(
        challenge.path,
        dest,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints"),
    )


def create_kit(challenge: Challenge, directory: str | os.PathLike[str], team: str) -> Path:
    """Make a team's starter folder for ``challenge`` in ``directory``; returns the folder.

    Raises :class:`KitError` when ``directory`` exists and is not empty (nothing is overwritten)
    or the team name is not allowed.
    """
    team = check_team(team)
    out = Path(directory)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise KitError(t("kit.dir_not_empty", path=out))
    for name in ("submission.py", "starter.ipynb", "README.md"):
        if not challenge.file(name).is_file():
            raise KitError(t("kit.challenge_missing_file", path=challenge.path, name=name))
    out.mkdir(parents=True, exist_ok=True)

    template = challenge.file("submission.py").read_text(encoding="utf-8")
    # json.dumps gives a valid Python string literal for any name, Hangul included
    filled, n = TEAM_LINE.subn(lambda _m: "TEAM = " + json.dumps(team, ensure_ascii=False), template)
    if n == 0:
        filled = template + "\nTEAM = " + json.dumps(team, ensure_ascii=False) + "\n"
    (out / "submission.py").write_text(filled, encoding="utf-8")

    readme = challenge.file("README.md").read_text(encoding="utf-8")
    header = t("kit.readme_header", team=team, id=challenge.id, version=__version__)
    (out / "README.md").write_text(f"{header}\n\n{setup_text()}\n\n---\n\n{readme}", encoding="utf-8")
    shutil.copyfile(challenge.file("starter.ipynb"), out / "notebook.ipynb")
    (out / "score_local.py").write_text(score_local_script(), encoding="utf-8")
    _copy_challenge(challenge, out / "challenge")
    (out / ".qlab-kit.json").write_text(
        json.dumps({"challenge": challenge.id, "team": team, "qlab": __version__},
                   ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return out
