"""The SLA topics' records: help-desk events in (``helpdesk.events``), SLA events out
(``sla.events``). Both keyed by ticket id, so they are co-partitioned with ``tickets.routed``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from schemas.common import Record, in_time_range

Metric = Literal["first_response", "next_response", "resolution"]
METRICS: tuple[Metric, ...] = ("first_response", "next_response", "resolution")

ClockStatus = Literal["idle", "running", "paused", "fulfilled", "breached", "stopped"]
"""``idle``: a next-response clock waiting for the next customer reply (not yet running)."""

SlaEventType = Literal[
    "sla.applied", "sla.warning", "sla.breached", "sla.fulfilled", "sla.paused", "sla.resumed"
]
HelpdeskEventType = Literal[
    "agent_replied", "customer_replied", "status_changed", "assigned", "declined",
    "csat_submitted", "nps_submitted",
]
TicketStatus = Literal["new", "open", "pending", "on_hold", "solved", "closed"]

SURVEY_SCORES: dict[str, tuple[int, int]] = {"csat_submitted": (1, 5), "nps_submitted": (0, 10)}
"""Survey results a help desk reports, with the inclusive range of their ``score``. They are
not agent or customer actions: no SLA clock moves on them (the KPI stage reads them)."""
SURVEY_TYPES: frozenset[str] = frozenset(SURVEY_SCORES)
COMMENT_MAX_CHARS = 2000
"""The longest survey ``comment`` accepted (characters): free text a customer typed, kept as
sent (like a ticket's ``body_original``), bounded so one event cannot carry a novel."""

REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "status_changed": ("status",), **{type_: ("score",) for type_ in SURVEY_SCORES},
}
"""Help-desk event fields that are optional in general but required (and not null) for one
``type``: the model enforces them and the JSON Schema states them (``allOf`` of if/then), so a
help desk validating against ``schemas/json/helpdesk.json`` and the SLA worker agree."""

_SURVEY_FIELDS = ("score", "comment")
"""Read only on survey events: on any other type they are unknown fields, ignored (a help desk
may well send an agent reply's text as ``comment``)."""


def _conditional_requirements(schema: dict[str, Any]) -> None:
    """The JSON Schema half of :data:`REQUIRED_BY_TYPE` and of the survey fields' rules."""
    rules = []
    for type_, fields in REQUIRED_BY_TYPE.items():
        properties: dict[str, Any] = {f: {"not": {"type": "null"}} for f in fields}
        if type_ in SURVEY_SCORES:
            low, high = SURVEY_SCORES[type_]
            properties["score"] = {"type": "integer", "minimum": low, "maximum": high}
            properties["comment"] = {"anyOf": [
                {"type": "string", "maxLength": COMMENT_MAX_CHARS}, {"type": "null"}]}
        rules.append({
            "if": {"properties": {"type": {"const": type_}}, "required": ["type"]},
            "then": {"required": list(fields), "properties": properties},
        })
    schema["allOf"] = rules
    # typed per survey type above; on other types they are unknown fields, so untyped here
    for name in _SURVEY_FIELDS:
        field = schema["properties"][name]
        schema["properties"][name] = {k: field[k] for k in ("default", "description", "title")}


_JSON_TYPES: dict[type, str] = {bool: "boolean", str: "string", float: "non-whole number",
                                list: "list", dict: "object"}


def _score_error(type_: str, got: str) -> PydanticCustomError:
    low, high = SURVEY_SCORES[type_]
    return PydanticCustomError(
        "survey_score",
        "must be a whole number from {low} to {high} when type is {type}, got {got}",
        {"low": low, "high": high, "type": type_, "got": got})


class SlaEvent(Record):
    """One thing that happened to an SLA clock, on ``sla.events`` keyed by ``ticket_id``.
    Delivery is at-least-once: dedupe on ``event_id``, which is derived from (ticket, metric
    and cycle, deadline, type, threshold) and so is the same every time the event is derived."""

    schema_version: Literal[1] = 1
    event_id: str = Field(pattern=r"^sla_[0-9a-f]{24}$")
    type: SlaEventType
    ticket_id: str
    metric: Metric
    cycle: int = Field(default=1, ge=1,
                       description="next_response restarts after each customer reply; 1 otherwise")
    policy: str
    target: float = Field(description="Target in seconds (business seconds if `business`).")
    business: bool = Field(description="Whether `target` counts business time (a calendar).")
    calendar: str | None = None
    deadline: datetime | None = Field(
        description="When the clock breaches; null for a clock waiting to start.")
    cap_s: float | None = Field(
        default=None, description="The target's cap in calendar seconds (a business-time "
        "target is met within `target` business seconds but at most `cap_s` calendar "
        "seconds); null when the target has no cap.")
    capped: bool | None = Field(
        default=None, description="Whether `deadline` comes from the cap (it falls before the "
        "business-time target would); null without a cap or a deadline.")
    emitted_at: datetime = Field(description="When the worker derived this event.")
    previous_state: ClockStatus
    current_state: ClockStatus
    threshold: float | None = Field(default=None,
                                    description="Elapsed fraction, for sla.warning.")


class HelpdeskEvent(BaseModel):
    """Something the help desk reports about a ticket, on ``helpdesk.events`` keyed by
    ``ticket_id``. Unknown fields are ignored so help desks may send more than this."""

    # validate_default: an absent field still meets the check of REQUIRED_BY_TYPE below
    model_config = ConfigDict(frozen=True, extra="ignore", validate_default=True,
                              json_schema_extra=_conditional_requirements)

    schema_version: Literal[1] = 1
    ticket_id: str = Field(min_length=1)
    type: HelpdeskEventType
    at: AwareDatetime = Field(description="When it happened in the help desk (not when sent), "
                                          "between 1970 and 2200.")
    status: TicketStatus | None = Field(
        default=None, description="Required for status_changed: the ticket's new status.")
    agent_id: str | None = Field(
        default=None, description="Who replied, was assigned or declined.")
    event_id: str | None = Field(default=None, description="The help desk's own id, if any.")
    score: int | None = Field(
        default=None,
        description="Required for csat_submitted (a whole number 1-5) and nps_submitted (0-10); "
                    "ignored on other types.")
    comment: str | None = Field(
        default=None, max_length=COMMENT_MAX_CHARS,
        description=f"csat_submitted and nps_submitted: what the customer wrote, at most "
                    f"{COMMENT_MAX_CHARS} characters (personal data: see the README); ignored "
                    f"on other types.")

    @field_validator("schema_version", mode="before")
    @classmethod
    def _version_not_a_boolean(cls, value: Any) -> Any:
        # JSON true equals 1 to Python, so Literal[1] took it; JSON Schema's const 1 does not
        # (help desks validating against schemas/json would disagree with the worker)
        if isinstance(value, bool):
            raise ValueError("must be the number 1, not true or false")
        return value

    @field_validator("at")
    @classmethod
    def _sane_time(cls, value: datetime) -> datetime:
        # year 1 or 9999 overflowed the SLA deadline arithmetic and cost the worker its batch
        if not in_time_range(value):
            raise ValueError("must be between 1970 and 2200")
        return value

    @field_validator(*_SURVEY_FIELDS, mode="before")
    @classmethod
    def _survey_fields(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("type") not in SURVEY_TYPES:
            return None  # another type's (or an invalid type's) unknown field: ignored
        if info.field_name != "score" or value is None:
            return value
        # a whole JSON number, as JSON Schema's "integer" means it (5.0 is 5); not true, not "5"
        whole = ((isinstance(value, int) and not isinstance(value, bool))
                 or (isinstance(value, float) and value.is_integer()))
        if not whole:
            # the JSON type only: a string may hold anything (an address), and the reason is
            # read by people and tools that should not see the customer's words (see core.logs)
            raise _score_error(info.data["type"], "a " + _JSON_TYPES.get(type(value), "value"))
        return int(value)

    @field_validator("score")
    @classmethod
    def _score_in_range(cls, value: int | None, info: ValidationInfo) -> int | None:
        type_ = info.data.get("type")
        if value is None or type_ not in SURVEY_SCORES:
            return value
        low, high = SURVEY_SCORES[type_]
        if not low <= value <= high:
            raise _score_error(type_, str(value) if abs(value) < 10**12 else "a huge number")
        return value

    @field_validator(*sorted({f for fields in REQUIRED_BY_TYPE.values() for f in fields}))
    @classmethod
    def _required_by_type(cls, value: Any, info: ValidationInfo) -> Any:
        # A "missing" error on the field itself, so the SLA stage dead-letters the event as
        # missing_field naming it; a status_changed without status used to vanish silently.
        type_ = info.data.get("type")  # absent when ``type`` itself was invalid
        if value is None and info.field_name in REQUIRED_BY_TYPE.get(type_ or "", ()):
            raise PydanticCustomError(
                "missing", "Field required when type is {type}", {"type": type_})
        return value
