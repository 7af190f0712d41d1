"""The one error of the replies stage: every problem names the file, the line when there is
one, and what to fix (as the routing rules and SLA policies do)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from core.errors import TicketflowError


def where(file: str, line: int | None) -> str:
    """``file:line``, or just ``file`` when the line is not known."""
    return file if line is None else f"{file}:{line}"


class RepliesError(TicketflowError):
    """The replies configuration, a template or a test case cannot be used; ``problems`` lists
    every reason, each as ``file[:line]: what is wrong and what to do``."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a replies file, for ``ticketflow replies check``."""

    file: str
    line: int | None
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where(self.file, self.line)}: {prefix}{self.message}"
