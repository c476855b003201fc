"""The bubblewrap command line for one sandbox: what a submission's processes can see and do.

`bubblewrap <https://github.com/containers/bubblewrap>`_ (``bwrap``, Debian's ``bubblewrap``) is the
sandbox Flatpak uses: it needs no daemon and no image, starts in milliseconds and works for an
ordinary user where unprivileged user namespaces are on (the default on Debian 12 and Ubuntu). One
call gives a process

* a new **file system view**: the system libraries, the Python environment and qlab itself
  read-only; a private, size-limited ``/tmp`` and home folder (its work folder, in memory);
  nothing else of the host: no home folders, no other submissions, no source notebook, no
  gradebook;
* its own **PID namespace** (it sees and signals only its own processes; when its first process
  ends, every process it started ends too), **network namespace** (loopback only), IPC and UTS
  namespaces, and a **user namespace** in which it is ``nobody`` with no capabilities and cannot
  make further namespaces;
* a **new session** (no access to the grader's terminal), a **clean environment** (only the
  variables qlab sets: no tokens or paths of the grader leak in), and death with its parent.

:func:`command` builds the argument list from a :class:`Confinement`; nothing here runs a process.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SANDBOX_UID = 65534  # nobody
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# what Python, numpy and matplotlib read from /etc; never all of it (e.g. /etc/shadow)
ETC_ENTRIES = (
    "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "fonts", "localtime",
    "passwd", "group", "nsswitch.conf", "mime.types", "os-release",
)


@dataclass(frozen=True)
class Confinement:
    """What one sandbox can see.

    ``home`` (also the working folder, ``HOME`` and ``TMPDIR``) and ``/tmp`` are private tmpfs
    file systems of ``tmpfs_mb`` MiB each (their pages count against the memory cap of the
    control group). ``read_only`` and ``writable`` are ``(host path, path inside)`` pairs added on
    top of the Python environment; ``env`` is the whole environment the process gets.
    """

    home: str = "/home/qlab"
    tmpfs_mb: int = 512
    read_only: tuple[tuple[str, str], ...] = ()
    writable: tuple[tuple[str, str], ...] = ()
    env: tuple[tuple[str, str], ...] = field(default_factory=tuple)


def _inside(path: Path, others: Sequence[Path]) -> bool:
    return any(o != path and o in path.parents for o in others)


@cache
def environment_paths() -> tuple[str, ...]:
    """Host folders a Python process of this environment needs, read-only (the fewest covering):
    its prefixes, every ``site-packages`` folder on ``sys.path``, and qlab's package folder."""
    import qlab

    prefixes = (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)
    # each as given (a venv reached through a link: the python the sandbox is told to run is
    # there) and as the folder it really is
    candidates = {Path(p).resolve() for p in prefixes} | {Path(os.path.abspath(p)) for p in prefixes}
    # package folders on sys.path outside those (a path file can add another environment's)
    candidates.update(Path(p).resolve() for p in sys.path
                      if p and Path(p).name in ("site-packages", "dist-packages"))
    # an editable install: qlab's package folder only, never the checkout around it (which holds
    # the instructor's exercises/ with solutions)
    candidates.add(Path(qlab.__file__).resolve().parent)
    real = [p for p in candidates if p.is_dir()]
    kept = sorted(p for p in real if not _inside(p, real) and not str(p).startswith("/usr/"))
    return tuple(str(p) for p in kept if str(p) != "/usr")


def _system_args() -> list[str]:
    args: list[str] = []
    for d in SYSTEM_DIRS:
        p = Path(d)
        if p.is_symlink():
            args += ["--symlink", os.readlink(p), d]
        elif p.is_dir():
            args += ["--ro-bind", d, d]
    for name in ETC_ENTRIES:
        p = Path("/etc") / name
        if p.exists():
            args += ["--ro-bind", str(p), str(p)]
    return args


def command(bwrap: str, confinement: Confinement, argv: Sequence[str]) -> list[str]:
    """The full ``bwrap ... -- argv`` command line for ``confinement``."""
    c = confinement
    size = str(int(c.tmpfs_mb) * 2**20)
    args = [
        bwrap,
        "--unshare-all", "--unshare-user", "--disable-userns",
        "--uid", str(SANDBOX_UID), "--gid", str(SANDBOX_UID),
        "--hostname", "qlab", "--die-with-parent", "--new-session",
        "--clearenv",
    ]
    if os.geteuid() == 0:
        args += ["--cap-drop", "ALL"]
    for key, value in c.env:
        args += ["--setenv", key, value]
    args += _system_args()
    args += ["--proc", "/proc", "--dev", "/dev",
             "--size", size, "--tmpfs", "/tmp",
             "--size", size, "--tmpfs", c.home]
    for p in environment_paths():  # after /tmp: an environment living under /tmp stays visible
        args += ["--ro-bind", p, p]
    for host, inside in c.read_only:
        args += ["--ro-bind", host, inside]
    for host, inside in c.writable:
        args += ["--bind", host, inside]
    args += ["--chdir", c.home, "--", *argv]
    return args
