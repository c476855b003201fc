"""Compile a ``cirq.Circuit`` for an emulated device: native gates, coupled pairs, lean counts.

What :func:`compile_circuit` does, step by step (the same steps a vendor's compiler takes):

1. **Check the input**: the circuit fits on the device, every gate has a unitary (or is a
   measurement), no unresolved parameters. Each problem is a qlab error that says what to fix.
2. **Decompose** to the device's gate family with ``cirq.optimize_for_target_gateset`` and a
   :class:`NativeGateset`: gates on three or more qubits are broken up; every run of one- and
   two-qubit gates on the same pair is merged into one 4x4 unitary and rebuilt from the fewest
   entangling gates (KAK decomposition, at most 3); every run of one-qubit gates becomes at most
   2 (PRX), 3 (GPI/GPI2) or 3 (rx/ry/rz) native gates.
3. **Route** (devices with a coupling map, e.g. the IQM star): ``cirq.RouteCQC`` inserts SWAPs so
   that every two-qubit gate acts on a coupled pair. Where the logical qubits start matters a lot
   on a star, so several initial placements are tried (the busiest logical qubit on the hub,
   cirq's line mapper, the identity, a few seeded random ones) and the cheapest result is kept.
4. **Decompose again** so the SWAPs become native gates (a SWAP next to a CZ on the same pair is
   merged with it: CZ then SWAP costs 2 CZ, not 4), and **validate** the result on the device.

Measurement keys are kept, so results read the same before and after compilation. Routing moves
logical qubits around: :func:`compile_with_mapping` returns where each original qubit starts and
ends, which is what a test needs to compare unitaries (``final_map``).

>>> import cirq, qlab
>>> q = cirq.LineQubit.range(5)
>>> ghz = cirq.Circuit(cirq.H(q[0]), [cirq.CNOT(q[i], q[i + 1]) for i in range(4)])
>>> spark = qlab.device("iqm-spark").spec
>>> result = compile_with_mapping(ghz, spark, seed=1)
>>> result.swaps, result.two_qubit_gates
(1, 7)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import cirq
import numpy as np

from .cirq_device import build_device
from .cirq_gates import GPI2Gate, GPIGate, MSGate, ZZGate
from .errors import CircuitTooWideError, NotACircuitError, TranspileError
from .i18n import t
from .spec import DeviceSpec

_ATOL = 1e-9
TWO_PI = 2 * math.pi


# ---- one-qubit unitaries in native gates -----------------------------------------------------
def _is_zero_angle(x: float, period: float = TWO_PI) -> bool:
    """Is ``x`` a multiple of ``period`` (up to rounding)?"""
    r = math.fmod(x, period)
    return min(abs(r), period - abs(r)) < _ATOL


def _wrap(x: float, period: float) -> float:
    """``x`` moved into ``(-period/2, period/2]``, with rounding noise snapped to 0."""
    r = math.remainder(x, period)
    if abs(r) < _ATOL:
        return 0.0
    return period / 2 if abs(r + period / 2) < _ATOL else r


def _turns(x_rad: float) -> float:
    """Radians to turns in [0, 1): IonQ's phase convention (GPI(phi + 1) = GPI(phi))."""
    r = _wrap(x_rad, TWO_PI) / TWO_PI
    return r + 1.0 if r < 0 else r


def z_then_equator(mat: np.ndarray) -> tuple[float, float, float]:
    """Write a one-qubit unitary as ``Rz(delta) . R_phi(beta)`` (up to global phase).

    ``R_phi(beta) = exp(-i beta/2 (cos(phi) X + sin(phi) Y))`` is a rotation about an axis in the
    x-y plane, the kind of pulse every device here can drive; ``Rz(delta)`` is what is left over.
    Returns ``(delta, phi, beta)`` in radians, ``beta`` in [0, pi].
    """
    z_before, y, z_after = cirq.deconstruct_single_qubit_matrix_into_angles(mat)
    # U = Rz(z_after) Ry(y) Rz(z_before), and Ry(y) = Rz(pi/2) Rx(y) Rz(-pi/2), so
    # U = Rz(z_after + z_before) . [Rz(pi/2 - z_before) Rx(y) Rz(z_before - pi/2)]
    delta, phi, beta = z_after + z_before, math.pi / 2 - z_before, y
    if beta < 0:  # a rotation by -beta about phi is a rotation by beta about phi + pi
        beta, phi = -beta, phi + math.pi
    if abs(beta - math.pi) < _ATOL:  # Rz(delta) R_phi(pi) = R_(phi + delta/2)(pi): no Z left
        delta, phi = 0.0, phi + delta / 2
    return delta, phi, beta


def prx_sequence(mat: np.ndarray) -> list[cirq.Gate]:
    """At most two PRX gates (``cirq.PhasedXPowGate``) for a one-qubit unitary, in time order.

    ``Rz(delta)`` is the product of two pi pulses whose axes differ by ``delta/2``, and the second
    of them shares its axis with ``R_phi(beta)``, so ``Rz(delta) R_phi(beta) =
    R_(phi + delta/2)(pi) . R_phi(pi + beta)``: two pulses for any unitary, one when ``delta`` is 0.
    """
    delta, phi, beta = z_then_equator(mat)
    pulses = (
        [(phi, beta)]
        if _is_zero_angle(delta)
        else [(phi, beta + math.pi), (phi + delta / 2, math.pi)]
    )
    return [
        cirq.PhasedXPowGate(
            phase_exponent=_wrap(p, TWO_PI) / math.pi, exponent=_wrap(b, TWO_PI) / math.pi
        )
        for p, b in pulses
        if not _is_zero_angle(b)
    ]


def gpi_sequence(mat: np.ndarray) -> list[cirq.Gate]:
    """At most three IonQ pulses (GPI, GPI2) for a one-qubit unitary, in time order.

    The identities used (all exact up to global phase; angles in turns on the right):
    ``GPI(a) GPI(b) = Rz(4 pi (a - b))``; ``Rz(delta) GPI(phi) = GPI(phi + delta/4pi)``;
    ``Rz(delta) GPI2(phi) = GPI(phi - 1/2 + delta/4pi) GPI2(phi - 1/2)``; and
    ``R_phi(beta) = Rz(beta) GPI2(1/4 + phi - beta/2pi) GPI2(3/4 + phi)``.
    """
    delta, phi_rad, beta = z_then_equator(mat)
    phi = phi_rad / TWO_PI
    d4 = delta / (2 * TWO_PI)  # delta / 4 pi
    if _is_zero_angle(beta):
        seq = [] if _is_zero_angle(delta) else [GPIGate(0.0), GPIGate(d4)]
    elif abs(beta - math.pi) < _ATOL:
        seq = [GPIGate(phi + d4)]
    elif abs(beta - math.pi / 2) < _ATOL:
        seq = (
            [GPI2Gate(phi)]
            if _is_zero_angle(delta)
            else [GPI2Gate(phi - 0.5), GPIGate(phi - 0.5 + d4)]
        )
    else:
        p = 0.25 + phi - beta / TWO_PI
        rest = delta + beta
        first = GPI2Gate(0.75 + phi)
        if _is_zero_angle(rest):
            seq = [first, GPI2Gate(p)]
        else:
            seq = [first, GPI2Gate(p - 0.5), GPIGate(p - 0.5 + rest / (2 * TWO_PI))]
    return [type(g)(_turns(g.phi * TWO_PI)) for g in seq]  # phases in [0, 1)


def rotation_sequence(mat: np.ndarray) -> list[cirq.Gate]:
    """At most three of ``cirq.rx/ry/rz`` for a one-qubit unitary, in time order (the shorter of
    the Z-Y-Z and Z-X-Z Euler forms; a pure Z rotation is one ``rz``)."""
    delta, phi, beta = z_then_equator(mat)
    if _is_zero_angle(beta):
        return [] if _is_zero_angle(delta) else [cirq.rz(_wrap(delta, 2 * TWO_PI))]
    # Z-X-Z: R_phi(beta) = Rz(phi) Rx(beta) Rz(-phi); Z-Y-Z: Ry = Rz(pi/2) Rx Rz(-pi/2)
    zxz = [cirq.rz(-phi), cirq.rx(beta), cirq.rz(delta + phi)]
    zyz = [cirq.rz(math.pi / 2 - phi), cirq.ry(beta), cirq.rz(delta + phi - math.pi / 2)]
    best = []
    for seq in (zyz, zxz):
        kept = [g for g in seq if not _is_zero_angle(g._rads)]  # type: ignore[attr-defined]
        kept = [type(g)(rads=_wrap(g._rads, 2 * TWO_PI)) for g in kept]  # type: ignore[attr-defined]
        if not best or len(kept) < len(best):
            best = kept
    return best


# ---- the target gatesets ---------------------------------------------------------------------
def _family(spec: DeviceSpec) -> str:
    gates = set(spec.native_gates)
    if {"gpi", "gpi2"} <= gates and ("ms" in gates or "zz" in gates):
        return "ms" if "ms" in gates else "zz"
    if "r" in gates and "cz" in gates:
        return "prx"
    if {"rx", "ry", "rz", "cx"} <= gates:
        return "rot"
    raise TranspileError(
        t(
            "validate.cannot_compile",
            gate="-",
            qubits="-",
            device=spec.name,
            reason=f"native gates {', '.join(spec.native_gates)}",
        )
    )


_ONE_QUBIT: dict[str, Callable[[np.ndarray], list[cirq.Gate]]] = {
    "prx": prx_sequence,
    "ms": gpi_sequence,
    "zz": gpi_sequence,
    "rot": rotation_sequence,
}


def _cz_in_natives(family: str, a: cirq.Qid, b: cirq.Qid) -> list[cirq.Operation]:
    """A CZ written with the family's entangling gate (one-qubit gates merged away later).

    CZ = e^(i pi/4) (Rz(pi/2) x Rz(pi/2)) exp(+i pi/4 Z Z); exp(+i pi/4 ZZ) is ZZ(-1/4) on Forte,
    and on Aria the same with X and Z swapped by Hadamards: MS(1/2, 0) = exp(+i pi/4 XX).
    """
    if family == "prx":
        return [cirq.CZ(a, b)]
    if family == "rot":
        return [cirq.H(b), cirq.CNOT(a, b), cirq.H(b)]
    tail = [cirq.rz(math.pi / 2)(a), cirq.rz(math.pi / 2)(b)]
    if family == "zz":
        return [ZZGate(-0.25)(a, b), *tail]
    return [cirq.H(a), cirq.H(b), MSGate(0.5, 0.0)(a, b), cirq.H(a), cirq.H(b), *tail]


class NativeGateset(cirq.TwoQubitCompilationTargetGateset):
    """The native gates of one device family, as a target for ``cirq.optimize_for_target_gateset``.

    ``family`` is ``"prx"`` (IQM: PRX + CZ), ``"ms"`` (IonQ Aria: GPI, GPI2, MS), ``"zz"``
    (IonQ Forte: GPI, GPI2, ZZ) or ``"rot"`` (ideal: rx, ry, rz, CNOT).
    """

    def __init__(self, family: str, *, atol: float = 1e-8):
        gates: dict[str, list[Any]] = {
            "prx": [cirq.PhasedXPowGate, cirq.XPowGate, cirq.YPowGate, cirq.CZ],
            "ms": [GPIGate, GPI2Gate, MSGate],
            "zz": [GPIGate, GPI2Gate, ZZGate],
            "rot": [cirq.Rx, cirq.Ry, cirq.Rz, cirq.CNOT],
        }
        super().__init__(
            *gates[family],
            cirq.MeasurementGate,
            cirq.GlobalPhaseGate,
            unroll_circuit_op=False,
            preserve_moment_structure=False,
        )
        self.family = family
        self.atol = atol
        self._one_qubit = _ONE_QUBIT[family]

    def one_qubit_ops(self, mat: np.ndarray, qubit: cirq.Qid) -> list[cirq.Operation]:
        """The fewest native gates implementing ``mat`` on ``qubit`` (global phase dropped)."""
        return [g.on(qubit) for g in self._one_qubit(mat)]

    def _decompose_single_qubit_operation(self, op: cirq.Operation, moment_idx: int) -> Any:
        if not cirq.has_unitary(op):
            return NotImplemented
        return self.one_qubit_ops(cirq.unitary(op), op.qubits[0])

    def _decompose_two_qubit_operation(self, op: cirq.Operation, moment_idx: int) -> Any:
        if not cirq.has_unitary(op):
            return NotImplemented
        a, b = op.qubits
        with_cz = cirq.two_qubit_matrix_to_cz_operations(
            a, b, cirq.unitary(op), allow_partial_czs=False, atol=self.atol
        )
        out: list[cirq.Operation] = []
        for o in with_cz:
            if len(o.qubits) == 2:
                out += _cz_in_natives(self.family, *o.qubits)
            else:
                out.append(o)
        return out

    @property
    def postprocess_transformers(self) -> list[cirq.TRANSFORMER]:
        return [
            self._merge_one_qubit_runs,
            _drop_global_phase,
            cirq.drop_negligible_operations,
            cirq.drop_empty_moments,
        ]

    def _merge_one_qubit_runs(
        self, circuit: cirq.AbstractCircuit, *, context: cirq.TransformerContext | None = None
    ) -> cirq.Circuit:
        """Every run of one-qubit gates on a qubit becomes the fewest native gates."""

        def rewrite(component: cirq.CircuitOperation) -> cirq.OP_TREE:
            inner = list(component.circuit.all_operations())
            if len(inner) == 1 and inner[0] in self:
                return inner[0]
            return self.one_qubit_ops(cirq.unitary(component), component.qubits[0])

        return cirq.merge_k_qubit_unitaries(circuit, k=1, rewriter=rewrite).unfreeze(copy=False)

    def _value_equality_values_(self) -> Any:
        return (self.family, self.atol)

    def __repr__(self) -> str:
        return f"qlab.cirq_compile.NativeGateset({self.family!r})"


def _drop_global_phase(
    circuit: cirq.AbstractCircuit, *, context: cirq.TransformerContext | None = None
) -> cirq.Circuit:
    return cirq.map_operations(
        circuit, lambda op, _: [] if isinstance(op.gate, cirq.GlobalPhaseGate) else op
    ).unfreeze(copy=False)


def target_gateset(spec: DeviceSpec) -> NativeGateset:
    """The compilation target for a device's native gates."""
    return NativeGateset(_family(spec))


# ---- virtual Z: Z rotations cost nothing ----------------------------------------------------
def _equator_pulses(family: str, phi: float, beta: float) -> tuple[list[cirq.Gate], float]:
    """Native pulses for ``R_phi(beta)`` (time order) and the Z rotation they leave to the frame."""
    if _is_zero_angle(beta):
        return [], 0.0
    if family == "prx":
        return [
            cirq.PhasedXPowGate(
                phase_exponent=_wrap(phi, TWO_PI) / math.pi, exponent=_wrap(beta, TWO_PI) / math.pi
            )
        ], 0.0
    turns = phi / TWO_PI
    if abs(beta - math.pi) < _ATOL:
        return [GPIGate(_turns(phi))], 0.0
    if abs(beta - math.pi / 2) < _ATOL:
        return [GPI2Gate(_turns(phi))], 0.0
    # R_phi(beta) = Rz(beta) GPI2(1/4 + phi - beta/2pi) GPI2(3/4 + phi)
    p = 0.25 + turns - beta / TWO_PI
    return [GPI2Gate(_turns((0.75 + turns) * TWO_PI)), GPI2Gate(_turns(p * TWO_PI))], beta


def _z_pulses(family: str, theta: float) -> list[cirq.Gate]:
    """A Z rotation that has to be done for real (no measurement after it): two pi pulses."""
    if _is_zero_angle(theta):
        return []
    if family == "prx":
        return [
            cirq.PhasedXPowGate(phase_exponent=0.0),
            cirq.PhasedXPowGate(phase_exponent=_wrap(theta / 2, TWO_PI) / math.pi),
        ]
    return [GPIGate(0.0), GPIGate(_turns(theta / 2))]


def virtual_z(circuit: cirq.AbstractCircuit, family: str) -> cirq.Circuit:
    """Move every Z rotation into the phases of later pulses, as the hardware does.

    A pulse about the axis ``phi`` after ``Rz(theta)`` equals ``Rz(theta)`` followed by the pulse
    about ``phi - theta``; CZ and ZZ commute with Z; an MS gate's phases shift like a pulse's. So
    each qubit keeps a *frame* angle instead of running Z gates, every run of one-qubit gates
    becomes one pulse (PRX; on IonQ one GPI or GPI2, or two GPI2), and a Z rotation just before
    a measurement is dropped, since it cannot change the result. Only a Z rotation at the very end
    of an unmeasured qubit is played (two pi pulses), so the unitary is exactly preserved.
    """
    merged = cirq.merge_k_qubit_unitaries(
        circuit, k=1, rewriter=lambda c: cirq.MatrixGate(cirq.unitary(c)).on(*c.qubits)
    )
    frame: dict[cirq.Qid, float] = {}
    measured_last: dict[cirq.Qid, bool] = {}
    out: list[cirq.Operation] = []
    for op in merged.all_operations():
        if isinstance(op.gate, cirq.GlobalPhaseGate):
            continue
        if cirq.is_measurement(op):
            for q in op.qubits:
                frame[q], measured_last[q] = 0.0, True
            out.append(op)
            continue
        for q in op.qubits:
            measured_last[q] = False
        if len(op.qubits) == 1:
            (q,) = op.qubits
            th = frame.get(q, 0.0)
            rz = np.diag([np.exp(-0.5j * th), np.exp(0.5j * th)])
            delta, phi, beta = z_then_equator(cirq.unitary(op) @ rz)
            pulses, extra = _equator_pulses(family, phi, beta)
            out += [g.on(q) for g in pulses]
            frame[q] = delta + extra
        elif isinstance(op.gate, MSGate):
            a, b = op.qubits
            g = op.gate
            ta, tb = frame.get(a, 0.0) / TWO_PI, frame.get(b, 0.0) / TWO_PI
            out.append(
                MSGate(_turns((g.phi0 - ta) * TWO_PI), _turns((g.phi1 - tb) * TWO_PI), g.theta).on(
                    a, b
                )
            )
        else:  # CZ, ZZ: diagonal, they commute with the frame
            out.append(op)
    for q, th in frame.items():
        if not measured_last.get(q, False):
            out += [g.on(q) for g in _z_pulses(family, th)]
    return cirq.Circuit(out)


# ---- input checks ----------------------------------------------------------------------------
def _op_text(op: cirq.Operation) -> tuple[str, str]:
    gate = str(op.gate) if op.gate is not None else type(op.untagged).__name__
    return gate, " and ".join(str(q) for q in op.qubits) or "-"


def _check_input(circuit: Any, spec: DeviceSpec) -> cirq.Circuit:
    if isinstance(circuit, cirq.FrozenCircuit):
        circuit = circuit.unfreeze()
    if not isinstance(circuit, cirq.Circuit):
        raise NotACircuitError(
            t(
                "validate.cannot_compile",
                gate=type(circuit).__name__,
                qubits="-",
                device=spec.name,
                reason="not a cirq.Circuit",
            )
        )
    circuit = cirq.unroll_circuit_op(circuit, deep=True, tags_to_check=None)
    used = len(circuit.all_qubits())
    if used > spec.num_qubits:
        raise CircuitTooWideError(
            t("validate.too_wide", used=used, device=spec.name, n=spec.num_qubits)
        )
    for op in circuit.all_operations():
        gate, qubits = _op_text(op)
        if cirq.is_parameterized(op):
            names = sorted(cirq.parameter_names(op))
            reason = t(
                "validate.reason_parameters",
                names=", ".join(names),
                first=names[0] if names else "x",
            )
        elif (
            cirq.is_measurement(op)
            or isinstance(op.gate, cirq.GlobalPhaseGate)
            or cirq.has_unitary(op)
        ):
            continue
        else:
            reason = t("validate.reason_no_unitary")
        raise TranspileError(
            t("validate.cannot_compile", gate=gate, qubits=qubits, device=spec.name, reason=reason)
        )
    return circuit


def _logical_qubits(circuit: cirq.Circuit, spec: DeviceSpec) -> dict[cirq.Qid, cirq.LineQubit]:
    """Original qubit -> logical ``LineQubit``: kept when the circuit already uses the device's
    ``LineQubit``s, else the sorted qubits are numbered 0, 1, 2, ..."""
    qubits = sorted(circuit.all_qubits())
    if all(isinstance(q, cirq.LineQubit) and 0 <= q.x < spec.num_qubits for q in qubits):
        return {q: q for q in qubits}  # type: ignore[misc]
    return {q: cirq.LineQubit(i) for i, q in enumerate(qubits)}


# ---- routing ---------------------------------------------------------------------------------
def _split_terminal_measurements(
    circuit: cirq.Circuit,
) -> tuple[cirq.Circuit, list[cirq.Operation]]:
    """The circuit without its final measurements, and those measurements."""
    terminal = [
        (i, op)
        for i, op in circuit.findall_operations(cirq.is_measurement)
        if circuit.next_moment_operating_on(op.qubits, i + 1) is None
    ]
    body = circuit.copy()
    body.batch_remove(terminal)
    return body, [op for _, op in terminal]


def _interaction_weights(circuit: cirq.AbstractCircuit) -> Counter[frozenset[cirq.Qid]]:
    return Counter(
        frozenset(op.qubits)
        for op in circuit.all_operations()
        if len(op.qubits) == 2 and not cirq.is_measurement(op)
    )


def _greedy_placement(
    logical: Sequence[cirq.Qid], weights: Counter[frozenset[cirq.Qid]], graph: Any, start: cirq.Qid
) -> dict[cirq.Qid, cirq.Qid]:
    """Place ``start`` on the best-connected physical qubit (the hub of a star), then each next
    logical qubit (the one most entangled with those placed) on the free physical qubit coupled
    to most of its placed partners."""
    import networkx as nx

    dist = dict(nx.all_pairs_shortest_path_length(graph))
    physical = sorted(graph.nodes, key=lambda p: (-graph.degree(p), p))
    placed: dict[cirq.Qid, cirq.Qid] = {start: physical[0]}

    def w(a: cirq.Qid, b: cirq.Qid) -> int:
        return weights.get(frozenset((a, b)), 0)

    while len(placed) < len(logical):
        rest = [q for q in logical if q not in placed]
        nxt = max(
            rest,
            key=lambda q: (
                sum(w(q, p) for p in placed),
                sum(w(q, r) for r in rest),
                -logical.index(q),
            ),
        )
        free = [p for p in physical if p not in placed.values()]
        placed[nxt] = min(
            free,
            key=lambda p: (
                sum(w(nxt, lq) * dist[p][pq] for lq, pq in placed.items()),
                -graph.degree(p),
                p,
            ),
        )
    return placed


def _candidate_placements(
    body: cirq.Circuit, logical: list[cirq.Qid], graph: Any, seed: int
) -> Iterator[dict[cirq.Qid, cirq.Qid]]:
    """Initial placements to try, best guesses first."""
    weights = _interaction_weights(body)
    degree = Counter()
    for pair, n in weights.items():
        for q in pair:
            degree[q] += n
    top = max(degree.values(), default=0)
    for start in [q for q in logical if degree[q] == top][:3]:
        yield _greedy_placement(logical, weights, graph, start)
    physical = sorted(graph.nodes)
    try:
        line = cirq.LineInitialMapper(graph).initial_mapping(body)
    except Exception:  # noqa: BLE001 (a heuristic that may not apply; others remain)
        line = {}
    yield _complete(line, logical, physical)
    yield dict(zip(logical, physical, strict=False))
    rng = np.random.default_rng(seed)
    for _ in range(4):
        yield dict(
            zip(logical, [physical[i] for i in rng.permutation(len(physical))], strict=False)
        )


def _complete(
    partial: dict[cirq.Qid, cirq.Qid], logical: list[cirq.Qid], physical: list[cirq.Qid]
) -> dict[cirq.Qid, cirq.Qid]:
    out = {q: p for q, p in partial.items() if q in logical}
    free = [p for p in physical if p not in out.values()]
    for q in logical:
        if q not in out:
            out[q] = free.pop(0)
    return out


# ---- the result ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CompiledCircuit:
    """A compiled circuit and where the original qubits went.

    ``initial_map[q]`` is the physical qubit that holds original qubit ``q`` at the start,
    ``final_map[q]`` the one holding it at the end (they differ when routing inserted SWAPs).
    """

    circuit: cirq.Circuit
    initial_map: dict[cirq.Qid, cirq.LineQubit]
    final_map: dict[cirq.Qid, cirq.LineQubit]
    swaps: int

    @property
    def two_qubit_gates(self) -> int:
        return count_two_qubit_gates(self.circuit)

    def routing_permutation(self) -> dict[cirq.LineQubit, cirq.LineQubit]:
        """Physical qubit at the start -> physical qubit at the end, for every original qubit;
        the ``qubit_map`` of ``cirq.testing.assert_circuits_have_same_unitary_given_final_permutation``."""
        return {self.initial_map[q]: self.final_map[q] for q in self.initial_map}


def count_two_qubit_gates(circuit: cirq.AbstractCircuit) -> int:
    """Entangling gates in a circuit (measurements not counted)."""
    return sum(
        1 for op in circuit.all_operations() if len(op.qubits) == 2 and not cirq.is_measurement(op)
    )


def _error_score(circuit: cirq.Circuit, spec: DeviceSpec) -> float:
    """Roughly how much error the circuit collects on this device: among equally short
    circuits, prefer the one whose gates sit on the better qubits and pairs."""
    lam1, lam2 = spec.depolarizing_1q(), spec.depolarizing_2q()
    readout = spec.readout_error()
    score = 0.0
    for op in circuit.all_operations():
        idx = [q.x for q in op.qubits]  # type: ignore[attr-defined]
        if cirq.is_measurement(op):
            score += sum(readout[i] for i in idx)
        elif len(idx) == 2:
            score += lam2.get((min(idx), max(idx)), 0.0)
        elif len(idx) == 1:
            score += lam1[idx[0]]
    return round(score, 9)


def _decompose(circuit: cirq.AbstractCircuit, gateset: NativeGateset) -> cirq.Circuit:
    out = cirq.optimize_for_target_gateset(circuit, gateset=gateset, ignore_failures=False)
    if gateset.family != "rot":
        out = virtual_z(out, gateset.family)
    return cirq.align_left(out).unfreeze(copy=False)


def compile_with_mapping(
    circuit: cirq.Circuit, spec: DeviceSpec, *, seed: int | None = None
) -> CompiledCircuit:
    """Compile ``circuit`` for the device described by ``spec``, keeping the qubit bookkeeping.

    ``seed`` picks the random initial placements tried besides the deterministic ones (``None``
    means 0, so compiling twice gives the same circuit).
    """
    circuit = _check_input(circuit, spec)
    device = build_device(spec)
    gateset = target_gateset(spec)
    to_logical = _logical_qubits(circuit, spec)
    try:
        native = _decompose(circuit.transform_qubits(lambda q: to_logical[q]), gateset)
    except ValueError as exc:  # a gate without a known decomposition
        raise TranspileError(
            t("validate.cannot_compile", gate="-", qubits="-", device=spec.name, reason=str(exc))
        ) from None

    if spec.all_to_all:
        device.validate_circuit(native)
        return CompiledCircuit(native, dict(to_logical), dict(to_logical), 0)

    body, measurements = _split_terminal_measurements(native)
    # every physical qubit gets a logical one (spare ones are placeholders), so that the router
    # can move qubits through any physical qubit, and idle qubits are tracked too
    logical: list[cirq.Qid] = sorted(to_logical.values())
    spares = [cirq.NamedQubit(f"_spare{i}") for i in range(spec.num_qubits - len(logical))]
    everyone = logical + spares
    router = cirq.RouteCQC(device.graph)
    routings: list[tuple[int, int, Any, dict, dict]] = []
    for i, placement in enumerate(
        _candidate_placements(body, everyone, device.graph, 0 if seed is None else seed)
    ):
        try:
            routed, init, swap_map = router.route_circuit(
                body, initial_mapper=cirq.HardCodedInitialMapper(placement), tag_inserted_swaps=True
            )
        except ValueError as exc:
            raise TranspileError(
                t(
                    "validate.cannot_compile",
                    gate="measure",
                    qubits="-",
                    device=spec.name,
                    reason=t("validate.reason_mid_measure"),
                )
            ) from exc
        swaps = sum(1 for op in routed.all_operations() if cirq.RoutingSwapTag() in op.tags)
        routings.append((swaps, i, routed, init, swap_map))
        if swaps == 0:  # nothing to gain from other placements
            break
    # decomposing is the slow part: finish only the routings with the fewest SWAPs (at most 4)
    fewest = min(r[0] for r in routings)
    best: tuple[tuple[int, int, int], CompiledCircuit] | None = None
    for swaps, _, routed, init, swap_map in [r for r in routings if r[0] == fewest][:4]:
        end = {lq: swap_map[init[lq]] for lq in logical}
        routed = routed.unfreeze(copy=True)
        routed.append(m.transform_qubits(lambda q, e=end: e[q]) for m in measurements)
        final = _decompose(routed, gateset)
        cost = (count_two_qubit_gates(final), _error_score(final, spec), len(final))
        if best is None or cost < best[0]:
            result = CompiledCircuit(
                final,
                {q: init[lq] for q, lq in to_logical.items()},  # type: ignore[misc]
                {q: end[lq] for q, lq in to_logical.items()},  # type: ignore[misc]
                swaps,
            )
            best = (cost, result)
    assert best is not None
    device.validate_circuit(best[1].circuit)
    return best[1]


def compile_circuit(
    circuit: cirq.Circuit, spec: DeviceSpec, *, seed: int | None = None
) -> cirq.Circuit:
    """``circuit`` in the device's native gates, on coupled pairs, measurement keys kept.

    Raises :class:`~qlab.errors.CircuitTooWideError` (more qubits than the device has) or
    :class:`~qlab.errors.TranspileError` (a gate with no unitary, unresolved parameters).
    """
    return compile_with_mapping(circuit, spec, seed=seed).circuit
