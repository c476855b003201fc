"""Shared trajectories: noisy state-vector sampling in which shots share simulations.

Simulating every shot as its own trajectory (qsim's way for a noisy circuit) repeats the same
work: at IonQ's error rates most shots of a 20-qubit, depth-5 circuit see *no* error event at all
(about 73 %), yet each is simulated from scratch. Here the randomness of the noise is drawn first,
for every shot, and each *distinct* error pattern is simulated once.

**The exact part.** Every channel the device applies (:mod:`qlab.hardware.noise`) is a mixture
with fixed probabilities, so its choice can be drawn before simulating:

* depolarizing with lambda on ``d`` qubits = each of the ``4**d - 1`` non-identity Pauli strings
  with probability ``lambda / 4**d`` (else nothing);
* thermal relaxation (amplitude damping ``gamma`` then phase damping ``gamma_phi``) with
  ``T2 <= T1`` = a reset to ``|0>`` with probability ``gamma``, else a Z with probability
  ``z = (1 - sqrt((1 - gamma_phi) / (1 - gamma))) / 2``, else nothing. (Populations: ``rho11``
  keeps ``1 - gamma``; coherences keep ``(1 - gamma)(1 - 2z) = sqrt((1 - gamma)(1 - gamma_phi))
  = exp(-t / T2)``, the same as Aer's ``thermal_relaxation_error`` for ``T2 <= T1``.) Amplitude
  damping is not a mixture of unitaries: its non-unitary part is the reset, whose *probability*
  is fixed and whose *outcome* depends on the state. A pattern with a reset is split there: the
  reset qubit's probability of reading 1 is computed on the shared state and the pattern's shots
  are divided between the two branches binomially, as Aer's shot branching does. With ``T2 > T1``
  relaxation is not such a mixture; :func:`applicable` says so and the plan uses one trajectory
  per shot instead;
* readout: each measured bit flips with probability ``readout[q]``, drawn per shot.

Per channel, the number of shots it hits is drawn ``Binomial(shots, p)`` and the shots chosen
uniformly without repetition: the same law as a draw per shot. An error on a qubit after that
qubit's last gate commutes with everything after it and acts on the read bit (X, Y: a flip; Z:
nothing; reset: 0): it costs no simulation. Since every pattern is known before anything is
simulated, the simulation walks the ideal circuit once, stopping where patterns begin: each
distinct pattern starts from the ideal state at its first error (or at most ``STOP_GATES`` gates
before it: a stop costs a call to qsim, worth about that many gates), and its shots are sampled
from its final state. Two shortcuts need no state at all or less of one
(:mod:`.pauli_frame`): a pattern of Pauli errors that only Clifford gates follow (or gates they
commute with) is carried to the end as a frame and costs nothing, its shots drawn from the ideal
final state with the frame's bits flipped; and a pattern whose errors reach few of the later
gates (their light cone ``V``) is simulated back from the ideal final state as ``V P
V^dagger``, when that is fewer gates than going forward. A program whose every gate is a
Clifford gate (a GHZ, a Bell pair, an error-correction round, compiled) needs no state vector at
all: its patterns run on stim's tableau simulator (:func:`on_tableau`), exactly and at any width
(a noisy GHZ-36 on ``ionq-forte`` in a tenth of a second). So far every shot is an independent
draw from the device's noisy distribution (``tests/test_trajectories.py`` compares it with the
exact density matrix).

**The shared part (stated, not hidden).** A pattern costs a state-vector simulation of ``2**n``
amplitudes; past a budget of ``2**38`` amplitude-gate updates for the error patterns
(:func:`max_error_trajectories`: over 1000 at 20 qubits and depth 5, 25 at 25 qubits) the shots
with an error share trajectories: ``M`` patterns drawn like any others each carry about
``N_err / M`` shots. Every shot is still distributed exactly as the device's noise says and the
counts are unbiased, but shots of one trajectory are not independent: the variance of a count
among the error shots grows by up to the number of shots per trajectory. ``qlab.explain_run`` and
``last_run["shots_per_trajectory"]`` say when this happens; nothing is shared below the budget.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import product

import numpy as np

from ..hardware.noise import Channel, NoiseParams
from . import pauli_frame, qsim_direct, stim_engine
from .qsim_direct import Gate, Lowered

# a call to qsim costs a fresh state, copies and reorderings: about this many native gates
# (measured from 16 to 25 qubits: 11 to 27; qsim_direct.simulate of one gate against many)
STOP_GATES = 24
WORK_BUDGET = 2**38  # amplitude-gate updates the error patterns may take before they share
MIN_ERROR_TRAJECTORIES = 4


@dataclass(frozen=True)
class Event:
    """A channel at a place in the program: its options are drawn per shot.

    ``position``: the error acts after the first ``position`` gates. ``options``: ``(probability,
    action)``; an action is a Pauli string over ``qubits`` (big-endian) or ``"R"`` (reset).
    """

    position: int
    qubits: tuple[int, ...]
    options: tuple[tuple[float, str], ...]

    @property
    def probability(self) -> float:
        return sum(p for p, _ in self.options)


@dataclass(frozen=True)
class NoisyProgram:
    """A lowered native program with its channels as events."""

    lowered: Lowered
    events: tuple[Event, ...]
    readout: tuple[float, ...]  # per entry of lowered.measures
    last_gate: tuple[int, ...]  # per compact qubit: the position after its last gate (0: none)

    @property
    def num_gates(self) -> int:
        return len(self.lowered.gates)

    def _simulated(self, e: Event) -> float:
        """The probability that event ``e`` gives a shot a simulation of its own: an error before
        one of its qubits' last gate, not carried to the end by the Pauli frame (a Pauli from
        :meth:`clifford_from` on is; a reset never is)."""
        if not any(e.position < self.last_gate[q] for q in e.qubits):
            return 0.0
        if e.position >= self.clifford_from():
            return sum(p for p, action in e.options if action == "R")
        return e.probability

    def clifford_from(self) -> int:
        """The first position from which every gate is a Clifford gate."""
        found = self.__dict__.get("_clifford_from")
        if found is None:
            found = len(self.lowered.gates)
            while found and pauli_frame.images(self.lowered.gates[found - 1].flat,
                                               len(self.lowered.gates[found - 1].qubits)) is not None:  # fmt: skip
                found -= 1
            self.__dict__["_clifford_from"] = found  # kept: the dataclass is frozen, not its cache
        return found

    def p_no_error(self) -> float:
        """Probability that a shot needs no simulation of its own (no error before a qubit's
        last gate, or only Pauli errors the frame carries to the end)."""
        log = 0.0
        for e in self.events:
            p = self._simulated(e)
            if p > 0:
                log += math.log1p(-min(p, 1.0 - 1e-15))
        return math.exp(log)

    def mean_restart_fraction(self) -> float:
        """Of the gates, the mean share an error pattern simulates: forward from its first error
        (with the cost of a call to qsim and of the stop before it) or, when fewer, twice its
        light cone from the ideal final state. Light cones are measured on at most 64 events."""
        g = max(self.num_gates, 1)
        needed = [(e, p) for e in self.events if (p := self._simulated(e)) > 0]
        if not needed:
            return 0.0
        step = max(1, len(needed) // 64)
        total = weight = 0.0
        for e, p in needed[::step]:
            forward = self.num_gates - e.position + 1.5 * STOP_GATES
            cone = 2 * len(pauli_frame.light_cone(self.lowered.gates, e.position, e.qubits)) + STOP_GATES
            weight += p
            total += p * min(forward, cone) / g
        return total / weight


def applicable(params: NoiseParams, physical: tuple[int, ...]) -> bool:
    """Is every relaxation channel of these qubits a mixture (``T2 <= T1``)?"""
    return all(params.t2[q] <= params.t1[q] for q in physical)


def noisy_program(lowered: Lowered, params: NoiseParams | None) -> NoisyProgram:
    """The events of the device's noise (:mod:`qlab.hardware.noise`) on a lowered program."""
    events: list[Event] = []
    phys = lowered.physical
    compact = {p: i for i, p in enumerate(phys)}
    position = 0
    last = [0] * lowered.num_qubits
    for item in lowered.timeline:
        if item[0] == "gate":
            gate = lowered.gates[item[1]]
            position += 1
            for q in gate.qubits:
                last[q] = position
            if params is not None:
                qubits = tuple(sorted(phys[q] for q in gate.qubits))
                for ch in params.gate_channels(qubits):
                    events.extend(_events(ch, position, compact))
        elif params is not None:
            _, q, seconds = item
            for ch in params.idle_channels(phys[q], seconds):
                events.extend(_events(ch, position, compact))
    readout = tuple(params.readout[phys[q]] if params is not None else 0.0 for q, _ in lowered.measures)
    return NoisyProgram(lowered, tuple(e for e in events if e.probability > 0), readout, tuple(last))


def _events(ch: Channel, position: int, compact: dict[int, int]) -> list[Event]:
    qubits = tuple(compact[q] for q in ch.qubits)
    if ch.kind == "depolarizing":
        d = len(qubits)
        each = ch.p / 4**d
        labels = ["".join(s) for s in product("IXYZ", repeat=d)][1:]
        return [Event(position, qubits, tuple((each, lab) for lab in labels))]
    if ch.kind == "relaxation":
        gamma, gphi = ch.p, ch.phase
        if gamma >= 1.0:
            return [Event(position, qubits, ((1.0, "R"),))]
        ratio = (1.0 - gphi) / (1.0 - gamma)
        if ratio > 1.0 + 1e-12:
            raise ValueError("relaxation with T2 > T1 is not a mixture")  # applicable() said no
        z = (1.0 - math.sqrt(min(ratio, 1.0))) / 2.0
        opts = tuple(o for o in (((1.0 - gamma) * z, "Z"), (gamma, "R")) if o[0] > 0)
        return [Event(position, qubits, opts)] if opts else []
    return []


def stops(starts: list[int], stop_gates: int = STOP_GATES) -> list[int]:
    """Where the ideal walk stops, for patterns whose first errors are at ``starts`` (sorted):
    at a pattern's start unless the last stop is at most ``stop_gates`` gates before it (then the
    pattern re-simulates those few gates rather than pay for another call)."""
    out = [0]
    for p in starts:
        if p - out[-1] > stop_gates:
            out.append(p)
    return out


def max_error_trajectories(num_qubits: int, num_gates: int) -> int:
    """How many error patterns are simulated before shots share them (see the module docstring)."""
    return max(MIN_ERROR_TRAJECTORIES, WORK_BUDGET // (2**num_qubits * max(num_gates, 1)))


NO_CAP = 1 << 30


def error_trajectory_cap(program: NoisyProgram) -> int:
    """The cap of :func:`max_error_trajectories` for this program; none on the tableau, where a
    pattern costs milliseconds at any width."""
    if on_tableau(program):
        return NO_CAP
    return max_error_trajectories(program.lowered.num_qubits, program.num_gates)


# ---- drawing the patterns ---------------------------------------------------------------------


@dataclass
class Draw:
    """What the noise did to each shot.

    ``groups``: quantum pattern (a tuple of ``(position, qubits, action)``) -> the shots that
    have it; ``classical``: per shot, ``(qubit, action)`` in order (``"X"`` flip, ``"R"`` reset);
    ``shots_per_trajectory``: 1 when every error pattern is simulated, else the most shots one
    carries.
    """

    groups: dict[tuple, list[int]]
    classical: dict[int, list[tuple[int, str]]]
    shots_per_trajectory: int = 1
    error_shots: int = 0
    flips: list[np.ndarray] = field(default_factory=list)
    framed: int = 0  # shots whose errors all went through to the end as a Pauli frame


def draw(program: NoisyProgram, shots: int, rng: np.random.Generator) -> Draw:
    """Draw every shot's error pattern (exactly the device's law, shot by shot)."""
    events = program.events
    probs = np.array([e.probability for e in events]) if events else np.zeros(0)
    hits = rng.binomial(shots, np.minimum(probs, 1.0)) if events else np.zeros(0, dtype=int)
    rows: list[tuple[int, int, str]] = []  # (shot, event, action)
    for i in np.nonzero(hits)[0]:
        e = events[i]
        chosen = rng.choice(shots, size=int(hits[i]), replace=False)
        if len(e.options) == 1:
            which = np.zeros(len(chosen), dtype=int)
        else:
            p = np.array([o[0] for o in e.options])
            which = rng.choice(len(e.options), size=len(chosen), p=p / p.sum())
        rows.extend((int(s), int(i), e.options[w][1]) for s, w in zip(chosen, which, strict=True))
    rows.sort()
    quantum: dict[int, list[tuple]] = {}
    classical: dict[int, list[tuple[int, str]]] = {}
    last = program.last_gate
    for shot, i, action in rows:
        e = events[i]
        q_items: list[tuple[int, str]] = []
        for q, a in _split(e.qubits, action):
            if e.position >= last[q]:
                if a in ("X", "Y"):
                    classical.setdefault(shot, []).append((q, "X"))
                elif a == "R":
                    classical.setdefault(shot, []).append((q, "R"))
            elif a != "I":
                q_items.append((q, a))
        if q_items:
            qs = tuple(q for q, _ in q_items)
            act = "R" if action == "R" else "".join(a for _, a in q_items)
            quantum.setdefault(shot, []).append((e.position, qs, act))
    groups: dict[tuple, list[int]] = {(): []}
    resolved: dict[tuple, tuple[tuple, int]] = {}
    framed = 0
    gates = program.lowered.gates
    for shot in range(shots):
        key = tuple(quantum.get(shot, ()))
        if key:
            # Pauli errors carried forward through Clifford gates (:mod:`.pauli_frame`): to the
            # end (the ideal final state, bits flipped) or to the first gate they cannot pass
            found = resolved.get(key)
            if found is None:
                rest, mask = pauli_frame.advance(gates, key)
                found = resolved[key] = (tuple(rest), mask)
            key, mask = found
            if not key:
                framed += 1
                flips_of_frame = [(q, "X") for q in range(program.lowered.num_qubits) if (mask >> q) & 1]
                if flips_of_frame:
                    classical[shot] = flips_of_frame + classical.get(shot, [])
        groups.setdefault(key, []).append(shot)
    flips = [rng.random(shots) < r if r > 0 else None for r in program.readout]
    out = Draw(groups, classical, error_shots=shots - len(groups[()]), flips=flips, framed=framed)
    cap = error_trajectory_cap(program)
    if len(groups) - 1 > cap:
        _share(out, cap, rng)
    return out


def _split(qubits: tuple[int, ...], action: str) -> list[tuple[int, str]]:
    if action == "R":
        return [(qubits[0], "R")]
    return list(zip(qubits, action, strict=True))


def _share(d: Draw, cap: int, rng: np.random.Generator) -> None:
    """Give the error shots ``cap`` trajectories: the patterns of ``cap`` of them, drawn at random,
    each carried whole (quantum and classical parts) by every shot assigned to it."""
    error_shots = [s for key, members in d.groups.items() if key for s in members]
    order = rng.permutation(np.array(error_shots, dtype=np.int64))
    shot_key = {s: key for key, members in d.groups.items() if key for s in members}
    reps = [int(s) for s in order[:cap]]
    groups: dict[tuple, list[int]] = {(): d.groups[()]}
    classical = {s: v for s, v in d.classical.items() if s not in shot_key}
    carried: list[list[int]] = [[] for _ in reps]
    for j, s in enumerate(order.tolist()):
        carried[j % cap].append(s)
    for rep, members in zip(reps, carried, strict=True):
        # identical patterns may be drawn twice: they stay two trajectories (each with its shots)
        groups[(*shot_key[rep], ("rep", rep))] = members
        for s in members:
            if rep in d.classical:
                classical[s] = d.classical[rep]
            else:
                classical.pop(s, None)
    d.groups = groups
    d.classical = classical
    d.shots_per_trajectory = max(len(m) for m in carried)


# ---- simulating the patterns ------------------------------------------------------------------


def run(program: NoisyProgram, shots: int, seed: int | None, threads: int,
        progress: Callable[[int, int], None] | None = None) -> np.ndarray:  # fmt: skip
    """``(shots, num_clbits)`` sampled bits of the noisy program; also returns through
    :data:`last_draw` how many trajectories it simulated."""
    rng = np.random.default_rng(seed)
    d = draw(program, shots, rng)
    patterns = sorted(((k, [it for it in k if it[0] != "rep"]) for k in d.groups if k), key=lambda p: p[0][0][0])
    if on_tableau(program):
        bits = _tableau_bits(program, d, patterns, shots, rng)
        backward: list = []
        if progress is not None:
            progress(1, 1)
    else:
        bits, backward = _state_vector_bits(program, d, patterns, shots, rng, threads, progress)
    last_draw.clear()
    last_draw.update(trajectories=len(patterns) + 1, error_shots=d.error_shots, frame_shots=d.framed,
                     backward=len(backward), shots_per_trajectory=d.shots_per_trajectory,
                     simulator="stim" if on_tableau(program) else "qsim")  # fmt: skip
    return _read_out(program, d, bits, shots)


def _state_vector_bits(program: NoisyProgram, d: Draw, patterns: list[tuple[tuple, list]], shots: int,
                       rng: np.random.Generator, threads: int,
                       progress: Callable[[int, int], None] | None) -> tuple[np.ndarray, list]:  # fmt: skip
    """Every shot's qubit bits on qsim (``patterns``: each key with its error items, by first
    error), and the patterns simulated back from the final state."""
    low = program.lowered
    n, gates = low.num_qubits, low.gates
    indices = np.zeros(shots, dtype=np.uint64)
    forward: list[tuple[tuple, list]] = []
    backward: list[tuple[tuple, list[Gate]]] = []
    for key, items in patterns:
        undo = _undo_gates(gates, items)
        if undo is not None and len(undo) < len(gates) - items[0][0]:
            backward.append((key, undo))
        else:
            forward.append((key, items))
    marks = stops([items[0][0] for _, items in forward])
    total = len(patterns) + 1
    done = 0
    main: np.ndarray | None = None  # the ideal state after gates[:at] (None: all zeros, at 0)
    at = 0
    for key, items in forward:
        start = int(marks[np.searchsorted(marks, items[0][0], side="right") - 1])
        if start > at:
            main = qsim_direct.simulate(n, gates[at:start], main, threads)
            at = start
        _finish(n, gates, main, at, items, d.groups[key], indices, rng, threads)
        done += 1
        if progress is not None:
            progress(done, total)
    free = d.groups[()]
    if free or backward:
        final = qsim_direct.simulate(n, gates[at:], main, threads)
        main = None
        if free:
            indices[free] = qsim_direct.sample_state(final, len(free), rng)
        for key, undo in backward:
            # V P V^dagger on the ideal final state (pauli_frame's light cone)
            out = qsim_direct.simulate(n, undo, final, threads)
            members = d.groups[key]
            indices[members] = qsim_direct.sample_state(out, len(members), rng)
            done += 1
            if progress is not None:
                progress(done, total)
    bits = qsim_direct.indices_to_bits(indices, n) if n else np.zeros((shots, 0), dtype=np.uint8)
    return bits, backward


def _read_out(program: NoisyProgram, d: Draw, bits: np.ndarray, shots: int) -> np.ndarray:
    """``(shots, num_clbits)``: each shot's qubit bits (column ``q``: compact qubit ``q``) after its
    errors past the last gate (flips, resets) and the readout flips."""
    low = program.lowered
    for shot, ops in d.classical.items():
        for q, a in ops:
            bits[shot, q] = 0 if a == "R" else bits[shot, q] ^ 1
    out = np.zeros((shots, low.num_clbits), dtype=np.uint8)
    for (q, clbit), flip in zip(low.measures, d.flips, strict=True):
        col = bits[:, q]
        out[:, clbit] = col ^ flip if flip is not None else col
    return out


last_draw: dict[str, int | str] = {}


def on_tableau(program: NoisyProgram) -> bool:
    """Every gate of the program is a Clifford gate: the patterns run on stim's tableau simulator
    (:func:`_tableau_bits`), exactly and at any width."""
    return program.clifford_from() == 0


def _tableau_bits(program: NoisyProgram, d: Draw, patterns: list[tuple[tuple, list]], shots: int,
                  rng: np.random.Generator) -> np.ndarray:  # fmt: skip
    """Every shot's qubit bits on stim: the error-free shots and those whose Pauli frame reached
    the end from the ideal circuit, each remaining pattern (a reset, and what follows it) from the
    circuit with its errors put in. stim's ``R`` is the reset channel the pattern drew: the qubit
    traced out and prepared in ``|0>``, exactly what the qsim path does by branching."""
    import stim

    low = program.lowered
    n = low.num_qubits
    pieces = program.__dict__.get("_stim_pieces")
    if pieces is None:  # kept with the program
        pieces = program.__dict__["_stim_pieces"] = [stim_engine.gate_circuit(g) for g in low.gates]
    bits = np.zeros((shots, n), dtype=np.uint8)
    for key, items in [((), []), *patterns]:
        members = d.groups[key]
        if not members or not n:
            continue
        circuit = stim.Circuit()
        j = 0
        for pos in range(len(pieces) + 1):
            while j < len(items) and items[j][0] == pos:
                _, qs, act = items[j]
                if act == "R":
                    circuit.append("R", [qs[0]])
                else:
                    for q, a in zip(qs, act, strict=True):
                        if a != "I":
                            circuit.append(a, [q])
                j += 1
            if pos < len(pieces):
                circuit += pieces[pos]
        circuit.append("M", list(range(n)))
        sampler = circuit.compile_sampler(seed=int(rng.integers(2**62)))
        bits[members] = sampler.sample(len(members)).astype(np.uint8)
    return bits


def _undo_gates(gates: tuple[Gate, ...], items: list[tuple]) -> list[Gate] | None:
    """The gates that give a pattern's final state from the ideal final state, ``V_1 P_1
    V_1^dagger`` then ``V_2 P_2 V_2^dagger`` ... (each ``V`` the error's light cone, see
    :mod:`.pauli_frame`); ``None`` for a pattern with a reset (not a unitary)."""
    out: list[Gate] = []
    for position, qs, act in items:
        if act == "R":
            return None
        cone = pauli_frame.light_cone(gates, position, qs)
        out.extend(qsim_direct.adjoint(gates[i]) for i in reversed(cone))
        out.append(Gate(qs, qsim_direct.pauli_flat(act)))
        out.extend(gates[i] for i in cone)
    return out


def _with_errors(gates: tuple[Gate, ...], start: int, stop: int, items: list[tuple]) -> list[Gate]:
    """Gates ``start..stop`` with the Pauli errors of ``items`` (positions in that range) put in."""
    out: list[Gate] = []
    j = 0
    for pos in range(start, stop + 1):
        while j < len(items) and items[j][0] == pos:
            _, qs, act = items[j]
            out.append(Gate(qs, qsim_direct.pauli_flat(act)))
            j += 1
        if pos < stop:
            out.append(gates[pos])
    return out


def _finish(n: int, gates: tuple[Gate, ...], state: np.ndarray | None, at: int, items: list[tuple],
            members: list[int], indices: np.ndarray, rng: np.random.Generator, threads: int) -> None:  # fmt: skip
    """Simulate one pattern from the checkpoint state at gate ``at`` and sample its shots;
    a reset splits the shots between its two outcomes."""
    reset = next((i for i, it in enumerate(items) if it[2] == "R"), None)
    stop = len(gates) if reset is None else items[reset][0]
    before = items if reset is None else items[:reset]
    if state is None:
        state = np.zeros(2**n, dtype=np.complex64)
        state[0] = 1
    out = qsim_direct.simulate(n, _with_errors(gates, at, stop, before), state, threads)
    if reset is None:
        indices[members] = qsim_direct.sample_state(out, len(members), rng)
        return
    (q,) = items[reset][1]
    rest = items[reset + 1 :]
    view = out.reshape(2 ** q, 2, 2 ** (n - 1 - q))  # compact qubit q is bit n-1-q
    p1 = float(np.vdot(view[:, 1, :], view[:, 1, :]).real)
    p0 = float(np.vdot(view[:, 0, :], view[:, 0, :]).real)
    ones = int(rng.binomial(len(members), p1 / (p0 + p1))) if p0 + p1 > 0 else 0
    parts = [(1, members[:ones]), (0, members[ones:])]
    parts = [(outcome, part) for outcome, part in parts if part]
    for i, (outcome, part) in enumerate(parts):
        last = i == len(parts) - 1
        # the qubit reset to |0>: the outcome's half moved to the 0 half, the other half zero
        # (the last branch reuses the pattern's own state: qsim_direct.simulate returned a new one)
        branch = out if last else np.empty_like(out)
        bview = branch.reshape(view.shape)
        if outcome or not last:
            bview[:, 0, :] = view[:, outcome, :]
        bview[:, 1, :] = 0
        branch /= math.sqrt(p1 if outcome else p0)
        _finish(n, gates, branch, stop, rest, part, indices, rng, threads)
