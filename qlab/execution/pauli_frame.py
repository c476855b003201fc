"""Moving a Pauli error through the rest of a circuit without simulating it again.

A shared trajectory (:mod:`.trajectories`) with a Pauli error ``P`` after gate ``p`` needs the
state ``U_rest P |psi_p>``, where ``U_rest`` is everything after ``p``. Two identities make most
of that work unnecessary:

**The Pauli frame.** If a gate ``G`` is a Clifford gate, ``G P = P' G`` with ``P' = G P G^dagger``
another Pauli (up to a phase, which no measurement sees). A gate that does not touch ``P``'s
qubits commutes with it, and so does a gate that ``P`` commutes with (an ``RZ`` with a ``Z``).
So ``P`` moves forward through such gates as a *frame*: two bit masks (its X part and its Z part)
updated per gate, without touching the state vector. If it reaches the end, the trajectory's
final state is ``P_end |psi_final>``: measured, that is the ideal final state with the bits of
``P_end``'s X part flipped (a Z changes only phases). The pattern costs no simulation at all;
its shots are drawn from the ideal final state and flipped. If the frame meets a gate it cannot
pass (a non-Clifford gate on its qubits that it does not commute with), the error is put back
into the circuit *there*, later than it happened: its simulation restarts from that gate.
(This is the propagation stim does for Clifford circuits, Aaronson and Gottesman, "Improved
simulation of stabilizer circuits", Phys. Rev. A 70, 052328 (2004); here it runs only as far as
the gates are Clifford.)

**The light cone.** ``U_rest P U_rest^dagger = V P V^dagger``, where ``V`` is the product, in
order, of only those gates after ``p`` that touch a qubit ``P`` has reached by then (its forward
light cone): every other gate commutes with the operator as it stands at that moment. So the
error's final state is also ``V P V^dagger |psi_final>``: ``V``'s inverse, the Pauli and ``V``
applied to the ideal final state. For an error late in a wide circuit ``V`` is a few gates where
``U_rest`` is all of them; :func:`light_cone` lists ``V`` and the trajectories take whichever of
the two ways touches fewer gates.

Gates are :class:`qlab.execution.qsim_direct.Gate` records (compact qubits, big-endian matrix).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import product

import numpy as np

from .qsim_direct import Gate, matrix, pauli_matrix

TOLERANCE = 1e-8  # a matrix entry this small is zero (gates are computed in double precision)

_BITS = {"I": (0, 0), "X": (1, 0), "Y": (1, 1), "Z": (0, 1)}
_LETTER = {v: k for k, v in _BITS.items()}


@lru_cache(maxsize=16)
def _labels(k: int) -> tuple[str, ...]:
    return tuple("".join(p) for p in product("IXYZ", repeat=k))


def _as_pauli(m: np.ndarray, k: int) -> str | None:
    """The Pauli string ``m`` is, up to a phase, or ``None`` when it is not one."""
    for label in _labels(k):
        c = np.vdot(pauli_matrix(label), m) / 2**k  # tr(P^dagger m) / 2^k
        if abs(c) > TOLERANCE:
            return label if abs(abs(c) - 1.0) < 1e-6 else None
    return None


@lru_cache(maxsize=8192)
def images(flat: tuple[float, ...], k: int) -> tuple[tuple[int, int], ...] | None:
    """For a Clifford gate on ``k`` qubits, the images ``G g G^dagger`` of the generators
    ``X_0 .. X_{k-1}, Z_0 .. Z_{k-1}`` (local qubit ``i`` is the gate's ``i``-th qubit), each as
    local ``(x mask, z mask)``; ``None`` when the gate is not Clifford."""
    u = matrix(Gate(tuple(range(k)), flat))
    out: list[tuple[int, int]] = []
    for kind in "XZ":
        for i in range(k):
            g = "".join(kind if j == i else "I" for j in range(k))
            label = _as_pauli(u @ pauli_matrix(g) @ u.conj().T, k)
            if label is None:
                return None
            out.append(_masks(label))
    return tuple(out)


@lru_cache(maxsize=8192)
def commutes(flat: tuple[float, ...], k: int, x: int, z: int) -> bool:
    """Does the local Pauli ``(x, z)`` commute with the gate, up to a phase?"""
    u = matrix(Gate(tuple(range(k)), flat))
    p = pauli_matrix(_label(x, z, k))
    a, b = p @ u @ p.conj().T, u
    idx = np.unravel_index(np.argmax(np.abs(b)), b.shape)
    phase = a[idx] / b[idx]
    return bool(abs(abs(phase) - 1.0) < 1e-6 and np.allclose(a, phase * b, atol=1e-7))


def _masks(label: str) -> tuple[int, int]:
    x = z = 0
    for i, ch in enumerate(label):
        bx, bz = _BITS[ch]
        x |= bx << i
        z |= bz << i
    return x, z


def _label(x: int, z: int, k: int) -> str:
    return "".join(_LETTER[((x >> i) & 1, (z >> i) & 1)] for i in range(k))


class Frame:
    """A Pauli on the compact qubits, as two masks (bit ``q``: qubit ``q``), phase ignored."""

    __slots__ = ("x", "z")

    def __init__(self) -> None:
        self.x = 0
        self.z = 0

    def add(self, qubits: Sequence[int], label: str) -> None:
        """Multiply by the Pauli ``label`` on ``qubits`` (``label[i]`` on ``qubits[i]``)."""
        for q, ch in zip(qubits, label, strict=True):
            bx, bz = _BITS[ch]
            self.x ^= bx << q
            self.z ^= bz << q

    @property
    def support(self) -> int:
        return self.x | self.z

    def through(self, gate: Gate) -> bool:
        """Move the frame past ``gate``; ``False`` (frame unchanged) when it cannot pass."""
        qs = gate.qubits
        lx = lz = 0
        for i, q in enumerate(qs):
            lx |= ((self.x >> q) & 1) << i
            lz |= ((self.z >> q) & 1) << i
        if not lx | lz:
            return True
        k = len(qs)
        imgs = images(gate.flat, k)
        if imgs is None:
            return commutes(gate.flat, k, lx, lz)
        nx = nz = 0
        for i in range(k):
            if (lx >> i) & 1:
                nx ^= imgs[i][0]
                nz ^= imgs[i][1]
            if (lz >> i) & 1:
                nx ^= imgs[k + i][0]
                nz ^= imgs[k + i][1]
        for i, q in enumerate(qs):
            self.x = (self.x & ~(1 << q)) | (((nx >> i) & 1) << q)
            self.z = (self.z & ~(1 << q)) | (((nz >> i) & 1) << q)
        return True

    def items(self, position: int) -> list[tuple[int, tuple[int, ...], str]]:
        """The frame as one-qubit Pauli errors at ``position`` (the trajectories' item form)."""
        out = []
        s, q = self.support, 0
        while s >> q:
            if (s >> q) & 1:
                out.append((position, (q,), _LETTER[((self.x >> q) & 1, (self.z >> q) & 1)]))
            q += 1
        return out


def advance(gates: Sequence[Gate], items: Sequence[tuple]) -> tuple[list[tuple], int]:
    """Carry a pattern's errors forward as a frame as far as the gates allow.

    ``items``: ``(position, qubits, action)`` sorted by position; an action is a Pauli string or
    ``"R"`` (a reset, which the frame does not cross). Returns the items still to simulate (the
    frame put back where it stopped, then the rest) and, when nothing is left to simulate, the
    X mask to flip on the ideal final state's samples (else 0).
    """
    frame = Frame()
    j = 0
    pos = items[0][0] if items else len(gates)
    while pos <= len(gates):
        while j < len(items) and items[j][0] == pos:
            _, qs, act = items[j]
            if act == "R":
                return frame.items(pos) + list(items[j:]), 0
            frame.add(qs, act)
            j += 1
        if pos == len(gates):
            break
        if not frame.support and j < len(items):
            pos = items[j][0]  # nothing to carry until the next error
            continue
        if not frame.through(gates[pos]):
            return frame.items(pos) + list(items[j:]), 0
        pos += 1
    return [], frame.x


def light_cone(gates: Sequence[Gate], position: int, qubits: Sequence[int]) -> list[int]:
    """Indices of the gates from ``position`` on that touch a qubit reached from ``qubits``."""
    reached = 0
    for q in qubits:
        reached |= 1 << q
    out = []
    for i in range(position, len(gates)):
        mask = 0
        for q in gates[i].qubits:
            mask |= 1 << q
        if mask & reached:
            out.append(i)
            reached |= mask
    return out
