"""The pytest plugin the grader loads next to nbval: ``pytest -p qlab.assign.plugin --nbval-lax``.

nbval turns each code cell of a notebook into a pytest item (``Cell 0``, ``Cell 1``, ...) and runs
them in one kernel: here the trusted kernel of the graded notebook. This plugin reads the
``qlab_grading`` metadata that :mod:`qlab.assign.split` wrote on each cell (role, grade id, public
or hidden part, points) and
records, for every item, what happened: passed or failed, the error's name and message (the
helpful text of a failed ``qlab.check``), the failing line of a bare ``assert``, whether the
cell hit nbval's time limit, whether it wrote to stderr, and the value it displayed where that
value can be partial credit (the ``shows`` flag of the part holding the test's last line).

With ``--qlab-results FILE`` the record is rewritten (atomically) after every cell, so a run that
is killed for passing the notebook time limit still leaves the results of the cells that ran.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from .model import GradedRole, Outcome, Reason

# Load this plugin before nbval (``-p qlab.assign.plugin -p nbval.plugin``) to save ~1 s of CPU per
# notebook: nbformat -> jsonschema imports the optional ``rfc3987_syntax`` (IRI checks, never used
# on notebooks), which builds a parser grammar at import. Blocking it makes jsonschema skip it.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("qlab", "qlab grading")
    group.addoption("--qlab-results", default=None, help="write per-cell grading results (JSON) here")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every notebook cell :data:`~qlab.bridge.trusted.OUTPUT_GRACE` to deliver its output
    (nbval waits 5 s, then stops the kernel: on a busy machine an interrupted cell whose answer
    the bridge is still fetching, or a slow idle message, would fail every later test)."""
    from ..bridge.trusted import OUTPUT_GRACE

    for item in items:
        if hasattr(item, "output_timeout"):
            item.output_timeout = OUTPUT_GRACE


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("--qlab-results")
    if path:
        from ..sandbox.process import exit_with_parent

        exit_with_parent()  # a grading worker that is killed takes its trusted side with it
        config.pluginmanager.register(_Recorder(Path(path)), "qlab-recorder")


def strip_ansi(text: str) -> str:
    """Text without terminal colour codes (IPython colours its tracebacks)."""
    return _ANSI.sub("", text or "")


def failing_line(traceback: list[str]) -> str:
    """The ``---->`` line of the innermost frame of an IPython traceback, without the arrow."""
    for entry in reversed(traceback or []):
        for line in strip_ansi(entry).splitlines():
            if line.lstrip().startswith("---->"):
                return re.sub(r"^\s*----> ?\d*\s?", "", line).strip()
    return ""


def _shown(outputs: list[Any]) -> str | None:
    """The plain text of the cell's displayed result (``Out[]``), where nbgrader looks for partial
    credit: the first ``execute_result`` (a cell shows at most one)."""
    for out in outputs:
        if out.get("output_type") == "execute_result":
            text = (out.get("data") or {}).get("text/plain")
            return str(text)[:200] if text is not None else None
    return None


class _Recorder:
    def __init__(self, path: Path):
        self.path = path
        self.items: list[dict[str, Any]] = []
        self.started = time.monotonic()
        self._write(finished=False)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Any:
        outcome = yield
        report = outcome.get_result()
        cell = getattr(item, "cell", None)
        if cell is None:
            return
        if call.when == "call" or (call.when == "setup" and not report.passed):
            self.items.append(self._entry(item, cell, call, report))
            self._write(finished=False)

    def _entry(self, item: Any, cell: Any, call: Any, report: Any) -> dict[str, Any]:
        meta = dict(cell.get("metadata", {}).get("qlab_grading") or {})
        outcome = report.outcome
        reason = None
        if hasattr(report, "wasxfail"):
            # nbval marks every cell after a timed-out one "expected to fail"
            outcome = Outcome.PASSED.value if report.passed else Outcome.FAILED.value
            reason = Reason.AFTER_TIMEOUT.value if outcome == Outcome.FAILED.value else None
        error = None
        if outcome == Outcome.FAILED.value:
            error = self._error(item, call)
            if reason is None and error.get("timeout"):
                reason = Reason.TIMEOUT.value
        outputs = getattr(item, "test_outputs", None) or []
        return {
            "cell": getattr(item, "cell_num", None),
            "role": meta.get("role", GradedRole.SOURCE.value),
            "grade_id": meta.get("grade_id"),
            "part": meta.get("part"),
            "points": meta.get("points", 0),
            "outcome": outcome,
            "reason": reason,
            "error": error,
            "stderr": any(o.get("output_type") == "stream" and o.get("name") == "stderr" for o in outputs),
            "shown": _shown(outputs) if meta.get("shows") else None,
            "seconds": round(float(getattr(report, "duration", 0.0)), 3),
        }

    @staticmethod
    def _error(item: Any, call: Any) -> dict[str, Any]:
        exc = call.excinfo.value if call.excinfo else None
        message = strip_ansi(str(exc)) if exc is not None else ""
        error: dict[str, Any] = {"ename": "", "evalue": "", "line": "", "timeout": "Timeout" in message}
        for out in getattr(item, "test_outputs", None) or []:
            if out.get("output_type") == "error":
                error["ename"] = out.get("ename", "")
                error["evalue"] = strip_ansi(out.get("evalue", ""))[:2000]
                error["line"] = failing_line(out.get("traceback", []))[:300]
        if not error["ename"]:
            error["ename"] = "KernelDied" if "Kernel dead" in message else type(exc).__name__ if exc else ""
            error["evalue"] = message.splitlines()[0][:500] if message else ""
        if error["ename"] == "KeyboardInterrupt" and error["timeout"]:
            error["ename"] = "Timeout"
        return error

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self._write(finished=True)

    def _write(self, *, finished: bool) -> None:
        from .nbio import atomic_write

        data = {"finished": finished, "seconds": round(time.monotonic() - self.started, 3),
                "items": self.items}
        atomic_write(self.path, json.dumps(data, ensure_ascii=False, indent=1), sync=finished)
