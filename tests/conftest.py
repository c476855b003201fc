"""Shared test set-up: every test starts from a student's fresh kernel.

qlab keeps two per-session choices in module state, as a notebook kernel would: the language
(`qlab.set_language`), the student id (`qlab.set_student_id`) and how often each exercise
was failed (hints deepen with it). A test that sets either must not
leak it into the next test on the same worker, so both are reset around every test, and the
environment variables that choose them by default are cleared unless a test sets them itself.
"""

from __future__ import annotations

import pytest

from qlab import checker, i18n, variants
from qlab.hardware import library

pytest_plugins = ("_browser",)  # the `browser` fixture: headless Chromium for the browser tests


@pytest.fixture(autouse=True)
def _fresh_session(monkeypatch: pytest.MonkeyPatch):
    for name in ("QLAB_LANG", "QLAB_STUDENT_ID", "QLAB_GRADING", "NBGRADER_EXECUTION", "JUPYTERHUB_USER"):
        monkeypatch.delenv(name, raising=False)
    i18n._current = None
    variants._student_id = None
    variants._nbgrader_id.clear()
    checker._failures.clear()  # hints deepen per session, not across tests
    added = dict(library._added)  # devices a test adds from a file stay in that test
    yield
    for name in set(library._added) - set(added):
        library.forget(name)
    i18n._current = None
    variants._student_id = None
    variants._nbgrader_id.clear()
    checker._failures.clear()  # hints deepen per session, not across tests
