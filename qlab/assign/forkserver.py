"""Trusted kernels forked from a warm parent: the graded notebooks' kernels without their import cost.

Every submission's tests run in a fresh kernel, never in one that served another student. A fresh
kernel costs about 1.5 s of CPU before the first test: starting ipykernel, then importing what the
set-up cells import (numpy, Qiskit or Cirq, qlab). A grading run therefore starts one **fork
server**: a process that imports all that once, and never runs a cell. For each submission, nbval
starts the ``qlab-trusted`` kernel (a kernelspec whose program is :func:`client`); the client asks
the server, which forks a child that becomes the kernel. The child is a copy of a parent that never
ran anything of any student or test, so nothing can pass from one student's kernel to the next;
it joins the submission's control groups (the client's), gets the client's working folder and
environment, and lives exactly as long as the client (each watches the other through a socket).

Interrupts go as messages (``interrupt_mode: message``), so nbval's time limit reaches the kernel.
``QLAB_FORKSERVER=off`` turns the server off (each kernel then starts from scratch, as before).
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
ENV_SOCKET = "QLAB_FORKSERVER"
ALWAYS = ("ipykernel.kernelapp", "qlab.bridge.trusted", "qlab.bridge.codec", "qlab.bridge.circuits")


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


def _child(conn: socket.socket, request: dict[str, Any]) -> None:
    """In the forked child: become the kernel the client asked for. Never returns."""
    code = 1
    try:
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
            os.dup2(null, fd)
        numpy = sys.modules.get("numpy")
        if numpy is not None:
            numpy.random.seed()  # its own entropy, as a kernel started from scratch would have

        def watch() -> None:  # the client ended (nbval stopped the kernel): end too
            try:
                while conn.recv(64):
                    pass
            finally:
                os._exit(0)

        threading.Thread(target=watch, daemon=True).start()
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
    from ..sandbox.process import exit_with_parent

    exit_with_parent()
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
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        try:
            conn.settimeout(10)
            request = json.loads(_read_line(conn))
            conn.settimeout(None)
        except (OSError, ValueError):
            conn.close()
            continue
        if os.fork() == 0:
            listener.close()
            _child(conn, request)
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


def client(connection_file: str) -> int:
    """Ask the server for a kernel and stay alive as long as it runs."""
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
                return 1
            time.sleep(0.02)
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    request = {"connection_file": os.path.abspath(connection_file), "cwd": os.getcwd(),
               "env": dict(os.environ), "cgroups": _own_cgroups(),
               "memory_kib": 0 if soft == resource.RLIM_INFINITY else soft // 1024}
    conn.sendall(json.dumps(request).encode("utf-8") + b"\n")
    parent = os.getppid()
    conn.settimeout(0.5)
    while True:  # until the kernel ends (EOF), or whoever started this client is gone
        try:
            if not conn.recv(64):
                return 0
        except TimeoutError:
            if os.getppid() != parent:
                return 0
        except OSError:
            return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["serve"]:
        serve(argv[1], argv[2:])
        return 0
    if argv[:1] == ["client"]:
        return client(argv[1])
    print("usage: python -m qlab.assign.forkserver serve SOCKET [MODULE...] | client CONNECTION_FILE",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
