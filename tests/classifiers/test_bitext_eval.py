"""Measured on real customer-service utterances nobody here wrote (Bitext, in ../shared beside
the checkout on CI and developer machines). Never trained on: the model learns only from
classifiers/training."""

from __future__ import annotations

import pytest

from classifiers.datasets import load_examples, load_label_map
from classifiers.evaluate import evaluate

from ..conftest import REPO

BITEXT = REPO.parent / "shared" / "data" / "bitext-customer-service-8k"


@pytest.mark.skipif(not (BITEXT / "bitext_customer_service_8k.csv").is_file(),
                    reason=f"Bitext evaluation data not found at {BITEXT} (only CI and developer "
                           "machines have ../shared); nothing to measure against here")
def test_generalises_to_bitext(intent_model) -> None:
    examples, skipped = load_examples(BITEXT / "bitext_customer_service_8k.csv",
                                      load_label_map(BITEXT / "intent_map.csv"))
    report = evaluate(intent_model, examples, skipped)
    assert report.examples > 8000
    assert report.accuracy >= 0.85, report.accuracy
    assert report.macro_f1 >= 0.80, report.macro_f1
