"""Starting, watching and ending the processes of one run (a class being graded, a hackathon scored).

A :class:`Session` starts every process of the run (:meth:`Session.spawn`), each

* in its own process group and session (a terminal's Ctrl-C reaches qlab, not the children),
* under a per-process address-space limit, and in a fresh control group with a memory cap for all
  its processes together and a process cap (where :mod:`~qlab.sandbox.cgroups` works),
* inside the bubblewrap sandbox when given a :class:`~qlab.sandbox.bwrap.Confinement` and the
  machine supports it (see :mod:`~qlab.sandbox.support`).

:meth:`Session.stop` (called on SIGINT/SIGTERM) kills every live process of the run and makes any
later :meth:`~Session.spawn` raise :class:`Stopped`, so nothing starts after the signal. Threads
may spawn concurrently: the check and the start happen under one lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from . import bwrap as _bwrap
from .cgroups import JOIN_FAILED, JOIN_SCRIPT, ULIMIT_FAILED, Cgroup
from .support import SandboxMode, Support, resolve

DEFAULT_MAX_PROCS = 128  # processes (and threads) one sandbox may have at once


class Stopped(RuntimeError):
    """The run was stopped (a signal); nothing new is started."""


@dataclass(frozen=True)
class ResourceLimits:
    """Caps for one group of processes: memory in MiB, number of processes (threads count)."""

    memory_mb: int | None = 3072
    max_procs: int | None = DEFAULT_MAX_PROCS


@dataclass(frozen=True)
class Usage:
    """What the caps did to a finished group: processes the kernel killed for memory, refused forks."""

    oom_kills: int = 0
    hit_process_cap: bool = False
    setup_failed: bool = False  # the process could not join its limits (exit 125/126)


class Running:
    """One started process (and everything it starts); :meth:`close` ends them all."""

    def __init__(self, popen: subprocess.Popen, cgroup: Cgroup | None, session: Session):
        self.popen = popen
        self.cgroup = cgroup
        self.session = session
        self.started = time.monotonic()
        self.usage: Usage | None = None

    @property
    def pid(self) -> int:
        return self.popen.pid

    def poll(self) -> int | None:
        return self.popen.poll()

    def wait(self, timeout: float | None = None) -> int | None:
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        """SIGKILL the process group and every process of the control group."""
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.cgroup is not None:
            self.cgroup.kill_all()

    def close(self) -> Usage:
        """End everything this process started, reap it, remove its control group; say what the caps did."""
        if self.usage is not None:
            return self.usage
        self.kill()
        try:
            self.popen.wait(5)
        except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL does not fail
            pass
        for stream in (self.popen.stdin, self.popen.stdout, self.popen.stderr):
            if stream is not None:
                try:
                    stream.close()
                except OSError:
                    pass
        usage = Usage(setup_failed=self.popen.returncode in (JOIN_FAILED, ULIMIT_FAILED))
        if self.cgroup is not None:
            usage = Usage(self.cgroup.oom_kills(), self.cgroup.hit_process_cap(), usage.setup_failed)
            self.cgroup.close()
        self.session._forget(self)
        self.usage = usage
        return usage


class Session:
    """Every process started for one run; see the module docstring."""

    def __init__(self, mode: SandboxMode | str = SandboxMode.AUTO, *, lang: str | None = None,
                 warn_stream: Any = None):
        self.support: Support = resolve(mode, stream=warn_stream, lang=lang)
        self._lock = threading.Lock()
        self._live: set[Running] = set()
        self.stopped = False

    @property
    def sandboxed(self) -> bool:
        return self.support.bwrap is not None

    def spawn(
        self,
        argv: Sequence[str],
        *,
        limits: ResourceLimits,
        confinement: _bwrap.Confinement | None = None,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        stdin: int | IO[Any] | None = subprocess.DEVNULL,
        stdout: int | IO[Any] | None = subprocess.DEVNULL,
        stderr: int | IO[Any] | None = subprocess.DEVNULL,
    ) -> Running:
        """Start ``argv`` with ``limits``, sandboxed by ``confinement`` when the sandbox works here.

        Without the sandbox ``env`` (or the confinement's environment) and ``cwd`` are used as given.
        Raises :class:`Stopped` after :meth:`stop`.
        """
        inner = list(argv)
        run_env = dict(env) if env is not None else None
        if confinement is not None:
            if self.support.bwrap:
                inner = _bwrap.command(self.support.bwrap, confinement, inner)
                run_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
            else:
                if run_env is None:
                    run_env = dict(confinement.env)
                cwd = cwd or confinement.home
        kib = str(int(limits.memory_mb) * 1024) if limits.memory_mb and sys.platform.startswith("linux") else "0"
        with self._lock:
            if self.stopped:
                raise Stopped
            cgroup = Cgroup.create(limits.memory_mb, limits.max_procs)
            joins = cgroup.procs_files if cgroup is not None else []
            command = ["/bin/sh", "-c", JOIN_SCRIPT, "sh", kib, *joins, "--", *inner]
            try:
                popen = subprocess.Popen(command, env=run_env, cwd=str(cwd) if cwd else None,
                                         stdin=stdin, stdout=stdout, stderr=stderr,
                                         start_new_session=True, close_fds=True)
            except BaseException:
                if cgroup is not None:
                    cgroup.close()
                raise
            running = Running(popen, cgroup, self)
            self._live.add(running)
        return running

    def _forget(self, running: Running) -> None:
        with self._lock:
            self._live.discard(running)

    def stop(self) -> None:
        """Kill every live process of the run; refuse to start new ones from now on."""
        with self._lock:
            self.stopped = True
            live = list(self._live)
        for running in live:
            running.kill()

    def close(self) -> None:
        """End whatever is still running (end of the run)."""
        with self._lock:
            live = list(self._live)
        for running in live:
            running.close()


def exit_with_parent(interval: float = 0.5) -> None:
    """End this process as soon as the process that started it is gone.

    For the grader's own helpers outside the sandbox (the trusted side of a submission, the fork
    server of trusted kernels): when the grading worker that started them is killed, they must not
    live on. (The sandbox needs no such help: bubblewrap's ``--die-with-parent`` ends it.)
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="qlab-parent-watch", daemon=True).start()


def python_command(*args: str | os.PathLike[str]) -> list[str]:
    """``[sys.executable, *args]``: the same Python (and so the same qlab) as the caller."""
    return [sys.executable, *(str(a) for a in args)]
