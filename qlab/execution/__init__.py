"""Layer 3: running circuits, for Qiskit and Cirq alike, on the layers below.

* :mod:`~qlab.execution.convert`: Qiskit <-> Cirq, with qlab's one bit order;
* :mod:`~qlab.execution.compiler`: ``qlab.transpile`` (one compiler for both frameworks);
* :mod:`~qlab.execution.program`: what a device runs for a circuit (compiled and timed);
* :mod:`~qlab.execution.engines`: which simulator runs it (every engine decision in one place);
* :mod:`~qlab.execution.simulate`: ``qlab.run``;
* :mod:`~qlab.execution.exact`: exact (noisy) outcome distributions, for checks.
"""
