"""The data of grading: roles, kinds, outcomes and results as enums and dataclasses.

Every stage of :mod:`qlab.assign.pipeline` takes and returns these; nothing is passed as a nested
dict or matched against a string literal. ``to_json`` gives the plain form written to
``results.json`` (enums as their values); ``from_json`` reads it back (a row that travelled as
JSON, from another process or machine, goes to the report writers as it was).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Role(str, enum.Enum):
    """What a cell of the instructor's source is (see :mod:`qlab.assign.cells`)."""

    ANSWER = "answer"
    TEST = "test"
    MANUAL = "manual"  # an answer graded by hand
    TASK = "task"  # a task graded by hand (nbgrader's task cell: instructions with points)
    LOCKED = "locked"
    PLAIN = "plain"

    @property
    def answers(self) -> bool:
        return self in (Role.ANSWER, Role.MANUAL)

    @property
    def graded(self) -> bool:
        """Carries points: a test, a manually graded answer or a task."""
        return self in (Role.TEST, Role.MANUAL, Role.TASK)


class TestKind(str, enum.Enum):
    """Whether students can see a test: all of it, none of it, or a visible and a hidden part."""

    PUBLIC = "public"
    HIDDEN = "hidden"
    MIXED = "mixed"

    @property
    def parts(self) -> tuple[Part, ...]:
        return {TestKind.PUBLIC: (Part.PUBLIC,), TestKind.HIDDEN: (Part.HIDDEN,),
                TestKind.MIXED: (Part.PUBLIC, Part.HIDDEN)}[self]


class Grading(str, enum.Enum):
    """Who decides a graded item's points: its test code, or the instructor by hand (as in nbgrader)."""

    AUTO = "auto"  # a test cell: passes or fails (or shows a partial-credit number) when run
    MANUAL = "manual"  # an answer graded by hand (nbgrader: grade + solution)
    TASK = "task"  # a task graded by hand (nbgrader: task)


class Part(str, enum.Enum):
    PUBLIC = "public"
    HIDDEN = "hidden"


class GradedRole(str, enum.Enum):
    """What a cell of the graded (trusted) notebook does; nbval runs one item per cell."""

    BRIDGE = "bridge"  # opens the connection to the submission's sandbox
    SOURCE = "source"  # the instructor's set-up or instructions
    SYNC = "sync"  # fetches the answers the next cell reads
    ANSWER = "answer"  # where an answer cell was: reports whether the student's cell raised
    TEST = "test"  # a graded test (or its visible or hidden part)


class StudentRole(str, enum.Enum):
    """What a cell run in the submission's sandbox is."""

    SETUP = "setup"  # the instructor's set-up cell (public, as in the student copy)
    ANSWER = "answer"
    EXTRA = "extra"  # a cell the student added
    MODULE = "module"  # a hackathon team's submission.py


class Outcome(str, enum.Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not_run"


class Reason(str, enum.Enum):
    """Why a test part did not simply pass or fail (feedback key ``grade.part_<value>``)."""

    NOT_RUN = "not_run"
    NOT_GRADED = "not_graded"  # the submission could not be read
    TIME_LIMIT = "time_limit"  # the notebook was stopped before this part ran
    TIMEOUT = "timeout"  # this part ran past the cell time limit
    AFTER_TIMEOUT = "after_timeout"  # an earlier cell was interrupted
    STDERR = "stderr"  # the test cell wrote to stderr, which nbgrader scores as a failure
    PARTIAL_ABOVE_MAX = "partial_above_max"  # the partial-credit number exceeds the test's points


class Status(str, enum.Enum):
    """How a submission as a whole went (``grade.status_name_<value>``)."""

    OK = "ok"
    MISSING = "missing"  # named on the command line, but there is no such file
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    NOT_JSON = "not_json"
    NOT_NOTEBOOK = "not_notebook"
    TIMEOUT = "timeout"
    MEMORY = "memory"
    KERNEL_DIED = "kernel_died"
    ERROR = "error"


@dataclass(frozen=True)
class Note:
    """Something the grader tells the student: a message key and its fields."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> list[Any]:
        return [self.key, self.fields]

    @classmethod
    def from_json(cls, data: list[Any]) -> Note:
        return cls(str(data[0]), dict(data[1]))


@dataclass(frozen=True)
class TestSpec:
    """One graded item of the assignment: its id, points, whether students see it, and whether
    its test code or the instructor decides (a manually graded answer or task has no parts)."""

    grade_id: str
    points: float
    kind: TestKind
    grading: Grading = Grading.AUTO

    @property
    def parts(self) -> tuple[Part, ...]:
        return self.kind.parts if self.grading is Grading.AUTO else ()

    @property
    def by_hand(self) -> bool:
        return self.grading is not Grading.AUTO

    def to_json(self) -> dict[str, Any]:
        return {"grade_id": self.grade_id, "points": self.points, "kind": self.kind.value,
                "grading": self.grading.value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TestSpec:
        return cls(str(data["grade_id"]), float(data["points"]), TestKind(data["kind"]),
                   Grading(data.get("grading", Grading.AUTO.value)))


@dataclass(frozen=True)
class Limits:
    """Per-submission limits (settable from the command line)."""

    timeout: float = 120.0  # seconds for the whole submission
    cell_timeout: float = 30.0  # seconds per cell: a stuck cell is interrupted, the rest still run
    memory_mb: int | None = 3072  # all processes of one side together (and each process)
    max_procs: int = 128  # processes and threads of one side at once


@dataclass(frozen=True)
class CellError:
    """An error a cell raised: exception name, message, the failing line, and whether it was a time-out."""

    ename: str = ""
    evalue: str = ""
    line: str = ""
    timeout: bool = False

    @classmethod
    def from_json(cls, data: Any) -> CellError | None:
        if not isinstance(data, dict):
            return None
        return cls(str(data.get("ename") or "")[:200], str(data.get("evalue") or "")[:2000],
                   str(data.get("line") or "")[:300], bool(data.get("timeout") or data.get("interrupted")))


@dataclass(frozen=True)
class PartResult:
    """One graded cell (a test, or its visible or hidden part) as it ran.

    ``shown`` is the plain-text value the cell displayed as its result (``Out[]``), if any: nbgrader
    reads a number there as partial credit.
    """

    outcome: Outcome
    reason: Reason | None = None
    error: CellError | None = None
    shown: str | None = None

    @property
    def passed(self) -> bool:
        return self.outcome is Outcome.PASSED

    def to_json(self) -> dict[str, Any]:
        return {"outcome": self.outcome.value, "reason": self.reason.value if self.reason else None,
                "error": vars(self.error) if self.error else None, "shown": self.shown}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PartResult:
        return cls(Outcome(data["outcome"]), Reason(data["reason"]) if data.get("reason") else None,
                   CellError.from_json(data.get("error")), data.get("shown"))


@dataclass(frozen=True)
class TestResult:
    """One graded item of one submission.

    A test earns its points when every part passed, or the partial credit its cell showed
    (nbgrader's rule, :func:`qlab.assign.score.partial_credit`). An item graded by hand earns 0
    here and is ``pending`` until the instructor grades it, unless it was left unanswered (then 0,
    final, as nbgrader does).
    """

    spec: TestSpec
    parts: dict[Part, PartResult]
    partial: float | None = None
    pending: bool = False

    @property
    def passed(self) -> bool:
        return bool(self.parts) and all(p.passed for p in self.parts.values())

    @property
    def earned(self) -> float:
        if not self.passed:
            return 0.0
        return self.spec.points if self.partial is None else self.partial

    def to_json(self) -> dict[str, Any]:
        return {"passed": self.passed, "earned": self.earned, "points": self.spec.points,
                "kind": self.spec.kind.value, "grading": self.spec.grading.value,
                "partial": self.partial, "pending": self.pending,
                "parts": {p.value: r.to_json() for p, r in self.parts.items()}}

    @classmethod
    def from_json(cls, grade_id: str, data: dict[str, Any]) -> TestResult:
        spec = TestSpec(grade_id, float(data["points"]), TestKind(data["kind"]),
                        Grading(data.get("grading", Grading.AUTO.value)))
        parts = {Part(k): PartResult.from_json(v) for k, v in (data.get("parts") or {}).items()}
        return cls(spec, parts, data.get("partial"), bool(data.get("pending")))


@dataclass(frozen=True)
class AnswerError:
    """An error one of the student's answer cells raised (shown in their feedback)."""

    grade_id: str
    ename: str
    evalue: str


@dataclass
class SubmissionResult:
    """Everything grading found out about one submission: a row of the gradebook."""

    student_id: str
    submission: str  # the file, relative to the folder the class was given in
    status: Status
    tests: dict[str, TestResult]
    notes: list[Note] = field(default_factory=list)
    answer_errors: list[AnswerError] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return round(sum(r.earned for r in self.tests.values()), 6)

    @property
    def max_score(self) -> float:
        return round(sum(r.spec.points for r in self.tests.values()), 6)

    @property
    def pending(self) -> float:
        """Points still to be graded by hand (manually graded answers and tasks)."""
        return round(sum(r.spec.points for r in self.tests.values() if r.pending), 6)

    def note_keys(self) -> set[str]:
        return {n.key for n in self.notes}

    def to_json(self) -> dict[str, Any]:
        return {
            "student_id": self.student_id, "submission": self.submission, "status": self.status.value,
            "score": self.score, "max_score": self.max_score, "pending": self.pending,
            "seconds": self.seconds, "tests": {gid: r.to_json() for gid, r in self.tests.items()},
            "notes": [n.to_json() for n in self.notes],
            "answer_errors": [vars(e) for e in self.answer_errors], "unanswered": self.unanswered,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SubmissionResult:
        """The row :meth:`to_json` wrote (``score`` and ``max_score`` follow from the tests)."""
        return cls(
            str(data["student_id"]), str(data["submission"]), Status(data["status"]),
            {gid: TestResult.from_json(gid, t) for gid, t in data["tests"].items()},
            notes=[Note.from_json(n) for n in data.get("notes", [])],
            answer_errors=[AnswerError(**e) for e in data.get("answer_errors", [])],
            unanswered=list(data.get("unanswered", [])), seconds=float(data.get("seconds", 0.0)),
        )


for _cls in (TestKind, TestSpec, TestResult):  # not pytest test classes, despite their names
    _cls.__test__ = False  # type: ignore[attr-defined]
