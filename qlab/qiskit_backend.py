"""A qlab device as a Qiskit backend: native gates, coupling map, errors, and Aer noise.

:func:`build_backend` renders a :class:`~qlab.spec.DeviceSpec` as a ``BackendV2``:

* its ``target`` lists the native gates (IonQ: ``gpi``, ``gpi2`` and ``ms`` on Aria or ``zz`` on
  Forte; IQM Spark: ``r`` and ``cz``; ideal: ``rx``, ``ry``, ``rz``, ``cx``) on every qubit and on
  every coupled pair (both directions), each with its duration and its average gate infidelity,
  and ``measure`` with the readout error; so ``qiskit.transpile(circuit, backend)`` gives a
  circuit of native gates on coupled pairs only, and a Qiskit user sees the figures qlab uses;
* its ``noise_model`` is an Aer ``NoiseModel`` made from :func:`qlab.noise.noise_params` exactly
  as :mod:`qlab.noise` describes: after each one-qubit gate, depolarizing then thermal relaxation
  for the gate's duration; after each two-qubit gate, two-qubit depolarizing then relaxation of
  both qubits; a bit flip at readout;
* ``run`` simulates on Aer with that noise (after checking that the circuit is native), and the
  Qiskit primitives work on it, e.g. ``qiskit.primitives.BackendSamplerV2(backend=backend)``.

Aer does not know IonQ's gates, so before Aer sees a circuit each ``gpi``/``gpi2``/``ms``/``zz`` is
replaced by its exact matrix as a ``UnitaryGate`` *labelled* with the gate's name, and the noise
model attaches each gate's noise to that label (see :func:`to_aer_circuit`).

>>> import qlab, qiskit
>>> backend = qlab.device("iqm-spark").qiskit_backend()
>>> sorted(backend.target.operation_names)
['cz', 'measure', 'r']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from qiskit.circuit import CircuitInstruction, Measure, Parameter, QuantumCircuit
from qiskit.circuit.library import UnitaryGate, get_standard_gate_name_mapping
from qiskit.providers import BackendV2, Options, QubitProperties
from qiskit.transpiler import InstructionProperties, Target

from ._version import __version__
from .errors import NotNativeError
from .i18n import t
from .noise import NoiseParams, noise_params
from .qiskit_gates import IONQ_GATES, GPI2Gate, GPIGate, MSGate, ZZGate
from .spec import TWO_QUBIT_GATES, DeviceSpec

if TYPE_CHECKING:
    from qiskit_aer import AerSimulator
    from qiskit_aer.jobs import AerJob
    from qiskit_aer.noise import NoiseModel

__all__ = ["QlabBackend", "build_backend", "build_noise_model", "build_target", "to_aer_circuit"]

#: operations every device accepts besides its native gates
ALWAYS_ALLOWED = frozenset({"measure", "barrier"})
TRANSLATION_PLUGIN = "qlab_ionq"


def _gate(name: str):
    """A gate object with free parameters, as a Target lists it."""
    if name == "gpi":
        return GPIGate(Parameter("phi"))
    if name == "gpi2":
        return GPI2Gate(Parameter("phi"))
    if name == "ms":
        return MSGate(Parameter("phi0"), Parameter("phi1"), Parameter("theta"))
    if name == "zz":
        return ZZGate(Parameter("theta"))
    gate = get_standard_gate_name_mapping()[name]
    if gate.params:  # rx, ry, rz, r, u: give each its own free parameter
        params = [Parameter(f"{name}_{i}") for i in range(len(gate.params))]
        gate = type(gate)(*params)
    return gate


def build_target(spec: DeviceSpec) -> Target:
    """The device's ``Target``: native gates, coupled pairs (both directions), figures."""
    n = spec.num_qubits
    quiet = spec.noiseless
    t1, t2 = spec.t1(), spec.t2()
    qprops = [
        QubitProperties(
            t1=None if quiet or math.isinf(t1[q]) else t1[q],
            t2=None if quiet or math.isinf(t2[q]) else t2[q],
        )
        for q in range(n)
    ]
    target = Target(description=spec.title, num_qubits=n, qubit_properties=qprops)

    def duration(key: str) -> float | None:
        return None if quiet or key not in spec.figures else spec.scalar(key)

    err1 = spec.error_1q()
    err2 = spec.error_2q()
    for name in spec.native_gates:
        if name in TWO_QUBIT_GATES:
            props = {}
            for (a, b), err in err2.items():
                p = InstructionProperties(duration=duration("duration_2q"), error=0.0 if quiet else err)
                props[(a, b)] = p
                props[(b, a)] = p
        else:
            props = {
                (q,): InstructionProperties(
                    duration=duration("duration_1q"), error=0.0 if quiet else err1[q]
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
    return target


def build_noise_model(spec: DeviceSpec, params: NoiseParams | None = None) -> NoiseModel | None:
    """The device's noise as an Aer ``NoiseModel`` (``None`` for a noiseless device).

    Follows :mod:`qlab.noise` exactly. Thermal relaxation uses Aer's
    ``thermal_relaxation_error(T1, min(T2, 2 T1), duration)``, which is the same channel as
    amplitude damping ``1 - exp(-t/T1)`` followed by the pure dephasing of
    :meth:`qlab.noise.NoiseParams.relaxation` (the tests check this), in the form Aer samples
    fastest. IonQ's gates get their noise through the label of the ``UnitaryGate`` that
    :func:`to_aer_circuit` puts in their place.
    """
    from qiskit_aer.noise import (
        NoiseModel,
        QuantumError,
        ReadoutError,
        depolarizing_error,
        thermal_relaxation_error,
    )

    p = params or noise_params(spec)
    if spec.noiseless or p.is_noiseless:
        return None
    natives = list(spec.native_gates)
    aer_basis = [g for g in natives if g not in IONQ_GATES] + ["unitary"]
    model = NoiseModel(basis_gates=aer_basis)

    @cache
    def relax(t1: float, t2: float, duration: float) -> QuantumError | None:
        t2 = min(t2, 2 * t1)
        if duration <= 0 or (math.isinf(t1) and math.isinf(t2)):
            return None
        return thermal_relaxation_error(t1, t2, duration)

    def chain(*errors: QuantumError | None) -> QuantumError | None:
        result = None
        for e in errors:
            if e is not None:
                result = e if result is None else result.compose(e)
        return result

    @cache
    def error_1q(lam: float, t1: float, t2: float) -> QuantumError | None:
        return chain(depolarizing_error(lam, 1) if lam > 0 else None, relax(t1, t2, p.duration_1q))

    @cache
    def error_2q(lam: float, first: tuple[float, float], second: tuple[float, float]):
        r0, r1 = relax(*first, p.duration_2q), relax(*second, p.duration_2q)
        both = None
        if r0 is not None or r1 is not None:
            # Aer's tensor puts its right-hand factor on the instruction's first qubit
            both = _or_identity(r1).tensor(_or_identity(r0))
        return chain(depolarizing_error(lam, 2) if lam > 0 else None, both)

    # Every error is made once per distinct set of numbers; where one error holds for every
    # qubit (or, all-to-all, every pair) it is added once for all, which keeps Aer fast on
    # 36-qubit devices.
    one_q = [g for g in natives if g not in TWO_QUBIT_GATES]
    two_q = [g for g in natives if g in TWO_QUBIT_GATES]
    coherence = list(zip(p.t1, p.t2, strict=True))
    per_qubit = [error_1q(p.lambda_1q[q], *coherence[q]) for q in range(spec.num_qubits)]
    if one_q and len(set(map(id, per_qubit))) == 1:
        if per_qubit[0] is not None:
            model.add_all_qubit_quantum_error(per_qubit[0], one_q, warnings=False)
    elif one_q:
        for q, err in enumerate(per_qubit):
            if err is not None:
                model.add_quantum_error(err, one_q, [q], warnings=False)
    per_pair = {
        (x, y): error_2q(lam, coherence[x], coherence[y])
        for (a, b), lam in p.lambda_2q.items()
        for x, y in ((a, b), (b, a))
    }
    if two_q and spec.all_to_all and len(set(map(id, per_pair.values()))) == 1:
        err = next(iter(per_pair.values()))
        if err is not None:
            model.add_all_qubit_quantum_error(err, two_q, warnings=False)
    elif two_q:
        for pair, err in per_pair.items():
            if err is not None:
                model.add_quantum_error(err, two_q, list(pair), warnings=False)
    if len(set(p.readout)) == 1:
        if p.readout[0] > 0:
            r = p.readout[0]
            model.add_all_qubit_readout_error(ReadoutError([[1 - r, r], [r, 1 - r]]), warnings=False)
    else:
        for q, r in enumerate(p.readout):
            if r > 0:
                model.add_readout_error(ReadoutError([[1 - r, r], [r, 1 - r]]), [q], warnings=False)
    return model


def _or_identity(err):
    if err is not None:
        return err
    from qiskit_aer.noise import QuantumError

    return QuantumError([(QuantumCircuit(1), 1.0)])


# ---- IonQ gates on Aer ---------------------------------------------------------------------------


def to_aer_circuit(circuit: QuantumCircuit) -> QuantumCircuit:
    """``circuit`` with every IonQ gate replaced by its exact matrix, labelled with its name.

    Aer cannot simulate ``gpi``/``gpi2``/``ms``/``zz`` by name, but it simulates a ``UnitaryGate``
    and applies a noise model's errors for an instruction name to unitaries with that *label*.
    Circuits without IonQ gates come back unchanged (the same object).
    """
    data = circuit.data
    if not any(inst.operation.name in IONQ_GATES for inst in data):
        return circuit
    out = circuit.copy_empty_like()
    for inst in data:
        op = inst.operation
        if op.name in IONQ_GATES:
            if op.is_parameterized():
                raise NotNativeError(t("qiskit.unbound_parameter", gate=op.name))
            gate = UnitaryGate(np.asarray(op), label=op.name, check_input=False)
            out._append(CircuitInstruction(gate, inst.qubits, inst.clbits))
        else:
            out._append(inst)
    return out


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


# ---- the backend ---------------------------------------------------------------------------------


class QlabBackend(BackendV2):
    """One qlab device as a Qiskit ``BackendV2`` (build it with :func:`build_backend`).

    Attributes:
        spec: the :class:`~qlab.spec.DeviceSpec` it renders.
        target: native gates with durations and errors, on coupled pairs.
        noise_model: the Aer ``NoiseModel`` (``None`` for a noiseless device), built once.
    """

    def __init__(self, spec: DeviceSpec):
        super().__init__(
            name=spec.name,
            description=spec.title,
            backend_version=__version__,
        )
        self.spec = spec
        self._target = build_target(spec)
        self._simulators: dict[tuple[str, bool], AerSimulator] = {}
        self._ionq = any(g in IONQ_GATES for g in spec.native_gates)
        if self._ionq:
            from .qiskit_translate import register_equivalences

            register_equivalences()

    @property
    def target(self) -> Target:
        return self._target

    @property
    def max_circuits(self) -> None:
        return None

    @classmethod
    def _default_options(cls) -> Options:
        return Options(shots=1024, seed_simulator=None, method="automatic", noise=True)

    @cached_property
    def noise_model(self) -> NoiseModel | None:
        """The device's Aer ``NoiseModel``, made once from :func:`qlab.noise.noise_params`."""
        return build_noise_model(self.spec)

    def get_translation_stage_plugin(self) -> str | None:
        """IonQ devices translate with qlab's IonQ plugin; the others with Qiskit's default."""
        return TRANSLATION_PLUGIN if self._ionq else None

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
        no more qubits than the device has, native gates only, two-qubit gates on coupled pairs
        (the one rule of :func:`qlab.checks.compliance.validate_native`)."""
        from .catalog import Device
        from .checks.compliance import validate_native

        validate_native(circuit, Device(self.spec), remedy=t("qiskit.remedy"))

    def run(
        self, run_input: QuantumCircuit | Sequence[QuantumCircuit], **options: Any
    ) -> AerJob:
        """Simulate native circuits on Aer with the device's noise; returns Aer's job.

        Options: ``shots`` (default 1024), ``seed_simulator``, ``method`` (an Aer method,
        default ``"automatic"``), ``noise`` (default ``True``); others go to Aer. A circuit that
        is not native to the device raises :class:`~qlab.errors.NotNativeError` or
        :class:`~qlab.errors.UncoupledQubitsError`: transpile it first,
        ``qiskit.transpile(circuit, backend)``.
        """
        circuits = [run_input] if isinstance(run_input, QuantumCircuit) else list(run_input)
        for c in circuits:
            self.check_circuit(c)
        opts = {**dict(self.options.items()), **options}
        method = opts.pop("method")
        noise = opts.pop("noise")
        if opts.get("seed_simulator") is None:
            opts.pop("seed_simulator", None)
        sim = self.aer_simulator(method=method, noise=noise)
        return sim.run(circuits, **opts)


def build_backend(spec: DeviceSpec) -> QlabBackend:
    """The Qiskit backend of a device (``qlab.device(name).qiskit_backend()`` caches it)."""
    return QlabBackend(spec)
