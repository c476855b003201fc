"""The Pauli frame and the light cone (qlab/execution/pauli_frame.py) against explicit matrices.

Each identity the shared trajectories rely on is checked on dense unitaries of a few qubits:
``G P G^dagger`` is the Pauli the frame says (up to a phase) for Clifford gates, including IonQ's
native gates at Clifford angles; the frame stops at a gate it does not commute with and passes
one it does; ``U_rest P |psi> = V P V^dagger U_rest |psi>`` with ``V`` the light cone. Random
circuits and Paulis are drawn with fixed seeds (named in each test).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from qiskit import QuantumCircuit

from qlab.execution import pauli_frame, qsim_direct
from qlab.execution.qsim_direct import Gate
from qlab.qiskit_side.gates import GPI2Gate, GPIGate, MSGate

N = 4


def _dense(gates: list[Gate], n: int) -> np.ndarray:
    """The unitary of ``gates`` on ``n`` compact qubits (qubit 0 the most significant)."""
    u = np.eye(2**n, dtype=complex)
    for g in gates:
        m = qsim_direct.matrix(g)
        k = len(g.qubits)
        full = np.zeros((2**n, 2**n), dtype=complex)
        for col in range(2**n):
            bits = [(col >> (n - 1 - q)) & 1 for q in range(n)]
            local = 0
            for q in g.qubits:
                local = local * 2 + bits[q]
            for row_local in range(2**k):
                out = list(bits)
                for i, q in enumerate(g.qubits):
                    out[q] = (row_local >> (k - 1 - i)) & 1
                row = 0
                for q in range(n):
                    row = row * 2 + out[q]
                full[row, col] += m[row_local, local]
        u = full @ u
    return u


def _pauli(frame: pauli_frame.Frame, n: int) -> np.ndarray:
    label = "".join(pauli_frame._LETTER[((frame.x >> q) & 1, (frame.z >> q) & 1)] for q in range(n))
    return qsim_direct.pauli_matrix(label)


def _lowered(qc: QuantumCircuit) -> list[Gate]:
    return list(qsim_direct.lower(qc).gates)


def _clifford_circuit(seed: int) -> QuantumCircuit:
    """Random Clifford gates, IonQ's native ones at Clifford angles among them (seed named)."""
    rng = np.random.default_rng(seed)
    qc = QuantumCircuit(N)
    for _ in range(14):
        kind = int(rng.integers(7))
        a, b = (int(x) for x in rng.choice(N, size=2, replace=False))
        if kind == 0:
            qc.h(a)
        elif kind == 1:
            qc.s(a)
        elif kind == 2:
            qc.cx(a, b)
        elif kind == 3:
            qc.append(GPI2Gate(0.25 * int(rng.integers(4))), [a])
        elif kind == 4:
            qc.append(GPIGate(0.125 * int(rng.integers(8))), [a])
        elif kind == 5:
            qc.append(MSGate(0.25 * int(rng.integers(4)), 0.25 * int(rng.integers(4)), 0.25), [a, b])
        else:
            qc.cz(a, b)
    for q in range(N):  # every qubit used: the compact indices are the circuit's
        qc.id(q)
        qc.rz(math.pi, q)
    return qc


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_frame_through_clifford_gates_is_the_conjugated_pauli(seed: int) -> None:
    gates = _lowered(_clifford_circuit(seed))
    rng = np.random.default_rng(100 + seed)
    u = _dense(gates, N)
    for _ in range(5):
        label = "".join(rng.choice(list("IXYZ"), size=N))
        frame = pauli_frame.Frame()
        frame.add(range(N), label)
        start = _pauli(frame, N)
        for g in gates:
            assert frame.through(g)
        want = u @ start @ u.conj().T
        got = _pauli(frame, N)
        overlap = abs(np.vdot(got, want)) / 2**N
        assert overlap == pytest.approx(1.0, abs=1e-9), (label, seed)


def test_frame_stops_where_it_does_not_commute_and_passes_where_it_does() -> None:
    qc = QuantumCircuit(2)
    qc.h(0)
    qc.rz(0.3, 1)  # a Z error on qubit 1 commutes with this, an X error does not
    qc.cx(0, 1)
    qc.ry(0.4, 0)
    gates = _lowered(qc)
    # Z on qubit 1 after gate 0: through RZ, then CX makes Z0 Z1, then RY(0.4) on 0 stops it
    rest, mask = pauli_frame.advance(gates, [(1, (1,), "Z")])
    assert mask == 0
    assert sorted(rest) == [(3, (0,), "Z"), (3, (1,), "Z")]
    # X on qubit 1 after gate 0 stops at the RZ at once
    rest, mask = pauli_frame.advance(gates, [(1, (1,), "X")])
    assert rest == [(1, (1,), "X")] and mask == 0
    # X on qubit 1 after the RY: nothing left but qubit 1 flipped (bit 1 of the mask)
    rest, mask = pauli_frame.advance(gates, [(3, (1,), "X")])
    assert rest == [] and mask == 0b10
    # two errors that cancel leave nothing at all
    rest, mask = pauli_frame.advance(gates, [(2, (0,), "Y"), (2, (0,), "Y")])
    assert rest == [] and mask == 0
    # a reset is never crossed: the frame (X on the CX's target passes it) is put back in front
    rest, mask = pauli_frame.advance(gates, [(2, (1,), "X"), (3, (1,), "R")])
    assert rest == [(3, (1,), "X"), (3, (1,), "R")] and mask == 0


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_light_cone_gives_the_error_trajectory_from_the_final_state(seed: int) -> None:
    """``U_rest P U_prefix |0> = V P V^dagger U |0>`` on a random non-Clifford 5-qubit circuit."""
    rng = np.random.default_rng(seed)
    n = 5
    qc = QuantumCircuit(n)
    for _ in range(4):
        for q in range(n):
            qc.rx(float(rng.uniform(0, 2 * math.pi)), q)
        a, b = (int(x) for x in rng.choice(n, size=2, replace=False))
        qc.cx(a, b)
    gates = _lowered(qc)
    position = int(rng.integers(1, len(gates)))
    q = int(rng.integers(n))
    label = str(rng.choice(list("XYZ")))
    error = Gate((q,), qsim_direct.pauli_flat(label))
    direct = qsim_direct.simulate(n, [*gates[:position], error, *gates[position:]], None, 1)
    final = qsim_direct.simulate(n, gates, None, 1)
    cone = pauli_frame.light_cone(gates, position, (q,))
    assert len(cone) <= len(gates) - position
    from qlab.execution.trajectories import _undo_gates

    via_cone = qsim_direct.simulate(n, _undo_gates(tuple(gates), [(position, (q,), label)]), final, 1)
    assert abs(np.vdot(direct, via_cone)) == pytest.approx(1.0, abs=1e-5)
