"""What an on-call person scrapes from a real worker (``TICKETFLOW_METRICS_PORT``) fed part of
the corpus and a few fresh SLA clocks:

* every family the worker exports is in the README's metrics table and every row of the table
  is exported (with its type, and, where there are samples, its labels);
* the new series have sane values: first routings counted with their end-to-end latency,
  every stage timed, every agent's last batch recent, the rebalance of the first join, the
  runtime collectors; the corpus (received weeks ago) gives replayed breaches only, with no
  lateness at all; fresh clocks are counted open, then breach live, with a lateness of about
  a tick.
"""

from __future__ import annotations

import re
import time
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import corpus
from streams.kafka_io import make_producer
from ticketflow.broker import free_port
from ticketflow.failover_bench import OutputWatch, Tally, count_trial, isolate_group
from ticketflow.processes import WorkerProcess
from ticketflow.sla_load import POLICY, policies_yaml, publish_routed, routed_tickets

from ..live import wait_until
from .test_pipeline_restart import alive, publish_files

ROOT = Path(__file__).resolve().parents[2]
TARGET = timedelta(seconds=20)
FRESH = 5
CORPUS_FILES = 40


# --- the README table and the exposition, parsed --------------------------------------------

_ROW = re.compile(r"^\|\s*`(?P<name>[a-z0-9_:]+)`\s*\|\s*(?P<type>[a-z]+)\s*\|(?P<labels>[^|]*)\|")


def readme_table(text: str | None = None) -> dict[str, tuple[str, frozenset[str]]]:
    """The metrics table of the README (between the ops:metrics-table markers): name →
    (type, label names)."""
    text = text if text is not None else (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- ops:metrics-table:start -->", 1)[1]
    block = block.split("<!-- ops:metrics-table:end -->", 1)[0]
    table: dict[str, tuple[str, frozenset[str]]] = {}
    for line in block.splitlines():
        m = _ROW.match(line)
        if m is None:
            continue
        assert m["name"] not in table, f"{m['name']} twice in the README table"
        table[m["name"]] = (m["type"], frozenset(re.findall(r"`([a-z_]+)`", m["labels"])))
    return table


def exported_families(exposition: str) -> dict[str, str]:
    """name → type of every ``# TYPE`` line (a family is announced even without samples),
    without the ``<name>_created`` gauges prometheus_client adds for each counter and histogram
    with samples (their creation time; not families of ours)."""
    types = dict(re.findall(r"^# TYPE (\S+) (\S+)$", exposition, flags=re.M))
    created = {n for n, t in types.items() if n.endswith("_created") and t == "gauge"
               and ({n.removesuffix("_created") + "_total", n.removesuffix("_created")}
                    & {m for m, mt in types.items() if mt in ("counter", "histogram")})}
    return {n: t for n, t in types.items() if n not in created}


def sample_labels(exposition: str) -> dict[str, set[frozenset[str]]]:
    """family name → the label-name sets its samples carry (``le`` left out)."""
    types = exported_families(exposition)
    found: dict[str, set[frozenset[str]]] = defaultdict(set)
    for m in re.finditer(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*?)\})? \S+$", exposition, re.M):
        name, labels = m[1], m[2] or ""
        family = next((f for f in (name, *(name.removesuffix(s) for s in
                                           ("_bucket", "_sum", "_count")))
                       if f in types), None)
        if family is None:
            continue
        found[family].add(frozenset(re.findall(r'([a-zA-Z_]+)="', labels)) - {"le"})
    return found


def samples(exposition: str, name: str) -> dict[frozenset[tuple[str, str]], float]:
    out = {}
    for m in re.finditer(rf"^{re.escape(name)}(?:\{{(.*?)\}})? (\S+)$", exposition, re.M):
        out[frozenset(re.findall(r'([a-zA-Z_]+)="([^"]*)"', m[1] or ""))] = float(m[2])
    return out


def total(exposition: str, name: str, **labels: str) -> float:
    want = set(labels.items())
    return sum(v for k, v in samples(exposition, name).items() if want <= k)


def check_table_matches(exposition: str) -> None:
    documented = readme_table()
    exported = exported_families(exposition)
    undocumented = set(exported) - set(documented)
    assert not undocumented, f"exported, not in the README table: {sorted(undocumented)}"
    missing = set(documented) - set(exported)
    assert not missing, f"in the README table, not exported: {sorted(missing)}"
    wrong_type = {n: (documented[n][0], t) for n, t in exported.items() if documented[n][0] != t}
    assert not wrong_type, f"README type vs exported type: {wrong_type}"
    for name, label_sets in sample_labels(exposition).items():
        assert label_sets <= {documented[name][1]}, (
            f"{name}: samples labelled {sorted(map(sorted, label_sets))}, README says "
            f"{sorted(documented[name][1])}")


def test_the_readme_table_parses_and_names_every_family_once() -> None:
    table = readme_table()
    assert len(table) >= 40
    assert {t for t, _ in table.values()} <= {"counter", "gauge", "histogram"}
    assert table["ticketflow_sla_breaches_total"] == (
        "counter", frozenset({"queue", "policy", "metric", "segment"}))
    assert table["ticketflow_rebalances_total"] == ("counter", frozenset())
    assert "ticketflow_rules_refused_total" not in table  # replaced
    # and the checker catches a table that is off
    exposition = "# HELP x_total x\n# TYPE x_total counter\nx_total 1.0\n"
    with pytest.raises(AssertionError, match="not in the README table"):
        check_table_matches(exposition)


# --- the live worker ----------------------------------------------------------------------


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        return str(r.read().decode())


# One worker start (group join, model load) and a corpus on a 2-core machine.
@pytest.mark.timeout(600)
def test_a_worker_fed_the_corpus_exports_the_documented_metrics_with_sane_values(
    topics: str, start_worker: Callable[..., WorkerProcess], tmp_path: Path
) -> None:
    group = f"it-metrics-{time.time_ns():x}"
    isolate_group(topics, group)
    port = free_port()
    policies = tmp_path / "policies.yaml"
    policies.write_text(policies_yaml(TARGET), encoding="utf-8")
    started = time.time()
    worker = start_worker(TICKETFLOW_APP_ID=group, TICKETFLOW_METRICS_PORT=str(port),
                          TICKETFLOW_SLA_POLICIES_PATH=str(policies),
                          TICKETFLOW_SLA_ASSIGN_WITHIN_S="100000")
    watch = OutputWatch(topics)
    tally = Tally()
    text = ""
    try:
        # 1. part of the corpus (received in November: every SLA deadline long past)
        expected = publish_files(topics, corpus.load_manifest()[:CORPUS_FILES], tally)
        assert len(expected.tickets) >= 20
        poll = alive(worker, watch, tally)
        wait_until(lambda: tally.missing(expected) == ([], []), 300,
                   lambda: f"the corpus routed; {count_trial(expected, tally)}", poll)

        def scraped(condition: Callable[[str], bool]) -> Callable[[], bool]:
            def check() -> bool:
                nonlocal text
                text = scrape(port)
                return condition(text)
            return check

        first_routed = len(expected.tickets)

        def applied(t: str) -> float:
            return total(t, "ticketflow_sla_events_total", type="sla.applied",
                         metric="first_response")

        # routed, and every routed ticket's clocks opened by the SLA agent
        wait_until(scraped(lambda t: total(t, "ticketflow_routed_total") >= first_routed
                           and applied(t) >= first_routed), 60,
                   lambda: f"{first_routed} routed and SLA-opened tickets on /metrics: "
                           f"{total(text, 'ticketflow_routed_total')} routed, "
                           f"{applied(text)} opened", poll)
        text = scrape(port)  # once more: no batch half-counted by the scrape above

        check_table_matches(text)
        routed = total(text, "ticketflow_routed_total")
        assert routed >= first_routed
        assert total(text, "ticketflow_e2e_latency_seconds_count") == routed
        assert total(text, "ticketflow_routing_default_total") <= routed
        assert total(text, "ticketflow_triage_total") <= total(text, "ticketflow_tickets_total")
        for stage in ("normalize", "classify", "enrich", "route", "sla"):
            count = total(text, "ticketflow_stage_duration_seconds_count", stage=stage)
            mean = total(text, "ticketflow_stage_duration_seconds_sum", stage=stage) / count
            assert count > 0 and 0 <= mean < 30, (stage, count, mean)
        now = time.time()
        for agent in ("ticketflow.pipeline", "ticketflow.route", "ticketflow.sla"):
            at = total(text, "ticketflow_last_batch_timestamp_seconds", agent=agent)
            assert started <= at <= now, (agent, at, started, now)
        assert total(text, "ticketflow_rebalances_total") >= 1
        assert total(text, "ticketflow_ruleset_reloads_total", result="refused") == 0
        assert samples(text, "ticketflow_ruleset_info")
        assert total(text, "process_cpu_seconds_total") > 0
        assert total(text, "process_resident_memory_bytes") > 0
        assert samples(text, "python_info")
        # the corpus' breaches are replays: counted apart, no lateness, no live breach
        assert total(text, "ticketflow_sla_breaches_replayed_total",
                     metric="first_response") >= first_routed
        assert total(text, "ticketflow_sla_breaches_total") == 0
        assert total(text, "ticketflow_sla_breach_lateness_seconds_count") == 0
        assert total(text, "ticketflow_sla_breach_lateness_seconds_sum") == 0
        assert not any(v.startswith("tk_") for k in samples_all(text) for _, v in k)

        # 2. fresh clocks, due 15-18 s from now: open first, then breached live
        now_dt = datetime.now(UTC)
        fresh = routed_tickets(f"metrics-{time.time_ns()}", FRESH,
                               first_deadline=now_dt + timedelta(seconds=15),
                               window=timedelta(seconds=3), first_response=TARGET, now=now_dt)
        producer = make_producer(topics)
        try:
            publish_routed(producer, fresh)
        finally:
            producer.close()
        mine = {"queue": "orders", "policy": POLICY}
        wait_until(scraped(lambda t: total(t, "ticketflow_sla_open_clocks", **mine,
                                           metric="first_response") == FRESH), 15,
                   lambda: f"{FRESH} open first-response clocks in {mine}: "
                           f"{samples(text, 'ticketflow_sla_open_clocks')}", poll)
        assert total(text, "ticketflow_sla_open_tickets", **mine) == FRESH
        assert total(text, "ticketflow_sla_breaches_total") == 0  # not yet due
        wait_until(scraped(lambda t: total(t, "ticketflow_sla_breaches_total", **mine,
                                           metric="first_response",
                                           segment="unknown") == FRESH), 60,
                   lambda: f"{FRESH} live breaches: "
                           f"{samples(text, 'ticketflow_sla_breaches_total')}", poll)
        assert total(text, "ticketflow_sla_breach_lateness_seconds_count",
                     metric="first_response") == FRESH
        lateness = total(text, "ticketflow_sla_breach_lateness_seconds_sum",
                         metric="first_response")
        assert 0 <= lateness / FRESH < 5.0  # a tick and a broker round trip, not weeks
        # the gauges follow at the SLA timer's next run (TICKETFLOW_SLA_TICK_S)
        settled = {("ticketflow_sla_open_clocks", "first_response"): 0,
                   ("ticketflow_sla_open_clocks", "resolution"): FRESH,
                   ("ticketflow_sla_warned_clocks", "first_response"): 0}

        def gauges(t: str) -> dict[tuple[str, str], float]:
            return {(n, m): total(t, n, **mine, metric=m) for n, m in settled}

        wait_until(scraped(lambda t: gauges(t) == settled), 10,
                   lambda: f"the SLA gauges after the breaches: {gauges(text)}", poll)
        assert total(text, "ticketflow_sla_open_tickets", **mine) == FRESH
    finally:
        watch.close()


def samples_all(exposition: str) -> list[frozenset[tuple[str, str]]]:
    return [frozenset(re.findall(r'([a-zA-Z_]+)="([^"]*)"', m))
            for m in re.findall(r"^[a-zA-Z_:][a-zA-Z0-9_:]*\{(.*?)\} \S+$", exposition, re.M)]
