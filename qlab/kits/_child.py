"""The child side of scoring: load ONE team's submission, call its function, write what it returned.

Run by :mod:`qlab.kits.score` as ``python -m qlab.kits._child SUBMISSION FUNCTION OUTFILE`` inside
:func:`qlab.sandbox.run_limited` (time and memory limits). It never scores anything and is never
told where the challenge lives: it only turns the team's answer into plain JSON,

* a Qiskit ``QuantumCircuit`` -> ``{"kind": "circuit", "num_qubits", "num_clbits", "instructions":
  [{"name", "qubits", "clbits", "params"}]}`` (gate *names* and numbers only; the parent rebuilds
  each gate from its name, so a team's home-made gate called ``"cz"`` becomes the real CZ), or
* plain data (angles, lists, dicts) -> ``{"kind": "json", "value": ...}``.

Whatever this process prints or patches dies with it; the parent validates and scores the JSON.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
import traceback
from pathlib import Path
from typing import Any

MAX_INSTRUCTIONS = 200_000


def _number(p: Any) -> Any:
    """A gate parameter as a float, or a marker the parent turns into a clear reason."""
    try:
        from qiskit.circuit import ParameterExpression
    except ImportError:  # pragma: no cover - qiskit is a dependency
        ParameterExpression = ()  # type: ignore[assignment]
    if isinstance(p, ParameterExpression):
        if p.parameters:
            return {"unbound": sorted(str(x) for x in p.parameters)}
        try:
            p = float(p)
        except TypeError:
            return {"unsupported": "complex"}
    if isinstance(p, bool):
        return {"unsupported": "bool"}
    try:
        x = float(p)
    except (TypeError, ValueError):
        return {"unsupported": type(p).__name__}
    if not math.isfinite(x):
        return {"nonfinite": repr(x)}
    return x


def circuit_payload(circuit: Any) -> dict[str, Any]:
    """A Qiskit circuit as plain JSON: names, qubit and clbit indices, numeric parameters."""
    instructions = []
    for inst in circuit.data:
        op = inst.operation
        instructions.append(
            {
                "name": str(op.name),
                "qubits": [circuit.find_bit(q).index for q in inst.qubits],
                "clbits": [circuit.find_bit(c).index for c in inst.clbits],
                "params": [_number(p) for p in getattr(op, "params", [])],
            }
        )
        if len(instructions) > MAX_INSTRUCTIONS:
            return {"kind": "too_long", "limit": MAX_INSTRUCTIONS}
    return {
        "kind": "circuit",
        "num_qubits": circuit.num_qubits,
        "num_clbits": circuit.num_clbits,
        "instructions": instructions,
    }


def _plain(value: Any) -> Any:
    """``json.dumps`` default: numpy numbers and arrays become plain numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, (tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not plain data")


def payload_for(result: Any, returns: str) -> dict[str, Any]:
    kind = f"{type(result).__module__}.{type(result).__qualname__}"
    if returns == "circuit":
        if kind.startswith("qiskit.") and hasattr(result, "data") and hasattr(result, "find_bit"):
            return circuit_payload(result)
        return {"kind": "wrong_type", "got": kind}
    try:
        text = json.dumps(result, default=_plain, allow_nan=False)
    except (TypeError, ValueError) as exc:
        return {"kind": "not_plain", "got": kind, "detail": str(exc)[:200]}
    return {"kind": "json", "value": json.loads(text)}


def main(argv: list[str]) -> int:
    submission, function, returns, outfile = argv
    path = Path(submission).resolve()
    sys.path.insert(0, str(path.parent))
    out: dict[str, Any]
    team = None
    stage = "import"
    try:
        spec = importlib.util.spec_from_file_location("submission", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules["submission"] = module
        spec.loader.exec_module(module)
        team = getattr(module, "TEAM", None)
        fn = getattr(module, function, None)
        if not callable(fn):
            out = {"kind": "no_function", "function": function}
        else:
            stage = "call"
            result = fn()
            stage = "result"
            out = payload_for(result, returns)
    except MemoryError:
        out = {"kind": "memory"}
    except BaseException as exc:  # noqa: BLE001 - anything a team's code raises is reported
        if isinstance(exc, KeyboardInterrupt):
            raise
        tb = traceback.extract_tb(exc.__traceback__)
        line = next((f.lineno for f in reversed(tb) if Path(f.filename).resolve() == path), None)
        out = {
            "kind": "error",
            "stage": stage,
            "type": type(exc).__name__,
            "message": str(exc)[:500],
            "line": line,
        }
    out["team"] = team if isinstance(team, str) else None
    Path(outfile).write_text(json.dumps(out, allow_nan=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
