"""``ticketflow bench …``: speed figures, measured rather than asserted in tests."""

from __future__ import annotations

import time
from typing import Any

from classifiers.classify import ClassifyInput, classify
from classifiers.intent import IntentModel
from classifiers.training import load as load_bundled


def bench_classify(model: IntentModel, n: int, batch: int) -> dict[str, Any]:
    """Per-message cost of classifying one at a time versus in batches, on bundled texts."""
    texts = [row["text"] for row in load_bundled()]
    items = [ClassifyInput(text=texts[i % len(texts)], language="en") for i in range(n)]
    classify(items[:50], model)  # warm up caches

    started = time.perf_counter()
    for item in items:
        classify([item], model)
    single_s = time.perf_counter() - started

    started = time.perf_counter()
    for offset in range(0, n, batch):
        classify(items[offset:offset + batch], model)
    batch_s = time.perf_counter() - started

    started = time.perf_counter()
    for offset in range(0, n, batch):
        model.predict([i.text for i in items[offset:offset + batch]])
    model_only_s = time.perf_counter() - started
    return {
        "bench": "classify",
        "messages": n,
        "batch_size": batch,
        "single_per_s": round(n / single_s, 1),
        "batch_per_s": round(n / batch_s, 1),
        "single_ms_per_message": round(1000 * single_s / n, 3),
        "batch_ms_per_message": round(1000 * batch_s / n, 3),
        "speedup": round(single_s / batch_s, 1),
        "intent_model_only_batch_per_s": round(n / model_only_s, 1),
        "model_version": model.version,
    }
