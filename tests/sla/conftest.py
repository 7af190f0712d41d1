from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from routing_rules import DEFAULT_RULESET_PATH, CompiledRuleset, compile_ruleset, load_ruleset
from routing_rules.model import Calendar
from routing_rules.testing import RECEIVED_AT, apply_override, base_ticket
from schemas.routing import Decision, RoutedTicket
from schemas.ticket import Ticket
from sla.events import HelpdeskEvent
from sla.policies import PolicySet, load_policies, load_policies_text

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
SPLIT = ("09:00-12:30", "13:30-18:00")

SUPPORT = Calendar(
    timezone="Europe/Paris",
    weekly={"mon": SPLIT, "tue": SPLIT, "wed": SPLIT, "thu": SPLIT, "fri": SPLIT,
            "sat": ("10:00-14:00",)},
    holidays=(date(2026, 11, 11), date(2026, 12, 25)),
)
NY_OFFICE = Calendar(
    timezone="America/New_York",
    weekly={d: ("09:00-17:00",) for d in ("mon", "tue", "wed", "thu", "fri")},
)
# Open through the night of the DST changes (02:00-03:00 local is the gap / the repeated hour).
PARIS_NIGHTS = Calendar(
    timezone="Europe/Paris",
    weekly={"sat": ("22:00-24:00",), "sun": ("00:00-24:00",), "mon": ("01:00-04:00",)},
)


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def ny(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


@pytest.fixture(scope="session")
def policies() -> PolicySet:
    return load_policies()


# --- tracker / schedule / stage helpers --------------------------------------------------------

# Wall-clock targets, the same for every channel and priority, so deadlines are plain arithmetic.
SHORT_POLICIES_YAML = """\
warnings: [0.75, 0.9]
default_policy: standard
policies:
  standard:
    first_response: {default: {all: 2m}}
    next_response: {default: {all: 2m}}
    resolution: {default: {all: 1h}}
  urgent:
    first_response: {default: {all: 1m}}
    next_response: {default: {all: 1m}}
    resolution: {default: {all: 30m}}
"""

RECEIVED = datetime.fromisoformat(RECEIVED_AT)  # Wednesday 10:00 UTC: support is open
ROUTED = RECEIVED + timedelta(minutes=1)
TID = "tk_" + "a" * 24


def tid(n: int) -> str:
    """A valid ticket id per number."""
    return f"tk_{n:024x}"


def make_ticket(ticket_id: str = TID, **overrides: Any) -> Ticket:
    """A minimal valid ticket (webform, intent other, P3) received at :data:`RECEIVED`."""
    data = base_ticket("Where is my parcel?")
    data["ticket_id"] = ticket_id
    for path, value in overrides.items():
        apply_override(data, path.replace("__", "."), value)
    return Ticket.model_validate(data)


def hd(type_: str, at: datetime, ticket_id: str = TID, status: str | None = None,
       agent_id: str | None = None) -> HelpdeskEvent:
    return HelpdeskEvent.model_validate({"ticket_id": ticket_id, "type": type_, "at": at,
                                         "status": status, "agent_id": agent_id})


class Router:
    """The real demo-shop ruleset as the tracker's ``route``, remembering what it routed."""

    def __init__(self, ruleset: CompiledRuleset) -> None:
        self.ruleset = ruleset
        self.calls: list[Ticket] = []

    def __call__(self, ticket: Ticket) -> Decision:
        self.calls.append(ticket)
        return self.ruleset.route(ticket)

    def routed(self, ticket: Ticket | None = None, *, attempt: int = 1,
               routed_at: datetime = ROUTED, **decision: Any) -> RoutedTicket:
        """A ``tickets.routed`` message as the routing stage makes it (not recorded)."""
        ticket = ticket if ticket is not None else make_ticket()
        d = self.ruleset.route(ticket)
        if decision:
            d = d.model_copy(update=decision)
        return RoutedTicket(ticket=ticket, decision=d, routed_at=routed_at, attempt=attempt)


@pytest.fixture(scope="session")
def short_policies() -> PolicySet:
    return load_policies_text(SHORT_POLICIES_YAML, "short-policies")


@pytest.fixture(scope="session")
def demo_ruleset() -> CompiledRuleset:
    return compile_ruleset(load_ruleset(DEFAULT_RULESET_PATH))


@pytest.fixture
def router(demo_ruleset: CompiledRuleset) -> Router:
    return Router(demo_ruleset)
