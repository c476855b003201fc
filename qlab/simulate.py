"""``qlab.run``: counts from a circuit on an emulated device, for Qiskit and Cirq alike.

>>> import qlab
>>> from qiskit import QuantumCircuit
>>> ghz = QuantumCircuit(3); _ = ghz.h(0); _ = ghz.cx(0, 1); _ = ghz.cx(1, 2)
>>> counts = qlab.run(ghz, "ideal", shots=1000, seed=7)   # no measurements: all qubits measured
>>> sorted(counts), sum(counts.values())
(['000', '111'], 1000)
"""

from __future__ import annotations

import os
from typing import Any

from .catalog import Device
from .catalog import device as get_device
from .compiler import check_width, transpile
from .convert import (
    QISKIT,
    bits_to_counts,
    cirq_measurement_plan,
    cirq_result_bits,
    cirq_to_qiskit,
    framework_of,
    qiskit_to_cirq,
)
from .engines import (
    check_memory,
    choose_method,
    info_cirq,
    info_qiskit,
    validate_method,
)
from .errors import BadOptionError, BadShotsError, QlabError, UnsupportedCircuitError
from .i18n import t

MAX_SHOTS = 10_000_000
_IONQ_GATES = frozenset({"gpi", "gpi2", "ms", "zz"})
_aer_cache: dict[tuple, Any] = {}
_cirq_noise_cache: dict[tuple, Any] = {}
# what the last run did, for the curious and for tests: {"method": ..., "noisy": ..., "qubits": ...}
last_run: dict[str, Any] = {}


def run(
    circuit: Any,
    device: str | Device = "ideal",
    *,
    shots: int = 1000,
    seed: int | None = None,
    noise: bool = True,
    method: str = "auto",
    strict: bool = False,
) -> dict[str, int]:
    """Run ``circuit`` on an emulated ``device`` and return the counts of each outcome.

    Args:
        circuit: a Qiskit ``QuantumCircuit`` or a ``cirq.Circuit``. A circuit without any
            measurement gets every qubit measured at the end (qubit ``k`` into bit ``k``).
        device: a name from ``qlab.devices()`` or a device from ``qlab.device(...)``.
        shots: how many times to run it, 1 to 10,000,000.
        seed: a whole number makes the result reproducible (transpilation and sampling); ``None``
            gives a fresh random run each time.
        noise: with ``True`` on a noisy device, the circuit is first translated to the device's
            native gates on its coupled pairs (:func:`qlab.transpile`, in the circuit's own
            framework) and simulated with the device's noise. With ``False``, or on ``"ideal"``,
            the circuit is simulated exactly as given (only its width is checked).
        method: ``"auto"`` (default) or one of ``"qsim"``, ``"statevector"``,
            ``"density_matrix"``, ``"matrix_product_state"``, ``"stabilizer"``, ``"cirq"``.
        strict: ``True`` runs the circuit exactly as given, gate for gate, with the device's noise:
            it must already be native and on coupled pairs (else ``NotNativeError`` /
            ``UncoupledQubitsError``). For experiments the transpiler would "optimise" away,
            such as a chain of identity-equivalent gates that lets a qubit decay (T1, T2).

    Returns:
        ``{bit string: count}``. Bit order, the same for both frameworks: the **last character is
        qubit 0** (Qiskit's convention; for a Qiskit circuit, classical bit 0). For a Cirq circuit
        the measured qubits are sorted (``LineQubit(0)`` first) and the ``k``-th one is character
        ``-1-k``. So ``{'001': 1000}`` means qubit 0 read 1 and the others 0.

    How ``method="auto"`` chooses (thresholds measured in ``benchmarks/engines.py``):

    * noisy and at most 10 qubits: ``density_matrix`` (Aer): the noise is exact, no sampling of
      error trajectories;
    * ideal and only Clifford gates (H, S, CX, ...) on 24 qubits or more: ``stabilizer``;
    * otherwise, while the state vector fits in memory: ``qsim`` for ideal circuits of 14 qubits
      or more (6-9x faster than Aer on random 20-24 qubit circuits here) and for noisy ones (error
      trajectories, 2x faster than Aer's on a noisy GHZ-12); Aer ``statevector`` for smaller ideal
      circuits (Aer starts faster) and for what qsim cannot take (conditions, mid-circuit
      measurements); Cirq's own simulator for Cirq circuits with classically controlled gates;
    * wider: ``matrix_product_state`` (e.g. a noisy GHZ-36 on ``ionq-forte``), when its memory
      bound fits.

    A Qiskit circuit runs on qsim (and a Cirq circuit on Aer) by conversion (:mod:`qlab.convert`).
    Before allocating anything, the memory a method needs is compared with the machine's free
    memory: a circuit that cannot fit raises :class:`qlab.errors.TooMuchMemoryError` naming the
    number of qubits and the memory it would need. ``qlab.simulate.last_run`` tells which method
    the last run used.

    Raises (each names what was wrong and what is allowed): ``NotACircuitError``,
    ``UnknownDeviceError``, ``CircuitTooWideError``, ``BadShotsError``, ``UnknownMethodError``,
    ``UnsupportedCircuitError``, ``TooMuchMemoryError``, ``TranspileError``.
    """
    framework = framework_of(circuit)
    dev = get_device(device)
    shots = _check_shots(shots)
    _check_seed(seed)
    if not isinstance(noise, bool):
        raise BadOptionError(t("run.bad_noise", got=noise))
    if not isinstance(strict, bool):
        raise BadOptionError(t("run.bad_strict", got=strict))
    method = validate_method(method)
    check_width(circuit, dev, framework)

    noisy = noise and not dev.noiseless
    circuit = with_measurements(circuit, framework)
    # a Cirq circuit's bits come from the user's qubits, before a compiler moves them
    plan = cirq_measurement_plan(circuit) if framework != QISKIT else None
    if noisy:
        given = info_qiskit(circuit) if framework == QISKIT else info_cirq(circuit)
        if given.feed_forward:
            raise UnsupportedCircuitError(t("run.feed_forward_noisy", device=dev.name))
        circuit = transpile(circuit, dev, seed=seed, strict=strict)
    info = info_qiskit(circuit) if framework == QISKIT else info_cirq(circuit)
    auto = method == "auto"
    if auto and framework != QISKIT and info.feed_forward:
        method = "cirq"  # classically controlled Cirq gates: only Cirq's own simulator carries them
    elif auto:
        method = choose_method(info, noisy=noisy)
    else:
        _check_forced(method, info, noisy)
        check_memory(info, method)
    last_run.clear()
    last_run.update(method=method, noisy=noisy, qubits=info.num_qubits, device=dev.name)
    if method == "cirq":
        return _run_cirq(circuit, framework, shots, seed, plan)
    if method == "qsim":
        try:
            return _run_qsim(circuit, framework, dev, noisy, shots, seed, plan)
        except UnsupportedCircuitError:
            if not auto or framework != QISKIT:
                raise
            # an instruction qsim has no form for (initialize, ...): Aer runs Qiskit's own circuits
            method = "statevector"
            check_memory(info, method)
            last_run["method"] = method
    return _run_aer(circuit, framework, dev, method, noisy, shots, seed, plan)


# ---- input checks -------------------------------------------------------------------------------


def _check_shots(shots: Any) -> int:
    import numbers

    if (
        isinstance(shots, bool)
        or not isinstance(shots, numbers.Integral)
        or not 1 <= int(shots) <= MAX_SHOTS
    ):
        raise BadShotsError(t("run.bad_shots", max=f"{MAX_SHOTS:,}", got=shots))
    return int(shots)


def _check_seed(seed: Any) -> None:
    import numbers

    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0):
        raise BadOptionError(t("run.bad_seed", got=seed))


def _check_forced(method: str, info: Any, noisy: bool) -> None:
    if method == "stabilizer" and (noisy or not info.clifford):
        gates = ", ".join(sorted(info.gate_names - {"measure", "barrier"})) if not info.clifford else "noise"
        raise UnsupportedCircuitError(t("run.method_needs_clifford", gates=gates))
    if method == "qsim" and info.dynamic:
        raise UnsupportedCircuitError(t("run.qsim_dynamic"))


def with_measurements(circuit: Any, framework: str | None = None) -> Any:
    """The circuit itself when it measures something; else a copy that measures every qubit.

    Qiskit: qubit ``k`` is measured into classical bit ``k`` (bits are added if needed).
    Cirq: all qubits, sorted, under the key ``"all"``.
    """
    framework = framework or framework_of(circuit)
    if framework == QISKIT:
        if any(inst.operation.name == "measure" for inst in circuit.data):
            return circuit
        from qiskit.circuit import ClassicalRegister

        qc = circuit.copy()
        n = qc.num_qubits
        if qc.num_clbits < n:
            qc.add_register(ClassicalRegister(n - qc.num_clbits, "meas"))
        qc.barrier()
        qc.measure(range(n), range(n))
        return qc
    import cirq

    if any(cirq.is_measurement(op) for op in circuit.all_operations()):
        return circuit
    return circuit + cirq.Circuit(cirq.measure(*sorted(circuit.all_qubits()), key="all"))


# ---- Aer ----------------------------------------------------------------------------------------


def _aer_simulator(dev: Device, method: str, noisy: bool) -> Any:
    """One AerSimulator per (device, method, noise), built once."""
    key = (dev.name, id(dev.spec), method, noisy)
    sim = _aer_cache.get(key)
    if sim is None:
        if noisy:
            backend = dev.qiskit_backend()
            sim = backend.aer_simulator(method=method, noise=True)
        else:
            from qiskit_aer import AerSimulator

            sim = AerSimulator(method=method)
        _aer_cache[key] = sim
    return sim


def _run_aer(
    circuit: Any, framework: str, dev: Device, method: str, noisy: bool, shots: int, seed: int | None, plan: Any
) -> dict[str, int]:
    qc = circuit if framework == QISKIT else cirq_to_qiskit(circuit, physical=noisy, plan=plan[0]).circuit
    sim = _aer_simulator(dev, method, noisy)
    supported = _aer_names(sim)
    names = {inst.operation.name for inst in qc.data}
    if names & _IONQ_GATES:
        from .qiskit_backend import to_aer_circuit

        qc = to_aer_circuit(qc)  # IonQ gates as labelled unitaries: Aer applies their noise by label
        names = {inst.operation.name for inst in qc.data}
    if not names <= supported:
        qc = _to_aer_basis(qc, sim)
    options: dict[str, Any] = {"shots": shots}
    if seed is not None:
        options["seed_simulator"] = seed
    if method == "matrix_product_state":
        # Aer's own MPS estimate doubles the bond at every crossing gate (75 TB for a star GHZ-36);
        # qlab already checked memory with a tighter bound (qlab.engines.mps_bond_bits)
        options["max_memory_mb"] = 10**9  # (2**40 overflows inside Aer)
    try:
        result = sim.run(qc, **options).result()
        counts = result.get_counts()
    except QlabError:
        raise
    except Exception as exc:  # an engine failure, said plainly
        raise UnsupportedCircuitError(t("run.engine_failed", engine=f"Aer ({method})", reason=_first_line(exc))) from exc
    if any(" " in k for k in counts):
        merged: dict[str, int] = {}
        for k, v in counts.items():
            merged[k.replace(" ", "")] = merged.get(k.replace(" ", ""), 0) + v
        return merged
    return dict(counts)


def _aer_names(sim: Any) -> set[str]:
    key = ("names", id(sim))
    names = _aer_cache.get(key)
    if names is None:
        names = set(sim.target.operation_names) | {"barrier", "measure"}
        _aer_cache[key] = names
    return names


def _to_aer_basis(qc: Any, sim: Any) -> Any:
    """Rewrite gates Aer does not know (a ``QFTGate``, an ideal run of IonQ native gates, ...) into
    gates it does, through the simulator's own Target; a circuit wider than that Target (a wide
    MPS run) is lowered to standard gates instead."""
    from qiskit import transpile as qiskit_transpile

    if qc.num_qubits <= sim.target.num_qubits:
        return qiskit_transpile(qc, target=sim.target, optimization_level=0)
    basis = sorted(_aer_names(sim) & _STANDARD_BASIS)
    return qiskit_transpile(qc, basis_gates=basis, optimization_level=0)


_STANDARD_BASIS = frozenset(
    {"u", "p", "rx", "ry", "rz", "cx", "cz", "rzz", "rxx", "h", "x", "y", "z", "s", "sdg", "sx", "swap"}
)


# ---- qsim ---------------------------------------------------------------------------------------


def _cirq_noise(dev: Device) -> Any:
    key = (dev.name, id(dev.spec))
    model = _cirq_noise_cache.get(key)
    if model is None:
        from .cirq_noise import noise_model

        model = noise_model(dev.spec)
        _cirq_noise_cache[key] = model
    return model


def _run_qsim(
    circuit: Any, framework: str, dev: Device, noisy: bool, shots: int, seed: int | None, plan: Any
) -> dict[str, int]:
    import qsimcirq

    if framework == QISKIT:
        conv = qiskit_to_cirq(circuit, compact=not noisy)
        cc, plan, nbits = conv.circuit, conv.plan, conv.num_clbits
    else:
        cc = circuit
        plan, nbits = plan
    if noisy:
        cc = cc.with_noise(_cirq_noise(dev))
    cc = _compact(cc)
    n = len(cc.all_qubits())
    options = qsimcirq.QSimOptions(max_fused_gate_size=4 if n >= 20 else 3, cpu_threads=os.cpu_count() or 1)
    sim = qsimcirq.QSimSimulator(qsim_options=options, seed=seed)
    try:
        result = sim.run(cc, repetitions=shots)
    except QlabError:
        raise
    except Exception as exc:
        raise UnsupportedCircuitError(t("run.engine_failed", engine="qsim", reason=_first_line(exc))) from exc
    return bits_to_counts(cirq_result_bits(result, plan, nbits))


def _run_cirq(circuit: Any, framework: str, shots: int, seed: int | None, plan: Any) -> dict[str, int]:
    """Cirq's own state-vector simulator: the one engine that carries classically controlled
    Cirq operations (measure mid-circuit, then act on the result)."""
    import cirq

    if framework == QISKIT:
        raise UnsupportedCircuitError(t("run.cirq_method_needs_cirq"))
    plan, nbits = plan
    try:
        result = cirq.Simulator(seed=seed).run(circuit, repetitions=shots)
    except QlabError:
        raise
    except Exception as exc:
        raise UnsupportedCircuitError(t("run.engine_failed", engine="cirq", reason=_first_line(exc))) from exc
    return bits_to_counts(cirq_result_bits(result, plan, nbits))


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
