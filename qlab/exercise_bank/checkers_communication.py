"""Checkers of lesson 9 (quantum communication, in Cirq): teleportation and the sifting step of BB84.

``teleport``: a three-qubit circuit that carries any state of one qubit to another, written in
the deferred form (controlled X and Z, Qiskit or Cirq) or with mid-circuit measurements and
classically controlled corrections (Qiskit ``if_test``, Cirq ``with_classical_controls``).

``bb84-sift``: a function ``sift(alice_bases, bob_bases, bits) -> list`` keeping the entries of
``bits`` for the rounds where Alice and Bob chose the same basis (0 = Z, 1 = X), in order. It is
called on fixed cases (lists and numpy arrays, no agreement, full agreement), so a pass means the
rule is right, not just one key. Named in ``exercises-communication.json``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import BadAnswerError, CheckResult, to_unitary
from ..checks._convert import _is_qiskit_circuit, strip_final_measurements
from ..i18n import t
from .mistakes import framework_of, not_callable

# (alice_bases, bob_bases, bits)
_SIFT_CASES: list[tuple[list[int], list[int], list[int]]] = [
    ([0, 1, 1, 0, 1, 0, 0, 1], [0, 0, 1, 1, 1, 0, 1, 0], [1, 0, 1, 1, 0, 0, 1, 1]),
    ([0, 0, 0], [1, 1, 1], [1, 0, 1]),  # no basis agrees: empty key
    ([1, 0, 1, 0], [1, 0, 1, 0], [0, 1, 1, 0]),  # every basis agrees: the whole string
]


def _reference(alice: list[int], bob: list[int], bits: list[int]) -> list[int]:
    return [b for a, c, b in zip(alice, bob, bits, strict=True) if a == c]


def _sift_mistake(alice: list[int], bob: list[int], bits: list[int], got: list[int]) -> str:
    """``kept_different`` (the rounds where the bases differ), ``no_sift`` (every bit), ``order``
    (the right bits in another order), else ``different``."""
    right = _reference(alice, bob, bits)
    if got == [b for a, c, b in zip(alice, bob, bits, strict=True) if a != c] and got != right:
        return "kept_different"
    if got == list(bits):
        return "no_sift"
    if sorted(got) == sorted(right):
        return "order"
    return "different"


def check_bb84_sift(answer: Any) -> CheckResult:
    """``answer(alice_bases, bob_bases, bits)`` returns the sifted bits on every case, with the
    inputs given once as lists and once as numpy arrays."""
    if not callable(answer):
        return not_callable("bb84-sift", answer)
    for alice, bob, bits in _SIFT_CASES:
        expected = _reference(alice, bob, bits)
        for convert in (list, np.array):
            got = answer(convert(alice), convert(bob), convert(bits))
            try:
                got_list = [int(b) for b in got]
            except (TypeError, ValueError):
                return CheckResult(
                    False, t("check.ex.bb84-sift.not_list", got=type(got).__name__),
                    {"reason": "not_list"},
                )
            if got_list != expected:
                return CheckResult(
                    False,
                    t("check.ex.bb84-sift.wrong", alice=alice, bob=bob, bits=bits,
                      expected=expected, got=got_list),
                    {"reason": _sift_mistake(alice, bob, bits, got_list), "case": (alice, bob, bits),
                     "got": got_list},
                )
    return CheckResult(True, t("check.ex.bb84-sift.pass", cases=len(_SIFT_CASES)))


# ---- teleportation ------------------------------------------------------------------------------

_TELEPORT_INPUTS = {  # their density matrices span all 2x2 matrices: together they fix the channel
    "|0⟩": np.array([1, 0], dtype=complex),
    "|1⟩": np.array([0, 1], dtype=complex),
    "|+⟩": np.array([1, 1], dtype=complex) / np.sqrt(2),
    "|+i⟩": np.array([1, 1j], dtype=complex) / np.sqrt(2),
}
_PERFECT = 1 - 1e-6


def _has_dynamic_parts(circuit: Any) -> bool:
    stripped = strip_final_measurements(circuit)
    return any(
        inst.operation.name in ("measure", "reset") or getattr(inst.operation, "blocks", None)
        for inst in stripped.data
    )


def _qiskit_dynamic_outputs(circuit: Any, source: int, target: int) -> dict[str, np.ndarray]:
    """Density matrix of ``target`` per input, for a Qiskit circuit with mid-circuit measurement
    and classically controlled corrections (Aer, density-matrix method, averaged over 64 seeded
    shots: a branch that goes wrong shows unless it is missed 64 times, chance below 1e-7)."""
    from qiskit import transpile
    from qiskit_aer import AerSimulator

    sim = AerSimulator(method="density_matrix")
    out = {}
    for label, psi in _TELEPORT_INPUTS.items():
        prep = circuit.copy_empty_like()
        prep.global_phase = 0
        prep.initialize(psi, source)
        body = strip_final_measurements(circuit)
        full = prep.compose(body, qubits=range(circuit.num_qubits), clbits=range(body.num_clbits))
        full.save_density_matrix(qubits=[target], label="rho")
        job = sim.run(transpile(full, sim), shots=64, seed_simulator=11)
        out[label] = np.asarray(job.result().data(0)["rho"])
    return out


def _cirq_is_dynamic(circuit: Any) -> bool:
    import cirq

    controlled = any(
        isinstance(op, cirq.ClassicallyControlledOperation) for op in circuit.all_operations()
    )
    return controlled or not circuit.are_all_measurements_terminal()


def _cirq_dynamic_outputs(circuit: Any, source: int, target: int) -> dict[str, np.ndarray]:
    """Density matrix of ``target`` per input, for a Cirq circuit with mid-circuit measurements
    and ``with_classical_controls``: Cirq's own ``defer_measurements`` turns each measurement into
    a CNOT onto a fresh qubit and each classical control into a quantum one, which is exact (every
    branch at once) rather than sampled."""
    import cirq

    qubits = sorted(circuit.all_qubits())
    if len(qubits) != 3:
        raise _Width(len(qubits))
    src, dst = qubits[source], qubits[target]
    terminal = [
        (i, op)
        for i, op in circuit.findall_operations(cirq.is_measurement)
        if circuit.next_moment_operating_on(op.qubits, i + 1) is None
        and not any(
            isinstance(later, cirq.ClassicallyControlledOperation)
            for later in circuit[i + 1 :].all_operations()
        )
    ]
    body = circuit.copy()
    body.batch_remove(terminal)
    deferred = cirq.defer_measurements(body)
    extra = sorted(set(deferred.all_qubits()) - set(qubits), key=str)
    order = qubits + extra
    out = {}
    for label, psi in _TELEPORT_INPUTS.items():
        unitary = np.array([[psi[0], -np.conj(psi[1])], [psi[1], np.conj(psi[0])]])
        prepared = cirq.Circuit(cirq.MatrixGate(unitary).on(src), deferred)
        state = cirq.final_state_vector(
            prepared, qubit_order=order, ignore_terminal_measurements=True, dtype=np.complex128
        )
        tensor = state.reshape((2,) * len(order))
        moved = np.moveaxis(tensor, order.index(dst), 0).reshape(2, -1)
        out[label] = moved @ moved.conj().T
    return out


class _Width(Exception):
    def __init__(self, got: int) -> None:
        self.got = got


def _unitary_outputs(answer: Any, source: int, target: int) -> dict[str, np.ndarray]:
    u = to_unitary(answer)
    n = len(u).bit_length() - 1
    if n != 3:
        raise _Width(n)
    out = {}
    for label, psi in _TELEPORT_INPUTS.items():
        start = np.zeros(8, dtype=complex)
        for k in (0, 1):
            start[k << source] = psi[k]
        state = (u @ start).reshape((2, 2, 2))  # axes: qubit 2, qubit 1, qubit 0
        moved = np.moveaxis(state, 2 - target, 0).reshape(2, 4)
        out[label] = moved @ moved.conj().T
    return out


def _teleport_mistake(fidelities: dict[str, float]) -> str:
    """Which correction is wrong, read off which inputs survive: a missing or misplaced Z
    correction spoils only superpositions (|+>, |+i>); a missing X correction spoils |0>, |1>
    and |+i> but not |+> (X leaves |+> alone); corrections that listen to each other's bits leave
    a Y on half the branches, which spares only |+i>."""
    ok = {label for label, f in fidelities.items() if f >= _PERFECT}
    return {
        frozenset({"|0⟩", "|1⟩"}): "z_correction",
        frozenset({"|+⟩"}): "x_correction",
        frozenset({"|+i⟩"}): "swapped",
    }.get(frozenset(ok), "several")


def check_teleport(answer: Any, *, source: int, target: int) -> CheckResult:
    """The circuit carries any state of qubit ``source`` to qubit ``target``.

    Accepts the deferred-measurement form (controlled X/Z instead of classically controlled
    ones), and circuits with mid-circuit measurement and classically controlled corrections:
    Qiskit ``if_test`` and Cirq ``with_classical_controls``. Checked on four inputs whose density
    matrices span all one-qubit operators, so passing means the channel from ``source`` to
    ``target`` is the identity; a failure names the correction that is wrong.
    """
    width = (
        answer.num_qubits if _is_qiskit_circuit(answer)
        else len(answer.all_qubits()) if framework_of(answer) == "cirq" and hasattr(answer, "all_qubits")
        else 3
    )
    if width != 3:
        return CheckResult(False, t("check.ex.teleport.width", got=width), {"reason": "width"})
    try:
        if _is_qiskit_circuit(answer) and _has_dynamic_parts(answer):
            if answer.num_qubits != 3:
                raise _Width(answer.num_qubits)
            try:
                rhos = _qiskit_dynamic_outputs(answer, source, target)
            except Exception as exc:
                raise BadAnswerError(t("check.convert.cannot_simulate", error=str(exc))) from None
        elif framework_of(answer) == "cirq" and hasattr(answer, "all_operations") and _cirq_is_dynamic(answer):
            try:
                rhos = _cirq_dynamic_outputs(answer, source, target)
            except _Width:
                raise
            except Exception as exc:
                raise BadAnswerError(t("check.convert.cannot_simulate", error=str(exc))) from None
        else:
            rhos = _unitary_outputs(answer, source, target)
    except _Width as width:
        return CheckResult(False, t("check.ex.teleport.width", got=width.got), {"reason": "width"})
    fidelities = {
        label: float(np.real(psi.conj() @ rhos[label] @ psi)) for label, psi in _TELEPORT_INPUTS.items()
    }
    worst = min(fidelities, key=fidelities.get)
    if fidelities[worst] >= _PERFECT:
        return CheckResult(True, t("check.ex.teleport.pass", source=source, target=target))
    return CheckResult(
        False,
        t(
            "check.ex.teleport.fail",
            state=worst,
            source=source,
            target=target,
            fidelity=f"{fidelities[worst]:.3f}",
        ),
        {"reason": _teleport_mistake(fidelities), "fidelity": fidelities[worst], "input": worst,
         "fidelities": fidelities},
    )
