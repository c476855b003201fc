"""Trusted processes forked from a warm parent: the graded notebooks' runners and kernels without
their import cost.

Every submission's tests run in a fresh kernel, never in one that served another student, driven by
a fresh ``pytest --nbval-lax`` run. Started from scratch, each costs well over a second of CPU
before the first test: pytest with nbval and jupyter_client, then ipykernel and what the set-up
cells import (numpy, Qiskit or Cirq, qlab). A grading run therefore starts one **fork server**: a
process that imports all that once, and never runs a cell or a test. For each submission

* the grader starts ``python -m qlab.assign.forkserver pytest ARGS...`` (a small client) in the
  submission's limits; the server forks a child that runs ``pytest.main(ARGS)`` with the client's
  output streams (passed over the socket), working folder and environment, and reports its exit
  code back;
* nbval, in that child, starts the ``qlab-trusted`` kernel (a kernelspec whose program is
  :func:`client`); the server forks a child that becomes the kernel.

Each child is a copy of a parent that never ran anything of any student or test, so nothing can
pass from one student's tests to the next; it joins the client's control groups (its memory and
process caps), takes its address-space limit, and lives exactly as long as the client (each
watches the other through the socket). No student code ever runs in these processes: the
student's side is the sandboxed :mod:`qlab.bridge.student`.

Interrupts go as messages (``interrupt_mode: message``), so nbval's time limit reaches the kernel.
``QLAB_FORKSERVER=off`` turns the server off (pytest and each kernel then start from scratch).
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

KERNEL_NAME = "qlab-trusted"
MAX_STREAMS = 2  # a client passes its stdout and stderr (pytest) or nothing (a kernel)
ENV_SOCKET = "QLAB_FORKSERVER"
# imported by the server before the set-up cells' modules; qlab's pytest plugin comes first (it keeps
# jsonschema from building a grammar nbformat never uses); ipykernel's debugger (debugpy) is what a
# kernel would otherwise import first thing (importing it starts no thread)
ALWAYS = ("qlab.assign.plugin", "pytest", "nbval.plugin", "jupyter_client", "ipykernel.kernelapp",
          "ipykernel.ipkernel", "ipykernel.debugger", "qlab.bridge.trusted", "qlab.bridge.codec",
          "qlab.bridge.circuits")


def enabled() -> bool:
    return os.environ.get(ENV_SOCKET, "").lower() not in ("off", "0", "no")


def write_kernelspec(folder: Path) -> Path:
    """A Jupyter data folder (for ``JUPYTER_PATH``) holding the ``qlab-trusted`` kernelspec."""
    spec = folder / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "qlab.assign.forkserver", "client", "{connection_file}"],
        "display_name": "Python (qlab, trusted)", "language": "python", "interrupt_mode": "message",
    }), encoding="utf-8")
    return folder


def preloads(source: Any) -> list[str]:
    """The modules the source's set-up cells import (only their names are read here)."""
    import ast

    from .cells import cell_info, source_text
    from .model import Role

    names: set[str] = set()
    for cell in source.cells:
        if cell.get("cell_type") != "code" or cell_info(cell).role not in (Role.LOCKED, Role.PLAIN):
            continue
        try:
            tree = ast.parse(source_text(cell))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
    return sorted(names)


# ---- the server ------------------------------------------------------------------------------------


def _become(conn: socket.socket, request: dict[str, Any], streams: list[int]) -> None:
    """In a forked child: take the client's limits, folder, environment and output streams, and
    end when the client does."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # ipykernel interrupts its own process group: never the server's
    for procs in request.get("cgroups", []):
        try:
            Path(procs).write_text(str(os.getpid()))
        except OSError:
            pass
    kib = int(request.get("memory_kib") or 0)
    if kib:
        resource.setrlimit(resource.RLIMIT_AS, (kib * 1024, kib * 1024))
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update({k: v for k, v in request["env"].items() if k != "JPY_PARENT_PID"})
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(streams[fd - 1] if 0 < fd <= len(streams) else null, fd)
    for fd in (null, *streams):
        if fd > 2:
            os.close(fd)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()  # its own entropy, as a process started from scratch would have

    def watch() -> None:  # the client ended (nbval stopped the kernel, the grader the run): end too
        try:
            while conn.recv(64):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _child(conn: socket.socket, request: dict[str, Any], streams: list[int]) -> None:
    """In the forked child: become the kernel or run the pytest the client asked for. Never returns."""
    code = 1
    try:
        _become(conn, request, streams)
        if request.get("kind") == "pytest":
            import pytest

            code = int(pytest.main([str(a) for a in request["argv"]]))
            sys.stdout.flush()
            sys.stderr.flush()
            conn.sendall(json.dumps({"exit": code}).encode("utf-8") + b"\n")
            return
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(["-f", request["connection_file"]])
        app.start()
        code = 0
    finally:
        os._exit(code)


def serve(path: str, modules: list[str]) -> None:
    """Import ``modules`` once, then fork a kernel for every client that connects; end when the
    grading process that started the server is gone (its kernels end with their clients)."""
    parent = os.getppid()  # checked in the loop, not by a thread: a forking process keeps none
    for name in (*ALWAYS, *modules):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module the kernel will import (and fail on) itself
            pass
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    listener.settimeout(0.5)
    while True:
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        if os.getppid() != parent:
            return
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        streams: list[int] = []
        try:
            conn.settimeout(10)
            _, streams, _, _ = socket.recv_fds(conn, 1, MAX_STREAMS)
            request = json.loads(_read_line(conn))
            conn.settimeout(None)
        except (OSError, ValueError):
            for fd in streams:
                os.close(fd)
            conn.close()
            continue
        if os.fork() == 0:
            listener.close()
            _child(conn, request, streams)
        for fd in streams:
            os.close(fd)
        conn.close()


def _read_line(conn: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8")


# ---- the client (what nbval starts as the kernel) ------------------------------------------------


def _own_cgroups() -> list[str]:
    from ..sandbox.cgroups import own_procs_files

    return own_procs_files()


def _ask(request: dict[str, Any], streams: list[int]) -> socket.socket:
    """Connect to the server and send a request (with ``streams``, file descriptors, alongside)."""
    path = os.environ[ENV_SOCKET]
    deadline = time.monotonic() + 120
    while True:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(path)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            conn.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    request = {**request, "cwd": os.getcwd(), "env": dict(os.environ), "cgroups": _own_cgroups(),
               "memory_kib": 0 if soft == resource.RLIM_INFINITY else soft // 1024}
    socket.send_fds(conn, [b"q"], streams)
    conn.sendall(json.dumps(request).encode("utf-8") + b"\n")
    return conn


def _wait(conn: socket.socket) -> int | None:
    """Stay alive while the child runs (until EOF, or whoever started this client is gone); the
    exit code the child reported (None: it reported none)."""
    parent = os.getppid()
    conn.settimeout(0.5)
    data = b""
    while True:
        try:
            chunk = conn.recv(4096)
        except TimeoutError:
            if os.getppid() != parent:
                return None
            continue
        except OSError:
            chunk = b""
        if not chunk:
            break
        data += chunk
    try:
        return int(json.loads(data.splitlines()[0])["exit"])
    except (ValueError, KeyError, TypeError, IndexError):
        return None


def client(connection_file: str) -> int:
    """Ask the server for a kernel and stay alive as long as it runs."""
    try:
        conn = _ask({"kind": "kernel", "connection_file": os.path.abspath(connection_file)}, [])
    except OSError:
        return 1
    _wait(conn)
    return 0


def run_pytest(args: list[str]) -> int:
    """``pytest ARGS`` in a child of the server, writing to this process's stdout and stderr; its
    exit code (1 when the server is unreachable or the child ended without one)."""
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        conn = _ask({"kind": "pytest", "argv": args}, [1, 2])
    except OSError as exc:
        print(f"qlab fork server unreachable: {exc}", file=sys.stderr)
        return 1
    code = _wait(conn)
    return 1 if code is None else code


def main(argv: list[str]) -> int:
    if argv[:1] == ["serve"]:
        serve(argv[1], argv[2:])
        return 0
    if argv[:1] == ["client"]:
        return client(argv[1])
    if argv[:1] == ["pytest"]:
        return run_pytest(argv[1:])
    print("usage: python -m qlab.assign.forkserver serve SOCKET [MODULE...] | client CONNECTION_FILE"
          " | pytest ARGS...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
