"""One-qubit pulses with virtual Z: the synthesis every compiled circuit goes through.

IonQ's and IQM's machines never play a Z rotation. They keep, per qubit, a **frame**: an angle by
which every later pulse's axis is turned. A Z rotation then costs no time and adds no error, and
every run of one-qubit gates between two entangling gates becomes **one pulse** (one PRX; on IonQ
one GPI or GPI2, or two GPI2 for a rotation by another angle). This module does that bookkeeping
once, framework-neutral and with plain Python numbers (no BLAS, so the same on every CPU); the
Qiskit translation stage (:mod:`qlab.qiskit_side.translate`) feeds it a circuit gate by gate and
emits what it returns.

The picture, per qubit: the circuit played so far is ``P``; ``U`` is a one-qubit unitary not played
yet; ``f`` is the frame. The logical circuit is ``U . Rz(f) . P`` (rightmost first).

* a one-qubit gate ``G`` joins ``U`` (``U <- G U``);
* before an entangling gate, ``U . Rz(f)`` is written as ``Rz(delta) . R_psi(beta)``: the pulse
  ``R_psi(beta)`` (a rotation by ``beta`` about the equator axis at ``psi``) is played and
  ``Rz(delta)`` becomes the new frame. CZ and ZZ commute with Z, so they are played as they are; an
  MS gate's axes turn with the frames (``MS(phi) Rz(f) = Rz(f) MS(phi - f/2pi)``);
* before a measurement the frame is dropped: a Z rotation cannot change what is read;
* at the end, a qubit that is not measured last gets ``U . Rz(f)`` played in full, in the fewest
  pulses, so that the circuit's unitary is exactly right, global phase included.

Angles may be symbolic (anything that is not a real number, e.g. a Qiskit ``Parameter``): a
rotation by a free angle is played on its own and a free Z rotation just moves the frame, so a
circuit can be compiled once and its parameters bound later.

Conventions: ``R_psi(beta) = exp(-i beta/2 (cos psi X + sin psi Y))`` is IQM's PRX(beta, psi)
(Qiskit's ``RGate``); IonQ angles are in turns: ``GPI(phi) = i R_(2 pi phi)(pi)``,
``GPI2(phi) = R_(2 pi phi)(pi/2)``.
"""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass
from numbers import Real
from typing import Any

TWO_PI = 2.0 * math.pi
ATOL = 1e-9  # an angle or a matrix entry this close to a special value is that value

Matrix = tuple[tuple[complex, complex], tuple[complex, complex]]
IDENTITY: Matrix = ((1 + 0j, 0j), (0j, 1 + 0j))


@dataclass(frozen=True)
class Pulse:
    """A native gate to play. ``name`` is ``"gpi"``, ``"gpi2"``, ``"ms"``, ``"zz"`` (parameters in
    turns), ``"prx"`` (``theta, phi`` in radians) or ``"cz"``; ``qubits`` are the caller's keys."""

    name: str
    qubits: tuple[Any, ...]
    params: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Keep:
    """An operation the caller plays unchanged (measure, reset, delay, barrier), in its place."""

    token: Any


# ---- 2x2 arithmetic in plain Python ---------------------------------------------------------


def is_number(x: Any) -> bool:
    return isinstance(x, Real)


def mul(a: Matrix, b: Matrix) -> Matrix:
    """``a @ b``."""
    return (
        (a[0][0] * b[0][0] + a[0][1] * b[1][0], a[0][0] * b[0][1] + a[0][1] * b[1][1]),
        (a[1][0] * b[0][0] + a[1][1] * b[1][0], a[1][0] * b[0][1] + a[1][1] * b[1][1]),
    )


def as_matrix(m: Any) -> Matrix:
    """A 2x2 array-like as a tuple matrix of Python complex numbers."""
    return ((complex(m[0][0]), complex(m[0][1])), (complex(m[1][0]), complex(m[1][1])))


def rz(theta: float) -> Matrix:
    return ((cmath.exp(-0.5j * theta), 0j), (0j, cmath.exp(0.5j * theta)))


def equator(psi: float, beta: float) -> Matrix:
    """``R_psi(beta)``."""
    c, s = math.cos(beta / 2), math.sin(beta / 2)
    return ((complex(c), -1j * s * cmath.exp(-1j * psi)), (-1j * s * cmath.exp(1j * psi), complex(c)))


def wrap(x: float, period: float = TWO_PI) -> float:
    """``x`` moved into ``(-period/2, period/2]``; within :data:`ATOL` of 0 it is 0."""
    r = math.remainder(x, period)
    if abs(r) < ATOL:
        return 0.0
    return period / 2 if abs(r + period / 2) < ATOL else r


def turns(x: Any) -> Any:
    """An angle in turns reduced to [0, 1) (a symbolic angle is kept as it is)."""
    if not is_number(x):
        return x
    r = float(x) % 1.0
    return 0.0 if r < ATOL or 1.0 - r < ATOL else r


def z_then_equator(u: Matrix) -> tuple[float, float, float, float]:
    """Write a one-qubit unitary as ``e^(i alpha) Rz(delta) R_phi(beta)``.

    Returns ``(alpha, delta, phi, beta)`` in radians with ``beta`` in [0, pi]. A rotation that is
    a pure Z rotation (``beta = 0``) gets ``phi = 0``; a half turn (``beta = pi``) gets
    ``delta = 0``. Entries within :data:`ATOL` of zero count as zero, so the decisions do not
    depend on the last bits of the arithmetic.
    """
    c, s = abs(u[0][0]), abs(u[1][0])
    beta = 2.0 * math.atan2(s, c)
    if s < ATOL:  # diagonal: a Z rotation
        delta = wrap(cmath.phase(u[1][1]) - cmath.phase(u[0][0]))
        return cmath.phase(u[0][0]) + delta / 2, delta, 0.0, 0.0
    if c < ATOL:  # anti-diagonal: a half turn about an equator axis
        phi = (cmath.phase(u[1][0]) - cmath.phase(u[0][1])) / 2
        return cmath.phase(u[1][0]) + math.pi / 2 - phi, 0.0, phi, math.pi
    delta = wrap(cmath.phase(u[1][1]) - cmath.phase(u[0][0]))
    alpha = cmath.phase(u[0][0]) + delta / 2
    phi = cmath.phase(u[1][0]) - alpha + math.pi / 2 - delta / 2
    return alpha, delta, phi, beta


def _phase_if_equal(v: Matrix, c: Matrix) -> float | None:
    """``a`` with ``v == e^(ia) c``, or None when they differ beyond :data:`ATOL`."""
    overlap = (
        c[0][0].conjugate() * v[0][0] + c[1][0].conjugate() * v[1][0]
        + c[0][1].conjugate() * v[0][1] + c[1][1].conjugate() * v[1][1]
    ) / 2  # fmt: skip
    if abs(abs(overlap) - 1.0) > ATOL:
        return None
    return cmath.phase(overlap)


# ---- the synthesis --------------------------------------------------------------------------


class Synthesis:
    """Turn one circuit, operation by operation, into native pulses with virtual Z.

    ``kind`` is ``"prx"`` (IQM: PRX and CZ), ``"ms"`` (IonQ Aria: GPI, GPI2, MS) or ``"zz"``
    (IonQ Forte: GPI, GPI2, ZZ). Feed the circuit in order with the methods below, then call
    :meth:`finish` for the pulses and the global phase that make the result exactly equal.
    """

    def __init__(self, kind: str):
        if kind not in ("prx", "ms", "zz"):
            raise ValueError(f"kind must be 'prx', 'ms' or 'zz', got {kind!r}")
        self.kind = kind
        self.out: list[Pulse | Keep] = []
        self.pending: dict[Any, Matrix] = {}
        self.frame: dict[Any, Any] = {}
        self.settled: dict[Any, bool] = {}  # measured (or reset) last: nothing left to play
        self.phase: Any = 0.0

    # ---- one-qubit operations ----------------------------------------------------------------
    def unitary(self, q: Any, m: Any) -> None:
        """A one-qubit gate given by its (numeric) matrix."""
        self._touch(q)
        prev = self.pending.get(q)
        m = as_matrix(m)
        self.pending[q] = m if prev is None else mul(m, prev)

    def rz(self, q: Any, angle: Any) -> None:
        """``Rz(angle)``, the angle possibly symbolic: it only moves the frame."""
        if is_number(angle):
            self.unitary(q, rz(float(angle)))
            return
        self.flush(q)
        self.frame[q] = self.frame[q] + angle

    def rotation(self, q: Any, theta: Any, phi: Any) -> None:
        """``R_phi(theta)``, angles possibly symbolic."""
        if is_number(theta) and is_number(phi):
            self.unitary(q, equator(float(phi), float(theta)))
            return
        self.flush(q)
        self._play_equator(q, phi - self.frame[q], theta)

    def add_phase(self, angle: Any) -> None:
        self.phase = self.phase + angle

    # ---- entangling gates ----------------------------------------------------------------------
    def cz(self, a: Any, b: Any) -> None:
        self.flush(a)
        self.flush(b)
        self._emit("cz", (a, b))

    def zz(self, a: Any, b: Any, theta: Any) -> None:
        """IonQ's ZZ(theta) (turns), played with ``|theta| <= 1/4``."""
        self.flush(a)
        self.flush(b)
        if not is_number(theta):
            self._emit("zz", (a, b), (theta,))
            return
        theta, half = self._fold(float(theta))
        if half:  # ZZ(s/2) = e^(i s pi/2) Rz(s pi) x Rz(s pi) (s = +-1): a frame on each qubit
            self.phase = self.phase + half * math.pi / 2
            self.frame[a] = self.frame[a] + half * math.pi
            self.frame[b] = self.frame[b] + half * math.pi
        if theta is not None:
            self._emit("zz", (a, b), (theta,))  # Z frames commute with ZZ: no phase to shift

    def ms(self, a: Any, b: Any, phi0: Any, phi1: Any, theta: Any = 0.25) -> None:
        """IonQ's MS(phi0, phi1, theta) (turns), played with ``0 < theta <= 1/4``.

        A pending rotation about the gate's own axis on that qubit commutes with it, so it stays
        pending (it joins the next run instead of costing pulses now): a chain of XX-type gates
        with rotations about X between them (Aria's form of a QFT) plays them once, at the end."""
        for q, phi in ((a, phi0), (b, phi1)):
            if not (is_number(phi) and self._commutes(q, float(phi))):
                self.flush(q)
        if not (is_number(theta) and is_number(phi0) and is_number(phi1)):
            self._emit_ms(a, b, phi0, phi1, theta)
            return
        phi0, phi1 = float(phi0), float(phi1)
        folded, half = self._fold(float(theta))
        if half:
            # RXX(s pi) = -i s X(x)X; X(x)X in the MS frame is GPI(phi0) x GPI(phi1), which
            # commutes with the MS and joins the next one-qubit run
            self.phase = self.phase - half * math.pi / 2
            self.unitary(a, _gpi(phi0))
            self.unitary(b, _gpi(phi1))
        if folded is None:
            return
        if folded < 0:  # a half turn of the first axis flips the XX rotation: MS(phi0 + 1/2) = MS(-theta)
            folded, phi0 = -folded, phi0 + 0.5
        self._emit_ms(a, b, phi0, phi1, folded)

    def _fold(self, theta: float) -> tuple[float | None, float]:
        """An interaction angle (turns) brought into ``[-1/4, 1/4]``: ``(theta, s)`` where the
        gate equals its folded self times the half turn ``s/2`` (``s`` in -1, 0, 1; the whole turns
        are a global phase: G(theta + 1) = -G(theta)); ``theta`` is None when nothing is left."""
        wrapped = (theta + 0.5) % 1.0 - 0.5
        self.phase = self.phase + math.pi * round(theta - wrapped)
        half = 0.0
        if abs(wrapped) > 0.25 + ATOL:
            half = 1.0 if wrapped > 0 else -1.0
            wrapped -= half * 0.5
        return (None if abs(wrapped) < ATOL else wrapped), half

    def _commutes(self, q: Any, phi: float) -> bool:
        """Is what is pending on ``q`` a rotation about the equator axis at ``phi`` turns (so that
        it commutes with an MS gate whose axis on ``q`` that is)?"""
        u = self.pending.get(q)
        if u is None:
            return False
        _, delta, axis, beta = z_then_equator(u)
        return abs(delta) < ATOL and beta >= ATOL and abs(wrap(axis - TWO_PI * phi, math.pi)) < ATOL

    def _emit_ms(self, a: Any, b: Any, phi0: Any, phi1: Any, theta: Any) -> None:
        shift_a = turns(phi0 - self.frame[a] / TWO_PI)
        shift_b = turns(phi1 - self.frame[b] / TWO_PI)
        self._emit("ms", (a, b), (shift_a, shift_b, theta))

    # ---- everything else ---------------------------------------------------------------------
    def measure(self, q: Any, token: Any) -> None:
        """A measurement of ``q``: what is pending is played, the frame dropped."""
        self.flush(q)
        self.out.append(Keep(token))
        self.frame[q] = 0.0
        self.settled[q] = True

    def reset(self, q: Any, token: Any) -> None:
        """A reset of ``q``: nothing done to it before survives."""
        self._touch(q)
        self.pending.pop(q, None)
        self.frame[q] = 0.0
        self.out.append(Keep(token))
        self.settled[q] = True

    def keep(self, qubits: tuple[Any, ...], token: Any) -> None:
        """A delay or barrier: pending pulses are played before it; frames pass through
        (relaxation and Z rotations commute)."""
        for q in qubits:
            self.flush(q)
        self.out.append(Keep(token))

    def finish(self) -> tuple[list[Pulse | Keep], Any]:
        """The pulses, and the global phase, after settling every qubit."""
        for q in list(self.frame):
            self._settle(q)
        return self.out, self.phase

    # ---- internals -----------------------------------------------------------------------------
    def _touch(self, q: Any) -> None:
        if q not in self.frame:
            self.frame[q] = 0.0
        self.settled[q] = False

    def _emit(self, name: str, qubits: tuple[Any, ...], params: tuple[Any, ...] = ()) -> None:
        for q in qubits:
            self._touch(q)
        self.out.append(Pulse(name, qubits, params))

    def flush(self, q: Any) -> None:
        """Play what is pending on ``q`` as one pulse (two GPI2 on IonQ for an odd angle) and
        leave the Z part in the frame."""
        self._touch(q)
        u = self.pending.pop(q, None)
        if u is None:
            return
        alpha, delta, phi, beta = z_then_equator(u)
        self.phase = self.phase + alpha
        f = self.frame[q]
        # U Rz(f) = e^(ia) Rz(delta) R_phi(beta) Rz(f) = e^(ia) Rz(delta + f) R_(phi - f)(beta)
        self.frame[q] = f + delta
        if beta >= ATOL:
            self._play_equator(q, phi - f, beta)

    def _play_equator(self, q: Any, psi: Any, beta: Any) -> None:
        """Play ``R_psi(beta)`` now (``psi`` and ``beta`` possibly symbolic)."""
        if self.kind == "prx":
            if is_number(psi):
                psi = wrap(float(psi))
            self._emit("prx", (q,), (beta, psi))
            return
        t = psi / TWO_PI
        if is_number(beta) and abs(beta - math.pi) < ATOL:  # R_psi(pi) = -i GPI(psi / 2pi)
            self.phase = self.phase - math.pi / 2
            self._emit("gpi", (q,), (turns(t),))
        elif is_number(beta) and abs(beta - math.pi / 2) < ATOL:  # R_psi(pi/2) = GPI2(psi / 2pi)
            self._emit("gpi2", (q,), (turns(t),))
        else:  # R_psi(beta) = Rz(beta) GPI2(1/4 + t - beta/2pi) GPI2(3/4 + t), exactly
            self._emit("gpi2", (q,), (turns(0.75 + t),))
            self._emit("gpi2", (q,), (turns(0.25 + t - beta / TWO_PI),))
            self.frame[q] = self.frame[q] + beta

    def _settle(self, q: Any) -> None:
        """Leave nothing pending on ``q``: play ``U . Rz(f)`` exactly unless ``q`` was measured last."""
        if self.settled.get(q) and q not in self.pending:
            return
        if not is_number(self.frame[q]):
            self.flush(q)
            z = self.frame[q]
            self.frame[q] = 0.0
            self._play_z(q, z)
            return
        u = self.pending.pop(q, IDENTITY)
        v = mul(u, rz(float(self.frame[q])))
        self.frame[q] = 0.0
        gates, phase = self._fewest(v)
        self.phase = self.phase + phase
        for name, params in gates:
            self._emit(name, (q,), params)

    def _play_z(self, q: Any, z: Any) -> None:
        """A Z rotation that has to be played (symbolic, at the end of an unmeasured qubit)."""
        if self.kind == "prx":  # Rz(z) = -R_(z/2)(pi) R_0(pi)
            self.phase = self.phase + math.pi
            self._emit("prx", (q,), (math.pi, 0.0))
            self._emit("prx", (q,), (math.pi, z / 2))
        else:  # Rz(z) = GPI(z / 4pi) GPI(0)
            self._emit("gpi", (q,), (0.0,))
            self._emit("gpi", (q,), (z / (2 * TWO_PI),))

    def _fewest(self, v: Matrix) -> tuple[list[tuple[str, tuple[float, ...]]], float]:
        """The fewest pulses that play ``v`` exactly (no frame left), and the phase they leave."""
        _, delta, phi, beta = z_then_equator(v)
        candidates: list[list[tuple[str, tuple[float, ...]]]] = [[]]
        if self.kind == "prx":
            candidates.append([("prx", (beta, wrap(phi)))])
            # Rz(delta) R_phi(beta) = R_(phi + delta/2)(pi) R_phi(pi + beta), up to phase
            candidates.append([("prx", (wrap(math.pi + beta), wrap(phi))),
                               ("prx", (math.pi, wrap(phi + delta / 2)))])  # fmt: skip
        else:
            t = phi / TWO_PI
            candidates += [
                [("gpi", (turns(t),))],
                [("gpi2", (turns(t),))],
                [("gpi", (0.0,)), ("gpi", (turns(delta / (2 * TWO_PI)),))],  # a Z rotation
                [("gpi2", (turns(0.75 + t),)), ("gpi2", (turns(0.25 + t - beta / TWO_PI),))],
                _u3_pulses(v),  # GPI2 . GPI . GPI2 plays any one-qubit unitary
            ]
        candidates.sort(key=len)
        for gates in candidates:
            phase = _phase_if_equal(v, _played(gates))
            if phase is not None:
                return [g for g in gates if not _is_identity(g)], phase
        raise RuntimeError("pulse synthesis failed: no sequence matched")  # pragma: no cover


def _gpi(phi: float) -> Matrix:
    e = cmath.exp(2j * math.pi * phi)
    return ((0j, e.conjugate()), (e, 0j))


def _gpi2(phi: float) -> Matrix:
    e = cmath.exp(2j * math.pi * phi)
    r = 1 / math.sqrt(2)
    return ((complex(r), -1j * r * e.conjugate()), (-1j * r * e, complex(r)))


def _played(gates: list[tuple[str, tuple[float, ...]]]) -> Matrix:
    m = IDENTITY
    for name, params in gates:
        if name == "gpi":
            g = _gpi(params[0])
        elif name == "gpi2":
            g = _gpi2(params[0])
        else:
            g = equator(params[1], params[0])
        m = mul(g, m)
    return m


def _is_identity(gate: tuple[str, tuple[float, ...]]) -> bool:
    return gate[0] == "prx" and abs(wrap(gate[1][0])) < ATOL


def _u3_pulses(v: Matrix) -> list[tuple[str, tuple[float, ...]]]:
    """GPI2 . GPI . GPI2 for any one-qubit unitary: ``U(theta, phi, lam) = e^(i((phi + lam)/2 -
    pi/2)) GPI2(1/2 + phi/2pi) GPI(theta/4pi + (phi - lam)/4pi) GPI2(1/2 - lam/2pi)``."""
    # U(theta, phi, lam) = [[cos(t/2), -e^(il) sin(t/2)], [e^(ip) sin(t/2), e^(i(p+l)) cos(t/2)]]
    c, s = abs(v[0][0]), abs(v[1][0])
    theta = 2.0 * math.atan2(s, c)
    g = cmath.phase(v[0][0]) if c >= ATOL else cmath.phase(v[1][0])  # the global phase to remove
    if c >= ATOL and s >= ATOL:
        phi = cmath.phase(v[1][0]) - g
        lam = cmath.phase(-v[0][1]) - g
    elif s < ATOL:
        phi, lam = cmath.phase(v[1][1]) - g, 0.0
    else:
        phi, lam = 0.0, cmath.phase(-v[0][1]) - g
    return [
        ("gpi2", (turns(0.5 - lam / TWO_PI),)),
        ("gpi", (turns((theta + phi - lam) / (2 * TWO_PI)),)),
        ("gpi2", (turns(0.5 + phi / TWO_PI),)),
    ]
