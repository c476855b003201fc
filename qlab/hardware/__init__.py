"""Layer 1, the bottom: what a device *is* and what it allows, with no Qiskit and no Cirq.

* :mod:`~qlab.hardware.spec` and ``data/*.json``: a device described once, every figure cited;
* :mod:`~qlab.hardware.library`: where specs come from (qlab's files, an instructor's folder);
* :mod:`~qlab.hardware.gates`: the one gate table (names, qubits, units; IonQ's matrices);
* :mod:`~qlab.hardware.rules`: the one rule "does this circuit run as it stands?", the width
  check, and what they say;
* :mod:`~qlab.hardware.noise`: the one noise model, as numbers and channels per operation;
* :mod:`~qlab.hardware.timing`: the device's clock: when operations start, how long qubits wait;
* :mod:`~qlab.hardware.pulses`: the one virtual-Z pulse synthesis of every compiled circuit.

Everything above (the Qiskit and Cirq renderings, execution, checks) reads these; nothing here
imports anything above.
"""
