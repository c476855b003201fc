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

import math
import numbers
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from ..errors import BadOptionError, BadShotsError, QlabError, UnsupportedCircuitError
from ..hardware import library
from ..hardware.noise import noise_params
from ..hardware.rules import check_width
from ..hardware.spec import DeviceSpec
from ..i18n import t
from .compiler import check_bound, content_key, width_of
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
from .engines import (
    MAX_SECONDS,
    CircuitInfo,
    NoiseShape,
    Plan,
    check_memory,
    format_bytes,
    format_seconds,
    info_cirq,
    info_qiskit,
    plan,
    validate_method,
)
from .program import native_program
from .progress import progress_for

MAX_SHOTS = 10_000_000
MAX_SEED = 2**32 - 1  # the largest seed every engine (Aer, qsim, Cirq) accepts
# what the last run did, for the curious and for tests: {"method": ..., "noisy": ..., "qubits": ...,
# "estimate_seconds": ..., "seconds": ..., "why": ...}
last_run: dict[str, Any] = {}

__all__ = ["explain_run", "last_run", "run", "with_measurements"]


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
    max_seconds: float | None = MAX_SECONDS,
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
        method: ``"auto"`` (default) or one of ``"qsim"``, ``"trajectories"``, ``"statevector"``,
            ``"density_matrix"``, ``"matrix_product_state"``, ``"stabilizer"``, ``"stim"``,
            ``"cirq"``.
        strict: ``True`` runs the circuit exactly as given, gate for gate, with the device's noise:
            it must already be native and on coupled pairs (else ``NotNativeError`` /
            ``UncoupledQubitsError``). For experiments a compiler would "optimise" away.
        idle_noise: ``True`` (default): a qubit relaxes (T1, T2) whenever it waits, for a
            ``delay`` you wrote and for the time it idles while other qubits are busy, up to the
            final readout, which the device does for all qubits at once after the last gate.
            ``False``: only gates and readout err (qlab's simpler model, to compare against).
        max_seconds: a run estimated to take longer than this (default 60 s) is refused before
            anything is allocated, with the estimate, what drives it and what would be faster;
            pass a larger number, or ``None``, to run it anyway. ``qlab.explain_run`` shows the
            estimate without running.

    Returns:
        ``{bit string: count}``. Bit order, the same for both frameworks: the **last character is
        qubit 0** (Qiskit's convention; for a Qiskit circuit, classical bit 0). For a Cirq circuit
        the measured qubits are sorted (``LineQubit(0)`` first) and the ``k``-th one is character
        ``-1-k``. So ``{'001': 1000}`` means qubit 0 read 1 and the others 0.

    How ``method="auto"`` chooses (:func:`qlab.execution.engines.choose_method`; thresholds measured
    in ``benchmarks/performance.py``):

    * noisy and at most 10 qubits: ``density_matrix`` (Aer): the noise is exact;
    * noisy, wider: ``trajectories`` (the noise of every shot is drawn first and each distinct
      error pattern simulated once, on qsim: most shots share one simulation, and a Pauli error
      before only Clifford gates costs none; on stim's tableau when the compiled program is all
      Clifford, at any width: a noisy GHZ-36) or, with little entanglement, Aer's
      ``matrix_product_state`` when it is estimated faster or when no state vector fits;
    * ideal and only Clifford gates (H, S, CX, ...) on 16 qubits or more: ``stim``;
    * ideal: ``qsim`` from 14 qubits on, Aer ``statevector`` below and for what qsim cannot take
      (conditions, mid-circuit measurements); Cirq's own simulator for Cirq circuits with
      classically controlled gates; ``matrix_product_state`` when no state vector fits.

    Every engine gets the same program and the same noise. ``qlab.explain_run`` (before) and
    ``qlab.simulate.last_run`` (after) say which engine, what it was estimated to cost and why.
    A run estimated at two seconds or more shows its progress. Re-running a circuit with the same
    content (a new object built the same way) reuses its compilation and its preparation.

    Raises (each names what was wrong and what is allowed): ``NotACircuitError``,
    ``UnknownDeviceError``, ``CircuitTooWideError``, ``BadShotsError``, ``BadOptionError``,
    ``UnknownMethodError``, ``NotNativeError`` (a parameter without a value, or ``strict``),
    ``UnsupportedCircuitError``, ``TooMuchMemoryError``, ``RunTooLongError``, ``TranspileError``.
    """
    started = time.perf_counter()
    prepared, decided = _decide(circuit, device, shots=shots, seed=seed, noise=noise, method=method,
                                strict=strict, idle_noise=idle_noise, max_seconds=max_seconds)  # fmt: skip
    spec, info = prepared.job.spec, prepared.info
    last_run.clear()
    last_run.update(method=decided.method, noisy=prepared.job.noisy, qubits=info.num_qubits,
                    device=spec.name, idle_noise=prepared.job.noisy and idle_noise,
                    estimate_seconds=decided.seconds, why=decided.why)  # fmt: skip
    shown = progress_for(decided.method, decided.seconds,
                         "trajectories" if decided.method == "trajectories" else "run")  # fmt: skip
    try:
        try:
            counts = _ENGINES[decided.method](prepared, decided, shots, seed, shown)
        except UnsupportedCircuitError:
            if decided.fallback is None:
                raise
            # an instruction the engine has no form for (initialize, ...): the plan's fallback
            check_memory(info, decided.fallback)
            last_run["method"] = decided.fallback
            fallback = Plan(decided.fallback, chosen=True, cores=decided.cores)
            counts = _ENGINES[decided.fallback](prepared, fallback, shots, seed, shown)
    finally:
        shown.close()
    last_run["seconds"] = time.perf_counter() - started
    return counts


@dataclass(frozen=True)
class RunPlan:
    """What ``qlab.run`` would do with a circuit: ``print`` it, or read its fields.

    ``method`` the engine; ``chosen`` whether qlab chose it; ``seconds`` the estimated wall time
    on this machine; ``memory`` the bytes of the simulated state; ``cores`` the cores it would
    use; ``why`` the reason, in the user's language; ``qubits``, ``noisy``, ``device`` as run.
    """

    method: str
    chosen: bool
    seconds: float
    memory: int
    cores: int
    why: str
    qubits: int
    noisy: bool
    device: str

    def __str__(self) -> str:
        chosen = t("plan.chosen_auto") if self.chosen else t("plan.chosen_user")
        return t("plan.explain", method=self.method, chosen=chosen, seconds=format_seconds(self.seconds),
                 cores=self.cores, memory=format_bytes(self.memory), why=self.why)  # fmt: skip

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # IPython shows the text
        printer.text(str(self))


def explain_run(
    circuit: Any,
    device: Any = "ideal",
    *,
    shots: int = 1000,
    seed: int | None = None,
    noise: bool = True,
    method: str = "auto",
    strict: bool = False,
    idle_noise: bool = True,
) -> RunPlan:
    """What ``qlab.run`` would do with these arguments, without running: the engine, its estimate
    (time on this machine, memory) and why. Compiles the circuit (cached for the run that follows)
    but simulates nothing; a run that ``qlab.run`` would refuse as too long is explained too.

    >>> import qlab
    >>> from qiskit import QuantumCircuit
    >>> ghz = QuantumCircuit(20); _ = ghz.h(0)
    >>> for k in range(19): _ = ghz.cx(k, k + 1)
    >>> qlab.explain_run(ghz, "ideal").method
    'stim'
    """
    from .calibrate import rates

    rates()  # asked for an estimate: this machine's own figures
    prepared, decided = _decide(circuit, device, shots=shots, seed=seed, noise=noise, method=method,
                                strict=strict, idle_noise=idle_noise, max_seconds=None)  # fmt: skip
    return RunPlan(decided.method, decided.chosen, decided.seconds, decided.memory, decided.cores,
                   decided.why, prepared.info.num_qubits, prepared.job.noisy, prepared.job.spec.name)  # fmt: skip


@dataclass(frozen=True)
class _Job:
    """What an engine runs: a circuit in one framework, its Cirq measurement plan, the device."""

    circuit: Any
    framework: str
    cirq_plan: tuple[list[tuple[str, list[int]]], int] | None
    spec: DeviceSpec
    noisy: bool


@dataclass
class _Prepared:
    """A job with what the plan and the engines need, kept for re-runs of the same content."""

    job: _Job
    info: CircuitInfo
    shape: NoiseShape | None = None
    noisy_program: Any = None  # qlab.execution.trajectories.NoisyProgram, when it lowers
    memo: dict[Any, Any] = field(default_factory=dict)  # per-engine forms of the job


_PREPARED_SIZE = 32
_prepared: OrderedDict[tuple, _Prepared] = OrderedDict()


def _decide(circuit: Any, device: Any, *, shots: Any, seed: Any, noise: Any, method: Any, strict: Any,
            idle_noise: Any, max_seconds: Any) -> tuple[_Prepared, Plan]:  # fmt: skip
    """Check the arguments, prepare the job (or find it prepared) and plan it."""
    framework = framework_of(circuit)
    spec = library.resolve(device)
    shots = _check_shots(shots)
    _check_seed(seed)
    for name, value in (("noise", noise), ("strict", strict), ("idle_noise", idle_noise)):
        if not isinstance(value, bool):
            raise BadOptionError(t(f"run.bad_{name}", got=value))
    method = validate_method(method)
    _check_max_seconds(max_seconds)
    noisy = noise and not spec.noiseless
    key = content_key(circuit, framework)
    full_key = None if key is None else (key, spec.name, id(spec), noisy, strict, idle_noise,
                                         seed if noisy else None)  # fmt: skip
    prepared = _prepared.get(full_key) if full_key is not None else None
    if prepared is not None:
        _prepared.move_to_end(full_key)
    else:
        check_width(width_of(circuit, framework), spec)
        check_bound(circuit, framework, spec)
        prepared = _prepare(circuit, framework, spec, noisy=noisy, seed=seed, strict=strict,
                            idle_noise=idle_noise, method=method, shots=shots, max_seconds=max_seconds)  # fmt: skip
        if full_key is not None:
            _prepared[full_key] = prepared
            if len(_prepared) > _PREPARED_SIZE:
                _prepared.popitem(last=False)
    job = prepared.job
    decided = plan(prepared.info, requested=method, noisy=noisy, cirq_input=job.framework == CIRQ,
                   shots=shots, shape=prepared.shape, max_seconds=max_seconds)  # fmt: skip
    return prepared, decided


def _prepare(circuit: Any, framework: str, spec: DeviceSpec, *, noisy: bool, seed: int | None, strict: bool,
             idle_noise: bool, method: str, shots: int, max_seconds: float | None) -> _Prepared:  # fmt: skip
    circuit = with_measurements(circuit, framework)
    # a Cirq circuit's bits come from the user's qubits, before a compiler moves them
    cirq_plan = cirq_measurement_plan(circuit) if framework == CIRQ else None
    if not noisy:
        job = _Job(circuit, framework, cirq_plan, spec, noisy=False)
        info = info_qiskit(circuit) if framework == QISKIT else info_cirq(circuit)
        return _Prepared(job, info)
    given = info_qiskit(circuit) if framework == QISKIT else info_cirq(circuit)
    if given.feed_forward:
        raise UnsupportedCircuitError(t("run.feed_forward_noisy", device=spec.name))
    if max_seconds is not None:
        # before compiling: refuse what is far over the limit already (a 30-qubit noisy run)
        plan(given, requested=method, noisy=True, cirq_input=False, shots=shots,
             shape=_rough_shape(given, spec), max_seconds=max_seconds, rough=True)  # fmt: skip
    program = native_program(circuit, framework, spec, seed=seed, strict=strict, idle_noise=idle_noise,
                             plan=cirq_plan[0] if cirq_plan else None)  # fmt: skip
    job = _Job(program.circuit, QISKIT, None, spec, noisy=True)
    info = info_qiskit(program.circuit)
    shape, noisy_program = _noise_shape(program.circuit, spec, info)
    return _Prepared(job, info, shape, noisy_program)


def _rough_shape(info: CircuitInfo, spec: DeviceSpec) -> NoiseShape:
    """The noise's cost before compiling, from the circuit as given: a native two-qubit gate per
    two-qubit gate with a one-qubit gate on each side, the device's mean error rates."""
    params = noise_params(spec)
    lam2 = sum(params.lambda_2q.values()) / max(len(params.lambda_2q), 1)
    lam1 = sum(params.lambda_1q) / max(len(params.lambda_1q), 1)
    two = info.two_qubit_gates
    one = info.num_gates - two + 2 * two
    p_error = 1.0 - math.exp(-(two * lam2 * 15 / 16 + one * lam1 * 3 / 4))
    gates = one + two
    from .trajectories import max_error_trajectories

    return NoiseShape(gates, 3 * gates, p_error, 0.5, True, max_error_trajectories(info.num_qubits, gates))


def _noise_shape(native: Any, spec: DeviceSpec, info: CircuitInfo) -> tuple[NoiseShape, Any]:
    """What the noise of the compiled program costs, and the program as shared trajectories run
    it (``None`` where it does not lower to qsim directly)."""
    from ..qiskit_side.schedule import dt_of
    from . import qsim_direct, trajectories

    params = noise_params(spec)
    try:
        lowered = qsim_direct.lower(native, dt=dt_of(spec))
    except qsim_direct.Unlowerable:
        rough = _rough_shape(info, spec)
        return NoiseShape(rough.gates, rough.channels, rough.p_error, shared=False), None
    program = trajectories.noisy_program(lowered, params)
    gates = len(lowered.gates)
    shape = NoiseShape(
        gates=gates,
        channels=len(program.events),
        p_error=1.0 - program.p_no_error(),
        restart=program.mean_restart_fraction(),
        shared=trajectories.applicable(params, tuple(lowered.physical)),
        cap=trajectories.error_trajectory_cap(program),
        clifford=trajectories.on_tableau(program),
    )
    return shape, program


def _check_max_seconds(value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value > 0 or math.isnan(value):
        raise BadOptionError(t("plan.bad_max_seconds", got=value))


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


def _run_aer(prepared: _Prepared, decided: Plan, shots: int, seed: int | None, shown: Any) -> dict[str, int]:
    job = prepared.job
    method = decided.method
    sim = _aer_simulator(job.spec, method, job.noisy)
    qc = prepared.memo.get(("aer", method))
    if qc is None:
        qc = _aer_circuit(job, sim)
        prepared.memo[("aer", method)] = qc
    options: dict[str, Any] = {"shots": shots}
    if seed is not None:
        options["seed_simulator"] = seed
    if method == "matrix_product_state":
        # Aer's own MPS estimate doubles the bond at every crossing gate (75 TB for a star GHZ-36);
        # qlab already checked memory with a tighter bound (qlab.execution.engines.mps_bond_bits)
        options["max_memory_mb"] = 10**9  # (2**40 overflows inside Aer)
        if job.noisy:
            # shots that draw the same noise share the state (exact: Aer branches where a
            # channel's outcome depends on the state); 2-3x faster on a noisy GHZ-20
            options["shot_branching_enable"] = True
    try:
        result = sim.run(qc, **options).result()
        raw = result.data(0)["counts"]  # hexadecimal over every classical bit, no register gaps
    except QlabError:
        raise
    except Exception as exc:  # an engine failure, said plainly
        raise UnsupportedCircuitError(t("run.engine_failed", engine=f"Aer ({method})", reason=_first_line(exc))) from exc
    width = qc.num_clbits
    merged: dict[str, int] = {}
    for k, v in raw.items():
        key = format(int(k, 16), f"0{width}b")
        merged[key] = merged.get(key, 0) + int(v)
    return merged


def _aer_circuit(job: _Job, sim: Any) -> Any:
    """The job as Aer takes it: IonQ gates as labelled unitaries, waits as relaxation, gates Aer
    does not know rewritten."""
    from ..qiskit_side.aer import to_aer_circuit
    from ..qiskit_side.backend import backend_for

    if job.framework == QISKIT:
        qc = job.circuit
    else:
        qc = cirq_to_qiskit(job.circuit, plan=job.cirq_plan[0]).circuit  # type: ignore[index]
    params = backend_for(job.spec).params if job.noisy else None
    qc = to_aer_circuit(qc, params, job.spec)
    names = {inst.operation.name for inst in qc.data}
    if not names <= _aer_names(sim):
        qc = _to_aer_basis(qc, sim)
    return qc


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


def _run_qsim(prepared: _Prepared, decided: Plan, shots: int, seed: int | None, shown: Any) -> dict[str, int]:
    job = prepared.job
    if not job.noisy:
        bits = _qsim_direct_ideal(prepared, decided, shots, seed)
        if bits is not None:
            return bits_to_counts(bits)
    import qsimcirq

    cc, plan_, nbits = prepared.memo.get("cirq") or prepared.memo.setdefault("cirq", _as_cirq(job))
    n = len(cc.all_qubits())
    options = qsimcirq.QSimOptions(max_fused_gate_size=4 if n >= 20 else 3, cpu_threads=decided.cores)
    sim = qsimcirq.QSimSimulator(qsim_options=options, seed=seed)
    try:
        result = sim.run(cc, repetitions=shots)
    except QlabError:
        raise
    except Exception as exc:
        raise UnsupportedCircuitError(t("run.engine_failed", engine="qsim", reason=_first_line(exc))) from exc
    return bits_to_counts(cirq_result_bits(result, plan_, nbits))


def _qsim_direct_ideal(prepared: _Prepared, decided: Plan, shots: int, seed: int | None) -> Any:
    """An ideal circuit on qsim through :mod:`.qsim_direct` (a Qiskit one without Cirq in between;
    a Cirq one without qsimcirq's translation, once per content); ``None`` when it does not lower
    (qsimcirq's own path takes it)."""
    import numpy as np

    from . import qsim_direct

    job = prepared.job
    lowered = prepared.memo.get("lowered", False)
    if lowered is False:
        try:
            if job.framework == QISKIT:
                lowered = qsim_direct.lower(job.circuit)
            else:
                lowered = qsim_direct.lower_cirq(job.circuit, job.cirq_plan)
        except qsim_direct.Unlowerable:
            lowered = None
        prepared.memo["lowered"] = lowered
    if lowered is None:
        return None
    if seed is None:
        seed = int(np.random.default_rng().integers(2**31 - 1))
    n = lowered.num_qubits
    indices = qsim_direct.sample_final(n, lowered.gates, shots, seed % (2**31 - 1), decided.cores)
    qubit_bits = qsim_direct.indices_to_bits(indices, n)
    out = np.zeros((shots, lowered.num_clbits), dtype=np.uint8)
    for q, clbit in lowered.measures:
        out[:, clbit] = qubit_bits[:, q]
    return out


def _run_trajectories(prepared: _Prepared, decided: Plan, shots: int, seed: int | None, shown: Any) -> dict[str, int]:
    from . import trajectories

    program = prepared.noisy_program
    bits = trajectories.run(program, shots, seed, decided.cores, progress=shown.update)
    last_run.update(trajectories.last_draw)
    return bits_to_counts(bits)


def _run_stim(prepared: _Prepared, decided: Plan, shots: int, seed: int | None, shown: Any) -> dict[str, int]:
    from . import stim_engine

    job = prepared.job
    compiled = prepared.memo.get("stim")
    if compiled is None:
        qc = job.circuit
        if job.framework == CIRQ:
            qc = cirq_to_qiskit(qc, plan=job.cirq_plan[0]).circuit  # type: ignore[index]
        try:
            compiled = (*stim_engine.to_stim(qc), qc.num_clbits)
        except stim_engine.NotStim:
            compiled = ()
        prepared.memo["stim"] = compiled
    if not compiled:  # a Clifford gate stim does not name: Aer's stabilizer method
        return _run_aer(prepared, Plan("stabilizer", chosen=True), shots, seed, shown)
    circuit, clbits, nbits = compiled
    return bits_to_counts(stim_engine.sample(circuit, clbits, nbits, shots, seed))


def _run_cirq(prepared: _Prepared, decided: Plan, shots: int, seed: int | None, shown: Any) -> dict[str, int]:
    """Cirq's own simulators: they carry classically controlled Cirq operations (measure
    mid-circuit, then act on the result), and the device's noise (exactly, as a density matrix,
    when the plan says so; else by trajectories)."""
    import cirq

    cc, plan_, nbits = prepared.memo.get("cirq") or prepared.memo.setdefault("cirq", _as_cirq(prepared.job))
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
    "trajectories": _run_trajectories,
    "stim": _run_stim,
    "cirq": _run_cirq,
    **dict.fromkeys(("statevector", "density_matrix", "matrix_product_state", "stabilizer"), _run_aer),
}
