"""Where device specs come from: qlab's own files, an instructor's folder, or a file added by hand.

* qlab ships ``qlab/hardware/data/*.json`` (``ideal``, ``ionq-aria``, ``ionq-forte``, ``iqm-spark``);
* the environment variable ``QLAB_DEVICE_PATH`` names more folders (separated by ``:``);
* :func:`add` reads one file (``qlab.add_device("my-chip.json")``).

:func:`resolve` turns whatever a user passes as a device into its :class:`DeviceSpec`: a name, a
``.json`` path, a spec, or any object that carries one as ``.spec`` (``qlab.device(...)``, the
device's own Qiskit backend, its Cirq device). Each name gives the same spec object every time,
so whatever is built from a spec (a backend, a noise model) can be cached by it.
"""

from __future__ import annotations

import difflib
import functools
import os
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from ..errors import UnknownDeviceError
from ..i18n import t
from .spec import DeviceSpec, load_spec

_added: dict[str, DeviceSpec] = {}
_loaded: dict[str, DeviceSpec] = {}  # one spec object per name


def _builtin_files() -> dict[str, Path]:
    folder = resources.files("qlab.hardware") / "data"
    return {p.name[: -len(".json")]: Path(str(p)) for p in folder.iterdir() if p.name.endswith(".json")}


def _path_files() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for folder in filter(None, os.environ.get("QLAB_DEVICE_PATH", "").split(os.pathsep)):
        for p in sorted(Path(folder).glob("*.json")):
            found[p.stem] = p
    return found


def names() -> list[str]:
    """Every device name, sorted."""
    return sorted(set(_builtin_files()) | set(_path_files()) | set(_added))


def add(path: str | os.PathLike[str]) -> DeviceSpec:
    """Read a device file (format: :mod:`qlab.hardware.spec`) and make its name known."""
    spec = load_spec(path)
    _added[spec.name] = spec
    _loaded[spec.name] = spec
    return spec


def forget(name: str) -> None:
    """Drop a device added with :func:`add` (tests use this to leave no trace)."""
    _added.pop(name, None)
    _loaded.pop(name, None)


def find(name: str) -> DeviceSpec:
    """The spec called ``name``; an unknown name raises :class:`UnknownDeviceError` listing the
    valid names and suggesting the closest one."""
    key = name.strip().lower()
    if key.endswith(".json") and Path(name).is_file():
        return add(name)
    if key not in _loaded:
        files = {**_builtin_files(), **_path_files()}
        if key not in files:
            known = names()
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
            hint = t("device.did_you_mean", name=close[0]) if close else ""
            raise UnknownDeviceError(t("device.unknown", name=name, known=", ".join(known), hint=hint))
        _loaded[key] = load_spec(files[key])
    return _loaded[key]


def resolve(device: Any) -> DeviceSpec:
    """The spec behind ``device``: a name or ``.json`` path, a :class:`DeviceSpec`, or anything
    that holds one as ``.spec`` (``qlab.device(...)``, its Qiskit backend, its Cirq device)."""
    if isinstance(device, DeviceSpec):
        return device
    inner = getattr(device, "spec", None)
    if isinstance(inner, DeviceSpec):
        return inner
    if isinstance(device, str):
        return find(device)
    raise UnknownDeviceError(t("device.not_a_name", got=type(device).__name__, known=", ".join(names())))


T = TypeVar("T")


def once_per_spec(build: Callable[[DeviceSpec], T]) -> Callable[[DeviceSpec], T]:
    """Decorate ``build(spec)`` so that it runs once per spec object (a spec holds dicts, so it
    cannot be a dictionary key itself): a device's backend, Cirq device and noise are built once."""
    made: dict[int, tuple[DeviceSpec, T]] = {}

    @functools.wraps(build)
    def get(spec: DeviceSpec) -> T:
        hit = made.get(id(spec))
        if hit is None or hit[0] is not spec:
            hit = (spec, build(spec))
            made[id(spec)] = hit
        return hit[1]

    return get
