"""Exact probabilities of a circuit's measured bits, noise included: what shots only estimate.

:func:`exact_distribution` gives ``{bits: probability}`` for a circuit on a device, from the very
program ``qlab.run`` samples (:mod:`qlab.execution.program`: the same compilation, the same waits)
and the same noise, carried exactly by Aer's density-matrix method, readout errors included. Checks
compare counts against it (``qlab.checks.counts_match(..., device=...)``). Keys follow qlab's one
bit order (last character = classical bit 0).

:func:`measured_probabilities` does the same for a Cirq circuit with a ``cirq.NoiseModel`` on
Cirq's own density-matrix simulator (the tests use it to check the Cirq rendering).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import TooMuchMemoryError, UnsupportedCircuitError
from ..hardware import library
from ..i18n import t
from .compiler import check_bound
from .convert import (
    CIRQ,
    QISKIT,
    cirq_measurement_plan,
    cirq_to_qiskit,
    framework_of,
    with_measurements,
)
from .engines import DENSITY_MATRIX_MAX_QUBITS
from .program import native_program


def exact_distribution(
    circuit: Any,
    device: Any = "ideal",
    *,
    noise: bool = True,
    idle_noise: bool = True,
    seed: int | None = None,
    strict: bool = False,
    initial_layout: list[int] | None = None,
) -> dict[str, float]:
    """``{bits: probability}`` of what ``circuit`` reads on ``device`` (outcomes of probability
    below 1e-15 left out). Arguments as for ``qlab.run``; ``initial_layout`` fixes the physical
    qubit of each circuit qubit (``initial_layout[i]`` holds qubit ``i``).

    Every measurement must come at the end. The density matrix must fit: at most
    ``DENSITY_MATRIX_MAX_QUBITS`` qubits in use after compilation.
    """
    framework = framework_of(circuit)
    spec = library.resolve(device)
    check_bound(circuit, framework, spec)
    circuit = with_measurements(circuit, framework)
    plan = cirq_measurement_plan(circuit)[0] if framework == CIRQ else None
    noisy = noise and not spec.noiseless
    if noisy:
        program = native_program(circuit, framework, spec, seed=seed, strict=strict,
                                 idle_noise=idle_noise, plan=plan, initial_layout=initial_layout)  # fmt: skip
        qc = program.circuit
    else:
        qc = circuit if framework == QISKIT else cirq_to_qiskit(circuit, plan=plan).circuit
    return _probabilities(qc, spec if noisy else None)


# ---- every placement a compiler would choose ---------------------------------------------------

MAX_PLACEMENTS = 120  # tried exhaustively up to this many (all of a 5-qubit chip)
_bounds_cache: dict[tuple, tuple[dict[str, tuple[float, float]], int]] = {}


def distribution_bounds(
    circuit: Any, device: Any = "ideal", *, idle_noise: bool = True, seed: int | None = None
) -> tuple[dict[str, tuple[float, float]], int]:
    """For each outcome, the least and the greatest probability ``circuit`` gives it on ``device``
    over the placements of its qubits that a compiler would choose; and how many such placements.

    On a noisy chip where qubits differ (IQM Spark), the same correct circuit reads differently
    depending on which physical qubits it lands on; a student's correct answer, written another
    way, may land elsewhere than the reference. The placements counted are those that need the
    fewest two-qubit gates after compilation (every placement is compiled when there are at most
    :data:`MAX_PLACEMENTS`; else only qlab's own). On an ideal device, or one whose qubits and
    pairs all have the same figures (IonQ's), every placement reads the same: one distribution.
    """
    framework = framework_of(circuit)
    spec = library.resolve(device)
    circuit = with_measurements(circuit, framework)
    if spec.noiseless or _uniform(spec):
        probs = exact_distribution(circuit, spec, idle_noise=idle_noise, seed=seed)
        return {k: (p, p) for k, p in probs.items()}, 1
    from .compiler import as_qiskit, cache_key, compile_native

    given = as_qiskit(circuit, framework, spec)
    key = cache_key(given.circuit, spec, 0 if seed is None else seed, 2, None)
    if key is not None and (key, idle_noise) in _bounds_cache:
        return _bounds_cache[(key, idle_noise)]
    layouts: list[list[int] | None] = [None, *_fewest_swap_layouts(given.circuit, spec)]
    compiled = []
    for layout in layouts:
        native = compile_native(given.circuit, spec, seed=seed, initial_layout=layout)
        cost = sum(1 for inst in native.data if len(inst.qubits) == 2 and inst.operation.name != "barrier")
        compiled.append((cost, layout))
    fewest = min(cost for cost, _ in compiled)
    chosen = [layout for cost, layout in compiled if cost == fewest]
    dists = [exact_distribution(circuit, spec, idle_noise=idle_noise, seed=seed, initial_layout=layout)
             for layout in chosen]  # fmt: skip
    keys = set().union(*dists)
    bounds = {k: (min(d.get(k, 0.0) for d in dists), max(d.get(k, 0.0) for d in dists)) for k in keys}
    result = (bounds, len({tuple(layout) if layout else None for layout in chosen}))
    if key is not None:
        _bounds_cache[(key, idle_noise)] = result
    return result


def _uniform(spec: Any) -> bool:
    """Do all qubits and pairs of an all-to-all device have the same figures?"""
    from ..qiskit_side.backend import backend_for

    p = backend_for(spec).params
    return spec.all_to_all and all(
        len(set(values)) <= 1
        for values in (p.lambda_1q, tuple(p.lambda_2q.values()), p.t1, p.t2, p.readout)
    )


def _fewest_swap_layouts(qc: Any, spec: Any) -> list[list[int]]:
    """Every placement of ``qc``'s qubits on the device whose two-qubit interactions fall on
    uncoupled pairs the fewest times (none, where that is possible); empty when there are more
    than :data:`MAX_PLACEMENTS` placements to try."""
    import itertools
    import math as _math

    from .compiler import interactions

    n, m = qc.num_qubits, spec.num_qubits
    if _math.perm(m, n) > MAX_PLACEMENTS:
        return []
    pairs = interactions(qc)
    scored = []
    for layout in itertools.permutations(range(m), n):
        cost = sum(c for (a, b), c in pairs.items() if not spec.is_coupled(layout[a], layout[b]))
        scored.append((cost, list(layout)))
    best = min(cost for cost, _ in scored)
    return [layout for cost, layout in scored if cost == best]


def _probabilities(qc: Any, spec: Any) -> dict[str, float]:
    """Exact outcome probabilities of ``qc``'s classical bits; with ``spec``, under its noise."""
    from qiskit_aer import AerSimulator

    from ..qiskit_side.aer import to_aer_circuit
    from ..qiskit_side.backend import backend_for

    reads: dict[int, int] = {}  # classical bit -> the qubit it reads
    body = qc.copy_empty_like()
    measured_qubits: set[int] = set()
    for inst in qc.data:
        name = inst.operation.name
        qubits = [qc.find_bit(q).index for q in inst.qubits]
        if name == "measure":
            reads[qc.find_bit(inst.clbits[0]).index] = qubits[0]
            measured_qubits.add(qubits[0])
            continue
        if measured_qubits.intersection(qubits) and name != "barrier":
            raise UnsupportedCircuitError(t("run.exact_mid_circuit", gate=name))
        if inst.clbits or getattr(inst.operation, "condition", None) is not None:
            raise UnsupportedCircuitError(t("run.exact_mid_circuit", gate=name))
        body._append(inst)
    active = {qc.find_bit(q).index for inst in body.data for q in inst.qubits} | measured_qubits
    if len(active) > DENSITY_MATRIX_MAX_QUBITS:
        raise TooMuchMemoryError(t("run.exact_too_wide", qubits=len(active), max=DENSITY_MATRIX_MAX_QUBITS))
    order = sorted(set(reads.values()))
    if spec is None:
        probs = _ideal(body, order, sorted(active))
    else:
        backend = backend_for(spec)
        noisy = to_aer_circuit(body, backend.params, spec)
        noisy.save_probabilities(order, label="p")
        sim = AerSimulator(method="density_matrix", noise_model=backend.noise_model)
        result = sim.run(noisy, shots=1).result()
        probs = np.asarray(result.data(0)["p"], dtype=float)
        probs = _with_readout(probs, [backend.params.readout[q] for q in order])
    position = {q: j for j, q in enumerate(order)}
    nbits = qc.num_clbits
    out: dict[str, float] = {}
    for index, p in enumerate(probs):
        if p < 1e-15:
            continue
        bits = ["0"] * nbits
        for clbit, q in reads.items():
            bits[nbits - 1 - clbit] = "1" if (index >> position[q]) & 1 else "0"
        key = "".join(bits)
        out[key] = out.get(key, 0.0) + float(p)
    return out


def _ideal(body: Any, order: list[int], active: list[int]) -> np.ndarray:
    """Exact probabilities of the qubits ``order`` (a state vector of the ``active`` qubits only:
    a circuit compiled for a 36-qubit device may use 3 of them)."""
    from qiskit import QuantumCircuit
    from qiskit.circuit import CircuitInstruction
    from qiskit.quantum_info import Statevector

    from ..qiskit_side.aer import to_aer_circuit

    small = QuantumCircuit(len(active), global_phase=body.global_phase)
    place = {q: k for k, q in enumerate(active)}
    for inst in to_aer_circuit(body).data:
        if inst.operation.name == "barrier":
            continue
        qubits = [small.qubits[place[body.find_bit(q).index]] for q in inst.qubits]
        small._append(CircuitInstruction(inst.operation, qubits, ()))
    state = Statevector(small)
    return np.asarray(state.probabilities([place[q] for q in order]), dtype=float)


def _with_readout(probs: np.ndarray, flips: list[float]) -> np.ndarray:
    """``probs`` over qubits ``0..m-1`` (qubit 0 least significant) after each reads wrong with
    probability ``flips[j]``."""
    m = len(flips)
    if m == 0:
        return probs
    tensor = probs.reshape((2,) * m)  # axis 0 is the most significant qubit (m - 1)
    for j, r in enumerate(flips):
        if r > 0:
            axis = m - 1 - j
            tensor = (1 - r) * tensor + r * np.flip(tensor, axis=axis)
    return tensor.reshape(-1)


def measured_probabilities(circuit: Any, noise_model: Any = None) -> tuple[list[Any], np.ndarray]:
    """Exact probabilities of the bits measured at the end of a Cirq ``circuit``, noise included.

    Returns ``(qubits, probs)``: ``qubits`` are the measured qubits in order of first measurement,
    and ``probs[i]`` is the probability of the bits of ``i`` written big-endian over ``qubits``
    (``qubits[0]`` is the most significant bit, cirq's convention). Only terminal measurements
    are supported; the noise model's readout flips are kept, the measurements themselves are
    replaced by reading the diagonal of the final density matrix.
    """
    import cirq

    noise = noise_model if noise_model is not None else cirq.NO_NOISE
    if not circuit.are_all_measurements_terminal():
        raise ValueError("measured_probabilities needs all measurements at the end of the circuit")
    measured: list[Any] = []
    for op in circuit.all_operations():
        if cirq.is_measurement(op):
            measured += [q for q in op.qubits if q not in measured]
    noisy = cirq.Circuit(noise.noisy_moments(circuit, sorted(circuit.all_qubits())))
    no_measure = cirq.drop_empty_moments(
        cirq.map_operations(noisy, lambda op, _: [] if cirq.is_measurement(op) else op)
    )
    qubits = sorted(circuit.all_qubits())
    sim = cirq.DensityMatrixSimulator(dtype=np.complex128)  # exact: double precision
    rho = sim.simulate(no_measure, qubit_order=qubits).final_density_matrix
    full = np.real(np.diag(rho)).reshape([2] * len(qubits))
    keep = [qubits.index(q) for q in measured]
    drop = tuple(i for i in range(len(qubits)) if i not in keep)
    marg = full.sum(axis=drop) if drop else full
    ranks = sorted(keep)  # axes of marg follow the device order; put them in measured order
    marg = np.transpose(marg, [ranks.index(k) for k in keep])
    return measured, marg.reshape(-1)
