"""The submission's side of the bridge: runs in the sandbox, never sees a test, answers with data.

    python -m qlab.bridge.student PLAN.json

``PLAN.json`` (written by the grader, read-only here)::

    {"socket": "/run/qlab/bridge.sock",          # where the trusted side listens
     "cells": [{"anchor": 3, "role": "answer", "grade_id": "bell-circuit", "source": "..."}, ...],
     "eager": 3,                                   # run cells with anchor < eager right away
     "module": null}                               # or {"path": ".../submission.py"} for a kit

For a notebook, the cells are the source's set-up cells and the student's answer cells and own
cells, in notebook order (never a test cell); they run in an IPython shell, as in Jupyter. For a
hackathon team, the module is imported instead. Then this process serves requests, one at a time:

``advance {to}``        run every cell whose anchor is below ``to``; report each cell's outcome
``get {names}``         the values of these global names, encoded (:mod:`qlab.bridge.codec`)
``call {handle, args, hide}`` call a function handed out earlier, return its result encoded
                        (the global names in ``hide``, which the test deleted on its side, are
                        removed while it runs and put back afterwards)
``interrupt``           (read by a second thread) stop the request in progress, like Ctrl-C

Nothing here is trusted by the other side: whatever this process says is read as data, so a
submission that rewrites this module in memory can change only which answer it hands over.
"""

from __future__ import annotations

import json
import linecache
import os
import queue
import signal
import socket
import sys
import threading
import time
import traceback
from typing import Any

from . import wire
from .codec import NotData, decode, encode

MAX_VALUE_BYTES = 64 * 2**20
SUBMISSION_FILE = ""  # a hackathon team's module file, once imported
CONNECT_FOR = 3600.0  # seconds to keep trying to reach the trusted side


def _error(exc: BaseException) -> dict[str, Any]:
    """An exception as data: its name, message and the line of the submission that raised it."""
    line, number = "", None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        name = frame.f_code.co_filename
        if name.startswith("<") or "ipython-input" in name or name == SUBMISSION_FILE:
            text = linecache.getline(name, lineno).strip()
            if text:
                line, number = text, lineno
    try:
        message = str(exc)
    except Exception:  # noqa: BLE001 - an exception whose str() itself raises
        message = ""
    return {"ename": type(exc).__name__[:100], "evalue": message[:2000], "line": line[:300],
            "lineno": number, "interrupted": isinstance(exc, KeyboardInterrupt)}


class AnswerKernel:
    """Runs the submission's code and hands out its values as data."""

    def __init__(self, plan: dict[str, Any]):
        self.cells: list[dict[str, Any]] = list(plan.get("cells") or [])
        self.module: dict[str, Any] | None = plan.get("module")
        self.next = 0
        self.pending: list[dict[str, Any]] = []  # reports not yet sent
        self.handles: dict[int, Any] = {}
        self._ids: dict[int, int] = {}
        self._shell: Any = None
        self._namespace: dict[str, Any] | None = None
        self.interrupted = False  # set by the reader thread: stop before the next cell

    # -- running code

    @property
    def namespace(self) -> dict[str, Any]:
        if self._namespace is None:
            if self.module is not None:
                self._namespace = {}
            else:
                self._namespace = self.shell.user_ns
        return self._namespace

    @property
    def shell(self) -> Any:
        if self._shell is None:
            from IPython.core.interactiveshell import InteractiveShell
            from traitlets.config import Config

            config = Config()
            config.HistoryManager.enabled = False
            self._shell = InteractiveShell.instance(config=config)
        return self._shell

    def _run_cell(self, cell: dict[str, Any]) -> dict[str, Any]:
        started = time.monotonic()
        report = {"anchor": cell.get("anchor"), "role": cell.get("role"),
                  "grade_id": cell.get("grade_id"), "ok": True, "error": None}
        result = self.shell.run_cell(str(cell.get("source", "")), store_history=False)
        exc = result.error_before_exec or result.error_in_exec
        if exc is not None:
            report["ok"] = False
            report["error"] = _error(exc)
        report["seconds"] = round(time.monotonic() - started, 3)
        return report

    def _import_module(self) -> dict[str, Any]:
        import importlib.util

        global SUBMISSION_FILE
        assert self.module is not None
        path = str(self.module["path"])
        SUBMISSION_FILE = path
        report = {"anchor": 0, "role": "module", "grade_id": None, "ok": True, "error": None}
        started = time.monotonic()
        sys.path.insert(0, os.path.dirname(path))
        try:
            spec = importlib.util.spec_from_file_location("submission", path)
            assert spec is not None and spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules["submission"] = module
            self._namespace = module.__dict__
            spec.loader.exec_module(module)
        except BaseException as exc:  # noqa: BLE001 - whatever the team's module raises is reported
            report["ok"] = False
            report["error"] = _error(exc)
        report["seconds"] = round(time.monotonic() - started, 3)
        return report

    def run_until(self, anchor: int) -> None:
        """Run every cell with an anchor below ``anchor`` that has not run yet."""
        if self.module is not None:
            if self.next == 0 and anchor > 0:
                self.next = 1
                self.pending.append(self._import_module())
            return
        while (self.next < len(self.cells) and int(self.cells[self.next].get("anchor", 0)) < anchor
               and not self.interrupted):
            cell = self.cells[self.next]
            self.next += 1
            self.pending.append(self._run_cell(cell))

    # -- handing out values

    def _handle(self, fn: Any) -> int:
        key = id(fn)
        if key not in self._ids:
            self._ids[key] = len(self.handles) + 1
            self.handles[self._ids[key]] = fn
        return self._ids[key]

    def _encode(self, name: str, value: Any) -> dict[str, Any]:
        try:
            node = encode(value, functions=self._handle)
        except NotData as exc:
            return {"t": "unreadable", "name": name, "why": exc.what}
        except RecursionError:
            return {"t": "unreadable", "name": name, "why": "a value nested too deeply"}
        except Exception as exc:  # noqa: BLE001 - a value whose own methods raise while read
            return {"t": "unreadable", "name": name, "why": f"{type(exc).__name__}: {str(exc)[:200]}"}
        if len(json.dumps(node)) > MAX_VALUE_BYTES:
            return {"t": "unreadable", "name": name, "why": f"larger than {MAX_VALUE_BYTES // 2**20} MiB"}
        return node

    def get(self, names: list[str]) -> dict[str, Any]:
        ns = self.namespace
        return {name: (self._encode(name, ns[name]) if name in ns else {"t": "missing"})
                for name in names if isinstance(name, str)}

    def call(self, handle: int, args: Any, kwargs: Any, hide: Any = ()) -> dict[str, Any]:
        ns = self.namespace
        hidden = {n: ns.pop(n) for n in (hide if isinstance(hide, list) else ()) if isinstance(n, str) and n in ns}
        try:
            return self._call(handle, args, kwargs)
        finally:
            ns.update(hidden)

    def _call(self, handle: int, args: Any, kwargs: Any) -> dict[str, Any]:
        fn = self.handles.get(handle)
        if fn is None:
            return {"error": {"ename": "LookupError", "evalue": "no such function", "line": ""}}
        def lookup(h: int, _name: str) -> Any:
            return self.handles[h]

        try:
            pos = decode(args, function=lookup)
            named = decode(kwargs, function=lookup)
        except Exception as exc:  # noqa: BLE001 - the trusted side sent something odd
            return {"error": _error(exc)}
        try:
            value = fn(*pos, **named)
        except BaseException as exc:  # noqa: BLE001 - reported to the test, as the function's error
            return {"error": _error(exc)}
        return {"value": self._encode(getattr(fn, "__name__", "result"), value)}

    # -- one request

    def handle(self, message: dict[str, Any]) -> dict[str, Any]:
        op = message.get("op")
        reply: dict[str, Any] = {"id": message.get("id")}
        if op == "advance":
            self.run_until(int(message.get("to", 0)))
        elif op == "get":
            self.run_until(int(message.get("to", 0)))
            reply["values"] = self.get(list(message.get("names") or []))
        elif op == "call":
            reply.update(self.call(int(message.get("handle", 0)), message.get("args"),
                                   message.get("kwargs"), message.get("hide") or []))
        else:
            reply["error"] = {"ename": "ValueError", "evalue": f"unknown request {op!r}", "line": ""}
        reply["cells"], self.pending = self.pending, []
        return reply


class _State:
    """What the reader thread must know to route an interrupt (read and written under ``lock``)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.busy = False
        self.current: Any = None  # the id of the request being served
        self.early: set[Any] = set()  # ids interrupted before they were served (still in the inbox)


def _later(rid: Any, current: Any) -> bool:
    """Is request ``rid`` newer than the one being served (ids count up from 1)?"""
    return isinstance(rid, int) and isinstance(current, int) and rid > current


def _connect(path: str) -> socket.socket:
    deadline = time.monotonic() + CONNECT_FOR
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            return sock
        except (FileNotFoundError, ConnectionRefusedError):
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def main(argv: list[str]) -> int:
    with open(argv[0], encoding="utf-8") as fh:
        plan = json.load(fh)
    kernel = AnswerKernel(plan)
    state = _State()
    inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
    main_thread = threading.main_thread().ident
    holder: dict[str, socket.socket] = {}
    ready = threading.Event()

    def on_sigint(signum: int, frame: Any) -> None:
        if state.busy:
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_sigint)

    def reader() -> None:
        try:
            sock = _connect(str(plan["socket"]))
            holder["sock"] = sock
            ready.set()
            while True:
                message = wire.receive(sock)
                if message.get("op") == "interrupt":
                    rid = message.get("id")
                    with state.lock:
                        served = state.current is not None and rid == state.current
                        if not served and (state.current is None or _later(rid, state.current)):
                            state.early.add(rid)  # not started yet: answered as interrupted at once
                        if (served or state.current is None) and state.busy:
                            kernel.interrupted = True  # the request, or the eager cells ahead of it
                            if main_thread is not None:
                                signal.pthread_kill(main_thread, signal.SIGINT)
                    continue
                inbox.put(message)
        except (OSError, wire.ProtocolError):
            pass
        finally:
            ready.set()
            inbox.put(None)

    threading.Thread(target=reader, name="qlab-bridge-reader", daemon=True).start()
    try:
        state.busy = True
        kernel.run_until(int(plan.get("eager", 0)))
    except KeyboardInterrupt:
        pass
    finally:
        state.busy = False
    ready.wait()
    while True:
        try:
            message = inbox.get()
        except KeyboardInterrupt:
            continue
        if message is None:
            return 0
        try:
            with state.lock:
                kernel.interrupted = False
                state.current = message.get("id")
                state.busy = True
                early = state.current in state.early
                state.early.discard(state.current)
            if early:
                raise KeyboardInterrupt
            reply = kernel.handle(message)
        except KeyboardInterrupt as exc:
            reply = {"id": message.get("id"), "error": _error(exc), "cells": kernel.pending}
            kernel.pending = []
        except Exception as exc:  # noqa: BLE001 - a request that broke this side: say so, go on
            reply = {"id": message.get("id"), "error": _error(exc), "cells": kernel.pending}
            kernel.pending = []
        finally:
            state.busy = False
        try:
            wire.send(holder["sock"], reply)
        except (OSError, wire.ProtocolError, ValueError):
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
