"""Compact text for amplitudes and states: ``0.707|00⟩ + 0.707|11⟩``."""

from __future__ import annotations

import numpy as np

SHOW = 1e-3  # amplitudes smaller than this are left out of a printed state


def amp(z: complex, digits: int = 3) -> str:
    """``0.707``, ``-0.5i``, ``(0.5+0.5i)``: short, and exact-looking when it is exact."""
    re, im = round(z.real, digits), round(z.imag, digits)
    re = 0.0 if re == 0 else re  # no "-0"
    im = 0.0 if im == 0 else im
    if im == 0:
        return f"{re:g}"
    if re == 0:
        return f"{im:g}i"
    return f"({re:g}{im:+g}i)"


def ket(index: int, n: int) -> str:
    return f"|{index:0{n}b}⟩" if n else "|⟩"


def state(vec: np.ndarray, max_terms: int = 8) -> str:
    """A state as a sum of its visible basis terms, qubit 0 last (Qiskit order)."""
    n = int(len(vec)).bit_length() - 1
    terms = [(k, z) for k, z in enumerate(vec) if abs(z) >= SHOW]
    if not terms:
        return "0"
    shown = [f"{amp(z)}{ket(k, n)}" for k, z in terms[:max_terms]]
    text = " + ".join(shown).replace("+ -", "- ")
    if len(terms) > max_terms:
        text += f" + … ({len(terms) - max_terms} more)"
    return text


def phase_in_pi(phi: float) -> str:
    """An angle in radians as a multiple of pi in (-1, 1]: ``0.5π``."""
    x = (phi / np.pi + 1) % 2 - 1
    if abs(x + 1) < 1e-9:
        x = 1.0
    return f"{x:.3g}π"
