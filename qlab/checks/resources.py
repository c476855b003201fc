"""How much does a circuit use, and is it within the exercise's budget?

Counted (barriers never count):

``two_qubit``  gates acting on exactly two qubits (measurements excluded)
``depth``      the longest chain of gates one after another on shared qubits (measurements
               excluded, so adding final measurements does not change the depth)
``width``      the circuit's number of qubits
``wide_gates`` gates on three or more qubits (``ccx``...): they hide two-qubit gates, so a
               two-qubit budget refuses them until decomposed
"""

from __future__ import annotations

from typing import Any

from ..i18n import t
from ._convert import BadAnswerError, circuit_ops
from .result import CheckResult

NOT_GATES = frozenset({"barrier", "measure"})


def resource_usage(circuit: Any) -> dict[str, Any]:
    """``{"two_qubit", "depth", "width", "wide_gates", "gates"}`` of a Qiskit or cirq circuit."""
    width, ops = circuit_ops(circuit)
    level: dict[int, int] = {}
    gates: dict[str, int] = {}
    two = 0
    wide: list[str] = []
    for op in ops:
        if op.name in NOT_GATES:
            continue
        gates[op.name] = gates.get(op.name, 0) + 1
        if len(op.qubits) == 2:
            two += 1
        elif len(op.qubits) > 2:
            wide.append(op.name)
        layer = max((level.get(q, 0) for q in op.qubits), default=0) + 1
        for q in op.qubits:
            level[q] = layer
    return {
        "two_qubit": two,
        "depth": max(level.values(), default=0),
        "width": width,
        "wide_gates": wide,
        "gates": gates,
    }


def resources_within(
    circuit: Any,
    *,
    max_two_qubit: int | None = None,
    max_depth: int | None = None,
    max_qubits: int | None = None,
) -> CheckResult:
    """Pass when every given bound holds; a failure names the measure, the budget and the usage."""
    try:
        use = resource_usage(circuit)
    except BadAnswerError as exc:
        return CheckResult(False, str(exc), {"reason": "bad_answer"})
    details: dict[str, Any] = dict(use)
    problems = []
    if max_two_qubit is not None and use["wide_gates"]:
        problems.append(t("check.res.wide", gate=use["wide_gates"][0]))
    for key, bound in (("two_qubit", max_two_qubit), ("depth", max_depth), ("width", max_qubits)):
        if bound is not None and use[key] > bound:
            problems.append(t(f"check.res.{key}", allowed=bound, got=use[key]))
    if problems:
        details["reason"] = "over_budget"
        return CheckResult(False, " ".join(problems), details)
    return CheckResult(
        True, t("check.res.pass", two_qubit=use["two_qubit"], depth=use["depth"]), details
    )


def assert_resources(circuit: Any, **bounds: Any) -> CheckResult:
    """:func:`resources_within`, raising ``AssertionError`` with the compact message on failure."""
    return resources_within(circuit, **bounds).raise_if_failed()
