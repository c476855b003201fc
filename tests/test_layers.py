"""The emulator core is layered, and its imports only go downhill (docs/ARCHITECTURE.md).

Every ``import`` in every qlab module is read from the source (function-level and type-checking
imports too, since they are dependencies all the same), resolved to the qlab module it names
(older names through ``qlab._aliases``), and checked:

* a module imports only modules of its own layer or below: foundation (errors, messages,
  version) < hardware < the Qiskit and Cirq renderings < execution < everything on top (checks,
  grading, kits, lessons' helpers, plots, the command line);
* the two renderings stand side by side: neither imports the other;
* no import cycle, among any qlab modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from qlab._aliases import ALIASES

ROOT = Path(__file__).resolve().parents[1] / "qlab"
FOUNDATION = {"qlab._version", "qlab.errors", "qlab.i18n", "qlab._aliases"}
RANKS = (("qlab.hardware", 1), ("qlab.qiskit_side", 2), ("qlab.cirq_side", 2), ("qlab.execution", 3))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in ROOT.rglob("*.py")}


def rank(module: str) -> int:
    if module in FOUNDATION:
        return 0
    for prefix, r in RANKS:
        if module == prefix or module.startswith(prefix + "."):
            return r
    return 4


def side(module: str) -> str | None:
    for prefix in ("qlab.qiskit_side", "qlab.cirq_side"):
        if module == prefix or module.startswith(prefix + "."):
            return prefix
    return None


def resolve(name: str) -> str | None:
    """The qlab module an imported name refers to (the deepest existing module), or None."""
    name = ALIASES.get(name, name)
    while name:
        if name in MODULES:
            return name
        if name in ALIASES:
            return ALIASES[name]
        name = name.rpartition(".")[0]
    return None


def imports_of(module: str) -> set[str]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names = [f"{prefix}.{a.name}" for a in node.names] + [prefix]
        else:
            continue
        for name in names:
            if name == "qlab" or not name.startswith("qlab"):
                continue
            target = resolve(name)
            # a module's own packages are loaded before it in any case (not a dependency)
            if target and target != module and not module.startswith(target + "."):
                found.add(target)
    return found


GRAPH = {m: imports_of(m) for m in MODULES if m != "qlab"}


def test_the_core_folders_exist() -> None:
    for prefix, _ in RANKS:
        assert prefix in MODULES, prefix


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_go_downhill(module: str) -> None:
    upward = sorted(t for t in GRAPH[module] if rank(t) > rank(module))
    assert not upward, f"{module} (layer {rank(module)}) imports from a higher layer: {upward}"
    if side(module):
        across = sorted(t for t in GRAPH[module] if side(t) and side(t) != side(module))
        assert not across, f"{module} imports the other framework's rendering: {across}"


def test_no_import_cycle() -> None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for t in sorted(GRAPH.get(m, ())):
            if state.get(t) == 1:
                cycle = path[path.index(t):] + [t]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if t not in state:
                visit(t)
        path.pop()
        state[m] = 2

    for m in sorted(GRAPH):
        if m not in state:
            visit(m)


def test_the_checker_sees_upward_imports() -> None:
    """The test itself can fail: a made-up upward edge is caught."""
    assert rank("qlab.checks.counts") > rank("qlab.execution.exact") > rank("qlab.cirq_side.noise")
    assert rank("qlab.hardware.rules") < rank("qlab.qiskit_side.read")
    assert resolve("qlab.qiskit_gates") == "qlab.qiskit_side.gates"
    assert "qlab.hardware.rules" in GRAPH["qlab.cirq_side.device"]
