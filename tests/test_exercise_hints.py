"""Every checked exercise, against answers we did not write the checker for: at least two differently
written correct answers pass, and at least two plausible wrong ones fail, each with the hint for
*its* mistake (a sign error gets the sign hint, a reversed order the order hint, a missing gate the
missing-gate hint), in the framework of the answer (Cirq syntax for a Cirq answer).

Everything is exact (state vectors, matrices, fixed cases) except the Grover counts, which are drawn
from the exact distribution with a fixed seed (seed 14, 1000 shots; P(marked) = 0.945, so the
p >= 0.4 test cannot fail by chance)."""

from __future__ import annotations

import cirq
import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister
from qiskit.circuit.library import QFTGate
from qiskit.quantum_info import Statevector

import qlab
from qlab import exercise_bank

STUDENT = "kim-minji"  # bv-secret '00111', grover-3 marked '010' (pinned in test_variants.py)
q = cirq.LineQubit.range(5)


def qk(n, *ops):
    """A Qiskit circuit of n qubits from (gate, *args) tuples."""
    qc = QuantumCircuit(n)
    for name, *args in ops:
        getattr(qc, name)(*args)
    return qc


# ---- correct answers, two or more ways each -------------------------------------------------------


def grover_circuit(marked: str, steps: int = 2) -> QuantumCircuit:
    zeros = [k for k in range(3) if marked[-1 - k] == "0"]
    qc = QuantumCircuit(3)
    qc.h(range(3))
    for _ in range(steps):
        if zeros:
            qc.x(zeros)
        qc.h(2)
        qc.ccx(0, 1, 2)
        qc.h(2)
        if zeros:
            qc.x(zeros)
        qc.h(range(3))
        qc.x(range(3))
        qc.h(2)
        qc.ccx(0, 1, 2)
        qc.h(2)
        qc.x(range(3))
        qc.h(range(3))
    return qc


def grover_counts(marked: str, steps: int = 2) -> dict[str, int]:
    sv = Statevector(grover_circuit(marked, steps))
    sv.seed(14)
    return sv.sample_counts(1000)


def qpe(k: int, inverse: bool = True) -> QuantumCircuit:
    qc = QuantumCircuit(4)
    qc.x(3)
    qc.h([0, 1, 2])
    for j in range(3):
        qc.cp(2**j * 2 * np.pi * k / 8, j, 3)
    qc.append(QFTGate(3).inverse() if inverse else QFTGate(3), [0, 1, 2])
    return qc


def qpe_cirq(k: int) -> cirq.Circuit:
    ops = [cirq.X(q[3]), *[cirq.H(x) for x in q[:3]]]
    ops += [cirq.CZPowGate(exponent=2**j * 2 * k / 8).on(q[j], q[3]) for j in range(3)]
    ops.append(cirq.qft(*reversed(q[:3]), inverse=True))
    return cirq.Circuit(ops)


def teleport_if_test(swap: bool = False) -> QuantumCircuit:
    c0, c1 = ClassicalRegister(1), ClassicalRegister(1)
    qc = QuantumCircuit(QuantumRegister(3), c0, c1)
    qc.compose(qk(3, ("h", 1), ("cx", 1, 2), ("cx", 0, 1), ("h", 0)), inplace=True)  # pair, Alice
    qc.measure([0, 1], [0, 1])
    with qc.if_test((c0 if swap else c1, 1)):
        qc.x(2)
    with qc.if_test((c1 if swap else c0, 1)):
        qc.z(2)
    return qc


def teleport_cirq(corrections=("X", "Z")) -> cirq.Circuit:
    ops = [cirq.H(q[1]), cirq.CNOT(q[1], q[2]), cirq.CNOT(q[0], q[1]), cirq.H(q[0]),
           cirq.measure(q[0], key="m0"), cirq.measure(q[1], key="m1")]
    if "X" in corrections:
        ops.append(cirq.X(q[2]).with_classical_controls("m1"))
    if "Z" in corrections:
        ops.append(cirq.Z(q[2]).with_classical_controls("m0"))
    return cirq.Circuit(ops)


def spark_bell(pair=(0, 2), before=-np.pi / 2, first=np.pi / 2) -> QuantumCircuit:
    a, b = pair
    qc = QuantumCircuit(5)
    qc.r(first, np.pi / 2, a)
    qc.r(before, np.pi / 2, b)
    qc.cz(a, b)
    qc.r(-before, np.pi / 2, b)
    return qc


def z_expectation(counts, qubits):
    shots = sum(counts.values())
    return sum(c * (-1) ** sum(int(k[-1 - x]) for x in qubits) for k, c in counts.items()) / shots


CORRECT = {
    "spark-best-pair": [(2, 3), [3, 2], np.array([2, 3])],
    "x-gate": [qk(1, ("x", 0)), qk(1, ("rx", np.pi, 0)), cirq.Circuit(cirq.Y(q[0]))],
    "hadamard-plus": [qk(1, ("h", 0)), qk(1, ("ry", np.pi / 2, 0)), [1 / np.sqrt(2), 1 / np.sqrt(2)]],
    "bell-state": [qk(2, ("h", 0), ("cx", 0, 1)), cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1])),
                   qk(2, ("h", 1), ("cx", 1, 0))],
    "ghz-3": [qk(3, ("h", 0), ("cx", 0, 1), ("cx", 1, 2)),
              cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[0], q[2])),
              qk(3, ("h", 2), ("cx", 2, 1), ("cx", 2, 0))],
    "bell-on-spark": [spark_bell(), spark_bell((2, 3)), spark_bell((4, 2))],
    "decay-time": [lambda t, p: -1 / np.polyfit(t, np.log(p), 1)[0],
                   lambda t, p: (t[-1] - t[0]) / np.log(p[0] / p[-1])],
    "readout-confusion": [],  # device data: tests/test_exercises_noise.py (counts from the device)
    "bv-secret": ["00111", " 0011 1 ", qk(6, ("cx", 0, 5), ("cx", 1, 5), ("cx", 2, 5))],
    "grover-3": [grover_counts("010"), grover_circuit("010"), grover_circuit("010", steps=1)],
    "qpe-phase": ["qpe", "qpe_cirq"],  # built for the student's k below
    "z-expectation": [z_expectation,
                      lambda c, qs: sum(v * np.prod([1 - 2 * int(k[::-1][x]) for x in qs])
                                        for k, v in c.items()) / sum(c.values())],
    "heavy-outputs": [
        lambda p: {x for x, v in (lambda n: {format(i, f"0{n}b"): p.get(format(i, f"0{n}b"), 0.0)
                                              for i in range(2**n)})(len(next(iter(p)))).items()
                   if v > np.median([p.get(format(i, f"0{len(next(iter(p)))}b"), 0.0)
                                     for i in range(2 ** len(next(iter(p))))])},
        lambda p: sorted(x for x in p if p[x] > np.median(
            list(p.values()) + [0.0] * (2 ** len(next(iter(p))) - len(p)))),
    ],
    "classical-fidelity": [
        lambda a, b: sum(np.sqrt(a.get(x, 0) * b.get(x, 0)) for x in set(a) | set(b)) ** 2,
        lambda a, b: float(np.sum([np.sqrt(a[x] * b[x]) for x in a if x in b])) ** 2,
    ],
    "teleport": [teleport_if_test(), teleport_cirq(),
                 cirq.Circuit(cirq.H(q[1]), cirq.CNOT(q[1], q[2]), cirq.CNOT(q[0], q[1]), cirq.H(q[0]),
                              cirq.CNOT(q[1], q[2]), cirq.CZ(q[0], q[2]))],
    "bb84-sift": [lambda a, c, b: [int(x) for i, j, x in zip(a, c, b, strict=True) if i == j],
                  lambda a, c, b: list(np.asarray(b)[np.asarray(a) == np.asarray(c)])],
    "maxcut-expectation": [
        lambda counts, edges: sum(c * sum(k[-1 - a] != k[-1 - b] for a, b in edges)
                                  for k, c in counts.items()) / sum(counts.values()),
        lambda counts, edges: float(np.average(
            [sum(k[::-1][a] != k[::-1][b] for a, b in edges) for k in counts],
            weights=list(counts.values()))),
    ],
    "chsh-angles": [(np.pi / 4, -np.pi / 4), [np.pi / 4, 7 * np.pi / 4], (np.pi / 4 + 2 * np.pi, -np.pi / 4)],
    "superdense-encode": [
        lambda m: cirq.Circuit([cirq.X(q[0])] * int(m[0]) + [cirq.Z(q[0])] * int(m[1])),
        lambda m: {"00": cirq.Circuit(), "10": cirq.Circuit(cirq.X(q[0])),
                   "01": cirq.Circuit(cirq.Z(q[0])), "11": cirq.Circuit(cirq.Y(q[0]))}[m],
        lambda m: qk(1, *([("x", 0)] if m[0] == "1" else []), *([("z", 0)] if m[1] == "1" else [])),
    ],
    "syndrome-decode": [lambda a, b: {(0, 0): None, (1, 0): 0, (1, 1): 1, (0, 1): 2}[(a, b)],
                        lambda a, b: (1 if a and b else 0 if a else 2 if b else None)],
    "turns-to-radians": [lambda x: 2 * np.pi * x, lambda x: float(np.deg2rad(360 * x)),
                         lambda x: (2 * np.pi * x) % (2 * np.pi)],
    "phaseflip-encode": [qk(3, ("cx", 0, 1), ("cx", 0, 2), ("h", [0, 1, 2])),
                         qk(3, ("cx", 0, 1), ("cx", 1, 2), ("h", [0, 1, 2])),
                         cirq.Circuit(cirq.CNOT(q[0], q[1]), cirq.CNOT(q[0], q[2]), cirq.H.on_each(*q[:3]))],
}

# ---- plausible wrong answers and the mistake each one must be named as ----------------------------

WRONG = {
    "spark-best-pair": [((3, 4), "labels"), ((0, 1), "uncoupled"), ((2, 4), "worst"), ((0, 2), "not_best")],
    "x-gate": [(qk(1, ("h", 0)), "half_way"), (qk(1, ("z", 0)), "unchanged"),
               (qk(1, ("rx", np.pi / 2, 0)), "half_way")],
    "hadamard-plus": [(qk(1, ("x", 0), ("h", 0)), "sign"), (qk(1, ("h", 0), ("z", 0)), "sign"),
                      (qk(1, ("rx", np.pi / 2, 0)), "imaginary"), (qk(1, ("x", 0)), "full_flip")],
    "bell-state": [(qk(2, ("h", 0), ("cx", 0, 1), ("z", 0)), "sign"),
                   (qk(2, ("x", 0), ("h", 0), ("cx", 0, 1)), "sign"),
                   (qk(2, ("cx", 0, 1), ("h", 0)), "order"),
                   (qk(2, ("h", 0)), "missing_gate"),
                   (qk(2, ("h", 1), ("cx", 0, 1)), "h_on_target"),
                   (qk(2, ("h", 0), ("x", 1), ("cx", 0, 1)), "disagree"),
                   (qk(2, ("h", [0, 1])), "independent")],
    "ghz-3": [(qk(3, ("h", 0), ("cx", 0, 1)), "missing_gate"),
              (qk(3, ("h", 0), ("cx", 1, 2), ("cx", 0, 1)), "order"),
              (qk(3, ("h", 0), ("cx", 0, 1), ("cx", 1, 2), ("z", 2)), "sign"),
              (qk(3, ("h", 0), ("cx", 0, 1), ("cx", 1, 2), ("x", 2)), "disagree")],
    "bell-on-spark": [(spark_bell(first=-np.pi / 2), "sign"), (spark_bell(before=np.pi / 2), "sign"),
                      (spark_bell().compose(qk(5, ("r", np.pi, 0, 2))), "disagree"),
                      (qk(5, ("r", 0.25, 0.25, 0), ("r", -0.25, 0.25, 2), ("cz", 0, 2), ("r", 0.25, 0.25, 2)), "turns"),
                      (qk(5, ("h", 0), ("cx", 0, 2)), "gate"), (spark_bell((0, 1)), "pair")],
    "decay-time": [(lambda t, p: np.polyfit(t, np.log(p), 1)[0], "slope"),
                   (lambda t, p: -1 / np.polyfit(t, np.log10(p), 1)[0], "log10"),
                   (lambda t, p: -np.polyfit(t, np.log(p), 1)[0], "rate")],
    "bv-secret": [("11100", "reversed"), ("01010", "different")],
    "grover-3": [(grover_counts("010"[::-1] if "010" != "010"[::-1] else "100"), "other_item"),
                 (grover_counts("010", steps=3), "steps"), (grover_counts("010", steps=0), "no_amplification")],
    "qpe-phase": [("no_eigenstate", "eigenstate"), ("qft_not_inverse", "conjugate")],
    "z-expectation": [(lambda c, qs: z_expectation({k[::-1]: v for k, v in c.items()}, qs), "order"),
                      (lambda c, qs: (1 + z_expectation(c, qs)) / 2, "probability"),
                      (lambda c, qs: z_expectation(c, qs) * sum(c.values()), "not_averaged")],
    "heavy-outputs": [(lambda p: {format(i, f"0{len(next(iter(p)))}b") for i in range(2 ** len(next(iter(p))))
                                  if p.get(format(i, f"0{len(next(iter(p)))}b"), 0.0) >= np.median(
                                      [p.get(format(j, f"0{len(next(iter(p)))}b"), 0.0)
                                       for j in range(2 ** len(next(iter(p))))])}, "ties"),
                      (lambda p: {x for x, v in p.items() if v > np.median(list(p.values()))}, "missing_zeros")],
    "classical-fidelity": [(lambda a, b: sum(np.sqrt(a.get(x, 0) * b.get(x, 0)) for x in a), "no_square"),
                           (lambda a, b: sum(np.sqrt(a[x] * b[x]) for x in a) ** 2, "missing_key")],
    "teleport": [(teleport_cirq(("X",)), "z_correction"), (teleport_cirq(("Z",)), "x_correction"),
                 (teleport_if_test(swap=True), "swapped"), (cirq.Circuit(cirq.H(q[1]), cirq.CNOT(q[1], q[2])), "width")],
    "bb84-sift": [(lambda a, c, b: [int(x) for i, j, x in zip(a, c, b, strict=True) if i != j], "kept_different"),
                  (lambda a, c, b: [int(x) for x in b], "no_sift")],
    "maxcut-expectation": [(lambda counts, edges: sum(c * sum(k[a] != k[b] for a, b in edges)
                                                      for k, c in counts.items()) / sum(counts.values()), "order"),
                           (lambda counts, edges: sum(c * sum(k[-1 - a] != k[-1 - b] for a, b in edges)
                                                      for k, c in counts.items()), "not_averaged")],
    "chsh-angles": [((-np.pi / 4, np.pi / 4), "swapped"), ((45, -45), "degrees"), ((0, 0), "classical")],
    "superdense-encode": [(lambda m: cirq.Circuit([cirq.X(q[0])] * int(m[1]) + [cirq.Z(q[0])] * int(m[0])), "order"),
                          (lambda m: cirq.Circuit([cirq.X(q[0])] * int(m[0])), "missing_gate"),
                          (lambda m: cirq.Circuit([cirq.X(q[1])] * int(m[0])), "wrong_qubit")],
    "turns-to-radians": [(lambda x: x, "units"), (lambda x: np.pi * x, "half"),
                         (lambda x: x / (2 * np.pi), "inverse"), (lambda x: 360 * x, "degrees")],
    "syndrome-decode": [(lambda a, b: {(0, 0): None, (1, 0): 2, (1, 1): 1, (0, 1): 0}[(a, b)], "order"),
                        (lambda a, b: {(0, 0): 1, (1, 0): 0, (1, 1): 1, (0, 1): 2}[(a, b)], "no_error")],
    "phaseflip-encode": [(qk(3, ("cx", 0, 1), ("cx", 0, 2)), "bitflip"),
                         (qk(3, ("h", 0), ("cx", 0, 1), ("cx", 0, 2)), "order"),
                         (qk(3, ("cx", 0, 1), ("cx", 0, 2), ("h", [1, 2])), "missing_gate")],
}


def _materialise(exercise: str, answer):
    """Answers that depend on the student's variant, built for the student of these tests."""
    if exercise == "qpe-phase":
        k = exercise_bank.params("qpe-phase")["k"]
        return {"qpe": qpe(k), "qpe_cirq": qpe_cirq(k),
                "no_eigenstate": qpe(k).compose(qk(4, ("x", 3)), front=True),
                "qft_not_inverse": qpe(k, inverse=False)}[answer]
    return answer


@pytest.fixture(autouse=True)
def _student():
    qlab.set_student_id(STUDENT)


def test_every_exercise_is_covered_here_or_in_its_own_file():
    assert set(exercise_bank.exercise_ids()) == set(CORRECT) == set(WRONG) | {"readout-confusion"}


@pytest.mark.parametrize(
    ("exercise", "k"), [(e, k) for e, answers in CORRECT.items() for k in range(len(answers))]
)
def test_correct_answers_written_differently_pass(exercise, k):
    result = qlab.check(exercise, _materialise(exercise, CORRECT[exercise][k]))
    assert result.passed, result.message
    assert len(CORRECT[exercise]) >= 2 or exercise == "readout-confusion"


@pytest.mark.parametrize(
    ("exercise", "k"), [(e, k) for e, wrong in WRONG.items() for k in range(len(wrong))]
)
def test_wrong_answers_fail_and_the_hint_answers_their_mistake(exercise, k):
    answer, reason = WRONG[exercise][k]
    assert len(WRONG[exercise]) >= 2
    result = qlab.check(exercise, _materialise(exercise, answer))
    assert not result.passed
    assert result.details.get("reason") == reason, (result.details.get("reason"), result.message)
    ex = exercise_bank.get(exercise)
    own = ex.mistake_hint(reason, "cirq" if type(answer).__module__.startswith("cirq") else "qiskit")
    if reason != "different":
        assert own, f"{exercise}: no hint for the mistake '{reason}'"
    assert result.hint == (own or ex.hint(0)), result.hint


def test_a_sign_error_gets_the_sign_hint_not_the_hadamard_hint():
    """The reviewer's case: |Phi-> used to get 'first put one qubit in superposition'."""
    result = qlab.check("bell-state", qk(2, ("h", 0), ("cx", 0, 1), ("z", 1)))
    assert "sign" in result.hint and "Hadamard on qubit 0" not in result.hint


def test_cirq_answers_get_cirq_syntax_in_their_hints():
    missing = qlab.check("bell-state", cirq.Circuit(cirq.H(q[0]), cirq.I(q[1])))
    assert "cirq.CNOT" in missing.hint and "qc.cx" not in missing.hint
    qiskit_missing = qlab.check("bell-state", qk(2, ("h", 0)))
    assert "qc.cx" in qiskit_missing.hint
    no_z = qlab.check("teleport", teleport_cirq(("X",)))
    assert "with_classical_controls" in no_z.hint and "if_test" not in no_z.hint
    # the ladder's code-carrying rung is in Cirq for a Cirq answer too
    ex = exercise_bank.get("ghz-3")
    assert "cirq." in ex.hint(2, "cirq") and "qc." in ex.hint(2, "qiskit")


def test_hints_are_korean_and_in_the_feedback_register(monkeypatch):
    from qlab.course.glossary import register_of

    qlab.set_language("ko")
    result = qlab.check("bell-state", qk(2, ("h", 0), ("cx", 0, 1), ("z", 0)))
    assert result.message.startswith("아직 아니에요.")
    assert "부호" in result.hint and register_of(result.hint) == "해요체"


def test_grading_mode_still_raises_with_the_mistake_hint(monkeypatch):
    monkeypatch.setenv("QLAB_GRADING", "1")
    with pytest.raises(AssertionError) as info:
        qlab.check("bell-state", qk(2, ("cx", 0, 1), ("h", 0)))
    assert "Hadamard first" in str(info.value)
