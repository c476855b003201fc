"""lab-hybrid (lesson 10): per-task seeds, a task as a function of its index, gathering the best angles."""

LAB = "lab-hybrid"

SUBMISSIONS = {
    # spawn() as in lesson 10; a task that unpacks the grid point; numpy for the average cut
    "alt-1": {"answers": {
        "seed-function": ("def task_seed(index, base_seed):\n    children = np.random.SeedSequence(base_seed).spawn(index + 1)\n"
                          "    return int(children[index].generate_state(1)[0])"),
        "task-function": ("def run_task(index, base_seed):\n    circuit = qaoa_circuit(*GRID[index])\n"
                          "    return qlab.run(circuit, DEVICE, shots=SHOTS, seed=task_seed(index, base_seed))"),
        "gather-function": (
            "def best_angles(results, edges):\n    scores = []\n    for gamma, beta, counts in results:\n"
            "        keys = list(counts)\n        w = np.array([counts[k] for k in keys], dtype=float)\n"
            "        cuts = np.array([sum(k[-1 - a] != k[-1 - b] for a, b in edges) for k in keys])\n"
            "        scores.append(w @ cuts / w.sum())\n    best = int(np.argmax(scores))\n"
            "    return results[best][0], results[best][1]"),
    }},
    # the shortcuts: one shared generator; a task seed of base_seed alone; the top outcome
    "wrong-1": {
        "answers": {
            "seed-function": ("rng = np.random.default_rng(2025)\n\n\ndef task_seed(index, base_seed):\n"
                              "    return int(rng.integers(2**32))"),
            "task-function": ("def run_task(index, base_seed):\n"
                              "    return qlab.run(qaoa_circuit(*GRID[index]), DEVICE, shots=SHOTS, seed=base_seed)"),
            "gather-function": (
                "def best_angles(results, edges):\n    def top_cut(counts):\n        key = max(counts, key=counts.get)\n"
                "        return sum(key[-1 - a] != key[-1 - b] for a, b in edges)\n"
                "    gamma, beta, _ = max(results, key=lambda r: top_cut(r[2]))\n    return gamma, beta"),
        },
        "points": {"task-seed": 0, "run-task": 0, "best-angles": 0},
        "hints": ["graded.hybrid.seed-not-reproducible", "graded.hybrid.task-seed", "graded.hybrid.best-top-outcome"],
    },
    # base_seed + index (sweeps overlap); the grid read in the wrong order; keys read backwards
    "wrong-2": {
        "in_process": True,
        "answers": {
            "seed-function": "def task_seed(index, base_seed):\n    return base_seed + index",
            "task-function": ("def run_task(index, base_seed):\n    beta, gamma = GRID[index]\n"
                              "    return qlab.run(qaoa_circuit(gamma, beta), DEVICE, shots=SHOTS, seed=task_seed(index, base_seed))"),
            "gather-function": (
                "def best_angles(results, edges):\n    def average(counts):\n"
                "        return sum(c * sum(k[a] != k[b] for a, b in edges) for k, c in counts.items()) / sum(counts.values())\n"
                "    gamma, beta, _ = max(results, key=lambda r: average(r[2]))\n    return gamma, beta"),
        },
        "points": {"task-seed": 0, "run-task": 0, "best-angles": 0},
        "hints": ["graded.hybrid.seed-overlap", "graded.hybrid.best-reversed"],
    },
}


# Further right answers, checked in this process (every test must pass)
ALTERNATIVES = [
    # a hash of both numbers; a plain loop to gather
    {"answers": {
        "seed-function": ("import hashlib\n\n\ndef task_seed(index, base_seed):\n"
                          "    digest = hashlib.sha256(f'{base_seed}:{index}'.encode()).digest()\n"
                          "    return int.from_bytes(digest[:4], 'big')"),
        "task-function": ("def run_task(index, base_seed):\n    gamma, beta = GRID[index]\n    seed = task_seed(index, base_seed)\n"
                          "    counts = qlab.run(qaoa_circuit(gamma, beta), DEVICE, shots=SHOTS, seed=seed)\n    return dict(counts)"),
        "gather-function": (
            "def best_angles(results, edges):\n    best, best_value = None, -1.0\n    for gamma, beta, counts in results:\n"
            "        total = sum(counts.values())\n        value = 0.0\n        for key, c in counts.items():\n"
            "            bits = key[::-1]  # bits[k] is node k\n            value += c * sum(bits[a] != bits[b] for a, b in edges) / total\n"
            "        if value > best_value:\n            best, best_value = (gamma, beta), value\n    return best"),
    }},
]

MISTAKES = [
    {"answers": {"seed-function": "def task_seed(index, base_seed):\n    return 12345",
                 "task-function": ("def run_task(index, base_seed):\n    gamma, beta = GRID[index]\n"
                                   "    return qlab.run(qaoa_circuit(gamma, beta), DEVICE, shots=SHOTS, seed=task_seed(index, base_seed))")},
     "fails": {"task-seed": "graded.hybrid.seed-repeats"}},
    {"answers": {"gather-function": (
        "def best_angles(results, edges):\n    def average(counts):\n"
        "        return sum(c * sum(k[-1 - a] != k[-1 - b] for a, b in edges) for k, c in counts.items()) / sum(counts.values())\n"
        "    gamma, beta, _ = min(results, key=lambda r: average(r[2]))\n    return gamma, beta")},
     "fails": {"best-angles": "graded.hybrid.best-min"}},
]
