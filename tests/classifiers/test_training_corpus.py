"""The intent training corpus: coverage per label and language, hygiene, reproducibility."""

from __future__ import annotations

from collections import Counter

import pytest

from classifiers.training import CORPUS_PATH, generate, load

LABELS = {
    "order_status", "delivery_info", "shipping_address", "order_change", "order_cancel",
    "return_exchange", "refund", "damaged_or_wrong_item", "payment_billing", "invoice",
    "product_question", "account", "complaint", "feedback", "human_agent", "other",
}
COMMON = {
    "order_status", "delivery_info", "shipping_address", "order_cancel", "return_exchange",
    "refund", "damaged_or_wrong_item", "payment_billing", "invoice", "account", "human_agent",
    "complaint",
}
LANGUAGES = {"en", "fr", "de", "es"}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return load()


def test_labels_are_exactly_the_sixteen_intents(rows):
    assert {r["intent"] for r in rows} == LABELS
    assert set(generate.LABELS) == LABELS


def test_every_row_has_the_three_fields_and_a_known_language(rows):
    for row in rows:
        assert set(row) == {"text", "intent", "language"}
        assert row["language"] in LANGUAGES


def test_every_label_has_enough_examples_and_enough_english(rows):
    per_label = Counter(r["intent"] for r in rows)
    english = Counter(r["intent"] for r in rows if r["language"] == "en")
    for label in LABELS:
        assert per_label[label] >= 250, label
        assert english[label] >= 150, label


@pytest.mark.parametrize("language", ["fr", "de", "es"])
def test_foreign_languages_cover_every_label(rows, language):
    counts = Counter(r["intent"] for r in rows if r["language"] == language)
    for label in LABELS:
        assert counts[label] >= (40 if label in COMMON else 15), (language, label)


def test_no_empty_texts(rows):
    assert all(r["text"].strip() for r in rows)


def test_no_duplicate_texts(rows):
    texts = Counter(r["text"] for r in rows)
    assert [t for t, n in texts.items() if n > 1] == []
    # Nor near-duplicates that differ only in case or punctuation.
    keys = Counter(generate.dedupe_key(r["text"]) for r in rows)
    assert [k for k, n in keys.items() if n > 1] == []


def test_file_size_stays_reasonable():
    assert CORPUS_PATH.stat().st_size < 1_500_000


def test_generator_reproduces_the_committed_file(tmp_path):
    out = generate.main(tmp_path / "intents.jsonl")
    assert out.read_bytes() == CORPUS_PATH.read_bytes()
