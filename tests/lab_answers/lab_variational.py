"""lab-variational (lesson 7): <H> of H2 from counts, VQE for a per-student Ising model, QAOA."""

LAB = "lab-variational"

RATIO = ("qc = qaoa_circuit(GAMMA, BETA, EDGES, 5)\nqc.measure_all()\nc = qlab.run(qc, 'ionq-aria', shots=2000, seed=SEED)\n"
         "ratio_aria = sum(v * sum(k[-1 - i] != k[-1 - j] for i, j in EDGES) for k, v in c.items()) / 2000 / 5")

SUBMISSIONS = {
    # expectation values from SparsePauliOp-style bookkeeping; VQE with Nelder-Mead from a grid of
    # starts; QAOA with the cost layer as CNOT-RZ-CNOT
    "alt-1": {"answers": {
        "energy-function": (
            "def energy_from_counts(z_counts, x_counts):\n    def mean(counts, label):\n"
            "        total = sum(counts.values())\n        out = 0.0\n        for key, v in counts.items():\n"
            "            sign = 1\n            for q, letter in enumerate(reversed(label)):\n"
            "                if letter != 'I' and key[-1 - q] == '1':\n                    sign = -sign\n"
            "            out += sign * v / total\n        return out\n"
            "    e = H2['II']\n    for label in ('IZ', 'ZI', 'ZZ'):\n        e += H2[label] * mean(z_counts, label)\n"
            "    return e + H2['XX'] * mean(x_counts, 'ZZ')  # after the Hadamards, XX reads as ZZ"),
        "vqe-params": (
            "def energy(params):\n    return Statevector(ansatz(params)).expectation_value(HAMILTONIAN).real\n\n\n"
            "starts = [[a, b, 0.1, -0.1] for a in (-1.5, 1.5) for b in (-1.5, 1.5)]\n"
            "best = min((minimize(energy, s, method='Nelder-Mead', options={'xatol': 1e-6, 'fatol': 1e-9, 'maxiter': 2000})"
            " for s in starts), key=lambda r: r.fun)\nbest_params = best.x"),
        "qaoa-function": (
            "def qaoa_circuit(gamma, beta, edges, n):\n    qc = QuantumCircuit(n)\n    qc.h(range(n))\n"
            "    for i, j in edges:\n        qc.cx(i, j)\n        qc.rz(-gamma, j)\n        qc.cx(i, j)\n"
            "    for q in range(n):\n        qc.rx(2 * beta, q)\n    return qc\n\n\n" + RATIO),
    }},
    # bit order swapped; parameters of H2's ground state instead of the student's model; RZZ(+gamma)
    "wrong-1": {
        "answers": {
            "energy-function": (
                "def energy_from_counts(z_counts, x_counts):\n    def parity(counts, qubits):\n"
                "        shots = sum(counts.values())\n        return sum(v * (-1) ** sum(int(k[q]) for q in qubits) for k, v in counts.items()) / shots\n"
                "    return (H2['II'] + H2['IZ'] * parity(z_counts, [0]) + H2['ZI'] * parity(z_counts, [1])\n"
                "            + H2['ZZ'] * parity(z_counts, [0, 1]) + H2['XX'] * parity(x_counts, [0, 1]))"),
            "vqe-params": ("h2 = SparsePauliOp.from_list(list(H2.items()))\n\n\n"
                           "def energy(p):\n    return Statevector(ansatz(p)).expectation_value(h2).real\n\n\n"
                           "best_params = list(minimize(energy, [0.1, 0.2, 0.3, 0.4], method='COBYLA').x)"),
            "qaoa-function": ("def qaoa_circuit(gamma, beta, edges, n):\n    qc = QuantumCircuit(n)\n    qc.h(range(n))\n"
                              "    for i, j in edges:\n        qc.rzz(gamma, i, j)\n    qc.rx(2 * beta, range(n))\n    return qc\n\n\n"
                              + RATIO),
        },
        "points": {"energy": 0, "vqe-ground": 0, "qaoa-expectation": 0, "qaoa-aria": 0},
        "hints": ["graded.vqe.energy-order", "graded.vqe.qaoa-gamma-sign"],
    },
    # <XX> from the Z-basis counts; the starting point handed in; RX(beta); a number typed in
    "wrong-2": {
        "in_process": True,
        "answers": {
            "energy-function": (
                "def energy_from_counts(z_counts, x_counts):\n    def parity(counts, qubits):\n"
                "        shots = sum(counts.values())\n        return sum(v * (-1) ** sum(int(k[-1 - q]) for q in qubits) for k, v in counts.items()) / shots\n"
                "    return (H2['II'] + H2['IZ'] * parity(z_counts, [0]) + H2['ZI'] * parity(z_counts, [1])\n"
                "            + H2['ZZ'] * parity(z_counts, [0, 1]) + H2['XX'] * parity(z_counts, [0, 1]))"),
            "vqe-params": "best_params = [0.0, 0.0, 0.0, 0.0]",
            "qaoa-function": ("def qaoa_circuit(gamma, beta, edges, n):\n    qc = QuantumCircuit(n)\n    qc.h(range(n))\n"
                              "    for i, j in edges:\n        qc.rzz(-gamma, i, j)\n    qc.rx(beta, range(n))\n    return qc\n\n\n"
                              "ratio_aria = 0.81"),
        },
        "points": {"energy": 0, "vqe-ground": 0, "qaoa-expectation": 0, "qaoa-aria": 0},
        "hints": ["graded.vqe.energy-xx-from-z", "graded.vqe.vqe-high", "graded.vqe.qaoa-beta-half"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # numpy arrays for the parities; the ground state read off exact diagonalisation, then matched by a
    # single optimisation started near it; QAOA cost layer as RZZ with the constant phase kept
    {"answers": {
        "energy-function": (
            "def energy_from_counts(z_counts, x_counts):\n    def parities(counts):\n"
            "        keys = list(counts)\n        w = np.array([counts[k] for k in keys], dtype=float)\n        w /= w.sum()\n"
            "        b0 = np.array([int(k[-1]) for k in keys])\n        b1 = np.array([int(k[-2]) for k in keys])\n"
            "        return w @ (-1.0) ** b0, w @ (-1.0) ** b1, w @ (-1.0) ** (b0 + b1)\n"
            "    z0, z1, zz = parities(z_counts)\n    xx = parities(x_counts)[2]\n"
            "    return H2['II'] + H2['IZ'] * z0 + H2['ZI'] * z1 + H2['ZZ'] * zz + H2['XX'] * xx"),
        "vqe-params": (
            "matrix = HAMILTONIAN.to_matrix()\n\n\ndef energy(p):\n    psi = Statevector(ansatz(p)).data\n"
            "    return float(np.real(np.vdot(psi, matrix @ psi)))\n\n\n"
            "fits = [minimize(energy, x0, method='BFGS') for x0 in ([0.5, 0.5, 0.5, 0.5], [1.0, -1.0, 0.3, 2.0],"
            " [-2.0, 0.7, 1.1, -0.4])]\nbest_params = min(fits, key=lambda r: r.fun).x.tolist()"),
        "qaoa-function": (
            "def qaoa_circuit(gamma, beta, edges, n):\n    qc = QuantumCircuit(n)\n    for q in range(n):\n        qc.h(q)\n"
            "    for i, j in edges:\n        qc.rzz(-gamma, j, i)\n        qc.global_phase += -gamma / 2\n"
            "    qc.rx(2 * beta, list(range(n)))\n    return qc\n\n\n" + RATIO),
    }},
]

MISTAKES = [
    {"answers": {"energy-function": (
        "def energy_from_counts(z_counts, x_counts):\n    def parity(counts, qubits):\n"
        "        shots = sum(counts.values())\n        return sum(v * (-1) ** sum(int(k[-1 - q]) for q in qubits) for k, v in counts.items()) / shots\n"
        "    return (H2['IZ'] * parity(z_counts, [0]) + H2['ZI'] * parity(z_counts, [1])\n"
        "            + H2['ZZ'] * parity(z_counts, [0, 1]) + H2['XX'] * parity(x_counts, [0, 1]))")},
     "fails": {"energy": "graded.vqe.energy-no-identity"}},
    {"answers": {"qaoa-function": ("def qaoa_circuit(gamma, beta, edges, n):\n    qc = QuantumCircuit(n)\n    qc.h(range(n))\n"
                                   "    qc.rx(2 * beta, range(n))\n    for i, j in edges:\n        qc.rzz(-gamma, i, j)\n    return qc\n\n\n"
                                   + RATIO)},
     "fails": {"qaoa-expectation": "graded.vqe.qaoa-order", "qaoa-aria": "graded.vqe.ratio-low"}},
]
