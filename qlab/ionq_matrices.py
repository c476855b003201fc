"""IonQ's native gates as matrices, defined once for both frameworks (angles in turns).

These are the formulas of IonQ's native-gate documentation (and of ``../shared`` devices.md);
:mod:`qlab.qiskit_gates` and :mod:`qlab.cirq_gates` both take their matrices from here, so the
two frameworks cannot disagree. Two-qubit matrices are written in the textbook basis
``|q0 q1>`` with q0 the more significant bit (Cirq's order); Qiskit numbers its basis the other
way round (q0 least significant), which :func:`qiskit_order` converts to.

* ``gpi(phi) = [[0, e^(-2 pi i phi)], [e^(2 pi i phi), 0]]``: a pi rotation about the equator axis
  at ``phi`` turns; ``gpi(0) = X``.
* ``gpi2(phi) = [[1, -i e^(-2 pi i phi)], [-i e^(2 pi i phi), 1]] / sqrt(2)``: a pi/2 rotation about
  the same axis; ``gpi2(0) = RX(pi/2)``.
* ``ms(phi0, phi1, theta) = (RZ(-2 pi phi0) x RZ(-2 pi phi1)) RXX(2 pi theta) (RZ(2 pi phi0) x
  RZ(2 pi phi1))``; ``ms(0, 0, 0.25) = RXX(pi/2)``, fully entangling.
* ``zz(theta) = RZZ(2 pi theta) = exp(-i pi theta Z x Z)``.
"""

from __future__ import annotations

import cmath
import math

import numpy as np

_SWAP = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=complex)


def gpi(phi: float) -> np.ndarray:
    e = cmath.exp(2j * math.pi * phi)
    return np.array([[0, e.conjugate()], [e, 0]], dtype=complex)


def gpi2(phi: float) -> np.ndarray:
    e = cmath.exp(2j * math.pi * phi)
    return np.array([[1, -1j * e.conjugate()], [-1j * e, 1]], dtype=complex) / math.sqrt(2)


def ms(phi0: float, phi1: float, theta: float = 0.25) -> np.ndarray:
    c = math.cos(math.pi * theta)
    s = -1j * math.sin(math.pi * theta)
    plus = cmath.exp(2j * math.pi * (phi0 + phi1))
    minus = cmath.exp(2j * math.pi * (phi0 - phi1))
    return np.array(
        [
            [c, 0, 0, s * plus.conjugate()],
            [0, c, s * minus.conjugate(), 0],
            [0, s * minus, c, 0],
            [s * plus, 0, 0, c],
        ],
        dtype=complex,
    )


def zz(theta: float) -> np.ndarray:
    e = cmath.exp(-1j * math.pi * theta)
    return np.diag([e, e.conjugate(), e.conjugate(), e]).astype(complex)


def qiskit_order(matrix: np.ndarray) -> np.ndarray:
    """A two-qubit matrix in Qiskit's basis order (qubit 0 least significant)."""
    return _SWAP @ matrix @ _SWAP
