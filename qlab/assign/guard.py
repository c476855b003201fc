"""Keep a student's code from switching the tests off (runs inside the graded notebook's kernel).

A test cell calls ``qlab.check(...)``, a ``qlab.checks`` primitive, or numpy's comparisons. A
student's answer cell could replace any of them (``qlab.check = lambda *a, **k: None``), or set
``QLAB_GRADING=0``, and every test would pass. The graded notebook built by
:mod:`qlab.assign.merge` therefore calls this module:

* ``install(globals())`` first, before any student code: remember the real objects;
* ``note(globals())`` after each of the instructor's own cells: remember which names the
  instructor bound to a protected object (``from qlab.checks import assert_states_equal``);
* ``before_test(globals(), grade_id)`` before each test: put the real objects back, and record what
  had been replaced in the file named by ``QLAB_GRADE_EVENTS`` (one JSON object per line), so the
  student's feedback says so;
* ``after_test(globals())`` after each test: give the student's own *names* back (not the patched
  library functions), so their later cells still behave as they wrote them.

This stops accidents and casual tampering, not a determined attacker with the same interpreter; the
sandbox (time and memory limits, a separate process per submission) limits the damage there.
"""

from __future__ import annotations

import builtins
import json
import os
import sys
import types
from importlib import import_module
from typing import Any

_attrs: list[tuple[Any, str, Any]] = []  # (module, attribute, the real object)
_protected: dict[int, Any] = {}  # id -> real object, for "is this name bound to a real one?"
_bound: dict[str, Any] = {}  # global name -> real object the instructor's code bound it to
_builtins: dict[str, Any] = {}
_env: dict[str, str] = {}
_stash: dict[str, Any] = {}
_CHECK_MODULES = ("qlab.checker", "qlab.checks")
_NUMPY = {
    "numpy": ("allclose", "isclose", "array_equal", "array_equiv"),
    "numpy.testing": ("assert_allclose", "assert_array_equal", "assert_almost_equal", "assert_equal"),
}


def _protect(module: Any, name: str) -> None:
    obj = getattr(module, name, None)
    if obj is not None and (callable(obj) or hasattr(obj, "__dict__")):
        _attrs.append((module, name, obj))
        _protected[id(obj)] = obj


def install(ns: dict[str, Any]) -> None:
    """Remember the real checking functions (call before any student code runs)."""
    import qlab

    for modname in _CHECK_MODULES:
        try:
            import_module(modname)
        except ImportError:
            continue
    for modname, module in sorted(sys.modules.items()):
        if module is not None and (modname in _CHECK_MODULES or modname.startswith("qlab.checks.")):
            for name in getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]:
                _protect(module, name)
    checker = sys.modules.get("qlab.checker")
    if checker is not None and hasattr(checker, "check"):
        _attrs.append((qlab, "check", checker.check))
        _protected[id(checker.check)] = checker.check
    _protected[id(qlab)] = qlab
    for modname, names in _NUMPY.items():
        try:
            module = import_module(modname)
        except ImportError:
            continue
        _protected[id(module)] = module
        for name in names:
            _protect(module, name)
    # builtin functions and types only: ipykernel itself swaps ``input`` and friends per cell
    _builtins.update({k: v for k, v in vars(builtins).items()
                      if not k.startswith("_") and isinstance(v, types.BuiltinFunctionType | type)})
    _env.update({k: v for k, v in os.environ.items() if k.startswith("QLAB_")})
    note(ns)


def note(ns: dict[str, Any]) -> None:
    """Remember the names the instructor's cells bound to protected objects."""
    for name, value in list(ns.items()):
        if not name.startswith("_") and id(value) in _protected and _protected[id(value)] is value:
            _bound[name] = value


def before_test(ns: dict[str, Any], grade_id: str) -> list[str]:
    """Put every replaced checking function back; return (and record) what had been replaced."""
    replaced: list[str] = []
    for module, name, real in _attrs:
        current = module.__dict__.get(name, real)  # qlab.check may not be loaded yet: fine
        if current is not real:
            setattr(module, name, real)
            replaced.append(f"{module.__name__}.{name}")
    for name, real in _builtins.items():
        if vars(builtins).get(name, real) is not real:
            setattr(builtins, name, real)
            replaced.append(f"builtins.{name}")
    for name, real in _bound.items():
        if name in ns and ns[name] is not real:
            _stash[name] = ns[name]
            ns[name] = real
            replaced.append(name)
        elif name not in ns:
            ns[name] = real
            replaced.append(name)
    for key, value in _env.items():
        if os.environ.get(key) != value:
            os.environ[key] = value
            replaced.append(f"os.environ[{key!r}]")
    replaced += _pin_student_id()
    if replaced:
        _record({"grade_id": grade_id, "replaced": sorted(set(replaced))})
    return replaced


def _pin_student_id() -> list[str]:
    """In grading the submission's id is the student id, even if the notebook set another one."""
    variants = sys.modules.get("qlab.variants")
    sid = _env.get("QLAB_STUDENT_ID")
    if variants is None or not sid:
        return []
    try:
        if variants.student_id() == sid.strip():
            return []
        variants.set_student_id(sid)
    except Exception:  # a malformed id: the checker reports it in the test itself
        return []
    return ["qlab.set_student_id"]


def after_test(ns: dict[str, Any]) -> None:
    """Give the student's own global names back after a test."""
    ns.update(_stash)
    _stash.clear()


def _record(event: dict[str, Any]) -> None:
    path = _env.get("QLAB_GRADE_EVENTS")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(event) + "\n")
