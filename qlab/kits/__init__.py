"""Hackathon kits: starter folders for teams, and offline, reproducible scoring for organisers.

A *challenge* is a folder of data, not code inside qlab::

    challenge.json   id, title, device, what a submission returns, the metric, seed, limits, tie rule
    score.py         def score(submission, challenge) -> Score   (raise InvalidSubmission(reason))
    submission.py    the template a team fills in
    starter.ipynb    the team's starter notebook (English with Korean headings, no outputs)
    README.md        the rules and the exact metric

qlab ships three (``qlab kit list``); an organiser adds more from a folder given with
``--challenges DIR`` or the environment variable ``QLAB_KIT_PATH``, without editing qlab.

* :mod:`qlab.kits.registry`    finds and reads challenges
* :mod:`qlab.kits.new`         ``qlab kit new``: a team's starter folder
* :mod:`qlab.kits.score`       ``qlab kit score``: runs each submission in its sandbox, scores what
                               it returned (as data) in the organiser's process
* :mod:`qlab.kits.scoring`     tools for a challenge's ``score.py`` (validation, exact emulation)
* :mod:`qlab.kits.leaderboard` CSV, Markdown and a static HTML page with a plot

Importing this package is light (no Qiskit); scoring imports Qiskit when it runs.
"""

from __future__ import annotations

from .registry import (
    Challenge,
    ChallengeFileError,
    UnknownChallengeError,
    challenges,
    load_challenge,
)

__all__ = [
    "Challenge",
    "ChallengeFileError",
    "UnknownChallengeError",
    "challenges",
    "load_challenge",
]
