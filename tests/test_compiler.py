"""qlab.transpile: native gates on coupled pairs in the caller's framework; strict checks."""

from __future__ import annotations

import cirq
import pytest
from qiskit import QuantumCircuit
from qiskit.quantum_info import Statevector

import qlab
from qlab.errors import (
    BadOptionError,
    CircuitTooWideError,
    NotACircuitError,
    NotNativeError,
    UncoupledQubitsError,
)


def ghz(n: int, measure: bool = True) -> QuantumCircuit:
    qc = QuantumCircuit(n)
    qc.h(0)
    for i in range(n - 1):
        qc.cx(i, i + 1)
    if measure:
        qc.measure_all()
    return qc


@pytest.mark.parametrize("device", ["iqm-spark", "ionq-aria", "ionq-forte", "ideal"])
def test_qiskit_in_qiskit_out_native_and_coupled(device: str) -> None:
    dev = qlab.device(device)
    out = qlab.transpile(ghz(5), device, seed=1)
    assert isinstance(out, QuantumCircuit)
    assert set(out.count_ops()) <= set(dev.native_gates) | {"measure", "barrier"}
    for inst in out.data:
        if len(inst.qubits) == 2 and inst.operation.name != "barrier":
            a, b = (out.find_bit(q).index for q in inst.qubits)
            assert dev.spec.is_coupled(a, b), (device, inst.operation.name, a, b)
    qlab.transpile(out, device, strict=True)  # the result passes strict validation


@pytest.mark.parametrize("device", ["iqm-spark", "ionq-aria"])
def test_cirq_in_cirq_out_native_and_coupled(device: str) -> None:
    q = cirq.LineQubit.range(4)
    circuit = cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[1], q[2]), cirq.CNOT(q[0], q[3]),
                           cirq.measure(*q, key="m"))
    out = qlab.transpile(circuit, device, seed=1)
    assert isinstance(out, cirq.Circuit)
    qlab.device(device).cirq_device().validate_circuit(out)
    qlab.transpile(out, device, strict=True)
    assert {cirq.measurement_key_name(op) for op in out.all_operations() if cirq.is_measurement(op)} == {"m"}


def test_transpiled_circuit_keeps_the_state() -> None:
    circuit = ghz(3, measure=False)
    out = qlab.transpile(circuit, "iqm-spark", seed=3, optimization_level=0)  # 5 qubits: cheap Statevector
    # layout may move qubits: compare probabilities through the final layout
    probs = Statevector(out).probabilities_dict()
    layout = out.layout.final_index_layout()
    logical = {}
    for key, p in probs.items():
        if p > 1e-9:
            bits = "".join(key[::-1][layout[i]] for i in range(3))[::-1]
            logical[bits] = logical.get(bits, 0) + p
    assert logical == pytest.approx({"000": 0.5, "111": 0.5})


def test_strict_names_the_non_native_gate_and_the_allowed_ones() -> None:
    with pytest.raises(NotNativeError, match=r"'h'.*iqm-spark.*Native gates: r, cz.*strict=False"):
        qlab.transpile(ghz(2), "iqm-spark", strict=True)
    q = cirq.LineQubit.range(2)
    with pytest.raises(NotNativeError, match=r"gpi \(GPIGate\), gpi2 \(GPI2Gate\), ms \(MSGate\)"):
        qlab.transpile(cirq.Circuit(cirq.H(q[0])), "ionq-aria", strict=True)


def test_strict_names_the_uncoupled_pair_and_the_coupled_ones() -> None:
    qc = QuantumCircuit(5)
    qc.cz(0, 1)  # QB1-QB2: both leaves of the star
    with pytest.raises(UncoupledQubitsError, match=r"\(0, 1\) = QB1–QB2.*\(0, 2\) = QB1–QB3"):
        qlab.transpile(qc, "iqm-spark", strict=True)
    q = cirq.LineQubit.range(5)
    with pytest.raises(UncoupledQubitsError, match="QB3"):
        qlab.transpile(cirq.Circuit(cirq.CZ(q[3], q[4])), "iqm-spark", strict=True)
    # not strict: routed through the hub instead
    out = qlab.transpile(qc, "iqm-spark", seed=1)
    assert "cz" in out.count_ops()


def test_too_wide_and_not_a_circuit_and_bad_level() -> None:
    with pytest.raises(CircuitTooWideError, match="ionq-aria, ionq-forte"):
        qlab.transpile(QuantumCircuit(7), "iqm-spark")
    with pytest.raises(NotACircuitError):
        qlab.transpile({"h": 0}, "iqm-spark")
    with pytest.raises(BadOptionError, match="0, 1, 2 or 3"):
        qlab.transpile(ghz(2), "iqm-spark", optimization_level=5)


def test_cache_returns_a_fresh_copy_each_time() -> None:
    a = qlab.transpile(ghz(3), "iqm-spark", seed=4)
    a.x(0)  # the caller may edit its copy
    b = qlab.transpile(ghz(3), "iqm-spark", seed=4)
    assert "x" not in b.count_ops()
    assert b == qlab.transpile(ghz(3), "iqm-spark", seed=4)


# ---- the cache keys on what gates do, not on their names --------------------------------------

DEVICES = ["ideal", "ionq-aria", "ionq-forte", "iqm-spark"]


def reads(circuit: QuantumCircuit, device: str) -> dict[str, float]:
    """What the compiled circuit reads without noise (exact): compare with the original's."""
    from qlab.execution.exact import exact_distribution

    native = qlab.transpile(circuit, device, seed=2)
    qlab.transpile(native, device, strict=True)  # and it is native
    return {k: round(v, 9) for k, v in exact_distribution(native, "ideal").items() if v > 1e-9}


def ideal(circuit: QuantumCircuit) -> dict[str, float]:
    from qlab.execution.exact import exact_distribution

    return {k: round(v, 9) for k, v in exact_distribution(circuit, "ideal").items() if v > 1e-9}


def bv(secret: str) -> QuantumCircuit:
    """Bernstein-Vazirani with the oracle as a to_gate() named "oracle" whatever the secret."""
    n = len(secret)
    oracle = QuantumCircuit(n + 1, name="oracle")
    for i, bit in enumerate(reversed(secret)):
        if bit == "1":
            oracle.cx(i, n)
    qc = QuantumCircuit(n + 1, n)
    qc.x(n)
    qc.h(range(n + 1))
    qc.append(oracle.to_gate(), range(n + 1))
    qc.h(range(n))
    qc.measure(range(n), range(n))
    return qc


def custom(name: str, angle: float) -> QuantumCircuit:
    g = QuantumCircuit(2, name=name)
    g.h(0)
    g.cry(angle, 0, 1)
    return g


@pytest.mark.parametrize("device", DEVICES)
def test_same_named_gates_never_share_a_compilation(device: str) -> None:
    """Two oracles both called "oracle", a gate and its power, control and inverse (each with
    the same name as another's), a parameterised gate bound two ways: each compiles to itself."""
    from qiskit.circuit import Parameter
    from qiskit.circuit.library import grover_operator

    assert reads(bv("101"), device) == {"101": 1.0}
    assert reads(bv("011"), device) == {"011": 1.0}  # not the first oracle's secret

    marked = QuantumCircuit(3)
    marked.h(2)
    marked.ccx(0, 1, 2)
    marked.h(2)
    cz_marked = QuantumCircuit(3)
    cz_marked.cz(0, 2)
    cz_marked.cz(1, 2)
    for oracle in (marked, cz_marked):
        for k in (1, 2):  # G.power(k): both named "Q**k" for either oracle
            qc = QuantumCircuit(3)
            qc.h(range(3))
            qc.append(grover_operator(oracle).power(k), range(3))
            qc.measure_all()
            assert reads(qc, device) == ideal(qc), (oracle, k)

    for angle in (0.4, 2.1):  # same names "g", "cg", "g_dg": different angles
        g = custom("g", angle).to_gate()
        qc = QuantumCircuit(3)
        qc.h(2)
        qc.append(g, [0, 1])
        qc.append(g.control(1), [2, 0, 1])
        qc.append(g.inverse(), [1, 0])
        qc.measure_all()
        assert reads(qc, device) == ideal(qc), angle

    theta = Parameter("theta")
    template = QuantumCircuit(2, name="layer")
    template.ry(theta, 0)
    template.cx(0, 1)
    for value in (0.3, 1.9):
        qc = QuantumCircuit(2)
        qc.append(template.assign_parameters({theta: value}).to_gate(), [0, 1])
        qc.measure_all()
        assert reads(qc, device) == ideal(qc), value


def test_the_cache_still_serves_what_it_can_key() -> None:
    from qlab.execution import compiler

    compiler.clear_cache()
    first = qlab.transpile(bv("110"), "ionq-aria", seed=2)
    assert len(compiler._cache) == 1
    again = qlab.transpile(bv("110"), "ionq-aria", seed=2)  # a new but identical circuit
    assert len(compiler._cache) == 1 and again == first
    qlab.transpile(bv("111"), "ionq-aria", seed=2)  # same gate name, another matrix
    assert len(compiler._cache) == 2
