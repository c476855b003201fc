"""The package's outer face: a light import, the `qlab` command, and the Makefile's promises."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import qlab

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("qiskit", "qiskit_aer", "cirq", "qsimcirq", "matplotlib", "jupyter", "jupyterlab",
         "jupyter_client", "nbformat", "nbclient", "IPython", "numpy")


def _python(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout


def test_import_qlab_loads_no_heavy_framework() -> None:
    loaded = _python(
        "import sys, qlab; qlab.devices(); qlab.device('iqm-spark');"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    ).split()
    assert loaded == [], f"`import qlab` (and the catalog) pulled in: {loaded}"


def test_public_face_is_small_and_complete() -> None:
    for name in ("devices", "device", "transpile", "run", "check", "set_language", "plot_counts"):
        assert name in dir(qlab)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        qlab.nope  # noqa: B018


def _qlab(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("qlab", path=str(Path(sys.executable).parent)) or "qlab"
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=ROOT)


def test_qlab_version_and_help() -> None:
    out = _qlab("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"qlab {qlab.__version__}"
    help_text = _qlab("--help")
    assert help_text.returncode == 0
    for command in ("devices", "release", "validate", "grade", "kit"):
        assert command in help_text.stdout, f"`qlab --help` does not list {command!r}"


def test_qlab_devices_lists_the_catalog_and_rejects_unknown_names() -> None:
    out = _qlab("devices")
    assert out.returncode == 0
    assert [line.split()[0] for line in out.stdout.splitlines()] == qlab.devices()
    bad = _qlab("devices", "iqm-sparc")
    assert bad.returncode == 2
    assert "Did you mean 'iqm-spark'?" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")
def test_make_refuses_an_old_python_in_one_clear_line(tmp_path: Path) -> None:
    old = tmp_path / "python3"
    old.write_text('#!/bin/sh\n[ "$1" = --version ] && echo "Python 3.8.10"\nexit 1\n')
    old.chmod(0o755)
    out = subprocess.run(
        ["make", "--no-print-directory", "-s", "check-python", f"PYTHON={old}"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert out.returncode != 0
    message = [line for line in out.stdout.splitlines() if line.strip()]
    assert len(message) == 1, out.stdout
    assert "needs Python 3.10 or newer" in message[0] and "3.8.10" in message[0]
    assert "Traceback" not in out.stdout + out.stderr


@pytest.mark.skipif(
    not (ROOT / ".venv" / ".qlab-installed").exists(), reason="runs after `make` installed .venv"
)
def test_make_reinstalls_only_when_pyproject_changed() -> None:
    """The Makefile's promise: a second `make lab`/`make test` installs nothing, unless
    pyproject.toml is newer than the last install (then it reinstalls, once)."""
    stamp = ROOT / ".venv" / ".qlab-installed"
    changed = (ROOT / "pyproject.toml").stat().st_mtime > stamp.stat().st_mtime
    out = subprocess.run(
        ["make", "-n", "install"], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert out.returncode == 0
    assert ("pip install" in out.stdout) == changed, out.stdout
