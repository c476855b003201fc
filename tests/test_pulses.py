"""The one pulse synthesis (qlab.hardware.pulses): exact, lean, and the same on every CPU.

* exact: for random sequences of one-qubit unitaries, Z rotations and entangling gates, the pulses
  it returns multiply to the same unitary, global phase included (seeds 1-3, 30 sequences each);
* lean: one pulse per run of one-qubit gates between entangling gates (PRX: always one; IonQ: one,
  or two GPI2 for an angle that is neither a half nor a quarter turn);
* robust: decisions (how many pulses, which kind) do not move when the input matrices carry noise
  of 1e-12, far more than the last-bit differences between BLAS kernels; the test fails if one
  does (every such difference is a decision that depends on rounding).
"""

from __future__ import annotations

import cmath
import math

import numpy as np
import pytest

from qlab.hardware import gates as table
from qlab.hardware.pulses import Keep, Pulse, Synthesis, equator, rz, z_then_equator

CZ = np.diag([1, 1, 1, -1]).astype(complex)


def haar(rng: np.random.Generator) -> np.ndarray:
    z = (rng.normal(size=(2, 2)) + 1j * rng.normal(size=(2, 2))) / math.sqrt(2)
    q, r = np.linalg.qr(z)
    return q * (np.diag(r) / abs(np.diag(r)))


def on(n: int, qubits: tuple[int, ...], m: np.ndarray) -> np.ndarray:
    """``m`` acting on ``qubits`` of ``n`` (qubit 0 most significant, as in the gate table)."""
    full = np.zeros((2**n, 2**n), dtype=complex)
    k = len(qubits)
    for i in range(2**n):
        bits = [(i >> (n - 1 - q)) & 1 for q in range(n)]
        sub_in = sum(bits[q] << (k - 1 - j) for j, q in enumerate(qubits))
        for sub_out in range(2**k):
            out = list(bits)
            for j, q in enumerate(qubits):
                out[q] = (sub_out >> (k - 1 - j)) & 1
            full[sum(b << (n - 1 - q) for q, b in enumerate(out)), i] += m[sub_out, sub_in]
    return full


def pulse_matrix(p: Pulse) -> np.ndarray:
    if p.name == "prx":
        return np.array(equator(p.params[1], p.params[0]))
    if p.name == "cz":
        return CZ
    return table.IONQ_MATRICES[p.name](*p.params)


def played(items, n: int, phase: float) -> np.ndarray:
    u = np.eye(2**n, dtype=complex)
    for item in items:
        assert isinstance(item, Pulse)
        u = on(n, item.qubits, pulse_matrix(item)) @ u
    return cmath.exp(1j * phase) * u


def random_program(kind: str, rng: np.random.Generator, n: int = 3, length: int = 12):
    """Feed a random program to a fresh Synthesis; return it and the program's exact unitary."""
    synth = Synthesis(kind)
    u = np.eye(2**n, dtype=complex)
    for _ in range(length):
        r = rng.random()
        q = int(rng.integers(n))
        if r < 0.45:
            m = haar(rng)
            synth.unitary(q, m)
            u = on(n, (q,), m) @ u
        elif r < 0.6:
            a = float(rng.uniform(-7, 7))
            synth.rz(q, a)
            u = on(n, (q,), np.array(rz(a))) @ u
        else:
            a, b = (int(x) for x in rng.choice(n, 2, replace=False))
            if kind == "prx":
                synth.cz(a, b)
                u = on(n, (a, b), CZ) @ u
            elif kind == "zz":
                theta = float(rng.uniform(-1.2, 1.2))
                synth.zz(a, b, theta)
                u = on(n, (a, b), table.zz(theta)) @ u
            else:
                phi0, phi1, theta = (float(x) for x in rng.uniform(-1.2, 1.2, 3))
                synth.ms(a, b, phi0, phi1, theta)
                u = on(n, (a, b), table.ms(phi0, phi1, theta)) @ u
    return synth, u


@pytest.mark.parametrize("kind", ["prx", "ms", "zz"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pulses_equal_the_program_exactly(kind, seed):
    rng = np.random.default_rng(seed)
    for _ in range(30):
        synth, u = random_program(kind, rng)
        items, phase = synth.finish()
        np.testing.assert_allclose(played(items, 3, phase), u, atol=1e-9)


@pytest.mark.parametrize("kind", ["prx", "ms", "zz"])
def test_one_pulse_per_run_of_one_qubit_gates(kind):
    """Between entangling gates every run is one pulse (one PRX; on IonQ one GPI/GPI2, or two GPI2
    for another angle); Z rotations cost nothing; nothing is played before a measurement that a
    frame could absorb."""
    rng = np.random.default_rng(7)
    synth = Synthesis(kind)
    for _ in range(3):
        for _ in range(4):  # four one-qubit gates and a Z rotation in a row, on each qubit
            synth.unitary(0, haar(rng))
            synth.unitary(1, haar(rng))
        synth.rz(0, 0.3)
        {"prx": lambda: synth.cz(0, 1), "ms": lambda: synth.ms(0, 1, 0.1, 0.2, 0.25),
         "zz": lambda: synth.zz(0, 1, 0.25)}[kind]()  # fmt: skip
    synth.rz(1, 1.1)  # dropped: a measurement follows
    synth.measure(0, "m0")
    synth.measure(1, "m1")
    items, _ = synth.finish()
    pulses = [i for i in items if isinstance(i, Pulse) and len(i.qubits) == 1]
    limit = 1 if kind == "prx" else 2
    assert len(pulses) <= 3 * 2 * limit
    assert [i.token for i in items if isinstance(i, Keep)] == ["m0", "m1"]
    last = max(k for k, i in enumerate(items) if isinstance(i, Pulse) and len(i.qubits) == 2)
    after = [i.qubits for i in items[last + 1:] if isinstance(i, Pulse)]
    assert (1,) not in after  # qubit 1 had only a Z rotation left: the measurement absorbs it
    assert len(after) <= limit  # qubit 0's last run: one pulse (two GPI2 at most)
    one_run = Synthesis("prx")
    one_run.unitary(0, haar(rng))
    one_run.rz(0, 0.7)
    one_run.unitary(0, haar(rng))
    one_run.measure(0, "m")
    assert sum(isinstance(i, Pulse) for i in one_run.finish()[0]) == 1


def test_special_angles_are_single_native_pulses():
    for m, name in ((np.array([[0, 1], [1, 0]]), "gpi"), (np.array(equator(0.3, math.pi / 2)), "gpi2")):
        synth = Synthesis("ms")
        synth.unitary(0, m)
        synth.measure(0, "m")
        items, _ = synth.finish()
        assert [i.name for i in items if isinstance(i, Pulse)] == [name]


def decisions(items) -> list[tuple]:
    """What was decided: the kind and qubits of every pulse, and its angles to 1e-6."""
    return [
        (i.name, i.qubits, tuple(round(float(p), 6) for p in i.params)) if isinstance(i, Pulse) else ("keep", i.token)
        for i in items
    ]


@pytest.mark.parametrize("kind", ["prx", "ms", "zz"])
def test_decisions_survive_noise_far_beyond_blas_rounding(kind):
    """Gates that are exactly special (identity, Z rotations, half and quarter turns, products
    that cancel) perturbed by 1e-12: the same pulses, the same angles to 1e-6. Seed 5."""
    special = [
        np.eye(2), np.array([[0, 1], [1, 0]]), np.array([[1, 0], [0, -1]]),
        np.array([[1, 1], [1, -1]]) / math.sqrt(2), np.array(equator(0.4, math.pi / 2)),
        np.array(equator(1.3, math.pi)), np.array(rz(0.9)),
    ]  # fmt: skip

    def run(noise: float):
        local = np.random.default_rng(5)
        synth = Synthesis(kind)
        for k in range(24):
            m = special[k % len(special)]
            m = m + noise * (local.normal(size=(2, 2)) + 1j * local.normal(size=(2, 2)))
            synth.unitary(k % 2, m)
            if k % 5 == 4:
                {"prx": lambda: synth.cz(0, 1), "ms": lambda: synth.ms(0, 1, 0.0, 0.0, 0.25),
                 "zz": lambda: synth.zz(0, 1, 0.25)}[kind]()  # fmt: skip
        return decisions(synth.finish()[0])

    assert run(0.0) == run(1e-12)


def test_z_then_equator_decomposes_exactly():
    rng = np.random.default_rng(3)
    for _ in range(50):
        u = haar(rng)
        alpha, delta, phi, beta = z_then_equator(tuple(map(tuple, u)))
        rebuilt = cmath.exp(1j * alpha) * np.array(rz(delta)) @ np.array(equator(phi, beta))
        np.testing.assert_allclose(rebuilt, u, atol=1e-12)
        assert 0 <= beta <= math.pi


def test_rotations_about_an_ms_axis_wait_for_the_next_run_and_stay_exact():
    """Aria's QFT: XX gates with rotations about X between them. A rotation about the MS gate's
    own axis commutes with it and is played later, once; the result stays exact. Seed 9."""
    rng = np.random.default_rng(9)
    synth = Synthesis("ms")
    u = np.eye(8, dtype=complex)
    for k in range(12):
        a, b = (0, 1 + k % 2)
        phi0, phi1, theta = 0.1, float(rng.uniform(0, 1)), float(rng.uniform(-0.3, 0.3))
        synth.ms(a, b, phi0, phi1, theta)
        u = on(3, (a, b), table.ms(phi0, phi1, theta)) @ u
        rot = np.array(equator(2 * math.pi * phi0, float(rng.uniform(0.1, 3))))  # about MS's axis
        synth.unitary(a, rot)
        u = on(3, (a,), rot) @ u
    items, phase = synth.finish()
    np.testing.assert_allclose(played(items, 3, phase), u, atol=1e-9)
    ones = [i for i in items if isinstance(i, Pulse) and i.qubits == (0,)]
    assert len(ones) <= 3  # played once at the end (GPI2 . GPI . GPI2 at most), not 12 times
