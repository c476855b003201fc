"""A device's noise as a ``cirq.NoiseModel``: the channels of :mod:`qlab.hardware.noise`, for Cirq.

The rule is the one :mod:`qlab.hardware.noise` states for both frameworks, operation by operation:

* after every one-qubit gate on qubit ``q``: a depolarizing channel with lambda ``lambda_1q[q]``,
  then amplitude damping and phase damping of ``q`` for ``duration_1q``;
* after every two-qubit gate on ``(a, b)``: a two-qubit depolarizing channel with
  ``lambda_2q[(a, b)]``, then amplitude and phase damping of ``a`` and ``b`` for ``duration_2q``;
* a ``cirq.WaitGate`` (a wait the schedule found, or the user's own): amplitude and phase damping
  of its qubit for as long as it lasts;
* before every measurement: each measured qubit flips with probability ``readout[q]`` (for a
  measurement at the end of a circuit this is exactly a classical readout error).

Idle time is not found here: a circuit gets its waits from the device's schedule first
(``qlab.run`` does that for every noisy run, :mod:`qlab.hardware.timing`); this model then treats a
wait like any other operation.

Conventions, so that the numbers mean the same as in Aer: a depolarizing *lambda* maps rho to
``(1 - lambda) rho + lambda I/d``; ``cirq.depolarize(p)`` applies each of the ``d^2 - 1``
non-identity Paulis with probability ``p / (d^2 - 1)``, so ``p = lambda (d^2 - 1) / d^2``
(3/4 lambda for one qubit, 15/16 lambda for two). Channels with probability 0 are left out, so the
ideal device adds nothing at all.

The model expects a native circuit on the device's ``LineQubit`` s (``qlab.transpile``): every
one- or two-qubit gate counts as one native gate.
"""

from __future__ import annotations

from typing import Any

import cirq

from ..errors import QubitNotOnDeviceError
from ..hardware.noise import Channel, NoiseParams, noise_params
from ..hardware.rules import enforce
from ..hardware.spec import DeviceSpec
from ..i18n import t
from .read import read_op


def _index(q: cirq.Qid, spec: DeviceSpec) -> int:
    if isinstance(q, cirq.LineQubit) and 0 <= q.x < spec.num_qubits:
        return q.x
    raise QubitNotOnDeviceError(
        t("device.unknown_qubit", qubit=repr(q), device=spec.name, last=spec.num_qubits - 1)
    )


def render(channel: Channel, qubits: dict[int, cirq.Qid]) -> list[cirq.Operation]:
    """Cirq operations for one framework-neutral channel (relaxation: amplitude, then phase)."""
    on = [qubits[i] for i in channel.qubits]
    if channel.kind == "depolarizing":
        n = len(on)
        return [cirq.depolarize(channel.p * (4**n - 1) / 4**n, n_qubits=n).on(*on)]
    if channel.kind == "readout":
        return [cirq.bit_flip(channel.p).on(*on)]
    out = []
    if channel.p > 0:
        out.append(cirq.amplitude_damp(channel.p).on(*on))
    if channel.phase > 0:
        out.append(cirq.phase_damp(channel.phase).on(*on))
    return out


class QlabNoiseModel(cirq.NoiseModel):
    """Depolarizing + thermal relaxation after each gate, relaxation while waiting, bit flips
    before each measurement."""

    def __init__(self, spec: DeviceSpec, params: NoiseParams | None = None):
        self.spec = spec
        self.params = params if params is not None else noise_params(spec)

    def _qubits(self, op: cirq.Operation) -> dict[int, cirq.Qid]:
        return {_index(q, self.spec): q for q in op.qubits}

    # the channels, one function each so tests can look at them
    def gate_channels(self, op: cirq.Operation) -> tuple[list[cirq.Operation], list[cirq.Operation]]:
        """``(depolarizing, relaxation)`` channels that follow the gate ``op``."""
        qubits = self._qubits(op)
        dep: list[cirq.Operation] = []
        relax: list[cirq.Operation] = []
        for ch in self.params.gate_channels(tuple(qubits)):
            (dep if ch.kind == "depolarizing" else relax).extend(render(ch, qubits))
        return dep, relax

    def wait_channels(self, op: cirq.Operation) -> list[cirq.Operation]:
        """Relaxation of the waiting qubits for the ``cirq.WaitGate``'s duration."""
        seconds = op.gate.duration.total_nanos() * 1e-9  # type: ignore[union-attr]
        qubits = self._qubits(op)
        return [x for i in qubits for ch in self.params.idle_channels(i, seconds)
                for x in render(ch, qubits)]  # fmt: skip

    def readout_channels(self, op: cirq.Operation) -> list[cirq.Operation]:
        """The bit flips before a measurement."""
        qubits = self._qubits(op)
        return [x for i in qubits for ch in self.params.readout_channel(i) for x in render(ch, qubits)]

    def noisy_operation(self, operation: cirq.Operation) -> Any:
        if cirq.is_measurement(operation):
            return [*self.readout_channels(operation), operation]
        if isinstance(operation.gate, cirq.WaitGate):
            return [operation, *self.wait_channels(operation)]
        if operation.qubits and cirq.has_unitary(operation) and len(operation.qubits) <= 2:
            if len(operation.qubits) == 2:  # noise of an uncoupled pair does not exist: say so
                a, b = (_index(q, self.spec) for q in operation.qubits)
                if not self.spec.is_coupled(a, b):
                    enforce(0, [read_op(operation, (a, b))], self.spec, cirq=True)
            dep, relax = self.gate_channels(operation)
            return [operation, *dep, *relax]
        return operation

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
