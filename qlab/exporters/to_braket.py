"""A native program as an Amazon Braket ``Circuit`` in a verbatim box (Braket's native gates).

A *verbatim* box tells Braket's compiler to leave the gates alone: they run exactly as written, on
exactly the physical qubits written. Inside one, only the device's native gates are allowed
(Braket Developer Guide, "Verbatim compilation"; IonQ: ``gpi``, ``gpi2``, ``ms``; IQM: ``prx``,
``cz``; see docs/hardware.md for the sources).

Units: Braket's ``GPi``, ``GPi2`` and ``MS`` take **radians** where IonQ and qlab write **turns**,
so every angle is multiplied by 2 pi (``GPi(2 pi phi)`` has the matrix of IonQ's ``GPI(phi)``;
``MS(2 pi phi0, 2 pi phi1, 2 pi theta)`` that of ``MS(phi0, phi1, theta)``). ``PRx(theta, phi)``
takes radians like Qiskit's ``RGate``; nothing changes. Braket numbers the basis with the first
qubit most significant, as IonQ's matrices do.

IonQ Forte's ZZ: Braket's verbatim gate set for IonQ is GPi, GPi2 and MS on every IonQ device it
offers, Forte included; ZZ is not among them. Each ``ZZ(theta)`` therefore becomes, exactly
(global phase included)::

    GPi2(pi/2) x GPi2(pi/2);  MS(0, 0, 2 pi theta);  GPi2(3 pi/2) x GPi2(3 pi/2)

(``GPi2(pi/2)`` = RY(pi/2) turns Z into X on each qubit, so the XX rotation of MS acts as ZZ;
for ``theta < 0``, ``MS(pi, 0, -2 pi theta)``, the same rotation with the sign turned by the
phase). That costs four one-qubit pulses per ZZ; to avoid them on Braket's Forte, compile for
``ionq-aria``, whose gates (GPI, GPI2, MS) are the ones Braket runs.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import ExportError
from ..i18n import t
from .native import NativeOp, NativeProgram

TWO_PI = 2.0 * math.pi
MS_MAX_TURNS = 0.25  # IonQ: the MS angle runs from 0 to 0.25 turns (fully entangling)
_EPS = 1e-12


def radians(turns: float) -> float:
    """An IonQ angle in turns as radians (1 turn = 2 pi rad)."""
    return TWO_PI * turns


def ms_positive(phi0: float, phi1: float, theta: float) -> tuple[float, float, float]:
    """The same MS gate with ``theta >= 0``: ``MS(phi0, phi1, -theta) = MS(phi0 + 1/2, phi1, theta)``.

    Turning the first qubit's axis by half a turn flips the sign of the XX rotation. Raises
    :class:`ExportError` when ``|theta|`` exceeds a quarter turn (IonQ's range for one MS pulse).
    """
    if theta < 0:
        phi0, theta = (phi0 + 0.5) % 1.0, -theta
    if theta > MS_MAX_TURNS + _EPS:
        raise ExportError(t("export.ms_angle", theta=theta))
    return phi0, phi1, theta


def braket_ops(op: NativeOp) -> list[tuple[str, tuple[int, ...], tuple[float, ...]]]:
    """Braket's native gates for one qlab native gate: ``[(method name, qubits, radians), ...]``."""
    q, params = op.qubits, op.params
    if op.name in ("gpi", "gpi2"):
        return [(op.name, q, (radians(params[0]),))]
    if op.name == "ms":
        return [("ms", q, tuple(radians(p) for p in ms_positive(*params)))]
    if op.name == "zz":
        a, b = q
        phi0, _, theta = ms_positive(0.0, 0.0, params[0])
        return [
            ("gpi2", (a,), (math.pi / 2,)),
            ("gpi2", (b,), (math.pi / 2,)),
            ("ms", q, (radians(phi0), 0.0, radians(theta))),
            ("gpi2", (a,), (3 * math.pi / 2,)),
            ("gpi2", (b,), (3 * math.pi / 2,)),
        ]
    if op.name == "r":
        return [("prx", q, params)]
    if op.name == "cz":
        return [("cz", q, ())]
    raise ExportError(t("export.not_native", gate=op.name, device="Braket", natives="gpi, gpi2, ms, prx, cz"))


def to_braket(program: NativeProgram) -> Any:
    """A ``braket.circuits.Circuit``: the gates in one verbatim box, then the measurements.

    Measurements are added in classical-bit order, so Braket's ``measured_qubits`` list the
    physical qubits of bits 0, 1, ...; :func:`qlab.exporters.braket_counts` turns Braket's counts
    back into qlab's keys.
    """
    from braket.circuits import Circuit

    body = Circuit()
    for op in program.ops:
        for method, qubits, angles in braket_ops(op):
            getattr(body, method)(*qubits, *angles)
    circuit = Circuit()
    if body.instructions:
        circuit.add_verbatim_box(body)
    for qubit, _ in program.measurements:
        circuit.measure(qubit)
    return circuit


def braket_counts(result: Any, program: NativeProgram) -> dict[str, int]:
    """Braket's counts as qlab counts: the key's last character is classical bit 0.

    ``result`` is a Braket task result (``.measured_qubits``, ``.measurement_counts``); each of
    its bit strings has one character per measured physical qubit, in ``measured_qubits`` order.
    Classical bits that nothing was measured into read 0, as in qlab and Qiskit.
    """
    clbit_of = dict(program.measurements)
    measured = list(result.measured_qubits)
    missing = sorted(set(clbit_of) - set(measured))
    if missing:
        raise ExportError(t("export.result_mismatch", missing=missing, measured=measured))
    counts: dict[str, int] = {}
    for bits, n in result.measurement_counts.items():
        key = ["0"] * program.num_clbits
        for qubit, bit in zip(measured, bits, strict=True):
            if qubit in clbit_of:
                key[program.num_clbits - 1 - clbit_of[qubit]] = bit
        text = "".join(key)
        counts[text] = counts.get(text, 0) + n
    return counts
