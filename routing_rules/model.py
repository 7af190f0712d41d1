"""The ruleset file as pydantic models: frozen, and unknown keys are errors."""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.clock import time_zone
from schemas.classification import Priority

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_INTERVAL = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)$")


def parse_interval(text: str) -> tuple[int, int]:
    """``"09:00-12:30"`` → minutes since midnight ``(540, 750)``; ``24:00`` allowed as an end."""
    m = _INTERVAL.match(text)
    if not m:
        raise ValueError(f"interval {text!r} is not HH:MM-HH:MM")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if h1 > 23 or m1 > 59 or m2 > 59 or end > 24 * 60 or start >= end:
        raise ValueError(f"interval {text!r} is not a valid time range within one day")
    return start, end


def yaml_off(value: Any) -> Any:
    """YAML 1.1 reads a bare ``off`` (and ``no``, ``false``) as False: take it as "off"."""
    if value is True:
        raise ValueError("YAML reads a bare yes / on / true as true: write acknowledge or "
                         "answer")
    return "off" if value is False else value


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Calendar(_Model):
    """Business hours: weekly opening intervals in a timezone, minus holidays."""

    timezone: str
    weekly: dict[Weekday, tuple[str, ...]]
    holidays: tuple[date, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        time_zone(value)
        return value

    @field_validator("weekly")
    @classmethod
    def _intervals(cls, value: dict[Weekday, tuple[str, ...]]) -> dict[Weekday, tuple[str, ...]]:
        for intervals in value.values():
            for interval in intervals:
                parse_interval(interval)
        return value


class Queue(_Model):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    description: str = ""


class BusinessHours(_Model):
    calendar: str
    within: bool = True


class Condition(_Model):
    """Exactly one of: a leaf ``{field, op, value}``, ``business_hours``, ``all``, ``any``,
    ``not``."""

    field: str | None = None
    op: str | None = None
    value: Any = None
    business_hours: BusinessHours | None = None
    all_: tuple[Condition, ...] | None = Field(default=None, alias="all")
    any_: tuple[Condition, ...] | None = Field(default=None, alias="any")
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_shape(self) -> Condition:
        shapes = [
            name
            for name, present in (
                ("field/op/value", self.is_leaf),
                ("business_hours", self.business_hours is not None),
                ("all", self.all_ is not None),
                ("any", self.any_ is not None),
                ("not", self.not_ is not None),
            )
            if present
        ]
        if len(shapes) != 1:
            found = ", ".join(shapes) or "nothing"
            raise ValueError(
                "a condition is exactly one of {field, op, value}, business_hours, all, any, "
                f"not (found {found})"
            )
        if self.is_leaf and (self.field is None or self.op is None):
            raise ValueError("a leaf condition needs both 'field' and 'op'")
        return self

    @property
    def is_leaf(self) -> bool:
        return self.field is not None or self.op is not None or "value" in self.model_fields_set

    @property
    def has_value(self) -> bool:
        return "value" in self.model_fields_set


class Actions(_Model):
    queue: str | None = None
    priority: Priority | None = None
    raise_priority: int | None = Field(default=None, ge=1, le=3)
    tags: tuple[str, ...] = ()
    sla_policy: str | None = None
    flag_for_human: bool = False
    # None leaves the value earlier rules set; "off" turns it off again (a deciding rule
    # overriding a 'continue' rule). See "Evaluation" in README.md.
    auto_reply: Literal["off", "acknowledge", "answer"] | None = None

    @field_validator("auto_reply", mode="before")
    @classmethod
    def _off(cls, value: Any) -> Any:
        return yaml_off(value)


class Rule(_Model):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str | None = None
    when: Condition | None = None
    then: Actions
    continue_: bool = Field(default=False, alias="continue")
    default: bool = False

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if self.default:
            if self.when is not None:
                raise ValueError("the default rule matches everything: it takes no 'when'")
            if self.continue_:
                raise ValueError("the default rule cannot 'continue'")
            if self.then.queue is None:
                raise ValueError("the default rule must set a queue")
        else:
            if self.when is None:
                raise ValueError("a rule needs 'when' (only the default rule has none)")
            if self.continue_ and self.then.queue is not None:
                raise ValueError("a 'continue' rule cannot set a queue (it only adds tags, "
                                 "priority, sla_policy, flag_for_human, auto_reply)")
            if not self.continue_ and self.then.queue is None:
                raise ValueError("a rule without 'continue: true' must set a queue")
        return self


class Ruleset(_Model):
    name: str
    description: str | None = None
    calendars: dict[str, Calendar] = Field(default_factory=dict)
    queues: tuple[Queue, ...] = Field(min_length=1)
    rules: tuple[Rule, ...] = Field(min_length=1)


KNOWN_KEYS: frozenset[str] = frozenset(
    key
    for model in (Ruleset, Calendar, Queue, BusinessHours, Condition, Actions, Rule)
    for name, info in model.model_fields.items()
    for key in (info.alias or name,)
)
