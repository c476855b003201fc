"""IonQ's native gates as Qiskit gates: ``gpi``, ``gpi2``, ``ms`` and ``zz``.

IonQ's trapped-ion computers run exactly these gates; every other gate is compiled into them.
All angles are in **turns** (1 turn = 2 pi radians), as IonQ defines them, so ``GPIGate(0.25)``
is a half-turn about the axis 90 degrees round from X (that is, the Y gate).

=========================  ==========================================================
``GPIGate(phi)``           ``[[0, e^(-2 pi i phi)], [e^(2 pi i phi), 0]]``: a pi rotation
                           about the axis ``cos(2 pi phi) X + sin(2 pi phi) Y``; GPI(0) = X
``GPI2Gate(phi)``          ``1/sqrt(2) [[1, -i e^(-2 pi i phi)], [-i e^(2 pi i phi), 1]]``:
                           a pi/2 rotation about the same axis; GPI2(0) = RX(pi/2)
``MSGate(phi0, phi1,       Molmer-Sorensen: ``RXX(2 pi theta)`` with each qubit's axis turned
theta=0.25)``              by ``phi0`` / ``phi1``; MS(0, 0) = RXX(pi/2), fully entangling
``ZZGate(theta)``          ``RZZ(2 pi theta)`` (IonQ Forte's entangling gate)
=========================  ==========================================================

The names, parameters and matrices are the same as qiskit-ionq's (``qiskit_ionq.ionq_gates``),
and the test suite checks that they agree, so a circuit built with these gates means the same on
IonQ's cloud. Each gate also has a definition in standard Qiskit gates, exact including the global
phase, so any simulator can run it.

>>> from qlab.qiskit_gates import GPI2Gate
>>> import numpy as np
>>> np.round(GPI2Gate(0).to_matrix() * np.sqrt(2), 6)
array([[1.+0.j, 0.-1.j],
       [0.-1.j, 1.+0.j]])
"""

from __future__ import annotations

import math

import numpy as np
from qiskit.circuit import Gate, QuantumCircuit
from qiskit.circuit.parameterexpression import ParameterValueType

from ..hardware import gates as table

__all__ = ["GPIGate", "GPI2Gate", "MSGate", "ZZGate", "IONQ_GATES"]

_TWO_PI = 2.0 * math.pi


def _matrix(arr: np.ndarray, dtype, copy) -> np.ndarray:
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    if copy is True:
        arr = arr.copy()
    return arr


class GPIGate(Gate):
    """IonQ's GPI(phi): a pi rotation about an axis in the XY plane at angle phi turns from X."""

    def __init__(self, phi: ParameterValueType, label: str | None = None):
        super().__init__("gpi", 1, [phi], label=label)

    def _define(self) -> None:
        phi = self.params[0]
        qc = QuantumCircuit(1, name=self.name)
        qc.u(math.pi, _TWO_PI * phi, math.pi - _TWO_PI * phi, 0)
        self.definition = qc

    def inverse(self, annotated: bool = False) -> GPIGate:
        """GPI is its own inverse."""
        return GPIGate(self.params[0])

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return _matrix(table.gpi(float(self.params[0])), dtype, copy)


class GPI2Gate(Gate):
    """IonQ's GPI2(phi): a pi/2 rotation about an axis in the XY plane at phi turns from X."""

    def __init__(self, phi: ParameterValueType, label: str | None = None):
        super().__init__("gpi2", 1, [phi], label=label)

    def _define(self) -> None:
        phi = self.params[0]
        qc = QuantumCircuit(1, name=self.name)
        qc.u(math.pi / 2, _TWO_PI * phi - math.pi / 2, math.pi / 2 - _TWO_PI * phi, 0)
        self.definition = qc

    def inverse(self, annotated: bool = False) -> GPI2Gate:
        """The opposite axis: GPI2(phi + 1/2) undoes GPI2(phi)."""
        return GPI2Gate(self.params[0] + 0.5)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return _matrix(table.gpi2(float(self.params[0])), dtype, copy)

class MSGate(Gate):
    """IonQ's Molmer-Sorensen gate MS(phi0, phi1, theta): RXX(2 pi theta) in turned frames.

    ``theta`` runs from 0 to 0.25 (0.25, the default, is fully entangling); ``phi0`` and ``phi1``
    turn the axis of the first and the second qubit. Qubit 0 of the gate is ``phi0``'s qubit.
    """

    def __init__(
        self,
        phi0: ParameterValueType,
        phi1: ParameterValueType,
        theta: ParameterValueType = 0.25,
        label: str | None = None,
    ):
        super().__init__("ms", 2, [phi0, phi1, theta], label=label)

    def _define(self) -> None:
        phi0, phi1, theta = self.params
        qc = QuantumCircuit(2, name=self.name)
        qc.rz(-_TWO_PI * phi0, 0)
        qc.rz(-_TWO_PI * phi1, 1)
        qc.rxx(_TWO_PI * theta, 0, 1)
        qc.rz(_TWO_PI * phi0, 0)
        qc.rz(_TWO_PI * phi1, 1)
        self.definition = qc

    def inverse(self, annotated: bool = False) -> MSGate:
        """The same frames with the opposite angle."""
        phi0, phi1, theta = self.params
        return MSGate(phi0, phi1, -theta)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        phi0, phi1, theta = (float(p) for p in self.params)
        return _matrix(table.qiskit_order(table.ms(phi0, phi1, theta)), dtype, copy)

class ZZGate(Gate):
    """IonQ's ZZ(theta) = RZZ(2 pi theta) = exp(-i pi theta Z(x)Z); ZZ(0.25) is fully entangling."""

    def __init__(self, theta: ParameterValueType, label: str | None = None):
        super().__init__("zz", 2, [theta], label=label)

    def _define(self) -> None:
        qc = QuantumCircuit(2, name=self.name)
        qc.rzz(_TWO_PI * self.params[0], 0, 1)
        self.definition = qc

    def inverse(self, annotated: bool = False) -> ZZGate:
        return ZZGate(-self.params[0])

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        return _matrix(table.zz(float(self.params[0])), dtype, copy)

#: gate name -> class, for code that meets a name (a Target, a device file)
IONQ_GATES: dict[str, type[Gate]] = dict(
    zip(table.IONQ_GATE_NAMES, (GPIGate, GPI2Gate, MSGate, ZZGate), strict=True)
)
