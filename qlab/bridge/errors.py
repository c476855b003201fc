"""The two ways a value fails to cross the boundary (shared by the codec and the circuit reader)."""

from __future__ import annotations


class NotData(TypeError):
    """A value that cannot cross the boundary (a module, a class, an open file, ...)."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


class DecodeError(ValueError):
    """A tree that is not a valid encoding (only a broken or hostile sender produces one)."""
