from __future__ import annotations

import pytest

from classifiers.priority import prioritize
from schemas.classification import Intent, Priority, SentimentResult, UrgencyCue, UrgencyKind

NEUTRAL = SentimentResult(label="neutral", score=0.0)
POSITIVE = SentimentResult(label="positive", score=0.8, drivers=("perfect (+0.6)",))
ANGRY = SentimentResult(label="negative", score=-0.9, drivers=("RIDICULOUS (-0.6)",))


def cue(kind: UrgencyKind, evidence: str = "x") -> UrgencyCue:
    return UrgencyCue(kind=kind, evidence=evidence)


@pytest.mark.parametrize("kind", [UrgencyKind.SAFETY_HAZARD, UrgencyKind.LEGAL_THREAT,
                                  UrgencyKind.CHARGEBACK])
@pytest.mark.parametrize("intent", list(Intent))
def test_critical_cues_land_in_p1_or_p2_whatever_the_intent(kind, intent) -> None:
    result = prioritize(intent=intent, urgency=[cue(kind)], sentiment=POSITIVE, channel="email")
    assert result.priority in (Priority.P1, Priority.P2)
    assert any(f.factor == f"urgency:{kind.value}" for f in result.factors)


def test_safety_hazard_on_a_damaged_item_is_p1() -> None:
    result = prioritize(intent=Intent.DAMAGED_OR_WRONG_ITEM,
                        urgency=[cue(UrgencyKind.SAFETY_HAZARD, "caught fire")],
                        sentiment=ANGRY, channel="chat")
    assert result.priority is Priority.P1
    assert "caught fire" in [f.detail for f in result.factors]


@pytest.mark.parametrize("channel", ["email", "chat", "phone"])
def test_praise_is_p3_or_p4_even_from_a_vip_on_chat(channel) -> None:
    result = prioritize(intent=Intent.FEEDBACK, urgency=[cue(UrgencyKind.URGENT)],
                        sentiment=POSITIVE, channel=channel, customer_segment="vip",
                        contacts_24h=5)
    assert result.priority in (Priority.P3, Priority.P4)


def test_unsubscribe_is_capped_at_p3() -> None:
    result = prioritize(intent=Intent.ACCOUNT, urgency=[cue(UrgencyKind.ANGER)],
                        sentiment=ANGRY, channel="chat", text="UNSUBSCRIBE me from the newsletter",
                        customer_segment="vip", contacts_24h=4)
    assert result.priority is Priority.P3
    assert result.factors[-1].factor == "ceiling"


def test_plain_order_status_by_email_is_p3_and_every_point_is_explained() -> None:
    result = prioritize(intent=Intent.ORDER_STATUS, urgency=[], sentiment=NEUTRAL,
                        channel="email")
    assert result.priority is Priority.P3
    assert result.score == sum(f.points for f in result.factors)


def test_customer_value_and_repeat_contacts_raise_priority() -> None:
    base = prioritize(intent=Intent.ORDER_STATUS, urgency=[], sentiment=NEUTRAL, channel="email")
    hooked = prioritize(intent=Intent.ORDER_STATUS, urgency=[], sentiment=NEUTRAL,
                        channel="email", customer_segment="vip", contacts_24h=3)
    assert hooked.score == base.score + 20 + 20
    assert hooked.priority is Priority.P2
    assert {f.factor for f in hooked.factors} >= {"customer_value", "repeat_contact"}
