"""``qlab kit score``: score every submission of a challenge, fairly, reproducibly and offline.

How one submission is scored:

1. The challenge (its data and its ``score.py``) is loaded in THIS process, and a copy of every
   file of the challenge folder is kept, before any team code runs.
2. The submission runs in a child process (:mod:`qlab.kits._child`) under
   :func:`qlab.sandbox.run_limited`, with the challenge's time and memory limits. The child is not
   told where the challenge is; it only loads the team's file, calls its function and writes what
   it returned as plain JSON (a circuit as gate names and numbers, or angles).
3. Back here, the circuit is rebuilt from gate names, validated and scored by the challenge's
   scoring function, with the challenge's fixed seed. Nothing the child computed is trusted as a
   score, and nothing it patched survives it. If it changed a file of the challenge folder, the
   file is put back and the submission is invalid.

A submission that breaks a rule, crashes, runs too long or uses too much memory is listed with its
reason; the others are scored as usual. Ranking and tie rules: :func:`rank`.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..i18n import t
from ..sandbox import python_command, run_limited
from .registry import Challenge
from .scoring import InvalidSubmission, Score, rebuild_circuit

MAX_PAYLOAD_BYTES = 20 * 1024 * 1024
MAX_SNAPSHOT_BYTES = 50 * 1024 * 1024


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
    submitted: float = 0.0  # the file's modification time (a tie rule)
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


def _clean_team(name: Any) -> str | None:
    if not isinstance(name, str):
        return None
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:40] or None


def submission_file(path: str | os.PathLike[str]) -> Path:
    """A submission given as a file, or as a team's kit folder (its ``submission.py``)."""
    p = Path(path)
    return p / "submission.py" if p.is_dir() else p


def _default_team(file: Path) -> str:
    return file.parent.name if file.stem == "submission" and file.parent.name else file.stem


class _Snapshot:
    """Every file of the challenge folder, kept in memory so a submission cannot change them."""

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


def _child_reason(kind: str, payload: dict[str, Any], challenge: Challenge, memory_mb: int) -> str:
    if kind == "error":
        where = t("kit.at_line", line=payload["line"]) if payload.get("line") else ""
        return t(
            f"kit.reason_error_{payload.get('stage', 'call')}",
            function=challenge.function,
            type=payload.get("type", "?"),
            message=payload.get("message", ""),
            where=where,
        )
    if kind == "no_function":
        return t("kit.reason_no_function", function=challenge.function)
    if kind == "wrong_type":
        expected = t("kit.expected_circuit") if challenge.returns == "circuit" else t("kit.expected_json")
        return t("kit.reason_wrong_type", function=challenge.function, got=payload.get("got", "?"),
                 expected=expected)
    if kind == "not_plain":
        return t("kit.reason_not_plain", function=challenge.function, detail=payload.get("detail", ""))
    if kind == "too_long":
        return t("kit.reason_too_many_gates", count=f">{payload.get('limit')}", limit=payload.get("limit"))
    if kind == "memory":
        return t("kit.reason_memory", mb=memory_mb)
    return t("kit.reason_bad_payload")


def run_submission(
    file: Path, challenge: Challenge, *, seconds: float, memory_mb: int
) -> tuple[dict[str, Any] | None, str, float]:
    """Run one submission in a limited child; returns ``(payload or None, reason, seconds)``."""
    with tempfile.TemporaryDirectory(prefix="qlab-kit-") as tmp:
        outfile = Path(tmp) / "result.json"
        env = dict(os.environ)
        env.update({"OMP_NUM_THREADS": "1", "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg"})
        env.pop("QLAB_KIT_PATH", None)
        result = run_limited(
            python_command("-m", "qlab.kits._child", file.resolve(), challenge.function,
                           challenge.returns, outfile),
            timeout=seconds,
            memory_mb=memory_mb,
            cwd=tmp,
            env=env,
        )
        if result.timed_out:
            return None, t("kit.reason_time", seconds=f"{seconds:g}"), result.seconds
        if result.memory_exceeded:
            return None, t("kit.reason_memory", mb=memory_mb), result.seconds
        if not outfile.is_file():
            tail = (result.stderr.strip().splitlines() or [""])[-1][:300]
            return None, t("kit.reason_no_result", code=result.returncode, tail=tail), result.seconds
        if outfile.stat().st_size > MAX_PAYLOAD_BYTES:
            return None, t("kit.reason_too_big", mb=MAX_PAYLOAD_BYTES // 2**20), result.seconds
        try:
            payload = json.loads(outfile.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None, t("kit.reason_bad_payload"), result.seconds
        if not isinstance(payload, dict):
            return None, t("kit.reason_bad_payload"), result.seconds
        return payload, "", result.seconds


def score_one(
    challenge: Challenge,
    path: str | os.PathLike[str],
    *,
    seconds: float | None = None,
    memory_mb: int | None = None,
    snapshot: _Snapshot | None = None,
) -> Entry:
    """Score one submission file (or kit folder); never raises for a team's mistake."""
    file = submission_file(path)
    entry = Entry(team=_default_team(file), file=str(path), valid=False)
    if not file.is_file():
        entry.reason = t("kit.reason_missing_file", path=file)
        return entry
    entry.submitted = file.stat().st_mtime
    scorer = challenge.scorer()  # loaded before the team's code runs
    snapshot = snapshot or _Snapshot(challenge)
    seconds = seconds or challenge.seconds
    memory_mb = memory_mb or challenge.memory_mb
    payload, reason, used = run_submission(file, challenge, seconds=seconds, memory_mb=memory_mb)
    entry.seconds = used
    if snapshot.restore():
        entry.reason = t("kit.reason_tampered")
        return entry
    if payload is None:
        entry.reason = reason
        return entry
    entry.team = _clean_team(payload.get("team")) or entry.team
    kind = payload.get("kind")
    if kind in ("circuit", "json") and kind != challenge.returns:
        kind = "mismatch"  # only a forged result file can say so: the child writes what was asked
    try:
        if kind == "circuit":
            submission: Any = rebuild_circuit(payload)
        elif kind == "json":
            submission = payload.get("value")
        else:
            raise InvalidSubmission(_child_reason(str(kind), payload, challenge, memory_mb))
        result = scorer(submission, challenge)
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
    (unknown counts last); ``submitted`` - earlier file modification time first; ``team`` - by name
    (case-insensitive), and finally by file path, so the order is total and the same every run.
    Ranks are 1, 2, 3, ... with no shared places: the tie rules decide.
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
) -> list[Entry]:
    """Score every submission (one child process each, one after another) and rank them."""
    challenge.scorer()  # fail early on a broken score.py, before any team code runs
    snapshot = _Snapshot(challenge)
    entries = []
    for path in paths:
        entry = score_one(challenge, path, seconds=seconds, memory_mb=memory_mb, snapshot=snapshot)
        entries.append(entry)
        if on_entry:
            on_entry(entry)
    return rank(entries, challenge)
