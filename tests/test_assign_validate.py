"""``qlab validate``: the sample assignment is gradable, and a test that gives free points is caught."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from qlab.assign.cells import apply_headers
from qlab.assign.validate import validate
from qlab.cli import main

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def test_the_sample_assignment_is_valid(capsys: pytest.CaptureFixture) -> None:
    assert main(["validate", str(ROOT / "exercises" / "lab-bell-ghz" / "source.ipynb")]) == 0
    out = capsys.readouterr().out
    assert "valid: the solution passes every test" in out
    for gid in ("bell-state", "bell-entangled", "ghz-state", "bell-probability-value"):
        assert gid in out


def test_a_test_that_passes_on_the_placeholder_is_reported(tmp_path: Path) -> None:
    nb = apply_headers(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("# qlab: answer square\ndef square(x):\n    ### BEGIN SOLUTION\n"
                                  "    return x * x\n    ### END SOLUTION"),
        nbformat.v4.new_code_cell("# qlab: test square-4 points=1\nassert square(4) == 16"),
        nbformat.v4.new_code_cell("# qlab: test weak points=1\nassert callable(square)"),
        nbformat.v4.new_code_cell("# qlab: test wrong-key points=1\nassert square(3) == 10"),
    ]))
    path = tmp_path / "source.ipynb"
    nbformat.write(nb, path)
    result = validate(path)
    assert not result.ok
    assert result.solution == {"square-4": True, "weak": True, "wrong-key": False}
    assert result.placeholder == {"square-4": False, "weak": True, "wrong-key": False}
    text = "\n".join(result.problems)
    assert "'weak' passes with the placeholder" in text
    assert "'wrong-key' fails with the solution" in text and "assert square(3) == 10" in text
