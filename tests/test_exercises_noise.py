"""The `readout-confusion` exercise of lesson 5: the reference solution passes, the placeholder and
the usual mistakes fail with a message that names the mistake.

The reference solution is built from seeded runs (seeds 11 and 12, 2000 shots each, as in the
lesson). The checker's tolerance (±0.02 on P(1|0) and P(0|1)) is about 3.5 standard errors for
QB3 (readout error 0.056, 2000 shots: standard error 0.0052) after the X gate's bias (< 0.002)."""

from __future__ import annotations

import numpy as np
import pytest
from qiskit import QuantumCircuit

import qlab
from qlab.checker import _evaluate

QUBIT = 2  # QB3, the exercise's qubit


def p_one(counts: dict[str, int], q: int) -> float:
    return sum(v for k, v in counts.items() if k[-1 - q] == "1") / sum(counts.values())


@pytest.fixture(scope="module")
def runs() -> tuple[dict[str, int], dict[str, int]]:
    prep0 = QuantumCircuit(5)
    prep0.measure_all()
    prep1 = QuantumCircuit(5)
    prep1.x(range(5))
    prep1.measure_all()
    return (
        qlab.run(prep0, "iqm-spark", shots=2000, seed=11),
        qlab.run(prep1, "iqm-spark", shots=2000, seed=12),
    )


def matrix(runs, q: int) -> list[list[float]]:
    a, b = p_one(runs[0], q), p_one(runs[1], q)
    return [[1 - a, 1 - b], [a, b]]


def verdict(answer):
    result, _ = _evaluate("readout-confusion", answer, {})
    return result


def test_reference_solution_passes(runs):
    result = verdict(matrix(runs, QUBIT))
    assert result.passed, result.message
    assert "QB3" in result.message
    assert verdict(np.array(matrix(runs, QUBIT))).passed  # numpy arrays are fine too


def test_placeholder_fails_with_a_friendly_message():
    result = verdict(None)
    assert not result.passed
    assert result.details["reason"] == "bad_answer"
    assert "2x2" in result.message


def test_transposed_matrix_is_named(runs):
    m = np.array(matrix(runs, QUBIT)).T
    if np.allclose(m.sum(axis=0), 1):  # only when the two error rates happen to be equal
        pytest.skip("symmetric estimate: transposition is invisible")
    result = verdict(m)
    assert not result.passed and result.details["reason"] == "transposed"


def test_wrong_qubit_is_named(runs):
    # QB1's estimate (readout 0.021) is far from QB3's 0.056; the message points at QB1-like qubits
    result = verdict(matrix(runs, 0))
    assert not result.passed and result.details["reason"] == "other_qubit"
    assert "wrong qubit" in result.message


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ([[1.0, 0.0], [0.0, 1.0]], "perfect"),  # counts from the ideal device
        ([[1890, 110], [110, 1890]], "counts"),  # not divided by the shots
        ([[0.9, 0.1], [0.2, 0.9]], "columns"),
    ],
)
def test_common_mistakes(answer, reason):
    result = verdict(answer)
    assert not result.passed and result.details["reason"] == reason


@pytest.mark.parametrize("answer", ["0.05", [[0.9, 0.1]], [[np.nan, 0], [0, 1]]])
def test_malformed_answers_are_bad_answers(answer):
    result = verdict(answer)
    assert not result.passed and result.details["reason"] == "bad_answer"


def test_check_does_not_raise_outside_grading(monkeypatch, capsys):
    monkeypatch.delenv("QLAB_GRADING", raising=False)
    assert not qlab.check("readout-confusion", None).passed
    assert "Readout confusion matrix" in capsys.readouterr().out
