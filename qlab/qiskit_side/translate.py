"""Qiskit's translation stage for qlab's devices: native pulses with virtual Z, as vendors compile.

``qiskit.transpile(circuit, qlab.device("iqm-spark").qiskit_backend())`` ends up here: the backend
names this module's translation plugin (registered in ``pyproject.toml`` under
``qiskit.transpiler.translation``: ``qlab_prx`` for IQM's PRX/CZ, ``qlab_ionq`` for IonQ's GPI,
GPI2 and MS or ZZ), so Qiskit's layout, routing and optimisation stages run as usual and only the
gate translation is the vendor's. It works in two steps:

1. Qiskit's own passes rewrite the circuit into one-qubit gates and a single kind of two-qubit
   gate: ``cz`` for IQM, ``rxx`` for Aria (MS is an XX rotation in a turned frame), ``rzz`` for
   Forte.
2. :class:`NativeSynthesis` feeds the result, gate by gate, to the one pulse synthesis of
   :mod:`qlab.hardware.pulses` (the same for every device family, and the only place a Z rotation
   is made virtual) and writes out the pulses it returns: every run of one-qubit gates becomes one
   PRX (IQM) or one GPI / GPI2 or two GPI2 (IonQ); ``RXX(a)`` becomes one ``MS`` with ``theta`` in
   (0, 1/4] turns and ``RZZ(a)`` one ``ZZ`` with ``|theta| <= 1/4``.

The result equals the input circuit exactly, global phase included, except that a Z rotation just
before a measurement is dropped (it cannot change what is read).
"""

from __future__ import annotations

import math
from typing import Any

from qiskit.circuit import Barrier, Delay, Gate, Measure, Reset
from qiskit.circuit.equivalence_library import SessionEquivalenceLibrary
from qiskit.circuit.library import CZGate, RGate
from qiskit.dagcircuit import DAGCircuit, DAGOpNode
from qiskit.transpiler import PassManager
from qiskit.transpiler.basepasses import TransformationPass
from qiskit.transpiler.passes import (
    BasisTranslator,
    Collect2qBlocks,
    ConsolidateBlocks,
    HighLevelSynthesis,
    UnitarySynthesis,
)
from qiskit.transpiler.preset_passmanagers.plugin import PassManagerStagePlugin

from ..errors import NotNativeError
from ..hardware.gates import SYNTHESES, synthesis_of
from ..hardware.pulses import Keep, Synthesis
from ..i18n import t
from .gates import GPI2Gate, GPIGate, MSGate, ZZGate
from .read import unbound_names

__all__ = [
    "IonQNativeSynthesis",
    "IonQTranslationPlugin",
    "NativeSynthesis",
    "PRXTranslationPlugin",
    "ionq_translation_passes",
    "native_translation_passes",
    "register_equivalences",
]

TWO_PI = 2.0 * math.pi
#: the two-qubit gate Qiskit translates to before the synthesis (and the ones the synthesis takes)
_INTERMEDIATE_2Q = {"ms": "rxx", "zz": "rzz", "prx": "cz"}
_TWO_QUBIT = {"ms": ("rxx", "ms"), "zz": ("rzz", "zz"), "prx": ("cz",)}


def _value(p: Any) -> Any:
    """A parameter as a float when it has a value, else as it is (symbolic)."""
    if getattr(p, "parameters", None):
        return p
    return float(p)


class NativeSynthesis(TransformationPass):
    """Rewrite one-qubit gates and the family's two-qubit gate into native pulses.

    Run it after Qiskit's translation to one-qubit gates plus ``cz`` (``kind="prx"``), ``rxx``/``ms``
    (``"ms"``) or ``rzz``/``zz`` (``"zz"``), as :func:`native_translation_passes` does; any other
    multi-qubit gate raises :class:`~qlab.errors.NotNativeError`.
    """

    def __init__(self, kind: str = "ms"):
        super().__init__()
        if kind not in _INTERMEDIATE_2Q:
            raise ValueError(f"kind must be 'prx', 'ms' or 'zz', got {kind!r}")
        self.kind = kind

    def run(self, dag: DAGCircuit) -> DAGCircuit:
        synth = Synthesis(self.kind)
        for node in dag.topological_op_nodes():
            self._feed(synth, node)
        items, phase = synth.finish()
        out = dag.copy_empty_like()
        for item in items:
            if isinstance(item, Keep):
                node = item.token
                out.apply_operation_back(node.op, node.qargs, node.cargs, check=False)
            else:
                out.apply_operation_back(_gate(item.name, item.params), item.qubits, (), check=False)
        out.global_phase = dag.global_phase + phase
        return out

    def _error(self, gate: str) -> NotNativeError:
        natives = ", ".join(SYNTHESES[self.kind])
        return NotNativeError(t("qiskit.cannot_translate", gate=gate, natives=natives))

    def _feed(self, synth: Synthesis, node: DAGOpNode) -> None:
        op, qargs = node.op, node.qargs
        if isinstance(op, (Barrier, Delay)):
            synth.keep(qargs, node)
        elif isinstance(op, Measure):
            synth.measure(qargs[0], node)
        elif isinstance(op, Reset):
            synth.reset(qargs[0], node)
        elif isinstance(op, Gate) and len(qargs) == 1 and not node.cargs:
            if unbound_names(op):
                self._symbolic_1q(synth, op, qargs[0])
            else:
                try:
                    matrix = op.to_matrix()
                except Exception:  # noqa: BLE001 - a gate without a matrix cannot be played
                    raise self._error(op.name) from None
                synth.unitary(qargs[0], matrix)
        elif isinstance(op, Gate) and len(qargs) == 2 and op.name in _TWO_QUBIT[self.kind]:
            a, b = qargs
            params = [_value(p) for p in op.params]
            if op.name == "cz":
                synth.cz(a, b)
            elif op.name == "rxx":
                synth.ms(a, b, 0.0, 0.0, params[0] / TWO_PI)
            elif op.name == "ms":
                synth.ms(a, b, *params)
            elif op.name == "rzz":
                synth.zz(a, b, params[0] / TWO_PI)
            else:
                synth.zz(a, b, params[0])
        else:
            raise self._error(op.name)

    def _symbolic_1q(self, synth: Synthesis, op: Gate, q: Any) -> None:
        """A one-qubit gate with a free parameter (transpile now, ``assign_parameters`` later)."""
        name = op.name
        p = [_value(x) for x in op.params]
        if name == "rz":
            synth.rz(q, p[0])
        elif name in ("p", "u1"):  # P(l) = e^(il/2) RZ(l)
            synth.add_phase(p[0] / 2)
            synth.rz(q, p[0])
        elif name == "rx":
            synth.rotation(q, p[0], 0.0)
        elif name == "ry":
            synth.rotation(q, p[0], math.pi / 2)
        elif name == "r":
            synth.rotation(q, p[0], p[1])
        elif name in ("u", "u3"):  # U(t, p, l) = e^(i(p+l)/2) RZ(p) RY(t) RZ(l)
            theta, phi, lam = p
            synth.add_phase((phi + lam) / 2)
            synth.rz(q, lam)
            synth.rotation(q, theta, math.pi / 2)
            synth.rz(q, phi)
        elif name == "gpi":  # GPI(phi) = i R_(2 pi phi)(pi)
            synth.add_phase(math.pi / 2)
            synth.rotation(q, math.pi, TWO_PI * p[0])
        elif name == "gpi2":
            synth.rotation(q, math.pi / 2, TWO_PI * p[0])
        else:
            raise NotNativeError(t("qiskit.unbound_parameter", gate=name))


def _gate(name: str, params: tuple[Any, ...]) -> Gate:
    if name == "prx":
        return RGate(*params)
    if name == "cz":
        return CZGate()
    return {"gpi": GPIGate, "gpi2": GPI2Gate, "ms": MSGate, "zz": ZZGate}[name](*params)


class IonQNativeSynthesis(NativeSynthesis):
    """:class:`NativeSynthesis` for an IonQ device whose entangling gate is ``two_qubit``."""

    def __init__(self, two_qubit: str = "ms"):
        if two_qubit not in ("ms", "zz"):
            raise ValueError(f"two_qubit must be 'ms' or 'zz', got {two_qubit!r}")
        super().__init__(two_qubit)


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


def native_translation_passes(kind: str) -> PassManager:
    """The translation stage for a device family: ``"prx"`` (IQM), ``"ms"`` (Aria), ``"zz"`` (Forte).

    Qiskit's own passes first bring every gate to one-qubit gates plus the family's intermediate
    two-qubit gate (``cz``, ``rxx`` or ``rzz``); :class:`NativeSynthesis` then plays them as natives.
    """
    if kind not in _INTERMEDIATE_2Q:
        raise ValueError(f"kind must be 'prx', 'ms' or 'zz', got {kind!r}")
    register_equivalences()
    basis = [
        "rz", "sx", "x", "u", *SYNTHESES[kind], _INTERMEDIATE_2Q[kind],
        "measure", "reset", "barrier", "delay",
    ]  # fmt: skip
    basis = list(dict.fromkeys(basis))
    sel = SessionEquivalenceLibrary
    return PassManager(
        [
            UnitarySynthesis(basis_gates=basis),
            HighLevelSynthesis(basis_gates=basis, equivalence_library=sel),
            BasisTranslator(sel, basis),
            # runs of gates on one pair become one unitary, rebuilt from the fewest entangling gates
            Collect2qBlocks(),
            ConsolidateBlocks(basis_gates=basis),
            UnitarySynthesis(basis_gates=basis),
            NativeSynthesis(kind),
        ]
    )


def ionq_translation_passes(two_qubit: str) -> PassManager:
    """:func:`native_translation_passes` for an IonQ device (``"ms"`` or ``"zz"``)."""
    if two_qubit not in ("ms", "zz"):
        raise ValueError(f"two_qubit must be 'ms' or 'zz', got {two_qubit!r}")
    return native_translation_passes(two_qubit)


def _target_names(pass_manager_config: Any) -> set[str]:
    target = pass_manager_config.target
    names = set(target.operation_names) if target is not None else set()
    return names | set(pass_manager_config.basis_gates or ())


class IonQTranslationPlugin(PassManagerStagePlugin):
    """Qiskit translation-stage plugin ``qlab_ionq``: natives of the target's IonQ device.

    A qlab IonQ backend selects it itself (``backend.get_translation_stage_plugin()``); to use it
    by hand: ``qiskit.transpile(circ, target=..., translation_method="qlab_ionq")``.
    """

    def pass_manager(self, pass_manager_config, optimization_level=None) -> PassManager:
        names = _target_names(pass_manager_config)
        kind = synthesis_of(frozenset(names))
        if kind in ("ms", "zz"):
            return native_translation_passes(kind)
        raise NotNativeError(t("qiskit.plugin_needs_ionq", found=", ".join(sorted(names))))


class PRXTranslationPlugin(PassManagerStagePlugin):
    """Qiskit translation-stage plugin ``qlab_prx``: IQM's PRX and CZ with virtual Z."""

    def pass_manager(self, pass_manager_config, optimization_level=None) -> PassManager:
        names = _target_names(pass_manager_config)
        if synthesis_of(frozenset(names)) == "prx":
            return native_translation_passes("prx")
        raise NotNativeError(t("qiskit.plugin_needs_prx", found=", ".join(sorted(names))))
