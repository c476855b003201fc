"""Older module names of qlab, kept importable.

qlab's emulator core lives in layered folders (``docs/ARCHITECTURE.md``). Lessons, exercise files,
entry points and instructors' scripts were written against flat module names such as
``qlab.qiskit_gates`` or ``qlab.noise``; each of those names still imports, as the very module that
now does the job (``qlab.qiskit_gates is qlab.qiskit_side.gates``). New code imports the layered
names. :func:`install` (called by ``qlab/__init__.py``) teaches Python's import system the table.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from typing import Any

#: old module name -> the module that now does its job
ALIASES = {
    "qlab.spec": "qlab.hardware.spec",
    "qlab.noise": "qlab.hardware.noise",
    "qlab.ionq_matrices": "qlab.hardware.gates",
    "qlab.qiskit_gates": "qlab.qiskit_side.gates",
    "qlab.qiskit_backend": "qlab.qiskit_side.backend",
    "qlab.qiskit_translate": "qlab.qiskit_side.translate",
    "qlab.cirq_gates": "qlab.cirq_side.gates",
    "qlab.cirq_device": "qlab.cirq_side.device",
    "qlab.cirq_noise": "qlab.cirq_side.noise",
    "qlab.convert": "qlab.execution.convert",
    "qlab.compiler": "qlab.execution.compiler",
    "qlab.cirq_compile": "qlab.execution.compiler",
    "qlab.engines": "qlab.execution.engines",
    "qlab.simulate": "qlab.execution.simulate",
    "qlab.cirq_sim": "qlab.execution.exact",
}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec: Any) -> Any:
        return importlib.import_module(self.target)

    def exec_module(self, module: Any) -> None:
        """The target module ran when it was imported; nothing more to do."""


class _AliasFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        real = ALIASES.get(fullname)
        if real is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(real))


def install() -> None:
    """Make the old names importable (once per interpreter)."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.append(_AliasFinder())
