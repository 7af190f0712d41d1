"""``ticketflow replies check``: everything wrong with a replies configuration and its
templates at once, each with file:line and what to fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from replies.config import load_config, read_config_text
from replies.errors import RepliesError
from replies.templates import Templates, check_sources, read_sources, version


@dataclass
class CheckReport:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    templates: int = 0
    languages: tuple[str, ...] = ()
    version: str | None = None


def check(path: Path) -> CheckReport:
    """The configuration first (a broken one names no templates folder), then every template:
    syntax, unknown variables, missing kinds × languages."""
    report = CheckReport()
    try:
        config = load_config(path)
        text = read_config_text(path)
        directory = Path(path).parent / config.templates
        sources = read_sources(directory)
    except RepliesError as exc:
        report.errors += exc.problems
        return report
    problems = check_sources(directory, sources, config.languages)
    report.errors += [str(p) for p in problems if p.severity == "error"]
    report.warnings += [str(p) for p in problems if p.severity == "warning"]
    report.templates = len(sources)
    report.languages = config.languages
    if not report.errors:
        report.version = version(text, Templates(directory, sources))
    return report
