"""Would this circuit run on the device as it stands?

A real device runs only its native gates, only on coupled pairs, and has only so many qubits.
:func:`native_compliance` checks all three in that order and names the first offence:
the gate and its qubits, the uncoupled pair and the pairs that are coupled, or the width.
``measure`` and ``barrier`` are always allowed.

Qiskit circuits are read gate by gate (``circuit.data``, Qiskit gate names). Cirq circuits are
read with :func:`qlab.checks._convert.cirq_gate_names` (``PhasedXPowGate`` is IQM's PRX ``r``,
``CZ`` is ``cz``, ...), and ``LineQubit(k)`` is qubit ``k`` of the device.
"""

from __future__ import annotations

from typing import Any

from ..i18n import t
from ._convert import BadAnswerError, circuit_ops
from .result import CheckResult

ALWAYS_ALLOWED = frozenset({"measure", "barrier"})


def _device(device: Any) -> Any:
    from ..catalog import device as lookup

    return lookup(device)


def _pair_label(dev: Any, a: int, b: int) -> str:
    spec = dev.spec
    if spec.qubit_labels:
        return f"({a}, {b}) = {spec.label(a)}–{spec.label(b)}"
    return f"({a}, {b})"


def native_compliance(circuit: Any, device: Any) -> CheckResult:
    """Check width, native gates and coupling of ``circuit`` against ``device`` (name or Device).

    ``details["violations"]`` lists every offence as ``(kind, gate, qubits)``; the message shows
    the first, expected against got.
    """
    dev = _device(device)
    try:
        width, ops = circuit_ops(circuit)
    except BadAnswerError as exc:
        return CheckResult(False, str(exc), {"reason": "bad_answer"})
    allowed = frozenset(dev.native_gates) | ALWAYS_ALLOWED
    used = sorted({q for op in ops for q in op.qubits})
    widest = max(width, (used[-1] + 1) if used else 0)
    violations: list[tuple[str, str, tuple[int, ...]]] = []
    if widest > dev.num_qubits:
        violations.append(("width", "", tuple(used)))
    for op in ops:
        if not op.names & allowed:
            violations.append(("gate", op.name, op.qubits))
        elif op.name != "barrier" and len(op.qubits) > 2:
            violations.append(("arity", op.name, op.qubits))
        elif len(op.qubits) == 2 and op.name != "barrier" and not dev.spec.is_coupled(*op.qubits):
            violations.append(("pair", op.name, op.qubits))
    details: dict[str, Any] = {"device": dev.name, "violations": violations}
    if not violations:
        return CheckResult(True, t("check.device.pass", device=dev.name), details)
    kind, gate, qubits = violations[0]
    more = len(violations) - 1
    if kind == "width":
        message = t("check.device.too_wide", device=dev.name, allowed=dev.num_qubits, got=widest)
    elif kind == "gate":
        message = t(
            "check.device.not_native",
            device=dev.name,
            gate=gate,
            qubits=", ".join(map(str, qubits)),
            allowed=", ".join(dev.native_gates),
        )
    elif kind == "arity":
        message = t("check.device.arity", gate=gate, count=len(qubits))
    else:
        a, b = qubits
        message = t(
            "check.device.uncoupled",
            device=dev.name,
            gate=gate,
            pair=_pair_label(dev, a, b),
            allowed=", ".join(f"({p}, {q})" for p, q in dev.coupled_pairs),
        )
    if more:
        message += " " + t("check.device.more", count=more)
    details["reason"] = kind
    return CheckResult(False, message, details)


def assert_native(circuit: Any, device: Any) -> CheckResult:
    """:func:`native_compliance`, raising ``AssertionError`` with the compact message on failure."""
    return native_compliance(circuit, device).raise_if_failed()
