from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifiers.lexicons import LANGUAGES
from classifiers.sentiment import fold, normalize
from classifiers.urgency import MAX_EVIDENCE, SEVERITY, anchors, detect_urgency
from schemas.classification import UrgencyKind


def cues(text: str, language: str = "und") -> dict[str, str]:
    return {c.kind.value: c.evidence for c in detect_urgency(text, language)}


@pytest.mark.parametrize("language", ["own", "und"])
@pytest.mark.parametrize(("text", "code", "kind", "evidence"), [
    # safety hazards
    ("The charger CAUGHT FIRE last night!", "en", "safety_hazard", "CAUGHT FIRE"),
    ("smoke came out of the kettle", "en", "safety_hazard", "smoke came"),
    ("the toy has a sharp edge, my son cut his finger", "en", "safety_hazard", "sharp edge"),
    ("Le radiateur a pris feu", "fr", "safety_hazard", "a pris feu"),
    ("la batterie est dangereuse", "fr", "safety_hazard", "dangereuse"),
    ("Das Ladegerät hat Feuer gefangen", "de", "safety_hazard", "Feuer gefangen"),
    ("Ich habe einen Stromschlag bekommen", "de", "safety_hazard", "Stromschlag"),
    ("Se incendió el cargador", "es", "safety_hazard", "Se incendió"),
    ("me dio una descarga eléctrica", "es", "safety_hazard", "descarga eléctrica"),
    # legal threats
    ("I'll take you to small claims court", "en", "legal_threat", "small claims"),
    ("my lawyer will be in touch", "en", "legal_threat", "lawyer"),
    ("I will report you to trading standards", "en", "legal_threat", "report you to"),
    ("Je vais contacter mon avocat", "fr", "legal_threat", "contacter mon avocat"),
    ("Ceci est une mise en demeure", "fr", "legal_threat", "mise en demeure"),
    ("Ich schalte die Verbraucherzentrale ein", "de", "legal_threat", "Verbraucherzentrale"),
    ("Ich werde rechtliche Schritte einleiten", "de", "legal_threat", "rechtliche Schritte"),
    ("Voy a hablar con mi abogado", "es", "legal_threat", "abogado"),
    ("tomaré acciones legales", "es", "legal_threat", "acciones legales"),
    # chargebacks
    ("I will file a chargeback with my bank", "en", "chargeback", "chargeback"),
    ("I'm going to dispute the charge", "en", "chargeback", "dispute the charge"),
    ("I'll call my bank tomorrow", "en", "chargeback", "call my bank"),
    ("je vais contester le prélèvement", "fr", "chargeback", "contester le prélèvement"),
    ("Je vais faire opposition", "fr", "chargeback", "vais faire opposition"),
    ("Ich werde die Zahlung zurückbuchen lassen", "de", "chargeback", "Zahlung zurückbuchen"),
    ("Ich mache eine Rückbuchung", "de", "chargeback", "Rückbuchung"),
    ("voy a pedir un contracargo", "es", "chargeback", "contracargo"),
    ("voy a anular el cargo", "es", "chargeback", "anular el cargo"),
    # anger
    ("I am furious about this", "en", "anger", "furious"),
    ("THIS IS A JOKE, WHERE IS IT", "en", "anger", "A JOKE"),
    ("WHERE IS MY PARCEL", "en", "anger", "WHERE IS MY PARCEL"),
    ("where is it!!!", "en", "anger", "!!!"),
    ("c'est inadmissible, ras le bol", "fr", "anger", "inadmissible"),
    ("Was für ein Saftladen", "de", "anger", "Saftladen"),
    ("Das ist eine Frechheit", "de", "anger", "Frechheit"),
    ("Es una vergüenza, estoy harto", "es", "anger", "vergüenza"),
    # urgent
    ("please send it asap", "en", "urgent", "asap"),
    ("c'est urgent svp", "fr", "urgent", "urgent"),
    ("Bitte dringend antworten", "de", "urgent", "dringend"),
    ("lo necesito cuanto antes", "es", "urgent", "cuanto antes"),
    # deadlines
    ("need it before my wedding on Saturday", "en", "deadline", "need it before my wedding"),
    ("can it arrive by Friday?", "en", "deadline", "by Friday"),
    ("it has to arrive by the 24th", "en", "deadline", "by the 24th"),
    ("I'm leaving on Monday", "en", "deadline", "leaving on Monday"),
    ("il me le faut avant vendredi", "fr", "deadline", "avant vendredi"),
    ("c'est pour le mariage de ma sœur", "fr", "deadline", "pour le mariage"),
    ("bitte bis Freitag liefern", "de", "deadline", "bis Freitag"),
    ("Es ist ein Geschenk für die Hochzeit", "de", "deadline", "für die Hochzeit"),
    ("lo necesito antes del viernes", "es", "deadline", "necesito antes del viernes"),
    ("es para la boda", "es", "deadline", "para la boda"),
])
def test_cues_with_evidence_as_written(
    text: str, code: str, kind: str, evidence: str, language: str
) -> None:
    assert cues(text, code if language == "own" else language).get(kind) == evidence


@pytest.mark.parametrize("language", ["en", "und"])
@pytest.mark.parametrize("text", [
    "Do you sell the Fire TV stick?",
    "Is the smoke grey jacket in M?",
    "Do you have it in hot pink?",
    "Do you sell legal size paper?",
    "What payment methods do you accept?",
    "Can I pay by bank transfer?",
    "Is there a bank transfer payment option?",
    "I'd like to dispute nothing, just asking about payment methods",
    "Where is my order #104512? Thanks",
    "Hi, this is Sue, can I change my address?",
    "Is the fire pit in stock? And the burnt orange throw?",
    "I'm not home right now, please leave it with a neighbour",
    "Do you sell smoked salmon gift boxes?",
    "Which is the best case for this phone?",
    "It arrived in 2 days, thanks",
    "My order was flagged by your fraud check, can you help?",
    "I need the invoice for my company",
])
def test_ordinary_requests_raise_no_cue(text: str, language: str) -> None:
    assert detect_urgency(text, language) == ()


@pytest.mark.parametrize("text", [
    "Tenéis la chaqueta gris humo en talla M?",
    "La veste gris fumée existe en M ?",
    "Gibt es die Jacke in Rauchgrau?",
    "Ist das sofort lieferbar?",
    "Kann ich mit Sofortüberweisung zahlen?",
    "Le bon de commande, s'il vous plaît",
    "Due to high demand, when will it be back?",
])
def test_ordinary_requests_in_other_languages_raise_no_cue(text: str) -> None:
    assert detect_urgency(text, "und") == ()


@pytest.mark.parametrize("text", [
    "It is not urgent, whenever you can",
    "ce n'est pas urgent",
    "nicht dringend, danke",
    "no es urgente",
    "the heater is not dangerous, just noisy",
    "I'm not angry, just asking",
])
def test_negated_cues_are_not_cues(text: str) -> None:
    assert detect_urgency(text, "und") == ()


def test_a_no_in_another_clause_does_not_cancel() -> None:
    assert "safety_hazard" in cues("No, it caught fire!")


def test_cues_come_most_severe_first_one_per_kind() -> None:
    found = detect_urgency(
        "URGENT!!! it caught fire, my lawyer will sue, I'll call my bank, I need it by Friday",
        "en",
    )
    assert [c.kind for c in found] == list(SEVERITY)
    assert {c.kind.value: c.evidence for c in found} == {
        "safety_hazard": "caught fire", "legal_threat": "lawyer", "chargeback": "call my bank",
        "anger": "!!!", "urgent": "URGENT", "deadline": "need it by Friday",
    }


def test_evidence_is_trimmed_to_eighty_characters() -> None:
    text = "hello. " + " ".join(["WHERE IS MY PARCEL"] * 20)
    (cue,) = detect_urgency(text, "en")
    assert cue.kind is UrgencyKind.ANGER and len(cue.evidence) == MAX_EVIDENCE
    assert cue.evidence == cue.evidence.strip()


def test_empty_text() -> None:
    assert detect_urgency("", "und") == ()
    assert detect_urgency("   ", "en") == ()


def test_one_megabyte_text() -> None:
    found = detect_urgency("where is my parcel, I'm waiting. " * 30_000 + "it caught fire", "und")
    assert isinstance(found, tuple)
    assert [c.kind for c in found] == [UrgencyKind.SAFETY_HAZARD]


@pytest.mark.parametrize("text", [
    "need it " * 20_000, "a" * 200_000, "!" * 200_000, "AB " * 50_000 + "x",
    "leaving " + "x " * 100_000, "é" * 100_000,
])
def test_adversarial_texts_stay_linear(text: str) -> None:
    assert isinstance(detect_urgency(text, "und"), tuple)


def test_patterns_are_written_folded_and_compile() -> None:
    for code, data in LANGUAGES.items():
        assert set(data.urgency) <= {kind.value for kind in UrgencyKind}, code
        for kind, patterns in data.urgency.items():
            for pattern in patterns:
                assert fold(pattern) == pattern, (code, kind, pattern)
                re.compile(pattern)


ALL_PATTERNS = sorted(
    {p for data in LANGUAGES.values() for patterns in data.urgency.values() for p in patterns}
)


def test_every_pattern_has_anchors() -> None:
    # without them the kind's regex runs on every message: still correct, only slower
    assert [p for p in ALL_PATTERNS if anchors(p) is None] == []


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_anchors_are_in_every_match(data: st.DataObject) -> None:
    """The prefilter is sound: any text a pattern matches contains one of its anchors."""
    pattern = data.draw(st.sampled_from(ALL_PATTERNS))
    text = data.draw(st.from_regex(pattern, fullmatch=True))
    found = anchors(pattern)
    assert found is not None and any(a in text for a in found), (pattern, text, found)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["en", "fr", "de", "es", "und", "it"]))
def test_never_raises_and_evidence_is_from_the_text(text: str, language: str) -> None:
    found = detect_urgency(text, language)
    kinds = [c.kind for c in found]
    assert kinds == sorted(set(kinds), key=SEVERITY.index)
    flat = " ".join(normalize(text).split())
    for cue in found:
        assert 0 < len(cue.evidence) <= MAX_EVIDENCE
        assert cue.evidence in flat


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "caught", "fire", "not", "urgent", "my", "bank", "lawyer", "by", "Friday", "!!!", "WHERE",
    "IS", "IT", "need", "it", "before", "wedding", "smoke", "came", "pas", "dringend", "é",
    "n'importe", "quoi", ",", "\n",
]), max_size=40))
def test_never_raises_on_pattern_soup(words: list[str]) -> None:
    for cue in detect_urgency(" ".join(words), "und"):
        assert 0 < len(cue.evidence) <= MAX_EVIDENCE
