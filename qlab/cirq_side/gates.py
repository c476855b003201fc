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
against cirq-ionq on a grid of angles); they come from :mod:`qlab.hardware.gates`, as the Qiskit
gates' do. Unlike ``cirq_ionq.MSGate``, qlab's ``MSGate`` compares equal only when *every*
parameter, theta included, is equal.

The gates serialise with ``cirq.to_json`` (as ``qlab.GPIGate`` ...); to read such JSON back, give
Cirq qlab's resolver: ``cirq.read_json(json_text=text, resolvers=[json_resolver,
*cirq.DEFAULT_RESOLVERS])``.

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

from ..hardware import gates as table


def _fmt(x: float) -> str:
    """A short, readable number for circuit diagrams (``0.25``, ``-0.125``, ``0.3333``)."""
    return f"{x:.4g}"


class _IonqGate(cirq.Gate):
    """What every IonQ native gate shares: float parameters (turns), the matrix of the gate table,
    value equality, diagrams and JSON."""

    _name = ""  # the gate table's name: gpi, gpi2, ms, zz
    _params: tuple[str, ...] = ()

    def _values(self) -> tuple[float, ...]:
        return tuple(getattr(self, p) for p in self._params)

    def _num_qubits_(self) -> int:
        return table.GATES[self._name].num_qubits

    def _unitary_(self) -> np.ndarray:
        return table.IONQ_MATRICES[self._name](*self._values())  # |q0 q1>, cirq's order

    def _inverse(self) -> Any:
        return NotImplemented

    def __pow__(self, power: Any) -> Any:
        if power == 1:
            return self
        return self._inverse() if power == -1 else NotImplemented

    def _wires(self) -> tuple[str, ...]:
        label = f"{self._name.upper()}({','.join(_fmt(v) for v in self._values())})"
        return (label,) * self._num_qubits_()

    def _circuit_diagram_info_(self, args: cirq.CircuitDiagramInfoArgs) -> cirq.CircuitDiagramInfo:
        return cirq.CircuitDiagramInfo(wire_symbols=self._wires())

    def __str__(self) -> str:
        return f"{self._name.upper()}({', '.join(_fmt(v) for v in self._values())})"

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

    @classmethod
    def _json_namespace_(cls) -> str:
        return "qlab"

    @classmethod
    def _from_json_dict_(cls, **kwargs: Any) -> _IonqGate:
        return cls(**{p: kwargs[p] for p in cls._params})


class GPIGate(_IonqGate):
    """IonQ's GPI: a pi pulse about the equator axis at ``phi`` turns (GPI(0) = X, GPI(0.25) = Y)."""

    _name = "gpi"
    _params = ("phi",)

    def __init__(self, phi: float):
        self.phi = float(phi)

    def _inverse(self) -> GPIGate:
        return self  # GPI is its own inverse: GPI(phi) squared is the identity


class GPI2Gate(_IonqGate):
    """IonQ's GPI2: a pi/2 pulse about the equator axis at ``phi`` turns (GPI2(0) = Rx(pi/2))."""

    _name = "gpi2"
    _params = ("phi",)

    def __init__(self, phi: float):
        self.phi = float(phi)

    def _inverse(self) -> GPI2Gate:
        return GPI2Gate(self.phi + 0.5)  # the pi/2 pulse about the opposite axis undoes it


class MSGate(_IonqGate):
    """IonQ Aria's Molmer-Sorensen gate.

    ``MS(phi0, phi1, theta) = (RZ(2 pi phi0) (x) RZ(2 pi phi1)) . RXX(2 pi theta) .
    (RZ(-2 pi phi0) (x) RZ(-2 pi phi1))`` (operators; the rightmost acts first): an XX rotation
    whose axes are turned from X towards Y by ``phi0`` and ``phi1``. ``MS(0, 0)`` = RXX(pi/2). The
    first qubit of the operation takes ``phi0``.
    """

    _name = "ms"
    _params = ("phi0", "phi1", "theta")

    def __init__(self, phi0: float, phi1: float, theta: float = 0.25):
        self.phi0 = float(phi0)
        self.phi1 = float(phi1)
        self.theta = float(theta)

    def _inverse(self) -> MSGate:
        # turning phi0 by half a turn flips the sign of the XX rotation
        return MSGate(self.phi0 + 0.5, self.phi1, self.theta)


class ZZGate(_IonqGate):
    """IonQ Forte's ZZ gate: exp(-i pi theta Z(x)Z) = RZZ(2 pi theta); ZZ(0.25) is fully entangling."""

    _name = "zz"
    _params = ("theta",)

    def __init__(self, theta: float):
        self.theta = float(theta)

    def _inverse(self) -> ZZGate:
        return ZZGate(-self.theta)

    def _wires(self) -> tuple[str, ...]:
        return (f"ZZ({_fmt(self.theta)})", "ZZ")


IONQ_GATES: dict[str, type[_IonqGate]] = {cls._name: cls for cls in (GPIGate, GPI2Gate, MSGate, ZZGate)}
"""qlab's IonQ gate classes by their Qiskit name."""

_BY_JSON_NAME = {f"qlab.{cls.__name__}": cls for cls in IONQ_GATES.values()}


def json_resolver(cirq_type: str) -> type | None:
    """The class ``cirq.read_json`` should build for ``cirq_type`` (``"qlab.GPIGate"`` ...), or
    ``None`` for types that are not qlab's: pass it first in ``resolvers``."""
    return _BY_JSON_NAME.get(cirq_type)
