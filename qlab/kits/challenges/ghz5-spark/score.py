"""GHZ-5 on the Spark-like star: the exact fidelity of the team's state with the GHZ state.

Metric: F = <GHZ| rho |GHZ> with |GHZ> = (|00000> + |11111>)/sqrt(2), where rho is the density
matrix the team's circuit leaves on the iqm-spark device at its final readout, under the model
``qlab.run`` emulates (depolarizing + T1/T2 relaxation after every native gate, relaxation while a
qubit waits for the last gate before the common readout), computed
exactly with Aer's density-matrix method (no sampling, so no seed is needed and the score is the
same to the digit on every run). Readout error does not change the state and is not counted.
"""

from __future__ import annotations

from qlab.i18n import t
from qlab.kits.scoring import (
    InvalidSubmission,
    Score,
    check_native,
    gate_counts,
    noisy_density_matrix,
)


def score(circuit, challenge):
    n = int(challenge.data["num_qubits"])
    native = check_native(circuit, challenge.device, exact_width=True)
    two, total = gate_counts(native)
    limit = int(challenge.data["max_gates"])
    if total > limit:
        raise InvalidSubmission(t("kit.reason_too_many_gates", count=total, limit=limit))
    rho = noisy_density_matrix(native, challenge.device)
    last = 2**n - 1
    fidelity = 0.5 * (rho[0, 0].real + rho[last, last].real) + rho[0, last].real

    from qiskit.quantum_info import Statevector

    psi = Statevector(native).data
    ideal = 0.5 * abs(psi[0] + psi[last]) ** 2
    return Score(
        value=float(fidelity),
        two_qubit_gates=two,
        gates=total,
        details={"ideal_fidelity": round(float(ideal), 6), "cz": two},
    )
