"""qlab.check: every seed exercise (a reference solution passes, a placeholder fails), hints that
deepen, friendly messages for malformed answers, grading mode for nbval, English and Korean."""

from __future__ import annotations

import json

import cirq
import numpy as np
import pytest
from qiskit import ClassicalRegister, QuantumCircuit, QuantumRegister, transpile
from qiskit.quantum_info import Statevector

import qlab
from qlab import checker, exercise_bank, i18n, variants
from qlab.checks import CheckResult

STUDENT = "kim-minji"  # secret '00111', marked item '010' (pinned in test_variants.py)


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    for name in ("QLAB_GRADING", "QLAB_STUDENT_ID", "QLAB_LANG", "JPY_SESSION_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(variants, "_student_id", None)
    monkeypatch.setattr(i18n, "_current", None)
    checker.reset_attempts()


# ---- reference solutions, written here independently of the checkers --------------------------


def x_gate():
    qc = QuantumCircuit(1)
    qc.x(0)
    return qc


def plus():
    qc = QuantumCircuit(1)
    qc.h(0)
    return qc


def bell():
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.cx(0, 1)
    return qc


def ghz3():
    q = cirq.LineQubit.range(3)  # a cirq answer, for variety
    return cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[1], q[2]))


def bell_on_spark():
    qc = QuantumCircuit(5)
    qc.ry(np.pi / 2, 0)
    qc.x(0)  # H = X·RY(pi/2)
    qc.ry(np.pi / 2, 2)
    qc.x(2)
    qc.cz(0, 2)
    qc.ry(np.pi / 2, 2)
    qc.x(2)  # CX(0, 2) = H(2) CZ H(2)
    qc.measure_all()
    return transpile(qc, basis_gates=["r", "cz"], optimization_level=0)


def bv_oracle(secret: str) -> QuantumCircuit:
    n = len(secret)
    qc = QuantumCircuit(n + 1)
    for k, bit in enumerate(reversed(secret)):
        if bit == "1":
            qc.cx(k, n)
    return qc


def bv_recover(secret: str) -> str:
    """Run Bernstein-Vazirani on the reference oracle; the most likely outcome is the secret."""
    n = len(secret)
    qc = QuantumCircuit(n + 1)
    qc.x(n)
    qc.h(range(n + 1))
    qc.compose(bv_oracle(secret), inplace=True)
    qc.h(range(n))
    probs = Statevector(qc).probabilities_dict(qargs=list(range(n)))
    return max(probs, key=probs.get)


def grover(marked: str) -> QuantumCircuit:
    qc = QuantumCircuit(3)
    qc.h(range(3))

    def ccz():
        qc.h(2)
        qc.ccx(0, 1, 2)
        qc.h(2)

    for _ in range(2):
        zeros = [k for k, bit in enumerate(reversed(marked)) if bit == "0"]
        if zeros:
            qc.x(zeros)
        ccz()
        if zeros:
            qc.x(zeros)
        qc.h(range(3))
        qc.x(range(3))
        ccz()
        qc.x(range(3))
        qc.h(range(3))
    return qc


def grover_counts(marked: str, shots: int = 1000, seed: int = 14) -> dict[str, int]:
    sv = Statevector(grover(marked))
    sv.seed(seed)
    return sv.sample_counts(shots)


def teleport_deferred():
    qc = QuantumCircuit(3)
    qc.h(1)
    qc.cx(1, 2)
    qc.cx(0, 1)
    qc.h(0)
    qc.cx(1, 2)
    qc.cz(0, 2)
    return qc


def teleport_dynamic(with_z: bool = True):
    qr, c0, c1 = QuantumRegister(3), ClassicalRegister(1), ClassicalRegister(1)
    qc = QuantumCircuit(qr, c0, c1)
    qc.h(1)
    qc.cx(1, 2)
    qc.cx(0, 1)
    qc.h(0)
    qc.measure(0, c0)
    qc.measure(1, c1)
    with qc.if_test((c1, 1)):
        qc.x(2)
    if with_z:
        with qc.if_test((c0, 1)):
            qc.z(2)
    return qc


SOLUTIONS = {
    "x-gate": (x_gate, lambda: QuantumCircuit(1)),
    "hadamard-plus": (plus, x_gate),
    "bell-state": (bell, lambda: QuantumCircuit(2)),
    "ghz-3": (ghz3, lambda: QuantumCircuit(3)),
    "bell-on-spark": (bell_on_spark, lambda: transpile(bell(), basis_gates=["r", "cz"])),
    "bv-secret": (lambda: bv_oracle("00111"), lambda: QuantumCircuit(6)),
    "grover-3": (lambda: grover_counts("010"), lambda: grover_counts("011")),
    "teleport": (teleport_deferred, lambda: QuantumCircuit(3)),
}


def test_every_exercise_has_a_solution_test():
    """The seed exercises (exercises.json) are proven here; a lesson's own exercises
    (exercises-<topic>.json) in its tests/test_exercises_<topic>.py."""
    from importlib import resources
    from pathlib import Path

    seed = json.loads((resources.files("qlab") / "exercise_bank" / "exercises.json").read_text())
    assert set(SOLUTIONS) == set(seed)
    lesson_tests = "".join(
        p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_exercises_*.py")
    )
    untested = [e for e in exercise_bank.exercise_ids() if e not in seed and f'"{e}"' not in lesson_tests]
    assert not untested, f"exercises with no solution-passes/placeholder-fails test: {untested}"


@pytest.mark.parametrize("exercise_id", sorted(SOLUTIONS))
def test_solution_passes_and_placeholder_fails(exercise_id, capsys):
    qlab.set_student_id(STUDENT)
    solution, placeholder = SOLUTIONS[exercise_id]
    good = qlab.check(exercise_id, solution())
    assert good.passed, good.message
    assert good.message.startswith("Correct!")
    bad = qlab.check(exercise_id, placeholder())
    assert not bad.passed
    assert bad.message.startswith("Not yet.")
    ex = exercise_bank.get(exercise_id)  # the mistake's own hint, or the first rung of the ladder
    assert bad.hint == (ex.mistake_hint(bad.details.get("reason"), "qiskit") or ex.hint(0, "qiskit"))
    out = capsys.readouterr().out
    assert "✓" in out and "✗" in out and "Hint:" in out


def test_bell_state_accepts_circuits_and_states_up_to_global_phase():
    state = -1j * np.array([1, 0, 0, 1]) / np.sqrt(2)
    assert qlab.check("bell-state", state).passed
    q = cirq.LineQubit.range(2)
    assert qlab.check("bell-state", cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]))).passed


def test_bell_on_spark_needs_natives_and_a_coupled_pair():
    not_native = qlab.check("bell-on-spark", bell())
    assert "not native" in not_native.message
    qc = QuantumCircuit(5)
    qc.cz(0, 1)
    assert "not coupled" in qlab.check("bell-on-spark", qc).message
    on_other_pair = transpile(
        _bell_on(2, 4), basis_gates=["r", "cz"], optimization_level=0
    )  # qubits 2 and 4 are coupled too
    assert qlab.check("bell-on-spark", on_other_pair).passed


def _bell_on(a: int, b: int) -> QuantumCircuit:
    qc = QuantumCircuit(5)
    qc.h(a)
    qc.h(b)
    qc.cz(a, b)
    qc.h(b)
    return qc


def test_bv_secret_as_string_oracle_or_phase_oracle():
    qlab.set_student_id(STUDENT)
    secret = exercise_bank.params("bv-secret")["secret"]
    assert secret == "00111"
    assert bv_recover(secret) == secret
    assert qlab.check("bv-secret", bv_recover(secret)).passed
    reversed_answer = qlab.check("bv-secret", secret[::-1])
    assert not reversed_answer.passed and "backwards" in reversed_answer.message
    assert not qlab.check("bv-secret", "11111").passed
    assert "5 bits" in qlab.check("bv-secret", "abc").message
    phase_oracle = np.diag([(-1.0) ** bin(x & 0b00111).count("1") for x in range(32)])
    assert qlab.check("bv-secret", phase_oracle).passed


def test_each_student_is_graded_against_their_own_variant(monkeypatch):
    other = next(
        f"student-{k}"
        for k in range(100)
        if exercise_bank.params("bv-secret", student=f"student-{k}")["secret"] != "00111"
    )
    monkeypatch.setenv("QLAB_STUDENT_ID", STUDENT)
    assert qlab.check("bv-secret", bv_oracle("00111")).passed
    monkeypatch.setenv("QLAB_STUDENT_ID", other)
    assert not qlab.check("bv-secret", bv_oracle("00111")).passed  # a neighbour's answer
    theirs = exercise_bank.params("bv-secret")["secret"]
    assert qlab.check("bv-secret", bv_oracle(theirs)).passed


def test_grover_counts_circuit_and_too_few_shots():
    qlab.set_student_id(STUDENT)
    assert qlab.check("grover-3", grover("010")).passed  # exact probability 0.945
    few = qlab.check("grover-3", grover_counts("010", shots=50))
    assert not few.passed and "at least 200" in few.message
    wide = qlab.check("grover-3", {"0010": 900, "0000": 100})
    assert not wide.passed and "should have 3 bits; yours have 4" in wide.message
    assert qlab.check("grover-3", grover_counts("010"), p_min=0.9).passed


def test_teleport_dynamic_and_cirq_forms():
    assert qlab.check("teleport", teleport_dynamic()).passed
    missing_z = qlab.check("teleport", teleport_dynamic(with_z=False))
    assert not missing_z.passed
    assert "|+⟩" in missing_z.message and "0.500" in missing_z.message
    q = cirq.LineQubit.range(3)
    circ = cirq.Circuit(
        cirq.H(q[1]), cirq.CNOT(q[1], q[2]), cirq.CNOT(q[0], q[1]), cirq.H(q[0]),
        cirq.CNOT(q[1], q[2]), cirq.CZ(q[0], q[2]), cirq.measure(q[0], q[1], key="m"),
    )  # fmt: skip
    assert qlab.check("teleport", circ).passed


def _unforeseen_bell() -> QuantumCircuit:
    """A wrong Bell attempt no mistake message describes: RY(pi/3) then CNOT."""
    qc = QuantumCircuit(2)
    qc.ry(np.pi / 3, 0)
    qc.cx(0, 1)
    return qc


def test_unforeseen_failures_climb_the_ladder_then_stay_at_the_top():
    wrong = _unforeseen_bell()
    hints = [qlab.check("bell-state", wrong).hint for _ in range(5)]
    ex = exercise_bank.get("bell-state")
    assert hints == [ex.hint(0), ex.hint(1), ex.hint(2), ex.hint(2), ex.hint(2)]
    assert len(set(hints[:3])) == 3
    assert qlab.check("bell-state", bell()).hint == ""  # no hint on success
    checker.reset_attempts("bell-state")
    assert qlab.check("bell-state", wrong).hint == ex.hint(0)


def test_a_wrong_try_after_a_pass_starts_the_ladder_again():
    """The reviewer's case: two failures, a pass, then a variation that fails must not get the
    third (answer-giving) hint."""
    ex = exercise_bank.get("bell-state")
    wrong = _unforeseen_bell()
    qlab.check("bell-state", wrong)
    qlab.check("bell-state", wrong)
    assert qlab.check("bell-state", bell()).passed
    assert qlab.check("bell-state", wrong).hint == ex.hint(0)


def test_each_exercise_has_its_own_ladder():
    qlab.check("bell-state", _unforeseen_bell())
    qlab.check("bell-state", _unforeseen_bell())
    other = QuantumCircuit(3)
    other.ry(0.3, 0)
    other.cx(0, 1)
    other.cx(1, 2)
    assert qlab.check("ghz-3", other).hint == exercise_bank.get("ghz-3").hint(0)


def test_a_recognised_mistake_gets_its_own_hint_and_does_not_use_up_the_ladder():
    ex = exercise_bank.get("bell-state")
    minus = bell()
    minus.z(0)  # |Phi->
    for _ in range(3):
        result = qlab.check("bell-state", minus)
        assert result.details["reason"] == "sign"
        assert result.hint == ex.mistake_hint("sign") and "sign" in result.hint
    assert qlab.check("bell-state", _unforeseen_bell()).hint == ex.hint(0)


class Weird:
    """An object that breaks when inspected, as student objects sometimes do."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("boom")


@pytest.mark.parametrize(
    "answer", ["bell", None, 42, [[1, 2], [3]], {"00": "x"}, Weird(), QuantumCircuit(2, 2)]
)
def test_malformed_answers_never_raise(answer, capsys):
    result = qlab.check("bell-state", answer)
    assert isinstance(result, CheckResult) and not result.passed
    assert "Traceback" not in capsys.readouterr().out


def test_simulation_error_is_friendly():
    from qiskit.circuit import Parameter

    qc = QuantumCircuit(2)
    qc.rx(Parameter("theta"), 0)  # unbound: cannot be simulated
    result = qlab.check("bell-state", qc)
    assert not result.passed
    assert result.message.startswith("Not yet.")


def test_missing_student_id_is_a_message_not_a_crash(capsys):
    result = qlab.check("bv-secret", "00111")
    assert not result.passed
    assert "qlab.set_student_id" in result.message
    assert not result.message.startswith("Not yet.")
    assert result.hint == ""


def test_unknown_exercise_and_option():
    result = qlab.check("bel-state", bell())
    assert not result.passed and "Did you mean 'bell-state'?" in result.message
    option = qlab.check("bell-state", bell(), shots=10)
    assert not option.passed and "'shots'" in option.message


# ---- grading mode (the contract with qlab/assign) -------------------------------------------


def test_grading_mode_fails_the_cell_with_the_failure_text(monkeypatch, capsys):
    monkeypatch.setenv("QLAB_GRADING", "1")
    with pytest.raises(AssertionError) as info:
        qlab.check("bell-state", QuantumCircuit(2))
    text = str(info.value)
    assert "Not yet." in text and "Expected 0.707|00⟩ + 0.707|11⟩" in text
    with pytest.raises(AssertionError, match="got a str"):
        qlab.check("bell-state", "my answer")
    with pytest.raises(AssertionError, match="set_student_id"):
        qlab.check("bv-secret", "00111")
    capsys.readouterr()
    assert qlab.check("bell-state", bell()).passed
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("✓")


def test_grading_mode_reads_the_id_the_grader_sets(monkeypatch):
    monkeypatch.setenv("QLAB_GRADING", "1")
    monkeypatch.setenv("QLAB_STUDENT_ID", STUDENT)
    assert qlab.check("bv-secret", "00111").passed


@pytest.mark.parametrize("run", ["autograde", "validate"])
def test_nbgrader_runs_are_graded_runs_without_any_qlab_variable(monkeypatch, run):
    """nbgrader sets NBGRADER_EXECUTION while it runs a notebook: a wrong answer must fail the
    test cell there too (a |Φ−⟩ answer to the Bell exercise), with no variable to remember."""
    monkeypatch.setenv("NBGRADER_EXECUTION", run)
    phi_minus = QuantumCircuit(2)
    phi_minus.x(0)
    phi_minus.h(0)
    phi_minus.cx(0, 1)
    with pytest.raises(AssertionError, match="Not yet"):
        qlab.check("bell-state", phi_minus)
    assert qlab.check("bell-state", bell()).passed
    monkeypatch.setenv("NBGRADER_EXECUTION", "")  # outside nbgrader: a cross, no exception
    assert not qlab.check("bell-state", phi_minus).passed


def test_under_nbgrader_autograde_the_student_is_the_one_nbgrader_grades(monkeypatch, tmp_path):
    """nbgrader runs a submission in autograded/<student>/<assignment>/; that folder names the
    student, and the submission cannot choose another one (set_student_id, chdir)."""
    folder = tmp_path / "autograded" / STUDENT / "lab-algorithms"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    qlab.set_student_id("someone-else")
    assert variants.student_id() == STUDENT
    monkeypatch.chdir(tmp_path)
    assert variants.student_id() == STUDENT  # read once: a later chdir changes nothing
    assert qlab.check("bv-secret", "00111").passed


def test_nbgrader_validate_and_jupyterhub_use_the_hub_user(monkeypatch, tmp_path):
    """Outside autograde nbgrader gives no folder; on a JupyterHub the user name is the id its
    exchange files the submission under. An id set in the notebook still comes first."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    monkeypatch.setenv("JUPYTERHUB_USER", STUDENT)
    assert variants.student_id() == STUDENT
    qlab.set_student_id("lee-jun")
    assert variants.student_id() == "lee-jun"


# ---- languages and rendering --------------------------------------------------------------------


def test_korean_messages(monkeypatch):
    qlab.set_language("ko")
    good = qlab.check("bell-state", bell())
    assert good.message.startswith("정답이에요!")
    bad = qlab.check("bell-state", QuantumCircuit(2))
    assert bad.message.startswith("아직 아니에요.")
    assert "힌트: " in bad.text()
    monkeypatch.setattr(i18n, "_current", None)
    monkeypatch.setenv("QLAB_LANG", "ko")
    assert qlab.check("x-gate", x_gate()).title == "|0⟩을 |1⟩로 뒤집기"


def test_html_rendering_escapes_and_shows_the_hint():
    result = CheckResult(False, "<b>not</b> right", hint="use h & cx", title="T")
    html = result._repr_html_()
    assert "&lt;b&gt;not&lt;/b&gt;" in html and "use h &amp; cx" in html
    assert "use h" not in CheckResult(True, "ok", hint="use h")._repr_html_()


def test_in_jupyter_the_result_is_displayed_once(monkeypatch):
    import IPython
    import IPython.display

    shown = []

    class FakeKernelShell:
        kernel = object()
        execution_count = 7

    shell = FakeKernelShell()
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)

    def fake_display(obj, raw=False):
        if not raw and hasattr(obj, "_ipython_display_"):
            return obj._ipython_display_()
        shown.append(obj)

    monkeypatch.setattr(IPython.display, "display", fake_display)
    result = qlab.check("x-gate", x_gate())
    assert len(shown) == 1 and "text/html" in shown[0]
    result._ipython_display_()  # the Out[] echo of the same cell: skipped
    assert len(shown) == 1
    shell.execution_count = 8
    result._ipython_display_()  # shown again when asked for in a later cell
    assert len(shown) == 2


@pytest.mark.parametrize("lang,label", [("en", "Hint: "), ("ko", "힌트: ")])
def test_a_hint_is_labelled_in_words_and_symbols_every_font_has(lang, label, monkeypatch):
    """No light-bulb emoji (a box without an emoji font): a word and an arrow, ✓ / ✗ for the verdict."""
    monkeypatch.setattr(i18n, "_current", lang)
    result = CheckResult(False, "wrong", hint="use a Hadamard", title="Bell")
    page = result._repr_html_()
    assert f"→ {label}use a Hadamard</div>" in page and "✗</span>" in page
    assert result.text() == f"✗ Bell: wrong\n  {label}use a Hadamard"
    assert not any(0x1F300 <= ord(c) <= 0x1FAFF or c in "\u2705\u274c" for c in page)
