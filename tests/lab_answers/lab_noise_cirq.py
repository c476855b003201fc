"""lab-noise-cirq (lesson 5, Cirq): GHZ-3 on Spark's hub, its population from counts, readout mitigation."""

LAB = "lab-noise-cirq"

SUBMISSIONS = {
    # CZ with Hadamards instead of CNOT, measured at the end; a Counter-based population; mitigation by
    # inverting each 2x2 matrix and applying them qubit by qubit
    "alt-1": {"answers": {
        "ghz3-circuit": ("ghz3 = cirq.Circuit(\n    cirq.H(q[2]),\n    cirq.H(q[0]), cirq.CZ(q[2], q[0]), cirq.H(q[0]),\n"
                         "    cirq.H(q[1]), cirq.CZ(q[1], q[2]), cirq.H(q[1]),\n    cirq.measure(*q, key='m'),\n)"),
        "population": (
            "def ghz_population(dist):\n    n = len(next(iter(dist)))\n    good = 0\n    for key, value in dist.items():\n"
            "        if key in ('0' * n, '1' * n):\n            good += value\n    return good / sum(dist.values())\n\n\n"
            "counts = qlab.run(ghz3, DEVICE, shots=SHOTS, seed=SEED)\nF_raw = ghz_population(counts)"),
        "mitigation": (
            "def mitigate(counts, errors):\n    n = len(errors)\n    total = sum(counts.values())\n"
            "    p = np.zeros((2,) * n)\n    for key, c in counts.items():\n        p[tuple(int(b) for b in key)] = c / total\n"
            "    for k, e in enumerate(errors):  # axis n-1-k of the array is qubit k\n"
            "        inverse = np.linalg.inv(np.array([[1 - e, e], [e, 1 - e]]))\n"
            "        p = np.moveaxis(np.tensordot(inverse, p, axes=([1], [n - 1 - k])), 0, n - 1 - k)\n"
            "    return {''.join(map(str, idx)): float(p[idx]) for idx in np.ndindex(*p.shape)}\n\n\n"
            "F_mitigated = ghz_population(mitigate(counts, READOUT))"),
    }},
    # the shortcut: a chain q0 -> q1 -> q2 (the right state, the wrong pairs for Spark); keys
    # hard-coded for 3 qubits; Kronecker factors in the reversed order
    "wrong-1": {
        "answers": {
            "ghz3-circuit": "ghz3 = cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[1], q[2]))",
            "population": ("def ghz_population(dist):\n    return (dist.get('000', 0) + dist.get('111', 0)) / sum(dist.values())\n\n\n"
                           "counts = qlab.run(ghz3, DEVICE, shots=SHOTS, seed=SEED)\nF_raw = ghz_population(counts)"),
            "mitigation": (
                "def mitigate(counts, errors):\n    n = len(errors)\n    shots = sum(counts.values())\n    p = np.zeros(2**n)\n"
                "    for key, c in counts.items():\n        p[int(key, 2)] = c / shots\n    M = np.array([[1.0]])\n"
                "    for e in errors:\n        M = np.kron(M, [[1 - e, e], [e, 1 - e]])\n"
                "    return {format(i, f'0{n}b'): float(x) for i, x in enumerate(np.linalg.solve(M, p))}\n\n\n"
                "F_mitigated = ghz_population(mitigate(counts, READOUT))"),
        },
        # the chain's state is right and its run is the student's own: only the hub rule, the 4-qubit
        # population and the exact mitigation fail
        "points": {"ghz3-hub": 0, "population-function": 0, "mitigate-exact": 0},
        "hints": ["graded.noise.hub-off", "graded.noise.pop-three-only", "graded.noise.mit-kron-order"],
    },
    # H on a leaf, KeyError on a missing key, another seed, the measured distribution returned as it is
    "wrong-2": {
        "in_process": True,
        "answers": {
            "ghz3-circuit": "ghz3 = cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[2], q[0]), cirq.CNOT(q[2], q[1]))",
            "population": ("def ghz_population(dist):\n    n = len(next(iter(dist)))\n"
                           "    return (dist['0' * n] + dist['1' * n]) / sum(dist.values())\n\n\n"
                           "counts = qlab.run(ghz3, DEVICE, shots=SHOTS, seed=7)\nF_raw = ghz_population(counts)"),
            "mitigation": ("def mitigate(counts, errors):\n    n = len(errors)\n    total = sum(counts.values())\n"
                           "    return {format(i, f'0{n}b'): counts.get(format(i, f'0{n}b'), 0) / total for i in range(2**n)}\n\n\n"
                           "F_mitigated = ghz_population(mitigate(counts, READOUT))"),
        },
        "points": {"ghz3-state": 0, "population-function": 0, "population-run": 0, "mitigate-exact": 0,
                   "mitigation-improves": 0},
        "hints": ["graded.noise.ghz-h-not-on-control", "graded.noise.pop-missing-key", "graded.noise.mit-unchanged"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # the CNOTs in the other order, written with cirq.CX; population from probabilities; the full
    # confusion matrix built element by element
    {"answers": {
        "ghz3-circuit": "ghz3 = cirq.Circuit([cirq.H(q[2]), cirq.CX(q[2], q[1]), cirq.CX(q[2], q[0])])",
        "population": (
            "def ghz_population(dist):\n    n = len(list(dist)[0])\n    total = float(sum(dist.values()))\n"
            "    return sum(dist.get(b * n, 0) for b in '01') / total\n\n\n"
            "counts = qlab.run(ghz3, DEVICE, shots=SHOTS, seed=SEED)\n"
            "F_raw = ghz_population({k: v / SHOTS for k, v in counts.items()})"),
        "mitigation": (
            "def mitigate(counts, errors):\n    n = len(errors)\n    keys = [format(i, f'0{n}b') for i in range(2**n)]\n"
            "    total = sum(counts.values())\n    p = np.array([counts.get(k, 0) / total for k in keys])\n"
            "    M = np.ones((2**n, 2**n))\n    for i, read in enumerate(keys):\n        for j, true in enumerate(keys):\n"
            "            for k, e in enumerate(errors):\n                same = read[-1 - k] == true[-1 - k]\n"
            "                M[i, j] *= (1 - e) if same else e\n"
            "    return dict(zip(keys, np.linalg.inv(M) @ p))\n\n\n"
            "F_mitigated = ghz_population(mitigate(counts, READOUT))"),
    }},
]

MISTAKES = [
    {"answers": {"ghz3-circuit": "ghz3 = cirq.Circuit(cirq.H(q[2]), cirq.CNOT(q[0], q[2]), cirq.CNOT(q[1], q[2]))"},
     "fails": {"ghz3-state": "graded.noise.ghz-cnots-not-from-h", "population-run": "graded.noise.run-band",
               "mitigation-improves": None}},
    {"answers": {"ghz3-circuit": ("ghz3 = cirq.Circuit(cirq.H(q[2]), cirq.CNOT(q[2], q[0]), cirq.CNOT(q[2], q[1]),\n"
                                  "                    cirq.SWAP(q[0], q[2]), cirq.SWAP(q[0], q[2]))")},
     "fails": {"ghz3-hub": "graded.noise.hub-count"}},
    # only the bit strings that occurred come back
    {"answers": {"mitigation": (
        "def mitigate(counts, errors):\n    n = len(errors)\n    shots = sum(counts.values())\n    p = np.zeros(2**n)\n"
        "    for key, c in counts.items():\n        p[int(key, 2)] = c / shots\n    M = np.array([[1.0]])\n"
        "    for e in errors:\n        M = np.kron([[1 - e, e], [e, 1 - e]], M)\n    p_true = np.linalg.solve(M, p)\n"
        "    return {key: float(p_true[int(key, 2)]) for key in counts}\n\n\n"
        "F_mitigated = ghz_population(mitigate(counts, READOUT))")},
     "fails": {"mitigate-no-error": "graded.noise.mit-keys"}},
    # counts instead of probabilities
    {"answers": {"mitigation": (
        "def mitigate(counts, errors):\n    n = len(errors)\n    p = np.zeros(2**n)\n"
        "    for key, c in counts.items():\n        p[int(key, 2)] = c\n    M = np.array([[1.0]])\n"
        "    for e in errors:\n        M = np.kron([[1 - e, e], [e, 1 - e]], M)\n    p_true = np.linalg.solve(M, p)\n"
        "    return {format(i, f'0{n}b'): float(x) for i, x in enumerate(p_true)}\n\n\n"
        "F_mitigated = ghz_population(mitigate(counts, READOUT))")},
     "fails": {"mitigate-no-error": None, "mitigate-exact": "graded.noise.mit-wrong"}},
    {"answers": {"mitigation": (
        "def mitigate(counts, errors):\n    n = len(errors)\n    shots = sum(counts.values())\n"
        "    return {format(i, f'0{n}b'): counts.get(format(i, f'0{n}b'), 0) / shots for i in range(2**n)}\n\n\n"
        "F_mitigated = F_raw + 0.01")},
     "fails": {"mitigate-exact": "graded.noise.mit-unchanged", "mitigation-improves": None}},
]
