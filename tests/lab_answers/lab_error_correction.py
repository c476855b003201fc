"""lab-error-correction (lesson 12): the three-qubit codes, a mid-circuit syndrome, its decoding, the
logical error rate in theory, on the ideal device and on iqm-spark."""

LAB = "lab-error-correction"

SUBMISSIONS = {
    # a CNOT chain 0 -> 1 -> 2; the phase code with RY(pi/2)-style rotations written as H; the syndrome
    # parities computed with the ancilla as control of nothing (CNOTs onto it, in another order);
    # decoding by arithmetic; binomial sums
    "alt-1": {"answers": {
        "encoders": ("bit_flip_encoder = QuantumCircuit(3)\nbit_flip_encoder.cx(0, 1)\nbit_flip_encoder.cx(1, 2)\n"
                     "phase_flip_encoder = bit_flip_encoder.copy()\nfor q in range(3):\n    phase_flip_encoder.h(q)"),
        "syndrome-circuit": ("syndrome_block = QuantumCircuit(5, 2)\nfor data, ancilla in ((1, 3), (0, 3), (2, 4), (1, 4)):\n"
                             "    syndrome_block.cx(data, ancilla)\nsyndrome_block.measure([3, 4], [0, 1])"),
        "correct-function": ("def correction_for(syndrome):\n    s1, s0 = int(syndrome[0]), int(syndrome[1])\n"
                             "    if s0 and s1:\n        return 1\n    if s0:\n        return 0\n    if s1:\n        return 2\n    return None"),
        "rate-functions": (
            "from math import comb\n\n\ndef logical_error_rate(p):\n    return sum(comb(3, k) * p**k * (1 - p) ** (3 - k) for k in (2, 3))\n\n\n"
            "def memory_error(encoded, eps, device, shots, seed):\n    qubits = [0, 1, 2] if encoded else [0]\n"
            "    qc = QuantumCircuit(len(qubits), len(qubits))\n    qc.x(0)\n    for q in qubits[1:]:\n        qc.cx(0, q)\n"
            "    for q in qubits:\n        qc.rx(eps, q)\n    qc.measure(qubits, qubits)\n"
            "    counts = qlab.run(qc, device, shots=shots, seed=seed)\n"
            "    wrong = sum(v for k, v in counts.items() if k.count('0') > len(qubits) / 2)\n    return wrong / shots"),
    }},
    # one CNOT only; the phase code without its Hadamards; data measured directly; the table reversed;
    # 3 p^2; 'any flip' as failure
    "wrong-1": {
        "answers": {
            "encoders": ("bit_flip_encoder = QuantumCircuit(3)\nbit_flip_encoder.cx(0, 1)\n"
                         "phase_flip_encoder = QuantumCircuit(3)\nphase_flip_encoder.cx(0, 1)\nphase_flip_encoder.cx(0, 2)"),
            "syndrome-circuit": ("syndrome_block = QuantumCircuit(5, 2)\nsyndrome_block.cx(0, 3)\nsyndrome_block.cx(2, 3)\n"
                                 "syndrome_block.cx(1, 4)\nsyndrome_block.cx(2, 4)\nsyndrome_block.measure([3, 4], [0, 1])"),
            "correct-function": "def correction_for(syndrome):\n    return {'00': None, '10': 0, '11': 1, '01': 2}[syndrome]",
            "rate-functions": (
                "def logical_error_rate(p):\n    return 3 * p**2\n\n\n"
                "def memory_error(encoded, eps, device, shots, seed):\n    n = 3 if encoded else 1\n    qc = QuantumCircuit(n)\n"
                "    qc.x(0)\n    for q in range(1, n):\n        qc.cx(0, q)\n    qc.rx(eps, range(n))\n    qc.measure_all()\n"
                "    counts = qlab.run(qc, device, shots=shots, seed=seed)\n"
                "    return sum(v for k, v in counts.items() if '0' in k) / shots"),
        },
        "points": {"encode-bit": 0, "encode-phase": 0, "syndrome": 0, "correction": 0, "logical-rate": 0, "memory": 0},
        "hints": ["graded.qec.bit-one-cnot", "graded.qec.phase-no-h", "graded.qec.syn-wrong-pair", "graded.qec.corr-reversed",
                  "graded.qec.rate-approx", "graded.qec.mem-any-flip"],
    },
    # the phase code with its H first; the syndrome measured on the data qubits; no None; three flips
    # forgotten; the encoding forgotten
    "wrong-2": {
        "in_process": True,
        "answers": {
            "encoders": ("bit_flip_encoder = QuantumCircuit(3)\nbit_flip_encoder.cx(0, 1)\nbit_flip_encoder.cx(0, 2)\n"
                         "phase_flip_encoder = QuantumCircuit(3)\nphase_flip_encoder.h(0)\nphase_flip_encoder.cx(0, 1)\n"
                         "phase_flip_encoder.cx(0, 2)"),
            "syndrome-circuit": ("syndrome_block = QuantumCircuit(5, 2)\nsyndrome_block.cx(0, 1)\nsyndrome_block.cx(1, 2)\n"
                                 "syndrome_block.measure(1, 0)\nsyndrome_block.measure(2, 1)\nsyndrome_block.cx(1, 2)\n"
                                 "syndrome_block.cx(0, 1)\nsyndrome_block.cx(1, 3)\nsyndrome_block.cx(2, 4)"),
            "correct-function": "def correction_for(syndrome):\n    return {'00': -1, '01': 0, '11': 1, '10': 2}[syndrome]",
            "rate-functions": (
                "def logical_error_rate(p):\n    return 3 * p**2 * (1 - p)\n\n\n"
                "def memory_error(encoded, eps, device, shots, seed):\n    n = 3 if encoded else 1\n    qc = QuantumCircuit(n)\n"
                "    qc.x(0)\n    qc.rx(eps, range(n))\n    qc.measure_all()\n"
                "    counts = qlab.run(qc, device, shots=shots, seed=seed)\n"
                "    return sum(v for k, v in counts.items() if 2 * k.count('1') < n) / shots"),
        },
        "points": {"encode-phase": 0, "syndrome": 0, "correction": 0, "logical-rate": 0, "memory": 0},
        "hints": ["graded.qec.phase-h-first", "graded.qec.corr-none", "graded.qec.rate-no-triple", "graded.qec.mem-not-encoded"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # the phase code's H written as Z then RY(pi/2) (equal to H); the syndrome with
    # one CNOT per parity through an intermediate ancilla copy; a dict for decoding; the closed form
    {"answers": {
        "encoders": ("bit_flip_encoder = QuantumCircuit(3)\nbit_flip_encoder.cx(0, [1, 2])\n"
                     "phase_flip_encoder = QuantumCircuit(3)\nphase_flip_encoder.cx(0, [1, 2])\n"
                     "phase_flip_encoder.z([0, 1, 2])\nphase_flip_encoder.ry(np.pi / 2, [0, 1, 2])"),
        "syndrome-circuit": ("syndrome_block = QuantumCircuit(5, 2)\nsyndrome_block.cx(0, 3)\nsyndrome_block.cx(1, 3)\n"
                             "syndrome_block.measure(3, 0)\nsyndrome_block.cx(1, 4)\nsyndrome_block.cx(2, 4)\nsyndrome_block.measure(4, 1)"),
        "correct-function": "FLIP = {'01': 0, '11': 1, '10': 2}\n\n\ndef correction_for(syndrome):\n    return FLIP.get(syndrome)",
        "rate-functions": (
            "def logical_error_rate(p):\n    return 3 * p**2 - 2 * p**3\n\n\n"
            "def memory_error(encoded, eps, device, shots, seed):\n    n = 3 if encoded else 1\n    qc = QuantumCircuit(n)\n"
            "    qc.x(0)\n    for q in range(1, n):\n        qc.cx(0, q)\n    for q in range(n):\n        qc.rx(eps, q)\n"
            "    qc.measure_all()\n    counts = qlab.run(qc, device, shots=shots, seed=seed)\n"
            "    votes = {k: sum(map(int, k)) for k in counts}\n"
            "    return sum(counts[k] for k in counts if votes[k] <= n // 2) / shots"),
    }},
]

MISTAKES = [
    # the phase code handed in as the bit-flip code
    {"answers": {"encoders": ("bit_flip_encoder = QuantumCircuit(3)\nbit_flip_encoder.cx(0, [1, 2])\nbit_flip_encoder.h([0, 1, 2])\n"
                              "phase_flip_encoder = bit_flip_encoder.copy()")},
     "fails": {"encode-bit": "graded.qec.bit-generic"}},
    # the right parities, but data qubit 0 measured too (into bit 0, then overwritten): the code collapses
    {"answers": {"syndrome-circuit": ("syndrome_block = QuantumCircuit(5, 2)\nsyndrome_block.measure(0, 0)\n"
                                      "syndrome_block.cx(0, 3)\nsyndrome_block.cx(1, 3)\nsyndrome_block.cx(1, 4)\n"
                                      "syndrome_block.cx(2, 4)\nsyndrome_block.measure(3, 0)\nsyndrome_block.measure(4, 1)")},
     "fails": {"syndrome": "graded.qec.syn-disturbs"}},
]
