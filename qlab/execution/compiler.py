"""``qlab.transpile``: a circuit in the device's native gates, in the caller's own framework.

>>> import qlab
>>> from qiskit import QuantumCircuit
>>> bell = QuantumCircuit(2, 2); _ = bell.h(0); _ = bell.cx(0, 1); _ = bell.measure([0, 1], [0, 1])
>>> native = qlab.transpile(bell, "iqm-spark", seed=1)
>>> sorted(set(native.count_ops()) - {"measure", "barrier"})
['cz', 'r']

**One compiler for both frameworks.** A Cirq circuit is converted to Qiskit (measurement keys
kept as a plan; ``LineQubit(k)`` is qubit ``k``), compiled by the same pipeline as a Qiskit
circuit, and converted back to Cirq's gates on the device's ``LineQubit`` s. So the same circuit
lands on the same physical qubits with the same gates from either framework, and runs with the
same noise. The pipeline is Qiskit's transpiler on the device's backend
(:mod:`qlab.qiskit_side.backend`): layout, routing, Qiskit's optimisation at
``optimization_level`` (2 by default, Qiskit's own default), and the vendor's translation with
virtual Z (:mod:`qlab.qiskit_side.translate`, :mod:`qlab.hardware.pulses`).

**Where the qubits go.** A circuit that already runs where it stands (every two-qubit interaction
on a coupled pair) keeps its qubits: circuit qubit ``k`` is device qubit ``k``, as lessons that
read "qubit 2 is QB3" expect. Any other circuit is placed by Qiskit's noise-aware layout (the
qubits and pairs with the smallest errors, the fewest SWAPs).

**The cache** keys a circuit on what each instruction *does*: a standard gate by its class and
parameters, an IonQ gate likewise, any other gate (a ``to_gate()`` oracle, ``power``, ``control``,
``inverse``) by its exact matrix. Two different gates that share a name never share a compilation;
a circuit whose meaning cannot be keyed (free parameters, control flow, a wide custom gate) is
compiled every time.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..errors import BadOptionError, QlabError, TranspileError
from ..hardware import library
from ..hardware.rules import Op, Violation, check_width, enforce, error_for
from ..hardware.spec import DeviceSpec
from ..i18n import t
from .convert import (
    CIRQ,
    QISKIT,
    cirq_measurement_plan,
    cirq_to_qiskit,
    framework_of,
    qiskit_native_to_cirq,
)

DEFAULT_OPTIMIZATION_LEVEL = 2
_CACHE_SIZE = 64
_MATRIX_KEY_MAX_QUBITS = 8  # custom gates wider than this are not keyed (their matrix is large)
_cache: OrderedDict[tuple, Any] = OrderedDict()


def transpile(
    circuit: Any,
    device: Any = "ideal",
    *,
    seed: int | None = None,
    strict: bool = False,
    optimization_level: int = DEFAULT_OPTIMIZATION_LEVEL,
) -> Any:
    """Rewrite ``circuit`` in the native gates of ``device``, on pairs the device couples.

    Args:
        circuit: a Qiskit ``QuantumCircuit`` or a ``cirq.Circuit``; the result is of the same kind.
        device: a device name (``qlab.devices()``), a device from ``qlab.device(...)``, or that
            device's own Qiskit backend or Cirq device.
        seed: chooses among equally good layouts; ``None`` means 0, so compiling twice gives the
            same circuit.
        strict: ``False`` (default) translates any gate and routes around missing couplings.
            ``True`` translates nothing: it checks that the circuit is *already* native and on
            coupled pairs (as a hardware submission must be) and returns it unchanged, or raises
            :class:`~qlab.errors.NotNativeError` / :class:`~qlab.errors.UncoupledQubitsError`
            naming the gate or the pair and what is allowed.
        optimization_level: Qiskit's 0-3 (default 2, Qiskit's own default).

    A circuit wider than the device raises :class:`~qlab.errors.CircuitTooWideError`.
    Results are cached (see the module docstring), so re-running a notebook cell is cheap.
    """
    framework = framework_of(circuit)
    spec = library.resolve(device)
    level = check_level(optimization_level)
    check_width(width_of(circuit, framework), spec)
    if strict:
        enforce_native(circuit, framework, spec, remedy=t("run.strict_remedy"))
        return circuit.copy() if framework == QISKIT else circuit
    given = as_qiskit(circuit, framework, spec)
    native = compile_native(given.circuit, spec, seed=seed, level=level)
    if framework == QISKIT:
        return native
    return qiskit_native_to_cirq(native, given.plan)


@dataclass(frozen=True)
class CompiledCircuit:
    """A compiled Cirq circuit and where the original qubits went.

    ``initial_map[q]`` is the physical ``LineQubit`` that holds original qubit ``q`` at the start,
    ``final_map[q]`` the one holding it at the end (they differ when routing swapped qubits).
    """

    circuit: Any
    initial_map: dict[Any, Any]
    final_map: dict[Any, Any]

    @property
    def two_qubit_gates(self) -> int:
        return sum(1 for op in self.circuit.all_operations() if len(op.qubits) == 2
                   and op.gate is not None and not _is_measure(op))  # fmt: skip

    def routing_permutation(self) -> dict[Any, Any]:
        """Physical qubit at the start -> physical qubit at the end, for every original qubit;
        the ``qubit_map`` of ``cirq.testing.assert_circuits_have_same_unitary_given_final_permutation``."""
        return {self.initial_map[q]: self.final_map[q] for q in self.initial_map}


def _is_measure(op: Any) -> bool:
    import cirq

    return cirq.is_measurement(op)


def compile_with_mapping(circuit: Any, device: Any, *, seed: int | None = None,
                         optimization_level: int = DEFAULT_OPTIMIZATION_LEVEL) -> CompiledCircuit:  # fmt: skip
    """Compile a ``cirq.Circuit`` for ``device`` (as :func:`transpile` does) and say where each of
    its qubits starts and ends."""
    import cirq

    spec = library.resolve(device)
    check_width(width_of(circuit, CIRQ), spec)
    given = as_qiskit(circuit, CIRQ, spec)
    native = compile_native(given.circuit, spec, seed=seed, level=check_level(optimization_level))
    qubits = sorted(circuit.all_qubits())
    layout = native.layout
    start = layout.initial_index_layout(filter_ancillas=True) if layout else list(range(len(qubits)))
    end = layout.final_index_layout(filter_ancillas=True) if layout else start
    return CompiledCircuit(
        qiskit_native_to_cirq(native, given.plan),
        {q: cirq.LineQubit(start[i]) for i, q in enumerate(qubits)},
        {q: cirq.LineQubit(end[i]) for i, q in enumerate(qubits)},
    )


def compile_circuit(circuit: Any, device: Any, *, seed: int | None = None) -> Any:
    """A ``cirq.Circuit`` in the device's native gates on coupled pairs, measurement keys kept
    (the Cirq half of :func:`transpile`; ``device`` may also be a spec)."""
    return transpile(circuit, device, seed=seed)


# ---- what was given -------------------------------------------------------------------------


def check_level(level: Any) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 3:
        raise BadOptionError(t("run.bad_optimization_level", got=level))
    return level


def width_of(circuit: Any, framework: str) -> int:
    """How many qubits a circuit declares (Qiskit) or uses (Cirq)."""
    if framework == QISKIT:
        return circuit.num_qubits
    return len(circuit.all_qubits())


def read_ops(circuit: Any, framework: str) -> tuple[int, list[Op]]:
    """The circuit as the device rule reads it."""
    if framework == QISKIT:
        from ..qiskit_side.read import circuit_ops
    else:
        from ..cirq_side.read import circuit_ops
    return circuit_ops(circuit)


def enforce_native(circuit: Any, framework: str, spec: DeviceSpec, *, remedy: str | None = None) -> None:
    """Raise unless ``circuit`` runs on the device exactly as it is (the one device rule)."""
    width, ops = read_ops(circuit, framework)
    enforce(width, ops, spec, remedy=remedy, cirq=framework == CIRQ)


def check_bound(circuit: Any, framework: str, spec: DeviceSpec) -> None:
    """Raise the device rule's message when a parameter has no value yet (it cannot run)."""
    _, ops = read_ops(circuit, framework)
    free = [op for op in ops if op.unbound]
    if free:
        first = free[0]
        found = [Violation("unbound", first.name, first.qubits, ", ".join(first.unbound), first.label)]
        raise error_for(found, spec, cirq=framework == CIRQ)


@dataclass
class Given:
    """A circuit in Qiskit form for the compiler, and, for a Cirq circuit, its measurement plan
    (each key and the classical bits it writes: how results and keys are put back)."""

    circuit: Any
    plan: list[tuple[str, list[int]]] | None = None


def as_qiskit(circuit: Any, framework: str, spec: DeviceSpec) -> Given:
    """The circuit as the compiler takes it (Qiskit); a Cirq circuit is converted, keys kept."""
    if framework == QISKIT:
        return Given(circuit)
    import cirq

    check_bound(circuit, CIRQ, spec)
    for op in circuit.all_operations():
        kept = cirq.is_measurement(op) or isinstance(op.gate, (cirq.ResetChannel, cirq.WaitGate))
        if not (kept or cirq.has_unitary(op)):
            raise TranspileError(t("validate.cannot_compile", gate=str(op.gate or op),
                                   qubits=" and ".join(map(str, op.qubits)) or "-", device=spec.name,
                                   reason=t("validate.reason_no_unitary")))  # fmt: skip
    plan, _ = cirq_measurement_plan(circuit)
    on_device = all(
        isinstance(q, cirq.LineQubit) and 0 <= q.x < spec.num_qubits for q in circuit.all_qubits()
    )
    return Given(cirq_to_qiskit(circuit, physical=on_device, plan=plan, fence=True).circuit, plan)


# ---- the one compilation ----------------------------------------------------------------------


def compile_native(
    qc: Any, spec: DeviceSpec, *, seed: int | None = None, level: int = DEFAULT_OPTIMIZATION_LEVEL,
    initial_layout: list[int] | None = None,
) -> Any:  # fmt: skip
    """``qc`` (Qiskit) in the device's native gates on coupled pairs: the compilation every
    framework and every run shares. Returns a fresh copy (callers may edit it)."""
    seed = 0 if seed is None else seed
    if initial_layout is None and _runs_in_place(qc, spec):
        initial_layout = list(range(qc.num_qubits))
    key = cache_key(qc, spec, seed, level, initial_layout)
    if key is not None and key in _cache:
        _cache.move_to_end(key)
        return _cache[key].copy()
    out = _qiskit_transpile(qc, spec, seed, level, initial_layout)
    if key is not None:
        _cache[key] = out
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        return out.copy()
    return out


def interactions(qc: Any) -> dict[tuple[int, int], int]:
    """How often each pair of circuit qubits meets in a gate (a gate on three or more qubits
    counts for every pair it spans)."""
    import itertools

    pairs: dict[tuple[int, int], int] = {}
    for inst in qc.data:
        if inst.operation.name in ("barrier", "measure"):
            continue
        idx = sorted(qc.find_bit(q).index for q in inst.qubits)
        for a, b in itertools.combinations(idx, 2):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    return pairs


def _runs_in_place(qc: Any, spec: DeviceSpec) -> bool:
    """Does every interaction of ``qc`` fall on a pair the device couples, qubit ``k`` on qubit
    ``k``?"""
    return qc.num_qubits <= spec.num_qubits and all(
        spec.is_coupled(a, b) for a, b in interactions(qc)
    )


def _qiskit_transpile(qc: Any, spec: DeviceSpec, seed: int, level: int, layout: Any) -> Any:
    from qiskit import transpile as qiskit_transpile
    from qiskit.transpiler.exceptions import TranspilerError

    from ..qiskit_side.backend import backend_for

    try:
        return qiskit_transpile(
            qc, backend=backend_for(spec), seed_transpiler=seed, optimization_level=level,
            initial_layout=layout,
        )  # fmt: skip
    except QlabError:
        raise
    except (TranspilerError, ValueError, TypeError) as exc:
        raise transpile_error(spec, exc) from exc


def transpile_error(spec: DeviceSpec, exc: BaseException) -> TranspileError:
    """A framework's compiler failure, said plainly: the device, its natives, the first line."""
    text = str(exc).strip()
    reason = text.splitlines()[0] if text else type(exc).__name__
    return TranspileError(
        t("run.transpile_failed", device=spec.name, natives=", ".join(spec.native_gates), reason=reason)
    )


# ---- the cache key: what each instruction does --------------------------------------------------


def cache_key(qc: Any, spec: DeviceSpec, seed: int, level: int, layout: Any) -> tuple | None:
    """A key that changes whenever what the circuit does changes, or None (do not cache)."""
    try:
        body = tuple(
            (
                _meaning(inst.operation),
                tuple(qc.find_bit(q).index for q in inst.qubits),
                tuple(qc.find_bit(c).index for c in inst.clbits),
            )
            for inst in qc.data
        )
    except _Unkeyable:
        return None
    shape = (qc.num_qubits, qc.num_clbits, float(qc.global_phase) if _is_number(qc.global_phase) else None)
    if shape[2] is None:
        return None
    return (spec.name, id(spec), seed, level, tuple(layout) if layout else None, shape, registers(qc), body)


def registers(qc: Any) -> tuple:
    """The circuit's registers (names, sizes): they shape the counts keys and the compiled
    circuit, so two circuits that differ only there never share a cached result."""
    return (tuple((r.name, r.size) for r in qc.qregs), tuple((r.name, r.size) for r in qc.cregs))


class HashedKey:
    """A key whose hash is computed once: a thousand-gate circuit's key is hashed once per run,
    not again by every dictionary look-up (a tuple does not keep its hash)."""

    __slots__ = ("key", "hash")

    def __init__(self, key: tuple) -> None:
        self.key = key
        self.hash = hash(key)  # TypeError for an unhashable part: the caller keys nothing

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HashedKey) and self.hash == other.hash and self.key == other.key


def content_key(circuit: Any, framework: str) -> HashedKey | None:
    """A key for what a circuit *is* (not which object): equal for a new circuit built the same
    way, different whenever a gate, a parameter, a qubit, a register, a measurement key or a
    custom gate's definition (its matrix) differs; ``None`` when that cannot be keyed safely
    (then nothing is cached). ``qlab.run`` keys its prepared jobs on it."""
    if framework == QISKIT:
        try:
            body = tuple(
                (_meaning(inst.operation), tuple(circuit.find_bit(q).index for q in inst.qubits),
                 tuple(circuit.find_bit(c).index for c in inst.clbits))
                for inst in circuit.data
            )  # fmt: skip
        except _Unkeyable:
            return None
        if not _is_number(circuit.global_phase):
            return None
        return HashedKey((QISKIT, circuit.num_qubits, circuit.num_clbits, float(circuit.global_phase),
                          registers(circuit), body))  # fmt: skip
    return _cirq_key(circuit)


def _cirq_key(circuit: Any) -> HashedKey | None:
    """Cirq gates are values (equal gates hash equal); a gate without a value (no ``_value_equality_``,
    hashed by identity) gives a key that never matches another object, which is safe."""
    import cirq

    body = tuple(
        (op.gate if op.gate is not None else op, op.qubits, cirq.is_parameterized(op))
        for op in circuit.all_operations()
    )
    if any(p for _, _, p in body):
        return None
    try:
        return HashedKey((CIRQ, body))
    except TypeError:  # an unhashable gate
        return None


class _Unkeyable(Exception):
    """An instruction whose meaning the cache cannot capture safely."""


def _is_number(x: Any) -> bool:
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return True


def _params(op: Any) -> tuple[float, ...]:
    try:
        return tuple(float(p) for p in op.params)
    except (TypeError, ValueError):
        raise _Unkeyable from None


@cache
def _standard_classes() -> dict[str, type]:
    """Qiskit's standard gates, name -> class (building the mapping costs milliseconds: once)."""
    from qiskit.circuit.library import get_standard_gate_name_mapping

    return {name: gate.base_class for name, gate in get_standard_gate_name_mapping().items()}


def _meaning(op: Any) -> tuple:
    import numpy as np
    from qiskit.circuit import Gate
    from qiskit.circuit.library import UnitaryGate

    from ..qiskit_side.gates import IONQ_GATES

    name = op.name
    if getattr(op, "condition", None) is not None or getattr(op, "blocks", None):
        raise _Unkeyable
    if name in ("measure", "reset", "barrier"):
        return (name,)
    if name == "delay":
        return (name, float(op.duration), op.unit)
    standard = _standard_classes().get(name)
    # base_class: Qiskit's shared (singleton) instances of a standard gate are of a subclass
    if standard is not None and getattr(op, "base_class", type(op)) is standard:
        return ("std", name, _params(op))
    if type(op) is IONQ_GATES.get(name):
        return ("ionq", name, _params(op))
    if isinstance(op, UnitaryGate):
        return ("matrix", np.asarray(op.to_matrix()).tobytes())
    if isinstance(op, Gate) and op.num_qubits <= _MATRIX_KEY_MAX_QUBITS:
        from qiskit.quantum_info import Operator

        _params(op)  # a free parameter: no key
        try:
            return ("matrix", op.num_qubits, np.asarray(Operator(op).data).tobytes())
        except Exception:  # noqa: BLE001 - a gate without a matrix: compile every time
            raise _Unkeyable from None
    raise _Unkeyable


def clear_cache() -> None:
    """Forget every cached compilation."""
    _cache.clear()

