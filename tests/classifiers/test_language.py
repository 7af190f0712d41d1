"""The batched language detection against py3langid's own, text by text.

``detect_languages`` reads py3langid's model arrays and re-implements its scoring for a batch;
if a py3langid release changed either, these comparisons fail.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import corpus
from channels import RawRecord, normalize
from classifiers import language
from classifiers.language import UNDETERMINED, detect_language, detect_languages
from schemas import Source

HANDWRITTEN = [
    "Where is my order #104512? It was due on Monday and the tracking page says nothing.",
    "Bonjour, je n'ai toujours pas reçu ma commande, pouvez-vous vérifier s'il vous plaît ?",
    "Hallo, meine Bestellung ist beschädigt angekommen. Ich möchte sie zurückschicken.",
    "Hola, quiero devolver los zapatos, son demasiado pequeños. ¿Cómo lo hago?",
    "Ciao, il pacco non è mai arrivato e il corriere non risponde. Cosa devo fare?",
    "Olá, o meu pedido veio com o tamanho errado, gostaria de trocar por um maior.",
    "Hallo, mijn bestelling is nog steeds niet geleverd, kunnen jullie dat nakijken?",
    "WHY HAS NOBODY ANSWERED MY EMAIL ABOUT THE REFUND YET",  # all capitals: lowered first
    "ok thx",  # too few letters
    "",
    "🙂🙂🙂 !!! ???",
    "12345 67890 #104512",
    "Straße Ærø Œuvre ﬁnal café naïve",  # NFC and non-ASCII bytes
    "refund " * 120,  # longer than the rest: walked on alone after the shared walk
    "Where is my parcel?\nOù est mon colis ?\nWo ist mein Paket?",
]


def corpus_texts() -> list[str]:
    """The language text of every ticket the sample corpus makes, as the normalizers pass it."""
    texts: list[str] = []
    at = datetime(2026, 11, 20, tzinfo=UTC)
    for offset, item in enumerate(corpus.load_manifest()):
        source = Source(topic=f"inbound.{item.channel}", partition=0, offset=offset)
        result = normalize(RawRecord(item.channel, item.read_bytes(), source, at), at)
        if isinstance(result, tuple):
            texts += [f"{t.subject or ''}\n{t.body}" for t in result]
    return texts


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return [*corpus_texts(), *HANDWRITTEN]


def assert_same(got: list[tuple[str, float]], texts: list[str]) -> None:
    for text, (lang, confidence) in zip(texts, got, strict=True):
        want_lang, want_confidence = detect_language(text)
        assert lang == want_lang, text
        # the batch sums the same float32 terms in another order: the 4th decimal may differ
        assert confidence == pytest.approx(want_confidence, abs=1e-4), text


@pytest.mark.parametrize("size", [1, 7, 60, 500])
def test_batches_of_any_size_answer_as_one_text_at_a_time(texts: list[str], size: int) -> None:
    got = []
    for start in range(0, len(texts), size):
        got += detect_languages(texts[start:start + size])
    assert len(texts) > 100
    assert_same(got, texts)


def test_the_shared_walk_and_the_walk_alone_both_run(texts: list[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With a narrow vector the shared walk covers most bytes and many texts finish alone."""
    monkeypatch.setattr(language._BatchScorer, "MIN_VECTOR_WIDTH", 3)
    scorer = language._BatchScorer(language._identifier())
    walked_alone: list[int] = []
    walk_one = scorer._walk_one

    def spy(data: bytes, state: int) -> list[int]:
        walked_alone.append(state)
        return walk_one(data, state)

    monkeypatch.setattr(scorer, "_walk_one", spy)
    monkeypatch.setattr(language, "_batch_scorer", lambda: scorer)
    assert_same(detect_languages(texts), texts)
    assert 0 < len(walked_alone) < 3  # the longest go on alone ...
    assert all(state != 0 for state in walked_alone)  # ... from where the shared walk left them


def test_too_short_or_unsure_is_undetermined() -> None:
    assert detect_languages(["ok thx", "", "Bonjour, ma commande n'est pas arrivée"]) == [
        (UNDETERMINED, 0.0), (UNDETERMINED, 0.0), detect_language(
            "Bonjour, ma commande n'est pas arrivée")]
    assert detect_languages([]) == []
