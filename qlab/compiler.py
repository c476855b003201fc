"""``qlab.transpile``: a circuit in the device's native gates, in the caller's own framework.

>>> import qlab
>>> from qiskit import QuantumCircuit
>>> bell = QuantumCircuit(2, 2); _ = bell.h(0); _ = bell.cx(0, 1); _ = bell.measure([0, 1], [0, 1])
>>> native = qlab.transpile(bell, "iqm-spark", seed=1)
>>> sorted(set(native.count_ops()) - {"measure", "barrier"})
['cz', 'r']

Qiskit in, Qiskit out (through ``qiskit.transpile`` on the device's backend); Cirq in, Cirq out
(through :func:`qlab.cirq_compile.compile_circuit`). Measurements keep their classical bits and
keys, so counts read the same before and after.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from .catalog import Device
from .catalog import device as get_device
from .catalog import devices as all_devices
from .convert import CIRQ, QISKIT, framework_of
from .errors import (
    BadOptionError,
    CircuitTooWideError,
    QlabError,
    TranspileError,
)
from .i18n import t

DEFAULT_OPTIMIZATION_LEVEL = 1
_CACHE_SIZE = 64
_cache: OrderedDict[tuple, Any] = OrderedDict()


def transpile(
    circuit: Any,
    device: str | Device = "ideal",
    *,
    seed: int | None = None,
    strict: bool = False,
    optimization_level: int = DEFAULT_OPTIMIZATION_LEVEL,
) -> Any:
    """Rewrite ``circuit`` in the native gates of ``device``, on pairs the device couples.

    Args:
        circuit: a Qiskit ``QuantumCircuit`` or a ``cirq.Circuit``; the result is of the same kind.
        device: a device name (``qlab.devices()``) or a device from ``qlab.device(...)``.
        seed: makes layout and routing reproducible (they involve random choices).
        strict: ``False`` (default) translates any gate and routes around missing couplings.
            ``True`` translates nothing: it checks that the circuit is *already* native and on
            coupled pairs (as a hardware submission must be) and returns it unchanged, or raises
            :class:`~qlab.errors.NotNativeError` / :class:`~qlab.errors.UncoupledQubitsError`
            naming the gate or the pair and what is allowed.
        optimization_level: Qiskit's 0-3 (default 1: light optimisation, fast); unused by Cirq.

    A circuit wider than the device raises :class:`~qlab.errors.CircuitTooWideError`.
    Results are cached per device, circuit and seed, so re-running a notebook cell is cheap.
    """
    framework = framework_of(circuit)
    dev = get_device(device)
    if (
        isinstance(optimization_level, bool)
        or not isinstance(optimization_level, int)
        or not 0 <= optimization_level <= 3
    ):
        raise BadOptionError(t("run.bad_optimization_level", got=optimization_level))
    check_width(circuit, dev, framework)
    if strict:
        from .checks.compliance import validate_native

        validate_native(circuit, dev, remedy=t("run.strict_remedy"))
        return circuit.copy() if framework == QISKIT else circuit
    key = _cache_key(circuit, framework, dev, seed, optimization_level)
    if key is not None and key in _cache:
        _cache.move_to_end(key)
        hit = _cache[key]
        return hit.copy() if framework == QISKIT else hit
    if framework == QISKIT:
        out = _transpile_qiskit(circuit, dev, seed, optimization_level)
    else:
        out = _transpile_cirq(circuit, dev, seed)
    if key is not None:
        _cache[key] = out
        if len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        return out.copy() if framework == QISKIT else out
    return out


# ---- width ----------------------------------------------------------------------------------


def circuit_width(circuit: Any, framework: str | None = None) -> int:
    """How many qubits a circuit declares (Qiskit) or uses (Cirq)."""
    framework = framework or framework_of(circuit)
    if framework == QISKIT:
        return circuit.num_qubits
    return len(circuit.all_qubits())


def check_width(circuit: Any, dev: Device, framework: str | None = None) -> None:
    """Raise :class:`CircuitTooWideError` when the circuit has more qubits than ``dev``."""
    width = circuit_width(circuit, framework)
    if width > dev.num_qubits:
        larger = [n for n in all_devices() if get_device(n).num_qubits >= width]
        raise CircuitTooWideError(
            t(
                "run.too_wide",
                width=width,
                device=dev.name,
                num_qubits=dev.num_qubits,
                larger=", ".join(larger) if larger else t("run.too_wide_none"),
            )
        )


# ---- Qiskit ---------------------------------------------------------------------------------


def _transpile_qiskit(qc: Any, dev: Device, seed: int | None, level: int) -> Any:
    from qiskit import transpile as qiskit_transpile
    from qiskit.transpiler.exceptions import TranspilerError

    backend = dev.qiskit_backend()
    try:
        return qiskit_transpile(
            qc, backend=backend, seed_transpiler=seed, optimization_level=level
        )
    except (TranspilerError, ValueError, TypeError) as exc:
        raise _transpile_error(dev, exc) from exc


# ---- Cirq -----------------------------------------------------------------------------------


def _transpile_cirq(circuit: Any, dev: Device, seed: int | None) -> Any:
    from .cirq_compile import compile_circuit

    try:
        return compile_circuit(circuit, dev.spec, seed=seed)
    except QlabError:
        raise
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise _transpile_error(dev, exc) from exc


def _transpile_error(dev: Device, exc: BaseException) -> TranspileError:
    """A framework's compiler failure, said plainly: the device, its natives, the first line."""
    text = str(exc).strip()
    reason = text.splitlines()[0] if text else type(exc).__name__
    return TranspileError(
        t("run.transpile_failed", device=dev.name, natives=", ".join(dev.native_gates), reason=reason)
    )


# ---- cache ----------------------------------------------------------------------------------


def _cache_key(circuit: Any, framework: str, dev: Device, seed: int | None, level: int) -> tuple | None:
    """A key that changes whenever the circuit does (circuits are mutable), or None."""
    try:
        if framework == QISKIT:
            body = tuple(
                (
                    inst.operation.name,
                    tuple(float(p) for p in inst.operation.params),
                    tuple(circuit.find_bit(q).index for q in inst.qubits),
                    tuple(circuit.find_bit(c).index for c in inst.clbits),
                )
                for inst in circuit.data
            )
            shape: tuple = (circuit.num_qubits, circuit.num_clbits, str(circuit.global_phase))
        elif framework == CIRQ:
            import cirq

            body = cirq.FrozenCircuit(circuit) if not isinstance(circuit, cirq.FrozenCircuit) else circuit
            shape = ()
        else:
            return None
        key = (framework, dev.name, id(dev.spec), seed, level, shape, body)
        hash(key)
        return key
    except (TypeError, ValueError):  # symbolic parameters, unhashable gates: do not cache
        return None
