"""Challenges as data: find them, read ``challenge.json``, load their ``score.py``.

Where challenges come from, later ones overriding earlier ones with the same id:

1. qlab's own, in ``qlab/kits/challenges/<id>/``;
2. the folders named by the environment variable ``QLAB_KIT_PATH`` (separated by ``:``);
3. folders given on the command line with ``--challenges DIR``.

Each folder is either one challenge (it holds ``challenge.json``) or a folder of challenges.
``challenge.json``, field by field (texts are a string or ``{"en": ..., "ko": ...}``):

``id``            lower-case id, e.g. ``"ghz5-spark"`` (the folder name is not used)
``title``         one line
``summary``       one paragraph
``device``        a qlab device name (``qlab devices``), e.g. ``"iqm-spark"``
``submission``    ``{"function": "circuit", "returns": "circuit"}``: the name of the function the
                  team's ``submission.py`` defines, and whether it returns a Qiskit circuit
                  (``"circuit"``) or plain data such as angles (``"json"``)
``metric``        ``{"name": ..., "better": "higher"|"lower", "digits": 6}``: scores are rounded to
                  ``digits`` decimals, so equal work gets an equal score, to the digit
``seed``          the fixed seed every random step of scoring uses (stated, so anyone can re-run it)
``limits``        ``{"seconds": 60, "memory_mb": 2048}`` per submission (its sandbox)
``tie_break``     the order of tie rules after the score: ``two_qubit_gates`` (fewer first),
                  ``gates`` (fewer first), ``submitted`` (earlier arrival in the organiser's
                  record first, see :class:`qlab.kits.score.Arrivals`), ``team`` (A-Z)
``data``          anything the scoring function needs (a graph, a target circuit, a budget)
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import QlabError
from ..i18n import get_language, t

TIE_RULES = ("two_qubit_gates", "gates", "submitted", "team")
RETURNS = ("circuit", "json")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_modules: dict[str, Any] = {}


class UnknownChallengeError(QlabError, KeyError):
    """A challenge id that no challenge folder defines."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ChallengeFileError(QlabError, ValueError):
    """A malformed ``challenge.json`` (or a challenge folder missing a file); names the field."""


@dataclass(frozen=True)
class Challenge:
    """One challenge, read from its folder. ``data`` is whatever its scoring function needs."""

    id: str
    title: Mapping[str, str]
    summary: Mapping[str, str]
    device: str
    function: str
    returns: str
    metric_name: Mapping[str, str]
    better: str
    digits: int
    seed: int
    seconds: float
    memory_mb: int
    tie_break: tuple[str, ...]
    data: Mapping[str, Any]
    path: Path = field(compare=False)

    @property
    def higher_is_better(self) -> bool:
        return self.better == "higher"

    def text(self, name: str, lang: str | None = None) -> str:
        """A text field (``title``, ``summary``, ``metric_name``) in the current language."""
        values = getattr(self, name)
        lang = lang or get_language()
        return values.get(lang) or values.get("en") or next(iter(values.values()), "")

    def file(self, name: str) -> Path:
        """A file of the challenge folder, e.g. ``challenge.file("starter.ipynb")``."""
        return self.path / name

    def module(self) -> Any:
        """The challenge's ``score.py`` as a module (its helpers, e.g. ``qaoa_circuit``, are public).

        It is organiser code, loaded in the scoring (parent) process only: a submission never
        runs in the same process as it.
        """
        key = f"{self.path.resolve()}::{self.id}"
        if key not in _modules:
            path = self.file("score.py")
            if not path.is_file():
                raise ChallengeFileError(t("kit.challenge_missing_file", path=self.path, name="score.py"))
            modname = "qlab_kit_score_" + re.sub(r"\W", "_", self.id)
            spec = importlib.util.spec_from_file_location(modname, path)
            assert spec and spec.loader
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            if not callable(getattr(module, "score", None)):
                raise ChallengeFileError(t("kit.challenge_no_score_fn", path=path))
            _modules[key] = module
        return _modules[key]

    def scorer(self) -> Callable[..., Any]:
        """The ``score(submission, challenge)`` function of the challenge's ``score.py``."""
        return self.module().score

    def fingerprint(self) -> str:
        """A hash of every file in the challenge folder: the scorer notices if a submission edits one."""
        h = hashlib.sha256()
        for p in sorted(self.path.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts:
                h.update(str(p.relative_to(self.path)).encode())
                h.update(p.read_bytes())
        return h.hexdigest()


def _texts(value: Any, field_name: str, where: str, required: bool = True) -> dict[str, str]:
    if isinstance(value, str) and value:
        return {"en": value}
    if isinstance(value, Mapping) and value and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return dict(value)
    if not required and value is None:
        return {}
    raise ChallengeFileError(t("kit.challenge_bad_field", where=where, field=field_name,
                               allowed=t("kit.allowed_text")))


def parse_challenge(data: Mapping[str, Any], path: Path) -> Challenge:
    """Build a :class:`Challenge` from a decoded ``challenge.json``, checking every field."""
    where = str(path / "challenge.json")

    def bad(field_name: str, allowed: str) -> ChallengeFileError:
        return ChallengeFileError(
            t("kit.challenge_bad_field", where=where, field=field_name, allowed=allowed)
        )

    if not isinstance(data, Mapping):
        raise bad("<top>", t("kit.allowed_object"))
    for required in ("id", "title", "device", "submission", "metric", "seed"):
        if required not in data:
            raise ChallengeFileError(t("kit.challenge_missing_field", where=where, field=required))
    cid = data["id"]
    if not isinstance(cid, str) or not _ID.match(cid):
        raise bad("id", t("kit.allowed_id"))
    device = data["device"]
    if not isinstance(device, str) or not device:
        raise bad("device", t("kit.allowed_device"))
    sub = data["submission"]
    if not isinstance(sub, Mapping):
        raise bad("submission", '{"function": "circuit", "returns": "circuit"}')
    function = sub.get("function", "circuit")
    if not isinstance(function, str) or not _IDENT.match(function):
        raise bad("submission.function", t("kit.allowed_identifier"))
    returns = sub.get("returns", "circuit")
    if returns not in RETURNS:
        raise bad("submission.returns", " | ".join(RETURNS))
    metric = data["metric"]
    if not isinstance(metric, Mapping) or "name" not in metric:
        raise bad("metric", '{"name": ..., "better": "higher", "digits": 6}')
    better = metric.get("better", "higher")
    if better not in ("higher", "lower"):
        raise bad("metric.better", "higher | lower")
    digits = metric.get("digits", 6)
    if not isinstance(digits, int) or isinstance(digits, bool) or not 0 <= digits <= 12:
        raise bad("metric.digits", "0..12")
    seed = data["seed"]
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise bad("seed", t("kit.allowed_seed"))
    limits = data.get("limits", {})
    if not isinstance(limits, Mapping):
        raise bad("limits", '{"seconds": 60, "memory_mb": 2048}')
    seconds = limits.get("seconds", 60)
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0 < seconds <= 3600:
        raise bad("limits.seconds", "0 < seconds <= 3600")
    memory_mb = limits.get("memory_mb", 2048)
    if not isinstance(memory_mb, int) or isinstance(memory_mb, bool) or not 256 <= memory_mb <= 65536:
        raise bad("limits.memory_mb", "256..65536")
    tie = data.get("tie_break", ["two_qubit_gates", "submitted", "team"])
    if not isinstance(tie, list) or not all(r in TIE_RULES for r in tie):
        raise bad("tie_break", ", ".join(TIE_RULES))
    if "team" not in tie:
        tie = [*tie, "team"]  # the last rule always decides, so the order is total
    payload = data.get("data", {})
    if not isinstance(payload, Mapping):
        raise bad("data", t("kit.allowed_object"))
    return Challenge(
        id=cid,
        title=_texts(data["title"], "title", where),
        summary=_texts(data.get("summary"), "summary", where, required=False),
        device=device,
        function=function,
        returns=returns,
        metric_name=_texts(metric["name"], "metric.name", where),
        better=better,
        digits=digits,
        seed=seed,
        seconds=float(seconds),
        memory_mb=memory_mb,
        tie_break=tuple(tie),
        data=dict(payload),
        path=path,
    )


def read_challenge(folder: str | os.PathLike[str]) -> Challenge:
    """Read the challenge in ``folder`` (which holds ``challenge.json``)."""
    path = Path(folder)
    file = path / "challenge.json"
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ChallengeFileError(t("kit.challenge_missing_file", path=path, name="challenge.json")) from None
    except json.JSONDecodeError as exc:
        raise ChallengeFileError(
            t("kit.challenge_bad_json", where=file, line=exc.lineno, col=exc.colno, msg=exc.msg)
        ) from None
    return parse_challenge(data, path)


def _builtin_folder() -> Path:
    return Path(str(resources.files("qlab.kits") / "challenges"))


def search_folders(extra: Iterable[str | os.PathLike[str]] = ()) -> list[Path]:
    """Every folder searched for challenges, in order (later ones win on equal ids)."""
    env = [Path(p) for p in os.environ.get("QLAB_KIT_PATH", "").split(os.pathsep) if p]
    return [_builtin_folder(), *env, *(Path(p) for p in extra)]


def _challenge_dirs(folder: Path) -> list[Path]:
    if (folder / "challenge.json").is_file():
        return [folder]
    if not folder.is_dir():
        raise ChallengeFileError(t("kit.no_such_folder", path=folder))
    return sorted(p for p in folder.iterdir() if (p / "challenge.json").is_file())


def challenges(extra: Iterable[str | os.PathLike[str]] = ()) -> dict[str, Challenge]:
    """Every challenge, by id: qlab's own, then ``QLAB_KIT_PATH``'s, then ``extra`` folders'."""
    found: dict[str, Challenge] = {}
    for folder in search_folders(extra):
        for d in _challenge_dirs(folder):
            c = read_challenge(d)
            found[c.id] = c
    return dict(sorted(found.items()))


def load_challenge(name: str | os.PathLike[str], extra: Iterable[str | os.PathLike[str]] = ()) -> Challenge:
    """The challenge with id ``name``, or the challenge in folder ``name``.

    An unknown id raises :class:`UnknownChallengeError` listing the ids there are.
    """
    if isinstance(name, Challenge):
        return name
    as_path = Path(name)
    if (as_path / "challenge.json").is_file():
        return read_challenge(as_path)
    known = challenges(extra)
    key = str(name).strip().lower()
    if key not in known:
        raise UnknownChallengeError(t("kit.unknown_challenge", name=name, known=", ".join(known)))
    return known[key]
