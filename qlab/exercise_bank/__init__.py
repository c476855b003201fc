"""The registry of checked exercises: ``qlab.check("<id>", answer)`` looks them up here.

Each exercise is data (``exercises.json``, and ``exercises-<topic>.json`` for a lesson's own): a stable id, the name of a checking function in
:mod:`qlab.exercise_bank.checkers` built from :mod:`qlab.checks` primitives, that function's
parameters, how many graded hints it has, and optionally a per-student *variant* drawn by
:func:`qlab.variants.variant`. Titles and hints are messages (``check.ex.<id>.title``,
``check.ex.<id>.hint1``...) in ``qlab/messages/check.<lang>.json``, so they exist in English
and Korean. Adding an exercise = one JSON entry + its messages (+ a checker if no existing one
fits).

**Hints answer the mistake.** A checker names what went wrong in ``details["reason"]`` (a sign
error, a reversed order, a missing gate, ...). When the exercise has a message for that mistake,
``check.ex.<id>.mistake.<reason>`` (or a generic ``check.mistake.<reason>``), that message is the
hint; only a failure nobody foresaw climbs the ladder ``hint1``, ``hint2``, ... An exercise may
list the usual wrong states as data (``"mistakes"``: a reason and the amplitudes it produces,
optionally only when the circuit has at least/at most so many two-qubit gates), so a state
exercise recognises them without code. Any hint may have a framework version
(``<key>.cirq``, ``<key>.qiskit``): it is chosen by the framework of the answer, else the
exercise's ``"framework"``, so a Cirq lesson's student reads Cirq syntax.

A lesson shows a student their own variant::

    >>> from qlab import exercise_bank
    >>> exercise_bank.params("bv-secret", student="kim-minji")  # doctest: +SKIP
    {'secret': '01101'}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from ..errors import QlabError
from ..i18n import t


class UnknownExerciseError(QlabError, KeyError):
    """An exercise id that is not in the bank."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its id, checker name and parameters, number of hints, optional variant."""

    id: str
    checker: str
    params: dict[str, Any] = field(default_factory=dict)
    hints: int = 2
    variant: dict[str, Any] | None = None
    framework: str | None = None  # "qiskit" or "cirq": the syntax of hints when the answer has none
    mistakes: tuple[dict[str, Any], ...] = ()

    @property
    def title(self) -> str:
        """The exercise's title in the current language."""
        return t(f"check.ex.{self.id}.title")

    def hint(self, level: int, framework: str | None = None) -> str:
        """Hint number ``level`` (0 = first, gentlest) of the ladder; later hints give more away.
        ``framework`` picks the Qiskit or Cirq version of a hint that shows code."""
        key = f"check.ex.{self.id}.hint{min(max(level, 0), self.hints - 1) + 1}"
        return _message((key,), framework or self.framework) or t(key)

    def mistake_hint(self, reason: str | None, framework: str | None = None) -> str | None:
        """The hint for the mistake ``reason`` (this exercise's own, else the generic one), or
        ``None`` when no message explains that mistake."""
        if not reason:
            return None
        keys = (f"check.ex.{self.id}.mistake.{reason}", f"check.mistake.{reason}")
        return _message(keys, framework or self.framework)


    def resolve(self, student: str | None = None) -> dict[str, Any]:
        """The parameters for one student: fixed ``params`` plus the student's variant, if any.

        Needs a student id only when the exercise has a variant (raises
        :class:`qlab.variants.MissingStudentIdError` when none is set).
        """
        out = dict(self.params)
        if self.variant:
            from ..variants import variant

            spec = dict(self.variant)
            name = spec.pop("name")
            out[name] = variant(self.id, student=student, **spec)
        return out


def _message(keys: tuple[str, ...], framework: str | None) -> str | None:
    """The first of ``keys`` that exists (its ``framework`` version first), in the current
    language."""
    from ..i18n import catalog

    known = catalog("en")
    for key in keys:
        for candidate in ((f"{key}.{framework}",) if framework else ()) + (key,):
            if candidate in known:
                return t(candidate)
    return None


@cache
def _bank() -> dict[str, Exercise]:
    # exercises.json holds the seed exercises; exercises-<topic>.json files add a lesson's own
    raw: dict[str, Any] = {}
    folder = resources.files("qlab") / "exercise_bank"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("exercises") and entry.name.endswith(".json"):
            more = json.loads(entry.read_text(encoding="utf-8"))
            clash = set(raw) & set(more)
            if clash:
                raise RuntimeError(f"exercise ids defined twice ({entry.name}): {sorted(clash)}")
            raw.update(more)
    return {
        key: Exercise(
            id=key,
            checker=entry["checker"],
            params=dict(entry.get("params", {})),
            hints=int(entry.get("hints", 2)),
            variant=entry.get("variant"),
            framework=entry.get("framework"),
            mistakes=tuple(entry.get("mistakes", ())),
        )
        for key, entry in raw.items()
    }


def exercise_ids() -> list[str]:
    """Every exercise id, sorted."""
    return sorted(_bank())


def get(exercise_id: str) -> Exercise:
    """The exercise ``exercise_id``; an unknown id raises :class:`UnknownExerciseError` listing
    the known ones and the closest match."""
    bank = _bank()
    if isinstance(exercise_id, str) and exercise_id.strip() in bank:
        return bank[exercise_id.strip()]
    import difflib

    close = difflib.get_close_matches(str(exercise_id), list(bank), n=1, cutoff=0.5)
    hint = t("check.did_you_mean", name=close[0]) if close else ""
    raise UnknownExerciseError(
        t("check.unknown_exercise", name=str(exercise_id), known=", ".join(sorted(bank)), hint=hint)
    )


def params(exercise_id: str, student: str | None = None) -> dict[str, Any]:
    """The parameters of ``exercise_id`` for ``student`` (default: the current student id)."""
    return get(exercise_id).resolve(student)


def run_checker(exercise: Exercise, answer: Any, resolved: dict[str, Any]) -> Any:
    """Run the exercise's checking function on ``answer`` with ``resolved`` parameters (and the
    exercise's known mistakes, for a checker that takes ``mistakes``)."""
    import inspect

    checker = find_checker(exercise.checker)
    extra: dict[str, Any] = {}
    if exercise.mistakes and "mistakes" in inspect.signature(checker).parameters:
        extra["mistakes"] = exercise.mistakes
    return checker(answer, **resolved, **extra)


def find_checker(name: str) -> Any:
    """A checking function by name: a key of ``checkers.CHECKERS``, or ``"module:function"`` for a
    checker that lives in a lesson's own module (e.g. ``"qlab.exercise_bank.checkers_noise:readout"``)."""
    if ":" in name:
        from importlib import import_module

        module, _, function = name.partition(":")
        return getattr(import_module(module), function)
    from .checkers import CHECKERS

    return CHECKERS[name]


__all__ = ["Exercise", "UnknownExerciseError", "exercise_ids", "get", "params", "run_checker"]
