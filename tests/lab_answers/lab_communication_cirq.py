"""lab-communication-cirq (lesson 9, Cirq): teleportation deferred and with feed-forward, a BB84 round, QBER."""

LAB = "lab-communication-cirq"

SUBMISSIONS = {
    # corrections in the other order (Z^m0 X^m1 differs only by a global phase); CX and CZ aliases;
    # the dynamic version with one measurement key per qubit written with cirq.M; BB84 with a list of
    # moments; QBER with numpy masks
    "alt-1": {"answers": {
        "deferred-circuit": ("teleport_deferred = cirq.Circuit([\n    cirq.H(q1), cirq.CX(q1, q2),\n    cirq.CX(q0, q1), cirq.H(q0),\n"
                             "    cirq.CZ(q0, q2), cirq.CX(q1, q2),\n])"),
        "dynamic-circuit": ("teleport_dynamic = cirq.Circuit(\n    cirq.H(q1), cirq.CNOT(q1, q2), cirq.CNOT(q0, q1), cirq.H(q0),\n"
                            "    cirq.M(q0, key='alice0'), cirq.M(q1, key='alice1'),\n"
                            "    cirq.Z(q2).with_classical_controls('alice0'),\n    cirq.X(q2).with_classical_controls('alice1'),\n)"),
        "bb84-functions": (
            "def bb84_round(bit, a_basis, b_basis):\n    c = cirq.Circuit()\n    if bit == 1:\n        c.append(cirq.X(q0))\n"
            "    if a_basis == 1:\n        c.append(cirq.H(q0))\n    if b_basis == 1:\n        c.append(cirq.H(q0))\n"
            "    c.append(cirq.measure(q0, key='bob'))\n    return c\n\n\n"
            "def qber(alice_bits, bob_bits, alice_bases, bob_bases):\n    a, b = np.array(alice_bits), np.array(bob_bits)\n"
            "    keep = np.array(alice_bases) == np.array(bob_bases)\n    return float(np.mean(a[keep] != b[keep]))"),
    }},
    # corrections controlled by the wrong qubits; the deferred circuit handed in as the dynamic one;
    # H before X in Alice's encoding; no sifting
    "wrong-1": {
        "answers": {
            "deferred-circuit": ("teleport_deferred = cirq.Circuit(cirq.H(q1), cirq.CNOT(q1, q2), cirq.CNOT(q0, q1), cirq.H(q0),\n"
                                 "                                 cirq.CNOT(q0, q2), cirq.CZ(q1, q2))"),
            "dynamic-circuit": ("teleport_dynamic = cirq.Circuit(cirq.H(q1), cirq.CNOT(q1, q2), cirq.CNOT(q0, q1), cirq.H(q0),\n"
                                "                                cirq.CNOT(q1, q2), cirq.CZ(q0, q2))"),
            "bb84-functions": (
                "def bb84_round(bit, a_basis, b_basis):\n    ops = []\n    if a_basis:\n        ops.append(cirq.H(q0))\n"
                "    if bit:\n        ops.append(cirq.X(q0))\n    if b_basis:\n        ops.append(cirq.H(q0))\n"
                "    return cirq.Circuit(ops, cirq.measure(q0, key='bob'))\n\n\n"
                "def qber(alice_bits, bob_bits, alice_bases, bob_bases):\n"
                "    return sum(a != b for a, b in zip(alice_bits, bob_bits)) / len(alice_bits)"),
        },
        "points": {"teleport-deferred": 0, "teleport-dynamic": 0, "bb84-round": 0, "qber-value": 0},
        "hints": ["graded.comm.tp-swapped-corrections", "graded.comm.dyn-feed-forward", "graded.comm.bb84-order"],
    },
    # no Z correction; the keys swapped in the dynamic version; Bob never rotates; the agreement rate
    "wrong-2": {
        "in_process": True,
        "answers": {
            "deferred-circuit": "teleport_deferred = cirq.Circuit(cirq.H(q1), cirq.CNOT(q1, q2), cirq.CNOT(q0, q1), cirq.H(q0), cirq.CNOT(q1, q2))",
            "dynamic-circuit": ("teleport_dynamic = cirq.Circuit(cirq.H(q1), cirq.CNOT(q1, q2), cirq.CNOT(q0, q1), cirq.H(q0),\n"
                                "    cirq.measure(q0, key='m0'), cirq.measure(q1, key='m1'),\n"
                                "    cirq.X(q2).with_classical_controls('m0'), cirq.Z(q2).with_classical_controls('m1'))"),
            "bb84-functions": (
                "def bb84_round(bit, a_basis, b_basis):\n    ops = [cirq.X(q0)] if bit else []\n    if a_basis:\n        ops.append(cirq.H(q0))\n"
                "    return cirq.Circuit(ops, cirq.measure(q0, key='bob'))\n\n\n"
                "def qber(alice_bits, bob_bits, alice_bases, bob_bases):\n"
                "    kept = [(a, b) for a, b, x, y in zip(alice_bits, bob_bits, alice_bases, bob_bases) if x == y]\n"
                "    return sum(a == b for a, b in kept) / len(kept)"),
        },
        "points": {"teleport-deferred": 0, "teleport-dynamic": 0, "bb84-round": 0, "qber-value": 0},
        "hints": ["graded.comm.tp-phase-lost", "graded.comm.dyn-wrong", "graded.comm.bb84-random", "graded.comm.qber-agreement"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # the CZ correction written as H-CNOT-H; Bob's X basis as RY(-pi/2); a generator-based QBER
    {"answers": {
        "deferred-circuit": ("teleport_deferred = cirq.Circuit(\n    cirq.H(q1), cirq.CNOT(q1, q2), cirq.CNOT(q0, q1), cirq.H(q0),\n"
                             "    cirq.CNOT(q1, q2), cirq.H(q2), cirq.CNOT(q0, q2), cirq.H(q2),\n)"),
        # mixed: the X correction deferred (a CNOT before measuring q1), the Z correction fed forward
        "dynamic-circuit": ("teleport_dynamic = cirq.Circuit(\n    cirq.H(q1), cirq.CNOT(q1, q2), cirq.CNOT(q0, q1), cirq.H(q0),\n"
                            "    cirq.CNOT(q1, q2), cirq.measure(q1, key='b'), cirq.measure(q0, key='a'),\n"
                            "    cirq.Z(q2).with_classical_controls('a'),\n)"),
        "bb84-functions": (
            "def bb84_round(bit, a_basis, b_basis):\n    ops = [cirq.X(q0)] * bit + [cirq.H(q0)] * a_basis\n"
            "    ops += [cirq.ry(-np.pi / 2)(q0)] * b_basis\n    return cirq.Circuit(ops + [cirq.measure(q0, key='bob')])\n\n\n"
            "def qber(alice_bits, bob_bits, alice_bases, bob_bases):\n    pairs = [(a, b) for a, b, x, y in zip(alice_bits, bob_bits, alice_bases, bob_bases) if x == y]\n"
            "    wrong = sum(1 for a, b in pairs if a != b)\n    return wrong / len(pairs)"),
    }},
]

MISTAKES = [
    {"answers": {"deferred-circuit": "teleport_deferred = cirq.Circuit(cirq.CNOT(q0, q1), cirq.H(q0), cirq.CNOT(q1, q2), cirq.CZ(q0, q2))"},
     "fails": {"teleport-deferred": "graded.comm.tp-phase-lost"}},
    {"answers": {"bb84-functions": (
        "def bb84_round(bit, a_basis, b_basis):\n    ops = [cirq.X(q0)] * bit + [cirq.H(q0)] * a_basis + [cirq.H(q0)] * b_basis\n"
        "    return cirq.Circuit(ops + [cirq.measure(q0, key='bob')])\n\n\n"
        "def qber(alice_bits, bob_bits, alice_bases, bob_bases):\n"
        "    kept = [(a, b) for a, b, x, y in zip(alice_bits, bob_bits, alice_bases, bob_bases) if x == y]\n"
        "    return sum(a != b for a, b in kept) / len(alice_bits)")},
     "fails": {"qber-value": "graded.comm.qber-wrong-denominator"}},
]
