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


def bench_enrich(
    model: IntentModel, database_url: str | None, n: int, batch: int
) -> dict[str, Any]:
    """Per-ticket cost of each pipeline stage on the sample corpus' tickets, against the seeded
    demo store (a temporary SQLite file unless a database URL is given): the enrichment lookup
    with a cold cache (every batch queries) and a warm one, and its share of the pipeline."""
    import tempfile
    from datetime import UTC, datetime
    from pathlib import Path

    import corpus
    from channels import RawRecord, normalize
    from classifiers.classify import classify_tickets
    from enrichment.stage import EnrichStage
    from schemas import Source, Ticket
    from store.db import default_url, make_engine, make_session_factory
    from ticketflow.seed import db_seed

    now = datetime.now(UTC)
    url = database_url or default_url(Path(tempfile.mkdtemp(prefix="ticketflow-bench-")))
    db_seed(url, now)
    records = [
        RawRecord(f.channel, f.path.read_bytes(),
                  Source(topic=f"inbound.{f.channel}", partition=0, offset=i), now)
        for i, f in enumerate(corpus.load_manifest()) if not f.expected_error
    ]
    records = [records[i % len(records)] for i in range(n)]

    started = time.perf_counter()
    tickets: list[Ticket] = []
    for record in records:
        result = normalize(record, now)
        if isinstance(result, tuple):
            tickets.extend(result)
    normalize_s = time.perf_counter() - started
    batches = [tickets[i:i + batch] for i in range(0, len(tickets), batch)]

    started = time.perf_counter()
    classified = [classify_tickets(b, model) for b in batches]
    classify_s = time.perf_counter() - started

    engine = make_engine(url)
    sessions = make_session_factory(engine)
    cold = EnrichStage(sessions, clock=lambda: now, cache_ttl_s=1e-9)
    started = time.perf_counter()
    out = [cold(b) for b in classified]
    cold_s = time.perf_counter() - started
    warm = EnrichStage(sessions, clock=lambda: now)
    warm(classified[0])
    started = time.perf_counter()
    for b in classified:
        warm(b)
    warm_s = time.perf_counter() - started
    engine.dispose()
    from routing_rules import load_compiled

    compiled = load_compiled()
    routed_tickets = [t for b in out for t in b]
    started = time.perf_counter()
    for t in routed_tickets:
        compiled.route(t)
    route_s = time.perf_counter() - started
    statuses = [t.enrichment.status for b in out for t in b if t.enrichment]
    total = len(tickets)
    pipeline_s = normalize_s + classify_s + cold_s + route_s
    return {
        "bench": "enrich",
        "tickets": total,
        "batch_size": batch,
        "database": url.split("@")[-1].split("///")[0],
        "enrich_cold_per_s": round(total / cold_s, 1),
        "enrich_warm_per_s": round(total / warm_s, 1),
        "batch_lookup_ms": round(1000 * cold_s / len(batches), 2),
        "normalize_ms_per_ticket": round(1000 * normalize_s / total, 3),
        "classify_ms_per_ticket": round(1000 * classify_s / total, 3),
        "enrich_cold_ms_per_ticket": round(1000 * cold_s / total, 3),
        "enrich_share_of_pipeline": round(cold_s / pipeline_s, 3),
        "route_ms_per_ticket": round(1000 * route_s / total, 4),
        "route_share_of_pipeline": round(route_s / pipeline_s, 4),
        "ok": statuses.count("ok"),
        "not_found": statuses.count("not_found"),
        "unavailable": statuses.count("unavailable"),
    }
