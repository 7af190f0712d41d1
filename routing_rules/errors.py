"""Errors of the routing rules engine: every problem names file, line, rule and field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.errors import TicketflowError

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a ruleset file."""

    file: str
    line: int | None
    rule_id: str | None
    field: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        prefix = "warning: " if self.severity == "warning" else ""
        rule = f"rule '{self.rule_id}': " if self.rule_id else ""
        return f"{where}: {prefix}{rule}{self.message}"


class RulesetError(TicketflowError):
    """A ruleset cannot be loaded or compiled; ``problems`` says every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"] or self.problems
        super().__init__("\n".join(str(p) for p in errors))
