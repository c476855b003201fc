"""Proof, offline, that ``qlab.export`` hands real hardware the circuit the emulator ran.

For GHZ-5, QFT-4 (on a periodic input, so that the phases matter), Bernstein-Vazirani (secret
1011) and a seeded random circuit, built in Qiskit and in Cirq, on ionq-aria, ionq-forte and
iqm-spark (``ideal`` is not hardware: ``qlab.export`` refuses it, see test_export_errors.py):

1. Braket's ``LocalSimulator`` runs the exported verbatim circuit, and its counts match qlab's
   ideal run of the same native circuit (``qlab.run(native, device, noise=False)``): the total
   variation distance D between the two empirical distributions (N shots each) stays below

       B = 1/2 sum_x sqrt(2 p_x (1 - p_x) / N)  +  sqrt(ln(1/delta) / N),   delta = 1e-6,

   p being the exact distribution of the native circuit. The first term bounds E[D] when both
   samples come from p (Jensen); the second is McDiarmid's inequality (one shot moves D by at most
   1/N, 2N shots): P(D > B) <= delta. So a comparison fails by chance with probability at most
   1e-6 (at most 2.4e-5 for all 24), and every sampler is seeded anyway (seeds below). The same
   test, fed a circuit whose angles were left in turns, fails (test_the_bound_catches_angles_in_turns).
2. Exactly: the Braket circuit's unitary, and the OpenQASM 3 text read back by Qiskit's importer
   and by Braket's, equal the native circuit's unitary up to a global phase, on the physical
   qubits it uses (compared in one qubit order; Braket's matrices put the first qubit first).
3. qiskit-ionq's serializer writes only the family's native gates, with the angles qlab compiled.

``python tests/test_export_hardware.py`` prints the table of distances and bounds.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import qlab
from qlab.exporters import braket_counts, native_circuit, native_program

_NEEDS = ("braket.circuits", "braket.default_simulator", "qiskit_ionq", "qiskit_qasm3_import")
_MISSING = [m for m in _NEEDS if importlib.util.find_spec(m.split(".")[0]) is None]
if _MISSING:
    _WHY = f"qlab[hardware] is not installed ({', '.join(_MISSING)}): pip install 'qlab[hardware]'"
    if os.environ.get("CI", "").lower() == "true":
        raise RuntimeError(f"CI must install the hardware extra (make test does): {_WHY}")
    pytest.skip(_WHY, allow_module_level=True)

import cirq  # noqa: E402
import qiskit.qasm3  # noqa: E402
from braket.circuits import Circuit  # noqa: E402
from braket.circuits.serialization import IRType  # noqa: E402
from braket.default_simulator.state_vector_simulation import StateVectorSimulation  # noqa: E402
from braket.devices import LocalSimulator  # noqa: E402
from qiskit import QuantumCircuit  # noqa: E402
from qiskit.circuit.library import QFTGate  # noqa: E402
from qiskit.circuit.random import random_circuit  # noqa: E402
from qiskit.quantum_info import Operator  # noqa: E402

DEVICES = ("ionq-aria", "ionq-forte", "iqm-spark")
SHOTS = 4000
DELTA = 1e-6
TRANSPILE_SEED = 7  # layout and routing
QLAB_SEED = 11  # qlab's ideal sampler
BRAKET_SEED = 13  # Braket's sampler (patched in: its LocalSimulator takes no seed)
SECRET = "1011"  # Bernstein-Vazirani, qubit 0 is the secret's last character
RANDOM_SEED = 2024


# ---- the circuits, in both frameworks -----------------------------------------------------------


def ghz5_qiskit() -> QuantumCircuit:
    qc = QuantumCircuit(5, 5, name="ghz5")
    qc.h(0)
    for i in range(4):
        qc.cx(i, i + 1)
    qc.measure(range(5), range(5))
    return qc


def qft4_qiskit() -> QuantumCircuit:
    """QFT of (|1> + |5> + |9> + |13>)/2 (period 4, offset 1): four peaks whose phases matter."""
    qc = QuantumCircuit(4, 4, name="qft4")
    qc.x(0)
    qc.h([2, 3])
    qc.t(1)
    qc.append(QFTGate(4), range(4))
    qc.measure(range(4), range(4))
    return qc


def bv_qiskit() -> QuantumCircuit:
    n = len(SECRET)
    qc = QuantumCircuit(n + 1, n, name="bv")
    qc.x(n)
    qc.h(range(n + 1))
    for i, bit in enumerate(reversed(SECRET)):
        if bit == "1":
            qc.cx(i, n)
    qc.h(range(n))
    qc.measure(range(n), range(n))
    return qc


def random_qiskit() -> QuantumCircuit:
    qc = random_circuit(5, 6, max_operands=2, measure=True, seed=RANDOM_SEED)
    qc.name = "random5"
    return qc


def ghz5_cirq() -> cirq.Circuit:
    q = cirq.LineQubit.range(5)
    return cirq.Circuit(
        cirq.H(q[0]), *(cirq.CNOT(q[i], q[i + 1]) for i in range(4)), cirq.measure(*q, key="m")
    )


def qft4_cirq() -> cirq.Circuit:
    q = cirq.LineQubit.range(4)
    return cirq.Circuit(
        cirq.X(q[0]), cirq.H(q[2]), cirq.H(q[3]), cirq.T(q[1]),
        cirq.qft(*q), cirq.measure(*q, key="m"),
    )


def bv_cirq() -> cirq.Circuit:
    n = len(SECRET)
    q = cirq.LineQubit.range(n + 1)
    oracle = [cirq.CNOT(q[i], q[n]) for i, bit in enumerate(reversed(SECRET)) if bit == "1"]
    return cirq.Circuit(
        cirq.X(q[n]), cirq.H.on_each(*q), oracle, cirq.H.on_each(*q[:n]),
        cirq.measure(*q[:n], key="m"),
    )


def random_cirq() -> cirq.Circuit:
    q = cirq.LineQubit.range(5)
    c = cirq.testing.random_circuit(q, n_moments=8, op_density=0.8, random_state=RANDOM_SEED)
    return c + cirq.Circuit(cirq.measure(*q, key="m"))


CIRCUITS: dict[str, dict[str, Callable[[], object]]] = {
    "qiskit": {"GHZ-5": ghz5_qiskit, "QFT-4": qft4_qiskit, "BV-1011": bv_qiskit, "random-5": random_qiskit},
    "cirq": {"GHZ-5": ghz5_cirq, "QFT-4": qft4_cirq, "BV-1011": bv_cirq, "random-5": random_cirq},
}
CASES = [(fw, name, dev) for fw in CIRCUITS for name in CIRCUITS[fw] for dev in DEVICES]


def _id(case: tuple[str, str, str]) -> str:
    return "-".join(case)


# ---- exact reference: the native circuit's own state and unitary --------------------------------


def qiskit_unitary(qc: QuantumCircuit, qubits: list[int]) -> np.ndarray:
    """Unitary of a Qiskit circuit on its qubits ``qubits`` (physical indices), the first one the
    most significant (Braket's and Cirq's order; Qiskit's own puts qubit 0 last)."""
    index = {q: k for k, q in enumerate(reversed(qubits))}
    small = QuantumCircuit(len(qubits))
    for inst in qc.data:
        if inst.operation.name not in ("measure", "barrier"):
            small.append(inst.operation, [index[qc.find_bit(q).index] for q in inst.qubits])
    return Operator(small).data


def native_unitary(native: object, qubits: list[int]) -> np.ndarray:
    """The native circuit's unitary on the physical ``qubits`` (first one most significant)."""
    if isinstance(native, QuantumCircuit):
        return qiskit_unitary(native, qubits)
    order = [cirq.LineQubit(q) for q in qubits]
    body = cirq.Circuit(op for op in native.all_operations() if not cirq.is_measurement(op))
    return body.unitary(qubit_order=order, qubits_that_should_be_present=order)


def used_qubits(program) -> list[int]:
    return sorted({q for op in program.ops for q in op.qubits} | {q for q, _ in program.measurements})


def exact_probabilities(native: object, device: str) -> dict[str, float]:
    """p(key) of the native circuit, keys in qlab's order (bit 0 last)."""
    program = native_program(native, device)
    qubits = used_qubits(program)
    state = native_unitary(native, qubits)[:, 0]
    probs: dict[str, float] = {}
    pos = {q: k for k, q in enumerate(qubits)}
    for index, amp in enumerate(state):
        p = abs(amp) ** 2
        if p < 1e-15:
            continue
        bits = format(index, f"0{len(qubits)}b")  # first qubit first
        key = ["0"] * program.num_clbits
        for qubit, clbit in program.measurements:
            key[program.num_clbits - 1 - clbit] = bits[pos[qubit]]
        k = "".join(key)
        probs[k] = probs.get(k, 0.0) + p
    return probs


def tvd(a: dict[str, int], b: dict[str, int]) -> float:
    na, nb = sum(a.values()), sum(b.values())
    return 0.5 * sum(abs(a.get(k, 0) / na - b.get(k, 0) / nb) for k in set(a) | set(b))


def shot_noise_bound(p: dict[str, float], shots: int, delta: float = DELTA) -> float:
    expected = 0.5 * sum(math.sqrt(max(0.0, 2 * v * (1 - v)) / shots) for v in p.values())
    return expected + math.sqrt(math.log(1 / delta) / shots)


def phase_equal(a: np.ndarray, b: np.ndarray, atol: float = 1e-8) -> bool:
    """Equal up to one global phase."""
    k = np.unravel_index(np.argmax(abs(b)), b.shape)
    if abs(b[k]) < 1e-12:
        return False
    phase = a[k] / b[k]
    return abs(abs(phase) - 1) < 1e-8 and np.allclose(a, phase * b, atol=atol)


# ---- Braket, seeded -----------------------------------------------------------------------------


def seeded_local_simulator(setattr_: Callable[[object, str, object], None] = setattr) -> LocalSimulator:
    """Braket's LocalSimulator with its sampler seeded (BRAKET_SEED, then +1 per run)."""
    seeds = iter(range(BRAKET_SEED, BRAKET_SEED + 10_000))
    original = StateVectorSimulation.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        assert hasattr(self, "_rng_generator"), "Braket's simulator changed: seed it another way"
        self._rng_generator = np.random.default_rng(next(seeds))

    setattr_(StateVectorSimulation, "__init__", init)
    return LocalSimulator()


@pytest.fixture()
def seeded_braket(monkeypatch: pytest.MonkeyPatch) -> LocalSimulator:
    return seeded_local_simulator(monkeypatch.setattr)


def run_on_braket(simulator, braket_circuit, native, device, shots=SHOTS) -> dict[str, int]:
    result = simulator.run(braket_circuit, shots=shots).result()
    return braket_counts(result, native, device)


def proof_row(framework: str, name: str, device: str, simulator) -> dict[str, object]:
    """Export the native circuit (kept gate for gate), run it on Braket and on qlab, compare."""
    circuit = CIRCUITS[framework][name]()
    native = native_circuit(circuit, device, seed=TRANSPILE_SEED)
    exported = qlab.export(native, device, to="braket")
    got = run_on_braket(simulator, exported, native, device)
    ideal = qlab.run(native, device, noise=False, shots=SHOTS, seed=QLAB_SEED)
    p = exact_probabilities(native, device)
    return {
        "native": native,
        "exported": exported,
        "braket": got,
        "qlab": ideal,
        "p": p,
        "distance": tvd(got, ideal),
        "bound": shot_noise_bound(p, SHOTS),
    }


# ---- 1. the distributions -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=_id)
def test_braket_local_simulator_matches_qlab_ideal_run(case, seeded_braket) -> None:
    row = proof_row(*case, seeded_braket)
    assert row["distance"] <= row["bound"], (
        f"{_id(case)}: TVD {row['distance']:.4f} > bound {row['bound']:.4f}\n"
        f"Braket {row['braket']}\nqlab {row['qlab']}"
    )
    if case[1] == "GHZ-5":
        assert set(row["braket"]) == {"00000", "11111"}


@pytest.mark.parametrize("framework", CIRCUITS)
@pytest.mark.parametrize("device", DEVICES)
def test_exporting_the_circuit_or_its_native_form_is_the_same(framework, device) -> None:
    """A user exports the circuit they wrote; the proof above exports its native form."""
    circuit = CIRCUITS[framework]["random-5"]()
    native = native_circuit(circuit, device, seed=TRANSPILE_SEED)
    mine = native_program(circuit, device, seed=TRANSPILE_SEED)
    assert mine.ops == native_program(native, device).ops
    if framework == "qiskit":
        assert mine == native_program(native, device)
        assert qlab.export(circuit, device, to="braket", seed=TRANSPILE_SEED) == qlab.export(
            native, device, to="braket"
        )


@pytest.mark.parametrize("framework", CIRCUITS)
@pytest.mark.parametrize("device", DEVICES)
def test_braket_keys_read_like_qlab_run_of_the_circuit_written(framework, device, seeded_braket) -> None:
    """Bernstein-Vazirani has one answer: Braket's counts, read back with braket_counts, give the
    secret in the same bit order as qlab.run of the circuit as written (Cirq: after routing moved
    the qubits on the star too)."""
    circuit = CIRCUITS[framework]["BV-1011"]()
    exported = qlab.export(circuit, device, to="braket", seed=TRANSPILE_SEED)
    result = seeded_braket.run(exported, shots=100).result()
    got = braket_counts(result, circuit, device, seed=TRANSPILE_SEED)
    assert got == {SECRET: 100} == qlab.run(circuit, device, noise=False, shots=100, seed=1)


def test_the_bound_catches_angles_in_turns(seeded_braket) -> None:
    """Negative control: the unit mistake (IonQ's turns passed to Braket as radians) fails."""
    device = "ionq-aria"
    circuit = qft4_qiskit()
    native = native_circuit(circuit, device, seed=TRANSPILE_SEED)
    program = native_program(native, device)
    body = Circuit()
    for op in program.ops:  # the mistake: no factor 2 pi
        getattr(body, op.name)(*op.qubits, *op.params)
    wrong = Circuit().add_verbatim_box(body)
    for qubit, _ in program.measurements:
        wrong.measure(qubit)
    got = run_on_braket(seeded_braket, wrong, native, device)
    ideal = qlab.run(native, device, noise=False, shots=SHOTS, seed=QLAB_SEED)
    bound = shot_noise_bound(exact_probabilities(native, device), SHOTS)
    assert tvd(got, ideal) > 2 * bound


# ---- 2. exact: unitaries of the Braket circuit and of the OpenQASM read back ---------------------


def _braket_unitary(circuit: Circuit, qubits: list[int]) -> np.ndarray:
    gates = [
        ins for ins in circuit.instructions
        if ins.operator.name not in ("Measure", "StartVerbatimBox", "EndVerbatimBox")
    ]
    body = Circuit(gates)
    present = sorted(int(q) for q in body.qubits)
    # identity on qubits that only get measured
    for q in sorted(set(qubits) - set(present)):
        body.i(q)
    assert sorted(int(q) for q in body.qubits) == qubits
    return body.to_unitary()  # Braket: qubits in ascending order, the first most significant


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_exports_have_the_native_unitary(case) -> None:
    framework, name, device = case
    circuit = CIRCUITS[framework][name]()
    native = native_circuit(circuit, device, seed=TRANSPILE_SEED)
    program = native_program(circuit, device, seed=TRANSPILE_SEED)  # what export writes
    qubits = used_qubits(program)
    want = native_unitary(native, qubits)
    braket = qlab.export(circuit, device, to="braket", seed=TRANSPILE_SEED)
    assert phase_equal(_braket_unitary(braket, qubits), want), "Braket circuit"
    # what Braket's SDK sends a QPU: its own OpenQASM, the gates in a verbatim box
    sent = braket.to_ir(IRType.OPENQASM).source
    assert "#pragma braket verbatim" in sent and "gate " not in sent
    assert phase_equal(_braket_unitary(Circuit.from_ir(sent), qubits), want), "Braket's OpenQASM"
    qasm = qlab.export(circuit, device, to="qasm3", seed=TRANSPILE_SEED)
    back = qiskit.qasm3.loads(qasm)
    assert phase_equal(qiskit_unitary(back, qubits), want), "OpenQASM 3 read by Qiskit"
    assert phase_equal(_braket_unitary(Circuit.from_ir(qasm), qubits), want), "read by Braket"
    # measurements: the same physical qubits into the same classical bits
    measured = [(back.find_bit(i.qubits[0]).index, back.find_bit(i.clbits[0]).index)
                for i in back.data if i.operation.name == "measure"]
    assert sorted(measured, key=lambda m: m[1]) == list(program.measurements)


# ---- 3. IonQ's JSON, by qiskit-ionq's serializer -------------------------------------------------

IONQ_FIELDS = {"gpi": ("phase",), "gpi2": ("phase",), "ms": ("phases", "angle"), "zz": ("angle",)}


@pytest.mark.parametrize("case", [c for c in CASES if c[2].startswith("ionq")], ids=_id)
def test_ionq_json_has_only_native_gates_with_qlabs_angles(case) -> None:
    framework, name, device = case
    circuit = CIRCUITS[framework][name]()
    body = json.loads(qlab.export(circuit, device, to="ionq", seed=TRANSPILE_SEED, shots=500))
    program = native_program(circuit, device, seed=TRANSPILE_SEED)
    natives = {"ionq-aria": {"gpi", "gpi2", "ms"}, "ionq-forte": {"gpi", "gpi2", "zz"}}[device]
    assert body["type"] == "ionq.circuit.v1"
    assert body["backend"] == {"ionq-aria": "qpu.aria-1", "ionq-forte": "qpu.forte-1"}[device]
    assert body["shots"] == 500
    assert body["input"]["gateset"] == "native"
    gates = body["input"]["circuit"]
    assert {g["gate"] for g in gates} <= natives
    assert len(gates) == len(program.ops)
    for g, op in zip(gates, program.ops, strict=True):
        assert g["gate"] == op.name
        assert g.get("targets", [g.get("target")]) == list(op.qubits)
        written = [v for f in IONQ_FIELDS[op.name] for v in np.ravel([g[f]])]
        assert written == pytest.approx(list(op.params), abs=1e-12)  # turns, as compiled
        assert all(-1 <= v <= 1 for v in written), "IonQ accepts phases in [-1, 1] turns"


def test_native_program_is_the_native_circuit_gate_for_gate() -> None:
    """What the exporters write comes from the native circuit's own instructions, in order."""
    for device in DEVICES:
        native = native_circuit(random_qiskit(), device, seed=TRANSPILE_SEED)
        program = native_program(native, device)
        gates = [
            (i.operation.name, tuple(float(p) for p in i.operation.params),
             tuple(native.find_bit(q).index for q in i.qubits))
            for i in native.data if i.operation.name not in ("measure", "barrier")
        ]
        assert [(op.name, op.params, op.qubits) for op in program.ops] == gates


# ---- Forte's ZZ on Braket, and reading Braket's bits back ---------------------------------------


@pytest.mark.parametrize("theta", [0.25, -0.25, 0.125, -0.07, 0.0])
def test_forte_zz_becomes_an_exact_ms_sequence_on_braket(theta) -> None:
    from qlab.qiskit_gates import ZZGate

    qc = QuantumCircuit(3, 2)
    qc.append(ZZGate(theta), [2, 0])
    qc.measure([0, 2], [0, 1])
    braket = qlab.export(qc, "ionq-forte", to="braket")
    names = [i.operator.name for i in braket.instructions]
    assert "ZZ" not in names and names.count("MS") == 1 and names.count("GPi2") == 4
    assert phase_equal(_braket_unitary(braket, [0, 2]), qiskit_unitary(qc, [0, 2]), atol=1e-10)


def test_braket_counts_follow_the_classical_bits(seeded_braket) -> None:
    """Measured out of order, one bit never written: keys still read bit 0 last, as qlab's do."""
    qc = QuantumCircuit(3, 4)
    qc.x(2)  # qubit 2 -> bit 0 reads 1; qubit 0 -> bit 3 reads 0; qubit 1 -> bit 1 reads 0
    qc.measure([2, 1, 0], [0, 1, 3])
    for device in DEVICES:
        braket = qlab.export(qc, device, to="braket", seed=TRANSPILE_SEED)
        result = seeded_braket.run(braket, shots=50).result()
        assert braket_counts(result, qc, device, seed=TRANSPILE_SEED) == {"0001": 50}
        assert qlab.run(qc, device, noise=False, shots=50, seed=1) == {"0001": 50}


# ---- offline: no network, no credentials ---------------------------------------------------------

_OFFLINE_SCRIPT = textwrap.dedent(
    """
    import os, socket, sys
    opened, secrets = [], []
    def refuse(*args, **kwargs):
        raise AssertionError("qlab.export tried the network")
    socket.socket.connect = refuse
    socket.socket.connect_ex = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    def hook(event, args):
        if event == "open" and isinstance(args[0], (str, bytes)):
            opened.append(os.fsdecode(args[0]))
        if event.startswith("socket."):
            raise AssertionError(f"qlab.export used the network ({event})")
    sys.addaudithook(hook)

    class Watched(type(os.environ)):
        # a lookup of one variable (environ[k], .get, getenv, in) is a read; copying the whole
        # environment (numba does, to find its own settings) reads no credential on purpose
        def __getitem__(self, key):
            copying = sys._getframe(1).f_code.co_name == "__iter__"
            if not copying and any(s in key.upper() for s in ("AWS", "IONQ", "TOKEN", "SECRET", "API_KEY")):
                secrets.append(key)
            return super().__getitem__(key)

    os.environ.__class__ = Watched

    import json
    home = os.path.expanduser("~")
    places = (".aws", ".qiskit", ".ionq", ".config", "credentials")
    def report(leaked, network):
        print(json.dumps({
            "credential_files": [p for p in opened if p.startswith(home) and any(w in p for w in places)],
            "secrets": sorted(set(secrets)),
            "leaked": leaked,
            "network": network,
        }))
    if sys.argv[1:] == ["--control"]:  # the watchers themselves: each misdeed must show
        os.getenv("IONQ_API_KEY")
        open(os.path.join(home, ".aws", "credentials")).close()
        try:
            socket.create_connection(("127.0.0.1", 9))
            network = False
        except AssertionError:
            network = True
        report(False, network)
        sys.exit(0)

    import qlab
    from qiskit import QuantumCircuit
    from braket.devices import LocalSimulator
    qc = QuantumCircuit(3, 3)
    qc.h(0); qc.cx(0, 1); qc.cx(1, 2); qc.measure(range(3), range(3))
    out = []
    for device in ("ionq-aria", "ionq-forte", "iqm-spark"):
        braket = qlab.export(qc, device, to="braket", seed=1)
        LocalSimulator().run(braket, shots=10).result()
        out.append(qlab.export(qc, device, to="qasm3", seed=1))
        if device.startswith("ionq"):
            out.append(qlab.export(qc, device, to="ionq", seed=1))
    report(any("SENTINEL" in text for text in out), False)
    """
)


@pytest.mark.slow
def test_export_is_offline_and_reads_no_credentials(tmp_path: Path) -> None:
    """In a fresh interpreter (imports included) with sockets refused and credentials planted:
    exporting and simulating open no connection, open no credential file (~/.aws, ~/.qiskit,
    ~/.config, ...), look up no credential variable, and write none of them into a job."""
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text("[default]\naws_access_key_id = SENTINEL\n")
    env = {
        **os.environ,
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": "SENTINEL",
        "AWS_SECRET_ACCESS_KEY": "SENTINEL",
        "IONQ_API_KEY": "SENTINEL",
        "QISKIT_IONQ_API_TOKEN": "SENTINEL",
    }

    def run(*args: str) -> dict:
        out = subprocess.run(
            [sys.executable, "-c", _OFFLINE_SCRIPT, *args], capture_output=True, text=True,
            env=env, timeout=300,
        )
        assert out.returncode == 0, out.stderr[-3000:]
        return json.loads(out.stdout.strip().splitlines()[-1])

    control = run("--control")
    assert control["secrets"] == ["IONQ_API_KEY"] and control["network"], control
    assert control["credential_files"] == [str(home / ".aws" / "credentials")], control
    report = run()
    assert report == {"credential_files": [], "secrets": [], "leaked": False, "network": False}


# ---- the table for the record: python tests/test_export_hardware.py ------------------------------


def _print_table() -> None:
    simulator = seeded_local_simulator()
    print(f"shots per run {SHOTS}; bound: false-failure rate <= {DELTA:g} per row")
    print(f"{'framework':<9} {'circuit':<9} {'device':<11} {'TVD':>7} {'bound':>7}  native gates")
    for framework, name, device in CASES:
        row = proof_row(framework, name, device, simulator)
        program = native_program(row["native"], device)
        gates = {}
        for op in program.ops:
            gates[op.name] = gates.get(op.name, 0) + 1
        text = ", ".join(f"{k} {v}" for k, v in sorted(gates.items()))
        print(f"{framework:<9} {name:<9} {device:<11} {row['distance']:7.4f} {row['bound']:7.4f}  {text}")


if __name__ == "__main__":
    _print_table()
