"""``qlab.run``: counts from a circuit on an emulated device, for Qiskit and Cirq alike.

>>> import qlab
>>> from qiskit import QuantumCircuit
>>> ghz = QuantumCircuit(3); _ = ghz.h(0); _ = ghz.cx(0, 1); _ = ghz.cx(1, 2)
>>> counts = qlab.run(ghz, "ideal", shots=1000, seed=7)   # no measurements: all qubits measured
>>> sorted(counts), sum(counts.values())
(['000', '111'], 1000)

What happens, in order: the circuit is looked at once (framework, width, free parameters); on a
noisy device it becomes the device's native, timed program (:mod:`qlab.execution.program`, the same
from Qiskit and Cirq); :func:`qlab.execution.engines.plan` decides the engine; this module carries
the plan out and turns the engine's samples into qlab's counts.
"""

from __future__ import annotations

import numbers
import os
from dataclasses import dataclass
from typing import Any

from ..errors import BadOptionError, BadShotsError, QlabError, UnsupportedCircuitError
from ..hardware import library
from ..hardware.rules import check_width
from ..hardware.spec import DeviceSpec
from ..i18n import t
from .compiler import check_bound, width_of
from .convert import (
    CIRQ,
    QISKIT,
    bits_to_counts,
    cirq_measurement_plan,
    cirq_result_bits,
    cirq_to_qiskit,
    framework_of,
    qiskit_to_cirq,
    with_measurements,
)
from .engines import Plan, check_memory, info_cirq, info_qiskit, plan, validate_method
from .program import native_program

MAX_SHOTS = 10_000_000
MAX_SEED = 2**32 - 1  # the largest seed every engine (Aer, qsim, Cirq) accepts
# what the last run did, for the curious and for tests: {"method": ..., "noisy": ..., "qubits": ...}
last_run: dict[str, Any] = {}

__all__ = ["last_run", "run", "with_measurements"]


def run(
    circuit: Any,
    device: Any = "ideal",
    *,
    shots: int = 1000,
    seed: int | None = None,
    noise: bool = True,
    method: str = "auto",
    strict: bool = False,
    idle_noise: bool = True,
) -> dict[str, int]:
    """Run ``circuit`` on an emulated ``device`` and return the counts of each outcome.

    Args:
        circuit: a Qiskit ``QuantumCircuit`` or a ``cirq.Circuit``. A circuit without any
            measurement gets every qubit measured at the end (qubit ``k`` into bit ``k``).
        device: a name from ``qlab.devices()``, a device from ``qlab.device(...)``, or that
            device's own Qiskit backend or Cirq device.
        shots: how many times to run it, 1 to 10,000,000.
        seed: a whole number from 0 to 2**32 - 1 makes the result reproducible (compilation and
            sampling); ``None`` gives a fresh random sample each time.
        noise: with ``True`` on a noisy device, the circuit is first translated to the device's
            native gates on its coupled pairs (:func:`qlab.transpile`, the same for Qiskit and
            Cirq), laid out in time, and simulated with the device's noise. With ``False``, or on
            ``"ideal"``, the circuit is simulated exactly as given (only its width is checked).
        method: ``"auto"`` (default) or one of ``"qsim"``, ``"statevector"``,
            ``"density_matrix"``, ``"matrix_product_state"``, ``"stabilizer"``, ``"cirq"``.
        strict: ``True`` runs the circuit exactly as given, gate for gate, with the device's noise:
            it must already be native and on coupled pairs (else ``NotNativeError`` /
            ``UncoupledQubitsError``). For experiments a compiler would "optimise" away.
        idle_noise: ``True`` (default): a qubit relaxes (T1, T2) whenever it waits, for a
            ``delay`` you wrote and for the time it idles while other qubits are busy, up to the
            final readout, which the device does for all qubits at once after the last gate.
            ``False``: only gates and readout err (qlab's simpler model, to compare against).

    Returns:
        ``{bit string: count}``. Bit order, the same for both frameworks: the **last character is
        qubit 0** (Qiskit's convention; for a Qiskit circuit, classical bit 0). For a Cirq circuit
        the measured qubits are sorted (``LineQubit(0)`` first) and the ``k``-th one is character
        ``-1-k``. So ``{'001': 1000}`` means qubit 0 read 1 and the others 0.

    How ``method="auto"`` chooses (:func:`qlab.execution.engines.plan`; thresholds measured in
    ``benchmarks/engines.py``):

    * noisy and at most 10 qubits: ``density_matrix`` (Aer): the noise is exact, no sampling of
      error trajectories;
    * ideal and only Clifford gates (H, S, CX, ...) on 16 qubits or more: ``stabilizer``;
    * otherwise, while the state vector fits in memory: ``qsim`` for ideal circuits of 14 qubits
      or more and for noisy ones (error trajectories); Aer ``statevector`` for smaller ideal
      circuits and for what qsim cannot take (conditions, mid-circuit measurements); Cirq's own
      simulator for Cirq circuits with classically controlled gates;
    * wider: ``matrix_product_state`` (e.g. a noisy GHZ-36 on ``ionq-forte``), when its memory
      bound fits.

    Every engine gets the same program and the same noise; ``qlab.simulate.last_run`` tells which
    method the last run used. Before allocating anything, the memory a method needs is compared
    with the machine's free memory (:class:`qlab.errors.TooMuchMemoryError`).

    Raises (each names what was wrong and what is allowed): ``NotACircuitError``,
    ``UnknownDeviceError``, ``CircuitTooWideError``, ``BadShotsError``, ``BadOptionError``,
    ``UnknownMethodError``, ``NotNativeError`` (a parameter without a value, or ``strict``),
    ``UnsupportedCircuitError``, ``TooMuchMemoryError``, ``TranspileError``.
    """
    framework = framework_of(circuit)
    spec = library.resolve(device)
    shots = _check_shots(shots)
    _check_seed(seed)
    for name, value in (("noise", noise), ("strict", strict), ("idle_noise", idle_noise)):
        if not isinstance(value, bool):
            raise BadOptionError(t(f"run.bad_{name}", got=value))
    method = validate_method(method)
    check_width(width_of(circuit, framework), spec)
    check_bound(circuit, framework, spec)

    noisy = noise and not spec.noiseless
    circuit = with_measurements(circuit, framework)
    # a Cirq circuit's bits come from the user's qubits, before a compiler moves them
    cirq_plan = cirq_measurement_plan(circuit) if framework == CIRQ else None
    if noisy:
        given = info_qiskit(circuit) if framework == QISKIT else info_cirq(circuit)
        if given.feed_forward:
            raise UnsupportedCircuitError(t("run.feed_forward_noisy", device=spec.name))
        program = native_program(circuit, framework, spec, seed=seed, strict=strict,
                                 idle_noise=idle_noise, plan=cirq_plan[0] if cirq_plan else None)  # fmt: skip
        job = _Job(program.circuit, QISKIT, None, spec, noisy=True)
    else:
        job = _Job(circuit, framework, cirq_plan, spec, noisy=False)
    info = info_qiskit(job.circuit) if job.framework == QISKIT else info_cirq(job.circuit)
    decided = plan(info, requested=method, noisy=noisy, cirq_input=job.framework == CIRQ)
    last_run.clear()
    last_run.update(method=decided.method, noisy=noisy, qubits=info.num_qubits, device=spec.name,
                    idle_noise=noisy and idle_noise)  # fmt: skip
    try:
        return _ENGINES[decided.method](job, decided, shots, seed)
    except UnsupportedCircuitError:
        if decided.fallback is None:
            raise
    # an instruction the engine has no form for (initialize, ...): the plan's fallback
    check_memory(info, decided.fallback)
    last_run["method"] = decided.fallback
    return _ENGINES[decided.fallback](job, Plan(decided.fallback, chosen=True), shots, seed)


@dataclass(frozen=True)
class _Job:
    """What an engine runs: a circuit in one framework, its Cirq measurement plan, the device."""

    circuit: Any
    framework: str
    cirq_plan: tuple[list[tuple[str, list[int]]], int] | None
    spec: DeviceSpec
    noisy: bool


# ---- input checks -------------------------------------------------------------------------------


def _check_shots(shots: Any) -> int:
    if (
        isinstance(shots, bool)
        or not isinstance(shots, numbers.Integral)
        or not 1 <= int(shots) <= MAX_SHOTS
    ):
        raise BadShotsError(t("run.bad_shots", max=f"{MAX_SHOTS:,}", got=shots))
    return int(shots)


def _check_seed(seed: Any) -> None:
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed <= MAX_SEED
    ):
        raise BadOptionError(t("run.bad_seed", got=seed, max=f"{MAX_SEED:,}"))


# ---- Aer ----------------------------------------------------------------------------------------

_simulators: dict[tuple, Any] = {}


def _aer_simulator(spec: DeviceSpec, method: str, noisy: bool) -> Any:
    """One AerSimulator per (device, method, noise), built once."""
    key = (spec.name, id(spec), method, noisy)
    sim = _simulators.get(key)
    if sim is None:
        from qiskit_aer import AerSimulator

        from ..qiskit_side.backend import backend_for

        model = backend_for(spec).noise_model if noisy else None
        sim = AerSimulator(method=method, noise_model=model) if model else AerSimulator(method=method)
        _simulators[key] = sim
    return sim


def _run_aer(job: _Job, decided: Plan, shots: int, seed: int | None) -> dict[str, int]:
    from ..qiskit_side.aer import to_aer_circuit

    method = decided.method
    from ..qiskit_side.backend import backend_for

    if job.framework == QISKIT:
        qc = job.circuit
    else:
        qc = cirq_to_qiskit(job.circuit, plan=job.cirq_plan[0]).circuit  # type: ignore[index]
    params = backend_for(job.spec).params if job.noisy else None
    qc = to_aer_circuit(qc, params, job.spec)  # IonQ gates as labelled unitaries; waits relax
    sim = _aer_simulator(job.spec, method, job.noisy)
    names = {inst.operation.name for inst in qc.data}
    if not names <= _aer_names(sim):
        qc = _to_aer_basis(qc, sim)
    options: dict[str, Any] = {"shots": shots}
    if seed is not None:
        options["seed_simulator"] = seed
    if method == "matrix_product_state":
        # Aer's own MPS estimate doubles the bond at every crossing gate (75 TB for a star GHZ-36);
        # qlab already checked memory with a tighter bound (qlab.execution.engines.mps_bond_bits)
        options["max_memory_mb"] = 10**9  # (2**40 overflows inside Aer)
    try:
        counts = sim.run(qc, **options).result().get_counts()
    except QlabError:
        raise
    except Exception as exc:  # an engine failure, said plainly
        raise UnsupportedCircuitError(t("run.engine_failed", engine=f"Aer ({method})", reason=_first_line(exc))) from exc
    merged: dict[str, int] = {}
    for k, v in counts.items():
        key = k.replace(" ", "")
        merged[key] = merged.get(key, 0) + v
    return merged


def _aer_names(sim: Any) -> set[str]:
    key = ("names", id(sim))
    names = _simulators.get(key)
    if names is None:
        names = set(sim.target.operation_names) | {"barrier", "measure", "quantum_channel"}
        _simulators[key] = names
    return names


def _to_aer_basis(qc: Any, sim: Any) -> Any:
    """Rewrite gates Aer does not know (a ``QFTGate``, ...) into gates it does, through the
    simulator's own Target; a circuit wider than that Target (a wide MPS run) is lowered to
    standard gates instead."""
    from qiskit import transpile as qiskit_transpile

    if qc.num_qubits <= sim.target.num_qubits:
        return qiskit_transpile(qc, target=sim.target, optimization_level=0)
    basis = sorted(_aer_names(sim) & _STANDARD_BASIS)
    return qiskit_transpile(qc, basis_gates=basis, optimization_level=0)


_STANDARD_BASIS = frozenset(
    {"u", "p", "rx", "ry", "rz", "cx", "cz", "rzz", "rxx", "h", "x", "y", "z", "s", "sdg", "sx", "swap"}
)


# ---- qsim and Cirq ------------------------------------------------------------------------------


def _as_cirq(job: _Job) -> tuple[Any, list[tuple[str, list[int]]], int]:
    """The job as a Cirq circuit (with the device's noise when noisy) and its measurement plan."""
    if job.framework == QISKIT:
        from ..qiskit_side.schedule import dt_of

        conv = qiskit_to_cirq(job.circuit, compact=not job.noisy, dt=dt_of(job.spec) if job.noisy else None)
        cc, plan_, nbits = conv.circuit, conv.plan, conv.num_clbits
    else:
        cc = _without_waits(job.circuit)
        plan_, nbits = job.cirq_plan  # type: ignore[misc]
    if job.noisy:
        from ..cirq_side.noise import noise_model

        cc = cc.with_noise(noise_model(job.spec))
    return _compact(cc), plan_, nbits


def _run_qsim(job: _Job, decided: Plan, shots: int, seed: int | None) -> dict[str, int]:
    import qsimcirq

    cc, plan_, nbits = _as_cirq(job)
    n = len(cc.all_qubits())
    options = qsimcirq.QSimOptions(max_fused_gate_size=4 if n >= 20 else 3, cpu_threads=os.cpu_count() or 1)
    sim = qsimcirq.QSimSimulator(qsim_options=options, seed=seed)
    try:
        result = sim.run(cc, repetitions=shots)
    except QlabError:
        raise
    except Exception as exc:
        raise UnsupportedCircuitError(t("run.engine_failed", engine="qsim", reason=_first_line(exc))) from exc
    return bits_to_counts(cirq_result_bits(result, plan_, nbits))


def _run_cirq(job: _Job, decided: Plan, shots: int, seed: int | None) -> dict[str, int]:
    """Cirq's own simulators: they carry classically controlled Cirq operations (measure
    mid-circuit, then act on the result), and the device's noise (exactly, as a density matrix,
    when the plan says so; else by trajectories)."""
    import cirq

    cc, plan_, nbits = _as_cirq(job)
    sim = cirq.DensityMatrixSimulator(seed=seed) if decided.density else cirq.Simulator(seed=seed)
    try:
        result = sim.run(cc, repetitions=shots)
    except QlabError:
        raise
    except Exception as exc:
        raise UnsupportedCircuitError(t("run.engine_failed", engine="cirq", reason=_first_line(exc))) from exc
    return bits_to_counts(cirq_result_bits(result, plan_, nbits))


def _without_waits(cc: Any) -> Any:
    """An ideal Cirq circuit without ``cirq.WaitGate`` s (waiting does nothing without noise)."""
    import cirq

    if not any(isinstance(op.gate, cirq.WaitGate) for op in cc.all_operations()):
        return cc
    return cirq.drop_empty_moments(
        cirq.map_operations(cc, lambda op, _: [] if isinstance(op.gate, cirq.WaitGate) else op)
    )


def _compact(cc: Any) -> Any:
    """Renumber the qubits a circuit uses to ``LineQubit(0..n-1)`` (idle device qubits cost memory)."""
    import cirq

    qubits = sorted(cc.all_qubits())
    target = {q: cirq.LineQubit(i) for i, q in enumerate(qubits)}
    if all(q == target[q] for q in qubits):
        return cc
    return cc.transform_qubits(lambda q: target[q])


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


_ENGINES = {
    "qsim": _run_qsim,
    "cirq": _run_cirq,
    **dict.fromkeys(("statevector", "density_matrix", "matrix_product_state", "stabilizer"), _run_aer),
}
