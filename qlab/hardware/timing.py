"""Time on the device: when each operation of a native circuit starts, and how long qubits wait.

A real device runs a circuit as a timed program. qlab schedules it **as soon as possible**: each
operation starts when all of its qubits are free; a gate takes the device's ``duration_1q`` or
``duration_2q``, a ``delay`` the time it asks for, a mid-circuit measurement ``duration_measure``
(0 where the device publishes none), a barrier no time (but its qubits start together after it).
The **final readout** happens at the same moment for every qubit measured at the end, after the
last gate of the whole circuit, as on IQM's and IonQ's machines: a qubit that finished early waits.

While a qubit waits it relaxes (T1, T2): :func:`schedule` returns every wait, and the noise model
(:mod:`qlab.hardware.noise`) puts relaxation there. A qubit that has not been used yet waits in
``|0>``, which relaxation leaves as it is, so waits count from a qubit's first operation.

The schedule works on plain :class:`Step` records, so the Qiskit and the Cirq circuit of the same
native program get the same waits (:mod:`qlab.qiskit_side.schedule` writes them into a circuit).

>>> steps = [Step((0,), 40e-9), Step((0, 1), 80e-9), Step((1,), 40e-9), Step((0,), 0, "measure",
...          terminal=True), Step((1,), 0, "measure", terminal=True)]
>>> [(round(w.seconds * 1e9), w.qubit, w.before) for w in schedule(steps).waits]
[(40, 0, 3)]
"""

from __future__ import annotations

from dataclasses import dataclass, field

_EPS = 1e-15  # seconds; shorter waits are rounding, not time


@dataclass(frozen=True)
class Step:
    """One operation as the clock sees it: the qubits it occupies and for how long.

    ``kind`` is ``"gate"``, ``"measure"``, ``"reset"``, ``"delay"`` (the qubit waits ``duration``
    on purpose) or ``"barrier"`` (no time; its qubits line up). ``terminal`` marks a measurement
    after which its qubit does nothing else: it belongs to the final readout.
    """

    qubits: tuple[int, ...]
    duration: float
    kind: str = "gate"
    terminal: bool = False


@dataclass(frozen=True)
class Wait:
    """Qubit ``qubit`` waits ``seconds`` just before step number ``before``."""

    qubit: int
    seconds: float
    before: int


@dataclass
class Schedule:
    """When each step starts, every wait, and when the circuit ends (the final readout)."""

    starts: list[float] = field(default_factory=list)
    waits: list[Wait] = field(default_factory=list)
    end: float = 0.0


def schedule(steps: list[Step]) -> Schedule:
    """The as-soon-as-possible schedule of ``steps`` (in program order) and its waits."""
    free: dict[int, float] = {}  # when each used qubit is next free
    out = Schedule()
    final: list[int] = []
    for i, step in enumerate(steps):
        if step.terminal:
            out.starts.append(0.0)  # fixed below, once the last gate is known
            final.append(i)
            continue
        used = [q for q in step.qubits if q in free]
        start = max((free[q] for q in used), default=0.0)
        for q in used:
            if start - free[q] > _EPS:
                out.waits.append(Wait(q, start - free[q], i))
        out.starts.append(start)
        if step.kind == "barrier":  # lines its qubits up, takes no time
            for q in step.qubits:
                free[q] = start
            continue
        end = start + max(step.duration, 0.0)
        for q in step.qubits:
            free[q] = end
    out.end = max(free.values(), default=0.0)
    for i in final:
        out.starts[i] = out.end
        for q in steps[i].qubits:
            if q in free and out.end - free[q] > _EPS:
                out.waits.append(Wait(q, out.end - free[q], i))
            free[q] = out.end
    out.waits.sort(key=lambda w: (w.before, w.qubit))
    return out


def terminal_flags(qubits_per_step: list[tuple[int, ...]], is_measure: list[bool]) -> list[bool]:
    """Which measurements are final: no later step touches their qubits other than another final
    measurement (give barriers no qubits here: they do not make a measurement mid-circuit)."""
    later: set[int] = set()
    flags = [False] * len(qubits_per_step)
    for i in reversed(range(len(qubits_per_step))):
        qubits = qubits_per_step[i]
        if is_measure[i] and not later.intersection(qubits):
            flags[i] = True
        else:
            later.update(qubits)
    return flags
