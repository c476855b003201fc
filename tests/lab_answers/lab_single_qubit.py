"""lab-single-qubit (lesson 2): any Bloch-sphere state, measuring in X/Y/Z, shots for a precision."""

LAB = "lab-single-qubit"

RUN = ("p = np.sin(THETA / 2) ** 2\nn = shots_needed(p, 0.01)\nqc = prepare(THETA, 0)\nqc.measure_all()\n"
       "p1_hat = qlab.run(qc, 'ideal', shots=n, seed=SEED).get('1', 0) / n")

SUBMISSIONS = {
    # Qiskit's U gate; Y basis with RX(pi/2); the bound by solving for N with an integer search
    "alt-1": {"answers": {
        "prepare-function": "def prepare(theta, phi):\n    qc = QuantumCircuit(1)\n    qc.u(theta, phi, 0, 0)\n    return qc",
        "measure-function": (
            "def measure_in(circuit, basis):\n    qc = QuantumCircuit(1, 1)\n    qc.compose(circuit, inplace=True)\n"
            "    if basis == 'X':\n        qc.ry(-np.pi / 2, 0)\n    elif basis == 'Y':\n        qc.rx(np.pi / 2, 0)\n"
            "    qc.measure(0, 0)\n    return qc"),
        "shots-function": (
            "def shots_needed(p, eps):\n    n = 1\n    while math.sqrt(p * (1 - p) / n) > eps:\n        n += 1\n    return n\n\n\n" + RUN),
    }},
    # RX instead of RY; S instead of S-dagger; eps not squared; a number typed in
    "wrong-1": {
        "answers": {
            "prepare-function": "def prepare(theta, phi):\n    qc = QuantumCircuit(1)\n    qc.rx(theta, 0)\n    qc.rz(phi, 0)\n    return qc",
            "measure-function": (
                "def measure_in(circuit, basis):\n    qc = circuit.copy()\n    if basis == 'X':\n        qc.h(0)\n"
                "    elif basis == 'Y':\n        qc.s(0)\n        qc.h(0)\n    qc.measure_all()\n    return qc"),
            "shots-function": "def shots_needed(p, eps):\n    return math.ceil(p * (1 - p) / eps)\n\n\np1_hat = 0.5",
        },
        "points": {"prepare-state": 0, "measure-basis": 0, "shots-formula": 0, "shots-run": 0},
        "hints": ["graded.qubit.prepare-rx", "graded.qubit.basis-y-sign", "graded.qubit.shots-no-square"],
    },
    # the phase turned before the tilt; no rotation before measuring; rounded down; another seed
    "wrong-2": {
        "in_process": True,
        "answers": {
            "prepare-function": "def prepare(theta, phi):\n    qc = QuantumCircuit(1)\n    qc.rz(phi, 0)\n    qc.ry(theta, 0)\n    return qc",
            "measure-function": "def measure_in(circuit, basis):\n    qc = circuit.copy()\n    qc.measure_all()\n    return qc",
            "shots-function": ("def shots_needed(p, eps):\n    return math.floor(p * (1 - p) / eps**2)\n\n\n"
                               + RUN.replace("seed=SEED", "seed=1")),
        },
        "points": {"prepare-state": 0, "measure-basis": 0, "shots-formula": 0, "shots-run": 0},
        "hints": ["graded.qubit.prepare-phase-first", "graded.qubit.basis-no-rotation", "graded.qubit.shots-rounded-down"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # H then a phase gate (the Bloch tilt made from H, P, H); basis change written as a dict of gates
    {"answers": {
        "prepare-function": ("def prepare(theta, phi):\n    qc = QuantumCircuit(1)\n    qc.h(0)\n    qc.p(theta, 0)\n"
                             "    qc.h(0)  # H P(theta) H = RX(theta) up to a global phase: cos|0> - i sin|1>\n"
                             "    qc.s(0)  # the -i becomes +1\n    qc.p(phi, 0)\n    return qc"),
        "measure-function": (
            "ROTATE = {'X': ['h'], 'Y': ['sdg', 'h'], 'Z': []}\n\n\n"
            "def measure_in(circuit, basis):\n    qc = circuit.copy()\n    for gate in ROTATE[basis]:\n"
            "        getattr(qc, gate)(0)\n    qc.measure_all()\n    return qc"),
        "shots-function": "def shots_needed(p, eps):\n    return int(np.ceil(p * (1 - p) / eps / eps))\n\n\n" + RUN,
    }},
]

MISTAKES = [
    {"answers": {"prepare-function": "def prepare(theta, phi):\n    qc = QuantumCircuit(1)\n    qc.ry(theta / 2, 0)\n    qc.rz(phi, 0)\n    return qc"},
     "fails": {"prepare-state": "graded.qubit.prepare-half-angle", "shots-run": "graded.qubit.run-far"}},
    {"answers": {"prepare-function": "def prepare(theta, phi):\n    qc = QuantumCircuit(1)\n    qc.ry(theta, 0)\n    qc.rz(-phi, 0)\n    return qc"},
     "fails": {"prepare-state": "graded.qubit.prepare-phi-sign"}},
    {"answers": {"shots-function": "def shots_needed(p, eps):\n    return math.ceil(1 / eps**2)\n\n\n" + RUN},
     "fails": {"shots-formula": "graded.qubit.shots-no-p", "shots-run": "graded.qubit.run-derived"}},
]
