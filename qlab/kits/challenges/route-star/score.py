"""Routing on the star: the number of CZ gates of a correct native rewrite of the target circuit.

Rules checked here: the circuit has 5 qubits (circuit qubit i = device qubit i), only native gates
(``r``, ``cz``; ``barrier`` allowed; no measurements), every CZ on a coupled pair (QB3 = qubit 2 with
any other). Correctness: the circuit's unitary V must equal P U up to a global phase, where U is
the target circuit's unitary with logical qubit i starting on device qubit i, and P is ANY final
permutation of the qubits (the scorer tries all 120): |tr((P U)^dagger V)| / 32 >= 1 - 1e-6.
Score: the number of CZ gates (fewer is better); ties: fewer gates in total, then earlier file.
Nothing here is random; the seed in challenge.json is unused.
"""

from __future__ import annotations

from qlab.i18n import t
from qlab.kits.scoring import (
    InvalidSubmission,
    Score,
    check_native,
    gate_counts,
    match_up_to_final_permutation,
)


def target_circuit(challenge):
    """The circuit to rewrite (logical qubit i = device qubit i at the start)."""
    from qiskit import qasm2

    return qasm2.loads(challenge.data["target_qasm"])


def score(circuit, challenge):
    from qiskit.quantum_info import Operator

    n = int(challenge.data["num_qubits"])
    native = check_native(circuit, challenge.device, allow_measure=False, exact_width=True)
    two, total = gate_counts(native)
    limit = int(challenge.data["max_gates"])
    if total > limit:
        raise InvalidSubmission(t("kit.reason_too_many_gates", count=total, limit=limit))
    target = Operator(target_circuit(challenge)).data
    candidate = Operator(native).data
    perm, overlap = match_up_to_final_permutation(
        target, candidate, n, tolerance=float(challenge.data["tolerance"])
    )
    if perm is None:
        raise InvalidSubmission(t("kit.reason_not_unitary_match", overlap=f"{overlap:.6f}"))
    return Score(
        value=float(two),
        two_qubit_gates=two,
        gates=total,
        details={"final_layout": "".join(str(p) for p in perm), "r": total - two},
    )
