"""Throughput of the compiled rules: a generated 200-rule ruleset over generated tickets.

    python -m ticketflow.rules_bench
"""

from __future__ import annotations

import random
import time
from typing import Any

from routing_rules.compile import compile_ruleset
from routing_rules.model import Ruleset
from routing_rules.testing import apply_override, base_ticket
from schemas.classification import Intent, UrgencyKind
from schemas.ticket import Ticket

_INTENTS = [i.value for i in Intent]
_SEGMENTS = ["vip", "high", "regular", "new"]
_WORDS = ["parcel", "refund", "broken", "invoice", "password", "colis", "remboursé", "kaputt",
          "size", "colour", "late", "urgent", "delivery", "address", "voucher", "gift"]
_LANGS = ["en", "fr", "de", "es", "it"]


def _condition(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    kind = rng.randrange(9 if depth < 2 else 6)
    if kind == 0:
        return {"field": "classification.intent", "op": "eq", "value": rng.choice(_INTENTS)}
    if kind == 1:
        return {"field": "enrichment.customer.segment", "op": "in",
                "value": rng.sample(_SEGMENTS, 2)}
    if kind == 2:
        return {"field": "classification.confidence", "op": "lt",
                "value": round(rng.uniform(0.2, 0.6), 2)}
    if kind == 3:
        return {"field": "text", "op": "keywords", "value": rng.sample(_WORDS, 3)}
    if kind == 4:
        return {"field": "body", "op": "matches",
                "value": rf"\b{rng.choice(_WORDS)}\w*\s+(?:is|est|ist)\b"}
    if kind == 5:
        return {"field": "classification.urgency.kind", "op": "contains",
                "value": rng.choice([u.value for u in UrgencyKind])}
    if kind == 6:
        return {"all": [_condition(rng, depth + 1), _condition(rng, depth + 1)]}
    if kind == 7:
        return {"any": [_condition(rng, depth + 1), _condition(rng, depth + 1),
                        _condition(rng, depth + 1)]}
    return {"all": [_condition(rng, depth + 1), {"not": _condition(rng, depth + 1)}]}


def generate_ruleset(n_rules: int = 200, seed: int = 7) -> Ruleset:
    rng = random.Random(seed)
    queues = [f"q{i}" for i in range(20)]
    rules: list[dict[str, Any]] = []
    for i in range(n_rules - 1):
        rule: dict[str, Any] = {"id": f"r{i}", "when": _condition(rng)}
        if i % 5 == 0:
            rule["then"] = {"tags": [f"t{i}"], "raise_priority": 1}
            rule["continue"] = True
        else:
            # Mostly narrow rules (intent AND something) so many tickets walk far down the list.
            rule["when"] = {"all": [{"field": "classification.intent", "op": "eq",
                                     "value": rng.choice(_INTENTS)}, rule["when"]]}
            rule["then"] = {"queue": rng.choice(queues), "tags": [f"t{i}"]}
        rules.append(rule)
    rules.append({"id": "default", "default": True, "then": {"queue": "q0"}})
    return Ruleset.model_validate({
        "name": "bench", "queues": [{"name": q} for q in queues], "rules": rules})


def generate_tickets(n: int, seed: int = 11) -> list[Ticket]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        words = " ".join(rng.choices(_WORDS, k=8))
        data = base_ticket(f"Hello, my {words} is here. Order 10{i % 9999:04d}, thanks")
        data["language"] = rng.choice(_LANGS)
        apply_override(data, "classification.intent", rng.choice(_INTENTS))
        apply_override(data, "classification.confidence", round(rng.random(), 2))
        if rng.random() < 0.3:
            apply_override(data, "classification.urgency.kind",
                           rng.sample([u.value for u in UrgencyKind], 2))
        if rng.random() < 0.8:
            apply_override(data, "enrichment.customer.segment", rng.choice(_SEGMENTS))
        out.append(Ticket.model_validate(data))
    return out


def bench_rules(n_tickets: int = 20000, n_rules: int = 200) -> dict[str, Any]:
    """Route ``n_tickets`` through ``n_rules`` generated rules on one core."""
    ruleset = generate_ruleset(n_rules)
    started = time.perf_counter()
    compiled = compile_ruleset(ruleset, "<bench>")
    compile_s = time.perf_counter() - started
    distinct = generate_tickets(min(n_tickets, 2000))
    tickets = [distinct[i % len(distinct)] for i in range(n_tickets)]
    route = compiled.route
    started = time.perf_counter()
    matched = 0
    for ticket in tickets:
        matched += len(route(ticket).matched)
    elapsed = time.perf_counter() - started
    return {
        "n_tickets": n_tickets,
        "n_rules": len(ruleset.rules),
        "compile_ms": round(compile_s * 1000, 2),
        "route_s": round(elapsed, 4),
        "tickets_per_s": round(n_tickets / elapsed) if elapsed else 0,
        "us_per_ticket": round(elapsed / n_tickets * 1e6, 2) if n_tickets else 0.0,
        "mean_rules_matched": round(matched / n_tickets, 2) if n_tickets else 0.0,
    }


if __name__ == "__main__":
    print(bench_rules())
