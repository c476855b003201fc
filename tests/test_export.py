"""``qlab.export``: what it refuses and how it says so, the optional extra, and what it leaves alone.

These tests need no hardware library (``qasm3`` needs none, and a missing extra is simulated);
the proof that the exports run right is tests/test_export_hardware.py.
"""

from __future__ import annotations

import subprocess
import sys

import cirq
import pytest
from qiskit import QuantumCircuit
from qiskit.circuit import Parameter

import qlab
from qlab.errors import BadOptionError, ExportError, MissingExtraError, NotACircuitError
from qlab.exporters import FORMATS, native_program
from qlab.i18n import t

HARDWARE = ("ionq-aria", "ionq-forte", "iqm-spark")


def bell() -> QuantumCircuit:
    qc = QuantumCircuit(2, 2)
    qc.h(0)
    qc.cx(0, 1)
    qc.measure([0, 1], [0, 1])
    return qc


# ---- the public face ---------------------------------------------------------------------------


def test_export_is_a_lazy_public_function_and_no_module_shadows_it() -> None:
    import qlab.exporters  # noqa: F401  (a module named like the function would replace it)

    assert callable(qlab.export) and qlab.export.__module__ == "qlab.exporters"
    assert "export" in dir(qlab)
    assert set(FORMATS) == {"braket", "ionq", "qasm3"}


def test_the_hardware_libraries_load_only_when_used() -> None:
    code = (
        "import sys, qlab\n"
        "from qiskit import QuantumCircuit\n"
        "qc = QuantumCircuit(1, 1); qc.x(0); qc.measure(0, 0)\n"
        "qlab.export(qc, 'iqm-spark', to='qasm3')\n"
        "print(sorted(m for m in ('braket', 'qiskit_ionq', 'boto3') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


# ---- bad input: named, with what is allowed ----------------------------------------------------


@pytest.mark.parametrize("to", ["qiskit", "QASM3", "", None, 3])
def test_an_unknown_format_lists_the_formats(to) -> None:
    with pytest.raises(ExportError) as err:
        qlab.export(bell(), "iqm-spark", to=to)
    for name in ("braket", "ionq", "qasm3"):
        assert name in str(err.value)


def test_the_ideal_device_is_not_hardware() -> None:
    with pytest.raises(ExportError) as err:
        qlab.export(bell(), "ideal", to="qasm3")
    message = str(err.value)
    assert "'ideal'" in message and all(name in message for name in HARDWARE)


def test_ionq_json_is_for_ionq_devices_only() -> None:
    with pytest.raises(ExportError) as err:
        qlab.export(bell(), "iqm-spark", to="ionq")
    message = str(err.value)
    assert "iqm-spark" in message and "ionq-aria" in message and "ionq-forte" in message


def test_an_unknown_device_is_the_catalogs_error() -> None:
    with pytest.raises(qlab.errors.UnknownDeviceError, match="ionq-aria"):
        qlab.export(bell(), "ionq-ariaa", to="qasm3")


def test_shots_belong_to_ionq_jobs_and_must_be_sensible() -> None:
    with pytest.raises(BadOptionError, match="device.run"):
        qlab.export(bell(), "iqm-spark", to="qasm3", shots=100)
    for bad in (0, -5, True, 2.5, "100", 10**7):
        with pytest.raises(BadOptionError, match="1 to"):
            qlab.export(bell(), "ionq-aria", to="ionq", shots=bad)


def test_not_a_circuit() -> None:
    with pytest.raises(NotACircuitError, match="list"):
        qlab.export([bell()], "iqm-spark", to="qasm3")


def test_free_parameters_are_named_before_compiling() -> None:
    theta = Parameter("theta")
    qc = QuantumCircuit(1, 1)
    qc.rx(theta, 0)
    qc.measure(0, 0)
    q = cirq.LineQubit(0)
    import sympy

    cc = cirq.Circuit(cirq.rx(sympy.Symbol("alpha"))(q), cirq.measure(q))
    for circuit, name in ((qc, "theta"), (cc, "alpha")):
        for device in HARDWARE:
            with pytest.raises(ExportError, match=rf"\({name}\).*assign_parameters"):
                qlab.export(circuit, device, to="qasm3")


@pytest.mark.parametrize("device", HARDWARE)
def test_measurements_must_come_last_and_once(device) -> None:
    mid = QuantumCircuit(2, 2)
    mid.h(0)
    mid.measure(0, 0)
    mid.x(0)
    mid.measure(1, 1)
    with pytest.raises(ExportError, match="after it was measured"):
        qlab.export(mid, device, to="qasm3", seed=1)
    twice = QuantumCircuit(1, 2)
    twice.h(0)
    twice.measure(0, 0)
    twice.measure(0, 1)
    with pytest.raises(ExportError, match="measured twice"):
        qlab.export(twice, device, to="qasm3", seed=1)


def test_a_cirq_native_circuit_must_be_on_line_qubits() -> None:
    from qlab.cirq_gates import GPIGate

    g = cirq.GridQubit(0, 0)
    with pytest.raises(ExportError, match=r"LineQubit"):
        qlab.export(cirq.Circuit(GPIGate(0.1)(g), cirq.measure(g)), "ionq-aria", to="qasm3")


def test_errors_speak_korean_too() -> None:
    qlab.set_language("ko")
    with pytest.raises(ExportError) as err:
        qlab.export(bell(), "ideal", to="qasm3")
    assert "하드웨어" in str(err.value)
    with pytest.raises(ExportError, match="형식"):
        qlab.export(bell(), "iqm-spark", to="pdf")


# ---- the optional extra ------------------------------------------------------------------------


@pytest.mark.parametrize(("to", "module", "device"), [
    ("braket", "braket.circuits", "iqm-spark"),
    ("ionq", "qiskit_ionq", "ionq-aria"),
])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_missing_extra_says_what_to_install(monkeypatch, to, module, device, lang) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    qlab.set_language(lang)
    with pytest.raises(MissingExtraError) as err:
        qlab.export(bell(), device, to=to)
    message = str(err.value)
    assert 'pip install "qlab[hardware]"' in message and module in message
    assert isinstance(err.value, ImportError)
    # OpenQASM needs nothing extra
    assert qlab.export(bell(), device, to="qasm3", seed=1).startswith("OPENQASM 3.0;")


def test_the_missing_extra_message_is_in_both_catalogs() -> None:
    for lang in ("en", "ko"):
        text = t("export.missing_extra", lang=lang, format="braket", module="braket", extra="hardware")
        assert 'pip install "qlab[hardware]"' in text


# ---- what export leaves alone, and what it writes ---------------------------------------------


def test_the_users_circuit_is_not_modified() -> None:
    qc = QuantumCircuit(3)  # no measurement: export measures every qubit, on a copy
    qc.h(0)
    qc.cx(0, 2)
    before = qc.copy()
    q = cirq.LineQubit.range(3)
    cc = cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[2]))
    cc_before = cc.copy()
    for device in HARDWARE:
        qlab.export(qc, device, to="qasm3", seed=3)
        qlab.export(cc, device, to="qasm3", seed=3)
    assert qc == before and cc == cc_before


@pytest.mark.parametrize("device", HARDWARE)
def test_a_circuit_without_measurements_is_measured_as_qlab_run_does(device) -> None:
    qc = QuantumCircuit(3)
    qc.x(1)
    program = native_program(qc, device, seed=3)
    assert program.num_clbits == 3 and [c for _, c in program.measurements] == [0, 1, 2]
    counts = qlab.run(qc, device, noise=False, shots=10, seed=1)
    assert counts == {"010": 10}


def test_a_native_circuit_is_exported_gate_for_gate() -> None:
    """What a student wrote in native gates is what the hardware gets: not re-optimised."""
    from qlab.qiskit_gates import GPI2Gate, GPIGate

    qc = QuantumCircuit(2, 2)
    qc.append(GPI2Gate(0.1), [1])
    qc.append(GPI2Gate(0.6), [1])  # the two undo each other; a compiler would drop both
    qc.append(GPIGate(0.25), [0])
    qc.measure([0, 1], [0, 1])
    text = qlab.export(qc, "ionq-aria", to="qasm3", seed=5)
    body = [line for line in text.splitlines() if line.endswith(";") and line.startswith("gpi")]
    assert body == [
        f"gpi2({0.1 * 2 * 3.141592653589793!r}) $1;",
        f"gpi2({0.6 * 2 * 3.141592653589793!r}) $1;",
        f"gpi({0.25 * 2 * 3.141592653589793!r}) $0;",
    ]


@pytest.mark.parametrize("device", HARDWARE)
def test_qasm3_declares_the_natives_and_measures_into_qlabs_bits(device) -> None:
    text = qlab.export(bell(), device, to="qasm3", seed=1)
    natives = {"ionq-aria": ("gpi", "gpi2", "ms"), "ionq-forte": ("gpi", "gpi2", "zz"),
               "iqm-spark": ("prx", "cz")}[device]
    for name in natives:
        assert f"gate {name}" in text
    assert "include" not in text  # readable without a standard library file
    assert "c[0] = measure $" in text and "c[1] = measure $" in text
    program = native_program(bell(), device, seed=1)
    assert all(f"c[{c}] = measure ${q};" in text for q, c in program.measurements)


def test_an_instructors_own_chip_exports_by_its_native_gates(tmp_path) -> None:
    """Which devices export is decided by their native gates (data), not by their names."""
    import json

    line = {
        "name": "lab-line-3", "title": "A 3-qubit line", "description": "an instructor's chip",
        "num_qubits": 3, "coupling": [[0, 1], [1, 2]], "native_gates": ["r", "cz"],
        "noiseless": True, "figures": {}, "sources": {},
    }
    path = tmp_path / "lab-line-3.json"
    path.write_text(json.dumps(line))
    chip = qlab.add_device(path)
    qc = QuantumCircuit(3, 3)
    qc.h(0)
    qc.cx(0, 2)  # not coupled on the line: routed through qubit 1
    qc.measure(range(3), range(3))
    program = native_program(qc, chip, seed=1)
    assert {op.name for op in program.ops} == {"r", "cz"}
    assert all(tuple(sorted(op.qubits)) in ((0, 1), (1, 2)) for op in program.ops if op.name == "cz")
    assert "gate prx" in qlab.export(qc, chip, to="qasm3", seed=1)
    with pytest.raises(ExportError, match="lab-line-3"):
        qlab.export(qc, chip, to="ionq")

    textbook = {**line, "name": "lab-textbook", "native_gates": ["rx", "ry", "rz", "cx"]}
    path2 = tmp_path / "lab-textbook.json"
    path2.write_text(json.dumps(textbook))
    with pytest.raises(ExportError, match="not a hardware-like device"):
        qlab.export(qc, qlab.add_device(path2), to="qasm3")


def test_control_flow_is_refused_as_not_a_verbatim_list() -> None:
    feed_forward = QuantumCircuit(3, 3)  # correct qubit 2 by what qubit 0 read
    feed_forward.ry(0.4, 0)
    feed_forward.measure(0, 1)
    with feed_forward.if_test((feed_forward.clbits[1], 1)):
        feed_forward.z(2)
    feed_forward.measure([1, 2], [0, 2])
    with pytest.raises(qlab.errors.QlabError, match="if_else"):
        qlab.export(feed_forward, "iqm-spark", to="qasm3", seed=1)
