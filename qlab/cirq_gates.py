"""IonQ's native gates as Cirq gates: GPI, GPI2, MS and ZZ.

Trapped-ion computers do not run CNOTs or Hadamards; they run laser pulses. IonQ exposes them as
four gates, every angle in **turns** (1 turn = 2 pi radians, so ``phi=0.25`` is a quarter turn,
90 degrees):

``GPIGate(phi)``
    a pi pulse (a half turn of the Bloch sphere) about the axis at angle ``phi`` in the x-y plane:
    ``[[0, e^(-2 pi i phi)], [e^(2 pi i phi), 0]]``. ``GPIGate(0)`` is X, ``GPIGate(0.25)`` is Y.
``GPI2Gate(phi)``
    a pi/2 pulse about the same kind of axis:
    ``1/sqrt(2) [[1, -i e^(-2 pi i phi)], [-i e^(2 pi i phi), 1]]``. ``GPI2Gate(0)`` is Rx(pi/2).
``MSGate(phi0, phi1, theta=0.25)``
    the Molmer-Sorensen gate of IonQ Aria; ``MSGate(0, 0)`` is RXX(pi/2) = exp(-i pi/4 X(x)X),
    fully entangling. ``theta`` (0 to 0.25) makes it partially entangling.
``ZZGate(theta)``
    the two-qubit phase gate of IonQ Forte, exp(-i pi theta Z(x)Z) = RZZ(2 pi theta).

The matrices are the ones in IonQ's documentation and in ``cirq_ionq`` (qlab's tests check them
against cirq-ionq on a grid of angles). Unlike ``cirq_ionq.MSGate``, qlab's ``MSGate`` compares
equal only when *every* parameter, theta included, is equal.

>>> import cirq
>>> from qlab.cirq_gates import GPI2Gate, MSGate
>>> a, b = cirq.LineQubit.range(2)
>>> print(cirq.Circuit(GPI2Gate(0.25)(a), MSGate(0, 0)(a, b)))
0: ───GPI2(0.25)───MS(0,0,0.25)───
                   │
1: ────────────────MS(0,0,0.25)───
"""

from __future__ import annotations

from typing import Any

import cirq
import numpy as np

from . import ionq_matrices


def _fmt(x: float) -> str:
    """A short, readable number for circuit diagrams (``0.25``, ``-0.125``, ``0.3333``)."""
    return f"{x:.4g}"


class _IonqGate(cirq.Gate):
    """What every IonQ native gate shares: float parameters, value equality, JSON."""

    _params: tuple[str, ...] = ()

    def _values(self) -> tuple[float, ...]:
        return tuple(getattr(self, p) for p in self._params)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def _approx_eq_(self, other: Any, atol: float) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(abs(a - b) <= atol for a, b in zip(self._values(), other._values(), strict=True))

    def _has_unitary_(self) -> bool:
        return True

    def _is_parameterized_(self) -> bool:
        return False

    def __repr__(self) -> str:
        args = ", ".join(f"{p}={getattr(self, p)!r}" for p in self._params)
        return f"qlab.cirq_gates.{type(self).__name__}({args})"

    def _json_dict_(self) -> dict[str, Any]:
        return {p: getattr(self, p) for p in self._params}


class GPIGate(_IonqGate):
    """IonQ's GPI: a pi pulse about the equator axis at ``phi`` turns (GPI(0) = X, GPI(0.25) = Y)."""

    _params = ("phi",)

    def __init__(self, phi: float):
        self.phi = float(phi)

    def _num_qubits_(self) -> int:
        return 1

    def _unitary_(self) -> np.ndarray:
        return ionq_matrices.gpi(self.phi)

    def __pow__(self, power: Any) -> Any:
        # GPI is its own inverse: GPI(phi) squared is the identity
        if power in (1, -1):
            return self
        return NotImplemented

    def _circuit_diagram_info_(self, args: cirq.CircuitDiagramInfoArgs) -> cirq.CircuitDiagramInfo:
        return cirq.CircuitDiagramInfo(wire_symbols=(f"GPI({_fmt(self.phi)})",))

    def __str__(self) -> str:
        return f"GPI({_fmt(self.phi)})"


class GPI2Gate(_IonqGate):
    """IonQ's GPI2: a pi/2 pulse about the equator axis at ``phi`` turns (GPI2(0) = Rx(pi/2))."""

    _params = ("phi",)

    def __init__(self, phi: float):
        self.phi = float(phi)

    def _num_qubits_(self) -> int:
        return 1

    def _unitary_(self) -> np.ndarray:
        return ionq_matrices.gpi2(self.phi)

    def __pow__(self, power: Any) -> Any:
        if power == 1:
            return self
        if power == -1:  # the pi/2 pulse about the opposite axis undoes it
            return GPI2Gate(self.phi + 0.5)
        return NotImplemented

    def _circuit_diagram_info_(self, args: cirq.CircuitDiagramInfoArgs) -> cirq.CircuitDiagramInfo:
        return cirq.CircuitDiagramInfo(wire_symbols=(f"GPI2({_fmt(self.phi)})",))

    def __str__(self) -> str:
        return f"GPI2({_fmt(self.phi)})"


class MSGate(_IonqGate):
    """IonQ Aria's Molmer-Sorensen gate.

    ``MS(phi0, phi1, theta) = (RZ(-2 pi phi0) (x) RZ(-2 pi phi1)) . RXX(2 pi theta) .
    (RZ(2 pi phi0) (x) RZ(2 pi phi1))``; ``MS(0, 0)`` = RXX(pi/2). The first qubit of the
    operation takes ``phi0``.
    """

    _params = ("phi0", "phi1", "theta")

    def __init__(self, phi0: float, phi1: float, theta: float = 0.25):
        self.phi0 = float(phi0)
        self.phi1 = float(phi1)
        self.theta = float(theta)

    def _num_qubits_(self) -> int:
        return 2

    def _unitary_(self) -> np.ndarray:
        return ionq_matrices.ms(self.phi0, self.phi1, self.theta)  # |q0 q1>, cirq's order

    def __pow__(self, power: Any) -> Any:
        if power == 1:
            return self
        if power == -1:  # turning phi0 by half a turn flips the sign of the XX rotation
            return MSGate(self.phi0 + 0.5, self.phi1, self.theta)
        return NotImplemented

    def _circuit_diagram_info_(self, args: cirq.CircuitDiagramInfoArgs) -> cirq.CircuitDiagramInfo:
        text = f"MS({_fmt(self.phi0)},{_fmt(self.phi1)},{_fmt(self.theta)})"
        return cirq.CircuitDiagramInfo(wire_symbols=(text, text))

    def __str__(self) -> str:
        return f"MS({_fmt(self.phi0)}, {_fmt(self.phi1)}, {_fmt(self.theta)})"


class ZZGate(_IonqGate):
    """IonQ Forte's ZZ gate: exp(-i pi theta Z(x)Z) = RZZ(2 pi theta); ZZ(0.25) is fully entangling."""

    _params = ("theta",)

    def __init__(self, theta: float):
        self.theta = float(theta)

    def _num_qubits_(self) -> int:
        return 2

    def _unitary_(self) -> np.ndarray:
        return ionq_matrices.zz(self.theta)

    def __pow__(self, power: Any) -> Any:
        if power == 1:
            return self
        if power == -1:
            return ZZGate(-self.theta)
        return NotImplemented

    def _circuit_diagram_info_(self, args: cirq.CircuitDiagramInfoArgs) -> cirq.CircuitDiagramInfo:
        return cirq.CircuitDiagramInfo(wire_symbols=(f"ZZ({_fmt(self.theta)})", "ZZ"))

    def __str__(self) -> str:
        return f"ZZ({_fmt(self.theta)})"


IONQ_GATES: dict[str, type[_IonqGate]] = {
    "gpi": GPIGate,
    "gpi2": GPI2Gate,
    "ms": MSGate,
    "zz": ZZGate,
}
"""qlab's IonQ gate classes by their Qiskit name."""
