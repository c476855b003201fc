"""qlab: quantum-computing lab notebooks for teaching.

A student needs only a handful of functions::

    import qlab
    qlab.devices()                         # ['ideal', 'ionq-aria', 'ionq-forte', 'iqm-spark']
    spark = qlab.device("iqm-spark")       # 5 transmon qubits in a star
    native = qlab.transpile(circuit, spark)  # Qiskit in, Qiskit out; Cirq in, Cirq out
    counts = qlab.run(circuit, spark, shots=1000, seed=7)  # noisy counts, e.g. {'00000': 470, ...}
    job = qlab.export(circuit, spark, to="braket")  # for the real machine (qlab[hardware])
    qlab.check("bell-state", answer)       # a checked exercise: pass, or a hint

Bit order (both frameworks): a counts key is a string whose LAST character is qubit 0, as in Qiskit.
``import qlab`` is light: Qiskit, Cirq, Jupyter and matplotlib load only when first used.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from . import _aliases
from ._version import __version__

_aliases.install()  # qlab.qiskit_gates, qlab.noise, qlab.simulate, ...: older names still import

# public name -> module that defines it; loaded on first use so that `import qlab` stays fast
_LAZY = {
    "devices": "qlab.catalog",
    "device": "qlab.catalog",
    "add_device": "qlab.catalog",
    "Device": "qlab.catalog",
    "transpile": "qlab.execution.compiler",
    "export": "qlab.exporters",
    "run": "qlab.execution.simulate",
    "explain_run": "qlab.execution.simulate",
    "plot_counts": "qlab.plots",
    "check": "qlab.checker",
    "set_student_id": "qlab.variants",
    "set_language": "qlab.i18n",
    "get_language": "qlab.i18n",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        if f"qlab.{name}" in _aliases.ALIASES:  # qlab.cirq_gates.GPIGate without an import
            return import_module(f"qlab.{name}")
        raise AttributeError(f"module 'qlab' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
