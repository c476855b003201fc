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


def _help(capsys: pytest.CaptureFixture, *argv: str) -> str:
    from qlab.cli import main

    with pytest.raises(SystemExit) as stop:
        main(list(argv))
    assert stop.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("argv", [("grade", "--help", "--lang", "ko"), ("--lang=ko", "grade", "-h"),
                                  ("grade", "--lang", "en", "--lang", "ko", "--help")])
def test_help_follows_lang_given_anywhere_on_the_line(argv, capsys, monkeypatch) -> None:
    monkeypatch.delenv("QLAB_LANG", raising=False)
    text = _help(capsys, *argv)
    assert text.startswith("사용법: qlab grade ")
    assert "\n위치 인수:\n" in text and "\n옵션:\n" in text
    assert "  -h, --help            이 도움말을 보여 주고 끝냅니다" in text
    assert "노트북당 시간 제한, 초 (기본값 120)" in text
    assert "usage:" not in text and "show this help" not in text
    assert qlab.i18n.get_language() == "en"  # the command's language ends with the command


def test_help_follows_qlab_lang_and_english_is_the_default(capsys, monkeypatch) -> None:
    monkeypatch.setenv("QLAB_LANG", "ko")
    text = _help(capsys, "kit", "score", "--help")
    assert text.startswith("사용법: qlab kit score ") and "--lang {en,ko}" in text
    assert _help(capsys, "--help", "--lang", "en").startswith("usage: qlab ")
    monkeypatch.delenv("QLAB_LANG")
    top = _help(capsys, "--help")
    assert top.startswith("usage: qlab ") and "\noptions:\n" in top
    assert "devices       list the emulated devices, or show one's figures" in top


def test_qlab_devices_speaks_korean(capsys, monkeypatch) -> None:
    from qlab.cli import main

    monkeypatch.delenv("QLAB_LANG", raising=False)
    assert main(["devices", "--lang", "ko"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "iqm-spark    IQM Spark형 (초전도 큐비트 5개, 별 모양)"
    assert main(["devices", "ionq-forte", "--lang", "ko"]) == 0
    card = capsys.readouterr().out
    assert card.startswith("**IonQ Forte형 (이온 트랩 큐비트 36개, 모든 쌍 연결)** (`ionq-forte`)")
    assert "| 항목 | 값 | 출처 |" in card and "*대체값*" in card
    assert main(["kit", "list", "--lang", "ko"]) == 0  # every command's own output too
    assert capsys.readouterr().out.splitlines()[0] == qlab.i18n.t("kit.list_header", lang="ko")
    monkeypatch.setenv("QLAB_LANG", "en")
    assert main(["devices"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "iqm-spark    IQM Spark-like (5 superconducting qubits, star)"


def test_grade_and_validate_spell_limits_like_kit_score_and_keep_the_old_spellings(capsys) -> None:
    from qlab.cli import build_parser

    parser = build_parser()
    for command in ("grade", "validate"):
        extra = ["s.ipynb", "a.ipynb", "-o", "out"] if command == "grade" else ["s.ipynb"]
        new = parser.parse_args([command, *extra, "--time-limit", "60", "--cell-time-limit", "5",
                                 "--memory-mb", "2048"])
        old = parser.parse_args([command, *extra, "--timeout", "60", "--cell-timeout", "5", "--memory", "2048"])
        assert (new.timeout, new.cell_timeout, new.memory) == (old.timeout, old.cell_timeout, old.memory) == (60, 5, 2048)
        default = parser.parse_args([command, *extra])
        assert (default.timeout, default.cell_timeout, default.memory) == (120, 30, 3072)
    text = _help(capsys, "validate", "--help")
    assert "--time-limit SECONDS" in text and "--memory-mb MIB" in text and "--cell-time-limit" in text
    assert "--timeout" not in text and "--memory " not in text  # the aliases work but are not offered


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


def test_a_mistyped_command_line_is_refused_in_the_chosen_language(capsys, monkeypatch) -> None:
    from qlab.cli import main

    monkeypatch.delenv("QLAB_LANG", raising=False)
    with pytest.raises(SystemExit) as stop:
        main(["grade", "--lang", "ko"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.startswith("사용법: qlab grade ")
    assert err.endswith("qlab grade: 오류: 꼭 필요한 인수가 빠졌습니다: source, SUBMISSION, -o/--output\n")
    with pytest.raises(SystemExit):
        main(["kit", "score", "c", "s.py", "-o", "out", "--memory-mb", "lots", "--lang=ko"])
    assert "--memory-mb 인수의 값 'lots'을(를) 읽을 수 없습니다" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["devices", "--nope"])
    assert capsys.readouterr().err.endswith("qlab: error: unrecognized arguments: --nope\n")
