"""lab-algorithms (lesson 6): Bernstein-Vazirani, a phase oracle, Grover for any iteration count,
Grover on ionq-aria and iqm-spark."""

LAB = "lab-algorithms"

DEVICE_RUN = ("p_marked = {}\nfor device in ('ionq-aria', 'iqm-spark'):\n"
              "    c = qlab.run(grover_circuit(phase_oracle(marked), 2), device, shots=1000, seed=SEED)\n"
              "    p_marked[device] = c.get(marked, 0) / 1000")

SUBMISSIONS = {
    # |-> prepared by X then H, the oracle appended as a gate; CCZ from Qiskit's library; Grover built
    # with Qiskit's grover_operator (the form the issue reported failing on iqm-spark)
    "alt-1": {"answers": {
        "bv-circuit": (
            "def bv_circuit(oracle, n):\n    qc = QuantumCircuit(n + 1, n)\n    qc.x(n)\n    qc.h(n)\n"
            "    for q in range(n):\n        qc.h(q)\n    qc.append(oracle.to_gate(), range(n + 1))\n"
            "    for q in range(n):\n        qc.h(q)\n        qc.measure(q, q)\n    return qc\n\n\n"
            "counts = qlab.run(bv_circuit(oracle, N_BITS), 'ideal', shots=50, seed=11)\n"
            "found = sorted(counts.items(), key=lambda kv: -kv[1])[0][0]"),
        "grover-functions": (
            "from qiskit.circuit.library import grover_operator\n\n\n"
            "def phase_oracle(item):\n    qc = QuantumCircuit(3)\n    flips = [q for q in range(3) if item[-1 - q] == '0']\n"
            "    for q in flips:\n        qc.x(q)\n    qc.ccz(0, 1, 2)\n    for q in flips:\n        qc.x(q)\n    return qc\n\n\n"
            "def grover_circuit(oracle, iterations):\n    qc = QuantumCircuit(3)\n    qc.h([0, 1, 2])\n"
            "    step = grover_operator(oracle)\n    for _ in range(iterations):\n        qc.compose(step, inplace=True)\n"
            "    return qc"),
        "grover-device": ("p_marked = {d: qlab.run(grover_circuit(phase_oracle(marked), 2), d, shots=1000, seed=SEED)"
                          ".get(marked, 0) / 1000\n            for d in ['ionq-aria', 'iqm-spark']}"),
    }},
    # the shortcuts: the secret copied from the set-up (and a circuit measuring backwards), the X-gate
    # "Grover" that prepares the marked item and ignores the oracle, an oracle reading the item
    # backwards, numbers typed in
    "wrong-1": {
        "answers": {
            "bv-circuit": (
                "def bv_circuit(oracle, n):\n    qc = QuantumCircuit(n + 1, n)\n    qc.x(n)\n    qc.h(range(n + 1))\n"
                "    qc.compose(oracle, inplace=True)\n    qc.h(range(n))\n    for k in range(n):\n"
                "        qc.measure(k, n - 1 - k)\n    return qc\n\n\nfound = params('bv-secret')['secret']"),
            "grover-functions": (
                "def phase_oracle(item):\n    qc = QuantumCircuit(3)\n    zeros = [q for q in range(3) if item[q] == '0']\n"
                "    if zeros:\n        qc.x(zeros)\n    qc.h(2)\n    qc.ccx(0, 1, 2)\n    qc.h(2)\n    if zeros:\n        qc.x(zeros)\n"
                "    return qc\n\n\n"
                "def grover_circuit(oracle, iterations):\n    qc = QuantumCircuit(3)\n"
                "    qc.x([q for q in range(3) if marked[-1 - q] == '1'])\n    return qc"),
            "grover-device": "p_marked = {'ionq-aria': 0.82, 'iqm-spark': 0.27}",
        },
        "points": {"bv-general": 0, "bv-on-device": 0, "grover-oracle": 0, "grover-iterations": 0,
                   "grover-devices": 0},
        "hints": ["graded.algorithms.bv-reversed", "graded.algorithms.oracle-reversed",
                  "graded.algorithms.grover-no-search", "graded.algorithms.device-derived"],
    },
    # the output qubit left in |0>, X gates on the 1-bits, a diffusion without its X gates, another seed
    "wrong-2": {
        "in_process": True,
        "answers": {
            "bv-circuit": (
                "def bv_circuit(oracle, n):\n    qc = QuantumCircuit(n + 1, n)\n    qc.h(range(n + 1))\n"
                "    qc.compose(oracle, inplace=True)\n    qc.h(range(n))\n    qc.measure(range(n), range(n))\n    return qc\n\n\n"
                "c = qlab.run(bv_circuit(oracle, N_BITS), 'ideal', shots=100, seed=1)\nfound = max(c, key=c.get)"),
            "grover-functions": (
                "def phase_oracle(item):\n    qc = QuantumCircuit(3)\n    ones = [q for q in range(3) if item[-1 - q] == '1']\n"
                "    if ones:\n        qc.x(ones)\n    qc.ccz(0, 1, 2)\n    if ones:\n        qc.x(ones)\n    return qc\n\n\n"
                "def grover_circuit(oracle, iterations):\n    qc = QuantumCircuit(3)\n    qc.h(range(3))\n"
                "    for _ in range(iterations):\n        qc.compose(oracle, inplace=True)\n        qc.h(range(3))\n"
                "        qc.ccz(0, 1, 2)\n        qc.h(range(3))\n    return qc"),
            "grover-device": DEVICE_RUN.replace("seed=SEED", "seed=7"),
        },
        "points": {"bv-found": 0, "bv-general": 0, "bv-on-device": 0, "grover-oracle": 0, "grover-iterations": 0,
                   "grover-devices": 0},
        "hints": ["graded.algorithms.bv-no-kickback", "graded.algorithms.oracle-complement", "graded.algorithms.grover-formula"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # |-> prepared as H then Z, a multi-controlled phase for the oracle and the diffusion, found read
    # from the only outcome of the ideal run
    {"answers": {
        "bv-circuit": (
            "def bv_circuit(oracle, n):\n    qc = QuantumCircuit(n + 1, n)\n    qc.h(range(n + 1))\n    qc.z(n)\n"
            "    qc.compose(oracle, inplace=True)\n    qc.h(range(n))\n    qc.measure(list(range(n)), list(range(n)))\n"
            "    return qc\n\n\nfound, = qlab.run(bv_circuit(oracle, N_BITS), 'ideal', shots=10, seed=2)"),
        "grover-functions": (
            "def phase_oracle(item):\n    qc = QuantumCircuit(3)\n    zeros = [q for q, bit in enumerate(reversed(item)) if bit == '0']\n"
            "    if zeros:\n        qc.x(zeros)\n    qc.mcp(np.pi, [0, 1], 2)\n    if zeros:\n        qc.x(zeros)\n    return qc\n\n\n"
            "def diffusion():\n    qc = QuantumCircuit(3)\n    qc.h(range(3))\n    qc.x(range(3))\n    qc.mcp(np.pi, [0, 1], 2)\n"
            "    qc.x(range(3))\n    qc.h(range(3))\n    return qc\n\n\n"
            "def grover_circuit(oracle, iterations):\n    qc = QuantumCircuit(3)\n    qc.h(range(3))\n"
            "    for _ in range(iterations):\n        qc = qc.compose(oracle).compose(diffusion())\n    return qc"),
        "grover-device": DEVICE_RUN,
    }},
]

MISTAKES = [
    # the secret read off the oracle's gates instead of querying it: the hidden oracles are opaque
    {"answers": {"bv-circuit": (
        "def bv_circuit(oracle, n):\n    qc = QuantumCircuit(n + 1, n)\n    for inst in oracle.data:\n"
        "        if inst.operation.name == 'cx':\n            qc.x(oracle.find_bit(inst.qubits[0]).index)\n"
        "    qc.measure(range(n), range(n))\n    return qc\n\n\nfound = params('bv-secret')['secret']")},
     "fails": {"bv-general": "graded.algorithms.bv-no-kickback"}},
    # the output qubit measured too
    {"answers": {"bv-circuit": (
        "def bv_circuit(oracle, n):\n    qc = QuantumCircuit(n + 1, n + 1)\n    qc.x(n)\n    qc.h(range(n + 1))\n"
        "    qc.compose(oracle, inplace=True)\n    qc.h(range(n))\n    qc.measure(range(n + 1), range(n + 1))\n"
        "    return qc\n\n\nc = qlab.run(bv_circuit(oracle, N_BITS), 'ideal', shots=100, seed=1)\nfound = max(c, key=c.get)")},
     "fails": {"bv-found": "graded.algorithms.bv-measured-output", "bv-general": "graded.algorithms.bv-measured-output",
               "bv-on-device": "graded.algorithms.bv-device"}},
    # a Toffoli without its Hadamards (a bit flip, not a phase); the device run then fails too
    {"answers": {"grover-functions": (
        "def phase_oracle(item):\n    qc = QuantumCircuit(3)\n    zeros = [q for q in range(3) if item[-1 - q] == '0']\n"
        "    if zeros:\n        qc.x(zeros)\n    qc.ccx(0, 1, 2)\n    if zeros:\n        qc.x(zeros)\n    return qc\n\n\n"
        "def grover_circuit(oracle, iterations):\n    qc = QuantumCircuit(3)\n    qc.h(range(3))\n    for _ in range(iterations):\n"
        "        qc.compose(oracle, inplace=True)\n        qc.h(range(3))\n        qc.x(range(3))\n        qc.ccz(0, 1, 2)\n"
        "        qc.x(range(3))\n        qc.h(range(3))\n    return qc")},
     "fails": {"grover-oracle": "graded.algorithms.oracle-bit-flip", "grover-devices": "graded.algorithms.device-aria-low"}},
    # no uniform superposition at the start
    {"answers": {"grover-functions": (
        "def phase_oracle(item):\n    qc = QuantumCircuit(3)\n    zeros = [q for q in range(3) if item[-1 - q] == '0']\n"
        "    if zeros:\n        qc.x(zeros)\n    qc.ccz(0, 1, 2)\n    if zeros:\n        qc.x(zeros)\n    return qc\n\n\n"
        "def grover_circuit(oracle, iterations):\n    qc = QuantumCircuit(3)\n    for _ in range(iterations):\n"
        "        qc.compose(oracle, inplace=True)\n        qc.h(range(3))\n        qc.x(range(3))\n        qc.ccz(0, 1, 2)\n"
        "        qc.x(range(3))\n        qc.h(range(3))\n    return qc")},
     "fails": {"grover-iterations": "graded.algorithms.grover-no-superposition", "grover-devices": None}},
    # counts instead of fractions
    {"answers": {"grover-device": DEVICE_RUN.replace("/ 1000", "")},
     "fails": {"grover-devices": "graded.algorithms.device-derived"}},
]
