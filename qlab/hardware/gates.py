"""The gate table: every gate a device may call native, said once for both frameworks.

A device file lists its native gates by their Qiskit names (``qlab/hardware/data/*.json``); this
table says what each name is: how many qubits it acts on, its parameters and their unit, how a
Cirq user writes it, and which vendor's family it belongs to. The Qiskit and Cirq renderings
(:mod:`qlab.qiskit_side.gates`, :mod:`qlab.cirq_side.gates`), the device rule
(:mod:`qlab.hardware.rules`) and the compiler all read it from here.

Besides gates, every device accepts the operations in :data:`OPERATIONS` (measure, reset, delay,
barrier; Cirq's global phase): they are not gates of the chip's gate set but things any machine
does.

IonQ's gates as matrices, angles in **turns** (1 turn = 2 pi rad), exactly as IonQ's native-gate
documentation and qiskit-ionq / cirq-ionq define them. Two-qubit matrices are written in the
textbook basis ``|q0 q1>`` with q0 the more significant bit (Cirq's order); Qiskit numbers its basis
the other way round, which :func:`qiskit_order` converts to.

* ``gpi(phi) = [[0, e^(-2 pi i phi)], [e^(2 pi i phi), 0]]``: a pi rotation about the equator
  axis at ``phi`` turns; ``gpi(0) = X``.
* ``gpi2(phi) = [[1, -i e^(-2 pi i phi)], [-i e^(2 pi i phi), 1]] / sqrt(2)``: a pi/2 rotation
  about the same axis; ``gpi2(0) = RX(pi/2)``.
* ``ms(phi0, phi1, theta) = (RZ(2 pi phi0) x RZ(2 pi phi1)) . RXX(2 pi theta) .
  (RZ(-2 pi phi0) x RZ(-2 pi phi1))`` (operators, the rightmost acts first): an XX rotation whose
  axes are turned from X towards Y by ``phi0`` and ``phi1``, since ``RZ(a) X RZ(-a) = cos(a) X +
  sin(a) Y``. ``ms(0, 0, 0.25) = RXX(pi/2)``, fully entangling.
* ``zz(theta) = RZZ(2 pi theta) = exp(-i pi theta Z x Z)``.
"""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy loads when a matrix is asked for: `import qlab` stays light
    import numpy as np


@dataclass(frozen=True)
class GateInfo:
    """One gate a device may list as native."""

    name: str  # the Qiskit name, as device files write it
    num_qubits: int
    params: tuple[str, ...]  # parameter names, in order
    unit: str  # "turns" (IonQ), "radians", or "" for no parameter
    cirq: str  # how a Cirq user writes it
    family: str  # "ionq", "iqm" or "textbook"


GATES: dict[str, GateInfo] = {
    g.name: g
    for g in (
        GateInfo("gpi", 1, ("phi",), "turns", "GPIGate", "ionq"),
        GateInfo("gpi2", 1, ("phi",), "turns", "GPI2Gate", "ionq"),
        GateInfo("ms", 2, ("phi0", "phi1", "theta"), "turns", "MSGate", "ionq"),
        GateInfo("zz", 2, ("theta",), "turns", "ZZGate", "ionq"),
        GateInfo("r", 1, ("theta", "phi"), "radians", "PRX = cirq.PhasedXPowGate", "iqm"),
        GateInfo("cz", 2, (), "", "cirq.CZ", "iqm"),
        GateInfo("rx", 1, ("theta",), "radians", "cirq.rx", "textbook"),
        GateInfo("ry", 1, ("theta",), "radians", "cirq.ry", "textbook"),
        GateInfo("rz", 1, ("phi",), "radians", "cirq.rz", "textbook"),
        GateInfo("cx", 2, (), "", "cirq.CNOT", "textbook"),
        GateInfo("sx", 1, (), "", "cirq.X**0.5", "textbook"),
        GateInfo("x", 1, (), "", "cirq.X", "textbook"),
        GateInfo("h", 1, (), "", "cirq.H", "textbook"),
        GateInfo("u", 1, ("theta", "phi", "lam"), "radians", "cirq.PhasedXZGate", "textbook"),
    )
}
"""Every gate a device file may name, by Qiskit name."""

IONQ_GATE_NAMES = tuple(name for name, g in GATES.items() if g.family == "ionq")
"""``("gpi", "gpi2", "ms", "zz")``: the gates both renderings define as classes."""

TWO_QUBIT_GATES = frozenset(name for name, g in GATES.items() if g.num_qubits == 2)

OPERATIONS = frozenset({"measure", "reset", "delay", "barrier", "global_phase"})
"""Allowed on every device besides its gates (``global_phase`` is Cirq's; it does nothing)."""

#: the pulse synthesis each native gate set gets (see :func:`synthesis_of`), and its gates
SYNTHESES = {"ms": ("gpi", "gpi2", "ms"), "zz": ("gpi", "gpi2", "zz"), "prx": ("r", "cz")}


def synthesis_of(native_gates: tuple[str, ...] | frozenset[str]) -> str | None:
    """Which pulse synthesis a native gate set uses: ``"ms"`` (IonQ Aria), ``"zz"`` (IonQ Forte),
    ``"prx"`` (IQM), or ``None`` (textbook gates: Qiskit's own translation serves)."""
    names = frozenset(native_gates)
    return next((kind for kind, needed in SYNTHESES.items() if set(needed) <= names), None)


def two_qubit_gate(native_gates: tuple[str, ...]) -> str | None:
    """The entangling gate among ``native_gates`` (``ms``, ``zz``, ``cz`` or ``cx``)."""
    return next((g for g in native_gates if g in TWO_QUBIT_GATES), None)


# ---- IonQ's gates as matrices ----------------------------------------------------------------

def gpi(phi: float) -> np.ndarray:
    import numpy as np

    e = cmath.exp(2j * math.pi * phi)
    return np.array([[0, e.conjugate()], [e, 0]], dtype=complex)


def gpi2(phi: float) -> np.ndarray:
    import numpy as np

    e = cmath.exp(2j * math.pi * phi)
    return np.array([[1, -1j * e.conjugate()], [-1j * e, 1]], dtype=complex) / math.sqrt(2)


def ms(phi0: float, phi1: float, theta: float = 0.25) -> np.ndarray:
    import numpy as np

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
    import numpy as np

    e = cmath.exp(-1j * math.pi * theta)
    return np.diag([e, e.conjugate(), e.conjugate(), e]).astype(complex)


def qiskit_order(matrix: np.ndarray) -> np.ndarray:
    """A two-qubit matrix in Qiskit's basis order (qubit 0 least significant)."""
    return matrix[[0, 2, 1, 3]][:, [0, 2, 1, 3]]


IONQ_MATRICES = {"gpi": gpi, "gpi2": gpi2, "ms": ms, "zz": zz}
"""name -> matrix function (turns in, textbook order out)."""
