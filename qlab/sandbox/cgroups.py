"""Memory and process caps for a whole group of processes: one Linux control group per run.

A per-process limit (``RLIMIT_AS``) lets a submission start ten processes of 3 GiB each; a control
group counts all of them together. :func:`support` finds out, once, whether this process may create
control groups:

* **cgroup v1** (``memory`` and ``pids`` controllers mounted separately, as on this kind of lab
  server): a child group is made under our own group of each controller, with
  ``memory.limit_in_bytes`` (and ``memory.memsw.limit_in_bytes`` where swap is accounted) and
  ``pids.max``;
* **cgroup v2** (one unified tree): only where ``memory`` and ``pids`` are already delegated to our
  group's children (``cgroup.subtree_control``); qlab never turns controllers on itself, since that
  would move its own process around.

Where neither works (no permission, a container without the controllers, macOS) :func:`support`
says why, and callers fall back to per-process limits and say so (:mod:`qlab.sandbox.support`).

A process joins its group itself, before it runs anything (:data:`JOIN_SCRIPT` is a tiny shell
trampoline), so nothing it forks can start outside the group.
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

# run as: /bin/sh -c JOIN_SCRIPT sh KIB PROCS_FILE... -- COMMAND...
# sets the address-space limit (0 = none), joins every control group listed, then becomes COMMAND
JOIN_SCRIPT = (
    'lim=$1; shift; [ "$lim" = 0 ] || ulimit -v "$lim" || exit 126; '
    'while [ "$1" != "--" ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"'
)
JOIN_FAILED = 125
ULIMIT_FAILED = 126


@dataclass(frozen=True)
class CgroupSupport:
    """Whether (and how) this process can cap groups of processes."""

    version: int | None  # 1, 2, or None when unavailable
    memory_parent: Path | None = None
    pids_parent: Path | None = None
    reason: str = ""

    @property
    def available(self) -> bool:
        return self.version is not None


def _own_groups() -> dict[str, str]:
    """``controller -> path`` of this process's groups (``""`` is the v2 unified group)."""
    out: dict[str, str] = {}
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        for c in controllers.split(",") if controllers else [""]:
            out[c] = path
    return out


def _mounts() -> dict[str, Path]:
    """``controller -> mount point`` of cgroup file systems (``""`` for cgroup2)."""
    out: dict[str, Path] = {}
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return out
    for line in lines:
        left, _, right = line.partition(" - ")
        fields, rest = left.split(), right.split()
        if len(fields) < 5 or len(rest) < 3:
            continue
        fstype, options = rest[0], rest[2].split(",")
        if fstype == "cgroup":
            for c in ("memory", "pids"):
                if c in options:
                    out.setdefault(c, Path(fields[4]))
        elif fstype == "cgroup2":
            out.setdefault("", Path(fields[4]))
    return out


def _writable(folder: Path) -> bool:
    probe = folder / f"qlab-probe-{uuid.uuid4().hex[:8]}"
    try:
        probe.mkdir()
    except OSError:
        return False
    try:
        probe.rmdir()
    except OSError:
        pass
    return True


@cache
def support() -> CgroupSupport:
    """Find (once per process) where qlab may create its control groups."""
    if not Path("/proc/self/cgroup").exists():
        return CgroupSupport(None, reason="no Linux control groups on this system")
    groups, mounts = _own_groups(), _mounts()
    if "memory" in mounts and "pids" in mounts and "memory" in groups and "pids" in groups:
        mem = mounts["memory"] / groups["memory"].lstrip("/")
        pids = mounts["pids"] / groups["pids"].lstrip("/")
        if _writable(mem) and _writable(pids):
            return CgroupSupport(1, mem, pids)
        return CgroupSupport(None, reason=f"cgroup v1 groups {mem} and {pids} are not writable")
    if "" in mounts and "" in groups:
        own = mounts[""] / groups[""].lstrip("/")
        try:
            delegated = set((own / "cgroup.subtree_control").read_text().split())
        except OSError:
            delegated = set()
        if {"memory", "pids"} <= delegated and _writable(own):
            return CgroupSupport(2, own, own)
        return CgroupSupport(None, reason=f"memory and pids are not delegated to {own}")
    return CgroupSupport(None, reason="the memory and pids controllers are not mounted")


_swept: list[bool] = []


def sweep_orphans(sup: CgroupSupport) -> int:
    """Remove the groups of grading processes that are gone (a grading worker killed with
    everything it ran): kill what is left in each, then remove it. Groups are named
    ``qlab-<pid of the process that made them>-...``; only those whose maker is dead are touched.
    Returns how many were removed."""
    removed = 0
    for parent in {p for p in (sup.memory_parent, sup.pids_parent) if p is not None}:
        try:
            found = list(parent.glob("qlab-*-*"))
        except OSError:
            continue
        for folder in found:
            try:
                maker = int(folder.name.split("-")[1])
            except (IndexError, ValueError):
                continue
            if maker == os.getpid() or Path(f"/proc/{maker}").exists():
                continue
            stale = Cgroup(sup, [folder])
            stale.close()
            removed += not folder.exists()
    return removed


@dataclass
class Cgroup:
    """One group of processes with a memory cap and a process cap; :meth:`close` removes it."""

    support: CgroupSupport
    dirs: list[Path] = field(default_factory=list)

    @classmethod
    def create(cls, memory_mb: int | None, max_procs: int | None) -> Cgroup | None:
        """A new group, or ``None`` where groups are not available."""
        sup = support()
        if not sup.available:
            return None
        if not _swept:
            _swept.append(True)
            sweep_orphans(sup)
        name = f"qlab-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        group = cls(sup)
        try:
            if sup.version == 1:
                assert sup.memory_parent and sup.pids_parent
                mem, pids = sup.memory_parent / name, sup.pids_parent / name
                mem.mkdir()
                group.dirs.append(mem)
                pids.mkdir()
                group.dirs.append(pids)
                if memory_mb:
                    limit = str(int(memory_mb) * 2**20)
                    (mem / "memory.limit_in_bytes").write_text(limit)
                    swap = mem / "memory.memsw.limit_in_bytes"
                    if swap.exists():
                        swap.write_text(limit)  # no extra room in swap
                if max_procs:
                    (pids / "pids.max").write_text(str(int(max_procs)))
            else:
                assert sup.memory_parent
                own = sup.memory_parent / name
                own.mkdir()
                group.dirs.append(own)
                if memory_mb:
                    (own / "memory.max").write_text(str(int(memory_mb) * 2**20))
                    swap = own / "memory.swap.max"
                    if swap.exists():
                        swap.write_text("0")
                if max_procs:
                    (own / "pids.max").write_text(str(int(max_procs)))
        except OSError:
            group.close()
            return None
        return group

    @property
    def procs_files(self) -> list[str]:
        """The files a process writes its pid to, to join the group."""
        return [str(d / "cgroup.procs") for d in self.dirs]

    def pids(self) -> set[int]:
        out: set[int] = set()
        for d in self.dirs:
            try:
                out.update(int(x) for x in (d / "cgroup.procs").read_text().split())
            except (OSError, ValueError):
                pass
        return out

    def oom_kills(self) -> int:
        """How many processes of the group the kernel killed for passing the memory cap."""
        for d in self.dirs:
            for name, key in (("memory.oom_control", "oom_kill"), ("memory.events", "oom_kill")):
                try:
                    for line in (d / name).read_text().splitlines():
                        k, _, v = line.partition(" ")
                        if k == key:
                            return int(v)
                except (OSError, ValueError):
                    continue
        return 0

    def hit_process_cap(self) -> bool:
        """True when a fork was refused because the group had as many processes as allowed."""
        for d in self.dirs:
            try:
                for line in (d / "pids.events").read_text().splitlines():
                    k, _, v = line.partition(" ")
                    if k == "max" and int(v) > 0:
                        return True
            except (OSError, ValueError):
                continue
        return False

    def kill_all(self, *, wait: float = 2.0) -> bool:
        """SIGKILL every process of the group until none is left (or ``wait`` seconds pass)."""
        deadline = time.monotonic() + wait
        while True:
            left = self.pids()
            if not left:
                return True
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)

    def close(self) -> None:
        """Kill what is left and remove the group's folders."""
        self.kill_all()
        for d in reversed(self.dirs):
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # the last processes are still being reaped
                    time.sleep(0.02)
        self.dirs = []


def own_procs_files() -> list[str]:
    """The ``cgroup.procs`` files of this process's memory and pids groups (for a process that is
    forked elsewhere but must count against this process's caps), where they can be written."""
    groups, mounts = _own_groups(), _mounts()
    out = []
    v1 = "memory" in mounts or "pids" in mounts
    for controller in ("memory", "pids") if v1 else ("",):
        if controller in groups and controller in mounts:
            procs = mounts[controller] / groups[controller].lstrip("/") / "cgroup.procs"
            if procs.exists() and os.access(procs, os.W_OK):
                out.append(str(procs))
    return out
