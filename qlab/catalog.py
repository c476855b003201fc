"""The device catalog: ``qlab.devices()`` lists the names, ``qlab.device(name)`` gives one.

qlab ships four devices (``ideal``, ``ionq-aria``, ``ionq-forte``, ``iqm-spark``). An instructor
adds a chip of their own lab without writing code: write a JSON file in the format described in
:mod:`qlab.spec`, then either call ``qlab.add_device("my-chip.json")`` or put the file in a folder
named by the environment variable ``QLAB_DEVICE_PATH`` (folders separated by ``:``).
"""

from __future__ import annotations

import difflib
import os
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UnknownDeviceError
from .i18n import t
from .spec import DeviceSpec, load_spec

if TYPE_CHECKING:
    import cirq
    from qiskit.providers import BackendV2

_added: dict[str, DeviceSpec] = {}
_cache: dict[str, Device] = {}  # one Device per name, so its backends are built once


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
        coupling map, and whose ``run`` simulates with the device's noise on Aer."""
        return self._qiskit_backend

    @cached_property
    def _qiskit_backend(self) -> BackendV2:
        from .qiskit_backend import build_backend

        return build_backend(self.spec)

    def cirq_device(self) -> cirq.Device:
        """A ``cirq.Device`` that validates qubits, native gates and connectivity."""
        return self._cirq_device

    @cached_property
    def _cirq_device(self) -> cirq.Device:
        from .cirq_device import build_device

        return build_device(self.spec)

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
        lines = [f"**{self.spec.title}** (`{self.name}`)", "", self.spec.description, ""]
        lines += ["| figure | value | source |", "|---|---|---|"]
        for key, fig in self.figures.items():
            note = f" ({fig['note']})" if fig["note"] else ""
            stand = " *stand-in*" if fig["stand_in"] else ""
            lines.append(f"| {key} | {fig['value']}{note}{stand} | {fig['source']} |")
        return "\n".join(lines)


def _builtin_files() -> dict[str, Path]:
    folder = resources.files("qlab") / "device_data"
    return {p.name[: -len(".json")]: Path(str(p)) for p in folder.iterdir() if p.name.endswith(".json")}


def _path_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in filter(None, os.environ.get("QLAB_DEVICE_PATH", "").split(os.pathsep)):
        for p in sorted(Path(folder).glob("*.json")):
            found[p.stem] = p
    return found


def devices() -> list[str]:
    """The names of every device qlab can emulate, sorted.

    >>> import qlab
    >>> qlab.devices()  # doctest: +SKIP
    ['ideal', 'ionq-aria', 'ionq-forte', 'iqm-spark']
    """
    return sorted(set(_builtin_files()) | set(_path_files()) | set(_added))


def add_device(path: str | os.PathLike[str]) -> Device:
    """Add a device from a JSON data file (format: :mod:`qlab.spec`) and return it.

    A malformed file raises :class:`qlab.errors.DeviceFileError` naming the field that is wrong.
    """
    spec = load_spec(path)
    _added[spec.name] = spec
    _cache[spec.name] = Device(spec)
    return _cache[spec.name]


def device(name: str | Device) -> Device:
    """The device called ``name`` (see :func:`devices`), or a ``.json`` device file's device.

    An unknown name raises :class:`qlab.errors.UnknownDeviceError` listing the valid names and
    suggesting the closest one.
    """
    if isinstance(name, Device):
        return name
    if not isinstance(name, str):
        raise UnknownDeviceError(
            t("device.not_a_name", got=type(name).__name__, known=", ".join(devices()))
        )
    key = name.strip().lower()
    if key.endswith(".json") and Path(name).is_file():
        return add_device(name)
    if key not in _cache:
        files = {**_builtin_files(), **_path_files()}
        if key not in files:
            known = devices()
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
            hint = t("device.did_you_mean", name=close[0]) if close else ""
            raise UnknownDeviceError(
                t("device.unknown", name=name, known=", ".join(known), hint=hint)
            )
        _cache[key] = Device(load_spec(files[key]))
    return _cache[key]
