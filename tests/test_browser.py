"""A student's first minutes, in a real browser: JupyterLab started as `make lab` starts it,
a lesson opened in headless Chromium, every cell run, the expected output on the page and no error.

Needs Debian's `chromium` on PATH (driven by Playwright through its executable; nothing downloads a
browser). With CI=true a missing browser fails the test; elsewhere it skips and says how to enable it.
The screenshot is kept in test-artifacts/browser/ for people to look at.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
IN_CI = os.environ.get("CI", "").lower() == "true"
ENABLE = "install Debian's chromium (`apt-get install chromium`) and the dev extra (`make test` does)"

# lesson -> text that must be on the page once all its cells ran
LESSONS = {
    "01-getting-started.ipynb": "iqm-spark",  # Qiskit, the student's first lesson
    "03-entanglement-cirq.ipynb": "GHZ",  # Cirq
}

pytestmark = pytest.mark.browser


def _need(condition: bool, what: str) -> None:
    if condition:
        return
    message = f"browser test needs {what}: {ENABLE}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"JupyterLab did not answer at {url} within {seconds} s")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    """JupyterLab on a free loopback port with a known token, serving a copy of notebooks/
    (so that autosave cannot write outputs into the committed lessons)."""
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent))
    _need(jupyter is not None, "jupyter in the environment")
    work = tmp_path_factory.mktemp("lab")
    root = work / "notebooks"
    shutil.copytree(ROOT / "notebooks", root)
    settings = work / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # no "news" toast on first start: the screenshot is for people to look at
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    # JupyterLab 4 renders only the cells in view ("windowing"): a lesson longer than one screen
    # would show empty prompts for the cells scrolled away, so render every cell
    tracker = work / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port, token = _free_port(), secrets.token_hex(16)
    command = [
        jupyter, "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
        f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
    }
    log = (work / "lab.log").open("w")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_for_server(f"http://127.0.0.1:{port}/api/status?token={token}", proc)
        yield f"http://127.0.0.1:{port}", token
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    _need(chromium is not None, "a `chromium` executable on PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "the `playwright` package")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        )
        try:
            yield b
        finally:
            b.close()


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_lesson_runs_in_jupyterlab(lab, browser, lesson: str) -> None:
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    # a workspace of its own per lesson, so one lesson's open tabs never leak into the next page
    workspace = Path(lesson).stem
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{lesson}?token={token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    # JupyterLab may ask which kernel to use when several are installed (python3 and qlab):
    # accept its preselected choice, as a student would
    try:
        page.wait_for_selector(".jp-Dialog .jp-mod-accept", timeout=8_000)
        page.click(".jp-Dialog .jp-mod-accept")
    except Exception:  # no dialog: the kernel started by itself
        pass
    # the kernel must be ready before "Run All Cells"
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    page.click(".lm-MenuBar-item:has-text('Run')")
    page.click(".lm-Menu-item[data-command='runmenu:run-all']")

    code_cells = page.locator(".jp-Notebook .jp-CodeCell")
    deadline = time.monotonic() + 240
    prompts: list[str] = []
    while time.monotonic() < deadline:
        prompts = code_cells.locator(".jp-InputPrompt").all_inner_texts()
        if prompts and all("[*]" not in p and p.strip() not in ("[ ]:", "") for p in prompts):
            break
        page.wait_for_timeout(500)
    else:
        pytest.fail(f"{lesson}: cells still running or never run after 240 s: {prompts}")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{Path(lesson).stem}.png"
    page.screenshot(path=str(shot), full_page=True)

    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    texts = errors.all_inner_texts()
    assert not texts, f"{lesson}: error output on the page (screenshot {shot}):\n" + "\n".join(texts)
    outputs = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert LESSONS[lesson] in outputs, f"{lesson}: expected {LESSONS[lesson]!r} in the outputs"
    page.close()
