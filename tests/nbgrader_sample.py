"""An nbgrader assignment equivalent to the sample of nbgrader's user guide (0.9.6), written here.

nbgrader documents its workflow with a problem set ``ps1`` of two notebooks, graded for two
students. This module writes an assignment of the same shape (our own text and code), so qlab can
be held to what nbgrader does with it:

``problem1``  a function answer with two tests (1 point each), a second function answer with two
              tests (0.5 each; one deletes the first function's name to check the second uses it),
              a written (markdown) answer graded by hand (1), a code answer graded by hand (2) and
              a task graded by hand (4): 3 points autograded out of 10;
``problem2``  only written answers graded by hand (1 and 2 points): nothing to autograde;
``problem3``  what the sample lacks but nbgrader defines: a 0-point test, a test whose displayed
              number is partial credit, a test that fails by writing to stderr, a hidden test.

Two students answer it like the sample's: ``ben`` (squares start at 0, a test cell commented out
and another emptied, the code answer left as released) and ``alyssa`` (right answers; her copy
carries checksums no tool computes any more, as the sample's submitted notebooks do).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import nbformat

ASSIGNMENT = "ps1"
STUDENTS = ("alyssa", "ben")
NOTEBOOKS = ("problem1", "problem2", "problem3")


def _meta(gid: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: float | None = None, task: bool = False) -> dict[str, Any]:
    meta: dict[str, Any] = {"grade": grade, "grade_id": gid, "locked": locked, "schema_version": 3,
                            "solution": solution}
    if points is not None:
        meta["points"] = points
    if task:
        meta["task"] = True
    return {"nbgrader": meta}


def _code(source: str, **nbgrader: Any) -> Any:
    cell = nbformat.v4.new_code_cell(source)
    if nbgrader:
        cell.metadata.update(_meta(**nbgrader))
    return cell


def _text(source: str, **nbgrader: Any) -> Any:
    cell = nbformat.v4.new_markdown_cell(source)
    if nbgrader:
        cell.metadata.update(_meta(**nbgrader))
    return cell


def _notebook(cells: list[Any]) -> Any:
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


def problem1() -> Any:
    return _notebook([
        _text("We work in Jupyter throughout this problem set.", gid="intro", locked=True),
        _text("## Part A (2 points)\nWrite `squares(n)`: the list of $i^2$ for $i = 1, \\dots, n$; "
              "raise `ValueError` when $n < 1$."),
        _code('def squares(n):\n    """[1, 4, 9, ..., n**2]; ValueError below 1."""\n'
              "    ### BEGIN SOLUTION\n    if n < 1:\n        raise ValueError(\"n must be at least 1\")\n"
              "    return [k * k for k in range(1, n + 1)]\n    ### END SOLUTION",
              gid="squares", solution=True),
        _code("squares(10)"),
        _code('"""squares gives the right lists"""\nassert squares(1) == [1]\nassert squares(3) == [1, 4, 9]\n'
              "assert squares(10)[-1] == 100 and len(squares(10)) == 10",
              gid="correct_squares", grade=True, points=1),
        _code('"""squares refuses n below 1"""\nfor bad in (0, -3):\n    try:\n        squares(bad)\n'
              "    except ValueError:\n        pass\n    else:\n        raise AssertionError(f\"squares({bad}) did not raise\")",
              gid="squares_invalid_input", grade=True, points=1),
        _text("## Part B (1 point)\nWrite `sum_of_squares(n)` by calling `squares` (do not repeat its work)."),
        _code('def sum_of_squares(n):\n    """1 + 4 + ... + n**2"""\n    ### BEGIN SOLUTION\n'
              "    return sum(squares(n))\n    ### END SOLUTION", gid="sum_of_squares", solution=True),
        _code("sum_of_squares(10)"),
        _code('"""sum_of_squares adds the right squares"""\nassert sum_of_squares(1) == 1\n'
              "assert sum_of_squares(3) == 14\nassert sum_of_squares(10) == 385",
              gid="correct_sum_of_squares", grade=True, points=0.5),
        _code('"""sum_of_squares calls squares"""\nkept = squares\ndel squares\ntry:\n    sum_of_squares(2)\n'
              "except NameError:\n    pass\nelse:\n    raise AssertionError(\"sum_of_squares works without squares\")\n"
              "finally:\n    squares = kept", gid="sum_of_squares_uses_squares", grade=True, points=0.5),
        _text("## Part C (1 point)\nWrite the sum `sum_of_squares` computes in LaTeX."),
        _text("$\\sum_{k=1}^n k^2$", gid="sum_of_squares_equation", grade=True, solution=True, points=1),
        _text("## Part D (2 points)\nUse `sum_of_squares` for something of your own."),
        _code('def pyramid(n):\n    """Balls in a square pyramid n layers high."""\n    return sum_of_squares(n)',
              gid="sum_of_squares_application", grade=True, solution=True, points=2),
        _text("## Part E (4 points)\nState the closed forms of an arithmetic and a geometric sum and check "
              "each on an example of your choice, in new cells below.",
              gid="cell-task-sums", locked=True, points=4, task=True),
    ])


def problem2() -> Any:
    return _notebook([
        _text("```python\ndef f(x):\n    return x if x in (0, 1) else f(x - 1) + f(x - 2)\n```"),
        _text("## Part A (1 point)\nWhat does `f` compute, and how?"),
        _text("Fibonacci numbers, by recursion down to the two base cases.", gid="part-a", grade=True,
              solution=True, points=1),
        _text("## Part B (2 points)\nFor which inputs does `f` misbehave, and how?"),
        _text("Negative inputs never reach a base case: the recursion does not end.", gid="part-b",
              grade=True, solution=True, points=2),
    ])


def problem3() -> Any:
    return _notebook([
        _text("## Means (3 points)\nWrite `mean_of(values)`: the arithmetic mean, `None` for an empty list."),
        _code("def mean_of(values):\n    ### BEGIN SOLUTION\n    if not values:\n        return None\n"
              "    return sum(values) / len(values)\n    ### END SOLUTION", gid="mean", solution=True),
        _code('"""runs at all (0 points: reported, not counted)"""\nresult = mean_of([1.0])',
              gid="mean_runs", grade=True, points=0),
        _code('"""one point per property: the displayed number is the credit"""\ncredit = 0.0\n'
              "if mean_of([1, 2, 3]) == 2:\n    credit += 1\nif mean_of([]) is None:\n    credit += 1\ncredit",
              gid="mean_partial", grade=True, points=2),
        _code('"""a failure reported on stderr, not raised"""\nimport sys\nif mean_of([5]) != 5:\n'
              '    print("mean_of([5]) should be 5", file=sys.stderr)', gid="mean_single", grade=True, points=0.5),
        _code('"""a visible check, then one students do not see"""\nassert mean_of([2, 4]) == 3\n'
              "### BEGIN HIDDEN TESTS\nassert mean_of([-1, 1]) == 0\n### END HIDDEN TESTS",
              gid="mean_hidden", grade=True, points=0.5),
    ])


SOURCES = {"problem1": problem1, "problem2": problem2, "problem3": problem3}

# what each student wrote, by notebook and answer cell
ANSWERS: dict[str, dict[str, dict[str, str]]] = {
    "alyssa": {
        "problem1": {
            "squares": 'def squares(n):\n    """[1, 4, 9, ..., n**2]; ValueError below 1."""\n    if n < 1:\n'
                       "        raise ValueError\n    return [i ** 2 for i in range(1, n + 1)]",
            "sum_of_squares": 'def sum_of_squares(n):\n    """1 + 4 + ... + n**2"""\n    return sum(squares(n))',
            "sum_of_squares_equation": "$\\sum_{i=1}^n i^2$",
            "sum_of_squares_application": "import math\n\ndef hypotenuse(n):\n    return math.sqrt(sum_of_squares(n) - sum_of_squares(n - 2))",
        },
        "problem2": {"part-a": "It computes Fibonacci numbers recursively.",
                     "part-b": "Negative numbers: it recurses forever."},
        "problem3": {"mean": "def mean_of(values):\n    return sum(values) / len(values) if values else None"},
    },
    "ben": {
        "problem1": {
            "squares": 'def squares(n):\n    """[1, 4, 9, ..., n**2]; ValueError below 1."""\n    if n < 1:\n'
                       "        raise ValueError\n    out = []\n    for i in range(n):\n        out.append(i**2)\n"
                       "    return out",
            "sum_of_squares": 'def sum_of_squares(n):\n    """1 + 4 + ... + n**2"""\n    total = 0\n'
                              "    for value in squares(n):\n        total += value\n    return total",
            "sum_of_squares_equation": "$\\sum_{i=0}^n i^2$",
        },
        "problem2": {"part-a": "Fibonacci.", "part-b": "Not sure."},
        "problem3": {"mean": "def mean_of(values):\n    return sum(values) / max(len(values), 2)"},
    },
}

# ben's copy of problem1: one test commented out, another emptied (nbgrader overwrites both)
EDITED_TESTS = {"correct_squares": lambda text: "\n".join("# " + line for line in text.split("\n")),
                "squares_invalid_input": lambda text: ""}
STALE = "0123456789abcdef0123456789abcdef"  # a checksum no tool computes for these cells


def write_sources(folder: Path) -> dict[str, Path]:
    """``folder/<notebook>.ipynb`` for every notebook of the assignment."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, make in SOURCES.items():
        out[name] = folder / f"{name}.ipynb"
        nbformat.write(make(), out[name])
    return out


def submission(released: Any, student: str, notebook: str) -> Any:
    """The student's copy of a released notebook, answered as the module docstring says."""
    nb = copy.deepcopy(released)
    answers = ANSWERS[student][notebook]
    for cell in nb.cells:
        nbg = cell.metadata.get("nbgrader") or {}
        gid = nbg.get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
        elif student == "ben" and notebook == "problem1" and gid in EDITED_TESTS:
            cell.source = EDITED_TESTS[gid](cell.source)
        elif student == "alyssa" and nbg.get("checksum") and not nbg.get("solution"):
            nbg["checksum"] = STALE
    return nb
