"""MaxCut by QAOA on the IonQ Aria-like device: the approximation ratio of the team's angles.

The team returns ``{"gammas": [g1, ..., gp], "betas": [b1, ..., bp]}``. The scorer builds exactly
this circuit (``qaoa_circuit`` below; the starter notebook uses the same function):

    H on every qubit; then for each layer k: the cost layer exp(-i gammas[k] C), where
    C = sum over edges of (1 - Z_a Z_b)/2 is the cut value, which is RZZ(-gammas[k]) on every edge
    up to a global phase; the mixer exp(-i betas[k] sum_q X_q), which is RX(2*betas[k]) on every
    qubit; then measure every qubit. (The textbook convention of Farhi et al.: gammas and betas
    between 0 and pi/2 maximise the cut.)

It is compiled with ``qlab.transpile(circuit, "ionq-aria", seed=SEED)``; more two-qubit (MS) gates
than the budget makes the submission invalid. The compiled circuit is emulated with
``qlab.run(compiled, "ionq-aria", shots=SHOTS, seed=SEED)`` (gate noise and readout error).

Score = (mean cut value over the shots) / (maximum cut of the graph). With the fixed seed the score
is the same to the digit on every run; as an estimate of the true ratio it has a sampling error of
about 0.001 (one standard deviation at 20000 shots), so scores closer than ~0.003 are equally good.
"""

from __future__ import annotations

import math

from qlab.i18n import t
from qlab.kits.scoring import InvalidSubmission, Score, cut_value, gate_counts, max_cut


def qaoa_circuit(num_nodes, edges, gammas, betas):
    """The QAOA circuit for MaxCut (measurements on every qubit, qubit i = node i).

    Layer k: exp(-i gamma_k C) with C the cut value = ``rzz(-gamma_k)`` on every edge (up to a
    global phase), then exp(-i beta_k sum X) = ``rx(2 beta_k)`` on every qubit.
    """
    from qiskit import QuantumCircuit

    qc = QuantumCircuit(num_nodes, num_nodes)
    qc.h(range(num_nodes))
    for gamma, beta in zip(gammas, betas, strict=True):
        for a, b in edges:
            qc.rzz(-gamma, a, b)
        qc.rx(2 * beta, range(num_nodes))
    qc.measure(range(num_nodes), range(num_nodes))
    return qc


def read_angles(value, max_layers):
    """The team's angles as two lists of floats, or InvalidSubmission."""
    bad = InvalidSubmission(t("kit.reason_bad_angles", max_layers=max_layers))
    if not isinstance(value, dict) or set(value) != {"gammas", "betas"}:
        raise bad
    gammas, betas = value["gammas"], value["betas"]
    if not isinstance(gammas, list) or not isinstance(betas, list):
        raise bad
    if not 1 <= len(gammas) == len(betas) <= max_layers:
        raise bad
    out = []
    for xs in (gammas, betas):
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in xs):
            raise bad
        out.append([float(x) for x in xs])
    return out[0], out[1]


def score(value, challenge):
    import qlab

    data = challenge.data
    n, edges = int(data["num_nodes"]), [tuple(e) for e in data["edges"]]
    gammas, betas = read_angles(value, int(data["max_layers"]))
    compiled = qlab.transpile(qaoa_circuit(n, edges, gammas, betas), challenge.device, seed=challenge.seed)
    two, total = gate_counts(compiled)
    budget = int(data["max_two_qubit_gates"])
    if two > budget:
        raise InvalidSubmission(t("kit.reason_over_budget", count=two, budget=budget))
    shots = int(data["shots"])
    counts = qlab.run(compiled, challenge.device, shots=shots, seed=challenge.seed)
    mean_cut = sum(c * cut_value(bits, edges) for bits, c in counts.items()) / shots
    best = max_cut(n, edges)
    return Score(
        value=mean_cut / best,
        two_qubit_gates=two,
        gates=total,
        details={"layers": len(gammas), "mean_cut": round(mean_cut, 4), "max_cut": best},
    )
