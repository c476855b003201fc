"""From the emulator to the real machine: ``qlab.export`` writes a circuit for IonQ, IQM and Braket.

>>> import qlab
>>> from qiskit import QuantumCircuit
>>> bell = QuantumCircuit(2, 2); _ = bell.h(0); _ = bell.cx(0, 1); _ = bell.measure([0, 1], [0, 1])
>>> print(qlab.export(bell, "iqm-spark", to="qasm3", seed=1).splitlines()[0])
OPENQASM 3.0;

The circuit is first put in the device's native gates on coupled pairs (:func:`qlab.transpile`;
a circuit that already is native is taken exactly as it is), then written out with no further
change, on the same physical qubits:

=============  ====================================================================================
``to=``        what you get
=============  ====================================================================================
``"braket"``   an Amazon Braket ``Circuit``: one verbatim box of Braket's native gates (``GPi``,
               ``GPi2``, ``MS`` for IonQ; ``PRx``, ``CZ`` for IQM), angles in radians, then the
               measurements. Run it with Braket's ``LocalSimulator`` offline, or an ``AwsDevice``.
``"ionq"``     IonQ's API job (a JSON string, gateset ``native``, angles in turns), written by
               qiskit-ionq's own serializer. IonQ Forte keeps its ZZ gate here.
``"qasm3"``    OpenQASM 3 text with each native gate defined in the file (radians, ``$k`` physical
               qubits), readable by Qiskit's and Braket's importers.
=============  ====================================================================================

Nothing here reads a credential or opens a network connection: exporting and simulating are
offline; submitting is yours to do (docs/hardware.md shows how). ``"braket"`` and ``"ionq"`` need
the optional libraries of ``pip install "qlab[hardware]"``; ``"qasm3"`` needs nothing extra.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from ..errors import (
    BadOptionError,
    ExportError,
    MissingExtraError,
    NotACircuitError,
    NotNativeError,
    UncoupledQubitsError,
)
from ..i18n import t
from .native import Family, NativeProgram, cirq_plan, family_of, read_cirq, read_qiskit

__all__ = ["FORMATS", "braket_counts", "export", "native_circuit", "native_program"]

EXTRA = "hardware"
DEFAULT_IONQ_SHOTS = 1000
MAX_SHOTS = 1_000_000


@dataclass(frozen=True)
class Format:
    """One export target: the libraries it needs and the function that writes it."""

    name: str
    needs: tuple[str, ...]  # modules of the optional extra
    writer: str  # "module:function" inside qlab.exporters
    takes_shots: bool = False


FORMATS: dict[str, Format] = {
    "braket": Format("braket", ("braket.circuits",), "to_braket:to_braket"),
    "ionq": Format("ionq", ("qiskit_ionq",), "to_ionq:to_ionq", takes_shots=True),
    "qasm3": Format("qasm3", (), "to_qasm3:to_qasm3"),
}


def _writer(fmt: Format) -> Callable[..., Any]:
    module, func = fmt.writer.split(":")
    return getattr(import_module(f"{__name__}.{module}"), func)


def require_extra(fmt: Format) -> None:
    """Import what ``fmt`` needs, or raise :class:`MissingExtraError` naming the extra."""
    for module in fmt.needs:
        try:
            import_module(module)
        except ImportError as exc:
            raise MissingExtraError(
                t("export.missing_extra", format=fmt.name, module=module, extra=EXTRA)
            ) from exc


def _format(to: Any) -> Format:
    fmt = FORMATS.get(to) if isinstance(to, str) else None
    if fmt is None:
        raise ExportError(t("export.unknown_format", got=to, allowed=", ".join(FORMATS)))
    return fmt


def _family(dev: Any, fmt: Format | None = None) -> Family:
    import qlab

    family = family_of(dev)
    if family is None or (fmt is not None and fmt.name not in family.formats):
        fits = [
            n for n in qlab.devices()
            if (f := family_of(qlab.device(n))) and (fmt is None or fmt.name in f.formats)
        ]
        key = "export.device_not_hardware" if family is None else "export.format_not_for_device"
        raise ExportError(
            t(key, device=dev.name, format=fmt.name if fmt else "", allowed=", ".join(fits))
        )
    return family


def _with_measurements(circuit: Any, framework: str) -> Any:
    """qlab's rule (as ``qlab.run``): a circuit that measures nothing has every qubit measured."""
    if framework == "qiskit":
        if any(inst.operation.name == "measure" for inst in circuit.data):
            return circuit
        from qiskit.circuit import ClassicalRegister

        qc = circuit.copy()
        n = qc.num_qubits
        if qc.num_clbits < n:
            qc.add_register(ClassicalRegister(n - qc.num_clbits, "meas"))
        qc.measure(range(n), range(n))
        return qc
    import cirq

    if any(cirq.is_measurement(op) for op in circuit.all_operations()):
        return circuit
    return circuit + cirq.Circuit(cirq.measure(*sorted(circuit.all_qubits()), key="all"))


def _framework(circuit: Any) -> str:
    """``"qiskit"`` or ``"cirq"``, told by class name so that asking imports neither."""
    for cls in type(circuit).__mro__:
        module = cls.__module__ or ""
        if cls.__name__ == "QuantumCircuit" and module.startswith("qiskit"):
            return "qiskit"
        if cls.__name__ in ("Circuit", "FrozenCircuit") and module.startswith("cirq"):
            return "cirq"
    raise NotACircuitError(t("export.not_a_circuit", got=type(circuit).__name__))


def _check_bound(circuit: Any, framework: str) -> None:
    """A free parameter cannot go to hardware: name them before compiling hides them in phases."""
    if framework == "qiskit":
        names = sorted(p.name for p in circuit.parameters)
    else:
        import cirq

        names = sorted(cirq.parameter_names(circuit))
    if names:
        raise ExportError(t("export.unbound", names=", ".join(names)))


def native_circuit(circuit: Any, device: Any, *, seed: int | None = None) -> Any:
    """The native circuit that :func:`export` writes out, in the caller's framework.

    A circuit that is already native and on coupled pairs (``qlab.transpile(..., strict=True)``
    accepts it) is kept gate for gate; any other is compiled by ``qlab.transpile(circuit, device,
    seed=seed)``. A circuit that measures nothing first gets every qubit measured, as in
    ``qlab.run``. Run it with ``qlab.run(native, device, noise=False)`` to get the distribution
    the hardware should give without noise.
    """
    import qlab

    framework = _framework(circuit)
    _check_bound(circuit, framework)
    circuit = _with_measurements(circuit, framework)
    try:
        return qlab.transpile(circuit, device, strict=True)
    except (NotNativeError, UncoupledQubitsError):
        return qlab.transpile(circuit, device, seed=seed)


def native_program(circuit: Any, device: Any, *, seed: int | None = None) -> NativeProgram:
    """Exactly what :func:`export` writes for ``circuit``: the native gates in order (qlab's units),
    the physical qubits, and which classical bit each measured qubit fills.

    Classical bits read as ``qlab.run(circuit, ...)`` reads them: Qiskit's own bits; for Cirq,
    the measured qubits of ``circuit`` as given (before routing moves them), sorted.
    """
    import qlab

    dev = qlab.device(device)
    family = _family(dev)
    framework = _framework(circuit)
    measured = _with_measurements(circuit, framework)
    native = native_circuit(measured, dev, seed=seed)
    if framework == "qiskit":
        return read_qiskit(native, family, dev.name)
    return read_cirq(native, family, dev.name, plan=cirq_plan(measured))


def _check_shots(fmt: Format, shots: Any) -> int | None:
    if not fmt.takes_shots:
        if shots is not None:
            raise BadOptionError(t("export.shots_not_here", format=fmt.name))
        return None
    if shots is None:
        return DEFAULT_IONQ_SHOTS
    if isinstance(shots, bool) or not isinstance(shots, int) or not 1 <= shots <= MAX_SHOTS:
        raise BadOptionError(t("export.bad_shots", got=shots, max=MAX_SHOTS))
    return shots


def export(
    circuit: Any,
    device: Any,
    to: str = "braket",
    *,
    seed: int | None = None,
    shots: int | None = None,
) -> Any:
    """Write ``circuit`` for real hardware: native gates, physical qubits, nothing left to compile.

    Args:
        circuit: a Qiskit ``QuantumCircuit`` or a ``cirq.Circuit`` (any gates; a circuit already in
            the device's native gates is exported exactly as it is).
        device: ``"ionq-aria"``, ``"ionq-forte"``, ``"iqm-spark"`` or your own device with the same
            native gates (``qlab.device(...)``); ``"ideal"`` is not hardware and is refused.
        to: ``"braket"`` (a Braket ``Circuit``), ``"ionq"`` (IonQ job JSON, IonQ devices only)
            or ``"qasm3"`` (OpenQASM 3 text).
        seed: makes the layout and routing of the compilation reproducible.
        shots: repetitions written into the IonQ job (``to="ionq"``; default 1000). Braket and
            OpenQASM take the shot count when you submit, so it is refused there.

    Returns:
        ``braket.circuits.Circuit``, or ``str`` (JSON for ``"ionq"``, OpenQASM for ``"qasm3"``).

    Raises (each names what was wrong and what is allowed): :class:`~qlab.errors.ExportError`
    (unknown format, a device that is not hardware-like, a measurement in the middle of a circuit,
    an unbound parameter), :class:`~qlab.errors.MissingExtraError` (``pip install
    "qlab[hardware]"``), and what :func:`qlab.transpile` raises.
    """
    import qlab

    fmt = _format(to)
    dev = qlab.device(device)
    _family(dev, fmt)
    shots = _check_shots(fmt, shots)
    require_extra(fmt)
    program = native_program(circuit, dev, seed=seed)
    writer = _writer(fmt)
    return writer(program, shots=shots) if fmt.takes_shots else writer(program)


def braket_counts(
    result: Any, circuit: Any, device: Any, *, seed: int | None = None
) -> dict[str, int]:
    """Counts of a Braket run of ``export(circuit, device, to="braket", seed=seed)`` with qlab's
    keys (bit 0 last), so they compare directly with ``qlab.run(circuit, device, ...)``.

    ``result`` is what ``LocalSimulator().run(braket_circuit, shots=...).result()`` (or an
    ``AwsDevice`` task's ``.result()``) gives; ``circuit``, ``device`` and ``seed`` are the ones
    given to :func:`export`.
    """
    from .to_braket import braket_counts as convert

    return convert(result, native_program(circuit, device, seed=seed))
