"""Circuits from the other side, read safely: Qiskit gates by name, Cirq JSON through an allow-list.

* :func:`normalise_gates`: a gate is what its *name* says. A submission's home-made gate class that
  calls itself ``cz`` (with any definition) becomes Qiskit's ``CZGate``; ``gpi``/``gpi2``/``ms``/
  ``zz`` become qlab's IonQ gates. Checks that read gate names (native-gate rules) and simulators
  that read matrices then judge the same circuit. Other names keep their definition.
* :func:`read_cirq_json`: ``cirq.read_json`` with a resolver that knows only Cirq's own classes,
  qlab's Cirq gates and a few ``sympy`` numbers and symbols built from checked arguments. Cirq's
  default reader also accepts ``sympy.Indexed`` and friends, which hand text to ``sympy.sympify``
  (that is, ``eval``): a JSON file could run code in the reader. Here such types are refused.
"""

from __future__ import annotations

import numbers
from functools import cache
from typing import Any

from .errors import DecodeError


@cache
def gate_classes() -> dict[str, tuple[type, int, int]]:
    """``name -> (gate class, number of parameters, number of qubits)`` of every gate known by name:
    Qiskit's standard gates and qlab's IonQ natives."""
    from qiskit.circuit.library import get_standard_gate_name_mapping

    classes: dict[str, tuple[type, int, int]] = {}
    for name, gate in get_standard_gate_name_mapping().items():
        classes[name] = (gate.base_class, len(gate.params), gate.num_qubits)
    from ..qiskit_side import gates as qg

    for cls in (qg.GPIGate, qg.GPI2Gate, qg.MSGate, qg.ZZGate):
        probe = cls(*([0.0] * (3 if cls is qg.MSGate else 1)))
        classes[probe.name] = (cls, len(probe.params), probe.num_qubits)
    return classes


def normalise_gates(circuit: Any) -> Any:
    """``circuit`` with every gate named like a known gate replaced by that gate (see the module
    docstring); control-flow blocks are treated the same way."""
    from qiskit.circuit import ControlFlowOp

    classes = gate_classes()
    out = circuit.copy_empty_like()
    for inst in circuit.data:
        op = inst.operation
        known = classes.get(op.name)
        if isinstance(op, ControlFlowOp):
            op = op.replace_blocks([normalise_gates(block) for block in op.blocks])
        elif (known is not None and op.base_class is not known[0] and not inst.clbits
              and len(op.params) == known[1] and op.num_qubits == known[2]):
            op = known[0](*op.params)
        out._append(op, inst.qubits, inst.clbits)
    return out


# ---- Cirq JSON ------------------------------------------------------------------------------------


def _number(x: Any) -> Any:
    import sympy

    if isinstance(x, bool) or not isinstance(x, numbers.Number | sympy.Basic):
        raise DecodeError("a sympy expression may only hold numbers and symbols")
    return x


def _sympy_builders() -> dict[str, Any]:
    import sympy

    def symbol(name: Any) -> Any:
        if not isinstance(name, str) or len(name) > 100:
            raise DecodeError("sympy.Symbol needs a short name")
        return sympy.Symbol(name)

    def combine(op: Any) -> Any:
        def build(args: Any) -> Any:
            if not isinstance(args, list) or len(args) > 1000:
                raise DecodeError("sympy arguments must be a list")
            return op(*(_number(a) for a in args))
        return build

    def integer(i: Any) -> Any:
        if not isinstance(i, int) or isinstance(i, bool):
            raise DecodeError("sympy.Integer needs an int")
        return sympy.Integer(i)

    def rational(p: Any, q: Any) -> Any:
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (p, q)) or q == 0:
            raise DecodeError("sympy.Rational needs two ints")
        return sympy.Rational(p, q)

    def floating(approx: Any) -> Any:
        if not isinstance(approx, float | int) or isinstance(approx, bool):
            raise DecodeError("sympy.Float needs a number")
        return sympy.Float(approx)

    def complex_number(real: Any, imag: Any) -> complex:
        if not all(isinstance(v, float | int) and not isinstance(v, bool) for v in (real, imag)):
            raise DecodeError("complex needs two numbers")
        return complex(real, imag)

    return {
        "sympy.Symbol": symbol, "sympy.Add": combine(sympy.Add), "sympy.Mul": combine(sympy.Mul),
        "sympy.Pow": combine(sympy.Pow), "sympy.Integer": integer, "sympy.Rational": rational,
        "sympy.Float": floating, "sympy.pi": lambda: sympy.pi, "sympy.E": lambda: sympy.E,
        "complex": complex_number,
    }


def _refused(cirq_type: str) -> Any:
    def refuse(**_: Any) -> Any:
        raise DecodeError(f"the JSON type {cirq_type[:60]!r} is not accepted from a submission")
    return refuse


def _qlab_resolver() -> Any:
    from ..cirq_side import gates as cirq_gates

    return cirq_gates.json_resolver


@cache
def _resolver() -> Any:
    import cirq

    builders = _sympy_builders()
    qlab_resolver = _qlab_resolver()

    def resolve(cirq_type: str) -> Any:
        if cirq_type in builders:
            return builders[cirq_type]
        if "." in cirq_type and not cirq_type.startswith("cirq."):
            found = qlab_resolver(cirq_type) if qlab_resolver is not None else None
            return found if found is not None else _refused(cirq_type)
        for r in cirq.DEFAULT_RESOLVERS:
            found = r(cirq_type)
            if found is not None:
                module = str(getattr(found, "__module__", ""))
                if module.split(".")[0] == "cirq" and not cirq_type.startswith(("sympy.", "pandas.")):
                    return found
                return _refused(cirq_type)
        return _refused(cirq_type)

    return resolve


def read_cirq_json(text: str) -> Any:
    """The Cirq object written in ``text`` (see the module docstring for what is refused)."""
    import cirq

    try:
        return cirq.read_json(json_text=text, resolvers=[_resolver()])
    except DecodeError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader error means: not a readable answer
        raise DecodeError(f"Cirq JSON: {type(exc).__name__}: {str(exc)[:200]}") from None
