"""lab-bell-ghz (lesson 3): Bell state, GHZ(n), P(equal bits) from amplitudes."""

LAB = "lab-bell-ghz"

SUBMISSIONS = {
    # identity gates and a final measurement change nothing: no rule about how the circuit is written
    "alt-1": {"answers": {
        "bell-circuit": "bell = QuantumCircuit(2)\nbell.h(0)\nbell.id(0)\nbell.id(1)\nbell.cx(0, 1)\nbell.measure_all()",
        "ghz-function": ("def ghz(n):\n    qc = QuantumCircuit(n)\n    qc.h(0)\n    for target in range(1, n):\n"
                         "        qc.cx(0, target)  # fan-out from qubit 0\n    return qc"),
        "bell-probability": ("def p_same(circuit):\n    probs = Statevector(circuit).probabilities_dict()\n"
                             "    return sum(p for bits, p in probs.items() if bits[0] == bits[1])"),
    }},
    # the shortcuts: a sign slip, GHZ written for 3 qubits only, p_same typed in
    "wrong-1": {
        "answers": {
            "bell-circuit": "bell = QuantumCircuit(2)\nbell.x(0)\nbell.h(0)\nbell.cx(0, 1)",
            "ghz-function": "def ghz(n):\n    qc = QuantumCircuit(3)\n    qc.h(0)\n    qc.cx(0, 1)\n    qc.cx(1, 2)\n    return qc",
            "bell-probability": "p_same = 1.0",
        },
        "points": {"bell-state": 0, "ghz-state": 0, "bell-probability-value": 0},  # bell-entangled: 1 of 1
        "hints": ["graded.bell-ghz.phi-minus", "graded.bell-ghz.ghz-width", "graded.not_callable"],
    },
    # reversed order, a CNOT chain one short, amplitudes added instead of squared
    "wrong-2": {
        "in_process": True,
        "answers": {
            "bell-circuit": "bell = QuantumCircuit(2)\nbell.cx(0, 1)\nbell.h(0)",
            "ghz-function": ("def ghz(n):\n    qc = QuantumCircuit(n)\n    qc.h(0)\n    for q in range(n - 2):\n"
                             "        qc.cx(q, q + 1)\n    return qc"),
            "bell-probability": ("def p_same(circuit):\n    a = Statevector(circuit).data\n"
                                 "    return float(abs(a[0]) + abs(a[3]))"),
        },
        "points": {"bell-state": 0, "bell-entangled": 0, "ghz-state": 0, "bell-probability-value": 0},
        "hints": ["graded.bell-ghz.cx-first", "graded.bell-ghz.ghz-short-chain", "graded.bell-ghz.p-not-squared"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # the Spark-native Bell pair (PRX and CZ) of lesson 4; a GHZ chain built from the top qubit down
    {"answers": {
        "bell-circuit": ("bell = QuantumCircuit(2)\nbell.r(np.pi / 2, np.pi / 2, 0)\nbell.r(-np.pi / 2, np.pi / 2, 1)\n"
                         "bell.cz(0, 1)\nbell.r(np.pi / 2, np.pi / 2, 1)"),
        "ghz-function": ("def ghz(n):\n    qc = QuantumCircuit(n)\n    qc.h(n - 1)\n    for q in range(n - 1, 0, -1):\n"
                         "        qc.cx(q, q - 1)\n    return qc"),
        "bell-probability": ("def p_same(circuit):\n    p = np.abs(Statevector(circuit).data) ** 2\n"
                             "    return p[0b00] + p[0b11]"),
    }},
]

MISTAKES = [
    {"answers": {"bell-circuit": "bell = QuantumCircuit(2)\nbell.h([0, 1])"},
     "fails": {"bell-state": "graded.bell-ghz.no-cx", "bell-entangled": "graded.bell-ghz.not-entangled"}},
    {"answers": {"bell-circuit": "bell = QuantumCircuit(2)\nbell.h(0)\nbell.cx(0, 1)\nbell.x(1)"},
     "fails": {"bell-state": "graded.bell-ghz.psi-plus"}},
    {"answers": {"ghz-function": ("def ghz(n):\n    qc = QuantumCircuit(n)\n    for q in range(n - 1):\n"
                                 "        qc.cx(q, q + 1)\n    return qc")},
     "fails": {"ghz-state": "graded.bell-ghz.ghz-no-h"}},
    {"answers": {"bell-probability": ("def p_same(circuit):\n    a = Statevector(circuit).data\n"
                                      "    return abs(a[1]) ** 2 + abs(a[2]) ** 2")},
     "fails": {"bell-probability-value": "graded.bell-ghz.p-different"}},
    {"answers": {"bell-probability": ("def p_same(circuit):\n    a = Statevector(circuit).data\n"
                                      "    return a[0].real ** 2 + a[3].real ** 2")},
     "fails": {"bell-probability-value": "graded.bell-ghz.p-real-part"}},
    {"answers": {"bell-probability": ("def p_same(circuit):\n    a = Statevector(circuit).data\n"
                                      "    return a[0] ** 2 + a[3] ** 2")},
     "fails": {"bell-probability-value": "graded.bell-ghz.p-complex"}},
    {"answers": {"bell-probability": ("def p_same(circuit):\n    qc = circuit.copy()\n    qc.measure_all()\n"
                                      "    c = qlab.run(qc, 'ideal', shots=4000, seed=1)\n"
                                      "    return (c.get('00', 0) + c.get('11', 0)) / 4000")},
     "fails": {"bell-probability-value": "graded.bell-ghz.p-sampled"}},
]
