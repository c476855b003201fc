"""Running code we did not write: a student's notebook, a team's submission.

The operating-system boundary of grading (the other boundary, what crosses it as data, is
:mod:`qlab.bridge`). Each submission runs in its own sandbox:

* :mod:`~qlab.sandbox.bwrap`    what the processes can see (bubblewrap: file system, namespaces);
* :mod:`~qlab.sandbox.cgroups`  how much they can use together (memory, number of processes);
* :mod:`~qlab.sandbox.process`  starting them, the time limit, ending all of them, and stopping a
                                whole run on a signal;
* :mod:`~qlab.sandbox.support`  what works on this machine, the fallback, and the warning.

:func:`python_confinement` is the confinement of a Python process of this environment (the one qlab
runs in), with a private home, a matplotlib font cache and a clean environment.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from .bwrap import Confinement
from .process import (
    DEFAULT_MAX_PROCS,
    ResourceLimits,
    Running,
    Session,
    Stopped,
    Usage,
    exit_with_parent,
    python_command,
)
from .support import SandboxMode, SandboxUnavailable, Support, detect, resolve

__all__ = [
    "DEFAULT_MAX_PROCS", "Confinement", "ResourceLimits", "Running", "SandboxMode",
    "SandboxUnavailable", "Session", "Stopped", "Support", "Usage", "detect", "exit_with_parent", "python_command",
    "python_confinement", "resolve",
]

HOME = "/home/qlab"


def _mpl_cache_dir() -> Path:
    if os.environ.get("MPLCONFIGDIR"):
        return Path(os.environ["MPLCONFIGDIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "matplotlib"


@cache
def font_cache() -> str | None:
    """matplotlib's font list of this environment (built once if missing), or ``None``.

    Without it every sandbox would rebuild the list from the system fonts, which takes seconds.
    """
    def found() -> list[str]:
        return sorted(glob.glob(str(_mpl_cache_dir() / "fontlist-v*.json")))

    if not found():
        try:
            subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"],
                           capture_output=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
    files = found()
    return files[-1] if files else None


def python_confinement(
    *,
    home: str = HOME,
    env: Mapping[str, str] | None = None,
    read_only: tuple[tuple[str, str], ...] = (),
    writable: tuple[tuple[str, str], ...] = (),
    tmpfs_mb: int = 512,
) -> Confinement:
    """A :class:`Confinement` for a Python process: private home ``home`` (``/home/qlab`` inside the
    sandbox; a host folder when the sandbox is not available), a clean environment (``env`` on top
    of a fixed minimal one: no variable of the caller leaks in), one BLAS thread, matplotlib without
    a display, and this environment's font list (read-only)."""
    mpl = f"{home}/.matplotlib"
    base = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home, "TMPDIR": "/tmp" if home == HOME else home, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1",
        "PYTHONIOENCODING": "utf-8", "MPLBACKEND": "Agg", "MPLCONFIGDIR": mpl,
        "IPYTHONDIR": f"{home}/.ipython", "JUPYTER_PLATFORM_DIRS": "1",
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    import qlab

    # the very qlab this process runs (a checkout on PYTHONPATH, say), seen at the same path inside
    base["PYTHONPATH"] = str(Path(qlab.__file__).resolve().parent.parent)
    for key in ("OPENBLAS_CORETYPE",):  # numerics must not change between grader and sandbox
        if os.environ.get(key):
            base[key] = os.environ[key]
    base.update(env or {})
    fonts = font_cache()
    extra = ((fonts, f"{mpl}/{Path(fonts).name}"),) if fonts else ()
    if home != HOME and fonts:  # no sandbox: a copy in the (host) home folder
        Path(mpl).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fonts, f"{mpl}/{Path(fonts).name}")
        extra = ()
    return Confinement(home=home, tmpfs_mb=tmpfs_mb, read_only=(*extra, *read_only),
                       writable=writable, env=tuple(sorted(base.items())))
