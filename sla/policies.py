"""SLA policies: targets per metric × channel × priority, read from YAML.

File shape (see ``sla/policies.yaml``)::

    calendars:            # same shape as the routing rules' calendars
      support: {timezone: Europe/Paris, weekly: {mon: ["09:00-12:30", "13:30-18:00"]},
                holidays: ["2026-12-25"]}
    warnings: [0.75, 0.9] # elapsed fractions that emit sla.warning
    default_policy: standard
    policies:
      standard:
        first_response:   # metric → channel (or `default`) → `all` / P1..P4 → target
          chat: {all: 2m, P1: 1m}
          email: {all: {within: 4h, calendar: support, cap: 24h}}

A target is a duration (``90s``, ``15m``, ``4h``, ``1d``, ``1h30m``) of wall-clock time, or a
mapping ``{within, calendar, cap}``: ``within`` business time of ``calendar``, but at most
``cap`` of calendar time.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from core.errors import TicketflowError
from routing_rules.loader import YamlLimitError, read_yaml
from routing_rules.model import Calendar
from schemas.classification import Priority
from schemas.common import Channel
from sla.events import METRICS, Metric

DEFAULT_POLICIES_PATH = Path(__file__).with_name("policies.yaml")
DEFAULT_WARNINGS: tuple[float, ...] = (0.75, 0.9)

ChannelKey = Literal["email", "chat", "phone", "social", "whatsapp", "sms", "webform", "default"]
_DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")


class PolicyError(TicketflowError):
    """A policy file cannot be loaded; the message names the file and the field."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(f"{source}: {p}" for p in self.problems))


def parse_duration(text: str) -> timedelta:
    """``"1h30m"`` → ``timedelta(hours=1, minutes=30)``; must be positive."""
    if not isinstance(text, str):
        raise ValueError(f"duration {text!r} is not like 90s, 15m, 4h, 1d or 1h30m")
    return _parse_duration(text)


@lru_cache(maxsize=1024)
def _parse_duration(text: str) -> timedelta:
    # cached: every clock of every ticket asks for its policy's few targets
    m = _DURATION.match(text.strip())
    if not m or not any(m.groups()):
        raise ValueError(f"duration {text!r} is not like 90s, 15m, 4h, 1d or 1h30m")
    d, h, mi, s = (int(g) if g else 0 for g in m.groups())
    try:
        value = timedelta(days=d, hours=h, minutes=mi, seconds=s)
    except OverflowError as exc:  # timedelta stops at 999,999,999 days
        raise ValueError(f"duration {text!r} is too long (at most 999999999d)") from exc
    if value <= timedelta(0):
        raise ValueError(f"duration {text!r} must be positive")
    return value


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class TargetSpec(_Model):
    """``within`` of business time (with ``calendar``) or wall-clock time (without)."""

    within: str
    calendar: str | None = None
    cap: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        return {"within": data} if isinstance(data, str) else data

    @field_validator("within", "cap")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @model_validator(mode="after")
    def _cap(self) -> TargetSpec:
        if self.cap is not None and self.calendar is None:
            raise ValueError("'cap' only applies to a business-time target (one with 'calendar')")
        return self


class ByPriority(_Model):
    all_: TargetSpec = Field(alias="all")
    P1: TargetSpec | None = None
    P2: TargetSpec | None = None
    P3: TargetSpec | None = None
    P4: TargetSpec | None = None

    def for_priority(self, priority: Priority) -> TargetSpec:
        spec: TargetSpec | None = getattr(self, str(priority))
        return spec if spec is not None else self.all_


class PolicyModel(_Model):
    description: str = ""
    warnings: tuple[float, ...] | None = None
    first_response: dict[ChannelKey, ByPriority]
    next_response: dict[ChannelKey, ByPriority]
    resolution: dict[ChannelKey, ByPriority]

    @field_validator("warnings")
    @classmethod
    def _warnings(cls, value: tuple[float, ...] | None) -> tuple[float, ...] | None:
        return _check_warnings(value)

    @field_validator("first_response", "next_response", "resolution")
    @classmethod
    def _covers_channels(cls, value: dict[ChannelKey, ByPriority]) -> dict[ChannelKey, ByPriority]:
        missing = [c.value for c in Channel if c.value not in value]
        if missing and "default" not in value:
            raise ValueError(f"no target for channel(s) {', '.join(missing)} and no 'default'")
        return value


def _check_warnings(value: tuple[float, ...] | None) -> tuple[float, ...] | None:
    if value is None:
        return None
    if any(not 0 < t < 1 for t in value):
        raise ValueError(f"warning thresholds are fractions between 0 and 1, got {list(value)}")
    if list(value) != sorted(set(value)):
        raise ValueError(f"warning thresholds must be increasing, got {list(value)}")
    return value


class ClockTarget(_Model):
    """A resolved target, self-contained (it carries its calendar) so a running clock keeps the
    target it started with even if the policy file changes."""

    within: timedelta
    calendar_name: str | None = None
    calendar: Calendar | None = None
    cap: timedelta | None = None

    @property
    def seconds(self) -> float:
        return self.within.total_seconds()


class SlaPolicy(_Model):
    """One named policy, resolved against its file's calendars and warning defaults."""

    name: str
    description: str = ""
    warnings: tuple[float, ...]
    spec: PolicyModel
    calendars: dict[str, Calendar]
    # Every ticket's three clocks ask for their targets: each resolved once per policy object
    # (frozen, so a target is shared), not re-validated per clock.
    _targets: dict[tuple[str, str, str], ClockTarget] = PrivateAttr(default_factory=dict)

    def target(
        self, metric: Metric, channel: Channel | str, priority: Priority | str
    ) -> ClockTarget:
        known = self._targets.get((metric, str(channel), str(priority)))
        if known is not None:
            return known
        by_channel = getattr(self.spec, metric)
        key = Channel(channel).value
        by_priority: ByPriority = by_channel.get(key) or by_channel["default"]
        t = by_priority.for_priority(Priority(priority))
        target = ClockTarget(
            within=parse_duration(t.within),
            calendar_name=t.calendar,
            calendar=self.calendars[t.calendar] if t.calendar is not None else None,
            cap=parse_duration(t.cap) if t.cap is not None else None,
        )
        self._targets[(metric, str(channel), str(priority))] = target
        return target


class PolicySet(_Model):
    """The whole policy file."""

    calendars: dict[str, Calendar] = Field(default_factory=dict)
    warnings: tuple[float, ...] = DEFAULT_WARNINGS
    default_policy: str
    policies: dict[str, PolicyModel] = Field(min_length=1)
    _resolved: dict[str, SlaPolicy] = PrivateAttr(default_factory=dict)
    """Each policy resolved once (with its targets, :meth:`SlaPolicy.target`)."""

    @field_validator("warnings")
    @classmethod
    def _warnings(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        _check_warnings(value)
        return value

    @model_validator(mode="after")
    def _references(self) -> PolicySet:
        problems: list[str] = []
        if self.default_policy not in self.policies:
            problems.append(
                f"default_policy: unknown policy {self.default_policy!r} "
                f"(known: {', '.join(sorted(self.policies))})"
            )
        for name, policy in self.policies.items():
            for metric in METRICS:
                for channel, by_priority in getattr(policy, metric).items():
                    for prio in ("all", "P1", "P2", "P3", "P4"):
                        spec = getattr(by_priority, "all_" if prio == "all" else prio)
                        if spec is not None and spec.calendar is not None \
                                and spec.calendar not in self.calendars:
                            problems.append(
                                f"policies.{name}.{metric}.{channel}.{prio}.calendar: unknown "
                                f"calendar {spec.calendar!r} (known: "
                                f"{', '.join(sorted(self.calendars)) or 'none'})"
                            )
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def get(self, name: str | None = None) -> SlaPolicy:
        """The policy ``name`` (the routing decision's ``sla_policy``); ``None`` → the default.
        An unknown name is a ``KeyError``."""
        key = self.default_policy if name is None else name
        resolved = self._resolved.get(key)
        if resolved is not None:
            return resolved
        if key not in self.policies:
            known = ", ".join(sorted(self.policies))
            raise KeyError(f"unknown SLA policy {key!r} (known: {known})")
        spec = self.policies[key]
        resolved = self._resolved[key] = SlaPolicy(
            name=key,
            description=spec.description,
            warnings=spec.warnings if spec.warnings is not None else self.warnings,
            spec=spec,
            calendars=self.calendars,
        )
        return resolved


def _format(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = ".".join("all" if part == "all_" else str(part) for part in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        for line in msg.splitlines():
            problems.append(f"{loc}: {line}" if loc and not line.startswith(loc) else line)
    return problems


def load_policies_text(text: str, source: str = "<string>") -> PolicySet:
    try:
        data, _ = read_yaml(text)
    except YamlLimitError as exc:
        raise PolicyError(source, [f"invalid YAML: {exc}"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise PolicyError(source, [f"{where}invalid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise PolicyError(source, ["the file must be a mapping with 'policies' and "
                                   "'default_policy'"])
    try:
        return PolicySet.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(source, _format(exc)) from exc


def load_policies(path: Path | str = DEFAULT_POLICIES_PATH) -> PolicySet:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(str(path), [f"cannot read: {exc}"]) from exc
    return load_policies_text(text, str(path))
