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

from ..errors import CircuitTooWideError, NotACircuitError, NotNativeError, UncoupledQubitsError
from ..i18n import t
from ._convert import BadAnswerError, circuit_ops
from .result import CheckResult

ALWAYS_ALLOWED = frozenset({"measure", "barrier", "global_phase"})


def _device(device: Any) -> Any:
    from ..catalog import device as lookup

    return lookup(device)


def _pair_label(dev: Any, a: int, b: int) -> str:
    spec = dev.spec
    if spec.qubit_labels:
        return f"({a}, {b}) = {spec.label(a)}–{spec.label(b)}"
    return f"({a}, {b})"


def native_compliance(circuit: Any, device: Any, remedy: str | None = None) -> CheckResult:
    """Check width, native gates and coupling of ``circuit`` against ``device`` (name or Device).

    ``details["violations"]`` lists every offence as ``(kind, gate, qubits)``; the message shows
    the first, expected against got, then ``remedy`` (by default: how to transpile).
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
        elif op.name in ALWAYS_ALLOWED:
            continue  # measure and barrier may span any qubits
        elif len(op.qubits) > 2:
            violations.append(("arity", op.name, op.qubits))
        elif len(op.qubits) == 2 and not dev.spec.is_coupled(*op.qubits):
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
            allowed=coupled_pairs_text(dev),
        )
    if more:
        message += " " + t("check.device.more", count=more)
    if kind in ("gate", "pair"):
        message += " " + (t("check.device.remedy", device=dev.name) if remedy is None else remedy)
    details["reason"] = kind
    return CheckResult(False, message, details)


def coupled_pairs_text(dev: Any) -> str:
    """``(0, 2) = QB1–QB3, (1, 2) = QB2–QB3, ...``: the pairs a two-qubit gate may act on."""
    if dev.all_to_all:
        return t("check.device.all_pairs", n=dev.num_qubits)
    return ", ".join(_pair_label(dev, a, b) for a, b in dev.coupled_pairs)


# which error a violation raises, for callers that must stop rather than report
_ERRORS = {
    "width": CircuitTooWideError,
    "gate": NotNativeError,
    "arity": NotNativeError,
    "pair": UncoupledQubitsError,
}


def validate_native(circuit: Any, device: Any, remedy: str = "") -> None:
    """Raise a :class:`~qlab.errors.QlabError` unless ``circuit`` runs on ``device`` as it is.

    The one device-compliance rule of qlab: :func:`qlab.transpile` with ``strict=True`` and a
    device backend's ``run`` both call it. ``remedy`` is appended to the message (what the
    caller can do about it, e.g. "transpile first").
    """
    result = native_compliance(circuit, device, remedy=remedy)
    if not result.passed:
        raise _ERRORS.get(result.details.get("reason"), NotACircuitError)(result.message.strip())


def assert_native(circuit: Any, device: Any) -> CheckResult:
    """:func:`native_compliance`, raising ``AssertionError`` with the compact message on failure."""
    return native_compliance(circuit, device).raise_if_failed()
