"""Would this circuit run on the device as it stands? (A check around qlab's one device rule.)

A real device runs only its native gates, only on coupled pairs, only with numbers for angles, and
has only so many qubits. :func:`native_compliance` asks :mod:`qlab.hardware.rules` (the rule that
``qlab.transpile(strict=True)``, the backends and the Cirq devices ask too) and names the first
offence: the gate and its qubits, the uncoupled pair and the pairs that are coupled, or the width.
Measure, reset, delay and barrier are always allowed.

Qiskit circuits are read gate by gate (Qiskit gate names); Cirq circuits through
:func:`qlab.cirq_side.read.cirq_native_names` (``PhasedXPowGate`` is IQM's PRX ``r``, ``CZ`` is
``cz``, ...), and ``LineQubit(k)`` is qubit ``k`` of the device.
"""

from __future__ import annotations

from typing import Any

from ..hardware import library
from ..hardware.rules import error_for, message, pairs_text, violations
from ..i18n import t
from ._convert import BadAnswerError, _is_cirq, circuit_ops
from .result import CheckResult


def native_compliance(circuit: Any, device: Any, remedy: str | None = None) -> CheckResult:
    """Check width, native gates, coupling and parameters of ``circuit`` against ``device``
    (a name, ``qlab.device(...)``, or the device's backend or Cirq device).

    ``details["violations"]`` lists every offence as ``(kind, gate, qubits)``; the message shows
    the first, expected against got, then ``remedy`` (by default: how to transpile).
    """
    spec = library.resolve(device)
    try:
        width, ops = circuit_ops(circuit)
    except BadAnswerError as exc:
        return CheckResult(False, str(exc), {"reason": "bad_answer"})
    found = violations(width, ops, spec)
    details: dict[str, Any] = {
        "device": spec.name,
        "violations": [(v.kind, v.gate, v.qubits) for v in found],
    }
    if not found:
        return CheckResult(True, t("device.rule.pass", device=spec.name), details)
    details["reason"] = found[0].kind
    cirq = _is_cirq(circuit, "Circuit") or _is_cirq(circuit, "FrozenCircuit")
    return CheckResult(False, message(found, spec, remedy=remedy, cirq=cirq), details)


def coupled_pairs_text(device: Any) -> str:
    """``(0, 2) = QB1–QB3, (1, 2) = QB2–QB3, ...``: the pairs a two-qubit gate may act on."""
    return pairs_text(library.resolve(device))


def validate_native(circuit: Any, device: Any, remedy: str = "") -> None:
    """Raise a :class:`~qlab.errors.QlabError` unless ``circuit`` runs on ``device`` as it is."""
    spec = library.resolve(device)
    width, ops = circuit_ops(circuit)
    found = violations(width, ops, spec)
    if found:
        raise error_for(found, spec, remedy=remedy)


def assert_native(circuit: Any, device: Any) -> CheckResult:
    """:func:`native_compliance`, raising ``AssertionError`` with the compact message on failure."""
    return native_compliance(circuit, device).raise_if_failed()
