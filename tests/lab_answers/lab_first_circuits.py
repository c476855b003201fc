"""lab-first-circuits (lesson 1): a device's coupled partners, a circuit spelling a bit string, an
anti-correlated pair on ideal and iqm-spark."""

LAB = "lab-first-circuits"

SUBMISSIONS = {
    # partners from a loop; bits by reversing the string; Psi- (H on qubit 1, X first)
    "alt-1": {"answers": {
        "partners-function": (
            "def partners(name, qubit):\n    found = []\n    for a, b in qlab.device(name).coupled_pairs:\n"
            "        if a == qubit:\n            found.append(b)\n        elif b == qubit:\n            found.append(a)\n"
            "    return sorted(found)"),
        "spell-function": (
            "def spell(bits):\n    qc = QuantumCircuit(len(bits))\n    for q, bit in enumerate(reversed(bits)):\n"
            "        if bit == '1':\n            qc.x(q)\n    qc.measure_all()\n    return qc"),
        "anti-circuit": ("anti = QuantumCircuit(2)\nanti.x(0)\nanti.h(1)\nanti.cx(1, 0)\n\n"
                         "c = qlab.run(anti, 'iqm-spark', shots=2000, seed=SEED)\n"
                         "p_differ = sum(v for k, v in c.items() if k[0] != k[1]) / sum(c.values())"),
    }},
    # pairs searched on one side only; the string spelled left to right; the Bell pair of lesson 1 and
    # a number typed in
    "wrong-1": {
        "answers": {
            "partners-function": ("def partners(name, qubit):\n"
                                  "    return sorted(b for a, b in qlab.device(name).coupled_pairs if a == qubit)"),
            "spell-function": ("def spell(bits):\n    qc = QuantumCircuit(len(bits))\n    for q in range(len(bits)):\n"
                               "        if bits[q] == '1':\n            qc.x(q)\n    return qc"),
            "anti-circuit": "anti = QuantumCircuit(2)\nanti.h(0)\nanti.cx(0, 1)\np_differ = 0.9",
        },
        "points": {"partners": 0, "spell-bits": 0, "anti-state": 0, "anti-spark": 0},
        "hints": ["graded.first.partners-one-side", "graded.first.spell-reversed", "graded.first.anti-bell"],
    },
    # the qubit itself included; X on the 0-bits; no coin flip; the ideal device instead of Spark
    "wrong-2": {
        "in_process": True,
        "answers": {
            "partners-function": ("def partners(name, qubit):\n"
                                  "    return sorted({x for pair in qlab.device(name).coupled_pairs if qubit in pair for x in pair})"),
            "spell-function": ("def spell(bits):\n    qc = QuantumCircuit(len(bits))\n    for q in range(len(bits)):\n"
                               "        if bits[-1 - q] == '0':\n            qc.x(q)\n    return qc"),
            "anti-circuit": ("anti = QuantumCircuit(2)\nanti.x(0)\n"
                             "c = qlab.run(anti, 'ideal', shots=2000, seed=SEED)\np_differ = (c.get('01', 0) + c.get('10', 0)) / 2000"),
        },
        "points": {"partners": 0, "spell-bits": 0, "anti-state": 0, "anti-spark": 0},
        "hints": ["graded.first.partners-self", "graded.first.spell-complement", "graded.first.anti-no-superposition"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # partners with a set comprehension over both orders; bits with an index loop; X on both then a
    # Bell pair with a CNOT the other way round
    {"answers": {
        "partners-function": (
            "def partners(name, qubit):\n    pairs = qlab.device(name).coupled_pairs\n"
            "    return sorted({b for a, b in pairs if a == qubit} | {a for a, b in pairs if b == qubit})"),
        "spell-function": (
            "def spell(bits):\n    n = len(bits)\n    qc = QuantumCircuit(n)\n    for i, bit in enumerate(bits):\n"
            "        if bit == '1':\n            qc.x(n - 1 - i)\n    return qc"),
        "anti-circuit": ("anti = QuantumCircuit(2)\nanti.h(0)\nanti.x(1)\nanti.cx(0, 1)\n\n"
                         "spark = qlab.run(anti, 'iqm-spark', shots=2000, seed=SEED)\n"
                         "p_differ = (spark.get('01', 0) + spark.get('10', 0)) / 2000"),
    }},
]

MISTAKES = [
    {"answers": {"spell-function": "def spell(bits):\n    qc = QuantumCircuit(len(bits))\n    qc.h(range(len(bits)))\n    return qc"},
     "fails": {"spell-bits": "graded.first.spell-random"}},
    {"answers": {"anti-circuit": ("anti = QuantumCircuit(2)\nanti.h([0, 1])\n"
                                  "c = qlab.run(anti, 'iqm-spark', shots=2000, seed=SEED)\n"
                                  "p_differ = (c.get('01', 0) + c.get('10', 0)) / 2000")},
     "fails": {"anti-state": "graded.first.anti-not-entangled", "anti-spark": "graded.first.anti-band"}},
]
