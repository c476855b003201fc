"""What crosses between a submission's sandbox and the side that decides its grade: data only.

* :mod:`~qlab.bridge.codec`    values as tagged JSON (numbers, text, containers, numpy arrays,
                               Qiskit circuits as QPY, Cirq objects as Cirq JSON, function handles);
* :mod:`~qlab.bridge.errors`   what a value that cannot cross raises (``NotData``, ``DecodeError``);
* :mod:`~qlab.bridge.circuits` reading circuits safely (gates by name, an allow-listed Cirq reader);
* :mod:`~qlab.bridge.wire`     length-prefixed messages over a Unix socket;
* :mod:`~qlab.bridge.student`  the program that runs in the sandbox (a notebook's cells, a team's
                               module) and answers with data;
* :mod:`~qlab.bridge.trusted`  the side that asks: binds answers in the graded notebook's kernel,
                               calls the submission's functions across the boundary.

See ``docs/ARCHITECTURE.md``, "How answers cross the boundary".
"""
