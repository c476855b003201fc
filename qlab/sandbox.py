"""Run untrusted work (a student's notebook, a team's submission) in a child process with limits.

The grader and the hackathon scorer both run code they did not write. :func:`run_limited` starts a
command in its own process group with

* a wall-clock time limit (the whole group is killed when it passes), and
* a memory limit (``RLIMIT_AS`` on Linux: an allocation past it fails inside the child with a
  ``MemoryError``, not by taking the machine down),

and reports what happened in a :class:`LimitedResult`, so one bad submission never stops the others.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MEMORY_ERROR_MARKERS = ("MemoryError", "std::bad_alloc", "Cannot allocate memory", "out of memory")


@dataclass(frozen=True)
class LimitedResult:
    """What a limited run did: its exit code, output, time, and which limit (if any) stopped it."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool
    memory_exceeded: bool

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and not self.memory_exceeded


def _limit_memory(memory_mb: int | None):
    def apply() -> None:  # runs in the child, before exec
        os.setsid()
        if memory_mb and sys.platform.startswith("linux"):
            import resource

            limit = int(memory_mb) * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_limited(
    command: Sequence[str],
    *,
    timeout: float | None = 120.0,
    memory_mb: int | None = 2048,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    stdin_text: str | None = None,
) -> LimitedResult:
    """Run ``command`` with a time limit (seconds) and a memory limit (MiB of address space).

    ``memory_mb`` counts virtual address space, which for Python with numpy and qiskit loaded is
    several hundred MiB before any work is done: give at least 1500 to a process that imports them.
    """
    start = time.monotonic()
    full_env = dict(os.environ if env is None else env)
    proc = subprocess.Popen(
        list(command),
        cwd=str(cwd) if cwd else None,
        env=full_env,
        stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        preexec_fn=_limit_memory(memory_mb),  # noqa: PLW1509 - needed for setsid and rlimit
    )
    timed_out = False
    try:
        out, err = proc.communicate(stdin_text, timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc.pid)
        out, err = proc.communicate()
    finally:
        _kill_group(proc.pid)  # leave no grandchildren (kernels) behind
    seconds = time.monotonic() - start
    memory_exceeded = (not timed_out) and proc.returncode != 0 and any(
        m in (err or "") or m in (out or "") for m in MEMORY_ERROR_MARKERS
    )
    return LimitedResult(proc.returncode, out or "", err or "", seconds, timed_out, memory_exceeded)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def python_command(*args: str | Path) -> list[str]:
    """``[sys.executable, *args]``: run with the same Python (and so the same qlab) as the caller."""
    return [sys.executable, *(str(a) for a in args)]
