"""The noise of a device, decided once for both frameworks.

:func:`noise_params` turns a :class:`~qlab.spec.DeviceSpec` into plain numbers; the Qiskit side
(:mod:`qlab.qiskit_backend`) and the Cirq side (:mod:`qlab.cirq_noise`) render the *same* numbers
into an Aer ``NoiseModel`` and a ``cirq.NoiseModel``. The model, gate by gate:

* after every native one-qubit gate on qubit ``q``: a depolarizing channel with parameter
  ``lambda_1q[q]``, then thermal relaxation of ``q`` (T1, T2) for ``duration_1q``;
* after every native two-qubit gate on ``(a, b)``: a two-qubit depolarizing channel with
  ``lambda_2q[(a, b)]``, then thermal relaxation of ``a`` and of ``b`` for ``duration_2q``;
* at measurement: the read bit flips with probability ``readout[q]``;
* idle qubits do not decay (a teaching simplification, stated in the lessons).

How a published figure becomes lambda. IQM publishes depolarizing lambdas that sit *beside*
thermal relaxation in its own model, so they are used as given. IonQ publishes gate fidelities,
which already *include* every error source; there lambda is chosen so that depolarizing and
relaxation together give the published infidelity (as Aer's ``basic_device_gate_errors`` does),
and is 0 if relaxation alone already exceeds it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .spec import DeviceSpec


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


def relaxation_fidelity(t1: float, t2: float, duration: float) -> float:
    """Average gate fidelity of thermal relaxation for ``duration``: 1/2 + e^(-t/T1)/6 + e^(-t/T2)/3."""
    e1 = 0.0 if math.isinf(t1) else duration / t1
    e2 = 0.0 if math.isinf(t2) else duration / t2
    return 0.5 + math.exp(-e1) / 6.0 + math.exp(-e2) / 3.0


def _process(f_avg: float, d: int) -> float:
    """Process (entanglement) fidelity from average gate fidelity: F_pro = ((d + 1) F_avg - 1) / d."""
    return ((d + 1.0) * f_avg - 1.0) / d


def _lambda_for(infidelity: float, relax_process: float, d: int) -> float:
    """Depolarizing lambda that, composed with relaxation, gives ``infidelity`` in total."""
    target_process = _process(1.0 - infidelity, d)
    dep_process = target_process / relax_process if relax_process > 0 else 1.0
    lam = (1.0 - dep_process) * d * d / (d * d - 1.0)
    return min(max(lam, 0.0), 1.0)


def noise_params(spec: DeviceSpec) -> NoiseParams:
    """The device's noise as plain numbers (all zero for a noiseless device)."""
    n = spec.num_qubits
    if spec.noiseless:
        inf = (math.inf,) * n
        return NoiseParams(n, (0.0,) * n, dict.fromkeys(spec.coupled_pairs, 0.0), inf, inf, 0, 0, (0.0,) * n)
    t1, t2 = spec.t1(), spec.t2()
    d1, d2 = spec.scalar("duration_1q"), spec.scalar("duration_2q")

    if "depolarizing_1q" in spec.figures:
        lam1 = spec.depolarizing_1q()
    else:
        lam1 = tuple(
            _lambda_for(r, _process(relaxation_fidelity(t1[q], t2[q], d1), 2), 2)
            for q, r in enumerate(spec.error_1q())
        )
    if "depolarizing_2q" in spec.figures:
        lam2 = spec.depolarizing_2q()
    else:
        lam2 = {}
        for (a, b), r in spec.error_2q().items():
            relax = _process(relaxation_fidelity(t1[a], t2[a], d2), 2) * _process(
                relaxation_fidelity(t1[b], t2[b], d2), 2
            )
            lam2[(a, b)] = _lambda_for(r, relax, 4)
    return NoiseParams(n, tuple(lam1), lam2, t1, t2, d1, d2, spec.readout_error())
