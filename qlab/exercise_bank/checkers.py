"""The checking functions behind the exercises, built from :mod:`qlab.checks` primitives.

Each takes the student's answer and the exercise's resolved parameters (from ``exercises.json``
plus the student's variant) and returns a :class:`~qlab.checks.CheckResult`. Wrong answers are
results, not exceptions; a malformed answer raises :class:`~qlab.checks.BadAnswerError`, which
:func:`qlab.check` turns into a friendly message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..checks import (
    BadAnswerError,
    CheckResult,
    _format,
    native_compliance,
    operators_equal,
    probability_at_least,
    states_equal,
    to_statevector,
    to_unitary,
)
from ..checks._convert import _is_qiskit_circuit, strip_final_measurements
from ..i18n import t


def amplitudes_vector(amplitudes: dict[str, Any]) -> np.ndarray:
    """``{"00": a, "11": b}`` (a value may be ``[re, im]``) as a vector in qlab bit order."""
    n = len(next(iter(amplitudes)))
    vec = np.zeros(2**n, dtype=complex)
    for key, value in amplitudes.items():
        vec[int(key, 2)] = complex(*value) if isinstance(value, list) else complex(value)
    return vec


# ---- plain states --------------------------------------------------------------------------


def check_state(
    answer: Any, *, amplitudes: dict[str, Any], strict_phase: bool = False
) -> CheckResult:
    """The answer (circuit or state) prepares ``amplitudes`` (up to global phase by default)."""
    return states_equal(amplitudes_vector(amplitudes), answer, strict_phase=strict_phase)


# ---- a Bell pair on a device -----------------------------------------------------------------


def check_bell_on_device(answer: Any, *, device: str) -> CheckResult:
    """Native gates on coupled pairs only, and the state is |Phi+> on one coupled pair (every
    other qubit left in |0>)."""
    from ..catalog import device as lookup

    dev = lookup(device)
    compliance = native_compliance(answer, dev)
    if not compliance:
        return compliance
    vec = to_statevector(answer)
    n = len(vec).bit_length() - 1
    for a, b in dev.coupled_pairs:
        if b >= n:
            continue
        target = np.zeros(2**n, dtype=complex)
        target[0] = target[(1 << a) | (1 << b)] = 1 / np.sqrt(2)
        if states_equal(target, vec):
            return CheckResult(True, t("check.ex.bell-on-spark.pass", a=a, b=b, device=dev.name))
    return CheckResult(
        False,
        t("check.ex.bell-on-spark.wrong_state", got=_format.state(vec), device=dev.name),
        {"reason": "different", "got": vec},
    )


# ---- Bernstein-Vazirani ------------------------------------------------------------------------


def bv_oracle_matrix(secret: str, *, phase: bool = False) -> np.ndarray:
    """The oracle of ``f(x) = s·x mod 2`` for the bitstring ``secret`` (last character = qubit 0).

    ``phase=False``: ``n + 1`` qubits, ``|x>|y> -> |x>|y XOR f(x)>`` with the output qubit ``y``
    as qubit ``n``. ``phase=True``: ``n`` qubits, ``|x> -> (-1)^f(x) |x>``.
    """
    n, s = len(secret), int(secret, 2)
    f = [bin(x & s).count("1") % 2 for x in range(2**n)]
    if phase:
        return np.diag([(-1.0) ** fx for fx in f]).astype(complex)
    u = np.zeros((2 ** (n + 1), 2 ** (n + 1)), dtype=complex)
    for y in (0, 1):
        for x in range(2**n):
            u[x + 2**n * (y ^ f[x]), x + 2**n * y] = 1
    return u


def bv_oracle_circuit(secret: str) -> Any:
    """A Qiskit oracle circuit for ``secret``: CX from each qubit ``k`` whose bit is 1 to qubit n."""
    from qiskit import QuantumCircuit

    n = len(secret)
    qc = QuantumCircuit(n + 1, name="oracle")
    for k in range(n):
        if secret[-1 - k] == "1":
            qc.cx(k, n)
    return qc


def check_bv_secret(answer: Any, *, secret: str) -> CheckResult:
    """The answer is the recovered secret (a bitstring) or an oracle for it (bit oracle on
    ``n + 1`` qubits or phase oracle on ``n``)."""
    n = len(secret)
    if isinstance(answer, str):
        got = answer.strip().replace(" ", "")
        if len(got) != n or set(got) - {"0", "1"}:
            return CheckResult(
                False,
                t("check.ex.bv-secret.bad_string", n=n, got=answer[:40]),
                {"reason": "bad_answer"},
            )
        if got == secret:
            return CheckResult(True, t("check.ex.bv-secret.pass_string", secret=secret))
        if got[::-1] == secret:
            return CheckResult(False, t("check.ex.bv-secret.reversed"), {"reason": "reversed"})
        return CheckResult(
            False, t("check.ex.bv-secret.wrong_string", got=got), {"reason": "different"}
        )
    mat = to_unitary(answer)
    m = len(mat).bit_length() - 1
    if m not in (n, n + 1):
        return CheckResult(
            False, t("check.ex.bv-secret.width", n=n, bit=n + 1, got=m), {"reason": "width"}
        )
    result = operators_equal(bv_oracle_matrix(secret, phase=(m == n)), mat)
    if result:
        result.message = t("check.ex.bv-secret.pass_oracle")
    return result


# ---- Grover --------------------------------------------------------------------------------


def check_grover(answer: Any, *, marked: str, p_min: float, min_shots: int) -> CheckResult:
    """Counts of a Grover run in which ``marked`` is likely (``P >= p_min``, exact one-sided
    binomial test), or a circuit whose exact probability of ``marked`` is at least ``p_min``."""
    if _is_qiskit_circuit(answer) or type(answer).__module__.startswith("cirq"):
        vec = to_statevector(answer)
        n = len(marked)
        probs = np.abs(vec) ** 2
        p = float(sum(probs[k] for k in range(len(probs)) if k % 2**n == int(marked, 2)))
        if p >= p_min:
            return CheckResult(
                True,
                t("check.counts.likely_pass", outcome=f"'{marked}'", got=f"{p:.3f}", p_min=p_min),
            )
        return CheckResult(
            False,
            t("check.ex.grover-3.circuit_low", outcome=f"'{marked}'", got=f"{p:.3f}", p_min=p_min),
            {"reason": "too_unlikely", "probability": p},
        )
    return probability_at_least(answer, marked, p_min, min_shots=min_shots)


# ---- teleportation ------------------------------------------------------------------------------

_TELEPORT_INPUTS = {  # their density matrices span all 2x2 matrices: together they fix the channel
    "|0⟩": np.array([1, 0], dtype=complex),
    "|1⟩": np.array([0, 1], dtype=complex),
    "|+⟩": np.array([1, 1], dtype=complex) / np.sqrt(2),
    "|+i⟩": np.array([1, 1j], dtype=complex) / np.sqrt(2),
}


def _has_dynamic_parts(circuit: Any) -> bool:
    stripped = strip_final_measurements(circuit)
    return any(
        inst.operation.name in ("measure", "reset") or getattr(inst.operation, "blocks", None)
        for inst in stripped.data
    )


def _teleport_outputs_dynamic(circuit: Any, source: int, target: int) -> dict[str, np.ndarray]:
    """Density matrix of ``target`` per input, for circuits with mid-circuit measurement and
    classically controlled corrections (Aer, density-matrix method, averaged over 64 seeded
    shots: a correct protocol gives the input state on every branch)."""
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


def check_teleport(answer: Any, *, source: int, target: int) -> CheckResult:
    """The circuit carries any state of qubit ``source`` to qubit ``target``.

    Accepts the deferred-measurement form (controlled X/Z instead of classically controlled
    ones) for Qiskit and cirq, and Qiskit circuits with mid-circuit measurement and
    ``if_test`` corrections. Checked on four inputs whose density matrices span all one-qubit
    operators, so passing means the channel from ``source`` to ``target`` is the identity.
    """
    if _is_qiskit_circuit(answer) and _has_dynamic_parts(answer):
        if answer.num_qubits != 3:
            return CheckResult(False, t("check.ex.teleport.width", got=answer.num_qubits))
        try:
            rhos = _teleport_outputs_dynamic(answer, source, target)
        except Exception as exc:
            raise BadAnswerError(t("check.convert.cannot_simulate", error=str(exc))) from None
    else:
        u = to_unitary(answer)
        n = len(u).bit_length() - 1
        if n != 3:
            return CheckResult(False, t("check.ex.teleport.width", got=n))
        rhos = {}
        for label, psi in _TELEPORT_INPUTS.items():
            start = np.zeros(8, dtype=complex)
            for k in (0, 1):
                start[k << source] = psi[k]
            out = (u @ start).reshape((2, 2, 2))  # axes: qubit 2, qubit 1, qubit 0
            axis = 2 - target
            moved = np.moveaxis(out, axis, 0).reshape(2, 4)
            rhos[label] = moved @ moved.conj().T
    worst_label, worst_f = "", 1.0
    for label, psi in _TELEPORT_INPUTS.items():
        f = float(np.real(psi.conj() @ rhos[label] @ psi))
        if f < worst_f:
            worst_label, worst_f = label, f
    if worst_f >= 1 - 1e-6:
        return CheckResult(True, t("check.ex.teleport.pass", source=source, target=target))
    return CheckResult(
        False,
        t(
            "check.ex.teleport.fail",
            state=worst_label,
            source=source,
            target=target,
            fidelity=f"{worst_f:.3f}",
        ),
        {"reason": "different", "fidelity": worst_f, "input": worst_label},
    )


CHECKERS: dict[str, Callable[..., CheckResult]] = {
    "state": check_state,
    "bell_on_device": check_bell_on_device,
    "bv_secret": check_bv_secret,
    "grover": check_grover,
    "teleport": check_teleport,
}
