"""A device described once, as data.

A ``DeviceSpec`` holds everything qlab knows about one (emulated) quantum computer: its qubits,
which pairs are coupled, its native gates, how long gates take, T1/T2, gate and readout errors, and
where each figure comes from. The Qiskit backend and the Cirq device are both *rendered* from it,
so the two frameworks always agree.

Specs are read from JSON files (``qlab/hardware/data/*.json`` ship with qlab; an instructor can
add their own, see :func:`qlab.catalog.add_device`). The file format, field by field:

``name``            lower-case id, e.g. ``"iqm-spark"``
``title``           a human name, e.g. ``"IQM Spark-like (5 qubits, star)"``
``description``     one paragraph for students
``num_qubits``      how many qubits
``qubit_labels``    optional names shown in plots (``["QB1", ...]``); default ``q0, q1, ...``
``coupling``        ``"all-to-all"`` or a list of pairs ``[[0, 2], [1, 2], ...]`` (0-based)
``native_gates``    e.g. ``["r", "cz"]`` (Qiskit names, see :data:`qlab.hardware.gates.GATES`);
                    measure, reset, delay and barrier are allowed on every device
``figures``         the numbers, each ``{"value": ..., "source": "<key in sources>"}``:
                    ``duration_1q``, ``duration_2q``, ``duration_measure`` (seconds);
                    ``dt`` (seconds: the time unit of a Qiskit ``delay(..., unit="dt")``);
                    ``t1``, ``t2`` (seconds; one number or one per qubit);
                    ``error_1q`` (a gate infidelity; one number or one per qubit) or
                    ``depolarizing_1q`` (depolarizing lambda, as IQM publishes it);
                    ``error_2q`` / ``depolarizing_2q`` (one number, or ``{"0-2": x, ...}`` per pair);
                    ``readout_error`` (P(read not-x | prepared x); one number or one per qubit).
                    A figure may add ``"note"``; a stand-in says so with ``"stand_in": true``.
                    An ``error_*`` figure says how its source reads it: ``"reads_as": "average"``
                    (average gate infidelity, the default) or ``"process"`` (process infidelity,
                    as IonQ's own noise models read IonQ's fidelities, arXiv:2308.05071).
``sources``         ``{"key": "where the figure comes from"}``
``noiseless``       optional, ``true`` for the ideal device
``translations``    optional, ``{"ko": {"title": "...", "description": "..."}}``: the human texts
                    in another language (:meth:`DeviceSpec.text` picks the current one)

Conversions, with d = 2**n (Nielsen and Chuang, eq. 9.138 / Horodecki et al. 1999): a depolarizing
channel ``rho -> (1 - lambda) rho + lambda I/d`` has average infidelity r = lambda (d - 1) / d and
process infidelity e = lambda (d^2 - 1) / d^2; in general r = e d / (d + 1). So lambda = 2r or 4e/3
for one qubit, and lambda = 4r/3 or 16e/15 for two.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import DeviceFileError
from ..i18n import get_language
from .gates import GATES, TWO_QUBIT_GATES, two_qubit_gate

KNOWN_GATES = frozenset(GATES)
FIGURE_KEYS = (
    "duration_1q",
    "duration_2q",
    "duration_measure",
    "dt",
    "t1",
    "t2",
    "error_1q",
    "depolarizing_1q",
    "error_2q",
    "depolarizing_2q",
    "readout_error",
)
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class Figure:
    """One published number (or list of numbers) and where it comes from."""

    value: Any
    source: str
    note: str = ""
    stand_in: bool = False
    reads_as: str = "average"  # error figures: "average" or "process" infidelity


@dataclass(frozen=True)
class DeviceSpec:
    """Everything qlab knows about one device. Build it with :func:`load_spec` or :func:`parse_spec`."""

    name: str
    title: str
    description: str
    num_qubits: int
    coupling: tuple[tuple[int, int], ...] | None  # None means all-to-all
    native_gates: tuple[str, ...]
    figures: Mapping[str, Figure]
    sources: Mapping[str, str]
    qubit_labels: tuple[str, ...] = ()
    noiseless: bool = False
    path: str = field(default="", compare=False)
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)

    def text(self, key: str, lang: str | None = None) -> str:
        """``"title"`` or ``"description"`` in ``lang`` (default: the current language,
        :func:`qlab.i18n.get_language`); the file's own (English) text when it has no translation."""
        own = {"title": self.title, "description": self.description}[key]
        return self.translations.get(lang or get_language(), {}).get(key) or own

    # ---- connectivity -------------------------------------------------------------------
    @property
    def all_to_all(self) -> bool:
        """True when every pair of qubits can meet in a two-qubit gate (trapped ions)."""
        return self.coupling is None

    @property
    def coupled_pairs(self) -> tuple[tuple[int, int], ...]:
        """Every coupled pair ``(a, b)`` with ``a < b``."""
        if self.coupling is None:
            n = self.num_qubits
            return tuple((a, b) for a in range(n) for b in range(a + 1, n))
        return self.coupling

    def is_coupled(self, a: int, b: int) -> bool:
        """Can qubits ``a`` and ``b`` meet in a two-qubit gate?"""
        if a == b or not (0 <= a < self.num_qubits and 0 <= b < self.num_qubits):
            return False
        return self.coupling is None or (min(a, b), max(a, b)) in self.coupling

    def label(self, q: int) -> str:
        """The name of qubit ``q`` as the vendor prints it (``QB3``), or ``q3``."""
        return self.qubit_labels[q] if self.qubit_labels else f"q{q}"

    # ---- figures, per qubit and per pair --------------------------------------------------
    def figure(self, key: str) -> Figure | None:
        return self.figures.get(key)

    def per_qubit(self, key: str, default: float = 0.0) -> tuple[float, ...]:
        """A figure as one number per qubit (a single published number is used for every qubit)."""
        fig = self.figures.get(key)
        if fig is None:
            return (default,) * self.num_qubits
        if isinstance(fig.value, (int, float)):
            return (float(fig.value),) * self.num_qubits
        return tuple(float(v) for v in fig.value)

    def scalar(self, key: str, default: float = 0.0) -> float:
        fig = self.figures.get(key)
        return default if fig is None else float(fig.value)

    def depolarizing_1q(self) -> tuple[float, ...]:
        """Depolarizing lambda that the published one-qubit figure amounts to, per qubit
        (lambda = 2r for an average infidelity r, 4e/3 for a process infidelity e). Relaxation
        during the gate is not taken out here: :func:`qlab.hardware.noise.noise_params` does that."""
        if "depolarizing_1q" in self.figures:
            return self.per_qubit("depolarizing_1q")
        return tuple(_lambda_of(e, 2, self._reads_as("error_1q")) for e in self.per_qubit("error_1q"))

    def error_1q(self) -> tuple[float, ...]:
        """Average infidelity r of the published one-qubit figure, per qubit (r = lambda / 2)."""
        return tuple(lam / 2.0 for lam in self.depolarizing_1q())

    def depolarizing_2q(self) -> dict[tuple[int, int], float]:
        """Depolarizing lambda of the published two-qubit figure on each coupled pair
        (lambda = 4r/3 for an average infidelity r, 16e/15 for a process infidelity e)."""
        if "depolarizing_2q" in self.figures:
            return self._per_pair("depolarizing_2q", 1.0)
        how = self._reads_as("error_2q")
        return {p: _lambda_of(e, 4, how) for p, e in self._per_pair("error_2q", 1.0).items()}

    def error_2q(self) -> dict[tuple[int, int], float]:
        """Average infidelity r of the published two-qubit figure on each coupled pair."""
        return {p: 3.0 * lam / 4.0 for p, lam in self.depolarizing_2q().items()}

    def _reads_as(self, key: str) -> str:
        fig = self.figures.get(key)
        return "average" if fig is None else fig.reads_as

    def _per_pair(self, key: str, scale: float) -> dict[tuple[int, int], float]:
        fig = self.figures.get(key)
        pairs = self.coupled_pairs
        if fig is None:
            return dict.fromkeys(pairs, 0.0)
        if isinstance(fig.value, (int, float)):
            return dict.fromkeys(pairs, float(fig.value) * scale)
        return {_pair_key(k): float(v) * scale for k, v in fig.value.items()}

    def readout_error(self) -> tuple[float, ...]:
        """P(read the wrong bit) per qubit."""
        return self.per_qubit("readout_error")

    def t1(self) -> tuple[float, ...]:
        return self.per_qubit("t1", float("inf"))

    def t2(self) -> tuple[float, ...]:
        return self.per_qubit("t2", float("inf"))

    @property
    def two_qubit_gate(self) -> str | None:
        """The native entangling gate's name (``ms``, ``zz``, ``cz`` or ``cx``)."""
        return two_qubit_gate(self.native_gates)


def _lambda_of(infidelity: float, d: int, reads_as: str) -> float:
    """The depolarizing lambda whose average (or process) infidelity is ``infidelity``."""
    if reads_as == "process":
        return infidelity * d * d / (d * d - 1.0)
    return infidelity * d / (d - 1.0)


def _pair_key(text: str) -> tuple[int, int]:
    a, b = (int(x) for x in str(text).split("-"))
    return (min(a, b), max(a, b))


# ---- loading and validation ------------------------------------------------------------------


def load_spec(path: str | Path) -> DeviceSpec:
    """Read a device file; a malformed file raises :class:`DeviceFileError` naming the field."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeviceFileError(f"{path}: no such device file") from None
    except json.JSONDecodeError as exc:
        raise DeviceFileError(
            f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return parse_spec(data, where=str(path))


def parse_spec(data: Mapping[str, Any], where: str = "<device data>") -> DeviceSpec:
    """Build a :class:`DeviceSpec` from a decoded JSON object, checking every field."""

    def bad(field_name: str, problem: str) -> DeviceFileError:
        return DeviceFileError(f"{where}: field '{field_name}' {problem}")

    if not isinstance(data, Mapping):
        raise DeviceFileError(f"{where}: a device file holds one JSON object")
    for required in ("name", "num_qubits", "coupling", "native_gates"):
        if required not in data:
            raise bad(required, "is missing")

    name = data["name"]
    if not isinstance(name, str) or not _NAME.match(name):
        raise bad("name", f"must be a lower-case id like 'my-chip', got {name!r}")
    n = data["num_qubits"]
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 1000:
        raise bad("num_qubits", f"must be a whole number from 1 to 1000, got {n!r}")

    coupling_raw = data["coupling"]
    coupling: tuple[tuple[int, int], ...] | None
    if coupling_raw == "all-to-all":
        coupling = None
    elif isinstance(coupling_raw, Sequence) and not isinstance(coupling_raw, str):
        pairs = set()
        for item in coupling_raw:
            if (
                not isinstance(item, Sequence)
                or len(item) != 2
                or not all(isinstance(q, int) and 0 <= q < n for q in item)
                or item[0] == item[1]
            ):
                raise bad(
                    "coupling",
                    f"holds {item!r}; each entry is a pair of two different qubits 0..{n - 1}",
                )
            pairs.add((min(item), max(item)))
        coupling = tuple(sorted(pairs))
    else:
        raise bad("coupling", f"must be \"all-to-all\" or a list of pairs, got {coupling_raw!r}")

    gates = data["native_gates"]
    if not isinstance(gates, Sequence) or isinstance(gates, str) or not gates:
        raise bad("native_gates", "must be a non-empty list of gate names")
    unknown = [g for g in gates if g not in KNOWN_GATES]
    if unknown:
        raise bad(
            "native_gates",
            f"names unknown gates {unknown}; known: {', '.join(sorted(KNOWN_GATES))}",
        )
    if n > 1 and not any(g in TWO_QUBIT_GATES for g in gates):
        raise bad("native_gates", f"needs a two-qubit gate, one of {sorted(TWO_QUBIT_GATES)}")

    sources = data.get("sources", {})
    if not isinstance(sources, Mapping):
        raise bad("sources", "must be an object mapping a key to a citation")

    figures: dict[str, Figure] = {}
    raw_figs = data.get("figures", {})
    if not isinstance(raw_figs, Mapping):
        raise bad("figures", "must be an object")
    for key, raw in raw_figs.items():
        fname = f"figures.{key}"
        if key not in FIGURE_KEYS:
            raise bad(fname, f"is not a known figure; known: {', '.join(FIGURE_KEYS)}")
        if not isinstance(raw, Mapping) or "value" not in raw:
            raise bad(fname, 'must be {"value": ..., "source": ...}')
        value = raw["value"]
        _check_value(value, key, n, coupling, lambda p, f=fname: bad(f, p))
        source = raw.get("source", "")
        if not source:
            raise bad(f"{fname}.source", "is missing: every figure says where it comes from")
        if source not in sources:
            raise bad(f"{fname}.source", f"names {source!r}, which is not a key of 'sources'")
        reads_as = raw.get("reads_as", "average")
        if reads_as not in ("average", "process") or (
            "reads_as" in raw and not key.startswith("error_")
        ):
            raise bad(
                f"{fname}.reads_as",
                f"is {reads_as!r}; an error_1q/error_2q figure reads as \"average\" or \"process\"",
            )
        figures[key] = Figure(
            value=value,
            source=source,
            note=str(raw.get("note", "")),
            stand_in=bool(raw.get("stand_in", False)),
            reads_as=reads_as,
        )
    for a, b in (("error_1q", "depolarizing_1q"), ("error_2q", "depolarizing_2q")):
        if a in figures and b in figures:
            raise bad(f"figures.{b}", f"and figures.{a} are both given; give one")

    translations = data.get("translations", {})
    if not isinstance(translations, dict) or not all(
        isinstance(lang, str) and isinstance(texts, dict)
        and all(k in ("title", "description") and isinstance(v, str) for k, v in texts.items())
        for lang, texts in translations.items()
    ):
        raise bad("translations", 'is not {"<language>": {"title": "...", "description": "..."}}')

    labels = tuple(data.get("qubit_labels", ()))
    if labels and len(labels) != n:
        raise bad("qubit_labels", f"has {len(labels)} names for {n} qubits")

    return DeviceSpec(
        name=name,
        title=str(data.get("title", name)),
        description=str(data.get("description", "")),
        num_qubits=n,
        coupling=coupling,
        native_gates=tuple(gates),
        figures=figures,
        sources=dict(sources),
        qubit_labels=labels,
        noiseless=bool(data.get("noiseless", False)),
        path=where,
        translations={lang: dict(texts) for lang, texts in translations.items()},
    )


def _check_value(value: Any, key: str, n: int, coupling, bad) -> None:
    def number_ok(x: Any) -> bool:
        if isinstance(x, bool) or not isinstance(x, (int, float)) or x < 0:
            return False
        return not (key.startswith(("error", "depolarizing", "readout")) and x > 1)

    if key.endswith("_2q") and key != "duration_2q" and isinstance(value, Mapping):
        allowed = (
            {(a, b) for a in range(n) for b in range(a + 1, n)} if coupling is None else set(coupling)
        )
        for pk, v in value.items():
            try:
                pair = _pair_key(pk)
            except ValueError:
                raise bad(f"has key {pk!r}; per-pair keys look like \"0-2\"") from None
            if pair not in allowed:
                raise bad(f"names pair {pk!r}, which is not coupled")
            if not number_ok(v):
                raise bad(f"has {v!r} for pair {pk}; expected a probability 0..1")
        return
    if isinstance(value, list):
        if key.startswith("duration") or key == "dt":
            raise bad("must be one number (seconds)")
        if len(value) != n:
            raise bad(f"lists {len(value)} values for {n} qubits")
        for v in value:
            if not number_ok(v):
                raise bad(f"holds {v!r}; expected a non-negative number (probabilities <= 1)")
        return
    if not number_ok(value):
        raise bad(f"is {value!r}; expected a non-negative number (probabilities <= 1)")
