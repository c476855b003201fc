"""What a device runs for a circuit: its native, timed program, the same for every engine.

A noisy run (``qlab.run``) and an exact noisy distribution (:mod:`qlab.execution.exact`) both start
here, so they cannot disagree:

1. the circuit is compiled (:func:`qlab.execution.compiler.compile_native`: Qiskit and Cirq
   circuits alike, the same layout and gates) or, with ``strict=True``, checked to be native
   already and taken gate for gate;
2. the device's clock is applied (:mod:`qlab.hardware.timing`): every wait becomes a delay, so the
   waiting qubit relaxes; ``idle_noise=False`` drops waits and delays instead (the simpler model
   in which only gates and readout err).

The result is a Qiskit circuit on the device's physical qubits whose classical bits are the
caller's: a Qiskit circuit's own bits, or for a Cirq circuit the bits of qlab's one convention
(the sorted measured qubits), so counts read the same in both frameworks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..hardware.spec import DeviceSpec
from ..i18n import t
from .compiler import DEFAULT_OPTIMIZATION_LEVEL, as_qiskit, compile_native, enforce_native
from .convert import CIRQ, cirq_to_qiskit


@dataclass(frozen=True)
class Program:
    """A native, timed circuit and the device it is for."""

    circuit: Any  # qiskit.QuantumCircuit on the device's physical qubits, waits as delays
    spec: DeviceSpec
    idle_noise: bool


def native_program(
    circuit: Any,
    framework: str,
    spec: DeviceSpec,
    *,
    seed: int | None = None,
    strict: bool = False,
    idle_noise: bool = True,
    plan: list[tuple[str, list[int]]] | None = None,
    initial_layout: list[int] | None = None,
) -> Program:
    """The program ``spec`` runs for ``circuit`` (a Qiskit or Cirq circuit with measurements).

    ``plan`` is a Cirq circuit's measurement plan (``cirq_measurement_plan``); ``initial_layout``
    fixes where the circuit's qubits start (used to compare placements).
    """
    from ..qiskit_side.backend import backend_for, without_delays
    from ..qiskit_side.schedule import with_waits

    if strict:
        enforce_native(circuit, framework, spec, remedy=t("run.strict_remedy"))
        if framework == CIRQ:
            native = cirq_to_qiskit(circuit, physical=True, plan=plan).circuit
        else:
            native = circuit
    else:
        given = as_qiskit(circuit, framework, spec)
        native = compile_native(
            given.circuit, spec, seed=seed, level=DEFAULT_OPTIMIZATION_LEVEL,
            initial_layout=initial_layout,
        )  # fmt: skip
    params = backend_for(spec).params
    timed = with_waits(native, spec, params) if idle_noise else without_delays(native)
    return Program(timed, spec, idle_noise)
