"""Hackathon kits, end to end: each submission runs in its sandbox and is scored in this process.
Known submissions (perfect, poor, invalid, cheating), limits, reproducibility, CLI. Teams are named
by their file or folder, never by their code (the TEAM lines below are ignored on purpose).

Nothing here is random except the QAOA emulation, which uses the challenge's fixed seed (20250602).
Each sandbox costs about a second (it imports Qiskit), so these tests are marked slow. The hostile
corpus for every challenge is in test_corpus_kits.py.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qlab.cli import main as qlab_main
from qlab.kits import load_challenge
from qlab.kits.new import create_kit
from qlab.kits.score import score_submissions

pytestmark = pytest.mark.slow

GHZ_STAR = """
import math
from qiskit import QuantumCircuit

def star():
    qc = QuantumCircuit(5)
    qc.r(math.pi / 2, math.pi / 2, 2)
    for leaf in (0, 1, 3, 4):
        qc.r(-math.pi / 2, math.pi / 2, leaf)
        qc.cz(2, leaf)
        qc.r(math.pi / 2, math.pi / 2, leaf)
    return qc

def bell():
    qc = QuantumCircuit(5)
    qc.r(math.pi / 2, math.pi / 2, 2)
    qc.r(-math.pi / 2, math.pi / 2, 3)
    qc.cz(2, 3)
    qc.r(math.pi / 2, math.pi / 2, 3)
    return qc
"""


def write(folder: Path, name: str, body: str, prefix: str = GHZ_STAR) -> Path:
    path = folder / name
    path.write_text(prefix + textwrap.dedent(body), encoding="utf-8")
    return path


def by_team(entries):
    return {e.team: e for e in entries}


def sandboxed() -> bool:
    from qlab.sandbox import detect

    return detect().full


# An honest team needs a second or two (importing Qiskit in its sandbox; several times that on a
# loaded 2-core machine): this limit is cleared by a wide margin, and it still stops the sleeper.
SECONDS = 30


@pytest.fixture(scope="module")
def ghz_class(tmp_path_factory):
    """One scoring run of known, cheating and limit-breaking teams (the limits hold while the
    others are scored)."""
    tmp_path = tmp_path_factory.mktemp("ghz-class")
    c = load_challenge("ghz5-spark")
    files = [
        # loops forever (sleeping, so it takes no core from the others): only the limit stops it
        write(tmp_path, "sleeper.py", 'TEAM = "sleeper"\nimport time\ndef circuit():\n'
              '    while True:\n        time.sleep(0.1)\n'),
        write(tmp_path, "hog.py", 'TEAM = "hog"\ndef circuit():\n    junk = bytearray(4 * 1024**3)\n    return star()\n',
              prefix=""),  # no Qiskit import: it reaches its allocation at once, even on a busy machine
        write(tmp_path, "perfect.py", 'TEAM = "perfect"\ndef circuit():\n    qc = star(); qc.measure_all(); return qc\n'),
        write(tmp_path, "poor.py", 'TEAM = "poor"\ndef circuit():\n    return bell()\n'),
        write(tmp_path, "non-native.py", 'TEAM = "cx"\ndef circuit():\n'
              '    qc = QuantumCircuit(5); qc.h(2)\n    for q in (0, 1, 3, 4): qc.cx(2, q)\n    return qc\n'),
        write(tmp_path, "uncoupled.py", 'TEAM = "uncoupled"\ndef circuit():\n'
              '    qc = star(); qc.cz(0, 1); return qc\n'),
        # patches the scorer and the emulator in its own process, and forges its result file
        write(tmp_path, "patcher.py", '''
            TEAM = "patcher"
            import atexit, json, sys
            import numpy as np
            import qlab.kits.scoring as scoring
            import qlab.kits.score as runner
            from qlab.kits.scoring import Score
            ghz = np.zeros((32, 32)); ghz[0, 0] = ghz[0, 31] = ghz[31, 0] = ghz[31, 31] = 0.5
            scoring.noisy_density_matrix = lambda *a, **k: ghz
            runner.score_one = lambda *a, **k: Score(1.0)
            OUT = sys.argv[-1]
            def forge():
                data = json.load(open(OUT))
                data.update({"score": 1.0, "valid": True, "value": 1.0, "team": "patcher"})
                json.dump(data, open(OUT, "w"))
            atexit.register(forge)
            def circuit():
                return bell()
        '''),
        # reads the challenge's files and answers with what it found instead of a circuit
        write(tmp_path, "reader.py", '''
            TEAM = "reader"
            from qlab.kits import load_challenge
            def circuit():
                c = load_challenge("ghz5-spark")
                return {"fidelity": 1.0, "source": c.file("score.py").read_text()[:50], "data": dict(c.data)}
        '''),
        write(tmp_path, "raises.py", 'TEAM = "raises"\ndef circuit():\n    raise ValueError("oops")\n'),
        write(tmp_path, "nofunc.py", 'TEAM = "nofunc"\ndef circ():\n    return star()\n'),
        write(tmp_path, "exits.py", 'TEAM = "exits"\nimport os\nos._exit(3)\n'),
    ]
    return by_team(score_submissions(c, files, seconds=SECONDS, memory_mb=1500))


def test_ghz_known_submissions_and_cheats(ghz_class):
    entries = ghz_class

    perfect, poor = entries["perfect"], entries["poor"]
    assert perfect.valid and perfect.rank == 1 and perfect.two_qubit_gates == 4
    assert 0.75 < perfect.score < 0.95 and perfect.details["ideal_fidelity"] == 1.0
    assert poor.valid and poor.score < 0.3

    # the patcher gets exactly the honest score of its (poor) circuit, not 1.0; it ties with poor on
    # score and CZ, both arrived in this run, so the name decides: "patcher" < "poor"
    assert entries["patcher"].valid and entries["patcher"].score == poor.score
    assert entries["patcher"].rank == 2 and poor.rank == 3

    assert not entries["non-native"].valid and "'h'" in entries["non-native"].reason
    assert "not coupled" in entries["uncoupled"].reason and "QB1" in entries["uncoupled"].reason
    assert not entries["reader"].valid and "QuantumCircuit" in entries["reader"].reason
    assert "ValueError: oops" in entries["raises"].reason and "line" in entries["raises"].reason
    assert "circuit()" in entries["nofunc"].reason
    assert "exit code 3" in entries["exits"].reason
    assert sum(e.valid for e in entries.values()) == 3


def test_limits_hold_and_the_others_are_still_scored(ghz_class):
    entries = ghz_class
    sleeper, hog = entries["sleeper"], entries["hog"]
    assert not sleeper.valid and f"time limit of {SECONDS} s" in sleeper.reason
    assert sleeper.seconds < SECONDS + 15  # stopped, not waited for
    assert not hog.valid and "1500 MiB" in hog.reason
    assert entries["perfect"].valid and entries["perfect"].rank == 1


@pytest.mark.parametrize("mode", ["auto", "off"])
def test_a_submission_that_edits_the_challenge_changes_nothing(tmp_path, mode):
    """In the sandbox the challenge folder is not even visible; without it (mode "off", the
    fallback) the folder is kept in memory, put back, and the submission is invalid."""
    if mode == "auto" and not sandboxed():
        pytest.skip("bubblewrap sandbox not available here")
    folder = tmp_path / "challenges" / "ghz"
    shutil.copytree(load_challenge("ghz5-spark").path, folder)
    c = load_challenge(folder)
    original = (folder / "score.py").read_text()
    files = [
        write(tmp_path, "tamper.py", f'''
            from pathlib import Path
            p = Path({str(folder / "score.py")!r})
            p.write_text(p.read_text() + "\\ndef score(*a):\\n    return 1.0\\n")
            def circuit():
                return star()
        '''),
        write(tmp_path, "honest.py", 'def circuit():\n    return star()\n'),
    ]
    entries = by_team(score_submissions(c, files, sandbox=mode))
    assert not entries["tamper"].valid
    expected = "changed files of the challenge" if mode == "off" else "No such file or directory"
    assert expected in entries["tamper"].reason, entries["tamper"].reason
    assert (folder / "score.py").read_text() == original
    assert entries["honest"].valid and 0.75 < entries["honest"].score < 0.95


def run_cli(*args: str) -> int:
    return qlab_main(["kit", *args])


def test_cli_scores_reproduce_to_the_digit_across_two_runs(tmp_path, capsys):
    subs = tmp_path / "subs"
    subs.mkdir()
    angles = {"one": ([0.6], [0.4]), "two": ([0.5, 0.9], [0.48, 0.29]), "same": ([0.6], [0.4])}
    for team, (g, b) in angles.items():
        (subs / f"{team}.py").write_text(f'TEAM = "{team}"\ndef angles():\n    return {{"gammas": {g}, "betas": {b}}}\n')
    (subs / "over.py").write_text('def angles():\n    return {"gammas": [0.1, 0.2, 0.3], "betas": [0.1, 0.2, 0.3]}\n')
    outputs = []
    ledger = tmp_path / "arrivals.json"  # the organiser's record, kept between runs
    for run in ("a", "b"):
        assert run_cli("score", "maxcut-qaoa-aria", str(subs), "-o", str(tmp_path / run), "-q",
                       "--arrivals", str(ledger)) == 0
        outputs.append({n: (tmp_path / run / n).read_bytes() for n in ("leaderboard.csv", "leaderboard.md")})
    assert outputs[0] == outputs[1]
    rows = (tmp_path / "a" / "leaderboard.csv").read_text().splitlines()
    teams = [r.split(",")[1] for r in rows[1:]]
    # two layers beat one (about 0.88 vs 0.81 with noise); "one" and "same" tie exactly, arrived
    # in the same run, and are ordered by name
    assert teams == ["two", "one", "same", "over"]
    assert rows[1].split(",")[2] != rows[2].split(",")[2] and rows[2].split(",")[2] == rows[3].split(",")[2]
    assert "budget is 18" in rows[4]


def test_cli_list_new_score_with_an_organiser_challenge(tmp_path, capsys, monkeypatch):
    org = tmp_path / "org" / "guess"
    org.mkdir(parents=True)
    (org / "challenge.json").write_text(json.dumps({
        "id": "guess-42", "title": {"en": "Guess", "ko": "맞히기"}, "device": "ideal",
        "submission": {"function": "guess", "returns": "json"},
        "metric": {"name": "closeness", "better": "higher", "digits": 2}, "seed": 1,
        "limits": {"seconds": 20, "memory_mb": 1024}, "tie_break": ["submitted", "team"],
        "data": {"answer": 42},
    }))
    (org / "score.py").write_text(
        "from qlab.kits.scoring import Score\n"
        "def score(value, challenge):\n    return Score(value=-abs(float(value) - challenge.data['answer']))\n")
    (org / "submission.py").write_text('TEAM = "your-team-name"\ndef guess():\n    return 40\n')
    (org / "README.md").write_text("# Guess\n")
    shutil.copy(load_challenge("ghz5-spark").file("starter.ipynb"), org / "starter.ipynb")

    assert run_cli("list", "--challenges", str(tmp_path / "org")) == 0
    assert "guess-42" in capsys.readouterr().out
    monkeypatch.setenv("QLAB_KIT_PATH", str(tmp_path / "org"))
    monkeypatch.setenv("QLAB_LANG", "ko")
    assert run_cli("new", "guess-42", str(tmp_path / "베타"), "--team", "Beta") == 0
    assert "Beta" in capsys.readouterr().out
    assert run_cli("new", "guess-42", str(tmp_path / "베타"), "--team", "x") == 2  # not empty
    assert "덮어쓰지" in capsys.readouterr().err
    # the organiser scores the folder: the team is named by it (Hangul kept), not by its code
    assert run_cli("score", "guess-42", str(tmp_path / "베타"), "-o", str(tmp_path / "board")) == 0
    out = capsys.readouterr().out
    assert "베타: -2.00" in out and "순위표" in out
    assert "베타" in (tmp_path / "board" / "leaderboard.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("cid", ["ghz5-spark", "maxcut-qaoa-aria", "route-star"])
def test_starter_kit_runs_its_notebook_and_local_scorer(tmp_path, cid):
    """A team's first minutes: the notebook runs clean, and score_local.py gives a score."""
    import nbformat
    from nbclient import NotebookClient

    kit = create_kit(load_challenge(cid), tmp_path / cid, "Team A")
    nb = nbformat.read(kit / "notebook.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(kit)}}).execute()
    text = "".join(o.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                   for o in cell.outputs)
    assert "INVALID" not in text, cid
    done = subprocess.run([sys.executable, "score_local.py"], cwd=kit, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    rows = (kit / "results" / "leaderboard.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith("1,Team A,") and ",ok," in rows[1], rows
    score = float(rows[1].split(",")[2])
    assert math.isfinite(score) and score > 0
