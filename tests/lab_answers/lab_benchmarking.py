"""lab-benchmarking (lesson 8): GHZ fidelity of any prepared state, heavy-output probability, the QV rule."""

LAB = "lab-benchmarking"

DEVICES = ("\n\nF_devices = {}\nfor name in ['ionq-aria', 'iqm-spark']:\n"
           "    F_devices[name] = ghz_fidelity(ghz3, name, 1000, SEED)")

FIDELITY_POPULATIONS_ONLY = (
    "def ghz_fidelity(prep, device, shots, seed):\n    n = prep.num_qubits\n    qc = prep.copy()\n    qc.measure_all()\n"
    "    c = qlab.run(qc, device, shots=shots, seed=seed)\n    return (c.get('0' * n, 0) + c.get('1' * n, 0)) / shots")

SUBMISSIONS = {
    # the analysis axis turned with RY/RX-free gates: PRX(pi/2, phi + pi/2) maps cos(phi)X + sin(phi)Y onto Z
    "alt-1": {"answers": {
        "fidelity-function": (
            "def ghz_fidelity(prep, device, shots, seed):\n    n = prep.num_qubits\n\n"
            "    def run(circuit, s):\n        circuit = circuit.copy()\n        circuit.measure_all()\n"
            "        return qlab.run(circuit, device, shots=shots, seed=s)\n\n"
            "    c = run(prep, seed)\n    P = (c.get('0' * n, 0) + c.get('1' * n, 0)) / shots\n    C = 0.0\n"
            "    for k in range(n):\n        phi = k * np.pi / n\n        turned = prep.copy()\n"
            "        turned.r(np.pi / 2, phi - np.pi / 2, range(n))\n        counts = run(turned, seed + 1 + k)\n"
            "        C += (-1) ** k * sum(v if key.count('1') % 2 == 0 else -v for key, v in counts.items()) / shots\n"
            "    return (P + C / n) / 2" + DEVICES),
        "heavy-function": (
            "def heavy_output_probability(counts, p_ideal):\n    n = len(next(iter(p_ideal)))\n"
            "    full = np.zeros(2**n)\n    for key, p in p_ideal.items():\n        full[int(key, 2)] = p\n"
            "    heavy = full > np.median(full)\n    total = sum(counts.values())\n"
            "    return sum(v for key, v in counts.items() if heavy[int(key, 2)]) / total"),
        "qv-function": ("def qv_passes(hops):\n    N = len(hops)\n    h = sum(hops) / N\n"
                        "    return bool(h - 2 * (h * (1 - h) / N) ** 0.5 > 2 / 3)"),
    }},
    # the shortcuts: F from the populations only; median over the listed strings; no 2-sigma margin
    "wrong-1": {
        "answers": {
            "fidelity-function": FIDELITY_POPULATIONS_ONLY + DEVICES,
            "heavy-function": ("def heavy_output_probability(counts, p_ideal):\n    m = np.median(list(p_ideal.values()))\n"
                               "    return sum(v for k, v in counts.items() if p_ideal.get(k, 0) > m) / sum(counts.values())"),
            "qv-function": "def qv_passes(hops):\n    return bool(np.mean(hops) > 2 / 3)",
        },
        # on the devices P alone still lands in the physical bands: only the ideal-state tests see it
        "points": {"fidelity-ideal": 0, "heavy-output": 0, "qv-rule": 0},
        "hints": ["graded.bench.fid-populations-only", "graded.bench.heavy-missing-zeros", "graded.bench.qv-no-sigma"],
    },
    # the parity sign reversed; ties counted as heavy; sigma from the spread of the list; numbers typed in
    "wrong-2": {
        "in_process": True,
        "answers": {
            "fidelity-function": (
                "def ghz_fidelity(prep, device, shots, seed):\n    n = prep.num_qubits\n    qc = prep.copy()\n    qc.measure_all()\n"
                "    c = qlab.run(qc, device, shots=shots, seed=seed)\n    P = (c.get('0' * n, 0) + c.get('1' * n, 0)) / shots\n"
                "    C = 0\n    for k in range(n):\n        qc = prep.copy()\n        for j in range(n):\n"
                "            qc.rz(-k * np.pi / n, j)\n            qc.h(j)\n        qc.measure_all()\n"
                "        r = qlab.run(qc, device, shots=shots, seed=seed + 1 + k)\n"
                "        C += (-1) ** k * sum((-1) ** (key.count('1') + 1) * v for key, v in r.items()) / shots\n"
                "    return (P + C / n) / 2\n\n\nF_devices = {'ionq-aria': 0.97, 'iqm-spark': 0.8}"),
            "heavy-function": (
                "def heavy_output_probability(counts, p_ideal):\n    n = len(next(iter(p_ideal)))\n"
                "    probs = {format(i, f'0{n}b'): p_ideal.get(format(i, f'0{n}b'), 0.0) for i in range(2**n)}\n"
                "    m = np.median(list(probs.values()))\n"
                "    return sum(v for k, v in counts.items() if probs[k] >= m) / sum(counts.values())"),
            "qv-function": ("def qv_passes(hops):\n    h = np.mean(hops)\n"
                            "    return bool(h - 2 * np.std(hops, ddof=1) / np.sqrt(len(hops)) > 2 / 3)"),
        },
        "points": {"fidelity-ideal": 0, "fidelity-devices": 0, "heavy-output": 0, "qv-rule": 0},
        "hints": ["graded.bench.fid-parity-sign", "graded.bench.heavy-ties", "graded.bench.qv-spread"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # sdg-free rotation: RZ(-phi) then H, written per qubit with the phase gate p(-phi)
    {"answers": {
        "fidelity-function": (
            "def parity(counts):\n    return sum((1 - 2 * (key.count('1') % 2)) * v for key, v in counts.items()) / sum(counts.values())\n\n\n"
            "def ghz_fidelity(prep, device, shots, seed):\n    n = prep.num_qubits\n    base = prep.copy()\n    base.measure_all()\n"
            "    counts = qlab.run(base, device, shots=shots, seed=seed)\n    P = sum(counts.get(b * n, 0) for b in '01') / shots\n"
            "    parities = []\n    for k in range(n):\n        qc = prep.copy()\n        for q in range(n):\n"
            "            qc.p(-k * np.pi / n, q)\n            qc.h(q)\n        qc.measure_all()\n"
            "        parities.append((-1) ** k * parity(qlab.run(qc, device, shots=shots, seed=seed + 1 + k)))\n"
            "    return 0.5 * (P + np.mean(parities))" + DEVICES),
        "heavy-function": (
            "def heavy_output_probability(counts, p_ideal):\n    n = len(list(p_ideal)[0])\n"
            "    values = sorted(p_ideal.get(format(i, f'0{n}b'), 0) for i in range(2**n))\n"
            "    m = (values[len(values) // 2 - 1] + values[len(values) // 2]) / 2\n"
            "    hits = sum(c for key, c in counts.items() if p_ideal.get(key, 0) > m)\n    return hits / sum(counts.values())"),
        "qv-function": ("def qv_passes(hops):\n    h = np.mean(hops)\n    return bool(h - 2 * np.sqrt(h * (1 - h) / len(hops)) > 2 / 3)"),
    }},
]

MISTAKES = [
    # another seed for the device runs
    {"answers": {"fidelity-function": SUBMISSIONS["alt-1"]["answers"]["fidelity-function"].replace(", SEED)", ", 1)")},
     "fails": {"fidelity-devices": "graded.bench.fid-derived"}},
    {"answers": {"heavy-function": (
        "def heavy_output_probability(counts, p_ideal):\n    n = len(next(iter(p_ideal)))\n"
        "    probs = [p_ideal.get(format(i, f'0{n}b'), 0.0) for i in range(2**n)]\n    m = np.median(probs)\n"
        "    return sum(v for k, v in counts.items() if p_ideal.get(k, 0) > m)")},
     "fails": {"heavy-output": "graded.bench.heavy-not-fraction"}},
]
