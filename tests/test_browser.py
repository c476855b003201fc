"""A student's first minutes, in a real browser: JupyterLab started as `make lab` starts it, on the
working copy `make lab` makes (`my-lessons/` in a scratch git checkout), a lesson opened in
headless Chromium, every cell run and saved, the expected output on the page and no error, and
`git status` still clean: the run and its saved outputs land in the ignored copy, never in
`notebooks/`. The Korean leaderboard page is checked in the same browser (headers whole).

Needs Debian's `chromium` on PATH (driven by Playwright through its executable; nothing downloads a
browser). With CI=true a missing browser fails the test; elsewhere it skips and says how to enable it.
The screenshot is kept in test-artifacts/browser/ for people to look at.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from _browser import need
from _checkout import env, git_checkout, git_status, make

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "browser"

# lesson -> text that must be on the page once all its cells ran
LESSONS = {
    "01-getting-started.ipynb": "iqm-spark",  # Qiskit, the student's first lesson
    "03-entanglement-cirq.ipynb": "GHZ",  # Cirq
}

pytestmark = pytest.mark.browser


def _saved_outputs(path: Path) -> list[list[dict]] | None:
    """The outputs of each code cell of a saved notebook; None when caught halfway through a save."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except ValueError:
        return None
    return [c.get("outputs", []) for c in cells if c["cell_type"] == "code"]


def _ran(prompt: str) -> bool:
    """Has the cell behind this input prompt ("[3]:", "[*]:", "[ ]:") finished running?"""
    return "[*]" not in prompt and prompt.strip() not in ("[ ]:", "")


def _one_kernel(prompts: list[str]) -> bool:
    """Did the cells that ran so far run in one kernel (execution counts rising from the top)?"""
    counts = [int(m.group(1)) for p in prompts if (m := re.search(r"\[(\d+)\]", p))]
    return all(a < b for a, b in zip(counts, counts[1:], strict=False))


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
    """JupyterLab on a free loopback port with a known token, serving the working copy that
    `make lessons` (the first step of `make lab`) made in a fresh checkout."""
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent))
    need(jupyter is not None, "jupyter in the environment")
    work = tmp_path_factory.mktemp("lab")
    checkout = git_checkout(work / "qlab")
    made = make(checkout, "lessons")
    assert made.returncode == 0, made.stderr
    root = checkout / "my-lessons"
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
    environ = {
        **env(checkout),
        "JUPYTERLAB_SETTINGS_DIR": str(work / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(work / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(work / "runtime"),
    }
    log = (work / "lab.log").open("w")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=environ, cwd=root)
    try:
        _wait_for_server(f"http://127.0.0.1:{port}/api/status?token={token}", proc)
        yield f"http://127.0.0.1:{port}", token, checkout
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.mark.parametrize("lesson", sorted(LESSONS))
def test_lesson_runs_in_jupyterlab(lab, browser, lesson: str) -> None:
    base, token, checkout = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(180_000)  # a loaded CI machine can take minutes
    # a workspace of its own per lesson, so one lesson's open tabs never leak into the next page
    workspace = Path(lesson).stem
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{lesson}?token={token}&reset")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    # JupyterLab may ask which kernel to use when several are installed (python3 and qlab), and on
    # a busy machine the question can come late: accept its preselected choice whenever it shows,
    # as a student would, and start "Run All Cells" once the kernel is idle.
    # JupyterLab sends "Run All"'s cells one after another (the kernel shows idle between two, the
    # later ones stay "[ ]" meanwhile), and on a loaded machine a run can stall without an error (the
    # kernel was still starting or restarted under it: the first cell ran, the rest stayed "[ ]"; or the
    # page kept talking to a kernel JupyterLab had replaced). A student would then choose "Restart
    # Kernel and Run All Cells"; so does the test, after 60 s of an idle kernel, unrun cells and no
    # prompt changing (its confirmation is accepted like any dialog); and at once when execution counts
    # start again midway (a kernel replaced under "Run All", for instance by a late kernel choice:
    # the cells after it ran in a fresh kernel and fail with NameError).
    dialog = page.locator(".jp-Dialog .jp-mod-accept")
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    code_cells = page.locator(".jp-Notebook .jp-CodeCell")
    # JupyterLab renders an error output through its stderr renderer (the error's own mime type
    # has no renderer), so an error on the page is a stderr output holding a traceback
    errors = page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']", has_text="Traceback"
    )
    deadline = time.monotonic() + 600
    started = None  # when "Run All Cells" was last chosen
    prompts: list[str] = []
    moved = time.monotonic()  # when a prompt last changed
    settled = time.monotonic()  # when a dialog (the kernel's choice) was last answered
    redo = False  # restart and run all: a kernel was replaced under "Run All"
    restarts = 0
    while time.monotonic() < deadline:
        if dialog.count():
            dialog.first.click()
            settled = time.monotonic()
        before, prompts = prompts, code_cells.locator(".jp-InputPrompt").all_inner_texts()
        if prompts != before:
            moved = time.monotonic()
        finished = started and moved > started and prompts and (all(_ran(p) for p in prompts) or errors.count())
        if finished and not _one_kernel(prompts) and restarts < 2:
            redo = True  # execution counts start again midway: a kernel was replaced under "Run All"
        elif finished and not redo:
            break  # all ran, or "Run All" stopped at an error: reported below with the error's text
        queued = any("[*]" in p for p in prompts)
        calm = idle.count() and not queued and time.monotonic() - settled > 5
        if calm and (started is None or redo
                     or not all(_ran(p) for p in prompts) and time.monotonic() - max(started, moved) > 60):
            if started is None:
                page.click(".lm-MenuBar-item:has-text('Run')")
                page.click(".lm-Menu-item[data-command='runmenu:run-all']")
            else:
                page.click(".lm-MenuBar-item:has-text('Kernel')")
                page.click(".lm-Menu-item[data-command='runmenu:restart-and-run-all']")
                restarts += 1
            started, redo = time.monotonic(), False
        page.wait_for_timeout(500)
    else:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{Path(lesson).stem}-stuck.png"), full_page=True)
        pytest.fail(f"{lesson}: cells still running or never run after 600 s: {prompts}")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{Path(lesson).stem}.png"
    page.screenshot(path=str(shot), full_page=True)

    texts = errors.all_inner_texts()
    assert not texts, f"{lesson}: error output on the page (screenshot {shot}):\n" + "\n".join(texts)
    outputs = "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert LESSONS[lesson] in outputs, f"{lesson}: expected {LESSONS[lesson]!r} in the outputs"

    # save, as a student would (or autosave): the outputs go into the working copy only
    page.locator(".jp-Notebook").first.click()
    page.keyboard.press("Control+s")
    saved = checkout / "my-lessons" / lesson
    deadline = time.monotonic() + 30
    while not any(_saved_outputs(saved) or []):
        if time.monotonic() > deadline:
            pytest.fail(f"{lesson}: saving did not write the outputs into my-lessons/")
        page.wait_for_timeout(500)
    page.close()
    failed = [f"{o.get('ename')}: {o.get('evalue')}" for outputs in _saved_outputs(saved) or []
              for o in outputs if o.get("output_type") == "error"]
    assert not failed, f"{lesson}: the saved notebook holds errors: {failed}"
    assert git_status(checkout) == [], f"{lesson}: running and saving it changed the repository"


# a line break between two Hangul syllables with no space between them: a word cut in two
_CUT_WORDS = """(selector) => {
  const cut = [];
  const hangul = /[\\uac00-\\ud7a3]/;
  for (const el of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent;
      let top = null;
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (top !== null && rect.top > top + 2 && hangul.test(text[i]) && hangul.test(text[i - 1]))
          cut.push(text.slice(Math.max(0, i - 4), i) + "|" + text.slice(i, i + 4));
        top = rect.top;
      }
    }
  }
  return cut;
}"""


def test_korean_leaderboard_keeps_words_whole_and_shows_no_markdown(browser, tmp_path, monkeypatch) -> None:
    """On a narrow screen the Korean leaderboard wraps between words only (headers and reasons),
    and its sentences show code as code, not Markdown backticks."""
    from qlab.kits import load_challenge
    from qlab.kits.leaderboard import write_leaderboard
    from qlab.kits.score import Entry, rank

    monkeypatch.setenv("QLAB_LANG", "ko")
    c = load_challenge("ghz5-spark")
    entries = rank([
        Entry(team="팀 알파", file="alpha.py", valid=True, score=0.91, two_qubit_gates=4, gates=13),
        Entry(team="양자 고양이들", file="cats.py", valid=False,
              reason="회로의 큐비트 수가 여섯 개입니다. 이 장치에서는 다섯 개여야 합니다"),
    ], c)
    page_file = write_leaderboard(c, entries, tmp_path)["html"]
    page = browser.new_page(viewport={"width": 420, "height": 900})
    page.goto(page_file.as_uri())
    assert page.evaluate(_CUT_WORDS, "th, td, h1, p") == []
    text = page.inner_text("body")
    assert "`" not in text and page.locator("code", has_text="ghz5-spark").count() == 1
    page.close()
