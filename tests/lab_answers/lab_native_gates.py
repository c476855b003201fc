"""lab-native-gates (lesson 4): H in IonQ natives, CNOT in Spark natives, GHZ with no SWAP on the star."""

LAB = "lab-native-gates"

RUNS = ("populations = {}\nfor label, circuit in (('chain', ghz_chain(5)), ('star', ghz_star(5))):\n"
        "    c = qlab.run(circuit, 'iqm-spark', shots=4000, seed=SEED)\n"
        "    populations[label] = (c.get('00000', 0) + c.get('11111', 0)) / 4000")

SUBMISSIONS = {
    # X first, then RY(-pi/2); the CNOT from the textbook identity written with variables; a fan-out
    # from qubit 0, which the compiler places on the hub
    "alt-1": {"answers": {
        "h-ionq-circuit": "h_ionq = QuantumCircuit(1)\nh_ionq.append(GPIGate(0), [0])\nh_ionq.append(GPI2Gate(0.75), [0])",
        "cnot-function": (
            "def cnot_spark(control, target):\n    qc = QuantumCircuit(5)\n    quarter = np.pi / 2\n"
            "    qc.r(quarter, -np.pi / 2, target)  # RY(-pi/2) written as a rotation about -Y\n"
            "    qc.cz(target, control)  # CZ is symmetric\n    qc.r(quarter, np.pi / 2, target)\n    return qc"),
        "star-function": ("def ghz_star(n):\n    qc = QuantumCircuit(n)\n    qc.h(0)\n    for k in range(1, n):\n"
                          "        qc.cx(0, k)\n    return qc\n\n\n" + RUNS),
    }},
    # the shortcuts: a plain Qiskit h (not native), the rotations on the control, the chain of the set-up
    "wrong-1": {
        "answers": {
            "h-ionq-circuit": "h_ionq = QuantumCircuit(1)\nh_ionq.h(0)",
            "cnot-function": ("def cnot_spark(control, target):\n    qc = QuantumCircuit(5)\n    qc.r(-np.pi / 2, np.pi / 2, control)\n"
                              "    qc.cz(control, target)\n    qc.r(np.pi / 2, np.pi / 2, control)\n    return qc"),
            "star-function": "def ghz_star(n):\n    return ghz_chain(n)\n\n\n" + RUNS,
        },
        "points": {"h-ionq": 0, "cnot-spark": 0, "ghz-star": 0, "star-gain": 0},
        "hints": ["graded.native.h-not-native", "graded.native.cnot-reversed", "graded.native.star-chain"],
    },
    # radians instead of turns, the rotation signs swapped, populations typed in
    "wrong-2": {
        "in_process": True,
        "answers": {
            "h-ionq-circuit": "h_ionq = QuantumCircuit(1)\nh_ionq.append(GPI2Gate(np.pi / 2), [0])\nh_ionq.append(GPIGate(0), [0])",
            "cnot-function": ("def cnot_spark(control, target):\n    qc = QuantumCircuit(5)\n    qc.r(np.pi / 2, np.pi / 2, target)\n"
                              "    qc.cz(control, target)\n    qc.r(-np.pi / 2, np.pi / 2, target)\n    return qc"),
            "star-function": ("def ghz_star(n):\n    qc = QuantumCircuit(n)\n    qc.h(0)\n    for k in range(1, n):\n"
                              "        qc.cx(0, k)\n    return qc\n\n\npopulations = {'chain': 0.70, 'star': 0.76}"),
        },
        "points": {"h-ionq": 0, "cnot-spark": 0, "star-gain": 0},
        "hints": ["graded.native.h-radians", "graded.native.cnot-sign", "graded.native.pop-derived"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # RY(pi/2) then GPI(0.5) (= -X); the same CNOT with extra identity rotations; an explicit hub
    {"answers": {
        "h-ionq-circuit": "h_ionq = QuantumCircuit(1)\nfor gate in (GPI2Gate(0.25), GPIGate(0.5)):\n    h_ionq.append(gate, [0])",
        "cnot-function": (
            "def cnot_spark(control, target):\n    qc = QuantumCircuit(5)\n    qc.r(2 * np.pi, 0, control)\n"
            "    qc.r(-np.pi / 2, np.pi / 2, target)\n    qc.cz(control, target)\n    qc.r(np.pi / 2, np.pi / 2, target)\n"
            "    return qc"),
        "star-function": ("def ghz_star(n):\n    qc = QuantumCircuit(n)\n    hub = min(2, n - 1)\n    qc.h(hub)\n"
                          "    for k in sorted(set(range(n)) - {hub}):\n        qc.cx(hub, k)\n    return qc\n\n\n" + RUNS),
    }},
]

MISTAKES = [
    {"answers": {"h-ionq-circuit": "h_ionq = QuantumCircuit(1)\nh_ionq.append(GPIGate(0), [0])\nh_ionq.append(GPI2Gate(0.25), [0])"},
     "fails": {"h-ionq": "graded.native.h-order"}},
    {"answers": {"cnot-function": ("def cnot_spark(control, target):\n    qc = QuantumCircuit(5)\n    qc.h(target)\n"
                                   "    qc.cz(control, target)\n    qc.h(target)\n    return qc")},
     "fails": {"cnot-spark": "graded.native.cnot-not-native"}},
    # control and target swapped in the fan-out: the state is wrong (and the populations too)
    {"answers": {"star-function": ("def ghz_star(n):\n    qc = QuantumCircuit(n)\n    qc.h(0)\n    for k in range(1, n):\n"
                                   "        qc.cx(k, 0)\n    return qc\n\n\n" + RUNS)},
     "fails": {"ghz-star": "graded.native.star-state", "star-gain": "graded.native.pop-gain"}},
]
