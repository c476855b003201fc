"""An emulated device as a ``cirq.Device``: which qubits, which gates, which pairs.

``build_device(spec)`` renders a :class:`~qlab.spec.DeviceSpec` for Cirq. The device's qubits are
``cirq.LineQubit(0)`` .. ``cirq.LineQubit(n - 1)`` (qubit ``k`` is the vendor's ``spec.label(k)``,
e.g. ``QB3`` on IQM Spark), and ``device.validate_circuit(circuit)`` checks what the hardware would
check before running a circuit:

* every qubit exists on the device (:class:`~qlab.errors.QubitNotOnDeviceError`);
* every gate is native (:class:`~qlab.errors.NotNativeError`), measurement always allowed;
* every two-qubit gate acts on a coupled pair (:class:`~qlab.errors.UncoupledQubitsError`).

The native gates, per family (the spec names them the Qiskit way):

===========  ==========================================================================
spec name    accepted Cirq gates
===========  ==========================================================================
``r``        ``cirq.PhasedXPowGate`` (IQM's PRX), and its special cases XPow and YPow
``cz``       ``cirq.CZ`` (``CZPowGate`` with exponent 1)
``gpi`` ...  :mod:`qlab.cirq_gates` ``GPIGate``, ``GPI2Gate``, ``MSGate``, ``ZZGate``
``rx/ry/rz`` ``cirq.rx/ry/rz`` (the ``XPow/YPow/ZPow`` families)
``cx``       ``cirq.CNOT`` (``CXPowGate`` with exponent 1)
===========  ==========================================================================

To turn an arbitrary circuit into one this device accepts, use
:func:`qlab.cirq_compile.compile_circuit`.
"""

from __future__ import annotations

import cirq

from .errors import NotNativeError, QubitNotOnDeviceError, UncoupledQubitsError
from .i18n import t
from .spec import DeviceSpec

_EPS = 1e-9


_CIRQ_NAMES = {
    "r": "PRX = cirq.PhasedXPowGate",
    "cz": "cirq.CZ",
    "gpi": "GPIGate",
    "gpi2": "GPI2Gate",
    "ms": "MSGate",
    "zz": "ZZGate",
    "rx": "cirq.rx",
    "ry": "cirq.ry",
    "rz": "cirq.rz",
    "cx": "cirq.CNOT",
    "x": "cirq.X",
    "sx": "cirq.X**0.5",
    "h": "cirq.H",
    "u": "cirq.PhasedXZGate",
}


def _gate_name(op: cirq.Operation) -> str:
    gate = op.gate
    if gate is None:
        return type(op.untagged).__name__
    return str(gate)


class QlabCirqDevice(cirq.Device):
    """A qlab device for Cirq: validates qubits, native gates and couplings.

    >>> import cirq, qlab
    >>> spark = qlab.device("iqm-spark").cirq_device()
    >>> q = cirq.LineQubit.range(5)
    >>> spark.validate_operation(cirq.CZ(q[0], q[2]))   # QB1-QB3: fine
    >>> spark.validate_operation(cirq.CZ(q[0], q[1]))   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    qlab.errors.UncoupledQubitsError: CZ on q0 and q1 (QB1-QB2): these qubits are not coupled. ...
    """

    def __init__(self, spec: DeviceSpec):
        import networkx as nx

        self.spec = spec
        self.qubits: tuple[cirq.LineQubit, ...] = tuple(cirq.LineQubit.range(spec.num_qubits))
        self._qubit_set = frozenset(self.qubits)
        graph = nx.Graph()
        graph.add_nodes_from(self.qubits)
        graph.add_edges_from((self.qubits[a], self.qubits[b]) for a, b in spec.coupled_pairs)
        self.graph = graph
        self._metadata = cirq.DeviceMetadata(self.qubits, graph)
        self._natives = frozenset(spec.native_gates)

    @property
    def metadata(self) -> cirq.DeviceMetadata:
        """Qubits and the coupling graph (a ``networkx.Graph`` of ``LineQubit`` nodes)."""
        return self._metadata

    @property
    def name(self) -> str:
        return self.spec.name

    def allowed_gates_text(self) -> str:
        """The native gates, as a student would write them in Cirq."""
        return ", ".join(_CIRQ_NAMES.get(g, g) for g in self.spec.native_gates)

    def pairs_text(self) -> str:
        """``0-2, 1-2, 2-3, 2-4``, or ``every pair`` on an all-to-all device."""
        if self.spec.all_to_all:
            return "all pairs (all-to-all)"
        return ", ".join(f"{a}-{b}" for a, b in self.spec.coupled_pairs)

    def is_native(self, gate: cirq.Gate | None) -> bool:
        """Is ``gate`` one the device runs directly? Measurement is always native.

        The same rule as :func:`qlab.checks.compliance.native_compliance`, through
        :func:`qlab.checks._convert.cirq_native_names`."""
        from .checks._convert import cirq_native_names

        if gate is None:
            return False
        names = cirq_native_names(gate)
        if names & {"measure", "global_phase"}:
            return True
        if cirq.is_parameterized(gate):
            return False
        return bool(names & self._natives)

    # ---- cirq.Device -----------------------------------------------------------------------
    def validate_qubit(self, qubit: cirq.Qid) -> None:
        if qubit not in self._qubit_set:
            raise QubitNotOnDeviceError(
                t(
                    "validate.unknown_qubit",
                    qubit=repr(qubit),
                    device=self.spec.name,
                    last=self.spec.num_qubits - 1,
                )
            )

    def validate_operation(self, operation: cirq.Operation) -> None:
        """Raise a qlab error naming the problem if the hardware could not run ``operation``."""
        for q in operation.qubits:
            self.validate_qubit(q)
        gate = operation.gate
        qubits_text = " and ".join(f"q{q.x}" for q in operation.qubits)  # type: ignore[attr-defined]
        if not self.is_native(gate):
            raise NotNativeError(
                t(
                    "validate.not_native",
                    gate=_gate_name(operation),
                    qubits=qubits_text or "-",
                    device=self.spec.name,
                    allowed=self.allowed_gates_text(),
                )
            )
        if isinstance(gate, cirq.MeasurementGate) or len(operation.qubits) < 2:
            return
        a, b = (q.x for q in operation.qubits)  # type: ignore[attr-defined]
        if not self.spec.is_coupled(a, b):
            raise UncoupledQubitsError(
                t(
                    "validate.uncoupled",
                    gate=_gate_name(operation),
                    qubits=qubits_text,
                    labels=f"{self.spec.label(a)}-{self.spec.label(b)}",
                    device=self.spec.name,
                    pairs=self.pairs_text(),
                )
            )

    def validate_circuit(self, circuit: cirq.AbstractCircuit) -> None:
        for moment in circuit:
            self.validate_moment(moment)

    def validate_moment(self, moment: cirq.Moment) -> None:
        for op in moment.operations:
            self.validate_operation(op)

    def __repr__(self) -> str:
        return f"<QlabCirqDevice {self.spec.name!r}: {self.spec.num_qubits} qubits>"

    def __str__(self) -> str:
        return f"{self.spec.title}: qubits {self.qubits[0]}..{self.qubits[-1]}, couplings {self.pairs_text()}"


def build_device(spec: DeviceSpec) -> QlabCirqDevice:
    """The ``cirq.Device`` for a device spec (``qlab.device(name).cirq_device()`` caches one)."""
    return QlabCirqDevice(spec)
