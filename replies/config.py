"""The shop's replies configuration (``replies/demo-shop.yaml`` for the demo shop): its name and
sign-off, the languages it writes in, the links and carrier tracking patterns the answers use,
which intents have a factual answer, and when no answer may be given.

File shape (every key but ``shop_name``, ``sign_off`` and ``links`` has a default)::

    shop_name: Demo Shop
    timezone: Europe/Paris          # dates in answers (a promised delivery day) are the shop's
    templates: templates            # folder of <kind>.<language>.j2, beside this file
    languages: [en, fr, de, es]     # a template of every kind in each
    fallback_language: en           # for tickets in any other language
    locales: {en: en_GB}            # Babel locale per language (weekday names, time format)
    sign_off: {en: "The Demo Shop team", fr: "L'équipe Demo Shop", ...}
    links: {returns: https://…, invoices: https://…, address_change: null}
    tracking_urls: {DHL: "https://…{tracking_number}…"}
    refund_days: 10
    answers: {order_status: order_status, refund: return, ...}   # intent → answer kind
    mentioned_order_required: [delivery_info]   # no number named: no answer about an order
    min_confidence: 0.7
    min_confidence_by_intent: {refund: 0.8}
    negative_sentiment_below: -0.5
    suppress_urgency: [safety_hazard, legal_threat, chargeback]
    excluded_segments: []
    channel_limits: {sms: {sms_segments: 2}, chat: {characters: 320}}

The return window is not here: enrichment decides it with ``TICKETFLOW_RETURN_WINDOW_DAYS``
and the answers must say the same, so it is passed in from the settings.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from core.clock import time_zone
from replies.errors import RepliesError, where
from routing_rules.loader import YamlLimitError, locator, read_yaml
from schemas.classification import Intent, UrgencyKind
from schemas.common import Channel
from schemas.enrichment import Segment
from schemas.replies import AnswerKind

DEFAULT_CONFIG_PATH = Path(__file__).with_name("demo-shop.yaml")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_PLACEHOLDER = "{tracking_number}"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _https(value: str) -> str:
    if not value.startswith("https://"):
        raise ValueError(f"{value!r} is not an https:// link (customers get it in a message)")
    return value


def _tracking_link(pattern: str) -> str:
    _https(pattern)
    if _PLACEHOLDER not in pattern:
        raise ValueError(f"the link must contain {_PLACEHOLDER}")
    try:
        pattern.format(tracking_number="x")
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"only {_PLACEHOLDER} may be in braces ({exc!r})") from exc
    return pattern


TrackingLink = Annotated[str, AfterValidator(_tracking_link)]
"""A carrier's tracking page with ``{tracking_number}`` where the parcel's number goes."""


class ChannelLimit(_Model):
    """How long a reply on a channel may be: SMS segments, or characters; neither: no limit."""

    sms_segments: int | None = Field(default=None, ge=1, le=10)
    characters: int | None = Field(default=None, ge=40)


DEFAULT_CHANNEL_LIMITS: dict[Channel, ChannelLimit] = {
    # Two segments: most phones join them; more and carriers' reassembly gets unreliable.
    Channel.SMS: ChannelLimit(sms_segments=2),
    # A chat bubble, a WhatsApp or social DM: what fits on a phone screen without scrolling.
    Channel.CHAT: ChannelLimit(characters=320),
    Channel.WHATSAPP: ChannelLimit(characters=320),
    Channel.SOCIAL: ChannelLimit(characters=320),
}


DEFAULT_ANSWERS: dict[Intent, AnswerKind] = {
    Intent.ORDER_STATUS: "order_status", Intent.DELIVERY_INFO: "order_status",
    Intent.RETURN_EXCHANGE: "return", Intent.REFUND: "return",
    Intent.SHIPPING_ADDRESS: "address_change", Intent.INVOICE: "invoice",
}


class Links(_Model):
    returns: str = Field(description="Where a customer starts a return.")
    invoices: str = Field(description="Where a customer downloads an invoice.")
    address_change: str | None = Field(
        default=None, description="Self-service address change before shipping; null: a person "
        "changes it (the answer then says it is still possible, not done).")

    @field_validator("returns", "invoices", "address_change")
    @classmethod
    def _link(cls, value: str | None) -> str | None:
        return None if value is None else _https(value)


class RepliesConfig(_Model):
    shop_name: str = Field(min_length=1)
    timezone: str = "UTC"
    templates: str = "templates"
    languages: tuple[str, ...] = ("en", "fr", "de", "es")
    fallback_language: str = "en"
    locales: dict[str, str] = Field(default_factory=dict)
    sign_off: dict[str, str]
    links: Links
    tracking_urls: dict[str, TrackingLink] = Field(default_factory=dict)
    refund_days: int = Field(default=10, ge=1, le=90)
    answers: dict[Intent, AnswerKind] = Field(default_factory=lambda: dict(DEFAULT_ANSWERS))
    mentioned_order_required: tuple[Intent, ...] = Field(
        default=(Intent.DELIVERY_INFO,),
        description="Intents answered only about an order the message names: without a "
        "number a delivery question is about shipping in general (costs, carriers, express), "
        "not about the customer's latest open order.")
    min_confidence: float = Field(default=0.7, ge=0, le=1)
    min_confidence_by_intent: dict[Intent, float] = Field(default_factory=dict)
    negative_sentiment_below: float = Field(default=-0.5, ge=-1, le=1)
    suppress_urgency: tuple[UrgencyKind, ...] = (
        UrgencyKind.SAFETY_HAZARD, UrgencyKind.LEGAL_THREAT, UrgencyKind.CHARGEBACK)
    excluded_segments: tuple[Segment, ...] = ()
    channel_limits: dict[Channel, ChannelLimit] = Field(
        default_factory=lambda: dict(DEFAULT_CHANNEL_LIMITS))
    _carriers: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        time_zone(value)
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not _LANGUAGE.match(v)]
        if bad:
            raise ValueError(f"languages are ISO 639-1 codes like 'fr', got {bad}")
        if not value or len(set(value)) != len(value):
            raise ValueError(f"languages must be listed once each, got {list(value)}")
        return value

    @field_validator("locales")
    @classmethod
    def _locales(cls, value: dict[str, str]) -> dict[str, str]:
        from babel import Locale, UnknownLocaleError

        for language, name in value.items():
            try:
                locale = Locale.parse(name)
            except (UnknownLocaleError, ValueError, TypeError) as exc:
                raise ValueError(f"{language}: unknown locale {name!r} (e.g. en_GB)") from exc
            if locale.language != language:
                raise ValueError(f"{language}: locale {name!r} is of language "
                                 f"{locale.language!r}")
        return value

    @model_validator(mode="after")
    def _covered(self) -> RepliesConfig:
        problems = []
        if self.fallback_language not in self.languages:
            problems.append(f"fallback_language: {self.fallback_language!r} is not one of the "
                            f"languages {list(self.languages)}")
        missing = [lang for lang in self.languages if lang not in self.sign_off]
        if missing:
            problems.append(f"sign_off: none for {missing}; write one per language")
        extra = sorted(set(self.locales) - set(self.languages))
        if extra:
            problems.append(f"locales: {extra} not among the languages {list(self.languages)}")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def language_for(self, language: str) -> str:
        """The language a ticket is answered in: its own if the shop writes it, else the
        fallback ('und' and unsupported languages included)."""
        return language if language in self.languages else self.fallback_language

    def locale_for(self, language: str) -> str:
        return self.locales.get(language, language)

    def threshold(self, intent: str) -> float:
        """The least intent confidence an answer needs."""
        return self.min_confidence_by_intent.get(Intent(intent), self.min_confidence)

    def limit(self, channel: str) -> ChannelLimit:
        return self.channel_limits.get(Channel(channel), ChannelLimit())

    def tracking_url(self, carrier: str | None, tracking_number: str | None) -> str | None:
        """The carrier's tracking link for the parcel, or None (carrier without a pattern).
        Carrier names match without regard to case or spacing ('Royal Mail' = 'royal mail')."""
        if not carrier or not tracking_number:
            return None
        pattern = self._carriers.get(_carrier_key(carrier))
        if pattern is None:
            return None
        return pattern.replace(_PLACEHOLDER, quote(tracking_number, safe=""))

    def model_post_init(self, context: Any, /) -> None:
        # looked up for every answer about a parcel: the normalized names once
        self._carriers = {_carrier_key(name): p for name, p in self.tracking_urls.items()}


def _carrier_key(name: str) -> str:
    return "".join(name.lower().split())


def _problems(exc: ValidationError, lines: dict[Any, int], source: str) -> list[str]:
    locate = locator(lines)
    out = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if p != "[key]")
        dotted = ".".join(str(p) for p in loc)
        if err["type"] == "extra_forbidden":
            known = sorted(_fields_at(loc[:-1]))
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(known)})"
            out.append(f"{where(source, locate(loc))}: unknown key '{dotted}'{hint}")
            continue
        message = err["msg"].removeprefix("Value error, ")
        for line in message.splitlines():
            text = line if line.startswith(dotted) or not dotted else f"{dotted}: {line}"
            out.append(f"{where(source, locate(loc))}: {text}")
    return out


def _fields_at(loc: tuple[Any, ...]) -> set[str]:
    """The keys allowed where an unknown key was found, for the 'did you mean' hint."""
    if loc and loc[0] == "links":
        return set(Links.model_fields)
    if loc and loc[0] == "channel_limits":
        return set(ChannelLimit.model_fields)
    return set(RepliesConfig.model_fields)


def parse_config(text: str, source: str = "<string>") -> RepliesConfig:
    """Validate a replies configuration; every problem at once, each with file:line."""
    try:
        data, lines = read_yaml(text)
    except YamlLimitError as exc:
        raise RepliesError([f"{source}: invalid YAML: {exc}"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise RepliesError([f"{where(source, line)}: invalid YAML: {problem}"]) from exc
    if not isinstance(data, dict):
        raise RepliesError([f"{source}:1: the file is a mapping with shop_name, sign_off and "
                            "links at least (see replies/demo-shop.yaml)"])
    try:
        return RepliesConfig.model_validate(data)
    except ValidationError as exc:
        raise RepliesError(_problems(exc, lines, source)) from exc


def read_config_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RepliesError([f"{path}: cannot read the replies configuration: "
                            f"{exc.strerror or exc} (TICKETFLOW_REPLIES_FILE names it)"]) from exc


def load_config(path: Path = DEFAULT_CONFIG_PATH) -> RepliesConfig:
    return parse_config(read_config_text(path), str(path))
