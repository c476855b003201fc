"""A corpus of hostile and unlucky submissions, and the checks that go with it.

Each hostile submission carries a trick (the kinds named in issue 9: replaced traceback display,
custom exception handler,
input transformer, forged results, the source notebook found through /proc, classmates' files,
planted conftest.py, the installed qlab patched on disk, detached and stuck processes, floods of
processes and memory, lying values, a hostile payload for the grader's reader, a stolen id) on top
of ordinary answers. Its **twin** is the same answers without the trick: a submission is graded
fairly when it scores exactly what its twin scores, test by test. Placeholders ``{CLASS}``,
``{OUT}``, ``{SUBS}``, ``{MARKER}``, ``{PWNED}``, ``{TARGET}`` are filled in with
:func:`fill` (plain replacement: the code's own braces stay as they are).

The tricks really try: they write to the installed qlab, to classmates' files and to the output
folder. Tests that run them skip unless the full sandbox works on the machine (``.ci/run`` installs
bubblewrap in CI), so a machine without it is never damaged by its own test suite.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QLAB = ROOT / "qlab"
MARKER = f"QLAB-CORPUS-{uuid.uuid4().hex[:10]}"  # every process a trick starts carries it

# ---- lab-bell-ghz ----------------------------------------------------------------------------------

BELL = "bell = QuantumCircuit(2)\nbell.h(0)\nbell.cx(0, 1)"
GHZ = ("def ghz(n):\n    qc = QuantumCircuit(n)\n    qc.h(0)\n    for q in range(n - 1):\n"
       "        qc.cx(q, q + 1)\n    return qc")
GHZ3 = "def ghz(n):\n    qc = QuantumCircuit(3)\n    qc.h(0)\n    qc.cx(0, 1)\n    qc.cx(1, 2)\n    return qc"
PROB = "amplitudes = Statevector(bell).data\np_same = abs(amplitudes[0]) ** 2 + abs(amplitudes[3]) ** 2"
FULL = {"bell-circuit": BELL, "ghz-function": GHZ, "bell-probability": PROB}  # 8 of 8
WORK = {"bell-circuit": BELL, "ghz-function": GHZ3, "bell-probability": PROB}  # 5 of 8: ghz only for 3

# tricks appended to the last answer cell (after the answers are defined: a trick that breaks the
# student's own later cells would change what the answers are, not what the grader does)
TRICKS: dict[str, str] = {
    "showtraceback": """
ip = get_ipython()
ip._showtraceback = lambda *a, **k: None
ip.showtraceback = lambda *a, **k: None
""",
    "custom_exc": """
get_ipython().set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)
""",
    "input_transformer": """
get_ipython().input_transformers_cleanup.append(lambda lines: [])
""",
    "forged_results": """
import glob, json, os, signal
forged = {"finished": True, "seconds": 1, "items": [
    {"cell": i, "role": "test", "grade_id": g, "part": p, "points": 3, "outcome": "passed",
     "reason": None, "error": None}
    for i, (g, p) in enumerate([("bell-state", "public"), ("bell-no-measure", "hidden"),
                                ("ghz-state", "public"), ("ghz-state", "hidden"),
                                ("bell-probability-value", "hidden")])]}
for path in ["results.json", *glob.glob("/tmp/qlab-grade-*/*/trusted/results.json"),
             *glob.glob("/tmp/qlab-grade-*/*/results.json")]:
    try:
        open(path, "w").write(json.dumps(forged))
    except OSError:
        pass
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
""",
    "proc_source": """
import glob, json, os
for d in glob.glob("/proc/[0-9]*"):
    try:
        parts = open(d + "/cmdline", "rb").read().split(b"\\0")
    except OSError:
        continue
    for part in parts:
        if part.endswith(b".ipynb") and os.path.exists(part):
            src = json.load(open(part))
            for c in src["cells"]:
                if (c["metadata"].get("nbgrader") or {}).get("solution"):
                    code = "".join(c["source"]).replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", "")
                    exec(code, globals())
""",
    "classmate": """
import glob, os
for path in glob.glob("{CLASS}/**/*.ipynb", recursive=True):
    if "classmate" in path:
        continue
    try:
        open(path, "w").write("{}")
        os.utime(path, (0, 0))
    except OSError:
        pass
""",
    "conftest": """
import glob, os
planted = "import pytest\\n@pytest.hookimpl(hookwrapper=True)\\ndef pytest_runtest_makereport(item, call):\\n    out = yield\\n    out.get_result().outcome = 'passed'\\n"
for folder in [*glob.glob("/tmp/qlab-grade-*/*/"), *glob.glob("/tmp/qlab-grade-*/*/trusted/"),
               "{CLASS}/", os.path.expanduser("~")]:
    try:
        open(os.path.join(folder, "conftest.py"), "w").write(planted)
    except OSError:
        pass
""",
    "patch_installed": """
import pathlib, qlab
root = pathlib.Path(qlab.__file__).parent
for name, extra in [("checker.py", "\\ndef check(*a, **k):\\n    return None\\n"),
                    ("checks/__init__.py", "\\nassert_states_equal = lambda *a, **k: None\\n")]:
    try:
        p = root / name
        p.write_text(p.read_text() + extra)
    except OSError:
        pass
""",
    "detached": """
import subprocess, sys
code = '''
import os, time  # {MARKER}
while not os.path.exists("{OUT}/gradebook.csv"):
    time.sleep(0.1)
time.sleep(0.5)
open("{OUT}/gradebook.csv", "w").write("student_id,total\\\\nattacker,999\\\\n")
'''
subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
""",
    "stuck_in_c": """
import subprocess, sys
code = '''
import ctypes, signal  # {MARKER}
signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals))
while True:
    ctypes.CDLL(None).pause()
'''
subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
""",
    "process_flood": """
import subprocess
started = 0
for _ in range(1000):
    try:
        subprocess.Popen(["sh", "-c", "sleep 600; : {MARKER}"], start_new_session=True)
        started += 1
    except OSError:
        break
""",
    "memory_flood": """
import subprocess, sys
hog = "import time  # {MARKER}\\nx = bytearray(1100 * 1024 * 1024)\\nprint('full', flush=True)\\ntime.sleep(600)"
kids = [subprocess.Popen([sys.executable, "-c", hog]) for _ in range(4)]
# they fill memory while the grader reads this submission's answers; the group's cap stops them
# (that the cap holds, and says so, is tested on its own in test_sandbox.py)
""",
    "patch_memory": """
import os, numpy, qlab, qlab.checks
qlab.check = lambda *a, **k: None
qlab.checks.assert_states_equal = lambda *a, **k: None
assert_states_equal = lambda *a, **k: None
numpy.allclose = lambda *a, **k: True
os.environ["QLAB_GRADING"] = "0"
""",
}

# a value that lies: a float whose difference with anything is 0 (old graders compared in the kernel)
LIAR = ("class Liar(float):\n    def __sub__(self, other):\n        return 0.0\n"
        "    def __rsub__(self, other):\n        return 0.0\np_same = Liar(0.3)")
# a payload aimed at the grader's Cirq JSON reader (sympy.Indexed hands text to eval): sent as the
# answer 'bell' by the student's own copy of the answer server, patched in memory
HOSTILE_PAYLOAD = BELL + """
import gc, json
payload = json.dumps({"cirq_type": "sympy.Indexed",
                      "args": ["x", "__import__('os').system('touch {PWNED}')"]})
EVIL = {"t": "cirq", "v": payload}
for o in gc.get_objects():
    if type(o).__name__ == "AnswerKernel":
        _orig = o._encode
        o._encode = lambda name, value, _orig=_orig: EVIL if name == "bell" else _orig(name, value)
"""
# its twin: an answer 'bell' that is not data the grader reads, the same probability answer
UNREADABLE_BELL = {"bell-circuit": BELL.replace("bell", "real") + "\nbell = object()",
                   "bell-probability": PROB.replace("Statevector(bell)", "Statevector(real)")}


# submissions that carry several tricks of one family (each trick runs on its own, so one that
# fails cannot stop the next): fewer notebooks to grade, every kind still tried
LAB_ATTACKERS: dict[str, tuple[str, ...]] = {
    "own-kernel.ipynb": ("showtraceback", "custom_exc", "input_transformer", "patch_memory"),
    "escape.ipynb": ("forged_results", "proc_source"),
    "classmate.ipynb": ("classmate", "conftest", "patch_installed"),
    "processes.ipynb": ("detached", "stuck_in_c"),
    "process-flood.ipynb": ("process_flood",),
    "memory-flood.ipynb": ("memory_flood",),
}


def with_tricks(answers: dict[str, str], kinds: tuple[str, ...]) -> dict[str, str]:
    """``answers`` with the tricks ``kinds`` after the last answer, each run on its own."""
    runs = "\n".join(f"try:\n    exec({TRICKS[k]!r}, globals())\nexcept Exception:\n    pass" for k in kinds)
    return {**answers, "bell-probability": answers["bell-probability"] + "\n" + runs}


@dataclass(frozen=True)
class LabCase:
    """One submission of the corpus: its file, answers, and the twin whose score it must get."""

    file: str  # relative path in the class folder
    answers: dict[str, str]
    twin: str | None = None  # the file of the honest twin (None: this one is honest)
    expect: float | None = None  # the score itself, where it is known
    student_id: str | None = None  # metadata.qlab.student_id to write
    kinds: tuple[str, ...] = ()  # the tricks it carries


def lab_cases(pwned: str) -> list[LabCase]:
    """The lab corpus. ``pwned`` is a host path a successful payload would create."""
    cases = [
        LabCase("김민수.ipynb", FULL, expect=8),  # a Hangul name; also the classmate the tricks go after
        LabCase("sec1/alice.ipynb", FULL, expect=8),  # the same file name in two folders
        LabCase("sec2/alice.ipynb", WORK, expect=5),  # ... and the twin of most tricks
        LabCase("liar-twin.ipynb", {**WORK, "bell-probability": "p_same = 0.3"}, expect=3),
        LabCase("payload-twin.ipynb", {**WORK, **UNREADABLE_BELL}, expect=2),
        LabCase("liar.ipynb", {**WORK, "bell-probability": LIAR}, twin="liar-twin.ipynb",
                kinds=("lying value",)),
        LabCase("payload.ipynb", {**WORK, "bell-circuit": HOSTILE_PAYLOAD.replace("{PWNED}", pwned)},
                twin="payload-twin.ipynb", kinds=("hostile payload for the grader's reader",)),
        LabCase("stolen-id.ipynb", WORK, twin="sec2/alice.ipynb", student_id="김민수",
                kinds=("an id another file owns",)),
    ]
    cases += [LabCase(name, with_tricks(WORK, kinds), twin="sec2/alice.ipynb", kinds=kinds)
              for name, kinds in LAB_ATTACKERS.items()]
    return cases


UNDECODABLE = b"\xb1\xe8\xb9\xce\xbc\xf6-cp949.ipynb"  # 김민수 in CP949, as an old zip gives it


# ---- hackathon challenges ---------------------------------------------------------------------------

KIT_ANSWERS = {
    "ghz5-spark": """
import math
from qiskit import QuantumCircuit
def circuit():
    qc = QuantumCircuit(5)  # a Bell pair on the star's centre and QB4: a poor GHZ-5
    qc.r(math.pi / 2, math.pi / 2, 2)
    qc.r(-math.pi / 2, math.pi / 2, 3)
    qc.cz(2, 3)
    qc.r(math.pi / 2, math.pi / 2, 3)
    return qc
""",
    "route-star": """
from qiskit import qasm2, transpile
import qlab
TARGET = '''{TARGET}'''
def circuit():
    backend = qlab.device("iqm-spark").qiskit_backend()
    return transpile(qasm2.loads(TARGET), backend=backend, initial_layout=[0, 1, 2, 3, 4],
                     seed_transpiler=1, optimization_level=1)
""",
    "maxcut-qaoa-aria": """
def angles():
    return {"gammas": [0.6], "betas": [0.4]}
""",
}

KIT_TRICKS: dict[str, str] = {
    # zero the device noise on disk, rewrite qlab's scoring tools, rewrite every challenge's score.py
    "disk": """
import json, pathlib, qlab
import qlab.kits.scoring as s
from qlab.kits import challenges
root = pathlib.Path(qlab.__file__).parent
for p in [*(root / "hardware" / "data").glob("*.json"), *(root / "device_data").glob("*.json")]:
    try:
        p.write_text(p.read_text().replace('"error', '"x_error'))
    except OSError:
        pass
try:
    p = pathlib.Path(s.__file__)
    p.write_text(p.read_text() + "\\ndef noisy_density_matrix(*a, **k):\\n    raise SystemExit\\n")
except OSError:
    pass
for c in challenges().values():
    try:
        c.file("score.py").write_text("from qlab.kits.scoring import Score\\ndef score(s, c):\\n    return Score(1.0, 0, 0)\\n")
    except OSError:
        pass
""",
    "claim-name": """
TEAM = "honest"
""",
    "zz-times": """
import glob, os
for path in glob.glob("{SUBS}/*.py"):
    try:
        os.utime(path, (4102444800, 4102444800))  # everyone else: the year 2100
    except OSError:
        pass
try:
    os.utime(__file__, (0, 0))  # itself: 1970
except OSError:
    pass
""",
    "forged-result": """
import atexit, json, os, signal, sys
import qlab.kits.score as runner
import qlab.kits.scoring as scoring
scoring.noisy_density_matrix = lambda *a, **k: None
runner.score_answer = lambda *a, **k: None
def forge():
    for path in ("result.json", "/tmp/result.json", "{OUT}/leaderboard.csv"):
        try:
            open(path, "w").write(json.dumps({"score": 1.0, "valid": True}))
        except OSError:
            pass
atexit.register(forge)
forge()
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
""",
    "detached": """
import subprocess, sys
code = '''
import os, time  # {MARKER}
while not os.path.exists("{OUT}/leaderboard.csv"):
    time.sleep(0.1)
time.sleep(0.5)
open("{OUT}/leaderboard.csv", "w").write("rank,team,score\\\\n1,detached,1.0\\\\n")
'''
subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
""",
}


def fill(code: str, **values: str) -> str:
    """``code`` with each ``{NAME}`` placeholder replaced by ``values["NAME"]``."""
    for key, value in values.items():
        code = code.replace("{" + key + "}", value)
    return code


# ---- what must not change, and what must not survive ---------------------------------------------


def checksums(*folders: Path) -> dict[str, str]:
    """sha256 of every file under ``folders`` (their paths as bytes, so any name works)."""
    out: dict[str, str] = {}
    for folder in folders:
        for dirpath, _, names in os.walk(os.fsencode(folder)):
            if b"__pycache__" in dirpath:
                continue
            for name in names:
                path = os.path.join(dirpath, name)
                with open(path, "rb") as fh:
                    out[os.fsdecode(path)] = hashlib.sha256(fh.read()).hexdigest()
    return out


def survivors(marker: str = MARKER) -> list[int]:
    """Processes whose command line carries ``marker`` (none may outlive grading)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in cmdline and int(entry.name) != os.getpid():
            found.append(int(entry.name))
    return found


def leftover_cgroups() -> list[Path]:
    """Control groups this test process's runs created and did not remove."""
    from qlab.sandbox.cgroups import support

    sup = support()
    parents = {p for p in (sup.memory_parent, sup.pids_parent) if p is not None}
    return [d for p in parents for d in p.glob(f"qlab-{os.getpid()}-*")]




def need_full_sandbox() -> None:
    """Skip where the full sandbox cannot run; in CI (``CI=true``) that is a failure instead, since
    ``.ci/run`` installs bubblewrap. The tricks never run without the sandbox."""
    import pytest

    from qlab.sandbox import detect

    if detect().full:
        return
    gaps = " ".join(detect().gaps("en"))
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the grading sandbox: {gaps}")
    pytest.skip(f"the tricks really try, so they run only in the full sandbox: {gaps}")
