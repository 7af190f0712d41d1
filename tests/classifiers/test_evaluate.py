from __future__ import annotations

from classifiers.datasets import Example
from classifiers.evaluate import evaluate, format_report


def test_report_averages_over_labels_present_and_lists_confusions(intent_model) -> None:
    examples = [
        Example("where is my parcel? it has not arrived", "order_status"),
        Example("I want my money back for the jacket", "refund"),
        Example("I want my money back for the jacket", "invoice"),  # deliberately wrong label
    ]
    report = evaluate(intent_model, examples, skipped=4)
    assert report.labels == ["invoice", "order_status", "refund"]
    assert report.accuracy == round(2 / 3, 4)
    assert report.confusions[0][:2] == ("invoice", "refund")
    assert report.per_label["invoice"]["support"] == 1
    text = format_report(report)
    assert "4 skipped" in text and "invoice → refund: 1" in text
