"""The try-it exercises whose solutions stand alone (lessons 1-4, 7, 11, 12), as the students see
them: for every exercise in a lesson, the solution shown in its "Solution" box passes `qlab.check`,
the committed placeholder fails, and the usual mistakes fail too. The solutions are read from the
notebooks themselves, so a lesson cannot show a solution that the checker rejects.

Everything here is exact (state vectors and matrices): no sampling, no seed needed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from qlab.checker import _evaluate

ROOT = Path(__file__).resolve().parents[1]
# lesson -> the exercise ids of its try-its, in order
TRY_ITS = {
    "01-getting-started.ipynb": ["spark-best-pair"],
    "02-qubits-gates-measurement.ipynb": ["x-gate", "hadamard-plus"],
    "03-entanglement-cirq.ipynb": ["bell-state", "ghz-3"],
    "04-hardware-native-gates.ipynb": ["bell-on-spark"],
    "05-noise.ipynb": ["decay-time"],
    "07-variational.ipynb": ["z-expectation"],
    "09-communication-cirq.ipynb": ["teleport", "bb84-sift"],
    "11-correlations-cirq.ipynb": ["chsh-angles", "superdense-encode"],
    "12-error-correction.ipynb": ["syndrome-decode", "phaseflip-encode"],
    "13-to-real-hardware.ipynb": ["turns-to-radians"],
}
CHECK_CALL = re.compile(r'^qlab\.check\("([a-z0-9-]+)", (\w+)\)$')
SOLUTION = re.compile(r"```python\n(.*?)```", re.S)


def try_its(lesson: str) -> list[tuple[str, str, str, str]]:
    """(exercise id, placeholder cell source, first solution code block, answer's name) for each
    try-it: a code cell assigning the answer, then a cell that is exactly
    `qlab.check("<id>", <name>)`, then the solution."""
    cells = json.loads((ROOT / "notebooks" / lesson).read_text(encoding="utf-8"))["cells"]
    found = []
    for i, cell in enumerate(cells):
        match = CHECK_CALL.match("".join(cell["source"]).strip())
        if cell["cell_type"] != "code" or not match:
            continue
        placeholder = "".join(cells[i - 1]["source"])
        solution_cell = cells[i + 1]
        assert solution_cell["cell_type"] == "markdown", f"{lesson}: no solution box after {match[1]}"
        text = "".join(solution_cell["source"])
        assert text.startswith("<details><summary>Solution (open after trying)</summary>")
        found.append((match[1], placeholder, SOLUTION.search(text)[1], match[2]))
    return found


def namespace() -> dict:
    """What the lessons have imported and defined by the time of their try-its."""
    import math

    import cirq
    from qiskit import QuantumCircuit

    import qlab

    return {"np": np, "math": math, "cirq": cirq, "QuantumCircuit": QuantumCircuit, "qlab": qlab,
            "q": cirq.LineQubit.range(5), "spark": qlab.device("iqm-spark"),
            **dict(zip(("q0", "q1", "q2"), cirq.LineQubit.range(3), strict=True))}


def answer_of(code: str, name: str = "answer"):
    scope = namespace()
    exec(code, scope)  # code from our own committed notebooks
    return scope[name]


@pytest.mark.parametrize("lesson", sorted(TRY_ITS))
def test_each_lesson_has_its_try_its(lesson: str) -> None:
    assert [ex for ex, *_ in try_its(lesson)] == TRY_ITS[lesson]


@pytest.mark.parametrize(
    ("lesson", "exercise"), [(lesson, ex) for lesson, ids in TRY_ITS.items() for ex in ids]
)
def test_shown_solution_passes_and_placeholder_fails(lesson: str, exercise: str) -> None:
    (placeholder, solution, name), = [(p, s, n) for ex, p, s, n in try_its(lesson) if ex == exercise]
    assert "# TODO" in placeholder, "commit the try-it cell unanswered"
    result, _ = _evaluate(exercise, answer_of(placeholder, name), {})
    assert not result.passed
    result, _ = _evaluate(exercise, answer_of(solution, name), {})
    assert result.passed, f"{lesson}: the solution shown for {exercise} fails: {result.message}"


def test_cirq_answers_are_checked_like_qiskit_ones() -> None:
    """Lesson 3 asks for Cirq circuits: measurements are allowed, a wrong target qubit is caught."""
    import cirq

    q = cirq.LineQubit.range(3)
    with_measure = cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.measure(q[0], q[1], key="m"))
    assert _evaluate("bell-state", with_measure, {})[0].passed
    fan_out = cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[0], q[2]))
    assert _evaluate("ghz-3", fan_out, {})[0].passed
    reversed_cnot = cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[2], q[1]))
    assert not _evaluate("ghz-3", reversed_cnot, {})[0].passed
    only_h = cirq.Circuit(cirq.H(q[0]), cirq.I(q[1]))
    assert not _evaluate("bell-state", only_h, {})[0].passed


def test_bell_on_spark_mistakes_fail() -> None:
    """Lesson 4's try-it: textbook gates, an uncoupled pair, or radians/turns mix-ups all fail."""
    from qiskit import QuantumCircuit

    textbook = QuantumCircuit(5)
    textbook.h(0)
    textbook.cx(0, 2)
    assert not _evaluate("bell-on-spark", textbook, {})[0].passed  # h and cx are not native
    uncoupled = QuantumCircuit(5)  # qubits 0 and 1 are both leaves of the star
    uncoupled.r(np.pi / 2, np.pi / 2, 0)
    uncoupled.r(-np.pi / 2, np.pi / 2, 1)
    uncoupled.cz(0, 1)
    uncoupled.r(np.pi / 2, np.pi / 2, 1)
    assert not _evaluate("bell-on-spark", uncoupled, {})[0].passed
    turns = QuantumCircuit(5)  # IonQ-style angles (a quarter turn = 0.25) in a PRX, which wants radians
    turns.r(0.25, 0.25, 0)
    turns.r(-0.25, 0.25, 2)
    turns.cz(0, 2)
    turns.r(0.25, 0.25, 2)
    assert not _evaluate("bell-on-spark", turns, {})[0].passed
