"""Errors qlab raises for bad input.

Every error a student or instructor can cause is a ``QlabError``: it names what was wrong and what
is allowed, so nobody has to read a traceback from deep inside Aer or Cirq. Subclasses also derive
from the built-in exception a Python user would expect (``ValueError``, ``TypeError``, ...), so
``except ValueError`` keeps working.
"""

from __future__ import annotations


class QlabError(Exception):
    """Base class of every error qlab raises on purpose."""


class UnknownDeviceError(QlabError, KeyError):
    """A device name that is not in the catalog."""

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0]) if self.args else ""


class DeviceFileError(QlabError, ValueError):
    """A device data file that is malformed; the message names the file and the field."""


class CircuitTooWideError(QlabError, ValueError):
    """A circuit that uses more qubits than the device has."""


class NotNativeError(QlabError, ValueError):
    """A gate that is not in the device's native set, where strict validation was asked for."""


class UncoupledQubitsError(QlabError, ValueError):
    """A two-qubit gate on a pair the device does not couple."""


class QubitNotOnDeviceError(QlabError, ValueError):
    """A qubit the device does not have (e.g. ``cirq.LineQubit(7)`` on a 5-qubit device)."""


class BadShotsError(QlabError, ValueError):
    """A shot count that is not a positive integer, or is absurdly large."""


class NotACircuitError(QlabError, TypeError):
    """Something that is neither a Qiskit ``QuantumCircuit`` nor a ``cirq.Circuit``."""


class TooMuchMemoryError(QlabError, MemoryError):
    """A simulation that would need more memory than the machine can give it."""


class RunTooLongError(QlabError, RuntimeError):
    """A run whose estimated time exceeds ``max_seconds``: stopped before allocating anything."""


class UnknownMethodError(QlabError, ValueError):
    """A simulation method (``method=``) that qlab does not know."""


class UnsupportedCircuitError(QlabError, ValueError):
    """A circuit feature that the chosen simulation method or framework conversion cannot handle."""


class TranspileError(QlabError, ValueError):
    """A circuit that could not be translated to the device's native gates."""


class AssignmentError(QlabError, ValueError):
    """An assignment notebook qlab cannot release or grade: the message names the cell and the fix."""


class BadOptionError(QlabError, ValueError):
    """An option (``seed``, ``noise``, ``optimization_level``, ...) with a value qlab does not accept."""


class PlotInputError(QlabError, TypeError):
    """Something a plot cannot draw, e.g. counts that are not a ``{bit string: count}`` dict."""


class MissingExtraError(QlabError, ImportError):
    """A feature whose optional libraries are not installed; the message names the extra to install."""


class ExportError(QlabError, ValueError):
    """A circuit, device or format that :func:`qlab.export` cannot turn into a hardware submission."""
