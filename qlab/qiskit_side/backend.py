"""A qlab device as a Qiskit backend: native gates, coupling map, figures, and Aer noise.

:func:`build_backend` renders a :class:`~qlab.hardware.spec.DeviceSpec` as a ``BackendV2``:

* its ``target`` lists the native gates (IonQ: ``gpi``, ``gpi2`` and ``ms`` on Aria or ``zz`` on
  Forte; IQM Spark: ``r`` and ``cz``; ideal: ``rx``, ``ry``, ``rz``, ``cx``) on every qubit and on
  every coupled pair (both directions), each with its duration and the average gate infidelity of
  everything the gate does wrong (depolarizing and relaxation together), and ``measure`` with the
  readout error, ``reset`` and ``delay`` (its ``dt`` is the device's); so ``qiskit.transpile(circuit,
  backend)`` gives a circuit of native gates on coupled pairs only, and a Qiskit user sees the
  figures qlab uses;
* its ``noise_model`` is the Aer ``NoiseModel`` of the gates and the readout
  (:mod:`qlab.qiskit_side.aer`);
* ``run`` checks that each circuit is native (the one rule, :mod:`qlab.hardware.rules`), lays it out
  in time (waiting qubits relax; ``idle_noise=False`` leaves that out) and simulates it on Aer.
  The Qiskit primitives work on it, e.g. ``qiskit.primitives.BackendSamplerV2(backend=backend)``.

>>> import qlab, qiskit
>>> backend = qlab.device("iqm-spark").qiskit_backend()
>>> sorted(backend.target.operation_names)
['cz', 'delay', 'measure', 'r', 'reset']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from qiskit.circuit import Delay, Measure, Parameter, QuantumCircuit, Reset
from qiskit.circuit.library import get_standard_gate_name_mapping
from qiskit.providers import BackendV2, Options, QubitProperties
from qiskit.transpiler import InstructionProperties, Target

from .._version import __version__
from ..hardware.gates import IONQ_GATE_NAMES, TWO_QUBIT_GATES, synthesis_of
from ..hardware.library import once_per_spec
from ..hardware.noise import NoiseParams, noise_params
from ..hardware.rules import enforce
from ..hardware.spec import DeviceSpec
from ..i18n import t
from .aer import build_noise_model, to_aer_circuit
from .gates import IONQ_GATES
from .read import circuit_ops
from .schedule import dt_of, with_waits

if TYPE_CHECKING:
    from qiskit_aer import AerSimulator
    from qiskit_aer.jobs import AerJob
    from qiskit_aer.noise import NoiseModel

__all__ = ["QlabBackend", "backend_for", "build_backend", "build_noise_model", "build_target",
           "to_aer_circuit"]  # fmt: skip

#: the translation plugin of each pulse synthesis (entry points in pyproject.toml)
TRANSLATION_PLUGINS = {"ms": "qlab_ionq", "zz": "qlab_ionq", "prx": "qlab_prx"}


def _gate(name: str):
    """A gate object with free parameters, as a Target lists it."""
    cls = IONQ_GATES.get(name)
    if cls is not None:
        n = {"gpi": 1, "gpi2": 1, "ms": 3, "zz": 1}[name]
        return cls(*(Parameter(f"{name}_{i}") for i in range(n)))
    gate = get_standard_gate_name_mapping()[name]
    if gate.params:  # rx, ry, rz, r, u: give each its own free parameter
        params = [Parameter(f"{name}_{i}") for i in range(len(gate.params))]
        gate = type(gate)(*params)
    return gate


def build_target(spec: DeviceSpec, params: NoiseParams | None = None) -> Target:
    """The device's ``Target``: native gates, coupled pairs (both directions), figures."""
    n = spec.num_qubits
    quiet = spec.noiseless
    p = params or noise_params(spec)
    t1, t2 = spec.t1(), spec.t2()
    qprops = [
        QubitProperties(
            t1=None if quiet or math.isinf(t1[q]) else t1[q],
            t2=None if quiet or math.isinf(t2[q]) else t2[q],
        )
        for q in range(n)
    ]
    target = Target(description=spec.title, num_qubits=n, qubit_properties=qprops, dt=dt_of(spec))

    def duration(key: str) -> float | None:
        return None if quiet or key not in spec.figures else spec.scalar(key)

    for name in spec.native_gates:
        if name in TWO_QUBIT_GATES:
            props = {}
            for a, b in spec.coupled_pairs:
                err = 0.0 if quiet else p.gate_infidelity((a, b))
                prop = InstructionProperties(duration=duration("duration_2q"), error=err)
                props[(a, b)] = prop
                props[(b, a)] = prop
        else:
            props = {
                (q,): InstructionProperties(
                    duration=duration("duration_1q"), error=0.0 if quiet else p.gate_infidelity((q,))
                )
                for q in range(n)
            }
        target.add_instruction(_gate(name), props, name=name)
    readout = spec.readout_error()
    target.add_instruction(
        Measure(),
        {
            (q,): InstructionProperties(
                duration=duration("duration_measure"), error=0.0 if quiet else readout[q]
            )
            for q in range(n)
        },
    )
    target.add_instruction(Reset(), {(q,): None for q in range(n)})
    target.add_instruction(Delay(Parameter("t")), {(q,): None for q in range(n)})
    return target


def _aer_simulator_class(ionq: bool):
    from qiskit_aer import AerSimulator

    if not ionq:
        return AerSimulator

    class IonQAerSimulator(AerSimulator):
        """An AerSimulator that accepts IonQ's native gates (via :func:`to_aer_circuit`)."""

        def run(self, circuits, parameter_binds=None, **run_options):
            if isinstance(circuits, QuantumCircuit):
                circuits = to_aer_circuit(circuits)
            else:
                circuits = [to_aer_circuit(c) for c in circuits]
            return super().run(circuits, parameter_binds=parameter_binds, **run_options)

    return IonQAerSimulator


class QlabBackend(BackendV2):
    """One qlab device as a Qiskit ``BackendV2`` (``qlab.device(name).qiskit_backend()``).

    Attributes:
        spec: the :class:`~qlab.hardware.spec.DeviceSpec` it renders.
        params: the device's noise as numbers (:func:`qlab.hardware.noise.noise_params`).
        target: native gates with durations and errors, on coupled pairs.
        noise_model: the Aer ``NoiseModel`` of gates and readout (``None`` for a noiseless device).
    """

    def __init__(self, spec: DeviceSpec):
        super().__init__(name=spec.name, description=spec.title, backend_version=__version__)
        self.spec = spec
        self.params = noise_params(spec)
        self._target = build_target(spec, self.params)
        self._simulators: dict[tuple[str, bool], AerSimulator] = {}
        self._ionq = any(g in IONQ_GATE_NAMES for g in spec.native_gates)
        self._synthesis = synthesis_of(spec.native_gates)
        if self._ionq:
            from .translate import register_equivalences

            register_equivalences()

    @property
    def target(self) -> Target:
        return self._target

    @property
    def max_circuits(self) -> None:
        return None

    @classmethod
    def _default_options(cls) -> Options:
        return Options(
            shots=1024, seed_simulator=None, method="automatic", noise=True, idle_noise=True
        )

    @cached_property
    def noise_model(self) -> NoiseModel | None:
        """The device's Aer ``NoiseModel`` of gates and readout, made once."""
        return build_noise_model(self.spec, self.params)

    def get_translation_stage_plugin(self) -> str | None:
        """IonQ devices translate with ``qlab_ionq``, IQM ones with ``qlab_prx``, others with
        Qiskit's default."""
        return TRANSLATION_PLUGINS.get(self._synthesis or "")

    def aer_simulator(self, method: str = "automatic", noise: bool = True) -> AerSimulator:
        """An ``AerSimulator`` for this device's native circuits, made once per (method, noise).

        With ``noise=True`` it carries :attr:`noise_model`; on IonQ devices it also accepts the
        ``gpi``/``gpi2``/``ms``/``zz`` gates (with their noise).
        """
        key = (method, bool(noise))
        sim = self._simulators.get(key)
        if sim is None:
            cls = _aer_simulator_class(self._ionq)
            model = self.noise_model if noise else None
            sim = cls(method=method, noise_model=model) if model is not None else cls(method=method)
            self._simulators[key] = sim
        return sim

    def check_circuit(self, circuit: QuantumCircuit) -> None:
        """Raise a :class:`~qlab.errors.QlabError` unless ``circuit`` runs as it is on the device:
        no more qubits than the device has, native gates only, two-qubit gates on coupled pairs,
        numbers for every parameter (the one rule, :func:`qlab.hardware.rules.enforce`)."""
        width, ops = circuit_ops(circuit)
        enforce(width, ops, self.spec, remedy=t("qiskit.remedy"))

    def noisy_circuit(self, circuit: QuantumCircuit, *, idle_noise: bool = True) -> QuantumCircuit:
        """A native circuit as Aer runs it with this device's noise: its waits written in
        (:mod:`qlab.qiskit_side.schedule`) and turned into relaxation, IonQ gates as labelled
        unitaries (:func:`to_aer_circuit`). Gate and readout noise come from :attr:`noise_model`."""
        timed = with_waits(circuit, self.spec, self.params) if idle_noise else without_delays(circuit)
        return to_aer_circuit(timed, self.params, self.spec)

    def run(self, run_input: QuantumCircuit | Sequence[QuantumCircuit], **options: Any) -> AerJob:
        """Simulate native circuits on Aer with the device's noise; returns Aer's job.

        Options: ``shots`` (default 1024), ``seed_simulator``, ``method`` (an Aer method,
        default ``"automatic"``), ``noise`` (default ``True``), ``idle_noise`` (default ``True``:
        qubits relax while they wait; ``False``: only gates and readout err); others go to Aer.
        A circuit that is not native to the device raises :class:`~qlab.errors.NotNativeError` or
        :class:`~qlab.errors.UncoupledQubitsError`: transpile it first,
        ``qiskit.transpile(circuit, backend)``.
        """
        circuits = [run_input] if isinstance(run_input, QuantumCircuit) else list(run_input)
        for c in circuits:
            self.check_circuit(c)
        opts = {**dict(self.options.items()), **options}
        method = opts.pop("method")
        noise = opts.pop("noise")
        idle = opts.pop("idle_noise")
        if opts.get("seed_simulator") is None:
            opts.pop("seed_simulator", None)
        noisy = noise and self.noise_model is not None
        if noisy:
            circuits = [self.noisy_circuit(c, idle_noise=idle) for c in circuits]
        sim = self.aer_simulator(method=method, noise=noisy)
        return sim.run(circuits, **opts)


def without_delays(circuit: QuantumCircuit) -> QuantumCircuit:
    """The model without idle noise: waits, the user's delays too, cost nothing."""
    if not any(inst.operation.name == "delay" for inst in circuit.data):
        return circuit
    out = circuit.copy_empty_like()
    for inst in circuit.data:
        if inst.operation.name != "delay":
            out._append(inst)
    return out


@once_per_spec
def backend_for(spec: DeviceSpec) -> QlabBackend:
    """The device's backend, built once per spec object."""
    return QlabBackend(spec)


def build_backend(spec: DeviceSpec) -> QlabBackend:
    """A fresh Qiskit backend of a device (``qlab.device(name).qiskit_backend()`` shares one)."""
    return QlabBackend(spec)
