"""Shared pieces of the replies tests: the demo shop's replies over the shipped SLA policies,
policies written for a case (no cap, a holiday week), and routed tickets built with the SLA
tests' helpers (``make_ticket``: a webform ticket received Wednesday 2026-11-18 10:00 UTC)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from replies import Replies
from replies.config import DEFAULT_CONFIG_PATH
from routing_rules import DEFAULT_RULESET_PATH, compile_ruleset, load_ruleset
from schemas.routing import Decision, RoutedTicket
from sla.policies import PolicySet, load_policies, load_policies_text
from tests.sla.conftest import make_ticket

RULES = compile_ruleset(load_ruleset(DEFAULT_RULESET_PATH))

# The shipped calendar's hours, e-mail answered in 4 business hours with no cap (so a weekend
# promise is Monday's, not the cap's), a week of holidays around New Year, and a chat target in
# wall-clock time.
UNCAPPED_YAML = """\
calendars:
  support:
    timezone: Europe/Paris
    weekly:
      mon: ["09:00-12:30", "13:30-18:00"]
      tue: ["09:00-12:30", "13:30-18:00"]
      wed: ["09:00-12:30", "13:30-18:00"]
      thu: ["09:00-12:30", "13:30-18:00"]
      fri: ["09:00-12:30", "13:30-18:00"]
    holidays: ["2026-11-11", "2026-12-24", "2026-12-25", "2026-12-28", "2026-12-29",
               "2026-12-30", "2026-12-31", "2027-01-01"]
default_policy: standard
policies:
  standard:
    first_response:
      default: {all: {within: 4h, calendar: support}}
      chat: {all: 2m}
      sms: {all: 15m}
    next_response: {default: {all: 1h}}
    resolution: {default: {all: 1d}}
"""


@pytest.fixture(scope="session")
def shipped_policies() -> PolicySet:
    return load_policies()


@pytest.fixture(scope="session")
def uncapped() -> PolicySet:
    return load_policies_text(UNCAPPED_YAML, "uncapped")


@pytest.fixture(scope="session")
def demo(shipped_policies: PolicySet) -> Replies:
    """The demo shop's configuration and templates over sla/policies.yaml."""
    return Replies.load(DEFAULT_CONFIG_PATH, shipped_policies)


@pytest.fixture(scope="session")
def demo_uncapped(uncapped: PolicySet) -> Replies:
    return Replies.load(DEFAULT_CONFIG_PATH, uncapped)


def decision(ticket: Any, **changes: Any) -> Decision:
    """The demo ruleset's decision, with ``changes`` (``sla_policy``, ``auto_reply``, …)."""
    return RULES.route(ticket).model_copy(update=changes)


def routed(at: datetime | str | None = None, *, routed_after: timedelta = timedelta(seconds=30),
           decide: dict[str, Any] | None = None, **overrides: Any) -> RoutedTicket:
    """A routed ticket: ``make_ticket(**overrides)`` (``__`` for dots, e.g.
    ``classification__intent="refund"``), received ``at``, routed ``routed_after`` later."""
    if at is not None:
        overrides["received_at"] = at.isoformat() if isinstance(at, datetime) else at
    t = make_ticket(**overrides)
    return RoutedTicket(ticket=t, decision=decision(t, **(decide or {})),
                        routed_at=t.received_at + routed_after)


def order(**fields: Any) -> dict[str, list[Any]]:
    """``enrichment.orders.<field>`` overrides for one order."""
    return {f"enrichment__orders__{k}": [v] for k, v in fields.items()}
