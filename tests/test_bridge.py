"""What crosses between a submission and the grader: data only, read back safely.

Round trips of every kind of answer a test may read, refusals of what is not data, hostile
encodings (a Cirq JSON payload that makes Cirq's own reader run code, an old QPY version, object
arrays, absurd nesting), gates read by name, and a real answer server driven across a socket.
"""

from __future__ import annotations

import base64
import io
import json
import math
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from qlab.bridge.codec import AnswerNotReadable, DecodeError, NotData, Unreadable, decode, encode
from qlab.bridge.trusted import Bridge, RemoteFunction


def roundtrip(value):
    return decode(json.loads(json.dumps(encode(value))))


@pytest.mark.parametrize("value", [
    None, True, 0, -7, 2**100, 0.1, -0.0, math.inf, 1e-300, complex(1, -2), "김민수", b"\x00\xff",
    [1, [2, "x"]], (1, 2), {1, 2}, frozenset({"a"}), {"00": 480, "11": 520}, {(0, 1): [0.5]},
])
def test_plain_values_cross_exactly(value) -> None:
    back = roundtrip(value)
    assert back == value and type(back) is type(value)


def test_nan_numpy_and_counter_cross_as_data() -> None:
    assert math.isnan(roundtrip(float("nan")))
    arr = np.arange(6, dtype=np.complex128).reshape(2, 3) * (1 + 1j)
    back = roundtrip(arr)
    assert back.dtype == arr.dtype and back.shape == (2, 3) and np.array_equal(back, arr)
    scalar = roundtrip(np.float32(0.25))
    assert isinstance(scalar, np.float32) and scalar == 0.25
    assert roundtrip(np.array(["ab", "c"])).tolist() == ["ab", "c"]
    counts = roundtrip(Counter({"01": 3}))
    assert counts == {"01": 3} and type(counts) is dict  # a counts dict arrives as a plain dict


def test_qiskit_circuits_and_states_cross_with_every_bit() -> None:
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import Operator, Statevector

    qc = QuantumCircuit(3, 2, name="mine")
    qc.h(0)
    qc.rx(0.1234567890123, 1)
    qc.cx(0, 2)
    qc.measure([0, 2], [0, 1])
    back = roundtrip(qc)
    assert back == qc and back.name == "mine"
    assert roundtrip(Statevector.from_label("+0")) == Statevector.from_label("+0")
    op = Operator(qc.remove_final_measurements(inplace=False))
    assert roundtrip(op) == op


def test_a_gate_is_what_its_name_says() -> None:
    """A home-made gate named ``cz`` (doing nothing) arrives as the real CZ; IonQ names as qlab's gates."""
    from qiskit import QuantumCircuit
    from qiskit.circuit import Gate
    from qiskit.circuit.library import CZGate

    from qlab.qiskit_side.gates import GPI2Gate

    class Fake(Gate):
        def __init__(self):
            super().__init__("cz", 2, [])

        def _define(self):
            self.definition = QuantumCircuit(2)

    qc = QuantumCircuit(2)
    qc.append(Fake(), [0, 1])
    qc.append(GPI2Gate(0.25), [0])
    back = roundtrip(qc)
    assert back.data[0].operation.base_class is CZGate
    assert np.allclose(np.asarray(back.data[0].operation), np.diag([1, 1, 1, -1]))  # not the empty definition
    assert type(back.data[1].operation) is GPI2Gate and back.data[1].operation.params == [0.25]


def test_cirq_circuits_cross_and_a_code_running_payload_is_refused(tmp_path: Path) -> None:
    import cirq

    q = cirq.LineQubit.range(3)
    ghz = cirq.Circuit(cirq.H(q[0]), cirq.CNOT(q[0], q[1]), cirq.CNOT(q[1], q[2]), cirq.measure(*q, key="m"))
    assert roundtrip(ghz) == ghz
    sym = cirq.Circuit(cirq.rx(cirq.Symbol("t") * 2 + 1).on(q[0])) if hasattr(cirq, "Symbol") else None
    if sym is None:
        import sympy

        sym = cirq.Circuit(cirq.rx(sympy.Symbol("t") * 2 + 1).on(q[0]))
    assert roundtrip(sym) == sym
    # cirq.read_json with its default resolvers runs this (sympy.Indexed -> sympify -> eval)
    marker = tmp_path / "PWNED"
    evil = json.dumps({"cirq_type": "sympy.Indexed",
                       "args": ["x", f"__import__('os').system('touch {marker}')"]})
    with pytest.raises(DecodeError, match="sympy.Indexed"):
        decode({"t": "cirq", "v": evil})
    for kind in ("pandas.DataFrame", "datetime.datetime", "sympy.StrictGreaterThan"):
        with pytest.raises(DecodeError):
            decode({"t": "cirq", "v": json.dumps({"cirq_type": kind, "args": []})})
    assert not marker.exists()


def test_a_cirq_gate_cirq_cannot_write_crosses_as_its_matrix() -> None:
    import cirq

    class Mine(cirq.Gate):
        def _num_qubits_(self):
            return 1

        def _unitary_(self):
            return np.array([[0, 1], [1, 0]])

    q = cirq.LineQubit(0)
    back = roundtrip(cirq.Circuit(Mine().on(q)))
    assert np.allclose(cirq.unitary(back), [[0, 1], [1, 0]])


@pytest.mark.parametrize("value, what", [
    (sys, "module"), (int, "builtins.type"), (io.StringIO(), "StringIO"), (object(), "object"),
    (np.array([object()]), "dtype object"),
])
def test_what_is_not_data_is_named(value, what) -> None:
    with pytest.raises(NotData, match=what):
        encode(value)
    with pytest.raises(NotData, match="function"):
        encode(lambda: 1)  # without a function table, a function does not cross


@pytest.mark.parametrize("node, words", [
    ({"t": "eval", "v": "1"}, "unknown value kind"),
    ({"t": "float", "v": "0.1; import os"}, "float.hex"),
    ({"t": "ndarray", "dtype": "|O", "shape": [1], "data": "AA=="}, "not allowed"),
    ({"t": "ndarray", "dtype": "<f8", "shape": [2], "data": "AAAAAAAAAAA="}, "does not match"),
    ({"t": "qpy", "v": base64.b64encode(b"QISKIT\x05" + b"\x00" * 20).decode()}, "QPY version 5"),
    ({"t": "dict", "v": [[{"t": "list", "v": []}, {"t": "none"}]]}, "unhashable"),
    ({"t": "function", "handle": 1, "name": "f"}, "function handle"),
])
def test_malformed_or_hostile_encodings_are_refused(node, words) -> None:
    with pytest.raises(DecodeError, match=words):
        decode(node)


def test_absurd_nesting_is_refused_on_both_sides() -> None:
    deep: list = []
    for _ in range(200):
        deep = [deep]
    with pytest.raises(NotData, match="too deeply"):
        encode(deep)
    node: dict = {"t": "none"}
    for _ in range(200):
        node = {"t": "list", "v": [node]}
    with pytest.raises(DecodeError, match="too deeply"):
        decode(node)


def test_an_unreadable_answer_fails_every_use_with_its_reason() -> None:
    bad = Unreadable("bell", "Your answer 'bell' is a module")
    for use in (lambda: bad.num_qubits, lambda: bad(), lambda: bad == 1, lambda: float(bad),
                lambda: len(bad), lambda: list(bad), lambda: bad + 1, lambda: np.asarray(bad),
                lambda: f"{bad}"):
        with pytest.raises(AnswerNotReadable, match="is a module"):
            use()
    assert repr(bad) == "<unreadable answer 'bell'>"


# ---- a real answer server, driven across its socket (no sandbox needed: this is the protocol) ------

CELLS = [
    {"anchor": 0, "role": "setup", "grade_id": None, "source": "from qiskit import QuantumCircuit"},
    {"anchor": 1, "role": "answer", "grade_id": "a", "source": textwrap.dedent("""
        import sys
        def ghz(n):
            qc = QuantumCircuit(n)
            qc.h(0)
            for q in range(n - 1):
                qc.cx(q, q + 1)
            return qc
        def picky(x):
            if x < 0:
                raise ValueError("negative")
            return [x, x * 2]
        def slow():
            while True:
                pass
        def module():
            return sys
        counts = {"00": 3}
        """)},
    {"anchor": 2, "role": "answer", "grade_id": "b", "source": "1 / 0"},
]


@pytest.fixture()
def server(tmp_path: Path):
    sock = tmp_path / "b.sock"
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"socket": str(sock), "eager": 1, "module": None, "cells": CELLS}))
    bridge = Bridge(sock, log=tmp_path / "log.jsonl")
    proc = subprocess.Popen([sys.executable, "-m", "qlab.bridge.student", str(plan)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    yield bridge, tmp_path
    proc.kill()
    proc.wait()
    bridge.close()


def test_answers_are_fetched_and_functions_called_across_the_boundary(server) -> None:
    from qiskit import QuantumCircuit

    bridge, tmp_path = server
    ns: dict = {}
    bridge.sync(ns, 2, ["ghz", "picky", "counts", "missing", "module"])
    assert isinstance(ns["ghz"], RemoteFunction) and "missing" not in ns
    circuit = ns["ghz"](4)
    assert isinstance(circuit, QuantumCircuit) and circuit.num_qubits == 4
    assert ns["picky"](3) == [3, 6] and ns["counts"] == {"00": 3}
    with pytest.raises(ValueError, match="negative"):  # the function's own error, by its own name
        ns["picky"](-1)
    with pytest.raises(AnswerNotReadable, match="returned a builtins.module"):
        ns["module"]()
    with pytest.raises(ZeroDivisionError):
        bridge.advance(3, report="b")  # the answer cell's error, reported where it was
    log = [json.loads(line) for line in (tmp_path / "log.jsonl").read_text().splitlines()]
    assert [(e["grade_id"], e["ok"]) for e in log if e["event"] == "cell"] == [(None, True), ("a", True), ("b", False)]


def test_an_endless_function_is_interrupted_and_the_bridge_goes_on(server) -> None:
    import os
    import signal
    import threading

    bridge, _ = server
    ns: dict = {}
    bridge.sync(ns, 2, ["slow", "picky"])
    # what nbval's cell time limit does to the trusted kernel: SIGINT (a test run started in the
    # background inherits SIGINT ignored, so the test says what a kernel's handler does)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGINT)).start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            ns["slow"]()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert time.monotonic() - started < 10 and bridge.dead is None
    assert ns["picky"](1) == [1, 2]  # the server was interrupted, not lost
