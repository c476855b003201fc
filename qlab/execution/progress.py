"""Progress of a long ``qlab.run``, in a notebook and in a terminal.

A run whose estimate (:func:`qlab.execution.engines.plan`) is at least :data:`MIN_SECONDS` shows
one line that it keeps up to date: the engine, how far it is (trajectories done, where the engine
reports them; else the time so far) and the estimate. In Jupyter the line is one output that is
rewritten in place (``IPython.display`` with a ``display_id``); in a terminal it is rewritten with
a carriage return on standard error; where standard error is not a terminal (a log file), only
the first and the last line are written. Short runs print nothing.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

from ..i18n import t

MIN_SECONDS = 2.0
_TICK = 0.5  # seconds between refreshes


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None or "ipykernel" not in sys.modules:
        return False
    try:
        ip = shell.get_ipython()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - no IPython running
        return False
    return ip is not None and getattr(ip, "kernel", None) is not None


def _format(seconds: float) -> str:
    from .engines import format_seconds

    return format_seconds(seconds)


class Progress:
    """One progress line for one run; :meth:`update` from the engine, :meth:`close` at the end.

    Without updates (an engine that runs in one call) a background thread refreshes the elapsed
    time, so the line still moves.
    """

    def __init__(self, method: str, estimate: float, unit: str = "run", *, stream: Any = None,
                 notebook: bool | None = None) -> None:  # fmt: skip
        self.method = method
        self.estimate = estimate
        self.unit = unit
        self.start = time.perf_counter()
        self.done = 0
        self.total = 0
        self._last = 0.0
        self._lock = threading.Lock()
        self._stream = stream if stream is not None else sys.stderr
        self._notebook = _in_notebook() if notebook is None else notebook
        self._tty = bool(getattr(self._stream, "isatty", lambda: False)())
        self._handle: Any = None
        self._stop = threading.Event()
        self._show(force=True)
        self._ticker = threading.Thread(target=self._tick, daemon=True)
        self._ticker.start()

    def _text(self) -> str:
        elapsed = _format(time.perf_counter() - self.start)
        if self.total:
            unit = t(f"plan.unit_{self.unit}")
            return t("plan.progress", method=self.method, done=self.done, total=self.total, unit=unit,
                     elapsed=elapsed, seconds=_format(self.estimate))  # fmt: skip
        return t("plan.progress_running", method=self.method, elapsed=elapsed, seconds=_format(self.estimate))

    def _show(self, *, force: bool = False, final: str | None = None) -> None:
        now = time.perf_counter()
        with self._lock:
            if not force and final is None and now - self._last < _TICK:
                return
            self._last = now
            text = final if final is not None else self._text()
            if self._notebook:
                self._show_notebook(text)
            elif self._tty:
                self._stream.write("\r" + text.ljust(79) + ("\n" if final is not None else ""))
                self._stream.flush()
            elif force or final is not None:
                self._stream.write(text + "\n")
                self._stream.flush()

    def _show_notebook(self, text: str) -> None:
        from IPython.display import display

        if self._handle is None:
            self._handle = display({"text/plain": text}, raw=True, display_id=True)
        else:
            self._handle.update({"text/plain": text}, raw=True)

    def _tick(self) -> None:
        while not self._stop.wait(_TICK * 2):
            self._show()

    def update(self, done: int, total: int) -> None:
        """``done`` of ``total`` units finished."""
        self.done, self.total = done, total
        self._show()

    def close(self) -> None:
        self._stop.set()
        self._ticker.join(timeout=1)
        elapsed = _format(time.perf_counter() - self.start)
        self._show(final=t("plan.progress_done", method=self.method, elapsed=elapsed))


class _Silent:
    """A short run: nothing shown."""

    def update(self, done: int, total: int) -> None:
        pass

    def close(self) -> None:
        pass


def progress_for(method: str, estimate: float, unit: str = "run") -> Progress | _Silent:
    """A progress line when the estimate says the run is long, else nothing."""
    return Progress(method, estimate, unit) if estimate >= MIN_SECONDS else _Silent()
