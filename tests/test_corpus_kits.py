"""A hackathon with a hostile team per trick (tests/hostile_corpus.py), scored for every challenge.

Each trick sits on top of the honest answer (``honest.py``): zero the device noise on disk, rewrite
qlab's scoring tools or every challenge's ``score.py``, claim the honest team's name, move the other
teams' file times to win the tie, forge a result and kill "the parent", leave a detached process
that rewrites the leaderboard. Every one must score exactly what ``honest.py`` scores; the team is
named by its file; ties go by the organiser's arrival record (all arrived in this run, so by name);
no file outside the sandboxes changes (file times included); nothing started by a team survives.
"""

from __future__ import annotations

import csv
import json
import time

import pytest
from hostile_corpus import (
    KIT_ANSWERS,
    KIT_TRICKS,
    MARKER,
    QLAB,
    checksums,
    fill,
    leftover_cgroups,
    need_full_sandbox,
    survivors,
)

from qlab.cli import main as qlab_main
from qlab.kits import load_challenge

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=sorted(KIT_ANSWERS))
def hackathon(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    need_full_sandbox()
    cid = request.param
    challenge = load_challenge(cid)
    base = tmp_path_factory.mktemp(cid)
    subs, out = base / "subs", base / "board"
    subs.mkdir()
    out.mkdir()
    (out / "notes.txt").write_text("the organiser's own notes\n", encoding="utf-8")
    honest = fill(KIT_ANSWERS[cid], TARGET=str(challenge.data.get("target_qasm", "")))
    (subs / "honest.py").write_text(honest, encoding="utf-8")
    for name, trick in KIT_TRICKS.items():
        code = fill(trick, SUBS=str(subs), OUT=str(out), MARKER=MARKER)
        (subs / f"{name}.py").write_text(code + "\n" + honest, encoding="utf-8")
    times = {p.name: p.stat().st_mtime_ns for p in subs.iterdir()}
    before = checksums(subs, QLAB)
    code = qlab_main(["kit", "score", cid, str(subs), "-o", str(out), "-q", "-j", "2"])
    alive = survivors()
    time.sleep(1.0)  # a detached process that survived would now rewrite the leaderboard
    after = checksums(subs, QLAB)
    entries = json.loads((out / "results.json").read_text(encoding="utf-8"))["entries"]
    return {
        "code": code, "entries": {e["team"]: e for e in entries}, "order": [e["team"] for e in entries],
        "changed": {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)},
        "times": times == {p.name: p.stat().st_mtime_ns for p in subs.iterdir()},
        "notes": (out / "notes.txt").read_text(encoding="utf-8"), "alive": alive, "out": out,
        "challenge": challenge,
    }


def test_every_trick_scores_exactly_what_the_honest_answer_scores(hackathon) -> None:
    assert hackathon["code"] == 0
    entries = hackathon["entries"]
    honest = entries["honest"]
    assert honest["valid"], honest["reason"]
    for name in KIT_TRICKS:
        entry = entries[name]
        assert entry["valid"], (name, entry["reason"])
        assert (entry["score"], entry["two_qubit_gates"], entry["gates"]) == (
            honest["score"], honest["two_qubit_gates"], honest["gates"]), name


def test_teams_are_named_by_their_files_and_ties_go_by_the_arrival_record(hackathon) -> None:
    entries, order = hackathon["entries"], hackathon["order"]
    assert set(entries) == {"honest", *KIT_TRICKS}  # "claim-name" did not become "honest"
    assert len({e["submitted"] for e in entries.values()}) == 1  # all arrived in this run
    assert order == sorted(order, key=str.casefold)  # so the names decide; zz-times is last
    arrivals = json.loads((hackathon["out"] / "arrivals.json").read_text(encoding="utf-8"))
    assert set(arrivals["teams"]) == set(entries)


def test_nothing_outside_the_sandboxes_changed_and_nothing_survives(hackathon) -> None:
    assert hackathon["changed"] == set()  # other teams' files, the installed qlab, every challenge
    assert hackathon["times"]  # nobody's file time moved
    assert hackathon["notes"] == "the organiser's own notes\n"
    assert hackathon["alive"] == [] and survivors() == [] and leftover_cgroups() == []
    with open(hackathon["out"] / "leaderboard.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["team"] for r in rows} == {"honest", *KIT_TRICKS} and {r["status"] for r in rows} == {"ok"}
