"""The trusted side of the bridge: asks the submission's sandbox for answers and gets data back.

Used in the graded notebook's kernel (a fresh kernel that never ran the student's code; nbval runs
it) and in the hackathon scorer. The notebook the grader writes calls it in three ways::

    __qlab_bridge__ = qlab.bridge.trusted.from_environment()          # first cell
    __qlab_bridge__.advance(4, report="bell-circuit")                 # where an answer cell was
    __qlab_bridge__.sync(globals(), 5, ["bell"])                      # before a test that reads bell

:meth:`Bridge.sync` binds each name to its value rebuilt from data (:mod:`qlab.bridge.codec`):
a function becomes a :class:`RemoteFunction` that runs in the sandbox when called, a value that is
not data becomes an :class:`~qlab.bridge.codec.Unreadable` placeholder, and a name the
submission does not define is removed (so the test fails with Python's own ``NameError``).

A test that deletes an answer's name before calling another answer (nbgrader's way of checking
that ``sum_of_squares`` uses ``squares``: ``del squares; sum_of_squares(1)`` must raise
``NameError``) gets the same effect across the boundary: while a function runs in the sandbox,
the answers the test deleted from its own namespace are hidden from the submission's too.

Time: nbval interrupts a cell that runs past its limit; the bridge then interrupts the request in
the sandbox too, waits briefly for its reply and otherwise stops talking to it: every later
answer is unreadable with that reason. The submission's side can lie, stall or crash; none of that
can make a test pass, only make an answer unreadable.
"""

from __future__ import annotations

import builtins
import json
import os
import queue
import socket
import threading
import time
from collections.abc import MutableMapping, Sequence
from pathlib import Path
from typing import Any

from ..i18n import t
from . import wire
from .codec import AnswerNotReadable, DecodeError, NotData, Unreadable, decode, encode

ENV_SOCKET = "QLAB_BRIDGE"  # the socket path the trusted kernel listens on
ENV_LOG = "QLAB_BRIDGE_LOG"  # where the outcome of each of the submission's cells is recorded
EXITED = "student-exited"  # a file the grader writes next to the socket when the sandbox ended
# After a cell's time limit, the submission's side gets this long to stop and answer (a busy machine
# can be slow to deliver a signal); past it, the side counts as stuck. nbval waits for the
# interrupted cell's output; qlab's plugin gives it OUTPUT_GRACE (nbval's own 5 s is too short).
INTERRUPT_GRACE = 10.0
OUTPUT_GRACE = INTERRUPT_GRACE + 10.0
# Reading answers (QPY, Cirq JSON) happens in the main thread or in ONE long-lived helper thread,
# one at a time. Qiskit 2.6's allocator (mimalloc inside qiskit._accelerate) crashes with a
# segmentation fault when a new thread first uses it after another thread that used it has ended
# (seen when a second hackathon scoring run in the same process read a circuit in a new worker).
DATA_LOCK = threading.Lock()


class _DataThread:
    """Runs functions on one daemon thread that lives as long as the process."""

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start = threading.Lock()

    def run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is threading.main_thread():
            with DATA_LOCK:
                return fn(*args, **kwargs)
        with self._start:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="qlab-data", daemon=True)
                self._thread.start()
        done: queue.Queue = queue.Queue(maxsize=1)
        self._jobs.put((fn, args, kwargs, done))
        ok, value = done.get()
        if ok:
            return value
        raise value

    def _serve(self) -> None:
        while True:
            fn, args, kwargs, done = self._jobs.get()
            try:
                with DATA_LOCK:
                    done.put((True, fn(*args, **kwargs)))
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller's thread
                done.put((False, exc))


on_data_thread = _DataThread().run
# exceptions a submission's function may raise that a test can catch by their usual name
BUILTIN_ERRORS = frozenset({
    "ArithmeticError", "AssertionError", "AttributeError", "EOFError", "FloatingPointError",
    "IndexError", "KeyError", "LookupError", "MemoryError", "NameError", "NotImplementedError",
    "OverflowError", "RecursionError", "RuntimeError", "StopIteration", "TypeError",
    "UnboundLocalError", "UnicodeError", "ValueError", "ZeroDivisionError",
})


class BridgeDown(AnswerNotReadable):
    """The submission's side cannot be asked anymore (it ended, stalled, or broke the protocol)."""


class RemoteFunction:
    """A function of the submission: calling it runs it in the sandbox and returns its result as data."""

    __slots__ = ("_bridge", "_handle", "__name__", "__qualname__")

    def __init__(self, bridge: Bridge, handle: int, name: str):
        self._bridge, self._handle = bridge, handle
        self.__name__ = self.__qualname__ = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._bridge.call(self._handle, self.__name__, args, kwargs)

    def __repr__(self) -> str:
        return f"<function {self.__name__} (runs in the submission's sandbox)>"


def _exception(name: str, error: dict[str, Any]) -> BaseException:
    """The submission's exception, rebuilt: a built-in class by name, else a new class of that name."""
    ename = str(error.get("ename") or "Exception")
    message = str(error.get("evalue") or "")
    if ename in BUILTIN_ERRORS:
        exc = getattr(builtins, ename)(message)
    else:
        safe = "".join(ch for ch in ename if ch.isalnum() or ch == "_")[:60] or "StudentError"
        if not safe[0].isalpha():
            safe = "StudentError"
        exc = type(safe, (Exception,), {"__module__": "submission"})(message)
    exc.qlab_error = dict(error)  # type: ignore[attr-defined]  # name, message, line as data
    return exc


class Bridge:
    """One connection to one submission's sandbox (see the module docstring)."""

    def __init__(self, socket_path: str | os.PathLike[str], *, log: str | os.PathLike[str] | None = None,
                 deadline: float | None = None):
        self.path = Path(socket_path)
        self.log = Path(log) if log else None
        self.deadline = deadline  # time.monotonic() after which nothing more is asked
        self.dead: str | None = None
        self._ns: MutableMapping[str, Any] | None = None  # the test's namespace (from sync)
        self._bound: set[str] = set()  # answer names sync bound there
        self._conn: socket.socket | None = None
        self._next = 0
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(self.path))
        self._server.listen(1)

    # -- connection

    def _exited(self) -> str | None:
        marker = self.path.parent / EXITED
        if marker.exists():
            try:
                return marker.read_text(encoding="utf-8").strip() or "exited"
            except OSError:
                return "exited"
        return None

    def _connection(self) -> socket.socket:
        if self.dead:
            raise BridgeDown(self.dead)
        if self._conn is None:
            self._server.settimeout(0.05)
            while self._conn is None:
                try:
                    self._conn, _ = self._server.accept()
                except TimeoutError:
                    why = self._exited()
                    if why:
                        self._fail(t("grade.bridge_never_started", why=why))
                    if self.deadline is not None and time.monotonic() > self.deadline:
                        self._fail(t("grade.bridge_time_limit"))
            self._conn.settimeout(None)
        return self._conn

    def _fail(self, why: str) -> None:
        self.dead = why
        self._record({"event": "bridge_down", "why": why})
        if self._conn is not None:
            try:
                self._conn.close()
            except OSError:
                pass
        raise BridgeDown(why)

    def close(self) -> None:
        for s in (self._conn, self._server):
            if s is not None:
                try:
                    s.close()
                except OSError:
                    pass

    def _record(self, entry: dict[str, Any]) -> None:
        if self.log is None:
            return
        with open(self.log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def request(self, op: str, **fields: Any) -> dict[str, Any]:
        """Send one request and wait for its reply (see the module docstring for interrupts)."""
        conn = self._connection()
        self._next += 1
        rid = self._next
        try:
            wire.send(conn, {"op": op, "id": rid, **fields})
            reply = self._reply(conn, rid)
        except KeyboardInterrupt:
            self._interrupt(conn, rid)
            raise
        except TimeoutError:
            self._fail(t("grade.bridge_time_limit"))
        except (OSError, wire.ProtocolError) as exc:
            why = self._exited() or str(exc)
            self._fail(t("grade.bridge_lost", why=why))
        for cell in reply.get("cells") or []:
            if isinstance(cell, dict):
                self._record({"event": "cell", **{k: cell.get(k) for k in
                                                  ("anchor", "role", "grade_id", "ok", "error", "seconds")}})
        return reply

    def _reply(self, conn: socket.socket, rid: int) -> dict[str, Any]:
        while True:
            if self.deadline is not None:
                conn.settimeout(max(0.01, self.deadline - time.monotonic()))
            reply = wire.receive(conn)
            if reply.get("id") == rid:
                return reply

    def _interrupt(self, conn: socket.socket, rid: int) -> None:
        try:
            wire.send(conn, {"op": "interrupt", "id": rid})
            conn.settimeout(INTERRUPT_GRACE)
            reply = self._reply(conn, rid)
            conn.settimeout(None)
            for cell in reply.get("cells") or []:
                if isinstance(cell, dict):
                    self._record({"event": "cell", **cell})
        except (OSError, wire.ProtocolError, KeyboardInterrupt):
            self.dead = t("grade.bridge_stuck")
            self._record({"event": "bridge_down", "why": self.dead, "stuck": True})

    # -- what the graded notebook calls

    def advance(self, to: int, report: str | None = None) -> None:
        """Let the submission run its cells up to (not including) source cell ``to``.

        With ``report``, raise the error of that answer cell if it failed, so the graded notebook
        shows it where the answer was.
        """
        try:
            reply = self.request("advance", to=int(to))
        except BridgeDown:
            return
        if report:
            for cell in reply.get("cells") or []:
                if isinstance(cell, dict) and cell.get("grade_id") == report and not cell.get("ok"):
                    raise _exception(report, cell.get("error") or {})

    def fetch(self, to: int, names: Sequence[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The submission's values of ``names`` after it ran up to source cell ``to``, and the
        reports of the cells that ran for it. A name the submission does not define is left out;
        a value that is not data is an :class:`~qlab.bridge.codec.Unreadable`."""
        try:
            reply = self.request("get", to=int(to), names=list(names))
        except BridgeDown as exc:
            return {name: Unreadable(name, t("grade.answer_gone", name=name, why=str(exc))) for name in names}, []
        values = reply.get("values") if isinstance(reply.get("values"), dict) else {}
        out: dict[str, Any] = {}
        for name in names:
            node = values.get(name)
            if not isinstance(node, dict):
                out[name] = Unreadable(name, t("grade.answer_gone", name=name, why=t("grade.bridge_no_reply")))
            elif node.get("t") == "missing":
                continue
            elif node.get("t") == "unreadable":
                out[name] = Unreadable(name, t("grade.answer_not_data", name=name, what=str(node.get("why"))[:200]))
            else:
                try:
                    out[name] = on_data_thread(decode, node, function=self._proxy)
                except (DecodeError, RecursionError, MemoryError) as exc:
                    out[name] = Unreadable(name, t("grade.answer_unreadable", name=name, why=str(exc)[:300]))
        cells = [c for c in reply.get("cells") or [] if isinstance(c, dict)]
        return out, cells

    def sync(self, ns: MutableMapping[str, Any], to: int, names: Sequence[str]) -> None:
        """Bind ``names`` in ``ns`` to the submission's values after it ran up to source cell ``to``
        (a name it does not define is removed from ``ns``)."""
        values, _ = self.fetch(to, names)
        self._ns = ns
        for name in names:
            if name in values:
                ns[name] = values[name]
                self._bound.add(name)
            else:
                ns.pop(name, None)

    def _proxy(self, handle: int, name: str) -> RemoteFunction:
        return RemoteFunction(self, handle, name)

    def call(self, handle: int, name: str, args: tuple, kwargs: dict[str, Any]) -> Any:
        """Call the submission's function ``handle`` with data; return its result as data."""
        def handle_of(fn: Any) -> int:
            if isinstance(fn, RemoteFunction) and fn._bridge is self:
                return fn._handle
            raise NotData("function")

        try:
            args_node = on_data_thread(encode, list(args), functions=handle_of)
            kwargs_node = on_data_thread(encode, dict(kwargs), functions=handle_of)
        except NotData as exc:
            raise TypeError(t("grade.call_not_data", name=name, what=exc.what)) from None
        hide = sorted(n for n in self._bound if self._ns is not None and n not in self._ns)
        reply = self.request("call", handle=int(handle), args=args_node, kwargs=kwargs_node, hide=hide)
        if isinstance(reply.get("error"), dict):
            raise _exception(name, reply["error"])
        node = reply.get("value")
        if not isinstance(node, dict):
            raise AnswerNotReadable(t("grade.answer_gone", name=name, why=t("grade.bridge_no_reply")))
        if node.get("t") == "unreadable":
            raise AnswerNotReadable(t("grade.result_not_data", name=name, what=str(node.get("why"))[:200]))
        try:
            return on_data_thread(decode, node, function=self._proxy)
        except (DecodeError, RecursionError, MemoryError) as exc:
            raise AnswerNotReadable(t("grade.result_unreadable", name=name, why=str(exc)[:300])) from None


def from_environment() -> Bridge:
    """The bridge of a graded notebook: socket and log paths from ``QLAB_BRIDGE``/``QLAB_BRIDGE_LOG``."""
    return Bridge(os.environ[ENV_SOCKET], log=os.environ.get(ENV_LOG) or None)
