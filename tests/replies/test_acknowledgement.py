"""The acknowledgement: in the customer's language (en, fr, de, es; English otherwise), with
the promise said as people say it — today, tomorrow, a weekday, a date after a long holiday,
a duration for a wall-clock target — and the closed-now wording after hours."""

from __future__ import annotations

import pytest

from replies import Replies
from tests.replies.conftest import routed
from tests.sla.conftest import paris

WED_11 = paris(2026, 11, 18, 11)       # open
FRI_20 = paris(2026, 11, 20, 20)       # closed; next opening Monday (uncapped policies)
WED_HOLIDAY = paris(2026, 11, 11, 10)  # 11 November: closed all day
CHRISTMAS_EVE = paris(2026, 12, 23, 19)  # closed until Monday 4 January (uncapped policies)


def ack(engine: Replies, at, **overrides) -> tuple[str, str]:
    s = engine.suggest(routed(at, **overrides))
    return s.acknowledgement.language, s.acknowledgement.text


@pytest.mark.parametrize(("language", "greeting", "promise", "sign_off"), [
    ("en", "Hi Ana,", "A member of our team will reply by 16:00 today.", "The Demo Shop team"),
    ("fr", "Bonjour Ana,", "Un conseiller vous répondra aujourd'hui avant 16:00.",
     "L'équipe Demo Shop"),
    ("de", "Hallo Ana,", "Jemand aus unserem Team antwortet Ihnen heute bis 16:00 Uhr.",
     "Ihr Demo-Shop-Team"),
    ("es", "Hola, Ana:", "Una persona de nuestro equipo te responderá hoy antes de las 16:00.",
     "El equipo de Demo Shop"),
])
def test_open_now_each_language(demo: Replies, language: str, greeting: str, promise: str,
                                sign_off: str) -> None:
    lang, text = ack(demo, WED_11, channel="email", language=language,
                     customer__display_name="Ana Ruiz")
    assert lang == language
    assert text.startswith(greeting + "\n\n")
    assert promise in text
    assert text.endswith(sign_off)


@pytest.mark.parametrize("language", ["it", "und"])
def test_other_languages_get_the_fallback(demo: Replies, language: str) -> None:
    lang, text = ack(demo, WED_11, channel="email", language=language)
    assert lang == "en"
    assert "by 16:00 today" in text
    assert demo.suggest(routed(WED_11, language=language)).language == language  # as detected


@pytest.mark.parametrize(("language", "words"), [
    ("en", "away at the moment, and you'll hear from us by Monday at 14:00."),
    ("fr", "fermé pour le moment ; vous aurez une réponse lundi avant 14:00."),
    ("de", "gerade nicht besetzt; Sie hören bis Montag, 14:00 Uhr von uns."),
    ("es", "está cerrado, y te responderemos el lunes antes de las 14:00."),
])
def test_after_hours_over_a_weekend_names_the_weekday(demo_uncapped: Replies, language: str,
                                                      words: str) -> None:
    # Friday 20:00 → Monday: 09:00-12:30 is 3.5 business hours, the last half hour after lunch
    s = demo_uncapped.suggest(routed(FRI_20, channel="email", language=language))
    assert s.promise.reply_by == paris(2026, 11, 23, 14)
    assert not s.promise.open_now
    assert words in s.acknowledgement.text


def test_after_hours_the_same_night_is_tomorrow(demo: Replies) -> None:
    # shipped policies: Saturday is open 10:00-14:00
    _, text = ack(demo, FRI_20, channel="email")
    assert "you'll hear from us by 14:00 tomorrow." in text


def test_early_morning_is_later_today(demo: Replies) -> None:
    _, text = ack(demo, paris(2026, 11, 18, 7), channel="email", language="de")
    assert "Sie hören heute bis 14:00 Uhr von uns." in text


def test_a_holiday_is_closed(demo_uncapped: Replies) -> None:
    s = demo_uncapped.suggest(routed(WED_HOLIDAY, channel="webform", language="fr"))
    assert not s.promise.open_now
    assert "fermé pour le moment ; vous aurez une réponse demain avant 14:00." \
        in s.acknowledgement.text


def test_more_than_six_days_away_says_the_date(demo_uncapped: Replies) -> None:
    _, text = ack(demo_uncapped, CHRISTMAS_EVE, channel="email", language="fr")
    assert "le lundi 4 janvier avant 14:00" in text
    _, text = ack(demo_uncapped, CHRISTMAS_EVE, channel="email", language="en")
    assert "by Monday 4 January at 14:00" in text


def test_the_cap_is_promised_even_on_a_closed_day(demo: Replies) -> None:
    # Saturday 16:00: the shipped e-mail policy caps at 24 h, so Sunday 16:00 it is
    s = demo.suggest(routed(paris(2026, 11, 21, 16), channel="email", language="es"))
    assert s.promise.capped
    assert "mañana antes de las 16:00" in s.acknowledgement.text


@pytest.mark.parametrize(("language", "words"), [
    ("en", "We'll reply within 2 minutes."),
    ("fr", "Nous vous répondrons d'ici 2 minutes."),
    ("de", "Wir antworten Ihnen innerhalb von 2 Minuten."),
    ("es", "Te responderemos en menos de 2 minutos."),
])
def test_chat_is_short_and_says_a_duration(demo: Replies, language: str, words: str) -> None:
    s = demo.suggest(routed(paris(2026, 11, 22, 3), channel="chat", language=language))
    assert s.acknowledgement.text.endswith(words)
    assert "\n" not in s.acknowledgement.text and len(s.acknowledgement.text) <= 320


def test_an_unknown_customer_is_greeted_without_a_name(demo: Replies) -> None:
    _, text = ack(demo, WED_11, channel="email", customer__display_name="@cdavies_")
    assert text.startswith("Hello,\n")


def test_a_guessed_customers_name_is_not_used(demo: Replies) -> None:
    # a shared e-mail settled by "first match taken": the record's name may be a relative's
    _, text = ack(demo, WED_11, channel="email", enrichment__customer__name="Marc Dupont",
                  enrichment__detail="email shared by 2 customers; first match taken")
    assert "Marc" not in text and text.startswith("Hello,")
    _, text = ack(demo, WED_11, channel="email", enrichment__customer__name="Marc Dupont")
    assert text.startswith("Hi Marc,")
