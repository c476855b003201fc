"""Hackathon kits, fast part: challenges as data, validation, ranking and ties, leaderboard files,
``qlab kit new``. Nothing here starts a child process (see test_kits_scoring.py for that)."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

import pytest

from qlab.kits import ChallengeFileError, UnknownChallengeError, challenges, load_challenge
from qlab.kits.leaderboard import write_leaderboard
from qlab.kits.new import KitError, create_kit
from qlab.kits.score import Entry, rank
from qlab.kits.scoring import (
    InvalidSubmission,
    check_native,
    match_up_to_final_permutation,
    max_cut,
    rebuild_circuit,
)

BUILTIN = ("ghz5-spark", "maxcut-qaoa-aria", "route-star")
KIT_SOURCES = Path(__file__).resolve().parents[1] / "qlab" / "kits"
HANGUL = re.compile("[\uac00-\ud7a3]")


def ghz_star():
    """GHZ-5 from the centre of the star with 4 CZ: Ry(pi/2) on QB3, then CX(2 -> leaf) as
    Ry(-pi/2) . CZ . Ry(pi/2) on each leaf. Ideal fidelity 1."""
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(5)
    qc.r(math.pi / 2, math.pi / 2, 2)
    for leaf in (0, 1, 3, 4):
        qc.r(-math.pi / 2, math.pi / 2, leaf)
        qc.cz(2, leaf)
        qc.r(math.pi / 2, math.pi / 2, leaf)
    return qc


# ---- challenges as data --------------------------------------------------------------------------


def test_three_builtin_challenges_with_every_file():
    found = challenges()
    assert set(BUILTIN) <= set(found)
    for cid in BUILTIN:
        c = found[cid]
        for name in ("challenge.json", "score.py", "submission.py", "starter.ipynb", "README.md"):
            assert c.file(name).is_file(), (cid, name)
        assert c.text("title", "ko") != c.text("title", "en")  # a real Korean title
        assert callable(c.scorer())


def test_starter_notebooks_are_clean_and_bilingual():
    for cid in BUILTIN:
        nb = json.loads(load_challenge(cid).file("starter.ipynb").read_text(encoding="utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert code and all(not c["outputs"] and c["execution_count"] is None for c in code), cid
        headings = [
            line
            for c in nb["cells"]
            if c["cell_type"] == "markdown"
            for line in "".join(c["source"]).splitlines()
            if line.startswith("#")
        ]
        assert len(headings) >= 3, cid
        for h in headings:  # English with Korean in every heading
            assert re.search("[A-Za-z]{3}", h) and HANGUL.search(h), h


def test_unknown_challenge_lists_the_known_ones():
    with pytest.raises(UnknownChallengeError) as err:
        load_challenge("ghz-5")
    assert "ghz5-spark" in str(err.value) and "route-star" in str(err.value)


def write_challenge(folder: Path, **over) -> Path:
    """An organiser's challenge: guess a number; score = -|x - 42| (plain data, no qiskit)."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "id": "guess-42",
        "title": {"en": "Guess the number", "ko": "숫자 맞히기"},
        "device": "ideal",
        "submission": {"function": "guess", "returns": "json"},
        "metric": {"name": "closeness", "better": "higher", "digits": 3},
        "seed": 1,
        "limits": {"seconds": 20, "memory_mb": 1024},
        "data": {"answer": 42},
    }
    data.update(over)
    (folder / "challenge.json").write_text(json.dumps(data), encoding="utf-8")
    (folder / "score.py").write_text(
        "from qlab.kits.scoring import InvalidSubmission, Score\n\n"
        "def score(value, challenge):\n"
        "    if not isinstance(value, (int, float)):\n"
        "        raise InvalidSubmission('a number, please')\n"
        "    return Score(value=-abs(value - challenge.data['answer']))\n",
        encoding="utf-8",
    )
    (folder / "submission.py").write_text('TEAM = "your-team-name"\n\ndef guess():\n    return 0\n')
    (folder / "README.md").write_text("# Guess / 맞히기\n")
    (folder / "starter.ipynb").write_text(load_challenge("ghz5-spark").file("starter.ipynb").read_text())
    return folder


def test_organiser_challenge_from_a_folder_and_from_env(tmp_path, monkeypatch):
    org = tmp_path / "org"
    write_challenge(org / "guess")
    assert "guess-42" not in challenges()
    assert challenges([org])["guess-42"].data["answer"] == 42
    monkeypatch.setenv("QLAB_KIT_PATH", str(org))
    c = load_challenge("guess-42")
    assert c.scorer()(41.5, c).value == -0.5
    with pytest.raises(InvalidSubmission, match="a number"):
        c.scorer()("x", c)


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("metric", {"name": "x", "better": "more"}, "metric.better"),
        ("tie_break", ["luck"], "tie_break"),
        ("submission", {"function": "1bad"}, "submission.function"),
        ("seed", -3, "seed"),
    ],
)
def test_malformed_challenge_names_the_field(tmp_path, field, value, named):
    write_challenge(tmp_path / "c", **{field: value})
    with pytest.raises(ChallengeFileError, match=re.escape(named)):
        load_challenge(tmp_path / "c")


# ---- validation of a team's circuit (in the parent) ----------------------------------------------


def test_check_native_accepts_native_and_strips_final_measurements():
    qc = ghz_star()
    qc.measure_all()
    out = check_native(qc, "iqm-spark", exact_width=True)
    assert "measure" not in out.count_ops() and out.count_ops()["cz"] == 4


@pytest.mark.parametrize(
    ("build", "expect"),
    [
        (lambda qc: qc.cx(2, 0), "'cx'"),  # not native
        (lambda qc: qc.cz(0, 1), "not coupled"),  # QB1-QB2: no coupler on the star
        (lambda qc: qc.reset(2), "'reset'"),
        (lambda qc: (qc.measure(2, 0), qc.r(0.1, 0.0, 2)), "after it was measured"),
    ],
)
def test_check_native_rejects_with_the_reason(build, expect):
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(5, 1)
    build(qc)
    with pytest.raises(InvalidSubmission, match=re.escape(expect)):
        check_native(qc, "iqm-spark")


def test_rebuild_uses_gate_names_so_a_fake_cz_is_the_real_cz():
    """A team's home-made 2-qubit gate that calls itself 'cz' (but does nothing) is scored as CZ."""
    payload = {
        "num_qubits": 2,
        "num_clbits": 0,
        "instructions": [{"name": "cz", "qubits": [0, 1], "clbits": [], "params": []}],
    }
    qc = rebuild_circuit(payload)
    from qiskit.circuit.library import CZGate

    assert qc.data[0].operation == CZGate()
    payload["instructions"][0] = {"name": "rx", "qubits": [0], "clbits": [], "params": [{"unbound": ["t"]}]}
    with pytest.raises(InvalidSubmission, match="unbound"):
        rebuild_circuit(payload)


def test_unitary_match_finds_the_final_permutation():
    import numpy as np
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import Operator

    target = QuantumCircuit(3)
    target.h(0)
    target.cx(0, 1)
    target.t(2)
    moved = target.copy()
    moved.swap(0, 2)  # the same circuit, with qubits 0 and 2 ending swapped
    perm, overlap = match_up_to_final_permutation(Operator(target).data, Operator(moved).data, 3)
    assert perm == (2, 1, 0) and overlap == pytest.approx(1.0)
    phase = np.exp(0.7j) * Operator(target).data  # a global phase is not a difference
    assert match_up_to_final_permutation(Operator(target).data, phase, 3)[0] == (0, 1, 2)
    wrong = target.copy()
    wrong.s(1)
    assert match_up_to_final_permutation(Operator(target).data, Operator(wrong).data, 3)[0] is None


def test_max_cut_of_the_challenge_graph():
    c = load_challenge("maxcut-qaoa-aria")
    assert max_cut(c.data["num_nodes"], c.data["edges"]) == 7  # 3-regular prism: 9 edges, cut 7
    assert max_cut(4, [[0, 1], [1, 2], [2, 3], [3, 0]]) == 4  # even ring: every edge


# ---- scoring functions called directly (the parent side of the pipeline) -------------------------


def test_ghz_scorer_perfect_poor_and_phase():
    from qiskit import QuantumCircuit

    c = load_challenge("ghz5-spark")
    perfect = c.scorer()(ghz_star(), c)
    assert perfect.details["ideal_fidelity"] == 1.0 and perfect.two_qubit_gates == 4
    # 4 CZ (lambda 0.019..0.037) and 13 PRX with T1/T2 decay: well below 1, well above 0.5
    assert 0.75 < perfect.value < 0.95
    poor = QuantumCircuit(5)  # a Bell pair on QB3-QB4 only: |<GHZ|psi>|^2 = 1/4 without noise
    poor.r(math.pi / 2, math.pi / 2, 2)
    poor.r(-math.pi / 2, math.pi / 2, 3)
    poor.cz(2, 3)
    poor.r(math.pi / 2, math.pi / 2, 3)
    assert c.scorer()(poor, c).value < 0.3
    minus = ghz_star()
    minus.r(math.pi, 0.0, 2)
    minus.r(math.pi, 0.0, 2)  # two X on the centre: -identity on it, same state
    assert c.scorer()(minus, c).details["ideal_fidelity"] == pytest.approx(1.0)
    wrong_phase = ghz_star()
    wrong_phase.r(math.pi, 0.0, 0)
    wrong_phase.r(math.pi, math.pi / 2, 0)  # X then Y = -iZ on QB1: (|0..0> - |1..1>)/sqrt 2
    assert c.scorer()(wrong_phase, c).value < 0.1


def test_the_scored_state_is_the_state_qlab_run_samples():
    """The GHZ score's state is qlab.run's model, idle relaxation included: its populations with
    each qubit's readout flip are exactly qlab's exact distribution of the same circuit, read out
    at the end (to 1e-12; both are double-precision density-matrix runs, no sampling)."""
    import numpy as np

    import qlab
    from qlab.execution.exact import exact_distribution
    from qlab.kits.scoring import noisy_density_matrix

    qc = ghz_star()
    rho = noisy_density_matrix(qc, "iqm-spark")
    probs = np.real(np.diag(rho)).reshape((2,) * 5)  # axis 0 is qubit 4 (little-endian index)
    readout = qlab.device("iqm-spark").qiskit_backend().params.readout
    for q in range(5):
        probs = (1 - readout[q]) * probs + readout[q] * np.flip(probs, axis=4 - q)
    measured = qc.copy()
    measured.measure_all()
    expected = exact_distribution(measured, "iqm-spark", strict=True)
    for index, p in enumerate(probs.reshape(-1)):
        assert p == pytest.approx(expected.get(format(index, "05b"), 0.0), abs=1e-12)
    # the leaves finish early and wait for the centre's last CZ: waiting costs fidelity
    without_idle = noisy_density_matrix(qc, "iqm-spark", idle_noise=False)
    f = 0.5 * (rho[0, 0] + rho[31, 31]).real + rho[0, 31].real
    f_gates_only = 0.5 * (without_idle[0, 0] + without_idle[31, 31]).real + without_idle[0, 31].real
    assert f < f_gates_only - 0.01


def test_qaoa_scorer_budget_and_angles():
    c = load_challenge("maxcut-qaoa-aria")
    score = c.scorer()
    one = score({"gammas": [0.6], "betas": [0.4]}, c)
    assert one.two_qubit_gates == 9 and one.details["layers"] == 1
    # p=1 near-optimal angles reach 0.84 without noise; noise and readout cost a few percent,
    # and a random cut gives 4.5/7 = 0.64
    assert 0.70 < one.value < 0.86
    with pytest.raises(InvalidSubmission, match="budget is 18"):
        score({"gammas": [0.6, 0.5, 0.4], "betas": [0.4, 0.3, 0.2]}, c)
    for bad in ({"gammas": [0.6]}, {"gammas": [0.6], "betas": [0.1, 0.2]}, {"gammas": ["x"], "betas": [1]}):
        with pytest.raises(InvalidSubmission, match="gammas"):
            score(bad, c)
    again = score({"gammas": [0.6], "betas": [0.4]}, c)
    assert again.value == one.value  # fixed seed: the same to the last digit


def test_route_scorer_accepts_a_correct_rewrite_and_rejects_a_wrong_one():
    from qiskit import QuantumCircuit, transpile

    import qlab

    c = load_challenge("route-star")
    target = c.module().target_circuit(c)
    routed = transpile(target, backend=qlab.device("iqm-spark").qiskit_backend(),
                       initial_layout=[0, 1, 2, 3, 4], seed_transpiler=1, optimization_level=1)
    result = c.scorer()(routed, c)
    assert result.value == routed.count_ops()["cz"] == result.two_qubit_gates
    broken = routed.copy()
    broken.r(0.3, 0.0, 4)
    with pytest.raises(InvalidSubmission, match="does not do what the target"):
        c.scorer()(broken, c)
    measured = routed.copy()
    measured.measure_all()  # the unitary check needs a measurement-free circuit
    with pytest.raises(InvalidSubmission, match="not allowed"):
        c.scorer()(measured, c)
    wide = QuantumCircuit(4)
    with pytest.raises(InvalidSubmission, match="must have 5"):
        c.scorer()(wide, c)


# ---- ranking and ties ----------------------------------------------------------------------------


def e(team, score, two=None, gates=None, submitted=0.0, valid=True, file=None):
    return Entry(team=team, file=file or f"{team}.py", valid=valid, score=score if valid else None,
                 two_qubit_gates=two, gates=gates, submitted=submitted,
                 reason="" if valid else "broken")


def test_ranking_higher_is_better_with_the_stated_tie_rules():
    c = load_challenge("ghz5-spark")  # ties: two_qubit_gates -> submitted -> team
    entries = [
        e("late", 0.9, two=4, submitted=200.0),
        e("early", 0.9, two=4, submitted=100.0),
        e("fewer-cz", 0.9, two=3, submitted=300.0),
        e("best", 0.95, two=9),
        e("Bravo", 0.8, two=4, submitted=5.0),
        e("alpha", 0.8, two=4, submitted=5.0),
        e("broken", None, valid=False),
        e("low", 0.1, two=4),
    ]
    ranked = rank(entries, c)
    assert [x.team for x in ranked] == ["best", "fewer-cz", "early", "late", "alpha", "Bravo", "low", "broken"]
    assert [x.rank for x in ranked] == [1, 2, 3, 4, 5, 6, 7, None]


def test_ranking_lower_is_better_for_routing():
    c = load_challenge("route-star")  # ties: gates -> submitted -> team
    ranked = rank([e("a", 12, gates=50), e("b", 10, gates=60), e("c", 10, gates=40)], c)
    assert [x.team for x in ranked] == ["c", "b", "a"]


# ---- leaderboard files ---------------------------------------------------------------------------


def test_leaderboard_files_state_the_tie_rule_and_escape_team_input(tmp_path):
    c = load_challenge("ghz5-spark")
    entries = rank(
        [
            e("<script>alert(1)</script>", 0.86, two=4, gates=13),
            e("=HYPERLINK(\"x\")", 0.7, two=5, gates=20),
            e("팀 알파", 0.5, two=4),
            e("broken", None, valid=False),
        ],
        c,
    )
    paths = write_leaderboard(c, entries, tmp_path / "board")
    page = paths["html"].read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "data:image/png;base64,iVBORw0KGgo" in page  # the plot is embedded: one file to share
    assert "fewer two-qubit gates" in page and "earlier arrival" in page
    # Markdown code spans are <code> in the page, never literal backticks
    assert "Challenge <code>ghz5-spark</code> on device <code>iqm-spark</code>" in page and "`" not in page
    rows = list(csv.DictReader(paths["csv"].open(encoding="utf-8")))
    assert [r["rank"] for r in rows] == ["1", "2", "3", ""]
    assert rows[0]["score"] == "0.860000" and rows[3]["status"] == "invalid"
    assert rows[1]["team"].startswith("'=")  # a spreadsheet will not run it as a formula
    md = paths["md"].read_text(encoding="utf-8")
    assert "equal scores are ordered by fewer two-qubit gates" in md and "팀 알파" in md
    assert paths["png"].read_bytes().startswith(b"\x89PNG")


def test_leaderboard_in_korean(tmp_path, monkeypatch):
    monkeypatch.setenv("QLAB_LANG", "ko")
    c = load_challenge("route-star")
    paths = write_leaderboard(c, rank([e("a", 10, gates=40)], c), tmp_path)
    md = paths["md"].read_text(encoding="utf-8")
    assert "순위표" in md and "CZ 게이트 수 낮은 순" in md and "전체 게이트가 적은 팀" in md
    page = paths["html"].read_text(encoding="utf-8")
    assert "<code>route-star</code>" in page and "`" not in page


# ---- qlab kit new ----------------------------------------------------------------------------------


def test_kit_new_makes_a_ready_folder_and_never_overwrites(tmp_path):
    c = load_challenge("ghz5-spark")
    out = create_kit(c, tmp_path / "alpha", "팀 \"알파\"")
    names = {p.name for p in out.iterdir()}
    assert {"README.md", "notebook.ipynb", "submission.py", "score_local.py", "challenge"} <= names
    source = (out / "submission.py").read_text(encoding="utf-8")
    assert 'TEAM = "팀 \\"알파\\""' in source
    compile(source, "submission.py", "exec")  # still valid Python with quotes in the name
    assert "팀 \"알파\"" in (out / "README.md").read_text(encoding="utf-8")
    assert (out / "challenge" / "score.py").is_file()
    assert load_challenge(out / "challenge").id == "ghz5-spark"
    with pytest.raises(KitError, match="not empty"):
        create_kit(c, out, "beta")
    with pytest.raises(KitError, match="team name"):
        create_kit(c, tmp_path / "gamma", "   ")
    (tmp_path / "empty").mkdir()
    assert create_kit(c, tmp_path / "empty", "delta").is_dir()  # an empty folder is fine


# ---- messages --------------------------------------------------------------------------------------


def test_every_kit_message_exists_in_english_and_korean():
    root = KIT_SOURCES.parent / "messages"
    en = json.loads((root / "kit.en.json").read_text(encoding="utf-8"))
    ko = json.loads((root / "kit.ko.json").read_text(encoding="utf-8"))
    assert set(en) == set(ko)
    used = set()
    for src in KIT_SOURCES.rglob("*.py"):
        used |= set(re.findall(r'"(kit\.[a-z_]+)"', src.read_text(encoding="utf-8")))
    used |= {f"kit.reason_error_{s}" for s in ("import", "call", "result")}
    used |= {f"kit.tie_{r}" for r in ("two_qubit_gates", "gates", "submitted", "team")}
    assert used <= set(en), sorted(used - set(en))
    for key, text in ko.items():
        assert HANGUL.search(text) or key in ("kit.html_lang", "kit.expected_circuit"), key
