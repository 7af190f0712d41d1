"""The sample corpus carries the intent each message was written for: the model, trained only
on classifiers/training, must recognise most of them through the whole normalize path."""

from __future__ import annotations

from datetime import UTC, datetime

import corpus
from channels import RawRecord, normalize
from classifiers.classify import classify_tickets
from schemas import Source, Ticket


def test_model_agrees_with_the_corpus_authors_on_most_messages(intent_model) -> None:
    now = datetime(2026, 11, 21, tzinfo=UTC)
    pairs: list[tuple[str, Ticket]] = []
    for offset, f in enumerate(corpus.load_manifest()):
        if f.expected_error or f.intent is None:
            continue
        result = normalize(RawRecord(f.channel, f.path.read_bytes(), Source(
            topic=f"inbound.{f.channel}", partition=0, offset=offset), now), now)
        assert isinstance(result, tuple)
        pairs.append((f.intent, result[0]))
    classified = classify_tickets([t for _, t in pairs], intent_model)
    agree = sum(t.classification is not None and t.classification.intent == intent
                for (intent, _), t in zip(pairs, classified, strict=True))
    assert agree / len(pairs) >= 0.85, f"{agree}/{len(pairs)}"
