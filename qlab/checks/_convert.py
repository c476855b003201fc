"""Turn whatever a student hands in into numbers the checks can compare.

Accepted answers, in qlab's one bit order (qubit 0 is the *least* significant bit of a basis
index, i.e. the last character of a label such as ``"01"``, exactly as in Qiskit):

* a state: a Qiskit ``QuantumCircuit`` (run from ``|0...0>``; final measurements and barriers are
  ignored), a ``cirq.Circuit``, a Qiskit ``Statevector``, a numpy array / list of ``2**n``
  amplitudes, or a dict of amplitudes ``{"00": 0.707, "11": 0.707}``;
* an operation: a ``QuantumCircuit``, a ``cirq.Circuit``, a Qiskit ``Operator`` or ``Gate``, a
  ``cirq.Gate`` / ``cirq.Operation``, or a square numpy matrix.

Cirq qubits: when every qubit is a ``cirq.LineQubit``, ``LineQubit(k)`` is qubit ``k`` (so idle
qubits below the highest one count); otherwise qubits are numbered in sorted order.

Anything else raises :class:`BadAnswerError`, whose message says what was received and what
would be accepted; the checks turn it into a friendly failed result, never a traceback.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import QlabError
from ..hardware.rules import Op
from ..i18n import t

NORM_ATOL = 1e-6


class BadAnswerError(QlabError, TypeError):
    """An answer of a kind a check cannot read (e.g. a string where a circuit was expected)."""


# ---- what kind of object is it? ------------------------------------------------------------


def _is_qiskit_circuit(obj: Any) -> bool:
    return _mro_has(obj, "qiskit", "QuantumCircuit")


def _mro_has(obj: Any, module_prefix: str, name: str) -> bool:
    return any(
        c.__name__ == name and c.__module__.startswith(module_prefix) for c in type(obj).__mro__
    )


def _is_cirq(obj: Any, name: str) -> bool:
    return _mro_has(obj, "cirq", name)


def kind_of(obj: Any) -> str:
    """A short human name of what was handed in, for messages (``"str"``, ``"QuantumCircuit"``)."""
    return type(obj).__name__


def _bad(expected_key: str, obj: Any, **fields: Any) -> BadAnswerError:
    return BadAnswerError(t(expected_key, got=kind_of(obj), **fields))


# ---- circuits: strip what does not change the state -------------------------------------------


def strip_final_measurements(circuit: Any) -> Any:
    """A copy of a Qiskit circuit without its *final* measurements and without barriers.

    A measurement is final when no later instruction touches its qubit or reads its classical
    bit (Qiskit's own ``remove_final_measurements`` also drops measurements whose results a
    later ``if_test`` reads, which would change what a teleportation circuit does).
    """
    data = list(circuit.data)
    keep = [True] * len(data)
    later_qubits: set[Any] = set()
    later_clbits: set[Any] = set()
    for i in reversed(range(len(data))):
        inst = data[i]
        name = inst.operation.name
        if name == "barrier":
            keep[i] = False
            continue
        if (
            name == "measure"
            and not set(inst.qubits) & later_qubits
            and not set(inst.clbits) & later_clbits
        ):
            keep[i] = False
            continue
        later_qubits.update(inst.qubits)
        later_clbits.update(inst.clbits)
        condition = getattr(inst.operation, "condition", None)
        if isinstance(condition, tuple):
            target = condition[0]
            later_clbits.update(target if hasattr(target, "__iter__") else [target])
    out = circuit.copy_empty_like()
    for inst, kept in zip(data, keep, strict=True):
        if kept:
            out.append(inst)
    return out


def _qiskit_unitary_part(circuit: Any) -> Any:
    """The circuit without final measurements and barriers; mid-circuit measurement is an error."""
    stripped = strip_final_measurements(circuit)
    for inst in stripped.data:
        name = inst.operation.name
        if name in ("measure", "reset") or getattr(inst.operation, "blocks", None):
            raise BadAnswerError(t("check.convert.mid_circuit", gate=name))
    return stripped


def _cirq_qubit_order(circuit: Any, width: int | None = None) -> list[Any]:
    """Qubits of a cirq circuit, most significant first (cirq's order), qubit 0 last."""
    from ..cirq_side.read import qubit_order

    return list(reversed(qubit_order(circuit, width)))


def _cirq_check_measurements(circuit: Any) -> None:
    import cirq

    if not circuit.are_all_measurements_terminal():
        raise BadAnswerError(t("check.convert.mid_circuit", gate="measure"))
    for op in circuit.all_operations():
        if isinstance(op, cirq.ClassicallyControlledOperation):
            raise BadAnswerError(t("check.convert.mid_circuit", gate=str(op)))


def reverse_qubits(matrix: np.ndarray, n: int) -> np.ndarray:
    """Swap big-endian (cirq: first qubit most significant) and little-endian (Qiskit) order."""
    if matrix.ndim == 1:
        return matrix.reshape((2,) * n).transpose(tuple(reversed(range(n)))).reshape(-1)
    axes = tuple(reversed(range(n))) + tuple(reversed(range(n, 2 * n)))
    return matrix.reshape((2,) * (2 * n)).transpose(axes).reshape(2**n, 2**n)


# ---- states ------------------------------------------------------------------------------------


def to_statevector(obj: Any, num_qubits: int | None = None) -> np.ndarray:
    """The state an answer stands for, as a normalised complex vector in qlab bit order.

    ``num_qubits`` widens a cirq circuit that leaves high qubits idle (cirq only knows the qubits
    its gates touch); it never narrows anything.
    """
    if isinstance(obj, (str, bytes, int, float, bool)) or obj is None:
        raise _bad("check.convert.not_a_state", obj)
    if _is_qiskit_circuit(obj):
        from qiskit.quantum_info import Statevector

        try:
            vec = np.asarray(Statevector(_qiskit_unitary_part(obj)).data, dtype=complex)
        except BadAnswerError:
            raise
        except Exception as exc:  # a gate Statevector cannot simulate
            raise BadAnswerError(t("check.convert.cannot_simulate", error=str(exc))) from None
    elif _is_cirq(obj, "Circuit") or _is_cirq(obj, "FrozenCircuit"):
        import cirq

        _cirq_check_measurements(obj)
        order = _cirq_qubit_order(obj, num_qubits)
        try:
            vec = cirq.final_state_vector(
                obj, qubit_order=order, ignore_terminal_measurements=True, dtype=np.complex128
            )
        except Exception as exc:
            raise BadAnswerError(t("check.convert.cannot_simulate", error=str(exc))) from None
        vec = np.asarray(vec, dtype=complex)
    elif _mro_has(obj, "qiskit", "Statevector"):
        vec = np.asarray(obj.data, dtype=complex)
    elif isinstance(obj, dict):
        vec = _amplitude_dict(obj)
    else:
        try:
            vec = np.asarray(obj, dtype=complex)
        except (TypeError, ValueError):
            raise _bad("check.convert.not_a_state", obj) from None
        if vec.ndim == 2 and 1 in vec.shape:
            vec = vec.reshape(-1)
        if vec.ndim != 1:
            raise _bad("check.convert.not_a_state", obj)
    n = _num_qubits_of(len(vec))
    if n is None:
        raise BadAnswerError(t("check.convert.bad_length", length=len(vec)))
    norm = float(np.linalg.norm(vec))
    if abs(norm - 1.0) > NORM_ATOL:
        raise BadAnswerError(t("check.convert.not_normalised", norm=f"{norm:.4g}"))
    if num_qubits is not None and n < num_qubits:  # pad idle high qubits with |0>
        vec = np.concatenate([vec, np.zeros(2**num_qubits - len(vec), dtype=complex)])
    return vec


def _amplitude_dict(obj: dict) -> np.ndarray:
    keys = [str(k).replace(" ", "") for k in obj]
    if not keys or any(set(k) - {"0", "1"} for k in keys) or len({len(k) for k in keys}) != 1:
        raise BadAnswerError(t("check.convert.bad_labels", example="'01'"))
    n = len(keys[0])
    vec = np.zeros(2**n, dtype=complex)
    for key, amp in zip(keys, obj.values(), strict=True):
        try:
            vec[int(key, 2)] = complex(amp)
        except (TypeError, ValueError):
            raise BadAnswerError(t("check.convert.bad_labels", example="'01'")) from None
    return vec


def _num_qubits_of(length: int) -> int | None:
    if length < 2 or length & (length - 1):
        return None
    return length.bit_length() - 1


# ---- operations --------------------------------------------------------------------------------


def to_unitary(obj: Any) -> np.ndarray:
    """The unitary matrix an answer stands for, in qlab bit order."""
    if isinstance(obj, (str, bytes, int, float, bool, dict)) or obj is None:
        raise _bad("check.convert.not_an_operation", obj)
    if _is_qiskit_circuit(obj):
        from qiskit.quantum_info import Operator

        try:
            mat = Operator(_qiskit_unitary_part(obj)).data
        except BadAnswerError:
            raise
        except Exception as exc:
            raise BadAnswerError(t("check.convert.cannot_simulate", error=str(exc))) from None
    elif _is_cirq(obj, "Circuit") or _is_cirq(obj, "FrozenCircuit"):
        _cirq_check_measurements(obj)
        order = _cirq_qubit_order(obj)
        try:
            mat = obj.unitary(qubit_order=order, ignore_terminal_measurements=True)
        except Exception as exc:
            raise BadAnswerError(t("check.convert.cannot_simulate", error=str(exc))) from None
    elif _mro_has(obj, "qiskit", "Operator"):
        mat = obj.data
    elif _mro_has(obj, "qiskit", "Instruction"):
        from qiskit.quantum_info import Operator

        try:
            mat = Operator(obj).data
        except Exception as exc:
            raise BadAnswerError(t("check.convert.cannot_simulate", error=str(exc))) from None
    elif _is_cirq(obj, "Gate") or _is_cirq(obj, "Operation"):
        import cirq

        mat = cirq.unitary(obj, None)
        if mat is None:
            raise _bad("check.convert.not_an_operation", obj)
        mat = reverse_qubits(np.asarray(mat, dtype=complex), cirq.num_qubits(obj))
    else:
        try:
            mat = np.asarray(obj, dtype=complex)
        except (TypeError, ValueError):
            raise _bad("check.convert.not_an_operation", obj) from None
    mat = np.asarray(mat, dtype=complex)
    if mat.ndim != 2 or mat.shape[0] != mat.shape[1] or _num_qubits_of(mat.shape[0]) is None:
        raise BadAnswerError(t("check.convert.bad_matrix", shape=str(tuple(mat.shape))))
    if not np.allclose(mat.conj().T @ mat, np.eye(len(mat)), atol=1e-6):
        raise BadAnswerError(t("check.convert.not_unitary"))
    return mat


# ---- instructions, for device compliance and resource counts -----------------------------------


def circuit_ops(obj: Any) -> tuple[int, list[Op]]:
    """``(width, ops)`` of a Qiskit or cirq circuit, in the order they run, as the device rule
    reads them (:mod:`qlab.qiskit_side.read`, :mod:`qlab.cirq_side.read`)."""
    if _is_qiskit_circuit(obj):
        from ..qiskit_side.read import circuit_ops as read

        return read(obj)
    if _is_cirq(obj, "Circuit") or _is_cirq(obj, "FrozenCircuit"):
        from ..cirq_side.read import circuit_ops as read

        return read(obj)
    raise _bad("check.convert.not_a_circuit", obj)
