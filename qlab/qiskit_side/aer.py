"""The device's noise for Aer: a ``NoiseModel`` for gates and readout, relaxation for waits.

Both render the channels of :mod:`qlab.hardware.noise` (one rule for every framework):

* :func:`build_noise_model` attaches to every native gate the channels
  ``NoiseParams.gate_channels`` names (depolarizing, then thermal relaxation for the gate's
  duration) and to every qubit its readout bit flip;
* :func:`to_aer_circuit` readies a native circuit for Aer: each ``delay`` (the waits that
  :mod:`qlab.qiskit_side.schedule` wrote in, and the user's own) becomes the relaxation channel of
  that qubit for that long, and each IonQ gate its exact matrix as a ``UnitaryGate`` *labelled*
  with the gate's name, because Aer does not know IonQ's gates but applies a noise model's errors
  for a name to unitaries with that label.

Aer's ``thermal_relaxation_error(T1, min(T2, 2 T1), t)`` is the same channel as amplitude damping
``1 - exp(-t/T1)`` followed by the pure dephasing of :meth:`NoiseParams.relaxation` (the tests
check this), in the form Aer samples fastest.
"""

from __future__ import annotations

import math
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from qiskit.circuit import CircuitInstruction, QuantumCircuit
from qiskit.circuit.library import UnitaryGate

from ..errors import NotNativeError
from ..hardware.gates import IONQ_GATE_NAMES, TWO_QUBIT_GATES
from ..hardware.noise import Channel, NoiseParams
from ..hardware.spec import DeviceSpec
from ..i18n import t
from .read import delay_seconds, unbound_names

if TYPE_CHECKING:
    from qiskit_aer.noise import NoiseModel, QuantumError


@cache
def _relaxation(t1: float, t2: float, duration: float) -> QuantumError | None:
    from qiskit_aer.noise import thermal_relaxation_error

    t2 = min(t2, 2 * t1)
    if duration <= 0 or (math.isinf(t1) and math.isinf(t2)):
        return None
    return thermal_relaxation_error(t1, t2, duration)


@cache
def _depolarizing(lam: float, n: int) -> QuantumError:
    from qiskit_aer.noise import depolarizing_error

    return depolarizing_error(lam, n)


def _identity() -> QuantumError:
    from qiskit_aer.noise import QuantumError

    return QuantumError([(QuantumCircuit(1), 1.0)])


def _render(channels: list[Channel], qubits: tuple[int, ...], p: NoiseParams) -> QuantumError | None:
    """Aer's error for the channels that follow one gate on ``qubits`` (in that order)."""
    result = None
    relax: dict[int, QuantumError] = {}
    for ch in channels:
        if ch.kind == "depolarizing":
            err = _depolarizing(ch.p, len(ch.qubits))
            result = err if result is None else result.compose(err)
        elif ch.kind == "relaxation":
            (q,) = ch.qubits
            err = _relaxation(p.t1[q], p.t2[q], p.duration_of(len(qubits)))
            if err is not None:
                relax[q] = err
    if relax:
        if len(qubits) == 1:
            both = relax[qubits[0]]
        else:  # Aer's tensor puts its right-hand factor on the instruction's first qubit
            both = relax.get(qubits[1], _identity()).tensor(relax.get(qubits[0], _identity()))
        result = both if result is None else result.compose(both)
    return _one_channel(result)


def _one_channel(err: QuantumError | None) -> QuantumError | None:
    """``err`` as a single Kraus channel, the same map. A composed error is stored as every product
    of its parts' terms (144 circuits for a CZ's depolarizing and relaxation), and Aer serialises
    the whole noise model on every run: in one channel a run on a noisy chip starts several times
    faster (``benchmarks/noise_channel_form.py``). The Kraus operators come from the eigenvectors of
    the channel's Choi matrix, all of them kept (Qiskit's own conversion drops terms below 1e-8), so
    the map agrees to rounding."""
    if err is None or len(err.circuits) <= 1:
        return err
    from qiskit.quantum_info import Choi, Kraus
    from qiskit_aer.noise import QuantumError

    choi = Choi(err.to_quantumchannel())
    d_in, d_out = choi.dim
    weights, vectors = np.linalg.eigh(choi.data)
    ops = [math.sqrt(w) * vectors[:, i].reshape((d_out, d_in), order="F") for i, w in enumerate(weights) if w > 0]
    return QuantumError(Kraus(ops))


def build_noise_model(spec: DeviceSpec, params: NoiseParams) -> NoiseModel | None:
    """The device's gate and readout noise as an Aer ``NoiseModel`` (``None`` when noiseless).

    Every error is made once per distinct set of numbers; where one error holds for every qubit
    (or, all-to-all, every pair) it is added once for all, which keeps Aer fast on 36 qubits.
    """
    from qiskit_aer.noise import NoiseModel, ReadoutError

    if spec.noiseless or params.is_noiseless:
        return None
    natives = list(spec.native_gates)
    aer_basis = [g for g in natives if g not in IONQ_GATE_NAMES] + ["unitary"]
    model = NoiseModel(basis_gates=aer_basis)
    one_q = [g for g in natives if g not in TWO_QUBIT_GATES]
    two_q = [g for g in natives if g in TWO_QUBIT_GATES]

    @cache
    def gate_error(qubits: tuple[int, ...]) -> QuantumError | None:
        return _render(params.gate_channels(qubits), qubits, params)

    def same(keys: list[tuple[int, ...]]) -> bool:
        sig = {(params.lambda_1q[k[0]] if len(k) == 1 else params.lambda_2q.get(tuple(sorted(k))),
                tuple((params.t1[q], params.t2[q]) for q in k)) for k in keys}  # fmt: skip
        return len(sig) == 1

    singles = [(q,) for q in range(spec.num_qubits)]
    if one_q and same(singles):
        err = gate_error(singles[0])
        if err is not None:
            model.add_all_qubit_quantum_error(err, one_q, warnings=False)
    elif one_q:
        for key in singles:
            err = gate_error(key)
            if err is not None:
                model.add_quantum_error(err, one_q, list(key), warnings=False)
    pairs = [(x, y) for a, b in params.lambda_2q for x, y in ((a, b), (b, a))]
    if two_q and spec.all_to_all and same(pairs):
        err = gate_error(pairs[0])
        if err is not None:
            model.add_all_qubit_quantum_error(err, two_q, warnings=False)
    elif two_q:
        for key in pairs:
            err = gate_error(key)
            if err is not None:
                model.add_quantum_error(err, two_q, list(key), warnings=False)
    readout = params.readout
    if len(set(readout)) == 1:
        if readout[0] > 0:
            r = readout[0]
            model.add_all_qubit_readout_error(ReadoutError([[1 - r, r], [r, 1 - r]]), warnings=False)
    else:
        for q, r in enumerate(readout):
            if r > 0:
                model.add_readout_error(ReadoutError([[1 - r, r], [r, 1 - r]]), [q], warnings=False)
    return model


def to_aer_circuit(
    circuit: QuantumCircuit, params: NoiseParams | None = None, spec: DeviceSpec | None = None
) -> QuantumCircuit:
    """``circuit`` ready for Aer: IonQ gates as labelled unitaries; with ``params``, every delay
    replaced by the relaxation of its qubit for that long (``spec`` gives the unit ``dt``).

    A circuit with nothing to replace comes back unchanged (the same object).
    """
    data = circuit.data
    names = {inst.operation.name for inst in data}
    if not names & set(IONQ_GATE_NAMES) and not (params is not None and "delay" in names):
        return circuit
    dt = 1e-9 if spec is None else (spec.scalar("dt", 1e-9) or 1e-9)
    out = circuit.copy_empty_like()
    for inst in data:
        op = inst.operation
        if op.name in IONQ_GATE_NAMES:
            if unbound_names(op):
                raise NotNativeError(t("qiskit.unbound_parameter", gate=op.name))
            gate = UnitaryGate(np.asarray(op), label=op.name, check_input=False)
            out._append(CircuitInstruction(gate, inst.qubits, inst.clbits))
        elif op.name == "delay" and params is not None:
            q = circuit.find_bit(inst.qubits[0]).index
            err = _relaxation(params.t1[q], params.t2[q], delay_seconds(op, dt))
            if err is not None:
                out._append(CircuitInstruction(err.to_instruction(), inst.qubits, ()))
        else:
            out._append(inst)
    return out
