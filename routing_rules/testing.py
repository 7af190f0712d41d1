"""Example tickets with their expected routing, kept beside the rules
(``<name>.tests.yaml``), so a rule change shows which cases it moves."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from routing_rules.compile import CompiledRuleset, compile_ruleset
from routing_rules.errors import Problem, RulesetError
from routing_rules.loader import load_ruleset, parse_yaml, read_text
from routing_rules.model import yaml_off
from schemas.classification import Priority
from schemas.routing import Decision
from schemas.ticket import Ticket

RECEIVED_AT = "2026-11-18T10:00:00+00:00"  # a Wednesday, 11:00 in Paris: within support hours


class Expect(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    queue: str
    priority: Priority | None = None
    tags: tuple[str, ...] | None = Field(default=None, description="Must be among the tags.")
    sla_policy: str | None = None
    flag_for_human: bool | None = None
    default_applied: bool | None = None
    auto_reply: Literal["off", "acknowledge", "answer"] | None = None

    @field_validator("auto_reply", mode="before")
    @classmethod
    def _off(cls, value: Any) -> Any:
        return yaml_off(value)


class Case(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str
    text: str | None = None
    ticket: dict[str, Any] | None = None
    overrides: dict[str, Any] = Field(default_factory=dict)
    expect: Expect

    @model_validator(mode="after")
    def _some_source(self) -> Case:
        if self.text is None and self.ticket is None:
            raise ValueError("a case gives 'text' (the body), 'ticket' (partial fields) or both")
        return self


class CaseFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    cases: tuple[Case, ...] = Field(min_length=1)


@dataclass
class CaseResult:
    name: str
    passed: bool
    failures: list[str] = field(default_factory=list)
    decision: Decision | None = None
    line: int | None = None

    def __str__(self) -> str:
        status = "ok  " if self.passed else "FAIL"
        detail = "" if self.passed else ": " + "; ".join(self.failures)
        return f"{status} {self.name}{detail}"


def _classification() -> dict[str, Any]:
    return {"intent": "other", "confidence": 0.9, "needs_triage": False,
            "top_intents": [{"intent": "other", "probability": 0.9}],
            "sentiment": {"label": "neutral", "score": 0.0}, "urgency": [],
            "priority": "P3", "priority_score": 0, "priority_factors": [],
            "model_version": "rules-test"}


def _enrichment() -> dict[str, Any]:
    return {"status": "ok", "customer_key": "customer:C0001",
            "customer": {"customer_id": "C0001", "segment": "regular", "lifetime_value": 100.0,
                         "currency": "EUR", "order_count": 1, "matched_by": "email"},
            "orders": [],
            "contacts": {"last_24h": 1, "last_7d": 1, "conversation_id": "cv_test"}}


def _order(i: int) -> dict[str, Any]:
    return {"number": f"10{i:04d}", "status": "shipped", "total": 50.0, "currency": "EUR",
            "placed_at": "2026-11-10T10:00:00+00:00", "late": False,
            "matched_by": "mentioned"}


def base_ticket(body: str = "Hello") -> dict[str, Any]:
    """A minimal valid webform ticket as a dict, classified (intent other, P3), not enriched."""
    return {"ticket_id": "tk_" + "0" * 24, "channel": "webform", "provider": "webform",
            "provider_message_id": "rules-test", "received_at": RECEIVED_AT,
            "customer": {"email": "test@example.com"}, "body": body, "body_original": body,
            "language": "en", "language_confidence": 1.0,
            "source": {"topic": "inbound.webform", "partition": 0, "offset": 0},
            "classification": _classification(), "enrichment": None}


def _merge(into: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


def apply_override(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted field, creating classification/enrichment/customer with defaults. List
    fields of records take one value per record: ``classification.urgency.kind: [anger]``,
    ``enrichment.orders.late: [true, false]``."""
    if path == "text":
        raise ValueError("override 'body' or 'subject', not 'text'")
    if path.startswith("classification.") and data.get("classification") is None:
        data["classification"] = _classification()
    if path.startswith("enrichment.") and data.get("enrichment") is None:
        data["enrichment"] = _enrichment()
    if path.startswith("classification.urgency."):
        attr = path.rsplit(".", 1)[1]
        values = value if isinstance(value, list) else [value]
        cues = data["classification"].setdefault("urgency", [])
        while len(cues) < len(values):
            cues.append({"kind": "urgent", "evidence": "(test)"})
        for cue, v in zip(cues, values, strict=False):
            cue[attr] = v
        return
    if path.startswith("enrichment.orders."):
        attr = path.rsplit(".", 1)[1]
        values = value if isinstance(value, list) else [value]
        orders = data["enrichment"].setdefault("orders", [])
        while len(orders) < len(values):
            orders.append(_order(len(orders)))
        for order, v in zip(orders, values, strict=False):
            order[attr] = v
        return
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        if part == "customer" and node is data["enrichment"] and node.get("customer") is None:
            node["customer"] = _enrichment()["customer"]
        if part == "contacts" and node.get("contacts") is None:
            node["contacts"] = _enrichment()["contacts"]
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def build_ticket(case: Case) -> Ticket:
    data = base_ticket(case.text or "Hello")
    if case.ticket is not None:
        _merge(data, case.ticket)
    for path, value in case.overrides.items():
        apply_override(data, path, value)
    return Ticket.model_validate(data)


def check_case(compiled: CompiledRuleset, case: Case) -> CaseResult:
    try:
        ticket = build_ticket(case)
    except (ValidationError, ValueError, TypeError, KeyError) as exc:
        return CaseResult(case.name, False, [f"cannot build the ticket: {exc}"])
    decision = compiled.route(ticket)
    exp, failures = case.expect, []
    if decision.queue != exp.queue:
        failures.append(f"queue {decision.queue!r}, expected {exp.queue!r}")
    if exp.priority is not None and decision.priority != exp.priority:
        failures.append(f"priority {decision.priority.value}, expected {exp.priority.value}")
    if exp.tags is not None:
        missing = [t for t in exp.tags if t not in decision.tags]
        if missing:
            failures.append(f"tags {list(decision.tags)} lack {missing}")
    for name in ("sla_policy", "flag_for_human", "default_applied", "auto_reply"):
        want = getattr(exp, name)
        if want is not None and getattr(decision, name) != want:
            failures.append(f"{name} {getattr(decision, name)!r}, expected {want!r}")
    return CaseResult(case.name, not failures, failures, decision)


def load_cases(tests_path: Path) -> list[tuple[Case, int | None]]:
    source = str(tests_path)
    if not Path(tests_path).exists():
        raise RulesetError([Problem(
            source, None, None, None,
            "no test cases file: write one beside the rules (RULES.tests.yaml, see "
            "routing_rules/demo-shop.tests.yaml) or name it with --cases")])
    data, lines = parse_yaml(read_text(Path(tests_path), "test cases"), source)
    try:
        cases = CaseFile.model_validate(data)
    except ValidationError as exc:
        raise RulesetError([
            Problem(source, lines.get(tuple(e["loc"])[:2]), None,
                    ".".join(str(p) for p in e["loc"]), e["msg"])
            for e in exc.errors()]) from exc
    return [(case, lines.get(("cases", i))) for i, case in enumerate(cases.cases)]


def run_tests(rules_path: Path, tests_path: Path) -> list[CaseResult]:
    """Route every case of ``tests_path`` with the rules of ``rules_path``."""
    compiled = compile_ruleset(load_ruleset(Path(rules_path)), str(rules_path))
    results = []
    for case, line in load_cases(Path(tests_path)):
        result = check_case(compiled, case)
        result.line = line
        results.append(result)
    return results


def tests_path_for(rules_path: Path) -> Path:
    """``demo-shop.yaml`` → ``demo-shop.tests.yaml``."""
    rules_path = Path(rules_path)
    return rules_path.with_name(rules_path.name.removesuffix(".yaml") + ".tests.yaml")
