"""Layer 2: a device rendered for Cirq (side by side with :mod:`qlab.qiskit_side`).

* :mod:`~qlab.cirq_side.gates`: IonQ's gates as Cirq gates (JSON included);
* :mod:`~qlab.cirq_side.read`: a Cirq circuit read into the hardware layer's records;
* :mod:`~qlab.cirq_side.device`: the device as a ``cirq.Device``;
* :mod:`~qlab.cirq_side.noise`: the noise model as a ``cirq.NoiseModel``.
"""
