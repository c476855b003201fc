"""An emulated device as a ``cirq.Device``: which qubits, which gates, which pairs.

``build_device(spec)`` renders a :class:`~qlab.hardware.spec.DeviceSpec` for Cirq. The device's
qubits are ``cirq.LineQubit(0)`` .. ``cirq.LineQubit(n - 1)`` (qubit ``k`` is the vendor's
``spec.label(k)``, e.g. ``QB3`` on IQM Spark), and ``device.validate_circuit(circuit)`` checks what
the hardware would check before running a circuit, with the one device rule of
:mod:`qlab.hardware.rules`:

* every qubit exists on the device (:class:`~qlab.errors.QubitNotOnDeviceError`);
* every gate is native (:class:`~qlab.errors.NotNativeError`), with numbers for its parameters;
  measurement, reset and waiting are always allowed;
* every two-qubit gate acts on a coupled pair (:class:`~qlab.errors.UncoupledQubitsError`).

The native gates, per family (the spec names them the Qiskit way; :data:`qlab.hardware.gates.GATES`
says how a Cirq user writes each, and :func:`qlab.cirq_side.read.cirq_native_names` reads them):

===========  ==========================================================================
spec name    accepted Cirq gates
===========  ==========================================================================
``r``        ``cirq.PhasedXPowGate`` (IQM's PRX), and its special cases XPow and YPow
``cz``       ``cirq.CZ`` (``CZPowGate`` with exponent 1)
``gpi`` ...  :mod:`qlab.cirq_gates` ``GPIGate``, ``GPI2Gate``, ``MSGate``, ``ZZGate``
``rx/ry/rz`` ``cirq.rx/ry/rz`` (the ``XPow/YPow/ZPow`` families)
``cx``       ``cirq.CNOT`` (``CXPowGate`` with exponent 1)
===========  ==========================================================================

To turn an arbitrary circuit into one this device accepts, use ``qlab.transpile(circuit, device)``.
"""

from __future__ import annotations

import cirq

from ..errors import QubitNotOnDeviceError
from ..hardware.library import once_per_spec
from ..hardware.rules import enforce, natives_text, pairs_text
from ..hardware.spec import DeviceSpec
from ..i18n import t
from .read import read_op


class QlabCirqDevice(cirq.Device):
    """A qlab device for Cirq: validates qubits, native gates and couplings.

    >>> import cirq, qlab
    >>> spark = qlab.device("iqm-spark").cirq_device()
    >>> q = cirq.LineQubit.range(5)
    >>> spark.validate_operation(cirq.CZ(q[0], q[2]))   # QB1-QB3: fine
    >>> spark.validate_operation(cirq.CZ(q[0], q[1]))   # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    qlab.errors.UncoupledQubitsError: Gate 'cz' acts on qubits (0, 1) = QB1–QB2, which iqm-spark does not couple. ...
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

    @property
    def metadata(self) -> cirq.DeviceMetadata:
        """Qubits and the coupling graph (a ``networkx.Graph`` of ``LineQubit`` nodes)."""
        return self._metadata

    @property
    def name(self) -> str:
        return self.spec.name

    def allowed_gates_text(self) -> str:
        """The native gates, as a student would write them in Cirq."""
        return natives_text(self.spec, cirq=True)

    def pairs_text(self) -> str:
        """The pairs a two-qubit gate may act on, with the vendor's labels."""
        return pairs_text(self.spec)

    # ---- cirq.Device -----------------------------------------------------------------------
    def validate_qubit(self, qubit: cirq.Qid) -> None:
        if qubit not in self._qubit_set:
            raise QubitNotOnDeviceError(
                t("device.unknown_qubit", qubit=repr(qubit), device=self.spec.name,
                  last=self.spec.num_qubits - 1)  # fmt: skip
            )

    def validate_operation(self, operation: cirq.Operation) -> None:
        """Raise a qlab error naming the problem if the hardware could not run ``operation``."""
        for q in operation.qubits:
            self.validate_qubit(q)
        op = read_op(operation, tuple(q.x for q in operation.qubits))  # type: ignore[attr-defined]
        enforce(0, [op], self.spec, cirq=True)

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


@once_per_spec
def device_for(spec: DeviceSpec) -> QlabCirqDevice:
    """The device's ``cirq.Device``, built once per spec object."""
    return QlabCirqDevice(spec)


def build_device(spec: DeviceSpec) -> QlabCirqDevice:
    """A fresh ``cirq.Device`` for a device spec (``qlab.device(name).cirq_device()`` shares one)."""
    return QlabCirqDevice(spec)
