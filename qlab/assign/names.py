"""Which global names a cell binds and which it reads: how the grader knows what to fetch.

A test cell reads the student's answers by name (``bell``, ``ghz``, ``p_same``). The names an
assignment's answers define are the names its **solution** cells bind at the top level (assignment,
``def``, ``class``, ``import``, ``for`` targets, ``with ... as``, walrus, ``global`` inside a
function). Before each trusted cell that reads one of them, the grader fetches exactly those from
the student's sandbox. IPython syntax (``%magic``, ``!shell``) is translated first, as IPython
would; a cell that still does not parse binds and reads nothing.
"""

from __future__ import annotations

import ast
import threading
from functools import cache

# CPython 3.11 can fail ast.parse in two threads at once ("AST constructor recursion depth
# mismatch": the depth is kept per interpreter, python/cpython#106905); Dask's threaded workers
# grade several submissions at once
_PARSING = threading.Lock()


@cache
def _python(source: str) -> ast.Module | None:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        code = TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - IPython could not make sense of it either
        code = source
    try:
        with _PARSING:
            return ast.parse(code)
    except (SyntaxError, ValueError):
        return None


def _targets(node: ast.AST, out: set[str]) -> None:
    if isinstance(node, ast.Name):
        out.add(node.id)
    elif isinstance(node, ast.Tuple | ast.List):
        for elt in node.elts:
            _targets(elt, out)
    elif isinstance(node, ast.Starred):
        _targets(node.value, out)


class _Binder(ast.NodeVisitor):
    """Top-level bindings; function and class bodies are not entered, except for ``global``."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            _targets(target, self.names)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        _targets(node.target, self.names)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        _targets(node.target, self.names)
        self.generic_visit(node)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        _targets(node.target, self.names)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        _targets(node.target, self.names)
        self.generic_visit(node)

    visit_AsyncFor = visit_For  # type: ignore[assignment]

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                _targets(item.optional_vars, self.names)
        self.generic_visit(node)

    visit_AsyncWith = visit_With  # type: ignore[assignment]

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.names.add(node.name)
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.names.add((alias.asname or alias.name).split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name != "*":
                self.names.add(alias.asname or alias.name)

    def _scope(self, node: ast.AST) -> None:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Global):
                self.names.update(inner.names)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.names.add(node.name)
        self._scope(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.names.add(node.name)
        self._scope(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        return None

    def visit_comprehension(self, node: ast.comprehension) -> None:
        return None  # comprehension variables are local to it


def bound_names(source: str) -> frozenset[str]:
    """The global names the cell ``source`` binds."""
    tree = _python(source)
    if tree is None:
        return frozenset()
    binder = _Binder()
    binder.visit(tree)
    return frozenset(binder.names)


def loaded_names(source: str) -> frozenset[str]:
    """Every name the cell ``source`` reads, anywhere in it (inside functions too)."""
    tree = _python(source)
    if tree is None:
        return frozenset()
    return frozenset(n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load))
