"""The sandbox itself: what a confined process can see and do, its caps, and the fallback's warning.

Each test starts a small Python program with :class:`qlab.sandbox.Session` and asks it to try
something; the program prints what happened as JSON. Tests that need bubblewrap and control groups
skip without them (``.ci/run`` installs bubblewrap in CI); the fallback tests run everywhere.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import textwrap
from pathlib import Path

import pytest
from hostile_corpus import MARKER, leftover_cgroups, need_full_sandbox, survivors

from qlab.sandbox import (
    ResourceLimits,
    SandboxUnavailable,
    Session,
    python_command,
    python_confinement,
)
from qlab.sandbox import support as support_module


@pytest.fixture()
def full() -> None:
    need_full_sandbox()  # skip without bubblewrap and control groups (fail in CI, which installs them)



SMALL = ResourceLimits(1024, 64)
ROOT = Path(__file__).resolve().parents[1]


def run_inside(code: str, *, limits: ResourceLimits = SMALL, timeout: float = 60,
               **confine) -> tuple[dict, object]:
    session = Session()
    running = session.spawn(python_command("-c", textwrap.dedent(code)), limits=limits,
                            confinement=python_confinement(**confine), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        out, err = running.popen.communicate(timeout=timeout)
    finally:
        usage = running.close()
    lines = out.decode().strip().splitlines()
    assert lines, err.decode()[-2000:]
    return json.loads(lines[-1]), usage


def test_a_confined_process_sees_only_the_environment_and_its_own_home(full, tmp_path: Path, monkeypatch) -> None:
    secret = tmp_path / "source.ipynb"
    secret.write_text("solutions", encoding="utf-8")
    monkeypatch.setenv("QLAB_TEST_TOKEN", "do-not-leak")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    result, _ = run_inside(f"""
        import json, os, socket
        import qlab
        out = {{"uid": os.getuid(), "token": os.environ.get("QLAB_TEST_TOKEN"),
               "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit())}}
        for name, path in (("secret", {str(secret)!r}), ("shadow", "/etc/shadow"),
                           ("source", {str(ROOT / "exercises" / "lab-bell-ghz" / "source.ipynb")!r}),
                           ("home", os.path.join(os.path.expanduser("~root"), ".cache"))):
            try:
                open(path).read() if name != "home" else os.listdir(path)
                out[name] = "read"
            except OSError as e:
                out[name] = e.errno
        try:
            open(os.path.join(os.path.dirname(qlab.__file__), "checker.py"), "a").write("# x")
            out["package"] = "written"
        except OSError as e:
            out["package"] = e.errno
        open(os.path.expanduser("~/mine.txt"), "w").write("ok")
        out["home_write"] = open(os.path.expanduser("~/mine.txt")).read()
        try:
            socket.create_connection(("127.0.0.1", {port}), timeout=2)
            out["net"] = "connected"
        except OSError as e:
            out["net"] = e.errno
        print(json.dumps(out))
    """)
    listener.close()
    assert result["uid"] == 65534 and result["token"] is None  # nobody, and a clean environment
    # ENOENT, not even there: other files, the instructor's sources beside qlab, the grader's home
    assert result["secret"] == result["shadow"] == result["source"] == result["home"] == 2
    assert result["package"] == 30  # EROFS: qlab is read-only
    assert result["home_write"] == "ok"
    assert result["net"] == 111  # ECONNREFUSED: its own empty network, not the host's listener
    assert len(result["pids"]) <= 3  # its own PID namespace: bwrap's init, itself (and a child)


def test_nothing_a_confined_process_starts_outlives_it(full) -> None:
    result, _ = run_inside(f"""
        import json, subprocess, sys
        code = "import time  # {MARKER}\\nwhile True: time.sleep(1)"
        subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
        subprocess.Popen(["sh", "-c", "(setsid sleep 600; : {MARKER}) &"])
        print(json.dumps({{"started": True}}))
    """)
    assert result["started"]
    assert survivors() == [] and leftover_cgroups() == []


def test_memory_is_capped_for_all_processes_together(full) -> None:
    # each child stays under the per-process limit (1024 MiB); three together pass the group's cap
    result, usage = run_inside("""
        import json, subprocess, sys
        hog = "x = bytearray(500 * 1024 * 1024)\\nprint('full', flush=True)\\nimport time\\ntime.sleep(60)"
        kids = [subprocess.Popen([sys.executable, "-c", hog], stdout=subprocess.PIPE) for _ in range(3)]
        full = [kid.stdout.readline().strip() == b"full" for kid in kids]
        print(json.dumps({"full": sum(full)}))
    """, timeout=120)
    assert usage.oom_kills >= 1 and result["full"] <= 2  # the parent itself survived to report


def test_the_number_of_processes_is_capped(full) -> None:
    result, usage = run_inside("""
        import json, subprocess
        n = 0
        try:
            for _ in range(200):
                subprocess.Popen(["sleep", "60"])
                n += 1
        except OSError:
            pass
        print(json.dumps({"started": n}))
    """, limits=ResourceLimits(1024, 32))
    assert result["started"] < 32 and usage.hit_process_cap


def test_without_bubblewrap_grading_warns_once_or_refuses(monkeypatch, capsys) -> None:
    monkeypatch.setenv("QLAB_BWRAP", "none")
    support_module.detect.cache_clear()
    support_module._warned.clear()
    try:
        with pytest.raises(SandboxUnavailable, match="--require-sandbox") as refused:
            Session("require", lang="en")
        assert "bubblewrap is not available" in str(refused.value)
        Session("auto", lang="en")
        Session("auto", lang="en")
        err = capsys.readouterr().err
        assert err.count("WARNING") == 1  # said once, plainly
        assert "can read and change every file you can" in err and "apt-get install bubblewrap" in err
        ko = support_module.detect().warning("ko")
        assert "bubblewrap을 쓸 수 없습니다" in ko
    finally:
        support_module.detect.cache_clear()
        support_module._warned.clear()


def test_the_fallback_still_keeps_time_and_memory_limits(tmp_path: Path) -> None:
    session = Session("off")
    assert not session.sandboxed
    home = tmp_path / "home"
    home.mkdir()
    running = session.spawn(python_command("-c", "x = bytearray(2 * 1024**3)"), limits=ResourceLimits(512),
                            confinement=python_confinement(home=str(home)), stderr=subprocess.PIPE)
    _, err = running.popen.communicate(timeout=60)
    running.close()
    assert b"MemoryError" in err  # the per-process limit, without any sandbox
    assert os.environ.get("QLAB_BWRAP") != "none"  # the environment was not changed for later tests
