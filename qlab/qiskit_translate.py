"""Compile any Qiskit circuit to IonQ's native gates, the way IonQ's own compiler does.

``qiskit.transpile(circuit, qlab.device("ionq-aria").qiskit_backend())`` ends up here: the backend
names this module's translation plugin (registered in ``pyproject.toml`` as ``qlab_ionq`` under
``qiskit.transpiler.translation``), so Qiskit's layout, routing and optimisation stages run as
usual and only the gate translation is IonQ-specific. It works in two steps:

1. Qiskit's own passes rewrite the circuit into one-qubit gates and a single kind of two-qubit
   rotation: ``rxx`` for Aria (MS is an XX rotation in a turned frame) or ``rzz`` for Forte.
2. :class:`IonQNativeSynthesis` turns that into ``gpi``, ``gpi2`` and ``ms`` / ``zz``:

   * every run of one-qubit gates is multiplied into one 2x2 matrix and rebuilt from at most two
     GPI2 pulses (or one GPI / one GPI2, or none at all) and Z rotations;
   * Z rotations are never played as pulses. They are kept *virtually*, as a phase frame per
     qubit, and the phases of the later GPI, GPI2 and MS gates on that qubit are shifted instead
     (``RZ(t)`` then ``GPI(phi)`` equals ``GPI(phi - t / 2 pi)`` then ``RZ(t)``). This is what
     IonQ's hardware does, so a Z rotation costs no time and adds no error;
   * a frame left over at the end is dropped where the qubit was measured last (a Z rotation
     cannot change a Z measurement), and otherwise played as two GPI pulses so that the circuit's
     unitary stays exactly right;
   * ``RXX(a)`` becomes one ``MS`` with ``theta`` folded into (0, 1/4] turns and ``RZZ(a)`` one
     ``ZZ`` with ``|theta| <= 1/4``, so a CNOT costs one MS (or ZZ) plus one-qubit pulses.

The result equals the input circuit exactly, global phase included (the tests check it with
``qiskit.quantum_info.Operator``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from qiskit.circuit import Barrier, Delay, Gate, Measure, ParameterExpression, Reset
from qiskit.circuit.equivalence_library import SessionEquivalenceLibrary
from qiskit.dagcircuit import DAGCircuit, DAGOpNode
from qiskit.synthesis import OneQubitEulerDecomposer
from qiskit.transpiler import PassManager
from qiskit.transpiler.basepasses import TransformationPass
from qiskit.transpiler.passes import BasisTranslator, HighLevelSynthesis, UnitarySynthesis
from qiskit.transpiler.preset_passmanagers.plugin import PassManagerStagePlugin

from .errors import NotNativeError
from .i18n import t
from .qiskit_gates import GPI2Gate, GPIGate, MSGate, ZZGate

__all__ = [
    "IonQNativeSynthesis",
    "IonQTranslationPlugin",
    "ionq_translation_passes",
    "register_equivalences",
]

TWO_PI = 2.0 * math.pi
_ATOL = 1e-10
_EULER = OneQubitEulerDecomposer("ZSXX")
_U3 = OneQubitEulerDecomposer("U3")
_INTERMEDIATE_2Q = {"ms": "rxx", "zz": "rzz"}


def _turns(x):
    """An angle in turns reduced to [0, 1); a symbolic angle (a free Parameter) is kept as it is."""
    if isinstance(x, ParameterExpression):
        if x.parameters:
            return x
        x = float(x)
    x = x % 1.0
    return 0.0 if abs(x - 1.0) < 1e-12 or abs(x) < 1e-12 else x


def _symbolic(x) -> bool:
    return isinstance(x, ParameterExpression) and bool(x.parameters)


class IonQNativeSynthesis(TransformationPass):
    """Rewrite one-qubit gates and ``rxx``/``ms`` (Aria) or ``rzz``/``zz`` (Forte) into natives.

    Run it after Qiskit's translation to ``{one-qubit gates, rxx or rzz}`` (see
    :func:`ionq_translation_passes`); any other multi-qubit gate raises
    :class:`~qlab.errors.NotNativeError`.

    Args:
        two_qubit: ``"ms"`` (Aria) or ``"zz"`` (Forte), the native entangling gate to emit.
    """

    def __init__(self, two_qubit: str = "ms"):
        super().__init__()
        if two_qubit not in _INTERMEDIATE_2Q:
            raise ValueError(f"two_qubit must be 'ms' or 'zz', got {two_qubit!r}")
        self.two_qubit = two_qubit
        self._accepts = {two_qubit, _INTERMEDIATE_2Q[two_qubit]}

    def run(self, dag: DAGCircuit) -> DAGCircuit:
        return _Walk(self, dag).run()


class _Walk:
    """One pass over one circuit. Per qubit it keeps ``pending``, the one-qubit unitary not yet
    played (in the logical frame), and ``frame``, the virtual Z rotation in radians: the logical
    state is ``RZ(frame)`` applied to the physical one."""

    def __init__(self, owner: IonQNativeSynthesis, dag: DAGCircuit):
        self.owner = owner
        self.dag = dag
        self.out = dag.copy_empty_like()
        self.pending: dict[Any, np.ndarray] = {}
        self.frame: dict[Any, float] = dict.fromkeys(dag.qubits, 0.0)
        self.measured_last: dict[Any, bool] = dict.fromkeys(dag.qubits, False)
        self.phase = 0.0

    # ---- helpers -----------------------------------------------------------------------------
    def error(self, gate: str) -> NotNativeError:
        natives = f"gpi, gpi2, {self.owner.two_qubit}"
        return NotNativeError(t("qiskit.cannot_translate", gate=gate, natives=natives))

    def emit(self, op, qubits, clbits=()) -> None:
        self.out.apply_operation_back(op, tuple(qubits), tuple(clbits), check=False)
        for q in qubits:
            self.measured_last[q] = False

    def shifted(self, q, phi: float) -> float:
        """The physical phase (turns) of a logical GPI/GPI2/MS phase ``phi`` on qubit ``q``."""
        return _turns(phi - self.frame[q] / TWO_PI)

    def push(self, q, matrix: np.ndarray) -> None:
        prev = self.pending.get(q)
        self.pending[q] = matrix if prev is None else matrix @ prev

    def flush(self, q) -> None:
        """Play qubit ``q``'s pending one-qubit unitary as at most two GPI/GPI2 pulses."""
        u = self.pending.pop(q, None)
        if u is None:
            return
        circ = _EULER(u)
        self.phase = self.phase + circ.global_phase
        for inst in circ.data:
            name = inst.operation.name
            if name == "rz":  # virtual: costs nothing
                self.frame[q] = self.frame[q] + float(inst.operation.params[0])
            elif name == "sx":  # SX = e^{i pi/4} RX(pi/2) = e^{i pi/4} GPI2(0)
                self.phase = self.phase + math.pi / 4
                self.emit(GPI2Gate(self.shifted(q, 0.0)), [q])
            elif name == "x":  # X = GPI(0)
                self.emit(GPIGate(self.shifted(q, 0.0)), [q])
            else:  # pragma: no cover - the ZSXX basis has only these three gates
                raise RuntimeError(f"unexpected gate {name} from the Euler decomposer")

    # ---- the walk ----------------------------------------------------------------------------
    def run(self) -> DAGCircuit:
        for node in self.dag.topological_op_nodes():
            self.visit(node)
        for q in self.dag.qubits:
            self.close_frame(q)
        self.out.global_phase = self.dag.global_phase + self.phase
        return self.out

    def visit(self, node: DAGOpNode) -> None:
        op, qargs = node.op, node.qargs
        if isinstance(op, (Barrier, Delay)):
            for q in qargs:
                self.flush(q)
            self.out.apply_operation_back(op, qargs, node.cargs, check=False)
        elif isinstance(op, Measure):
            self.flush(qargs[0])
            self.emit(op, qargs, node.cargs)
            self.measured_last[qargs[0]] = True  # a Z rotation commutes with a Z measurement
        elif isinstance(op, Reset):
            self.pending.pop(qargs[0], None)  # nothing done to a qubit survives its reset
            self.frame[qargs[0]] = 0.0
            self.emit(op, qargs)
        elif isinstance(op, Gate) and len(qargs) == 1 and not node.cargs:
            if op.is_parameterized():
                self.symbolic_1q(op, qargs[0])
            else:
                self.push(qargs[0], self.matrix(op))
        elif isinstance(op, Gate) and len(qargs) == 2 and op.name in self.owner._accepts:
            for q in qargs:
                self.flush(q)
            params = [p if _symbolic(p) else float(p) for p in op.params]
            a, b = qargs
            if op.name == "rxx":
                self.ms(0.0, 0.0, params[0] / TWO_PI, a, b)
            elif op.name == "ms":
                self.ms(params[0], params[1], params[2], a, b)
            else:
                self.zz(params[0] / TWO_PI if op.name == "rzz" else params[0], a, b)
        else:
            raise self.error(op.name)

    def symbolic_1q(self, op: Gate, q) -> None:
        """A one-qubit gate with a free parameter (``transpile`` now, ``assign_parameters`` later).

        It cannot join a matrix, so it is played on its own: a Z rotation is added to the frame
        (which becomes symbolic), ``U(theta, phi, lam) = e^{i(phi+lam)/2} RZ(phi) RY(theta) RZ(lam)``
        costs two GPI2 pulses around a symbolic frame (``RY(t) = RX(-pi/2) RZ(t) RX(pi/2)``), and
        IonQ's own gates only get their phase shifted.
        """
        self.flush(q)
        name, params = op.name, list(op.params)
        if name in ("rz", "p", "u1"):
            self.frame[q] = self.frame[q] + params[0]
            if name != "rz":  # P(l) = e^{i l/2} RZ(l)
                self.phase = self.phase + params[0] / 2
        elif name in ("u", "u3", "rx", "ry"):
            if name == "rx":
                theta, phi, lam = params[0], -math.pi / 2, math.pi / 2
            elif name == "ry":
                theta, phi, lam = params[0], 0.0, 0.0
            else:
                theta, phi, lam = params
            self.phase = self.phase + (phi + lam) / 2
            self.frame[q] = self.frame[q] + lam
            self.emit(GPI2Gate(self.shifted(q, 0.0)), [q])  # RX(pi/2)
            self.frame[q] = self.frame[q] + theta
            self.emit(GPI2Gate(self.shifted(q, 0.5)), [q])  # RX(-pi/2)
            self.frame[q] = self.frame[q] + phi
        elif name == "gpi":
            self.emit(GPIGate(self.shifted(q, params[0])), [q])
        elif name == "gpi2":
            self.emit(GPI2Gate(self.shifted(q, params[0])), [q])
        else:
            raise NotNativeError(t("qiskit.unbound_parameter", gate=name))

    def matrix(self, op: Gate) -> np.ndarray:
        try:
            return np.asarray(op.to_matrix(), dtype=complex)
        except Exception:  # noqa: BLE001 - a gate without a matrix cannot be merged
            raise self.error(op.name) from None

    def ms(self, phi0: float, phi1: float, theta: float, a, b) -> None:
        """Play the logical MS(phi0, phi1, theta) as one native MS with 0 < theta <= 1/4
        (a symbolic theta is played as it is)."""
        if _symbolic(theta) or _symbolic(phi0) or _symbolic(phi1):
            self.emit(MSGate(self.shifted(a, phi0), self.shifted(b, phi1), theta), [a, b])
            return
        wrapped = (theta + 0.5) % 1.0 - 0.5  # MS(theta + 1) = -MS(theta)
        self.phase += math.pi * round(theta - wrapped)
        theta = wrapped
        if abs(theta) < _ATOL:
            return
        if abs(theta) > 0.25 + _ATOL:
            # RXX(x) = RXX(x -/+ pi) (-/+ i X(x)X). X(x)X turned into the MS frame is
            # GPI(phi0) x GPI(phi1): it commutes with the MS and joins the next one-qubit run.
            sign = 1.0 if theta > 0 else -1.0
            theta -= sign * 0.5
            self.phase -= sign * math.pi / 2
            self.push(a, GPIGate(phi0).to_matrix())
            self.push(b, GPIGate(phi1).to_matrix())
        if theta < 0:  # Z on the first qubit flips the sign of XX: MS(phi0 + 1/2) = MS(-theta)
            theta, phi0 = -theta, phi0 + 0.5
        ms = MSGate(self.shifted(a, phi0), self.shifted(b, phi1), theta)
        self.emit(ms, [a, b])

    def zz(self, theta: float, a, b) -> None:
        """Play the logical ZZ(theta) as one native ZZ with |theta| <= 1/4 (or symbolic)."""
        if _symbolic(theta):
            self.emit(ZZGate(theta), [a, b])
            return
        wrapped = (theta + 0.5) % 1.0 - 0.5  # ZZ(theta + 1) = -ZZ(theta)
        self.phase += math.pi * round(theta - wrapped)
        theta = wrapped
        if abs(theta) < _ATOL:
            return
        if abs(theta) > 0.25 + _ATOL:
            # ZZ(s/2) = e^{i s pi/2} RZ(s pi) x RZ(s pi), a virtual Z on each qubit (s = +-1)
            sign = 1.0 if theta > 0 else -1.0
            theta -= sign * 0.5
            self.phase += sign * math.pi / 2
            self.frame[a] += sign * math.pi
            self.frame[b] += sign * math.pi
        self.emit(ZZGate(theta), [a, b])  # Z frames commute with ZZ: no phase to shift

    def close_frame(self, q) -> None:
        """Settle qubit ``q`` at the end: play what is pending together with its Z frame.

        A qubit measured last needs nothing (a Z rotation cannot change a Z measurement). Any
        other qubit gets ``pending . RZ(frame)`` played physically, in the fewest pulses: none,
        one GPI, one GPI2, two GPIs (a Z rotation) or, in general, GPI2 . GPI . GPI2.
        """
        if _symbolic(self.frame[q]):
            self.flush(q)
            if not self.measured_last[q]:  # RZ(z) = GPI(z / 4 pi) . GPI(0)
                self.emit(GPIGate(0.0), [q])
                self.emit(GPIGate(self.frame[q] / (2 * TWO_PI)), [q])
            return
        u = self.pending.pop(q, None)
        if self.measured_last[q] and u is None:
            return
        z = float(self.frame[q])
        v = np.diag([np.exp(-0.5j * z), np.exp(0.5j * z)])
        if u is not None:
            v = u @ v
        self.frame[q] = 0.0
        gates, phase = _fewest_pulses(v)
        self.phase += phase
        for gate in gates:
            self.emit(gate, [q])


def _phase_if_equal(v: np.ndarray, gates: list[Gate]) -> float | None:
    """``a`` with ``v == e^{ia} . (gates played in order)``, or None if they differ."""
    c = np.eye(2, dtype=complex)
    for g in gates:
        c = np.asarray(g.to_matrix()) @ c
    overlap = np.trace(c.conj().T @ v) / 2
    if abs(abs(overlap) - 1) > 1e-9:
        return None
    return float(np.angle(overlap))


def _fewest_pulses(v: np.ndarray) -> tuple[list[Gate], float]:
    """Play the one-qubit unitary ``v`` with GPI/GPI2 only (no frame left behind)."""
    t00, t01, t10 = v[0, 0], v[0, 1], v[1, 0]
    candidates: list[list[Gate]] = [[]]
    if abs(t01) > 1e-9 and abs(t10) > 1e-9:
        candidates.append([GPIGate(_turns(np.angle(t10 / t01) / (2 * TWO_PI)))])
        if abs(t00) > 1e-9:
            candidates.append([GPI2Gate(_turns(np.angle(1j * t10 / t00) / TWO_PI))])
    if abs(t00) > 1e-9:  # a Z rotation RZ(z) = GPI(z / 4 pi) . GPI(0)
        z = np.angle(v[1, 1] / t00)
        candidates.append([GPIGate(0.0), GPIGate(_turns(z / (2 * TWO_PI)))])
    for gates in candidates:
        phase = _phase_if_equal(v, gates)
        if phase is not None:
            return gates, phase
    theta, phi, lam = _U3.angles(v)  # U(t, p, l) = e^{i((p+l)/2 - pi/2)} GPI2 . GPI . GPI2
    gates = [
        GPI2Gate(_turns(0.5 - lam / TWO_PI)),
        GPIGate(_turns((theta + phi - lam) / (2 * TWO_PI))),
        GPI2Gate(_turns(0.5 + phi / TWO_PI)),
    ]
    phase = _phase_if_equal(v, gates)
    if phase is None:  # pragma: no cover - the identity above is exact
        raise RuntimeError("GPI2.GPI.GPI2 synthesis failed")
    return gates, phase


_registered = False


def register_equivalences() -> None:
    """Teach Qiskit's ``SessionEquivalenceLibrary`` to reach IonQ's gates (once per session).

    Qiskit's ``init`` stage unrolls gates on three or more qubits (``ccx``, ``rccx``, ...) straight
    into the target's gates, so it must know a way there: ``U`` as GPI2 . GPI . GPI2, ``CX`` as one
    MS or one ZZ with one-qubit gates, ``RXX`` as MS and ``RZZ`` as ZZ. Each rule is exact, global
    phase included. (The translation stage later rebuilds everything more tightly.)
    """
    global _registered
    if _registered:
        return
    from qiskit.circuit import Parameter, QuantumCircuit
    from qiskit.circuit.library import CXGate, RXXGate, RZZGate, UGate

    sel = SessionEquivalenceLibrary
    theta, phi, lam = Parameter("theta"), Parameter("phi"), Parameter("lam")
    u = QuantumCircuit(1, global_phase=(phi + lam) / 2 - math.pi / 2)
    u.append(GPI2Gate(0.5 - lam / TWO_PI), [0])
    u.append(GPIGate((theta + phi - lam) / (2 * TWO_PI)), [0])
    u.append(GPI2Gate(0.5 + phi / TWO_PI), [0])
    sel.add_equivalence(UGate(theta, phi, lam), u)

    cx_ms = QuantumCircuit(2, global_phase=-math.pi / 4)
    cx_ms.append(GPI2Gate(0.25), [0])
    cx_ms.append(MSGate(0, 0, 0.25), [0, 1])
    cx_ms.append(GPI2Gate(0.5), [0])
    cx_ms.append(GPI2Gate(0.5), [1])
    cx_ms.append(GPI2Gate(-0.25), [0])
    sel.add_equivalence(CXGate(), cx_ms)

    cx_zz = QuantumCircuit(2, global_phase=math.pi / 4)
    cx_zz.h(1)
    cx_zz.append(ZZGate(0.25), [0, 1])
    cx_zz.sdg(0)
    cx_zz.sdg(1)
    cx_zz.h(1)
    sel.add_equivalence(CXGate(), cx_zz)

    angle = Parameter("angle")
    rxx = QuantumCircuit(2)
    rxx.append(MSGate(0, 0, angle / TWO_PI), [0, 1])
    sel.add_equivalence(RXXGate(angle), rxx)
    rzz = QuantumCircuit(2)
    rzz.append(ZZGate(angle / TWO_PI), [0, 1])
    sel.add_equivalence(RZZGate(angle), rzz)

    # and the way back: once a gate is in the library, Qiskit no longer unrolls it by its
    # definition, so each native needs its own rule (its exact definition) to reach other bases
    p0, p1, p2 = Parameter("p0"), Parameter("p1"), Parameter("p2")
    for gate in (GPIGate(p0), GPI2Gate(p0), MSGate(p0, p1, p2), ZZGate(p0)):
        sel.add_equivalence(gate, gate.definition)
    _registered = True


def ionq_translation_passes(two_qubit: str) -> PassManager:
    """The translation stage for an IonQ device whose entangling gate is ``two_qubit``.

    Qiskit's own passes first bring every gate to one-qubit gates plus ``rxx`` (for ``"ms"``) or
    ``rzz`` (for ``"zz"``); :class:`IonQNativeSynthesis` then plays them as natives.
    """
    if two_qubit not in _INTERMEDIATE_2Q:
        raise ValueError(f"two_qubit must be 'ms' or 'zz', got {two_qubit!r}")
    register_equivalences()
    basis = [
        "rz", "sx", "x", "u", "gpi", "gpi2", two_qubit, _INTERMEDIATE_2Q[two_qubit],
        "measure", "reset", "barrier", "delay",
    ]  # fmt: skip
    sel = SessionEquivalenceLibrary
    return PassManager(
        [
            UnitarySynthesis(basis_gates=basis),
            HighLevelSynthesis(basis_gates=basis, equivalence_library=sel),
            BasisTranslator(sel, basis),
            IonQNativeSynthesis(two_qubit),
        ]
    )


class IonQTranslationPlugin(PassManagerStagePlugin):
    """Qiskit translation-stage plugin ``qlab_ionq``: natives of the target's IonQ device.

    A qlab IonQ backend selects it itself (``backend.get_translation_stage_plugin()``); to use it
    by hand: ``qiskit.transpile(circ, target=..., translation_method="qlab_ionq")``.
    """

    def pass_manager(self, pass_manager_config, optimization_level=None) -> PassManager:
        target = pass_manager_config.target
        names = set(target.operation_names) if target is not None else set()
        names |= set(pass_manager_config.basis_gates or ())
        if "ms" in names:
            return ionq_translation_passes("ms")
        if "zz" in names:
            return ionq_translation_passes("zz")
        raise NotNativeError(t("qiskit.plugin_needs_ionq", found=", ".join(sorted(names))))
