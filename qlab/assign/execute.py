"""Stages 4 to 6: run the student's side in its sandbox and the graded notebook in a trusted kernel.

Both start at once (their start-up, mostly importing Qiskit or Cirq, overlaps):

* the **student's side**: ``python -m qlab.bridge.student`` in a bubblewrap sandbox with its own
  control group (memory and process caps); it sees the Python environment read-only, a private
  in-memory home, and one read-only folder holding its plan and the socket it talks through;
* the **trusted side**: ``pytest --nbval-lax`` with qlab's recording plugin on the graded notebook
  (:mod:`qlab.assign.split`), in a fresh kernel that only ever receives the student's answers as
  data (:mod:`qlab.bridge.trusted`), under its own memory cap.

The submission's time limit covers both. When it passes, or when the trusted side is done, both
are ended with everything they started; when the student's side ends early (a crash, the memory
cap), the trusted side is told at once, so its remaining tests fail fast with that reason.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..bridge.trusted import ENV_LOG, ENV_SOCKET, EXITED
from ..sandbox import ResourceLimits, Session, Usage, python_command, python_confinement
from . import forkserver
from .model import CellError, Limits, StudentRole
from .split import Split

SOCKET = "bridge.sock"
INSIDE = "/run/qlab"  # where the student's side sees its plan and socket
MAX_SOCKET_PATH = 100  # Unix socket paths are limited to 108 bytes


@dataclass(frozen=True)
class KernelSource:
    """A running fork server for trusted kernels: the environment that makes nbval use it."""

    socket: Path
    env: dict[str, str]


def start_kernels(session: Session, source: Any, folder: Path, limits: Limits) -> KernelSource | None:
    """Start the run's fork server (:mod:`qlab.assign.forkserver`) in ``folder``; None when it is
    switched off. Its pytest runs and kernels are forked for one submission each, never shared."""
    if not forkserver.enabled():
        return None
    sock = folder / "kernels.sock"
    if len(str(sock)) > MAX_SOCKET_PATH:
        sock = Path(tempfile.mkdtemp(prefix="qlab-")) / "kernels.sock"
    spec = forkserver.write_kernelspec(folder / "jupyter")
    session.spawn(python_command("-m", "qlab.assign.forkserver", "serve", str(sock),
                                 *forkserver.preloads(source)),
                  limits=ResourceLimits(limits.memory_mb, None), env=trusted_env(), cwd=folder)
    jupyter_path = os.pathsep.join(p for p in (str(spec), os.environ.get("JUPYTER_PATH", "")) if p)
    return KernelSource(sock, {forkserver.ENV_SOCKET: str(sock), "JUPYTER_PATH": jupyter_path})


@dataclass(frozen=True)
class CellReport:
    """One of the student's cells, as its side reported it."""

    anchor: int
    role: StudentRole | None
    grade_id: str | None
    ok: bool
    error: CellError | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CellReport:
        try:
            role: StudentRole | None = StudentRole(data.get("role"))
        except ValueError:
            role = None
        anchor = data.get("anchor")
        gid = data.get("grade_id")
        return cls(anchor if isinstance(anchor, int) else -1, role, gid if isinstance(gid, str) else None,
                   bool(data.get("ok")), CellError.from_json(data.get("error")))


@dataclass(frozen=True)
class SideOutcome:
    """How one side ended: exit code (None: still running when ended), caps hit, last output."""

    exit_code: int | None  # None: it was still running when it was no longer needed
    usage: Usage
    output: str = ""


@dataclass
class Execution:
    """What running one submission produced, for the scoring stage."""

    items: list[dict[str, Any]]  # nbval items of the graded notebook (qlab.assign.plugin)
    cells: list[CellReport]  # the student's cells
    bridge_down: list[str] = field(default_factory=list)
    stuck: bool = False  # the student's code ignored an interrupt
    timed_out: bool = False
    student: SideOutcome = field(default_factory=lambda: SideOutcome(None, Usage()))
    trusted: SideOutcome = field(default_factory=lambda: SideOutcome(None, Usage()))


class _Tail(threading.Thread):
    """Keeps the last bytes a process writes to a pipe (bounded, whatever it writes)."""

    def __init__(self, stream: IO[bytes] | None, limit: int = 16384):
        super().__init__(daemon=True)
        self.stream, self.limit, self.data = stream, limit, b""
        if stream is not None:
            self.start()

    def run(self) -> None:
        assert self.stream is not None
        try:
            while chunk := self.stream.read1(65536) if hasattr(self.stream, "read1") else self.stream.read(65536):
                self.data = (self.data + chunk)[-self.limit:]
        except (OSError, ValueError):
            pass

    def text(self) -> str:
        if self.is_alive():
            self.join(1)
        return self.data.decode("utf-8", errors="replace")


def _control_folder(work: Path) -> tuple[Path, bool]:
    """The folder holding the plan and the socket (short enough for a socket path); True if temporary."""
    ctl = work / "ctl"
    if len(str(ctl / SOCKET)) <= MAX_SOCKET_PATH:
        ctl.mkdir(mode=0o700)
        return ctl, False
    return Path(tempfile.mkdtemp(prefix="qlab-")), True


def trusted_command(results: Path, notebook: Path, limits: Limits, *, forked: bool) -> list[str]:
    """The pytest command that runs the graded notebook (one nbval item per cell): forked, with its
    kernel, from the warm fork server (:mod:`qlab.assign.forkserver`), or started from scratch."""
    kernel = ["--nbval-kernel-name", forkserver.KERNEL_NAME] if forked else ["--nbval-current-env"]
    args = [
        "-p", "qlab.assign.plugin", "-p", "nbval.plugin", "--nbval-lax", *kernel,
        "--nbval-cell-timeout", f"{min(limits.cell_timeout, limits.timeout):g}",
        "--qlab-results", str(results), "-q", "--tb=no", "--no-header", "-p", "no:cacheprovider",
        "--assert=plain",  # nothing to rewrite: the tests run in the kernel, not in pytest
        notebook.name,
    ]
    if forked:
        return python_command("-m", "qlab.assign.forkserver", "pytest", *args)
    return python_command("-m", "pytest", *args)


def trusted_env(**extra: str) -> dict[str, str]:
    """The environment of the trusted side (the grader's own, plus fixed numerics and no display)."""
    env = dict(os.environ)
    env.update({
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1", "PYTHONHASHSEED": "0", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1", **extra,
    })
    return env


def _read_log(path: Path) -> tuple[list[CellReport], list[str], bool]:
    cells: list[CellReport] = []
    down: list[str] = []
    stuck = False
    if not path.exists():
        return cells, down, stuck
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict):
            continue
        if entry.get("event") == "cell":
            cells.append(CellReport.from_json(entry))
        elif entry.get("event") == "bridge_down":
            down.append(str(entry.get("why", ""))[:500])
            stuck = stuck or bool(entry.get("stuck"))
    return cells, down, stuck


def _read_items(path: Path) -> list[dict[str, Any]]:
    try:
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def execute(split: Split, *, student_id: str, limits: Limits, session: Session, work: Path,
            lang: str | None = None, keep: bool = False, kernels: KernelSource | None = None) -> Execution:
    """Run one submission's two sides (see the module docstring); ``work`` is a new, empty folder.
    ``kernels``: the run's fork server for trusted kernels (None: each kernel from scratch)."""
    work.mkdir(mode=0o700, parents=True)
    ctl, ctl_temporary = _control_folder(work)
    trusted_dir = work / "trusted"
    trusted_dir.mkdir(mode=0o700)
    from .nbio import write_notebook

    notebook = trusted_dir / "graded.ipynb"
    write_notebook(split.graded, notebook)
    (trusted_dir / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    results, log = trusted_dir / "results.json", trusted_dir / "cells.jsonl"

    qlab_env = {"QLAB_GRADING": "1", "QLAB_STUDENT_ID": student_id, **({"QLAB_LANG": lang} if lang else {})}
    caps = ResourceLimits(limits.memory_mb, limits.max_procs)
    if session.sandboxed:
        plan_path, socket_inside = f"{INSIDE}/plan.json", f"{INSIDE}/{SOCKET}"
        confinement = python_confinement(env=qlab_env, read_only=((str(ctl), INSIDE),))
    else:
        home = work / "home"
        home.mkdir(mode=0o700)
        plan_path, socket_inside = str(ctl / "plan.json"), str(ctl / SOCKET)
        confinement = python_confinement(home=str(home), env=qlab_env)
    (ctl / "plan.json").write_text(json.dumps(split.plan(socket_inside), ensure_ascii=False), encoding="utf-8")

    env = trusted_env(**qlab_env, **{ENV_SOCKET: str(ctl / SOCKET), ENV_LOG: str(log)},
                      **(kernels.env if kernels else {}))
    started = time.monotonic()
    student = trusted = None
    timed_out = False
    try:
        student = session.spawn(python_command("-m", "qlab.bridge.student", plan_path), limits=caps,
                                confinement=confinement, stderr=subprocess.PIPE)
        student_tail = _Tail(student.popen.stderr)
        trusted = session.spawn(trusted_command(results, notebook, limits, forked=kernels is not None),
                                limits=caps, env=env,
                                cwd=trusted_dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        trusted_tail = _Tail(trusted.popen.stdout)
        told = False
        deadline = started + limits.timeout
        while trusted.poll() is None:
            if not told and student.poll() is not None:
                told = True
                (ctl / EXITED).write_text(f"exit code {student.poll()}", encoding="utf-8")
            if time.monotonic() > deadline:
                timed_out = not session.stopped
                break
            time.sleep(0.02)
        trusted_usage = trusted.close()
        student_exit = student.poll() if told else None  # ended while it was still needed
        student_usage = student.close()
        cells, down, stuck = _read_log(log)
        return Execution(
            items=_read_items(results), cells=cells, bridge_down=down, stuck=stuck, timed_out=timed_out,
            student=SideOutcome(student_exit, student_usage, student_tail.text()),
            trusted=SideOutcome(trusted.popen.returncode, trusted_usage, trusted_tail.text()),
        )
    finally:
        for side in (trusted, student):
            if side is not None:
                side.close()
        if ctl_temporary:
            shutil.rmtree(ctl, ignore_errors=True)
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
