"""The device catalog: ``qlab.devices()`` lists the names, ``qlab.device(name)`` gives one.

qlab ships four devices (``ideal``, ``ionq-aria``, ``ionq-forte``, ``iqm-spark``). An instructor
adds a chip of their own lab without writing code: write a JSON file in the format described in
:mod:`qlab.hardware.spec`, then either call ``qlab.add_device("my-chip.json")`` or put the file in
a folder named by the environment variable ``QLAB_DEVICE_PATH`` (folders separated by ``:``).

This is the student's view of a device; where the specs come from is :mod:`qlab.hardware.library`.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from .hardware import library
from .hardware.spec import DeviceSpec
from .i18n import t

if TYPE_CHECKING:
    import cirq
    from qiskit.providers import BackendV2


class Device:
    """One emulated device: its figures, and the same device rendered for Qiskit and for Cirq.

    >>> import qlab
    >>> spark = qlab.device("iqm-spark")
    >>> spark.num_qubits, spark.coupled_pairs[:2]
    (5, ((0, 2), (1, 2)))
    """

    def __init__(self, spec: DeviceSpec):
        self.spec = spec

    # the figures a student asks for first
    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def num_qubits(self) -> int:
        return self.spec.num_qubits

    @property
    def coupled_pairs(self) -> tuple[tuple[int, int], ...]:
        """Pairs of qubits that a two-qubit gate may act on (all pairs on an all-to-all device)."""
        return self.spec.coupled_pairs

    @property
    def all_to_all(self) -> bool:
        return self.spec.all_to_all

    @property
    def native_gates(self) -> tuple[str, ...]:
        """The gates the hardware runs directly (Qiskit names), ``measure`` besides."""
        return self.spec.native_gates

    @property
    def figures(self) -> dict[str, Any]:
        """Every figure with its value, source citation and notes."""
        return {
            key: {
                "value": fig.value,
                "source": self.spec.sources.get(fig.source, fig.source),
                "note": fig.note,
                "stand_in": fig.stand_in,
            }
            for key, fig in self.spec.figures.items()
        }

    @property
    def noiseless(self) -> bool:
        return self.spec.noiseless

    # the same device in each framework
    def qiskit_backend(self) -> BackendV2:
        """A Qiskit ``BackendV2`` whose Target holds the native gates, durations, errors and
        coupling map, and whose ``run`` simulates with the device's noise on Aer (built once)."""
        from .qiskit_side.backend import backend_for

        return backend_for(self.spec)

    def cirq_device(self) -> cirq.Device:
        """A ``cirq.Device`` that validates qubits, native gates and connectivity (built once)."""
        from .cirq_side.device import device_for

        return device_for(self.spec)

    def draw(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw the device's topology, qubits and couplers coloured by their error rates."""
        from .plots import draw_topology

        return draw_topology(self, ax=ax, **kwargs)

    def __repr__(self) -> str:
        kind = "all-to-all" if self.all_to_all else f"{len(self.coupled_pairs)} coupled pairs"
        return (
            f"<qlab device {self.name!r}: {self.num_qubits} qubits, {kind}, "
            f"native gates {', '.join(self.native_gates)}>"
        )

    def _repr_markdown_(self) -> str:
        """The device's card in the current language: title, description, and every figure with its
        source (the figures' notes and sources are citations and stay as written)."""
        lines = [f"**{self.spec.text('title')}** (`{self.name}`)", "", self.spec.text("description"), ""]
        lines += [t("cli.devices_table_head"), "|---|---|---|"]
        for key, fig in self.figures.items():
            note = f" ({fig['note']})" if fig["note"] else ""
            stand = f" *{t('cli.devices_stand_in')}*" if fig["stand_in"] else ""
            lines.append(f"| {key} | {fig['value']}{note}{stand} | {fig['source']} |")
        return "\n".join(lines)


def devices() -> list[str]:
    """The names of every device qlab can emulate, sorted.

    >>> import qlab
    >>> qlab.devices()  # doctest: +SKIP
    ['ideal', 'ionq-aria', 'ionq-forte', 'iqm-spark']
    """
    return library.names()


def add_device(path: str | os.PathLike[str]) -> Device:
    """Add a device from a JSON data file (format: :mod:`qlab.hardware.spec`) and return it.

    A malformed file raises :class:`qlab.errors.DeviceFileError` naming the field that is wrong.
    """
    return _device_of(library.add(path))


def device(name: Any) -> Device:
    """The device called ``name`` (see :func:`devices`), or a ``.json`` device file's device.

    Also accepts a device (returned as it is), or the device's own Qiskit backend or Cirq device.
    An unknown name raises :class:`qlab.errors.UnknownDeviceError` listing the valid names and
    suggesting the closest one.
    """
    if isinstance(name, Device):
        return name
    return _device_of(library.resolve(name))


@library.once_per_spec
def _device_of(spec: DeviceSpec) -> Device:
    return Device(spec)
