"""lab-correlations-cirq (lesson 11, Cirq): a Bell pair measured along two axes, the CHSH value on three
devices, the CNOT copier's fidelity."""

LAB = "lab-correlations-cirq"

RUNS = ("S_devices = {}\nfor device in ('ideal', 'ionq-aria', 'iqm-spark'):\n"
        "    counts = {(x, y): qlab.run(chsh_circuit(ALICE[x], BOB[y]), device, shots=2000, seed=SEED + 2 * x + y)\n"
        "              for x in (0, 1) for y in (0, 1)}\n    S_devices[device] = chsh_value(counts)")

SUBMISSIONS = {
    # the axis turned with PhasedXPow-free gates: Y**(-alpha/pi) is RY(-alpha) up to a global phase;
    # separate measurement keys; S from a sign table; the copy fidelity from density matrices
    "alt-1": {"answers": {
        "circuit-function": ("def chsh_circuit(alpha, beta):\n    return cirq.Circuit(cirq.H(q0), cirq.CX(q0, q1),\n"
                             "                        (cirq.Y ** (-alpha / np.pi))(q0), (cirq.Y ** (-beta / np.pi))(q1),\n"
                             "                        cirq.measure(q0, key='a'), cirq.measure(q1, key='b'))"),
        "value-function": (
            "SIGN = {(0, 0): 1, (0, 1): 1, (1, 0): 1, (1, 1): -1}\n\n\ndef chsh_value(counts):\n    S = 0.0\n"
            "    for setting, c in counts.items():\n        total = sum(c.values())\n"
            "        same = sum(v for k, v in c.items() if k in ('00', '11'))\n"
            "        S += SIGN[setting] * (2 * same / total - 1)\n    return S\n\n\n" + RUNS),
        "clone-function": (
            "def copy_fidelity(prep):\n    psi = cirq.final_state_vector(prep, qubit_order=[q0])\n    target = np.kron(psi, psi)\n"
            "    rho = cirq.final_density_matrix(cirq.Circuit(prep, cirq.CNOT(q0, q1)), qubit_order=[q0, q1])\n"
            "    return float(np.real(target.conj() @ rho @ target))"),
    }},
    # RX instead of RY; all four correlators added; the overlap not squared
    "wrong-1": {
        "answers": {
            "circuit-function": ("def chsh_circuit(alpha, beta):\n    return cirq.Circuit(cirq.H(q0), cirq.CNOT(q0, q1), cirq.rx(-alpha)(q0),\n"
                                 "                        cirq.rx(-beta)(q1), cirq.measure(q0, q1, key='ab'))"),
            "value-function": (
                "def chsh_value(counts):\n    total = 0.0\n    for c in counts.values():\n        n = sum(c.values())\n"
                "        total += sum((1 if k[0] == k[1] else -1) * v for k, v in c.items()) / n\n    return total\n\n\n" + RUNS),
            "clone-function": (
                "def copy_fidelity(prep):\n    psi = cirq.final_state_vector(prep, qubit_order=[q0])\n"
                "    out = cirq.final_state_vector(cirq.Circuit(prep, cirq.CNOT(q0, q1)), qubit_order=[q0, q1])\n"
                "    return float(abs(np.vdot(np.kron(psi, psi), out)))"),
        },
        "points": {"chsh-circuit": 0, "chsh-value": 0, "chsh-devices": 0, "copy-fidelity": 0},
        "hints": ["graded.chsh.circuit-rx", "graded.chsh.value-all-plus", "graded.chsh.copy-not-squared"],
    },
    # half angles; P(same) for E; values typed in
    "wrong-2": {
        "in_process": True,
        "answers": {
            "circuit-function": ("def chsh_circuit(alpha, beta):\n    return cirq.Circuit(cirq.H(q0), cirq.CNOT(q0, q1), cirq.ry(-alpha / 2)(q0),\n"
                                 "                        cirq.ry(-beta / 2)(q1), cirq.measure(q0, q1, key='ab'))"),
            "value-function": (
                "def chsh_value(counts):\n    def p_same(c):\n        return sum(v for k, v in c.items() if k[0] == k[1]) / sum(c.values())\n"
                "    return p_same(counts[0, 0]) + p_same(counts[0, 1]) + p_same(counts[1, 0]) - p_same(counts[1, 1])\n\n\n"
                "S_devices = {'ideal': 2.83, 'ionq-aria': 2.75, 'iqm-spark': 2.3}"),
            "clone-function": "def copy_fidelity(prep):\n    return 0.5",
        },
        "points": {"chsh-circuit": 0, "chsh-value": 0, "chsh-devices": 0, "copy-fidelity": 0},
        "hints": ["graded.chsh.circuit-half-angle", "graded.chsh.value-probabilities"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # Bob's qubit prepared first (a Bell pair made with the CNOT the other way and H on q1); the
    # correlator from parities; the fidelity through Cirq's own helper
    {"answers": {
        "circuit-function": ("def chsh_circuit(alpha, beta):\n    c = cirq.Circuit(cirq.H(q1), cirq.CNOT(q1, q0))\n"
                             "    c.append([cirq.ry(-alpha).on(q0), cirq.ry(-beta).on(q1)])\n"
                             "    c.append(cirq.measure(q1, q0, key='m'))\n    return c"),
        "value-function": (
            "def chsh_value(counts):\n    def E(c):\n        n = sum(c.values())\n"
            "        return sum((-1) ** (int(k[0]) + int(k[1])) * v for k, v in c.items()) / n\n"
            "    return E(counts[(0, 0)]) + E(counts[(0, 1)]) + E(counts[(1, 0)]) - E(counts[(1, 1)])\n\n\n" + RUNS),
        "clone-function": (
            "def copy_fidelity(prep):\n    psi = cirq.final_state_vector(prep, qubit_order=[q0])\n"
            "    out = cirq.final_state_vector(prep + cirq.Circuit(cirq.CNOT(q0, q1)), qubit_order=[q0, q1])\n"
            "    return cirq.fidelity(np.kron(psi, psi), out, qid_shape=(2, 2))"),
    }},
]

MISTAKES = [
    {"answers": {"circuit-function": ("def chsh_circuit(alpha, beta):\n    return cirq.Circuit(cirq.ry(-alpha)(q0), cirq.ry(-beta)(q1),\n"
                                      "                        cirq.measure(q0, q1, key='ab'))")},
     "fails": {"chsh-circuit": "graded.chsh.circuit-no-pair", "chsh-devices": "graded.chsh.devices-ideal"}},
    {"answers": {"value-function": (
        "def chsh_value(counts):\n    def E(c):\n        return sum((1 if k[0] == k[1] else -1) * v for k, v in c.items()) / sum(c.values())\n"
        "    return E(counts[0, 0]) - E(counts[0, 1]) + E(counts[1, 0]) + E(counts[1, 1])\n\n\n" + RUNS)},
     "fails": {"chsh-value": "graded.chsh.value-wrong-minus", "chsh-devices": "graded.chsh.devices-ideal"}},
]
