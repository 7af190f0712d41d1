from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifiers.lexicons import LANGUAGES
from classifiers.lexicons.emoji import EMOJI
from classifiers.sentiment import (
    MAX_DRIVERS,
    NEGATIVE_AT,
    POSITIVE_AT,
    analyze_sentiment,
    fold,
    label_for,
    lexicon_sizes,
    normalize,
)
from schemas.classification import SentimentResult


def names(result: SentimentResult, word: str) -> bool:
    return any(word.casefold() in driver.casefold() for driver in result.drivers)


@pytest.mark.parametrize("language", ["own", "und"])
@pytest.mark.parametrize(("text", "code", "label", "word"), [
    ("where is my order??? this is RIDICULOUS, 3 weeks!!!", "en", "negative", "RIDICULOUS"),
    ("Thank you so much, the dress is perfect!", "en", "positive", "perfect"),
    ("The lamp arrived broken, really disappointed", "en", "negative", "disappointed"),
    ("Je suis très déçue, colis abîmé", "fr", "negative", "déçue"),
    ("Merci beaucoup, livraison rapide, je suis ravie", "fr", "positive", "ravie"),
    ("Vielen Dank, alles super!", "de", "positive", "super"),
    ("Der Artikel ist kaputt, ich bin sehr enttäuscht", "de", "negative", "enttäuscht"),
    ("No estoy nada contento, el pedido llegó roto", "es", "negative", "roto"),
    ("Muchas gracias, todo perfecto", "es", "positive", "perfecto"),
])
def test_examples_in_each_language(
    text: str, code: str, label: str, word: str, language: str
) -> None:
    result = analyze_sentiment(text, code if language == "own" else language)
    assert result.label == label
    assert names(result, word), result.drivers


@pytest.mark.parametrize(("text", "language"), [
    ("Hi, where is my order #104512? Thanks", "en"),
    ("Hello, can I change the delivery address for order 105270? Thank you", "en"),
    ("Bonjour, où en est ma commande 104512 ? Merci", "fr"),
    ("Hallo, wann kommt meine Bestellung 104512? Danke", "de"),
    ("Hola, ¿cuándo llega mi pedido 104512? Gracias", "es"),
    ("Good morning, kind regards", "en"),
    ("ORDER 104512 STATUS", "und"),
    ("Can I pay by bank transfer?", "en"),
])
def test_polite_or_plain_requests_are_neutral_or_mildly_positive(text: str, language: str) -> None:
    result = analyze_sentiment(text, language)
    assert result.label == "neutral", result
    assert result.score > -0.1


@pytest.mark.parametrize(("plain", "negated", "language"), [
    ("I am happy with it", "I am not happy with it", "en"),
    ("je suis content", "je ne suis pas content", "fr"),
    ("ich bin zufrieden", "ich bin nicht zufrieden", "de"),
    ("estoy contento", "no estoy contento", "es"),
])
def test_negation_flips_a_positive_word(plain: str, negated: str, language: str) -> None:
    assert analyze_sentiment(plain, language).label == "positive"
    result = analyze_sentiment(negated, language)
    assert result.label == "negative"
    assert any("negated" in d for d in result.drivers)


@pytest.mark.parametrize(("text", "language", "word"), [
    ("my parcel never arrived", "en", "never arrived"),
    ("the tracking link doesn't work", "en", "doesn't work"),
    ("je n'ai jamais reçu mon colis", "fr", "jamais reçu"),
    ("Das Paket ist nicht angekommen", "de", "nicht angekommen"),
    ("Der Link funktioniert nicht", "de", "funktioniert nicht"),  # negation after the verb
    ("el pedido no ha llegado", "es", "no ha llegado"),
])
def test_negated_events_are_negative(text: str, language: str, word: str) -> None:
    result = analyze_sentiment(text, language)
    assert result.label == "negative"
    assert names(result, word), result.drivers


def test_one_negator_negates_one_word() -> None:
    result = analyze_sentiment("Das Paket ist nicht angekommen und funktioniert nicht", "de")
    assert names(result, "nicht angekommen") and names(result, "funktioniert nicht")


def test_negating_a_negative_word_softens_it() -> None:
    assert analyze_sentiment("not bad at all", "en").score > 0
    assert analyze_sentiment("c'est pas mal", "fr").label == "positive"


def test_set_phrases_are_not_negations() -> None:
    assert analyze_sentiment("no problem, thanks", "en").score > 0
    assert analyze_sentiment("kein Problem", "de").score > 0


@pytest.mark.parametrize(("plain", "intensified", "language"), [
    ("disappointed", "very disappointed", "en"),
    ("déçue", "très déçue", "fr"),
    ("enttäuscht", "sehr enttäuscht", "de"),
    ("decepcionado", "muy decepcionado", "es"),
    ("happy", "extremely happy", "en"),
])
def test_intensifiers_strengthen(plain: str, intensified: str, language: str) -> None:
    weak = analyze_sentiment(plain, language).score
    strong = analyze_sentiment(intensified, language)
    assert abs(strong.score) > abs(weak)
    assert any("intensified" in d for d in strong.drivers)


def test_dampeners_weaken() -> None:
    assert analyze_sentiment("a bit late", "en").score > analyze_sentiment("late", "en").score


def test_capitals_shout() -> None:
    quiet = analyze_sentiment("this is ridiculous", "en")
    loud = analyze_sentiment("this is RIDICULOUS", "en")
    assert loud.score < quiet.score
    assert any(d.startswith("ALL CAPS") and "RIDICULOUS" in d for d in loud.drivers)
    shouted = analyze_sentiment("Hello. WHERE IS MY PARCEL", "en")
    assert shouted.score < 0 and names(shouted, "WHERE IS MY PARCEL")


def test_acronyms_are_not_shouting() -> None:
    assert analyze_sentiment("Sent with DHL or UPS or DPD?", "en").drivers == ()
    assert analyze_sentiment("UPS DHL DPD", "en").score == 0.0


def test_repeated_punctuation() -> None:
    assert analyze_sentiment("where is my order???", "en").score < 0
    assert names(analyze_sentiment("where is my order???", "en"), "???")
    thanks = analyze_sentiment("thanks, great", "en").score
    assert analyze_sentiment("thanks, great!!!", "en").score > thanks


@pytest.mark.parametrize(("text", "label"), [
    ("😡😡", "negative"), ("👎", "negative"), ("😊", "positive"), ("👍", "positive"),
    ("❤️", "positive"), ("thank you 🙏", "positive"), ("still waiting 😤", "negative"),
    ("ok :(", "negative"),
])
def test_emojis(text: str, label: str) -> None:
    result = analyze_sentiment(text, "und")
    assert result.label == label
    assert result.drivers


def test_repeats_are_merged_into_one_driver() -> None:
    result = analyze_sentiment("😡😡 still waiting", "en")
    assert result.drivers[0] == "😡 (-0.8) ×2"


def test_drivers_strongest_first_and_at_most_eight() -> None:
    result = analyze_sentiment("Thanks. The box was a bit dented, but I am furious", "en")
    assert result.drivers[0].startswith("furious")
    many = analyze_sentiment(
        "terrible awful horrible broken damaged late wrong missing useless scam rude slow", "en"
    )
    assert len(many.drivers) == MAX_DRIVERS
    assert many.drivers[0].startswith("scam")


def test_matching_ignores_accents_and_case() -> None:
    accented = analyze_sentiment("déçue", "fr")
    assert analyze_sentiment("decue", "fr").score == accented.score
    assert analyze_sentiment("DÉÇUE", "fr").label == "negative"
    decomposed = unicodedata.normalize("NFD", "déçue")
    assert analyze_sentiment(decomposed, "fr").score == accented.score
    assert analyze_sentiment("Straße ist unverschämt", "de").label == "negative"


def test_folding_keeps_offsets() -> None:
    text = normalize("İstanbul ÉTÉ Straße ’quoted’ ﬁne Ǆ")
    assert len(fold(text)) == len(text)
    assert fold("Déçue ÀÉÎÕÜ") == "decue aeiou"


def test_language_codes() -> None:
    # a regional code uses its language; an unknown one searches every lexicon
    assert analyze_sentiment("very disappointed", "en-GB").label == "negative"
    assert analyze_sentiment("molto deluso, pessimo, inaceptable", "it").label == "negative"
    # the merged lexicon leaves out words that mean something else in another language
    assert analyze_sentiment("das Kind", "und").drivers == ()
    assert analyze_sentiment("the kind lady", "en").label == "positive"


def test_empty_text() -> None:
    for text in ("", "   \n ", "#104512"):
        result = analyze_sentiment(text, "und")
        assert result == SentimentResult(label="neutral", score=0.0, drivers=())


def test_one_megabyte_text() -> None:
    result = analyze_sentiment("my parcel is late, very disappointed!!! " * 25_000, "und")
    assert isinstance(result, SentimentResult)
    assert result.label == "negative"


def test_lexicons_are_well_formed() -> None:
    sizes = lexicon_sizes()
    assert sum(sizes.values()) >= 600
    for code, data in LANGUAGES.items():
        assert sizes[code] >= 100
        for entry, weight in {**data.words, **data.negated_only}.items():
            assert entry.strip() == entry and entry, code
            assert -1.0 <= weight <= 1.0, (code, entry)
        assert all(weight < 0 for weight in data.negated_only.values())
    assert all(-1.0 <= weight <= 1.0 for weight in EMOJI.values())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["en", "fr", "de", "es", "und", "it", ""]))
def test_score_bounded_and_label_consistent(text: str, language: str) -> None:
    result = analyze_sentiment(text, language)
    assert -1.0 <= result.score <= 1.0
    assert result.label == label_for(result.score)
    expected = ("negative" if result.score <= NEGATIVE_AT
                else "positive" if result.score >= POSITIVE_AT else "neutral")
    assert result.label == expected
    assert len(result.drivers) <= MAX_DRIVERS
    if result.score == 0.0:
        assert result.label == "neutral"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "not", "very", "happy", "broken", "pas", "très", "content", "nicht", "zufrieden", "no",
    "muy", "roto", "!!!", "???", "😡", "👍", "GREAT", "n'importe", "quoi", ",", "thank", "you",
    "so", "much", "ß", "İ", "l'", "'",
]), max_size=40))
def test_never_raises_on_lexicon_soup(words: list[str]) -> None:
    result = analyze_sentiment(" ".join(words), "und")
    assert -1.0 <= result.score <= 1.0
    assert result.label == label_for(result.score)
