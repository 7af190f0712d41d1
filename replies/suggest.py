"""The stage's pure core: a routed ticket in, its :class:`ReplySuggestion` out.

For every ticket an acknowledgement with the promised first-reply time; where the ticket's
intent has an answer kind (``answers:`` in the configuration) and nothing suppresses it, a
factual answer from the order facts enrichment attached. Every time comes from the record
(``received_at`` / ``routed_at``; ``created_at`` is the routing time), so a replay or a
redelivery gives the same suggestion with the same id.

``facts`` lists what the answer is built from, and is kept when a reason about the message
suppressed the answer (a negative customer still has an order in transit: the agent sees it),
not when the order itself is in doubt (a guess, someone else's, one of several).

``auto_send`` is what the routing decision allows (``decision.auto_reply``): "answer" only when
an answer exists, else the acknowledgement when the rules allow anything, else nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import TemplateError

from core.settings import Settings
from replies import facts as facts_mod
from replies.config import RepliesConfig, load_config, read_config_text
from replies.errors import RepliesError
from replies.fit import fit
from replies.promise import ClockStart, clock_started, promise
from replies.suppress import message_reasons
from replies.templates import Templates, template_name, version
from replies.words import day, promise_view
from schemas.replies import (
    AutoSend,
    Promise,
    ReplySuggestion,
    ReplyText,
    Suppression,
    suggestion_id,
)
from schemas.routing import RoutedTicket
from schemas.ticket import Ticket
from sla.policies import PolicySet, load_policies

_NAME = re.compile(r"^[^\W\d_][\w'’-]*$")


class Replies:
    """Suggestions for one shop: its configuration and templates, the SLA policies the promise
    is computed from, where SLA clocks start and the return window enrichment uses."""

    def __init__(self, config: RepliesConfig, templates: Templates, policies: PolicySet, *,
                 clock_start: ClockStart = "received_at", return_window_days: int = 30,
                 templates_version: str | None = None) -> None:
        self.config = config
        self.templates = templates
        self.policies = policies
        self.clock_start: ClockStart = clock_start
        self.return_window_days = return_window_days
        self.templates_version = templates_version or version(
            config.model_dump_json(), templates)
        self._shop_tz = ZoneInfo(config.timezone)

    @classmethod
    def load(cls, path: Path, policies: PolicySet, *, clock_start: ClockStart = "received_at",
             return_window_days: int = 30) -> Replies:
        """Read and check the configuration file and its templates folder."""
        text = read_config_text(path)
        config = load_config(path)
        templates = Templates.load(Path(path).parent / config.templates, config.languages)
        return cls(config, templates, policies, clock_start=clock_start,
                   return_window_days=return_window_days,
                   templates_version=version(text, templates))

    @classmethod
    def from_settings(cls, settings: Settings, policies: PolicySet | None = None) -> Replies:
        """What a worker runs: ``TICKETFLOW_REPLIES_FILE``, the SLA policies of
        ``TICKETFLOW_SLA_POLICIES_PATH`` (or the ones given, the worker has them loaded),
        ``TICKETFLOW_SLA_CLOCK_START`` and ``TICKETFLOW_RETURN_WINDOW_DAYS``."""
        return cls.load(settings.replies_file,
                        policies if policies is not None
                        else load_policies(settings.sla_policies_path),
                        clock_start=settings.sla_clock_start,
                        return_window_days=settings.return_window_days)

    # --- the pure core ---------------------------------------------------------------------

    def suggest_batch(self, batch: Sequence[RoutedTicket]) -> list[ReplySuggestion]:
        return [self.suggest(routed) for routed in batch]

    def suggest(self, routed: RoutedTicket) -> ReplySuggestion:
        ticket = routed.ticket
        language = self.config.language_for(ticket.language)
        promised = promise(routed, self.policies, self.clock_start)
        contexts: dict[str, dict[str, Any]] = {}

        def context(lang: str) -> dict[str, Any]:
            # one per language and ticket: the acknowledgement and the answer share it
            if lang not in contexts:
                contexts[lang] = self.context(routed, lang, promised)
            return contexts[lang]

        acknowledgement = self._render_first("acknowledge", routed, language, context)
        if isinstance(acknowledgement, Suppression):
            raise RepliesError([f"{self.templates.directory}: no acknowledgement for ticket "
                                f"{ticket.ticket_id}: {acknowledgement.detail}"])
        c = ticket.classification
        kind = self.config.answers.get(c.intent) if c is not None else None
        answer: ReplyText | None = None
        found: facts_mod.Found | None = None
        suppressed: list[Suppression] = []
        if kind is not None and c is not None:
            suppressed = message_reasons(ticket, c, self.config)
            # about the order: facts of a guessed or foreign order would mislead the agent
            order_doubts = facts_mod.customer_reasons(ticket) or facts_mod.order_reasons(
                ticket, kind, c.intent in self.config.mentioned_order_required)
            suppressed += order_doubts
            if not order_doubts:
                found = facts_mod.gather(kind, ticket, self.config, self.return_window_days)
            if not suppressed and found is not None:
                rendered = self._render_first(
                    kind, routed, language,
                    lambda lang: self.with_facts(context(lang), lang, found))
                if isinstance(rendered, Suppression):
                    suppressed.append(rendered)
                else:
                    answer = rendered
        return ReplySuggestion(
            suggestion_id=suggestion_id(ticket.ticket_id),
            ticket_id=ticket.ticket_id,
            channel=ticket.channel.value,
            queue=routed.decision.queue,
            intent=c.intent.value if c is not None else None,
            language=ticket.language,
            created_at=routed.routed_at,
            promise=promised,
            acknowledgement=acknowledgement,
            answer_kind=kind,
            answer=answer,
            facts=found.facts if found is not None else (),
            suppressed=tuple(suppressed),
            can_auto_resolve=answer is not None and found is not None and found.resolves,
            auto_send=_auto_send(routed, answer is not None),
            templates_version=self.templates_version,
        )

    def context(self, routed: RoutedTicket, language: str,
                promised: Promise) -> dict[str, Any]:
        """What every template of ``language`` sees (``replies.templates.COMMON``)."""
        ticket = routed.ticket
        locale = self.config.locale_for(language)
        return {
            "shop": self.config.shop_name,
            "sign_off": self.config.sign_off[language],
            "language": language,
            "channel": ticket.channel.value,
            "short": self._short(ticket.channel.value),
            "customer": _customer(ticket, not facts_mod.customer_reasons(ticket)),
            "promise": promise_view(promised, clock_started(routed, self.clock_start), locale,
                                    self._shop_tz),
        }

    def with_facts(self, context: Mapping[str, Any], language: str,
                   found: facts_mod.Found) -> dict[str, Any]:
        """``context`` plus an answer's own variables (``order``, ``returns``, …), dates in
        the language's words."""
        locale = self.config.locale_for(language)
        return {
            **context,
            "order": _order_view(found.order, locale, self._shop_tz),
            **{name: _localized(value, locale, self._shop_tz)
               for name, value in found.values.items()},
        }

    # --- helpers ----------------------------------------------------------------------------

    def _short(self, channel: str) -> bool:
        """A channel with a length limit gets the short wording, no letter."""
        limit = self.config.limit(channel)
        return limit.sms_segments is not None or limit.characters is not None

    def _text(self, kind: str, language: str, channel: str, text: str) -> ReplyText:
        fitted = fit(text, channel, self.config.limit(channel))
        return ReplyText(template=template_name(kind, language), language=language,
                         text=fitted.text, characters=len(fitted.text),
                         sms_segments=fitted.sms_segments, trimmed=fitted.trimmed)

    def _render_first(self, kind: str, routed: RoutedTicket, language: str,
                      context: Callable[[str], Mapping[str, Any]]) -> ReplyText | Suppression:
        """``kind`` in the ticket's language, else the fallback's; when neither renders (no
        file, or a template error such as a value it cannot use), a ``no_template``
        suppression saying why: the agent still sees the facts. For the acknowledgement the
        caller raises it instead (``replies check`` and ``replies test`` render every path,
        so it means a broken configuration)."""
        errors = []
        for lang in dict.fromkeys((language, self.config.fallback_language)):
            if not self.templates.has(kind, lang):
                continue
            try:
                text = self.templates.render(kind, lang, context(lang))
            except TemplateError as exc:
                errors.append(f"{template_name(kind, lang)}: {exc}")
                continue
            return self._text(kind, lang, routed.ticket.channel.value, text)
        detail = "; ".join(errors) or (f"no {kind} template in {language} or "
                                       f"{self.config.fallback_language}")
        return Suppression(reason="no_template", detail=detail)


def _auto_send(routed: RoutedTicket, answered: bool) -> AutoSend:
    allowed = routed.decision.auto_reply
    if allowed == "answer" and answered:
        return "answer"
    return "none" if allowed == "off" else "acknowledgement"


def _customer(ticket: Ticket, trusted: bool) -> dict[str, str | None]:
    """The name to greet: the shop's record of the customer when it is certainly them, else
    the channel's display name when it looks like a name (not '@handle' or 'user123')."""
    e = ticket.enrichment
    name = e.customer.name if trusted and e is not None and e.customer is not None else None
    if name is None and ticket.customer.display_name:
        candidate = ticket.customer.display_name.strip()
        if all(_NAME.match(part) for part in candidate.split()):
            name = candidate
    first = name.split()[0] if name and name.split() else None
    return {"first_name": first, "name": name}


def _localized(value: object, locale: str, tz: ZoneInfo) -> object:
    """A kind's own variables with their datetimes as days in the customer's language."""
    if isinstance(value, datetime):
        return day(value, locale, tz)
    if isinstance(value, dict):
        return {k: _localized(v, locale, tz) for k, v in value.items()}
    return value


def _order_view(order: facts_mod.OrderFacts | None, locale: str,
                tz: ZoneInfo) -> dict[str, Any] | None:
    if order is None:
        return None
    return {
        "number": order.number, "status": order.status, "carrier": order.carrier,
        "tracking_number": order.tracking_number, "tracking_url": order.tracking_url,
        "placed_date": day(order.placed_at, locale, tz),
        "promised_date": day(order.promised_delivery_at, locale, tz),
        "delivered_date": day(order.delivered_at, locale, tz),
        "late": order.late, "mentioned": order.mentioned,
    }
