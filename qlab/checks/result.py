"""``CheckResult``: what every check returns, for a student's eyes and for a grader's code.

A result is truthy when the check passed, so ``if states_equal(a, b): ...`` reads naturally.
In Jupyter it renders as a small coloured box (HTML); elsewhere as plain text::

    >>> from qlab.checks.result import CheckResult
    >>> r = CheckResult(False, "Not yet: the amplitudes differ.", hint="Try a Hadamard.")
    >>> print(r.text())  # doctest: +SKIP
    ✗ Not yet: the amplitudes differ.
      Hint: Try a Hadamard.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from ..i18n import t


@dataclass
class CheckResult:
    """The outcome of one check.

    ``passed``   did the answer pass?
    ``message``  one or two sentences saying what was checked and, on failure, what differs
                 (expected against got), already in the student's language.
    ``details``  machine-readable facts behind the message (fidelity, offending gate, counts...),
                 for graders and tests; never needed to understand the message.
    ``hint``     the exercise's hint for this attempt (empty when none, or when passed).
    ``title``    what was checked (the exercise's title), shown as a heading.
    ``shown_at`` set by ``qlab.check`` when it already displayed the result in this Jupyter cell.
    """

    passed: bool
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    hint: str = ""
    title: str = ""
    shown_at: int | None = field(default=None, repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.passed

    def text(self) -> str:
        """Plain-text rendering: a mark, the title, the message and the hint on its own line."""
        mark = "✓" if self.passed else "✗"
        head = f"{mark} {self.title}: " if self.title else f"{mark} "
        lines = [head + self.message]
        if self.hint and not self.passed:
            lines.append("  " + t("check.hint_label", hint=self.hint))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        colour, bg = ("#1a7f37", "#e8f5e9") if self.passed else ("#b35900", "#fff4e5")
        mark = "✓" if self.passed else "✗"
        title = f"<b>{html.escape(self.title)}</b>: " if self.title else ""
        msg = html.escape(self.message).replace("\n", "<br>")
        parts = [
            f'<div class="qlab-check" style="border-left:4px solid {colour};background:{bg};'
            f'padding:6px 10px;margin:4px 0;font-family:sans-serif">',
            f'<span style="color:{colour};font-weight:bold">{mark}</span> {title}{msg}',
        ]
        if self.hint and not self.passed:
            hint = html.escape(t("check.hint_label", hint=self.hint))
            # an arrow every font has (an emoji such as a light bulb is a box without an emoji font)
            parts.append(f'<div style="margin-top:4px">→ {hint}</div>')
        parts.append("</div>")
        return "".join(parts)

    # Jupyter: qlab.check() displays the result itself; the Out[] echo of the same cell would show
    # it a second time, so the echo is skipped once (see qlab.checker._show).
    def _ipython_display_(self) -> None:
        from IPython import get_ipython
        from IPython.display import display

        ip = get_ipython()
        count = getattr(ip, "execution_count", None)
        if self.shown_at is not None and self.shown_at == count:
            self.shown_at = None  # skip only the echo of the cell that showed it
            return
        display({"text/plain": self.text(), "text/html": self._repr_html_()}, raw=True)

    def __repr__(self) -> str:
        return f"CheckResult(passed={self.passed!r}, message={self.message!r})"

    def raise_if_failed(self) -> CheckResult:
        """Raise ``AssertionError(text)`` when failed (what the ``assert_*`` helpers do)."""
        if not self.passed:
            raise AssertionError(self.text())
        return self
