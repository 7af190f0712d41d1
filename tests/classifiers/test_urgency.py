from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from classifiers.urgency import detect_urgency


@pytest.mark.parametrize(("text", "kind", "evidence"), [
    ("The charger CAUGHT FIRE last night!", "safety_hazard", "CAUGHT FIRE"),
    ("Se incendió el cargador", "safety_hazard", "Se incendió"),
    ("Le radiateur a pris feu", "safety_hazard", "a pris feu"),
    ("Je vais contacter mon avocat", "legal_threat", "avocat"),
    ("I'll take you to small claims court", "legal_threat", "small claims"),
    ("Ich schalte die Verbraucherzentrale ein", "legal_threat", "Verbraucherzentrale"),
    ("I will file a chargeback with my bank", "chargeback", "chargeback"),
    ("Ich werde die Zahlung zurückbuchen lassen", "chargeback", "Zahlung zurückbuchen"),
    ("voy a pedir un contracargo", "chargeback", "contracargo"),
    ("THIS IS A JOKE, WHERE IS IT", "anger", "JOKE"),
    ("WHERE IS MY PARCEL", "anger", "WHERE IS MY PARCEL"),
    ("c'est urgent svp", "urgent", "urgent"),
    ("need it before my wedding on Saturday", "deadline", "before my wedding"),
    ("bitte bis Freitag liefern", "deadline", "bis Freitag"),
])
def test_cues_with_evidence_as_written(text: str, kind: str, evidence: str) -> None:
    cues = {c.kind.value: c.evidence for c in detect_urgency(text, "und")}
    assert cues.get(kind) == evidence


@pytest.mark.parametrize("text", [
    "Do you sell the Fire TV stick?", "Is the smoke grey jacket in M?",
    "Can I pay by bank transfer?", "Do you have it in hot pink?",
    "Do you sell legal size paper?", "What payment methods do you accept?",
    "Where is my order #104512? Thanks",
])
def test_ordinary_requests_raise_no_cue(text: str) -> None:
    assert detect_urgency(text, "en") == ()


def test_cues_come_most_severe_first_one_per_kind() -> None:
    cues = detect_urgency("URGENT!!! it caught fire, my lawyer will sue, urgent", "en")
    kinds = [c.kind.value for c in cues]
    assert kinds[:2] == ["safety_hazard", "legal_threat"]
    assert len(kinds) == len(set(kinds))


@given(st.text(max_size=300))
def test_never_raises_and_evidence_is_from_the_text(text: str) -> None:
    for cue in detect_urgency(text, "und"):
        assert 0 < len(cue.evidence) <= 80
