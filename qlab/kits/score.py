"""``qlab kit score``: score every submission of a challenge, fairly, reproducibly and offline.

How one submission is scored, stage by stage:

1. **Identify.** The team is named by the folder (or file) the organiser scores: ``subs/team-a/``
   or ``subs/team-a.py`` is ``team-a``, whatever the code says. Its arrival time comes from the
   organiser's own record (:class:`Arrivals`, ``arrivals.json`` in the output folder): the first
   run that saw this exact content, never a file time a team could change.
2. **Run sandboxed.** The team's ``submission.py`` is imported and its function called in a
   bubblewrap sandbox (:mod:`qlab.sandbox`), with the challenge's time and memory limits. It sees
   the Python environment and its own file or folder, read-only; not the challenge, not the other
   teams, not the output folder, not the network.
3. **Take the answer as data.** What the function returned crosses as data
   (:mod:`qlab.bridge`): a Qiskit circuit (then rebuilt gate by gate from names, so a home-made
   gate called ``cz`` is the real CZ), or plain JSON data. Nothing the team's code computed is
   trusted as a score, and nothing it patched in its own process reaches this one.
4. **Score** in this process, with the challenge's ``score.py`` and fixed seed.

A submission that breaks a rule, crashes, runs too long or uses too much memory is listed with its
reason; the others are scored as usual. Without the sandbox (see :mod:`qlab.sandbox.support`) the
challenge folder is also kept in memory and put back if a submission changed it.
Ranking and tie rules: :func:`rank`.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..bridge.codec import AnswerNotReadable, Unreadable
from ..bridge.trusted import EXITED, Bridge, BridgeDown, RemoteFunction, on_data_thread
from ..filenames import display
from ..i18n import t
from ..sandbox import ResourceLimits, SandboxMode, Session, python_command, python_confinement
from .registry import Challenge
from .scoring import InvalidSubmission, Score, circuit_payload, rebuild_circuit

MAX_SNAPSHOT_BYTES = 50 * 1024 * 1024
MAX_TEAM_FOLDER_BYTES = 64 * 1024 * 1024
TEAM_INSIDE = "/home/qlab/team"
CTL_INSIDE = "/run/qlab"


@dataclass
class Entry:
    """One submission's line on the leaderboard."""

    team: str
    file: str
    valid: bool
    score: float | None = None
    two_qubit_gates: int | None = None
    gates: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    seconds: float = 0.0
    submitted: float = 0.0  # when the organiser's record says it arrived (a tie rule)
    rank: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "team": self.team,
            "file": self.file,
            "valid": self.valid,
            "score": self.score,
            "two_qubit_gates": self.two_qubit_gates,
            "gates": self.gates,
            "details": self.details,
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
            "submitted": self.submitted,
        }


def submission_file(path: str | os.PathLike[str]) -> Path:
    """A submission given as a file, or as a team's kit folder (its ``submission.py``)."""
    p = Path(path)
    return p / "submission.py" if p.is_dir() else p


def team_names(paths: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Each submission's team: its folder's name (a kit folder, or a folder holding
    ``submission.py``) or its file name without ``.py``; where two are equal, the path relative to
    the folder that holds them all."""
    files = [Path(os.path.abspath(submission_file(p))) for p in paths]
    owners = [f.parent if f.name == "submission.py" else f.with_suffix("") for f in files]
    names = [display(o.name) or "team" for o in owners]
    count = Counter(names)
    if any(count[n] > 1 for n in names):
        root = os.path.commonpath([str(o.parent) for o in owners])
        names = [display(os.path.relpath(o, root)) if count[n] > 1 else n for o, n in zip(owners, names, strict=True)]
    return names


def _fingerprint(file: Path) -> str:
    """A hash of what the team handed in: its kit folder's files, or its one file."""
    h = hashlib.sha256()
    if file.name == "submission.py":
        total = 0
        for p in sorted(file.parent.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and total < MAX_TEAM_FOLDER_BYTES:
                data = p.read_bytes()
                total += len(data)
                h.update(str(p.relative_to(file.parent)).encode("utf-8", "surrogateescape"))
                h.update(data)
    else:
        h.update(file.read_bytes())
    return h.hexdigest()


class Arrivals:
    """The organiser's record of when each team's current submission first arrived.

    ``arrivals.json``: ``{"teams": {team: {"sha256": ..., "arrived": unix time}}}``. A team whose
    content is unchanged keeps its time; new or changed content arrives "now" (the start of the
    scoring run), so re-submitting moves a team back, and touching a file changes nothing.
    """

    def __init__(self, path: Path | None, now: float | None = None):
        self.path = path
        self.now = round(now if now is not None else time.time(), 3)
        self.teams: dict[str, dict[str, Any]] = {}
        if path is not None and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                teams = data.get("teams", {}) if isinstance(data, dict) else {}
                self.teams = {k: v for k, v in teams.items() if isinstance(v, dict)}
            except (OSError, ValueError):
                self.teams = {}

    def arrived(self, team: str, fingerprint: str) -> float:
        known = self.teams.get(team)
        if known and known.get("sha256") == fingerprint and isinstance(known.get("arrived"), int | float):
            return float(known["arrived"])
        self.teams[team] = {"sha256": fingerprint, "arrived": self.now}
        return self.now

    def to_json(self) -> str:
        return json.dumps({"teams": dict(sorted(self.teams.items()))}, ensure_ascii=False, indent=1) + "\n"


class _Snapshot:
    """Every file of the challenge folder, kept in memory (guards it when there is no sandbox)."""

    def __init__(self, challenge: Challenge):
        self.root = challenge.path
        self.files: dict[Path, bytes] = {}
        size = 0
        for p in sorted(self.root.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                data = p.read_bytes()
                size += len(data)
                if size > MAX_SNAPSHOT_BYTES:
                    break
                self.files[p] = data

    def restore(self) -> bool:
        """Put back any changed or deleted file; True if something had changed."""
        changed = False
        for p, data in self.files.items():
            try:
                same = p.read_bytes() == data
            except OSError:
                same = False
            if not same:
                changed = True
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(data)
        return changed


@dataclass
class _Answer:
    """What the sandboxed run of one submission gave back (stage 3)."""

    value: Any = None
    reason: str = ""
    seconds: float = 0.0


def _error_reason(stage: str, error: dict[str, Any], challenge: Challenge) -> str:
    lineno = error.get("lineno")
    where = t("kit.at_line", line=lineno) if isinstance(lineno, int) else ""
    return t(f"kit.reason_error_{stage}", function=challenge.function, type=str(error.get("ename", "?"))[:100],
             message=str(error.get("evalue", ""))[:300], where=where)


def _ended_reason(running: Any, started: float, seconds: float, memory_mb: int) -> str:
    """Why a submission stopped answering: the memory cap, the time limit, or it ended."""
    if time.monotonic() - started < seconds:
        running.wait(1.0)  # it may be ending on its own: let its exit code arrive
    usage = running.close()
    if usage.oom_kills:
        return t("kit.reason_memory", mb=memory_mb)
    if time.monotonic() - started >= seconds - 0.05:
        return t("kit.reason_time", seconds=f"{seconds:g}")
    return t("kit.reason_no_result", code=running.popen.returncode, tail="")


def _ask(bridge: Bridge, challenge: Challenge) -> _Answer:
    """Import the module (its report), find the function, call it: the answer or why not."""
    values, cells = bridge.fetch(1, [challenge.function])
    if bridge.dead:
        return _Answer(reason=bridge.dead)
    module_report = next((c for c in cells if c.get("role") == "module"), None)
    if module_report is not None and not module_report.get("ok"):
        error = module_report.get("error") or {}
        if error.get("ename") == "MemoryError":
            return _Answer(reason="MemoryError")
        return _Answer(reason=_error_reason("import", error, challenge))
    fn = values.get(challenge.function)
    if not isinstance(fn, RemoteFunction):
        return _Answer(reason=t("kit.reason_no_function", function=challenge.function))
    try:
        return _Answer(value=fn())
    except BridgeDown as exc:
        return _Answer(reason=str(exc))
    except AnswerNotReadable as exc:
        return _Answer(reason=t("kit.reason_unreadable", function=challenge.function, detail=str(exc)[:300]))
    except Exception as exc:  # noqa: BLE001 - the team's function raised: its error, rebuilt as data
        if type(exc).__name__ == "MemoryError":
            return _Answer(reason="MemoryError")
        error = getattr(exc, "qlab_error", None) or {"ename": type(exc).__name__, "evalue": str(exc)}
        return _Answer(reason=_error_reason("call", error, challenge))


def run_submission(file: Path, challenge: Challenge, *, seconds: float, memory_mb: int,
                   session: Session) -> _Answer:
    """Import the team's module and call its function in the sandbox; the result as data."""
    started = time.monotonic()
    ctl = Path(tempfile.mkdtemp(prefix="qlab-kit-"))
    running = bridge = None
    try:
        if session.sandboxed:
            kit_folder = file.name == "submission.py"
            mount = str(file.parent if kit_folder else file)
            inside = TEAM_INSIDE if kit_folder else f"{TEAM_INSIDE}/{file.name}"
            module = f"{TEAM_INSIDE}/submission.py" if kit_folder else inside
            confinement = python_confinement(read_only=((str(ctl), CTL_INSIDE), (mount, inside)))
            plan_path, socket_path = f"{CTL_INSIDE}/plan.json", f"{CTL_INSIDE}/bridge.sock"
        else:
            home = ctl / "home"
            home.mkdir()
            confinement = python_confinement(home=str(home))
            module, plan_path, socket_path = str(file.resolve()), str(ctl / "plan.json"), str(ctl / "bridge.sock")
        (ctl / "plan.json").write_text(json.dumps(
            {"socket": socket_path, "eager": 1, "cells": [], "module": {"path": module}}), encoding="utf-8")
        bridge = Bridge(ctl / "bridge.sock", deadline=started + seconds)
        running = session.spawn(python_command("-m", "qlab.bridge.student", plan_path),
                                limits=ResourceLimits(memory_mb), confinement=confinement)
        threading.Thread(target=_mark_exit, args=(running, ctl), daemon=True).start()
        answer = _ask(bridge, challenge)
        if bridge.dead:
            answer = _Answer(reason=_ended_reason(running, started, seconds, memory_mb))
        elif answer.reason == "MemoryError":
            answer = _Answer(reason=t("kit.reason_memory", mb=memory_mb))
        answer.seconds = time.monotonic() - started
        return answer
    finally:
        if running is not None:
            running.close()
        if bridge is not None:
            bridge.close()
        shutil.rmtree(ctl, ignore_errors=True)


def _mark_exit(running: Any, ctl: Path) -> None:
    """Tell the bridge when the team's process ended before answering (it stops waiting)."""
    code = running.wait()
    try:
        (ctl / EXITED).write_text(f"exit code {code}", encoding="utf-8")
    except OSError:
        pass


def _plain(value: Any) -> Any:
    """The team's answer as plain JSON data (numpy numbers and arrays become numbers and lists)."""
    if isinstance(value, Unreadable):
        raise InvalidSubmission(str(object.__getattribute__(value, "_message")))
    text = json.dumps(value, default=_jsonable, allow_nan=False)
    return json.loads(text)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not plain data")


def _submission_value(answer: Any, challenge: Challenge) -> Any:
    """Stage 3: the answer in the form the challenge's scorer takes, or InvalidSubmission."""
    if challenge.returns == "circuit":
        from qiskit import QuantumCircuit

        if not isinstance(answer, QuantumCircuit):
            got = "an unreadable value" if isinstance(answer, Unreadable) else \
                f"{type(answer).__module__}.{type(answer).__qualname__}"
            raise InvalidSubmission(t("kit.reason_wrong_type", function=challenge.function, got=got,
                                      expected=t("kit.expected_circuit")))
        payload = circuit_payload(answer)
        if payload.get("kind") == "too_long":
            raise InvalidSubmission(t("kit.reason_too_many_gates", count=f">{payload['limit']}",
                                      limit=payload["limit"]))
        return rebuild_circuit(payload)
    try:
        return _plain(answer)
    except (TypeError, ValueError) as exc:
        raise InvalidSubmission(t("kit.reason_not_plain", function=challenge.function, detail=str(exc)[:200])) from None


def _score_value(value: Any, challenge: Challenge) -> tuple[Any, Any]:
    submission = _submission_value(value, challenge)
    return submission, challenge.scorer()(submission, challenge)


def score_answer(challenge: Challenge, entry: Entry, answer: _Answer) -> Entry:
    """Stage 4: score what the submission returned (in this process); never raises for a team's mistake."""
    entry.seconds = answer.seconds
    if answer.reason:
        entry.reason = answer.reason
        return entry
    try:
        # Qiskit only in long-lived threads (see qlab.bridge.trusted): this is the main thread
        submission, result = on_data_thread(_score_value, answer.value, challenge)
        if not isinstance(result, Score):
            result = Score(value=float(result))
        value = float(result.value)
        if not math.isfinite(value):
            raise InvalidSubmission(t("kit.reason_not_finite"))
    except InvalidSubmission as exc:
        entry.reason = exc.reason
        return entry
    except Exception as exc:  # noqa: BLE001 - a submission the scorer cannot read is listed, not fatal
        entry.reason = t("kit.reason_scorer_failed", type=type(exc).__name__, message=str(exc)[:300])
        return entry
    entry.valid = True
    entry.score = round(value, challenge.digits) + 0.0  # + 0.0 turns -0.0 into 0.0
    entry.two_qubit_gates = result.two_qubit_gates
    entry.gates = result.gates
    entry.details = dict(result.details)
    return entry


def rank(entries: Iterable[Entry], challenge: Challenge) -> list[Entry]:
    """Order entries: valid ones by score, then by the challenge's tie rules; invalid ones last.

    Tie rules (``challenge.tie_break``, in order): ``two_qubit_gates`` and ``gates`` - fewer first
    (unknown counts last); ``submitted`` - earlier arrival in the organiser's record first;
    ``team`` - by name (case-insensitive), and finally by file path, so the order is total and the
    same every run. Ranks are 1, 2, 3, ... with no shared places: the tie rules decide.
    """
    sign = -1.0 if challenge.higher_is_better else 1.0

    def key(e: Entry) -> tuple:
        parts: list[Any] = [sign * (e.score or 0.0)]
        for rule in challenge.tie_break:
            if rule == "two_qubit_gates":
                parts.append(math.inf if e.two_qubit_gates is None else e.two_qubit_gates)
            elif rule == "gates":
                parts.append(math.inf if e.gates is None else e.gates)
            elif rule == "submitted":
                parts.append(e.submitted)
            elif rule == "team":
                parts.append(e.team.casefold())
        parts.append(e.file)
        return tuple(parts)

    valid = sorted((e for e in entries if e.valid), key=key)
    invalid = sorted((e for e in entries if not e.valid), key=lambda e: (e.team.casefold(), e.file))
    for i, e in enumerate(valid, start=1):
        e.rank = i
    for e in invalid:
        e.rank = None
    return valid + invalid


def score_submissions(
    challenge: Challenge,
    paths: Sequence[str | os.PathLike[str]],
    *,
    seconds: float | None = None,
    memory_mb: int | None = None,
    on_entry: Callable[[Entry], None] | None = None,
    jobs: int | None = None,
    arrivals: Arrivals | None = None,
    names: Sequence[str] | None = None,
    sandbox: SandboxMode | str = SandboxMode.AUTO,
) -> list[Entry]:
    """Score every submission (``jobs`` sandboxes at once) and rank them.

    ``names`` overrides the team names (one per path; ``qlab kit score --team``); ``arrivals`` is
    the organiser's record (default: a fresh one, every submission arriving now).
    """
    challenge.scorer()  # fail early on a broken score.py, before any team code runs
    session = Session(sandbox)
    snapshot = None if session.sandboxed else _Snapshot(challenge)
    seconds = seconds or challenge.seconds
    memory_mb = memory_mb or challenge.memory_mb
    arrivals = arrivals or Arrivals(None)
    teams = list(names) if names else team_names(paths)
    entries: list[Entry] = []
    todo: list[tuple[Entry, Path]] = []
    for path, team in zip(paths, teams, strict=True):
        file = submission_file(path)
        entry = Entry(team=team, file=display(os.fspath(path)), valid=False)
        entries.append(entry)
        if not file.is_file():
            entry.reason = t("kit.reason_missing_file", path=display(os.fspath(file)))
            if on_entry:
                on_entry(entry)
            continue
        entry.submitted = arrivals.arrived(team, _fingerprint(file))
        todo.append((entry, file))

    def run(item: tuple[Entry, Path]) -> tuple[Entry, _Answer]:
        entry, file = item
        return entry, run_submission(file, challenge, seconds=seconds, memory_mb=memory_mb, session=session)

    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    pool = ThreadPoolExecutor(workers, thread_name_prefix="qlab-kit")
    try:
        for entry, answer in pool.map(run, todo):
            if snapshot is not None and snapshot.restore():
                answer = _Answer(reason=t("kit.reason_tampered"), seconds=answer.seconds)
            score_answer(challenge, entry, answer)
            if on_entry:
                on_entry(entry)
    except BaseException:
        session.stop()
        pool.shutdown(wait=True, cancel_futures=True)
        session.close()
        raise
    pool.shutdown(wait=True)
    session.close()
    return rank(entries, challenge)


def score_one(challenge: Challenge, path: str | os.PathLike[str], *, seconds: float | None = None,
              memory_mb: int | None = None, sandbox: SandboxMode | str = SandboxMode.AUTO) -> Entry:
    """Score one submission file (or kit folder); never raises for a team's mistake."""
    (entry,) = score_submissions(challenge, [path], seconds=seconds, memory_mb=memory_mb, jobs=1,
                                 sandbox=sandbox)
    return entry
