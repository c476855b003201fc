"""IonQ's native gates in Qiskit (qlab.qiskit_gates) and the IonQ translation (qlab.qiskit_translate).

The gates must mean exactly what IonQ means: they are checked against qiskit-ionq 1.1.1's classes
(a dev-only reference) and against the formulas in devices.md. The translation must give the same
unitary, global phase included, in few pulses. Seeds: 2024 for random angles; random circuits use
their loop index as seed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter
from qiskit.circuit.library import RXGate, RXXGate, RZZGate
from qiskit.circuit.random import random_circuit
from qiskit.quantum_info import Operator

from qlab.errors import NotNativeError
from qlab.i18n import t
from qlab.qiskit_gates import GPI2Gate, GPIGate, MSGate, ZZGate
from qlab.qiskit_translate import IonQNativeSynthesis, ionq_translation_passes

ionq_gates = pytest.importorskip("qiskit_ionq.ionq_gates")

RNG_SEED = 2024
TWO_PI = 2 * math.pi


def random_angles(k: int, n: int = 12) -> np.ndarray:
    """``n`` rows of ``k`` angles in turns, from [-1, 1] (the range IonQ accepts)."""
    return np.random.default_rng(RNG_SEED).uniform(-1, 1, size=(n, k))


# ---- the formulas of devices.md, written out independently ------------------------------------


def rz(a: float) -> np.ndarray:
    return np.diag([np.exp(-0.5j * a), np.exp(0.5j * a)])


def formula_gpi(phi: float) -> np.ndarray:
    return np.array([[0, np.exp(-2j * math.pi * phi)], [np.exp(2j * math.pi * phi), 0]])


def formula_gpi2(phi: float) -> np.ndarray:
    e = np.exp(2j * math.pi * phi)
    return np.array([[1, -1j / e], [-1j * e, 1]]) / math.sqrt(2)


def formula_ms(phi0: float, phi1: float, theta: float) -> np.ndarray:
    # (RZ(-2 pi phi0) x RZ(-2 pi phi1)) . RXX(2 pi theta) . (RZ(2 pi phi0) x RZ(2 pi phi1)),
    # read as a circuit (rightmost first); qubit 0 is the right-hand tensor factor in Qiskit
    before = np.kron(rz(-TWO_PI * phi1), rz(-TWO_PI * phi0))
    after = np.kron(rz(TWO_PI * phi1), rz(TWO_PI * phi0))
    return after @ RXXGate(TWO_PI * theta).to_matrix() @ before


def formula_zz(theta: float) -> np.ndarray:
    return RZZGate(TWO_PI * theta).to_matrix()


# ---- the gates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ours", "vendor", "formula", "nparams"),
    [
        (GPIGate, "GPIGate", formula_gpi, 1),
        (GPI2Gate, "GPI2Gate", formula_gpi2, 1),
        (MSGate, "MSGate", formula_ms, 3),
        (ZZGate, "ZZGate", formula_zz, 1),
    ],
)
def test_gate_equals_vendor_and_formula(ours, vendor, formula, nparams):
    theirs_cls = getattr(ionq_gates, vendor)
    for params in random_angles(nparams):
        mine = ours(*params)
        theirs = theirs_cls(*params)
        assert mine.name == theirs.name
        assert mine.num_qubits == theirs.num_qubits
        assert [float(p) for p in mine.params] == [float(p) for p in theirs.params]
        np.testing.assert_allclose(mine.to_matrix(), np.asarray(theirs), atol=1e-12)
        np.testing.assert_allclose(mine.to_matrix(), formula(*params), atol=1e-12)
        # the definition (used by QASM export and generic simulators) is exact, phase included
        np.testing.assert_allclose(Operator(mine.definition).data, mine.to_matrix(), atol=1e-12)
        # and the inverse undoes the gate
        eye = np.eye(2**mine.num_qubits)
        np.testing.assert_allclose(mine.inverse().to_matrix() @ mine.to_matrix(), eye, atol=1e-12)


def test_well_known_special_cases():
    x = np.array([[0, 1], [1, 0]])
    y = np.array([[0, -1j], [1j, 0]])
    np.testing.assert_allclose(GPIGate(0).to_matrix(), x, atol=1e-12)
    np.testing.assert_allclose(GPIGate(0.25).to_matrix(), y, atol=1e-12)
    np.testing.assert_allclose(GPI2Gate(0).to_matrix(), RXGate(math.pi / 2).to_matrix(), atol=1e-12)
    np.testing.assert_allclose(MSGate(0, 0).to_matrix(), RXXGate(math.pi / 2).to_matrix(), atol=1e-12)
    np.testing.assert_allclose(ZZGate(0.25).to_matrix(), RZZGate(math.pi / 2).to_matrix(), atol=1e-12)
    assert MSGate(0.1, 0.2).params[2] == 0.25  # fully entangling by default, as at IonQ


def test_gates_take_symbolic_parameters():
    phi = Parameter("phi")
    qc = QuantumCircuit(1)
    qc.append(GPI2Gate(phi), [0])
    bound = qc.assign_parameters({phi: 0.125})
    np.testing.assert_allclose(Operator(bound).data, formula_gpi2(0.125), atol=1e-12)


# ---- the translation ---------------------------------------------------------------------------


def longest_one_qubit_run(circuit: QuantumCircuit) -> int:
    run: dict = {}
    worst = 0
    for inst in circuit.data:
        if len(inst.qubits) == 1 and inst.operation.name != "measure":
            q = inst.qubits[0]
            run[q] = run.get(q, 0) + 1
            worst = max(worst, run[q])
        else:
            for q in inst.qubits:
                run[q] = 0
    return worst


@pytest.mark.parametrize("two_qubit", ["ms", "zz"])
def test_translation_is_exact_and_short(two_qubit):
    pm = ionq_translation_passes(two_qubit)
    for seed in range(25):
        qc = random_circuit(3, 5, max_operands=3, seed=seed)
        out = pm.run(qc)
        assert set(out.count_ops()) <= {"gpi", "gpi2", two_qubit}, seed
        # exactly the same unitary, global phase included
        np.testing.assert_allclose(Operator(out).data, Operator(qc).data, atol=1e-8)
        # a one-qubit run is at most two pulses, three at the very end of an unmeasured qubit
        assert longest_one_qubit_run(out) <= 3, seed
        for inst in out.data:
            if inst.operation.name == "ms":
                assert 0 < inst.operation.params[2] <= 0.25 + 1e-12
            if inst.operation.name == "zz":
                assert 0 < abs(inst.operation.params[0]) <= 0.25 + 1e-12


@pytest.mark.parametrize("two_qubit", ["ms", "zz"])
def test_cnot_costs_one_entangling_gate(two_qubit):
    qc = QuantumCircuit(2)
    qc.cx(0, 1)
    qc.measure_all()
    ops = ionq_translation_passes(two_qubit).run(qc).count_ops()
    assert ops[two_qubit] == 1
    assert ops.get("gpi", 0) + ops.get("gpi2", 0) <= 3  # qiskit-ionq's own rule uses 4 GPI2


def test_z_rotations_are_virtual():
    """RZ costs no pulse: it shifts the phase of the next pulse, and vanishes before a measurement."""
    theta = 0.7
    qc = QuantumCircuit(1, 1)
    qc.rz(theta, 0)
    qc.sx(0)
    qc.rz(1.1, 0)
    qc.measure(0, 0)
    out = ionq_translation_passes("ms").run(qc)
    pulses = [inst.operation for inst in out.data if inst.operation.name != "measure"]
    assert [p.name for p in pulses] == ["gpi2"]
    # RZ(t) then GPI2(0) equals GPI2(-t / 2 pi) then RZ(t)
    assert pulses[0].params[0] == pytest.approx((-theta / TWO_PI) % 1.0)

    only_z = QuantumCircuit(2, 2)
    only_z.rz(0.3, 0)
    only_z.t(1)
    only_z.measure([0, 1], [0, 1])
    assert set(ionq_translation_passes("zz").run(only_z).count_ops()) == {"measure"}


def test_frames_follow_the_qubit_through_ms():
    """A Z rotation before an MS turns the MS's phase instead (IonQ's phase tracking)."""
    qc = QuantumCircuit(2)
    qc.rz(0.9, 0)
    qc.rxx(math.pi / 2, 0, 1)
    qc.rz(-0.9, 0)
    out = ionq_translation_passes("ms").run(qc)
    assert dict(out.count_ops()) == {"ms": 1}
    np.testing.assert_allclose(Operator(out).data, Operator(qc).data, atol=1e-10)
    assert out.data[0].operation.params[0] == pytest.approx((-0.9 / TWO_PI) % 1.0)


def test_large_and_negative_angles_fold_into_range():
    qc = QuantumCircuit(2)
    qc.rxx(2.5, 0, 1)  # more than a quarter turn
    qc.rxx(-0.4, 0, 1)  # negative
    qc.append(MSGate(0.1, 0.3, -0.4), [1, 0])
    out = ionq_translation_passes("ms").run(qc)
    np.testing.assert_allclose(Operator(out).data, Operator(qc).data, atol=1e-10)
    assert out.count_ops()["ms"] == 3
    qz = QuantumCircuit(2)
    qz.rzz(-2.9, 0, 1)
    qz.append(ZZGate(0.4), [0, 1])
    out = ionq_translation_passes("zz").run(qz)
    np.testing.assert_allclose(Operator(out).data, Operator(qz).data, atol=1e-10)
    assert all(abs(i.operation.params[0]) <= 0.25 for i in out.data if i.operation.name == "zz")


def test_measure_reset_and_barrier_are_kept():
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.barrier()
    qc.measure(0, 0)
    qc.reset(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    ops = ionq_translation_passes("ms").run(qc).count_ops()
    assert ops["measure"] == 3 and ops["reset"] == 1 and ops["barrier"] == 1


@pytest.mark.parametrize("two_qubit", ["ms", "zz"])
def test_free_parameters_survive_translation(two_qubit):
    """Transpile once, bind many (QAOA, VQE): symbolic angles become symbolic phases and frames.
    Checked exactly, global phase included, at 4 random bindings (seed 2024)."""
    a, b = Parameter("a"), Parameter("b")
    qc = QuantumCircuit(2)
    qc.h([0, 1])
    qc.rx(a, 0)
    qc.ry(b, 1)
    qc.rz(a, 0)
    qc.p(b, 1)
    qc.u(a, b, 0.3, 0)
    qc.cp(a, 0, 1)
    qc.rzz(b, 0, 1)
    qc.rxx(a, 0, 1)
    qc.append(GPIGate(a), [1])
    qc.append(MSGate(b, 0.1, 0.2), [0, 1])
    qc.sx(0)
    out = ionq_translation_passes(two_qubit).run(qc)
    assert set(out.count_ops()) <= {"gpi", "gpi2", two_qubit}
    assert out.parameters == qc.parameters
    for values in random_angles(2, n=4) * 4:
        binding = dict(zip([a, b], values, strict=True))
        np.testing.assert_allclose(
            Operator(out.assign_parameters(binding)).data,
            Operator(qc.assign_parameters(binding)).data,
            atol=1e-8,
        )


def test_synthesis_pass_rejects_gates_it_cannot_place():
    qc = QuantumCircuit(2)
    qc.cz(0, 1)  # the pass expects Qiskit's translation to rxx/rzz first
    with pytest.raises(NotNativeError, match="cz"):
        IonQNativeSynthesis("ms")(qc)
    with pytest.raises(ValueError):
        IonQNativeSynthesis("cz")


def test_messages_exist_in_both_languages():
    for key in ("qiskit.cannot_translate", "qiskit.unbound_parameter", "qiskit.plugin_needs_ionq"):
        en = t(key, lang="en", gate="g", natives="n", found="f")
        ko = t(key, lang="ko", gate="g", natives="n", found="f")
        assert en != ko and en and ko


def test_ms_is_rxx_between_z_rotations_as_the_gate_table_writes_it():
    """hardware/gates.py: MS(phi0, phi1, theta) = (RZ(2 pi phi0) x RZ(2 pi phi1)) RXX(2 pi theta)
    (RZ(-2 pi phi0) x RZ(-2 pi phi1)), operators with the rightmost acting first; both renderings
    and the table's names agree."""
    from qiskit.circuit.library import RZGate

    from qlab.cirq_side.gates import IONQ_GATES as CIRQ_IONQ
    from qlab.hardware.gates import IONQ_GATE_NAMES
    from qlab.qiskit_side.gates import IONQ_GATES

    phi0, phi1, theta = 0.13, -0.31, 0.2
    qc = QuantumCircuit(2)
    qc.append(RZGate(-2 * math.pi * phi0), [0])
    qc.append(RZGate(-2 * math.pi * phi1), [1])
    qc.append(RXXGate(2 * math.pi * theta), [0, 1])
    qc.append(RZGate(2 * math.pi * phi0), [0])
    qc.append(RZGate(2 * math.pi * phi1), [1])
    np.testing.assert_allclose(Operator(MSGate(phi0, phi1, theta)).data, Operator(qc).data, atol=1e-12)
    assert tuple(IONQ_GATES) == tuple(CIRQ_IONQ) == IONQ_GATE_NAMES
