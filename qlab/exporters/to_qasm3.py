"""A native program as OpenQASM 3 text, each native gate defined in the file itself.

The program reads the same everywhere: the native gates keep Amazon Braket's names and meaning
(``gpi``, ``gpi2``, ``ms``, ``zz``, ``prx``, ``cz``; every angle in **radians**, so IonQ's turns
are multiplied by 2 pi), and each is *defined* from OpenQASM's built-in ``U`` and the standard
library, so a tool that has never heard of IonQ or IQM (Qiskit's ``qiskit.qasm3.loads``, Braket's
``Circuit.from_ir`` and its local simulator) reads it and simulates it exactly. Qubits are
physical (``$0``, ``$1``, ...), the qubits ``qlab.transpile`` placed the circuit on; classical
bit ``c[k]`` is bit ``k`` of a qlab counts key.

The definitions use only OpenQASM 3's built-in ``U`` and the ``ctrl @`` modifier, so the file
needs no include. They are exact, global phase included, for ``gpi``, ``gpi2``, ``prx`` and
``cz``; ``ms`` and ``zz`` are built from CNOTs and phase rotations and equal the vendor matrices up
to a global phase, which no measurement sees. A Braket
QPU takes no gate definitions: for Braket hardware use ``qlab.export(..., to="braket")``, whose
``to_ir("OPENQASM")`` is Braket's own OpenQASM with a verbatim box (docs/hardware.md).
"""

from __future__ import annotations

from .native import NativeOp, NativeProgram
from .to_braket import radians

# every definition uses only OpenQASM 3's built-in U and the ctrl @ modifier, so no include file
# is needed (Braket's importer reads "stdgates.inc" from the disk; Qiskit's needs it for cx, h):
# name -> (definition, helper gates it uses). Dict order is the order written out.
# Parameter names are in alphabetical order on purpose: Qiskit's importer (qiskit-qasm3-import
# 0.6) binds a defined gate's arguments to its parameters sorted by name, so prx(theta, phi)
# would read back with the two angles swapped.
_DEFINITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "qlab_cx": ("gate qlab_cx a, b { ctrl @ U(pi, 0, pi) a, b; }", ()),
    "qlab_h": ("gate qlab_h q { U(pi / 2, 0, pi) q; }", ()),
    "gpi": ("gate gpi(phi) q { U(pi, phi, pi - phi) q; }", ()),
    "gpi2": ("gate gpi2(phi) q { U(pi / 2, phi - pi / 2, pi / 2 - phi) q; }", ()),
    "ms": (
        "gate ms(phi0, phi1, theta) a, b {\n"
        "  U(0, 0, -phi0) a; U(0, 0, -phi1) b;\n"
        "  qlab_h a; qlab_h b; qlab_cx a, b; U(0, 0, theta) b; qlab_cx a, b; qlab_h a; qlab_h b;\n"
        "  U(0, 0, phi0) a; U(0, 0, phi1) b;\n"
        "}",
        ("qlab_cx", "qlab_h"),
    ),
    "zz": ("gate zz(theta) a, b { qlab_cx a, b; U(0, 0, theta) b; qlab_cx a, b; }", ("qlab_cx",)),
    "prx": ("gate prx(theta, varphi) q { U(theta, varphi - pi / 2, pi / 2 - varphi) q; }", ()),
    "cz": ("gate cz a, b { ctrl @ U(0, 0, pi) a, b; }", ()),
}
_QASM_NAME = {"gpi": "gpi", "gpi2": "gpi2", "ms": "ms", "zz": "zz", "r": "prx", "cz": "cz"}
_HEADER = {
    "ionq-ms": "IonQ Aria-like: gpi, gpi2, ms",
    "ionq-zz": "IonQ Forte-like: gpi, gpi2, zz",
    "iqm-prx": "IQM-like: prx, cz",
}


def _angles(op: NativeOp) -> tuple[float, ...]:
    """The op's parameters in radians, in the QASM gate's order."""
    if op.name == "r":  # PRX is already in radians, (theta, phi) like Braket's prx
        return op.params
    return tuple(radians(p) for p in op.params)


def _line(op: NativeOp) -> str:
    name = _QASM_NAME[op.name]
    args = ", ".join(repr(a) for a in _angles(op))
    qubits = ", ".join(f"${q}" for q in op.qubits)
    return f"{name}({args}) {qubits};" if args else f"{name} {qubits};"


def to_qasm3(program: NativeProgram) -> str:
    """OpenQASM 3 source for ``program``: definitions, then the gates, then the measurements."""
    natives = {_QASM_NAME[n] for n in program.family.natives}
    wanted = natives | {h for n in natives for h in _DEFINITIONS[n][1]}
    lines = [
        "OPENQASM 3.0;",
        f"// qlab export for '{program.device}' ({_HEADER[program.family.name]}).",
        "// Angles in radians (IonQ's turns x 2 pi); $k is physical qubit k; c[k] is bit k of qlab's key.",
    ]
    lines += [text for name, (text, _) in _DEFINITIONS.items() if name in wanted]
    if program.num_clbits:
        lines.append(f"bit[{program.num_clbits}] c;")
    lines += [_line(op) for op in program.ops]
    lines += [f"c[{clbit}] = measure ${qubit};" for qubit, clbit in program.measurements]
    return "\n".join(lines) + "\n"
