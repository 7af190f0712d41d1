"""Example tickets with the suggestion they must get, kept beside the replies configuration
(``<name>.tests.yaml``): ``ticketflow replies test`` renders each, so a template or
configuration change shows which cases it breaks.

A case describes the ticket as the routing tests do (``text``, partial ``ticket`` fields and
dotted ``overrides``, built by ``routing_rules.testing``: a webform ticket received on
Wednesday 2026-11-18 at 10:00 UTC, intent ``other``, not enriched unless an override says so),
the routing ``decision`` when it matters (queue, priority, sla_policy, auto_reply), and what to
expect; only the expectations given are checked::

    cases:
      - name: order in transit, after hours, French
        ticket: {channel: email, language: fr, received_at: "2026-11-20T19:00:00+00:00"}
        overrides:
          classification.intent: order_status
          enrichment.orders.status: [shipped]
          enrichment.orders.carrier: [Colissimo]
        expect:
          answer_kind: order_status
          suppressed: []
          can_auto_resolve: true
          acknowledgement: ["fermé", "demain avant 14:00"]   # substrings
          answer: ["Colissimo"]
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from replies.errors import RepliesError, where
from replies.promise import ClockStart
from routing_rules.loader import YamlLimitError, read_yaml
from routing_rules.testing import apply_override, base_ticket
from schemas.classification import Priority
from schemas.replies import AnswerKind, AutoSend, ReplySuggestion, SuppressionReason
from schemas.routing import Decision, RoutedTicket
from schemas.ticket import Ticket


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DecisionSpec(_Model):
    queue: str = "general"
    priority: Priority | None = Field(default=None,
                                      description="Default: the ticket's classified priority.")
    sla_policy: str | None = None
    auto_reply: Literal["off", "acknowledge", "answer"] = "off"


class Expect(_Model):
    answer_kind: AnswerKind | None = None
    answered: bool | None = None
    suppressed: tuple[SuppressionReason, ...] | None = Field(
        default=None, description="Exactly these reasons (any order); [] for none.")
    can_auto_resolve: bool | None = None
    auto_send: AutoSend | None = None
    language: str | None = Field(default=None, description="The language written in.")
    open_now: bool | None = None
    capped: bool | None = None
    reply_by: datetime | None = None
    acknowledgement: tuple[str, ...] = Field(default=(), description="Substrings it contains.")
    answer: tuple[str, ...] = Field(default=(), description="Substrings the answer contains.")
    max_sms_segments: int | None = Field(default=None, ge=1)
    trimmed: bool | None = None
    facts: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


class Case(_Model):
    name: str
    text: str | None = None
    ticket: dict[str, Any] = Field(default_factory=dict)
    overrides: dict[str, Any] = Field(default_factory=dict)
    decision: DecisionSpec = DecisionSpec()
    routed_after_s: float = Field(default=60.0, ge=0,
                                  description="Routing time after received_at.")
    expect: Expect

    @model_validator(mode="after")
    def _something(self) -> Case:
        if not self.expect.model_fields_set:
            raise ValueError("a case expects something (answer_kind, suppressed, answer, …)")
        return self


class CaseFile(_Model):
    clock_start: ClockStart = "received_at"
    cases: tuple[Case, ...] = Field(min_length=1)


@dataclass
class CaseResult:
    name: str
    passed: bool
    failures: list[str] = field(default_factory=list)
    suggestion: ReplySuggestion | None = None
    where: str = ""

    def __str__(self) -> str:
        status = "ok  " if self.passed else "FAIL"
        detail = "" if self.passed else f" ({self.where}): " + "; ".join(self.failures)
        return f"{status} {self.name}{detail}"


def _merge(into: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


def build_routed(case: Case) -> RoutedTicket:
    data = base_ticket(case.text or "Hello")
    _merge(data, case.ticket)
    for path, value in case.overrides.items():
        apply_override(data, path, value)
    ticket = Ticket.model_validate(data)
    spec = case.decision
    priority = spec.priority or (ticket.classification.priority if ticket.classification
                                 else Priority.P3)
    fields: dict[str, Any] = {
        "queue": spec.queue, "topic": f"queue.{spec.queue}", "priority": priority,
        "sla_policy": spec.sla_policy, "matched": (), "default_applied": False,
        "ruleset_name": "replies-test", "ruleset_version": "0" * 16,
        "auto_reply": spec.auto_reply}
    return RoutedTicket(ticket=ticket, decision=Decision.model_validate(fields),
                        routed_at=ticket.received_at + timedelta(seconds=case.routed_after_s))


def _check(s: ReplySuggestion, exp: Expect) -> list[str]:
    failures: list[str] = []
    given = exp.model_fields_set
    for name in ("answer_kind", "can_auto_resolve", "auto_send"):
        if name in given and getattr(s, name) != getattr(exp, name):
            failures.append(f"{name} {getattr(s, name)!r}, expected {getattr(exp, name)!r}")
    if "answered" in given and (s.answer is not None) != exp.answered:
        failures.append("an answer given" if s.answer is not None else "no answer given"
                        + (f" ({'; '.join(x.detail for x in s.suppressed)})"
                           if s.suppressed else ""))
    if exp.suppressed is not None:
        got = sorted({x.reason for x in s.suppressed})
        if got != sorted(set(exp.suppressed)):
            failures.append(f"suppressed {got}, expected {sorted(set(exp.suppressed))}")
    if exp.language is not None and s.acknowledgement.language != exp.language:
        failures.append(f"written in {s.acknowledgement.language!r}, expected {exp.language!r}")
    for name in ("open_now", "capped", "reply_by"):
        if name in given and getattr(s.promise, name) != getattr(exp, name):
            failures.append(f"promise {name} {getattr(s.promise, name)}, expected "
                            f"{getattr(exp, name)}")
    texts = {"acknowledgement": s.acknowledgement.text,
             "answer": s.answer.text if s.answer is not None else ""}
    for name, text in texts.items():
        for part in getattr(exp, name):
            if part not in text:
                failures.append(f"{name} lacks {part!r}: {text!r}")
    shown = [t for t in (s.acknowledgement, s.answer) if t is not None]
    if exp.max_sms_segments is not None:
        over = [f"{t.template} {t.sms_segments}" for t in shown
                if (t.sms_segments or 0) > exp.max_sms_segments]
        if over:
            failures.append(f"SMS segments over {exp.max_sms_segments}: {over}")
    if exp.trimmed is not None and any(t.trimmed for t in shown) != exp.trimmed:
        failures.append(f"trimmed {not exp.trimmed}, expected {exp.trimmed}")
    facts = {f.name: f.value for f in s.facts}
    for name, value in exp.facts.items():
        if facts.get(name, "<missing>") != value:
            failures.append(f"fact {name} = {facts.get(name, '<missing>')!r}, expected "
                            f"{value!r}")
    return failures


def load_cases(path: Path) -> tuple[CaseFile, dict[Any, int]]:
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RepliesError([f"{source}: no test cases here ({exc.strerror or exc}): write "
                            "them beside the configuration (NAME.tests.yaml, see "
                            "replies/demo-shop.tests.yaml) or name them with --cases"]) from exc
    try:
        data, lines = read_yaml(text)
    except (YamlLimitError, ValueError) as exc:
        raise RepliesError([f"{source}: invalid YAML: {exc}"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RepliesError([f"{where(source, mark.line + 1 if mark else None)}: invalid "
                            f"YAML: {getattr(exc, 'problem', None) or exc}"]) from exc
    try:
        return CaseFile.model_validate(data), lines
    except ValidationError as exc:
        raise RepliesError([
            f"{where(source, _line(lines, tuple(e['loc'])))}: "
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()]) from exc


def _line(lines: dict[Any, int], loc: tuple[Any, ...]) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def run_cases(path: Path, make: Callable[[ClockStart], Callable[[RoutedTicket], ReplySuggestion]]
              ) -> list[CaseResult]:
    """Every case of ``path``: built, suggested by ``make(clock_start)``'s function, checked.
    A case that cannot be built or rendered fails with the reason; the rest still run."""
    cases, lines = load_cases(path)
    suggest = make(cases.clock_start)
    results = []
    for i, case in enumerate(cases.cases):
        at = where(str(path), lines.get(("cases", i)))
        try:
            routed = build_routed(case)
        except (ValidationError, ValueError, TypeError, KeyError) as exc:
            results.append(CaseResult(case.name, False, [f"cannot build the ticket: {exc}"],
                                      where=at))
            continue
        try:
            suggestion = suggest(routed)
        except RepliesError as exc:
            results.append(CaseResult(case.name, False, [str(exc)], where=at))
            continue
        failures = _check(suggestion, case.expect)
        results.append(CaseResult(case.name, not failures, failures, suggestion, at))
    return results


def tests_path_for(config_path: Path) -> Path:
    """``demo-shop.yaml`` → ``demo-shop.tests.yaml``."""
    config_path = Path(config_path)
    return config_path.with_name(config_path.name.removesuffix(".yaml") + ".tests.yaml")
