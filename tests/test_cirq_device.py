"""The Cirq device of each emulated device accepts what the hardware runs and rejects the rest
with an error that names the problem and what is allowed."""

from __future__ import annotations

import pytest

cirq = pytest.importorskip("cirq")

import qlab  # noqa: E402
from qlab.cirq_gates import GPI2Gate, GPIGate, MSGate, ZZGate  # noqa: E402
from qlab.cirq_side.device import QlabCirqDevice, build_device  # noqa: E402
from qlab.errors import (  # noqa: E402
    NotNativeError,
    QlabError,
    QubitNotOnDeviceError,
    UncoupledQubitsError,
)
from qlab.i18n import set_language  # noqa: E402

q = cirq.LineQubit.range(6)


def dev(name: str) -> QlabCirqDevice:
    return build_device(qlab.device(name).spec)


def test_catalog_renders_the_device_with_qubits_and_coupling_graph():
    spark = qlab.device("iqm-spark").cirq_device()
    assert isinstance(spark, cirq.Device) and spark.spec.name == "iqm-spark"
    assert spark.qubits == tuple(cirq.LineQubit.range(5))
    assert isinstance(spark.metadata, cirq.DeviceMetadata)
    edges = {tuple(sorted((a.x, b.x))) for a, b in spark.metadata.nx_graph.edges}
    assert edges == {(0, 2), (1, 2), (2, 3), (2, 4)}
    aria = dev("ionq-aria")
    assert len(aria.metadata.nx_graph.edges) == 25 * 24 // 2


def test_star_rejects_cz_between_outer_qubits_naming_the_coupled_pairs():
    with pytest.raises(UncoupledQubitsError) as info:
        dev("iqm-spark").validate_operation(cirq.CZ(q[0], q[1]))
    msg = str(info.value)
    assert "Gate 'CZ' acts on qubits (0, 1) = QB1–QB2, which are not coupled on iqm-spark" in msg
    assert "Coupled pairs: (0, 2) = QB1–QB3, (1, 2) = QB2–QB3, (2, 3) = QB3–QB4, (2, 4) = QB3–QB5" in msg
    assert isinstance(info.value, QlabError) and isinstance(info.value, ValueError)


def test_korean_message_keeps_the_facts():
    set_language("ko")
    try:
        with pytest.raises(UncoupledQubitsError) as info:
            dev("iqm-spark").validate_operation(cirq.CZ(q[3], q[4]))
    finally:
        set_language("en")
    msg = str(info.value)
    assert "연결" in msg and "(2, 4) = QB3–QB5" in msg and "QB4–QB5" in msg


@pytest.mark.parametrize(
    ("name", "op"),
    [
        ("iqm-spark", cirq.CNOT(q[0], q[2])),
        ("iqm-spark", cirq.H(q[0])),
        ("iqm-spark", cirq.rz(0.3)(q[0])),  # Z is virtual on IQM, but not a PRX
        ("iqm-spark", cirq.CZ(q[0], q[2]) ** 0.5),
        ("ionq-aria", cirq.rx(0.3)(q[0])),
        ("ionq-aria", ZZGate(0.25)(q[0], q[1])),  # Forte's gate, not Aria's
        ("ionq-forte", MSGate(0, 0)(q[0], q[1])),
        ("ideal", cirq.H(q[0])),
        ("ideal", cirq.CZ(q[0], q[1])),
        ("ideal", GPIGate(0.1)(q[0])),
    ],
)
def test_non_native_gate_is_rejected_listing_the_natives(name, op):
    with pytest.raises(NotNativeError) as info:
        dev(name).validate_operation(op)
    msg = str(info.value)
    assert f"Gate '{op.gate}'" in msg and name in msg and "Native gates:" in msg
    # the natives as a Cirq user writes them, beside their names
    assert {"iqm-spark": "r (PRX = cirq.PhasedXPowGate), cz (cirq.CZ)", "ionq-aria": "ms (MSGate)",
            "ionq-forte": "zz (ZZGate)", "ideal": "cx (cirq.CNOT)"}[name] in msg  # fmt: skip


@pytest.mark.parametrize(
    ("name", "ops"),
    [
        (
            "iqm-spark",
            [
                cirq.PhasedXPowGate(phase_exponent=0.3, exponent=0.5)(q[1]),
                cirq.X(q[0]),
                cirq.ry(0.2)(q[3]),
                cirq.CZ(q[2], q[4]),
                cirq.CZ(q[0], q[2]),
            ],
        ),
        ("ionq-aria", [GPIGate(0.1)(q[0]), GPI2Gate(0.2)(q[5]), MSGate(0.1, 0.2, 0.1)(q[5], q[0])]),
        ("ionq-forte", [GPIGate(0.1)(q[0]), ZZGate(0.25)(q[4], q[1])]),
        (
            "ideal",
            [cirq.rx(0.1)(q[0]), cirq.ry(0.2)(q[1]), cirq.rz(0.3)(q[2]), cirq.CNOT(q[5], q[0])],
        ),
    ],
)
def test_native_gates_and_measurement_pass(name, ops):
    circuit = cirq.Circuit(
        ops, cirq.measure(*sorted({x for op in ops for x in op.qubits}), key="m")
    )
    dev(name).validate_circuit(circuit)  # raises on failure


@pytest.mark.parametrize(
    "qubit", [cirq.LineQubit(5), cirq.LineQubit(-1), cirq.GridQubit(0, 0), cirq.NamedQubit("a")]
)
def test_qubit_outside_the_device_is_rejected(qubit):
    with pytest.raises(QubitNotOnDeviceError) as info:
        dev("iqm-spark").validate_operation(cirq.X(qubit))
    assert repr(qubit) in str(info.value) and "cirq.LineQubit(4)" in str(info.value)
    with pytest.raises(QubitNotOnDeviceError):
        dev("iqm-spark").validate_circuit(cirq.Circuit(cirq.measure(qubit)))


def test_all_to_all_devices_couple_every_pair():
    aria = dev("ionq-aria")
    aria.validate_operation(MSGate(0, 0)(cirq.LineQubit(0), cirq.LineQubit(24)))
    with pytest.raises(QubitNotOnDeviceError):
        aria.validate_operation(MSGate(0, 0)(cirq.LineQubit(0), cirq.LineQubit(25)))
