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
    CheckResult,
    _format,
    native_compliance,
    operators_equal,
    probability_at_least,
    states_equal,
    to_statevector,
    to_unitary,
)
from ..checks._convert import _is_qiskit_circuit
from ..i18n import t
from .mistakes import classify_state


def amplitudes_vector(amplitudes: dict[str, Any]) -> np.ndarray:
    """``{"00": a, "11": b}`` (a value may be ``[re, im]``) as a vector in qlab bit order."""
    n = len(next(iter(amplitudes)))
    vec = np.zeros(2**n, dtype=complex)
    for key, value in amplitudes.items():
        vec[int(key, 2)] = complex(*value) if isinstance(value, list) else complex(value)
    return vec


# ---- plain states --------------------------------------------------------------------------


def check_state(
    answer: Any,
    *,
    amplitudes: dict[str, Any],
    strict_phase: bool = False,
    mistakes: tuple[dict[str, Any], ...] = (),
) -> CheckResult:
    """The answer (circuit or state) prepares ``amplitudes`` (up to global phase by default).

    A wrong state that is one of the exercise's known ``mistakes`` (see
    :mod:`qlab.exercise_bank.mistakes`) gets that mistake as its ``reason``, so the hint can
    answer it.
    """
    result = states_equal(amplitudes_vector(amplitudes), answer, strict_phase=strict_phase)
    if not result and result.details.get("reason") == "different":
        reason = classify_state(result.details["got"], mistakes, answer)
        if reason:
            result.details["reason"] = reason
    return result


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
    reason = "different"
    for a, b in dev.coupled_pairs:
        if b >= n:
            continue
        bell = _bell_family(n, a, b)
        if states_equal(bell["agree"], vec):
            return CheckResult(True, t("check.ex.bell-on-spark.pass", a=a, b=b, device=dev.name))
        for name, state in bell.items():
            if abs(np.vdot(state, vec)) ** 2 > 1 - 1e-6:
                reason = name
        if reason == "different":
            reason = classify_state(vec, ()) or reason
    if reason == "different" and _angles_look_like_turns(answer):
        reason = "turns"
    return CheckResult(
        False,
        t("check.ex.bell-on-spark.wrong_state", got=_format.state(vec), device=dev.name),
        {"reason": reason, "got": vec},
    )


def _angles_look_like_turns(answer: Any) -> bool:
    """True when every PRX angle of a Qiskit circuit lies in (0, 1]: quarter and half turns
    (0.25, 0.5) written where PRX wants radians (pi/2, pi)."""
    if not _is_qiskit_circuit(answer):
        return False
    thetas = [
        abs(float(inst.operation.params[0]))
        for inst in answer.data
        if inst.operation.name == "r" and inst.operation.params
    ]
    return bool(thetas) and all(0 < th <= 1.0 for th in thetas)


def _bell_family(n: int, a: int, b: int) -> dict[str, np.ndarray]:
    """The four Bell states on qubits ``a, b`` of ``n`` (others in |0>), by how they go wrong:
    ``agree`` is |Phi+>, ``sign`` |Phi->, ``disagree`` |Psi+> and |Psi-> (``disagree_sign``)."""
    zero, both, only_a, only_b = 0, (1 << a) | (1 << b), 1 << a, 1 << b
    out = {}
    for name, (k1, k2, sign) in {
        "agree": (zero, both, 1),
        "sign": (zero, both, -1),
        "disagree": (only_a, only_b, 1),
        "disagree_sign": (only_a, only_b, -1),
    }.items():
        vec = np.zeros(2**n, dtype=complex)
        vec[k1], vec[k2] = 1 / np.sqrt(2), sign / np.sqrt(2)
        out[name] = vec
    return out


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
    if answer is None or isinstance(answer, str):  # None: the try-it cell is still unanswered
        got = (answer or "").strip().replace(" ", "")
        if len(got) != n or set(got) - {"0", "1"}:
            return CheckResult(
                False,
                t("check.ex.bv-secret.bad_string", n=n, got=(answer or "")[:40]),
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
    binomial test), or a circuit whose exact probability of ``marked`` is at least ``p_min``.

    A failure says which mistake the distribution points to: the marked string read backwards
    (``reversed``), another item found (``other_item``: the oracle marks something else), nothing
    amplified (``no_amplification``: an oracle or the diffusion missing), or the marked item
    amplified too little (``steps``: too many or too few iterations)."""
    n = len(marked)
    if _is_qiskit_circuit(answer) or type(answer).__module__.startswith("cirq"):
        vec = to_statevector(answer)
        probs = np.abs(vec) ** 2
        dist = np.bincount(np.arange(len(probs)) % 2**n, weights=probs, minlength=2**n)
        p = float(dist[int(marked, 2)])
        if p >= p_min:
            return CheckResult(
                True,
                t("check.counts.likely_pass", outcome=f"'{marked}'", got=f"{p:.3f}", p_min=p_min),
            )
        result = CheckResult(
            False,
            t("check.ex.grover-3.circuit_low", outcome=f"'{marked}'", got=f"{p:.3f}", p_min=p_min),
            {"probability": p},
        )
    else:
        result = probability_at_least(answer, marked, p_min, min_shots=min_shots)
        if result or result.details.get("reason") != "too_unlikely":
            return result
        counts = {str(k): int(v) for k, v in dict(answer).items()}
        total = sum(counts.values())
        dist = np.zeros(2**n)
        for key, c in counts.items():
            if len(key) == n:
                dist[int(key, 2)] += c / total
    result.details["reason"] = _grover_mistake(dist, marked)
    return result


def _grover_mistake(dist: np.ndarray, marked: str) -> str:
    peak = int(np.argmax(dist))
    n = len(marked)
    if dist[peak] - float(np.min(dist)) < 0.1:  # flat: nothing was amplified
        return "no_amplification"
    if peak == int(marked, 2):
        return "steps"
    if format(peak, f"0{n}b") == marked[::-1]:
        return "reversed"
    return "other_item"


from .checkers_communication import check_teleport  # noqa: E402  (lesson 9's module; no cycle)

CHECKERS: dict[str, Callable[..., CheckResult]] = {
    "state": check_state,
    "bell_on_device": check_bell_on_device,
    "bv_secret": check_bv_secret,
    "grover": check_grover,
    "teleport": check_teleport,
}
