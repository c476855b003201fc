"""The noise of a device, decided once for both frameworks.

:func:`noise_params` turns a :class:`~qlab.hardware.spec.DeviceSpec` into plain numbers, and
:func:`channels_after` says, for every operation of a scheduled native circuit, which channels
follow it. The Qiskit side (:mod:`qlab.qiskit_side.aer`) and the Cirq side
(:mod:`qlab.cirq_side.noise`) render exactly these channels. The model:

* after every native one-qubit gate on qubit ``q``: a depolarizing channel with parameter
  ``lambda_1q[q]``, then thermal relaxation of ``q`` (T1, T2) for ``duration_1q``;
* after every native two-qubit gate on ``(a, b)``: a two-qubit depolarizing channel with
  ``lambda_2q[(a, b)]``, then thermal relaxation of ``a`` and of ``b`` for ``duration_2q``;
* while a qubit waits (an explicit ``delay``, or idle time that the schedule of
  :mod:`qlab.hardware.timing` finds between its gates and before the final readout): thermal
  relaxation for as long as it waits. ``idle=False`` leaves this out, the simpler model in which
  only gates err (lessons compare the two);
* at measurement: the read bit flips with probability ``readout[q]``. Resets are ideal.

How a published figure becomes lambda (:mod:`qlab.hardware.spec` for the conversions). IQM publishes
depolarizing lambdas that sit *beside* thermal relaxation in its own model (iqm-client's
``IQMFakeAdonis``), so they are used as given. IonQ publishes gate fidelities, which already
*include* every error source; IonQ's own noise models read them as process fidelities
(arXiv:2308.05071), and so does qlab: lambda is chosen so that depolarizing and relaxation
together give the published process infidelity (``F_pro(D_lambda o E) = (1 - lambda) F_pro(E) +
lambda / d^2``), and is 0 if relaxation alone already exceeds it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .spec import DeviceSpec


@dataclass(frozen=True)
class Channel:
    """One noise channel after an operation, in framework-neutral terms.

    ``kind`` is ``"depolarizing"`` (``p`` = lambda, on one or two qubits), ``"relaxation"``
    (``p`` = amplitude damping gamma, ``phase`` = phase damping gamma, one qubit) or
    ``"readout"`` (``p`` = probability that the read bit flips, one qubit).
    """

    kind: str
    qubits: tuple[int, ...]
    p: float
    phase: float = 0.0


@dataclass(frozen=True)
class NoiseParams:
    """Every number the noise model needs, for both frameworks."""

    num_qubits: int
    lambda_1q: tuple[float, ...]
    lambda_2q: dict[tuple[int, int], float]
    t1: tuple[float, ...]
    t2: tuple[float, ...]
    duration_1q: float
    duration_2q: float
    readout: tuple[float, ...]
    duration_measure: float = 0.0

    @property
    def is_noiseless(self) -> bool:
        return (
            not any(self.lambda_1q)
            and not any(self.lambda_2q.values())
            and not any(self.readout)
            and all(math.isinf(x) for x in self.t1 + self.t2)
        )

    def relaxation(self, q: int, duration: float) -> tuple[float, float]:
        """``(p_amplitude_damping, p_pure_dephasing)`` of qubit ``q`` over ``duration`` seconds.

        Amplitude damping gamma = 1 - exp(-t/T1). Pure dephasing is what T2 adds beyond T1:
        1/T_phi = 1/T2 - 1/(2 T1); the dephasing channel's parameter is 1 - exp(-2 t / T_phi)
        (cirq.PhaseDampingChannel's gamma), so that coherences decay as exp(-t/T2) in total.
        """
        t1, t2 = self.t1[q], min(self.t2[q], 2 * self.t1[q])
        if duration <= 0:
            return 0.0, 0.0
        gamma = 0.0 if math.isinf(t1) else 1.0 - math.exp(-duration / t1)
        inv_tphi = (0.0 if math.isinf(t2) else 1.0 / t2) - (0.0 if math.isinf(t1) else 0.5 / t1)
        phase = 1.0 - math.exp(-2.0 * duration * max(inv_tphi, 0.0))
        return gamma, phase

    def duration_of(self, num_qubits: int) -> float:
        """How long a native gate on ``num_qubits`` qubits takes."""
        return self.duration_1q if num_qubits == 1 else self.duration_2q

    # ---- the channels, one rule for every operation -------------------------------------------
    def gate_channels(self, qubits: tuple[int, ...]) -> list[Channel]:
        """What follows a native gate on ``qubits`` (one or two of them): depolarizing, then
        relaxation of each qubit for the gate's duration. Channels with nothing to do are left out."""
        if len(qubits) == 1:
            lam = self.lambda_1q[qubits[0]]
        else:
            lam = self.lambda_2q.get((min(qubits), max(qubits)), 0.0)
        out = [Channel("depolarizing", tuple(qubits), lam)] if lam > 0 else []
        for q in qubits:
            out += self.idle_channels(q, self.duration_of(len(qubits)))
        return out

    def idle_channels(self, q: int, duration: float) -> list[Channel]:
        """Thermal relaxation of ``q`` while it waits ``duration`` seconds."""
        gamma, phase = self.relaxation(q, duration)
        return [Channel("relaxation", (q,), gamma, phase)] if gamma > 0 or phase > 0 else []

    def readout_channel(self, q: int) -> list[Channel]:
        r = self.readout[q]
        return [Channel("readout", (q,), r)] if r > 0 else []

    # ---- what the whole gate channel costs ----------------------------------------------------
    def gate_infidelity(self, qubits: tuple[int, ...]) -> float:
        """Average gate infidelity of everything a native gate on ``qubits`` does wrong
        (depolarizing and relaxation together): the figure a Qiskit ``Target`` lists."""
        d = 2 ** len(qubits)
        relax = 1.0
        for q in qubits:
            relax *= relaxation_process_fidelity(self.t1[q], self.t2[q], self.duration_of(len(qubits)))
        lam = self.lambda_1q[qubits[0]] if len(qubits) == 1 else self.lambda_2q.get(
            (min(qubits), max(qubits)), 0.0
        )
        process = (1.0 - lam) * relax + lam / (d * d)
        return 1.0 - (d * process + 1.0) / (d + 1.0)


def relaxation_fidelity(t1: float, t2: float, duration: float) -> float:
    """Average gate fidelity of thermal relaxation for ``duration``: 1/2 + e^(-t/T1)/6 + e^(-t/T2)/3."""
    e1 = 0.0 if math.isinf(t1) else duration / t1
    e2 = 0.0 if math.isinf(t2) else duration / min(t2, 2 * t1)
    return 0.5 + math.exp(-e1) / 6.0 + math.exp(-e2) / 3.0


def relaxation_process_fidelity(t1: float, t2: float, duration: float) -> float:
    """Process fidelity of thermal relaxation for ``duration``: (1 + e^(-t/T1) + 2 e^(-t/T2)) / 4."""
    return (3.0 * relaxation_fidelity(t1, t2, duration) - 1.0) / 2.0


def _lambda_for(process_infidelity: float, relax_process: float, d: int) -> float:
    """Depolarizing lambda that, composed with relaxation of process fidelity ``relax_process``,
    gives ``process_infidelity`` in total: solve (1 - lambda) F_E + lambda / d^2 = 1 - e."""
    target = 1.0 - process_infidelity
    if relax_process - 1.0 / (d * d) <= 0:
        return 1.0
    lam = (relax_process - target) / (relax_process - 1.0 / (d * d))
    return min(max(lam, 0.0), 1.0)


def _process_infidelity(lam_figure: float, d: int) -> float:
    """Process infidelity of a depolarizing channel with lambda ``lam_figure``."""
    return lam_figure * (d * d - 1.0) / (d * d)


def noise_params(spec: DeviceSpec) -> NoiseParams:
    """The device's noise as plain numbers (all zero for a noiseless device)."""
    n = spec.num_qubits
    if spec.noiseless:
        inf = (math.inf,) * n
        return NoiseParams(n, (0.0,) * n, dict.fromkeys(spec.coupled_pairs, 0.0), inf, inf, 0, 0, (0.0,) * n)
    t1, t2 = spec.t1(), spec.t2()
    d1, d2 = spec.scalar("duration_1q"), spec.scalar("duration_2q")

    # the spec converts each figure to the lambda of a depolarizing channel with the same
    # infidelity; published gate fidelities (IonQ) include relaxation, which is taken out here
    if "depolarizing_1q" in spec.figures:
        lam1 = spec.depolarizing_1q()
    else:
        lam1 = tuple(
            _lambda_for(
                _process_infidelity(lam, 2), relaxation_process_fidelity(t1[q], t2[q], d1), 2
            )
            for q, lam in enumerate(spec.depolarizing_1q())
        )
    if "depolarizing_2q" in spec.figures:
        lam2 = spec.depolarizing_2q()
    else:
        lam2 = {}
        for (a, b), lam in spec.depolarizing_2q().items():
            relax = relaxation_process_fidelity(t1[a], t2[a], d2) * relaxation_process_fidelity(
                t1[b], t2[b], d2
            )
            lam2[(a, b)] = _lambda_for(_process_infidelity(lam, 4), relax, 4)
    return NoiseParams(
        n, tuple(lam1), lam2, t1, t2, d1, d2, spec.readout_error(), spec.scalar("duration_measure")
    )
