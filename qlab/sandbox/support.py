"""What this machine can enforce, found once, and said plainly when it is less than the full sandbox.

:func:`detect` answers with a :class:`Support`: whether ``bwrap`` runs here (it is tried once, not
just looked up on ``PATH``) and whether control groups can cap memory and processes. The grader and
the kit scorer then either

* run each submission in the full sandbox (bubblewrap + a control group),
* refuse to start (``--require-sandbox``, :class:`SandboxUnavailable`), or
* fall back to what worked before (a time limit, a per-process memory limit, a process group) and
  print :meth:`Support.warning` once, naming what is then not protected.

``QLAB_BWRAP`` names the ``bwrap`` program to use (``QLAB_BWRAP=none`` pretends there is none).
"""

from __future__ import annotations

import enum
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import cache

from ..errors import QlabError
from ..i18n import t
from . import bwrap as _bwrap
from .cgroups import CgroupSupport
from .cgroups import support as cgroup_support


class SandboxMode(str, enum.Enum):
    """How much isolation a run asks for."""

    AUTO = "auto"  # the sandbox where it works, else the fallback with a warning
    REQUIRE = "require"  # the sandbox or nothing (``--require-sandbox``)
    OFF = "off"  # the fallback only (tests of the fallback; never the default)


class SandboxUnavailable(QlabError, RuntimeError):
    """``--require-sandbox`` was given but the sandbox cannot run here; the message says why."""


@dataclass(frozen=True)
class Support:
    """What this machine enforces for untrusted code."""

    bwrap: str | None  # the working bwrap program, or None
    bwrap_reason: str  # why not, when bwrap is None
    cgroups: CgroupSupport

    @property
    def full(self) -> bool:
        return self.bwrap is not None and self.cgroups.available

    def gaps(self, lang: str | None = None) -> list[str]:
        """What is not protected on this machine, one sentence each (empty when nothing)."""
        out = []
        if self.bwrap is None:
            out.append(t("sandbox.gap_no_bwrap", lang=lang, reason=self.bwrap_reason))
        if not self.cgroups.available:
            out.append(t("sandbox.gap_no_cgroups", lang=lang, reason=self.cgroups.reason))
        return out

    def warning(self, lang: str | None = None) -> str:
        """The one warning printed before grading starts when the sandbox is incomplete."""
        return "\n".join([t("sandbox.warning_head", lang=lang), *(f"  - {g}" for g in self.gaps(lang)),
                          t("sandbox.warning_tail", lang=lang)])


def _probe(program: str) -> str:
    """Run a trivial command in the sandbox; ``""`` when it works, else the reason."""
    argv = _bwrap.command(program, _bwrap.Confinement(tmpfs_mb=8), [sys.executable, "-c", "pass"])
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
    return ""


@cache
def detect() -> Support:
    """Find out (once per process) what isolation works here."""
    wanted = os.environ.get("QLAB_BWRAP", "").strip()
    if wanted.lower() == "none":
        program, reason = None, t("sandbox.reason_disabled")
    else:
        program = shutil.which(wanted or "bwrap")
        reason = "" if program else t("sandbox.reason_not_installed")
    if program and not sys.platform.startswith("linux"):
        program, reason = None, t("sandbox.reason_not_linux")
    if program:
        failure = _probe(program)
        if failure:
            program, reason = None, t("sandbox.reason_probe_failed", detail=failure[:200])
    return Support(program, reason, cgroup_support())


_warned: set[int] = set()
_warn_lock = threading.Lock()


def resolve(mode: SandboxMode | str = SandboxMode.AUTO, *, stream=None, lang: str | None = None) -> Support:
    """The support a run will use under ``mode``; refuse or warn (once per process) as needed.

    With :attr:`SandboxMode.OFF` the result has no bwrap (and keeps the control groups, which only
    limit); with :attr:`SandboxMode.REQUIRE` an incomplete sandbox raises
    :class:`SandboxUnavailable` before anything runs.
    """
    mode = SandboxMode(mode)
    found = detect()
    if mode is SandboxMode.OFF:
        return Support(None, t("sandbox.reason_disabled"), found.cgroups)
    if mode is SandboxMode.REQUIRE and not found.full:
        raise SandboxUnavailable(t("sandbox.required_missing", lang=lang,
                                   gaps=" ".join(found.gaps(lang))))
    if not found.full:
        with _warn_lock:
            if id(found) not in _warned:
                _warned.add(id(found))
                print(found.warning(lang), file=stream or sys.stderr)
    return found
