"""The one rule for "will this circuit run on the device as it stands?", and what it says when not.

A real device runs only its native gates, only on coupled pairs, only with numbers for angles,
and has only so many qubits. :func:`violations` checks all of that on a framework-neutral list of
:class:`Op` records (the Qiskit and Cirq renderings read circuits into them:
:func:`qlab.qiskit_side.read.circuit_ops`, :func:`qlab.cirq_side.read.circuit_ops`), and
:func:`message` says what the first offence is, expected against got, in the student's language.
Every part of qlab that asks the question asks it here: ``qlab.transpile(strict=True)``,
``qlab.run(strict=True)``, a backend's ``run``, the Cirq device's ``validate_circuit``,
``qlab.checks.native_compliance`` and the hackathon scorers.

The width check (:func:`check_width`) is the same rule's first clause, on its own for callers that
translate the circuit anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import CircuitTooWideError, NotNativeError, QlabError, UncoupledQubitsError
from ..i18n import t
from . import library
from .gates import GATES, OPERATIONS
from .spec import DeviceSpec


@dataclass(frozen=True)
class Op:
    """One instruction of a circuit, framework-neutral.

    ``name``     the gate's Qiskit name (``"cz"``, ``"r"``, ``"measure"``), or a readable label
    ``qubits``   the qubit indices it acts on (device numbering: Qiskit index, ``LineQubit(k)``)
    ``aliases``  every other Qiskit name the gate counts as (a Cirq ``Rx`` is ``rx`` and ``r``)
    ``unbound``  names of parameters that have no value yet
    ``label``    how the user wrote it, for messages (a Cirq gate's ``str``); the name by default
    """

    name: str
    qubits: tuple[int, ...]
    aliases: frozenset[str] = frozenset()
    unbound: tuple[str, ...] = ()
    label: str = ""

    @property
    def names(self) -> frozenset[str]:
        return self.aliases | {self.name}


@dataclass(frozen=True)
class Violation:
    """One way a circuit breaks the rule: ``kind`` is ``"width"``, ``"gate"`` (not native),
    ``"arity"`` (three or more qubits), ``"pair"`` (uncoupled) or ``"unbound"``."""

    kind: str
    gate: str
    qubits: tuple[int, ...]
    detail: str = ""
    label: str = ""  # the gate as the user wrote it (messages); ``gate`` is its Qiskit name


_ERRORS: dict[str, type[QlabError]] = {
    "width": CircuitTooWideError,
    "gate": NotNativeError,
    "arity": NotNativeError,
    "unbound": NotNativeError,
    "pair": UncoupledQubitsError,
}


def violations(width: int, ops: Iterable[Op], spec: DeviceSpec) -> list[Violation]:
    """Every offence of a circuit of ``width`` qubits made of ``ops`` against ``spec``, in order."""
    ops = list(ops)
    allowed = frozenset(spec.native_gates) | OPERATIONS
    used = sorted({q for op in ops for q in op.qubits})
    widest = max(width, (used[-1] + 1) if used else 0)
    found: list[Violation] = []
    if widest > spec.num_qubits:
        found.append(Violation("width", "", tuple(used), str(widest)))
    for op in ops:
        if not op.names & allowed:
            kind, detail = "gate", ""
        elif op.name in OPERATIONS:
            continue  # measure, reset, delay and barrier may span any qubits
        elif len(op.qubits) > 2:
            kind, detail = "arity", ""
        elif len(op.qubits) == 2 and not spec.is_coupled(*op.qubits):
            kind, detail = "pair", ""
        elif op.unbound:
            kind, detail = "unbound", ", ".join(op.unbound)
        else:
            continue
        found.append(Violation(kind, op.name, op.qubits, detail, op.label or op.name))
    return found


def pair_label(spec: DeviceSpec, a: int, b: int) -> str:
    """``(0, 2) = QB1–QB3``: a pair by index, and by the vendor's labels where it has them."""
    if spec.qubit_labels:
        return f"({a}, {b}) = {spec.label(a)}–{spec.label(b)}"
    return f"({a}, {b})"


def pairs_text(spec: DeviceSpec) -> str:
    """Every pair a two-qubit gate may act on, for messages."""
    if spec.all_to_all:
        return t("device.rule.all_pairs", n=spec.num_qubits)
    return ", ".join(pair_label(spec, a, b) for a, b in spec.coupled_pairs)


def natives_text(spec: DeviceSpec, *, cirq: bool = False) -> str:
    """The native gates by name, and with ``cirq`` also as a Cirq user writes them:
    ``r, cz`` or ``r (PRX = cirq.PhasedXPowGate), cz (cirq.CZ)``."""
    return ", ".join(f"{g} ({GATES[g].cirq})" if cirq else g for g in spec.native_gates)


def message(
    found: list[Violation], spec: DeviceSpec, *, remedy: str | None = None, cirq: bool = False
) -> str:
    """The first violation, said plainly; how many more; and what to do (``remedy``; by default
    "translate it with qlab.transpile")."""
    first = found[0]
    device = spec.name
    gate = first.label or first.gate
    qubits = ", ".join(map(str, first.qubits))
    if first.kind == "width":
        text = too_wide_text(int(first.detail), spec)
    elif first.kind == "gate":
        text = t("device.rule.not_native", device=device, gate=gate, qubits=qubits,
                 allowed=natives_text(spec, cirq=cirq))  # fmt: skip
    elif first.kind == "arity":
        text = t("device.rule.arity", gate=gate, count=len(first.qubits), device=device)
    elif first.kind == "unbound":
        text = t("device.rule.unbound", gate=gate, qubits=qubits, names=first.detail)
    else:
        a, b = first.qubits
        text = t("device.rule.uncoupled", device=device, gate=gate,
                 pair=pair_label(spec, a, b), allowed=pairs_text(spec))  # fmt: skip
    if len(found) > 1:
        text += " " + t("device.rule.more", count=len(found) - 1)
    if first.kind in ("gate", "pair", "arity"):
        text += " " + (t("device.rule.remedy", device=device) if remedy is None else remedy)
    return text.strip()


def error_for(found: list[Violation], spec: DeviceSpec, *, remedy: str | None = None,
              cirq: bool = False) -> QlabError:  # fmt: skip
    """The exception a caller that must stop raises for ``found`` (its message: :func:`message`)."""
    return _ERRORS[found[0].kind](message(found, spec, remedy=remedy, cirq=cirq))


def enforce(width: int, ops: Iterable[Op], spec: DeviceSpec, *, remedy: str | None = None,
            cirq: bool = False) -> None:  # fmt: skip
    """Raise a :class:`~qlab.errors.QlabError` unless the circuit runs on ``spec`` as it is."""
    found = violations(width, ops, spec)
    if found:
        raise error_for(found, spec, remedy=remedy, cirq=cirq)


# ---- width on its own -----------------------------------------------------------------------


def too_wide_text(width: int, spec: DeviceSpec) -> str:
    """"The circuit uses 7 qubits, but iqm-spark has 5 ...", naming the devices that are large
    enough."""
    larger = [n for n in library.names() if library.find(n).num_qubits >= width]
    return t(
        "device.rule.too_wide",
        width=width,
        device=spec.name,
        num_qubits=spec.num_qubits,
        larger=", ".join(larger) if larger else t("device.rule.too_wide_none"),
    )


def check_width(width: int, spec: DeviceSpec) -> None:
    """Raise :class:`~qlab.errors.CircuitTooWideError` when ``width`` qubits do not fit ``spec``."""
    if width > spec.num_qubits:
        raise CircuitTooWideError(too_wide_text(width, spec))
