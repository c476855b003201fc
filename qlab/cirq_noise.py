"""A device's noise as a ``cirq.NoiseModel``: the numbers of :mod:`qlab.noise`, rendered for Cirq.

The model is the one :mod:`qlab.noise` decides for both frameworks (the Qiskit side renders the
same numbers for Aer), moment by moment:

* after every one-qubit gate on qubit ``q``: a depolarizing channel with lambda ``lambda_1q[q]``,
  then amplitude damping and phase damping of ``q`` for ``duration_1q``
  (``NoiseParams.relaxation``);
* after every two-qubit gate on ``(a, b)``: a two-qubit depolarizing channel with
  ``lambda_2q[(a, b)]``, then amplitude and phase damping of ``a`` and ``b`` for ``duration_2q``;
* before every measurement: each measured qubit flips with probability ``readout[q]`` (for a
  measurement at the end of a circuit this is exactly a classical readout error);
* idle qubits do not decay.

Conventions, so that the numbers mean the same as in Aer: a depolarizing *lambda* maps rho to
``(1 - lambda) rho + lambda I/d``; ``cirq.depolarize(p)`` applies each of the ``d^2 - 1``
non-identity Paulis with probability ``p / (d^2 - 1)``, so ``p = lambda (d^2 - 1) / d^2``
(3/4 lambda for one qubit, 15/16 lambda for two). Channels with probability 0 are left out, so the
ideal device adds nothing at all.

The model expects a compiled circuit (:func:`qlab.cirq_compile.compile_circuit`): every gate is
treated as one native gate.
"""

from __future__ import annotations

from collections.abc import Sequence

import cirq

from .errors import QubitNotOnDeviceError, UncoupledQubitsError
from .i18n import t
from .noise import NoiseParams, noise_params
from .spec import DeviceSpec


def _index(q: cirq.Qid, spec: DeviceSpec) -> int:
    if isinstance(q, cirq.LineQubit) and 0 <= q.x < spec.num_qubits:
        return q.x
    raise QubitNotOnDeviceError(
        t("validate.unknown_qubit", qubit=repr(q), device=spec.name, last=spec.num_qubits - 1)
    )


class QlabNoiseModel(cirq.NoiseModel):
    """Depolarizing + thermal relaxation after each gate, bit flips before each measurement."""

    def __init__(self, spec: DeviceSpec, params: NoiseParams | None = None):
        self.spec = spec
        self.params = params if params is not None else noise_params(spec)

    # the channels, one function each so tests can look at them
    def gate_channels(
        self, op: cirq.Operation
    ) -> tuple[list[cirq.Operation], list[cirq.Operation]]:
        """``(depolarizing, relaxation)`` channels that follow the gate ``op``."""
        p = self.params
        idx = [_index(q, self.spec) for q in op.qubits]
        dep: list[cirq.Operation] = []
        if len(idx) == 1:
            lam, duration = p.lambda_1q[idx[0]], p.duration_1q
            if lam > 0:
                dep.append(cirq.depolarize(0.75 * lam).on(*op.qubits))
        else:
            pair = (min(idx), max(idx))
            if pair not in p.lambda_2q:
                raise UncoupledQubitsError(
                    t(
                        "validate.uncoupled",
                        gate=str(op.gate),
                        qubits=" and ".join(f"q{i}" for i in idx),
                        labels="-".join(self.spec.label(i) for i in idx),
                        device=self.spec.name,
                        pairs=", ".join(f"{a}-{b}" for a, b in self.spec.coupled_pairs),
                    )
                )
            lam, duration = p.lambda_2q[pair], p.duration_2q
            if lam > 0:
                dep.append(cirq.depolarize(15 / 16 * lam, n_qubits=2).on(*op.qubits))
        relax: list[cirq.Operation] = []
        for q, i in zip(op.qubits, idx, strict=True):
            gamma, phase = p.relaxation(i, duration)
            if gamma > 0:
                relax.append(cirq.amplitude_damp(gamma).on(q))
            if phase > 0:
                relax.append(cirq.phase_damp(phase).on(q))
        return dep, relax

    def readout_channels(self, op: cirq.Operation) -> list[cirq.Operation]:
        """The bit flips before a measurement."""
        out = []
        for q in op.qubits:
            r = self.params.readout[_index(q, self.spec)]
            if r > 0:
                out.append(cirq.bit_flip(r).on(q))
        return out

    def noisy_moment(self, moment: cirq.Moment, system_qubits: Sequence[cirq.Qid]) -> cirq.OP_TREE:
        before: list[cirq.Operation] = []
        dep: list[cirq.Operation] = []
        amp: list[cirq.Operation] = []
        phase: list[cirq.Operation] = []
        for op in moment:
            if cirq.is_measurement(op):
                before += self.readout_channels(op)
            elif op.qubits and cirq.has_unitary(op) and len(op.qubits) <= 2:
                d, r = self.gate_channels(op)
                dep += d
                amp += [c for c in r if isinstance(c.gate, cirq.AmplitudeDampingChannel)]
                phase += [c for c in r if isinstance(c.gate, cirq.PhaseDampingChannel)]
        # amplitude damping first, phase damping after (they commute; the order is for the reader)
        layers = [cirq.Moment(before)] if before else []
        layers.append(moment)
        layers += [cirq.Moment(ops) for ops in (dep, amp, phase) if ops]
        return layers

    def __repr__(self) -> str:
        return f"qlab.cirq_noise.noise_model({self.spec.name!r})"


def noise_model(spec: DeviceSpec) -> cirq.NoiseModel:
    """The device's noise for Cirq simulators (``cirq.NO_NOISE`` for a noiseless device).

    >>> import cirq, qlab
    >>> from qlab.cirq_noise import noise_model
    >>> noise_model(qlab.device("ideal").spec) is cirq.NO_NOISE
    True
    """
    params = noise_params(spec)
    if params.is_noiseless:
        return cirq.NO_NOISE
    return QlabNoiseModel(spec, params)
