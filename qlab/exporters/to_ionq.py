"""A native program as an IonQ API job body, written by qiskit-ionq's own serializer.

IonQ's API takes a JSON job whose ``input`` has ``"gateset": "native"`` and a ``circuit`` list of
``{"gate": "gpi" | "gpi2" | "ms" | "zz", ...}`` with every phase and angle in **turns** (IonQ API
docs, "Native gates"). qiskit-ionq turns a Qiskit circuit into exactly that body with
``qiskit_ionq.helpers.qiskit_to_ionq``; qlab calls it rather than writing the JSON itself, so the
body is the one IonQ's own Qiskit provider would send.

Building a real ``IonQBackend`` asks IonQ's server for the device's characterisation (a network
call). The serializer only reads the backend's name, its gate set (``"native"``) and its options,
so qlab passes it :class:`_OfflineBackend`, which holds just those, offline and without any key.
The qubits of the circuit are the physical qubits of the native program; IonQ measures every
qubit, and the classical-bit map rides in the job's metadata (``qiskit_header``).
"""

from __future__ import annotations

from typing import Any

from .native import NativeProgram


class _OfflineBackend:
    """The three things ``qiskit_to_ionq`` reads from a backend, and nothing that goes online."""

    def __init__(self, target: str):
        from qiskit.providers import Options

        self.name = f"ionq_{target}"  # the serializer drops the "ionq_" prefix
        self.options = Options(error_mitigation=None, noise_model=None)

    @staticmethod
    def gateset() -> str:
        return "native"


def to_ionq_circuit(program: NativeProgram) -> Any:
    """The native program as a Qiskit circuit of qiskit-ionq's own gate classes."""
    from qiskit import QuantumCircuit
    from qiskit_ionq.ionq_gates import GPI2Gate, GPIGate, MSGate, ZZGate

    gates = {"gpi": GPIGate, "gpi2": GPI2Gate, "ms": MSGate, "zz": ZZGate}
    qc = QuantumCircuit(max(program.width, 1), program.num_clbits, name=program.name)
    for op in program.ops:
        qc.append(gates[op.name](*op.params), list(op.qubits))
    for qubit, clbit in program.measurements:
        qc.measure(qubit, clbit)
    return qc


def to_ionq(program: NativeProgram, *, shots: int) -> str:
    """IonQ's job JSON (a string) for ``program``, ``shots`` repetitions, on the family's target."""
    from qiskit_ionq.helpers import qiskit_to_ionq

    backend = _OfflineBackend(program.family.ionq_target)
    return qiskit_to_ionq(to_ionq_circuit(program), backend, passed_args={"shots": shots})
