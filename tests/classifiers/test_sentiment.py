from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifiers.sentiment import NEGATIVE_AT, POSITIVE_AT, analyze_sentiment


@pytest.mark.parametrize(("text", "label", "driver"), [
    ("where is my order??? this is RIDICULOUS, 3 weeks!!!", "negative", "ridiculous"),
    ("Thank you so much, the dress is perfect!", "positive", "perfect"),
    ("Je suis très déçue, colis abîmé", "negative", "decue"),
    ("Vielen Dank, alles super!", "positive", "super"),
    ("No estoy nada contento, el pedido llegó roto", "negative", "roto"),
    ("I am not happy with this", "negative", "happy negated"),
    ("😡😡 still waiting", "negative", "😡"),
])
def test_labels_and_the_words_behind_them(text: str, label: str, driver: str) -> None:
    result = analyze_sentiment(text, "und")
    assert result.label == label
    assert any(driver in d for d in result.drivers)


@pytest.mark.parametrize("text", [
    "Hi, where is my order #104512? Thanks",
    "Bonjour, où en est ma commande 104512 ? Merci",
    "Hallo, wann kommt meine Bestellung?",
    "ORDER 104512 STATUS",
])
def test_polite_or_plain_requests_are_not_negative(text: str) -> None:
    assert analyze_sentiment(text, "und").label != "negative"


def test_intensifier_strengthens_and_caps_push_down() -> None:
    plain = analyze_sentiment("disappointed", "en").score
    assert analyze_sentiment("very disappointed", "en").score < plain
    assert analyze_sentiment("disappointed, THIS IS TERRIBLE", "en").score < plain


def test_empty_and_huge_texts() -> None:
    assert analyze_sentiment("", "und").drivers == ()
    assert analyze_sentiment("", "und").label == "neutral"
    assert analyze_sentiment("great " * 200_000, "en").label == "positive"


@given(st.text(max_size=300))
def test_score_bounded_and_label_consistent(text: str) -> None:
    result = analyze_sentiment(text, "und")
    assert -1.0 <= result.score <= 1.0
    expected = ("negative" if result.score <= NEGATIVE_AT
                else "positive" if result.score >= POSITIVE_AT else "neutral")
    assert result.label == expected
    assert len(result.drivers) <= 8
