from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifiers.datasets import DatasetError, fingerprint, load_examples, load_label_map


def test_csv_with_utterance_column_and_label_map(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("flags,utterance,intent\nB,where is my parcel,track_order\n"
                    "B,hello,unmapped_intent\n", encoding="utf-8")
    mapping = tmp_path / "m.csv"
    mapping.write_text("theirs,ours\ntrack_order,order_status\n")
    examples, skipped = load_examples(data, load_label_map(mapping))
    assert [(e.text, e.intent) for e in examples] == [("where is my parcel", "order_status")]
    assert skipped == 1


def test_jsonl_help_desk_export(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in [
        {"text": "refund please", "intent": "refund"}, {"text": "", "intent": "refund"},
    ]))
    examples, _ = load_examples(data)
    assert len(examples) == 1


def test_unknown_labels_are_named(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"text": "x", "intent": "shipping"}))
    with pytest.raises(DatasetError, match="shipping"):
        load_examples(data)


def test_missing_text_column_says_which_are_accepted(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("question,intent\nhi,other\n")
    with pytest.raises(DatasetError, match="utterance"):
        load_examples(data)


def test_map_onto_unknown_intent_is_refused(tmp_path: Path) -> None:
    mapping = tmp_path / "m.csv"
    mapping.write_text("a,b\nx,not_an_intent\n")
    with pytest.raises(DatasetError, match="not_an_intent"):
        load_label_map(mapping)


def test_fingerprint_changes_with_content() -> None:
    from classifiers.datasets import Example

    a = [Example("a", "refund")]
    assert fingerprint(a) == fingerprint(list(a))
    assert fingerprint(a) != fingerprint([Example("a", "other")])
