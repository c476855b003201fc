"""qlab's IonQ native gates for Cirq equal the vendor's definitions (cirq-ionq 1.7.0, a dev-only
reference) and IonQ's documented formulas, on a grid of angles."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

cirq = pytest.importorskip("cirq")
cirq_ionq = pytest.importorskip("cirq_ionq")

from qlab.cirq_gates import GPI2Gate, GPIGate, MSGate, ZZGate  # noqa: E402

ANGLES = [-1.0, -0.75, -0.3, -0.125, 0.0, 0.1, 0.25, 1 / 3, 0.5, 0.8, 1.0]
THETAS = [0.0, 0.05, 0.125, 0.2, 0.25]


def rz(x: float) -> np.ndarray:
    return np.diag([np.exp(-0.5j * x), np.exp(0.5j * x)])


@pytest.mark.parametrize("phi", ANGLES)
def test_one_qubit_gates_equal_cirq_ionq(phi):
    np.testing.assert_allclose(
        cirq.unitary(GPIGate(phi)), cirq.unitary(cirq_ionq.GPIGate(phi=phi)), atol=1e-12
    )
    np.testing.assert_allclose(
        cirq.unitary(GPI2Gate(phi)), cirq.unitary(cirq_ionq.GPI2Gate(phi=phi)), atol=1e-12
    )


@pytest.mark.parametrize("theta", THETAS)
def test_ms_equals_cirq_ionq_for_every_theta(theta):
    for phi0, phi1 in itertools.product(ANGLES[::2], ANGLES[1::2]):
        ours = cirq.unitary(MSGate(phi0, phi1, theta))
        theirs = cirq.unitary(cirq_ionq.MSGate(phi0=phi0, phi1=phi1, theta=theta))
        np.testing.assert_allclose(ours, theirs, atol=1e-12)


@pytest.mark.parametrize("theta", ANGLES)
def test_zz_equals_cirq_ionq(theta):
    np.testing.assert_allclose(
        cirq.unitary(ZZGate(theta)), cirq.unitary(cirq_ionq.ZZGate(theta=theta)), atol=1e-12
    )


def test_documented_formulas_and_qubit_order():
    """devices.md: MS(phi0, phi1, theta) = (RZ(-2 pi phi0) x RZ(-2 pi phi1)) RXX(2 pi theta)
    (RZ(2 pi phi0) x RZ(2 pi phi1)) read in time order, phi0 on the operation's first qubit;
    ZZ(theta) = RZZ(2 pi theta); GPI(0) = X, GPI(0.25) = Y, GPI2(0) = RX(pi/2)."""
    a, b = cirq.LineQubit.range(2)
    for phi0, phi1, theta in [(0.1, 0.35, 0.25), (0.7, -0.2, 0.1), (0.0, 0.5, 0.2)]:
        expected = cirq.Circuit(
            cirq.rz(-2 * math.pi * phi0)(a),
            cirq.rz(-2 * math.pi * phi1)(b),
            cirq.XXPowGate(exponent=2 * theta, global_shift=-0.5)(a, b),  # RXX(2 pi theta)
            cirq.rz(2 * math.pi * phi0)(a),
            cirq.rz(2 * math.pi * phi1)(b),
        )
        np.testing.assert_allclose(
            cirq.unitary(cirq.Circuit(MSGate(phi0, phi1, theta)(a, b))),
            cirq.unitary(expected),
            atol=1e-12,
        )
        # swapping the qubits swaps the phases: the first qubit carries phi0
        swapped = cirq.Circuit(MSGate(phi1, phi0, theta)(b, a))
        np.testing.assert_allclose(cirq.unitary(swapped), cirq.unitary(expected), atol=1e-12)
    zz = cirq.ZZPowGate(exponent=2 * 0.3, global_shift=-0.5)  # RZZ(0.6 pi)
    np.testing.assert_allclose(cirq.unitary(ZZGate(0.3)), cirq.unitary(zz), atol=1e-12)
    np.testing.assert_allclose(cirq.unitary(GPIGate(0)), cirq.unitary(cirq.X), atol=1e-12)
    np.testing.assert_allclose(cirq.unitary(GPIGate(0.25)), cirq.unitary(cirq.Y), atol=1e-12)
    np.testing.assert_allclose(
        cirq.unitary(GPI2Gate(0)), cirq.unitary(cirq.rx(math.pi / 2)), atol=1e-12
    )


def test_equality_respects_every_parameter_unlike_cirq_ionq():
    # cirq-ionq's MSGate ignores theta in ==; qlab's must not
    assert cirq_ionq.MSGate(phi0=0, phi1=0, theta=0.1) == cirq_ionq.MSGate(
        phi0=0, phi1=0, theta=0.25
    )
    assert MSGate(0, 0, 0.1) != MSGate(0, 0, 0.25)
    assert MSGate(0, 0.5) == MSGate(0.0, 0.5, 0.25)
    assert MSGate(0.5, 0) != MSGate(0, 0.5)
    assert GPIGate(0.25) == GPIGate(0.25) and GPIGate(0.25) != GPI2Gate(0.25)
    assert ZZGate(0.1) != ZZGate(0.2)
    assert len({MSGate(0, 0, 0.1), MSGate(0, 0, 0.25), MSGate(0, 0, 0.25)}) == 2
    assert cirq.approx_eq(GPIGate(0.1), GPIGate(0.1 + 1e-12))


@pytest.mark.parametrize(
    "gate", [GPIGate(0.3), GPI2Gate(0.3), MSGate(0.1, 0.7, 0.2), MSGate(0.1, 0.7), ZZGate(-0.15)]
)
def test_inverse_repr_and_diagram(gate):
    n = cirq.num_qubits(gate)
    product = cirq.unitary(gate**-1) @ cirq.unitary(gate)
    cirq.testing.assert_allclose_up_to_global_phase(product, np.eye(2**n), atol=1e-12)
    import qlab  # noqa: F401  (repr names qlab.cirq_gates)

    assert eval(repr(gate)) == gate
    text = str(cirq.Circuit(gate.on(*cirq.LineQubit.range(n))))
    assert type(gate).__name__.removesuffix("Gate") in text
    if isinstance(gate, MSGate):
        assert f"{gate.theta:g}" in text  # theta is visible, not hidden as in cirq-ionq's diagram


def test_cirq_json_round_trip_with_qlab_resolver():
    """cirq.to_json writes qlab's gates as qlab.GPIGate ...; cirq.read_json reads them back with
    qlab.cirq_gates.json_resolver first among the resolvers (how graders ship Cirq answers)."""
    from qlab.cirq_gates import ZZGate, json_resolver

    a, b = cirq.LineQubit.range(2)
    circuit = cirq.Circuit(GPIGate(0.25)(a), GPI2Gate(0.1)(b), MSGate(0.1, 0.2, 0.15)(a, b),
                           ZZGate(-0.125)(b, a), cirq.measure(a, b, key="m"))  # fmt: skip
    text = cirq.to_json(circuit)
    assert '"cirq_type": "qlab.MSGate"' in text
    back = cirq.read_json(json_text=text, resolvers=[json_resolver, *cirq.DEFAULT_RESOLVERS])
    assert back == circuit
    assert json_resolver("qlab.ZZGate") is ZZGate and json_resolver("CZPowGate") is None
    with pytest.raises(ValueError):
        cirq.read_json(json_text=text)  # without the resolver Cirq does not know the type
