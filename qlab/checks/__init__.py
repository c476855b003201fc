"""Check primitives for exercises and hidden grading tests; Qiskit and cirq answers alike.

Each check comes in two forms: ``states_equal(...)`` returns a :class:`CheckResult` (truthy when
passed, with a compact message saying what differs), and ``assert_states_equal(...)`` raises
``AssertionError`` with that message, for a hidden test cell graded by nbval::

    from qlab.checks import assert_states_equal, assert_counts_match, assert_native
    assert_states_equal([0.7071, 0, 0, 0.7071], bell_circuit)       # up to global phase
    assert_counts_match(counts, {"00": 0.5, "11": 0.5})              # false-failure rate <= 1e-6
    assert_counts_match(counts, bell_reference, device="iqm-spark")  # against the noisy device
    assert_native(circuit, "iqm-spark")                             # natives, coupled pairs, width

Importing this package loads numpy only; Qiskit, cirq and scipy load when a check needs them.
"""

from ._convert import BadAnswerError, to_statevector, to_unitary
from .compliance import assert_native, native_compliance
from .counts import (
    FALSE_FAILURE_RATE,
    acceptance_region,
    assert_counts_match,
    assert_probability_at_least,
    counts_match,
    probability_at_least,
)
from .operators import assert_operators_equal, operators_equal
from .resources import assert_resources, resource_usage, resources_within
from .result import CheckResult
from .states import assert_states_equal, states_equal

__all__ = [
    "FALSE_FAILURE_RATE",
    "BadAnswerError",
    "CheckResult",
    "acceptance_region",
    "assert_counts_match",
    "assert_native",
    "assert_operators_equal",
    "assert_probability_at_least",
    "assert_resources",
    "assert_states_equal",
    "counts_match",
    "native_compliance",
    "operators_equal",
    "probability_at_least",
    "resource_usage",
    "resources_within",
    "states_equal",
    "to_statevector",
    "to_unitary",
]
