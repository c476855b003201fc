"""Headless Chromium for the browser tests: Debian's ``chromium`` driven by Playwright.

Nothing downloads a browser: Playwright is given the ``chromium`` found on PATH. With CI=true a
missing browser fails the test that needs it; elsewhere the test skips and says how to enable it.
"""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
ENABLE = "install Debian's chromium (`apt-get install chromium`) and the dev extra (`make test` does)"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


def need(condition: bool, what: str) -> None:
    """Skip (fail in CI) unless ``condition``: ``what`` names the missing piece."""
    if condition:
        return
    message = f"browser test needs {what}: {ENABLE}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    need(chromium is not None, "a `chromium` executable on PATH")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "the `playwright` package")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()
