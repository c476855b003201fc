"""Layer 2: a device rendered for Qiskit (side by side with :mod:`qlab.cirq_side`).

* :mod:`~qlab.qiskit_side.gates`: IonQ's gates as Qiskit gates;
* :mod:`~qlab.qiskit_side.read`: a Qiskit circuit read into the hardware layer's records;
* :mod:`~qlab.qiskit_side.backend`: the device as a ``BackendV2`` (Target, run);
* :mod:`~qlab.qiskit_side.aer`: the noise model for Aer; :mod:`~qlab.qiskit_side.schedule`: waits
  written into a circuit;
* :mod:`~qlab.qiskit_side.translate`: Qiskit's translation stage, on the one pulse synthesis.
"""
